import { z } from 'zod';
import { conversationIdSchema } from '../conversations/api.js';
import { idSchema, publicKeyBundleSchema, shareKeySchema } from '../crypto/schemas.js';
import { text } from '../groups/api.js';
import { localDateTimeSchema } from '../groups/meetings-api.js';
import { decodeCursor, encodeCursor } from '../groups/threads-api.js';
import { err, ok, type Result } from '../result.js';
import { AID_ACTORS, AID_STATUSES } from './lifecycle.js';
import { areaIdSchema } from './area-id.js';

/**
 * The HTTP contract of the mutual aid board (docs/AID.md): communities (the whole instance, or a
 * group that turns its board on), needs and offers, categories, coarse areas, responses that open
 * an end-to-end encrypted direct conversation (context `aid`), matches, the status lifecycle
 * (core/src/aid/lifecycle.ts), coordinators and their assignments, thank-you notes, aggregate
 * figures and the open-needs list.
 *
 * Aid posts are community content the server can read (as group posts are), so the community can
 * moderate them; the web app says so where people write them. An anonymous post's author is shown
 * to nobody through any route, export, notification or search, except to the community's
 * moderators through one audited route (`GET /api/v1/aid/posts/:postId/author`). Exact addresses
 * never belong in a post: they are exchanged in the conversation only.
 *
 * Error codes (core/src/errors.ts): `aid_board_off` (this community's board is not turned on),
 * `invalid_transition` (no such status change; core/src/aid/lifecycle.ts), `own_post` (responding
 * to, or being assigned to, one's own post), `already_responded`, `response_closed`,
 * `anonymous_post` (a responder cannot open the conversation of an anonymous post: its author does),
 * `unknown_category`, `unknown_area`, `category_taken`, `open_post_limit` (the guard against one
 * person flooding a category), `when_in_past`, `when_too_far`, `thanks_given`,
 * `assignment_closed`, `agreement_needed` (a group board: accept the group's current agreement
 * first), the recurrence codes of core/src/groups/recurrence.ts for a recurring `when`, plus the
 * shared `invalid_input`, `not_found`, `forbidden`, `unauthenticated`, `rate_limited`, `conflict`.
 */

export const AID_LIMITS = {
  description: 1_000,
  contentWarning: 200,
  thanksText: 500,
  categoryLabel: 60,
  areaName: 80,
  /** Zones one import may hold. */
  areasPerImport: 2_000,
  /** Farthest reach a poster may give, in km (between zone centres). */
  maxReachKm: 100,
  /** Days ahead a `by`, a window or the first occurrence of recurring help may be. */
  maxAheadDays: 366,
  /** Longest time window, in days. */
  maxWindowDays: 92,
  /** How far in the past a window's start may be (a window already under way), in days. */
  maxPastDays: 1,
  /** Expiry a poster or a community may choose, in days. */
  minExpiryDays: 1,
  maxExpiryDays: 90,
  defaultExpiryDays: 30,
  /** Money: an amount in minor units (pence, cents) with an ISO 4217 code, 1 … 10,000,000. */
  maxAmountMinor: 10_000_000,
  /** Open or helping posts one person may have per category in one community (flood guard). */
  openPostsPerCategory: 3,
  /** New posts per account per community in any rolling 24 hours. */
  postsPerDay: 10,
  /** Responses ("I can help", "I'd like this") per account in any rolling hour. */
  responsesPerHour: 20,
  /** Assignments a coordinator may propose in any rolling hour. */
  assignmentsPerHour: 60,
  pageSize: 50,
  matchesPageSize: 50,
  /** Counts under this are suppressed in aggregate figures ("fewer than 5"). */
  minCellSize: 5,
  /** Longest period one figures request may cover, in days. */
  maxFiguresDays: 731,
  /** Recurring help is expanded this many days ahead for matching and occurrence lists. */
  horizonDays: 90,
  /** At most this many occurrences of one recurring post within the horizon. */
  maxOccurrences: 200,
  /** The post page keeps occurrences someone helped with (or that are done) this many days after. */
  pastOccurrenceDays: 30,
} as const;

