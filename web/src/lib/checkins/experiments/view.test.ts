import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  addDays,
  dailyValues,
  experimentResult,
  type Checkin,
  type Experiment,
  type Tracker,
} from '$core/checkins/index';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import { numericOutcome, type Message } from '../insights/view';
import en from './messages/en.json';
import {
  checkForm,
  experimentView,
  orderExperiments,
  tryChoices,
  type ExperimentForm,
} from './view';

const NOW = '2026-03-01T00:00:00.000Z';
const tracker = (id: string, kind: Tracker['kind'], extra: Partial<Tracker> = {}): Tracker => ({
  v: 1,
  id,
  name: id,
  kind,
  archived: false,
  createdAt: NOW,
  updatedAt: NOW,
  ...extra,
});
const steady = tracker('steady', 'scale', { name: 'How steady I feel', scale: { min: 1, max: 5 } });
const walk = tracker('walk', 'yesno', { name: 'walk' });
const old = tracker('old', 'yesno', { name: 'old', archived: true });
const did = tracker('did', 'tags', { name: 'What I did', tags: ['Outside', 'Reading'] });
const rested = tracker('rested', 'yesno', { name: 'Rested' });
const TRACKERS = [steady, walk, old, did, rested];

function flat(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const id = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(id, v);
    else for (const [a, b] of flat(v as object, id)) out.set(a, b);
  }
  return out;
}
const messages = flat(en);
const say = (m: Message): string => {
  const source = messages.get(m.id);
  if (source === undefined) throw new Error(`no message ${m.id}`);
  return String(new IntlMessageFormat(source, 'en').format(m.values));
};
const format = { number: (x: number, d: number) => x.toFixed(d), date: (s: string) => s };

describe('what can be tried', () => {
  it('yes/no trackers and each tag of a tag set, archived ones left out', () => {
    const choices = tryChoices(TRACKERS);
    expect(choices.map((c) => [c.trackerId, c.tag])).toEqual([
      ['walk', undefined],
      ['did', 'Outside'],
      ['did', 'Reading'],
      ['rested', undefined],
    ]);
    expect(choices.map((c) => say(c.label))).toEqual([
      'walk',
      '“Outside” (What I did)',
      '“Reading” (What I did)',
      'Rested',
    ]);
    expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
  });
});

describe('the new-experiment form', () => {
  const outside = tryChoices(TRACKERS)[1]!.value;
  const good: ExperimentForm = {
    title: '  Out after lunch ',
    tries: outside,
    outcomeId: 'steady',
    startsOn: '2026-03-01',
    days: '14',
  };
  const ids = { id: 'exp1', now: NOW };

  it('makes a valid experiment from good answers', () => {
    const r = checkForm(good, TRACKERS, ids);
    expect(r).toEqual({
      ok: true,
      experiment: {
        v: 1,
        id: 'exp1',
        title: 'Out after lunch',
        tries: { trackerId: 'did', tag: 'Outside' },
        startsOn: '2026-03-01',
        days: 14,
        outcomeTrackerId: 'steady',
        createdAt: NOW,
      },
    });
    const yesno = checkForm({ ...good, tries: tryChoices(TRACKERS)[0]!.value }, TRACKERS, ids);
    expect(yesno.ok && yesno.experiment.tries).toEqual({ trackerId: 'walk' });
  });

  it('names each problem next to its field, in words', () => {
    const r = checkForm(
      { title: ' ', tries: 'nope', outcomeId: 'did', startsOn: '2026-02-30', days: '0' },
      TRACKERS,
      ids,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(Object.entries(r.errors).map(([k, m]) => [k, say(m)]))).toEqual({
      title: 'Please give the experiment a name, in your own words.',
      tries: 'Please choose what you are trying.',
      outcomeId: 'Please choose what to compare.',
      startsOn: 'Please give a start date, like 2026-11-24.',
      days: `Please give a whole number of days from 1 to ${LIMITS.experimentDays}.`,
    });
    const more = (f: Partial<ExperimentForm>) => {
      const x = checkForm({ ...good, ...f }, TRACKERS, ids);
      return x.ok ? {} : Object.fromEntries(Object.entries(x.errors).map(([k, m]) => [k, m.id]));
    };
    expect(more({ days: '2.5' })).toEqual({ days: 'checkins.experiments.errors.daysRange' });
    expect(more({ days: String(LIMITS.experimentDays + 1) })).toHaveProperty('days');
    expect(more({ days: String(LIMITS.experimentDays) })).toEqual({});
    expect(more({ days: '1' })).toEqual({});
    expect(more({ title: 'x'.repeat(LIMITS.title + 1) })).toEqual({
      title: 'checkins.experiments.errors.titleLong',
    });
    expect(more({ tries: tryChoices(TRACKERS)[3]!.value, outcomeId: 'rested' })).toEqual({
      outcomeId: 'checkins.experiments.errors.outcomeSame',
    });
  });
});

