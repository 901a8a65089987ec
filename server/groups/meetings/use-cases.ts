import { randomBytes } from 'node:crypto';
import { generateId } from '../../../core/src/crypto/ids.js';
import {
  MEETING_API_LIMITS,
  type ChangeOccurrenceInput,
  type CreateMeetingInput,
  type MeetingSeriesWire,
  type OccurrencesResponse,
  type OccurrenceWire,
  type RsvpInput,
  type UpdateMeetingInput,
  type WindowQuery,
} from '../../../core/src/groups/meetings-api.js';
import {
  expandSeries,
  nextOccurrence,
  parseOccurrenceId,
  validateSeries,
  type MeetingSeries,
  type Occurrence,
  type OccurrenceOverride,
  type RecurrenceErrorCode,
} from '../../../core/src/groups/recurrence.js';
import { err, ok, type Result } from '../../../core/src/result.js';
import { commit, fail, type CircleDeps } from '../../circles/commit.js';
import { hashToken } from '../../circles/use-cases.js';
import type { Db, Tx } from '../../db/database.js';
import type { GroupMeetingChangesTable } from '../../db/schema.js';
import type { NewEvent } from '../../realtime/log.js';
import {
  changesOf,
  countActiveFeeds,
  feedIdExists,
  feedsOf,
  findActiveFeed,
  findMeeting,
  groupAccess,
  groupsOf,
  insertFeed,
  insertMeeting,
  lockGroupRow,
  meetingIdExists,
  meetingsOfGroups,
  memberIdsOf,
  revokeFeed,
  rsvpsOf,
  rsvpsOfMeeting,
  setReminder,
  updateMeeting,
  upsertChange,
  upsertRsvp,
  replaceChanges,
  type ChangeRow,
  type FeedRow,
  type GroupAccess,
  type MeetingRow,
  type ReminderState,
  type RsvpRow,
} from './repository.js';

/** Every expected failure of a meeting use case; routes turn each into a status and a code. */
export type MeetingFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'recurrence'; readonly code: RecurrenceErrorCode; readonly detail: string }
  | { readonly kind: 'agreement_needed'; readonly current: number }
  | { readonly kind: 'meeting_cancelled' }
  | { readonly kind: 'archived' };

type R<T> = Promise<Result<T, MeetingFailure>>;

const DAY_MS = 86_400_000;
/** The series id in rsvp rows for "every meeting of the series". */
export const SERIES_WIDE = '*';
/** Occurrences in one listing answer. */
const MAX_LISTED = 500;

// ─── Who sees what ──────────────────────────────────────────────────────────────────────────────

type Need = 'see' | 'member' | 'facilitator';

/**
 * The group as `accountId` may see its meetings. Someone outside an invite-only group learns
 * nothing (`not_found`, as for an unknown id); outside a public or by-request group they see
 * meeting times only (`see`); `member` and `facilitator` need that role (`forbidden`).
 */
async function access(
  q: Db | Tx,
  groupId: string,
  accountId: string,
  need: Need,
): Promise<Result<GroupAccess, MeetingFailure>> {
  const g = await groupAccess(q, groupId, accountId);
  if (g === undefined) return err({ kind: 'not_found' });
  if (g.visibility === 'invite' && g.role === null) return err({ kind: 'not_found' });
  if (need === 'member' && g.role === null) {
    return err({ kind: 'forbidden', message: 'Only members of this group can do that.' });
  }
  if (need === 'facilitator' && g.role !== 'facilitator') {
    return err({ kind: 'forbidden', message: "Only this group's facilitators can do that." });
  }
  return ok(g);
}

async function accessLocked(trx: Tx, groupId: string, accountId: string, need: Need) {
  await lockGroupRow(trx, groupId);
  const r = await access(trx, groupId, accountId, need);
  if (!r.ok) return fail(r.error);
  if (need !== 'see' && r.value.archived) fail({ kind: 'archived' });
  return r.value;
}

// ─── Series ↔ core ──────────────────────────────────────────────────────────────────────────────

