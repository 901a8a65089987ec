/**
 * The owner's side of sharing (docs/PROTOCOL.md §12.3): runs the reconciler
 * (core/src/circles/reconcile.ts) over this device's vault and applies its plan — writes copies
 * into each member's collection `to-<memberId>-<generation>`, gives the member that collection's
 * key as a signed share key (PUT /api/v1/shares/:shareId), and on a re-key drops the old
 * collection (share rows first, so the server refuses the member's reads at once, then its
 * items) — even when the new one could not be shared yet: taking away never waits. Nothing is
 * shared with someone whose keys changed until the owner confirms (keys.ts).
 *
 * Also: sealing a reach-out note for its recipients, and read-only link shares.
 */
import type { PersonWire, ShareWire } from '$core/circles/api';
import {
  formatLink,
  keyToText,
  linkTokenHash,
  makeInvitationKey,
  makeLinkToken,
  openLinkSnapshot,
  sealLinkSnapshot,
  type OpenError,
} from '$core/circles/invitation';
import {
  CIRCLE_ITEM_TYPES,
  DAILY_ITEM_ID,
  decodeCircleItem,
  encodeCircleItem,
  memberCollectionId,
  type CircleGrant,
  type CircleItemType,
  type Daily,
  type LinkSnapshot,
  type ReachoutNote,
  type SectionRef,
} from '$core/circles/items';
import {
  desiredCopies,
  reconcile,
  type ExistingCollection,
  type ExistingCopy,
  type MemberChanges,
} from '$core/circles/reconcile';
import { generateId } from '$core/crypto/ids';
import { unwrapKey } from '$core/crypto/keys';
import { wrapShareKey } from '$core/crypto/share';
import { fromBase64url, toBase64url } from '$core/encoding/base64url';
import { assembleSnapshot, type PlanSnapshot } from '$core/plans/index';
import type { ApiFailure } from '../api/client';
import { scan as scanPlans } from '../plans/store';
import { VaultApi, type FetchLike } from '../vault/sync/http';
import type { Vault } from '../vault/sync/vault';
import type { CirclesApi } from './api';
import type { OwnKeys } from './invitations';
import { trustedKey, type KeyCheck } from './keys';
import { readGrant, readItem, scanCircle, writeItem } from './store';

/** The vault as sharing uses it (it syncs, so the server has a collection's key before a share). */
export type SharingVault = Pick<Vault, 'get' | 'list' | 'put' | 'delete' | 'sync'>;

/** A collection's current key, as the server holds it (wrapped under the master key). */
export type CollectionKeySource = (
  collection: string,
) => Promise<{ readonly keyId: number; readonly key: Uint8Array } | undefined>;

/** Reads a collection key from `GET /api/v1/vault/keys` and unwraps it with the master key. */
export function serverCollectionKeys(
  me: Pick<OwnKeys, 'accountId'> & { readonly masterKey: Uint8Array },
  fetch?: FetchLike,
  baseUrl = '',
): CollectionKeySource {
  const api = new VaultApi(fetch, baseUrl);
  return async (collection) => {
    const r = await api.keys();
    if (!r.ok) return undefined;
    let best: { keyId: number; key: Uint8Array } | undefined;
    for (const wire of r.value) {
      if (wire.collection !== collection || (best !== undefined && wire.keyId <= best.keyId))
        continue;
      const wrapped = fromBase64url(wire.wrappedKey);
      if (wrapped === undefined) continue;
      const key = unwrapKey(me.masterKey, wrapped, {
        kind: 'collection',
        ownerId: me.accountId,
        collectionId: collection,
        keyId: wire.keyId,
      });
      if (key.ok) best = { keyId: wire.keyId, key: key.value };
    }
    return best;
  };
}

export interface SharingDeps {
  readonly api: CirclesApi;
  readonly vault: SharingVault;
  readonly me: OwnKeys;
  readonly collectionKey: CollectionKeySource;
}

export type MemberProblem =
  /** their keys changed (or are broken): nothing is shared with them until confirmed */
  | {
      readonly memberId: string;
      readonly kind: 'keys';
      readonly check: Exclude<KeyCheck, { status: 'first-use' | 'pinned' }>;
    }
  /** a section they may see is not on this device yet (sync first): left as it was */
  | { readonly memberId: string; readonly kind: 'not_here' }
  /** writing, syncing or sharing failed: tried again next time */
  | { readonly memberId: string; readonly kind: 'failed'; readonly step: string };

