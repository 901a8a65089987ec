import { z } from 'zod';
import { normaliseHandle } from '../crypto/kdf.js';

/**
 * A handle is how people find each other in Tend: 3 to 32 letters, digits, dots, dashes or
 * underscores, starting and ending with a letter or digit. Compared case-insensitively after
 * Unicode NFC normalisation (`normaliseHandle`, the same form that goes into the passphrase salt).
 */
export { normaliseHandle };

const handlePattern = /^[a-z0-9](?:[a-z0-9._-]{1,30})[a-z0-9]$/;

export const handleSchema = z
  .string()
  .max(64)
  .transform(normaliseHandle)
  .refine((h) => handlePattern.test(h), {
    message:
      'A handle has 3 to 32 letters (a–z), digits, dots, dashes or underscores, and starts and ends with a letter or digit.',
  });

export const registrationModes = ['open', 'invite', 'closed'] as const;
export type RegistrationMode = (typeof registrationModes)[number];
