import { describe, expect, it } from 'vitest';
import { dayTable, type DayValues } from './days.js';
import {
  lastPeriods,
  nextPeriodStart,
  periodStart,
  periodsBetween,
  summarizePeriods,
  trackerPeriods,
  type PeriodSeries,
} from './periods.js';
import type { Tracker } from './schema.js';

const T0 = '2026-01-01T00:00:00.000Z';
const tracker = (id: string, kind: Tracker['kind']): Tracker => ({
  v: 1,
  id,
  name: id,
  kind,
  archived: false,
  createdAt: T0,
  updatedAt: T0,
});
const trackers = [
  tracker('sleep', 'number'),
  tracker('walk', 'yesno'),
  tracker('did', 'tags'),
  tracker('how', 'text'),
];

// Hand-made days (2026-10-26 is a Monday). The week of 9 November has nothing at all.
const entries: DayValues[] = [
  { date: '2026-10-26', values: { sleep: 6, walk: true, did: ['Work', 'Rest'] } },
  { date: '2026-10-27', values: { sleep: 8, walk: false, how: 'ok' } },
  { date: '2026-10-29', values: { sleep: 7 } },
  { date: '2026-10-29', values: { sleep: 5 } }, // same day: the day's value is 6
  { date: '2026-11-01', values: { walk: true, did: ['Rest'] } },
  { date: '2026-11-03', values: { sleep: 4, walk: true, did: ['Rest', 'Outside'] } },
  { date: '2026-11-17', values: { sleep: 9, walk: false } },
];
const table = dayTable(entries, trackers);
const NOV = { start: '2026-10-26', end: '2026-11-22' };

function must(s: PeriodSeries | undefined): PeriodSeries {
  if (!s) throw new Error('no series');
  return s;
}

