import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countNeeds,
  figuresCsv,
  suppressFigures,
  TOTAL_KEY,
  type NeedForFigures,
  type RawFigure,
} from './figures.js';

const row = (key: string, needsPosted: number, needsMet: number, wait = 10): RawFigure => ({
  key,
  needsPosted,
  needsMet,
  waitsHours: Array<number>(needsMet).fill(wait),
});

describe('aid figures', () => {
  it('shows large cells and zero, hides 1–4, and hides a small "not met"', () => {
    const f = suppressFigures([
      row('rides', 20, 12),
      row('meals', 0, 0),
      row('money', 30, 28),
      row('pets', 9, 9),
    ]);
    expect(f).toEqual([
      { key: 'rides', needsPosted: 20, needsMet: 12, medianWaitHours: 10 },
      { key: 'meals', needsPosted: 0, needsMet: 0, medianWaitHours: null },
      // 2 unmet would be visible: met is hidden, and so (secondary) is the smallest other met cell.
      { key: 'money', needsPosted: 30, needsMet: null, medianWaitHours: null },
      { key: 'pets', needsPosted: 9, needsMet: null, medianWaitHours: null },
      { key: TOTAL_KEY, needsPosted: 59, needsMet: 49, medianWaitHours: 10 },
    ]);
  });

  it('suppresses a second cell when only one would be hidden beside a total', () => {
    const f = suppressFigures([
      row('rides', 20, 20),
      row('meals', 3, 0),
      row('money', 7, 7),
      row('pets', 50, 50),
    ]);
    expect(f.map((x) => x.needsPosted)).toEqual([20, null, null, 50, 80]);
  });

  it('no hidden cell can be worked out from the total and the others (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .integer({ min: 0, max: 40 })
            .chain((p) => fc.integer({ min: 0, max: p }).map((m) => [p, m] as const)),
          { minLength: 1, maxLength: 8 },
        ),
        (cells) => {
          const rows = cells.map(([p, m], i) => row(`k${i}`, p, m));
          const f = suppressFigures(rows);
          const body = f.slice(0, -1);
          for (const [i, r] of rows.entries()) {
            const out = body[i]!;
            // Published counts are true; small ones never published.
            if (out.needsPosted !== null) expect(out.needsPosted).toBe(r.needsPosted);
            if (out.needsMet !== null) expect(out.needsMet).toBe(r.needsMet);
            for (const v of [out.needsPosted, out.needsMet]) {
              if (v !== null) expect(v === 0 || v >= 5).toBe(true);
            }
            if (out.needsMet !== null) {
              const unmet = r.needsPosted - r.needsMet;
              expect(unmet === 0 || unmet >= 5).toBe(true);
            }
          }
          // Beside a published total, a column never has exactly one hidden cell.
          const total = f[f.length - 1]!;
          for (const col of ['needsPosted', 'needsMet'] as const) {
            if (total[col] === null) continue;
            expect(total[col]).toBe(rows.reduce((n, r) => n + r[col], 0));
            expect(body.filter((x) => x[col] === null).length).not.toBe(1);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes CSV with "suppressed" for hidden cells and escapes formulae in keys', () => {
    const csv = figuresCsv(
      suppressFigures([row('=cmd()', 20, 12), row('meals', 2, 1), row('money', 6, 0)]),
    );
    expect(csv.split('\r\n')).toEqual([
      'key,needs_posted,needs_met,median_wait_hours',
      `"'=cmd()",20,12,10`,
      'meals,suppressed,suppressed,',
      // 6 is hidden too: with the total, it would give the meals count back.
      'money,suppressed,suppressed,',
      'all,28,13,10',
    ]);
  });
});

describe('countNeeds: what the figures count', () => {
  const DAY = 86_400_000;
  const t0 = Date.parse('2026-03-01T00:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  const daily: NeedForFigures['when'] = {
    kind: 'recurring',
    start: '2026-03-01T10:00',
    timeZone: 'UTC',
    durationMinutes: 60,
    rrule: 'FREQ=DAILY',
  };
  const need = (over: Partial<NeedForFigures>): NeedForFigures => ({
    id: 'n1',
    category: 'meals',
    areaId: null,
    createdAt: iso(t0),
    firstHelpingAt: null,
    status: 'open',
    when: { kind: 'ongoing' },
    leftAt: null,
    ...over,
  });
  const opts = { from: iso(t0), to: iso(t0 + 40 * DAY), now: t0 + 40 * DAY, by: 'month' as const };

  it('a one-off need counts once, in the month it was posted, with its wait when met', () => {
    const rows = countNeeds(
      [
        need({ status: 'done', firstHelpingAt: iso(t0 + 5 * 3_600_000) }),
        need({ id: 'n2', createdAt: iso(t0 - DAY) }),
      ],
      [],
      opts,
    );
    expect(rows).toEqual([{ key: '2026-03', needsPosted: 1, needsMet: 1, waitsHours: [5] }]);
  });

  it('recurring help counts each occurrence begun in the period, by now, while on the board', () => {
    // 31 in March, 9 in April (to the 9th 10:00, before `now` = 10 April 00:00).
    expect(countNeeds([need({ when: daily })], [], opts)).toEqual([
      { key: '2026-03', needsPosted: 31, needsMet: 0, waitsHours: [] },
      { key: '2026-04', needsPosted: 9, needsMet: 0, waitsHours: [] },
    ]);
    // Now is 3 March 12:00: three occurrences so far.
    expect(
      countNeeds([need({ when: daily })], [], { ...opts, now: t0 + 2.5 * DAY })[0]?.needsPosted,
    ).toBe(3);
    // Withdrawn on 5 March 09:00: four.
    expect(
      countNeeds(
        [need({ when: daily, status: 'withdrawn', leftAt: iso(t0 + 4 * DAY + 9 * 3_600_000) })],
        [],
        opts,
      )[0]?.needsPosted,
    ).toBe(4);
  });

  it('an occurrence is met when it is done; met never exceeds posted', () => {
    const rows = countNeeds(
      [need({ when: daily, status: 'withdrawn', leftAt: iso(t0 + DAY) })],
      [
        {
          postId: 'n1',
          occurrenceId: 'n1.20260301T100000Z',
          startsAt: iso(t0 + 10 * 3_600_000),
          status: 'done',
        },
        // Done before the post left the board, whatever its start: it counts as posted too.
        {
          postId: 'n1',
          occurrenceId: 'n1.20260303T100000Z',
          startsAt: iso(t0 + 2 * DAY + 10 * 3_600_000),
          status: 'done',
        },
        {
          postId: 'n1',
          occurrenceId: 'n1.20260304T100000Z',
          startsAt: iso(t0 + 3 * DAY + 10 * 3_600_000),
          status: 'withdrawn',
        },
      ],
      { ...opts, by: 'category' },
    );
    expect(rows).toEqual([{ key: 'meals', needsPosted: 3, needsMet: 2, waitsHours: [] }]);
  });
});
