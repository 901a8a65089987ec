import { z } from 'zod';
import { CONVERSATION_ID_PATTERN, reportedMessageSchema } from '../conversations/message.js';
import { idSchema } from '../crypto/schemas.js';
import { decodeCursor, encodeCursor } from '../groups/threads-api.js';

/**
 * The HTTP contract of moderation (docs/MODERATION.md): reports, mutes, moderators' actions, the
 * notes (warnings) people receive, and the append-only audit log.
 *
 * - A report of a group post or thread is seen by that group's facilitators and moderators; a
 *   report of a direct conversation carries the messages the reporter's device revealed (each
 *   checked against its sender's published key, PROTOCOL.md §13.4) and is seen by instance admins
 *   only. No route tells anyone but the reporter who reported.
 * - Actions are taken by a group's facilitators and moderators (for their group) and by instance
 *   admins (any group). Moderators cannot act on facilitators; nobody acts on themself.
 * - Every action and every report closed by a moderator is appended to the audit log in the same
 *   transaction. The log has no route to change or remove a row.
 *
 * Error codes (core/src/errors.ts): `bad_signature` (a revealed message is not signed by its
 * sender), `cannot_act_on_self`, `cannot_act_on_facilitator`, `report_closed` (already withdrawn,
 * resolved or dismissed), `banned` (joining a group one is banned from), plus the shared
 * `invalid_input`, `not_found`, `forbidden`, `conflict`, `last_facilitator`, `unauthenticated`,
 * `rate_limited`.
 */

export const MODERATION_LIMITS = {
  /** Words a reporter, or a moderator giving a reason, may add. */
  words: 1000,
  /** The text of a note (warning) to a member. */
  note: 2000,
  /** Messages one report of a direct conversation may reveal. */
  messages: 20,
  /** Reports an account may make in any rolling hour. */
  reportsPerHour: 20,
  pageSize: 50,
  /** Characters of a reported post shown in the queue. */
  excerpt: 500,
} as const;

/** Why someone reports: a short fixed list; their own words go in `words`. */
export const REPORT_REASONS = [
  'unkind-or-harassing',
  'unsafe-for-others',
  'breaks-group-agreement',
  'spam',
  'sharing-private-information',
  'something-else',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** Text a person writes: trimmed, 1–max characters, no control characters but newlines. */
const words = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      message: 'must not contain control characters',
    });

// ─── Cursors ────────────────────────────────────────────────────────────────────────────────────

export { decodeCursor, encodeCursor };

const cursorSchema = z
  .string()
  .max(300)
  .refine((c) => decodeCursor(c) !== null, { message: 'is not a page cursor from Tend' });

export const pageQuerySchema = z.strictObject({
  after: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MODERATION_LIMITS.pageSize).default(20),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const queueQuerySchema = pageQuerySchema.extend({
  /** Only this group's reports. */
  groupId: idSchema.optional(),
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;

// ─── Requests ───────────────────────────────────────────────────────────────────────────────────

export const groupParamsSchema = z.strictObject({ groupId: idSchema });
export const reportParamsSchema = z.strictObject({ reportId: idSchema });
export const accountParamsSchema = z.strictObject({ accountId: idSchema });

const reportCommon = {
  reason: z.enum(REPORT_REASONS),
  words: words(MODERATION_LIMITS.words).optional(),
};

/** `POST /api/v1/moderation/reports`. */
export const newReportSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('post'), groupId: idSchema, postId: idSchema, ...reportCommon }),
  z.strictObject({
    kind: z.literal('thread'),
    groupId: idSchema,
    threadId: idSchema,
    ...reportCommon,
  }),
  z.strictObject({
    kind: z.literal('conversation'),
    conversationId: z.string().regex(CONVERSATION_ID_PATTERN),
    /** What the reporter's device revealed: `openMessage(...).report` for each chosen message. */
    messages: z.array(reportedMessageSchema).min(1).max(MODERATION_LIMITS.messages),
    ...reportCommon,
  }),
  /** A mutual aid post (docs/AID.md, "Moderation"): seen by that board's moderators. */
  z.strictObject({ kind: z.literal('aid-post'), postId: idSchema, ...reportCommon }),
]);
export type NewReport = z.infer<typeof newReportSchema>;

