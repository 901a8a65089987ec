import { z } from 'zod';
import { idSchema } from '../crypto/schemas.js';

/**
 * The HTTP contract of group meetings (docs/GROUPS.md, "Meetings"): facilitators schedule a
 * series (one meeting or a recurring one: a local start in an IANA zone, an RRULE, exceptions and
 * moved occurrences, as core/src/groups/recurrence.ts reads them), members list what is coming up
 * and RSVP, and anyone can keep a private, revocable calendar feed of their groups' meetings.
 *
 * This module imports nothing heavy (no Temporal): the server checks rules and zones with
 * recurrence.ts, and refuses a bad one with that module's own code as a 400 (`invalid_rrule`,
 * `unsupported_frequency`, `unsupported_rule_part`, `invalid_rule_value`, `count_and_until`,
 * `until_before_start`, `never_occurs`, `invalid_start`, `invalid_time_zone`, `invalid_duration`,
 * `invalid_window`, `window_too_long`, …). Other codes: `agreement_needed` (409: accept the
 * group's current agreement first), `meeting_cancelled` (409: the series was cancelled), plus the
 * shared `invalid_input`, `not_found`, `forbidden`, `unauthenticated`, `rate_limited`.
 *
 * Times are UTC instants plus the series' zone; the web app words them with
 * core/src/groups/when.ts in the viewer's own zone.
 */

export const MEETING_FORMATS = ['in-person', 'online'] as const;
export type MeetingFormat = (typeof MEETING_FORMATS)[number];
export const RSVP_ANSWERS = ['yes', 'no', 'maybe'] as const;
export type RsvpAnswer = (typeof RSVP_ANSWERS)[number];

/** The same bounds as recurrence.ts MEETING_LIMITS, plus the words around a meeting. */
export const MEETING_API_LIMITS = {
  title: 120,
  description: 5_000,
  place: 300,
  link: 2_048,
  note: 500,
  rrule: 500,
  maxDurationMinutes: 24 * 60,
  /** A reminder at most a week before. */
  maxReminderMinutes: 7 * 24 * 60,
  /** Longest listing window, in days. */
  maxWindowDays: 366,
  /** Listing window when none is given, in days. */
  defaultWindowDays: 60,
  /** Feeds one person may hold at once (revoked ones do not count). */
  feedsPerAccount: 20,
} as const;

/** `YYYY-MM-DDTHH:MM`, a local date-time (recurrence.ts checks it is a real one). */
export const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local date-time YYYY-MM-DDTHH:MM');

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      message: 'must not contain control characters',
    });

/** An online meeting's link: https only (or http for a local test instance is not allowed). */
export const meetingLinkSchema = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain })
  .max(MEETING_API_LIMITS.link);

const durationSchema = z.int().min(1).max(MEETING_API_LIMITS.maxDurationMinutes);

const seriesFields = {
  title: text(MEETING_API_LIMITS.title),
  description: z.string().trim().max(MEETING_API_LIMITS.description),
  format: z.enum(MEETING_FORMATS),
  /** In person: where (required). */
  place: text(MEETING_API_LIMITS.place).nullable(),
  /** Online: the link (required), shown only to members who said yes. */
  onlineLink: meetingLinkSchema.nullable(),
  start: localDateTimeSchema,
  timeZone: z.string().min(1).max(64),
  durationMinutes: durationSchema,
  /** An RRULE value (`FREQ=WEEKLY;BYDAY=TH`), or null for a single meeting. */
  rrule: z.string().min(1).max(MEETING_API_LIMITS.rrule).nullable(),
};

const placeForFormat = (m: {
  format: MeetingFormat;
  place: string | null;
  onlineLink: string | null;
}) => (m.format === 'in-person' ? m.place !== null : m.onlineLink !== null);

export const createMeetingSchema = z
  .strictObject({ id: idSchema, ...seriesFields })
  .refine(placeForFormat, {
    message: 'an in-person meeting needs a place, an online meeting a link',
    path: ['format'],
  });
export type CreateMeetingInput = z.infer<typeof createMeetingSchema>;

/** Any of the series' fields; format, place and link are checked together after the change. */
export const updateMeetingSchema = z
  .strictObject(seriesFields)
  .partial()
  .refine((m) => Object.keys(m).length > 0, { message: 'change at least one thing' });
