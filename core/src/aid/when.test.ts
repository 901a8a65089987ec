import { describe, expect, it } from 'vitest';
import { intervalsOf, occurrencesOf, spanOf, whenEndsAt } from './when.js';

const H = 3_600_000;
const DAY = 24 * H;
const now = Date.parse('2026-11-25T12:00:00Z');
const ctx = { postId: 'p1', postedAt: now, expiresAt: now + 30 * DAY, now };
const thursdays = {
  kind: 'recurring' as const,
  start: '2026-11-26T10:00',
  timeZone: 'Europe/London',
  durationMinutes: 90,
  rrule: 'FREQ=WEEKLY;BYDAY=TH',
};

describe('aid when → intervals', () => {
  it('covers by, window and ongoing as one interval each', () => {
    expect(intervalsOf({ kind: 'by', until: '2026-11-28T17:00:00Z' }, ctx)).toEqual({
      ok: true,
      value: [{ start: now, end: Date.parse('2026-11-28T17:00:00Z') }],
    });
    expect(
      intervalsOf(
        { kind: 'window', from: '2026-12-01T09:00:00Z', until: '2026-12-01T11:00:00Z' },
        ctx,
      ),
    ).toEqual({
      ok: true,
      value: [
        { start: Date.parse('2026-12-01T09:00:00Z'), end: Date.parse('2026-12-01T11:00:00Z') },
      ],
    });
    expect(intervalsOf({ kind: 'ongoing' }, ctx)).toEqual({
      ok: true,
      value: [{ start: now, end: now + 30 * DAY }],
    });
    // A `by` already over covers nothing.
    expect(intervalsOf({ kind: 'by', until: '2026-11-01T00:00:00Z' }, ctx)).toEqual({
      ok: true,
      value: [],
    });
  });

  it('expands recurring help into its occurrences until expiry, each with its own id', () => {
    const r = occurrencesOf(thursdays, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Thursdays 26 Nov … 24 Dec (expiry 25 Dec 12:00): five, at 10:00 London (UTC in winter).
    expect(r.value.map((o) => o.occurrenceId)).toEqual([
      'p1.20261126T100000Z',
      'p1.20261203T100000Z',
      'p1.20261210T100000Z',
      'p1.20261217T100000Z',
      'p1.20261224T100000Z',
    ]);
    expect(r.value[0]!.end - r.value[0]!.start).toBe(90 * 60_000);
    const longLived = occurrencesOf(thursdays, { ...ctx, expiresAt: now + 365 * DAY });
    // The horizon: 90 days ahead, not the whole year.
    expect(longLived.ok && longLived.value.length).toBe(13);
    expect(spanOf(r.value)).toEqual({ start: r.value[0]!.start, end: r.value[4]!.end });
  });

  it('keeps local time across a change of clocks', () => {
    const spring = { ...thursdays, start: '2027-03-18T10:00', rrule: 'FREQ=WEEKLY;COUNT=3' };
    const at = Date.parse('2027-03-17T00:00:00Z');
    const r = occurrencesOf(spring, {
      postId: 'p2',
      postedAt: at,
      expiresAt: at + 30 * DAY,
      now: at,
    });
    expect(r.ok && r.value.map((o) => new Date(o.start).toISOString())).toEqual([
      '2027-03-18T10:00:00.000Z',
      '2027-03-25T10:00:00.000Z',
      '2027-04-01T09:00:00.000Z',
    ]);
  });

  it('refuses a bad rule or zone with recurrence.ts’s own codes', () => {
    const bad = intervalsOf({ ...thursdays, rrule: 'FREQ=SECONDLY' }, ctx);
    expect(bad.ok ? null : bad.error.code).toBe('unsupported_frequency');
    const zone = intervalsOf({ ...thursdays, timeZone: 'Mars/Olympus' }, ctx);
    expect(zone.ok ? null : zone.error.code).toBe('invalid_time_zone');
  });

  it('says when a by or a window ends, and nothing for the others', () => {
    expect(whenEndsAt({ kind: 'by', until: '2026-11-28T17:00:00Z' })).toBe(
      Date.parse('2026-11-28T17:00:00Z'),
    );
    expect(whenEndsAt({ kind: 'ongoing' })).toBeNull();
    expect(whenEndsAt(thursdays)).toBeNull();
    expect(spanOf([])).toBeNull();
  });
});
