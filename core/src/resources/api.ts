import { z } from 'zod';
import { idSchema } from '../crypto/schemas.js';
import { areaIdSchema } from '../aid/area-id.js';
import { CRISIS_FILTER_IDS, crisisPolicySchema, type CrisisFilter } from './crisis.js';
import { hoursSchema, localDateSchema, uuidSchema } from './hours-schema.js';

/**
 * The HTTP contract of the resource directory (docs/RESOURCES.md): a community-kept directory of
 * non-coercive support — warmlines, peer lines, peer respites, groups, mutual aid, harm reduction
 * — with opening hours, honest crisis-policy facts (core/src/resources/crisis.ts), suggestions
 * reviewed by directory keepers, a full history, out-of-date flags, and HSDS 3 import and export
 * (core/src/resources/hsds.ts).
 *
 * The directory is **not** end-to-end encrypted: it is public to the instance's members and the
 * server reads it. What a person **saves**, and what appears in their crisis view, lives in their
 * encrypted vault (core/src/resources/saved.ts), so the server never learns who saved what.
 *
 * Error codes (core/src/errors.ts): `unknown_kind`, `kind_taken`, `resource_changed` (an edit or a
 * publish made against an older version), `suggestion_closed`, `no_change`, `already_flagged`,
 * `flag_closed`, `resource_retired`, `hsds_invalid` (an import refused, with an issue per row and
 * field), plus the shared `invalid_input`, `not_found`, `forbidden`, `unauthenticated`,
 * `rate_limited`, `conflict` (an id in use), `unknown_area`, `payload_too_large`.
 */

export const RESOURCE_LIMITS = {
  name: 200,
  description: 4_000,
  organizationDescription: 2_000,
  url: 2_000,
  email: 254,
  phoneNumber: 40,
  phoneDescription: 300,
  phones: 10,
  locations: 20,
  languages: 30,
  kindsPerResource: 5,
  kindLabel: 60,
  costNote: 300,
  serviceAreaDescription: 1_000,
  addressLine: 200,
  suggestionNote: 1_000,
  suggestionSource: 500,
  revisionNote: 500,
  flagNote: 500,
  /** Open suggestions one person may have at once (a flood guard). */
  openSuggestionsPerPerson: 20,
  /** New suggestions per account in any rolling 24 hours. */
  suggestionsPerDay: 30,
  /** Flags per account in any rolling 24 hours. */
  flagsPerDay: 30,
  /** Resources in one import (HSDS services). */
  importResources: 5_000,
  /** A search's `q`: at most this many words, each letters and digits. */
  searchWords: 8,
  maxWithinKm: 500,
  pageSize: 50,
  defaultPageSize: 20,
  changesPageSize: 500,
  /** Days after which a resource not checked as a whole is shown as not checked for a long time. */
  staleDays: 365,
} as const;

// ─── Small shapes ───────────────────────────────────────────────────────────────────────────────

const noControl = (s: string) =>
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
/** One line: trimmed, 1…max, no control characters (line breaks are control characters here). */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (s) => noControl(s) && !/[\n\r]/.test(s),
      'must be one line without control characters',
    );
/** Plain text that may hold line breaks; shown as text, never as HTML or Markdown. */
export const prose = (max: number) =>
  z.string().trim().min(1).max(max).refine(noControl, 'must not contain control characters');

/** An http(s) URL. */
export const webUrlSchema = z
  .string()
  .max(RESOURCE_LIMITS.url)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.href === s;
    } catch {
      return false;
    }
  }, 'must be an http or https URL, written out in full (https://example.org/)');
export const emailSchema = z.email().max(RESOURCE_LIMITS.email);

/** A language: an ISO 639 code with optional BCP 47 subtags, lower case (`en`, `pt-br`, `bsl`). */
export const languageCodeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$/, 'must be a language code such as en, cy or pt-br');

const unique = <T>(xs: readonly T[]) => new Set(xs).size === xs.length;