function overrideOf(c: ChangeRow): OccurrenceOverride {
  return {
    originalStart: c.original_local,
    ...(c.start_local === null ? {} : { start: c.start_local }),
    ...(c.duration_minutes === null ? {} : { durationMinutes: c.duration_minutes }),
    ...(c.place === null ? {} : { location: c.place }),
    ...(c.cancelled === 1 ? { cancelled: true } : {}),
    ...(c.note === null ? {} : { note: c.note }),
    revision: c.revision,
  };
}

export function seriesOf(m: MeetingRow, changes: readonly ChangeRow[]): MeetingSeries {
  return {
    id: m.id,
    start: m.start_local,
    timeZone: m.time_zone,
    durationMinutes: m.duration_minutes,
    rrule: m.rrule,
    overrides: changes.filter((c) => c.meeting_id === m.id).map(overrideOf),
  };
}

const recurrence = (e: { code: RecurrenceErrorCode; detail: string }): MeetingFailure => ({
  kind: 'recurrence',
  code: e.code,
  detail: e.detail,
});

/**
 * An occurrence by its id, with its change applied (moved, cancelled), or null when the series
 * gives no such meeting. The id carries the original start in UTC; the series without changes
 * names its local start, and that one occurrence with its change gives where it is now.
 */
export function occurrenceById(series: MeetingSeries, occurrenceId: string): Occurrence | null {
  const parsed = parseOccurrenceId(occurrenceId);
  if (parsed === null || parsed.seriesId !== series.id) return null;
  const base = nextOccurrence({ ...series, exceptions: [], overrides: [] }, parsed.originalStart, {
    includeCancelled: true,
  });
  if (!base.ok || base.value === null || base.value.occurrenceId !== occurrenceId) return null;
  const original = base.value;
  const change = (series.overrides ?? []).find(
    (o) => o.originalStart === original.originalLocalStart,
  );
  if (change === undefined) return original;
  const single = nextOccurrence(
    {
      id: series.id,
      start: original.originalLocalStart,
      timeZone: series.timeZone,
      durationMinutes: series.durationMinutes,
      rrule: null,
      overrides: [change],
    },
    '1970-01-01T00:00:00.000Z',
    { includeCancelled: true },
  );
  return single.ok ? single.value : null;
}

// ─── Shapes ─────────────────────────────────────────────────────────────────────────────────────

export function toSeries(m: MeetingRow): MeetingSeriesWire {
  return {
    id: m.id,
    groupId: m.group_id,
    title: m.title,
    description: m.description,
    format: m.format,
    place: m.place,
    onlineLink: m.online_link,
    start: m.start_local,
    timeZone: m.time_zone,
    durationMinutes: m.duration_minutes,
    rrule: m.rrule,
    cancelled: m.cancelled_at !== null,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
  };
}

/** A viewer's answers: per occurrence, and series-wide (SERIES_WIDE). */
type Answers = Map<string, RsvpRow>;
const answerKey = (meetingId: string, occurrenceId: string) => `${meetingId} ${occurrenceId}`;

function answersOf(rows: readonly RsvpRow[]): Answers {
  return new Map(rows.map((r) => [answerKey(r.meeting_id, r.occurrence_id), r] as const));
}

/** The viewer's answer for one occurrence: its own, else the series-wide one. */
function effectiveRsvp(answers: Answers, meetingId: string, occurrenceId: string) {
  const own = answers.get(answerKey(meetingId, occurrenceId));
  if (own !== undefined) return { row: own, seriesWide: false };
  const wide = answers.get(answerKey(meetingId, SERIES_WIDE));
  return wide === undefined ? null : { row: wide, seriesWide: true };
}

/**
 * One occurrence as this viewer may see it. The online link only for a member whose answer for
 * it is yes, and never for a cancelled meeting; a visitor sees title, format and times only.
 */
