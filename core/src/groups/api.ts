import { z } from 'zod';
import { handleSchema } from '../accounts/handle.js';
import { idSchema } from '../crypto/schemas.js';

/**
 * The HTTP contract of peer-support groups (docs/GROUPS.md): groups, their versioned agreements,
 * memberships and roles, join requests and invitations, browsing and search. Unlike the vault,
 * everything here is community content the server can read (so the community can moderate it);
 * the web app says so where people write it.
 *
 * Error codes (core/src/errors.ts): `slug_taken`, `pseudonym_taken`, `already_in_group`,
 * `stale_agreement` (the agreement changed since it was read: read it again and accept the new
 * version), `join_mode_mismatch` (joining a by-request group directly, or asking to join a public
 * one), `request_closed`, `last_facilitator`, `group_archived`, plus the shared `invalid_input`,
 * `not_found`, `forbidden`, `unauthenticated`, `rate_limited`, `invitation_closed`, `link_gone`.
 */

export const GROUP_FORMATS = ['online', 'in-person', 'both'] as const;
export const GROUP_VISIBILITIES = ['public', 'request', 'invite'] as const;
export const GROUP_ROLES = ['member', 'moderator', 'facilitator'] as const;
export type GroupFormat = (typeof GROUP_FORMATS)[number];
export type GroupVisibility = (typeof GROUP_VISIBILITIES)[number];
export type GroupRole = (typeof GROUP_ROLES)[number];

export const GROUP_LIMITS = {
  name: 120,
  description: 5_000,
  agreement: 20_000,
  topics: 12,
  topic: 40,
  languages: 8,
  area: 120,
  joinQuestions: 5,
  joinQuestion: 300,
  answer: 2_000,
  pseudonym: 40,
  query: 200,
  pageSize: 50,
  membersPageSize: 100,
  /** Join requests and invitations a facilitator sees at once (at most `pageSize`). */
  managePageSize: 25,
  /** Groups one account may create in any rolling 24 hours. */
  createdPerDay: 5,
} as const;

/**
 * Text a person writes: trimmed, at least one visible character, no control characters. Shared
 * with other community contracts (core/src/aid/api.ts).
 */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      message: 'must not contain control characters',
    });

const RESERVED_SLUGS: readonly string[] = ['new', 'join'];

/** A group's handle in links: 3–48 of a–z, 0–9 and dashes, starting and ending with a letter or digit. */
export const slugSchema = z
  .string()
  .max(48)
  .transform((s) => s.normalize('NFC').toLowerCase())
  .refine((s) => /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/.test(s), {
    message: 'must be 3–48 of a–z, 0–9 and dashes, starting and ending with a letter or digit',
  })
  // The web app's own pages under /groups/ (a group there would be hidden by them).
  .refine((s) => !RESERVED_SLUGS.includes(s), { message: 'is a reserved word' });

/** A topic: free words, compared in lower case ("hearing voices"). */
export const topicSchema = text(GROUP_LIMITS.topic).transform((s) =>
  s.normalize('NFC').toLowerCase().replace(/\s+/g, ' '),
);
/** A BCP 47 language tag ("en", "pt-BR"), compared in lower case. */
export const languageSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'must be a language tag such as en or pt-BR')
  .transform((s) => s.toLowerCase());

const unique = <T>(xs: readonly T[]) => new Set(xs).size === xs.length;

export const pseudonymSchema = text(GROUP_LIMITS.pseudonym);

/** What facilitators say about a group (create and edit share these fields). */
const groupFields = {
  slug: slugSchema,
  name: text(GROUP_LIMITS.name),
  description: text(GROUP_LIMITS.description),
  topics: z
    .array(topicSchema)
    .max(GROUP_LIMITS.topics)
    .refine(unique, { message: 'must not repeat a topic' }),
  languages: z
    .array(languageSchema)
    .min(1)
    .max(GROUP_LIMITS.languages)
    .refine(unique, { message: 'must not repeat a language' }),
  format: z.enum(GROUP_FORMATS),
  /** Coarse, in the facilitators' words ("Leeds", "Online, European evenings"); never an address. */
  area: text(GROUP_LIMITS.area).nullable(),
  visibility: z.enum(GROUP_VISIBILITIES),
  joinQuestions: z.array(text(GROUP_LIMITS.joinQuestion)).max(GROUP_LIMITS.joinQuestions),
};

