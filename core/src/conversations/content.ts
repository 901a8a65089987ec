/**
 * What a direct-conversation message says (docs/PROTOCOL.md §13.3): a small, versioned,
 * size-limited JSON document. It exists only inside the sealed record and, when someone reports a
 * message, in the report their device sends.
 */
import { z } from 'zod';
import { ID_PATTERN } from '../crypto/ids.js';

/** Longest message text, in UTF-16 code units (what a text field counts). */
export const MAX_TEXT_LENGTH = 4000;
/** Longest content warning. */
export const MAX_CONTENT_WARNING_LENGTH = 200;
/** Largest encoded content (UTF-8 JSON): any valid content fits, escapes included. */
export const MAX_CONTENT_BYTES = 28_672;

const messageId = z.string().regex(ID_PATTERN);
const text = z.string().min(1).max(MAX_TEXT_LENGTH);
const contentWarning = z.string().min(1).max(MAX_CONTENT_WARNING_LENGTH).optional();

/**
 * v1 content. `message`: a new message. `edit`: replaces the text (and warning) of an earlier
 * message of the same sender. `delete`: tombstones an earlier message of the same sender. Readers
 * honour an edit or delete only when its sender is the sender of the message it replaces.
 */
export const messageContentSchema = z.discriminatedUnion('type', [
  z.strictObject({ v: z.literal(1), type: z.literal('message'), text, contentWarning }),
  z.strictObject({
    v: z.literal(1),
    type: z.literal('edit'),
    replaces: messageId,
    text,
    contentWarning,
  }),
  z.strictObject({ v: z.literal(1), type: z.literal('delete'), replaces: messageId }),
]);
export type MessageContent = z.infer<typeof messageContentSchema>;

/** UTF-8 JSON of valid content. Throws for content that does not match the schema. */
export function encodeContent(content: MessageContent): Uint8Array {
  const checked = messageContentSchema.parse(content);
  return new TextEncoder().encode(JSON.stringify(checked));
}

/** Parses content bytes strictly (UTF-8, JSON, schema, size); `undefined` if anything is off. */
export function decodeContent(bytes: Uint8Array): MessageContent | undefined {
  if (bytes.length > MAX_CONTENT_BYTES) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  const parsed = messageContentSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
