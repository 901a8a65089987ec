/**
 * Reminders to check in, at times of day the person chooses, on the weekdays they choose (issue 5).
 * Device-level settings (localStorage, per account): they are about this device, and hold no
 * check-in content. Pure "when is the next reminder" logic in the person's time zone, through
 * `Intl` (no recurrence beyond daily times and weekdays).
 *
 * Wall-clock times that a daylight-saving change skips (02:30 on a spring-forward night) are
 * moved forward by the gap (03:30); times that happen twice (autumn) take the first.
 */
import { z } from 'zod';

export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
export const MAX_TIMES = 12;
export const MAX_WORDS = 200;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const settingsSchema = z.strictObject({
  v: z.literal(1),
  enabled: z.boolean(),
  /** Times of day, HH:MM (24 hours), in the device's time zone. */
  times: z.array(z.string().regex(HHMM)).max(MAX_TIMES),
  /** Weekdays, 0 = Sunday … 6 = Saturday. */
  days: z.array(z.int().min(0).max(6)).max(7),
  /** The reminder's words, shown on the screen (even a locked one). */
  words: z.string().max(MAX_WORDS),
  /** A pause: nothing before `until`; with `remind`, one reminder at `until` itself. */
  snooze: z.strictObject({ until: z.iso.datetime(), remind: z.boolean() }).optional(),
});

export type ReminderSettings = z.infer<typeof settingsSchema>;

export const defaultSettings = (words: string): ReminderSettings => ({
  v: 1,
  enabled: false,
  times: ['20:00'],
  days: [...WEEKDAYS],
  words,
});

const settingsKey = (accountId: string) => `tend.checkins.reminders.${accountId}`;

/** The settings stored on this device for the account; undefined when none (or unreadable). */
export function readSettings(
  storage: Pick<Storage, 'getItem'> | undefined,
  accountId: string,
): ReminderSettings | undefined {
  try {
    const raw = storage?.getItem(settingsKey(accountId));
    if (!raw) return undefined;
    const parsed = settingsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeSettings(
  storage: Pick<Storage, 'setItem'> | undefined,
  accountId: string,
  settings: ReminderSettings,
): boolean {
  try {
    if (!storage) return false;
    storage.setItem(settingsKey(accountId), JSON.stringify(settingsSchema.parse(settings)));
    return true;
  } catch {
    return false;
  }
}

export const settingsStorageKey = settingsKey;

const parts = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string): Intl.DateTimeFormat {
  let f = parts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    parts.set(timeZone, f);
  }
  return f;
}

/** The wall clock at `ms` in the zone, as if it were UTC (ms). */
function wallClock(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of format(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year!, p.month! - 1, p.day, p.hour! % 24, p.minute, p.second);
}

const offsetAt = (ms: number, timeZone: string) => {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
};

/** The local date (YYYY-MM-DD) at `ms` in the zone. */
export const zonedDate = (ms: number, timeZone: string): string =>
  new Date(wallClock(ms, timeZone)).toISOString().slice(0, 10);

/** The instant (ms) of a local date and time of day in the zone. */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, h, mi);
  // The offsets either side of any change near this wall time.
  const before = offsetAt(wall - 14 * 3_600_000, timeZone);
  const after = offsetAt(wall + 14 * 3_600_000, timeZone);
  const fits = [wall - before, wall - after].filter((t) => wallClock(t, timeZone) === wall);
  // Twice (autumn): the first; never (spring gap): moved forward by the gap.
  return fits.length > 0 ? Math.min(...fits) : wall - before;
}

const dayMs = 86_400_000;
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const shift = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);

/** The next regular reminder strictly after `after` (ms), ignoring any pause. */
function nextRegular(s: ReminderSettings, after: number, timeZone: string): number | undefined {
  if (s.times.length === 0 || s.days.length === 0) return undefined;
  const start = zonedDate(after, timeZone);
  let best: number | undefined;
  for (let n = -1; n <= 8; n++) {
    const date = shift(start, n);
    if (!s.days.includes(weekday(date))) continue;
    for (const time of s.times) {
      const at = zonedInstant(date, time, timeZone);
      if (at > after && (best === undefined || at < best)) best = at;
    }
  }
  return best;
}

/** When the next reminder is due, strictly after `after` (ms); undefined when none will be. */
export function nextReminder(
  s: ReminderSettings,
  after: number,
  timeZone: string,
): number | undefined {
  if (!s.enabled) return undefined;
  const until = s.snooze ? Date.parse(s.snooze.until) : after;
  if (until <= after) return nextRegular(s, after, timeZone);
  const regular = nextRegular(s, until, timeZone);
  if (!s.snooze?.remind) return regular;
  return regular === undefined ? until : Math.min(until, regular);
}

/** Whether a reminder falls in (from, to]. */
export const dueBetween = (s: ReminderSettings, from: number, to: number, timeZone: string) => {
  const next = nextReminder(s, from, timeZone);
  return next !== undefined && next <= to;
};

/** Pause for an hour: one reminder then, none before. */
export const snoozeAnHour = (s: ReminderSettings, now: number): ReminderSettings => ({
  ...s,
  snooze: { until: new Date(now + 3_600_000).toISOString(), remind: true },
});

/** Pause until tomorrow: nothing more today; tomorrow's times as usual. */
export const snoozeUntilTomorrow = (
  s: ReminderSettings,
  now: number,
  timeZone: string,
): ReminderSettings => ({
  ...s,
  snooze: {
    until: new Date(
      zonedInstant(shift(zonedDate(now, timeZone), 1), '00:00', timeZone),
    ).toISOString(),
    remind: false,
  },
});

/** The pause still ahead at `now`, if any. */
export const pausedUntil = (s: ReminderSettings, now: number): number | undefined => {
  const until = s.snooze ? Date.parse(s.snooze.until) : NaN;
  return until > now ? until : undefined;
};

export const resume = (s: ReminderSettings): ReminderSettings => {
  const { snooze: _snooze, ...rest } = s;
  return rest;
};

/** Sorted, unique, well-formed times. */
export const cleanTimes = (times: readonly string[]): string[] =>
  [...new Set(times.filter((t) => HHMM.test(t)))].sort();

export const isTime = (t: string) => HHMM.test(t);
