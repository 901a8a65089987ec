import { describe, expect, it } from 'vitest';
import { addDays, dayTable, type DayValues } from './days.js';
import type { Tracker, Watch } from './schema.js';
import { ruleFits, watchState } from './watch.js';

const T0 = '2026-01-01T00:00:00.000Z';
const tracker = (id: string, kind: Tracker['kind'], extra: Partial<Tracker> = {}): Tracker => ({
  v: 1,
  id,
  name: id,
  kind,
  archived: false,
  createdAt: T0,
  updatedAt: T0,
  ...extra,
});
const sleep = tracker('sleep', 'number', { unit: 'hours' });
const out = tracker('out', 'yesno');
const did = tracker('did', 'tags');
const bed = tracker('bed', 'timeofday');
const trackers = [sleep, out, did, bed];
const D0 = '2026-02-01';
const table = (rows: (Record<string, unknown> | null)[]) =>
  dayTable(
    rows.flatMap((values, i) =>
      values ? [{ date: addDays(D0, i), values: values as DayValues['values'] }] : [],
    ),
    trackers,
  );
const watch = (rule: Partial<Watch['rule']> = {}, extra: Partial<Watch> = {}): Watch => ({
  v: 1,
  id: 'w',
  label: 'Short nights',
  rule: { trackerId: 'sleep', comparison: 'below', value: 5, forDays: 3, ...rule },
  steps: ['Tell Sam', 'Early night'],
  enabled: true,
  ...extra,
});
const day = (i: number) => addDays(D0, i);

describe('watched patterns', () => {
  const short3 = table([{ sleep: 7 }, { sleep: 4 }, { sleep: 4.5 }, { sleep: 3 }]);

  it('show up on exactly n matching days, with the person’s steps', () => {
    expect(watchState(watch(), short3, trackers, day(3))).toEqual({
      showsUp: true,
      dates: [day(1), day(2), day(3)],
      steps: ['Tell Sam', 'Early night'],
    });
  });

  it('not on n − 1 days', () => {
    expect(watchState(watch(), short3, trackers, day(2))).toEqual({
      showsUp: false,
      reason: 'no',
      run: 2,
    });
    expect(watchState(watch({ forDays: 4 }), short3, trackers, day(3))).toMatchObject({
      showsUp: false,
      run: 3,
    });
  });

  it('today without a value yet counts from yesterday; two empty days end it', () => {
    expect(watchState(watch(), short3, trackers, day(4)).showsUp).toBe(true);
    expect(watchState(watch(), short3, trackers, day(5))).toEqual({
      showsUp: false,
      reason: 'no',
      run: 0,
    });
    // Before the first day in the table.
    expect(watchState(watch(), short3, trackers, addDays(D0, -3)).showsUp).toBe(false);
  });

  it('a missing day breaks the run', () => {
    const gap = table([{ sleep: 4 }, { sleep: 4 }, null, { sleep: 4 }, { sleep: 4 }]);
    expect(watchState(watch(), gap, trackers, day(4))).toMatchObject({ showsUp: false, run: 2 });
    const other = table([{ sleep: 4 }, { sleep: 4 }, { out: true }, { sleep: 4 }]);
    expect(watchState(watch(), other, trackers, day(3))).toMatchObject({ showsUp: false, run: 1 });
  });

  it('a day that does not match breaks the run; the limit itself does not match "below"', () => {
    const t = table([{ sleep: 4 }, { sleep: 5 }, { sleep: 4 }, { sleep: 4 }]);
    expect(watchState(watch(), t, trackers, day(3))).toMatchObject({ showsUp: false, run: 2 });
    expect(
      watchState(watch({ comparison: 'above', value: 3.5 }), t, trackers, day(3)).showsUp,
    ).toBe(true);
    expect(
      watchState(watch({ comparison: 'is', value: 4, forDays: 2 }), t, trackers, day(3)).showsUp,
    ).toBe(true);
    expect(
      watchState(watch({ comparison: 'isNot', value: 5, forDays: 2 }), t, trackers, day(3)).showsUp,
    ).toBe(true);
  });

  it('never when switched off, for an archived or unknown tracker, or a rule that does not fit', () => {
    expect(watchState(watch({}, { enabled: false }), short3, trackers, day(3))).toEqual({
      showsUp: false,
      reason: 'disabled',
      run: 0,
    });
    const archived = [{ ...sleep, archived: true }, out];
    expect(watchState(watch(), short3, archived, day(3))).toMatchObject({ reason: 'archived' });
    expect(watchState(watch(), short3, [out], day(3))).toMatchObject({ reason: 'unknown_tracker' });
    expect(watchState(watch({ value: true }), short3, trackers, day(3))).toMatchObject({
      reason: 'rule_does_not_fit',
    });
  });

  it('yes/no, tags and time of day', () => {
    const t = table([
      { out: false, did: ['Work'], bed: '01:30' },
      { out: false, did: ['Work', 'Music'], bed: '02:00' },
      { out: true, did: [], bed: '23:00' },
    ]);
    const w = (rule: Partial<Watch['rule']>) => watch({ forDays: 2, ...rule });
    expect(
      watchState(w({ trackerId: 'out', comparison: 'is', value: false }), t, trackers, day(1))
        .showsUp,
    ).toBe(true);
    expect(
      watchState(w({ trackerId: 'out', comparison: 'is', value: false }), t, trackers, day(2))
        .showsUp,
    ).toBe(false);
    expect(
      watchState(w({ trackerId: 'out', comparison: 'isNot', value: true }), t, trackers, day(1))
        .showsUp,
    ).toBe(true);
    expect(
      watchState(w({ trackerId: 'did', comparison: 'is', value: 'Work' }), t, trackers, day(1))
        .showsUp,
    ).toBe(true);
    expect(
      watchState(w({ trackerId: 'did', comparison: 'isNot', value: 'Music' }), t, trackers, day(2)),
    ).toMatchObject({ run: 1 });
    expect(
      watchState(w({ trackerId: 'bed', comparison: 'below', value: '03:00' }), t, trackers, day(1))
        .showsUp,
    ).toBe(true);
    expect(ruleFits(w({ trackerId: 'out', comparison: 'below', value: true }).rule, out)).toBe(
      false,
    );
    expect(ruleFits(w({ trackerId: 'bed', value: 3 }).rule, bed)).toBe(false);
    expect(
      ruleFits(w({ trackerId: 'x', comparison: 'is', value: 'a' }).rule, tracker('x', 'text')),
    ).toBe(false);
  });
});