const DAY_MS = 86_400_000;

// ─── Communities ────────────────────────────────────────────────────────────────────────────────

/**
 * A community's board: `instance` (everyone on this Tend) or `group.<groupId>` (a group that turned
 * its board on). A dot never appears in an id, so the two cannot be confused.
 */
export const communitySchema = z
  .string()
  .max(70)
  .regex(/^(instance|group\.[A-Za-z0-9_-]{1,64})$/, 'must be instance or group.<groupId>');
export type Community = { kind: 'instance' } | { kind: 'group'; groupId: string };

export function parseCommunity(value: string): Community | null {
  if (value === 'instance') return { kind: 'instance' };
  const m = /^group\.([A-Za-z0-9_-]{1,64})$/.exec(value);
  return m ? { kind: 'group', groupId: m[1]! } : null;
}
export function formatCommunity(c: Community): string {
  return c.kind === 'instance' ? 'instance' : `group.${c.groupId}`;
}

export const communityParamsSchema = z.strictObject({ community: communitySchema });

/** `PUT /api/v1/aid/communities/:community/settings` (instance admins / group facilitators). */
export const communitySettingsSchema = z.strictObject({
  enabled: z.boolean(),
  defaultExpiryDays: z.int().min(AID_LIMITS.minExpiryDays).max(AID_LIMITS.maxExpiryDays),
});
export type CommunitySettings = z.infer<typeof communitySettingsSchema>;

/** My roles on a board: coordinators see unmet needs and assign; moderators keep it safe. */
export const communityWireSchema = z.object({
  community: z.string(),
  /** The group's name, or null for the instance board. */
  name: z.string().nullable(),
  enabled: z.boolean(),
  defaultExpiryDays: z.int(),
  coordinator: z.boolean(),
  moderator: z.boolean(),
  /** I may change the settings and appoint coordinators (instance admin / group facilitator). */
  manager: z.boolean(),
});
export const communitiesResponseSchema = z.object({ communities: z.array(communityWireSchema) });

export const coordinatorParamsSchema = z.strictObject({
  community: communitySchema,
  accountId: idSchema,
});
export const coordinatorsResponseSchema = z.object({
  coordinators: z.array(
    z.object({ accountId: z.string(), handle: z.string(), addedAt: z.string() }),
  ),
});

// ─── Categories ─────────────────────────────────────────────────────────────────────────────────

/** Built-in categories (the web app words them through i18n); instances may add more. */
export const BUILTIN_CATEGORIES = [
  'food',
  'groceries',
  'meals',
  'rides',
  'housing',
  'money',
  'childcare',
  'pet-care',
  'errands',
  'someone-to-talk-to',
  'company-at-appointment',
  'skills-and-repair',
  'other',
] as const;
export type BuiltinCategory = (typeof BUILTIN_CATEGORIES)[number];

/** A category id: 2–40 of a–z, 0–9 and dashes, starting with a letter. */
export const categoryIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2–40 of a–z, 0–9 and dashes, starting with a letter');

export const isBuiltinCategory = (id: string): id is BuiltinCategory =>
  (BUILTIN_CATEGORIES as readonly string[]).includes(id);

/** `POST /api/v1/aid/categories` (instance admins): a category of this instance's own. */
export const createCategorySchema = z.strictObject({
  id: categoryIdSchema.refine((id) => !isBuiltinCategory(id), {
    message: 'is a built-in category',
  }),
  label: text(AID_LIMITS.categoryLabel),
});
/** `PATCH /api/v1/aid/categories/:categoryId` (instance admins): rename, retire or bring back. */
export const updateCategorySchema = z
  .strictObject({
    label: text(AID_LIMITS.categoryLabel).optional(),
    retired: z.boolean().optional(),
  })
  .refine((o) => o.label !== undefined || o.retired !== undefined, {
    message: 'change at least one field',
  });
