import { z } from 'zod';
import {
  envelopeSchema,
  idSchema,
  keyIdSchema,
  publicKeyBundleSchema,
  sequenceSchema,
  shareKeySchema,
} from '../crypto/schemas.js';

/**
 * The HTTP contract of a person's circle (docs/CIRCLES.md): memberships, invitations, shared
 * collections, reach-outs, the realtime stream and notification settings. The server holds only
 * what these shapes carry: who is in whose circle, share keys and envelopes it cannot open, that a
 * reach-out happened, its level, who it went to, their acknowledgements and the times. Everything a
 * person wrote (the ask, offers, notes, locations, plan sections) is a sealed envelope.
 */

// ─── People ─────────────────────────────────────────────────────────────────────────────────────

/** Another account as the circle sees it: its handle and self-signed public keys (to verify). */
export const personSchema = z.object({
  accountId: z.string(),
  handle: z.string(),
  publicKeyBundle: publicKeyBundleSchema,
});
export type PersonWire = z.infer<typeof personSchema>;

/** `GET /api/v1/circles/people?handle=` (signed in): look someone up to invite them. */
export const personQuerySchema = z.strictObject({ handle: z.string().min(1).max(64) });

// ─── Invitations ────────────────────────────────────────────────────────────────────────────────

/**
 * An invitation carries an "ask" sealed under a fresh invitation key K (envelope binding: owner =
 * inviter, collection `invitation`, item = invitation id, type `circle.ask`). By handle, K is
 * also wrapped to the invitee as a share key (share id = invitation id, key id 1). By link, K
 * travels only in the link's URL fragment; the server keeps a SHA-256 of the link token.
 */
export const createInvitationSchema = z.strictObject({
  id: idSchema,
  /** Exactly one of `inviteeId` (by handle) or `linkTokenHash` (by link). */
  inviteeId: idSchema.optional(),
  shareKey: shareKeySchema.optional(),
  /** base64url SHA-256 of the random link token (the token is in the link's path). */
  linkTokenHash: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
  ask: envelopeSchema,
  /** Hours until the invitation expires (default 14 days). */
  expiresInHours: z
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
});

export const INVITATION_STATUSES = [
  'pending',
  'accepted',
  'declined',
  'cancelled',
  'expired',
] as const;

export const invitationSchema = z.object({
  id: z.string(),
  owner: z.object({ accountId: z.string(), handle: z.string() }),
  /** Null for a link invitation nobody has answered yet. */
  invitee: z.object({ accountId: z.string(), handle: z.string() }).nullable(),
  kind: z.enum(['handle', 'link']),
  status: z.enum(INVITATION_STATUSES),
  ask: z.string(),
  /** The invitee's sealed answer (type `circle.offer`, same key), once they answered. */
  reply: z.string().nullable(),
  shareKey: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  answeredAt: z.string().nullable(),
});
export type InvitationWire = z.infer<typeof invitationSchema>;

/** `POST /api/v1/circles/invitations/:id/answer` (by handle) or `…/links/:token/answer` (by link). */
export const answerInvitationSchema = z.strictObject({
  accept: z.boolean(),
  /** What the invitee can offer, sealed under the invitation key (type `circle.offer`). */
  reply: envelopeSchema.optional(),
});

/** A link token as it appears in a link's path (random, base64url; the server keeps its SHA-256). */
export const linkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/);

/** `GET /api/v1/circles/links/:token` (anyone with the link): what the invitee is asked. */
export const linkInvitationSchema = z.object({
  id: z.string(),
  owner: personSchema,
  ask: z.string(),
  status: z.enum(INVITATION_STATUSES),
  expiresAt: z.string(),
});

// ─── Blocks ─────────────────────────────────────────────────────────────────────────────────────

/** `POST /api/v1/circles/blocks`: block an account (ends memberships both ways, drops shares). */
export const blockRequestSchema = z.strictObject({ accountId: idSchema });
export const blockSchema = z.object({
  accountId: z.string(),
  handle: z.string(),
  createdAt: z.string(),
});
export const blocksResponseSchema = z.object({ blocked: z.array(blockSchema) });

// ─── Memberships ────────────────────────────────────────────────────────────────────────────────

/** One membership: `member` is in `owner`'s circle (they support the owner). */
export const membershipSchema = z.object({
  owner: personSchema,
  member: personSchema,
  since: z.string(),
  /** The member paused notifications ("I need a break") until this time, if they did. */
  pausedUntil: z.string().nullable(),
  /** The member's quiet hours, if set, in their own time zone ("22:00"–"07:00", "Europe/Paris"). */
  quietHours: z
    .object({ start: z.string(), end: z.string(), timeZone: z.string(), now: z.boolean() })
    .nullable(),
});
export type MembershipWire = z.infer<typeof membershipSchema>;

