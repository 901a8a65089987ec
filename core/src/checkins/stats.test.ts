import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  correlation,
  incompleteBeta,
  lnGamma,
  moments,
  tCdf,
  tQuantile,
  welch,
} from './stats.js';

describe('t distribution', () => {
  it('ln Γ matches known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 10);
  });

  it('incomplete beta: I_x(1, 1) = x and symmetry', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.3, 2, 5) + incompleteBeta(0.7, 5, 2)).toBeCloseTo(1, 12);
  });

  it('quantiles match printed t tables', () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.706204736],
      [0.975, 2, 4.30265273],
      [0.975, 5, 2.570581836],
      [0.975, 10, 2.228138852],
      [0.975, 30, 2.042272456],
      [0.975, 100, 1.983971519],
      [0.95, 10, 1.812461123],
      [0.995, 4, 4.604094871],
      [0.9995, 1, 636.6192487],
    ];
    for (const [p, df, t] of table) {
      expect(tQuantile(p, df)).toBeCloseTo(t, 5);
      expect(tQuantile(1 - p, df)).toBeCloseTo(-t, 5);
      expect(tCdf(t, df)).toBeCloseTo(p, 9);
    }
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
    expect(tQuantile(0.5, 3)).toBe(0);
    expect(tQuantile(0, 3)).toBeNaN();
    expect(tQuantile(0.9, 0)).toBeNaN();
  });
});

describe('intervals', () => {
  it('Welch: a hand-computed case', () => {
    // a = 1..5: mean 3, var 2.5; b = 2,4,6,8,10: mean 6, var 10.
    // se = √(0.5 + 2) = 1.5811; df = 2.5² / (0.25/4 + 4/4) = 5.882; t(0.975, 5.882) ≈ 2.4588
    // (between 2.5706 at df 5 and 2.4469 at df 6); R's t.test gives −6.888 to 0.888, p 0.108.
    const r = welch(moments([1, 2, 3, 4, 5]), moments([2, 4, 6, 8, 10]));
    expect(r.estimate).toBe(-3);
    expect(r.df).toBeCloseTo(5.882353, 5);
    const t = tQuantile(0.975, r.df);
    expect(t).toBeCloseTo(2.4588, 3);
    expect(r.low).toBeCloseTo(-6.888, 2);
    expect(r.high).toBeCloseTo(0.888, 2);
    expect(r.low).toBeCloseTo(-3 - t * Math.sqrt(2.5), 10);
    expect(r.high).toBeCloseTo(-3 + t * Math.sqrt(2.5), 10);
    expect(r.p).toBeCloseTo(0.1076, 3);
  });

  it('Welch: constant groups', () => {
    expect(welch(moments([2, 2]), moments([2, 2, 2]))).toMatchObject({ estimate: 0, p: 1 });
    expect(welch(moments([3, 3]), moments([2, 2]))).toMatchObject({ low: 1, high: 1 });
  });

  it('correlation: hand-computed r and Fisher interval', () => {
    // x = 1..6, y = 2,1,4,3,6,5: sxy = 14.5, sxx = syy = 17.5, r = 0.828571.
    const r = correlation([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5]);
    expect(r.estimate).toBeCloseTo(0.828571, 5);
    const z = Math.atanh(0.8285714285714286);
    expect(r.low).toBeCloseTo(Math.tanh(z - 1.959964 / Math.sqrt(3)), 5);
    expect(r.high).toBeCloseTo(Math.tanh(z + 1.959964 / Math.sqrt(3)), 5);
    expect(r.p).toBeCloseTo(0.0416, 3);
    expect(correlation([1, 1, 1, 1], [1, 2, 3, 4]).estimate).toBeNaN();
  });

  it('Benjamini–Hochberg', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, NaN, 0.5]);
    // sorted 0.01, 0.03, 0.04, 0.5 (m = 4): 0.04, 0.0533, 0.0533, 0.5
    expect(q[0]).toBeCloseTo(0.04, 10);
    expect(q[1]).toBeCloseTo(0.16 / 3, 10);
    expect(q[2]).toBeCloseTo(0.16 / 3, 10);
    expect(q[3]).toBeNaN();
    expect(q[4]).toBeCloseTo(0.5, 10);
  });
});