// ─── Kinds ──────────────────────────────────────────────────────────────────────────────────────

/** Built-in kinds (the web app words them through i18n); instances may add more. */
export const BUILTIN_KINDS = [
  'warmline',
  'peer-line',
  'peer-respite',
  'support-group',
  'mutual-aid-network',
  'drop-in-centre',
  'harm-reduction',
  'clinic-or-counselling',
  'legal-or-advocacy',
  'housing',
  'food',
] as const;
export type BuiltinKind = (typeof BUILTIN_KINDS)[number];
export const isBuiltinKind = (id: string): id is BuiltinKind =>
  (BUILTIN_KINDS as readonly string[]).includes(id);

/** A kind id: 2–40 of a–z, 0–9 and dashes, starting with a letter. */
export const kindIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2–40 of a–z, 0–9 and dashes, starting with a letter');

/** `POST /api/v1/resources/kinds` (instance admins): a kind of this instance's own. */
export const createKindSchema = z.strictObject({
  id: kindIdSchema.refine((id) => !isBuiltinKind(id), { message: 'is a built-in kind' }),
  label: line(RESOURCE_LIMITS.kindLabel),
});
/** `PATCH /api/v1/resources/kinds/:kindId` (instance admins): rename, retire, bring back. */
export const updateKindSchema = z
  .strictObject({
    label: line(RESOURCE_LIMITS.kindLabel).optional(),
    retired: z.boolean().optional(),
  })
  .refine((o) => o.label !== undefined || o.retired !== undefined, {
    message: 'change at least one field',
  });
export const kindParamsSchema = z.strictObject({ kindId: kindIdSchema });
export const kindWireSchema = z.object({
  id: z.string(),
  /** Null for a built-in (the web app has its words); the instance's words otherwise. */
  label: z.string().nullable(),
  builtin: z.boolean(),
  retired: z.boolean(),
});
export const kindsResponseSchema = z.object({ kinds: z.array(kindWireSchema) });

// ─── The resource ───────────────────────────────────────────────────────────────────────────────

/** HSDS service status. `defunct` and `inactive` stay listed only when asked for. */
export const RESOURCE_STATUSES = ['active', 'temporarily closed', 'inactive', 'defunct'] as const;
/** How a phone number can be used (HSDS phone `type`). */
export const PHONE_TYPES = ['voice', 'text', 'textphone', 'video'] as const;
export const COST_KINDS = ['free', 'donation', 'sliding-scale', 'paid'] as const;
/** Ways to reach a resource, for the `reach` filter (derived: `reachWays`). */
export const REACH_WAYS = ['call', 'text', 'chat', 'video', 'in-person', 'email', 'web'] as const;
export type ReachWay = (typeof REACH_WAYS)[number];

export const phoneSchema = z.strictObject({
  id: uuidSchema,
  /** As the service writes it: `+44 800 123 4567`, `988`, `116 123`. */
  number: z
    .string()
    .trim()
    .max(RESOURCE_LIMITS.phoneNumber)
    .regex(
      /^\+?[0-9][0-9 ().-]*[0-9]$|^[0-9]$/,
      'must be a phone number: digits, spaces, + ( ) . -',
    ),
  type: z.enum(PHONE_TYPES),
  description: line(RESOURCE_LIMITS.phoneDescription).nullable(),
  languages: z
    .array(languageCodeSchema)
    .max(RESOURCE_LIMITS.languages)
    .refine(unique, 'must not repeat a language'),
});
export type Phone = z.infer<typeof phoneSchema>;

export const addressSchema = z.strictObject({
  address1: line(RESOURCE_LIMITS.addressLine),
  address2: line(RESOURCE_LIMITS.addressLine).nullable(),
  city: line(100),
  region: line(100).nullable(),
  stateProvince: line(100).nullable(),
  postalCode: line(20).nullable(),
  /** ISO 3166-1 alpha-2, upper case. */
  country: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as GB'),
});