export function toOccurrence(
  m: MeetingRow,
  o: Occurrence,
  viewer: { member: boolean; answers: Answers },
): OccurrenceWire {
  const seriesCancelled = m.cancelled_at !== null;
  const cancelled = o.cancelled || seriesCancelled;
  const rsvp = viewer.member ? effectiveRsvp(viewer.answers, m.id, o.occurrenceId) : null;
  const yes = rsvp?.row.answer === 'yes';
  const visitor = !viewer.member;
  return {
    occurrenceId: o.occurrenceId,
    meetingId: m.id,
    groupId: m.group_id,
    title: m.title,
    description: visitor ? null : m.description,
    format: m.format,
    place: visitor || m.format !== 'in-person' ? null : (o.location ?? m.place),
    onlineLink: !visitor && m.format === 'online' && yes && !cancelled ? m.online_link : null,
    start: o.start,
    end: o.end,
    timeZone: o.timeZone,
    localStart: o.localStart,
    durationMinutes: o.durationMinutes,
    cancelled,
    moved: o.moved,
    note: visitor ? null : o.note,
    visitor,
    myRsvp:
      rsvp === null
        ? null
        : {
            answer: rsvp.row.answer,
            reminderMinutes: rsvp.row.reminder_minutes,
            seriesWide: rsvp.seriesWide,
          },
  };
}

// ─── Windows and listing ────────────────────────────────────────────────────────────────────────

function windowOf(query: WindowQuery, now: Date): Result<{ from: Date; to: Date }, MeetingFailure> {
  const from = query.from === undefined ? now : new Date(query.from);
  const to =
    query.to === undefined
      ? new Date(from.getTime() + MEETING_API_LIMITS.defaultWindowDays * DAY_MS)
      : new Date(query.to);
  if (to.getTime() <= from.getTime()) {
    return err(recurrence({ code: 'invalid_window', detail: 'to must be after from' }));
  }
  if (to.getTime() - from.getTime() > MEETING_API_LIMITS.maxWindowDays * DAY_MS) {
    return err(
      recurrence({
        code: 'window_too_long',
        detail: `the window is longer than ${MEETING_API_LIMITS.maxWindowDays} days`,
      }),
    );
  }
  return ok({ from, to });
}

interface Listed {
  readonly meeting: MeetingRow;
  readonly occurrence: Occurrence;
}

/** Every occurrence of these meetings in the window, by start (a series that no longer expands,
 * e.g. after a change of zone rules, is left out rather than failing the whole list). */
function expandAll(
  meetings: readonly MeetingRow[],
  changes: readonly ChangeRow[],
  window: { from: Date; to: Date },
): { listed: Listed[]; truncated: boolean } {
  const listed: Listed[] = [];
  let truncated = false;
  for (const meeting of meetings) {
    const r = expandSeries(seriesOf(meeting, changes), {
      from: window.from,
      to: window.to,
      limit: MAX_LISTED,
    });
    if (!r.ok) continue;
    truncated ||= r.value.truncated;
    for (const occurrence of r.value.occurrences) listed.push({ meeting, occurrence });
  }
  listed.sort((a, b) =>
    a.occurrence.start < b.occurrence.start
      ? -1
      : a.occurrence.start > b.occurrence.start
        ? 1
        : a.occurrence.occurrenceId < b.occurrence.occurrenceId
          ? -1
          : 1,
  );
  if (listed.length > MAX_LISTED) truncated = true;
  return { listed: listed.slice(0, MAX_LISTED), truncated };
}

async function listFor(
  q: Db | Tx,
  accountId: string,
  meetings: readonly MeetingRow[],
  memberOf: ReadonlySet<string>,
  window: { from: Date; to: Date },
): Promise<OccurrencesResponse> {
  const ids = meetings.map((m) => m.id);
  const [changes, rsvps] = await Promise.all([changesOf(q, ids), rsvpsOf(q, accountId, ids)]);
  const answers = answersOf(rsvps);
  const { listed, truncated } = expandAll(meetings, changes, window);
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    occurrences: listed.map(({ meeting, occurrence }) =>
      toOccurrence(meeting, occurrence, { member: memberOf.has(meeting.group_id), answers }),
    ),
    truncated,
  };
}

