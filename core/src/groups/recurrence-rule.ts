/**
 * Meeting-time rules without Temporal: the shapes of a meeting series, RRULE parsing and
 * formatting (the subset Tend supports), occurrence ids, and local date-time checks. Light enough
 * for any web page; expansion (which needs Temporal, via rrule-temporal) is in recurrence.ts.
 */
import { err, ok, type Result } from '../result.js';

// ---------------------------------------------------------------------------------------------
// Shapes

/** A local date and time without zone, to the minute: `2026-03-29T19:00`. */
export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
/** A local date: `2026-03-29`. */
export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const MEETING_LIMITS = {
  /** Longest meeting, in minutes (a day). */
  maxDurationMinutes: 24 * 60,
  maxInterval: 99,
  maxCount: 1000,
  maxExceptions: 500,
  maxOverrides: 500,
  maxNoteLength: 500,
  maxLocationLength: 300,
  /** Longest expansion window, in days. */
  maxWindowDays: 732,
  /** Occurrences returned by one expansion unless a smaller limit is asked for. */
  defaultLimit: 500,
  /** The hard cap on occurrences in one expansion. */
  maxLimit: 2000,
} as const;

/** One occurrence changed: moved (time, length or place) or cancelled with a note. */
export interface OccurrenceOverride {
  /** Which occurrence: its original local start in the series' zone. */
  readonly originalStart: string;
  /** Its new local start, in the series' zone. */
  readonly start?: string;
  readonly durationMinutes?: number;
  /** Its place, instead of the series' (the caller's words). */
  readonly location?: string;
  readonly cancelled?: boolean;
  /** A short note from the facilitators ("moved to Wednesday this week"). */
  readonly note?: string;
  /** How many times this occurrence has been changed (1 or more); the calendar's SEQUENCE. */
  readonly revision?: number;
}

export interface MeetingSeries {
  /** The series' id (`A–Z a–z 0–9 _ -`, 1–64), the first half of each occurrence id. */
  readonly id: string;
  /** Local start of the first meeting, `YYYY-MM-DDTHH:MM`. */
  readonly start: string;
  /** IANA time zone, e.g. `Europe/London`. */
  readonly timeZone: string;
  readonly durationMinutes: number;
  /** An RRULE value (`FREQ=WEEKLY;BYDAY=TU`), or none for a single meeting. */
  readonly rrule?: string | null;
  /** Cancelled occurrences, by their original local start. */
  readonly exceptions?: readonly string[];
  readonly overrides?: readonly OccurrenceOverride[];
}

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ByDay {
  /** 1 = first, 2 = second, -1 = last …; absent for every such weekday. */
  readonly ordinal?: number;
  readonly weekday: Weekday;
}

/** The parts of an RRULE Tend accepts. */
export interface RuleParts {
  readonly freq: Frequency;
  readonly interval: number;
  readonly byDay: readonly ByDay[];
  readonly byMonthDay: readonly number[];
  readonly bySetPos: readonly number[];
  readonly count?: number;
  /**
   * `YYYYMMDD`: the last local date meetings may fall on (what "ends on <date>" writes), or
   * `YYYYMMDDTHHMMSSZ`: the last instant, in UTC.
   */
  readonly until?: string;
}

/** A series that passed validation, with its rule parsed and its RRULE normalised. */
export interface ValidSeries extends MeetingSeries {
  readonly rrule: string | null;
  readonly rule: RuleParts | null;
  readonly exceptions: readonly string[];
  readonly overrides: readonly OccurrenceOverride[];
}

export interface Occurrence {
  /** `<series id>.<original start in UTC as YYYYMMDDTHHMMSSZ>`; never changes when moved. */
  readonly occurrenceId: string;
  readonly seriesId: string;
  /** Start and end as UTC ISO instants (after any move). */
  readonly start: string;
  readonly end: string;
  /** Local start in the series' zone (after any move), `YYYY-MM-DDTHH:MM`. */
  readonly localStart: string;
  /** The start the rule gave, as a UTC ISO instant and as local time in the series' zone. */
  readonly originalStart: string;
  readonly originalLocalStart: string;
  readonly timeZone: string;
  readonly durationMinutes: number;
  readonly cancelled: boolean;
  /** Its time or length differs from what the series gives. */
  readonly moved: boolean;
  /** A place for this occurrence only, from an override. */
  readonly location: string | null;
  readonly note: string | null;
  /** 0 for an unchanged occurrence; an override's revision otherwise (an ICS SEQUENCE). */
  readonly sequence: number;
}

