import { describe, expect, it } from 'vitest';
import { DEFAULT_QUICK_EXIT_URL, safeExitUrl } from './url';

describe('safeExitUrl', () => {
  it('accepts absolute http and https URLs', () => {
    expect(safeExitUrl(DEFAULT_QUICK_EXIT_URL)).toBe(DEFAULT_QUICK_EXIT_URL);
    expect(safeExitUrl('http://example.org')).toBe('http://example.org/');
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,hi',
    '/relative',
    'www.bbc.com',
    'https://user:pw@example.org/',
    '',
    'x'.repeat(3000),
  ])('rejects %s', (value) => {
    expect(safeExitUrl(value)).toBeNull();
  });

  it('rejects non-strings', () => {
    expect(safeExitUrl(undefined)).toBeNull();
    expect(safeExitUrl(42)).toBeNull();
    expect(safeExitUrl({ href: DEFAULT_QUICK_EXIT_URL })).toBeNull();
  });
});
