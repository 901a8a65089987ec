/**
 * The default check-in: each question optional, every one editable, renamable or archivable.
 * English words here; the web app merges `defaultTrackerMessagesEn` into its messages and passes
 * its own `translate` to `makeDefaultTrackers` (keys `checkins.defaults.<key>.<field>`).
 */
import type { Scale, Tracker, TrackerGroup, TrackerKind } from './schema.js';

export interface DefaultTracker {
  /** Stable key; also the tracker id, so a second device adds the same trackers. */
  readonly key: string;
  readonly kind: TrackerKind;
  readonly group: TrackerGroup;
  readonly name: string;
  readonly unit?: string;
  readonly scale?: Scale;
  readonly tags?: readonly string[];
}

export const defaultTrackersEn: readonly DefaultTracker[] = [
  { key: 'how', kind: 'text', group: 'feeling', name: 'How I am, in my words' },
  {
    key: 'howScale',
    kind: 'scale',
    group: 'feeling',
    // The person names this scale (e.g. "steadiness"); this is only a starting name.
    name: 'How steady I feel',
    scale: { min: 1, max: 5, lowLabel: 'Not steady', highLabel: 'Steady' },
  },
  { key: 'sleepHours', kind: 'number', group: 'sleep', name: 'Sleep', unit: 'hours' },
  {
    key: 'sleepQuality',
    kind: 'scale',
    group: 'sleep',
    name: 'How I slept',
    scale: { min: 1, max: 5, lowLabel: 'Restless', highLabel: 'Rested' },
  },
  {
    key: 'energy',
    kind: 'scale',
    group: 'energy',
    name: 'Energy',
    scale: { min: 1, max: 5, lowLabel: 'Low', highLabel: 'High' },
  },
  {
    key: 'pain',
    kind: 'scale',
    group: 'body',
    name: 'Pain',
    scale: { min: 1, max: 5, lowLabel: 'None', highLabel: 'A lot' },
  },
  {
    key: 'appetite',
    kind: 'scale',
    group: 'body',
    name: 'Appetite',
    scale: { min: 1, max: 5, lowLabel: 'Little', highLabel: 'Plenty' },
  },
  { key: 'movement', kind: 'duration', group: 'body', name: 'Moving my body', unit: 'minutes' },
  {
    key: 'people',
    kind: 'duration',
    group: 'connection',
    name: 'Time with people',
    unit: 'minutes',
  },
  {
    key: 'did',
    kind: 'tags',
    group: 'doing',
    name: 'What I did',
    tags: ['Work', 'Rest', 'Outside', 'Cooking', 'Reading', 'Music', 'Chores', 'Creative'],
  },
];

const messageKey = (key: string, field: string): string => `checkins.defaults.${key}.${field}`;

/** English words of the default trackers, by message key (names, units, scale labels, tags). */
function messagesOf(list: readonly DefaultTracker[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list) {
    out[messageKey(t.key, 'name')] = t.name;
    if (t.unit) out[messageKey(t.key, 'unit')] = t.unit;
    if (t.scale?.lowLabel) out[messageKey(t.key, 'low')] = t.scale.lowLabel;
    if (t.scale?.highLabel) out[messageKey(t.key, 'high')] = t.scale.highLabel;
    (t.tags ?? []).forEach((tag, i) => (out[messageKey(t.key, `tag${i}`)] = tag));
  }
  return out;
}

/** English words of the default trackers, by message key (names, units, scale labels, tags). */
export const defaultTrackerMessagesEn: Readonly<Record<string, string>> =
  messagesOf(defaultTrackersEn);

export const translateDefaultsEn = (key: string): string => defaultTrackerMessagesEn[key] ?? key;

/** The default trackers as items, in the person's language (ids are the keys). */
export function makeDefaultTrackers(
  now: string,
  translate: (key: string) => string = translateDefaultsEn,
): Tracker[] {
  return defaultTrackersEn.map((t) => {
    const tracker: Tracker = {
      v: 1,
      id: t.key,
      name: translate(messageKey(t.key, 'name')),
      kind: t.kind,
      group: t.group,
      archived: false,
      createdAt: now,
      updatedAt: now,
    };
    if (t.unit) tracker.unit = translate(messageKey(t.key, 'unit'));
    if (t.scale) {
      tracker.scale = { min: t.scale.min, max: t.scale.max };
      if (t.scale.lowLabel) tracker.scale.lowLabel = translate(messageKey(t.key, 'low'));
      if (t.scale.highLabel) tracker.scale.highLabel = translate(messageKey(t.key, 'high'));
    }
    if (t.tags) tracker.tags = t.tags.map((_, i) => translate(messageKey(t.key, `tag${i}`)));
    return tracker;
  });
}