export interface SharingReport {
  /** Members whose copies were written, shared or dropped. */
  readonly changed: readonly string[];
  /** Members who were given a new generation (new key). */
  readonly rekeyed: readonly string[];
  readonly problems: readonly MemberProblem[];
}

const COPY_TYPES: readonly CircleItemType[] = [
  CIRCLE_ITEM_TYPES.sharedSection,
  CIRCLE_ITEM_TYPES.contact,
  CIRCLE_ITEM_TYPES.daily,
  CIRCLE_ITEM_TYPES.note,
];

/** Every plan on this device, and the ids of sections it lists but does not have. */
async function loadPlans(
  vault: SharingVault,
): Promise<{ plans: PlanSnapshot[]; missing: Set<string> }> {
  const s = await scanPlans(vault, ['plan', 'plan.section']);
  const plans: PlanSnapshot[] = [];
  const missing = new Set<string>();
  for (const plan of s.plans) {
    const a = assembleSnapshot(plan, s.sections);
    plans.push(a.snapshot);
    for (const id of a.missing) missing.add(id);
  }
  return { plans, missing };
}

/** What is in one member collection (null when it has nothing). */
async function readCollection(
  vault: SharingVault,
  collection: string,
): Promise<{ copies: ExistingCopy[]; ids: string[] } | null> {
  const listings = await Promise.all(COPY_TYPES.map((t) => vault.list(collection, t)));
  const copies: ExistingCopy[] = [];
  const opened = new Set<string>();
  COPY_TYPES.forEach((type, i) => {
    for (const item of listings[i]?.items ?? []) {
      opened.add(item.itemId);
      const value = decodeCircleItem(type, item.plaintext);
      copies.push({ itemId: item.itemId, type, value: value.ok ? value.value : undefined });
    }
  });
  const failedEverywhere = [
    ...new Set(listings.flatMap((l) => l.failures.map((f) => f.itemId))),
  ].filter(
    (id) => !opened.has(id) && listings.every((l) => l.failures.some((f) => f.itemId === id)),
  );
  for (const itemId of failedEverywhere) copies.push({ itemId, type: 'unknown', value: undefined });
  if (copies.length === 0) return null;
  return { copies, ids: copies.map((c) => c.itemId) };
}

async function dropCollection(
  deps: SharingDeps,
  memberId: string,
  collection: string,
): Promise<boolean> {
  const unshared = await deps.api.deleteShare(collection, memberId);
  if (!unshared.ok && unshared.status !== 404) return false;
  const held = await readCollection(deps.vault, collection);
  for (const itemId of held?.ids ?? []) {
    const r = await deps.vault.delete(collection, itemId);
    if (!r.ok && r.error !== 'not_found') return false;
  }
  return true;
}

/**
 * Gives `member` the key of `collection` as a share key signed by me, unless they already hold
 * its current key.
 */
async function ensureShare(
  deps: SharingDeps,
  member: PersonWire,
  collection: string,
  outgoing: readonly ShareWire[],
): Promise<
  { ok: true; shared: boolean } | { ok: false; failure?: ApiFailure; problem?: MemberProblem }
> {
  const trusted = await trustedKey(deps.vault, member);
  if (!trusted.ok) {
    return {
      ok: false,
      problem: { memberId: member.accountId, kind: 'keys', check: trusted.check },
    };
  }
  const current = await deps.collectionKey(collection);
  if (current === undefined) {
    return { ok: false, problem: { memberId: member.accountId, kind: 'failed', step: 'key' } };
  }
  const same = outgoing.find((s) => s.collection === collection && s.memberId === member.accountId);
  if (same?.keyId === current.keyId) return { ok: true, shared: false };
  const shareId = same?.shareId ?? generateId();
  const wrapped = await wrapShareKey({
    shareId,
    senderId: deps.me.accountId,
    recipientId: member.accountId,
    keyId: current.keyId,
    collectionKey: current.key,
    recipientX25519PublicKey: trusted.key.x25519PublicKey,
    senderEd25519Seed: deps.me.identity.ed25519Seed,
  });
  const r = await deps.api.putShare(shareId, {
    collection,
    memberId: member.accountId,
    keyId: current.keyId,
    shareKey: toBase64url(wrapped),
  });
  return r.ok ? { ok: true, shared: true } : { ok: false, failure: r };
}