/** `POST /api/v1/moderation/reports/:reportId/close`: resolved (acted on) or dismissed. */
export const closeReportSchema = z.strictObject({
  outcome: z.enum(['resolved', 'dismissed']),
  reason: words(MODERATION_LIMITS.words).optional(),
});
export type CloseReport = z.infer<typeof closeReportSchema>;

export const MODERATION_ACTIONS = [
  'hide-post',
  'unhide-post',
  'hide-thread',
  'unhide-thread',
  'lock-thread',
  'unlock-thread',
  'warn',
  'remove',
  'ban',
  'unban',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

const actionCommon = {
  /** Why, in the moderator's words (kept in the audit log). */
  reason: words(MODERATION_LIMITS.words).optional(),
  /** A report this action answers: it is closed as resolved in the same transaction. */
  reportId: idSchema.optional(),
};

/** `POST /api/v1/groups/:groupId/moderation/actions`. */
export const actionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('hide-post'), postId: idSchema, ...actionCommon }),
  z.strictObject({ action: z.literal('unhide-post'), postId: idSchema, ...actionCommon }),
  z.strictObject({ action: z.literal('hide-thread'), threadId: idSchema, ...actionCommon }),
  z.strictObject({ action: z.literal('unhide-thread'), threadId: idSchema, ...actionCommon }),
  z.strictObject({ action: z.literal('lock-thread'), threadId: idSchema, ...actionCommon }),
  z.strictObject({ action: z.literal('unlock-thread'), threadId: idSchema, ...actionCommon }),
  z.strictObject({
    action: z.literal('warn'),
    accountId: idSchema,
    /** The note the member reads in Tend (never sent by email or push: those say fixed words). */
    note: words(MODERATION_LIMITS.note),
    ...actionCommon,
  }),
  z.strictObject({ action: z.literal('remove'), accountId: idSchema, ...actionCommon }),
  z.strictObject({ action: z.literal('ban'), accountId: idSchema, ...actionCommon }),
  z.strictObject({ action: z.literal('unban'), accountId: idSchema, ...actionCommon }),
]);
export type ActionInput = z.infer<typeof actionSchema>;

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

export const REPORT_STATUSES = ['open', 'resolved', 'dismissed', 'withdrawn'] as const;

/** My own report, as I (the reporter) see it. */
export const myReportSchema = z.object({
  id: z.string(),
  kind: z.enum(['post', 'thread', 'conversation', 'aid-post']),
  groupId: z.string().nullable(),
  threadId: z.string().nullable(),
  postId: z.string().nullable(),
  conversationId: z.string().nullable(),
  reason: z.enum(REPORT_REASONS),
  words: z.string().nullable(),
  status: z.enum(REPORT_STATUSES),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type MyReportWire = z.infer<typeof myReportSchema>;

export const myReportsResponseSchema = z.object({ reports: z.array(myReportSchema) });

/** A revealed direct message, checked against its sender's published key when reported. */
export const revealedMessageSchema = z.object({
  messageId: z.string(),
  senderId: z.string(),
  /** The sender's clock (Unix ms), as signed. */
  sentAt: z.number(),
  type: z.enum(['message', 'edit', 'delete']),
  text: z.string().nullable(),
  contentWarning: z.string().nullable(),
  /** The signed report as submitted, so anyone it is shown to can check it again. */
  report: reportedMessageSchema,
});

/**
 * A report in the moderation queue. Never says who reported. `excerpt` is the start of a reported
 * post (server-readable group content); `messages` only for direct-conversation reports, which
 * only instance admins see.
 */
export const queueItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['post', 'thread', 'conversation', 'aid-post']),
  groupId: z.string().nullable(),
  threadId: z.string().nullable(),
  postId: z.string().nullable(),
  conversationId: z.string().nullable(),
  reason: z.enum(REPORT_REASONS),
  words: z.string().nullable(),
  status: z.enum(REPORT_STATUSES),
  createdAt: z.string(),
  /** Who wrote what was reported (null if their account is gone). */
  reported: z.object({ accountId: z.string(), handle: z.string() }).nullable(),
  threadTitle: z.string().nullable(),
  excerpt: z.string().nullable(),
  contentWarning: z.string().nullable(),
  hidden: z.boolean(),
  locked: z.boolean(),
  messages: z.array(revealedMessageSchema).nullable(),
});
export type QueueItemWire = z.infer<typeof queueItemSchema>;

