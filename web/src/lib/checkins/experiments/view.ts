/**
 * "Try something for a while": what can be tried (a yes/no tracker, or one tag of a tag set), the
 * new-experiment form's checks, and how an experiment and its before/after comparison
 * (`experimentResult`, core/src/checkins/insights.ts) are told: the difference with its
 * interval, the days behind it, and that anything else that changed at the same time may be
 * part of it. Sentences are message ids with values, translated by the page.
 */
import {
  LIMITS,
  addDays,
  dayNumber,
  experimentSchema,
  type Experiment,
  type ExperimentResult,
  type Tracker,
} from '$core/checkins/index';
import { outcomeChoices, rounded, type FormatNumber, type Message } from '../insights/view';

export interface TryChoice {
  /** The option's value: the tracker id, and the tag for a tag set. */
  readonly value: string;
  readonly trackerId: string;
  readonly tag?: string;
  readonly label: Message;
}

const tryValue = (trackerId: string, tag?: string) => JSON.stringify([trackerId, tag ?? null]);

/** Yes/no trackers and each tag of each tag set, in the person's order (archived ones left out). */
export function tryChoices(trackers: readonly Tracker[]): TryChoice[] {
  const out: TryChoice[] = [];
  for (const t of trackers) {
    if (t.archived) continue;
    if (t.kind === 'yesno') {
      out.push({
        value: tryValue(t.id),
        trackerId: t.id,
        label: { id: 'checkins.experiments.tryTracker', values: { tracker: t.name } },
      });
    } else if (t.kind === 'tags') {
      for (const tag of t.tags ?? []) {
        out.push({
          value: tryValue(t.id, tag),
          trackerId: t.id,
          tag,
          label: { id: 'checkins.experiments.tryTag', values: { tag, tracker: t.name } },
        });
      }
    }
  }
  return out;
}

export interface ExperimentForm {
  readonly title: string;
  /** A TryChoice value. */
  readonly tries: string;
  readonly outcomeId: string;
  /** YYYY-MM-DD */
  readonly startsOn: string;
  readonly days: string;
}

export type FormErrors = Partial<Record<keyof ExperimentForm, Message>>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const validDate = (s: string) => {
  const m = DATE.exec(s);
  return m !== null && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
};

/** Checks the form; on success, the experiment to save. */
export function checkForm(
  form: ExperimentForm,
  trackers: readonly Tracker[],
  ids: { readonly id: string; readonly now: string },
): { ok: true; experiment: Experiment } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const e = (id: string, values: Message['values'] = {}) => ({
    id: `checkins.experiments.errors.${id}`,
    values,
  });
  const title = form.title.trim();
  if (title === '') errors.title = e('titleMissing');
  else if (title.length > LIMITS.title) errors.title = e('titleLong', { max: LIMITS.title });
  else if (/[\r\n]/.test(title)) errors.title = e('titleOneLine');
  const tries = tryChoices(trackers).find((c) => c.value === form.tries);
  if (!tries) errors.tries = e('triesMissing');
  const outcome = outcomeChoices(trackers).find((t) => t.id === form.outcomeId);
  if (!outcome) errors.outcomeId = e('outcomeMissing');
  else if (tries && outcome.id === tries.trackerId) errors.outcomeId = e('outcomeSame');
  if (!validDate(form.startsOn)) errors.startsOn = e('startsOnInvalid');
  const days = Number(form.days.trim());
  if (
    form.days.trim() === '' ||
    !Number.isInteger(days) ||
    days < 1 ||
    days > LIMITS.experimentDays
  )
    errors.days = e('daysRange', { max: LIMITS.experimentDays });
  if (Object.keys(errors).length > 0 || !tries || !outcome) return { ok: false, errors };
  const parsed = experimentSchema.safeParse({
    v: 1,
    id: ids.id,
    title,
    tries:
      tries.tag === undefined
        ? { trackerId: tries.trackerId }
        : { trackerId: tries.trackerId, tag: tries.tag },
    startsOn: form.startsOn,
    days,
    outcomeTrackerId: outcome.id,
    createdAt: ids.now,
  });
  if (!parsed.success) return { ok: false, errors: { title: e('invalid') } };
  return { ok: true, experiment: parsed.data };
}