/**
 * Makes every member's shared collection match their grant (run after plan, grant, contact or
 * daily-word changes). Safe to run again at any time: a run that stops half-way is finished by
 * the next one.
 */
export async function syncSharing(
  deps: SharingDeps,
): Promise<
  | { readonly ok: true; readonly value: SharingReport }
  | { readonly ok: false; readonly error: ApiFailure | { code: 'sync' } }
> {
  const first = await deps.vault.sync();
  if (!first.ok) return { ok: false, error: { code: 'sync' } };
  const [circles, shares] = await Promise.all([deps.api.circles(), deps.api.shares()]);
  if (!circles.ok) return { ok: false, error: circles };
  if (!shares.ok) return { ok: false, error: shares };
  const members = new Map(circles.value.mine.map((m) => [m.member.accountId, m.member]));
  const outgoing = shares.value.outgoing;

  const circle = await scanCircle(deps.vault);
  const { plans, missing } = await loadPlans(deps.vault);
  const grants = [...circle.grants.values()];
  const today = await readItem(deps.vault, CIRCLE_ITEM_TYPES.daily, DAILY_ITEM_ID);
  const daily = today.ok ? today.value : null;

  // Every member collection there may be: shared ones, and each grant's generation ± 1.
  const candidates = new Map<string, Set<number>>();
  const add = (memberId: string, generation: number) => {
    if (generation < 1) return;
    const set = candidates.get(memberId) ?? new Set<number>();
    set.add(generation);
    candidates.set(memberId, set);
  };
  for (const g of grants) for (const d of [-1, 0, 1]) add(g.memberId, g.generation + d);
  for (const s of outgoing) {
    const m = /^to-(.+)-([1-9]\d{0,9})$/.exec(s.collection);
    if (m !== null && m[1] === s.memberId) add(s.memberId, Number(m[2]));
  }
  const existing = new Map<string, ExistingCollection[]>();
  for (const [memberId, generations] of candidates) {
    const cols: ExistingCollection[] = [];
    for (const generation of [...generations].sort((a, b) => a - b)) {
      const held = await readCollection(deps.vault, memberCollectionId(memberId, generation));
      if (held !== null) cols.push({ generation, items: held.copies });
    }
    if (cols.length > 0) existing.set(memberId, cols);
  }

  const problems: MemberProblem[] = [];
  // A member whose granted section is not on this device yet is left as it is.
  const waiting = new Set(
    grants
      .filter((g) => members.has(g.memberId) && g.sections.some((r) => missing.has(r.sectionId)))
      .map((g) => g.memberId),
  );
  for (const memberId of waiting) problems.push({ memberId, kind: 'not_here' });

  const changes = reconcile({
    grants: grants.filter((g) => !waiting.has(g.memberId)),
    members: new Set([...members.keys()].filter((id) => !waiting.has(id))),
    plans,
    contact: circle.settings.reach,
    daily,
    existing: new Map([...existing].filter(([id]) => !waiting.has(id))),
  });

  const changed: string[] = [];
  const rekeyed: string[] = [];
  const toShare: { member: PersonWire; collection: string; change: MemberChanges }[] = [];
  const toDrop: { memberId: string; collection: string }[] = [];
  for (const change of changes) {
    const member = members.get(change.memberId);
    if (member === undefined || change.collection === null) {
      for (const c of change.drop) toDrop.push({ memberId: change.memberId, collection: c });
      if (change.drop.length > 0) changed.push(change.memberId);
      continue;
    }
    // Nothing is shared with someone whose keys changed; what they may no longer see is still
    // taken away at once (their old collection is dropped below).
    const trusted = await trustedKey(deps.vault, member);
    if (!trusted.ok) {
      problems.push({ memberId: change.memberId, kind: 'keys', check: trusted.check });
    }
    for (const c of change.drop) toDrop.push({ memberId: change.memberId, collection: c });
    let wrote = true;
    for (const w of change.writes) {
      const bytes = encodeCircleItem(w.type, w.value as never);
      if (
        !bytes.ok ||
        !(await deps.vault.put(change.collection, w.type, w.itemId, bytes.value)).ok
      ) {
        wrote = false;
        break;
      }
    }
    if (!wrote) {
      problems.push({ memberId: change.memberId, kind: 'failed', step: 'write' });
      continue;
    }
    const grant = circle.grants.get(change.memberId);
    if (grant !== undefined && grant.generation !== change.generation) {
      await writeItem(deps.vault, CIRCLE_ITEM_TYPES.grant, change.memberId, {
        ...grant,
        generation: change.generation,
      });
    } else if (grant === undefined && change.generation !== 1) {
      // Granted nothing, but their collection moved on (it keeps their reach-out notes): the
      // next note for them goes to the new one (memberCollection reads this).
      await writeItem(deps.vault, CIRCLE_ITEM_TYPES.grant, change.memberId, {
        memberId: change.memberId,
        sections: [],
        daily: false,
        contact: false,
        generation: change.generation,
      });
    }
    if (change.rekey) rekeyed.push(change.memberId);
    if (change.writes.length > 0 || change.drop.length > 0 || change.rekey) {
      changed.push(change.memberId);
    }
    const hasItems =
      change.writes.length > 0 ||
      (existing.get(change.memberId) ?? []).some((c) => c.generation === change.generation);
    if (hasItems && trusted.ok) toShare.push({ member, collection: change.collection, change });
  }

  // The new copies and keys reach the server before anyone is given a key to them.
  const second = await deps.vault.sync();
  if (!second.ok) return { ok: false, error: { code: 'sync' } };
  for (const s of toShare) {
    const r = await ensureShare(deps, s.member, s.collection, outgoing);
    if (!r.ok) {
      problems.push(r.problem ?? { memberId: s.member.accountId, kind: 'failed', step: 'share' });
    } else if (r.shared) changed.push(s.member.accountId);
  }
  for (const d of toDrop) {
    if (!(await dropCollection(deps, d.memberId, d.collection))) {
      problems.push({ memberId: d.memberId, kind: 'failed', step: 'drop' });
    }
  }
  if (toDrop.length > 0) await deps.vault.sync();
  return { ok: true, value: { changed: [...new Set(changed)], rekeyed, problems } };
}