/** A group's meetings in a window: members see everything but others' links; visitors to a
 * public or by-request group see titles and times. */
export async function groupMeetings(
  db: Db,
  groupId: string,
  accountId: string,
  query: WindowQuery,
  now: Date,
): R<OccurrencesResponse> {
  const g = await access(db, groupId, accountId, 'see');
  if (!g.ok) return g;
  const window = windowOf(query, now);
  if (!window.ok) return window;
  const meetings = await meetingsOfGroups(db, [groupId]);
  const memberOf = new Set(g.value.role === null ? [] : [groupId]);
  return ok(await listFor(db, accountId, meetings, memberOf, window.value));
}

/** The meetings of every group I am in, in a window. */
export async function myMeetings(
  db: Db,
  accountId: string,
  query: WindowQuery,
  now: Date,
): R<OccurrencesResponse> {
  const window = windowOf(query, now);
  if (!window.ok) return window;
  const groups = await groupsOf(db, accountId);
  const ids = groups.map((g) => g.id);
  const meetings = await meetingsOfGroups(db, ids);
  return ok(await listFor(db, accountId, meetings, new Set(ids), window.value));
}

// ─── Scheduling (facilitators) ──────────────────────────────────────────────────────────────────

const changed = (groupId: string, meetingId: string, members: readonly string[]): NewEvent[] =>
  members.map((accountId) => ({
    accountId,
    type: 'group.meeting.changed',
    data: { groupId, meetingId },
  }));

function checkPlace(m: { format: string; place: string | null; online_link: string | null }) {
  if (m.format === 'in-person' && m.place === null) {
    fail({ kind: 'invalid', message: 'An in-person meeting needs a place.' });
  }
  if (m.format === 'online' && m.online_link === null) {
    fail({ kind: 'invalid', message: 'An online meeting needs a link.' });
  }
}

/** Checks a series with core/src/groups/recurrence.ts; its canonical zone and rule, or a 400. */
function checkSeries(series: MeetingSeries) {
  const r = validateSeries(series);
  if (!r.ok) return fail(recurrence(r.error));
  return r.value;
}

export async function createMeeting(
  deps: CircleDeps,
  groupId: string,
  accountId: string,
  input: CreateMeetingInput,
  now: Date,
): R<MeetingSeriesWire> {
  const at = now.toISOString();
  return commit<MeetingSeriesWire, MeetingFailure>(deps, now, async (trx) => {
    await accessLocked(trx, groupId, accountId, 'facilitator');
    if (await meetingIdExists(trx, input.id)) {
      fail({ kind: 'conflict', message: 'A meeting already has this id; make a new one.' });
    }
    const valid = checkSeries({
      id: input.id,
      start: input.start,
      timeZone: input.timeZone,
      durationMinutes: input.durationMinutes,
      rrule: input.rrule,
    });
    const row = {
      id: input.id,
      group_id: groupId,
      title: input.title,
      description: input.description,
      format: input.format,
      place: input.format === 'in-person' ? input.place : null,
      online_link: input.format === 'online' ? input.onlineLink : null,
      start_local: valid.start,
      time_zone: valid.timeZone,
      duration_minutes: valid.durationMinutes,
      rrule: valid.rrule,
      created_by: accountId,
      created_at: at,
      updated_at: at,
      cancelled_at: null,
    };
    checkPlace(row);
    await insertMeeting(trx, row);
    const members = await memberIdsOf(trx, groupId);
    return { value: toSeries(row), events: changed(groupId, input.id, members) };
  });
}

async function meetingIn(trx: Tx, groupId: string, meetingId: string): Promise<MeetingRow> {
  const m = await findMeeting(trx, groupId, meetingId);
  if (m === undefined) return fail({ kind: 'not_found' });
  return m;
}

