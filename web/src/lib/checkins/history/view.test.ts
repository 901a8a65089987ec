import { describe, expect, it } from 'vitest';
import { dayTable, type Tracker } from '$core/checkins/index';
import {
  byDay,
  chartable,
  chartView,
  dateWords,
  labelIndexes,
  checkinValueWords,
  monthWeeks,
  moveDay,
  shiftMonth,
  valueWords,
  type Format,
  type Message,
} from './view';

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
const walk = tracker('walk', 'yesno');
const did = tracker('did', 'tags');
const steady = tracker('steady', 'scale', { scale: { min: 1, max: 5 } });
const moving = tracker('moving', 'duration');
const woke = tracker('woke', 'timeofday');
const how = tracker('how', 'text');

/** Messages as "id{values}" so the tests see exactly what the page would translate. */
const t = (m: Message) => (m.values ? `${m.id}${JSON.stringify(m.values)}` : m.id);
const f: Format = {
  number: (n) => String(Math.round(n * 10) / 10),
  date: (d) => d,
  list: (items) => items.join(' | '),
  t,
};

describe('calendar', () => {
  it('lays a month out in weeks from Monday, other months left empty', () => {
    // November 2026 starts on a Sunday and ends on a Monday: six rows.
    const weeks = monthWeeks('2026-11');
    expect(weeks).toHaveLength(6);
    expect(weeks[0]).toEqual([null, null, null, null, null, null, '2026-11-01']);
    expect(weeks[1]![0]).toBe('2026-11-02');
    expect(weeks[5]).toEqual(['2026-11-30', null, null, null, null, null, null]);
    // February 2027 starts on a Monday and has 28 days: exactly four rows.
    const feb = monthWeeks('2027-02');
    expect(feb).toHaveLength(4);
    expect(feb[0]![0]).toBe('2027-02-01');
    expect(feb[3]![6]).toBe('2027-02-28');
    expect(feb.flat().filter(Boolean)).toHaveLength(28);
  });

  it('moves months across years', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-11', -24)).toBe('2024-11');
  });

  it('moves the chosen day with the keys of a date grid', () => {
    expect(moveDay('2026-11-30', 'ArrowRight')).toBe('2026-12-01');
    expect(moveDay('2026-11-01', 'ArrowLeft')).toBe('2026-10-31');
    expect(moveDay('2026-11-03', 'ArrowUp')).toBe('2026-10-27');
    expect(moveDay('2026-11-26', 'ArrowDown')).toBe('2026-12-03');
    expect(moveDay('2026-11-26', 'Home')).toBe('2026-11-23'); // Monday
    expect(moveDay('2026-11-26', 'End')).toBe('2026-11-29'); // Sunday
    expect(moveDay('2026-03-31', 'PageUp')).toBe('2026-02-28'); // the month's last day
    expect(moveDay('2026-12-15', 'PageDown')).toBe('2027-01-15');
    expect(moveDay('2026-11-26', 'Enter')).toBeUndefined();
  });

  it("puts items on the person's local day", () => {
    const items = [
      { at: '2026-11-24T23:30:00.000Z', id: 'late' },
      { at: '2026-11-24T08:00:00.000Z', id: 'morning' },
    ];
    const berlin = byDay(items, { timeZone: 'Europe/Berlin' });
    expect(berlin.get('2026-11-25')?.map((i) => i.id)).toEqual(['late']);
    expect(berlin.get('2026-11-24')?.map((i) => i.id)).toEqual(['morning']);
    const utc = byDay(items, { offsetMinutes: 0 });
    expect(utc.get('2026-11-24')?.map((i) => i.id)).toEqual(['late', 'morning']);
  });
});

describe('values in words', () => {
  it('says each kind in words', () => {
    expect(t(valueWords(sleep, 7.25, f))).toBe(
      'checkins.history.value.unit{"value":"7.3","unit":"hours"}',
    );
    expect(t(valueWords(steady, 3, f))).toBe('checkins.history.value.scale{"value":"3","max":5}');
    expect(t(valueWords(moving, 80, f))).toBe(
      'checkins.history.value.duration{"hours":1,"minutes":20}',
    );
    expect(t(valueWords(woke, 7 * 60 + 5, f))).toBe(
      'checkins.history.value.words{"words":"07:05"}',
    );
    expect(t(valueWords(walk, false, f))).toBe('checkins.history.value.no');
    expect(t(checkinValueWords(did, ['Rest', 'Work'], f))).toBe(
      'checkins.history.value.words{"words":"Rest, Work"}',
    );
    expect(t(checkinValueWords(woke, '06:30', f))).toBe(
      'checkins.history.value.words{"words":"06:30"}',
    );
  });

  it('charts everything but free text', () => {
    expect(chartable([how, sleep, walk, did]).map((x) => x.id)).toEqual(['sleep', 'walk', 'did']);
  });
});

