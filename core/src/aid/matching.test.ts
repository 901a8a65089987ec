import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCH_NOTIFY_RATES, type MatchNotifyRate } from './api.js';
import { distanceKm, roundCentre } from './areas.js';
import { AID_STATUSES } from './lifecycle.js';
import {
  findMatches,
  isMatch,
  mayNotify,
  nextNoticeAt,
  RATE_PERIOD_MS,
  timesOverlap,
  type MatchablePost,
} from './matching.js';
import type { Interval } from './when.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);

const post = (over: Partial<MatchablePost> = {}): MatchablePost => ({
  id: 'p',
  authorId: 'a',
  community: 'instance',
  kind: 'need',
  category: 'rides',
  status: 'open',
  centre: { lat: 53.8, lon: -1.55 },
  reachKm: 0,
  intervals: [{ start: T0, end: T0 + 2 * H }],
  urgent: false,
  createdAt: T0 - 24 * H,
  ...over,
});

/** The reference: every pair of intervals compared, nothing clever. */
const overlapsNaive = (a: readonly Interval[], b: readonly Interval[]) =>
  a.some((x) =>
    b.some((y) => x.start < y.end && y.start < x.end && x.end > x.start && y.end > y.start),
  );

describe('matching examples', () => {
  const need = post({ id: 'n1', authorId: 'asker' });
  const offer = post({ id: 'o1', authorId: 'driver', kind: 'offer' });

  it('matches a need and an offer of the same category, time and zone', () => {
    expect(isMatch(need, offer)).toBe(true);
    expect(findMatches(need, [offer])).toEqual([{ post: offer, distanceKm: 0 }]);
  });

  it('never matches one’s own post, another category, community, time, or a blocked person', () => {
    expect(isMatch(need, { ...offer, authorId: 'asker' })).toBe(false);
    expect(isMatch(need, { ...offer, category: 'meals' })).toBe(false);
    expect(isMatch(need, { ...offer, community: 'group.g1' })).toBe(false);
    expect(isMatch(need, { ...offer, kind: 'need' })).toBe(false);
    expect(isMatch(need, { ...offer, intervals: [{ start: T0 + 2 * H, end: T0 + 3 * H }] })).toBe(
      false,
    );
    expect(isMatch(need, offer, new Set(['driver']))).toBe(false);
    for (const status of ['done', 'withdrawn', 'expired'] as const) {
      expect(isMatch(need, { ...offer, status })).toBe(false);
      expect(isMatch({ ...need, status }, offer)).toBe(false);
    }
    // An offer already helping someone may have room; a need someone is helping is taken.
    expect(isMatch(need, { ...offer, status: 'helping' })).toBe(true);
    expect(isMatch({ ...need, status: 'helping' }, offer)).toBe(false);
  });

  it('reaches across zones by the larger reach, and anywhere reaches everywhere', () => {
    const south = { lat: 53.7, lon: -1.55 }; // about 11 km south
    const far = { ...offer, centre: south };
    expect(isMatch(need, far)).toBe(false);
    expect(isMatch(need, { ...far, reachKm: 12 })).toBe(true);
    expect(isMatch({ ...need, reachKm: 12 }, far)).toBe(true);
    expect(isMatch(need, { ...far, reachKm: 10 })).toBe(false);
    expect(isMatch(need, { ...far, centre: null })).toBe(true);
    expect(findMatches(need, [{ ...far, centre: null }])[0]!.distanceKm).toBeNull();
  });

  it('matches recurring help by its occurrences', () => {
    const week = 7 * 24 * H;
    const thursdays = post({
      id: 'o2',
      authorId: 'driver',
      kind: 'offer',
      intervals: [0, 1, 2, 3].map((k) => ({
        start: T0 + 48 * H + k * week,
        end: T0 + 50 * H + k * week,
      })),
    });
    expect(isMatch(need, thursdays)).toBe(false);
    const byTheWeekAfter = { ...need, intervals: [{ start: T0, end: T0 + week + 49 * H }] };
    expect(isMatch(byTheWeekAfter, thursdays)).toBe(true);
    const mondays = {
      ...need,
      intervals: [1, 2].map((k) => ({ start: T0 + k * week, end: T0 + k * week + H })),
    };
    expect(isMatch(mondays, thursdays)).toBe(false);
  });

  it('orders urgent first, then nearest, then longest waiting', () => {
    const offerPost = post({ id: 'o', authorId: 'o', kind: 'offer', reachKm: 50 });
    const near = post({ id: 'near', authorId: 'x' });
    const nearOld = post({ id: 'near-old', authorId: 'y', createdAt: T0 - 100 * H });
    const urgentFar = post({
      id: 'urgent',
      authorId: 'z',
      urgent: true,
      centre: { lat: 53.9, lon: -1.55 },
    });
    expect(findMatches(offerPost, [near, urgentFar, nearOld]).map((m) => m.post.id)).toEqual([
      'urgent',
      'near-old',
      'near',
    ]);
    expect(findMatches(offerPost, [near, urgentFar, nearOld], { limit: 1 })).toHaveLength(1);
  });

  it('time overlap is half-open and handles overlapping intervals within one list', () => {
    expect(timesOverlap([{ start: 0, end: 10 }], [{ start: 10, end: 20 }])).toBe(false);
    expect(timesOverlap([{ start: 0, end: 10 }], [{ start: 9, end: 20 }])).toBe(true);
    expect(
      timesOverlap(
        [
          { start: 0, end: 100 },
          { start: 1, end: 2 },
        ],
        [{ start: 50, end: 60 }],
      ),
    ).toBe(true);
    expect(timesOverlap([], [{ start: 0, end: 1 }])).toBe(false);
    expect(timesOverlap([{ start: 5, end: 5 }], [{ start: 0, end: 10 }])).toBe(false);
  });
});