export const categoryParamsSchema = z.strictObject({ categoryId: categoryIdSchema });

export const categoryWireSchema = z.object({
  id: z.string(),
  /** Null for a built-in (the web app has its words); the instance's words otherwise. */
  label: z.string().nullable(),
  builtin: z.boolean(),
  retired: z.boolean(),
});
export const categoriesResponseSchema = z.object({ categories: z.array(categoryWireSchema) });

// ─── Areas ──────────────────────────────────────────────────────────────────────────────────────

export { areaIdSchema };

/**
 * A zone as an operator defines it. The centre is rounded by the server to AREA_PRECISION
 * (core/src/aid/areas.ts, 0.01°); coordinates outside the globe are refused.
 */
export const areaInputSchema = z.strictObject({
  name: text(AID_LIMITS.areaName),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  parentId: areaIdSchema.nullable().default(null),
  retired: z.boolean().default(false),
});
export type AreaInput = z.infer<typeof areaInputSchema>;
/** `PUT /api/v1/aid/areas/:areaId` (instance admins): create or change one zone. */
export const areaParamsSchema = z.strictObject({ areaId: areaIdSchema });

/**
 * `POST /api/v1/aid/areas/import` (instance admins): many zones at once, all or nothing. The web
 * app reads a CSV (`id,name,lat,lon,parent`) with papaparse into this shape.
 */
export const importAreasSchema = z.strictObject({
  areas: z
    .array(areaInputSchema.extend({ id: areaIdSchema }))
    .min(1)
    .max(AID_LIMITS.areasPerImport)
    .refine((xs) => new Set(xs.map((a) => a.id)).size === xs.length, {
      message: 'must not repeat an id',
    }),
});

export const areaWireSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  /** Rounded to 0.01°: the centre of the zone, never anyone's location. */
  lat: z.number(),
  lon: z.number(),
  retired: z.boolean(),
});
export type AreaWire = z.infer<typeof areaWireSchema>;
export const areasResponseSchema = z.object({ areas: z.array(areaWireSchema) });

// ─── When ───────────────────────────────────────────────────────────────────────────────────────

/** An instant with an offset, between 2020 and 2100 (anything else is an absurd date). */
export const instantSchema = z.iso.datetime({ offset: true }).refine(
  (s) => {
    const ms = Date.parse(s);
    return ms >= Date.UTC(2020, 0, 1) && ms < Date.UTC(2100, 0, 1);
  },
  { message: 'must be between 2020 and 2100' },
);

/**
 * When help is needed or offered:
 * - `by`: any time until an instant ("groceries by Friday");
 * - `window`: between two instants (at most 92 days apart);
 * - `ongoing`: until the post expires;
 * - `recurring`: a series as meetings have (a local start in an IANA zone, a length, an RRULE;
 *   core/src/groups/recurrence.ts checks and expands it), each occurrence tracked on its own.
 */
export const whenSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('by'), until: instantSchema }),
  z
    .strictObject({ kind: z.literal('window'), from: instantSchema, until: instantSchema })
    .refine((w) => Date.parse(w.from) < Date.parse(w.until), {
      message: 'from must be before until',
      path: ['until'],
    })
    .refine((w) => Date.parse(w.until) - Date.parse(w.from) <= AID_LIMITS.maxWindowDays * DAY_MS, {
      message: `a window is at most ${AID_LIMITS.maxWindowDays} days`,
      path: ['until'],
    }),
  z.strictObject({ kind: z.literal('ongoing') }),
  z.strictObject({
    kind: z.literal('recurring'),
    start: localDateTimeSchema,
    timeZone: z.string().min(1).max(64),
    durationMinutes: z
      .int()
      .min(1)
      .max(24 * 60),
    rrule: z.string().min(1).max(500),
  }),
]);
export type When = z.infer<typeof whenSchema>;

