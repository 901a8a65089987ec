/**
 * Small, careful statistics for insights: Student's t distribution (CDF and quantile, through
 * the regularised incomplete beta function), Welch's interval for a difference in means, Pearson
 * correlation with a Fisher z interval, and Benjamini–Hochberg adjusted p-values.
 *
 * No npm package fitted: `simple-statistics` has no t quantile, and `jstat` is unmaintained
 * since 2022 and untyped. The t quantile is tested against printed table values.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) (Lanczos, g = 7), about 15 significant digits for x > 0. */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** Two-sided tail probability P(|T| ≥ |t|) for Student's t with `df` degrees of freedom. */
export function tTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T ≤ t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = tTwoSided(t, df) / 2;
  return t >= 0 ? 1 - tail : tail;
}

/** The t value with P(T ≤ t) = p (bisection on the CDF; relative precision about 1e-12). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 2;
  while (tCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The standard normal 97.5% point, for 95% intervals. */
export const Z_975 = 1.959963984540054;

export interface Moments {
  readonly n: number;
  readonly mean: number;
  /** Sample variance (n − 1 in the denominator); NaN below two values. */
  readonly variance: number;
}

/** Count, mean and sample variance (Welford, stable for long series). */
export function moments(values: ArrayLike<number>): Moments {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    n++;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  return { n, mean: n ? mean : NaN, variance: n > 1 ? m2 / (n - 1) : NaN };
}

export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Two-sided p-value for "no difference" / "no correlation". */
  readonly p: number;
}

/**
 * Welch's 95% interval for mean(a) − mean(b) (unequal variances; Welch–Satterthwaite degrees
 * of freedom). Needs at least two values in each group. When both groups are constant the
 * interval is the difference itself.
 */
export function welch(a: Moments, b: Moments): Interval & { readonly df: number } {
  const estimate = a.mean - b.mean;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) {
    return { estimate, low: estimate, high: estimate, p: estimate === 0 ? 1 : 0, df: Infinity };
  }
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = tQuantile(0.975, df);
  return {
    estimate,
    low: estimate - t * se,
    high: estimate + t * se,
    p: tTwoSided(estimate / se, df),
    df,
  };
}

/**
 * Pearson's r of paired values with a 95% Fisher z interval (tanh(atanh r ± 1.96/√(n − 3)))
 * and the usual t-test p-value. NaN when either side has no variation or n < 4.
 */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): Interval {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (n < 4 || sxx === 0 || syy === 0) return { estimate: NaN, low: NaN, high: NaN, p: NaN };
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const z = Math.atanh(r);
  const half = Z_975 / Math.sqrt(n - 3);
  const df = n - 2;
  const t = Math.abs(r) === 1 ? Infinity : r * Math.sqrt(df / (1 - r * r));
  return { estimate: r, low: Math.tanh(z - half), high: Math.tanh(z + half), p: tTwoSided(t, df) };
}

/** Benjamini–Hochberg adjusted p-values (q-values), in the order given; NaN stays NaN. */
export function benjaminiHochberg(ps: readonly number[]): number[] {
  const order = ps
    .map((p, i) => [p, i] as const)
    .filter(([p]) => !Number.isNaN(p))
    .sort((a, b) => a[0] - b[0]);
  const m = order.length;
  const q = ps.map(() => NaN);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    q[i] = running;
  }
  return q;
}