export type RecurrenceErrorCode =
  | 'invalid_series_id'
  | 'invalid_start'
  | 'invalid_time_zone'
  | 'invalid_duration'
  | 'invalid_rrule'
  | 'unsupported_frequency'
  | 'unsupported_rule_part'
  | 'invalid_rule_value'
  | 'count_and_until'
  | 'until_before_start'
  | 'never_occurs'
  | 'too_many_exceptions'
  | 'invalid_exception'
  | 'exception_not_an_occurrence'
  | 'too_many_overrides'
  | 'invalid_override'
  | 'duplicate_override'
  | 'override_not_an_occurrence'
  | 'invalid_window'
  | 'window_too_long';

export interface RecurrenceError {
  readonly code: RecurrenceErrorCode;
  /** What was wrong, for logs and developers (not shown to people as is). */
  readonly detail: string;
}

const fail = (code: RecurrenceErrorCode, detail: string) => err<RecurrenceError>({ code, detail });

// ---------------------------------------------------------------------------------------------
// Local times and zones

export const SERIES_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A real calendar date-time (no 2026-02-30, no 24:00), to the minute. */
export function isLocalDateTime(value: string): boolean {
  if (typeof value !== 'string' || !LOCAL_DATE_TIME.test(value)) return false;
  const [y, mo, d, h, mi] = value.split(/[-T:]/).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return (
    y >= 1 &&
    at.getUTCFullYear() === y &&
    at.getUTCMonth() === mo - 1 &&
    at.getUTCDate() === d &&
    at.getUTCHours() === h &&
    at.getUTCMinutes() === mi
  );
}

export function isLocalDate(value: string): boolean {
  return typeof value === 'string' && LOCAL_DATE.test(value) && isLocalDateTime(`${value}T00:00`);
}

/**
 * The zone's canonical spelling, or null when it is not an IANA time zone this runtime knows
 * (Intl and Temporal share the same zone data). Fixed offsets (`+01:00`) are refused: they have
 * no daylight saving, and a group meets by a place's clock.
 */
