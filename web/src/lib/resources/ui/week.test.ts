import { describe, expect, it } from 'vitest';
import { sampleResource } from '$core/resources/test-support/sample';
import { dayName, localDate, localTime, weekRows } from './week';

describe('the week table', () => {
  it('lists every weekday with its openings as written', () => {
    const rows = weekRows(sampleResource().hours!, 'en-GB');
    expect(rows.map((r) => r.dayName)).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(rows[0]?.openings.map((o) => [o.from, o.to])).toEqual([['18:00', '02:00']]);
    expect(localTime('24:00', 'en-GB')).toBe('00:00');
    expect(dayName('SU', 'en-GB')).toBe('Sunday');
    expect(localDate('2026-12-25', 'en-GB')).toBe('25 Dec 2026');
  });
});