export type WhenError = { code: 'when_in_past' | 'when_too_far'; detail: string };

/**
 * The checks of a `when` that depend on the time now (the schema checks the rest; recurrence.ts
 * checks a recurring rule and zone): nothing already over, nothing beyond a year ahead. For a
 * recurring `when` only its local start is checked here, read as UTC give or take a day.
 */
export function checkWhen(when: When, nowMs: number): Result<When, WhenError> {
  const ahead = nowMs + AID_LIMITS.maxAheadDays * DAY_MS;
  const tooFar = () =>
    err<WhenError>({
      code: 'when_too_far',
      detail: `at most ${AID_LIMITS.maxAheadDays} days ahead`,
    });
  switch (when.kind) {
    case 'ongoing':
      return ok(when);
    case 'by': {
      const until = Date.parse(when.until);
      if (until <= nowMs) return err({ code: 'when_in_past', detail: 'that time has passed' });
      return until > ahead ? tooFar() : ok(when);
    }
    case 'window': {
      const from = Date.parse(when.from);
      const until = Date.parse(when.until);
      if (until <= nowMs || from < nowMs - AID_LIMITS.maxPastDays * DAY_MS) {
        return err({ code: 'when_in_past', detail: 'that window has passed' });
      }
      return until > ahead ? tooFar() : ok(when);
    }
    case 'recurring': {
      const start = Date.parse(`${when.start}:00Z`);
      if (!Number.isFinite(start)) return err({ code: 'when_in_past', detail: 'no such start' });
      return start > ahead + DAY_MS ? tooFar() : ok(when);
    }
  }
}

// ─── Amounts ────────────────────────────────────────────────────────────────────────────────────

let currencies: ReadonlySet<string> | undefined;
/** ISO 4217 codes this runtime knows (Intl), upper case. */
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency').map((c) => c.toUpperCase()));
  return currencies.has(code);
}

/** Money needs or offers: an amount in minor units (pence, cents) and an ISO 4217 currency. */
export const amountSchema = z.strictObject({
  minor: z.int().min(1).max(AID_LIMITS.maxAmountMinor),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as GBP')
    .refine(isCurrency, { message: 'is not an ISO 4217 currency' }),
});
export type Amount = z.infer<typeof amountSchema>;

// ─── Posts ──────────────────────────────────────────────────────────────────────────────────────

export const POST_KINDS = ['need', 'offer'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export { AID_ACTORS, AID_STATUSES };

const postFields = {
  category: categoryIdSchema,
  description: text(AID_LIMITS.description),
  /** A content warning in the writer's words; null: none. */
  contentWarning: text(AID_LIMITS.contentWarning).nullable().default(null),
  /** A zone the poster picks, or null: anywhere (online, by phone). */
  areaId: areaIdSchema.nullable(),
  /** How far from the zone's centre the poster can go or be reached, in km (0: this zone only). */
  reachKm: z.int().min(0).max(AID_LIMITS.maxReachKm).default(0),
  when: whenSchema,
  /** Needs only. */
  urgent: z.boolean().default(false),
  /** Category `money` only. */
  amount: amountSchema.nullable().default(null),
  /** Days until it expires (a reminder comes first); default: the community's. */
  expiresInDays: z.int().min(AID_LIMITS.minExpiryDays).max(AID_LIMITS.maxExpiryDays).optional(),
};

/**
 * Rules across fields of a post: only a need can be urgent; an amount belongs to `money` only.
 * The schemas apply them to what is sent; the server applies them again to a post after an edit
 * is merged into it (`PATCH` does not repeat the kind or the category).
 */
export function postRuleIssues(p: {
  kind?: PostKind;
  category?: string;
  urgent?: boolean;
  amount?: Amount | null;
}): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (p.kind === 'offer' && p.urgent === true) {
    issues.push({ path: 'urgent', message: 'only a need can be urgent' });
  }
  if (p.amount && p.category !== undefined && p.category !== 'money') {
    issues.push({ path: 'amount', message: 'an amount belongs to the money category only' });
  }
  return issues;
}

