import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database, ReachoutRecipientsTable, ReachoutsTable } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export type ReachoutRow = ReachoutsTable & { owner_handle: string };
export type RecipientRow = ReachoutRecipientsTable & { handle: string };

/** The answers that count as "someone is there" for escalation (`cant` does not). */
export const ACKNOWLEDGING = ['seen', 'calling', 'on-my-way'] as const;

/**
 * Takes the owner's account row lock (PostgreSQL) before counting their recent reach-outs, so two
 * concurrent requests cannot both slip under the rate limit. SQLite transactions already begin
 * IMMEDIATE (one writer at a time). Returns false if the account is gone.
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
 * Rows of `circle_members` (aliased `cm`) that still stand: neither side has blocked the other.
 * Used wherever a member may be reached or may read: someone who left or blocked is nobody's
 * recipient any more.
 */
const unblocked = (eb: ExpressionBuilder<Database & { cm: Database['circle_members'] }, 'cm'>) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('circle_blocks')
        .select('blocker_id')
        .where((b) =>
          b.or([
            b.and([
              b('circle_blocks.blocker_id', '=', b.ref('cm.member_id')),
              b('circle_blocks.blocked_id', '=', b.ref('cm.owner_id')),
            ]),
            b.and([
              b('circle_blocks.blocker_id', '=', b.ref('cm.owner_id')),
              b('circle_blocks.blocked_id', '=', b.ref('cm.member_id')),
            ]),
          ]),
        ),
    ),
  );