// ─── Properties ─────────────────────────────────────────────────────────────────────────────────

const interval = fc
  .record({ start: fc.integer({ min: 0, max: 200 }), length: fc.integer({ min: 0, max: 40 }) })
  .map(({ start, length }) => ({ start: T0 + start * H, end: T0 + (start + length) * H }));
const zone = fc.constantFrom(
  null,
  roundCentre(53.8, -1.55),
  roundCentre(53.75, -1.5),
  roundCentre(53.5, -1.2),
  roundCentre(51.5, -0.12),
  roundCentre(-17.71, 179.99),
  roundCentre(-17.71, -179.99),
);
/** Mostly open, mostly the same community and category: so that many candidates do match. */
const matchable = fc.record({
  id: fc.uuid(),
  authorId: fc.constantFrom('a', 'b', 'c'),
  community: fc.oneof(
    { weight: 5, arbitrary: fc.constant('instance') },
    { weight: 1, arbitrary: fc.constant('group.g1') },
  ),
  kind: fc.constantFrom('need' as const, 'offer' as const),
  category: fc.oneof(
    { weight: 5, arbitrary: fc.constant('rides') },
    { weight: 1, arbitrary: fc.constant('meals') },
  ),
  status: fc.oneof(
    { weight: 5, arbitrary: fc.constant('open' as const) },
    { weight: 2, arbitrary: fc.constantFrom(...AID_STATUSES) },
  ),
  centre: zone,
  reachKm: fc.integer({ min: 0, max: 100 }),
  intervals: fc.array(interval, { minLength: 1, maxLength: 6 }),
  urgent: fc.boolean(),
  createdAt: fc.integer({ min: 0, max: 1000 }).map((h) => T0 - h * H),
});