const kindRules = (
  p: Parameters<typeof postRuleIssues>[0],
  ctx: { addIssue: (issue: { code: 'custom'; message: string; path: string[] }) => void },
) => {
  for (const i of postRuleIssues(p))
    ctx.addIssue({ code: 'custom', message: i.message, path: [i.path] });
};

/** `POST /api/v1/aid/communities/:community/posts`. */
export const createPostSchema = z
  .strictObject({
    id: idSchema,
    kind: z.enum(POST_KINDS),
    ...postFields,
    /** Shown as "a community member"; the community's moderators can still see who. */
    anonymous: z.boolean().default(false),
    /** My name may appear on the printed / CSV open-needs list (ignored when anonymous). */
    nameInPrint: z.boolean().default(false),
    /** Posted by a coordinator for someone who asked offline (a phone line): coordinators only. */
    onBehalf: z.boolean().default(false),
  })
  .superRefine(kindRules);
export type CreatePostInput = z.infer<typeof createPostSchema>;

/** `PATCH /api/v1/aid/posts/:postId` (the author, while open): any of the fields, at least one. */
export const updatePostSchema = z
  .strictObject({
    category: postFields.category.optional(),
    description: postFields.description.optional(),
    contentWarning: text(AID_LIMITS.contentWarning).nullable().optional(),
    areaId: postFields.areaId.optional(),
    reachKm: z.int().min(0).max(AID_LIMITS.maxReachKm).optional(),
    when: whenSchema.optional(),
    urgent: z.boolean().optional(),
    amount: amountSchema.nullable().optional(),
    nameInPrint: z.boolean().optional(),
  })
  .refine((o) => Object.values(o).some((v) => v !== undefined), {
    message: 'change at least one field',
  })
  .superRefine(kindRules);
export type UpdatePostInput = z.infer<typeof updatePostSchema>;

export const postParamsSchema = z.strictObject({ postId: idSchema });

/** `POST /api/v1/aid/posts/:postId/status`: one change of the lifecycle. */
export const changeStatusSchema = z.strictObject({
  to: z.enum(AID_STATUSES),
  /** Moving to `helping`: who helps (a need) or receives (an offer) — someone who responded. */
  partnerId: idSchema.optional(),
  /** Recurring posts: the occurrence this change is about (omit for the whole post). */
  occurrenceId: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9_-]{1,64}\.\d{8}T\d{6}Z$/, 'must be an occurrence id')
    .optional(),
  /** Coordinators moving to `done`: it was handled offline (a phone line, in person). */
  offline: z.boolean().optional(),
});
export type ChangeStatusInput = z.infer<typeof changeStatusSchema>;

/** `POST /api/v1/aid/posts/:postId/renew` (the author): still needed / still offered. */
export const renewPostSchema = z.strictObject({
  expiresInDays: z.int().min(AID_LIMITS.minExpiryDays).max(AID_LIMITS.maxExpiryDays).optional(),
});

// ─── Reading posts ──────────────────────────────────────────────────────────────────────────────

export { decodeCursor, encodeCursor };

const cursorSchema = z
  .string()
  .max(300)
  .refine((c) => decodeCursor(c) !== null, { message: 'is not a page cursor from Tend' });

export const BOARD_SORTS = ['newest', 'waiting'] as const;

/**
 * `GET /api/v1/aid/communities/:community/posts`: the board. `within` (km, between zone centres)
 * needs `area`; without it `area` means that zone only. `sort=waiting` is the longest-waiting
 * first. Query values arrive as text: numbers and booleans are coerced.
 */
