import { describe, expect, it } from 'vitest';
import { makeDefaultTrackers, type Checkin, type Tracker } from '$core/checkins/index';
import {
  backdatedAt,
  buildCheckin,
  byDay,
  emptyForm,
  entryOf,
  entryValue,
  formOf,
  groupTrackers,
  isEmpty,
  isoWithOffset,
  localDateBefore,
  localParts,
  orderByUse,
  parseDuration,
  parseNumber,
  parseTimeOfDay,
  recent,
  showValue,
  splitDuration,
} from './form';

const NOW = new Date('2026-11-24T15:00:00Z');
const defaults = makeDefaultTrackers('2026-01-01T00:00:00Z');
const t = (id: string) => defaults.find((x) => x.id === id)!;
const extra: Tracker[] = [
  {
    v: 1,
    id: 'meds',
    name: 'Took my tablets',
    kind: 'yesno',
    group: 'body',
    archived: false,
    createdAt: '2026-02-01T00:00:00Z',
    updatedAt: '2026-02-01T00:00:00Z',
  },
  {
    v: 1,
    id: 'wake',
    name: 'Woke up',
    kind: 'timeofday',
    group: 'sleep',
    archived: false,
    createdAt: '2026-02-01T00:00:00Z',
    updatedAt: '2026-02-01T00:00:00Z',
  },
  {
    v: 1,
    id: 'old',
    name: 'Old thing',
    kind: 'number',
    group: 'other',
    archived: true,
    createdAt: '2026-02-01T00:00:00Z',
    updatedAt: '2026-02-01T00:00:00Z',
  },
];
const trackers = [...defaults, ...extra];

describe('parseNumber', () => {
  it.each([
    ['7', 7],
    [' 7.5 ', 7.5],
    ['7,5', 7.5],
    ['-2', -2],
    ['.5', 0.5],
    ['0', 0],
    ['-0', 0],
    ['1000000000', 1e9],
  ])('%j is %d', (raw, n) => {
    expect(parseNumber(raw)).toEqual({ ok: true, value: n });
  });
  it('empty is not said', () => {
    expect(parseNumber('   ')).toEqual({ ok: true, value: undefined });
  });
  it.each(['abc', '1e99', '1e3', '7 hours', '1.2.3', 'NaN', 'Infinity', '--1', '0x10', '½'])(
    '%j is not a number',
    (raw) => {
      expect(parseNumber(raw)).toEqual({ ok: false, error: 'notANumber' });
    },
  );
  it('beyond ±1e9 is too big', () => {
    expect(parseNumber('1000000001')).toEqual({ ok: false, error: 'tooBig' });
    expect(parseNumber('-99999999999999999999')).toEqual({ ok: false, error: 'tooBig' });
  });
});

describe('parseDuration', () => {
  it('hours and minutes to minutes', () => {
    expect(parseDuration('1', '30')).toEqual({ ok: true, value: 90 });
    expect(parseDuration('', '45')).toEqual({ ok: true, value: 45 });
    expect(parseDuration('2', '')).toEqual({ ok: true, value: 120 });
    expect(parseDuration('1.5', '')).toEqual({ ok: true, value: 90 });
    expect(parseDuration('0', '0')).toEqual({ ok: true, value: 0 });
    expect(parseDuration('', '')).toEqual({ ok: true, value: undefined });
  });
  it('refuses negative, fractional minutes, words and more than a week', () => {
    expect(parseDuration('-1', '')).toEqual({ ok: false, error: 'negative' });
    expect(parseDuration('', '-5')).toEqual({ ok: false, error: 'negative' });
    expect(parseDuration('1', '2.5')).toEqual({ ok: false, error: 'wholeMinutes' });
    expect(parseDuration('abc', '')).toEqual({ ok: false, error: 'notANumber' });
    expect(parseDuration('', '1e99')).toEqual({ ok: false, error: 'notANumber' });
    expect(parseDuration('168', '1')).toEqual({ ok: false, error: 'tooLong' });
    expect(parseDuration('168', '0')).toEqual({ ok: true, value: 10_080 });
  });
  it('splitDuration is its inverse', () => {
    for (const m of [0, 1, 45, 60, 90, 125, 10_080]) {
      const s = splitDuration(m);
      expect(parseDuration(s.hours, s.minutes)).toEqual({ ok: true, value: m });
    }
    expect(splitDuration(90)).toEqual({ hours: '1', minutes: '30' });
    expect(splitDuration(120)).toEqual({ hours: '2', minutes: '' });
    expect(splitDuration(0)).toEqual({ hours: '', minutes: '0' });
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['07:30', '07:30'],
    ['7:30', '07:30'],
    ['23:59', '23:59'],
    ['00:00', '00:00'],
    ['07:30:00', '07:30'],
  ])('%j is %j', (raw, v) => {
    expect(parseTimeOfDay(raw)).toEqual({ ok: true, value: v });
  });
  it.each(['25:00', '24:00', '12:60', '7', 'abc', '7.30', '-1:00', '123:00'])(
    '%j is not a time',
    (raw) => {
      expect(parseTimeOfDay(raw)).toEqual({ ok: false, error: 'badTime' });
    },
  );
});

