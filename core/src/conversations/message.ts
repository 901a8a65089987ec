/**
 * Direct conversations, end to end encrypted (docs/PROTOCOL.md §13).
 *
 * Conversation key: 32 random bytes with a key id (1, then +1 at each reset), given to each
 * participant as a share key v1 (§5.5) with share id `dm-<conversation id>`.
 *
 * Message record v1 (what the server stores):
 *
 *     offset  size    field
 *     0       1       version = 0x01
 *     1       4       key id of the conversation key (u32be, ≥ 1)
 *     5       24      nonce = random(24)
 *     29      n + 16  XChaCha20-Poly1305(conversation key, nonce, AD, inner)
 *
 * AD = ctx("tend/v1/dm-record", conversation id, message id, sender id, u32be(key id))
 *
 * inner = signature (64) ‖ u64be(sentAt, Unix ms) ‖ content (UTF-8 JSON, content.ts)
 * signature = Ed25519(sender's identity seed, ctx("tend/v1/dm-message", conversation id,
 *             message id, sender id, u64be(sentAt), SHA256(content)))
 *
 * Both participants hold the conversation key, so the AEAD says only "one of the two wrote it";
 * the signature, inside the ciphertext where the server cannot see it, says which one — and lets
 * a reporter show a moderator that the other person wrote a message (`verifyReportedMessage`).
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { err, ok, type Result } from '../result.js';
import {
  encodeContext,
  readU32be,
  readU64be,
  TAG,
  u32be,
  u64be,
  utf8,
} from '../crypto/canonical.js';
import { assertId, assertKeyId, isId, isKeyId } from '../crypto/ids.js';
import {
  AEAD_TAG_LENGTH,
  ed25519Sign,
  ed25519Verify,
  KEY_LENGTH,
  PUBLIC_KEY_LENGTH,
  sha256,
  SIGNATURE_LENGTH,
  XNONCE_LENGTH,
  xchachaOpen,
  xchachaSeal,
} from '../crypto/primitives.js';
import { defaultRandom, takeRandom, type RandomSource } from '../crypto/random.js';
import { base64urlBytesSchema, idSchema } from '../crypto/schemas.js';
import { openShareKey, wrapShareKey, type ShareKeyError } from '../crypto/share.js';
import { fromBase64url, toBase64url } from '../encoding/base64url.js';
import { decodeContent, encodeContent, MAX_CONTENT_BYTES, type MessageContent } from './content.js';

export const MESSAGE_RECORD_VERSION = 1;
const HEADER_LENGTH = 1 + 4;
const CIPHERTEXT_OFFSET = HEADER_LENGTH + XNONCE_LENGTH;
/** Bytes the record adds around its inner plaintext (45). */
export const RECORD_OVERHEAD = CIPHERTEXT_OFFSET + AEAD_TAG_LENGTH;
/** Signature and sentAt in front of the content (72). */
export const INNER_OVERHEAD = SIGNATURE_LENGTH + 8;
/** The smallest and largest message records (bytes). */
export const MIN_MESSAGE_RECORD_BYTES = RECORD_OVERHEAD + INNER_OVERHEAD + 1;
export const MAX_MESSAGE_RECORD_BYTES = RECORD_OVERHEAD + INNER_OVERHEAD + MAX_CONTENT_BYTES;

/** Conversation ids leave room for the `dm-` prefix of the share id within 64 characters. */
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,61}$/;
export const isConversationId = (value: string): boolean => CONVERSATION_ID_PATTERN.test(value);

/** The share id under which a conversation key is given to a participant (§13.1). */
export function conversationShareId(conversationId: string): string {
  if (!isConversationId(conversationId)) throw new TypeError('conversation id is not valid');
  return `dm-${conversationId}`;
}

/** Where a message lives and who sent it; all of it is bound into the AD and the signature. */
export interface MessageBinding {
  readonly conversationId: string;
  readonly messageId: string;
  readonly senderId: string;
}

