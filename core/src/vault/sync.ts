import { z } from 'zod';
import {
  envelopeSchema,
  idSchema,
  keyIdSchema,
  sequenceSchema,
  wrappedKeySchema,
} from '../crypto/schemas.js';
import { errorBodySchema } from '../errors.js';

/**
 * The vault sync protocol (docs/PROTOCOL.md, "Sync"). The server stores sealed envelopes by
 * (collection, item id) for the signed-in account, assigns each version a revision (per item)
 * and a sequence number (per account), and hands changes back in sequence order.
 */
export const MAX_CHANGES_PER_PUSH = 100;
export const MAX_CHANGES_PER_PULL = 500;
/**
 * A push batch carries at most this many envelope bytes (before base64url), so a batch stays
 * under the server's body limit (BODY_LIMIT, default 2 MiB); one larger item goes alone.
 */
export const MAX_PUSH_ENVELOPE_BYTES = 768 * 1024;
/** A pull page stops once it holds this many envelope bytes (it always holds at least one). */
export const MAX_PULL_ENVELOPE_BYTES = 4 * 1024 * 1024;

export const pushChangeSchema = z.strictObject({
  collection: idSchema,
  itemId: idSchema,
  /** The revision this change was made on: 0 for a new item. */
  baseRevision: sequenceSchema,
  /** The new sealed envelope, or null to delete the item (a tombstone is kept). */
  envelope: envelopeSchema.nullable(),
});

export const pushRequestSchema = z.strictObject({
  changes: z.array(pushChangeSchema).min(1).max(MAX_CHANGES_PER_PUSH),
});

export const pushResponseSchema = z.object({
  applied: z.array(
    z.object({ collection: z.string(), itemId: z.string(), revision: z.number(), seq: z.number() }),
  ),
});

/** The server's current version of an item a push conflicted with (revision 0: no such item). */
export const serverItemSchema = z.object({
  collection: z.string(),
  itemId: z.string(),
  revision: z.number(),
  seq: z.number(),
  envelope: z.string().nullable(),
  updatedAt: z.string(),
});

export const conflictBodySchema = errorBodySchema.extend({ conflicts: z.array(serverItemSchema) });

export const pullQuerySchema = z.strictObject({
  /** The cursor from the previous pull (0 to start). */
  since: z.coerce.number().pipe(sequenceSchema).default(0),
  limit: z.coerce
    .number()
    .pipe(z.int().min(1).max(MAX_CHANGES_PER_PULL))
    .default(MAX_CHANGES_PER_PULL),
});

export const pullResponseSchema = z.object({
  changes: z.array(serverItemSchema),
  /** Pass as `since` next time. */
  cursor: z.number(),
  /** More changes are waiting: pull again straight away. */
  more: z.boolean(),
});

export type PushChange = z.infer<typeof pushChangeSchema>;
export type ServerItem = z.infer<typeof serverItemSchema>;

/** A collection key, wrapped under the owner's master key (kind `collection`). */
export const collectionKeySchema = z.strictObject({
  collection: idSchema,
  keyId: keyIdSchema,
  wrappedKey: wrappedKeySchema,
});

export const collectionKeysResponseSchema = z.object({
  keys: z.array(
    z.object({
      collection: z.string(),
      keyId: z.number(),
      wrappedKey: z.string(),
      createdAt: z.string(),
    }),
  ),
});

export type CollectionKey = z.infer<typeof collectionKeySchema>;
