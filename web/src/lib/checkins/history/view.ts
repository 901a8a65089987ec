/**
 * The history page's pure parts: the month calendar (weeks from Monday, check-ins and journal
 * entries by the person's local day, arrow-key moves), and the charts' words and rows from a
 * tracker's periods (core/src/checkins/periods.ts). Words are message ids with values; the page
 * translates them. Dates here are calendar dates (YYYY-MM-DD) and are shown in UTC so that a
 * date never slips to the day before in a zone west of Greenwich.
 */
import {
  addDays,
  dayNumber,
  lastPeriods,
  localDate,
  periodStart,
  summarizePeriods,
  trackerPeriods,
  type Checkin,
  type DayTable,
  type Granularity,
  type PeriodSeries,
  type Tracker,
  type Zone,
} from '$core/checkins/index';

export interface Message {
  readonly id: string;
  readonly values?: Readonly<Record<string, string | number>>;
}

// ---- calendar ----

/** 'YYYY-MM' of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The month `n` months after `month` ('YYYY-MM'; n may be negative). */
export function shiftMonth(month: string, n: number): string {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  const y = Math.floor(total / 12);
  return `${String(y).padStart(4, '0')}-${String(total - y * 12 + 1).padStart(2, '0')}`;
}

/** The month's days in weeks from Monday to Sunday; days of other months are null. */
export function monthWeeks(month: string): (string | null)[][] {
  const first = `${month}-01`;
  const weeks: (string | null)[][] = [];
  for (let start = periodStart(first, 'week'); monthOf(start) <= month; start = addDays(start, 7)) {
    const week: (string | null)[] = [];
    for (let i = 0; i < 7; i++) {
      const d = addDays(start, i);
      week.push(monthOf(d) === month ? d : null);
    }
    weeks.push(week);
    if (monthOf(addDays(start, 7)) !== month) break;
  }
  return weeks;
}

/** Items by the person's local date of their `at`, in the order given (newest first). */
export function byDay<T extends { readonly at: string }>(
  items: readonly T[],
  zone: Zone,
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const d = localDate(item.at, zone);
    const list = out.get(d);
    if (list) list.push(item);
    else out.set(d, [item]);
  }
  return out;
}

/** Where an arrow, Home, End, Page Up or Page Down key moves the chosen day, if anywhere. */
export function moveDay(date: string, key: string): string | undefined {
  const weekday = dayNumber(date) - dayNumber(periodStart(date, 'week'));
  switch (key) {
    case 'ArrowLeft':
      return addDays(date, -1);
    case 'ArrowRight':
      return addDays(date, 1);
    case 'ArrowUp':
      return addDays(date, -7);
    case 'ArrowDown':
      return addDays(date, 7);
    case 'Home':
      return addDays(date, -weekday);
    case 'End':
      return addDays(date, 6 - weekday);
    case 'PageUp':
    case 'PageDown': {
      const month = shiftMonth(monthOf(date), key === 'PageUp' ? -1 : 1);
      const last = addDays(`${shiftMonth(month, 1)}-01`, -1);
      const day = `${month}-${date.slice(8, 10)}`;
      return day > last ? last : day;
    }
    default:
      return undefined;
  }
}

// ---- values in words ----

/** A day's (or period's) value, as the day table holds it. */
export type DayValue = number | boolean | ReadonlySet<string>;

export interface Format {
  /** A number with the locale's marks, at most one decimal. */
  readonly number: (n: number) => string;
  /** A calendar date (YYYY-MM-DD) in words. */
  readonly date: (date: string) => string;
  /** Items joined as the locale does ("a, b and c"). */
  readonly list: (items: readonly string[]) => string;
  /** Translates a message. */
  readonly t: (m: Message) => string;
}