const bindingIsValid = (b: MessageBinding): boolean =>
  isConversationId(b.conversationId) && isId(b.messageId) && isId(b.senderId);

/** Associated data of the record's AEAD. */
export function messageRecordAd(binding: MessageBinding, keyId: number): Uint8Array {
  return encodeContext(TAG.dmRecord, [
    utf8(binding.conversationId),
    utf8(binding.messageId),
    utf8(binding.senderId),
    u32be(keyId),
  ]);
}

/** What the sender signs: the message's place, its time and the hash of its exact content. */
export function messageSignedMessage(
  binding: MessageBinding,
  sentAt: number,
  content: Uint8Array,
): Uint8Array {
  return encodeContext(TAG.dmMessage, [
    utf8(binding.conversationId),
    utf8(binding.messageId),
    utf8(binding.senderId),
    u64be(sentAt),
    sha256(content),
  ]);
}

export type MessageError =
  | 'bad_format'
  | 'unsupported_version'
  /** ids malformed, or the record's key id is not the one the server reports */
  | 'wrong_binding'
  /** no conversation key with the record's key id */
  | 'unknown_key'
  /** AEAD failed: wrong key, wrong conversation/message/sender, or changed bytes */
  | 'decrypt_failed'
  /** decrypted, but not signed by the sender's identity key */
  | 'bad_signature'
  | 'too_large';

// ─── Conversation keys ──────────────────────────────────────────────────────────────────────────

/** A fresh conversation key (32 random bytes). */
export function makeConversationKey(random: RandomSource = defaultRandom): Uint8Array {
  return takeRandom(random, KEY_LENGTH);
}

export interface WrapConversationKeyInput {
  readonly conversationId: string;
  /** Who made the key and signs (the initiator, or whoever resets it). */
  readonly senderId: string;
  /** The participant it is for (the sender too: they wrap one for themself). */
  readonly recipientId: string;
  readonly keyId: number;
  readonly key: Uint8Array;
  /** From the recipient's verified, pinned bundle (the sender's own key for their own copy). */
  readonly recipientX25519PublicKey: Uint8Array;
  readonly senderEd25519Seed: Uint8Array;
}

/** The conversation key as a share key v1 (§5.5) for one participant, base64url. */
export async function wrapConversationKey(
  input: WrapConversationKeyInput,
  random?: RandomSource,
): Promise<string> {
  const wrapped = await wrapShareKey(
    {
      shareId: conversationShareId(input.conversationId),
      senderId: input.senderId,
      recipientId: input.recipientId,
      keyId: input.keyId,
      collectionKey: input.key,
      recipientX25519PublicKey: input.recipientX25519PublicKey,
      senderEd25519Seed: input.senderEd25519Seed,
    },
    random,
  );
  return toBase64url(wrapped);
}

export interface OpenConversationKeyInput {
  readonly conversationId: string;
  readonly senderId: string;
  readonly recipientId: string;
  /** base64url share key, as the server serves it. */
  readonly shareKey: string;
  /** The key id the server reports for it. */
  readonly expectedKeyId?: number;
  /** The sender's pinned Ed25519 key (one's own, for one's own copy). */
  readonly senderEd25519PublicKey: Uint8Array;
  readonly recipientX25519SecretKey: Uint8Array;
}

/** Opens a participant's conversation key: the sender's signature first, then HPKE. */
export async function openConversationKey(
  input: OpenConversationKeyInput,
): Promise<Result<{ keyId: number; key: Uint8Array }, ShareKeyError>> {
  if (!isConversationId(input.conversationId)) return err('wrong_binding');
  const wrapped = fromBase64url(input.shareKey);
  if (wrapped === undefined) return err('bad_format');
  const opened = await openShareKey({
    shareId: conversationShareId(input.conversationId),
    senderId: input.senderId,
    recipientId: input.recipientId,
    wrapped,
    senderEd25519PublicKey: input.senderEd25519PublicKey,
    recipientX25519SecretKey: input.recipientX25519SecretKey,
  });
  if (!opened.ok) return opened;
  if (input.expectedKeyId !== undefined && opened.value.keyId !== input.expectedKeyId) {
    return err('wrong_binding');
  }
  return ok({ keyId: opened.value.keyId, key: opened.value.collectionKey });
}