/** Which of `ids` are current members of `ownerId`'s circle (neither side blocked the other). */
export async function membersAmong(
  q: Q,
  ownerId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await q
    .selectFrom('circle_members as cm')
    .select('cm.member_id')
    .where('cm.owner_id', '=', ownerId)
    .where('cm.member_id', 'in', ids)
    .where(unblocked)
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

/** When the owner made each reach-out of a rate-limited level since `since`, oldest first. */
export async function limitedSince(q: Q, ownerId: string, since: string): Promise<string[]> {
  const rows = await q
    .selectFrom('reachouts')
    .select('created_at')
    .where('owner_id', '=', ownerId)
    .where('level', 'in', ['check-in', 'struggling'])
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

export async function insertReachout(trx: Transaction<Database>, row: ReachoutsTable) {
  await trx.insertInto('reachouts').values(row).execute();
}

export async function insertRecipients(
  trx: Transaction<Database>,
  rows: readonly ReachoutRecipientsTable[],
) {
  if (rows.length === 0) return;
  await trx
    .insertInto('reachout_recipients')
    .values([...rows])
    .execute();
}

export async function setHeld(
  trx: Transaction<Database>,
  reachoutId: string,
  memberId: string,
  held: 'paused' | 'quiet-hours' | null,
) {
  await trx
    .updateTable('reachout_recipients')
    .set({ held })
    .where('reachout_id', '=', reachoutId)
    .where('member_id', '=', memberId)
    .execute();
}

const reachoutColumns = [
  'reachouts.id',
  'reachouts.owner_id',
  'reachouts.level',
  'reachouts.status',
  'reachouts.escalate_after_minutes',
  'reachouts.escalate_at',
  'reachouts.escalated_at',
  'reachouts.created_at',
  'reachouts.closed_at',
  'accounts.handle as owner_handle',
] as const;

export async function findReachout(q: Q, id: string): Promise<ReachoutRow | undefined> {
  return q
    .selectFrom('reachouts')
    .innerJoin('accounts', 'accounts.id', 'reachouts.owner_id')
    .select(reachoutColumns)
    .where('reachouts.id', '=', id)
    .executeTakeFirst();
}

/** The owner's reach-outs that are open or made since `since`, newest first. */
export async function listOwned(q: Q, ownerId: string, since: string): Promise<ReachoutRow[]> {
  return q
    .selectFrom('reachouts')
    .innerJoin('accounts', 'accounts.id', 'reachouts.owner_id')
    .select(reachoutColumns)
    .where('reachouts.owner_id', '=', ownerId)
    .where((eb) =>
      eb.or([eb('reachouts.status', '=', 'open'), eb('reachouts.created_at', '>=', since)]),
    )
    .orderBy('reachouts.created_at', 'desc')
    .orderBy('reachouts.id')
    .execute();
}

/**
 * Reach-outs that reached `memberId` (notified) while they are still in the owner's circle, open
 * or made since `since`, newest first.
 */
export async function listIncoming(q: Q, memberId: string, since: string): Promise<ReachoutRow[]> {
  return q
    .selectFrom('reachouts')
    .innerJoin('accounts', 'accounts.id', 'reachouts.owner_id')
    .innerJoin('reachout_recipients as me', 'me.reachout_id', 'reachouts.id')
    .innerJoin('circle_members as cm', (j) =>
      j.onRef('cm.owner_id', '=', 'reachouts.owner_id').onRef('cm.member_id', '=', 'me.member_id'),
    )
    .select(reachoutColumns)
    .where('me.member_id', '=', memberId)
    .where('me.notified_at', 'is not', null)
    .where(unblocked)
    .where((eb) =>
      eb.or([eb('reachouts.status', '=', 'open'), eb('reachouts.created_at', '>=', since)]),
    )
    .orderBy('reachouts.created_at', 'desc')
    .orderBy('reachouts.id')
    .execute();
}

export async function recipientsOf(q: Q, ids: readonly string[]): Promise<RecipientRow[]> {
  if (ids.length === 0) return [];
  return q
    .selectFrom('reachout_recipients as r')
    .innerJoin('accounts', 'accounts.id', 'r.member_id')
    .select([
      'r.reachout_id',
      'r.member_id',
      'r.wave',
      'r.notified_at',
      'r.held',
      'r.seen_at',
      'r.response',
      'r.eta_minutes',
      'r.responded_at',
      'accounts.handle',
    ])
    .where('r.reachout_id', 'in', ids)
    .orderBy('r.wave')
    .orderBy('accounts.handle')
    .execute();
}

export async function markSeen(
  trx: Transaction<Database>,
  reachoutId: string,
  memberId: string,
  at: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('reachout_recipients')
    .set({ seen_at: at })
    .where('reachout_id', '=', reachoutId)
    .where('member_id', '=', memberId)
    .where('seen_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function setResponse(
  trx: Transaction<Database>,
  reachoutId: string,
  memberId: string,
  response: NonNullable<ReachoutRecipientsTable['response']>,
  etaMinutes: number | null,
  at: string,
) {
  await trx
    .updateTable('reachout_recipients')
    .set((eb) => ({
      response,
      eta_minutes: etaMinutes,
      responded_at: at,
      seen_at: eb.fn.coalesce('seen_at', eb.val(at)),
    }))
    .where('reachout_id', '=', reachoutId)
    .where('member_id', '=', memberId)
    .execute();
}

/** Closes an open reach-out (and with it any escalation still to come); false if not open. */
export async function closeOpen(
  trx: Transaction<Database>,
  id: string,
  status: 'cancelled' | 'resolved',
  at: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('reachouts')
    .set({ status, closed_at: at, escalate_at: null })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Ids of open reach-outs whose escalation time has come and that have not escalated. */
export async function dueEscalations(q: Q, now: string, limit: number): Promise<string[]> {
  const rows = await q
    .selectFrom('reachouts')
    .select('id')
    .where('status', '=', 'open')
    .where('escalate_at', 'is not', null)
    .where('escalate_at', '<=', now)
    .where('escalated_at', 'is', null)
    .orderBy('escalate_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function someoneAcknowledged(q: Q, reachoutId: string): Promise<boolean> {
  const row = await q
    .selectFrom('reachout_recipients')
    .select('member_id')
    .where('reachout_id', '=', reachoutId)
    .where('response', 'in', [...ACKNOWLEDGING])
    .executeTakeFirst();
  return row !== undefined;
}

/** Someone answered in time: the escalation will never come. */
export async function cancelEscalation(trx: Transaction<Database>, id: string) {
  await trx
    .updateTable('reachouts')
    .set({ escalate_at: null })
    .where('id', '=', id)
    .where('escalated_at', 'is', null)
    .execute();
}

/**
 * Marks the reach-out escalated, guarded so that of two instances (or two runs) only one wins:
 * the UPDATE matches only while `escalated_at` is null and the reach-out is open.
 */
export async function claimEscalation(
  trx: Transaction<Database>,
  id: string,
  at: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('reachouts')
    .set({ escalated_at: at, escalate_at: null })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function notifyMembers(
  trx: Transaction<Database>,
  reachoutId: string,
  memberIds: readonly string[],
  at: string,
) {
  if (memberIds.length === 0) return;
  await trx
    .updateTable('reachout_recipients')
    .set({ notified_at: at })
    .where('reachout_id', '=', reachoutId)
    .where('member_id', 'in', memberIds)
    .where('notified_at', 'is', null)
    .execute();
}
