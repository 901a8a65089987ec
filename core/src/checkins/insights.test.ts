import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dailyValues, dayTable, localDate, valueOn, type DayValues } from './days.js';
import { experimentResult, insights, type Difference, type Insight } from './insights.js';
import { tQuantile } from './stats.js';
import type { Tracker } from './schema.js';

const T0 = '2026-01-01T00:00:00.000Z';
const tracker = (id: string, kind: Tracker['kind'], extra: Partial<Tracker> = {}): Tracker => ({
  v: 1,
  id,
  name: id,
  kind,
  archived: false,
  createdAt: T0,
  updatedAt: T0,
  ...(kind === 'scale' ? { scale: { min: 1, max: 5 } } : {}),
  ...extra,
});
const energy = tracker('energy', 'scale');
const walk = tracker('walk', 'yesno');
const did = tracker('did', 'tags');
const sleep = tracker('sleep', 'number');
const trackers = [energy, walk, did, sleep];
const D0 = '2026-01-01';
const days = (rows: Record<string, unknown>[]): DayValues[] =>
  rows.map((values, i) => ({ date: addDays(D0, i), values: values as DayValues['values'] }));

const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const find = (list: readonly Insight[], trackerId: string, lag: 0 | 1, tag?: string) =>
  list.find(
    (x) =>
      x.trackerId === trackerId &&
      x.lag === lag &&
      (tag === undefined || (x.type === 'difference' && x.tag === tag)),
  )!;

describe('days', () => {
  it('bucket by the local date and combine several check-ins a day', () => {
    // Berlin is UTC+1 on 28 March 2026 (summer time starts on the 29th at 01:00 UTC).
    expect(localDate('2026-03-28T23:30:00Z', { timeZone: 'Europe/Berlin' })).toBe('2026-03-29');
    expect(localDate('2026-03-28T23:30:00Z', { offsetMinutes: 0 })).toBe('2026-03-28');
    expect(localDate('2026-03-29T03:30:00Z', { offsetMinutes: -300 })).toBe('2026-03-28');
    const bed = tracker('bed', 'timeofday');
    const table = dailyValues(
      [
        {
          at: '2026-03-28T08:00:00+01:00',
          values: { energy: 4, walk: false, did: ['a'], bed: '22:00' },
        },
        {
          at: '2026-03-28T20:00:00+01:00',
          values: { energy: 5, walk: true, did: ['b', 'a'], bed: '23:00' },
        },
        { at: '2026-03-30T20:00:00+02:00', values: { walk: false, note: 'x', unknown: 3 } },
      ],
      [...trackers, bed],
      { timeZone: 'Europe/Berlin' },
    );
    expect(table.length).toBe(3);
    expect(valueOn(table, 'energy', '2026-03-28')).toBe(4.5);
    expect(valueOn(table, 'bed', '2026-03-28')).toBe(22 * 60 + 30);
    expect(valueOn(table, 'walk', '2026-03-28')).toBe(true);
    expect(valueOn(table, 'walk', '2026-03-30')).toBe(false);
    expect(valueOn(table, 'walk', '2026-03-29')).toBeUndefined();
    expect([...(valueOn(table, 'did', '2026-03-28') as Set<string>)].sort()).toEqual(['a', 'b']);
    expect(valueOn(table, 'energy', '2027-01-01')).toBeUndefined();
    expect(dayTable([], trackers).length).toBe(0);
  });
});