/**
 * Today's word or colour (circle.daily, id `daily`, in the owner's own `circle` collection): copied
 * to the members whose grant includes it at the next `syncSharing`.
 */
export const setDaily = (vault: SharingVault, daily: Daily) =>
  writeItem(vault, CIRCLE_ITEM_TYPES.daily, DAILY_ITEM_ID, daily);

/** Saves what one member may see (circle.grant), keeping their generation. */
export async function saveGrant(
  vault: SharingVault,
  grant: Omit<CircleGrant, 'generation'>,
): Promise<boolean> {
  const current = await readGrant(vault, grant.memberId);
  return writeItem(vault, CIRCLE_ITEM_TYPES.grant, grant.memberId, {
    ...grant,
    generation: current.generation,
  });
}

// ─── Reach-out notes ────────────────────────────────────────────────────────────────────────────

/**
 * Seals a reach-out's note (and location, if chosen) into each recipient's current collection
 * and makes sure they hold its key — before the reach-out is posted. Returns the recipients it
 * could not reach this way (their keys changed, or offline).
 */
export async function sealReachoutNote(
  deps: SharingDeps,
  input: {
    readonly reachoutId: string;
    readonly recipients: readonly PersonWire[];
    readonly note: ReachoutNote;
  },
): Promise<{ readonly sealedFor: readonly string[]; readonly problems: readonly MemberProblem[] }> {
  const problems: MemberProblem[] = [];
  const written: { member: PersonWire; collection: string }[] = [];
  for (const member of input.recipients) {
    const trusted = await trustedKey(deps.vault, member);
    if (!trusted.ok) {
      problems.push({ memberId: member.accountId, kind: 'keys', check: trusted.check });
      continue;
    }
    const collection = memberCollectionId(
      member.accountId,
      (await readGrant(deps.vault, member.accountId)).generation,
    );
    const ok = await writeItem(
      deps.vault,
      CIRCLE_ITEM_TYPES.note,
      input.reachoutId,
      input.note,
      collection,
    );
    if (ok) written.push({ member, collection });
    else problems.push({ memberId: member.accountId, kind: 'failed', step: 'write' });
  }
  const synced = await deps.vault.sync();
  const shares = await deps.api.shares();
  const sealedFor: string[] = [];
  for (const w of written) {
    if (!synced.ok || !shares.ok) {
      problems.push({ memberId: w.member.accountId, kind: 'failed', step: 'sync' });
      continue;
    }
    const r = await ensureShare(deps, w.member, w.collection, shares.value.outgoing);
    if (r.ok) sealedFor.push(w.member.accountId);
    else
      problems.push(r.problem ?? { memberId: w.member.accountId, kind: 'failed', step: 'share' });
  }
  return { sealedFor, problems };
}