export interface ExperimentView {
  readonly id: string;
  readonly title: string;
  readonly status: ExperimentResult['status'];
  /** "Starts on …" / "Day 3 of 14" / "Finished on …". */
  readonly progress: Message;
  /** What is tried, and compared with what. */
  readonly about: Message;
  /** The days compared: during (so far) and the same number just before. */
  readonly windows?: Message;
  /** How many days the thing tried was recorded as done (none before it starts). */
  readonly tried?: Message;
  /** The before/after comparison in words, with its interval and the days behind it. */
  readonly result: Message;
  /** Shown whenever a difference is given: anything else that changed may be part of it. */
  readonly caution: boolean;
}

/** Formats a YYYY-MM-DD date for the viewer. */
export type FormatDate = (date: string) => string;

/** Running first, then those not started yet, then finished; newest start first within each. */
const STATUS_ORDER = { running: 0, notStarted: 1, finished: 2 } as const;

export function experimentView(
  experiment: Experiment,
  result: ExperimentResult,
  trackers: readonly Tracker[],
  today: string,
  format: { readonly number: FormatNumber; readonly date: FormatDate },
): ExperimentView {
  const names = new Map(trackers.map((t) => [t.id, t.name]));
  const outcomeTracker = trackers.find((t) => t.id === experiment.outcomeTrackerId);
  const outcome = outcomeTracker?.name ?? experiment.outcomeTrackerId;
  const tracker = names.get(experiment.tries.trackerId) ?? experiment.tries.trackerId;
  const thing = experiment.tries.tag ?? tracker;
  const lastDay = addDays(experiment.startsOn, experiment.days - 1);
  const progress: Message =
    result.status === 'notStarted'
      ? {
          id: 'checkins.experiments.startsOn',
          values: { date: format.date(experiment.startsOn), days: experiment.days },
        }
      : result.status === 'running'
        ? {
            id: 'checkins.experiments.dayOf',
            values: {
              day: dayNumber(today) - dayNumber(experiment.startsOn) + 1,
              days: experiment.days,
            },
          }
        : {
            id: 'checkins.experiments.finishedOn',
            values: { date: format.date(lastDay), days: experiment.days },
          };
  const about: Message = {
    id: experiment.tries.tag ? 'checkins.experiments.aboutTag' : 'checkins.experiments.about',
    values: { thing, tracker, outcome },
  };
  const base = {
    id: experiment.id,
    title: experiment.title,
    status: result.status,
    progress,
    about,
  };
  if (result.status === 'notStarted') {
    return {
      ...base,
      result: { id: 'checkins.experiments.result.notStarted', values: {} },
      caution: false,
    };
  }
  const tried: Message = {
    id: 'checkins.experiments.triedDays',
    values: { thing, tried: result.triedDays, recorded: result.recordedDays },
  };
  const windows: Message = {
    id: 'checkins.experiments.windows',
    values: {
      from: format.date(result.during.from),
      to: format.date(result.during.to),
      beforeFrom: format.date(result.before.from),
      beforeTo: format.date(result.before.to),
    },
  };
  const c = result.comparison;
  const behind = {
    during: c.with.days,
    before: c.without.days,
    days: experiment.days,
    outcome,
    soFar: result.status === 'running' ? 'yes' : 'no',
  };
  if (c.summary.kind === 'notEnough' || !c.difference) {
    const need = c.summary.kind === 'notEnough' ? c.summary.need : 0;
    return {
      ...base,
      windows,
      tried,
      result: { id: 'checkins.experiments.result.notEnough', values: { ...behind, need } },
      caution: false,
    };
  }
  const yes = outcomeTracker?.kind === 'yesno';
  const d = c.difference;
  const n = (x: number) =>
    yes ? format.number(rounded(x * 100, 0), 0) : format.number(rounded(x, 1), 1);
  const values = {
    ...behind,
    low: n(d.low),
    high: n(d.high),
    estimate: n(Math.abs(d.estimate)),
    dir: c.summary.kind === 'lower' ? 'lower' : 'higher',
  };
  const id =
    c.summary.kind === 'unclear'
      ? yes
        ? 'checkins.experiments.result.unclearYes'
        : 'checkins.experiments.result.unclear'
      : yes
        ? 'checkins.experiments.result.clearYes'
        : 'checkins.experiments.result.clear';
  return { ...base, windows, tried, result: { id, values }, caution: true };
}

/** Running, then not started, then finished (the scan already lists the newest start first). */
export function orderExperiments<T extends { readonly status: ExperimentResult['status'] }>(
  list: readonly T[],
): T[] {
  return list
    .map((v, i) => ({ v, i }))
    .sort((a, b) => STATUS_ORDER[a.v.status] - STATUS_ORDER[b.v.status] || a.i - b.i)
    .map(({ v }) => v);
}
