/**
 * "What goes with my better days": for each tracker and tag, how the person's chosen outcome
 * compares on days with and without it (yes/no trackers and tags: Welch's 95% interval for the
 * difference in means) or how it moves with a number (Pearson r with a Fisher z 95% interval),
 * on the same day and on the next day (lag 1). Every figure carries the number of days behind
 * it; below the minimum sample it is "not enough days yet", not a number. When many comparisons
 * are shown at once, each also says whether it holds up after Benjamini–Hochberg correction.
 * These are things that go together, never what causes what.
 */
import { err, ok, type Result } from '../result.js';
import { addDays, dateOf, dayNumber, type DayTable, type Series } from './days.js';
import { benjaminiHochberg, correlation, moments, welch, type Moments } from './stats.js';
import type { Experiment, Tracker } from './schema.js';

export interface InsightOptions {
  /** Days needed in each group (with / without) before a difference is shown. Default 7. */
  readonly minGroupDays?: number;
  /** Paired days needed before a correlation is shown. Default 14. */
  readonly minPairs?: number;
  /** Lags to compute: 0 = same day, 1 = the outcome on the next day. Default [0, 1]. */
  readonly lags?: readonly (0 | 1)[];
  /** Leave out archived trackers. Default false: their history still counts. */
  readonly skipArchived?: boolean;
  /** Only days from this date (YYYY-MM-DD) on, e.g. the last 90 days. */
  readonly from?: string;
}

export const DEFAULT_MIN_GROUP_DAYS = 7;
export const DEFAULT_MIN_PAIRS = 14;

/**
 * Plain-language summary. `higher` / `lower`: the outcome tends to be higher / lower on days
 * with it (or when the number is higher), and the 95% interval leaves out zero; `unclear`: the
 * interval includes zero, or nothing varied; `notEnough`: fewer days than the minimum.
 * `holdsUp`: still clear after correcting for all comparisons shown together (BH, q < 0.05).
 */
export type Summary =
  | { readonly kind: 'notEnough'; readonly have: number; readonly need: number }
  | { readonly kind: 'unclear'; readonly noVariation: boolean }
  | { readonly kind: 'higher' | 'lower'; readonly holdsUp: boolean };

interface Base {
  readonly trackerId: string;
  readonly outcomeTrackerId: string;
  readonly lag: 0 | 1;
  readonly summary: Summary;
  /** Two-sided p-value and its BH-adjusted q over all figures in the report (NaN if none). */
  readonly p: number;
  readonly q: number;
}

export interface Difference extends Base {
  readonly type: 'difference';
  /** For a tag of a tag set. */
  readonly tag?: string;
  readonly with: { readonly days: number; readonly mean: number };
  readonly without: { readonly days: number; readonly mean: number };
  /** mean(with) − mean(without), with its 95% interval; undefined when not enough days. */
  readonly difference?: { readonly estimate: number; readonly low: number; readonly high: number };
}

export interface Correlation extends Base {
  readonly type: 'correlation';
  readonly pairs: number;
  readonly r?: { readonly estimate: number; readonly low: number; readonly high: number };
}

export type Insight = Difference | Correlation;

export interface InsightReport {
  readonly outcomeTrackerId: string;
  readonly insights: readonly Insight[];
  /** Figures with a p-value shown together; more than one calls for caution. */
  readonly comparisons: number;
  /** True when several figures are shown: some clear-looking ones can be chance. */
  readonly manyComparisons: boolean;
}

export type InsightError =
  | { readonly code: 'unknown_outcome'; readonly trackerId: string }
  | { readonly code: 'outcome_not_numeric'; readonly trackerId: string };

const NUMERIC = new Set(['number', 'scale', 'duration', 'timeofday']);

/** Splits outcome values by a with/without mask (1 with, 0 without, −1 unknown). */
function split(
  mask: (i: number) => number,
  outcome: Float64Array,
  lag: number,
  length: number,
  from: number,
): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = from; i + lag < length; i++) {
    const y = outcome[i + lag]!;
    if (Number.isNaN(y)) continue;
    const m = mask(i);
    if (m === 1) a.push(y);
    else if (m === 0) b.push(y);
  }
  return [a, b];
}