/** Days from 2026-01-01: steadiness 2 before `change`, 4 from it on; walks every other day. */
function checkins(n: number, change: string): Checkin[] {
  const out: Checkin[] = [];
  for (let d = 0; d < n; d++) {
    const at = new Date(Date.parse('2026-01-01T08:00:00Z') + d * 864e5).toISOString();
    const after = at.slice(0, 10) >= change;
    out.push({
      v: 1,
      id: `c${d}`,
      at,
      values: { steady: (after ? 4 : 2) + (d % 2), walk: d % 2 === 0, rested: after },
      updatedAt: at,
    });
  }
  return out;
}

describe('an experiment told', () => {
  const exp: Experiment = {
    v: 1,
    id: 'e',
    title: 'Walks',
    tries: { trackerId: 'walk' },
    startsOn: '2026-02-01',
    days: 14,
    outcomeTrackerId: 'steady',
    createdAt: NOW,
  };
  const table = dailyValues(checkins(60, '2026-02-01'), TRACKERS, { offsetMinutes: 0 });
  const told = (e: Experiment, today: string, t = table) =>
    experimentView(e, experimentResult(e, t, today), TRACKERS, today, format);

  it('finished: the before/after difference with its interval, days, and the caution', () => {
    const v = told(exp, '2026-03-01');
    expect(v.status).toBe('finished');
    expect(say(v.progress)).toBe('Ended on 2026-02-14, after 14 days.');
    expect(say(v.about)).toBe('Trying “walk”; comparing “How steady I feel”.');
    expect(say(v.windows!)).toBe(
      'Compared: 2026-02-01 to 2026-02-14, with 2026-01-18 to 2026-01-31 just before.',
    );
    expect(say(v.tried!)).toBe('You noted “walk” on 7 days of the 14 days you recorded it.');
    expect(say(v.result)).toMatch(
      /^“How steady I feel” was higher by 2\.0 on average than in the 14 days before \(likely between 1\.\d and 2\.\d; 14 days during, 14 days before\)\.$/,
    );
    expect(v.caution).toBe(true);
  });

  it('running: day N of M and "so far"; not enough days yet says how many are needed', () => {
    const early = told(exp, '2026-02-02');
    expect(early.status).toBe('running');
    expect(say(early.progress)).toBe('Day 2 of 14.');
    expect(say(early.result)).toBe(
      'Not enough days yet to compare: 2 days during and 14 days before with “How steady I feel” recorded; 7 of each are needed.',
    );
    expect(early.caution).toBe(false);
    const later = told(exp, '2026-02-10');
    expect(say(later.progress)).toBe('Day 10 of 14.');
    expect(say(later.windows!)).toBe(
      'Compared: 2026-02-01 to 2026-02-10, with 2026-01-18 to 2026-01-31 just before.',
    );
    expect(say(later.result)).toMatch(/^So far, “How steady I feel” was higher by 2\.0/);
  });

  it('not started yet: when it starts, nothing compared', () => {
    const v = told({ ...exp, startsOn: '2026-03-05' }, '2026-03-01');
    expect(v.status).toBe('notStarted');
    expect(say(v.progress)).toBe('Starts on 2026-03-05, for 14 days.');
    expect(say(v.result)).toBe('Nothing to compare yet.');
    expect(v.tried).toBeUndefined();
    expect(v.windows).toBeUndefined();
  });

  it('no change: says so, with the interval', () => {
    const flatDays = dailyValues(checkins(60, '2027-01-01'), TRACKERS, { offsetMinutes: 0 });
    const v = told(exp, '2026-03-01', flatDays);
    expect(say(v.result)).toMatch(
      /^No clear change in “How steady I feel” compared with the 14 days before \(likely between -0\.\d and 0\.\d; 14 days during, 14 days before\)\.$/,
    );
  });

  it('a yes/no outcome, as days in every 100', () => {
    const e = { ...exp, outcomeTrackerId: 'rested' };
    const n = numericOutcome(table, TRACKERS, 'rested');
    const v = experimentView(
      e,
      experimentResult(e, n.table, '2026-03-01'),
      TRACKERS,
      '2026-03-01',
      format,
    );
    expect(say(v.result)).toBe(
      '“Rested” was “yes” on 100 more days in every 100 than in the 14 days before (likely between 100 and 100; 14 days during, 14 days before).',
    );
  });

  it('orders running, not started, then finished', () => {
    const list = [
      { id: 'a', status: 'finished' as const },
      { id: 'b', status: 'notStarted' as const },
      { id: 'c', status: 'running' as const },
      { id: 'd', status: 'finished' as const },
    ];
    expect(orderExperiments(list).map((x) => x.id)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('every word is plain: no clinical words, never a cause', () => {
    expect(clinicalWordsIn(en)).toEqual([]);
    expect(JSON.stringify(en)).not.toMatch(/improve|helps|caused(?! what)/i);
    expect(addDays('2026-02-01', 13)).toBe('2026-02-14');
  });
});
