/**
 * A person's circle as vault items (docs/CIRCLES.md, "Vault items"). Every item is UTF-8 JSON
 * sealed in the browser; the server sees only ids, types, sizes and times. Everything here is in
 * the person's own words: there are no diagnosis, score or rating fields, by design.
 *
 * The owner's own collection `circle` (never shared):
 *   circle.person      random id    someone (or a group or network) on the pod map
 *   circle.settings    `settings`   who is reached first and next for each level; how to reach
 *                                   me; resources shown to me while I wait
 *   circle.pin         pin-<account> the fingerprint pinned on first use, and when it was verified
 *   circle.grant       member id    what one member may see (and the generation of their copy)
 *   circle.link        link id      a read-only link the owner made
 *   reachout.afterword reach-out id the owner's own note for afterwards
 *
 * One collection per member, `to-<memberId>-<generation>` (shared with that member only):
 *   circle.shared-section  section id   a plan section, only its part for supporters
 *   circle.contact         `contact`    how to reach me
 *   circle.daily           `daily`      today's word or colour
 *   reachout.note          reach-out id a note and, if chosen, a location
 *
 * An invitation (collection `invitation`, item = invitation id, under the invitation key):
 *   circle.ask    what the owner asks
 *   circle.offer  what the invitee can offer
 */
import { z } from 'zod';
import { utf8 } from '../crypto/canonical.js';
import { ID_PATTERN } from '../crypto/ids.js';
import { sha256 } from '../crypto/primitives.js';
import { toBase64url } from '../encoding/base64url.js';
import { REACHOUT_LEVELS } from './api.js';
import { err, ok, type Result } from '../result.js';
import { parseJsonItem, type JsonItemError } from '../vault/json-item.js';
import { sectionSchema, templateIdSchema } from '../plans/schema.js';

// ─── Collections ────────────────────────────────────────────────────────────────────────────────

/** The owner's own circle collection (private, never shared). */
export const CIRCLE_COLLECTION = 'circle';
/** Envelope binding collection of an invitation's ask and offer. */
export const INVITATION_COLLECTION = 'invitation';
/** Envelope binding collection of a link share's snapshot. */
export const LINK_COLLECTION = 'link';

const MEMBER_COLLECTION = /^to-([A-Za-z0-9_-]+)-([1-9][0-9]{0,9})$/;

/**
 * The owner's collection for one member at one generation. A new generation is a new collection
 * with its own key: what was removed from a member is never readable under the key they hold.
 */
export function memberCollectionId(memberId: string, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1 || generation > 9_999_999_999) {
    throw new RangeError('generation must be an integer ≥ 1');
  }
  const id = `to-${memberId}-${generation}`;
  if (!ID_PATTERN.test(id) || !MEMBER_COLLECTION.test(id)) {
    throw new TypeError('member id does not make a valid collection id');
  }
  return id;
}

/** Reads `to-<memberId>-<generation>` back; null for any other collection id. */
export function parseMemberCollectionId(
  collectionId: string,
): { readonly memberId: string; readonly generation: number } | null {
  if (!ID_PATTERN.test(collectionId)) return null;
  const m = MEMBER_COLLECTION.exec(collectionId);
  if (m === null) return null;
  const memberId = m[1] as string;
  const generation = Number(m[2]);
  return { memberId, generation };
}

export const CIRCLE_ITEM_TYPES = {
  person: 'circle.person',
  settings: 'circle.settings',
  pin: 'circle.pin',
  grant: 'circle.grant',
  link: 'circle.link',
  afterword: 'reachout.afterword',
  sharedSection: 'circle.shared-section',
  contact: 'circle.contact',
  daily: 'circle.daily',
  note: 'reachout.note',
  ask: 'circle.ask',
  offer: 'circle.offer',
} as const;
export type CircleItemType = (typeof CIRCLE_ITEM_TYPES)[keyof typeof CIRCLE_ITEM_TYPES];

/**
 * The item id of the pin for one account: `pin-<account id>` (the grant of a member uses the
 * bare account id, in the same collection). An account id too long for that is hashed.
 */
