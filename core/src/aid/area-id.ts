import { z } from 'zod';

/**
 * A zone id: 1–48 of a–z, 0–9 and dashes ("northside", "ls6"). Its own module so the resource
 * directory can name a zone without loading the aid contract.
 */
export const areaIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1–48 of a–z, 0–9 and dashes');
