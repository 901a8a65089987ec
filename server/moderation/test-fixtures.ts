import { expect } from 'vitest';
import { openMessage, type ReportedMessage } from '../../core/src/conversations/message.js';
import { fromBase64url } from '../../core/src/encoding/base64url.js';
import { member, type Member } from '../circles/test-fixtures.js';
import { messageBody, startConversation } from '../conversations/test-fixtures.js';
import type { TestApp } from '../test-support/app.js';

export { seedGroup, seedThread } from '../groups/threads/test-fixtures.js';
export { member, type Member };

/** Someone signed in with real keys; `admin` makes them an instance admin. */
export async function person(t: TestApp, handle: string, opts: { admin?: boolean } = {}) {
  const m = await member(t, handle);
  if (opts.admin === true) {
    await t.handle.db
      .updateTable('accounts')
      .set({ role: 'admin' })
      .where('id', '=', m.accountId)
      .execute();
  }
  return m;
}

/**
 * `sender` starts a conversation with `reporter` and sends `texts`; returns the conversation id
 * and, for each message, what the reporter's device would reveal (`openMessage(...).report`).
 */
export async function conversationWithMessages(
  sender: Member,
  reporter: Member,
  texts: readonly string[],
): Promise<{ conversationId: string; reports: ReportedMessage[] }> {
  const { id, key } = await startConversation(sender, reporter);
  const reports: ReportedMessage[] = [];
  for (const text of texts) {
    const body = messageBody(id, sender, key, text);
    const res = await sender.client.post(`/api/v1/conversations/${id}/messages`, body);
    expect(res.statusCode, res.body).toBe(201);
    const opened = openMessage({
      record: fromBase64url(body.record)!,
      conversationId: id,
      messageId: body.id,
      senderId: sender.accountId,
      conversationKeys: () => key,
      senderEd25519PublicKey: sender.person.identity.ed25519PublicKey,
    });
    if (!opened.ok) throw new Error(opened.error);
    reports.push(opened.value.report);
  }
  return { conversationId: id, reports };
}

/** Every row of the tables moderation writes: a refused request changes none. */
export async function footprint(t: TestApp) {
  const tables = [
    'moderation_reports',
    'moderation_mutes',
    'group_bans',
    'moderation_notes',
    'moderation_audit',
    'group_members',
    'group_posts',
    'group_threads',
    'events',
    'notify_outbox',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    out[table] = await t.handle.db.selectFrom(table).selectAll().execute();
  }
  return out;
}

export async function auditRows(t: TestApp) {
  return t.handle.db
    .selectFrom('moderation_audit')
    .selectAll()
    .orderBy('at')
    .orderBy('id')
    .execute();
}
