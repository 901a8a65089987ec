import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorKey } from './errors';

const en = JSON.parse(readFileSync(join(import.meta.dirname, 'messages', 'en.json'), 'utf8')) as {
  groups: { errors: Record<string, string> };
};

describe('group error words', () => {
  it('has its own words for the codes people can act on', () => {
    expect(errorKey({ code: 'last_facilitator' })).toBe('groups.errors.last_facilitator');
    expect(errorKey({ code: 'stale_agreement' })).toBe('groups.errors.stale_agreement');
    expect(errorKey({ code: 'network' })).toBe('groups.errors.network');
  });

  it('falls back to general words for anything else', () => {
    expect(errorKey({ code: 'http_500' })).toBe('groups.errors.other');
    expect(errorKey({ code: 'bad_response' })).toBe('groups.errors.other');
  });

  it('has a message for every key it can give', () => {
    for (const code of ['slug_taken', 'pseudonym_taken', 'link_gone', 'other', 'conflict']) {
      const key = errorKey({ code }).replace('groups.errors.', '');
      expect(en.groups.errors[key], key).toBeTruthy();
    }
  });
});
