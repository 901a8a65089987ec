import { describe, expect, it } from 'vitest';
import {
  hoursSchema,
  isOpenAt,
  nextOpening,
  openIntervals,
  openStateAt,
  type Hours,
  type Weekday,
} from './hours.js';

const at = (iso: string) => Date.parse(iso);
let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function hours(
  timeZone: string,
  weekly: [days: Weekday[], opensAt: string, closesAt: string][],
  closures: [from: string, to: string][] = [],
): Hours {
  return hoursSchema.parse({
    timeZone,
    weekly: weekly.map(([days, opensAt, closesAt]) => ({
      id: uuid(),
      days,
      opensAt,
      closesAt,
      validFrom: null,
      validTo: null,
    })),
    closures: closures.map(([from, to]) => ({ id: uuid(), from, to, note: null })),
    note: null,
  });
}

const EVERY_DAY: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const WEEKDAYS: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

describe('open now: ordinary days', () => {
  const office = hours('Europe/London', [[WEEKDAYS, '09:00', '17:00']]);

  it('is open inside the hours, in the zone’s summer time, and says when it closes', () => {
    // Wednesday 15 July 2026, 12:00 BST (UTC+1).
    expect(openStateAt(office, at('2026-07-15T11:00:00Z'))).toEqual({
      status: 'open',
      closesAt: at('2026-07-15T16:00:00Z'),
    });
    expect(isOpenAt(office, at('2026-07-15T15:59:59Z'))).toBe(true);
    expect(isOpenAt(office, at('2026-07-15T16:00:00Z'))).toBe(false);
    expect(isOpenAt(office, at('2026-07-15T07:59:59Z'))).toBe(false);
    expect(isOpenAt(office, at('2026-07-15T08:00:00Z'))).toBe(true);
  });

  it('in winter the same local hours are other UTC instants', () => {
    // Wednesday 14 January 2026, GMT.
    expect(isOpenAt(office, at('2026-01-14T08:30:00Z'))).toBe(false);
    expect(isOpenAt(office, at('2026-01-14T09:00:00Z'))).toBe(true);
    expect(isOpenAt(office, at('2026-01-14T16:59:00Z'))).toBe(true);
  });

  it('closed at the weekend, opening on Monday', () => {
    // Saturday 18 July 2026 → Monday 20 July 09:00 BST.
    expect(openStateAt(office, at('2026-07-18T12:00:00Z'))).toEqual({
      status: 'closed',
      opensAt: at('2026-07-20T08:00:00Z'),
    });
    expect(nextOpening(office, at('2026-07-18T12:00:00Z'))).toBe(at('2026-07-20T08:00:00Z'));
    expect(nextOpening(office, at('2026-07-15T11:00:00Z'))).toBe(at('2026-07-15T11:00:00Z'));
  });

  it('the same instant is open in one zone and closed in another', () => {
    const tokyo = hours('Asia/Tokyo', [[WEEKDAYS, '09:00', '17:00']]);
    const instant = at('2026-07-15T11:00:00Z'); // 12:00 in London, 20:00 in Tokyo
    expect(isOpenAt(office, instant)).toBe(true);
    expect(isOpenAt(tokyo, instant)).toBe(false);
    expect(isOpenAt(tokyo, at('2026-07-15T01:00:00Z'))).toBe(true); // 10:00 in Tokyo
  });

  it('openings that touch are one stretch', () => {
    const split = hours('Europe/London', [
      [WEEKDAYS, '09:00', '13:00'],
      [WEEKDAYS, '13:00', '17:00'],
    ]);
    expect(openStateAt(split, at('2026-07-15T09:00:00Z'))).toEqual({
      status: 'open',
      closesAt: at('2026-07-15T16:00:00Z'),
    });
  });
});