function differenceOf(
  a: readonly number[],
  b: readonly number[],
  minGroup: number,
): Pick<Difference, 'with' | 'without' | 'difference' | 'summary' | 'p'> {
  const ma: Moments = moments(a);
  const mb: Moments = moments(b);
  const groups = {
    with: { days: ma.n, mean: ma.mean },
    without: { days: mb.n, mean: mb.mean },
  };
  const have = Math.min(ma.n, mb.n);
  if (have < minGroup)
    return { ...groups, summary: { kind: 'notEnough', have, need: minGroup }, p: NaN };
  const w = welch(ma, mb);
  const difference = { estimate: w.estimate, low: w.low, high: w.high };
  const noVariation = ma.variance === 0 && mb.variance === 0 && w.estimate === 0;
  return { ...groups, difference, summary: judge(w.low, w.high, noVariation), p: w.p };
}

function judge(low: number, high: number, noVariation: boolean): Summary {
  if (low > 0) return { kind: 'higher', holdsUp: false };
  if (high < 0) return { kind: 'lower', holdsUp: false };
  return { kind: 'unclear', noVariation };
}

function withQ<T extends Insight>(insight: T, q: number): T {
  const s = insight.summary;
  const summary = s.kind === 'higher' || s.kind === 'lower' ? { ...s, holdsUp: q < 0.05 } : s;
  return { ...insight, q, summary };
}

/** Every tag that appears in the series or in the tracker's list. */
function tagsOf(tracker: Tracker, s: Series & { kind: 'tags' }): string[] {
  const all = new Set(tracker.tags ?? []);
  for (const set of s.values) if (set) for (const t of set) all.add(t);
  return [...all];
}

/**
 * Compares every tracker and tag with the outcome tracker (a number, scale, duration or time of
 * day). Days where a tracker was not recorded count neither as with nor as without; for tags, a
 * day counts as "without" a tag only when the tag set was recorded that day.
 */
export function insights(
  table: DayTable,
  trackers: readonly Tracker[],
  outcomeTrackerId: string,
  options: InsightOptions = {},
): Result<InsightReport, InsightError> {
  const outcomeTracker = trackers.find((t) => t.id === outcomeTrackerId);
  if (!outcomeTracker) return err({ code: 'unknown_outcome', trackerId: outcomeTrackerId });
  if (!NUMERIC.has(outcomeTracker.kind)) {
    return err({ code: 'outcome_not_numeric', trackerId: outcomeTrackerId });
  }
  const minGroup = options.minGroupDays ?? DEFAULT_MIN_GROUP_DAYS;
  const minPairs = options.minPairs ?? DEFAULT_MIN_PAIRS;
  const lags = options.lags ?? [0, 1];
  const from = options.from ? Math.max(0, dayNumber(options.from) - table.start) : 0;
  const { length } = table;
  const os = table.series.get(outcomeTrackerId);
  const outcome = os?.kind === 'number' ? os.values : new Float64Array(length).fill(NaN);

  const found: Insight[] = [];
  for (const tracker of trackers) {
    if (tracker.id === outcomeTrackerId || tracker.kind === 'text') continue;
    if (options.skipArchived && tracker.archived) continue;
    const s = table.series.get(tracker.id);
    if (!s) continue;
    const tags = s.kind === 'tags' ? tagsOf(tracker, s) : [];
    for (const lag of lags) {
      const base = { trackerId: tracker.id, outcomeTrackerId, lag, q: NaN };
      if (s.kind === 'yesno') {
        const [a, b] = split((i) => s.values[i]!, outcome, lag, length, from);
        found.push({ type: 'difference', ...base, ...differenceOf(a, b, minGroup) });
      } else if (s.kind === 'tags') {
        for (const tag of tags) {
          const mask = (i: number) => {
            const set = s.values[i];
            return set ? (set.has(tag) ? 1 : 0) : -1;
          };
          const [a, b] = split(mask, outcome, lag, length, from);
          found.push({ type: 'difference', ...base, tag, ...differenceOf(a, b, minGroup) });
        }
      } else {
        const xs: number[] = [];
        const ys: number[] = [];
        for (let i = from; i + lag < length; i++) {
          const x = s.values[i]!;
          const y = outcome[i + lag]!;
          if (!Number.isNaN(x) && !Number.isNaN(y)) {
            xs.push(x);
            ys.push(y);
          }
        }
        if (xs.length < minPairs) {
          found.push({
            type: 'correlation',
            ...base,
            pairs: xs.length,
            p: NaN,
            summary: { kind: 'notEnough', have: xs.length, need: minPairs },
          });
          continue;
        }
        const c = correlation(xs, ys);
        const noVariation = Number.isNaN(c.estimate);
        found.push({
          type: 'correlation',
          ...base,
          pairs: xs.length,
          p: c.p,
          ...(noVariation ? {} : { r: { estimate: c.estimate, low: c.low, high: c.high } }),
          summary: noVariation ? { kind: 'unclear', noVariation } : judge(c.low, c.high, false),
        });
      }
    }
  }
  const qs = benjaminiHochberg(found.map((f) => f.p));
  const comparisons = found.filter((f) => !Number.isNaN(f.p)).length;
  return ok({
    outcomeTrackerId,
    insights: found.map((f, i) => withQ(f, qs[i]!)),
    comparisons,
    manyComparisons: comparisons > 1,
  });
}

