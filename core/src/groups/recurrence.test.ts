import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MEETING_LIMITS,
  expandSeries,
  lastDateOfUntil,
  nextOccurrence,
  normaliseTimeZone,
  parseOccurrenceId,
  parseRule,
  untilForLastDate,
  validateSeries,
  type MeetingSeries,
  type Occurrence,
} from './recurrence.js';

function expand(series: MeetingSeries, from: string, to: string, extra = {}): Occurrence[] {
  const r = expandSeries(series, { from, to, ...extra });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.detail}`);
  return [...r.value.occurrences];
}

const starts = (os: readonly Occurrence[]) => os.map((o) => o.start);
const locals = (os: readonly Occurrence[]) => os.map((o) => o.localStart);

/** The wall-clock time of an instant in a zone, `HH:MM`, by Intl (independent of Temporal). */
function wallTime(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

function errorCode(series: MeetingSeries): string | null {
  const r = validateSeries(series);
  return r.ok ? null : r.error.code;
}

describe('weekly meetings across a change of clocks', () => {
  it('Europe/London: 19:00 every Tuesday stays 19:00 local; UTC moves an hour on 29 March', () => {
    const series: MeetingSeries = {
      id: 'hv-tue',
      start: '2026-03-17T19:00',
      timeZone: 'Europe/London',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
    };
    const os = expand(series, '2026-03-01T00:00:00Z', '2026-04-15T00:00:00Z');
    expect(starts(os)).toEqual([
      '2026-03-17T19:00:00.000Z',
      '2026-03-24T19:00:00.000Z',
      '2026-03-31T18:00:00.000Z',
      '2026-04-07T18:00:00.000Z',
      '2026-04-14T18:00:00.000Z',
    ]);
    expect(os.map((o) => wallTime(o.start, 'Europe/London'))).toEqual(Array(5).fill('19:00'));
    expect(os[2]!.end).toBe('2026-03-31T19:30:00.000Z');
    expect(os[2]!.occurrenceId).toBe('hv-tue.20260331T180000Z');
    // … and back in October.
    const autumn = expand(series, '2026-10-20T00:00:00Z', '2026-11-04T00:00:00Z');
    expect(starts(autumn)).toEqual([
      '2026-10-20T18:00:00.000Z',
      '2026-10-27T19:00:00.000Z',
      '2026-11-03T19:00:00.000Z',
    ]);
  });

  it('America/New_York changes on 8 March, three weeks before London', () => {
    const series: MeetingSeries = {
      id: 'a2s',
      start: '2026-03-03T19:00',
      timeZone: 'America/New_York',
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
    };
    const os = expand(series, '2026-03-01T00:00:00Z', '2026-03-20T00:00:00Z');
    expect(starts(os)).toEqual([
      '2026-03-04T00:00:00.000Z',
      '2026-03-10T23:00:00.000Z',
      '2026-03-17T23:00:00.000Z',
    ]);
    expect(os.map((o) => wallTime(o.start, 'America/New_York'))).toEqual([
      '19:00',
      '19:00',
      '19:00',
    ]);
    expect(locals(os)).toEqual(['2026-03-03T19:00', '2026-03-10T19:00', '2026-03-17T19:00']);
  });
});

describe('local times that do not exist or happen twice', () => {
  it('02:30 on the spring-forward day in New York happens at 03:30 (the gap moves it forward)', () => {
    const series: MeetingSeries = {
      id: 'night-owls',
      start: '2026-03-01T02:30',
      timeZone: 'America/New_York',
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;BYDAY=SU;COUNT=4',
    };
    const os = expand(series, '2026-02-01T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(os).toHaveLength(4); // not dropped, and still counted
    const gapDay = os[1]!;
    expect(gapDay.originalLocalStart).toBe('2026-03-08T02:30');
    expect(gapDay.start).toBe('2026-03-08T07:30:00.000Z');
    expect(wallTime(gapDay.start, 'America/New_York')).toBe('03:30');
    expect(gapDay.occurrenceId).toBe('night-owls.20260308T073000Z');
    expect(gapDay.moved).toBe(false);
    expect(wallTime(os[2]!.start, 'America/New_York')).toBe('02:30');
  });

  it('a single meeting set in the gap is placed after it', () => {
    const r = expand(
      { id: 'x', start: '2026-03-29T01:30', timeZone: 'Europe/London', durationMinutes: 30 },
      '2026-03-28T00:00:00Z',
      '2026-03-30T00:00:00Z',
    );
    expect(starts(r)).toEqual(['2026-03-29T01:30:00.000Z']);
    expect(wallTime(r[0]!.start, 'Europe/London')).toBe('02:30');
  });

  it('01:30 on the fall-back day is the first 01:30 (summer time)', () => {
    const ny = expand(
      {
        id: 'late',
        start: '2026-10-25T01:30',
        timeZone: 'America/New_York',
        durationMinutes: 60,
        rrule: 'FREQ=WEEKLY;COUNT=3',
      },
      '2026-10-01T00:00:00Z',
      '2026-12-01T00:00:00Z',
    );
    expect(starts(ny)).toEqual([
      '2026-10-25T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, not 01:30 EST (06:30Z)
      '2026-11-08T06:30:00.000Z',
    ]);
    const london = expand(
      { id: 'l', start: '2026-10-25T01:30', timeZone: 'Europe/London', durationMinutes: 60 },
      '2026-10-24T00:00:00Z',
      '2026-10-26T00:00:00Z',
    );
    expect(starts(london)).toEqual(['2026-10-25T00:30:00.000Z']);
  });
});

describe('southern-hemisphere daylight saving', () => {
  // Sydney leaves summer time on 5 April 2026 and starts it on 4 October 2026; Auckland changes
  // on the same days an hour earlier locally (5 April, 27 September); Los Angeles on 8 March and
  // 1 November. A Sydney 18:00 meeting is seen at different times as each place changes.
  const series: MeetingSeries = {
    id: 'syd',
    start: '2026-03-02T18:00',
    timeZone: 'Australia/Sydney',
    durationMinutes: 60,
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
  };

  it('keeps 18:00 in Sydney and shifts for viewers elsewhere', () => {
    const os = expand(series, '2026-03-01T00:00:00Z', '2026-10-15T00:00:00Z');
    expect(os.every((o) => wallTime(o.start, 'Australia/Sydney') === '18:00')).toBe(true);
    const at = (date: string) => os.find((o) => o.localStart.startsWith(date))!;
    // March: Sydney AEDT (+11) → 07:00Z; Auckland NZDT (+13) 20:00; LA PST/PDT.
    expect(at('2026-03-02').start).toBe('2026-03-02T07:00:00.000Z');
    expect(wallTime(at('2026-03-02').start, 'Pacific/Auckland')).toBe('20:00');
    expect(wallTime(at('2026-03-02').start, 'America/Los_Angeles')).toBe('23:00');
    expect(wallTime(at('2026-03-09').start, 'America/Los_Angeles')).toBe('00:00'); // LA moved on
    // April, after 5 April: Sydney AEST (+10) → 08:00Z; Auckland NZST (+12) 20:00.
    expect(at('2026-04-06').start).toBe('2026-04-06T08:00:00.000Z');
    expect(wallTime(at('2026-04-06').start, 'Pacific/Auckland')).toBe('20:00');
    expect(wallTime(at('2026-04-06').start, 'America/Los_Angeles')).toBe('01:00');
    // Late September: Auckland is on summer time, Sydney not yet.
    expect(at('2026-09-28').start).toBe('2026-09-28T08:00:00.000Z');
    expect(wallTime(at('2026-09-28').start, 'Pacific/Auckland')).toBe('21:00');
    // October, after 4 October: both on summer time again.
    expect(at('2026-10-05').start).toBe('2026-10-05T07:00:00.000Z');
    expect(wallTime(at('2026-10-05').start, 'Pacific/Auckland')).toBe('20:00');
  });
});

describe('monthly rules', () => {
  it('the last Friday of each month', () => {
    const os = expand(
      {
        id: 'm',
        start: '2026-01-01T18:30',
        timeZone: 'Europe/Berlin',
        durationMinutes: 120,
        rrule: 'FREQ=MONTHLY;BYDAY=-1FR',
      },
      '2026-01-01T00:00:00Z',
      '2026-07-01T00:00:00Z',
    );
    expect(os.map((o) => o.localStart)).toEqual([
      '2026-01-30T18:30',
      '2026-02-27T18:30',
      '2026-03-27T18:30',
      '2026-04-24T18:30',
      '2026-05-29T18:30',
      '2026-06-26T18:30',
    ]);
  });

  it('BYSETPOS picks the last weekday (Monday to Friday) of the month', () => {
    const os = expand(
      {
        id: 'p',
        start: '2026-01-01T12:00',
        timeZone: 'UTC',
        durationMinutes: 60,
        rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=4',
      },
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
    );
    expect(locals(os)).toEqual([
      '2026-01-30T12:00',
      '2026-02-27T12:00',
      '2026-03-31T12:00',
      '2026-04-30T12:00',
    ]);
  });

  it('the second Tuesday, every two months, and day 31 only in months that have one', () => {
    const second = expand(
      {
        id: 'a',
        start: '2026-01-13T19:00',
        timeZone: 'Europe/London',
        durationMinutes: 60,
        rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU',
      },
      '2026-01-01T00:00:00Z',
      '2026-08-01T00:00:00Z',
    );
    expect(locals(second)).toEqual([
      '2026-01-13T19:00',
      '2026-03-10T19:00',
      '2026-05-12T19:00',
      '2026-07-14T19:00',
    ]);
    const day31 = expand(
      {
        id: 'b',
        start: '2026-01-31T10:00',
        timeZone: 'UTC',
        durationMinutes: 60,
        rrule: 'FREQ=MONTHLY;BYMONTHDAY=31',
      },
      '2026-01-01T00:00:00Z',
      '2026-06-01T00:00:00Z',
    );
    expect(locals(day31)).toEqual(['2026-01-31T10:00', '2026-03-31T10:00', '2026-05-31T10:00']);
  });
});

describe('ends: COUNT and UNTIL', () => {
  const base = {
    id: 's',
    start: '2026-03-02T19:00',
    timeZone: 'Europe/London',
    durationMinutes: 60,
  } as const;

  it('COUNT stops after that many meetings', () => {
    const os = expand(
      { ...base, rrule: 'FREQ=WEEKLY;COUNT=3' },
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
    );
    expect(locals(os)).toEqual(['2026-03-02T19:00', '2026-03-09T19:00', '2026-03-16T19:00']);
  });

  it('UNTIL is inclusive, on real instants (across the change of clocks)', () => {
    // 30 March 19:00 BST is 18:00Z: an UNTIL of exactly 18:00Z includes it, 17:59:59Z does not.
    const upTo = (until: string) =>
      locals(
        expand(
          { ...base, rrule: `FREQ=WEEKLY;UNTIL=${until}` },
          '2026-01-01T00:00:00Z',
          '2027-01-01T00:00:00Z',
        ),
      );
    expect(upTo('20260330T180000Z')).toEqual([
      '2026-03-02T19:00',
      '2026-03-09T19:00',
      '2026-03-16T19:00',
      '2026-03-23T19:00',
      '2026-03-30T19:00',
    ]);
    expect(upTo('20260330T175959Z')).toHaveLength(4);
  });

  it('"ends on a date" (UNTIL=YYYYMMDD) includes meetings on that local date, in any zone', () => {
    for (const timeZone of ['Europe/London', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const os = expand(
        { ...base, timeZone, start: '2026-03-02T23:30', rrule: 'FREQ=DAILY;UNTIL=20260305' },
        '2026-01-01T00:00:00Z',
        '2027-01-01T00:00:00Z',
      );
      expect(locals(os), timeZone).toEqual([
        '2026-03-02T23:30',
        '2026-03-03T23:30',
        '2026-03-04T23:30',
        '2026-03-05T23:30',
      ]);
    }
  });

  it('the strict RFC 5545 form of "until the end of a date" reads back as that date', () => {
    expect(untilForLastDate('2026-06-30', 'Europe/London')).toBe('20260630T225959Z');
    expect(untilForLastDate('2026-01-31', 'America/New_York')).toBe('20260201T045959Z');
    expect(lastDateOfUntil('20260630T225959Z', 'Europe/London')).toBe('2026-06-30');
    expect(lastDateOfUntil('20260201T045959Z', 'America/New_York')).toBe('2026-01-31');
    expect(lastDateOfUntil('20260630T120000Z', 'Europe/London')).toBeNull();
    expect(lastDateOfUntil('20260630', 'Europe/London')).toBe('2026-06-30');
    const os = expand(
      { ...base, rrule: `FREQ=DAILY;UNTIL=${untilForLastDate('2026-03-05', 'Europe/London')}` },
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
    );
    expect(locals(os)).toEqual([
      '2026-03-02T19:00',
      '2026-03-03T19:00',
      '2026-03-04T19:00',
      '2026-03-05T19:00',
    ]);
  });

  it('a rule that never ends expands only inside the window, however far ahead', () => {
    const os = expand(
      { ...base, rrule: 'FREQ=WEEKLY;BYDAY=MO' },
      '2046-03-01T00:00:00Z',
      '2046-03-15T00:00:00Z',
    );
    expect(locals(os)).toEqual(['2046-03-05T19:00', '2046-03-12T19:00']);
  });
});

describe('exceptions and overrides', () => {
  const series: MeetingSeries = {
    id: 'grp_1',
    start: '2026-03-03T19:00',
    timeZone: 'Europe/London',
    durationMinutes: 90,
    rrule: 'FREQ=WEEKLY;BYDAY=TU',
    exceptions: ['2026-03-10T19:00'],
    overrides: [
      {
        originalStart: '2026-03-17T19:00',
        start: '2026-03-18T18:00',
        location: 'Community hall, room 2',
        note: 'Moved to Wednesday this week',
        revision: 2,
      },
      { originalStart: '2026-03-24T19:00', cancelled: true, note: 'Easter break' },
      { originalStart: '2026-05-05T19:00', start: '2026-03-26T19:00' },
    ],
  };

  it('cancels, moves and notes occurrences, keeping their ids', () => {
    const os = expand(series, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(os.map((o) => [o.occurrenceId, o.localStart, o.cancelled, o.moved, o.sequence])).toEqual(
      [
        ['grp_1.20260303T190000Z', '2026-03-03T19:00', false, false, 0],
        ['grp_1.20260310T190000Z', '2026-03-10T19:00', true, false, 1],
        ['grp_1.20260317T190000Z', '2026-03-18T18:00', false, true, 2],
        ['grp_1.20260324T190000Z', '2026-03-24T19:00', true, false, 1],
        // moved from May into this window
        ['grp_1.20260505T180000Z', '2026-03-26T19:00', false, true, 1],
        ['grp_1.20260331T180000Z', '2026-03-31T19:00', false, false, 0],
      ],
    );
    const moved = os[2]!;
    expect(moved.start).toBe('2026-03-18T18:00:00.000Z');
    expect(moved.end).toBe('2026-03-18T19:30:00.000Z');
    expect(moved.originalStart).toBe('2026-03-17T19:00:00.000Z');
    expect(moved.location).toBe('Community hall, room 2');
    expect(moved.note).toBe('Moved to Wednesday this week');
    expect(os[3]!.note).toBe('Easter break');
  });

  it('a moved occurrence keeps its occurrenceId wherever it goes, and leaves its old window', () => {
    const may = expand(series, '2026-05-01T00:00:00Z', '2026-05-31T00:00:00Z');
    expect(may.map((o) => o.occurrenceId)).not.toContain('grp_1.20260505T180000Z');
    expect(parseOccurrenceId('grp_1.20260505T180000Z')).toEqual({
      seriesId: 'grp_1',
      originalStart: '2026-05-05T18:00:00.000Z',
    });
    expect(parseOccurrenceId('grp_1.20260230T180000Z')).toBeNull();
    expect(parseOccurrenceId('nodot')).toBeNull();
  });

  it('leaves cancelled occurrences out when asked', () => {
    const os = expand(series, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', {
      includeCancelled: false,
    });
    expect(os.some((o) => o.cancelled)).toBe(false);
    expect(os).toHaveLength(4);
  });

  it('refuses exceptions and overrides that are not meetings of the series', () => {
    expect(errorCode({ ...series, exceptions: ['2026-03-11T19:00'] })).toBe(
      'exception_not_an_occurrence',
    );
    expect(errorCode({ ...series, exceptions: ['2026-03-10 19:00'] })).toBe('invalid_exception');
    expect(
      errorCode({ ...series, overrides: [{ originalStart: '2026-03-03T18:00', cancelled: true }] }),
    ).toBe('override_not_an_occurrence');
    expect(
      errorCode({
        ...series,
        overrides: [
          { originalStart: '2026-03-03T19:00', cancelled: true },
          { originalStart: '2026-03-03T19:00', start: '2026-03-04T19:00' },
        ],
      }),
    ).toBe('duplicate_override');
    expect(
      errorCode({
        ...series,
        overrides: [{ originalStart: '2026-03-03T19:00', note: 'x'.repeat(501) }],
      }),
    ).toBe('invalid_override');
    expect(
      errorCode({
        ...series,
        overrides: [{ originalStart: '2026-03-03T19:00', durationMinutes: 0 }],
      }),
    ).toBe('invalid_override');
    // past COUNT, past UNTIL
    expect(
      errorCode({
        ...series,
        rrule: 'FREQ=WEEKLY;COUNT=2',
        overrides: [],
        exceptions: ['2026-03-17T19:00'],
      }),
    ).toBe('exception_not_an_occurrence');
    expect(
      errorCode({
        ...series,
        rrule: 'FREQ=WEEKLY;UNTIL=20260310T190000Z',
        overrides: [],
        exceptions: ['2026-03-17T19:00'],
      }),
    ).toBe('exception_not_an_occurrence');
    expect(errorCode({ ...series, exceptions: Array(501).fill('2026-03-03T19:00') })).toBe(
      'too_many_exceptions',
    );
  });

  it('a single meeting can be moved or cancelled too', () => {
    const once: MeetingSeries = {
      id: 'one',
      start: '2026-06-01T10:00',
      timeZone: 'Europe/Paris',
      durationMinutes: 45,
      overrides: [{ originalStart: '2026-06-01T10:00', start: '2026-06-02T11:00' }],
    };
    const os = expand(once, '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z');
    expect(os.map((o) => [o.occurrenceId, o.start, o.moved])).toEqual([
      ['one.20260601T080000Z', '2026-06-02T09:00:00.000Z', true],
    ]);
    expect(errorCode({ ...once, exceptions: ['2026-06-02T10:00'] })).toBe(
      'exception_not_an_occurrence',
    );
  });
});

describe('nextOccurrence', () => {
  const series: MeetingSeries = {
    id: 'n',
    start: '2026-03-03T19:00',
    timeZone: 'Europe/London',
    durationMinutes: 60,
    rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
    exceptions: ['2026-03-10T19:00'],
    overrides: [{ originalStart: '2026-03-17T19:00', start: '2026-03-16T19:00' }],
  };
  const next = (after: string, options = {}) => {
    const r = nextOccurrence(series, after, options);
    if (!r.ok) throw new Error(r.error.code);
    return r.value?.localStart ?? null;
  };

  it('skips cancelled meetings, follows moved ones, and ends with the series', () => {
    expect(next('2026-01-01T00:00:00Z')).toBe('2026-03-03T19:00');
    expect(next('2026-03-03T19:00:00Z')).toBe('2026-03-03T19:00'); // at or after
    expect(next('2026-03-03T19:00:01Z')).toBe('2026-03-16T19:00'); // 10th cancelled; 17th moved to 16th
    expect(next('2026-03-03T19:00:01Z', { includeCancelled: true })).toBe('2026-03-10T19:00');
    expect(next('2026-03-16T19:00:01Z')).toBe('2026-03-24T19:00');
    expect(next('2026-04-07T18:00:00Z')).toBe('2026-04-07T19:00'); // the sixth, in summer time
    expect(next('2026-04-07T18:00:01Z')).toBeNull();
  });

  it('works far from the start of a rule without end, and for a single meeting', () => {
    const r = nextOccurrence(
      { ...series, rrule: 'FREQ=MONTHLY;BYDAY=-1FR', exceptions: [], overrides: [] },
      '2036-01-01T00:00:00Z',
    );
    expect(r.ok && r.value?.localStart).toBe('2036-01-25T19:00');
    const once = { id: 'o', start: '2026-06-01T10:00', timeZone: 'UTC', durationMinutes: 30 };
    const before = nextOccurrence(once, '2026-05-01T00:00:00Z');
    const afterwards = nextOccurrence(once, '2026-06-02T00:00:00Z');
    expect(before.ok && before.value?.start).toBe('2026-06-01T10:00:00.000Z');
    expect(afterwards.ok && afterwards.value).toBeNull();
  });
});

describe('limits', () => {
  const daily: MeetingSeries = {
    id: 'd',
    start: '2026-01-01T08:00',
    timeZone: 'Asia/Tokyo',
    durationMinutes: 30,
    rrule: 'FREQ=DAILY',
  };

  it('caps the number of occurrences and says so', () => {
    const r = expandSeries(daily, { from: '2026-01-01T00:00:00Z', to: '2027-12-31T00:00:00Z' });
    expect(r.ok && r.value.occurrences.length).toBe(MEETING_LIMITS.defaultLimit);
    expect(r.ok && r.value.truncated).toBe(true);
    const capped = expandSeries(daily, {
      from: '2026-01-01T00:00:00Z',
      to: '2027-12-31T00:00:00Z',
      limit: 10_000,
    });
    expect(capped.ok && capped.value.occurrences.length).toBe(729);
    expect(capped.ok && capped.value.truncated).toBe(false);
    const few = expandSeries(daily, {
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
      limit: 5,
    });
    expect(few.ok && few.value.occurrences.length).toBe(5);
  });

  it('refuses windows that are backwards, unreadable or too long', () => {
    const code = (from: string, to: string) => {
      const r = expandSeries(daily, { from, to });
      return r.ok ? null : r.error.code;
    };
    expect(code('2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z')).toBe('invalid_window');
    expect(code('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toBe('invalid_window');
    expect(code('soon', '2026-01-01T00:00:00Z')).toBe('invalid_window');
    expect(code('2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toBe('window_too_long');
  });
});

describe('validation', () => {
  const base: MeetingSeries = {
    id: 'v',
    start: '2026-03-03T19:00',
    timeZone: 'Europe/London',
    durationMinutes: 60,
  };
  const withRule = (rrule: string) => errorCode({ ...base, rrule });

  it('accepts the supported parts and normalises the rule', () => {
    const r = validateSeries({
      ...base,
      timeZone: 'europe/london',
      rrule: 'rrule:freq=monthly;interval=1;byday=2tu',
    });
    expect(r.ok && r.value.rrule).toBe('FREQ=MONTHLY;BYDAY=2TU');
    expect(r.ok && r.value.timeZone).toBe('Europe/London');
    for (const rule of [
      'FREQ=DAILY',
      'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=10',
      'FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270101T000000Z',
      'FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270101',
      'FREQ=WEEKLY;UNTIL=20260303',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2',
      'FREQ=YEARLY',
    ]) {
      expect(withRule(rule), rule).toBeNull();
    }
  });

  it('refuses rules outside what Tend supports, with stable codes', () => {
    const cases: [string, string][] = [
      ['FREQ=SECONDLY', 'unsupported_frequency'],
      ['FREQ=MINUTELY;COUNT=5', 'unsupported_frequency'],
      ['FREQ=HOURLY', 'unsupported_frequency'],
      ['FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9,10', 'unsupported_rule_part'],
      ['FREQ=DAILY;BYMINUTE=0', 'unsupported_rule_part'],
      ['FREQ=YEARLY;BYMONTH=3', 'unsupported_rule_part'],
      ['FREQ=WEEKLY;WKST=SU', 'unsupported_rule_part'],
      ['FREQ=YEARLY;BYWEEKNO=20', 'unsupported_rule_part'],
      ['FREQ=MONTHLY;RSCALE=HEBREW', 'unsupported_rule_part'],
      ['FREQ=FORTNIGHTLY', 'invalid_rrule'],
      ['BYDAY=MO', 'invalid_rrule'],
      ['garbage', 'invalid_rrule'],
      ['FREQ=WEEKLY;;', 'invalid_rrule'],
      ['FREQ=WEEKLY;FREQ=DAILY', 'invalid_rrule'],
      ['', 'invalid_rrule'],
      ['FREQ=WEEKLY;INTERVAL=0', 'invalid_rule_value'],
      ['FREQ=WEEKLY;INTERVAL=100', 'invalid_rule_value'],
      ['FREQ=WEEKLY;INTERVAL=two', 'invalid_rule_value'],
      ['FREQ=WEEKLY;BYDAY=2TU', 'invalid_rule_value'],
      ['FREQ=WEEKLY;BYDAY=XX', 'invalid_rule_value'],
      ['FREQ=MONTHLY;BYDAY=6TU', 'invalid_rule_value'],
      ['FREQ=MONTHLY;BYDAY=0TU', 'invalid_rule_value'],
      ['FREQ=MONTHLY;BYMONTHDAY=32', 'invalid_rule_value'],
      ['FREQ=WEEKLY;BYMONTHDAY=1', 'invalid_rule_value'],
      ['FREQ=MONTHLY;BYSETPOS=1', 'invalid_rule_value'],
      ['FREQ=WEEKLY;COUNT=0', 'invalid_rule_value'],
      ['FREQ=WEEKLY;COUNT=1001', 'invalid_rule_value'],
      ['FREQ=WEEKLY;UNTIL=20270230', 'invalid_rule_value'],
      ['FREQ=WEEKLY;UNTIL=2027-01-01', 'invalid_rule_value'],
      ['FREQ=WEEKLY;UNTIL=20260302', 'until_before_start'],
      ['FREQ=WEEKLY;UNTIL=20270230T000000Z', 'invalid_rule_value'],
      ['FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z', 'count_and_until'],
      ['FREQ=WEEKLY;UNTIL=20260101T000000Z', 'until_before_start'],
      ['FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=2TU', 'never_occurs'],
      ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20260304T000000Z', 'never_occurs'],
    ];
    for (const [rule, code] of cases) expect(withRule(rule), rule).toBe(code);
    expect(parseRule('FREQ=WEEKLY;BYHOUR=9').ok).toBe(false);
  });

  it('refuses bad starts, zones, lengths and ids', () => {
    expect(errorCode({ ...base, start: '2026-02-30T19:00' })).toBe('invalid_start');
    expect(errorCode({ ...base, start: '2026-03-03T24:00' })).toBe('invalid_start');
    expect(errorCode({ ...base, start: '2026-03-03 19:00' })).toBe('invalid_start');
    expect(errorCode({ ...base, timeZone: 'Mars/Olympus_Mons' })).toBe('invalid_time_zone');
    expect(errorCode({ ...base, timeZone: '+01:00' })).toBe('invalid_time_zone');
    expect(errorCode({ ...base, timeZone: '' })).toBe('invalid_time_zone');
    expect(errorCode({ ...base, timeZone: 'Europe/London]\nX' })).toBe('invalid_time_zone');
    expect(errorCode({ ...base, durationMinutes: 0 })).toBe('invalid_duration');
    expect(errorCode({ ...base, durationMinutes: 1.5 })).toBe('invalid_duration');
    expect(errorCode({ ...base, durationMinutes: 24 * 60 + 1 })).toBe('invalid_duration');
    expect(errorCode({ ...base, id: 'has.dot' })).toBe('invalid_series_id');
    expect(normaliseTimeZone('UTC')).toBe('UTC');
    expect(normaliseTimeZone('America/Los_Angeles')).toBe('America/Los_Angeles');
  });

  it('a start that does not match the rule is not itself a meeting', () => {
    // 1 March 2026 is a Sunday; the first Tuesday after it is 3 March.
    const os = expand(
      { ...base, start: '2026-03-01T19:00', rrule: 'FREQ=WEEKLY;BYDAY=TU,TH' },
      '2026-03-01T00:00:00Z',
      '2026-03-06T00:00:00Z',
    );
    expect(locals(os)).toEqual(['2026-03-03T19:00', '2026-03-05T19:00']);
  });
});

describe('property: local time is kept in any zone, all year', () => {
  // Zones with an hour's change either side of the equator, a half-hour change (Lord Howe), a
  // 45-minute offset (Chatham), and none (Kolkata).
  const zones = [
    'Europe/London',
    'America/New_York',
    'Australia/Sydney',
    'Pacific/Auckland',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kolkata',
  ];
  const offsetMinutes = (ms: number, timeZone: string): number => {
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
        .formatToParts(new Date(ms))
        .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
  const localDate = (ms: number, timeZone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(ms));

  it('every weekly meeting is at its local time, or just after a gap on a change day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 12 }),
        (timeZone, hour, minute, day, month) => {
          const hhmm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const start = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${hhmm}`;
          const r = expandSeries(
            { id: 'p', start, timeZone, durationMinutes: 60, rrule: 'FREQ=WEEKLY' },
            { from: '2026-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' },
          );
          if (!r.ok) throw new Error(r.error.code);
          const os = r.value.occurrences;
          let previous = -Infinity;
          for (const o of os) {
            const ms = Date.parse(o.start);
            expect(ms).toBeGreaterThan(previous);
            previous = ms;
            expect(o.originalLocalStart.slice(11)).toBe(hhmm);
            expect(localDate(ms, timeZone)).toBe(o.originalLocalStart.slice(0, 10));
            const wall = wallTime(o.start, timeZone);
            if (wall !== hhmm) {
              // Only in a gap: the clocks jumped forward that day, and by no more than the jump.
              const jump =
                offsetMinutes(ms + 86_400_000, timeZone) - offsetMinutes(ms - 86_400_000, timeZone);
              expect(jump, `${timeZone} ${o.originalLocalStart}`).toBeGreaterThan(0);
              const [wh, wm] = wall.split(':').map(Number) as [number, number];
              const late = wh * 60 + wm - (hour * 60 + minute);
              expect(late).toBeGreaterThan(0);
              expect(late).toBeLessThanOrEqual(jump);
            }
          }
          // Every week, none missing (a gap does not drop a meeting), up to the window's end.
          const days = os.map((o) => Date.parse(`${o.originalLocalStart.slice(0, 10)}T00:00:00Z`));
          days.slice(1).forEach((d, i) => expect(d - days[i]!).toBe(7 * 86_400_000));
          expect(Date.parse(os.at(-1)!.start)).toBeGreaterThan(Date.parse('2027-12-24T00:00:00Z'));
        },
      ),
      { numRuns: 60 },
    );
  });
});