/** Coordinates are kept to 0.01° (core/src/aid/areas.ts `roundCentre`, about 1 km). */
const isCenti = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;

export const locationSchema = z
  .strictObject({
    id: uuidSchema,
    /** `physical`: a place people can go; `virtual`: online only (HSDS location_type). */
    type: z.enum(['physical', 'virtual']),
    name: line(RESOURCE_LIMITS.name).nullable(),
    description: prose(1_000).nullable(),
    /** A public address only: never a safe house or a respite whose address is kept private. */
    address: addressSchema.nullable(),
    lat: z.number().min(-90).max(90).refine(isCenti, 'must be rounded to 0.01°').nullable(),
    lon: z.number().min(-180).max(180).refine(isCenti, 'must be rounded to 0.01°').nullable(),
    url: webUrlSchema.nullable(),
  })
  .refine((l) => (l.lat === null) === (l.lon === null), {
    path: ['lon'],
    message: 'give both latitude and longitude, or neither',
  });
export type Location = z.infer<typeof locationSchema>;

/**
 * What keepers write and suggestions propose: everything about a resource but its id and the
 * server's bookkeeping. Text is plain text (never Markdown or HTML).
 */
export const resourceContentSchema = z.strictObject({
  name: line(RESOURCE_LIMITS.name),
  alternateName: line(RESOURCE_LIMITS.name).nullable(),
  description: prose(RESOURCE_LIMITS.description).nullable(),
  kinds: z
    .array(kindIdSchema)
    .min(1)
    .max(RESOURCE_LIMITS.kindsPerResource)
    .refine(unique, 'must not repeat a kind'),
  status: z.enum(RESOURCE_STATUSES),
  organization: z.strictObject({
    id: uuidSchema,
    name: line(RESOURCE_LIMITS.name),
    description: prose(RESOURCE_LIMITS.organizationDescription).nullable(),
    website: webUrlSchema.nullable(),
  }),
  url: webUrlSchema.nullable(),
  email: emailSchema.nullable(),
  /** A web chat (HSDS has no field for it: extension `tend_chat_url`). */
  chatUrl: webUrlSchema.nullable(),
  phones: z
    .array(phoneSchema)
    .max(RESOURCE_LIMITS.phones)
    .refine((ps) => unique(ps.map((p) => p.id)), 'must not repeat an id'),
  locations: z
    .array(locationSchema)
    .max(RESOURCE_LIMITS.locations)
    .refine((ls) => unique(ls.map((l) => l.id)), 'must not repeat an id'),
  languages: z
    .array(languageCodeSchema)
    .max(RESOURCE_LIMITS.languages)
    .refine(unique, 'must not repeat a language'),
  /** Null: not known. */
  cost: z
    .strictObject({
      kind: z.enum(COST_KINDS),
      note: line(RESOURCE_LIMITS.costNote).nullable(),
    })
    .nullable(),
  /** Who it serves, where: "Anyone in the UK", "Leeds and Bradford". Null: not said. */
  serviceArea: z
    .strictObject({
      name: line(RESOURCE_LIMITS.name),
      description: prose(RESOURCE_LIMITS.serviceAreaDescription).nullable(),
    })
    .nullable(),
  /** Null: hours not known (never shown as open). */
  hours: hoursSchema.nullable(),
  crisis: crisisPolicySchema,
  /** When the whole entry was last checked against the service (a keeper's "checked today"). */
  checkedOn: localDateSchema.nullable(),
});
export type ResourceContent = z.infer<typeof resourceContentSchema>;

export const resourceSchema = resourceContentSchema.extend({ id: uuidSchema });
export type Resource = z.infer<typeof resourceSchema>;