// ─── Messages ───────────────────────────────────────────────────────────────────────────────────

export interface SealMessageInput extends MessageBinding {
  readonly keyId: number;
  readonly conversationKey: Uint8Array;
  readonly content: MessageContent;
  /** The sender's clock, Unix milliseconds (signed; shown to a moderator as the sender's claim). */
  readonly sentAt: number;
  readonly senderEd25519Seed: Uint8Array;
}

/** Signs and seals one message. `random` gives the 24-byte nonce. */
export function sealMessage(
  input: SealMessageInput,
  random: RandomSource = defaultRandom,
): Result<Uint8Array, 'too_large'> {
  if (!isConversationId(input.conversationId)) throw new TypeError('conversation id is not valid');
  assertId(input.messageId, 'message id');
  assertId(input.senderId, 'sender id');
  assertKeyId(input.keyId);
  if (input.conversationKey.length !== KEY_LENGTH)
    throw new RangeError('conversation key: 32 bytes');
  if (!Number.isSafeInteger(input.sentAt) || input.sentAt < 0) {
    throw new RangeError('sentAt must be Unix milliseconds');
  }
  const content = encodeContent(input.content);
  if (content.length > MAX_CONTENT_BYTES) return err('too_large');
  const signature = ed25519Sign(
    input.senderEd25519Seed,
    messageSignedMessage(input, input.sentAt, content),
  );
  const inner = concatBytes(signature, u64be(input.sentAt), content);
  const nonce = takeRandom(random, XNONCE_LENGTH);
  const sealed = xchachaSeal(
    input.conversationKey,
    nonce,
    messageRecordAd(input, input.keyId),
    inner,
  );
  return ok(concatBytes(Uint8Array.of(MESSAGE_RECORD_VERSION), u32be(input.keyId), nonce, sealed));
}

/** The record's plain header (the server reads it to check the key id). */
export function readMessageRecordHeader(
  record: Uint8Array,
): Result<{ version: number; keyId: number }, 'bad_format' | 'unsupported_version' | 'too_large'> {
  if (record.length < 1) return err('bad_format');
  if (record[0] !== MESSAGE_RECORD_VERSION) return err('unsupported_version');
  if (record.length < MIN_MESSAGE_RECORD_BYTES) return err('bad_format');
  if (record.length > MAX_MESSAGE_RECORD_BYTES) return err('too_large');
  const keyId = readU32be(record, 1);
  if (!isKeyId(keyId)) return err('bad_format');
  return ok({ version: MESSAGE_RECORD_VERSION, keyId });
}

/** A message as its sender's device revealed it to a moderator (no key, no other message). */
export const reportedMessageSchema = z.strictObject({
  v: z.literal(1),
  conversationId: z.string().regex(CONVERSATION_ID_PATTERN),
  messageId: idSchema,
  senderId: idSchema,
  sentAt: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** The exact content bytes, base64url (the signature covers their SHA-256). */
  content: base64urlBytesSchema(1, MAX_CONTENT_BYTES),
  signature: base64urlBytesSchema(SIGNATURE_LENGTH),
});
export type ReportedMessage = z.infer<typeof reportedMessageSchema>;

export interface OpenedMessage {
  readonly keyId: number;
  readonly sentAt: number;
  readonly content: MessageContent;
  /** What the reader's device sends if they report this message. */
  readonly report: ReportedMessage;
}

