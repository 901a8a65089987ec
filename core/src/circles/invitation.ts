/**
 * Invitations and link shares (docs/PROTOCOL.md §12.1–12.2).
 *
 * An invitation has its own random key K (32 bytes). The ask and the invitee's offer are envelope
 * v1 sealed under K as a collection key (key id 1, sequence 1), bound to
 *
 *     owner = inviter, collection = `invitation`, item = invitation id,
 *     type = `circle.ask` (the ask) or `circle.offer` (the answer).
 *
 * By handle, K is wrapped to the invitee as a share key v1 (share id = invitation id, sender =
 * inviter, recipient = invitee, key id 1), which the invitee opens only with the inviter's PINNED
 * Ed25519 key. By link, K travels only in the URL fragment, which browsers never send:
 *
 *     <origin>/circle/join/<token>#<K>      token: 32 random bytes, base64url (43 characters)
 *
 * and the server keeps base64url(SHA-256(UTF-8 of the token)). A link share works the same way:
 * `<origin>/shared/<token>#<K>`, its snapshot sealed with binding collection `link`, item = link
 * id, type `circle.link`, sequence = the link's revision.
 */
import type { z } from 'zod';
import { utf8 } from '../crypto/canonical.js';
import { openEnvelope, sealEnvelope, type EnvelopeError } from '../crypto/envelope.js';
import { isId } from '../crypto/ids.js';
import { KEY_LENGTH, sha256 } from '../crypto/primitives.js';
import { defaultRandom, takeRandom, type RandomSource } from '../crypto/random.js';
import { openShareKey, wrapShareKey, type ShareKeyError } from '../crypto/share.js';
import { fromBase64url, toBase64url } from '../encoding/base64url.js';
import { err, ok, type Result } from '../result.js';
import { parseJsonItem, type JsonItemError } from '../vault/json-item.js';
import {
  askSchema,
  CIRCLE_ITEM_TYPES,
  INVITATION_COLLECTION,
  LINK_COLLECTION,
  linkSnapshotSchema,
  offerSchema,
  type Ask,
  type LinkSnapshot,
  type Offer,
} from './items.js';

/** The one key id of an invitation key. */
export const INVITATION_KEY_ID = 1;
const TOKEN_BYTES = 32;

/** A fresh invitation (or link share) key: 32 random bytes. */
export const makeInvitationKey = (random: RandomSource = defaultRandom): Uint8Array =>
  takeRandom(random, KEY_LENGTH);

/** A fresh link token: 32 random bytes as base64url (43 characters). */
export const makeLinkToken = (random: RandomSource = defaultRandom): string =>
  toBase64url(takeRandom(random, TOKEN_BYTES));

/** What the server keeps of a link token: base64url(SHA-256(UTF-8 of the token)). */
export const linkTokenHash = (token: string): string => toBase64url(sha256(utf8(token)));

export const keyToText = (key: Uint8Array): string => {
  if (key.length !== KEY_LENGTH) throw new RangeError('key: 32 bytes');
  return toBase64url(key);
};

/** A key written as base64url, strictly: exactly 32 bytes, canonical; else undefined. */
export function keyFromText(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const bytes = fromBase64url(text);
  return bytes?.length === KEY_LENGTH ? bytes : undefined;
}

// ─── Sealing the ask, the offer and a link snapshot ─────────────────────────────────────────────

export type OpenError =
  | EnvelopeError
  /** the envelope opened, but its content is not an ask, offer or snapshot */
  | JsonItemError['code'];

interface Sealed<T> {
  readonly ownerId: string;
  readonly itemId: string;
  readonly key: Uint8Array;
  readonly value: T;
}

function seal(
  collectionId: string,
  itemType: string,
  sequence: number,
  input: Sealed<unknown>,
  random: RandomSource,
): Result<string, 'too_large'> {
  const sealed = sealEnvelope(
    {
      binding: { ownerId: input.ownerId, collectionId, itemId: input.itemId, itemType },
      collectionKey: input.key,
      keyId: INVITATION_KEY_ID,
      sequence,
      plaintext: utf8(JSON.stringify(input.value)),
    },
    random,
  );
  return sealed.ok ? ok(toBase64url(sealed.value)) : sealed;
}

