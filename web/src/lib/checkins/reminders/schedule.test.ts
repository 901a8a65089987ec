import { describe, expect, it } from 'vitest';
import {
  cleanTimes,
  defaultSettings,
  dueBetween,
  nextReminder,
  pausedUntil,
  readSettings,
  resume,
  snoozeAnHour,
  snoozeUntilTomorrow,
  writeSettings,
  zonedDate,
  zonedInstant,
  type ReminderSettings,
} from './schedule';

const BERLIN = 'Europe/Berlin';
const NY = 'America/New_York';
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const at = (s: string) => Date.parse(s);
const on = (patch: Partial<ReminderSettings> = {}): ReminderSettings => ({
  ...defaultSettings('A moment to check in, if you like'),
  enabled: true,
  ...patch,
});

describe('zonedInstant', () => {
  it('turns a local date and time into the instant, summer and winter', () => {
    expect(iso(zonedInstant('2026-01-15', '08:00', BERLIN))).toBe('2026-01-15T07:00:00.000Z');
    expect(iso(zonedInstant('2026-07-15', '08:00', BERLIN))).toBe('2026-07-15T06:00:00.000Z');
    expect(iso(zonedInstant('2026-07-15', '08:00', NY))).toBe('2026-07-15T12:00:00.000Z');
    expect(iso(zonedInstant('2026-07-15', '23:59', 'UTC'))).toBe('2026-07-15T23:59:00.000Z');
  });

  it('moves a time the spring change skips forward by the gap', () => {
    // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(iso(zonedInstant('2026-03-29', '02:30', BERLIN))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedInstant('2026-03-29', '03:30', BERLIN))).toBe('2026-03-29T01:30:00.000Z');
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
    expect(iso(zonedInstant('2026-03-08', '02:15', NY))).toBe('2026-03-08T07:15:00.000Z');
  });

  it('takes the first of a time the autumn change repeats', () => {
    // Berlin, 25 October 2026: 02:30 happens in CEST (00:30Z) and again in CET (01:30Z).
    expect(iso(zonedInstant('2026-10-25', '02:30', BERLIN))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedInstant('2026-11-01', '01:30', NY))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('knows the local date', () => {
    expect(zonedDate(at('2026-07-15T23:30:00Z'), BERLIN)).toBe('2026-07-16');
    expect(zonedDate(at('2026-07-15T23:30:00Z'), NY)).toBe('2026-07-15');
  });
});

describe('nextReminder', () => {
  it('is the next chosen time today, else tomorrow', () => {
    const s = on({ times: ['09:00', '20:00'] });
    expect(iso(nextReminder(s, at('2026-07-15T05:00:00Z'), BERLIN))).toBe(
      '2026-07-15T07:00:00.000Z',
    );
    expect(iso(nextReminder(s, at('2026-07-15T07:00:00Z'), BERLIN))).toBe(
      '2026-07-15T18:00:00.000Z',
    );
    expect(iso(nextReminder(s, at('2026-07-15T19:00:00Z'), BERLIN))).toBe(
      '2026-07-16T07:00:00.000Z',
    );
  });

  it('keeps the local time across a daylight-saving change', () => {
    const s = on({ times: ['08:00'] });
    // Saturday 28 March (CET) then Sunday 29 March (CEST) at 08:00 local.
    const sat = nextReminder(s, at('2026-03-28T00:00:00Z'), BERLIN);
    expect(iso(sat)).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(nextReminder(s, sat!, BERLIN))).toBe('2026-03-29T06:00:00.000Z');
    const fallSat = nextReminder(s, at('2026-10-24T00:00:00Z'), BERLIN);
    expect(iso(fallSat)).toBe('2026-10-24T06:00:00.000Z');
    expect(iso(nextReminder(s, fallSat!, BERLIN))).toBe('2026-10-25T07:00:00.000Z');
  });

  it('reminds at a skipped time once, after the gap', () => {
    const s = on({ times: ['02:30'] });
    expect(iso(nextReminder(s, at('2026-03-28T12:00:00Z'), BERLIN))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('only on the chosen weekdays', () => {
    // 15 July 2026 is a Wednesday; Saturdays and Sundays only.
    const s = on({ times: ['10:00'], days: [0, 6] });
    expect(iso(nextReminder(s, at('2026-07-15T12:00:00Z'), 'UTC'))).toBe(
      '2026-07-18T10:00:00.000Z',
    );
    expect(iso(nextReminder(s, at('2026-07-18T10:00:00Z'), 'UTC'))).toBe(
      '2026-07-19T10:00:00.000Z',
    );
    expect(iso(nextReminder(s, at('2026-07-19T10:00:00Z'), 'UTC'))).toBe(
      '2026-07-25T10:00:00.000Z',
    );
  });

  it('never when off, or with no times or no days', () => {
    const now = at('2026-07-15T12:00:00Z');
    expect(nextReminder({ ...on(), enabled: false }, now, BERLIN)).toBeUndefined();
    expect(nextReminder(on({ times: [] }), now, BERLIN)).toBeUndefined();
    expect(nextReminder(on({ days: [] }), now, BERLIN)).toBeUndefined();
  });

  it('pauses for an hour: one reminder then, none before', () => {
    const now = at('2026-07-15T07:50:00Z');
    const s = snoozeAnHour(on({ times: ['10:00', '20:00'] }), now); // 10:00 Berlin = 08:00Z
    expect(iso(nextReminder(s, now, BERLIN))).toBe('2026-07-15T08:50:00.000Z');
    expect(dueBetween(s, now, at('2026-07-15T08:10:00Z'), BERLIN)).toBe(false);
    expect(iso(nextReminder(s, at('2026-07-15T08:50:00Z'), BERLIN))).toBe(
      '2026-07-15T18:00:00.000Z',
    );
    expect(iso(pausedUntil(s, now))).toBe('2026-07-15T08:50:00.000Z');
    expect(pausedUntil(s, at('2026-07-15T09:00:00Z'))).toBeUndefined();
    expect(iso(nextReminder(resume(s), now, BERLIN))).toBe('2026-07-15T08:00:00.000Z');
  });

  it('pauses until tomorrow: nothing more today, tomorrow as usual', () => {
    const now = at('2026-07-15T07:50:00Z');
    const s = snoozeUntilTomorrow(on({ times: ['10:00', '20:00'] }), now, BERLIN);
    expect(s.snooze).toEqual({ until: '2026-07-15T22:00:00.000Z', remind: false });
    expect(iso(nextReminder(s, now, BERLIN))).toBe('2026-07-16T08:00:00.000Z');
  });

  it('is due exactly within the window', () => {
    const s = on({ times: ['09:00'] });
    expect(dueBetween(s, at('2026-07-15T08:59:00Z'), at('2026-07-15T09:00:00Z'), 'UTC')).toBe(true);
    expect(dueBetween(s, at('2026-07-15T09:00:00Z'), at('2026-07-15T09:01:00Z'), 'UTC')).toBe(
      false,
    );
    expect(dueBetween(s, at('2026-07-15T08:00:00Z'), at('2026-07-15T08:59:00Z'), 'UTC')).toBe(
      false,
    );
  });
});

describe('settings on this device', () => {
  const store = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      m,
    };
  };

  it('are kept per account and read back', () => {
    const s = store();
    const mine = on({ times: ['07:30'] });
    expect(writeSettings(s, 'acct-a', mine)).toBe(true);
    expect(readSettings(s, 'acct-a')).toEqual(mine);
    expect(readSettings(s, 'acct-b')).toBeUndefined();
  });

  it('ignore what does not fit, and refuse to write it', () => {
    const s = store();
    s.m.set('tend.checkins.reminders.a', '{"v":1,"enabled":true}');
    expect(readSettings(s, 'a')).toBeUndefined();
    s.m.set('tend.checkins.reminders.a', 'not json');
    expect(readSettings(s, 'a')).toBeUndefined();
    expect(writeSettings(s, 'a', on({ times: ['25:00'] }))).toBe(false);
    expect(readSettings(undefined, 'a')).toBeUndefined();
  });

  it('cleans times', () => {
    expect(cleanTimes(['20:00', '08:00', '20:00', '8:00', ''])).toEqual(['08:00', '20:00']);
  });
});