export async function editMeeting(
  deps: CircleDeps,
  groupId: string,
  meetingId: string,
  accountId: string,
  input: UpdateMeetingInput,
  now: Date,
): R<MeetingSeriesWire> {
  const at = now.toISOString();
  return commit<MeetingSeriesWire, MeetingFailure>(deps, now, async (trx) => {
    await accessLocked(trx, groupId, accountId, 'facilitator');
    const m = await meetingIn(trx, groupId, meetingId);
    if (m.cancelled_at !== null) fail({ kind: 'meeting_cancelled' });
    const format = input.format ?? m.format;
    const next: MeetingRow = {
      ...m,
      title: input.title ?? m.title,
      description: input.description ?? m.description,
      format,
      place: format === 'in-person' ? (input.place === undefined ? m.place : input.place) : null,
      online_link:
        format === 'online'
          ? input.onlineLink === undefined
            ? m.online_link
            : input.onlineLink
          : null,
      start_local: input.start ?? m.start_local,
      time_zone: input.timeZone ?? m.time_zone,
      duration_minutes: input.durationMinutes ?? m.duration_minutes,
      rrule: input.rrule === undefined ? m.rrule : input.rrule,
      updated_at: at,
    };
    checkPlace(next);
    const valid = checkSeries({ ...seriesOf(next, []) });
    next.start_local = valid.start;
    next.time_zone = valid.timeZone;
    next.rrule = valid.rrule;
    // Changes to single occurrences that the new timing no longer gives are dropped.
    const changes = await changesOf(trx, [meetingId]);
    const kept = changes.filter(
      (c) => validateSeries({ ...seriesOf(next, []), overrides: [overrideOf(c)] }).ok,
    );
    if (kept.length !== changes.length) await replaceChanges(trx, meetingId, kept);
    await updateMeeting(trx, meetingId, {
      title: next.title,
      description: next.description,
      format: next.format,
      place: next.place,
      online_link: next.online_link,
      start_local: next.start_local,
      time_zone: next.time_zone,
      duration_minutes: next.duration_minutes,
      rrule: next.rrule,
      updated_at: at,
    });
    await rearmReminders(trx, next, kept, now);
    const members = await memberIdsOf(trx, groupId);
    return { value: toSeries(next), events: changed(groupId, meetingId, members) };
  });
}

/** A series as its facilitators edit it (the link included: they wrote it). */
export async function meetingSeries(
  db: Db,
  groupId: string,
  meetingId: string,
  accountId: string,
): R<MeetingSeriesWire> {
  const g = await access(db, groupId, accountId, 'facilitator');
  if (!g.ok) return g;
  const m = await findMeeting(db, groupId, meetingId);
  return m === undefined ? err({ kind: 'not_found' }) : ok(toSeries(m));
}

export async function cancelMeeting(
  deps: CircleDeps,
  groupId: string,
  meetingId: string,
  accountId: string,
  now: Date,
): R<MeetingSeriesWire> {
  const at = now.toISOString();
  return commit<MeetingSeriesWire, MeetingFailure>(deps, now, async (trx) => {
    await accessLocked(trx, groupId, accountId, 'facilitator');
    const m = await meetingIn(trx, groupId, meetingId);
    if (m.cancelled_at !== null) fail({ kind: 'meeting_cancelled' });
    await updateMeeting(trx, meetingId, { cancelled_at: at, updated_at: at });
    const next = { ...m, cancelled_at: at, updated_at: at };
    await rearmReminders(trx, next, [], now);
    const members = await memberIdsOf(trx, groupId);
    return { value: toSeries(next), events: changed(groupId, meetingId, members) };
  });
}