describe('insights: hand-computed cases', () => {
  // Days 1–7 with a walk: energy 4,5,4,5,4,5,4 (mean 31/7, variance 2/7);
  // days 8–14 without: 2,3,2,3,2,3,2 (mean 17/7, variance 2/7).
  const rows = [4, 5, 4, 5, 4, 5, 4, 2, 3, 2, 3, 2, 3, 2].map((e, i) => ({
    energy: e,
    walk: i < 7,
    did: i % 2 ? ['music'] : [],
  }));
  const table = dayTable(days(rows), trackers);
  const report = must(insights(table, trackers, 'energy'));

  it('same day: difference 2 with Welch interval 2 ± t(0.975, 12)·(2/7)', () => {
    const d = find(report.insights, 'walk', 0) as Difference;
    expect(d.with.days).toBe(7);
    expect(d.with.mean).toBeCloseTo(31 / 7, 12);
    expect(d.without.days).toBe(7);
    expect(d.difference!.estimate).toBeCloseTo(2, 12);
    // se = √(2 · (2/7)/7) = 2/7; df = 12; t = 2.178813.
    expect(tQuantile(0.975, 12)).toBeCloseTo(2.178813, 5);
    expect(d.difference!.low).toBeCloseTo(2 - 2.178813 * (2 / 7), 5);
    expect(d.difference!.high).toBeCloseTo(2 + 2.178813 * (2 / 7), 5);
    expect(d.summary).toEqual({ kind: 'higher', holdsUp: true });
  });

  it('next day: six days without the walk have a next day, so not enough days yet', () => {
    const d = find(report.insights, 'walk', 1) as Difference;
    expect(d.with.days).toBe(7);
    expect(d.with.mean).toBeCloseTo(29 / 7, 12);
    expect(d.without.days).toBe(6);
    expect(d.difference).toBeUndefined();
    expect(d.summary).toEqual({ kind: 'notEnough', have: 6, need: 7 });
    expect(d.p).toBeNaN();
  });

  it('tags: a tag on alternate days shows an unclear difference', () => {
    const d = find(report.insights, 'did', 0, 'music') as Difference;
    // Odd indices 1,3,…,13 → energy 5,5,5,2,2,2,2; even → 4,4,4,4,3,3,3.
    expect(d.with.days).toBe(7);
    expect(d.with.mean).toBeCloseTo(23 / 7, 12);
    expect(d.without.days).toBe(7);
    expect(d.without.mean).toBeCloseTo(25 / 7, 12);
    expect(d.summary.kind).toBe('unclear');
    expect(report.comparisons).toBe(2);
    expect(report.manyComparisons).toBe(true);
  });

  it('correlation: r and Fisher interval, and too few pairs', () => {
    const t = dayTable(
      days([2, 1, 4, 3, 6, 5].map((e, i) => ({ energy: e, sleep: i + 1 }))),
      trackers,
    );
    const few = find(must(insights(t, trackers, 'energy')).insights, 'sleep', 0);
    expect(few.summary).toEqual({ kind: 'notEnough', have: 6, need: 14 });
    const c = find(must(insights(t, trackers, 'energy', { minPairs: 6 })).insights, 'sleep', 0);
    expect(c.type === 'correlation' && c.pairs).toBe(6);
    expect(c.type === 'correlation' && c.r!.estimate).toBeCloseTo(0.828571, 5);
    const z = Math.atanh(29 / 35);
    expect(c.type === 'correlation' && c.r!.low).toBeCloseTo(
      Math.tanh(z - 1.959964 / Math.sqrt(3)),
      5,
    );
    // tanh(1.1838 − 1.1316) = 0.052: the interval just leaves out 0.
    expect(c.summary).toEqual({ kind: 'higher', holdsUp: true });
    // Next day: sleep 1..5 against energy 1,4,3,6,5.
    const lag = find(must(insights(t, trackers, 'energy', { minPairs: 5 })).insights, 'sleep', 1);
    expect(lag.type === 'correlation' && lag.pairs).toBe(5);
  });

  it('refuse an unknown or non-numeric outcome', () => {
    expect(insights(table, trackers, 'nope')).toEqual({
      ok: false,
      error: { code: 'unknown_outcome', trackerId: 'nope' },
    });
    expect(insights(table, trackers, 'walk')).toEqual({
      ok: false,
      error: { code: 'outcome_not_numeric', trackerId: 'walk' },
    });
  });

  it('skip archived trackers when asked, and count only days from a date', () => {
    const archived = [energy, { ...walk, archived: true }];
    expect(must(insights(table, archived, 'energy', { skipArchived: true })).insights).toEqual([]);
    const late = must(insights(table, trackers, 'energy', { from: addDays(D0, 7) }));
    expect((find(late.insights, 'walk', 0) as Difference).with.days).toBe(0);
  });
});

