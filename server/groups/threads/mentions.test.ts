import { describe, expect, it } from 'vitest';
import { THREAD_LIMITS } from '../../../core/src/groups/threads-api.js';
import { mentionNames } from './use-cases.js';

describe('mentionNames', () => {
  it('finds handles and one-word pseudonyms, without sentence punctuation', () => {
    expect(mentionNames('Thanks @Ada, and @bo.smith. Also @willow!')).toEqual({
      handles: ['ada', 'bo.smith', 'willow'],
      pseudonymKeys: ['ada', 'bo.smith', 'willow'],
    });
  });

  it('finds pseudonyms with spaces in brackets (as pseudonyms only)', () => {
    expect(mentionNames('Hello @[Quiet River] and @[ Élan Vital ]')).toEqual({
      handles: [],
      pseudonymKeys: ['quiet river', 'élan vital'],
    });
  });

  it('ignores e-mail addresses and a lone @', () => {
    expect(mentionNames('write to me@example.org or @ or @@x')).toEqual({
      handles: [],
      pseudonymKeys: [],
    });
  });

  it('names at most THREAD_LIMITS.mentions people', () => {
    const body = Array.from({ length: 50 }, (_, i) => `@person${i}`).join(' ');
    const names = mentionNames(body);
    expect(names.handles).toHaveLength(THREAD_LIMITS.mentions);
    expect(names.pseudonymKeys).toHaveLength(THREAD_LIMITS.mentions);
  });
});