/** Cancels or moves one occurrence (a change on top of any earlier one; its revision goes up). */
export async function changeOccurrence(
  deps: CircleDeps,
  groupId: string,
  meetingId: string,
  occurrenceId: string,
  accountId: string,
  input: ChangeOccurrenceInput,
  now: Date,
): R<OccurrenceWire> {
  const at = now.toISOString();
  return commit<OccurrenceWire, MeetingFailure>(deps, now, async (trx) => {
    await accessLocked(trx, groupId, accountId, 'facilitator');
    const m = await meetingIn(trx, groupId, meetingId);
    if (m.cancelled_at !== null) fail({ kind: 'meeting_cancelled' });
    const changes = await changesOf(trx, [meetingId]);
    const series = seriesOf(m, changes);
    const current = occurrenceById(series, occurrenceId);
    if (current === null) return fail({ kind: 'not_found' });
    const before = changes.find((c) => c.original_local === current.originalLocalStart);
    const row: GroupMeetingChangesTable = {
      meeting_id: meetingId,
      original_local: current.originalLocalStart,
      occurrence_id: occurrenceId,
      cancelled: input.cancelled === undefined ? (before?.cancelled ?? 0) : input.cancelled ? 1 : 0,
      start_local: input.start ?? before?.start_local ?? null,
      duration_minutes: input.durationMinutes ?? before?.duration_minutes ?? null,
      place: input.place ?? before?.place ?? null,
      note: input.note ?? before?.note ?? null,
      revision: (before?.revision ?? 0) + 1,
      updated_by: accountId,
      updated_at: at,
    };
    if (row.place !== null && m.format !== 'in-person') {
      fail({ kind: 'invalid', message: 'Only an in-person meeting has a place.' });
    }
    const others = changes.filter((c) => c.original_local !== row.original_local);
    const all = [...others, row];
    checkSeries(seriesOf(m, all));
    await upsertChange(trx, row);
    await rearmReminders(trx, m, all, now);
    const moved = occurrenceById(seriesOf(m, all), occurrenceId)!;
    const members = await memberIdsOf(trx, groupId);
    const mine = answersOf(await rsvpsOf(trx, accountId, [meetingId]));
    return {
      value: toOccurrence(m, moved, { member: true, answers: mine }),
      events: changed(groupId, meetingId, members),
    };
  });
}

// ─── RSVPs and reminders ────────────────────────────────────────────────────────────────────────

/**
 * When the next reminder of an RSVP is due: for one occurrence, its start less the minutes
 * (none once it started, was cancelled, or was already reminded at that start); for the series,
 * the same for the next meeting after the last one reminded that has no answer of its own.
 */
export function reminderFor(
  m: MeetingRow,
  series: MeetingSeries,
  rsvp: Pick<RsvpRow, 'occurrence_id' | 'answer' | 'reminder_minutes' | 'reminded_through'>,
  ownAnswers: ReadonlySet<string>,
  now: Date,
): ReminderState {
  const none = { remind_at: null, remind_occurrence: null, remind_start: null };
  if (rsvp.answer !== 'yes' || rsvp.reminder_minutes === null || m.cancelled_at !== null) {
    return none;
  }
  const nowIso = now.toISOString();
  let occurrence: Occurrence | null = null;
  if (rsvp.occurrence_id !== SERIES_WIDE) {
    const o = occurrenceById(series, rsvp.occurrence_id);
    if (o === null || o.cancelled || o.start <= nowIso || o.start === rsvp.reminded_through) {
      return none;
    }
    occurrence = o;
  } else {
    let after = now.getTime();
    if (rsvp.reminded_through !== null) {
      after = Math.max(after, Date.parse(rsvp.reminded_through) + 1);
    }
    for (let step = 0; step < 50 && occurrence === null; step++) {
      const r = nextOccurrence(series, new Date(after));
      if (!r.ok || r.value === null) return none;
      if (ownAnswers.has(r.value.occurrenceId)) after = Date.parse(r.value.start) + 1;
      else occurrence = r.value;
    }
    if (occurrence === null) return none;
  }
  const at = Date.parse(occurrence.start) - rsvp.reminder_minutes * 60_000;
  return {
    remind_at: new Date(at).toISOString(),
    remind_occurrence: occurrence.occurrenceId,
    remind_start: occurrence.start,
  };
}