describe('charts', () => {
  // 2026-11-23 is a Monday; "today" is Wednesday 2026-11-25.
  const table = dayTable(
    [
      { date: '2026-11-02', values: { sleep: 6, walk: true, did: ['Rest'] } },
      { date: '2026-11-03', values: { sleep: 8, walk: false, did: ['Rest', 'Work'] } },
      { date: '2026-11-17', values: { sleep: 5, walk: true } },
      { date: '2026-11-24', values: { sleep: 9 } },
    ],
    [sleep, walk, did, how],
  );
  const today = '2026-11-25';

  it('draws numbers by week as a line with gaps, and says the range in a sentence', () => {
    const v = chartView(table, sleep, 'weeks', today, f)!;
    expect(v.kind).toBe('line');
    expect(v.by).toBe('week');
    expect(v.range).toEqual({ start: '2026-06-01', end: today });
    expect(v.x).toHaveLength(26);
    expect(v.y.slice(-4)).toEqual([7, null, 5, 9]);
    expect(v.y.slice(0, 3)).toEqual([null, null, null]);
    expect(t(v.title)).toBe('checkins.history.chart.title.number.weeks{"name":"sleep"}');
    expect(v.summary.id).toBe('checkins.history.chart.summary.number');
    expect(v.summary.values).toMatchObject({
      from: '2026-06-01',
      to: today,
      days: 4,
      min: 'checkins.history.value.unit{"value":"5","unit":"hours"}',
      max: 'checkins.history.value.unit{"value":"9","unit":"hours"}',
    });
    const last = v.rows.at(-1)!;
    expect([last.start, last.end]).toEqual(['2026-11-23', '2026-11-29']);
    expect(v.rows.at(-3)!.cells.map(t)).toEqual([
      'checkins.history.table.none',
      'checkins.history.table.days{"count":0}',
      'checkins.history.table.none',
      'checkins.history.table.none',
    ]);
    expect(v.rows.at(-4)!.cells.map(t)[1]).toBe('checkins.history.table.days{"count":2}');
    expect(v.empty).toBe(false);
  });

  it('draws yes/no as bars of the share of yes days', () => {
    const v = chartView(table, walk, 'months', today, f)!;
    expect(v.kind).toBe('bars');
    expect(v.axis).toBe('share');
    expect(v.x).toHaveLength(24);
    expect(v.y.at(-1)).toBeCloseTo(66.7, 10);
    expect(v.y.at(-2)).toBeNull();
    expect(v.summary.values).toMatchObject({ days: 3, yes: 2 });
    expect(v.rows.at(-1)!.cells.map(t)).toEqual([
      'checkins.history.table.days{"count":2}',
      'checkins.history.table.days{"count":3}',
      `checkins.history.table.percent{"share":${String(2 / 3)}}`,
    ]);
    expect(v.rows.at(-2)!.cells.map(t)[0]).toBe('checkins.history.table.none');
  });

  it('draws tag sets as bars of days per tag, with a row per period', () => {
    const v = chartView(table, did, 'days', today, f)!;
    expect(v.kind).toBe('bars');
    expect(v.x).toEqual(['Rest', 'Work']);
    expect(v.y).toEqual([2, 1]);
    expect(v.rows).toHaveLength(30);
    expect(v.summary.values?.top).toBe(
      'checkins.history.chart.tagDays{"tag":"Rest","count":2} | checkins.history.chart.tagDays{"tag":"Work","count":1}',
    );
    const nov3 = v.rows.find((r) => r.start === '2026-11-03')!;
    expect(nov3.cells.map(t)).toEqual([
      'checkins.history.table.days{"count":1}',
      'checkins.history.table.days{"count":1}',
      'checkins.history.table.days{"count":1}',
    ]);
    expect(v.rows.find((r) => r.start === '2026-11-04')!.cells.map(t)[1]).toBe(
      'checkins.history.table.none',
    );
  });

  it('says kindly when nothing was recorded, and has no chart for free text', () => {
    const v = chartView(table, walk, 'days', '2027-06-01', f)!;
    expect(v.empty).toBe(true);
    expect(v.summary.id).toBe('checkins.history.chart.summary.empty');
    expect(v.y.every((y) => y === null)).toBe(true);
    expect(chartView(table, how, 'days', today, f)).toBeUndefined();
  });
});

describe('chart labels', () => {
  it('labels about one point per 80 pixels, always the first', () => {
    expect(labelIndexes(26, 800)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
    expect(labelIndexes(5, 800)).toEqual([0, 1, 2, 3, 4]);
    expect(labelIndexes(30, 40)).toEqual([0]);
    expect(labelIndexes(0, 400)).toEqual([]);
  });
});

describe('dates in words', () => {
  it('reads calendar dates as their own day, whatever the zone', () => {
    const w = dateWords('en-GB');
    expect(w.full('2026-11-24')).toBe('Tuesday, 24 November 2026');
    expect(w.medium('2026-01-01')).toBe('1 Jan 2026');
    expect(w.monthYear('2026-11')).toBe('November 2026');
    expect(w.axis('2026-11-02', 'week')).toBe('2 Nov');
    expect(w.axis('2026-11-01', 'month')).toBe('Nov 26');
    expect(w.weekdays.map((d) => d.short)).toEqual([
      'Mon',
      'Tue',
      'Wed',
      'Thu',
      'Fri',
      'Sat',
      'Sun',
    ]);
    expect(w.weekdays[6]!.long).toBe('Sunday');
  });
});
