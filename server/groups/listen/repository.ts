import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import { noBlockBetween } from '../../circles/repository.js';
import type {
  Database,
  ListenAsksTable,
  ListenFeedbackTable,
  ListenWindowsTable,
} from '../../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export type WindowRow = Selectable<ListenWindowsTable>;
export type AskRow = Selectable<ListenAsksTable>;
export type FeedbackRow = Selectable<ListenFeedbackTable>;

/** Takes the account's row lock (PostgreSQL; SQLite transactions are IMMEDIATE already). */
export async function lockAccount(trx: Transaction<Database>, accountId: string): Promise<boolean> {
  const r = await trx
    .updateTable('accounts')
    .set({ event_seq: sql`event_seq` })
    .where('id', '=', accountId)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** A member (any role) of at least one group that is not archived. */
export async function inAnyGroup(q: Q, accountId: string): Promise<boolean> {
  const row = await q
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select('group_members.group_id')
    .where('group_members.account_id', '=', accountId)
    .where('groups.archived_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

// An account's handle and keys, and blocks, as the circle keeps them (circle_blocks).
export { blockedEitherWay, findAccount } from '../../circles/repository.js';

// ─── Windows ────────────────────────────────────────────────────────────────────────────────────

export async function findWindow(q: Q, accountId: string): Promise<WindowRow | undefined> {
  return q
    .selectFrom('listen_windows')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function saveWindow(q: Q, row: Insertable<ListenWindowsTable>): Promise<void> {
  await q
    .insertInto('listen_windows')
    .values(row)
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        topics: row.topics,
        languages: row.languages,
        words: row.words,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function deleteWindow(q: Q, accountId: string): Promise<boolean> {
  const r = await q
    .deleteFrom('listen_windows')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/**
 * Windows open at `at`, of people other than `askerId` who have not blocked the asker and whom
 * the asker has not blocked.
 */
export async function openWindowsFor(q: Q, askerId: string, at: string): Promise<WindowRow[]> {
  return q
    .selectFrom('listen_windows as w')
    .selectAll('w')
    .where('w.starts_at', '<=', at)
    .where('w.ends_at', '>', at)
    .where('w.account_id', '!=', askerId)
    .where(noBlockBetween(askerId, 'w.account_id'))
    .orderBy('w.account_id')
    .execute();
}

// ─── Asks ───────────────────────────────────────────────────────────────────────────────────────

/** Open asks past their time become `expired` (a calm end: nobody was free). */
export async function expireAsks(q: Q, at: string): Promise<void> {
  await q
    .updateTable('listen_asks')
    .set({ status: 'expired', closed_at: sql<string>`expires_at` })
    .where('status', '=', 'open')
    .where('expires_at', '<=', at)
    .execute();
}

export async function insertAsk(q: Q, row: Insertable<ListenAsksTable>): Promise<void> {
  await q.insertInto('listen_asks').values(row).execute();
}

export async function findAsk(q: Q, id: string): Promise<AskRow | undefined> {
  return q.selectFrom('listen_asks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** When the person made their asks since `since` (for the rate limit), oldest first. */
export async function askedSince(q: Q, askerId: string, since: string): Promise<string[]> {
  const rows = await q
    .selectFrom('listen_asks')
    .select('created_at')
    .where('asker_id', '=', askerId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

/** The person's ask still waiting or under way, if any. */
export async function liveAskOf(q: Q, askerId: string): Promise<AskRow | undefined> {
  return q
    .selectFrom('listen_asks')
    .selectAll()
    .where('asker_id', '=', askerId)
    .where('status', 'in', ['open', 'accepted', 'talking'])
    .executeTakeFirst();
}

/**
 * The one race-safe step: an open, unexpired ask becomes this listener's. A single conditional
 * update, so of two listeners accepting at once exactly one changes the row.
 */
export async function claimAsk(q: Q, id: string, listenerId: string, at: string): Promise<boolean> {
  const r = await q
    .updateTable('listen_asks')
    .set({ status: 'accepted', listener_id: listenerId, accepted_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Moves an ask from one of `from` to `to`; false when it was no longer in one of them. */
export async function moveAsk(
  q: Q,
  id: string,
  from: readonly AskRow['status'][],
  set: Partial<Pick<AskRow, 'status' | 'conversation_id' | 'closed_at'>>,
): Promise<boolean> {
  const r = await q
    .updateTable('listen_asks')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Asks I made, took, or was offered, made since `since`, newest first. */
export async function asksOf(q: Q, accountId: string, since: string): Promise<AskRow[]> {
  return q
    .selectFrom('listen_asks as a')
    .selectAll('a')
    .where('a.created_at', '>', since)
    .where((eb) =>
      eb.or([
        eb('a.asker_id', '=', accountId),
        eb('a.listener_id', '=', accountId),
        eb.exists(
          eb
            .selectFrom('listen_ask_candidates as c')
            .select('c.ask_id')
            .whereRef('c.ask_id', '=', 'a.id')
            .where('c.account_id', '=', accountId),
        ),
      ]),
    )
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .limit(50)
    .execute();
}

export async function addCandidates(q: Q, askId: string, accountIds: readonly string[]) {
  if (accountIds.length === 0) return;
  await q
    .insertInto('listen_ask_candidates')
    .values(accountIds.map((account_id) => ({ ask_id: askId, account_id })))
    .onConflict((oc) => oc.columns(['ask_id', 'account_id']).doNothing())
    .execute();
}

export async function candidatesOf(q: Q, askId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('listen_ask_candidates')
    .select('account_id')
    .where('ask_id', '=', askId)
    .execute();
  return rows.map((r) => r.account_id);
}

export async function isCandidate(q: Q, askId: string, accountId: string): Promise<boolean> {
  const row = await q
    .selectFrom('listen_ask_candidates')
    .select('ask_id')
    .where('ask_id', '=', askId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Open, unexpired asks of others (for a listener whose window just opened). */
export async function openAsks(q: Q, at: string, exceptAskerId: string): Promise<AskRow[]> {
  return q
    .selectFrom('listen_asks')
    .selectAll()
    .where('status', '=', 'open')
    .where('expires_at', '>', at)
    .where('asker_id', '!=', exceptAskerId)
    .orderBy('created_at')
    .limit(100)
    .execute();
}

// ─── Feedback ───────────────────────────────────────────────────────────────────────────────────

/** Stores kind words once per person per talk; false when they already left some. */
export async function insertFeedback(q: Q, row: Insertable<ListenFeedbackTable>): Promise<boolean> {
  const r = await q
    .insertInto('listen_feedback')
    .values(row)
    .onConflict((oc) => oc.columns(['ask_id', 'from_id']).doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function feedbackTo(q: Q, accountId: string): Promise<FeedbackRow[]> {
  return q
    .selectFrom('listen_feedback')
    .selectAll()
    .where('to_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}
