/**
 * Making a watch from the form: which trackers and comparisons fit (core `ruleFits`), the value
 * typed as the tracker needs it, and the steps. Errors are named per field, for the form to show
 * beside it.
 */
import {
  LIMITS,
  ruleFits,
  type Comparison,
  type Tracker,
  type Watch,
  type WatchRule,
} from '$core/checkins/index';

/** Trackers a watch can follow: not archived, and not free text. */
export const watchableTrackers = (trackers: readonly Tracker[]): Tracker[] =>
  trackers.filter((t) => !t.archived && t.kind !== 'text');

/** The comparisons offered for a tracker's kind. */
export function comparisonsFor(tracker: Pick<Tracker, 'kind'>): Comparison[] {
  switch (tracker.kind) {
    case 'yesno':
      return ['is'];
    case 'tags':
      return ['is', 'isNot'];
    case 'text':
      return [];
    default:
      return ['below', 'above', 'is', 'isNot'];
  }
}

export interface Draft {
  label: string;
  planSectionId: string;
  trackerId: string;
  comparison: string;
  /** As typed: a number, HH:MM, "yes"/"no", or a tag. */
  value: string;
  forDays: string;
  steps: string[];
  enabled: boolean;
}

export type Field = 'label' | 'trackerId' | 'comparison' | 'value' | 'forDays' | 'steps';
export type DraftError =
  | 'empty'
  | 'tooLong'
  | 'oneLine'
  | 'pickTracker'
  | 'notNumber'
  | 'outOfRange'
  | 'notWhole'
  | 'notTime'
  | 'pickTag'
  | 'days'
  | 'tooMany';

export const emptyDraft = (): Draft => ({
  label: '',
  planSectionId: '',
  trackerId: '',
  comparison: 'below',
  value: '',
  forDays: '3',
  steps: [],
  enabled: true,
});

export const draftOf = (w: Watch): Draft => ({
  label: w.label,
  planSectionId: w.planSectionId ?? '',
  trackerId: w.rule.trackerId,
  comparison: w.rule.comparison,
  value:
    typeof w.rule.value === 'boolean'
      ? w.rule.value === (w.rule.comparison === 'is')
        ? 'yes'
        : 'no'
      : String(w.rule.value),
  forDays: String(w.rule.forDays),
  steps: [...(w.steps ?? [])],
  enabled: w.enabled,
});

function ruleValue(
  tracker: Tracker,
  raw: string,
): { ok: true; value: WatchRule['value'] } | { ok: false; error: DraftError } {
  const v = raw.trim();
  switch (tracker.kind) {
    case 'yesno':
      return v === 'yes' || v === 'no'
        ? { ok: true, value: v === 'yes' }
        : { ok: false, error: 'empty' };
    case 'tags':
      return tracker.tags?.includes(v) ? { ok: true, value: v } : { ok: false, error: 'pickTag' };
    case 'timeofday':
      return /^([01]\d|2[0-3]):[0-5]\d$/.test(v)
        ? { ok: true, value: v }
        : { ok: false, error: v ? 'notTime' : 'empty' };
    default: {
      if (v === '') return { ok: false, error: 'empty' };
      const n = Number(v.replace(',', '.'));
      if (!Number.isFinite(n)) return { ok: false, error: 'notNumber' };
      if (tracker.kind === 'scale' && tracker.scale) {
        if (!Number.isInteger(n)) return { ok: false, error: 'notWhole' };
        if (n < tracker.scale.min || n > tracker.scale.max)
          return { ok: false, error: 'outOfRange' };
      }
      if (tracker.kind === 'duration' && (n < 0 || n > LIMITS.durationMax))
        return { ok: false, error: 'outOfRange' };
      if (Math.abs(n) > LIMITS.numberAbs) return { ok: false, error: 'outOfRange' };
      return { ok: true, value: n };
    }
  }
}

/** The watch the draft describes, or the errors per field. */
export function buildWatch(
  draft: Draft,
  trackers: readonly Tracker[],
  id: string,
): { ok: true; watch: Watch } | { ok: false; errors: Partial<Record<Field, DraftError>> } {
  const errors: Partial<Record<Field, DraftError>> = {};
  const label = draft.label.trim();
  if (!label) errors.label = 'empty';
  else if (/[\r\n]/.test(label)) errors.label = 'oneLine';
  else if (label.length > LIMITS.title) errors.label = 'tooLong';
  const tracker = watchableTrackers(trackers).find((t) => t.id === draft.trackerId);
  let value: WatchRule['value'] | undefined;
  const comparison = draft.comparison as Comparison;
  if (!tracker) errors.trackerId = 'pickTracker';
  else {
    if (!comparisonsFor(tracker).includes(comparison)) errors.comparison = 'empty';
    const v = ruleValue(tracker, draft.value);
    if (v.ok) value = v.value;
    else errors.value = v.error;
  }
  const forDays = Number(draft.forDays);
  if (!Number.isInteger(forDays) || forDays < 1 || forDays > LIMITS.forDays)
    errors.forDays = 'days';
  const steps = draft.steps.map((s) => s.trim()).filter((s) => s.length > 0);
  if (steps.length > LIMITS.steps) errors.steps = 'tooMany';
  else if (steps.some((s) => s.length > LIMITS.step)) errors.steps = 'tooLong';
  if (Object.keys(errors).length > 0 || !tracker || value === undefined)
    return { ok: false, errors };
  const rule: WatchRule = { trackerId: tracker.id, comparison, value, forDays };
  if (!ruleFits(rule, tracker)) return { ok: false, errors: { value: 'notNumber' } };
  const watch: Watch = {
    v: 1,
    id,
    label,
    rule,
    enabled: draft.enabled,
    ...(draft.planSectionId ? { planSectionId: draft.planSectionId } : {}),
    ...(steps.length > 0 ? { steps } : {}),
  };
  return { ok: true, watch };
}
