import { describe, expect, it } from 'vitest';
import { formattingLocale, pickLocale, textDirection } from './locale';

describe('pickLocale', () => {
  const available = ['en', 'pt-BR', 'de'];

  it('matches exactly, case-insensitively', () => {
    expect(pickLocale(['pt-br'], available, 'en')).toBe('pt-BR');
    expect(pickLocale(['de'], available, 'en')).toBe('de');
  });

  it('falls back to the base language', () => {
    expect(pickLocale(['en-GB'], available, 'en')).toBe('en');
    expect(pickLocale(['de-AT'], available, 'en')).toBe('de');
  });

  it('takes the first preference that is available', () => {
    expect(pickLocale(['fr-FR', 'fr', 'de-CH', 'en'], available, 'en')).toBe('de');
  });

  it('uses the fallback when nothing matches or nothing is known', () => {
    expect(pickLocale(['ja', 'ko'], available, 'en')).toBe('en');
    expect(pickLocale([], available, 'en')).toBe('en');
    expect(pickLocale([null, undefined, ''], available, 'en')).toBe('en');
  });
});

describe('textDirection', () => {
  it('knows right-to-left scripts', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('he-IL')).toBe('rtl');
    expect(textDirection('fa')).toBe('rtl');
  });

  it('is left-to-right otherwise', () => {
    expect(textDirection('en')).toBe('ltr');
    expect(textDirection('pt-BR')).toBe('ltr');
  });
});

describe('formattingLocale', () => {
  it("uses the person's regional variant of the interface language", () => {
    expect(formattingLocale('en', ['en-GB', 'en'])).toBe('en-GB');
    expect(formattingLocale('en', ['fr-FR', 'en-AU'])).toBe('en-AU');
  });

  it('keeps the interface language when no variant of it is preferred', () => {
    expect(formattingLocale('en', ['de-DE'])).toBe('en');
    expect(formattingLocale('en', [])).toBe('en');
  });
});