describe('periods', () => {
  it('starts days on themselves, weeks on Monday (ISO) and months on the 1st', () => {
    expect(periodStart('2026-11-24', 'day')).toBe('2026-11-24');
    expect(periodStart('2026-11-24', 'week')).toBe('2026-11-23'); // a Tuesday
    expect(periodStart('2026-11-29', 'week')).toBe('2026-11-23'); // a Sunday
    expect(periodStart('2026-11-23', 'week')).toBe('2026-11-23'); // a Monday
    expect(periodStart('2021-01-01', 'week')).toBe('2020-12-28'); // across the year
    expect(periodStart('1969-12-31', 'week')).toBe('1969-12-29'); // before day 0
    expect(periodStart('2026-11-24', 'month')).toBe('2026-11-01');
    expect(nextPeriodStart('2026-12-01', 'month')).toBe('2027-01-01');
    expect(nextPeriodStart('2026-02-01', 'month')).toBe('2026-03-01');
    expect(nextPeriodStart('2026-12-28', 'week')).toBe('2027-01-04');
  });

  it('lists whole periods from the one holding the start to the one holding the end', () => {
    expect(periodsBetween('2026-12-15', '2027-01-03', 'month')).toEqual([
      { start: '2026-12-01', end: '2026-12-31' },
      { start: '2027-01-01', end: '2027-01-31' },
    ]);
    expect(periodsBetween('2024-02-10', '2024-02-10', 'month')).toEqual([
      { start: '2024-02-01', end: '2024-02-29' },
    ]);
    expect(periodsBetween('2026-10-31', '2026-11-02', 'week')).toEqual([
      { start: '2026-10-26', end: '2026-11-01' },
      { start: '2026-11-02', end: '2026-11-08' },
    ]);
    expect(periodsBetween('2026-11-02', '2026-11-01', 'day')).toEqual([]);
  });

  it('gives the chart ranges: last 30 days, 26 weeks, 24 months', () => {
    expect(lastPeriods('2026-11-24', 'day', 30)).toEqual({
      start: '2026-10-26',
      end: '2026-11-24',
    });
    expect(lastPeriods('2026-11-24', 'week', 26)).toEqual({
      start: '2026-06-01',
      end: '2026-11-24',
    });
    expect(lastPeriods('2026-11-24', 'month', 24)).toEqual({
      start: '2024-12-01',
      end: '2026-11-24',
    });
    expect(periodsBetween('2026-06-01', '2026-11-24', 'week')).toHaveLength(26);
    expect(periodsBetween('2024-12-01', '2026-11-24', 'month')).toHaveLength(24);
  });

  it('averages numbers per week with the days behind each mean; an empty week stays empty', () => {
    const s = must(trackerPeriods(table, 'sleep', 'week', NOV));
    expect(s.kind).toBe('number');
    if (s.kind !== 'number') return;
    expect(s.periods.map((p) => [p.start, p.days, p.min, p.max])).toEqual([
      ['2026-10-26', 3, 6, 8],
      ['2026-11-02', 1, 4, 4],
      ['2026-11-09', 0, null, null],
      ['2026-11-16', 1, 9, 9],
    ]);
    expect(s.periods[0]!.mean).toBeCloseTo(20 / 3, 12);
    expect(s.periods.map((p) => p.mean).slice(1)).toEqual([4, null, 9]);
    expect(s.periods[3]!.end).toBe('2026-11-22');
  });

  it('averages by month and by day', () => {
    const m = must(
      trackerPeriods(table, 'sleep', 'month', { start: '2026-10-01', end: '2026-11-30' }),
    );
    if (m.kind !== 'number') throw new Error(m.kind);
    expect(m.periods.map((p) => [p.start, p.end, p.days, p.min, p.max])).toEqual([
      ['2026-10-01', '2026-10-31', 3, 6, 8],
      ['2026-11-01', '2026-11-30', 2, 4, 9],
    ]);
    expect(m.periods[0]!.mean).toBeCloseTo(20 / 3, 12);
    expect(m.periods[1]!.mean).toBe(6.5);
    const d = must(
      trackerPeriods(table, 'sleep', 'day', { start: '2026-10-26', end: '2026-10-30' }),
    );
    if (d.kind !== 'number') throw new Error(d.kind);
    expect(d.periods.map((p) => p.mean)).toEqual([6, 8, null, 6, null]);
  });

  it('counts only the days inside the range, even in a part-covered period', () => {
    const s = must(
      trackerPeriods(table, 'sleep', 'week', { start: '2026-10-27', end: '2026-10-31' }),
    );
    if (s.kind !== 'number') throw new Error(s.kind);
    expect(s.periods).toEqual([
      { start: '2026-10-26', end: '2026-11-01', mean: 7, min: 6, max: 8, days: 2 },
    ]);
  });

  it('leaves periods outside the table empty, not zero', () => {
    const s = must(
      trackerPeriods(table, 'walk', 'day', { start: '2026-12-01', end: '2026-12-03' }),
    );
    expect(s.periods.map((p) => p.days)).toEqual([0, 0, 0]);
    if (s.kind !== 'yesno') throw new Error(s.kind);
    expect(s.periods.map((p) => p.share)).toEqual([null, null, null]);
    const before = must(
      trackerPeriods(table, 'sleep', 'month', { start: '2026-01-01', end: '2026-02-10' }),
    );
    if (before.kind !== 'number') throw new Error(before.kind);
    expect(before.periods.map((p) => p.mean)).toEqual([null, null]);
  });

  it('gives the share of yes days, with a recorded "no" week at 0 and an empty week null', () => {
    const s = must(trackerPeriods(table, 'walk', 'week', NOV));
    if (s.kind !== 'yesno') throw new Error(s.kind);
    expect(s.periods.map((p) => [p.yes, p.days, p.share])).toEqual([
      [2, 3, 2 / 3],
      [1, 1, 1],
      [0, 0, null],
      [0, 1, 0],
    ]);
  });

  it('counts the days of each tag, most days first then by name', () => {
    const s = must(trackerPeriods(table, 'did', 'week', NOV));
    if (s.kind !== 'tags') throw new Error(s.kind);
    expect(s.tags).toEqual(['Rest', 'Outside', 'Work']);
    expect(s.periods.map((p) => [p.days, Object.fromEntries(p.counts)])).toEqual([
      [2, { Work: 1, Rest: 2 }],
      [1, { Rest: 1, Outside: 1 }],
      [0, {}],
      [0, {}],
    ]);
  });

  it('has no series for free text or an unknown tracker', () => {
    expect(trackerPeriods(table, 'how', 'week', NOV)).toBeUndefined();
    expect(trackerPeriods(table, 'nope', 'week', NOV)).toBeUndefined();
  });

  it('sums a series up for its summary sentence', () => {
    const sleep = summarizePeriods(must(trackerPeriods(table, 'sleep', 'week', NOV)));
    expect(sleep).toMatchObject({ kind: 'number', days: 5, min: 4, max: 9 });
    if (sleep.kind !== 'number') throw new Error(sleep.kind);
    expect(sleep.mean).toBeCloseTo(33 / 5, 12);
    expect(summarizePeriods(must(trackerPeriods(table, 'walk', 'week', NOV)))).toEqual({
      kind: 'yesno',
      days: 5,
      yes: 3,
    });
    expect(summarizePeriods(must(trackerPeriods(table, 'did', 'week', NOV)))).toEqual({
      kind: 'tags',
      days: 3,
      tags: [
        { tag: 'Rest', days: 3 },
        { tag: 'Outside', days: 1 },
        { tag: 'Work', days: 1 },
      ],
    });
    const empty = trackerPeriods(table, 'sleep', 'day', { start: '2027-01-01', end: '2027-01-02' });
    expect(summarizePeriods(must(empty))).toEqual({
      kind: 'number',
      days: 0,
      min: null,
      max: null,
      mean: null,
    });
  });
});