export function pinItemId(accountId: string): string {
  const id = `pin-${accountId}`;
  return ID_PATTERN.test(id) ? id : `pin-${toBase64url(sha256(utf8(accountId)))}`;
}

/** Fixed item ids. */
export const SETTINGS_ITEM_ID = 'settings';
export const CONTACT_ITEM_ID = 'contact';
export const DAILY_ITEM_ID = 'daily';

// ─── Words and limits ───────────────────────────────────────────────────────────────────────────

export const RINGS = ['pod', 'could-be', 'network'] as const;
export type Ring = (typeof RINGS)[number];

/** What someone can offer; anything else goes in their own words (`offerNotes`). */
export const OFFER_KINDS = [
  'listen',
  'check-in',
  'visit',
  'bring-food',
  'stay-over',
  'transport',
  'childcare',
  'money',
  'advocacy',
  'appointments',
] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

export const CIRCLE_LIMITS = {
  name: 200,
  words: 4_000,
  message: 8_000,
  resources: 50,
  people: 200,
  sections: 200,
  dailyWord: 60,
} as const;

/** Largest UTF-8 JSON encoding of one circle item (a shared section is a plan section: 160 KiB). */
export const MAX_CIRCLE_ITEM_BYTES = 192 * 1024;

const LINE = /^[^\r\n]*$/;
const oneLine = (max: number) => z.string().max(max).regex(LINE, 'must be one line');
const words = (max: number = CIRCLE_LIMITS.words) => z.string().max(max);
const idField = z.string().regex(ID_PATTERN, 'must be 1–64 of A–Z a–z 0–9 _ -');
const time = z.iso.datetime();
const base64urlKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte base64url key');
const uniqueList = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((list) => new Set(list).size === list.length, 'must not repeat');

export const ringSchema = z.enum(RINGS);
export const offerKindSchema = z.enum(OFFER_KINDS);
export const offersSchema = uniqueList(offerKindSchema, OFFER_KINDS.length);

// ─── The owner's `circle` collection ────────────────────────────────────────────────────────────

/** `circle.person`: someone (or a group or network) on the pod map, with or without an account. */
export const circlePersonSchema = z.object({
  name: oneLine(CIRCLE_LIMITS.name).min(1),
  ring: ringSchema,
  offers: offersSchema,
  /** Anything else they can offer, in the owner's words. */
  offerNotes: words(),
  /** When they are usually around, in the owner's words. */
  availability: words(),
  /** How to reach them, in the owner's words. */
  reach: words(),
  accountId: idField.optional(),
  handle: z.string().max(64).optional(),
  /** An invitation sent to them (while it is open), and its key, to read their answer. */
  invitationId: idField.optional(),
  invitationKey: base64urlKey.optional(),
});
export type CirclePerson = z.infer<typeof circlePersonSchema>;

/** Who is reached for one level: account ids of members. */
export const levelSettingsSchema = z.object({
  first: uniqueList(idField, 50),
  next: uniqueList(idField, 50),
  /** Minutes until the next people are reached if nobody answered; null: never. */
  afterMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .nullable(),
});
export type LevelSettings = z.infer<typeof levelSettingsSchema>;

/** A warmline, peer line or anything the owner wants shown while they wait. */
export const resourceSchema = z.object({
  name: oneLine(CIRCLE_LIMITS.name),
  reach: words(),
});
export type Resource = z.infer<typeof resourceSchema>;

/** `circle.settings` (id `settings`). */
export const circleSettingsSchema = z.object({
  levels: z.partialRecord(z.enum(REACHOUT_LEVELS), levelSettingsSchema),
  /** "How to reach me", in the owner's words (copied to members whose grant allows it). */
  reach: words(),
  resources: z.array(resourceSchema).max(CIRCLE_LIMITS.resources),
});
export type CircleSettings = z.infer<typeof circleSettingsSchema>;

export const EMPTY_CIRCLE_SETTINGS: CircleSettings = { levels: {}, reach: '', resources: [] };

/** 60 digits in 12 groups of 5, as `fingerprint()` writes them. */
export const FINGERPRINT_PATTERN = /^\d{5}( \d{5}){11}$/;

