/**
 * Meeting times for peer-support groups: a series (one meeting, or a recurring one), expanded into
 * occurrences in a UTC window. Recurrence rules are RFC 5545 RRULEs, expanded by rrule-temporal;
 * time zones and daylight saving come from Temporal (the copy rrule-temporal bundles, as Node 20
 * has no `globalThis.Temporal`).
 *
 * Semantics (docs/GROUPS.md, "Meeting times"):
 * - A series starts at a local date-time (`YYYY-MM-DDTHH:MM`) in an IANA time zone, and every
 *   occurrence keeps that local wall-clock time: a weekly 19:00 meeting in Europe/London is 19:00
 *   in London all year, so its UTC time shifts when the clocks change.
 * - The rule is expanded on local dates (as RFC 5545 does for a DTSTART with a TZID); each
 *   occurrence's local time is then placed in the zone:
 *   - a local time that does not exist (the spring-forward gap, e.g. 02:30 in New York on the
 *     second Sunday of March) moves forward by the length of the gap (03:30), as RFC 5545
 *     3.3.5 says for a DATE-TIME. RFC 5545 3.3.10 would instead drop such an instance from a
 *     rule; Tend deliberately does not, so that a meeting never silently disappears — it
 *     happens an hour later that day, and still counts towards COUNT;
 *   - a local time that happens twice (the fall-back overlap, e.g. 01:30 in New York on the
 *     first Sunday of November) is the first of the two (01:30 EDT), as RFC 5545 3.3.5 says.
 * - A series start that does not match its rule is not an occurrence (the first meeting is the
 *   first date the rule gives on or after the start), as most calendar apps do.
 * - Exceptions cancel an occurrence, named by its original local start. Overrides move one
 *   occurrence (another local time in the series' zone, another length, another place), or mark it
 *   cancelled with a note. Cancelled occurrences are still listed, flagged, unless asked not to be:
 *   a member sees "cancelled" rather than a meeting that vanished.
 * - An occurrence's id is the series id and its original start in UTC (`<series>.20260329T180000Z`):
 *   moving it does not change it, so RSVPs and calendar entries follow it. (It changes if the
 *   series' start or the zone's rules change, as the meeting itself then does.)
 */
import { RRuleTemporal } from 'rrule-temporal';
import { err, ok, type Result } from '../result.js';

// ---------------------------------------------------------------------------------------------
// Temporal, from rrule-temporal

/** A Temporal.ZonedDateTime as rrule-temporal returns it (native Temporal or its bundled copy). */
type ZonedDateTime = ReturnType<RRuleTemporal['all']>[number];
interface ZonedDateTimeClass {
  from(item: string, options?: { disambiguation?: 'compatible' }): ZonedDateTime;
}

let zonedDateTimeClass: ZonedDateTimeClass | undefined;

/**
 * rrule-temporal does not export its Temporal, but every value it returns is one of its
 * ZonedDateTimes, whose class has the standard static `from`.
 */
function ZDT(): ZonedDateTimeClass {
  if (!zonedDateTimeClass) {
    const probe = new RRuleTemporal({
      rruleString: 'DTSTART;TZID=UTC:20000101T000000\nRRULE:FREQ=DAILY;COUNT=1',
    }).options().dtstart;
    zonedDateTimeClass = probe.constructor as unknown as ZonedDateTimeClass;
  }
  return zonedDateTimeClass;
}

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
  /** `YYYYMMDDTHHMMSSZ`. */
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

const SERIES_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A real calendar date-time (no 2026-02-30, no 25:00), to the minute. */
export function isLocalDateTime(value: string): boolean {
  if (!LOCAL_DATE_TIME.test(value)) return false;
  try {
    ZDT().from(`${value}:00[UTC]`);
    return true;
  } catch {
    return false;
  }
}

export function isLocalDate(value: string): boolean {
  return LOCAL_DATE.test(value) && isLocalDateTime(`${value}T00:00`);
}

