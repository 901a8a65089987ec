import { describe, expect, it } from 'vitest';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import type { Checkin, Tracker } from '$core/checkins/index';
import {
  attachChoices,
  buildEntry,
  checkinValues,
  emptyForm,
  formOf,
  fromInputs,
  hasUnsavedWords,
  toInputs,
  type JournalForm,
} from './entry';
import en from './messages/en.json';

const NOW = '2026-03-05T10:00:00.000Z';
const form = (over: Partial<JournalForm> = {}): JournalForm => ({
  body: 'A **slow** morning.',
  contentWarning: '',
  checkinId: '',
  date: '2026-03-04',
  time: '21:30',
  ...over,
});

describe('date and time inputs', () => {
  it('round-trips a moment through the inputs in device time', () => {
    const at = fromInputs('2026-03-04', '21:30');
    expect(at).toBeDefined();
    expect(toInputs(at!)).toEqual({ date: '2026-03-04', time: '21:30' });
    const d = new Date(at!);
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
      2026, 2, 4, 21, 30,
    ]);
  });

  it('refuses dates that do not exist and times that are not times', () => {
    expect(fromInputs('2026-02-31', '10:00')).toBeUndefined();
    expect(fromInputs('2026-03-04', '24:00')).toBeUndefined();
    expect(fromInputs('2026-03-04', '10:60')).toBeUndefined();
    expect(fromInputs('', '10:00')).toBeUndefined();
    expect(fromInputs('2026-03-04', '')).toBeUndefined();
  });
});

describe('buildEntry', () => {
  it('makes a backdated entry with a trimmed content warning and the check-in', () => {
    const r = buildEntry(form({ contentWarning: '  about the hospital \n', checkinId: 'c1' }), {
      id: 'e1',
      now: NOW,
      checkinIds: new Set(['c1']),
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry).toEqual({
      v: 1,
      id: 'e1',
      at: fromInputs('2026-03-04', '21:30'),
      body: 'A **slow** morning.',
      contentWarning: 'about the hospital',
      checkinId: 'c1',
      updatedAt: NOW,
    });
  });

  it('leaves out an empty warning and a check-in that is no longer there', () => {
    const r = buildEntry(form({ contentWarning: '   ', checkinId: 'gone' }), {
      id: 'e1',
      now: NOW,
      checkinIds: new Set(['c1']),
    });
    expect(r.ok && r.entry).toMatchObject({ id: 'e1' });
    expect(r.ok && 'contentWarning' in r.entry).toBe(false);
    expect(r.ok && 'checkinId' in r.entry).toBe(false);
  });

  it('names each field that does not fit', () => {
    const r = buildEntry(form({ body: '  \n ', contentWarning: 'x'.repeat(201), time: '' }), {
      id: 'e1',
      now: NOW,
    });
    expect(r).toEqual({
      ok: false,
      errors: {
        body: 'checkins.journal.error.empty',
        contentWarning: 'checkins.journal.error.warningTooLong',
        when: 'checkins.journal.error.when',
      },
    });
    const long = buildEntry(form({ body: 'x'.repeat(40_001) }), { id: 'e1', now: NOW });
    expect(long.ok || long.errors.body).toBe('checkins.journal.error.tooLong');
  });

  it('keeps the id and changes updatedAt when an entry is edited', () => {
    const first = buildEntry(form(), { id: 'e1', now: NOW });
    if (!first.ok) throw new Error('expected an entry');
    const back = formOf(first.entry);
    expect(back).toEqual(form());
    const later = '2026-03-06T08:00:00.000Z';
    const second = buildEntry({ ...back, body: 'Changed.' }, { id: first.entry.id, now: later });
    expect(second.ok && second.entry).toMatchObject({
      id: 'e1',
      body: 'Changed.',
      updatedAt: later,
    });
  });
});

describe('unsaved words', () => {
  it('a new form counts only once something is written', () => {
    const f = emptyForm(NOW);
    expect(hasUnsavedWords(f, null)).toBe(false);
    expect(hasUnsavedWords({ ...f, body: 'hi' }, null)).toBe(true);
    expect(hasUnsavedWords({ ...f, contentWarning: 'cw' }, null)).toBe(true);
  });
  it('an edited entry counts any change from what was saved', () => {
    const saved = form();
    expect(hasUnsavedWords(form(), saved)).toBe(false);
    expect(hasUnsavedWords(form({ time: '21:31' }), saved)).toBe(true);
    expect(hasUnsavedWords(form({ checkinId: 'c1' }), saved)).toBe(true);
  });
});

const tracker = (id: string, name: string, kind: Tracker['kind']): Tracker => ({
  v: 1,
  id,
  name,
  kind,
  archived: false,
  createdAt: NOW,
  updatedAt: NOW,
  ...(kind === 'scale' ? { scale: { min: 1, max: 5 } } : {}),
});
const checkin = (id: string, values: Checkin['values']): Checkin => ({
  v: 1,
  id,
  at: NOW,
  values,
  updatedAt: NOW,
});
const words = { yes: 'yes', no: 'no', number: (n: number) => n.toFixed(1) };

describe('naming a check-in', () => {
  it('shows a few values in the trackers order, in words', () => {
    const trackers = [
      tracker('how', 'How I am', 'text'),
      tracker('mood', 'Mood', 'scale'),
      tracker('walk', 'a walk', 'yesno'),
      tracker('did', 'What I did', 'tags'),
    ];
    const c = checkin('c1', {
      did: ['garden', 'call'],
      walk: false,
      mood: 4,
      how: 'x'.repeat(60),
    });
    expect(checkinValues(c, trackers, words)).toEqual([
      `How I am: ${'x'.repeat(39)}…`,
      'Mood: 4.0',
      'a walk: no',
    ]);
    expect(checkinValues(c, trackers, words, 10)).toContain('What I did: garden, call');
    expect(checkinValues(checkin('c2', { did: [] }), trackers, words)).toEqual([]);
  });

  it('offers the recent check-ins plus the chosen one', () => {
    const list = Array.from({ length: 30 }, (_, i) => checkin(`c${String(i)}`, {}));
    expect(attachChoices(list, '', 5).map((c) => c.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(attachChoices(list, 'c20', 2).map((c) => c.id)).toEqual(['c0', 'c1', 'c20']);
    expect(attachChoices(list, 'nope', 2)).toHaveLength(2);
  });
});

describe("the page's words", () => {
  it('are plain: no clinical words, streaks or scores', () => {
    expect(clinicalWordsIn(en)).toEqual([]);
  });
});