const RESERVED_IDS: readonly string[] = ['mine', 'by-slug', 'links', 'invitations'];

/** `POST /api/v1/groups`: the creator becomes its first facilitator and accepts agreement v1. */
export const createGroupSchema = z.strictObject({
  /** Client-made and random; never one of the words the routes use after `/api/v1/groups/`. */
  id: idSchema.refine((id) => !RESERVED_IDS.includes(id), { message: 'is a reserved word' }),
  ...groupFields,
  agreement: text(GROUP_LIMITS.agreement),
  pseudonym: pseudonymSchema.optional(),
});
export type CreateGroupInput = z.infer<typeof createGroupSchema>;

/** `PATCH /api/v1/groups/:groupId` (facilitators): any of the fields, at least one. */
export const updateGroupSchema = z
  .strictObject({
    slug: groupFields.slug.optional(),
    name: groupFields.name.optional(),
    description: groupFields.description.optional(),
    topics: groupFields.topics.optional(),
    languages: groupFields.languages.optional(),
    format: groupFields.format.optional(),
    area: groupFields.area.optional(),
    visibility: groupFields.visibility.optional(),
    joinQuestions: groupFields.joinQuestions.optional(),
  })
  .refine((o) => Object.values(o).some((v) => v !== undefined), {
    message: 'change at least one field',
  });
export type UpdateGroupInput = z.infer<typeof updateGroupSchema>;

export const groupParamsSchema = z.strictObject({ groupId: idSchema });

// ─── Reading groups ─────────────────────────────────────────────────────────────────────────────

/** How far ahead a group's summary looks for its next meeting. */
export const NEXT_MEETING_DAYS = 60;

/**
 * A group's next meeting in a summary: when it starts (a UTC instant, to show in the viewer's own
 * time zone) and its series' time zone. Only the time: title, place and link are on the
 * meetings page.
 */
export const nextMeetingSchema = z.object({ start: z.string(), timeZone: z.string() });
export type NextMeetingWire = z.infer<typeof nextMeetingSchema>;

export const groupSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  topics: z.array(z.string()),
  languages: z.array(z.string()),
  format: z.enum(GROUP_FORMATS),
  area: z.string().nullable(),
  visibility: z.enum(GROUP_VISIBILITIES),
  memberCount: z.number(),
  archived: z.boolean(),
  createdAt: z.string(),
  /**
   * The next meeting that is not cancelled, within `NEXT_MEETING_DAYS`, or null. Always null for
   * someone outside an invite-only group (an invitee, a link holder). The server always sends it;
   * optional only so that older answers still read.
   */
  nextMeeting: nextMeetingSchema.nullable().optional(),
});
export type GroupSummaryWire = z.infer<typeof groupSummarySchema>;

export const agreementSchema = z.object({
  version: z.number(),
  text: z.string(),
  createdAt: z.string(),
});
export type AgreementWire = z.infer<typeof agreementSchema>;

/** My membership of a group. `needsAgreement`: the agreement changed since I accepted it. */
export const membershipSchema = z.object({
  role: z.enum(GROUP_ROLES),
  pseudonym: z.string().nullable(),
  agreementVersion: z.number(),
  needsAgreement: z.boolean(),
  joinedAt: z.string(),
});
export type GroupMembershipWire = z.infer<typeof membershipSchema>;

export const REQUEST_STATUSES = ['pending', 'approved', 'declined', 'withdrawn'] as const;

/** `GET /api/v1/groups/:groupId`: the group page, for a member or a visitor. */
export const groupPageSchema = groupSummarySchema.extend({
  agreement: agreementSchema,
  joinQuestions: z.array(z.string()),
  /** Null for a visitor. */
  membership: membershipSchema.nullable(),
  /** My latest join request, if I made one. */
  myRequest: z
    .object({ id: z.string(), status: z.enum(REQUEST_STATUSES), createdAt: z.string() })
    .nullable(),
  /** A pending invitation to me by handle, if any (how an invitee reaches an invite-only group). */
  myInvitationId: z.string().nullable(),
});
export type GroupPageWire = z.infer<typeof groupPageSchema>;

