import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import {
  dailyValues,
  insights,
  makeDefaultTrackers,
  type Checkin,
  type Tracker,
} from '$core/checkins/index';
import { clinicalWordsIn } from '$core/test-support/clinical-words';
import en from './messages/en.json';
import {
  chooseOutcome,
  GROUPS,
  insightsView,
  numericOutcome,
  outcomeChoices,
  readChoice,
  rounded,
  writeChoice,
  type Figure,
  type Message,
} from './view';

const NOW = '2026-01-01T00:00:00.000Z';
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
const walk = tracker('walk', 'yesno', { name: 'a walk' });
const coin = tracker('coin', 'yesno', { name: 'a coin' });
const rare = tracker('rare', 'yesno', { name: 'something rare' });
const sleep = tracker('sleep', 'number', { name: 'Sleep' });
const did = tracker('did', 'tags', { name: 'What I did', tags: ['Outside', 'Reading'] });
const rested = tracker('rested', 'yesno', { name: 'Rested' });
const TRACKERS = [steady, walk, coin, rare, sleep, did, rested];

/** 120 days: steadiness is 4 with a walk and 2 without; the coin and sleep go with nothing. */
function days(n = 120): Checkin[] {
  const out: Checkin[] = [];
  for (let d = 0; d < n; d++) {
    const at = new Date(Date.parse('2026-01-01T08:00:00Z') + d * 864e5).toISOString();
    const w = d % 2 === 0;
    out.push({
      v: 1,
      id: `c${d}`,
      at,
      values: {
        steady: (w ? 4 : 2) + (d % 3 === 0 ? 1 : 0),
        walk: w,
        coin: d % 4 < 2 ? d % 8 < 4 : d % 8 >= 4,
        ...(d < 5 ? { rare: d % 2 === 0 } : {}),
        sleep: 5 + ((d * 7) % 5),
        did: w ? ['Outside'] : ['Reading'],
        rested: w,
      },
      updatedAt: at,
    });
  }
  return out;
}

const table = dailyValues(days(), TRACKERS, { offsetMinutes: 0 });
const format = (x: number, digits: number) => x.toFixed(digits);

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
const report = (outcomeId = 'steady') => {
  const r = insights(table, TRACKERS, outcomeId);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};
const find = (figures: readonly Figure[], start: string) =>
  figures.find((f) => f.key.startsWith(`${start}\u0000`));

describe('choosing the outcome', () => {
  it('remembers a choice that is still there, else the first scale, else the first choice', () => {
    expect(outcomeChoices(TRACKERS).map((t) => t.id)).toEqual([
      'steady',
      'walk',
      'coin',
      'rare',
      'sleep',
      'rested',
    ]);
    expect(chooseOutcome(TRACKERS, 'sleep')?.id).toBe('sleep');
    expect(chooseOutcome(TRACKERS, 'did')?.id).toBe('steady');
    expect(chooseOutcome(TRACKERS, 'gone')?.id).toBe('steady');
    expect(chooseOutcome([walk, sleep])?.id).toBe('walk');
    expect(chooseOutcome([{ ...steady, archived: true }, did])).toBeUndefined();
    // The default trackers: "How steady I feel" is their first scale.
    expect(chooseOutcome(makeDefaultTrackers(NOW))?.name).toBe('How steady I feel');
  });

  it('a yes/no outcome is compared as the share of yes days', () => {
    const before = insights(table, TRACKERS, 'rested');
    expect(before.ok).toBe(false);
    const n = numericOutcome(table, TRACKERS, 'rested');
    const s = n.table.series.get('rested');
    expect(s?.kind).toBe('number');
    expect(Array.from(s?.kind === 'number' ? s.values.slice(0, 4) : [])).toEqual([1, 0, 1, 0]);
    expect(table.series.get('rested')?.kind).toBe('yesno');
    const r = insights(n.table, n.trackers, 'rested');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const view = insightsView(r.value, n.trackers, {
      outcome: rested,
      direction: 'higher',
      format,
    });
    const w = find(view.groups.find((g) => g.group === 'better')!.figures, 'walk');
    expect(say(w!.sentence)).toBe(
      'On days with “a walk”, “Rested” was “yes” on 100 more days in every 100, on average (likely between 100 and 100).',
    );
    // Others pass through untouched.
    expect(numericOutcome(table, TRACKERS, 'steady').table).toBe(table);
  });
});

