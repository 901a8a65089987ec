/**
 * A resource's weekly hours as a table in its own zone: one row per weekday with its openings as
 * written (local times, no zone arithmetic, so no Temporal), and the closures.
 */
import type { Hours, Weekday } from '$core/resources/hours';

const ORDER: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export interface WeekRow {
  readonly day: Weekday;
  readonly dayName: string;
  readonly openings: readonly {
    readonly id: string;
    readonly from: string;
    readonly to: string;
    readonly validFrom: string | null;
    readonly validTo: string | null;
  }[];
}

/** "HH:MM" in the locale's way ("18:00", "6:00 PM"); 24:00 as midnight at the end of the day. */
export function localTime(hhmm: string, locale: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(Date.UTC(2024, 0, 1, h % 24, m));
}

/** A weekday's name; 1 January 2024 was a Monday. */
export function dayName(day: Weekday, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, 1 + ORDER.indexOf(day)),
  );
}

/** A local date ("2026-12-25") in words, read as a calendar date (no zone). */
export function localDate(date: string, locale: string): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(y, mo - 1, d),
  );
}

export function weekRows(hours: Hours, locale: string): WeekRow[] {
  return ORDER.map((day) => ({
    day,
    dayName: dayName(day, locale),
    openings: hours.weekly
      .filter((w) => w.days.includes(day))
      .sort((a, b) => a.opensAt.localeCompare(b.opensAt))
      .map((w) => ({
        id: w.id,
        from: localTime(w.opensAt, locale),
        to: localTime(w.closesAt, locale),
        validFrom: w.validFrom,
        validTo: w.validTo,
      })),
  }));
}
