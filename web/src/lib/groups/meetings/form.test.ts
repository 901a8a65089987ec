import { describe, expect, it } from 'vitest';
import {
  newScheduleForm,
  ordinalOf,
  preview,
  toCreateInput,
  weekdayOf,
  type ScheduleForm,
} from './form';

const base = (): ScheduleForm => ({
  ...newScheduleForm('2026-03-03', 'Europe/London'),
  title: 'Peer support evening',
  onlineLink: 'https://meet.example/tend',
});

describe('weekdayOf and ordinalOf', () => {
  it('reads the weekday and week of the month of a date', () => {
    expect(weekdayOf('2026-03-10')).toBe('TU');
    expect(weekdayOf('2026-03-15')).toBe('SU');
    expect(ordinalOf('2026-03-10')).toBe(2);
    expect(ordinalOf('2026-03-31')).toBe(4);
  });
});

describe('newScheduleForm', () => {
  it('starts a week ahead, weekly on that day, in the given zone', () => {
    const f = newScheduleForm('2026-03-03', 'Asia/Tokyo');
    expect(f.date).toBe('2026-03-10');
    expect(f.days).toEqual(['TU']);
    expect(f.timeZone).toBe('Asia/Tokyo');
  });
});

describe('preview', () => {
  it('describes the choices in plain words as they change', () => {
    const f = base();
    expect(preview(f)).toBe('Every week on Tuesday at 19:00 (Europe/London)');
    f.interval = 2;
    f.days = ['TU', 'TH'];
    f.ends = 'after';
    f.count = 6;
    expect(preview(f)).toBe(
      'Every 2 weeks on Tuesday and Thursday at 19:00 (Europe/London), 6 times',
    );
    f.repeat = 'monthlyByWeekday';
    f.interval = 1;
    f.ordinal = -1;
    f.weekday = 'FR';
    f.ends = 'never';
    expect(preview(f)).toBe('Every month on the last Friday at 19:00 (Europe/London)');
    f.repeat = 'once';
    expect(preview(f)).toBe('Once, on 10 March 2026 at 19:00 (Europe/London)');
  });
  it('is null while the choices are not a schedule yet', () => {
    const f = base();
    f.days = [];
    expect(preview(f)).toBeNull();
  });
});

describe('toCreateInput', () => {
  it('builds the API body with the RRULE, and no place for an online meeting', () => {
    const r = toCreateInput({ ...base(), place: 'ignored' }, 'meeting-1');
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'meeting-1',
        title: 'Peer support evening',
        description: '',
        format: 'online',
        place: null,
        onlineLink: 'https://meet.example/tend',
        start: '2026-03-10T19:00',
        timeZone: 'Europe/London',
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;BYDAY=TU',
      },
    });
  });
  it('ends on a date as a date UNTIL, and once as no rule', () => {
    const f = { ...base(), ends: 'on' as const, until: '2026-06-30' };
    const r = toCreateInput(f, 'm');
    expect(r.ok && r.value.rrule).toBe('FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630');
    const once = toCreateInput({ ...base(), repeat: 'once' }, 'm');
    expect(once.ok && once.value.rrule).toBeNull();
  });
  it('names the field that needs something', () => {
    expect(toCreateInput({ ...base(), title: ' ' })).toEqual({
      ok: false,
      error: { field: 'title', code: 'required' },
    });
    expect(toCreateInput({ ...base(), format: 'in-person' })).toEqual({
      ok: false,
      error: { field: 'place', code: 'required' },
    });
    expect(toCreateInput({ ...base(), days: [] })).toEqual({
      ok: false,
      error: { field: 'repeat', code: 'weekly_needs_a_day' },
    });
    expect(toCreateInput({ ...base(), ends: 'after', count: 0 })).toEqual({
      ok: false,
      error: { field: 'ends', code: 'invalid_count' },
    });
    expect(toCreateInput({ ...base(), onlineLink: 'http://meet.example/x' })).toEqual({
      ok: false,
      error: { field: 'onlineLink', code: 'invalid' },
    });
  });
});