/** `GET /api/v1/circles`: my circle (people who support me) and the circles I am in. */
export const circlesResponseSchema = z.object({
  mine: z.array(membershipSchema),
  supporting: z.array(membershipSchema),
  invitationsSent: z.array(invitationSchema),
  invitationsReceived: z.array(invitationSchema),
});

// ─── Shared collections ─────────────────────────────────────────────────────────────────────────

/**
 * The owner shares one of their own vault collections with one member of their circle by giving
 * them the collection key as a share key (PROTOCOL §5.5). Tend uses one collection per member
 * (`s-<memberId>`-style ids chosen by the client), so revoking anything from one person re-keys
 * only their collection.
 */
export const putShareSchema = z.strictObject({
  collection: idSchema,
  memberId: idSchema,
  keyId: keyIdSchema,
  shareKey: shareKeySchema,
});

export const shareSchema = z.object({
  shareId: z.string(),
  ownerId: z.string(),
  ownerHandle: z.string(),
  memberId: z.string(),
  memberHandle: z.string(),
  collection: z.string(),
  keyId: z.number(),
  shareKey: z.string(),
  createdAt: z.string(),
});
export type ShareWire = z.infer<typeof shareSchema>;

export const sharesResponseSchema = z.object({
  outgoing: z.array(shareSchema),
  incoming: z.array(shareSchema),
});

export const sharedItemsQuerySchema = z.strictObject({
  since: z.coerce.number().pipe(sequenceSchema).default(0),
});

export const sharedItemsResponseSchema = z.object({
  items: z.array(
    z.object({
      itemId: z.string(),
      revision: z.number(),
      seq: z.number(),
      envelope: z.string().nullable(),
      updatedAt: z.string(),
    }),
  ),
  cursor: z.number(),
  /** More changes wait after `cursor`: ask again with `since=cursor`. */
  more: z.boolean(),
  /** The collection's current key id: a member holding only older keys must wait for a new share. */
  currentKeyId: z.number(),
});

// ─── Link shares (people without an account) ────────────────────────────────────────────────────

/**
 * A read-only link: the owner seals a snapshot under a fresh key K that lives only in the URL
 * fragment (binding: owner, collection `link`, item = link id, type `circle.link`).
 */
