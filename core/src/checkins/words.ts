/**
 * Plain English sentences for insights and experiments, for the web app to show beside the
 * figures (and to translate later). Calm, plain, and never about causes: "went with", not
 * "caused", "improves" or "helps".
 */
import type { ExperimentResult, Insight } from './insights.js';

export const ASSOCIATION_NOTE_EN =
  'These show what went together on your days, not what caused what. Other things may explain them.';

export const MANY_COMPARISONS_EN =
  'Many comparisons are shown at once, so a few clear-looking ones will be chance.';

const fmt = (x: number, digits = 1): string => {
  const s = x.toFixed(digits);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
};
const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

export interface Names {
  /** The tracker's name, or the tag. */
  readonly thing: string;
  /** The outcome tracker's name. */
  readonly outcome: string;
}

/** One sentence (or two) about an insight. */
export function describeInsightEn(insight: Insight, names: Names): string {
  const { thing, outcome } = names;
  const when = insight.lag === 1 ? ' the next day' : '';
  const s = insight.summary;
  if (insight.type === 'difference') {
    const behind = `${days(insight.with.days)} with ${thing}, ${days(insight.without.days)} without`;
    if (s.kind === 'notEnough') {
      return `Not enough days yet to compare (${behind}; ${s.need} of each are needed).`;
    }
    const d = insight.difference!;
    const range = `likely between ${fmt(d.low)} and ${fmt(d.high)}`;
    if (s.kind === 'unclear') {
      return `No clear difference in ${outcome}${when} between days with and without ${thing} (${range}; ${behind}).`;
    }
    const dir = s.kind === 'higher' ? 'higher' : 'lower';
    const chance = s.holdsUp ? '' : ' Among this many comparisons, it may be chance.';
    return `On days with ${thing}, ${outcome}${when} was ${dir} by ${fmt(Math.abs(d.estimate))} on average (${range}; ${behind}).${chance}`;
  }
  if (s.kind === 'notEnough') {
    return `Not enough days yet (${days(s.have)} with both ${thing} and ${outcome}; ${s.need} are needed).`;
  }
  if (s.kind === 'unclear' || !insight.r) {
    const range = insight.r
      ? ` (r between ${fmt(insight.r.low, 2)} and ${fmt(insight.r.high, 2)})`
      : '';
    return `${outcome}${when} did not clearly go up or down with ${thing}${range}, over ${days(insight.pairs)}.`;
  }
  const dir = s.kind === 'higher' ? 'higher' : 'lower';
  const chance = s.holdsUp ? '' : ' Among this many comparisons, it may be chance.';
  return `When ${thing} was higher, ${outcome}${when} tended to be ${dir} (r ${fmt(insight.r.estimate, 2)}, likely between ${fmt(insight.r.low, 2)} and ${fmt(insight.r.high, 2)}; ${days(insight.pairs)}).${chance}`;
}

/** One or two sentences about an experiment so far. */
export function describeExperimentEn(result: ExperimentResult, outcome: string): string {
  if (result.status === 'notStarted') return 'This experiment has not started yet.';
  const c = result.comparison;
  const behind = `${days(c.with.days)} during, ${days(c.without.days)} before`;
  const tried = `You noted it on ${days(result.triedDays)} of ${days(result.recordedDays)} recorded.`;
  if (c.summary.kind === 'notEnough') {
    return `Not enough days yet to compare (${behind}; ${c.summary.need} of each are needed). ${tried}`;
  }
  const d = c.difference!;
  const range = `likely between ${fmt(d.low)} and ${fmt(d.high)}`;
  const so = result.status === 'running' ? 'So far, ' : '';
  if (c.summary.kind === 'unclear') {
    return `${so}no clear change in ${outcome} compared with the days before (${range}; ${behind}). ${tried}`;
  }
  const dir = c.summary.kind === 'higher' ? 'higher' : 'lower';
  return `${so}${outcome} was ${dir} by ${fmt(Math.abs(d.estimate))} on average than in the days before (${range}; ${behind}). Anything else that changed at the same time may be part of it. ${tried}`;
}
