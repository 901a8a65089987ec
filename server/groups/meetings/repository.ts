import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../db/database.js';
import type {
  GroupCalendarFeedsTable,
  GroupMeetingChangesTable,
  GroupMeetingsTable,
  GroupRsvpsTable,
} from '../../db/schema.js';

/** The only code of group meetings that builds queries (docs/ARCHITECTURE.md). */
type Q = Db | Tx;

export type MeetingRow = Selectable<GroupMeetingsTable>;
export type ChangeRow = Selectable<GroupMeetingChangesTable>;
export type RsvpRow = Selectable<GroupRsvpsTable>;
export type FeedRow = Selectable<GroupCalendarFeedsTable>;

export interface GroupAccess {
  readonly id: string;
  readonly name: string;
  readonly visibility: 'public' | 'request' | 'invite';
  readonly agreementVersion: number;
  readonly archived: boolean;
  /** The viewer's membership, if any. */
  readonly role: 'member' | 'moderator' | 'facilitator' | null;
  readonly memberAgreementVersion: number | null;
}

/** A group and the viewer's membership in it; undefined for an unknown group. */
export async function groupAccess(
  q: Q,
  groupId: string,
  accountId: string,
): Promise<GroupAccess | undefined> {
  const row = await q
    .selectFrom('groups as g')
    .leftJoin('group_members as m', (j) =>
      j.onRef('m.group_id', '=', 'g.id').on('m.account_id', '=', accountId),
    )
    .select([
      'g.id',
      'g.name',
      'g.visibility',
      'g.agreement_version',
      'g.archived_at',
      'm.role',
      'm.agreement_version as member_agreement_version',
    ])
    .where('g.id', '=', groupId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    name: row.name,
    visibility: row.visibility,
    agreementVersion: row.agreement_version,
    archived: row.archived_at !== null,
    role: row.role ?? null,
    memberAgreementVersion: row.member_agreement_version ?? null,
  };
}

/** Takes the group's row lock (PostgreSQL; SQLite's write lock is already held). */
export async function lockGroupRow(trx: Tx, groupId: string): Promise<void> {
  await trx
    .updateTable('groups')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', groupId)
    .execute();
}

/** The groups `accountId` is a member of, with their names. */
export async function groupsOf(q: Q, accountId: string): Promise<{ id: string; name: string }[]> {
  return q
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['g.id', 'g.name'])
    .where('m.account_id', '=', accountId)
    .orderBy('g.id')
    .execute();
}

/**
 * Every member of the group, sorted by account id in code-unit order: events are appended (and
 * account rows locked) in this order, the order other capabilities lock accounts in, so
 * concurrent writers wait for each other instead of deadlocking on PostgreSQL.
 */
export async function memberIdsOf(q: Q, groupId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('group_members')
    .select('account_id')
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.account_id).sort();
}