function open<T>(
  collectionId: string,
  itemType: string,
  sequence: number,
  input: { ownerId: string; itemId: string; key: Uint8Array; envelope: string },
  schema: z.ZodType<T>,
): Result<T, OpenError> {
  const bytes = fromBase64url(input.envelope);
  if (bytes === undefined) return err('bad_format');
  const opened = openEnvelope({
    envelope: bytes,
    binding: { ownerId: input.ownerId, collectionId, itemId: input.itemId, itemType },
    collectionKeys: (keyId) => (keyId === INVITATION_KEY_ID ? input.key : undefined),
    expectedSequence: sequence,
  });
  if (!opened.ok) return opened;
  const parsed = parseJsonItem(schema, opened.value.plaintext);
  return parsed.ok ? ok(parsed.value) : err(parsed.error.code);
}

/** The owner seals the ask under the invitation key. */
export function sealAsk(
  input: {
    readonly ownerId: string;
    readonly invitationId: string;
    readonly key: Uint8Array;
    readonly ask: Ask;
  },
  random: RandomSource = defaultRandom,
): Result<string, 'too_large'> {
  const value = askSchema.parse(input.ask);
  return seal(
    INVITATION_COLLECTION,
    CIRCLE_ITEM_TYPES.ask,
    1,
    { ...input, itemId: input.invitationId, value },
    random,
  );
}

export function openAsk(input: {
  readonly ownerId: string;
  readonly invitationId: string;
  readonly key: Uint8Array;
  readonly envelope: string;
}): Result<Ask, OpenError> {
  return open(
    INVITATION_COLLECTION,
    CIRCLE_ITEM_TYPES.ask,
    1,
    { ...input, itemId: input.invitationId },
    askSchema,
  );
}

/** The invitee seals what they can offer under the same key (bound to the inviter as owner). */
export function sealOffer(
  input: {
    readonly ownerId: string;
    readonly invitationId: string;
    readonly key: Uint8Array;
    readonly offer: Offer;
  },
  random: RandomSource = defaultRandom,
): Result<string, 'too_large'> {
  const value = offerSchema.parse(input.offer);
  return seal(
    INVITATION_COLLECTION,
    CIRCLE_ITEM_TYPES.offer,
    1,
    { ...input, itemId: input.invitationId, value },
    random,
  );
}

export function openOffer(input: {
  readonly ownerId: string;
  readonly invitationId: string;
  readonly key: Uint8Array;
  readonly envelope: string;
}): Result<Offer, OpenError> {
  return open(
    INVITATION_COLLECTION,
    CIRCLE_ITEM_TYPES.offer,
    1,
    { ...input, itemId: input.invitationId },
    offerSchema,
  );
}

/** The owner seals a link share's snapshot; `revision` is 1 at first, then current + 1. */
export function sealLinkSnapshot(
  input: {
    readonly ownerId: string;
    readonly linkId: string;
    readonly key: Uint8Array;
    readonly revision: number;
    readonly snapshot: LinkSnapshot;
  },
  random: RandomSource = defaultRandom,
): Result<string, 'too_large'> {
  const value = linkSnapshotSchema.parse(input.snapshot);
  return seal(
    LINK_COLLECTION,
    CIRCLE_ITEM_TYPES.link,
    input.revision,
    { ...input, itemId: input.linkId, value },
    random,
  );
}

/** Anyone holding the link opens the snapshot the server serves (at the revision it reports). */
export function openLinkSnapshot(input: {
  readonly ownerId: string;
  readonly linkId: string;
  readonly key: Uint8Array;
  readonly revision: number;
  readonly envelope: string;
}): Result<LinkSnapshot, OpenError> {
  return open(
    LINK_COLLECTION,
    CIRCLE_ITEM_TYPES.link,
    input.revision,
    { ...input, itemId: input.linkId },
    linkSnapshotSchema,
  );
}

// ─── The invitation key for a handle invitation ─────────────────────────────────────────────────

/** The owner wraps K to the invitee (whose keys they checked and pinned). */
export async function wrapInvitationKey(input: {
  readonly invitationId: string;
  readonly ownerId: string;
  readonly inviteeId: string;
  readonly key: Uint8Array;
  readonly inviteeX25519PublicKey: Uint8Array;
  readonly ownerEd25519Seed: Uint8Array;
}): Promise<string> {
  const wrapped = await wrapShareKey({
    shareId: input.invitationId,
    senderId: input.ownerId,
    recipientId: input.inviteeId,
    keyId: INVITATION_KEY_ID,
    collectionKey: input.key,
    recipientX25519PublicKey: input.inviteeX25519PublicKey,
    senderEd25519Seed: input.ownerEd25519Seed,
  });
  return toBase64url(wrapped);
}