describe('times with the device offset', () => {
  it('isoWithOffset names the same instant, with an offset', () => {
    const d = new Date(2026, 2, 29, 14, 30);
    const iso = isoWithOffset(d);
    expect(iso).toMatch(/^2026-03-29T14:30:00[+-]\d\d:\d\d$/);
    expect(Date.parse(iso)).toBe(d.getTime());
  });
  it('backdatedAt: yesterday evening, local', () => {
    const r = backdatedAt('2026-11-23', '21:15', NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Date.parse(r.at)).toBe(new Date(2026, 10, 23, 21, 15).getTime());
    expect(localParts(new Date(r.at))).toEqual({ date: '2026-11-23', time: '21:15' });
  });
  it('backdatedAt refuses impossible dates and times, and the future', () => {
    expect(backdatedAt('2026-02-30', '10:00', NOW)).toEqual({
      ok: false,
      field: 'date',
      error: 'badDate',
    });
    expect(backdatedAt('yesterday', '10:00', NOW)).toMatchObject({ field: 'date' });
    expect(backdatedAt('', '10:00', NOW)).toMatchObject({ field: 'date', error: 'badDate' });
    expect(backdatedAt('2026-11-23', '25:00', NOW)).toEqual({
      ok: false,
      field: 'time',
      error: 'badTime',
    });
    expect(backdatedAt('2026-11-23', '', NOW)).toMatchObject({ field: 'time' });
    expect(backdatedAt('2026-11-26', '10:00', NOW)).toEqual({
      ok: false,
      field: 'date',
      error: 'future',
    });
  });
});