/** The ways a resource can be reached, for the `reach` filter and the card's icons. */
export function reachWays(c: ResourceContent): ReachWay[] {
  const ways = new Set<ReachWay>();
  for (const p of c.phones) {
    if (p.type === 'voice') ways.add('call');
    else if (p.type === 'text') ways.add('text');
    else if (p.type === 'video') ways.add('video');
    else ways.add('call'); // a textphone line is a call for people who use one
  }
  if (c.chatUrl) ways.add('chat');
  if (c.email) ways.add('email');
  if (c.url) ways.add('web');
  if (c.locations.some((l) => l.type === 'physical')) ways.add('in-person');
  return REACH_WAYS.filter((w) => ways.has(w));
}

/**
 * A resource as the server answers it: its content and the bookkeeping. `version` rises by one
 * with every published change (history); `stale` when `checkedOn` is null or older than
 * `RESOURCE_LIMITS.staleDays`; `openFlags` counts out-of-date flags not yet resolved (a count
 * about a resource, never about a person).
 */
export const resourceWireSchema = z.object({
  id: z.string(),
  version: z.int(),
  content: resourceContentSchema,
  retired: z.boolean(),
  stale: z.boolean(),
  openFlags: z.int(),
  /** Whether I have flagged it and my flag is open. */
  flaggedByMe: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Between the `near` point (or area centre) and the nearest location, in km (one decimal). */
  distanceKm: z.number().nullable(),
});
export type ResourceWire = z.infer<typeof resourceWireSchema>;

export const resourceParamsSchema = z.strictObject({ resourceId: uuidSchema });
export const resourceResponseSchema = z.object({ resource: resourceWireSchema });

// ─── Search ─────────────────────────────────────────────────────────────────────────────────────

const csvOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(400)
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(z.enum(values)).max(values.length));
const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** "lat,lon" in degrees; the browser rounds a person's position to 0.01° before sending it. */
export const nearSchema = z
  .string()
  .regex(/^-?\d{1,2}(\.\d{1,2})?,-?\d{1,3}(\.\d{1,2})?$/, 'must be lat,lon to 0.01°')
  .transform((s) => {
    const [lat, lon] = s.split(',').map(Number) as [number, number];
    return { lat, lon };
  })
  .refine((p) => Math.abs(p.lat) <= 90 && p.lon >= -180 && p.lon <= 180, 'is off the globe');

/**
 * `GET /api/v1/resources` — find resources (members). Every filter narrows:
 * - `q`: words (letters and digits, at most 8) each beginning a word of the name, alternate name,
 *   description, organisation, service area, kind labels or location names (prefix match);
 * - `kind` (one or more, any of them), `language` (any), `cost` (any), `reach` (any);
 * - `near` ("lat,lon" to 0.01°) or `area` (an aid zone id: its centre) with `withinKm`: resources
 *   with a physical location within that distance, **plus** those with no physical location
 *   (lines, chats, online groups reach anywhere their service area says) unless `inPersonOnly`;
 * - `openNow` (open at `at`, default now; unknown hours never pass);
 * - `crisis`: "will not" filters, each a known `no` (core/src/resources/crisis.ts), `fresh` to
 *   leave out stale checks;
 * - `status`: by default `active` and `temporarily closed`; `all` adds inactive and defunct.
 * Ordered by distance when `near`/`area` is given, else by name; cursor pages.
 */