export const createLinkShareSchema = z.strictObject({
  id: idSchema,
  /** base64url SHA-256 of the random token in the link's path. */
  tokenHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  envelope: envelopeSchema,
  expiresInHours: z
    .int()
    .min(1)
    .max(24 * 90),
});
export const updateLinkShareSchema = z.strictObject({
  envelope: envelopeSchema,
  revision: z.int().min(1),
});
export const linkShareSchema = z.object({
  id: z.string(),
  ownerId: z.string(),
  ownerHandle: z.string(),
  envelope: z.string(),
  revision: z.number(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** `DELETE /api/v1/shares?collection=&memberId=`: stop sharing a collection with a member. */
export const deleteShareQuerySchema = z.strictObject({ collection: idSchema, memberId: idSchema });

export const linkSharesResponseSchema = z.object({ links: z.array(linkShareSchema) });

// ─── Reach-outs ─────────────────────────────────────────────────────────────────────────────────

export const REACHOUT_LEVELS = ['check-in', 'struggling', 'help-now'] as const;
export type ReachoutLevel = (typeof REACHOUT_LEVELS)[number];
export const REACHOUT_RESPONSES = ['seen', 'calling', 'on-my-way', 'cant'] as const;
export type ReachoutResponse = (typeof REACHOUT_RESPONSES)[number];

/**
 * `POST /api/v1/reachouts`. Notes and a location, when the person adds them, are sealed into each
 * recipient's shared collection (type `reachout.note`, item id = reach-out id) before this call.
 */
export const createReachoutSchema = z.strictObject({
  id: idSchema,
  level: z.enum(REACHOUT_LEVELS),
  /** Members of the person's circle, reached at once. */
  recipients: z.array(idSchema).min(1).max(50),
  /** Reached only if nobody answered (seen, calling or on my way) within `afterMinutes`. */
  escalation: z
    .strictObject({
      afterMinutes: z
        .int()
        .min(1)
        .max(24 * 60),
      recipients: z.array(idSchema).min(1).max(50),
    })
    .optional(),
});

export const respondReachoutSchema = z.strictObject({
  response: z.enum(REACHOUT_RESPONSES),
  /** For `on-my-way`: minutes until they arrive. */
  etaMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
});

export const closeReachoutSchema = z.strictObject({ status: z.enum(['cancelled', 'resolved']) });

export const reachoutSchema = z.object({
  id: z.string(),
  owner: z.object({ accountId: z.string(), handle: z.string() }),
  level: z.enum(REACHOUT_LEVELS),
  status: z.enum(['open', 'cancelled', 'resolved']),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  escalation: z.object({ afterMinutes: z.number(), escalatedAt: z.string().nullable() }).nullable(),
  recipients: z.array(
    z.object({
      accountId: z.string(),
      handle: z.string(),
      /** 1: reached at once; 2: reached on escalation. */
      wave: z.number(),
      /** When they were reached (null: an escalation recipient not reached yet). */
      notifiedAt: z.string().nullable(),
      /** Whether a notification was held back (paused or in quiet hours) for this person. */
      held: z.enum(['paused', 'quiet-hours']).nullable(),
      seenAt: z.string().nullable(),
      response: z.enum(REACHOUT_RESPONSES).nullable(),
      etaMinutes: z.number().nullable(),
      respondedAt: z.string().nullable(),
    }),
  ),
});
export type ReachoutWire = z.infer<typeof reachoutSchema>;

export const reachoutsResponseSchema = z.object({
  /** Mine, newest first (open ones and the last 30 days). */
  mine: z.array(reachoutSchema),
  /** Reach-outs that reached me (open ones and the last 30 days). */
  incoming: z.array(reachoutSchema),
});

// ─── Realtime ───────────────────────────────────────────────────────────────────────────────────

/**
 * `GET /api/v1/events` (server-sent events). Each event's SSE `id` is the account's event
 * sequence; a client that reconnects with `Last-Event-ID` gets every later event once, in order.
 * Events carry ids only, never content.
 */
export const EVENT_TYPES = [
  'circle.changed',
  'invitation.changed',
  'share.changed',
  'reachout.created',
  'reachout.updated',
  // Direct conversations (docs/PROTOCOL.md §13): a new message; anything else changed.
  'conversation.message',
  'conversation.updated',
  // Groups (docs/GROUPS.md): a join request was made or decided; an invitation to me; my membership.
  'group.request.changed',
  'group.invitation.changed',
  'group.membership.changed',
  // Meetings: a meeting of one of my groups was scheduled, changed or cancelled.
  'group.meeting.changed',
  // Group conversations (ids only): a new thread, a new post, a post edited or deleted, reactions
  // changed, and to the mentioned person only, a mention.
  'group.thread.created',
  'group.post.created',
  'group.post.updated',
  'group.reaction.changed',
  'group.mention',
  // Moderation (ids only): a thread was hidden, locked or opened again; a note from a moderator,
  // to its reader only; the reports in a moderator's queue changed.
  'group.thread.updated',
  'moderation.note',
  'moderation.queue.changed',
  // Someone to talk to (ids only): an ask I made, accepted or was offered changed; kind words for me.
  'listen.ask.changed',
  'listen.feedback',
  // Mutual aid (docs/AID.md; ids only): a post changed; a response to it; an assignment to answer;
  // a new match for one of my posts; a thank-you to me.
  'aid.post.changed',
  'aid.response.changed',
  'aid.assignment.changed',
  'aid.match',
  'aid.thanks',
  // The resource directory (docs/RESOURCES.md; ids only): a suggestion arrived (to keepers) or was
  // published or declined (to its author); an out-of-date flag (to keepers).
  'resources.suggestion.changed',
  'resources.flag.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const realtimeEventSchema = z.object({
  seq: z.number(),
  type: z.enum(EVENT_TYPES),
  data: z.record(z.string(), z.string()),
  at: z.string(),
});
export type RealtimeEvent = z.infer<typeof realtimeEventSchema>;

// ─── Notification settings ──────────────────────────────────────────────────────────────────────

export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const notifySettingsSchema = z.strictObject({
  email: z.boolean(),
  push: z.boolean(),
  quietHours: z
    .strictObject({
      start: z.string().regex(HH_MM),
      end: z.string().regex(HH_MM),
      timeZone: z.string().min(1).max(64),
    })
    .nullable(),
  /** "Paused, I need a break": nothing is sent until then (null: not paused). */
  pausedUntil: z.iso.datetime().nullable(),
});
export type NotifySettingsWire = z.infer<typeof notifySettingsSchema>;

export const pushSubscriptionSchema = z.strictObject({
  endpoint: z.url().max(2048),
  keys: z.strictObject({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
    auth: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  }),
});
