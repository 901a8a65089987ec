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
 * - A series start that does not match its rule is not an occurrence: the first meeting is the
 *   first date the rule gives on or after the start (RFC 5545 leaves an unsynchronised DTSTART
 *   undefined; this is rrule-temporal's default, and rrule.js's). The feed carries each
 *   occurrence, not the rule, so calendar apps cannot read it differently.
 * - UNTIL is either a date (`UNTIL=20260630`: meetings on that local date are the last; what the
 *   form writes, and unaffected by changes to a zone's rules) or a UTC instant (RFC 5545's form,
 *   compared with each meeting's real start). COUNT (at most 1,000) and UNTIL exclude each other.
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
import {
  MEETING_LIMITS,
  SERIES_ID,
  formatRule,
  isLocalDateTime,
  normaliseTimeZone,
  occurrenceIdOf,
  parseDateStamp,
  parseRule,
  parseUtcStamp,
  utcStamp,
  type MeetingSeries,
  type Occurrence,
  type OccurrenceOverride,
  type RecurrenceError,
  type RecurrenceErrorCode,
  type RuleParts,
  type ValidSeries,
} from './recurrence-rule.js';

export * from './recurrence-rule.js';

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

const fail = (code: RecurrenceErrorCode, detail: string) => err<RecurrenceError>({ code, detail });

// ---------------------------------------------------------------------------------------------
// Local times in zones

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

/**
 * The UTC form of "until the end of <date>" in a zone: the last second of that local date
 * (`20260630T225959Z` for 30 June 2026 in Europe/London), as strict RFC 5545 wants for a DTSTART
 * with a TZID. Tend itself stores the date form (`UNTIL=20260630`), which means the same and does
 * not change if the zone's rules do; this is for exporting a rule to strict consumers.
 */
export function untilForLastDate(date: string, timeZone: string): string {
  const nextDay = ZDT().from(`${date}T00:00:00[UTC]`).toPlainDate().add({ days: 1 });
  const startOfNextDay = nextDay.toZonedDateTime(timeZone);
  return utcStamp(startOfNextDay.epochMilliseconds - 1000);
}

// ---------------------------------------------------------------------------------------------
// Rules

/** The rule on floating (local-as-UTC) times. */
interface Expander {
  readonly rule: RRuleTemporal;
  /** A UTC UNTIL, which real instants must not pass (a date UNTIL is exact on floating times). */
  readonly untilMs: number | null;
}

function expanderFor(start: string, timeZone: string, parts: RuleParts): Expander {
  const untilDate = parts.until === undefined ? null : parseDateStamp(parts.until);
  const untilMs = parts.until === undefined ? null : parseUtcStamp(parts.until);
  let floatingUntil: ZonedDateTime | undefined;
  // UNTIL=20260630: any meeting on that local date, or before.
  if (untilDate) floatingUntil = floating(`${untilDate}T23:59`);
  // A UTC UNTIL: local times of it and of an occurrence can disagree by an hour around a change
  // of clocks, so the floating bound is a day later and real instants decide.
  if (untilMs !== null) floatingUntil = wallAt(untilMs, timeZone).add({ days: 1 });
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
    const untilDate = rule.until === undefined ? null : parseDateStamp(rule.until);
    const untilMs = rule.until === undefined ? null : parseUtcStamp(rule.until);
    if (
      (untilDate !== null && untilDate < series.start.slice(0, 10)) ||
      (untilMs !== null && untilMs < startMs)
    ) {
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
    const rule = series.rule;
    const expanded = guarded(() => expandRule(series, rule, overrides, fromMs, toMs));
    if (!expanded.ok) return expanded;
    all.push(...expanded.value);
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

/**
 * rrule-temporal gives up (throws) past its iteration caps. Not expected for a rule that
 * validated, but if it happens it is `never_occurs` (no meeting found in reasonable time), never
 * an exception.
 */
function guarded<T>(run: () => T): Result<T, RecurrenceError> {
  try {
    return ok(run());
  } catch {
    return fail('never_occurs', 'the rule gives no meeting in a reasonable time');
  }
}

function expandRule(
  series: ValidSeries,
  rule: RuleParts,
  overrides: Map<string, OccurrenceOverride>,
  fromMs: number,
  toMs: number,
): Occurrence[] {
  const all: Occurrence[] = [];
  const expander = expanderFor(series.start, series.timeZone, rule);
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
  return all;
}

function nextFromRule(
  series: ValidSeries,
  rule: RuleParts,
  overrides: Map<string, OccurrenceOverride>,
  afterMs: number,
  wanted: (o: Occurrence) => boolean,
): Occurrence | null {
  const expander = expanderFor(series.start, series.timeZone, rule);
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
    if (wanted(occurrence)) return occurrence;
  }
  return null;
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
    const rule = series.rule;
    const found = guarded(() => nextFromRule(series, rule, overrides, afterMs, wanted));
    if (!found.ok) return found;
    if (found.value) candidates.push(found.value);
  }
  candidates.sort(byStart);
  return ok(candidates[0] ?? null);
}
