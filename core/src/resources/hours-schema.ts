/**
 * Opening hours' shapes (core/src/resources/hours.ts computes with them): weekly openings and
 * closures in an IANA zone. Kept apart from the Temporal maths so the directory's schemas can be
 * used without loading Temporal.
 */
import { z } from 'zod';
import { isLocalDate, normaliseTimeZone, WEEKDAYS } from '../groups/recurrence-rule.js';

export { WEEKDAYS };
export type Weekday = (typeof WEEKDAYS)[number];

export const HOURS_LIMITS = {
  /** Weekly openings in one resource's hours. */
  weekly: 28,
  /** Closures in one resource's hours (past ones may be pruned by keepers). */
  closures: 60,
  /** A closure spans at most this many days. */
  closureDays: 366,
  note: 500,
  closureNote: 200,
  /** How far ahead `openStateAt` looks for the next opening, in days. */
  lookAheadDays: 62,
} as const;

const DAY_MS = 86_400_000;

// ─── Schemas ────────────────────────────────────────────────────────────────────────────────────

/** A local time of day, `HH:MM`, 00:00–23:59. */
export const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day, HH:MM (00:00–23:59)');
/** A closing time: a time of day, or `24:00` (the end of the day). */
export const closingTimeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM (00:00–24:00)');
/** A local calendar date, `YYYY-MM-DD`. */
export const localDateSchema = z
  .string()
  .refine((s) => isLocalDate(s), { message: 'must be a date, YYYY-MM-DD' });
/** An IANA time zone this runtime knows, in its canonical spelling. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((s) => normaliseTimeZone(s) === s, {
    message: 'must be an IANA time zone in its canonical spelling, like Europe/London',
  });
/** Ids of resources and their parts are UUIDs (HSDS 3 requires them), in lower case. */
export const uuidSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be a UUID in lower case',
  );

export const weekdaySchema = z.enum(WEEKDAYS);

const noControl = (s: string) =>
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const shortText = (max: number) =>
  z.string().trim().min(1).max(max).refine(noControl, 'must not contain control characters');

export const weeklyOpeningSchema = z
  .strictObject({
    id: uuidSchema,
    days: z
      .array(weekdaySchema)
      .min(1)
      .max(7)
      .refine((d) => new Set(d).size === d.length, 'must not repeat a day'),
    opensAt: timeOfDaySchema,
    closesAt: closingTimeSchema,
    validFrom: localDateSchema.nullable(),
    validTo: localDateSchema.nullable(),
  })
  .refine((o) => o.opensAt !== o.closesAt, {
    message: 'opens and closes at the same time (say 00:00–24:00 for a whole day)',
    path: ['closesAt'],
  })
  .refine((o) => !(o.opensAt === '00:00' && o.closesAt === '00:00'), {
    path: ['closesAt'],
    message: 'say 00:00–24:00 for a whole day',
  })
  .refine((o) => !o.validFrom || !o.validTo || o.validFrom <= o.validTo, {
    path: ['validTo'],
    message: 'must not be before validFrom',
  });
export type WeeklyOpening = z.infer<typeof weeklyOpeningSchema>;

export const closureSchema = z
  .strictObject({
    id: uuidSchema,
    from: localDateSchema,
    to: localDateSchema,
    note: shortText(HOURS_LIMITS.closureNote).nullable(),
  })
  .refine((c) => c.from <= c.to, { path: ['to'], message: 'must not be before from' })
  .refine((c) => Date.parse(c.to) - Date.parse(c.from) < HOURS_LIMITS.closureDays * DAY_MS, {
    path: ['to'],
    message: `a closure spans at most ${HOURS_LIMITS.closureDays} days`,
  });
export type Closure = z.infer<typeof closureSchema>;

/** A resource's hours; null on a resource means "hours not known". */
export const hoursSchema = z.strictObject({
  timeZone: timeZoneSchema,
  weekly: z.array(weeklyOpeningSchema).max(HOURS_LIMITS.weekly),
  closures: z.array(closureSchema).max(HOURS_LIMITS.closures),
  /** The hours in words, as the service says them ("10 till late, not bank holidays"). */
  note: shortText(HOURS_LIMITS.note).nullable(),
});
export type Hours = z.infer<typeof hoursSchema>;