export const queueResponseSchema = z.object({
  reports: z.array(queueItemSchema),
  next: z.string().nullable(),
});

export const closeReportResponseSchema = z.object({
  report: queueItemSchema,
  /** The audit log row written for it. */
  auditId: z.string(),
});

export const actionResponseSchema = z.object({
  action: z.enum(MODERATION_ACTIONS),
  /** The audit log row written for it. */
  auditId: z.string(),
});

/** What a mutual aid board's moderators do (docs/AID.md "Moderation"), written to the same log. */
export const AID_AUDIT_ACTIONS = [
  'hide-aid-post',
  'unhide-aid-post',
  'withdraw-aid-post',
  'reopen-aid-post',
  'reveal-aid-author',
] as const;

export const AUDIT_ACTIONS = [
  ...MODERATION_ACTIONS,
  'resolve-report',
  'dismiss-report',
  ...AID_AUDIT_ACTIONS,
] as const;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  /** Who acted (null if their account is gone). */
  actor: z.object({ accountId: z.string(), handle: z.string() }).nullable(),
  action: z.enum(AUDIT_ACTIONS),
  /** Whom it was about (the member, or the author of the post or thread). */
  target: z.object({ accountId: z.string(), handle: z.string() }).nullable(),
  groupId: z.string().nullable(),
  threadId: z.string().nullable(),
  postId: z.string().nullable(),
  reportId: z.string().nullable(),
  /** The mutual aid post it was about (aid actions and `reveal-aid-author`). */
  aidPostId: z.string().nullable(),
  reason: z.string().nullable(),
});
export type AuditEntryWire = z.infer<typeof auditEntrySchema>;

export const auditResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  next: z.string().nullable(),
});

export const muteSchema = z.object({ accountId: z.string(), createdAt: z.string() });
export const mutesResponseSchema = z.object({ mutes: z.array(muteSchema) });

/** A note (warning) a moderator sent me. Which moderator is not said; the group is. */
export const noteSchema = z.object({
  id: z.string(),
  groupId: z.string().nullable(),
  text: z.string(),
  createdAt: z.string(),
});
export const notesResponseSchema = z.object({ notes: z.array(noteSchema) });

/** What a note's notification says: fixed words, never the note. */
export const NOTE_NOTIFICATION_WORDS = 'A moderator sent you a note — open Tend';

// ─── Mutual aid posts (docs/AID.md, "Moderation") ───────────────────────────────────────────────

/**
 * `POST /api/v1/aid/posts/:postId/moderation` (the board's moderators: instance admins; a group
 * board's keepers): hide an aid post (it leaves the board, matches and exports) or show it again.
 * One row in the audit log (with `aid_post_id`) in the same transaction.
 */
export const aidPostActionSchema = z.strictObject({
  action: z.enum(['hide-aid-post', 'unhide-aid-post']),
  reason: words(MODERATION_LIMITS.words).optional(),
});
export type AidPostAction = z.infer<typeof aidPostActionSchema>;

/**
 * `GET /api/v1/aid/posts/:postId/author?reason=…` (the board's moderators): why they look, kept in
 * the `reveal-aid-author` row of the audit log. A query, not a body, as the route is a read.
 */
export const revealAuthorQuerySchema = z.strictObject({
  reason: words(MODERATION_LIMITS.words).optional(),
});