export function normaliseTimeZone(value: string): string | null {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The local date an instant falls on in a zone, `YYYY-MM-DD`. */
export function localDateAt(epochMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** `20260329T180000Z` for an instant. */
export function utcStamp(epochMs: number): string {
  return iso(epochMs)
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** The instant of a `YYYYMMDDTHHMMSSZ`, or null. */
export function parseUtcStamp(stamp: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return null;
  const text = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || iso(ms) !== text.replace('Z', '.000Z') ? null : ms;
}

/** The local date of a `YYYYMMDD`, `YYYY-MM-DD`, or null. */
export function parseDateStamp(stamp: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(stamp);
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  return isLocalDate(date) ? date : null;
}

export const occurrenceIdOf = (seriesId: string, originalStartMs: number): string =>
  `${seriesId}.${utcStamp(originalStartMs)}`;

/** The series id and original UTC start of an occurrence id, or null. */
export function parseOccurrenceId(
  occurrenceId: string,
): { seriesId: string; originalStart: string } | null {
  const dot = occurrenceId.lastIndexOf('.');
  if (dot < 0) return null;
  const seriesId = occurrenceId.slice(0, dot);
  const ms = parseUtcStamp(occurrenceId.slice(dot + 1));
  if (!SERIES_ID.test(seriesId) || ms === null) return null;
  return { seriesId, originalStart: iso(ms) };
}

/**
 * The last local date an UNTIL allows, when it marks the end of a whole local day: a date-form
 * UNTIL (`20260630`), or a UTC one that is the last second of a local date in the zone
 * (`20260630T225959Z` in Europe/London, as RFC 5545 writes "until 30 June" for a DTSTART with a
 * TZID). Null for any other UNTIL.
 */
export function lastDateOfUntil(until: string, timeZone: string): string | null {
  const date = parseDateStamp(until);
  if (date) return date;
  const ms = parseUtcStamp(until);
  if (ms === null) return null;
  const day = localDateAt(ms, timeZone);
  return localDateAt(ms + 1000, timeZone) !== day ? day : null;
}

// ---------------------------------------------------------------------------------------------
// Rules

const ALLOWED_PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYSETPOS', 'COUNT', 'UNTIL'];
const KNOWN_FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', ...FREQUENCIES];
const INTEGER = /^[+-]?\d{1,4}$/;
const MAX_LIST = 31;

function parseIntegerList(
  part: string,
  value: string,
  valid: (n: number) => boolean,
): Result<number[], RecurrenceError> {
  const items = value.split(',');
  if (items.length > MAX_LIST) return fail('invalid_rule_value', `${part} lists too many values`);
  const out: number[] = [];
  for (const item of items) {
    const n = Number(item);
    if (!INTEGER.test(item) || !valid(n)) {
      return fail('invalid_rule_value', `${part} has an invalid value`);
    }
    if (!out.includes(n)) out.push(n);
  }
  return ok(out);
}

/**
 * Parses and checks an RRULE value against what Tend supports: FREQ DAILY, WEEKLY, MONTHLY or
 * YEARLY; INTERVAL; BYDAY (with ordinals such as 2TU or -1FR under MONTHLY and YEARLY);
 * BYMONTHDAY; BYSETPOS; COUNT or UNTIL. Anything else is refused rather than ignored, so a rule
 * never means something other than what Tend shows.
 */
export function parseRule(text: string): Result<RuleParts, RecurrenceError> {
  if (typeof text !== 'string' || text.length === 0 || text.length > 500) {
    return fail('invalid_rrule', 'the rule is empty or too long');
  }
  const body = text.trim().replace(/^RRULE:/i, '');
  const seen = new Map<string, string>();
  for (const piece of body.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0 || eq === piece.length - 1)
      return fail('invalid_rrule', 'a part is not NAME=VALUE');
    const name = piece.slice(0, eq).toUpperCase();
    const value = piece.slice(eq + 1).toUpperCase();
    if (!/^[A-Z-]+$/.test(name)) return fail('invalid_rrule', 'a part name is not a word');
    if (seen.has(name)) return fail('invalid_rrule', `${name} is given twice`);
    seen.set(name, value);
  }
  const freqText = seen.get('FREQ');
  if (freqText === undefined) return fail('invalid_rrule', 'FREQ is missing');
  if (!KNOWN_FREQS.includes(freqText)) return fail('invalid_rrule', 'FREQ is not a frequency');
  if (!(FREQUENCIES as readonly string[]).includes(freqText)) {
    return fail('unsupported_frequency', `FREQ=${freqText} is not supported`);
  }
  const freq = freqText as Frequency;
  for (const name of seen.keys()) {
    if (!ALLOWED_PARTS.includes(name)) {
      return fail('unsupported_rule_part', `${name} is not supported`);
    }
  }

  let interval = 1;
  const intervalText = seen.get('INTERVAL');
  if (intervalText !== undefined) {
    interval = Number(intervalText);
    if (!/^\d{1,3}$/.test(intervalText) || interval < 1 || interval > MEETING_LIMITS.maxInterval) {
      return fail('invalid_rule_value', `INTERVAL must be 1 … ${MEETING_LIMITS.maxInterval}`);
    }
  }

  const byDay: ByDay[] = [];
  const byDayText = seen.get('BYDAY');
  if (byDayText !== undefined) {
    const items = byDayText.split(',');
    if (items.length > MAX_LIST) return fail('invalid_rule_value', 'BYDAY lists too many values');
    const maxOrdinal = freq === 'MONTHLY' ? 5 : 53;
    for (const item of items) {
      const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
      if (!m) return fail('invalid_rule_value', 'BYDAY has an invalid value');
      const weekday = m[2] as Weekday;
      if (m[1] === undefined) {
        if (!byDay.some((d) => d.ordinal === undefined && d.weekday === weekday)) {
          byDay.push({ weekday });
        }
        continue;
      }
      const ordinal = Number(m[1]);
      if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
        return fail('invalid_rule_value', 'BYDAY with a number needs FREQ=MONTHLY or YEARLY');
      }
      if (ordinal === 0 || Math.abs(ordinal) > maxOrdinal) {
        return fail('invalid_rule_value', 'BYDAY has an ordinal out of range');
      }
      if (!byDay.some((d) => d.ordinal === ordinal && d.weekday === weekday)) {
        byDay.push({ ordinal, weekday });
      }
    }
  }

  let byMonthDay: number[] = [];
  const byMonthDayText = seen.get('BYMONTHDAY');
  if (byMonthDayText !== undefined) {
    if (freq === 'WEEKLY') return fail('invalid_rule_value', 'BYMONTHDAY cannot go with WEEKLY');
    const parsed = parseIntegerList(
      'BYMONTHDAY',
      byMonthDayText,
      (n) => n !== 0 && Math.abs(n) <= 31,
    );
    if (!parsed.ok) return parsed;
    byMonthDay = parsed.value;
  }

  let bySetPos: number[] = [];
  const bySetPosText = seen.get('BYSETPOS');
  if (bySetPosText !== undefined) {
    if (byDay.length === 0 && byMonthDay.length === 0) {
      return fail('invalid_rule_value', 'BYSETPOS needs BYDAY or BYMONTHDAY');
    }
    const parsed = parseIntegerList('BYSETPOS', bySetPosText, (n) => n !== 0 && Math.abs(n) <= 366);
    if (!parsed.ok) return parsed;
    bySetPos = parsed.value;
  }

  const countText = seen.get('COUNT');
  const untilText = seen.get('UNTIL');
  if (countText !== undefined && untilText !== undefined) {
    return fail('count_and_until', 'COUNT and UNTIL cannot both be given');
  }
  let count: number | undefined;
  if (countText !== undefined) {
    count = Number(countText);
    if (!/^\d{1,4}$/.test(countText) || count < 1 || count > MEETING_LIMITS.maxCount) {
      return fail('invalid_rule_value', `COUNT must be 1 … ${MEETING_LIMITS.maxCount}`);
    }
  }
  if (
    untilText !== undefined &&
    parseUtcStamp(untilText) === null &&
    parseDateStamp(untilText) === null
  ) {
    return fail(
      'invalid_rule_value',
      'UNTIL must be a date, YYYYMMDD, or a UTC date-time, YYYYMMDDTHHMMSSZ',
    );
  }

  return ok({
    freq,
    interval,
    byDay,
    byMonthDay,
    bySetPos,
    ...(count === undefined ? {} : { count }),
    ...(untilText === undefined ? {} : { until: untilText }),
  });
}

const byDayText = (d: ByDay): string => `${d.ordinal ?? ''}${d.weekday}`;

/** The RRULE value for parts, in one canonical order (INTERVAL=1 left out). */
export function formatRule(parts: RuleParts, options: { withEnd?: boolean } = {}): string {
  const out = [`FREQ=${parts.freq}`];
  if (parts.interval !== 1) out.push(`INTERVAL=${parts.interval}`);
  if (parts.byDay.length > 0) out.push(`BYDAY=${parts.byDay.map(byDayText).join(',')}`);
  if (parts.byMonthDay.length > 0) out.push(`BYMONTHDAY=${parts.byMonthDay.join(',')}`);
  if (parts.bySetPos.length > 0) out.push(`BYSETPOS=${parts.bySetPos.join(',')}`);
  if (options.withEnd !== false) {
    if (parts.count !== undefined) out.push(`COUNT=${parts.count}`);
    if (parts.until !== undefined) out.push(`UNTIL=${parts.until}`);
  }
  return out.join(';');
}
