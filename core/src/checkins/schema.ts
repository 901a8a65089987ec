/**
 * Check-ins as vault items (issue 5): trackers the person defines, check-ins, journal entries,
 * personal experiments and watched early-warning patterns. Every item is UTF-8 JSON encrypted in
 * the vault (collection `checkins`); the server sees only ids, types, sizes and times. There are
 * no diagnosis, symptom-score or DSM fields, no streaks and no scores somebody else chose.
 *
 * Item type `checkin.tracker`:
 *   { v: 1, id, name, kind, unit?, scale?: { min: 1, max: 5 | 10, lowLabel?, highLabel? },
 *     tags?: string[], group?, archived, createdAt, updatedAt }
 * Item type `checkin`:
 *   { v: 1, id, at (may be backdated), values: { [trackerId]: value }, note?, updatedAt }
 *   value by the tracker's kind: yesno boolean · number finite number · scale whole number in
 *   the tracker's range · duration minutes (0–10 080) · timeofday "HH:MM" · text string ·
 *   tags string[] (the person's words). `checkValues` checks values against the trackers.
 * Item type `checkin.journal`: { v: 1, id, at, body (Markdown), checkinId?, contentWarning?, updatedAt }
 * Item type `checkin.experiment`:
 *   { v: 1, id, title, tries: { trackerId, tag? }, startsOn (YYYY-MM-DD), days, outcomeTrackerId, createdAt }
 * Item type `checkin.watch`:
 *   { v: 1, id, label, planSectionId?, rule: { trackerId, comparison, value, forDays },
 *     steps?: string[] (their own action-plan steps), enabled }
 *
 * Times are ISO-8601 (`at` may carry an offset); names, labels and tags are one line.
 */
import { z } from 'zod';
import { ID_PATTERN } from '../crypto/ids.js';
import { err, ok, type Result } from '../result.js';

export const CHECKIN_COLLECTION = 'checkins';
export const CHECKIN_ITEM_TYPES = {
  tracker: 'checkin.tracker',
  checkin: 'checkin',
  journal: 'checkin.journal',
  experiment: 'checkin.experiment',
  watch: 'checkin.watch',
} as const;

export const TRACKER_KINDS = [
  'yesno',
  'number',
  'scale',
  'duration',
  'timeofday',
  'text',
  'tags',
] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

export const TRACKER_GROUPS = [
  'feeling',
  'sleep',
  'energy',
  'body',
  'connection',
  'doing',
  'other',
] as const;
export type TrackerGroup = (typeof TRACKER_GROUPS)[number];

export const COMPARISONS = ['below', 'above', 'is', 'isNot'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const LIMITS = {
  name: 100,
  unit: 30,
  label: 100,
  tag: 100,
  tags: 500,
  valueTags: 100,
  text: 4_000,
  note: 4_000,
  body: 40_000,
  contentWarning: 200,
  values: 200,
  title: 200,
  steps: 50,
  step: 1_000,
  experimentDays: 365,
  experimentDaysDefault: 14,
  forDays: 365,
  /** Durations are minutes, up to a week. */
  durationMax: 7 * 24 * 60,
  /** Numbers are kept within ±1e9 so sums over years stay exact enough. */
  numberAbs: 1e9,
} as const;

/** Largest UTF-8 JSON encoding of one check-in item (under the vault's 1 MiB envelope). */
export const MAX_ITEM_BYTES = 160 * 1024;

const LINE = /^[^\r\n]*$/;
const oneLine = (max: number) => z.string().max(max).regex(LINE, 'must be one line');
const nonEmptyLine = (max: number) =>
  oneLine(max).refine((s) => s.trim().length > 0, 'must not be empty');

export const idSchema = z.string().regex(ID_PATTERN, 'must be 1–64 of A–Z a–z 0–9 _ -');
/** ISO-8601 time; `at` may carry the offset the person was in. */
export const timeSchema = z.iso.datetime({ offset: true });
/** A calendar date, YYYY-MM-DD. */
export const dateSchema = z.iso.date();
/** A time of day, HH:MM (24 hours). */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
export const tagSchema = nonEmptyLine(LIMITS.tag);

const unique = (list: readonly string[]): boolean => new Set(list).size === list.length;

export const scaleSchema = z.strictObject({
  min: z.literal(1),
  max: z.union([z.literal(5), z.literal(10)]),
  /** What the low end means, in the person's words. */
  lowLabel: oneLine(LIMITS.label).optional(),
  highLabel: oneLine(LIMITS.label).optional(),
});

export const trackerSchema = z
  .strictObject({
    v: z.literal(1),
    id: idSchema,
    name: nonEmptyLine(LIMITS.name),
    kind: z.enum(TRACKER_KINDS),
    unit: oneLine(LIMITS.unit).optional(),
    scale: scaleSchema.optional(),
    /** For tag sets: the person's own tags (activities, places, people, what they took). */
    tags: z.array(tagSchema).max(LIMITS.tags).refine(unique, 'tags must be unique').optional(),
    group: z.enum(TRACKER_GROUPS).optional(),
    archived: z.boolean(),
    createdAt: timeSchema,
    updatedAt: timeSchema,
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'scale' && !t.scale) {
      ctx.addIssue({ code: 'custom', message: 'a scale needs its range', path: ['scale'] });
    }
    if (t.kind !== 'scale' && t.scale) {
      ctx.addIssue({ code: 'custom', message: 'only a scale has a range', path: ['scale'] });
    }
    if (t.kind !== 'tags' && t.tags) {
      ctx.addIssue({ code: 'custom', message: 'only a tag set has tags', path: ['tags'] });
    }
  });

