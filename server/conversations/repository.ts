import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  ConversationMembersTable,
  ConversationMessagesTable,
  ConversationsTable,
  Database,
} from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export type ConversationRow = Selectable<ConversationsTable>;
export type MemberRow = Selectable<ConversationMembersTable> & { handle: string };
export type MessageRow = Selectable<ConversationMessagesTable>;

/**
 * Takes the account's row lock (PostgreSQL) before counting its recent messages, so two
 * concurrent posts cannot both slip under the rate limit (SQLite transactions already begin
 * IMMEDIATE). Returns false if the account is gone.
 */
export async function lockAccount(trx: Transaction<Database>, accountId: string): Promise<boolean> {
  const r = await trx
    .updateTable('accounts')
    .set((eb) => ({ event_seq: eb.ref('event_seq') }))
    .where('id', '=', accountId)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Locks several accounts' rows in one fixed order (sorted ids). Every conversation transaction
 * locks both participants this way before anything else, so two of them touching the same people
 * (posting at the same moment, in one conversation or two) wait for each other instead of
 * deadlocking when their events are appended. Returns the ids that exist.
 */
export async function lockAccounts(
  trx: Transaction<Database>,
  accountIds: readonly string[],
): Promise<Set<string>> {
  const locked = new Set<string>();
  for (const id of [...new Set(accountIds)].sort()) {
    if (await lockAccount(trx, id)) locked.add(id);
  }
  return locked;
}

/** The accounts that are (or were) in a conversation. */
export async function memberIds(q: Q, conversationId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('conversation_members')
    .select('account_id')
    .where('conversation_id', '=', conversationId)
    .execute();
  return rows.map((r) => r.account_id);
}

// An account's handle and keys, and blocks, as the circle keeps them (circle_blocks).
export { blockedEitherWay, findAccount } from '../circles/repository.js';

export async function findConversation(q: Q, id: string): Promise<ConversationRow | undefined> {
  return q.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Conversations the account started since `since` (for the start limit), oldest first. */
export async function startedSince(q: Q, accountId: string, since: string): Promise<string[]> {
  const rows = await q
    .selectFrom('conversations')
    .select('created_at')
    .where('created_by', '=', accountId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

export async function insertConversation(
  trx: Transaction<Database>,
  row: Insertable<ConversationsTable>,
  members: readonly Insertable<ConversationMembersTable>[],
) {
  await trx.insertInto('conversations').values(row).execute();
  await trx
    .insertInto('conversation_members')
    .values([...members])
    .execute();
  await trx
    .insertInto('conversation_keys')
    .values(
      members.map((m) => ({
        conversation_id: row.id,
        account_id: m.account_id,
        key_id: m.key_id,
        key_by: row.key_by,
        share_key: m.share_key,
      })),
    )
    .execute();
}

/** Every key the member was given in this conversation (key id, maker, share key), oldest first. */
export async function keysOf(
  q: Q,
  conversationId: string,
  accountId: string,
): Promise<{ key_id: number; key_by: string; share_key: string }[]> {
  return q
    .selectFrom('conversation_keys')
    .select(['key_id', 'key_by', 'share_key'])
    .where('conversation_id', '=', conversationId)
    .where('account_id', '=', accountId)
    .orderBy('key_id')
    .execute();
}

export async function membersOf(q: Q, conversationIds: readonly string[]): Promise<MemberRow[]> {
  if (conversationIds.length === 0) return [];
  return q
    .selectFrom('conversation_members as m')
    .innerJoin('accounts', 'accounts.id', 'm.account_id')
    .select([
      'm.conversation_id',
      'm.account_id',
      'm.share_key',
      'm.key_id',
      'm.joined_at',
      'm.left_at',
      'm.last_read_seq',
      'accounts.handle',
    ])
    .where('m.conversation_id', 'in', conversationIds)
    .orderBy('m.joined_at')
    .orderBy('m.account_id')
    .execute();
}

/** The conversations the account is in and has not left, most recently active first. */
export async function conversationsOf(q: Q, accountId: string): Promise<ConversationRow[]> {
  return q
    .selectFrom('conversations as c')
    .innerJoin('conversation_members as me', 'me.conversation_id', 'c.id')
    .selectAll('c')
    .where('me.account_id', '=', accountId)
    .where('me.left_at', 'is', null)
    .orderBy((eb) => eb.fn.coalesce('c.last_message_at', 'c.created_at'), 'desc')
    .orderBy('c.id')
    .execute();
}

/** Per conversation: messages from others after the account's read position. */
export async function unreadCounts(
  q: Q,
  accountId: string,
  conversationIds: readonly string[],
): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('conversation_messages as msg')
    .innerJoin('conversation_members as me', (j) =>
      j.onRef('me.conversation_id', '=', 'msg.conversation_id').on('me.account_id', '=', accountId),
    )
    .select(['msg.conversation_id', (eb) => eb.fn.countAll<number | string>().as('unread')])
    .where('msg.conversation_id', 'in', conversationIds)
    .where('msg.sender_id', '!=', accountId)
    .whereRef('msg.seq', '>', 'me.last_read_seq')
    .groupBy('msg.conversation_id')
    .execute();
  return new Map(rows.map((r) => [r.conversation_id, Number(r.unread)]));
}

/** Hands out the conversation's next message sequence number (under its row lock). */
export async function nextSeq(
  trx: Transaction<Database>,
  conversationId: string,
  at: string,
): Promise<number> {
  const row = await trx
    .updateTable('conversations')
    .set({ last_seq: sql`last_seq + 1`, last_message_at: at })
    .where('id', '=', conversationId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export async function insertMessage(trx: Transaction<Database>, row: MessageRow) {
  await trx.insertInto('conversation_messages').values(row).execute();
}

export async function findMessage(
  q: Q,
  conversationId: string,
  id: string,
): Promise<MessageRow | undefined> {
  return q
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** When the sender posted each message since `since`, oldest first (for the rate limit). */
export async function sentSince(q: Q, senderId: string, since: string): Promise<string[]> {
  const rows = await q
    .selectFrom('conversation_messages')
    .select('created_at')
    .where('sender_id', '=', senderId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

/** Up to `limit` messages with seq > `after`, oldest first. */
export async function messagesAfter(
  q: Q,
  conversationId: string,
  after: number,
  limit: number,
): Promise<MessageRow[]> {
  // Nothing comes after a sequence number beyond the integer column's range.
  if (after > 2_147_483_647) return [];
  return q
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Up to `limit` of the latest messages (with seq < `before`, if given), newest first. */
export async function messagesBefore(
  q: Q,
  conversationId: string,
  before: number | undefined,
  limit: number,
): Promise<MessageRow[]> {
  let query = q
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_id', '=', conversationId);
  // Sequence numbers beyond the integer column's range are simply "after everything".
  if (before !== undefined && before <= 2_147_483_647) query = query.where('seq', '<', before);
  return query.orderBy('seq', 'desc').limit(limit).execute();
}

/** Moves the read position forward only; returns whether it moved. */
export async function setReadSeq(
  trx: Transaction<Database>,
  conversationId: string,
  accountId: string,
  seq: number,
): Promise<boolean> {
  const r = await trx
    .updateTable('conversation_members')
    .set({ last_read_seq: seq })
    .where('conversation_id', '=', conversationId)
    .where('account_id', '=', accountId)
    .where('last_read_seq', '<', seq)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The member leaves and the conversation closes (if it was open). */
export async function leave(
  trx: Transaction<Database>,
  conversationId: string,
  accountId: string,
  at: string,
) {
  await trx
    .updateTable('conversation_members')
    .set({ left_at: at })
    .where('conversation_id', '=', conversationId)
    .where('account_id', '=', accountId)
    .where('left_at', 'is', null)
    .execute();
  await trx
    .updateTable('conversations')
    .set({ closed_at: at })
    .where('id', '=', conversationId)
    .where('closed_at', 'is', null)
    .execute();
}

/** Closes a conversation for new messages (nobody leaves it: both can still read it). */
export async function close(trx: Transaction<Database>, conversationId: string, at: string) {
  await trx
    .updateTable('conversations')
    .set({ closed_at: at })
    .where('id', '=', conversationId)
    .where('closed_at', 'is', null)
    .execute();
}

/**
 * A new conversation key: its id, who made it, and each member's share key for it (the current
 * one in conversation_members; every one, older ones kept, in conversation_keys).
 */
export async function setKey(
  trx: Transaction<Database>,
  conversationId: string,
  keyId: number,
  keyBy: string,
  shareKeys: ReadonlyMap<string, string>,
): Promise<boolean> {
  const r = await trx
    .updateTable('conversations')
    .set({ key_id: keyId, key_by: keyBy })
    .where('id', '=', conversationId)
    .where('key_id', '<', keyId)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) return false;
  for (const [accountId, shareKey] of shareKeys) {
    await trx
      .updateTable('conversation_members')
      .set({ share_key: shareKey, key_id: keyId })
      .where('conversation_id', '=', conversationId)
      .where('account_id', '=', accountId)
      .execute();
    await trx
      .insertInto('conversation_keys')
      .values({
        conversation_id: conversationId,
        account_id: accountId,
        key_id: keyId,
        key_by: keyBy,
        share_key: shareKey,
      })
      .execute();
  }
  return true;
}