/** `circle.pin` (id = `pinItemId(account id)`): the fingerprint pinned on first use. */
export const circlePinSchema = z.object({
  accountId: idField,
  fingerprint: z.string().regex(FINGERPRINT_PATTERN, 'must be a fingerprint'),
  /** When the owner compared it in person or by QR code; null: not verified yet. */
  verifiedAt: time.nullable(),
});
export type CirclePin = z.infer<typeof circlePinSchema>;

export const sectionRefSchema = z.object({ planId: idField, sectionId: idField });
export type SectionRef = z.infer<typeof sectionRefSchema>;

/** `circle.grant` (id = member id): what one member may see. */
export const circleGrantSchema = z.object({
  memberId: idField,
  sections: z
    .array(sectionRefSchema)
    .max(CIRCLE_LIMITS.sections)
    .refine(
      (refs) => new Set(refs.map((r) => `${r.planId}/${r.sectionId}`)).size === refs.length,
      'must not repeat',
    ),
  daily: z.boolean(),
  contact: z.boolean(),
  /** Their collection is `to-<memberId>-<generation>`; a removal makes a new generation. */
  generation: z.int().min(1).max(9_999_999_999).default(1),
});
export type CircleGrant = z.infer<typeof circleGrantSchema>;

/** `circle.link` (id = link id): a read-only link for someone without an account. */
export const circleLinkSchema = z.object({
  linkId: idField,
  token: base64urlKey,
  key: base64urlKey,
  sections: z.array(sectionRefSchema).max(CIRCLE_LIMITS.sections),
  contact: z.boolean().default(false),
  /** Who it was made for, in the owner's words. */
  label: oneLine(CIRCLE_LIMITS.name).default(''),
  expiresAt: time,
});
export type CircleLink = z.infer<typeof circleLinkSchema>;

/** `reachout.afterword` (id = reach-out id): the owner's own note for afterwards. */
export const afterwordSchema = z.object({
  text: words(20_000),
  updatedAt: time,
});
export type Afterword = z.infer<typeof afterwordSchema>;

// ─── A member's collection ──────────────────────────────────────────────────────────────────────

/**
 * `circle.shared-section` (id = section id): the part of a plan section that is for supporters,
 * with where it came from so the supporter view can order wishes and steps as the plan does.
 */
export const sharedSectionSchema = z.object({
  planId: idField,
  /**
   * Not written by the reconciler: a plan's title is not marked for supporters, so it is not
   * shared (kept optional so copies made with it still read).
   */
  planTitle: oneLine(200).optional(),
  /** The plan's kind (crisis, safety…), to order wishes and steps. */
  templateId: templateIdSchema,
  section: sectionSchema,
});
export type SharedSection = z.infer<typeof sharedSectionSchema>;

/** `circle.contact` (id `contact`): how to reach me, in my words. */
export const contactSchema = z.object({ reach: words() });
export type Contact = z.infer<typeof contactSchema>;

export const DAILY_COLOURS = [
  'green',
  'yellow',
  'orange',
  'red',
  'blue',
  'purple',
  'grey',
] as const;
export type DailyColour = (typeof DAILY_COLOURS)[number];

/** `circle.daily` (id `daily`): how I'm doing today, only as much as I chose. */
export const dailySchema = z.object({
  date: z.iso.date(),
  word: oneLine(CIRCLE_LIMITS.dailyWord).optional(),
  colour: z.enum(DAILY_COLOURS).optional(),
});
export type Daily = z.infer<typeof dailySchema>;

export const locationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  accuracyMetres: z.number().min(0).max(1_000_000),
});
export type Location = z.infer<typeof locationSchema>;

/** `reachout.note` (id = reach-out id): only in the collections of that reach-out's recipients. */
export const reachoutNoteSchema = z.object({
  note: words().optional(),
  location: locationSchema.optional(),
});
export type ReachoutNote = z.infer<typeof reachoutNoteSchema>;

/**
 * What a link share holds (sealed under the link's key; envelope binding: owner, collection
 * `link`, item = link id, type `circle.link`): a read-only snapshot, in the owner's words.
 */