describe('open now: overnight hours across daylight saving', () => {
  const nightLine = hours('America/New_York', [[EVERY_DAY, '22:00', '06:00']]);

  it('an overnight opening runs into the next day', () => {
    // Tuesday 14 July 2026, 23:00 EDT = 03:00Z on the 15th; closes 06:00 EDT = 10:00Z.
    expect(openStateAt(nightLine, at('2026-07-15T03:00:00Z'))).toEqual({
      status: 'open',
      closesAt: at('2026-07-15T10:00:00Z'),
    });
    expect(isOpenAt(nightLine, at('2026-07-15T12:00:00Z'))).toBe(false);
  });

  it('spring forward (New York, 8 March 2026): the night is seven hours long', () => {
    // Opens Saturday 22:00 EST (03:00Z), closes Sunday 06:00 EDT (10:00Z).
    const night = openIntervals(nightLine, at('2026-03-08T04:00:00Z'), at('2026-03-08T04:00:01Z'));
    expect(night).toEqual([[at('2026-03-08T03:00:00Z'), at('2026-03-08T10:00:00Z')]]);
    expect(isOpenAt(nightLine, at('2026-03-08T09:59:00Z'))).toBe(true);
    expect(isOpenAt(nightLine, at('2026-03-08T10:00:00Z'))).toBe(false);
  });

  it('fall back (New York, 1 November 2026): the night is nine hours long', () => {
    // Opens Saturday 22:00 EDT (02:00Z), closes Sunday 06:00 EST (11:00Z).
    expect(openStateAt(nightLine, at('2026-11-01T05:30:00Z'))).toEqual({
      status: 'open',
      closesAt: at('2026-11-01T11:00:00Z'),
    });
    expect(isOpenAt(nightLine, at('2026-11-01T10:30:00Z'))).toBe(true);
  });

  it('Sydney, where the clocks go back in April, closes an hour later in UTC than it opened', () => {
    const sydney = hours('Australia/Sydney', [[EVERY_DAY, '20:00', '08:00']]);
    // Saturday 4 April 2026 20:00 AEDT (UTC+11) → Sunday 5 April 08:00 AEST (UTC+10): 13 hours.
    expect(openIntervals(sydney, at('2026-04-04T12:00:00Z'), at('2026-04-04T12:00:01Z'))).toEqual([
      [at('2026-04-04T09:00:00Z'), at('2026-04-04T22:00:00Z')],
    ]);
    // 4 October 2026: 20:00 AEDT already (the change was at 02:00), closes 08:00 AEDT.
    expect(openIntervals(sydney, at('2026-10-04T12:00:00Z'), at('2026-10-04T12:00:01Z'))).toEqual([
      [at('2026-10-04T09:00:00Z'), at('2026-10-04T21:00:00Z')],
    ]);
  });

  it('an opening time in the spring-forward gap opens when the clock has jumped (London)', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST; 01:30 does not exist and moves to 02:30 BST.
    const early = hours('Europe/London', [[['SU'], '01:30', '05:00']]);
    expect(openStateAt(early, at('2026-03-29T01:15:00Z'))).toEqual({
      status: 'closed',
      opensAt: at('2026-03-29T01:30:00Z'),
    });
    // A week earlier 01:30 GMT is 01:30Z.
    expect(isOpenAt(early, at('2026-03-22T01:30:00Z'))).toBe(true);
    expect(isOpenAt(early, at('2026-03-29T01:29:00Z'))).toBe(false);
  });

  it('an opening time in the fall-back overlap is the first of the two (New York)', () => {
    const early = hours('America/New_York', [[['SU'], '01:30', '03:00']]);
    // 1 November 2026: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST); it opens at the first.
    expect(openStateAt(early, at('2026-11-01T05:00:00Z'))).toEqual({
      status: 'closed',
      opensAt: at('2026-11-01T05:30:00Z'),
    });
    expect(openStateAt(early, at('2026-11-01T05:45:00Z'))).toEqual({
      status: 'open',
      closesAt: at('2026-11-01T08:00:00Z'),
    });
  });

  it('around the clock stays open across the change, with no closing time', () => {
    const always = hours('Europe/London', [[EVERY_DAY, '00:00', '24:00']]);
    for (const instant of [
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:30:00Z',
      '2026-12-31T23:59:59Z',
    ]) {
      expect(openStateAt(always, at(instant)), instant).toEqual({ status: 'open', closesAt: null });
    }
  });
});

