import { describe, expect, it } from 'vitest';
import { isOpenEnded, isPaused, pauseUntil, timeZones, UNTIL_RESUMED } from './pause';

const now = Date.parse('2026-07-01T12:00:00Z');

describe('pause', () => {
  it('for a day, for a week, or until turned back on', () => {
    expect(pauseUntil('day', now)).toBe('2026-07-02T12:00:00.000Z');
    expect(pauseUntil('week', now)).toBe('2026-07-08T12:00:00.000Z');
    expect(pauseUntil('untilResumed', now)).toBe(UNTIL_RESUMED);
  });

  it('is over once its time has passed', () => {
    expect(isPaused(null, now)).toBe(false);
    expect(isPaused('2026-07-01T11:59:59.000Z', now)).toBe(false);
    expect(isPaused('2026-07-01T12:00:01.000Z', now)).toBe(true);
    expect(isPaused(UNTIL_RESUMED, now)).toBe(true);
  });

  it('tells an open-ended pause from a dated one', () => {
    expect(isOpenEnded(UNTIL_RESUMED)).toBe(true);
    expect(isOpenEnded(pauseUntil('week', now))).toBe(false);
    expect(isOpenEnded(null)).toBe(false);
  });

  it('offers every zone, with the current one and UTC, sorted', () => {
    const zones = timeZones('Europe/Paris');
    expect(zones).toContain('Europe/Paris');
    expect(zones).toContain('UTC');
    expect(zones).toEqual([...zones].sort((a, b) => a.localeCompare(b)));
    expect(new Set(zones).size).toBe(zones.length);
  });
});