// ─── Link shares ────────────────────────────────────────────────────────────────────────────────

/** The snapshot a link shows: only the parts for supporters of the chosen sections. */
export function linkSnapshot(
  plans: readonly PlanSnapshot[],
  sections: readonly SectionRef[],
  contact: string | null,
  now: Date = new Date(),
): LinkSnapshot {
  const copies = desiredCopies(
    { memberId: 'link', sections: [...sections], daily: false, contact: false, generation: 1 },
    plans,
    '',
    null,
  );
  return {
    sections: [...copies.values()].map((c) => c.value as LinkSnapshot['sections'][number]),
    ...(contact !== null && contact.trim() !== '' ? { contact } : {}),
    madeAt: now.toISOString(),
  };
}

/** Makes a read-only link for someone without an account; the key lives only in the link. */
export async function createLinkShare(
  deps: Pick<SharingDeps, 'api' | 'vault' | 'me'>,
  input: {
    readonly sections: readonly SectionRef[];
    readonly contact: boolean;
    readonly label: string;
    readonly expiresInHours: number;
    readonly origin: string;
  },
): Promise<
  | { ok: true; link: string; linkId: string }
  | { ok: false; error: ApiFailure | { code: 'too_large' | 'not_saved' } }
> {
  const { plans } = await loadPlans(deps.vault);
  const circle = await scanCircle(deps.vault);
  const snapshot = linkSnapshot(
    plans,
    input.sections,
    input.contact ? circle.settings.reach : null,
  );
  const linkId = generateId();
  const key = makeInvitationKey();
  const token = makeLinkToken();
  const envelope = sealLinkSnapshot({
    ownerId: deps.me.accountId,
    linkId,
    key,
    revision: 1,
    snapshot,
  });
  if (!envelope.ok) return { ok: false, error: { code: 'too_large' } };
  const r = await deps.api.createLinkShare({
    id: linkId,
    tokenHash: linkTokenHash(token),
    envelope: envelope.value,
    expiresInHours: input.expiresInHours,
  });
  if (!r.ok) return { ok: false, error: r };
  const saved = await writeItem(deps.vault, CIRCLE_ITEM_TYPES.link, linkId, {
    linkId,
    token,
    key: keyToText(key),
    sections: [...input.sections],
    contact: input.contact,
    label: input.label,
    expiresAt: r.value.expiresAt,
  });
  if (!saved) return { ok: false, error: { code: 'not_saved' } };
  return { ok: true, link: formatLink('shared', input.origin, token, key), linkId };
}

/** Revokes a link share: the server forgets it, then the owner's record of it goes. */
export async function revokeLinkShare(
  deps: Pick<SharingDeps, 'api' | 'vault'>,
  linkId: string,
): Promise<boolean> {
  const r = await deps.api.deleteLinkShare(linkId);
  if (!r.ok && r.status !== 404) return false;
  const gone = await deps.vault.delete('circle', linkId);
  return gone.ok || gone.error === 'not_found';
}

/** Anyone holding a `/shared/<token>#<key>` link reads its snapshot. */
export async function openLinkShare(
  api: CirclesApi,
  token: string,
  key: Uint8Array,
): Promise<
  | { ok: true; value: LinkSnapshot; ownerHandle: string; expiresAt: string }
  | { ok: false; error: ApiFailure | { code: OpenError } }
> {
  const r = await api.openLinkShare(token);
  if (!r.ok) return { ok: false, error: r };
  const opened = openLinkSnapshot({
    ownerId: r.value.ownerId,
    linkId: r.value.id,
    key,
    revision: r.value.revision,
    envelope: r.value.envelope,
  });
  return opened.ok
    ? {
        ok: true,
        value: opened.value,
        ownerHandle: r.value.ownerHandle,
        expiresAt: r.value.expiresAt,
      }
    : { ok: false, error: { code: opened.error } };
}