/** Recomputes every reminder of a meeting after its series or one occurrence changed. */
async function rearmReminders(trx: Tx, m: MeetingRow, changes: readonly ChangeRow[], now: Date) {
  const rows = await rsvpsOfMeeting(trx, m.id);
  const series = seriesOf(m, changes);
  for (const row of rows) {
    if (row.reminder_minutes === null && row.remind_at === null) continue;
    const own = ownAnswersOf(rows, row.account_id);
    await setReminder(trx, row, reminderFor(m, series, row, own, now));
  }
}

const ownAnswersOf = (rows: readonly RsvpRow[], accountId: string) =>
  new Set(
    rows
      .filter((r) => r.account_id === accountId && r.occurrence_id !== SERIES_WIDE)
      .map((r) => r.occurrence_id),
  );

/** I answer for one occurrence or the whole series, with an optional reminder (yes only). */
export async function rsvp(
  deps: CircleDeps,
  groupId: string,
  meetingId: string,
  accountId: string,
  input: RsvpInput,
  now: Date,
): R<OccurrencesResponse> {
  const at = now.toISOString();
  return commit<OccurrencesResponse, MeetingFailure>(deps, now, async (trx) => {
    const g = await accessLocked(trx, groupId, accountId, 'member');
    if ((g.memberAgreementVersion ?? 0) < g.agreementVersion) {
      fail({ kind: 'agreement_needed', current: g.agreementVersion });
    }
    const m = await meetingIn(trx, groupId, meetingId);
    if (m.cancelled_at !== null) fail({ kind: 'meeting_cancelled' });
    const changes = await changesOf(trx, [meetingId]);
    const series = seriesOf(m, changes);
    let from = now;
    if (input.occurrenceId !== null) {
      const o = occurrenceById(series, input.occurrenceId);
      if (o === null) return fail({ kind: 'not_found' });
      if (o.cancelled) fail({ kind: 'meeting_cancelled' });
      from = new Date(o.start);
    }
    const occurrenceId = input.occurrenceId ?? SERIES_WIDE;
    const reminder = input.answer === 'yes' ? input.reminderMinutes : null;
    const mine = await rsvpsOf(trx, accountId, [meetingId]);
    const previous = mine.find((r) => r.occurrence_id === occurrenceId);
    const row = {
      meeting_id: meetingId,
      occurrence_id: occurrenceId,
      account_id: accountId,
      answer: input.answer,
      reminder_minutes: reminder,
      updated_at: at,
      reminded_through: previous?.reminded_through ?? null,
    };
    const all = [...mine.filter((r) => r.occurrence_id !== occurrenceId), { ...row } as RsvpRow];
    await upsertRsvp(trx, {
      ...row,
      ...reminderFor(m, series, row, ownAnswersOf(all, accountId), now),
    });
    // A series-wide reminder skips occurrences with their own answer: recompute it too.
    const wide = all.find((r) => r.occurrence_id === SERIES_WIDE);
    if (wide !== undefined && occurrenceId !== SERIES_WIDE) {
      await setReminder(trx, wide, reminderFor(m, series, wide, ownAnswersOf(all, accountId), now));
    }
    // What I see now: the meetings from the one I answered (or from now), links and all.
    const to = new Date(from.getTime() + MEETING_API_LIMITS.defaultWindowDays * DAY_MS);
    const listed = await listFor(trx, accountId, [m], new Set([groupId]), { from, to });
    return { value: listed, events: [] };
  });
}

// ─── Calendar feeds ─────────────────────────────────────────────────────────────────────────────

const toFeed = (f: FeedRow) => ({
  id: f.id,
  groupId: f.group_id,
  createdAt: f.created_at,
  revokedAt: f.revoked_at,
});

