/**
 * One tracker's days gathered into periods for the history charts: by day, by ISO week (Monday
 * to Sunday) or by calendar month. Numbers, scales, durations and times of day give the mean of
 * the days recorded in the period, with how many days are behind it (and the lowest and highest
 * day); yes/no gives the share of recorded days that were a yes; a tag set gives, per tag, the
 * number of days it was there. A period with no day recorded stays empty (`null`, 0 days) — never
 * a zero. Dates are the person's local calendar dates (YYYY-MM-DD), as in the day table.
 */
import { addDays, dayNumber, type DayTable } from './days.js';

export type Granularity = 'day' | 'week' | 'month';

/** A period's first and last calendar date, both included. */
export interface Period {
  readonly start: string;
  readonly end: string;
}

export interface NumberPeriod extends Period {
  /** Mean of the recorded days' values, or null when no day was recorded. */
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Days recorded in the period. */
  readonly days: number;
}

export interface YesNoPeriod extends Period {
  readonly yes: number;
  /** Days recorded (yes or no). */
  readonly days: number;
  /** yes / days, or null when no day was recorded. */
  readonly share: number | null;
}

export interface TagsPeriod extends Period {
  /** Days the tag set was recorded. */
  readonly days: number;
  /** Days each tag was there (tags with no day are left out). */
  readonly counts: ReadonlyMap<string, number>;
}

export type PeriodSeries =
  | { readonly kind: 'number'; readonly by: Granularity; readonly periods: readonly NumberPeriod[] }
  | { readonly kind: 'yesno'; readonly by: Granularity; readonly periods: readonly YesNoPeriod[] }
  | {
      readonly kind: 'tags';
      readonly by: Granularity;
      readonly periods: readonly TagsPeriod[];
      /** Every tag seen, most days first (then by name). */
      readonly tags: readonly string[];
    };

/** The first date of the period holding `date`: itself, its week's Monday, or the 1st. */
export function periodStart(date: string, by: Granularity): string {
  if (by === 'day') return date;
  if (by === 'month') return `${date.slice(0, 8)}01`;
  // 1970-01-01 was a Thursday: day number 0 → weekday index 3 (Monday = 0).
  const weekday = (((dayNumber(date) + 3) % 7) + 7) % 7;
  return addDays(date, -weekday);
}

/** The first date of the period after the one starting at `start`. */
export function nextPeriodStart(start: string, by: Granularity): string {
  if (by === 'day') return addDays(start, 1);
  if (by === 'week') return addDays(start, 7);
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  return m === 12
    ? `${String(y + 1).padStart(4, '0')}-01-01`
    : `${start.slice(0, 5)}${String(m + 1).padStart(2, '0')}-01`;
}

/** Every period from the one holding `from` to the one holding `to`, oldest first. */
export function periodsBetween(from: string, to: string, by: Granularity): Period[] {
  const out: Period[] = [];
  if (to < from) return out;
  for (let s = periodStart(from, by); s <= to;) {
    const next = nextPeriodStart(s, by);
    out.push({ start: s, end: addDays(next, -1) });
    s = next;
  }
  return out;
}

/** The chart ranges: the last `count` days, weeks or months up to and including `today`. */
export function lastPeriods(today: string, by: Granularity, count: number): Period {
  let start = periodStart(today, by);
  for (let i = 1; i < count; i++) {
    start =
      by === 'month'
        ? periodStart(addDays(start, -1), 'month')
        : addDays(start, by === 'week' ? -7 : -1);
  }
  return { start, end: today };
}

/**
 * A tracker's periods covering `range` (the first and last periods are whole periods, but only
 * the days inside the range count). Undefined when the table has no series for the tracker
 * (unknown tracker, or free text).
 */
export function trackerPeriods(
  table: DayTable,
  trackerId: string,
  by: Granularity,
  range: Period,
): PeriodSeries | undefined {
  const series = table.series.get(trackerId);
  if (!series) return undefined;
  const periods = periodsBetween(range.start, range.end, by);
  const first = dayNumber(range.start);
  const last = dayNumber(range.end);
  /** Table indexes of the days of `p` that are inside the range and inside the table. */
  const indexes = (p: Period): number[] => {
    const out: number[] = [];
    const from = Math.max(dayNumber(p.start), first, table.start);
    const to = Math.min(dayNumber(p.end), last, table.start + table.length - 1);
    for (let d = from; d <= to; d++) out.push(d - table.start);
    return out;
  };
  if (series.kind === 'number') {
    return {
      kind: 'number',
      by,
      periods: periods.map((p) => {
        let sum = 0;
        let days = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const i of indexes(p)) {
          const x = series.values[i]!;
          if (Number.isNaN(x)) continue;
          sum += x;
          days++;
          if (x < min) min = x;
          if (x > max) max = x;
        }
        return days
          ? { ...p, mean: sum / days, min, max, days }
          : { ...p, mean: null, min: null, max: null, days: 0 };
      }),
    };
  }
  if (series.kind === 'yesno') {
    return {
      kind: 'yesno',
      by,
      periods: periods.map((p) => {
        let yes = 0;
        let days = 0;
        for (const i of indexes(p)) {
          const v = series.values[i]!;
          if (v === -1) continue;
          days++;
          if (v === 1) yes++;
        }
        return { ...p, yes, days, share: days ? yes / days : null };
      }),
    };
  }
  const totals = new Map<string, number>();
  const tagPeriods = periods.map((p) => {
    const counts = new Map<string, number>();
    let days = 0;
    for (const i of indexes(p)) {
      const set = series.values[i];
      if (!set) continue;
      days++;
      for (const tag of set) {
        counts.set(tag, (counts.get(tag) ?? 0) + 1);
        totals.set(tag, (totals.get(tag) ?? 0) + 1);
      }
    }
    return { ...p, days, counts };
  });
  const tags = [...totals.keys()].sort(
    (a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  return { kind: 'tags', by, periods: tagPeriods, tags };
}

/** What a whole series comes to, for the chart's one-sentence summary. */
export type SeriesSummary =
  | {
      readonly kind: 'number';
      readonly days: number;
      readonly min: number | null;
      readonly max: number | null;
      readonly mean: number | null;
    }
  | { readonly kind: 'yesno'; readonly days: number; readonly yes: number }
  | {
      readonly kind: 'tags';
      readonly days: number;
      /** Each tag with its days, most days first. */
      readonly tags: readonly { readonly tag: string; readonly days: number }[];
    };

export function summarizePeriods(series: PeriodSeries): SeriesSummary {
  if (series.kind === 'number') {
    let days = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const p of series.periods) {
      if (p.mean === null) continue;
      days += p.days;
      sum += p.mean * p.days;
      min = Math.min(min, p.min!);
      max = Math.max(max, p.max!);
    }
    return days
      ? { kind: 'number', days, min, max, mean: sum / days }
      : { kind: 'number', days: 0, min: null, max: null, mean: null };
  }
  if (series.kind === 'yesno') {
    let days = 0;
    let yes = 0;
    for (const p of series.periods) {
      days += p.days;
      yes += p.yes;
    }
    return { kind: 'yesno', days, yes };
  }
  const days = series.periods.reduce((n, p) => n + p.days, 0);
  return {
    kind: 'tags',
    days,
    tags: series.tags.map((tag) => ({
      tag,
      days: series.periods.reduce((n, p) => n + (p.counts.get(tag) ?? 0), 0),
    })),
  };
}
