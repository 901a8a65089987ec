import { describe, expect, it } from 'vitest';
import type { Tracker } from '$core/checkins/index';
import { buildWatch, comparisonsFor, draftOf, emptyDraft, watchableTrackers } from './rules';

const T = '2026-01-01T00:00:00.000Z';
const base = { v: 1 as const, archived: false, createdAt: T, updatedAt: T };
const sleep: Tracker = { ...base, id: 'sleep', name: 'Sleep', kind: 'number', unit: 'hours' };
const steady: Tracker = {
  ...base,
  id: 'steady',
  name: 'Steady',
  kind: 'scale',
  scale: { min: 1, max: 5 },
};
const walk: Tracker = { ...base, id: 'walk', name: 'A walk', kind: 'yesno' };
const did: Tracker = {
  ...base,
  id: 'did',
  name: 'What I did',
  kind: 'tags',
  tags: ['friends', 'cooked'],
};
const bed: Tracker = { ...base, id: 'bed', name: 'Bedtime', kind: 'timeofday' };
const words: Tracker = { ...base, id: 'how', name: 'How I am', kind: 'text' };
const old: Tracker = { ...sleep, id: 'old', archived: true };
const all = [sleep, steady, walk, did, bed, words, old];

const draft = (patch: Partial<ReturnType<typeof emptyDraft>>) => ({
  ...emptyDraft(),
  label: 'Sleeping badly',
  trackerId: 'sleep',
  value: '5',
  ...patch,
});

describe('which trackers and comparisons fit', () => {
  it('leaves out words and archived trackers', () => {
    expect(watchableTrackers(all).map((t) => t.id)).toEqual([
      'sleep',
      'steady',
      'walk',
      'did',
      'bed',
    ]);
  });
  it('offers comparisons by kind', () => {
    expect(comparisonsFor(sleep)).toEqual(['below', 'above', 'is', 'isNot']);
    expect(comparisonsFor(walk)).toEqual(['is']);
    expect(comparisonsFor(did)).toEqual(['is', 'isNot']);
    expect(comparisonsFor(words)).toEqual([]);
  });
});

describe('buildWatch', () => {
  it('makes "sleep below 5 hours for 3 nights" with the steps, trimmed', () => {
    const r = buildWatch(
      draft({ planSectionId: 'sec1', steps: [' Ring Sam ', '', 'Walk'] }),
      all,
      'w1',
    );
    expect(r).toEqual({
      ok: true,
      watch: {
        v: 1,
        id: 'w1',
        label: 'Sleeping badly',
        planSectionId: 'sec1',
        rule: { trackerId: 'sleep', comparison: 'below', value: 5, forDays: 3 },
        steps: ['Ring Sam', 'Walk'],
        enabled: true,
      },
    });
    if (r.ok)
      expect(draftOf(r.watch)).toEqual(
        draft({ planSectionId: 'sec1', steps: ['Ring Sam', 'Walk'] }),
      );
  });

  it('reads a decimal comma', () => {
    const r = buildWatch(draft({ value: '4,5' }), all, 'w');
    expect(r.ok && r.watch.rule.value).toBe(4.5);
  });

  it('names each field that does not fit', () => {
    expect(buildWatch(draft({ label: '  ', value: 'lots', forDays: '0' }), all, 'w')).toEqual({
      ok: false,
      errors: { label: 'empty', value: 'notNumber', forDays: 'days' },
    });
    expect(buildWatch(draft({ trackerId: 'how' }), all, 'w')).toEqual({
      ok: false,
      errors: { trackerId: 'pickTracker' },
    });
    expect(buildWatch(draft({ trackerId: 'old' }), all, 'w')).toMatchObject({ ok: false });
    expect(buildWatch(draft({ trackerId: 'steady', value: '7' }), all, 'w')).toEqual({
      ok: false,
      errors: { value: 'outOfRange' },
    });
    expect(buildWatch(draft({ trackerId: 'steady', value: '2.5' }), all, 'w')).toEqual({
      ok: false,
      errors: { value: 'notWhole' },
    });
    expect(
      buildWatch(draft({ trackerId: 'walk', comparison: 'below', value: 'no' }), all, 'w'),
    ).toEqual({ ok: false, errors: { comparison: 'empty' } });
    expect(buildWatch(draft({ label: 'a'.repeat(201) }), all, 'w')).toEqual({
      ok: false,
      errors: { label: 'tooLong' },
    });
    expect(buildWatch(draft({ steps: ['x'.repeat(1001)] }), all, 'w')).toEqual({
      ok: false,
      errors: { steps: 'tooLong' },
    });
  });

  it('takes yes/no, a tag and a time of day as those trackers need', () => {
    const no = buildWatch(draft({ trackerId: 'walk', comparison: 'is', value: 'no' }), all, 'w');
    expect(no.ok && no.watch.rule).toEqual({
      trackerId: 'walk',
      comparison: 'is',
      value: false,
      forDays: 3,
    });
    const tag = buildWatch(
      draft({ trackerId: 'did', comparison: 'isNot', value: 'friends' }),
      all,
      'w',
    );
    expect(tag.ok && tag.watch.rule.value).toBe('friends');
    expect(
      buildWatch(draft({ trackerId: 'did', comparison: 'is', value: 'sailing' }), all, 'w'),
    ).toEqual({
      ok: false,
      errors: { value: 'pickTag' },
    });
    const late = buildWatch(
      draft({ trackerId: 'bed', comparison: 'above', value: '01:30' }),
      all,
      'w',
    );
    expect(late.ok && late.watch.rule.value).toBe('01:30');
    expect(buildWatch(draft({ trackerId: 'bed', value: '25:00' }), all, 'w')).toEqual({
      ok: false,
      errors: { value: 'notTime' },
    });
  });
});
