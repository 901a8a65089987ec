import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { figuresCsv, suppressFigures, TOTAL_KEY, type RawFigure } from './figures.js';

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
