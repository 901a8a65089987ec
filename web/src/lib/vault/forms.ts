/**
 * Form checks for the account pages, as pure functions (unit-tested in Node). Each returns an
 * i18n message id, or null when the value is fine.
 */
import { z } from 'zod';
import { handleSchema } from '../../../../core/src/accounts/handle.js';

/** zxcvbn scores 0–4; below this a passphrase is refused (kindly). */
export const MIN_PASSPHRASE_SCORE = 3;
/** A floor even for odd inputs zxcvbn rates well. */
export const MIN_PASSPHRASE_LENGTH = 10;

export function handleError(value: string): string | null {
  if (value.trim() === '') return 'forms.handle.required';
  return handleSchema.safeParse(value).success ? null : 'forms.handle.invalid';
}

/** The same check the server makes (core/src/accounts/api.ts). */
const emailSchema = z.email().max(254);

export function emailError(value: string): string | null {
  const v = value.trim();
  if (v === '') return null;
  return emailSchema.safeParse(v).success ? null : 'forms.email.invalid';
}

export function passphraseError(value: string, score: number | null): string | null {
  if (value === '') return 'forms.passphrase.required';
  if (value.length < MIN_PASSPHRASE_LENGTH) return 'forms.passphrase.tooShort';
  if (score === null) return null;
  return score < MIN_PASSPHRASE_SCORE ? 'forms.passphrase.tooWeak' : null;
}

export function confirmError(passphrase: string, confirm: string): string | null {
  if (confirm === '') return 'forms.confirm.required';
  return passphrase === confirm ? null : 'forms.confirm.mismatch';
}

/** Words for a zxcvbn score (0–4). */
export function strengthLabel(score: number): string {
  const labels = ['veryWeak', 'weak', 'fair', 'strong', 'veryStrong'] as const;
  return `forms.strength.${labels[Math.max(0, Math.min(4, Math.round(score)))] ?? 'veryWeak'}`;
}

export interface Strength {
  /** 0 (guessed at once) … 4 (very hard to guess) */
  readonly score: number;
}

type Checker = (passphrase: string, userInputs: string[]) => Strength;
let checker: Promise<Checker> | undefined;

/**
 * zxcvbn with its dictionaries, loaded on first use (they are large: never in the first page
 * load). `userInputs` (handle, email) make passphrases that contain them weaker.
 */
export function loadStrengthChecker(): Promise<Checker> {
  checker ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(([core, common, en]) => {
    const zxcvbn = new core.ZxcvbnFactory({
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    });
    return (passphrase: string, userInputs: string[]) => ({
      score: zxcvbn.check(passphrase, userInputs).score,
    });
  });
  return checker;
}