export const boardQuerySchema = z
  .strictObject({
    kind: z.enum(POST_KINDS).optional(),
    category: categoryIdSchema.optional(),
    area: areaIdSchema.optional(),
    within: z.coerce.number().int().min(0).max(AID_LIMITS.maxReachKm).optional(),
    /** Only posts whose time overlaps [from, to). */
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    urgent: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    /** Default: open. */
    status: z.enum(['open', 'helping']).optional(),
    sort: z.enum(BOARD_SORTS).default('newest'),
    after: cursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(AID_LIMITS.pageSize).default(20),
  })
  .refine((q) => q.within === undefined || q.area !== undefined, {
    message: 'within needs an area',
    path: ['within'],
  })
  .refine(
    (q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to),
    {
      message: 'from must be before to',
      path: ['to'],
    },
  );
export type BoardQuery = z.infer<typeof boardQuerySchema>;

export const whenWireSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('by'), until: z.string() }),
  z.object({ kind: z.literal('window'), from: z.string(), until: z.string() }),
  z.object({ kind: z.literal('ongoing') }),
  z.object({
    kind: z.literal('recurring'),
    start: z.string(),
    timeZone: z.string(),
    durationMinutes: z.int(),
    rrule: z.string(),
  }),
]);

/**
 * A post as one person sees it. `author` is null for an anonymous post — for everyone, moderators
 * included (they use the audited author route) — and `mine` tells the author it is theirs. `area`
 * is the zone (name and rounded centre), never a location.
 */
export const postWireSchema = z.object({
  id: z.string(),
  community: z.string(),
  kind: z.enum(POST_KINDS),
  category: z.string(),
  description: z.string(),
  contentWarning: z.string().nullable(),
  area: z.object({ id: z.string(), name: z.string() }).nullable(),
  reachKm: z.int(),
  /** Between my chosen zone (the `area` filter) and this post's, in whole km; else null. */
  distanceKm: z.int().nullable(),
  when: whenWireSchema,
  urgent: z.boolean(),
  amount: z.object({ minor: z.int(), currency: z.string() }).nullable(),
  status: z.enum(AID_STATUSES),
  anonymous: z.boolean(),
  /** Posted by a coordinator for someone who asked offline. */
  onBehalf: z.boolean(),
  author: z.object({ accountId: z.string(), handle: z.string() }).nullable(),
  mine: z.boolean(),
  /** I am the one helping with this need, or receiving this offer. */
  partnerIsMe: z.boolean(),
  /** My response, if I responded. */
  myResponse: z
    .object({ id: z.string(), status: z.string(), conversationId: z.string().nullable() })
    .nullable(),
  /** Hidden by a moderator (only those who still see a hidden post get it: moderators, its
   * author and partner). */
  hidden: z.boolean(),
  createdAt: z.string(),
  expiresAt: z.string(),
  updatedAt: z.string(),
});
export type PostWire = z.infer<typeof postWireSchema>;

export const boardResponseSchema = z.object({
  posts: z.array(postWireSchema),
  /** Pass as `after` for the next page; null on the last page. */
  next: z.string().nullable(),
});

/**
 * A recurring post's occurrences within the horizon, each with its own status; before them, the
 * ones of the last `AID_LIMITS.pastOccurrenceDays` days someone is helping with or that are done
 * (`past`), so they can still be marked done and thanked for.
 */
export const occurrenceWireSchema = z.object({
  occurrenceId: z.string(),
  start: z.string(),
  end: z.string(),
  status: z.enum(AID_STATUSES),
  /** It has ended. */
  past: z.boolean(),
  partnerIsMe: z.boolean(),
  /** Who helps with (a need) or receives (an offer) this one: told to the post's author only. */
  partner: z.object({ accountId: z.string(), handle: z.string() }).nullable(),
  /** My response to this one, if I responded. */
  myResponse: z
    .object({ id: z.string(), status: z.string(), conversationId: z.string().nullable() })
    .nullable(),
  /** I sent the thank-you for this one. */
  thanksSent: z.boolean(),
});
/** `GET /api/v1/aid/posts/:postId`: the post (and, when recurring, its coming occurrences). */
export const postPageSchema = postWireSchema.extend({
  occurrences: z.array(occurrenceWireSchema),
  /** The author's public key bundle, for a responder's browser to open the conversation (named
   * posts only; null for anonymous posts, whose author opens it). */
  authorKeys: publicKeyBundleSchema.nullable(),
});