export const linkSnapshotSchema = z.object({
  sections: z.array(sharedSectionSchema).max(CIRCLE_LIMITS.sections),
  /** How to reach me, when the owner chose to include it. */
  contact: words().optional(),
  madeAt: time,
});
export type LinkSnapshot = z.infer<typeof linkSnapshotSchema>;

// ─── Invitations ────────────────────────────────────────────────────────────────────────────────

/** `circle.ask`: what the owner asks of the person they invite. */
export const askSchema = z.object({
  /** The owner's message, in their words. */
  message: words(CIRCLE_LIMITS.message),
  /** What they hope the person could offer (the person chooses what they actually offer). */
  asking: offersSchema,
  /** Which reach-out levels they might be reached for. */
  levels: uniqueList(z.enum(REACHOUT_LEVELS), REACHOUT_LEVELS.length),
  /** The owner's handle and name as they want the invitee to see it (optional). */
  from: oneLine(CIRCLE_LIMITS.name).optional(),
});
export type Ask = z.infer<typeof askSchema>;

/** `circle.offer`: the invitee's answer, in their words. */
export const offerSchema = z.object({
  offers: offersSchema,
  offerNotes: words(),
  availability: words(),
  reach: words(),
});
export type Offer = z.infer<typeof offerSchema>;

// ─── Encoding ───────────────────────────────────────────────────────────────────────────────────

export interface CircleItemValues {
  'circle.person': CirclePerson;
  'circle.settings': CircleSettings;
  'circle.pin': CirclePin;
  'circle.grant': CircleGrant;
  'circle.link': CircleLink;
  'reachout.afterword': Afterword;
  'circle.shared-section': SharedSection;
  'circle.contact': Contact;
  'circle.daily': Daily;
  'reachout.note': ReachoutNote;
  'circle.ask': Ask;
  'circle.offer': Offer;
}

export const circleItemSchemas: { readonly [T in CircleItemType]: z.ZodType<CircleItemValues[T]> } =
  {
    'circle.person': circlePersonSchema,
    'circle.settings': circleSettingsSchema,
    'circle.pin': circlePinSchema,
    'circle.grant': circleGrantSchema,
    'circle.link': circleLinkSchema,
    'reachout.afterword': afterwordSchema,
    'circle.shared-section': sharedSectionSchema,
    'circle.contact': contactSchema,
    'circle.daily': dailySchema,
    'reachout.note': reachoutNoteSchema,
    'circle.ask': askSchema,
    'circle.offer': offerSchema,
  };

export const isCircleItemType = (type: string): type is CircleItemType =>
  Object.hasOwn(circleItemSchemas, type);

export type CircleDecodeError =
  | { readonly code: 'unknown_type'; readonly type: string }
  | { readonly code: 'too_large'; readonly bytes: number }
  | JsonItemError;

/** Reads a decrypted circle item of a known type. */
export function decodeCircleItem<T extends CircleItemType>(
  type: T,
  bytes: Uint8Array,
): Result<CircleItemValues[T], CircleDecodeError>;
export function decodeCircleItem(
  type: string,
  bytes: Uint8Array,
): Result<CircleItemValues[CircleItemType], CircleDecodeError>;
export function decodeCircleItem(
  type: string,
  bytes: Uint8Array,
): Result<CircleItemValues[CircleItemType], CircleDecodeError> {
  if (!isCircleItemType(type)) return err({ code: 'unknown_type', type });
  if (bytes.length > MAX_CIRCLE_ITEM_BYTES) return err({ code: 'too_large', bytes: bytes.length });
  return parseJsonItem(circleItemSchemas[type], bytes);
}

/** Checks a value and encodes it, so nothing invalid or too large reaches the vault. */
export function encodeCircleItem<T extends CircleItemType>(
  type: T,
  value: CircleItemValues[T],
): Result<Uint8Array, CircleDecodeError> {
  const parsed = circleItemSchemas[type].safeParse(value);
  if (!parsed.success) {
    return err({
      code: 'invalid',
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      })),
    });
  }
  const bytes = utf8(JSON.stringify(parsed.data));
  if (bytes.length > MAX_CIRCLE_ITEM_BYTES) return err({ code: 'too_large', bytes: bytes.length });
  return ok(bytes);
}
