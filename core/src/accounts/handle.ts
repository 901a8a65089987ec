import { z } from 'zod';

/**
 * A handle is how people find each other in Tend: 3 to 32 letters, digits, dots, dashes or
 * underscores, starting and ending with a letter or digit. Compared case-insensitively after
 * Unicode NFC normalisation; this normal form also goes into the passphrase salt.
 */
export function normalizeHandle(handle: string): string {
  return handle.normalize('NFC').trim().toLowerCase();
}

const handlePattern = /^[a-z0-9](?:[a-z0-9._-]{1,30})[a-z0-9]$/;

export const handleSchema = z
  .string()
  .max(64)
  .transform(normalizeHandle)
  .refine((h) => handlePattern.test(h), {
    message:
      'A handle has 3 to 32 letters (a–z), digits, dots, dashes or underscores, and starts and ends with a letter or digit.',
  });

export const registrationModes = ['open', 'invite', 'closed'] as const;
export type RegistrationMode = (typeof registrationModes)[number];