describe('entries and values', () => {
  it('each kind, both ways', () => {
    const cases: [string, Checkin['values'][string]][] = [
      ['how', 'Tired but okay'],
      ['howScale', 4],
      ['sleepHours', 6.5],
      ['movement', 95],
      ['did', ['Work', 'Cooking']],
      ['meds', true],
      ['meds', false],
      ['wake', '06:45'],
    ];
    for (const [id, value] of cases) {
      const tr = trackers.find((x) => x.id === id)!;
      expect(entryValue(tr, entryOf(tr, value))).toEqual({ ok: true, value });
    }
  });
  it('scale values outside 1…max, or not whole, do not fit', () => {
    const s = t('howScale');
    expect(entryValue(s, { ...entryOf(s, undefined), text: '6' })).toEqual({
      ok: false,
      error: 'outOfRange',
    });
    expect(entryValue(s, { ...entryOf(s, undefined), text: '2.5' })).toEqual({
      ok: false,
      error: 'outOfRange',
    });
    expect(entryValue(s, { ...entryOf(s, undefined), text: '0' })).toEqual({
      ok: false,
      error: 'outOfRange',
    });
  });
  it('blank text, no tags and "not said" are left out', () => {
    expect(entryValue(t('how'), { ...entryOf(t('how'), undefined), text: '  ' })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(entryValue(t('did'), entryOf(t('did'), undefined))).toEqual({
      ok: true,
      value: undefined,
    });
    expect(entryValue(extra[0]!, entryOf(extra[0]!, undefined))).toEqual({
      ok: true,
      value: undefined,
    });
  });
});

describe('buildCheckin', () => {
  it('a quick check-in now: only what was said, at now with an offset', () => {
    const form = emptyForm(trackers);
    form.entries.howScale!.text = '3';
    form.entries.sleepHours!.text = '7,5';
    form.entries.did!.tags = ['Rest', 'Outside'];
    form.note = '  Slow day.  ';
    const r = buildCheckin(form, trackers, { id: 'c1', now: NOW });
    expect(r).toEqual({
      ok: true,
      checkin: {
        v: 1,
        id: 'c1',
        at: isoWithOffset(NOW),
        values: { howScale: 3, sleepHours: 7.5, did: ['Rest', 'Outside'] },
        note: 'Slow day.',
        updatedAt: NOW.toISOString(),
      },
    });
    if (r.ok) expect(Date.parse(r.checkin.at)).toBe(NOW.getTime());
  });
  it('names each field that does not fit, the first in form order', () => {
    const form = emptyForm(trackers);
    form.entries.sleepHours!.text = 'abc';
    form.entries.movement!.hours = '-1';
    form.entries.wake!.text = '25:00';
    const r = buildCheckin(form, trackers, { id: 'c1', now: NOW });
    expect(r).toEqual({
      ok: false,
      errors: { sleepHours: 'notANumber', movement: 'negative', wake: 'badTime' },
      first: 'sleepHours',
    });
  });
  it('backdated: yesterday; a bad date comes first', () => {
    const form = {
      ...emptyForm(trackers),
      when: 'earlier' as const,
      date: '2026-11-23',
      time: '08:00',
    };
    form.entries.how!.text = 'Forgot to check in';
    const r = buildCheckin(form, trackers, { id: 'c2', now: NOW });
    expect(r.ok && localParts(new Date(r.checkin.at))).toEqual({
      date: '2026-11-23',
      time: '08:00',
    });
    form.entries.sleepHours!.text = '1e99';
    const bad = buildCheckin({ ...form, date: '2026-13-01' }, trackers, { id: 'c2', now: NOW });
    expect(bad).toEqual({
      ok: false,
      errors: { date: 'badDate', sleepHours: 'notANumber' },
      first: 'date',
    });
  });
  it('editing keeps the id and `at` (unless changed), updates updatedAt, keeps archived values', () => {
    const original: Checkin = {
      v: 1,
      id: 'orig',
      at: '2026-11-20T09:12:34.567+05:30',
      values: { howScale: 2, old: 12 },
      note: 'first',
      updatedAt: '2026-11-20T03:42:34Z',
    };
    const form = formOf(
      original,
      trackers.filter((x) => !x.archived),
    );
    expect(form.entries.howScale!.text).toBe('2');
    expect(form.note).toBe('first');
    form.entries.howScale!.text = '4';
    // Even with an (empty) entry for the archived tracker, its value stays.
    form.entries.old = entryOf(extra[2]!, undefined);
    const r = buildCheckin(form, trackers, {
      id: 'ignored',
      now: NOW,
      original,
    });
    expect(r).toEqual({
      ok: true,
      checkin: { ...original, values: { howScale: 4, old: 12 }, updatedAt: NOW.toISOString() },
    });
    const moved = buildCheckin({ ...form, date: '2026-11-19' }, trackers, {
      id: 'x',
      now: NOW,
      original,
    });
    expect(moved.ok && localParts(new Date(moved.checkin.at)).date).toBe('2026-11-19');
    expect(moved.ok && moved.checkin.id).toBe('orig');
  });
  it('an archived tracker is not asked: a new check-in has nothing for it', () => {
    const form = emptyForm(trackers);
    form.entries.old!.text = '5';
    form.entries.how!.text = 'ok';
    const r = buildCheckin(form, trackers, { id: 'n', now: NOW });
    expect(r.ok && r.checkin.values).toEqual({ how: 'ok' });
  });
  it('isEmpty: nothing said at all', () => {
    const form = emptyForm(trackers);
    expect(isEmpty(form, trackers)).toBe(true);
    form.entries.meds!.text = 'no';
    expect(isEmpty(form, trackers)).toBe(false);
    expect(isEmpty({ ...emptyForm(trackers), note: 'just this' }, trackers)).toBe(false);
  });
});

describe('grouping and the recent list', () => {
  it('groups active trackers in the usual order, archived left out', () => {
    const g = groupTrackers(trackers);
    expect(g.map((x) => x.group)).toEqual([
      'feeling',
      'sleep',
      'energy',
      'body',
      'connection',
      'doing',
    ]);
    expect(g.find((x) => x.group === 'sleep')!.trackers.map((x) => x.id)).toEqual([
      'sleepHours',
      'sleepQuality',
      'wake',
    ]);
    expect(g.flatMap((x) => x.trackers).some((x) => x.id === 'old')).toBe(false);
  });
  it('recent: the last 14 days', () => {
    const c = (id: string, at: string): Checkin => ({ v: 1, id, at, values: {}, updatedAt: at });
    const list = [
      c('a', '2026-11-24T10:00:00Z'),
      c('b', '2026-11-10T15:00:00Z'),
      c('c', '2026-11-10T14:59:59Z'),
    ];
    expect(recent(list, NOW).map((x) => x.id)).toEqual(['a', 'b']);
  });
  it('showValue reads each kind', () => {
    const n = (x: number) => x.toFixed(1);
    expect(showValue(extra[0]!, true, n)).toEqual({ id: 'checkins.checkin.show.yes' });
    expect(showValue(t('movement'), 95, n)).toEqual({
      id: 'checkins.checkin.show.durationHoursMinutes',
      values: { hours: 1, minutes: 35 },
    });
    expect(showValue(t('movement'), 120, n)).toEqual({
      id: 'checkins.checkin.show.durationHours',
      values: { hours: 2 },
    });
    expect(showValue(t('movement'), 0, n)).toEqual({
      id: 'checkins.checkin.show.durationMinutes',
      values: { minutes: 0 },
    });
    expect(showValue(t('sleepHours'), 7.5, n)).toEqual({
      id: 'checkins.checkin.show.numberUnit',
      values: { value: '7.5', unit: 'hours' },
    });
    expect(showValue(t('howScale'), 4, n)).toEqual({
      id: 'checkins.checkin.show.scale',
      values: { value: '4', max: 5 },
    });
    expect(showValue(t('did'), ['Work', 'Rest'], n)).toBe('Work, Rest');
    expect(showValue(t('how'), 'ok', n)).toBe('ok');
  });
});

describe('byDay', () => {
  it('groups by the local day, newest first', () => {
    const c = (id: string, local: Date): Checkin => ({
      v: 1,
      id,
      at: isoWithOffset(local),
      values: {},
      updatedAt: '2026-11-24T00:00:00Z',
    });
    const list = [
      c('late', new Date(2026, 10, 24, 23, 50)),
      c('early', new Date(2026, 10, 24, 0, 10)),
      c('backdated', new Date(2026, 10, 25, 8, 0)),
      c('before', new Date(2026, 10, 23, 23, 59)),
    ];
    expect(byDay(list).map((d) => [d.date, d.checkins.map((x) => x.id)])).toEqual([
      ['2026-11-25', ['backdated']],
      ['2026-11-24', ['late', 'early']],
      ['2026-11-23', ['before']],
    ]);
  });
  it('localDateBefore: yesterday and across a month', () => {
    expect(localDateBefore(new Date(2026, 11, 1, 0, 30), 1)).toBe('2026-11-30');
    expect(localDateBefore(new Date(2026, 2, 1, 23, 30), 0)).toBe('2026-03-01');
  });
});

describe('orderByUse', () => {
  const c = (values: Checkin['values']): Checkin => ({
    v: 1,
    id: 'x',
    at: '2026-11-24T10:00:00Z',
    values,
    updatedAt: '2026-11-24T10:00:00Z',
  });
  it('most answered parts first, ties in the usual order', () => {
    const groups = groupTrackers(trackers);
    const list = [c({ did: ['Work'], energy: 2 }), c({ did: ['Rest'] }), c({ pain: 1 })];
    expect(orderByUse(groups, list).map((g) => g.group)).toEqual([
      'doing',
      'energy',
      'body',
      'feeling',
      'sleep',
      'connection',
    ]);
  });
  it('no check-ins: the usual order; only the last `last` count', () => {
    const groups = groupTrackers(trackers);
    expect(orderByUse(groups, []).map((g) => g.group)).toEqual(groups.map((g) => g.group));
    const list = [c({ how: 'ok' }), c({ did: ['Work'] }), c({ did: ['Rest'] })];
    expect(orderByUse(groups, list, 1)[0]!.group).toBe('feeling');
    expect(orderByUse(groups, list, 3)[0]!.group).toBe('doing');
  });
});
