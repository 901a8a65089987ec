import { describe, expect, it } from 'vitest';
import { formatKey, languageName, visibilityKey } from './describe';

describe('group words', () => {
  it('names languages in the reader’s language, keeping unknown tags', () => {
    expect(languageName('en', 'en')).toBe('English');
    expect(languageName('pt-br', 'en')).toBe('Brazilian Portuguese');
    expect(languageName('de', 'de')).toBe('Deutsch');
    expect(languageName('not a tag', 'en')).toBe('not a tag');
  });

  it('has a message id for every format and way of joining', () => {
    expect(formatKey('in-person')).toBe('groups.format.in-person');
    expect(visibilityKey('request')).toBe('groups.visibility.request');
  });
});
