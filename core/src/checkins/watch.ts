/**
 * Watched early-warning patterns from the person's plan ("sleep under 5 hours for 3 nights").
 * A pattern shows up when each of the last `forDays` consecutive days matches the rule.
 *
 * Which days count: the run ends today when today already has a value for the tracker, else
 * yesterday (not having checked in yet today neither starts nor breaks a run). A day with no
 * value breaks the run: Tend does not guess what a missing day held. Disabled watches and
 * archived (or missing) trackers never show up. When a pattern shows up, the web app gently
 * offers the person's own steps; it never acts on its own.
 *
 * Comparisons: numbers, scales and durations use `below` / `above` (strictly) and `is` /
 * `isNot`; a time of day compares HH:MM the same way; yes/no takes `is` / `isNot` with
 * true/false; a tag set takes `is` (the tag was there) / `isNot` (the tag set was recorded
 * without it).
 */
import { dayNumber, type DayTable, type Series } from './days.js';
import type { Tracker, Watch, WatchRule } from './schema.js';

export type WatchState =
  | {
      readonly showsUp: true;
      /** The matching days, oldest first (the last `forDays`). */
      readonly dates: readonly string[];
      readonly steps: readonly string[];
    }
  | {
      readonly showsUp: false;
      readonly reason: 'disabled' | 'archived' | 'unknown_tracker' | 'rule_does_not_fit' | 'no';
      /** Consecutive matching days ending at the last day counted (0 when none). */
      readonly run: number;
    };

const toNumber = (tracker: Tracker, value: WatchRule['value']): number | undefined => {
  if (tracker.kind === 'timeofday') {
    return typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value)
      ? Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5))
      : undefined;
  }
  return typeof value === 'number' ? value : undefined;
};

/** Whether a rule can apply to a tracker (kind, comparison and value type agree). */
export function ruleFits(rule: WatchRule, tracker: Tracker): boolean {
  switch (tracker.kind) {
    case 'yesno':
      return (
        typeof rule.value === 'boolean' && (rule.comparison === 'is' || rule.comparison === 'isNot')
      );
    case 'tags':
      return (
        typeof rule.value === 'string' && (rule.comparison === 'is' || rule.comparison === 'isNot')
      );
    case 'text':
      return false;
    default:
      return toNumber(tracker, rule.value) !== undefined;
  }
}

function matcher(rule: WatchRule, tracker: Tracker, s: Series): (i: number) => boolean | undefined {
  const { comparison, value } = rule;
  if (s.kind === 'yesno') {
    return (i) =>
      s.values[i] === -1 ? undefined : ((s.values[i] === 1) === value) === (comparison === 'is');
  }
  if (s.kind === 'tags') {
    return (i) => {
      const set = s.values[i];
      return set ? set.has(value as string) === (comparison === 'is') : undefined;
    };
  }
  const v = toNumber(tracker, value)!;
  return (i) => {
    const x = s.values[i]!;
    if (Number.isNaN(x)) return undefined;
    return comparison === 'below'
      ? x < v
      : comparison === 'above'
        ? x > v
        : comparison === 'is'
          ? x === v
          : x !== v;
  };
}

/** Whether a watched pattern shows up as of `today` (the person's local date, YYYY-MM-DD). */
export function watchState(
  watch: Pick<Watch, 'rule' | 'enabled' | 'steps'>,
  table: DayTable,
  trackers: readonly Tracker[],
  today: string,
): WatchState {
  if (!watch.enabled) return { showsUp: false, reason: 'disabled', run: 0 };
  const tracker = trackers.find((t) => t.id === watch.rule.trackerId);
  if (!tracker) return { showsUp: false, reason: 'unknown_tracker', run: 0 };
  if (tracker.archived) return { showsUp: false, reason: 'archived', run: 0 };
  if (!ruleFits(watch.rule, tracker))
    return { showsUp: false, reason: 'rule_does_not_fit', run: 0 };
  const s = table.series.get(tracker.id);
  if (!s) return { showsUp: false, reason: 'no', run: 0 };
  const matches = matcher(watch.rule, tracker, s);
  const inTable = (i: number) => i >= 0 && i < table.length;
  let end = dayNumber(today) - table.start;
  if (!inTable(end) || matches(end) === undefined) end -= 1;
  let run = 0;
  for (let i = end; inTable(i) && matches(i) === true; i--) run++;
  if (run < watch.rule.forDays) return { showsUp: false, reason: 'no', run };
  const dates: string[] = [];
  for (let i = end - watch.rule.forDays + 1; i <= end; i++) {
    dates.push(new Date((table.start + i) * 86_400_000).toISOString().slice(0, 10));
  }
  return { showsUp: true, dates, steps: watch.steps ?? [] };
}