export const searchQuerySchema = z
  .strictObject({
    q: z.string().max(200).optional(),
    /** Built-in or instance kinds; an unknown one is `400 unknown_kind`. */
    kind: z
      .string()
      .max(400)
      .transform((s) => s.split(',').filter((x) => x !== ''))
      .pipe(z.array(kindIdSchema).max(20))
      .optional(),
    language: z
      .string()
      .max(200)
      .transform((s) => s.split(',').filter((x) => x !== ''))
      .pipe(z.array(languageCodeSchema).max(10))
      .optional(),
    cost: csvOf(COST_KINDS).optional(),
    reach: csvOf(REACH_WAYS).optional(),
    near: nearSchema.optional(),
    area: areaIdSchema.optional(),
    withinKm: z.coerce.number().int().min(1).max(RESOURCE_LIMITS.maxWithinKm).optional(),
    inPersonOnly: flag,
    openNow: flag,
    at: z.iso.datetime({ offset: true }).optional(),
    crisis: csvOf(CRISIS_FILTER_IDS as [CrisisFilter, ...CrisisFilter[]]).optional(),
    fresh: flag,
    status: z.enum(['current', 'all']).default('current'),
    cursor: z.string().max(200).optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(RESOURCE_LIMITS.pageSize)
      .default(RESOURCE_LIMITS.defaultPageSize),
  })
  .refine((q) => !(q.near && q.area), { path: ['area'], message: 'give near or area, not both' })
  .refine((q) => q.withinKm === undefined || q.near !== undefined || q.area !== undefined, {
    path: ['withinKm'],
    message: 'withinKm needs near or area',
  });
export type SearchQuery = z.infer<typeof searchQuerySchema>;
export const resourcePageSchema = z.object({
  resources: z.array(resourceWireSchema),
  nextCursor: z.string().nullable(),
});

/**
 * `GET /api/v1/resources/changes?since=&limit=` — every resource changed since a cursor (all of
 * them, not a person's own), oldest change first. A browser refreshes the saved copies in its
 * vault from this feed, so the server never learns which resources a person saved.
 */
export const changesQuerySchema = z.strictObject({
  since: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(RESOURCE_LIMITS.changesPageSize).default(200),
});
export const changesResponseSchema = z.object({
  changes: z.array(resourceWireSchema),
  /** Pass as `since` next time (also when `changes` is empty). */
  cursor: z.string(),
  /** False while more changes wait: ask again at once with `cursor`. */
  complete: z.boolean(),
});

// ─── Keepers' edits, history ────────────────────────────────────────────────────────────────────

const note = line(RESOURCE_LIMITS.revisionNote).nullable().default(null);

/** `POST /api/v1/resources` (keepers): a new resource, published at once as version 1. */
export const createResourceSchema = z.strictObject({
  id: uuidSchema,
  content: resourceContentSchema,
  note,
});
/** `PUT /api/v1/resources/:resourceId` (keepers): a new version; `409 resource_changed` when
 * `baseVersion` is not the current one, `409 no_change` when nothing differs. */
export const updateResourceSchema = z.strictObject({
  baseVersion: z.int().min(1),
  content: resourceContentSchema,
  note,
});
/** `POST /api/v1/resources/:resourceId/retire` (keepers): out of the directory, or back. */
export const retireResourceSchema = z.strictObject({ retired: z.boolean(), note });
/** `POST /api/v1/resources/:resourceId/checked` (keepers): checked today, as it stands. */
export const markCheckedSchema = z.strictObject({ baseVersion: z.int().min(1), note });

export const REVISION_KINDS = [
  'created',
  'edited',
  'suggestion',
  'checked',
  'retired',
  'restored',
  'imported',
  'starter',
] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