describe('matching properties', () => {
  it('a match always shares category, community and overlapping time and area; never one’s own; nothing missed', () => {
    let runsWithMatches = 0;
    fc.assert(
      fc.property(
        matchable,
        fc.array(matchable, { maxLength: 40 }),
        fc.subarray(['a', 'b', 'c'], { maxLength: 1 }),
        (p, cs, blockedList) => {
          const blocked = new Set(blockedList);
          const matches = findMatches(p, cs, { blocked });
          if (matches.length > 0) runsWithMatches++;
          for (const { post: m, distanceKm: d } of matches) {
            expect(m.category).toBe(p.category);
            expect(m.community).toBe(p.community);
            expect(m.kind).not.toBe(p.kind);
            expect(m.authorId).not.toBe(p.authorId);
            expect(blocked.has(m.authorId)).toBe(false);
            expect(overlapsNaive(p.intervals, m.intervals)).toBe(true);
            if (p.centre && m.centre) {
              expect(d).toBe(distanceKm(p.centre, m.centre));
              expect(d!).toBeLessThanOrEqual(Math.max(p.reachKm, m.reachKm));
            } else {
              expect(d).toBeNull();
            }
          }
          // Complete: every candidate the plain reading of the rules accepts is returned.
          const expected = cs.filter(
            (c) =>
              c.kind !== p.kind &&
              c.category === p.category &&
              c.community === p.community &&
              c.authorId !== p.authorId &&
              !blocked.has(c.authorId) &&
              [p, c].every(
                (x) => x.status === 'open' || (x.kind === 'offer' && x.status === 'helping'),
              ) &&
              overlapsNaive(p.intervals, c.intervals) &&
              (!p.centre ||
                !c.centre ||
                distanceKm(p.centre, c.centre) <= Math.max(p.reachKm, c.reachKm)),
          );
          expect(matches.map((m) => m.post).sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(
            [...expected].sort((x, y) => (x.id < y.id ? -1 : 1)),
          );
          // Best first.
          for (let i = 1; i < matches.length; i++) {
            const a = matches[i - 1]!;
            const b = matches[i]!;
            expect(Number(a.post.urgent)).toBeGreaterThanOrEqual(Number(b.post.urgent));
            if (a.post.urgent === b.post.urgent) {
              expect(a.distanceKm ?? 0).toBeLessThanOrEqual(b.distanceKm ?? 0);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // The generators make real matches often enough for the checks above to mean something.
    expect(runsWithMatches).toBeGreaterThan(20);
  });

  it('time overlap agrees with comparing every pair', () => {
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 8 }),
        fc.array(interval, { maxLength: 8 }),
        (a, b) => {
          expect(timesOverlap(a, b)).toBe(overlapsNaive(a, b));
          expect(timesOverlap(b, a)).toBe(timesOverlap(a, b));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('nobody is told above the rate they chose, and at the rate when matches keep coming', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MATCH_NOTIFY_RATES),
        // New matches arriving at increasing times over about two months.
        fc
          .array(fc.integer({ min: 0, max: 60 * 24 * 60 }), { maxLength: 80 })
          .map((xs) => xs.sort((p, q) => p - q)),
        (rate: MatchNotifyRate, minutes) => {
          let last: number | null = null;
          const told: number[] = [];
          for (const m of minutes) {
            const now = T0 + m * 60_000;
            if (mayNotify(rate, last, now)) {
              told.push(now);
              last = now;
            }
          }
          const period = RATE_PERIOD_MS[rate];
          if (period === null) {
            expect(told).toEqual([]);
            return;
          }
          for (let i = 1; i < told.length; i++)
            expect(told[i]! - told[i - 1]!).toBeGreaterThanOrEqual(period);
          // Never quieter than chosen either: a match a full period after the last notice is told.
          if (minutes.length > 0) expect(told[0]).toBe(T0 + minutes[0]! * 60_000);
          // A match not told of came within a period of the last notice.
          for (const m of minutes) {
            const now = T0 + m * 60_000;
            if (told.includes(now)) continue;
            const lastBefore = told.filter((t) => t <= now).pop();
            expect(lastBefore).toBeDefined();
            expect(now - lastBefore!).toBeLessThan(period);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a clock that went backwards tells nobody; never means never', () => {
    expect(mayNotify('daily', T0, T0 - 1)).toBe(false);
    expect(mayNotify('daily', null, T0)).toBe(true);
    expect(mayNotify('daily', T0, T0 + 24 * H - 1)).toBe(false);
    expect(mayNotify('daily', T0, T0 + 24 * H)).toBe(true);
    expect(mayNotify('weekly', T0, T0 + 6 * 24 * H)).toBe(false);
    expect(mayNotify('never', null, T0)).toBe(false);
    expect(nextNoticeAt('never', T0)).toBeNull();
    expect(nextNoticeAt('weekly', T0)).toBe(T0 + 7 * 24 * H);
  });
});