/** `GET /api/v1/aid/posts/:postId/author` (the community's moderators; audited). */
export const postAuthorSchema = z.object({ accountId: z.string(), handle: z.string() });

// ─── Matches ────────────────────────────────────────────────────────────────────────────────────

export const matchesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(AID_LIMITS.matchesPageSize).default(20),
});
/** `GET /api/v1/aid/posts/:postId/matches` (the author, coordinators): offers for a need, needs
 * for an offer — urgent first, then nearest, then the longest waiting. */
export const matchesResponseSchema = z.object({ matches: z.array(postWireSchema) });

/**
 * How often someone wants to hear of new matches for their open posts. Never more often than
 * chosen; quiet hours and pause (core/src/notify) apply on top.
 */
export const MATCH_NOTIFY_RATES = ['never', 'weekly', 'daily'] as const;
export type MatchNotifyRate = (typeof MATCH_NOTIFY_RATES)[number];
export const DEFAULT_MATCH_NOTIFY_RATE: MatchNotifyRate = 'weekly';
/** `GET` / `PUT /api/v1/aid/match-notices`. */
export const matchNoticesSchema = z.strictObject({ rate: z.enum(MATCH_NOTIFY_RATES) });

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

/** Keys of a new direct conversation (PROTOCOL §13), context `aid`, as `POST /conversations`. */
export const conversationKeysSchema = z.strictObject({
  id: conversationIdSchema,
  keyId: z.literal(1),
  myShareKey: shareKeySchema,
  theirShareKey: shareKeySchema,
});

/**
 * `POST /api/v1/aid/posts/:postId/responses`: "I can help" (a need) or "I'd like this" (an
 * offer). On a named post the responder's browser opens the conversation at once (`conversation`);
 * on an anonymous post it must be absent (`409 anonymous_post` otherwise) and the author opens it
 * when they answer. No words travel here: what people say goes into the conversation.
 */
export const respondSchema = z.strictObject({
  id: idSchema,
  occurrenceId: changeStatusSchema.shape.occurrenceId,
  conversation: conversationKeysSchema.optional(),
});
export const responseParamsSchema = z.strictObject({ responseId: idSchema });

export const RESPONSE_STATUSES = ['waiting', 'talking', 'declined', 'withdrawn'] as const;
export const responseWireSchema = z.object({
  id: z.string(),
  postId: z.string(),
  occurrenceId: z.string().nullable(),
  /** The responder (responders are never anonymous). */
  responder: z.object({ accountId: z.string(), handle: z.string() }),
  status: z.enum(RESPONSE_STATUSES),
  conversationId: z.string().nullable(),
  createdAt: z.string(),
});
export const responsesResponseSchema = z.object({ responses: z.array(responseWireSchema) });

// ─── Coordinators: unmet needs and assignments ─────────────────────────────────────────────────

/** `GET /api/v1/aid/communities/:community/unmet` (coordinators): open needs, longest waiting first. */
export const unmetQuerySchema = z.strictObject({
  category: categoryIdSchema.optional(),
  area: areaIdSchema.optional(),
  urgent: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  after: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(AID_LIMITS.pageSize).default(20),
});

/**
 * `POST /api/v1/aid/posts/:postId/assignments` (coordinators): propose someone to help. Nothing
 * changes until the helper accepts and, unless the coordinator posted it on someone's behalf, the
 * person who asked accepts too.
 */
