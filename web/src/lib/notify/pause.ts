/**
 * "Pause — I need a break": for a day, for a week, or until the person turns notifications back
 * on (a date so far ahead that it never comes). Pure, so it is tested without a browser.
 */
export type PauseLength = 'day' | 'week' | 'untilResumed';

/** The pause that has no end: the server compares dates, so this is simply far away. */
export const UNTIL_RESUMED = '9999-12-31T00:00:00.000Z';

export function pauseUntil(length: PauseLength, now: number): string {
  if (length === 'untilResumed') return UNTIL_RESUMED;
  const days = length === 'day' ? 1 : 7;
  return new Date(now + days * 864e5).toISOString();
}

/** Paused now? (a pause in the past is over). */
export function isPaused(pausedUntil: string | null, now: number): boolean {
  return pausedUntil !== null && Date.parse(pausedUntil) > now;
}

/** A pause with no end date the person chose. */
export function isOpenEnded(pausedUntil: string | null): boolean {
  return pausedUntil !== null && Date.parse(pausedUntil) >= Date.parse('9000-01-01T00:00:00Z');
}

/** Time zones to choose from: the browser's list, with `current` and UTC always in it. */
export function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return [...new Set([...zones, current, 'UTC'])].sort((a, b) => a.localeCompare(b));
}

/** The browser's own time zone (UTC when it does not say). */
export function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