/** `GET /api/v1/groups?q=&topic=&language=&format=&area=&cursor=&limit=`: browse and search. */
export const browseQuerySchema = z.strictObject({
  q: z.string().trim().max(GROUP_LIMITS.query).optional(),
  topic: topicSchema.optional(),
  language: languageSchema.optional(),
  format: z.enum(GROUP_FORMATS).optional(),
  /** Matches the area's words (as `q` does, only over the area). */
  area: z.string().trim().max(GROUP_LIMITS.area).optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(GROUP_LIMITS.pageSize).optional(),
});
export type BrowseQuery = z.infer<typeof browseQuerySchema>;

export const browseResponseSchema = z.object({
  groups: z.array(groupSummarySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

/** `GET /api/v1/groups/mine`: my groups, my pending requests, invitations to me. */
export const myGroupsResponseSchema = z.object({
  groups: z.array(groupSummarySchema.extend({ membership: membershipSchema })),
  requests: z.array(
    z.object({ id: z.string(), group: groupSummarySchema, status: z.enum(REQUEST_STATUSES) }),
  ),
  invitations: z.array(z.object({ id: z.string(), group: groupSummarySchema })),
});

// ─── Members and roles ──────────────────────────────────────────────────────────────────────────

/**
 * One member as other members see them. With a pseudonym, members see only the pseudonym
 * (`accountId` and `handle` null); moderators and facilitators also see the account.
 */
export const memberSchema = z.object({
  accountId: z.string().nullable(),
  handle: z.string().nullable(),
  pseudonym: z.string().nullable(),
  role: z.enum(GROUP_ROLES),
  joinedAt: z.string(),
});
export const membersResponseSchema = z.object({
  members: z.array(memberSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
/** `GET /api/v1/groups/:groupId/members?cursor=&limit=`: oldest members first, 100 a page. */
export const membersQuerySchema = z.strictObject({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const memberParamsSchema = z.strictObject({ groupId: idSchema, accountId: idSchema });
/** `PUT /api/v1/groups/:groupId/members/:accountId/role` (facilitators). */
export const setRoleSchema = z.strictObject({ role: z.enum(GROUP_ROLES) });

/** `PUT /api/v1/groups/:groupId/members/me` (members): my pseudonym here, or null for my handle. */
export const updateMyMembershipSchema = z.strictObject({ pseudonym: pseudonymSchema.nullable() });

// ─── Agreements ─────────────────────────────────────────────────────────────────────────────────

/** `POST /api/v1/groups/:groupId/agreements` (facilitators): publish a new version. */
export const publishAgreementSchema = z.strictObject({ text: text(GROUP_LIMITS.agreement) });
/** `POST /api/v1/groups/:groupId/agreement/accept` (members): accept the version I read. */
export const acceptAgreementSchema = z.strictObject({ agreementVersion: z.int().min(1) });
export const agreementsResponseSchema = z.object({ agreements: z.array(agreementSchema) });

// ─── Joining ────────────────────────────────────────────────────────────────────────────────────

/** `POST /api/v1/groups/:groupId/join` (public groups): accept the agreement version I read. */
export const joinSchema = z.strictObject({
  agreementVersion: z.int().min(1),
  pseudonym: pseudonymSchema.optional(),
});

/**
 * `POST /api/v1/groups/:groupId/requests` (by-request groups): one answer per join question, in
 * order, every one answered (trimmed, not empty); a missing one is `400 invalid_input` with the
 * issue path `answers.<i>` of the question left unanswered.
 */
export const joinRequestSchema = z.strictObject({
  id: idSchema,
  agreementVersion: z.int().min(1),
  answers: z.array(text(GROUP_LIMITS.answer)).max(GROUP_LIMITS.joinQuestions),
  pseudonym: pseudonymSchema.optional(),
});

export const requestParamsSchema = z.strictObject({ groupId: idSchema, requestId: idSchema });

/** A join request as facilitators (and the requester) see it. */
export const joinRequestWireSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  account: z.object({ accountId: z.string(), handle: z.string() }),
  questions: z.array(z.string()),
  answers: z.array(z.string()),
  status: z.enum(REQUEST_STATUSES),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type JoinRequestWire = z.infer<typeof joinRequestWireSchema>;
export const joinRequestsResponseSchema = z.object({
  requests: z.array(joinRequestWireSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

/**
 * A page of a facilitator's list (`?cursor=&limit=`): `GROUP_LIMITS.managePageSize` by default,
 * at most `GROUP_LIMITS.pageSize`. The cursor is opaque; it never carries an account id.
 */
export const managePageQuerySchema = z.strictObject({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(GROUP_LIMITS.pageSize).optional(),
});
export type ManagePageQuery = z.infer<typeof managePageQuerySchema>;

/** `GET /api/v1/groups/:groupId/requests?cursor=&limit=` (facilitators): pending, oldest first. */
export const joinRequestsQuerySchema = managePageQuerySchema;

/** `POST /api/v1/groups/:groupId/requests/:requestId/decision` (facilitators). */
export const decideRequestSchema = z.strictObject({ approve: z.boolean() });

// ─── Invitations ────────────────────────────────────────────────────────────────────────────────

/**
 * `POST /api/v1/groups/:groupId/invitations` (facilitators): by handle, or a link whose random
 * token the browser made (the server keeps its SHA-256). A link may be used by several people
 * until it expires or is withdrawn.
 */
export const createGroupInvitationSchema = z
  .strictObject({
    id: idSchema,
    handle: handleSchema.optional(),
    linkTokenHash: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/)
      .optional(),
    expiresInHours: z
      .int()
      .min(1)
      .max(24 * 90)
      .optional(),
  })
  .refine((o) => (o.handle === undefined) !== (o.linkTokenHash === undefined), {
    message: 'give either handle or linkTokenHash',
  });

export const GROUP_INVITATION_STATUSES = [
  'pending',
  'accepted',
  'declined',
  'cancelled',
  'expired',
] as const;

export const groupInvitationSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  kind: z.enum(['handle', 'link']),
  invitee: z.object({ accountId: z.string(), handle: z.string() }).nullable(),
  status: z.enum(GROUP_INVITATION_STATUSES),
  uses: z.number(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type GroupInvitationWire = z.infer<typeof groupInvitationSchema>;
export const groupInvitationsResponseSchema = z.object({
  invitations: z.array(groupInvitationSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

/**
 * `GET /api/v1/groups/:groupId/invitations?status=&cursor=&limit=` (facilitators): newest first;
 * `status=pending` keeps only open ones (pending and not expired).
 */
export const groupInvitationsQuerySchema = managePageQuerySchema.extend({
  status: z.literal('pending').optional(),
});
export type GroupInvitationsQuery = z.infer<typeof groupInvitationsQuerySchema>;

export const invitationParamsSchema = z.strictObject({ invitationId: idSchema });
export const groupInvitationParamsSchema = z.strictObject({
  groupId: idSchema,
  invitationId: idSchema,
});

/** Answering an invitation: accepting needs the agreement version I read. */
export const answerGroupInvitationSchema = z.discriminatedUnion('accept', [
  z.strictObject({
    accept: z.literal(true),
    agreementVersion: z.int().min(1),
    pseudonym: pseudonymSchema.optional(),
  }),
  z.strictObject({ accept: z.literal(false) }),
]);
export type AnswerGroupInvitation = z.infer<typeof answerGroupInvitationSchema>;

/** A link token as it appears in a link's path (the server keeps only its SHA-256). */
export const groupLinkParamsSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
});

/** `GET /api/v1/groups/links/:token` (signed in): the group a link invites to. */
export const groupLinkSchema = z.object({
  invitationId: z.string(),
  group: groupSummarySchema,
  agreement: agreementSchema,
  expiresAt: z.string(),
});
