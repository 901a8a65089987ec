import { describe, expect, it } from 'vitest';
import { makeDefaultTrackers, trackerSchema } from '$core/checkins/index';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import en from './messages/en.json';
import {
  buildTracker,
  emptyTrackerForm,
  tagLines,
  trackerFormOf,
  withArchived,
  withTag,
} from './trackers';

const NOW = '2026-11-24T15:00:00.000Z';
const defaults = makeDefaultTrackers('2026-01-01T00:00:00Z');
const did = defaults.find((t) => t.id === 'did')!;
const energy = defaults.find((t) => t.id === 'energy')!;

describe('buildTracker', () => {
  it('a new number with a unit', () => {
    const r = buildTracker(
      { ...emptyTrackerForm(), name: ' Water ', kind: 'number', unit: ' glasses ', group: 'body' },
      { id: 't1', now: NOW },
    );
    expect(r).toEqual({
      ok: true,
      tracker: {
        v: 1,
        id: 't1',
        name: 'Water',
        kind: 'number',
        unit: 'glasses',
        group: 'body',
        archived: false,
        createdAt: NOW,
        updatedAt: NOW,
      },
    });
  });
  it('a scale 1–10 with the person’s own labels, and a tag set', () => {
    const s = buildTracker(
      {
        ...emptyTrackerForm(),
        name: 'Calm',
        kind: 'scale',
        max: '10',
        lowLabel: 'Wired',
        highLabel: 'Calm',
      },
      { id: 't2', now: NOW },
    );
    expect(s.ok && s.tracker.scale).toEqual({
      min: 1,
      max: 10,
      lowLabel: 'Wired',
      highLabel: 'Calm',
    });
    expect(s.ok && s.tracker.unit).toBeUndefined();
    const tags = buildTracker(
      {
        ...emptyTrackerForm(),
        name: 'Places',
        kind: 'tags',
        tags: 'Home\n\n Park \nHome\nLibrary',
      },
      { id: 't3', now: NOW },
    );
    expect(tags.ok && tags.tracker.tags).toEqual(['Home', 'Park', 'Library']);
    for (const r of [s, tags])
      expect(r.ok && trackerSchema.safeParse(r.tracker).success).toBe(true);
  });
  it('names what is missing or does not fit, by field', () => {
    expect(buildTracker(emptyTrackerForm(), { id: 'x', now: NOW })).toEqual({
      ok: false,
      errors: { name: 'required', kind: 'chooseKind' },
      first: 'name',
    });
    expect(
      buildTracker(
        {
          ...emptyTrackerForm(),
          name: 'x'.repeat(101),
          kind: 'scale',
          max: '7',
          lowLabel: 'y'.repeat(101),
        },
        { id: 'x', now: NOW },
      ),
    ).toEqual({
      ok: false,
      errors: { name: 'tooLong', max: 'chooseRange', lowLabel: 'tooLong' },
      first: 'name',
    });
    expect(
      buildTracker(
        { ...emptyTrackerForm(), name: 'energy', kind: 'yesno' },
        { id: 'x', now: NOW, otherNames: ['Energy'] },
      ),
    ).toMatchObject({ ok: false, errors: { name: 'sameName' } });
    expect(
      buildTracker(
        { ...emptyTrackerForm(), name: 'Tags', kind: 'tags', tags: 'z'.repeat(101) },
        { id: 'x', now: NOW },
      ),
    ).toMatchObject({ ok: false, errors: { tags: 'tagTooLong' } });
  });
  it('editing keeps id, kind, range, createdAt and archived; renames and relabels', () => {
    const form = {
      ...trackerFormOf(energy),
      name: 'Get up and go',
      lowLabel: 'Flat',
      kind: 'text' as const,
      max: '10',
    };
    const r = buildTracker(form, { id: 'new', now: NOW, existing: { ...energy, archived: true } });
    expect(r).toEqual({
      ok: true,
      tracker: {
        ...energy,
        name: 'Get up and go',
        scale: { min: 1, max: 5, lowLabel: 'Flat', highLabel: 'High' },
        archived: true,
        updatedAt: NOW,
      },
    });
  });
  it('editing tags of a tag set', () => {
    const r = buildTracker(
      { ...trackerFormOf(did), tags: 'Work\nGardening' },
      { id: 'x', now: NOW, existing: did },
    );
    expect(r.ok && r.tracker.tags).toEqual(['Work', 'Gardening']);
  });
});

describe('tags and archiving', () => {
  it('tagLines', () => {
    expect(tagLines('a\r\nb\n a \n\n')).toEqual(['a', 'b']);
  });
  it('withTag adds a new tag, finds one already there, refuses blank or long', () => {
    const r = withTag(did, '  Walking ', NOW);
    expect(r).toEqual({
      ok: true,
      tracker: { ...did, tags: [...did.tags!, 'Walking'], updatedAt: NOW },
      tag: 'Walking',
    });
    expect(withTag(did, 'work', NOW)).toEqual({ ok: true, tracker: did, tag: 'Work' });
    expect(withTag(did, '   ', NOW)).toEqual({ ok: false, error: 'required' });
    expect(withTag(did, 'q'.repeat(101), NOW)).toEqual({ ok: false, error: 'tagTooLong' });
  });
  it('withArchived', () => {
    expect(withArchived(did, true, NOW)).toEqual({ ...did, archived: true, updatedAt: NOW });
    expect(withArchived(withArchived(did, true, NOW), false, NOW).archived).toBe(false);
  });
});

describe('the words', () => {
  it('are plain: no clinical words, no streaks or scores', () => {
    expect(clinicalWordsIn(en)).toEqual([]);
    expect(clinicalWordsIn({ bad: 'your streak' })).not.toEqual([]);
  });
});
