/**
 * The facilitator's scheduling form as plain state, turned into the API's `createMeeting` body
 * with core/src/groups/recurrence-form.ts (choices ↔ RRULE) and previewed with `describeSchedule`.
 * Pure: the page binds its inputs to a `ScheduleForm` and calls these.
 */
import { generateId } from '$core/crypto/ids';
import {
  describeSchedule,
  formToRrule,
  type Ends,
  type MonthOrdinal,
  type Repeat,
  type RepeatForm,
  type Weekday,
} from '$core/groups/recurrence-form';
import {
  createMeetingSchema,
  type CreateMeetingInput,
  type MeetingFormat,
} from '$core/groups/meetings-api';
import { err, ok, type Result } from '$core/result';

export const WEEKDAY_ORDER: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export type RepeatKind = 'once' | 'weekly' | 'monthlyByWeekday' | 'monthlyByDay';
export type EndsKind = 'never' | 'after' | 'on';

export interface ScheduleForm {
  title: string;
  description: string;
  format: MeetingFormat;
  place: string;
  onlineLink: string;
  /** YYYY-MM-DD and HH:MM, local to `timeZone`. */
  date: string;
  time: string;
  durationMinutes: number;
  timeZone: string;
  repeat: RepeatKind;
  /** Every N weeks / months. */
  interval: number;
  days: Weekday[];
  ordinal: MonthOrdinal;
  weekday: Weekday;
  monthDay: number;
  ends: EndsKind;
  count: number;
  /** YYYY-MM-DD: the last date meetings may fall on. */
  until: string;
}

/** Which field a problem is about, and a stable code the page words. */
export interface ScheduleProblem {
  readonly field: 'title' | 'place' | 'onlineLink' | 'start' | 'repeat' | 'ends' | 'duration';
  readonly code: string;
}

/** The weekday of a local date (YYYY-MM-DD). */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return WEEKDAY_ORDER[(day + 6) % 7]!;
}

/** Which week of the month a date is in (1–4), as the monthly choice suggests it. */
export function ordinalOf(date: string): MonthOrdinal {
  const d = Number(date.slice(8, 10));
  return Math.min(4, Math.ceil(d / 7)) as MonthOrdinal;
}

/** The viewer's own IANA zone (UTC when the browser does not say). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The zones to choose from: the runtime's list, always with `current` and UTC in it. */
export function timeZoneChoices(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return [...new Set([...zones, current, 'UTC'])].sort();
}

/** A new form: next week's date at 19:00 for an hour, weekly on that day, in `timeZone`. */
export function newScheduleForm(today: string, timeZone: string): ScheduleForm {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 7)).toISOString().slice(0, 10);
  return {
    title: '',
    description: '',
    format: 'online',
    place: '',
    onlineLink: '',
    date: next,
    time: '19:00',
    durationMinutes: 90,
    timeZone,
    repeat: 'weekly',
    interval: 1,
    days: [weekdayOf(next)],
    ordinal: ordinalOf(next),
    weekday: weekdayOf(next),
    monthDay: Number(next.slice(8, 10)),
    ends: 'never',
    count: 10,
    until: '',
  };
}

/** The recurrence choices of the form, as recurrence-form.ts reads them. */
export function repeatForm(f: ScheduleForm): RepeatForm {
  const interval = Number(f.interval);
  let repeat: Repeat;
  switch (f.repeat) {
    case 'once':
      repeat = { kind: 'once' };
      break;
    case 'weekly':
      repeat = { kind: 'weekly', interval, days: f.days };
      break;
    case 'monthlyByWeekday':
      repeat = {
        kind: 'monthlyByWeekday',
        interval,
        ordinal: Number(f.ordinal) as MonthOrdinal,
        weekday: f.weekday,
      };
      break;
    case 'monthlyByDay':
      repeat = { kind: 'monthlyByDay', interval, day: Number(f.monthDay) };
      break;
  }
  const ends: Ends =
    f.ends === 'after'
      ? { kind: 'after', count: Number(f.count) }
      : f.ends === 'on'
        ? { kind: 'on', date: f.until }
        : { kind: 'never' };
  return { repeat, ends };
}

const START = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

/** The schedule in plain words, or null while the choices are not yet a schedule. */
export function preview(f: ScheduleForm): string | null {
  if (!START.test(f.date) || !TIME.test(f.time)) return null;
  const rule = formToRrule(repeatForm(f));
  if (!rule.ok) return null;
  return describeSchedule({
    start: `${f.date}T${f.time}`,
    timeZone: f.timeZone,
    rrule: rule.value,
  });
}

/** The body of `POST …/meetings`, or the first problem (checked with the core schema too). */
export function toCreateInput(
  f: ScheduleForm,
  id: string = generateId(),
): Result<CreateMeetingInput, ScheduleProblem> {
  if (f.title.trim() === '') return err({ field: 'title', code: 'required' });
  if (!START.test(f.date) || !TIME.test(f.time)) return err({ field: 'start', code: 'required' });
  if (f.format === 'in-person' && f.place.trim() === '') {
    return err({ field: 'place', code: 'required' });
  }
  if (f.format === 'online' && f.onlineLink.trim() === '') {
    return err({ field: 'onlineLink', code: 'required' });
  }
  const rule = formToRrule(repeatForm(f));
  if (!rule.ok) {
    const field = ['invalid_count', 'invalid_end_date'].includes(rule.error.code)
      ? 'ends'
      : 'repeat';
    return err({ field, code: rule.error.code });
  }
  const body = {
    id,
    title: f.title,
    description: f.description,
    format: f.format,
    place: f.format === 'in-person' ? f.place : null,
    onlineLink: f.format === 'online' ? f.onlineLink.trim() : null,
    start: `${f.date}T${f.time}`,
    timeZone: f.timeZone,
    durationMinutes: Number(f.durationMinutes),
    rrule: rule.value,
  };
  const parsed = createMeetingSchema.safeParse(body);
  if (!parsed.success) {
    const path = String(parsed.error.issues[0]?.path[0] ?? 'title');
    const field: ScheduleProblem['field'] =
      path === 'onlineLink' || path === 'place' || path === 'title'
        ? path
        : path === 'durationMinutes'
          ? 'duration'
          : 'start';
    return err({ field, code: 'invalid' });
  }
  return ok(parsed.data);
}
