import { expect } from 'vitest';
import { conversationSchema, type ConversationWire } from '../../core/src/conversations/api.js';
import type { MessageContent } from '../../core/src/conversations/content.js';
import {
  makeConversationKey,
  sealMessage,
  wrapConversationKey,
} from '../../core/src/conversations/message.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { toBase64url } from '../../core/src/encoding/base64url.js';
import type { TestApp } from '../test-support/app.js';
import type { Member } from '../circles/test-fixtures.js';

export { eventsOf, member, type Member } from '../circles/test-fixtures.js';

/** The body that starts a conversation, with a real key wrapped for both by `from`. */
export async function startBody(from: Member, to: Member, id = generateId()) {
  const key = makeConversationKey();
  const wrap = (recipient: Member) =>
    wrapConversationKey({
      conversationId: id,
      senderId: from.accountId,
      recipientId: recipient.accountId,
      keyId: 1,
      key,
      recipientX25519PublicKey: recipient.person.identity.x25519PublicKey,
      senderEd25519Seed: from.person.identity.ed25519Seed,
    });
  return {
    key,
    body: {
      id,
      with: to.accountId,
      keyId: 1 as const,
      myShareKey: await wrap(from),
      theirShareKey: await wrap(to),
    },
  };
}

/** `from` starts a conversation with `to` through the API; returns its id and key. */
export async function startConversation(from: Member, to: Member) {
  const { key, body } = await startBody(from, to);
  const res = await from.client.post('/api/v1/conversations', body);
  expect(res.statusCode, res.body).toBe(201);
  const conversation: ConversationWire = conversationSchema.parse(res.json());
  return { id: body.id, key, conversation };
}

/** A real sealed, signed message record and the body that posts it. */
export function messageBody(
  conversationId: string,
  from: Member,
  key: Uint8Array,
  text: string,
  opts: { keyId?: number; id?: string; content?: MessageContent } = {},
) {
  const id = opts.id ?? generateId();
  const keyId = opts.keyId ?? 1;
  const r = sealMessage({
    conversationId,
    messageId: id,
    senderId: from.accountId,
    keyId,
    conversationKey: key,
    content: opts.content ?? { v: 1, type: 'message', text },
    sentAt: Date.now(),
    senderEd25519Seed: from.person.identity.ed25519Seed,
  });
  if (!r.ok) throw new Error(r.error);
  return { id, keyId, record: toBase64url(r.value) };
}

/** Row counts of every table the conversation routes write: a refused request changes none. */
export async function footprint(t: TestApp) {
  const tables = [
    'conversations',
    'conversation_members',
    'conversation_keys',
    'conversation_messages',
    'events',
    'notify_outbox',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    out[table] = await t.handle.db.selectFrom(table).selectAll().execute();
  }
  return out;
}