describe('closures and validity', () => {
  const office = hours(
    'Europe/London',
    [[WEEKDAYS, '09:00', '17:00']],
    [['2026-12-25', '2026-12-26']],
  );

  it('no opening starts on a closed date', () => {
    // Friday 25 December 2026 is closed; the next opening is Monday 28 December, 09:00 GMT.
    expect(openStateAt(office, at('2026-12-25T10:00:00Z'))).toEqual({
      status: 'closed',
      opensAt: at('2026-12-28T09:00:00Z'),
    });
    expect(isOpenAt(office, at('2026-12-24T10:00:00Z'))).toBe(true);
  });

  it('a night that starts before a closed day runs into it', () => {
    const night = hours(
      'Europe/London',
      [[EVERY_DAY, '22:00', '06:00']],
      [['2026-12-25', '2026-12-25']],
    );
    expect(isOpenAt(night, at('2026-12-25T05:00:00Z'))).toBe(true); // started on the 24th
    expect(isOpenAt(night, at('2026-12-25T23:00:00Z'))).toBe(false); // would start on the 25th
    expect(isOpenAt(night, at('2026-12-26T23:00:00Z'))).toBe(true);
  });

  it('validFrom and validTo bound the dates openings start on', () => {
    const summer = hoursSchema.parse({
      timeZone: 'Europe/Berlin',
      weekly: [
        {
          id: uuid(),
          days: EVERY_DAY,
          opensAt: '10:00',
          closesAt: '18:00',
          validFrom: '2026-06-01',
          validTo: '2026-08-31',
        },
      ],
      closures: [],
      note: null,
    });
    expect(isOpenAt(summer, at('2026-05-31T10:00:00Z'))).toBe(false);
    expect(isOpenAt(summer, at('2026-06-01T10:00:00Z'))).toBe(true);
    expect(isOpenAt(summer, at('2026-08-31T15:59:00Z'))).toBe(true);
    expect(isOpenAt(summer, at('2026-09-01T10:00:00Z'))).toBe(false);
    expect(openStateAt(summer, at('2026-09-01T10:00:00Z'))).toEqual({
      status: 'closed',
      opensAt: null,
    });
  });
});

describe('unknown hours are never open', () => {
  it('no hours, or no weekly openings, are unknown', () => {
    expect(openStateAt(null, at('2026-07-15T11:00:00Z'))).toEqual({ status: 'unknown' });
    expect(isOpenAt(null, at('2026-07-15T11:00:00Z'))).toBeNull();
    const empty = hours('Europe/London', []);
    expect(openStateAt(empty, at('2026-07-15T11:00:00Z'))).toEqual({ status: 'unknown' });
    expect(isOpenAt(empty, at('2026-07-15T11:00:00Z'))).toBeNull();
    expect(nextOpening(empty, at('2026-07-15T11:00:00Z'))).toBeNull();
  });
});

describe('hours schema', () => {
  const base = {
    timeZone: 'Europe/London',
    weekly: [] as unknown[],
    closures: [] as unknown[],
    note: null,
  };
  const opening = (o: object) => ({
    ...base,
    weekly: [{ id: uuid(), days: ['MO'], validFrom: null, validTo: null, ...o }],
  });

  it('refuses opening and closing at the same time, and 00:00–00:00', () => {
    expect(hoursSchema.safeParse(opening({ opensAt: '09:00', closesAt: '09:00' })).success).toBe(
      false,
    );
    expect(hoursSchema.safeParse(opening({ opensAt: '00:00', closesAt: '00:00' })).success).toBe(
      false,
    );
    expect(hoursSchema.safeParse(opening({ opensAt: '00:00', closesAt: '24:00' })).success).toBe(
      true,
    );
    expect(hoursSchema.safeParse(opening({ opensAt: '24:00', closesAt: '09:00' })).success).toBe(
      false,
    );
  });

  it('refuses a zone that is not canonical IANA, and fixed offsets', () => {
    expect(hoursSchema.safeParse({ ...base, timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(hoursSchema.safeParse({ ...base, timeZone: '+01:00' }).success).toBe(false);
    expect(hoursSchema.safeParse({ ...base, timeZone: 'America/New_York' }).success).toBe(true);
  });

  it('refuses repeated days, impossible dates and a closure that ends before it starts', () => {
    expect(
      hoursSchema.safeParse(opening({ days: ['MO', 'MO'], opensAt: '09:00', closesAt: '10:00' }))
        .success,
    ).toBe(false);
    expect(
      hoursSchema.safeParse(
        opening({ opensAt: '09:00', closesAt: '10:00', validFrom: '2026-02-30' }),
      ).success,
    ).toBe(false);
    expect(
      hoursSchema.safeParse({
        ...base,
        closures: [{ id: uuid(), from: '2026-12-26', to: '2026-12-25', note: null }],
      }).success,
    ).toBe(false);
  });
});