export interface OpenMessageInput extends MessageBinding {
  readonly record: Uint8Array;
  /** The key id the server lists for the message (must equal the record's). */
  readonly expectedKeyId?: number;
  readonly conversationKeys: (keyId: number) => Uint8Array | undefined;
  /** The sender's pinned Ed25519 identity key. */
  readonly senderEd25519PublicKey: Uint8Array;
}

/**
 * Opens one record. Checks, in order: header (`bad_format`, `unsupported_version`, `too_large`),
 * ids and the server's key id (`wrong_binding`), key known (`unknown_key`), the AEAD under the
 * conversation, message and sender ids (`decrypt_failed`), the inner layout (`bad_format`), the
 * sender's signature (`bad_signature`), then the content schema (`bad_format`).
 */
export function openMessage(input: OpenMessageInput): Result<OpenedMessage, MessageError> {
  const header = readMessageRecordHeader(input.record);
  if (!header.ok) return header;
  const { keyId } = header.value;
  if (!bindingIsValid(input)) return err('wrong_binding');
  if (input.expectedKeyId !== undefined && input.expectedKeyId !== keyId) {
    return err('wrong_binding');
  }
  const key = input.conversationKeys(keyId);
  if (key === undefined) return err('unknown_key');
  const inner = xchachaOpen(
    key,
    input.record.subarray(HEADER_LENGTH, CIPHERTEXT_OFFSET),
    messageRecordAd(input, keyId),
    input.record.subarray(CIPHERTEXT_OFFSET),
  );
  if (inner === undefined) return err('decrypt_failed');
  if (inner.length <= INNER_OVERHEAD) return err('bad_format');
  const signature = inner.subarray(0, SIGNATURE_LENGTH);
  const sentAt = readU64be(inner, SIGNATURE_LENGTH);
  if (sentAt === undefined) return err('bad_format');
  const contentBytes = inner.subarray(INNER_OVERHEAD);
  const report: ReportedMessage = {
    v: 1,
    conversationId: input.conversationId,
    messageId: input.messageId,
    senderId: input.senderId,
    sentAt,
    content: toBase64url(contentBytes),
    signature: toBase64url(signature),
  };
  const verified = verifyReportedMessage(report, input.senderEd25519PublicKey);
  if (!verified.ok) return verified;
  return ok({ keyId, sentAt, content: verified.value.content, report });
}

export interface ReportExpectation {
  /** The conversation the report is about, as the server records it. */
  readonly conversationId?: string;
  /** The participant the reporter says wrote it (the other participant). */
  readonly senderId?: string;
}

/**
 * Checks a reported message with the sender's published Ed25519 key: proves that the holder of
 * that key wrote this content as this message of this conversation (and claimed this time). It
 * does not prove the reporter showed every message, or the conversation's order.
 */
export function verifyReportedMessage(
  report: unknown,
  senderEd25519PublicKey: Uint8Array,
  expected: ReportExpectation = {},
): Result<
  { content: MessageContent; sentAt: number },
  'bad_format' | 'wrong_binding' | 'bad_signature'
> {
  const parsed = reportedMessageSchema.safeParse(report);
  if (!parsed.success) return err('bad_format');
  const r = parsed.data;
  if (
    (expected.conversationId !== undefined && expected.conversationId !== r.conversationId) ||
    (expected.senderId !== undefined && expected.senderId !== r.senderId)
  ) {
    return err('wrong_binding');
  }
  const content = fromBase64url(r.content);
  const signature = fromBase64url(r.signature);
  if (content === undefined || signature === undefined) return err('bad_format');
  if (senderEd25519PublicKey.length !== PUBLIC_KEY_LENGTH) return err('bad_signature');
  if (
    !ed25519Verify(senderEd25519PublicKey, messageSignedMessage(r, r.sentAt, content), signature)
  ) {
    return err('bad_signature');
  }
  const decoded = decodeContent(content);
  if (decoded === undefined) return err('bad_format');
  return ok({ content: decoded, sentAt: r.sentAt });
}