export type UpdateMeetingInput = z.infer<typeof updateMeetingSchema>;

/** One occurrence: cancel it, or move it (start, length, place), with an optional note. */
export const changeOccurrenceSchema = z
  .strictObject({
    cancelled: z.boolean().optional(),
    start: localDateTimeSchema.optional(),
    durationMinutes: durationSchema.optional(),
    place: text(MEETING_API_LIMITS.place).optional(),
    note: text(MEETING_API_LIMITS.note).optional(),
  })
  .refine((c) => Object.keys(c).length > 0, { message: 'change at least one thing' });
export type ChangeOccurrenceInput = z.infer<typeof changeOccurrenceSchema>;

export const meetingParamsSchema = z.strictObject({ groupId: idSchema, meetingId: idSchema });
/** `<series id>.<original start, YYYYMMDDTHHMMSSZ>`. */
export const occurrenceIdSchema = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9_-]{1,64}\.\d{8}T\d{6}Z$/, 'must be an occurrence id');
export const occurrenceParamsSchema = meetingParamsSchema.extend({
  occurrenceId: occurrenceIdSchema,
});

export const windowQuerySchema = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
export type WindowQuery = z.infer<typeof windowQuerySchema>;

export const rsvpSchema = z.strictObject({
  /** One occurrence, or null for every meeting of the series. */
  occurrenceId: occurrenceIdSchema.nullable(),
  answer: z.enum(RSVP_ANSWERS),
  /** Remind me this many minutes before (only with yes), or null. */
  reminderMinutes: z.int().min(0).max(MEETING_API_LIMITS.maxReminderMinutes).nullable(),
});
export type RsvpInput = z.infer<typeof rsvpSchema>;

export const myRsvpSchema = z.object({
  answer: z.enum(RSVP_ANSWERS),
  reminderMinutes: z.int().nullable(),
  /** The answer was given for the whole series, not this occurrence alone. */
  seriesWide: z.boolean(),
});

/** A series as its facilitators see and edit it. */
export const meetingSeriesSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  title: z.string(),
  description: z.string(),
  format: z.enum(MEETING_FORMATS),
  place: z.string().nullable(),
  onlineLink: z.string().nullable(),
  start: z.string(),
  timeZone: z.string(),
  durationMinutes: z.int(),
  rrule: z.string().nullable(),
  cancelled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MeetingSeriesWire = z.infer<typeof meetingSeriesSchema>;

/**
 * One meeting as a person sees it. Visitors to a public or by-request group see the title, the
 * format and the times only (`visitor: true`, no description, place, note or link). `onlineLink`
 * is set only when the viewer's RSVP for this occurrence (or the series) is yes.
 */
export const occurrenceSchema = z.object({
  occurrenceId: z.string(),
  meetingId: z.string(),
  groupId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  format: z.enum(MEETING_FORMATS),
  place: z.string().nullable(),
  onlineLink: z.string().nullable(),
  /** UTC instants (after any move). */
  start: z.string(),
  end: z.string(),
  /** The series' zone and the local start there. */
  timeZone: z.string(),
  localStart: z.string(),
  durationMinutes: z.int(),
  cancelled: z.boolean(),
  moved: z.boolean(),
  note: z.string().nullable(),
  visitor: z.boolean(),
  myRsvp: myRsvpSchema.nullable(),
});
export type OccurrenceWire = z.infer<typeof occurrenceSchema>;

export const occurrencesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  occurrences: z.array(occurrenceSchema),
  /** More occurrences were in the window than one answer holds. */
  truncated: z.boolean(),
});
export type OccurrencesResponse = z.infer<typeof occurrencesResponseSchema>;

export const createFeedSchema = z.strictObject({
  /** One group, or null for all my groups. */
  groupId: idSchema.nullable(),
});
export const feedParamsSchema = z.strictObject({ feedId: idSchema });
/** `<token>.ics` (43 base64url characters, 32 random bytes); anything else is a 404, as an
 * unknown or revoked token is. */
export const feedFileParamsSchema = z.strictObject({ file: z.string().min(1).max(100) });

export const feedSchema = z.object({
  id: z.string(),
  groupId: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
/** A new feed: its URL (with the token) is shown once and never again. */
export const createdFeedSchema = feedSchema.extend({ url: z.string() });
export const feedsResponseSchema = z.object({ feeds: z.array(feedSchema) });
