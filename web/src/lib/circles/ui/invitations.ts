/**
 * The invitation flows as the pages use them: ../invitations.ts does the sealing, wrapping and
 * checking; this adds the session's keys, the pod map (an invitee is put on the owner's map with
 * the invitation id and key, so their answer can be read and taken in), and one error vocabulary.
 */
import type { Ask, Offer, Ring } from '$core/circles/items';
import { applyOffer } from '$core/circles/offers';
import { circlesApi, type InvitationWire, type PersonWire } from '$lib/circles/api';
import {
  answerLink as answerLinkInvitation,
  answerReceived,
  inviteByHandle as sendByHandle,
  inviteByLink as makeLink,
  openLink as openLinkInvitation,
  openReceived as openReceivedInvitation,
  readReply,
  type InvitationError,
  type LinkReceived,
  type Received,
} from '$lib/circles/invitations';
import { checkKeys, mayTrust } from '$lib/circles/keys';
import { unlockedKeys } from '$lib/vault/state.svelte';
import type { Vault } from '$lib/vault/sync/vault';
import { listPeople, savePerson, type Person } from './pod';

export type FlowError =
  'locked' | 'keys' | 'keys-changed' | 'network' | 'rate-limited' | 'gone' | 'refused' | 'seal';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: FlowError };

const api = circlesApi();

function errorOf(e: InvitationError): FlowError {
  switch (e.kind) {
    case 'api':
      if (e.failure.code === 'network') return 'network';
      if (e.failure.status === 429) return 'rate-limited';
      if (e.failure.status === 404 || e.failure.status === 410) return 'gone';
      return 'refused';
    case 'keys':
      return e.check.status === 'changed' ? 'keys-changed' : 'keys';
    default:
      return 'seal';
  }
}

/** Looks someone up and checks (and on first use pins) their keys. */
export async function lookUp(
  vault: Vault,
  handle: string,
): Promise<Outcome<{ person: PersonWire; fingerprint: string }> | { ok: false; error: 'unknown' }> {
  const r = await api.person(handle.replace(/^@/, '').trim());
  if (!r.ok) {
    if (r.status === 404) return { ok: false, error: 'unknown' };
    return { ok: false, error: r.code === 'network' ? 'network' : 'refused' };
  }
  const check = await checkKeys(vault, r.value);
  if (check.status === 'changed') return { ok: false, error: 'keys-changed' };
  if (!mayTrust(check)) return { ok: false, error: 'keys' };
  return { ok: true, value: { person: r.value, fingerprint: check.key.fingerprint } };
}

/** Puts the invitee on the map (or updates their entry) with the invitation's id and key. */
async function remember(
  vault: Vault,
  entry: { name: string; ring: Ring; accountId?: string; handle?: string },
  invitationId: string,
  key: string,
): Promise<void> {
  const { people } = await listPeople(vault);
  const existing =
    entry.accountId === undefined ? undefined : people.find((p) => p.accountId === entry.accountId);
  const base: Omit<Person, 'id' | 'pending'> = existing ?? {
    name: entry.name,
    ring: entry.ring,
    offers: [],
    offerNotes: '',
    availability: '',
    reach: '',
  };
  const { id: _id, pending: _pending, ...rest } = base as Person;
  await savePerson(vault, existing?.id, {
    ...rest,
    ...(entry.accountId !== undefined ? { accountId: entry.accountId } : {}),
    ...(entry.handle !== undefined ? { handle: entry.handle } : {}),
    invitationId,
    invitationKey: key,
  });
}

export async function inviteByHandle(
  vault: Vault,
  person: PersonWire,
  ask: Ask,
  ring: Ring,
): Promise<Outcome<InvitationWire>> {
  const me = unlockedKeys();
  if (me === null) return { ok: false, error: 'locked' };
  const r = await sendByHandle({ api, vault, me, invitee: person, ask });
  if (!r.ok) return { ok: false, error: errorOf(r.error) };
  await remember(
    vault,
    { name: person.handle, ring, accountId: person.accountId, handle: person.handle },
    r.value.invitation.id,
    r.value.key,
  );
  return { ok: true, value: r.value.invitation };
}

export async function inviteByLink(
  vault: Vault,
  ask: Ask,
  entry: { name: string; ring: Ring },
): Promise<Outcome<{ link: string; invitation: InvitationWire }>> {
  const me = unlockedKeys();
  if (me === null) return { ok: false, error: 'locked' };
  const r = await makeLink({ api, me, ask, origin: location.origin });
  if (!r.ok) return { ok: false, error: errorOf(r.error) };
  await remember(vault, entry, r.value.invitation.id, r.value.key);
  return { ok: true, value: { link: r.value.link, invitation: r.value.invitation } };
}

export type OpenedInvitation =
  | { readonly invitation: InvitationWire; readonly received: Received }
  | { readonly invitation: InvitationWire; readonly received: null; readonly error: FlowError };

/** Opens an invitation sent to me by handle, trusting only the inviter's pinned keys. */
export async function openReceived(
  vault: Vault,
  invitation: InvitationWire,
): Promise<OpenedInvitation> {
  const me = unlockedKeys();
  if (me === null) return { invitation, received: null, error: 'locked' };
  const r = await openReceivedInvitation({ api, vault, me, invitation });
  return r.ok
    ? { invitation, received: r.value }
    : { invitation, received: null, error: errorOf(r.error) };
}

/** Accepts (with what I can offer) or declines a handle invitation. */
export async function answer(
  opened: OpenedInvitation,
  accept: boolean,
  offer: Offer,
): Promise<Outcome<InvitationWire>> {
  if (opened.received === null) {
    // What could not be opened can still be declined.
    if (accept) return { ok: false, error: opened.error };
    const r = await api.answer(opened.invitation.id, { accept: false });
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: 'refused' };
  }
  const r = await answerReceived({
    api,
    received: opened.received,
    accept,
    ...(accept ? { offer } : {}),
  });
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: errorOf(r.error) };
}

export async function openLink(token: string, key: Uint8Array): Promise<Outcome<LinkReceived>> {
  const r = await openLinkInvitation({ api, token, key });
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: errorOf(r.error) };
}

export async function answerLink(
  vault: Vault,
  token: string,
  key: Uint8Array,
  received: LinkReceived,
  accept: boolean,
  offer: Offer,
): Promise<Outcome<InvitationWire>> {
  const r = await answerLinkInvitation({
    api,
    vault,
    token,
    key,
    received,
    accept,
    ...(accept ? { offer } : {}),
  });
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: errorOf(r.error) };
}

/**
 * The owner's side: for each accepted invitation whose answer this device has not taken in yet,
 * the invitee's offer goes onto their map entry (found by invitation id), in their words.
 */
export async function takeInAnswers(
  vault: Vault,
  sent: readonly InvitationWire[],
): Promise<number> {
  let taken = 0;
  const { people } = await listPeople(vault);
  for (const invitation of sent) {
    if (invitation.status !== 'accepted' || invitation.invitee === null) continue;
    const entry = people.find((p) => p.invitationId === invitation.id);
    if (entry?.invitationKey === undefined) continue;
    const reply = readReply(invitation, entry.invitationKey);
    const { id, pending: _pending, ...rest } = entry;
    const offer = reply.ok ? reply.value : null;
    const { invitationId: _i, invitationKey: _k, ...kept } = rest;
    const next =
      offer === null
        ? { ...kept, accountId: invitation.invitee.accountId, handle: invitation.invitee.handle }
        : applyOffer(rest, offer, invitation.invitee);
    if ((await savePerson(vault, id, next)).ok) taken += 1;
  }
  return taken;
}
