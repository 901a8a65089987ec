/**
 * "What goes with my better days": which outcome to compare against, and how a report from core
 * (`insights`, core/src/checkins/insights.ts) is grouped, ordered and told in words. Sentences
 * are message ids with values (translated by the page), built from the report's own numbers, so
 * they stay as honest as core's English describers: the interval and the days behind every
 * figure, "not enough days yet" with the days there are and the days needed, never a cause.
 */
import type {
  DayTable,
  Insight,
  InsightReport,
  Series,
  Tracker,
  TrackerKind,
} from '$core/checkins/index';

/** A message id and its values, for `$_(id, { values })`. */
export interface Message {
  readonly id: string;
  readonly values: Readonly<Record<string, string | number>>;
}

/** Which way is a better day for the chosen outcome. */
export type Direction = 'higher' | 'lower';

export type Group = 'better' | 'harder' | 'unclear' | 'notEnough';
/** Clear ones first; the unclear and the not-yet are always shown too. */
export const GROUPS: readonly Group[] = ['better', 'harder', 'unclear', 'notEnough'];

/** Kinds a person can choose as "a better day". */
const OUTCOME_KINDS: ReadonlySet<TrackerKind> = new Set(['scale', 'number', 'duration', 'yesno']);

/** Trackers that can be the outcome, in the person's order (archived ones left out). */
export const outcomeChoices = (trackers: readonly Tracker[]): Tracker[] =>
  trackers.filter((t) => !t.archived && OUTCOME_KINDS.has(t.kind));

/** The remembered outcome if it is still a choice, else the first scale, else the first choice. */
export function chooseOutcome(
  trackers: readonly Tracker[],
  remembered?: string,
): Tracker | undefined {
  const choices = outcomeChoices(trackers);
  return (
    choices.find((t) => t.id === remembered) ??
    choices.find((t) => t.kind === 'scale') ??
    choices[0]
  );
}

/**
 * Core compares against numeric outcomes; a yes/no outcome becomes 1 (yes) / 0 (no) per day, so
 * a difference is a difference in the share of "yes" days. Other outcomes pass through as they
 * are.
 */
export function numericOutcome(
  table: DayTable,
  trackers: readonly Tracker[],
  outcomeId: string,
): { table: DayTable; trackers: readonly Tracker[] } {
  const tracker = trackers.find((t) => t.id === outcomeId);
  const s = table.series.get(outcomeId);
  if (tracker?.kind !== 'yesno' || s?.kind !== 'yesno') return { table, trackers };
  const values = Float64Array.from(s.values, (v) => (v === -1 ? NaN : v));
  const series = new Map<string, Series>(table.series);
  series.set(outcomeId, { kind: 'number', values });
  return {
    table: { ...table, series },
    trackers: trackers.map((t) => (t.id === outcomeId ? { ...t, kind: 'number' as const } : t)),
  };
}

/** Formats a number with `digits` decimals in the viewer's locale. */
export type FormatNumber = (value: number, digits: number) => string;

/** Rounds first, so a tiny negative never shows as "-0.0". */
export const rounded = (x: number, digits: number): number => {
  const r = Number(x.toFixed(digits));
  return r === 0 ? 0 : r;
};

/** Where an interval sits on a bar from −axis to +axis, in percent (0 in the middle). */
export interface Bar {
  readonly low: number;
  readonly high: number;
  readonly estimate: number;
}

export interface Figure {
  /** Unique within the report: tracker, tag and lag. */
  readonly key: string;
  readonly group: Group;
  readonly lag: 0 | 1;
  /** What is compared, for a heading: the tracker's name, or a tag with its tracker. */
  readonly title: Message;
  readonly sentence: Message;
  /** The days behind the figure. */
  readonly behind: Message;
  /** Clear on its own; `holdsUp` false means it may be chance among many comparisons. */
  readonly holdsUp?: boolean;
  readonly bar?: Bar;
}

export interface InsightsView {
  /** Only groups with figures, in the order of GROUPS. */
  readonly groups: readonly { readonly group: Group; readonly figures: readonly Figure[] }[];
  /** Figures with a number (not "not enough days yet"). */
  readonly shown: number;
  readonly manyComparisons: boolean;
  /** Some figure gives a correlation (r), which the page explains once. */
  readonly hasCorrelation: boolean;
}

export interface ViewOptions {
  readonly outcome: Tracker;
  readonly direction: Direction;
  readonly format: FormatNumber;
}

const pct = (x: number, axis: number) => Math.max(0, Math.min(100, 50 + (50 * x) / axis));

function groupOf(insight: Insight, direction: Direction): Group {
  const s = insight.summary;
  if (s.kind === 'notEnough') return 'notEnough';
  if (s.kind === 'unclear') return 'unclear';
  return s.kind === direction ? 'better' : 'harder';
}