/**
 * The zone's canonical spelling, or null when it is not an IANA time zone Temporal knows. Fixed
 * offsets (`+01:00`) are refused: they have no daylight saving, and a group meets by a place's
 * clock.
 */
export function normaliseTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return null;
  try {
    return ZDT().from(`2000-01-01T00:00:00[${value}]`).timeZoneId;
  } catch {
    return null;
  }
}

/** A local time in a zone, resolved as RFC 5545 3.3.5 says (gap: forward; overlap: the first). */
function place(local: string, timeZone: string): ZonedDateTime {
  return ZDT().from(`${local}:00[${timeZone}]`, { disambiguation: 'compatible' });
}

/** A local time as if in UTC: how rules are expanded, on local dates, without gaps. */
function floating(local: string): ZonedDateTime {
  return ZDT().from(`${local}:00[UTC]`);
}

const toLocal = (zdt: ZonedDateTime): string =>
  zdt.toPlainDateTime().toString({ smallestUnit: 'minute' });

/** The wall-clock time an instant shows in a zone, as a floating value. */
function wallAt(epochMs: number, timeZone: string): ZonedDateTime {
  const here = ZDT().from(`${new Date(epochMs).toISOString()}[${timeZone}]`);
  return floating(toLocal(here));
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** `20260329T180000Z` for an instant. */
export function utcStamp(epochMs: number): string {
  return iso(epochMs)
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function parseUtcStamp(stamp: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return null;
  const text = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || iso(ms) !== text.replace('Z', '.000Z') ? null : ms;
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
 * UNTIL for "ends on <date>": the last second of that local date in the zone, in UTC
 * (`20260630T225959Z` for 30 June 2026 in Europe/London), as RFC 5545 wants for a DTSTART with a
 * TZID.
 */
export function untilForLastDate(date: string, timeZone: string): string {
  const nextDay = ZDT().from(`${date}T00:00:00[UTC]`).toPlainDate().add({ days: 1 });
  const startOfNextDay = nextDay.toZonedDateTime(timeZone);
  return utcStamp(startOfNextDay.epochMilliseconds - 1000);
}

/** The local date in the zone of an UNTIL (`YYYYMMDDTHHMMSSZ`): the reverse of untilForLastDate. */
export function lastDateOfUntil(until: string, timeZone: string): string | null {
  const ms = parseUtcStamp(until);
  if (ms === null) return null;
  return toLocal(wallAt(ms, timeZone)).slice(0, 10);
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
  if (untilText !== undefined && parseUtcStamp(untilText) === null) {
    return fail('invalid_rule_value', 'UNTIL must be a UTC date-time, YYYYMMDDTHHMMSSZ');
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

/** The rule on floating (local-as-UTC) times; UNTIL is applied by the caller on real instants. */
interface Expander {
  readonly rule: RRuleTemporal;
  readonly untilMs: number | null;
}

function expanderFor(start: string, timeZone: string, parts: RuleParts): Expander {
  const untilMs = parts.until === undefined ? null : parseUtcStamp(parts.until);
  // Local times of UNTIL and of an occurrence can disagree by an hour around a change of
  // clocks, so the floating bound is a day later and real instants decide.
  const floatingUntil = untilMs === null ? undefined : wallAt(untilMs, timeZone).add({ days: 1 });
  const rule = new RRuleTemporal({
    rruleString: formatRule({ ...parts, until: undefined }),
    dtstart: floating(start),
    ...(floatingUntil ? { until: floatingUntil } : {}),
  });
  return { rule, untilMs };
}

/** The rule's first floating start after (or at) a floating time; null when it has ended. */
function nextRaw(expander: Expander, after: ZonedDateTime, inclusive: boolean) {
  return expander.rule.next(after, inclusive);
}

// ---------------------------------------------------------------------------------------------
// Validation

function checkOverride(o: OccurrenceOverride): string | null {
  if (typeof o !== 'object' || o === null) return 'an override is not an object';
  if (!isLocalDateTime(o.originalStart)) return 'originalStart is not a local date-time';
  if (o.start !== undefined && !isLocalDateTime(o.start)) return 'start is not a local date-time';
  if (o.durationMinutes !== undefined && !validDuration(o.durationMinutes)) {
    return 'durationMinutes is out of range';
  }
  if (
    o.location !== undefined &&
    (typeof o.location !== 'string' || o.location.length > MEETING_LIMITS.maxLocationLength)
  ) {
    return 'location is too long';
  }
  if (
    o.note !== undefined &&
    (typeof o.note !== 'string' || o.note.length > MEETING_LIMITS.maxNoteLength)
  ) {
    return 'note is too long';
  }
  if (o.cancelled !== undefined && typeof o.cancelled !== 'boolean')
    return 'cancelled is not true or false';
  if (o.revision !== undefined && !(Number.isInteger(o.revision) && o.revision >= 1)) {
    return 'revision must be a whole number, 1 or more';
  }
  return null;
}

/** Array.isArray without narrowing to any[]. */
const isList = (value: unknown): boolean => Array.isArray(value);

const validDuration = (n: unknown): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MEETING_LIMITS.maxDurationMinutes;

/** Whether a local start is an occurrence the rule gives (before exceptions and overrides). */
function isRuleOccurrence(series: ValidSeries, expander: Expander | null, local: string): boolean {
  if (!expander) return local === series.start;
  const at = floating(local);
  let hit: ZonedDateTime | null;
  try {
    hit = nextRaw(expander, at, true);
  } catch {
    return false;
  }
  if (!hit || hit.epochMilliseconds !== at.epochMilliseconds) return false;
  return (
    expander.untilMs === null || place(local, series.timeZone).epochMilliseconds <= expander.untilMs
  );
}

/**
 * Checks a series and returns it normalised (canonical zone spelling and RRULE), or the first
 * problem with a stable code. Validation is bounded: a rule with at most 1,000 occurrences,
 * and at most 500 exceptions and 500 overrides, each of which must name a real occurrence.
 */
export function validateSeries(series: MeetingSeries): Result<ValidSeries, RecurrenceError> {
  if (typeof series.id !== 'string' || !SERIES_ID.test(series.id)) {
    return fail('invalid_series_id', 'the series id is not 1–64 of A–Z a–z 0–9 _ -');
  }
  if (typeof series.start !== 'string' || !isLocalDateTime(series.start)) {
    return fail('invalid_start', 'start is not a local date-time YYYY-MM-DDTHH:MM');
  }
  const timeZone = typeof series.timeZone === 'string' ? normaliseTimeZone(series.timeZone) : null;
  if (!timeZone) return fail('invalid_time_zone', 'timeZone is not an IANA time zone');
  if (!validDuration(series.durationMinutes)) {
    return fail(
      'invalid_duration',
      `durationMinutes must be 1 … ${MEETING_LIMITS.maxDurationMinutes}`,
    );
  }

  let rule: RuleParts | null = null;
  let expander: Expander | null = null;
  if (series.rrule !== undefined && series.rrule !== null) {
    const parsed = parseRule(series.rrule);
    if (!parsed.ok) return parsed;
    rule = parsed.value;
    const startMs = place(series.start, timeZone).epochMilliseconds;
    if (rule.until !== undefined && (parseUtcStamp(rule.until) ?? 0) < startMs) {
      return fail('until_before_start', 'UNTIL is before the start');
    }
    try {
      expander = expanderFor(series.start, timeZone, rule);
      const first = nextRaw(expander, floating(series.start), true);
      if (
        !first ||
        (expander.untilMs !== null &&
          place(toLocal(first), timeZone).epochMilliseconds > expander.untilMs)
      ) {
        return fail('never_occurs', 'the rule gives no meeting');
      }
    } catch {
      return fail('never_occurs', 'the rule gives no meeting in a reasonable time');
    }
  }

  const exceptions = series.exceptions ?? [];
  const overrides = series.overrides ?? [];
  if (!isList(exceptions) || exceptions.length > MEETING_LIMITS.maxExceptions) {
    return fail('too_many_exceptions', `at most ${MEETING_LIMITS.maxExceptions} exceptions`);
  }
  if (!isList(overrides) || overrides.length > MEETING_LIMITS.maxOverrides) {
    return fail('too_many_overrides', `at most ${MEETING_LIMITS.maxOverrides} overrides`);
  }
  const valid: ValidSeries = {
    id: series.id,
    start: series.start,
    timeZone,
    durationMinutes: series.durationMinutes,
    rrule: rule ? formatRule(rule) : null,
    rule,
    exceptions: [...new Set(exceptions)],
    overrides,
  };
  for (const e of exceptions) {
    if (typeof e !== 'string' || !isLocalDateTime(e)) {
      return fail('invalid_exception', 'an exception is not a local date-time');
    }
    if (!isRuleOccurrence(valid, expander, e)) {
      return fail('exception_not_an_occurrence', `${e} is not a meeting of this series`);
    }
  }
  const named = new Set<string>();
  for (const o of overrides) {
    const problem = checkOverride(o);
    if (problem) return fail('invalid_override', problem);
    if (named.has(o.originalStart)) {
      return fail('duplicate_override', `${o.originalStart} is changed twice`);
    }
    named.add(o.originalStart);
    if (!isRuleOccurrence(valid, expander, o.originalStart)) {
      return fail(
        'override_not_an_occurrence',
        `${o.originalStart} is not a meeting of this series`,
      );
    }
  }
  return ok(valid);
}

// ---------------------------------------------------------------------------------------------
// Expansion

function occurrenceOf(
  series: ValidSeries,
  originalLocal: string,
  overrides: Map<string, OccurrenceOverride>,
): Occurrence {
  const originalMs = place(originalLocal, series.timeZone).epochMilliseconds;
  const o = overrides.get(originalLocal);
  const excepted = series.exceptions.includes(originalLocal);
  const localStart = o?.start ?? originalLocal;
  const startMs = o?.start ? place(o.start, series.timeZone).epochMilliseconds : originalMs;
  const durationMinutes = o?.durationMinutes ?? series.durationMinutes;
  const cancelled = excepted || o?.cancelled === true;
  const moved = startMs !== originalMs || durationMinutes !== series.durationMinutes;
  return {
    occurrenceId: occurrenceIdOf(series.id, originalMs),
    seriesId: series.id,
    start: iso(startMs),
    end: iso(startMs + durationMinutes * 60_000),
    localStart,
    originalStart: iso(originalMs),
    originalLocalStart: originalLocal,
    timeZone: series.timeZone,
    durationMinutes,
    cancelled,
    moved,
    location: o?.location ?? null,
    note: o?.note ?? null,
    sequence: o ? (o.revision ?? 1) : excepted ? 1 : 0,
  };
}

const overrideMap = (series: ValidSeries) =>
  new Map(series.overrides.map((o) => [o.originalStart, o] as const));

export interface ExpandOptions {
  /** Start of the window (inclusive), a Date or an ISO instant. */
  readonly from: Date | string;
  /** End of the window (exclusive). */
  readonly to: Date | string;
  /** At most this many occurrences (default 500, at most 2,000). */
  readonly limit?: number;
  /** List cancelled occurrences, flagged (default true). */
  readonly includeCancelled?: boolean;
}

export interface Expansion {
  readonly occurrences: readonly Occurrence[];
  /** More occurrences were in the window than the limit allowed. */
  readonly truncated: boolean;
}

const msOf = (value: Date | string): number =>
  value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;

/**
 * The occurrences whose (possibly moved) start is in [from, to), in order of start. The window
 * may be at most 732 days long, and at most `limit` occurrences come back (`truncated` says
 * when there were more).
 */
export function expandSeries(
  input: MeetingSeries,
  options: ExpandOptions,
): Result<Expansion, RecurrenceError> {
  const fromMs = msOf(options.from);
  const toMs = msOf(options.to);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    return fail('invalid_window', 'the window needs a start before its end');
  }
  if (toMs - fromMs > MEETING_LIMITS.maxWindowDays * 86_400_000) {
    return fail(
      'window_too_long',
      `the window is longer than ${MEETING_LIMITS.maxWindowDays} days`,
    );
  }
  const limit = Math.max(
    1,
    Math.min(MEETING_LIMITS.maxLimit, Math.floor(options.limit ?? MEETING_LIMITS.defaultLimit)),
  );
  const checked = validateSeries(input);
  if (!checked.ok) return checked;
  const series = checked.value;
  const overrides = overrideMap(series);

  const all: Occurrence[] = [];
  if (!series.rule) {
    all.push(occurrenceOf(series, series.start, overrides));
  } else {
    const expander = expanderFor(series.start, series.timeZone, series.rule);
    // Local and UTC times differ by under a day; a margin of two days on each side, then real
    // instants decide.
    const lo = wallAt(fromMs, series.timeZone).subtract({ days: 2 });
    const hi = wallAt(toMs, series.timeZone).add({ days: 2 });
    for (const raw of expander.rule.between(lo, hi, true)) {
      const local = toLocal(raw);
      if (overrides.has(local)) continue;
      const occurrence = occurrenceOf(series, local, overrides);
      if (expander.untilMs !== null && Date.parse(occurrence.originalStart) > expander.untilMs) {
        continue;
      }
      all.push(occurrence);
    }
    // Moved occurrences can come from (or go to) anywhere; each was checked to be one.
    for (const o of series.overrides) all.push(occurrenceOf(series, o.originalStart, overrides));
  }
  const wanted = all
    .filter((o) => {
      const start = Date.parse(o.start);
      return (
        start >= fromMs && start < toMs && (options.includeCancelled !== false || !o.cancelled)
      );
    })
    .sort(byStart);
  return ok({ occurrences: wanted.slice(0, limit), truncated: wanted.length > limit });
}

const byStart = (a: Occurrence, b: Occurrence): number =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : a.occurrenceId < b.occurrenceId ? -1 : 1;

/**
 * The first occurrence starting at or after `after` (skipping cancelled ones unless asked), or
 * null when the series has ended.
 */
export function nextOccurrence(
  input: MeetingSeries,
  after: Date | string,
  options: { includeCancelled?: boolean } = {},
): Result<Occurrence | null, RecurrenceError> {
  const afterMs = msOf(after);
  if (!Number.isFinite(afterMs)) return fail('invalid_window', 'after is not an instant');
  const checked = validateSeries(input);
  if (!checked.ok) return checked;
  const series = checked.value;
  const overrides = overrideMap(series);
  const wanted = (o: Occurrence) =>
    Date.parse(o.start) >= afterMs && (options.includeCancelled === true || !o.cancelled);

  const candidates = series.overrides
    .map((o) => occurrenceOf(series, o.originalStart, overrides))
    .filter(wanted);
  if (!series.rule) {
    candidates.push(
      ...[occurrenceOf(series, series.start, overrides)].filter(
        (o) => !overrides.has(series.start) && wanted(o),
      ),
    );
  } else {
    const expander = expanderFor(series.start, series.timeZone, series.rule);
    let cursor = wallAt(afterMs, series.timeZone).subtract({ days: 2 });
    let inclusive = true;
    // Each step passes an exception, an override, or one of the few occurrences in the margin.
    const maxSteps = series.exceptions.length + series.overrides.length + 8;
    for (let step = 0; step < maxSteps; step++) {
      const raw = nextRaw(expander, cursor, inclusive);
      if (!raw) break;
      cursor = raw;
      inclusive = false;
      const local = toLocal(raw);
      if (overrides.has(local)) continue;
      const occurrence = occurrenceOf(series, local, overrides);
      if (expander.untilMs !== null && Date.parse(occurrence.originalStart) > expander.untilMs) {
        break;
      }
      if (wanted(occurrence)) {
        candidates.push(occurrence);
        break;
      }
    }
  }
  candidates.sort(byStart);
  return ok(candidates[0] ?? null);
}
