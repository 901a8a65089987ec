import { describe, expect, it } from 'vitest';
import {
  confirmError,
  emailError,
  handleError,
  loadStrengthChecker,
  passphraseError,
  strengthLabel,
} from './forms';

describe('account form checks', () => {
  it('handles', () => {
    expect(handleError('')).toBe('forms.handle.required');
    expect(handleError('ab')).toBe('forms.handle.invalid');
    expect(handleError('-ada')).toBe('forms.handle.invalid');
    expect(handleError('Ada.Lovelace')).toBeNull();
    expect(handleError('  ada  ')).toBeNull();
  });

  it('email is optional', () => {
    expect(emailError('')).toBeNull();
    expect(emailError('ada@example.org')).toBeNull();
    expect(emailError('ada@')).toBe('forms.email.invalid');
  });

  it('passphrases: length first, then the strength score', () => {
    expect(passphraseError('', null)).toBe('forms.passphrase.required');
    expect(passphraseError('short', 4)).toBe('forms.passphrase.tooShort');
    expect(passphraseError('password12', 1)).toBe('forms.passphrase.tooWeak');
    expect(passphraseError('quiet river lantern', 3)).toBeNull();
    expect(passphraseError('quiet river lantern', null)).toBeNull();
    expect(confirmError('a', '')).toBe('forms.confirm.required');
    expect(confirmError('a', 'b')).toBe('forms.confirm.mismatch');
    expect(confirmError('a', 'a')).toBeNull();
  });

  it('strength words', () => {
    expect(strengthLabel(0)).toBe('forms.strength.veryWeak');
    expect(strengthLabel(4)).toBe('forms.strength.veryStrong');
    expect(strengthLabel(9)).toBe('forms.strength.veryStrong');
  });

  it('zxcvbn (loaded on demand) refuses common passwords and likes unrelated words', async () => {
    const check = await loadStrengthChecker();
    expect(check('password12', []).score).toBeLessThan(3);
    expect(check('adalovelace99', ['adalovelace99']).score).toBeLessThan(3);
    expect(check('quiet river lantern orchard seventy', []).score).toBeGreaterThanOrEqual(3);
  });
});
