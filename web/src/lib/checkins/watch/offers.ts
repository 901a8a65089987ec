/**
 * The gentle offer: which watched patterns to show now. A watch is offered exactly when its
 * pattern shows up (core `watchState`) and the person has not said "not now" to these same days.
 * "Not now" is remembered on this device per account as the matching dates; once the pattern
 * changes (a new matching day, or it ends and comes back) the dates differ and it is offered
 * again. Nothing here acts on its own: the page shows a card, the person decides.
 */
import {
  watchState,
  type DayTable,
  type Tracker,
  type Watch,
  type WatchRule,
} from '$core/checkins/index';

export interface Offer {
  readonly watch: Watch;
  readonly tracker: Tracker;
  /** The matching days, oldest first. */
  readonly dates: readonly string[];
  readonly steps: readonly string[];
}

/** Watch id → the matching days the person said "not now" to. */
export type Dismissed = Readonly<Record<string, readonly string[]>>;

const same = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/** The offers to show as of `today` (the person's local date, YYYY-MM-DD). */
export function offersToShow(
  watches: readonly Watch[],
  table: DayTable,
  trackers: readonly Tracker[],
  today: string,
  dismissed: Dismissed = {},
): Offer[] {
  const offers: Offer[] = [];
  for (const watch of watches) {
    const state = watchState(watch, table, trackers, today);
    if (!state.showsUp || same(dismissed[watch.id], state.dates)) continue;
    const tracker = trackers.find((t) => t.id === watch.rule.trackerId)!;
    offers.push({ watch, tracker, dates: state.dates, steps: state.steps });
  }
  return offers;
}

/** "Not now" for these days; dismissals of watches that no longer exist are dropped. */
export function dismiss(
  dismissed: Dismissed,
  offer: Pick<Offer, 'watch' | 'dates'>,
  watches: readonly Pick<Watch, 'id'>[],
): Dismissed {
  const ids = new Set(watches.map((w) => w.id));
  const next: Record<string, readonly string[]> = {};
  for (const [id, dates] of Object.entries(dismissed)) if (ids.has(id)) next[id] = dates;
  next[offer.watch.id] = [...offer.dates];
  return next;
}

const key = (accountId: string) => `tend.checkins.watch.notNow.${accountId}`;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readDismissed(
  storage: Pick<Storage, 'getItem'> | undefined,
  accountId: string,
): Dismissed {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(key(accountId)) ?? '{}');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
    const out: Record<string, readonly string[]> = {};
    for (const [id, dates] of Object.entries(raw)) {
      if (Array.isArray(dates) && dates.every((d) => typeof d === 'string' && DATE.test(d)))
        out[id] = dates as string[];
    }
    return out;
  } catch {
    return {};
  }
}

export function writeDismissed(
  storage: Pick<Storage, 'setItem'> | undefined,
  accountId: string,
  dismissed: Dismissed,
): void {
  try {
    storage?.setItem(key(accountId), JSON.stringify(dismissed));
  } catch {
    // Private browsing or full storage: the offer may show again after a reload; that is all.
  }
}

/** A message id and its values, for `$_`. */
export interface Message {
  readonly id: string;
  readonly values: Record<string, string | number>;
}

/**
 * The rule in plain words. `form`: `rule` ("Sleep below 5 hours, 3 days in a row") or `offer`
 * ("Sleep has been below 5 hours for 3 days in a row.").
 */
export function ruleWords(
  rule: WatchRule,
  tracker: Pick<Tracker, 'name' | 'kind' | 'unit'>,
  form: 'rule' | 'offer',
  formatNumber: (n: number) => string = String,
): Message {
  const days = rule.forDays;
  const thing = tracker.name;
  if (tracker.kind === 'yesno') {
    const yes = (rule.value === true) === (rule.comparison === 'is');
    return { id: `checkins.watch.words.${form}.${yes ? 'yes' : 'no'}`, values: { thing, days } };
  }
  if (tracker.kind === 'tags') {
    return {
      id: `checkins.watch.words.${form}.${rule.comparison === 'is' ? 'tag' : 'noTag'}`,
      values: { thing, days, value: String(rule.value) },
    };
  }
  const amount = typeof rule.value === 'number' ? formatNumber(rule.value) : String(rule.value);
  const unit = tracker.unit ?? (tracker.kind === 'duration' ? 'minutes' : '');
  return {
    id: `checkins.watch.words.${form}.${rule.comparison}`,
    values: { thing, days, value: unit ? `${amount} ${unit}` : amount },
  };
}
