import { z } from 'zod';
import {
  base64urlBytesSchema,
  idSchema,
  keyIdSchema,
  publicKeyBundleSchema,
  sequenceSchema,
  shareKeySchema,
} from '../crypto/schemas.js';
import {
  CONVERSATION_ID_PATTERN,
  MAX_MESSAGE_RECORD_BYTES,
  MIN_MESSAGE_RECORD_BYTES,
} from './message.js';

/**
 * The HTTP contract of direct conversations (docs/PROTOCOL.md §13, docs/SECURITY.md). The server
 * holds who talks with whom, when, how much (sizes, counts), each person's read position and share
 * keys and message records it cannot open. Everything anyone wrote is inside a record.
 */

export const conversationIdSchema = z
  .string()
  .regex(CONVERSATION_ID_PATTERN, 'must be 1–61 of A–Z a–z 0–9 _ -');

/** A message record v1, base64url (its size is checked here; its header by the server). */
export const messageRecordSchema = base64urlBytesSchema(
  MIN_MESSAGE_RECORD_BYTES,
  MAX_MESSAGE_RECORD_BYTES,
);

export const CONVERSATION_KINDS = ['direct'] as const;
/** Where a conversation was started from: directly, "someone to talk to", or mutual aid. */
export const CONVERSATION_CONTEXTS = ['direct', 'listen', 'aid'] as const;

/**
 * `POST /api/v1/conversations`: start a direct conversation with another account. The initiator
 * made the key (key id 1) and wrapped it for both participants (share id `dm-<id>`, signed by the
 * initiator).
 */
export const startConversationSchema = z.strictObject({
  id: conversationIdSchema,
  with: idSchema,
  keyId: z.literal(1),
  /** The key wrapped for the initiator (sender = recipient = the initiator). */
  myShareKey: shareKeySchema,
  /** The key wrapped for the other person. */
  theirShareKey: shareKeySchema,
});
export type StartConversation = z.infer<typeof startConversationSchema>;

/** `PUT /api/v1/conversations/:id/key`: one side resets the key (a new key id, wrapped for both). */
export const resetKeySchema = z.strictObject({
  keyId: keyIdSchema,
  myShareKey: shareKeySchema,
  theirShareKey: shareKeySchema,
});

const participantSchema = z.object({ accountId: z.string(), handle: z.string() });

/** A conversation as one participant sees it. */
export const conversationSchema = z.object({
  id: z.string(),
  kind: z.enum(CONVERSATION_KINDS),
  context: z.enum(CONVERSATION_CONTEXTS),
  contextId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  /** Set when either side left: nobody can post any more. */
  closedAt: z.string().nullable(),
  /** The other person; null once they deleted their account (nothing more can be sent). */
  other: participantSchema
    .extend({
      /** When the other person left (they no longer see the conversation). */
      leftAt: z.string().nullable(),
    })
    .nullable(),
  /** The current key id and my share key for it (signed by whoever made the key). */
  keyId: z.number(),
  shareKey: z.string(),
  /** Who made the current key: the signer of `shareKey`. */
  keyBy: z.string(),
  lastSeq: z.number(),
  lastMessageAt: z.string().nullable(),
  /** Messages from the other person after my read position. */
  unread: z.number(),
  readSeq: z.number(),
});
export type ConversationWire = z.infer<typeof conversationSchema>;

/** One conversation key I was given: its id, who made (signed) it, and my share key for it. */
export const conversationKeySchema = z.object({
  keyId: z.number(),
  keyBy: z.string(),
  shareKey: z.string(),
});
export type ConversationKeyWire = z.infer<typeof conversationKeySchema>;

/**
 * `GET /api/v1/conversations/:id`: with the other person's bundle, to check and pin, and every
 * key I was given (older key ids too, so messages sealed before a reset still open), by key id.
 */
export const conversationDetailSchema = conversationSchema.extend({
  otherPublicKeyBundle: publicKeyBundleSchema.nullable(),
  keys: z.array(conversationKeySchema),
});

export const conversationsResponseSchema = z.object({
  conversations: z.array(conversationSchema),
});

export const postMessageSchema = z.strictObject({
  /** Client-made (so a retry is recognised): the message id bound into the record. */
  id: idSchema,
  keyId: keyIdSchema,
  record: messageRecordSchema,
});

export const messageSchema = z.object({
  seq: z.number(),
  id: z.string(),
  senderId: z.string(),
  keyId: z.number(),
  record: z.string(),
  createdAt: z.string(),
});
export type MessageWire = z.infer<typeof messageSchema>;

export const MESSAGE_PAGE_LIMIT = { default: 50, max: 200 } as const;

/** `GET …/messages`: `after` (oldest first from there) or `before` (the latest before it). */
export const messagesQuerySchema = z.strictObject({
  after: z.coerce.number().pipe(sequenceSchema).optional(),
  before: z.coerce.number().pipe(sequenceSchema).optional(),
  limit: z.coerce
    .number()
    .pipe(z.int().min(1).max(MESSAGE_PAGE_LIMIT.max))
    .default(MESSAGE_PAGE_LIMIT.default),
});

export const messagesResponseSchema = z.object({
  /** In `seq` order, oldest first. */
  messages: z.array(messageSchema),
  /** More exist beyond this page in the direction asked (newer for `after`, older otherwise). */
  more: z.boolean(),
});

export const markReadSchema = z.strictObject({ seq: sequenceSchema });