/** A new private feed; its token is only in the returned URL (the server keeps its SHA-256). */
export async function createFeed(
  deps: CircleDeps,
  accountId: string,
  groupId: string | null,
  baseUrl: string,
  now: Date,
): R<ReturnType<typeof toFeed> & { url: string }> {
  const at = now.toISOString();
  return commit<ReturnType<typeof toFeed> & { url: string }, MeetingFailure>(
    deps,
    now,
    async (trx) => {
      if (groupId !== null) await accessLocked(trx, groupId, accountId, 'member');
      if ((await countActiveFeeds(trx, accountId)) >= MEETING_API_LIMITS.feedsPerAccount) {
        fail({
          kind: 'conflict',
          message: `You have ${MEETING_API_LIMITS.feedsPerAccount} calendar links; revoke one first.`,
        });
      }
      let id = generateId();
      while (await feedIdExists(trx, id)) id = generateId();
      const token = randomBytes(32).toString('base64url');
      const row = {
        id,
        account_id: accountId,
        group_id: groupId,
        token_hash: hashToken(token),
        created_at: at,
        revoked_at: null,
      };
      await insertFeed(trx, row);
      return {
        value: { ...toFeed(row), url: `${baseUrl}/api/v1/calendar/${token}.ics` },
        events: [],
      };
    },
  );
}

export async function myFeeds(db: Db, accountId: string) {
  return { feeds: (await feedsOf(db, accountId)).map(toFeed) };
}

export async function revokeMyFeed(
  deps: CircleDeps,
  feedId: string,
  accountId: string,
  now: Date,
): R<ReturnType<typeof toFeed>> {
  return commit<ReturnType<typeof toFeed>, MeetingFailure>(deps, now, async (trx) => {
    const row = await revokeFeed(trx, feedId, accountId, now.toISOString());
    if (row === undefined) return fail({ kind: 'not_found' });
    return { value: toFeed(row), events: [] };
  });
}

export interface FeedContent {
  readonly name: string;
  readonly events: readonly {
    occurrence: Occurrence;
    summary: string;
    description?: string;
    location?: string;
    url?: string;
  }[];
}

/** Feeds reach back 30 days and forward a year. */
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 365;

/**
 * What a feed token shows: the meetings of the feed's group (or all its owner's groups) that its
 * owner is still a member of, with the owner's own RSVPs deciding the links. Unknown or revoked
 * tokens are `not_found`.
 */
export async function feedContent(db: Db, token: string, now: Date): R<FeedContent> {
  const feed = await findActiveFeed(db, hashToken(token));
  if (feed === undefined) return err({ kind: 'not_found' });
  const groups = (await groupsOf(db, feed.account_id)).filter(
    (g) => feed.group_id === null || g.id === feed.group_id,
  );
  const names = new Map(groups.map((g) => [g.id, g.name] as const));
  const window = {
    from: new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS),
    to: new Date(now.getTime() + FEED_FUTURE_DAYS * DAY_MS),
  };
  const meetings = await meetingsOfGroups(db, [...names.keys()]);
  const listed = await listFor(db, feed.account_id, meetings, new Set(names.keys()), window);
  const byId = new Map(meetings.map((m) => [m.id, m] as const));
  const { listed: raw } = expandAll(meetings, await changesOf(db, [...byId.keys()]), window);
  const occurrenceOf = new Map(raw.map((l) => [l.occurrence.occurrenceId, l.occurrence] as const));
  return ok({
    name: feed.group_id === null ? 'Tend: my groups' : (names.get(feed.group_id) ?? 'Tend'),
    events: listed.occurrences.map((o) => {
      const own = occurrenceOf.get(o.occurrenceId)!;
      // A meeting cancelled with its whole series is a change too: calendars replace the entry.
      const occurrence = {
        ...own,
        cancelled: o.cancelled,
        sequence: own.sequence + (o.cancelled && !own.cancelled ? 1 : 0),
      };
      const where = o.place ?? o.onlineLink ?? undefined;
      const group = names.get(o.groupId);
      const description = [group === undefined ? '' : `${group}`, o.description ?? '']
        .filter((s) => s.length > 0)
        .join('\n\n');
      return {
        occurrence,
        summary: o.title,
        ...(description ? { description } : {}),
        ...(where === undefined ? {} : { location: where }),
        ...(o.onlineLink === null ? {} : { url: o.onlineLink }),
      };
    }),
  });
}