export type InvitationKeyError = ShareKeyError | 'wrong_key_id';

/**
 * The invitee opens K, checking the signature with the owner's PINNED Ed25519 key: a share key
 * not signed by that key (forged by the server, or with a zeroed signature) is refused.
 */
export async function openInvitationKey(input: {
  readonly invitationId: string;
  readonly ownerId: string;
  readonly inviteeId: string;
  readonly shareKey: string;
  readonly ownerEd25519PublicKey: Uint8Array;
  readonly inviteeX25519SecretKey: Uint8Array;
}): Promise<Result<Uint8Array, InvitationKeyError>> {
  const wrapped = fromBase64url(input.shareKey);
  if (wrapped === undefined) return err('bad_format');
  if (!isId(input.invitationId) || !isId(input.ownerId) || !isId(input.inviteeId)) {
    return err('wrong_binding');
  }
  const opened = await openShareKey({
    shareId: input.invitationId,
    senderId: input.ownerId,
    recipientId: input.inviteeId,
    wrapped,
    senderEd25519PublicKey: input.ownerEd25519PublicKey,
    recipientX25519SecretKey: input.inviteeX25519SecretKey,
  });
  if (!opened.ok) return opened;
  if (opened.value.keyId !== INVITATION_KEY_ID) return err('wrong_key_id');
  return ok(opened.value.collectionKey);
}

// ─── Links ──────────────────────────────────────────────────────────────────────────────────────

export type LinkKind = 'join' | 'shared';
const LINK_PATHS: Record<LinkKind, string> = { join: '/circle/join/', shared: '/shared/' };

/** `<origin>/circle/join/<token>#<key>` or `<origin>/shared/<token>#<key>`. */
export function formatLink(kind: LinkKind, origin: string, token: string, key: Uint8Array): string {
  const base = new URL(origin);
  if (base.origin === 'null' || base.origin !== origin.replace(/\/$/, '')) {
    throw new TypeError('origin must be an origin (scheme, host and port only)');
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new TypeError('token is not a link token');
  return `${base.origin}${LINK_PATHS[kind]}${token}#${keyToText(key)}`;
}

export type LinkError =
  /** not a link at all, or not one of Tend's */
  | 'not_a_link'
  /** a Tend link of the other kind, or from another Tend */
  | 'wrong_link'
  /** the part after # is missing or damaged (it holds the key) */
  | 'no_key';

export interface ParsedLink {
  readonly token: string;
  readonly key: Uint8Array;
}

/**
 * Reads a link strictly: http(s), exactly the path `/circle/join/<43 characters>` (or
 * `/shared/…`), no query, no user or password, and a fragment that is exactly a 32-byte key.
 * With `expectedOrigin`, a link from another origin is `wrong_link`.
 */
export function parseLink(
  kind: LinkKind,
  text: string,
  expectedOrigin?: string,
): Result<ParsedLink, LinkError> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return err('not_a_link');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return err('not_a_link');
  if (url.username !== '' || url.password !== '' || url.search !== '') return err('not_a_link');
  if (expectedOrigin !== undefined && url.origin !== new URL(expectedOrigin).origin) {
    return err('wrong_link');
  }
  const path = LINK_PATHS[kind];
  const other = LINK_PATHS[kind === 'join' ? 'shared' : 'join'];
  if (!url.pathname.startsWith(path)) {
    return url.pathname.startsWith(other) ? err('wrong_link') : err('not_a_link');
  }
  const token = url.pathname.slice(path.length);
  if (!/^[A-Za-z0-9_-]{43}$/.test(token) || fromBase64url(token)?.length !== TOKEN_BYTES) {
    return err('not_a_link');
  }
  const key = keyFromText(url.hash.startsWith('#') ? url.hash.slice(1) : '');
  if (key === undefined) return err('no_key');
  return ok({ token, key });
}

/** Reads the key from a page's own fragment (`location.hash`), for the landing pages. */
export const keyFromFragment = (hash: string): Uint8Array | undefined =>
  keyFromText(hash.startsWith('#') ? hash.slice(1) : hash);
