import { describe, expect, it } from 'vitest';
import { inQuietHours } from './quiet-hours.js';

const at = (iso: string) => new Date(iso);

describe('inQuietHours', () => {
  it('a window inside one day: start counts, end does not', () => {
    expect(inQuietHours(at('2026-06-01T12:59:00Z'), '13:00', '15:00', 'UTC')).toBe(false);
    expect(inQuietHours(at('2026-06-01T13:00:00Z'), '13:00', '15:00', 'UTC')).toBe(true);
    expect(inQuietHours(at('2026-06-01T14:59:00Z'), '13:00', '15:00', 'UTC')).toBe(true);
    expect(inQuietHours(at('2026-06-01T15:00:00Z'), '13:00', '15:00', 'UTC')).toBe(false);
  });

  it('a window over midnight covers the late evening and the early morning', () => {
    const q = (iso: string) => inQuietHours(at(iso), '22:00', '07:00', 'UTC');
    expect(q('2026-06-01T21:59:00Z')).toBe(false);
    expect(q('2026-06-01T22:00:00Z')).toBe(true);
    expect(q('2026-06-01T23:59:00Z')).toBe(true);
    expect(q('2026-06-02T00:00:00Z')).toBe(true);
    expect(q('2026-06-02T06:59:00Z')).toBe(true);
    expect(q('2026-06-02T07:00:00Z')).toBe(false);
    expect(q('2026-06-02T12:00:00Z')).toBe(false);
  });

  it("reads the clock of the person's own time zone", () => {
    // 21:30 UTC is 23:30 in Paris in summer (UTC+2).
    expect(inQuietHours(at('2026-07-01T21:30:00Z'), '22:00', '07:00', 'Europe/Paris')).toBe(true);
    expect(inQuietHours(at('2026-07-01T21:30:00Z'), '22:00', '07:00', 'UTC')).toBe(false);
    // 05:30 UTC is 07:30 in Paris: already over.
    expect(inQuietHours(at('2026-07-02T05:30:00Z'), '22:00', '07:00', 'Europe/Paris')).toBe(false);
    // Half-hour zones: 17:00 UTC is 22:30 in Kolkata (UTC+5:30).
    expect(inQuietHours(at('2026-07-01T17:00:00Z'), '22:00', '07:00', 'Asia/Kolkata')).toBe(true);
  });

  it('follows daylight saving time: the same UTC moment is inside on one day and not the next', () => {
    // New York moves from EST (UTC−5) to EDT (UTC−4) on 8 March 2026.
    const q = (iso: string) => inQuietHours(at(iso), '22:00', '07:00', 'America/New_York');
    expect(q('2026-03-07T11:30:00Z')).toBe(true); // 06:30 EST
    expect(q('2026-03-08T11:30:00Z')).toBe(false); // 07:30 EDT
    // The night of the change: 01:30 EST, then 03:30 EDT (02:xx does not exist).
    expect(q('2026-03-08T06:30:00Z')).toBe(true);
    expect(q('2026-03-08T07:30:00Z')).toBe(true);
    // And back on 1 November 2026: 01:30 happens twice, both quiet.
    expect(q('2026-11-01T05:30:00Z')).toBe(true); // 01:30 EDT
    expect(q('2026-11-01T06:30:00Z')).toBe(true); // 01:30 EST
    expect(q('2026-11-01T11:30:00Z')).toBe(true); // 06:30 EST
    expect(q('2026-11-01T12:30:00Z')).toBe(false); // 07:30 EST
  });

  it('equal start and end means no quiet hours', () => {
    expect(inQuietHours(at('2026-06-01T10:00:00Z'), '10:00', '10:00', 'UTC')).toBe(false);
  });

  it('an unknown time zone counts as UTC', () => {
    expect(inQuietHours(at('2026-06-01T23:00:00Z'), '22:00', '07:00', 'Mars/Olympus')).toBe(true);
    expect(inQuietHours(at('2026-06-01T12:00:00Z'), '22:00', '07:00', 'Mars/Olympus')).toBe(false);
  });
});