export const assignSchema = z.strictObject({
  id: idSchema,
  helperId: idSchema,
  occurrenceId: changeStatusSchema.shape.occurrenceId,
});
export const assignmentParamsSchema = z.strictObject({ assignmentId: idSchema });
export const answerAssignmentSchema = z.strictObject({ accept: z.boolean() });
export const ASSIGNMENT_STATUSES = ['proposed', 'accepted', 'declined', 'withdrawn'] as const;
export const assignmentWireSchema = z.object({
  id: z.string(),
  postId: z.string(),
  occurrenceId: z.string().nullable(),
  helper: z.object({ accountId: z.string(), handle: z.string() }),
  status: z.enum(ASSIGNMENT_STATUSES),
  /** Consents given so far (who declined is never said). */
  askerConsented: z.boolean(),
  helperConsented: z.boolean(),
  createdAt: z.string(),
});
export const assignmentsResponseSchema = z.object({ assignments: z.array(assignmentWireSchema) });

// ─── Thanks ─────────────────────────────────────────────────────────────────────────────────────

export const THANKS_WORDS = ['thank-you', 'this-helped', 'made-a-difference', 'take-care'] as const;
/** `POST /api/v1/aid/posts/:postId/thanks`: once, from the person helped to their partner. */
export const thanksSchema = z.strictObject({
  occurrenceId: changeStatusSchema.shape.occurrenceId,
  words: z
    .array(z.enum(THANKS_WORDS))
    .min(1)
    .max(THANKS_WORDS.length)
    .refine((xs) => new Set(xs).size === xs.length, { message: 'must not repeat' }),
  text: text(AID_LIMITS.thanksText).optional(),
});
export const thanksWireSchema = z.object({
  postId: z.string(),
  occurrenceId: z.string().nullable(),
  words: z.array(z.string()),
  text: z.string().nullable(),
  createdAt: z.string(),
});
export const thanksResponseSchema = z.object({ thanks: z.array(thanksWireSchema) });

// ─── Figures and the open-needs list ────────────────────────────────────────────────────────────

export const FIGURE_GROUPINGS = ['category', 'area', 'month'] as const;
/**
 * `GET /api/v1/aid/communities/:community/figures` (coordinators, moderators, managers) and
 * `…/figures.csv`: needs posted and met per category, area or month, with the median wait.
 */
export const figuresQuerySchema = z
  .strictObject({
    from: instantSchema,
    to: instantSchema,
    by: z.enum(FIGURE_GROUPINGS).default('category'),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= AID_LIMITS.maxFiguresDays * DAY_MS, {
    message: `at most ${AID_LIMITS.maxFiguresDays} days`,
    path: ['to'],
  });

/** One cell; a null count is suppressed: under 5, or hidden beside one (core/src/aid/figures.ts). */
export const figureRowSchema = z.object({
  key: z.string(),
  needsPosted: z.int().nullable(),
  needsMet: z.int().nullable(),
  /** Median hours from posted to someone helping, over met needs; null when suppressed. */
  medianWaitHours: z.int().nullable(),
});
export const figuresResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(FIGURE_GROUPINGS),
  minCellSize: z.int(),
  rows: z.array(figureRowSchema),
});

/**
 * `GET /api/v1/aid/communities/:community/open-needs` (coordinators) and `…/open-needs.csv`: the
 * list for people who work on paper. `name` is set only when the poster allowed it and did not post
 * anonymously.
 */
export const openNeedSchema = z.object({
  ref: z.string(),
  category: z.string(),
  area: z.string().nullable(),
  when: z.string(),
  urgent: z.boolean(),
  postedOn: z.string(),
  waitedDays: z.int(),
  status: z.enum(AID_STATUSES),
  description: z.string(),
  name: z.string().nullable(),
});
export const openNeedsResponseSchema = z.object({ needs: z.array(openNeedSchema) });

// ─── Mine ───────────────────────────────────────────────────────────────────────────────────────

/** `GET /api/v1/aid/mine`: my posts (any status), my responses, assignments waiting for me. */
export const mineResponseSchema = z.object({
  posts: z.array(postWireSchema),
  responses: z.array(responseWireSchema),
  assignments: z.array(assignmentWireSchema),
});
