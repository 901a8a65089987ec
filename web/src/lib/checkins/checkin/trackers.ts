/**
 * "What I track": a tracker form (as the inputs hold it) to a tracker, checked, and back. The kind
 * and a scale's range are fixed once made, so the check-ins already made keep their meaning.
 */
import {
  LIMITS,
  TRACKER_GROUPS,
  TRACKER_KINDS,
  trackerSchema,
  type Tracker,
  type TrackerGroup,
  type TrackerKind,
} from '$core/checkins/index';

export interface TrackerForm {
  name: string;
  kind: TrackerKind | '';
  group: TrackerGroup;
  unit: string;
  /** "5" or "10". */
  max: string;
  lowLabel: string;
  highLabel: string;
  /** One tag per line. */
  tags: string;
}

export type TrackerField = 'name' | 'kind' | 'unit' | 'max' | 'lowLabel' | 'highLabel' | 'tags';
export type TrackerError =
  | 'required'
  | 'tooLong'
  | 'oneLine'
  | 'chooseKind'
  | 'chooseRange'
  | 'tooManyTags'
  | 'tagTooLong'
  | 'sameName';
export type TrackerErrors = Partial<Record<TrackerField, TrackerError>>;

export const FIELD_ORDER: readonly TrackerField[] = [
  'name',
  'kind',
  'unit',
  'max',
  'lowLabel',
  'highLabel',
  'tags',
];

export const emptyTrackerForm = (): TrackerForm => ({
  name: '',
  kind: '',
  group: 'other',
  unit: '',
  max: '5',
  lowLabel: '',
  highLabel: '',
  tags: '',
});

export function trackerFormOf(t: Tracker): TrackerForm {
  return {
    name: t.name,
    kind: t.kind,
    group: t.group ?? 'other',
    unit: t.unit ?? '',
    max: String(t.scale?.max ?? 5),
    lowLabel: t.scale?.lowLabel ?? '',
    highLabel: t.scale?.highLabel ?? '',
    tags: (t.tags ?? []).join('\n'),
  };
}

/** Tags from the textarea: one a line, trimmed, blank lines and repeats dropped. */
export function tagLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

const line = (s: string, max: number): TrackerError | undefined =>
  /[\r\n]/.test(s) ? 'oneLine' : s.length > max ? 'tooLong' : undefined;

export const isKind = (k: string): k is TrackerKind =>
  (TRACKER_KINDS as readonly string[]).includes(k);
export const isGroup = (g: string): g is TrackerGroup =>
  (TRACKER_GROUPS as readonly string[]).includes(g);

export type TrackerBuild =
  { ok: true; tracker: Tracker } | { ok: false; errors: TrackerErrors; first: TrackerField };

/**
 * The form to a tracker. A new one gets `id` and `now` as createdAt; an existing one keeps its
 * id, kind, range, createdAt and archived state. `others` are the other trackers' names (a name
 * used twice would be confusing in the check-in and the insights).
 */
export function buildTracker(
  form: TrackerForm,
  options: { id: string; now: string; existing?: Tracker; otherNames?: readonly string[] },
): TrackerBuild {
  const errors: TrackerErrors = {};
  const existing = options.existing;
  const kind = existing?.kind ?? form.kind;
  const name = form.name.trim();
  if (name === '') errors.name = 'required';
  else {
    const e = line(name, LIMITS.name);
    if (e) errors.name = e;
    else if (
      (options.otherNames ?? []).some(
        (n) => n.trim().toLocaleLowerCase() === name.toLocaleLowerCase(),
      )
    )
      errors.name = 'sameName';
  }
  if (!isKind(kind)) errors.kind = 'chooseKind';
  const unit = form.unit.trim();
  if (kind === 'number') {
    const e = line(unit, LIMITS.unit);
    if (e) errors.unit = e;
  }
  const max = existing?.scale?.max ?? (form.max === '10' ? 10 : form.max === '5' ? 5 : undefined);
  const lowLabel = form.lowLabel.trim();
  const highLabel = form.highLabel.trim();
  if (kind === 'scale') {
    if (max === undefined) errors.max = 'chooseRange';
    const lo = line(lowLabel, LIMITS.label);
    if (lo) errors.lowLabel = lo;
    const hi = line(highLabel, LIMITS.label);
    if (hi) errors.highLabel = hi;
  }
  const tags = tagLines(form.tags);
  if (kind === 'tags') {
    if (tags.length > LIMITS.tags) errors.tags = 'tooManyTags';
    else if (tags.some((t) => t.length > LIMITS.tag)) errors.tags = 'tagTooLong';
  }
  const first = FIELD_ORDER.find((f) => errors[f]);
  if (first || !isKind(kind)) return { ok: false, errors, first: first ?? 'kind' };

  const tracker: Tracker = {
    v: 1,
    id: existing?.id ?? options.id,
    name,
    kind,
    group: isGroup(form.group) ? form.group : 'other',
    archived: existing?.archived ?? false,
    createdAt: existing?.createdAt ?? options.now,
    updatedAt: options.now,
  };
  if (kind === 'number' && unit) tracker.unit = unit;
  // A duration's or time's unit is fixed (minutes, clock); keep one a default already had.
  if (kind !== 'number' && existing?.unit) tracker.unit = existing.unit;
  if (kind === 'scale') {
    tracker.scale = { min: 1, max: max === 10 ? 10 : 5 };
    if (lowLabel) tracker.scale.lowLabel = lowLabel;
    if (highLabel) tracker.scale.highLabel = highLabel;
  }
  if (kind === 'tags') tracker.tags = tags;
  const checked = trackerSchema.safeParse(tracker);
  if (!checked.success) return { ok: false, errors: { name: 'tooLong' }, first: 'name' };
  return { ok: true, tracker };
}

/** A tag set with one more tag (trimmed; already there is fine), or why it cannot be added. */
export function withTag(
  tracker: Tracker,
  tag: string,
  now: string,
): { ok: true; tracker: Tracker; tag: string } | { ok: false; error: TrackerError } {
  const t = tag.trim();
  if (t === '') return { ok: false, error: 'required' };
  const e = line(t, LIMITS.tag);
  if (e) return { ok: false, error: e === 'tooLong' ? 'tagTooLong' : e };
  const tags = tracker.tags ?? [];
  const same = tags.find((x) => x.toLocaleLowerCase() === t.toLocaleLowerCase());
  if (same) return { ok: true, tracker, tag: same };
  if (tags.length >= LIMITS.tags) return { ok: false, error: 'tooManyTags' };
  return { ok: true, tracker: { ...tracker, tags: [...tags, t], updatedAt: now }, tag: t };
}

/** Archived or brought back, history kept. */
export const withArchived = (tracker: Tracker, archived: boolean, now: string): Tracker => ({
  ...tracker,
  archived,
  updatedAt: now,
});