/** A value in a check-in; which shape is allowed depends on the tracker (see `checkValues`). */
export const valueSchema = z.union([
  z.boolean(),
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.string().max(LIMITS.text),
  z.array(tagSchema).max(LIMITS.valueTags),
]);

export const checkinSchema = z
  .strictObject({
    v: z.literal(1),
    id: idSchema,
    at: timeSchema,
    values: z.record(idSchema, valueSchema),
    note: z.string().max(LIMITS.note).optional(),
    updatedAt: timeSchema,
  })
  .refine((c) => Object.keys(c.values).length <= LIMITS.values, {
    message: `at most ${LIMITS.values} values`,
    path: ['values'],
  });

export const journalSchema = z.strictObject({
  v: z.literal(1),
  id: idSchema,
  at: timeSchema,
  /** Markdown, as written; sanitise when rendering. */
  body: z.string().max(LIMITS.body),
  checkinId: idSchema.optional(),
  /** A note to themselves about what the entry holds, shown before it opens. */
  contentWarning: oneLine(LIMITS.contentWarning).optional(),
  updatedAt: timeSchema,
});

export const experimentSchema = z.strictObject({
  v: z.literal(1),
  id: idSchema,
  title: nonEmptyLine(LIMITS.title),
  /** What to try: a yes/no tracker, or one tag of a tag set. */
  tries: z.strictObject({ trackerId: idSchema, tag: tagSchema.optional() }),
  startsOn: dateSchema,
  days: z.int().min(1).max(LIMITS.experimentDays).default(LIMITS.experimentDaysDefault),
  outcomeTrackerId: idSchema,
  createdAt: timeSchema,
});

export const watchRuleSchema = z.strictObject({
  trackerId: idSchema,
  comparison: z.enum(COMPARISONS),
  /** A number (number, scale, duration), yes/no, a tag, or HH:MM for a time of day. */
  value: z.union([
    z.boolean(),
    z.number().refine(Number.isFinite, 'must be a finite number'),
    oneLine(LIMITS.tag),
  ]),
  /** How many consecutive days. */
  forDays: z.int().min(1).max(LIMITS.forDays),
});

export const watchSchema = z.strictObject({
  v: z.literal(1),
  id: idSchema,
  label: nonEmptyLine(LIMITS.title),
  planSectionId: idSchema.optional(),
  rule: watchRuleSchema,
  /** Their own action-plan steps, copied in their words. */
  steps: z.array(z.string().max(LIMITS.step)).max(LIMITS.steps).optional(),
  enabled: z.boolean(),
});

export type Scale = z.infer<typeof scaleSchema>;
export type Tracker = z.infer<typeof trackerSchema>;
export type Value = z.infer<typeof valueSchema>;
export type Checkin = z.infer<typeof checkinSchema>;
export type JournalEntry = z.infer<typeof journalSchema>;
export type Experiment = z.infer<typeof experimentSchema>;
export type WatchRule = z.infer<typeof watchRuleSchema>;
export type Watch = z.infer<typeof watchSchema>;

export interface ValueIssue {
  readonly trackerId: string;
  readonly code: 'unknown_tracker' | 'wrong_type' | 'out_of_range' | 'unknown_tag';
}

/** Whether a value has the shape a tracker of this kind takes (ignoring range and tag lists). */
export function valueFits(tracker: Tracker, value: Value): ValueIssue['code'] | undefined {
  switch (tracker.kind) {
    case 'yesno':
      return typeof value === 'boolean' ? undefined : 'wrong_type';
    case 'number':
      if (typeof value !== 'number') return 'wrong_type';
      return Math.abs(value) <= LIMITS.numberAbs ? undefined : 'out_of_range';
    case 'scale': {
      if (typeof value !== 'number') return 'wrong_type';
      const s = tracker.scale!;
      return Number.isInteger(value) && value >= s.min && value <= s.max
        ? undefined
        : 'out_of_range';
    }
    case 'duration':
      if (typeof value !== 'number') return 'wrong_type';
      return value >= 0 && value <= LIMITS.durationMax ? undefined : 'out_of_range';
    case 'timeofday':
      if (typeof value !== 'string') return 'wrong_type';
      return timeOfDaySchema.safeParse(value).success ? undefined : 'out_of_range';
    case 'text':
      return typeof value === 'string' ? undefined : 'wrong_type';
    case 'tags':
      return Array.isArray(value) ? undefined : 'wrong_type';
  }
}

/**
 * Checks a check-in's values against the trackers they name. Tags not (yet) in the tracker's
 * list are reported as `unknown_tag` only with `{ knownTagsOnly: true }`; by default a person may
 * type a new tag in a check-in and the web app adds it to the tracker.
 */
export function checkValues(
  checkin: Pick<Checkin, 'values'>,
  trackers: ReadonlyMap<string, Tracker>,
  options: { knownTagsOnly?: boolean } = {},
): Result<true, readonly ValueIssue[]> {
  const issues: ValueIssue[] = [];
  for (const [trackerId, value] of Object.entries(checkin.values)) {
    const tracker = trackers.get(trackerId);
    if (!tracker) {
      issues.push({ trackerId, code: 'unknown_tracker' });
      continue;
    }
    const code = valueFits(tracker, value);
    if (code) issues.push({ trackerId, code });
    else if (options.knownTagsOnly && Array.isArray(value)) {
      const known = new Set(tracker.tags ?? []);
      if (value.some((t) => !known.has(t))) issues.push({ trackerId, code: 'unknown_tag' });
    }
  }
  return issues.length ? err(issues) : ok(true);
}