export async function isMember(q: Q, groupId: string, accountId: string): Promise<boolean> {
  const row = await q
    .selectFrom('group_members')
    .select('account_id')
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

// ─── Series and changes ─────────────────────────────────────────────────────────────────────────

export async function meetingIdExists(q: Q, id: string): Promise<boolean> {
  const row = await q
    .selectFrom('group_meetings')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMeeting(trx: Tx, row: GroupMeetingsTable): Promise<void> {
  await trx.insertInto('group_meetings').values(row).execute();
}

export async function findMeeting(
  q: Q,
  groupId: string,
  meetingId: string,
): Promise<MeetingRow | undefined> {
  return q
    .selectFrom('group_meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .where('group_id', '=', groupId)
    .executeTakeFirst();
}

export async function updateMeeting(
  trx: Tx,
  id: string,
  set: Partial<Omit<GroupMeetingsTable, 'id' | 'group_id'>>,
): Promise<void> {
  await trx.updateTable('group_meetings').set(set).where('id', '=', id).execute();
}

export async function meetingsOfGroups(q: Q, groupIds: readonly string[]): Promise<MeetingRow[]> {
  if (groupIds.length === 0) return [];
  return q
    .selectFrom('group_meetings')
    .selectAll()
    .where('group_id', 'in', groupIds)
    .orderBy('id')
    .execute();
}

export async function changesOf(q: Q, meetingIds: readonly string[]): Promise<ChangeRow[]> {
  if (meetingIds.length === 0) return [];
  return q
    .selectFrom('group_meeting_changes')
    .selectAll()
    .where('meeting_id', 'in', meetingIds)
    .orderBy('meeting_id')
    .orderBy('original_local')
    .execute();
}

export async function replaceChanges(
  trx: Tx,
  meetingId: string,
  rows: readonly GroupMeetingChangesTable[],
): Promise<void> {
  await trx.deleteFrom('group_meeting_changes').where('meeting_id', '=', meetingId).execute();
  if (rows.length > 0)
    await trx
      .insertInto('group_meeting_changes')
      .values([...rows])
      .execute();
}

export async function upsertChange(trx: Tx, row: GroupMeetingChangesTable): Promise<void> {
  await trx
    .insertInto('group_meeting_changes')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['meeting_id', 'original_local']).doUpdateSet({
        cancelled: row.cancelled,
        start_local: row.start_local,
        duration_minutes: row.duration_minutes,
        place: row.place,
        note: row.note,
        revision: row.revision,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

// ─── RSVPs and reminders ────────────────────────────────────────────────────────────────────────

export async function rsvpsOf(
  q: Q,
  accountId: string,
  meetingIds: readonly string[],
): Promise<RsvpRow[]> {
  if (meetingIds.length === 0) return [];
  return q
    .selectFrom('group_rsvps')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('meeting_id', 'in', meetingIds)
    .execute();
}

export async function rsvpsOfMeeting(q: Q, meetingId: string): Promise<RsvpRow[]> {
  return q.selectFrom('group_rsvps').selectAll().where('meeting_id', '=', meetingId).execute();
}

export async function upsertRsvp(trx: Tx, row: GroupRsvpsTable): Promise<void> {
  await trx
    .insertInto('group_rsvps')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['meeting_id', 'occurrence_id', 'account_id']).doUpdateSet({
        answer: row.answer,
        reminder_minutes: row.reminder_minutes,
        updated_at: row.updated_at,
        remind_at: row.remind_at,
        remind_occurrence: row.remind_occurrence,
        remind_start: row.remind_start,
      }),
    )
    .execute();
}

export interface ReminderState {
  readonly remind_at: string | null;
  readonly remind_occurrence: string | null;
  readonly remind_start: string | null;
}

type RsvpKey = Pick<RsvpRow, 'meeting_id' | 'occurrence_id' | 'account_id'>;

export async function setReminder(
  trx: Tx,
  key: RsvpKey,
  state: ReminderState & { reminded_through?: string | null },
): Promise<void> {
  await trx
    .updateTable('group_rsvps')
    .set(state)
    .where('meeting_id', '=', key.meeting_id)
    .where('occurrence_id', '=', key.occurrence_id)
    .where('account_id', '=', key.account_id)
    .execute();
}

/** RSVPs whose reminder is due at `now`, oldest first. */
export async function dueReminders(q: Q, now: string, limit: number): Promise<RsvpRow[]> {
  return q
    .selectFrom('group_rsvps')
    .selectAll()
    .where('remind_at', 'is not', null)
    .where('remind_at', '<=', now)
    .orderBy('remind_at')
    .limit(limit)
    .execute();
}

/**
 * Claims a due reminder: of two runs (or instances) only one sees a row count of 1, so each
 * reminder is sent once. Marks it reminded through its occurrence's start.
 */
export async function claimReminder(trx: Tx, row: RsvpRow): Promise<boolean> {
  if (row.remind_at === null) return false;
  const r = await trx
    .updateTable('group_rsvps')
    .set({ remind_at: null, reminded_through: row.remind_start })
    .where('meeting_id', '=', row.meeting_id)
    .where('occurrence_id', '=', row.occurrence_id)
    .where('account_id', '=', row.account_id)
    .where('remind_at', '=', row.remind_at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ─── Calendar feeds ─────────────────────────────────────────────────────────────────────────────

export async function insertFeed(trx: Tx, row: GroupCalendarFeedsTable): Promise<void> {
  await trx.insertInto('group_calendar_feeds').values(row).execute();
}

export async function feedIdExists(q: Q, id: string): Promise<boolean> {
  const row = await q
    .selectFrom('group_calendar_feeds')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function feedsOf(q: Q, accountId: string): Promise<FeedRow[]> {
  return q
    .selectFrom('group_calendar_feeds')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countActiveFeeds(q: Q, accountId: string): Promise<number> {
  const row = await q
    .selectFrom('group_calendar_feeds')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function revokeFeed(
  trx: Tx,
  id: string,
  accountId: string,
  at: string,
): Promise<FeedRow | undefined> {
  await trx
    .updateTable('group_calendar_feeds')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute();
  return trx
    .selectFrom('group_calendar_feeds')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function findActiveFeed(q: Q, tokenHash: string): Promise<FeedRow | undefined> {
  return q
    .selectFrom('group_calendar_feeds')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function findMeetingById(q: Q, id: string): Promise<MeetingRow | undefined> {
  return q.selectFrom('group_meetings').selectAll().where('id', '=', id).executeTakeFirst();
}
