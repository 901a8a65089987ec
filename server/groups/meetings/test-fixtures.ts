import { randomBytes } from 'node:crypto';
import { generateId } from '../../../core/src/crypto/ids.js';
import { hashToken } from '../../circles/use-cases.js';
import type { TestApp } from '../../test-support/app.js';

/** A valid body for POST /api/v1/groups/:groupId/meetings, with `over` on top. */
export function meetingBody(over: Record<string, unknown> = {}) {
  return {
    id: generateId(),
    title: 'Thursday evening group',
    description: 'Bring yourself; tea is on us.',
    format: 'online',
    place: null,
    onlineLink: 'https://meet.example.org/thursday-room',
    start: '2026-11-26T19:00',
    timeZone: 'Europe/London',
    durationMinutes: 90,
    rrule: 'FREQ=WEEKLY;BYDAY=TH',
    ...over,
  };
}

/** Writes a weekly online meeting straight into the database (for the authorization matrix). */
export async function seedMeeting(t: TestApp, groupId: string, createdBy: string, at: Date) {
  const id = generateId();
  await t.handle.db
    .insertInto('group_meetings')
    .values({
      id,
      group_id: groupId,
      title: 'Seeded meeting',
      description: 'For the matrix.',
      format: 'online',
      place: null,
      online_link: 'https://meet.example.org/seeded',
      start_local: '2026-11-26T19:00',
      time_zone: 'Europe/London',
      duration_minutes: 60,
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
      created_by: createdBy,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
      cancelled_at: null,
    })
    .execute();
  // 26 November 2026, 19:00 in London is 19:00 UTC (GMT).
  return { meetingId: id, occurrenceId: `${id}.20261126T190000Z` };
}

/** Writes a calendar feed for `accountId` straight into the database; returns its token. */
export async function seedFeed(t: TestApp, accountId: string, groupId: string | null, at: Date) {
  const token = randomBytes(32).toString('base64url');
  const id = generateId();
  await t.handle.db
    .insertInto('group_calendar_feeds')
    .values({
      id,
      account_id: accountId,
      group_id: groupId,
      token_hash: hashToken(token),
      created_at: at.toISOString(),
      revoked_at: null,
    })
    .execute();
  return { feedId: id, token };
}

/** Row counts of every table the meeting routes write: a refused request changes none. */
export async function meetingFootprint(t: TestApp) {
  const tables = [
    'group_meetings',
    'group_meeting_changes',
    'group_rsvps',
    'group_calendar_feeds',
    'events',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
