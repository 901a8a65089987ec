/**
 * Check-ins → one value per tracker per day. A day is the person's local calendar date: give an
 * IANA time zone (`{ timeZone: 'Europe/Berlin' }`, daylight saving handled by Intl) or a fixed
 * offset (`{ offsetMinutes: 60 }`), or bucket the days yourself and call `dayTable`.
 *
 * Several check-ins on one day combine: numbers, scales and durations by their mean; times of
 * day by the mean of minutes after midnight (so 23:30 and 00:30 average to 12:00 — a limit);
 * yes/no is yes when any check-in said yes; tags are the union. Free text is not combined.
 */
import type { Checkin, Tracker, Value } from './schema.js';

export type Zone = { readonly timeZone: string } | { readonly offsetMinutes: number };

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (YYYY-MM-DD) of an ISO time in a zone. */
export function localDate(at: string, zone: Zone): string {
  const ms = Date.parse(at);
  if ('offsetMinutes' in zone) {
    return new Date(ms + zone.offsetMinutes * 60_000).toISOString().slice(0, 10);
  }
  let f = formatters.get(zone.timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(zone.timeZone, f);
  }
  return f.format(ms);
}

/** Days since 1970-01-01 for a YYYY-MM-DD date. */
export const dayNumber = (date: string): number =>
  Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
/** YYYY-MM-DD for a day number. */
export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** The date `n` days after `date` (n may be negative). */
export const addDays = (date: string, n: number): string => dateOf(dayNumber(date) + n);

/** One tracker's days: `number` (NaN = no value), `yesno` (−1 none, 0 no, 1 yes) or `tags`. */
export type Series =
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'yesno'; readonly values: Int8Array }
  | { readonly kind: 'tags'; readonly values: readonly (ReadonlySet<string> | undefined)[] };

/** Every calendar day from the first to the last day with a check-in, gaps included. */
export interface DayTable {
  /** Day number of index 0 (see `dayNumber`). */
  readonly start: number;
  readonly length: number;
  readonly series: ReadonlyMap<string, Series>;
}

export interface DayValues {
  /** YYYY-MM-DD, the person's local date. */
  readonly date: string;
  readonly values: Readonly<Record<string, Value>>;
}

const minutesOf = (hhmm: string): number =>
  Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const seriesKind = (tracker: Tracker): Series['kind'] | undefined =>
  tracker.kind === 'yesno'
    ? 'yesno'
    : tracker.kind === 'tags'
      ? 'tags'
      : tracker.kind === 'text'
        ? undefined
        : 'number';

/**
 * Builds the day table from values already bucketed by date (several entries may share a
 * date). Values of unknown trackers, or of the wrong shape, are left out.
 */
export function dayTable(entries: readonly DayValues[], trackers: readonly Tracker[]): DayTable {
  if (entries.length === 0) return { start: 0, length: 0, series: new Map() };
  const days = entries.map((e) => dayNumber(e.date));
  let start = Infinity;
  let end = -Infinity;
  for (const d of days) {
    if (d < start) start = d;
    if (d > end) end = d;
  }
  const length = end - start + 1;
  const series = new Map<string, Series>();
  const sums = new Map<string, { sum: Float64Array; count: Uint16Array }>();
  for (const t of trackers) {
    const kind = seriesKind(t);
    if (kind === 'number') {
      sums.set(t.id, { sum: new Float64Array(length), count: new Uint16Array(length) });
    } else if (kind === 'yesno') series.set(t.id, { kind, values: new Int8Array(length).fill(-1) });
    else if (kind === 'tags') {
      series.set(t.id, {
        kind,
        values: new Array<Set<string> | undefined>(length).fill(undefined),
      });
    }
  }
  const byId = new Map(trackers.map((t) => [t.id, t]));
  entries.forEach((entry, k) => {
    const i = days[k]! - start;
    for (const id in entry.values) {
      const value = entry.values[id]!;
      const tracker = byId.get(id);
      if (!tracker) continue;
      const acc = sums.get(id);
      if (acc) {
        const x =
          tracker.kind === 'timeofday'
            ? typeof value === 'string' && /^\d\d:\d\d$/.test(value)
              ? minutesOf(value)
              : NaN
            : typeof value === 'number'
              ? value
              : NaN;
        if (Number.isFinite(x)) {
          acc.sum[i]! += x;
          acc.count[i]!++;
        }
        continue;
      }
      const s = series.get(id);
      if (s?.kind === 'yesno' && typeof value === 'boolean') {
        if (value) s.values[i] = 1;
        else if (s.values[i] === -1) s.values[i] = 0;
      } else if (s?.kind === 'tags' && Array.isArray(value)) {
        const list = s.values as (Set<string> | undefined)[];
        const set = (list[i] ??= new Set());
        for (const tag of value) set.add(tag);
      }
    }
  });
  for (const [id, { sum, count }] of sums) {
    const values = new Float64Array(length);
    for (let i = 0; i < length; i++) values[i] = count[i] ? sum[i]! / count[i]! : NaN;
    series.set(id, { kind: 'number', values });
  }
  return { start, length, series };
}

/** Buckets check-ins into the person's local days and builds the day table. */
export function dailyValues(
  checkins: readonly Pick<Checkin, 'at' | 'values'>[],
  trackers: readonly Tracker[],
  zone: Zone,
): DayTable {
  return dayTable(
    checkins.map((c) => ({ date: localDate(c.at, zone), values: c.values })),
    trackers,
  );
}

/** A tracker's value on a date: a number, a yes/no, a set of tags, or undefined. */
export function valueOn(
  table: DayTable,
  trackerId: string,
  date: string,
): number | boolean | ReadonlySet<string> | undefined {
  const s = table.series.get(trackerId);
  const i = dayNumber(date) - table.start;
  if (!s || i < 0 || i >= table.length) return undefined;
  if (s.kind === 'number') return Number.isNaN(s.values[i]!) ? undefined : s.values[i];
  if (s.kind === 'yesno') return s.values[i] === -1 ? undefined : s.values[i] === 1;
  return s.values[i];
}
