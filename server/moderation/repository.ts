import type { Kysely, Transaction } from 'kysely';
import type {
  Database,
  ModerationAuditTable,
  ModerationNotesTable,
  ModerationReportsTable,
} from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

export type ReportRow = ModerationReportsTable;
export type AuditRow = ModerationAuditTable & {
  readonly actor_handle: string | null;
  readonly target_handle: string | null;
};
type Position = { readonly at: string; readonly id: string };

// ─── Reports ────────────────────────────────────────────────────────────────────────────────────

export async function insertReport(trx: Trx, row: ReportRow): Promise<void> {
  await trx.insertInto('moderation_reports').values(row).execute();
}

export async function findReport(q: Q, id: string): Promise<ReportRow | undefined> {
  return q.selectFrom('moderation_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function reportIdExists(q: Q, id: string): Promise<boolean> {
  return (await findReport(q, id)) !== undefined;
}

/** How many reports the account made since `since` (the reporting limit). */
export async function countReportsSince(q: Q, reporterId: string, since: string): Promise<number> {
  const row = await q
    .selectFrom('moderation_reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reporter_id', '=', reporterId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An open report by this reporter of the same thing, if any. */
export async function openReportOf(
  q: Q,
  reporterId: string,
  target: { kind: ReportRow['kind']; id: string },
): Promise<ReportRow | undefined> {
  const column =
    target.kind === 'post' || target.kind === 'aid-post'
      ? 'post_id'
      : target.kind === 'thread'
        ? 'thread_id'
        : 'conversation_id';
  return q
    .selectFrom('moderation_reports')
    .selectAll()
    .where('reporter_id', '=', reporterId)
    .where('kind', '=', target.kind)
    .where(column, '=', target.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

export async function reportsBy(q: Q, reporterId: string): Promise<ReportRow[]> {
  return q
    .selectFrom('moderation_reports')
    .selectAll()
    .where('reporter_id', '=', reporterId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}

export async function closeReport(
  trx: Trx,
  id: string,
  set: Pick<ReportRow, 'status' | 'closed_at' | 'closed_by'> & { messages?: string | null },
): Promise<void> {
  await trx.updateTable('moderation_reports').set(set).where('id', '=', id).execute();
}

/**
 * Open reports, oldest first: of the given groups, plus conversation reports when
 * `withConversations` (instance admins), never those about `exceptReported` (a moderator does not
 * see reports about themself). `groupIds: 'all'` for instance admins.
 */
export async function openReports(
  q: Q,
  opts: {
    groupIds: readonly string[] | 'all';
    withConversations: boolean;
    exceptReported: string;
    after: Position | undefined;
    limit: number;
  },
): Promise<ReportRow[]> {
  let query = q
    .selectFrom('moderation_reports')
    .selectAll()
    .where('status', '=', 'open')
    .where((eb) =>
      eb.or([eb('reported_id', 'is', null), eb('reported_id', '!=', opts.exceptReported)]),
    );
  const groupIds = opts.groupIds;
  if (groupIds !== 'all' && groupIds.length === 0 && !opts.withConversations) return [];
  query = query.where((eb) => {
    const parts = [];
    if (groupIds === 'all') parts.push(eb('group_id', 'is not', null));
    else if (groupIds.length > 0) parts.push(eb('group_id', 'in', groupIds));
    // Instance admins also keep the instance's aid board (aid-post reports with no group).
    if (opts.withConversations) parts.push(eb('kind', 'in', ['conversation', 'aid-post']));
    return eb.or(parts);
  });
  const after = opts.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.at),
        eb.and([eb('created_at', '=', after.at), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('created_at').orderBy('id').limit(opts.limit).execute();
}

/** The groups where the account is a facilitator or moderator. */
export async function groupsModeratedBy(q: Q, accountId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('group_members')
    .select('group_id')
    .where('account_id', '=', accountId)
    .where('role', 'in', ['facilitator', 'moderator'])
    .execute();
  return rows.map((r) => r.group_id);
}

/** Facilitators and moderators of a group (who see its queue). */
export async function keepersOf(q: Q, groupId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('group_members')
    .select('account_id')
    .where('group_id', '=', groupId)
    .where('role', 'in', ['facilitator', 'moderator'])
    .execute();
  return rows.map((r) => r.account_id).sort();
}

export async function adminIds(q: Q): Promise<string[]> {
  const rows = await q.selectFrom('accounts').select('id').where('role', '=', 'admin').execute();
  return rows.map((r) => r.id).sort();
}

export async function handleOf(q: Q, accountId: string): Promise<string | undefined> {
  const row = await q
    .selectFrom('accounts')
    .select('handle')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.handle;
}

// ─── Mutes ──────────────────────────────────────────────────────────────────────────────────────

export async function mutesOf(q: Q, muterId: string) {
  return q
    .selectFrom('moderation_mutes')
    .select(['muted_id', 'created_at'])
    .where('muter_id', '=', muterId)
    .orderBy('created_at')
    .orderBy('muted_id')
    .execute();
}

/** Adds a mute; false when it was already there. */
export async function insertMute(trx: Trx, muterId: string, mutedId: string, at: string) {
  const r = await trx
    .insertInto('moderation_mutes')
    .values({ muter_id: muterId, muted_id: mutedId, created_at: at })
    .onConflict((oc) => oc.columns(['muter_id', 'muted_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function deleteMute(trx: Trx, muterId: string, mutedId: string): Promise<boolean> {
  const r = await trx
    .deleteFrom('moderation_mutes')
    .where('muter_id', '=', muterId)
    .where('muted_id', '=', mutedId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function accountExists(q: Q, id: string): Promise<boolean> {
  const row = await q.selectFrom('accounts').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

// ─── Bans ───────────────────────────────────────────────────────────────────────────────────────

/** Whether the account is banned from the group (checked by every way into a group). */
export async function isBanned(q: Q, groupId: string, accountId: string): Promise<boolean> {
  const row = await q
    .selectFrom('group_bans')
    .select('account_id')
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertBan(
  trx: Trx,
  row: { group_id: string; account_id: string; banned_by: string; created_at: string },
): Promise<void> {
  await trx.insertInto('group_bans').values(row).execute();
}

export async function deleteBan(trx: Trx, groupId: string, accountId: string): Promise<boolean> {
  const r = await trx
    .deleteFrom('group_bans')
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Pending invitations by handle to the account for the group are cancelled by a ban. */
export async function cancelInvitationsFor(
  trx: Trx,
  groupId: string,
  accountId: string,
  at: string,
) {
  await trx
    .updateTable('group_invitations')
    .set({ status: 'cancelled', answered_at: at })
    .where('group_id', '=', groupId)
    .where('invitee_id', '=', accountId)
    .where('status', '=', 'pending')
    .execute();
}

// ─── Thread and post flags (columns of server/groups/threads) ───────────────────────────────────

export async function setPostHidden(
  trx: Trx,
  postId: string,
  by: string | null,
  at: string | null,
) {
  await trx
    .updateTable('group_posts')
    .set({ hidden_at: at, hidden_by: by })
    .where('id', '=', postId)
    .execute();
}

export async function setThreadFlag(
  trx: Trx,
  threadId: string,
  flag: 'hidden' | 'locked',
  by: string | null,
  at: string | null,
) {
  const set =
    flag === 'hidden' ? { hidden_at: at, hidden_by: by } : { locked_at: at, locked_by: by };
  await trx.updateTable('group_threads').set(set).where('id', '=', threadId).execute();
}

// ─── Notes ──────────────────────────────────────────────────────────────────────────────────────

export async function insertNote(trx: Trx, row: ModerationNotesTable): Promise<void> {
  await trx.insertInto('moderation_notes').values(row).execute();
}

export async function notesOf(q: Q, accountId: string) {
  return q
    .selectFrom('moderation_notes')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}

// ─── Audit log (append only: no update or delete here, on purpose) ──────────────────────────────

export async function appendAudit(trx: Trx, row: ModerationAuditTable): Promise<void> {
  await trx.insertInto('moderation_audit').values(row).execute();
}

/** Newest first; of one group, or of everything (`groupId: null`, instance admins). */
export async function readAudit(
  q: Q,
  opts: { groupId: string | null; after: Position | undefined; limit: number },
): Promise<AuditRow[]> {
  let query = q
    .selectFrom('moderation_audit as l')
    .leftJoin('accounts as actor', 'actor.id', 'l.actor_id')
    .leftJoin('accounts as target', 'target.id', 'l.target_id')
    .selectAll('l')
    .select(['actor.handle as actor_handle', 'target.handle as target_handle']);
  if (opts.groupId !== null) query = query.where('l.group_id', '=', opts.groupId);
  const after = opts.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('l.at', '<', after.at),
        eb.and([eb('l.at', '=', after.at), eb('l.id', '<', after.id)]),
      ]),
    );
  }
  return query.orderBy('l.at', 'desc').orderBy('l.id', 'desc').limit(opts.limit).execute();
}