describe('insights: properties', () => {
  const dayRows = fc.array(
    fc.record({
      yes: fc.boolean(),
      y: fc.integer({ min: 1, max: 5 }),
      x: fc.integer({ min: 0, max: 12 }),
    }),
    { minLength: 14, maxLength: 60 },
  );
  const build = (rows: { yes: boolean; y: number; x: number }[], order?: number[]) =>
    dayTable(
      rows.map((r, i) => ({
        date: addDays(D0, order ? order[i]! : i),
        values: { walk: r.yes, energy: r.y, sleep: r.x, still: true, flat: 3 },
      })),
      [...trackers, tracker('still', 'yesno'), tracker('flat', 'number')],
    );
  const all = [...trackers, tracker('still', 'yesno'), tracker('flat', 'number')];
  const same = (a: Insight, b: Insight) => {
    expect(a.summary.kind).toBe(b.summary.kind);
    if (a.type === 'difference' && b.type === 'difference' && a.difference && b.difference) {
      expect(a.difference.estimate).toBeCloseTo(b.difference.estimate, 9);
      expect(a.difference.low).toBeCloseTo(b.difference.low, 9);
    }
    if (a.type === 'correlation' && b.type === 'correlation' && a.r && b.r) {
      expect(a.r.estimate).toBeCloseTo(b.r.estimate, 9);
    }
  };

  it('shuffling the days does not change a same-day comparison', () => {
    fc.assert(
      fc.property(
        dayRows.chain((rows) =>
          fc.tuple(
            fc.constant(rows),
            fc.shuffledSubarray(
              rows.map((_, i) => i),
              { minLength: rows.length, maxLength: rows.length },
            ),
          ),
        ),
        ([rows, order]) => {
          const a = must(insights(build(rows), all, 'energy', { lags: [0] }));
          const b = must(insights(build(rows, order), all, 'energy', { lags: [0] }));
          for (const id of ['walk', 'sleep'])
            same(find(a.insights, id, 0), find(b.insights, id, 0));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a constant tracker never shows an effect', () => {
    fc.assert(
      fc.property(dayRows, (rows) => {
        const r = must(insights(build(rows), all, 'energy'));
        for (const id of ['still', 'flat']) {
          for (const lag of [0, 1] as const) {
            expect(['notEnough', 'unclear']).toContain(find(r.insights, id, lag).summary.kind);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('swapping with and without flips the sign', () => {
    fc.assert(
      fc.property(dayRows, (rows) => {
        const a = must(insights(build(rows), all, 'energy'));
        const b = must(insights(build(rows.map((r) => ({ ...r, yes: !r.yes }))), all, 'energy'));
        for (const lag of [0, 1] as const) {
          const x = find(a.insights, 'walk', lag) as Difference;
          const y = find(b.insights, 'walk', lag) as Difference;
          expect(x.with).toEqual(y.without);
          if (x.difference && y.difference) {
            expect(x.difference.estimate).toBeCloseTo(-y.difference.estimate, 9);
            expect(x.difference.low).toBeCloseTo(-y.difference.high, 9);
            const flip = { higher: 'lower', lower: 'higher' } as Record<string, string>;
            expect(y.summary.kind).toBe(flip[x.summary.kind] ?? x.summary.kind);
          } else expect(y.difference).toBeUndefined();
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('experiments', () => {
  // 14 days before at energy 2–3, then 14 days of walking at energy 4–5.
  const rows = Array.from({ length: 28 }, (_, i) => ({
    energy: i < 14 ? 2 + (i % 2) : 4 + (i % 2),
    walk: i >= 14 && i % 7 !== 0,
  }));
  const table = dayTable(days(rows), trackers);
  const exp = {
    tries: { trackerId: 'walk' },
    startsOn: addDays(D0, 14),
    days: 14,
    outcomeTrackerId: 'energy',
  };

  it('finished: before/after difference with its interval, and how often it was tried', () => {
    const r = experimentResult(exp, table, addDays(D0, 40));
    expect(r.status).toBe('finished');
    expect(r.before).toEqual({ from: D0, to: addDays(D0, 13) });
    expect(r.during).toEqual({ from: addDays(D0, 14), to: addDays(D0, 27) });
    expect(r.triedDays).toBe(12);
    expect(r.recordedDays).toBe(14);
    expect(r.comparison.difference!.estimate).toBeCloseTo(2, 12);
    expect(r.comparison.summary.kind).toBe('higher');
  });

  it('running with too few days yet, and not started', () => {
    const r = experimentResult(exp, table, addDays(D0, 18));
    expect(r.status).toBe('running');
    expect(r.comparison.summary).toEqual({ kind: 'notEnough', have: 5, need: 7 });
    expect(experimentResult(exp, table, addDays(D0, 2)).status).toBe('notStarted');
    const tag = experimentResult(
      { ...exp, tries: { trackerId: 'did', tag: 'x' } },
      table,
      addDays(D0, 40),
    );
    expect(tag.recordedDays).toBe(0);
  });
});
