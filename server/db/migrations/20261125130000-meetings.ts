import type { Kysely } from 'kysely';

// Group meetings (docs/GROUPS.md, "Meetings"): a series (one meeting or a recurring one, as
// core/src/groups/recurrence.ts reads it), changes to single occurrences, RSVPs with an optional
// reminder (the reminder worker's state lives on the RSVP row, so a restart loses nothing), and
// private calendar feeds (only the SHA-256 of each feed's token is kept).
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';

  await db.schema
    .createTable('group_meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    // In person: where (the facilitators' words). Online: the link, shown only to yes RSVPs.
    .addColumn('place', 'text')
    .addColumn('online_link', 'text')
    // Local start `YYYY-MM-DDTHH:MM` in `time_zone` (IANA); RRULE value or null for one meeting.
    .addColumn('start_local', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('rrule', 'text')
    .addColumn('created_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema
    .createIndex('group_meetings_group')
    .on('group_meetings')
    .columns(['group_id', 'created_at'])
    .execute();

  // One occurrence changed: cancelled, or moved (start, length, place), with a note.
  await db.schema
    .createTable('group_meeting_changes')
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('group_meetings.id').onDelete('cascade'),
    )
    // The occurrence: its original local start in the series' zone (and its stable id).
    .addColumn('original_local', 'text', (c) => c.notNull())
    .addColumn('occurrence_id', 'text', (c) => c.notNull())
    .addColumn('cancelled', 'integer', (c) => c.notNull())
    .addColumn('start_local', 'text')
    .addColumn('duration_minutes', 'integer')
    .addColumn('place', 'text')
    .addColumn('note', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_meeting_changes_pk', ['meeting_id', 'original_local'])
    .execute();

  await db.schema
    .createTable('group_rsvps')
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('group_meetings.id').onDelete('cascade'),
    )
    // An occurrence id, or '*' for the whole series.
    .addColumn('occurrence_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('reminder_minutes', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // The reminder worker's state: when the next reminder is due (null: none), for which
    // occurrence and its start, and the start of the last occurrence already reminded.
    .addColumn('remind_at', 'text')
    .addColumn('remind_occurrence', 'text')
    .addColumn('remind_start', 'text')
    .addColumn('reminded_through', 'text')
    .addPrimaryKeyConstraint('group_rsvps_pk', ['meeting_id', 'occurrence_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('group_rsvps_account')
    .on('group_rsvps')
    .columns(['account_id', 'meeting_id'])
    .execute();
  await db.schema.createIndex('group_rsvps_remind').on('group_rsvps').column('remind_at').execute();

  await db.schema
    .createTable('group_calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    // One group, or null for all my groups.
    .addColumn('group_id', 'text', (c) => c.references('groups.id').onDelete('cascade'))
    // SHA-256 of the feed's random token (base64url); the token is only in the feed's URL.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('group_calendar_feeds_account')
    .on('group_calendar_feeds')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'group_calendar_feeds',
    'group_rsvps',
    'group_meeting_changes',
    'group_meetings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