const hhmm = (minutes: number): string => {
  const m = Math.round(minutes) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** A tracker's value in words: "7.5 hours", "3 of 5", "1 h 20 min", "07:30", "yes", tags. */
export function valueWords(tracker: Tracker, value: DayValue, f: Format): Message {
  if (typeof value === 'boolean') {
    return { id: value ? 'checkins.history.value.yes' : 'checkins.history.value.no' };
  }
  if (typeof value !== 'number') {
    return { id: 'checkins.history.value.words', values: { words: [...value].join(', ') } };
  }
  switch (tracker.kind) {
    case 'scale':
      return {
        id: 'checkins.history.value.scale',
        values: { value: f.number(value), max: tracker.scale?.max ?? 5 },
      };
    case 'duration': {
      const total = Math.round(value);
      const hours = Math.floor(total / 60);
      return {
        id: 'checkins.history.value.duration',
        values: { hours, minutes: total - hours * 60 },
      };
    }
    case 'timeofday':
      return { id: 'checkins.history.value.words', values: { words: hhmm(value) } };
    default:
      return tracker.unit
        ? {
            id: 'checkins.history.value.unit',
            values: { value: f.number(value), unit: tracker.unit },
          }
        : { id: 'checkins.history.value.words', values: { words: f.number(value) } };
  }
}

/** A check-in's value as the vault holds it (time of day "HH:MM", tags as a list). */
export function checkinValueWords(
  tracker: Tracker,
  value: Checkin['values'][string],
  f: Format,
): Message {
  if (typeof value === 'string')
    return { id: 'checkins.history.value.words', values: { words: value } };
  if (Array.isArray(value)) return valueWords(tracker, new Set(value), f);
  return valueWords(tracker, value, f);
}

// ---- charts ----

/** Every k-th index, so that about one label fits per 80 CSS pixels. */
export function labelIndexes(count: number, width: number, every = 80): number[] {
  const fit = Math.max(1, Math.floor(width / every));
  const step = Math.max(1, Math.ceil(count / fit));
  const out: number[] = [];
  for (let i = 0; i < count; i += step) out.push(i);
  return out;
}

/** Trackers that can be charted (everything but free text), in the given order. */
export const chartable = (trackers: readonly Tracker[]): Tracker[] =>
  trackers.filter((t) => t.kind !== 'text');

export type RangeKey = 'days' | 'weeks' | 'months';

export const RANGES: Readonly<Record<RangeKey, { by: Granularity; count: number }>> = {
  days: { by: 'day', count: 30 },
  weeks: { by: 'week', count: 26 },
  months: { by: 'month', count: 24 },
};

export interface ChartRow {
  /** The period's first date. */
  readonly start: string;
  readonly end: string;
  /** Table cells after the period, in words. */
  readonly cells: readonly Message[];
}

export interface ChartView {
  readonly kind: 'line' | 'bars';
  readonly title: Message;
  readonly summary: Message;
  readonly by: Granularity;
  readonly range: { readonly start: string; readonly end: string };
  /** Column headings after the period's. */
  readonly columns: readonly Message[];
  readonly rows: readonly ChartRow[];
  /** What the chart draws: labels (period starts, or tags) and heights (null = a gap). */
  readonly x: readonly string[];
  readonly y: readonly (number | null)[];
  /** The y axis: 'share' (0–100 %), 'days', or the tracker's own values. */
  readonly axis: 'share' | 'days' | 'value';
  readonly empty: boolean;
}

const days = (n: number): Message => ({ id: 'checkins.history.table.days', values: { count: n } });
const none: Message = { id: 'checkins.history.table.none' };

/** A chart of one tracker over one of the ranges, up to `today` (the person's local date). */
export function chartView(
  table: DayTable,
  tracker: Tracker,
  rangeKey: RangeKey,
  today: string,
  f: Format,
): ChartView | undefined {
  const { by, count } = RANGES[rangeKey];
  const range = lastPeriods(today, by, count);
  const series: PeriodSeries | undefined = trackerPeriods(table, tracker.id, by, range);
  if (!series) return undefined;
  const summary = summarizePeriods(series);
  const common = { by, range, empty: summary.days === 0 };
  const title = (kind: string): Message => ({
    id: `checkins.history.chart.title.${kind}.${rangeKey}`,
    values: { name: tracker.name },
  });
  const sentence = (id: string, values: Record<string, string | number> = {}): Message => ({
    id: summary.days === 0 ? 'checkins.history.chart.summary.empty' : id,
    values: {
      from: f.date(range.start),
      to: f.date(range.end),
      days: summary.days,
      name: tracker.name,
      ...values,
    },
  });
  if (series.kind === 'number' && summary.kind === 'number') {
    const word = (x: number | null) => (x === null ? none : valueWords(tracker, x, f));
    return {
      ...common,
      kind: 'line',
      title: title('number'),
      summary: sentence('checkins.history.chart.summary.number', {
        min: summary.min === null ? '' : f.t(word(summary.min)),
        max: summary.max === null ? '' : f.t(word(summary.max)),
      }),
      columns: [
        { id: 'checkins.history.table.mean' },
        { id: 'checkins.history.table.daysRecorded' },
        { id: 'checkins.history.table.lowest' },
        { id: 'checkins.history.table.highest' },
      ],
      rows: series.periods.map((p) => ({
        start: p.start,
        end: p.end,
        cells: [word(p.mean), days(p.days), word(p.min), word(p.max)],
      })),
      x: series.periods.map((p) => p.start),
      y: series.periods.map((p) => p.mean),
      axis: 'value',
    };
  }
  if (series.kind === 'yesno' && summary.kind === 'yesno') {
    return {
      ...common,
      kind: 'bars',
      title: title('yesno'),
      summary: sentence('checkins.history.chart.summary.yesno', { yes: summary.yes }),
      columns: [
        { id: 'checkins.history.table.yesDays' },
        { id: 'checkins.history.table.daysRecorded' },
        { id: 'checkins.history.table.share' },
      ],
      rows: series.periods.map((p) => ({
        start: p.start,
        end: p.end,
        cells: [
          p.days ? days(p.yes) : none,
          days(p.days),
          p.share === null
            ? none
            : { id: 'checkins.history.table.percent', values: { share: p.share } },
        ],
      })),
      x: series.periods.map((p) => p.start),
      y: series.periods.map((p) => (p.share === null ? null : Math.round(p.share * 1000) / 10)),
      axis: 'share',
    };
  }
  if (series.kind === 'tags' && summary.kind === 'tags') {
    return {
      ...common,
      kind: 'bars',
      title: title('tags'),
      summary: sentence(
        summary.tags.length
          ? 'checkins.history.chart.summary.tags'
          : 'checkins.history.chart.summary.noTags',
        {
          top: f.list(
            summary.tags.slice(0, 3).map((t) =>
              f.t({
                id: 'checkins.history.chart.tagDays',
                values: { tag: t.tag, count: t.days },
              }),
            ),
          ),
        },
      ),
      columns: [
        { id: 'checkins.history.table.daysRecorded' },
        ...series.tags.map((tag) => ({
          id: 'checkins.history.value.words',
          values: { words: tag },
        })),
      ],
      rows: series.periods.map((p) => ({
        start: p.start,
        end: p.end,
        cells: [
          days(p.days),
          ...series.tags.map((tag) => (p.days ? days(p.counts.get(tag) ?? 0) : none)),
        ],
      })),
      x: summary.tags.map((t) => t.tag),
      y: summary.tags.map((t) => t.days),
      axis: 'days',
    };
  }
  return undefined;
}

// ---- dates in words ----

const utcMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** Calendar dates in the locale's words, read in UTC so a date is always its own day. */
export function dateWords(locale: string) {
  const make = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...o, timeZone: 'UTC' });
  const full = make({ dateStyle: 'full' });
  const medium = make({ dateStyle: 'medium' });
  const monthYear = make({ month: 'long', year: 'numeric' });
  const dayMonth = make({ day: 'numeric', month: 'short' });
  const shortMonth = make({ month: 'short', year: '2-digit' });
  const month = make({ month: 'long' });
  const weekdayLong = make({ weekday: 'long' });
  const weekdayShort = make({ weekday: 'short' });
  // 2024-01-01 was a Monday.
  const weekdays = [0, 1, 2, 3, 4, 5, 6].map((i) => addDays('2024-01-01', i));
  return {
    full: (d: string) => full.format(utcMs(d)),
    medium: (d: string) => medium.format(utcMs(d)),
    /** "November 2026" for 'YYYY-MM'. */
    monthYear: (m: string) => monthYear.format(utcMs(`${m}-01`)),
    /** "November" for a date. */
    month: (d: string) => month.format(utcMs(d)),
    /** The chart's axis label of a period. */
    axis: (d: string, by: Granularity) =>
      by === 'month' ? shortMonth.format(utcMs(d)) : dayMonth.format(utcMs(d)),
    /** Monday first: [{ long: 'Monday', short: 'Mon' }, …]. */
    weekdays: weekdays.map((d) => ({
      long: weekdayLong.format(utcMs(d)),
      short: weekdayShort.format(utcMs(d)),
    })),
  };
}
export type DateWords = ReturnType<typeof dateWords>;