/** The report, grouped and told. `names` maps tracker ids to the person's names for them. */
export function insightsView(
  report: InsightReport,
  trackers: readonly Tracker[],
  { outcome, direction, format }: ViewOptions,
): InsightsView {
  const names = new Map(trackers.map((t) => [t.id, t.name]));
  const yes = outcome.kind === 'yesno';
  // Differences share one axis (the widest interval), so bars can be compared by eye.
  let axis = 0;
  for (const i of report.insights) {
    if (i.type === 'difference' && i.difference) {
      axis = Math.max(axis, Math.abs(i.difference.low), Math.abs(i.difference.high));
    }
  }
  if (!(axis > 0)) axis = 1;
  const n = (x: number, digits = 1) => format(rounded(x, digits), digits);
  const share = (x: number) => format(rounded(x * 100, 0), 0);

  const figures: (Figure & { order: number; q: number })[] = report.insights.map((ins, order) => {
    const tracker = names.get(ins.trackerId) ?? ins.trackerId;
    const lag = ins.lag === 1 ? 'next' : 'same';
    const base = { outcome: outcome.name, lag };
    const s = ins.summary;
    const group = groupOf(ins, direction);
    const holdsUp = s.kind === 'higher' || s.kind === 'lower' ? s.holdsUp : undefined;
    const common = {
      key: `${ins.trackerId}\u0000${ins.type === 'difference' ? (ins.tag ?? '') : ''}\u0000${ins.lag}`,
      group,
      lag: ins.lag,
      order,
      q: Number.isNaN(ins.q) ? Infinity : ins.q,
      ...(holdsUp === undefined ? {} : { holdsUp }),
    };
    if (ins.type === 'difference') {
      const thing = ins.tag ?? tracker;
      const title: Message = ins.tag
        ? { id: 'checkins.insights.figure.tagTitle', values: { tag: ins.tag, tracker } }
        : { id: 'checkins.insights.figure.title', values: { tracker } };
      const behind: Message = {
        id: 'checkins.insights.figure.behindDifference',
        values: { with: ins.with.days, without: ins.without.days },
      };
      const v = { ...base, thing };
      if (s.kind === 'notEnough' || !ins.difference) {
        const have = s.kind === 'notEnough' ? s.have : 0;
        const need = s.kind === 'notEnough' ? s.need : 0;
        return {
          ...common,
          title,
          behind,
          sentence: {
            id: 'checkins.insights.figure.differenceNotEnough',
            values: { ...v, have, need },
          },
        };
      }
      const d = ins.difference;
      const range = yes
        ? { low: share(d.low), high: share(d.high), estimate: share(Math.abs(d.estimate)) }
        : { low: n(d.low), high: n(d.high), estimate: n(Math.abs(d.estimate)) };
      const bar = {
        low: pct(d.low, axis),
        high: pct(d.high, axis),
        estimate: pct(d.estimate, axis),
      };
      const id =
        s.kind === 'unclear'
          ? s.noVariation
            ? 'checkins.insights.figure.differenceSame'
            : yes
              ? 'checkins.insights.figure.differenceUnclearYes'
              : 'checkins.insights.figure.differenceUnclear'
          : yes
            ? 'checkins.insights.figure.differenceClearYes'
            : 'checkins.insights.figure.differenceClear';
      const dir = s.kind === 'lower' ? 'lower' : 'higher';
      return { ...common, title, behind, bar, sentence: { id, values: { ...v, ...range, dir } } };
    }
    const title: Message = { id: 'checkins.insights.figure.title', values: { tracker } };
    const behind: Message = {
      id: 'checkins.insights.figure.behindCorrelation',
      values: { pairs: ins.pairs },
    };
    const v = { ...base, thing: tracker };
    if (s.kind === 'notEnough') {
      return {
        ...common,
        title,
        behind,
        sentence: {
          id: 'checkins.insights.figure.correlationNotEnough',
          values: { ...v, have: s.have, need: s.need },
        },
      };
    }
    if (!ins.r) {
      return {
        ...common,
        title,
        behind,
        sentence: { id: 'checkins.insights.figure.correlationSame', values: v },
      };
    }
    const r = ins.r;
    const values = {
      ...v,
      r: n(r.estimate, 2),
      low: n(r.low, 2),
      high: n(r.high, 2),
      dir: s.kind === 'lower' ? 'lower' : 'higher',
    };
    const bar = { low: pct(r.low, 1), high: pct(r.high, 1), estimate: pct(r.estimate, 1) };
    const id =
      s.kind === 'unclear'
        ? 'checkins.insights.figure.correlationUnclear'
        : yes
          ? 'checkins.insights.figure.correlationClearYes'
          : 'checkins.insights.figure.correlationClear';
    return { ...common, title, behind, bar, sentence: { id, values } };
  });

  const groups = GROUPS.map((group) => {
    const inGroup = figures.filter((f) => f.group === group);
    if (group === 'better' || group === 'harder') {
      // Those that hold up after the correction first, then the strongest evidence.
      inGroup.sort(
        (a, b) =>
          Number(b.holdsUp ?? false) - Number(a.holdsUp ?? false) || a.q - b.q || a.order - b.order,
      );
    }
    return {
      group,
      figures: inGroup.map(({ order: _o, q: _q, ...f }) => f),
    };
  }).filter((g) => g.figures.length > 0);

  return {
    groups,
    shown: figures.filter((f) => f.group !== 'notEnough').length,
    manyComparisons: report.manyComparisons,
    hasCorrelation: report.insights.some((i) => i.type === 'correlation' && i.r !== undefined),
  };
}

/**
 * The outcome chosen on this device, per account (the tracker id and which way is better; no
 * check-in values). Storage may be missing or refuse: then nothing is remembered.
 */
export interface OutcomeChoice {
  readonly outcomeId: string;
  readonly direction: Direction;
}

const choiceKey = (accountId: string) => `tend.checkins.insights.${accountId}`;

export function readChoice(
  storage: Pick<Storage, 'getItem'> | undefined,
  accountId: string,
): OutcomeChoice | undefined {
  try {
    const raw = storage?.getItem(choiceKey(accountId));
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Partial<OutcomeChoice>;
    if (typeof v.outcomeId !== 'string') return undefined;
    return { outcomeId: v.outcomeId, direction: v.direction === 'lower' ? 'lower' : 'higher' };
  } catch {
    return undefined;
  }
}

export function writeChoice(
  storage: Pick<Storage, 'setItem'> | undefined,
  accountId: string,
  choice: OutcomeChoice,
): void {
  try {
    storage?.setItem(choiceKey(accountId), JSON.stringify(choice));
  } catch {
    // Storage full or disabled: the choice lasts for this visit only.
  }
}
