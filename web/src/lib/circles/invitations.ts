/**
 * Inviting someone into a circle and answering an invitation (docs/PROTOCOL.md §12.1), in the
 * browser: every ask and offer is sealed here under the invitation key; the server only carries
 * envelopes, a share key and the SHA-256 of a link token.
 *
 * By handle, the invitee's keys are checked and pinned first (keys.ts); a changed fingerprint
 * stops the invitation. The invitee opens the key only with the inviter's pinned key.
 */
import type { InvitationWire, PersonWire } from '$core/circles/api';
import {
  formatLink,
  keyFromText,
  keyToText,
  linkTokenHash,
  makeInvitationKey,
  makeLinkToken,
  openAsk,
  openInvitationKey,
  openOffer,
  sealAsk,
  sealOffer,
  wrapInvitationKey,
  type InvitationKeyError,
  type OpenError,
} from '$core/circles/invitation';
import type { Ask, Offer } from '$core/circles/items';
import { generateId } from '$core/crypto/ids';
import type { IdentityKeys } from '$core/crypto/identity';
import type { ApiFailure } from '../api/client';
import type { CirclesApi } from './api';
import { trustedKey, type KeyCheck } from './keys';
import type { CircleVault } from './store';

/** The signed-in person's own keys (the vault session's unlocked keys). */
export interface OwnKeys {
  readonly accountId: string;
  readonly identity: IdentityKeys;
}

export type InvitationError =
  /** the server refused or could not be reached */
  | { readonly kind: 'api'; readonly failure: ApiFailure }
  /** the other person's keys are not trusted (changed, broken): see keys.ts */
  | { readonly kind: 'keys'; readonly check: Exclude<KeyCheck, { status: 'first-use' | 'pinned' }> }
  /** the invitation key did not open (forged, unsigned, or not for me) */
  | { readonly kind: 'share_key'; readonly error: InvitationKeyError }
  /** the ask or offer did not open or read */
  | { readonly kind: 'sealed'; readonly error: OpenError }
  | { readonly kind: 'too_large' };

export type InvitationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: InvitationError };

const fail = (error: InvitationError) => ({ ok: false as const, error });
const done = <T>(value: T) => ({ ok: true as const, value });

export interface Sent {
  readonly invitation: InvitationWire;
  /** base64url invitation key: keep it (circle.person `invitationKey`) to read the answer. */
  readonly key: string;
}

/** Invites someone found by handle; their keys are checked and pinned first. */
export async function inviteByHandle(input: {
  readonly api: CirclesApi;
  readonly vault: CircleVault;
  readonly me: OwnKeys;
  readonly invitee: PersonWire;
  readonly ask: Ask;
  readonly expiresInHours?: number;
}): Promise<InvitationResult<Sent>> {
  const trusted = await trustedKey(input.vault, input.invitee);
  if (!trusted.ok) return fail({ kind: 'keys', check: trusted.check });
  const id = generateId();
  const key = makeInvitationKey();
  const ask = sealAsk({ ownerId: input.me.accountId, invitationId: id, key, ask: input.ask });
  if (!ask.ok) return fail({ kind: 'too_large' });
  const shareKey = await wrapInvitationKey({
    invitationId: id,
    ownerId: input.me.accountId,
    inviteeId: input.invitee.accountId,
    key,
    inviteeX25519PublicKey: trusted.key.x25519PublicKey,
    ownerEd25519Seed: input.me.identity.ed25519Seed,
  });
  const r = await input.api.invite({
    id,
    inviteeId: input.invitee.accountId,
    shareKey,
    ask: ask.value,
    ...(input.expiresInHours === undefined ? {} : { expiresInHours: input.expiresInHours }),
  });
  return r.ok
    ? done({ invitation: r.value, key: keyToText(key) })
    : fail({ kind: 'api', failure: r });
}

export interface SentLink extends Sent {
  /** `<origin>/circle/join/<token>#<key>`: the person sends it themselves. */
  readonly link: string;
}

/** Makes a link invitation; the key lives only in the link's fragment (and the owner's vault). */
export async function inviteByLink(input: {
  readonly api: CirclesApi;
  readonly me: Pick<OwnKeys, 'accountId'>;
  readonly ask: Ask;
  readonly origin: string;
  readonly expiresInHours?: number;
}): Promise<InvitationResult<SentLink>> {
  const id = generateId();
  const key = makeInvitationKey();
  const token = makeLinkToken();
  const ask = sealAsk({ ownerId: input.me.accountId, invitationId: id, key, ask: input.ask });
  if (!ask.ok) return fail({ kind: 'too_large' });
  const r = await input.api.invite({
    id,
    linkTokenHash: linkTokenHash(token),
    ask: ask.value,
    ...(input.expiresInHours === undefined ? {} : { expiresInHours: input.expiresInHours }),
  });
  if (!r.ok) return fail({ kind: 'api', failure: r });
  return done({
    invitation: r.value,
    key: keyToText(key),
    link: formatLink('join', input.origin, token, key),
  });
}

export interface Received {
  readonly invitation: InvitationWire;
  readonly ask: Ask;
  /** Keep to answer. */
  readonly key: Uint8Array;
}

/**
 * The invitee opens a handle invitation: the inviter's keys (looked up by handle) must be the
 * pinned ones (pinned now if met for the first time), and the share key must be signed by them.
 */