export type ExperimentStatus = 'notStarted' | 'running' | 'finished';

export interface ExperimentResult {
  readonly status: ExperimentStatus;
  /** The window compared: `days` days before `startsOn`, and the experiment's days so far. */
  readonly before: { readonly from: string; readonly to: string };
  readonly during: { readonly from: string; readonly to: string };
  /** Days in the experiment on which the thing tried was recorded as done (and recorded at all). */
  readonly triedDays: number;
  readonly recordedDays: number;
  /** Outcome during − before; `with` = during, `without` = before. */
  readonly comparison: Pick<Difference, 'with' | 'without' | 'difference' | 'summary' | 'p'>;
}

/**
 * An experiment's before/after comparison: the outcome over the experiment's days (up to
 * `today`) against the same number of days just before it. Needs `min(minGroupDays, ⌈days/2⌉)`
 * days with the outcome recorded on each side (at least 3), else "not enough days yet". A
 * before/after change can come from anything else that changed at the same time; say so.
 */
export function experimentResult(
  experiment: Pick<Experiment, 'tries' | 'startsOn' | 'days' | 'outcomeTrackerId'>,
  table: DayTable,
  today: string,
  options: Pick<InsightOptions, 'minGroupDays'> = {},
): ExperimentResult {
  const start = dayNumber(experiment.startsOn);
  const now = dayNumber(today);
  const lastDay = start + experiment.days - 1;
  const status: ExperimentStatus =
    now < start ? 'notStarted' : now > lastDay ? 'finished' : 'running';
  const end = Math.min(lastDay, now);
  const minGroup = Math.max(
    3,
    Math.min(options.minGroupDays ?? DEFAULT_MIN_GROUP_DAYS, Math.ceil(experiment.days / 2)),
  );
  const os = table.series.get(experiment.outcomeTrackerId);
  const at = (day: number) => {
    const i = day - table.start;
    return i >= 0 && i < table.length ? i : -1;
  };
  const outcomeIn = (from: number, to: number) => {
    const out: number[] = [];
    if (os?.kind !== 'number') return out;
    for (let d = from; d <= to; d++) {
      const i = at(d);
      if (i >= 0 && !Number.isNaN(os.values[i]!)) out.push(os.values[i]!);
    }
    return out;
  };
  const during = outcomeIn(start, end);
  const before = outcomeIn(start - experiment.days, start - 1);
  const ts = table.series.get(experiment.tries.trackerId);
  let triedDays = 0;
  let recordedDays = 0;
  for (let d = start; d <= end; d++) {
    const i = at(d);
    if (i < 0 || !ts) continue;
    let tried: boolean | undefined;
    if (ts.kind === 'yesno') tried = ts.values[i] === -1 ? undefined : ts.values[i] === 1;
    else if (ts.kind === 'tags') {
      const set = ts.values[i];
      tried = set
        ? experiment.tries.tag
          ? set.has(experiment.tries.tag)
          : set.size > 0
        : undefined;
    } else tried = Number.isNaN(ts.values[i]!) ? undefined : ts.values[i]! > 0;
    if (tried !== undefined) recordedDays++;
    if (tried) triedDays++;
  }
  return {
    status,
    before: { from: dateOf(start - experiment.days), to: addDays(experiment.startsOn, -1) },
    during: { from: experiment.startsOn, to: dateOf(Math.max(start, end)) },
    triedDays,
    recordedDays,
    comparison: differenceOf(during, before, minGroup),
  };
}