describe('the insights view', () => {
  const view = insightsView(report(), TRACKERS, { outcome: steady, direction: 'higher', format });
  const group = (g: string) => view.groups.find((x) => x.group === g)?.figures ?? [];

  it('groups clear ones first, then unclear, then not enough, and hides none', () => {
    expect(view.groups.map((g) => g.group)).toEqual(['better', 'harder', 'unclear', 'notEnough']);
    const all = view.groups.flatMap((g) => g.figures);
    expect(all).toHaveLength(report().insights.length);
    expect(new Set(all.map((f) => f.key)).size).toBe(all.length);
    expect(find(group('better'), 'walk')?.lag).toBe(0);
    expect(find(group('unclear'), 'coin')).toBeDefined();
    expect(find(group('notEnough'), 'rare')).toBeDefined();
    expect(view.manyComparisons).toBe(true);
    expect(view.hasCorrelation).toBe(true);
    const only = insights(table, [steady, walk], 'steady');
    expect(only.ok).toBe(true);
    if (!only.ok) return;
    const small = insightsView(only.value, [steady, walk], {
      outcome: steady,
      direction: 'higher',
      format,
    });
    expect(small.hasCorrelation).toBe(false);
    expect(small.shown).toBe(2);
    const one = insights(table, [steady, walk], 'steady', { lags: [0] });
    expect(one.ok && one.value.manyComparisons).toBe(false);
    expect(view.shown).toBe(all.length - group('notEnough').length);
  });

  it('tells each figure with its interval and the days behind it', () => {
    const w = find(group('better'), 'walk')!;
    expect(say(w.title)).toBe('a walk');
    expect(say(w.sentence)).toMatch(
      /^On days with “a walk”, “How steady I feel” was higher by 2\.0 on average \(likely between 1\.\d and 2\.\d\)\.$/,
    );
    expect(say(w.behind)).toBe('60 days with, 60 days without');
    expect(w.holdsUp).toBe(true);
    expect(w.bar!.low).toBeGreaterThan(50);
    expect(w.bar!.estimate).toBeGreaterThanOrEqual(w.bar!.low);

    // Alternating days: a walk today means none tomorrow, so steadiness the next day is lower.
    const next = group('harder').find((f) => f.key === 'walk\u0000\u00001');
    expect(say(next!.sentence)).toMatch(
      /^On days with “a walk”, “How steady I feel” the next day was lower by 2\.0 on average/,
    );

    const rare = find(group('notEnough'), 'rare')!;
    expect(say(rare.sentence)).toBe(
      'Not enough days yet to compare “How steady I feel” with and without “something rare”: have 2, need 7 of each.',
    );
    expect(say(rare.behind)).toBe('3 days with, 2 days without');
    expect(rare.bar).toBeUndefined();

    const tag = find(group('better'), 'did')!;
    expect(say(tag.title)).toBe('“Outside” (What I did)');
    expect(say(tag.sentence)).toMatch(/^On days with “Outside”, /);

    const s = find(group('unclear'), 'sleep')!;
    expect(say(s.sentence)).toMatch(
      /^“How steady I feel” did not clearly go up or down with “Sleep” \(r likely between -0\.\d\d and 0\.\d\d\)\.$/,
    );
    expect(say(s.behind)).toBe('120 days with both recorded');
  });

  it('when lower is better, the same figures went with harder days', () => {
    const lower = insightsView(report(), TRACKERS, {
      outcome: steady,
      direction: 'lower',
      format,
    });
    const walks = lower.groups.map((g) => [g.group, find(g.figures, 'walk')?.lag]);
    expect(walks).toEqual([
      ['better', 1],
      ['harder', 0],
      ['unclear', undefined],
      ['notEnough', undefined],
    ]);
  });

  it('puts figures that hold up before those that may be chance', () => {
    const figures = group('better');
    const firstChance = figures.findIndex((f) => f.holdsUp === false);
    const lastHolds = figures.map((f) => f.holdsUp).lastIndexOf(true);
    if (firstChance >= 0) expect(lastHolds).toBeLessThan(firstChance);
  });

  it('never shows "-0.0", and every message exists, formats and avoids clinical words', () => {
    expect(rounded(-0.04, 1)).toBe(0);
    expect(Object.is(rounded(-0.04, 1), -0)).toBe(false);
    expect(rounded(-0.06, 1)).toBe(-0.1);
    for (const f of view.groups.flatMap((g) => g.figures)) {
      for (const m of [f.title, f.sentence, f.behind]) {
        const text = say(m);
        expect(text).not.toMatch(/-0\.0\b|\{|undefined|NaN|cause/);
      }
    }
    for (const g of GROUPS) {
      expect(messages.has(`checkins.insights.group.${g}`), g).toBe(true);
      expect(messages.has(`checkins.insights.groupLead.${g}`), g).toBe(true);
    }
    expect(clinicalWordsIn(en)).toEqual([]);
    expect(JSON.stringify(en)).not.toMatch(/caus(ed|es)\b(?! what)|improve|helps/i);
  });
});

describe('remembering the choice', () => {
  it('per account, and quietly without storage', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(readChoice(storage, 'a')).toBeUndefined();
    writeChoice(storage, 'a', { outcomeId: 'sleep', direction: 'lower' });
    expect(readChoice(storage, 'a')).toEqual({ outcomeId: 'sleep', direction: 'lower' });
    expect(readChoice(storage, 'b')).toBeUndefined();
    store.set('tend.checkins.insights.c', 'not json');
    expect(readChoice(storage, 'c')).toBeUndefined();
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(() => writeChoice(broken, 'a', { outcomeId: 'x', direction: 'higher' })).not.toThrow();
    expect(readChoice(broken, 'a')).toBeUndefined();
    expect(readChoice(undefined, 'a')).toBeUndefined();
  });
});