export async function openReceived(input: {
  readonly api: CirclesApi;
  readonly vault: CircleVault;
  readonly me: OwnKeys;
  readonly invitation: InvitationWire;
}): Promise<InvitationResult<Received>> {
  const { invitation } = input;
  if (invitation.shareKey === null) {
    return fail({ kind: 'share_key', error: 'bad_format' });
  }
  const owner = await input.api.person(invitation.owner.handle);
  if (!owner.ok) return fail({ kind: 'api', failure: owner });
  if (owner.value.accountId !== invitation.owner.accountId) {
    return fail({ kind: 'keys', check: { status: 'invalid', reason: 'wrong_account' } });
  }
  const trusted = await trustedKey(input.vault, owner.value);
  if (!trusted.ok) return fail({ kind: 'keys', check: trusted.check });
  const key = await openInvitationKey({
    invitationId: invitation.id,
    ownerId: invitation.owner.accountId,
    inviteeId: input.me.accountId,
    shareKey: invitation.shareKey,
    ownerEd25519PublicKey: trusted.key.ed25519PublicKey,
    inviteeX25519SecretKey: input.me.identity.x25519SecretKey,
  });
  if (!key.ok) return fail({ kind: 'share_key', error: key.error });
  const ask = openAsk({
    ownerId: invitation.owner.accountId,
    invitationId: invitation.id,
    key: key.value,
    envelope: invitation.ask,
  });
  if (!ask.ok) return fail({ kind: 'sealed', error: ask.error });
  return done({ invitation, ask: ask.value, key: key.value });
}

/** The invitee answers a handle invitation (an offer only when accepting). */
export async function answerReceived(input: {
  readonly api: CirclesApi;
  readonly received: Received;
  readonly accept: boolean;
  readonly offer?: Offer;
}): Promise<InvitationResult<InvitationWire>> {
  const { invitation, key } = input.received;
  let reply: string | undefined;
  if (input.accept && input.offer !== undefined) {
    const sealed = sealOffer({
      ownerId: invitation.owner.accountId,
      invitationId: invitation.id,
      key,
      offer: input.offer,
    });
    if (!sealed.ok) return fail({ kind: 'too_large' });
    reply = sealed.value;
  }
  const r = await input.api.answer(invitation.id, {
    accept: input.accept,
    ...(reply === undefined ? {} : { reply }),
  });
  return r.ok ? done(r.value) : fail({ kind: 'api', failure: r });
}

export interface LinkReceived {
  readonly id: string;
  readonly owner: PersonWire;
  readonly status: InvitationWire['status'];
  readonly expiresAt: string;
  readonly ask: Ask;
}

/**
 * Anyone holding a join link reads what they are asked (even signed out). The ask opens only
 * with the key from the link's fragment, so the server cannot change it.
 */
export async function openLink(input: {
  readonly api: CirclesApi;
  readonly token: string;
  readonly key: Uint8Array;
}): Promise<InvitationResult<LinkReceived>> {
  const r = await input.api.linkInvitation(input.token);
  if (!r.ok) return fail({ kind: 'api', failure: r });
  const ask = openAsk({
    ownerId: r.value.owner.accountId,
    invitationId: r.value.id,
    key: input.key,
    envelope: r.value.ask,
  });
  if (!ask.ok) return fail({ kind: 'sealed', error: ask.error });
  return done({
    id: r.value.id,
    owner: r.value.owner,
    status: r.value.status,
    expiresAt: r.value.expiresAt,
    ask: ask.value,
  });
}

/**
 * The invitee (signed in) answers a join link. Accepting pins the inviter's keys like any first
 * meeting, so a later change is noticed.
 */
export async function answerLink(input: {
  readonly api: CirclesApi;
  readonly vault: CircleVault;
  readonly token: string;
  readonly key: Uint8Array;
  readonly received: LinkReceived;
  readonly accept: boolean;
  readonly offer?: Offer;
}): Promise<InvitationResult<InvitationWire>> {
  const { received } = input;
  if (input.accept) {
    const trusted = await trustedKey(input.vault, received.owner);
    if (!trusted.ok) return fail({ kind: 'keys', check: trusted.check });
  }
  let reply: string | undefined;
  if (input.accept && input.offer !== undefined) {
    const sealed = sealOffer({
      ownerId: received.owner.accountId,
      invitationId: received.id,
      key: input.key,
      offer: input.offer,
    });
    if (!sealed.ok) return fail({ kind: 'too_large' });
    reply = sealed.value;
  }
  const r = await input.api.answerLink(input.token, {
    accept: input.accept,
    ...(reply === undefined ? {} : { reply }),
  });
  return r.ok ? done(r.value) : fail({ kind: 'api', failure: r });
}

/** The owner reads the answer to one of their invitations with the key they kept. */
export function readReply(invitation: InvitationWire, key: string): InvitationResult<Offer | null> {
  if (invitation.reply === null) return done(null);
  const k = keyFromText(key);
  if (k === undefined) return fail({ kind: 'sealed', error: 'bad_format' });
  const offer = openOffer({
    ownerId: invitation.owner.accountId,
    invitationId: invitation.id,
    key: k,
    envelope: invitation.reply,
  });
  return offer.ok ? done(offer.value) : fail({ kind: 'sealed', error: offer.error });
}

/** The owner reads back their own ask (e.g. on the invitations page). */
export function readOwnAsk(invitation: InvitationWire, key: string): InvitationResult<Ask> {
  const k = keyFromText(key);
  if (k === undefined) return fail({ kind: 'sealed', error: 'bad_format' });
  const ask = openAsk({
    ownerId: invitation.owner.accountId,
    invitationId: invitation.id,
    key: k,
    envelope: invitation.ask,
  });
  return ask.ok ? done(ask.value) : fail({ kind: 'sealed', error: ask.error });
}
