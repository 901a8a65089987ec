import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import type { Checkin, Tracker } from '$core/checkins/index';
import { importCsv } from '$core/checkins/import/index';
import { exportName, importErrorMessage } from './errors';
import {
  checkinKey,
  choiceValue,
  defaultChoices,
  earlierMapping,
  parseChoice,
  planImport,
  targetsFor,
  type Choice,
} from './mapping';
import en from './messages/en.json';

const NOW = '2026-04-01T00:00:00.000Z';
const fixture = (name: string) =>
  readFileSync(
    new URL(`../../../../../core/src/checkins/import/fixtures/${name}`, import.meta.url),
    'utf8',
  );

let n = 0;
function daylio() {
  const r = importCsv('daylio', fixture('daylio.csv'), {
    now: NOW,
    newId: () => `id${String(++n)}`,
  });
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

const mine = (over: Partial<Tracker> & Pick<Tracker, 'id' | 'name' | 'kind'>): Tracker => ({
  v: 1,
  archived: false,
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});
const myMood = mine({
  id: 'howScale',
  name: 'How steady I feel',
  kind: 'scale',
  scale: { min: 1, max: 5 },
});
const myTen = mine({ id: 'ten', name: 'Energy', kind: 'scale', scale: { min: 1, max: 10 } });
const myTags = mine({ id: 'did', name: 'What I did', kind: 'tags', tags: ['walk', 'reading'] });
const myYes = mine({ id: 'walk', name: 'a walk', kind: 'yesno' });

describe('choices', () => {
  it('offers only trackers of the same kind, and scales of the same range', () => {
    const p = daylio();
    const mood = p.trackers.find((t) => t.kind === 'scale')!;
    const acts = p.trackers.find((t) => t.kind === 'tags')!;
    const all = [myMood, myTen, myTags, myYes];
    expect(targetsFor(mood, all).map((t) => t.id)).toEqual(['howScale']);
    expect(targetsFor(acts, all).map((t) => t.id)).toEqual(['did']);
  });

  it('goes into a tracker with the same name by default (a file imported before), else new', () => {
    const p = daylio();
    const again = { ...p.trackers[0]!, id: 'earlier' };
    const d = defaultChoices(p.trackers, [again, myTags]);
    expect(d[p.trackers[0]!.id]).toEqual({ kind: 'into', trackerId: 'earlier' });
    expect(d[p.trackers[1]!.id]).toEqual({ kind: 'new' });
  });

  it('round-trips choices through select values', () => {
    for (const c of [
      { kind: 'new' },
      { kind: 'leave' },
      { kind: 'into', trackerId: 'a-b_c' },
    ] as Choice[]) {
      expect(parseChoice(choiceValue(c))).toEqual(c);
    }
  });
});

describe('planImport', () => {
  it('adds everything as new trackers by default', () => {
    const p = daylio();
    const plan = planImport(p, defaultChoices(p.trackers, []), { trackers: [], checkins: [] }, NOW);
    expect(plan.trackers).toEqual(p.trackers);
    expect(plan.checkins).toEqual(p.checkins);
    expect(plan.alreadyHere).toBe(0);
  });

  it('rewrites values onto the chosen tracker, and adds the new tags to an existing tag set', () => {
    const p = daylio();
    const [mood, acts] = p.trackers as [Tracker, Tracker];
    const plan = planImport(
      p,
      {
        [mood.id]: { kind: 'into', trackerId: 'howScale' },
        [acts.id]: { kind: 'into', trackerId: 'did' },
      },
      { trackers: [myMood, myTags], checkins: [] },
      '2026-04-02T00:00:00.000Z',
    );
    expect(plan.checkins).toHaveLength(p.checkins.length);
    const first = plan.checkins.find((c) => c.at.startsWith('2026-03-02T21:05'))!;
    expect(first.values).toEqual({ howScale: 4, did: ['walk', 'friends', 'cooking'] });
    for (const c of plan.checkins) {
      expect(Object.keys(c.values).every((k) => k === 'howScale' || k === 'did')).toBe(true);
    }
    // No new trackers; "What I did" gains the file's tags after its own.
    expect(plan.trackers).toHaveLength(1);
    expect(plan.trackers[0]).toMatchObject({ id: 'did', updatedAt: '2026-04-02T00:00:00.000Z' });
    expect(plan.trackers[0]!.tags!.slice(0, 3)).toEqual(['walk', 'reading', 'friends']);
    expect(new Set(plan.trackers[0]!.tags).size).toBe(plan.trackers[0]!.tags!.length);
  });

  it('leaves a tracker out, and a check-in with nothing left and no note', () => {
    const p = daylio();
    const [mood, acts] = p.trackers as [Tracker, Tracker];
    const plan = planImport(
      p,
      { [mood.id]: { kind: 'leave' }, [acts.id]: { kind: 'leave' } },
      { trackers: [], checkins: [] },
      NOW,
    );
    expect(plan.trackers).toEqual([]);
    expect(plan.checkins.every((c) => Object.keys(c.values).length === 0 && c.note)).toBe(true);
    expect(plan.checkins.length + plan.empty).toBe(p.checkins.length);
    expect(plan.empty).toBeGreaterThan(0);
  });

  it('falls back to a new tracker when the chosen one does not fit', () => {
    const p = daylio();
    const mood = p.trackers[0]!;
    const plan = planImport(
      p,
      { [mood.id]: { kind: 'into', trackerId: 'ten' } },
      { trackers: [myTen], checkins: [] },
      NOW,
    );
    expect(plan.trackers.map((t) => t.id)).toContain(mood.id);
  });

  it('importing the same file again adds nothing (fresh ids, same moments and values)', () => {
    const first = daylio();
    const plan1 = planImport(
      first,
      defaultChoices(first.trackers, []),
      { trackers: [], checkins: [] },
      NOW,
    );
    const trackers = [...plan1.trackers];
    const checkins = [...plan1.checkins];
    const second = daylio();
    expect(second.checkins[0]!.id).not.toBe(first.checkins[0]!.id);
    const choices = defaultChoices(second.trackers, trackers);
    expect(Object.values(choices).every((c) => c.kind === 'into')).toBe(true);
    const plan2 = planImport(second, choices, { trackers, checkins }, NOW);
    expect(plan2.checkins).toEqual([]);
    expect(plan2.trackers).toEqual([]);
    expect(plan2.alreadyHere).toBe(first.checkins.length);
  });

  it('a changed value or note is not the same check-in', () => {
    const c: Checkin = {
      v: 1,
      id: 'a',
      at: '2026-03-01T10:00:00+01:00',
      values: { t: ['b', 'a'] },
      updatedAt: NOW,
    };
    expect(checkinKey(c)).toBe(
      checkinKey({ ...c, at: '2026-03-01T09:00:00Z', values: { t: ['a', 'b'] } }),
    );
    expect(checkinKey(c)).not.toBe(checkinKey({ ...c, note: 'x' }));
    expect(checkinKey(c)).not.toBe(checkinKey({ ...c, values: { t: ['a'] } }));
  });
});

describe('earlierMapping', () => {
  it('finds where the same file went before, so bringing it in again adds nothing', () => {
    const first = daylio();
    const [mood, acts] = first.trackers as [Tracker, Tracker];
    const choices = {
      [mood.id]: { kind: 'into', trackerId: 'howScale' },
      [acts.id]: { kind: 'into', trackerId: 'did' },
    } as const;
    const plan1 = planImport(first, choices, { trackers: [myMood, myTags], checkins: [] }, NOW);
    const existing = {
      trackers: [myMood, myTen, { ...myTags, ...plan1.trackers[0] }],
      checkins: plan1.checkins,
    };
    const again = daylio();
    const earlier = earlierMapping(again, existing);
    const [mood2, acts2] = again.trackers as [Tracker, Tracker];
    expect(earlier).toEqual({ [mood2.id]: 'howScale', [acts2.id]: 'did' });
    const d = defaultChoices(again.trackers, existing.trackers, earlier);
    expect(d[mood2.id]).toEqual({ kind: 'into', trackerId: 'howScale' });
    const plan2 = planImport(again, d, existing, NOW);
    expect(plan2.checkins).toEqual([]);
    expect(plan2.alreadyHere).toBe(first.checkins.length);
  });

  it('guesses nothing from disagreeing values, ties, or no overlap', () => {
    const p = daylio();
    const mood = p.trackers[0]!;
    const energy = mine({ id: 'energy', name: 'Energy', kind: 'scale', scale: { min: 1, max: 5 } });
    const moodValues = p.checkins.filter((c) => c.values[mood.id] !== undefined);
    const copy = (id: string, shift = 0): Checkin[] =>
      moodValues.map((c, i) => ({
        ...c,
        id: `${id}${String(i)}`,
        values: { [id]: (c.values[mood.id] as number) + shift },
      }));
    const trackers = [myMood, energy];
    // Both trackers hold the same values at those moments: a tie.
    expect(
      earlierMapping(p, { trackers, checkins: [...copy('howScale'), ...copy('energy')] }),
    ).toEqual({});
    // One differs: only the other is found.
    expect(
      earlierMapping(p, { trackers, checkins: [...copy('howScale'), ...copy('energy', -1)] }),
    ).toEqual({ [mood.id]: 'howScale' });
    // Nothing at those moments.
    expect(earlierMapping(p, { trackers, checkins: [] })).toEqual({});
  });
});

describe('import errors in words', () => {
  it('names the line', () => {
    const r = importCsv(
      'daylio',
      'full_date,time,mood,activities\n2026-03-01,10:00,good,\n2026-13-01,10:00,good,\n',
      { now: NOW },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(importErrorMessage(r.error)).toEqual({
      id: 'checkins.exchange.error.badDate',
      values: { line: 3, value: '2026-13-01' },
    });
    expect(
      importErrorMessage({ code: 'missing_columns', line: 1, missing: ['mood', 'time'] }),
    ).toEqual({
      id: 'checkins.exchange.error.missingColumns',
      values: { line: 1, columns: 'mood, time' },
    });
    expect(importErrorMessage({ code: 'too_large', bytes: 21 * 1024 * 1024 }).values).toEqual({
      size: '21',
    });
    expect(exportName('2026-04-01', 'csv')).toBe('tend-checkins-2026-04-01.csv');
  });
});

describe("the page's words", () => {
  it('are plain: no clinical words, streaks or scores', () => {
    expect(clinicalWordsIn(en)).toEqual([]);
  });
});
