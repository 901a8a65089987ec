import { describe, expect, it } from 'vitest';
import { createFormatters, deviceTimeZone } from './format';

// 2025-12-24 18:05:00 UTC
const moment = Date.UTC(2025, 11, 24, 18, 5, 0);

describe('createFormatters', () => {
  it('formats dates for the locale', () => {
    expect(createFormatters('en-US', { timeZone: 'UTC' }).date(moment)).toBe('Dec 24, 2025');
    expect(createFormatters('en-GB', { timeZone: 'UTC' }).date(moment)).toBe('24 Dec 2025');
    expect(createFormatters('de-DE', { timeZone: 'UTC' }).date(moment, 'short')).toBe('24.12.25');
    expect(createFormatters('en-US', { timeZone: 'UTC' }).date(moment, 'full')).toBe(
      'Wednesday, December 24, 2025',
    );
  });

  it('formats times in the given time zone', () => {
    const utc = createFormatters('en-GB', { timeZone: 'UTC' });
    expect(utc.time(moment)).toBe('18:05');
    const tokyo = createFormatters('en-GB', { timeZone: 'Asia/Tokyo' });
    expect(tokyo.time(moment)).toBe('03:05');
    expect(tokyo.date(moment)).toBe('25 Dec 2025');
    const newYork = createFormatters('en-US', { timeZone: 'America/New_York' });
    expect(newYork.time(moment).replace(/\s/g, ' ')).toBe('1:05 PM');
  });

  it('formats date and time together', () => {
    expect(
      createFormatters('en-US', { timeZone: 'UTC' }).dateTime(new Date(moment)).replace(/\s/g, ' '),
    ).toBe('Dec 24, 2025, 6:05 PM');
  });

  it('formats numbers with the local grouping and decimal marks', () => {
    expect(createFormatters('en-US').number(1234567.5)).toBe('1,234,567.5');
    expect(createFormatters('de-DE').number(1234567.5)).toBe('1.234.567,5');
    expect(createFormatters('en-US').number(0.25, { style: 'percent' })).toBe('25%');
  });

  it('says how long ago or how soon, in words', () => {
    const f = createFormatters('en-US', { timeZone: 'UTC' });
    expect(f.relative(moment - 24 * 3600 * 1000, moment)).toBe('yesterday');
    expect(f.relative(moment - 3 * 24 * 3600 * 1000, moment)).toBe('3 days ago');
    expect(f.relative(moment + 2 * 3600 * 1000, moment)).toBe('in 2 hours');
    expect(f.relative(moment, moment)).toBe('now');
  });

  it('reports the locale and time zone it uses', () => {
    const f = createFormatters(['en-GB'], { timeZone: 'Europe/Lisbon' });
    expect(f.locale).toBe('en-GB');
    expect(f.timeZone).toBe('Europe/Lisbon');
    expect(createFormatters('en').timeZone).toBe(deviceTimeZone());
  });
});
