import { describe, expect, it } from 'vitest';
import { dailyValues, type Checkin, type Tracker, type Watch } from '$core/checkins/index';
import { dismiss, offersToShow, readDismissed, ruleWords, writeDismissed } from './offers';

const T = '2026-01-01T00:00:00.000Z';
const sleep: Tracker = {
  v: 1,
  id: 'sleepHours',
  name: 'Sleep',
  kind: 'number',
  unit: 'hours',
  archived: false,
  createdAt: T,
  updatedAt: T,
};
const watch: Watch = {
  v: 1,
  id: 'w1',
  label: 'Sleeping badly',
  rule: { trackerId: 'sleepHours', comparison: 'below', value: 5, forDays: 3 },
  steps: ['Ring Sam', 'No screens after ten'],
  enabled: true,
};

/** One check-in a day at noon UTC; `undefined` leaves the day out. */
function days(start: string, hours: readonly (number | undefined)[]): Checkin[] {
  const out: Checkin[] = [];
  hours.forEach((h, i) => {
    if (h === undefined) return;
    const at = new Date(Date.parse(`${start}T12:00:00Z`) + i * 864e5).toISOString();
    out.push({ v: 1, id: `c${String(i)}`, at, values: { sleepHours: h }, updatedAt: at });
  });
  return out;
}
const table = (hours: readonly (number | undefined)[], trackers = [sleep]) =>
  dailyValues(days('2026-03-01', hours), trackers, { offsetMinutes: 0 });
// 2026-03-01 … : index 0 is the 1st.
const ids = (o: { watch: Watch }[]) => o.map((x) => x.watch.id);

describe('offersToShow', () => {
  it('offers the steps exactly when the pattern shows up (three nights under 5 hours)', () => {
    const offers = offersToShow([watch], table([7, 4, 4.5, 3]), [sleep], '2026-03-04');
    expect(offers).toHaveLength(1);
    expect(offers[0]!.dates).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(offers[0]!.steps).toEqual(['Ring Sam', 'No screens after ten']);
    expect(offers[0]!.tracker.id).toBe('sleepHours');
  });

  it('does not offer after n − 1 matching days', () => {
    expect(offersToShow([watch], table([7, 7, 4, 4]), [sleep], '2026-03-04')).toEqual([]);
  });

  it('does not offer across a gap day (a missing day breaks the run)', () => {
    expect(offersToShow([watch], table([4, undefined, 4, 4]), [sleep], '2026-03-04')).toEqual([]);
    expect(offersToShow([watch], table([4, 5, 4, 4]), [sleep], '2026-03-04')).toEqual([]);
  });

  it('counts up to yesterday while today has no check-in yet, and not before', () => {
    const t = table([4, 4, 4]);
    expect(ids(offersToShow([watch], t, [sleep], '2026-03-04'))).toEqual(['w1']);
    expect(offersToShow([watch], t, [sleep], '2026-03-05')).toEqual([]);
  });

  it('does not offer a watch that is off, or whose tracker is archived or gone', () => {
    const t = table([4, 4, 4]);
    expect(offersToShow([{ ...watch, enabled: false }], t, [sleep], '2026-03-03')).toEqual([]);
    const archived = { ...sleep, archived: true };
    expect(offersToShow([watch], table([4, 4, 4], [archived]), [archived], '2026-03-03')).toEqual(
      [],
    );
    expect(offersToShow([watch], t, [], '2026-03-03')).toEqual([]);
  });

  it('"not now" hides it until a new day matches again, then it shows again', () => {
    const watches = [watch, { ...watch, id: 'w2' }];
    const t3 = table([4, 4, 4]);
    const first = offersToShow(watches, t3, [sleep], '2026-03-03');
    expect(ids(first)).toEqual(['w1', 'w2']);
    const notNow = dismiss({}, first[0]!, watches);
    expect(ids(offersToShow(watches, t3, [sleep], '2026-03-03', notNow))).toEqual(['w2']);
    // Still the same days the next morning before checking in: still hidden.
    expect(ids(offersToShow(watches, t3, [sleep], '2026-03-04', notNow))).toEqual(['w2']);
    // A fourth short night: the pattern moved on, so it is offered again.
    const again = offersToShow(watches, table([4, 4, 4, 4]), [sleep], '2026-03-04', notNow);
    expect(ids(again)).toEqual(['w1', 'w2']);
    expect(again[0]!.dates).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
  });

  it('offers no steps when there are none, and still offers', () => {
    const { steps: _s, ...bare } = watch;
    const o = offersToShow([bare], table([4, 4, 4]), [sleep], '2026-03-03');
    expect(o[0]!.steps).toEqual([]);
  });
});

describe('dismissed on this device', () => {
  const store = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      m,
    };
  };

  it('is kept per account and drops watches that are gone', () => {
    const s = store();
    const d = dismiss({ gone: ['2026-01-01'] }, { watch, dates: ['2026-03-03'] }, [watch]);
    expect(d).toEqual({ w1: ['2026-03-03'] });
    writeDismissed(s, 'a', d);
    expect(readDismissed(s, 'a')).toEqual(d);
    expect(readDismissed(s, 'b')).toEqual({});
  });

  it('ignores what it cannot read', () => {
    const s = store();
    s.m.set('tend.checkins.watch.notNow.a', '[1,2]');
    expect(readDismissed(s, 'a')).toEqual({});
    s.m.set('tend.checkins.watch.notNow.a', '{"w1":["x"],"w2":["2026-03-03"]}');
    expect(readDismissed(s, 'a')).toEqual({ w2: ['2026-03-03'] });
    s.m.set('tend.checkins.watch.notNow.a', '{');
    expect(readDismissed(s, 'a')).toEqual({});
  });
});

describe('ruleWords', () => {
  it('names the rule with the unit and the days', () => {
    expect(ruleWords(watch.rule, sleep, 'offer')).toEqual({
      id: 'checkins.watch.words.offer.below',
      values: { thing: 'Sleep', days: 3, value: '5 hours' },
    });
    expect(
      ruleWords({ ...watch.rule, value: 30 }, { name: 'Moving', kind: 'duration' }, 'rule').values
        .value,
    ).toBe('30 minutes');
  });

  it('says yes/no and tags in words', () => {
    const walk = { name: 'A walk', kind: 'yesno' as const };
    expect(ruleWords({ ...watch.rule, comparison: 'is', value: false }, walk, 'rule').id).toBe(
      'checkins.watch.words.rule.no',
    );
    expect(ruleWords({ ...watch.rule, comparison: 'isNot', value: false }, walk, 'rule').id).toBe(
      'checkins.watch.words.rule.yes',
    );
    const did = { name: 'What I did', kind: 'tags' as const };
    expect(
      ruleWords({ ...watch.rule, comparison: 'isNot', value: 'friends' }, did, 'offer'),
    ).toEqual({
      id: 'checkins.watch.words.offer.noTag',
      values: { thing: 'What I did', days: 3, value: 'friends' },
    });
  });
});