export const personRefSchema = z.object({ accountId: z.string(), handle: z.string() });
export const revisionWireSchema = z.object({
  version: z.int(),
  kind: z.enum(REVISION_KINDS),
  /** Who published this version: a keeper or an admin (null once their account is deleted). */
  by: personRefSchema.nullable(),
  /** For `suggestion`: the suggestion and who suggested it (null once deleted). */
  suggestionId: z.string().nullable(),
  suggestedBy: personRefSchema.nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export const historyResponseSchema = z.object({ revisions: z.array(revisionWireSchema) });
export const revisionParamsSchema = z.strictObject({
  resourceId: uuidSchema,
  version: z.coerce.number().int().min(1),
});
export const revisionResponseSchema = z.object({
  revision: revisionWireSchema.extend({ content: resourceContentSchema, retired: z.boolean() }),
});

// ─── Suggestions ────────────────────────────────────────────────────────────────────────────────

export const SUGGESTION_STATUSES = ['open', 'published', 'declined', 'withdrawn'] as const;

/**
 * `POST /api/v1/resources/suggestions` (members): a new resource (`resourceId` null) or a
 * correction of one (`resourceId` and the `baseVersion` it was written against). `content` is the
 * whole resource as the person would have it; the diff is computed against the base.
 */
export const createSuggestionSchema = z
  .strictObject({
    id: uuidSchema,
    resourceId: uuidSchema.nullable(),
    baseVersion: z.int().min(1).nullable(),
    content: resourceContentSchema,
    /** Why, in the person's words ("their hours changed in May"). */
    note: prose(RESOURCE_LIMITS.suggestionNote).nullable(),
    /** Where it comes from: a URL or words ("I phoned them"). */
    source: line(RESOURCE_LIMITS.suggestionSource).nullable(),
  })
  .refine((s) => (s.resourceId === null) === (s.baseVersion === null), {
    path: ['baseVersion'],
    message: 'a correction names the version it was written against; a new resource does not',
  });
export const suggestionParamsSchema = z.strictObject({ suggestionId: uuidSchema });
/** `POST …/suggestions/:suggestionId/publish` (keepers): as suggested, or as the keeper edited it. */
export const publishSuggestionSchema = z.strictObject({
  content: resourceContentSchema.optional(),
  note,
});
/** `POST …/suggestions/:suggestionId/decline` (keepers), with words the suggester sees. */
export const declineSuggestionSchema = z.strictObject({ note });
export const suggestionsQuerySchema = z.strictObject({
  status: z.enum(SUGGESTION_STATUSES).default('open'),
  /** Only mine (any member); keepers see everyone's without it. */
  mine: flag,
  resourceId: uuidSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(RESOURCE_LIMITS.pageSize).default(20),
});

export const fieldChangeSchema = z.object({
  /** A path into the content: `name`, `phones[id=…].number`, `crisis.facts.tracesCalls`. */
  path: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  before: z.unknown(),
  after: z.unknown(),
  /** For changed text: word-level parts (core/src/plans `diffWords`). */
  words: z
    .array(z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() }))
    .nullable(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const suggestionWireSchema = z.object({
  id: z.string(),
  resourceId: z.string().nullable(),
  baseVersion: z.int().nullable(),
  /** The resource's version now (a keeper sees at once that it moved on since). */
  currentVersion: z.int().nullable(),
  content: resourceContentSchema,
  note: z.string().nullable(),
  source: z.string().nullable(),
  status: z.enum(SUGGESTION_STATUSES),
  /** Shown to keepers and to the suggester; null to anyone else and once the account is gone. */
  author: personRefSchema.nullable(),
  mine: z.boolean(),
  /** Against the base version (all `added` for a new resource). */
  diff: z.array(fieldChangeSchema),
  /** Against the current version, when it moved on since the base; else null. */
  diffFromCurrent: z.array(fieldChangeSchema).nullable(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
  reviewedBy: personRefSchema.nullable(),
  reviewNote: z.string().nullable(),
  /** The version it became, once published. */
  publishedVersion: z.int().nullable(),
});
export const suggestionResponseSchema = z.object({ suggestion: suggestionWireSchema });
export const suggestionsResponseSchema = z.object({
  suggestions: z.array(suggestionWireSchema),
  nextCursor: z.string().nullable(),
});

// ─── Flags ──────────────────────────────────────────────────────────────────────────────────────

export const FLAG_REASONS = [
  'closed',
  'contact-wrong',
  'hours-wrong',
  'crisis-policy-wrong',
  'other',
] as const;
/** `POST /api/v1/resources/:resourceId/flags` (members): "this may be out of date". */
export const createFlagSchema = z.strictObject({
  reason: z.enum(FLAG_REASONS),
  note: prose(RESOURCE_LIMITS.flagNote).nullable(),
});
export const flagParamsSchema = z.strictObject({ flagId: uuidSchema });
/** `POST /api/v1/resources/flags/:flagId/resolve` (keepers). */
export const resolveFlagSchema = z.strictObject({ note });
export const flagWireSchema = z.object({
  id: z.string(),
  resourceId: z.string(),
  resourceName: z.string(),
  reason: z.enum(FLAG_REASONS),
  note: z.string().nullable(),
  /** Keepers only see who flagged it (to ask them); null for anyone else. */
  by: personRefSchema.nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: personRefSchema.nullable(),
  resolveNote: z.string().nullable(),
});
export const flagResponseSchema = z.object({ flag: flagWireSchema });
export const flagsQuerySchema = z.strictObject({
  status: z.enum(['open', 'resolved']).default('open'),
  resourceId: uuidSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(RESOURCE_LIMITS.pageSize).default(20),
});
export const flagsResponseSchema = z.object({
  flags: z.array(flagWireSchema),
  nextCursor: z.string().nullable(),
});

// ─── Keepers ────────────────────────────────────────────────────────────────────────────────────

/** `PUT` / `DELETE /api/v1/resources/keepers/:accountId` (instance admins). */
export const keeperParamsSchema = z.strictObject({ accountId: idSchema });
export const keepersResponseSchema = z.object({
  keepers: z.array(personRefSchema.extend({ addedAt: z.string() })),
});
/** `GET /api/v1/resources/me`: what I may do here. */
export const directoryRolesSchema = z.object({
  keeper: z.boolean(),
  admin: z.boolean(),
});

/**
 * `GET` / `PUT /api/v1/resources/notify` (keepers and instance admins): whether to be told, at
 * most once a day, that new suggestions arrived (fixed words only).
 */
export const notifyChoiceSchema = z.strictObject({ dailySuggestions: z.boolean() });

// ─── Import, export, starter set ────────────────────────────────────────────────────────────────

export const IMPORT_FORMATS = ['hsds-json', 'hsds-tabular'] as const;
/**
 * `POST /api/v1/resources/import` (instance admins), all or nothing:
 * - `hsds-json`: an HSDS 3 page of services (`{ contents: [service…] }`, the `/services` answer of
 *   an HSDS API, which is what Tend exports), an array of services, or one service;
 * - `hsds-tabular`: the CSV data package read into rows per file (`{ "services.csv": [{…}], … }`,
 *   the shape of HSDS's own `tabular.json`); the web app reads the chosen CSV files with papaparse.
 * `dryRun` checks and counts without writing. A resource whose id exists becomes a new version
 * (kind `imported`) when its content differs; nothing is ever removed by an import.
 */
export const importSchema = z.strictObject({
  format: z.enum(IMPORT_FORMATS),
  data: z.unknown(),
  options: z
    .strictObject({
      /** Given to services that carry no Tend kind (`tend_kinds`) nor a Tend kind attribute. */
      defaultKind: kindIdSchema.nullable().default(null),
      /** For schedules with neither `tend_timezone` nor an offset. */
      defaultTimeZone: z.string().max(64).nullable().default(null),
    })
    .default({ defaultKind: null, defaultTimeZone: null }),
  dryRun: z.boolean().default(false),
});
export const importResultSchema = z.object({
  created: z.int(),
  changed: z.int(),
  unchanged: z.int(),
  dryRun: z.boolean(),
  /** What was left out or kept only in words (core/src/resources/hsds.ts `ImportIssue`). */
  warnings: z.array(z.object({ where: z.string(), path: z.string(), message: z.string() })),
});
/** `GET /api/v1/resources/export/:file` (instance admins and keepers). */
export const EXPORT_FILES = [
  'services.json',
  'organizations.csv',
  'services.csv',
  'locations.csv',
  'addresses.csv',
  'service_at_location.csv',
  'phones.csv',
  'schedules.csv',
  'languages.csv',
  'cost_options.csv',
  'service_areas.csv',
] as const;
export const exportParamsSchema = z.strictObject({ file: z.enum(EXPORT_FILES) });
