import type { z } from 'zod';
import { err, ok, type Result } from '../result.js';

/** Why a decrypted item did not read as its JSON type. */
export type JsonItemError =
  | { readonly code: 'not_json' }
  | { readonly code: 'invalid'; readonly issues: readonly { path: string; message: string }[] };

/**
 * Reads a decrypted vault item that is UTF-8 JSON (strict UTF-8) and checks it with `schema`.
 * The capability modules (plans, check-ins) add their own type and size checks around it.
 */
export function parseJsonItem<S extends z.ZodType>(
  schema: S,
  bytes: Uint8Array,
): Result<z.infer<S>, JsonItemError> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return err({ code: 'not_json' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return err({
      code: 'invalid',
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      })),
    });
  }
  return ok(parsed.data);
}
