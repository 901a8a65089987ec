/**
 * A supporter's side of sharing (docs/PROTOCOL.md §12.3): the collections people have shared
 * with me. Each share key is opened only with the owner's PINNED Ed25519 key (keys.ts): a share
 * key the server forged, or one with its signature zeroed, is refused with a clear error and
 * nothing of that collection is read. Items are opened strictly where they claim to be (owner,
 * collection, item, type), and high-water marks refuse an older revision served again.
 */
import type { PersonWire, ShareWire } from '$core/circles/api';
import { CIRCLE_ITEM_TYPES } from '$core/circles/items';
import { openEnvelope, type EnvelopeError } from '$core/crypto/envelope';
import { openShareKey, type ShareKeyError } from '$core/crypto/share';
import { fromBase64url } from '$core/encoding/base64url';
import type { ApiFailure } from '../api/client';
import type { CirclesApi } from './api';
import type { OwnKeys } from './invitations';
import { trustedKey, type KeyCheck } from './keys';
import type { CircleVault } from './store';

/** One opened item of a collection shared with me. */
export interface SharedItem {
  readonly ownerId: string;
  readonly collection: string;
  readonly itemId: string;
  readonly type: string;
  readonly plaintext: Uint8Array;
  readonly revision: number;
}

export type IncomingProblem =
  /** the owner's keys changed or are broken: nothing of theirs is trusted until confirmed */
  | {
      readonly ownerId: string;
      readonly kind: 'keys';
      readonly check: Exclude<KeyCheck, { status: 'first-use' | 'pinned' }>;
    }
  /** the share key is not signed by the owner's pinned key (forged or unsigned): refused */
  | {
      readonly ownerId: string;
      readonly collection: string;
      readonly kind: 'share_key';
      readonly error: ShareKeyError;
    }
  /** an item did not open as any shared type (tampered, or moved) */
  | {
      readonly ownerId: string;
      readonly collection: string;
      readonly itemId: string;
      readonly kind: 'item';
      readonly error: EnvelopeError;
    }
  /** the owner shared with me but I am not (or no longer) in their circle */
  | { readonly ownerId: string; readonly kind: 'not_member' }
  | { readonly ownerId: string; readonly kind: 'api'; readonly failure: ApiFailure };

/** The highest revision accepted per item and the last cursor per collection (kept by the caller). */
export interface HighWater {
  revision(key: string): number;
  setRevision(key: string, revision: number): void;
}

/** High-water marks in memory (one page's life); pass one that persists to keep them longer. */
export function memoryHighWater(): HighWater {
  const marks = new Map<string, number>();
  return {
    revision: (key) => marks.get(key) ?? 0,
    setRevision: (key, revision) => {
      if (revision > (marks.get(key) ?? 0)) marks.set(key, revision);
    },
  };
}

export interface IncomingDeps {
  readonly api: CirclesApi;
  /** My own vault: the pins of the people whose circles I am in. */
  readonly vault: CircleVault;
  readonly me: OwnKeys;
  readonly marks?: HighWater;
}

export interface Incoming {
  readonly items: readonly SharedItem[];
  readonly problems: readonly IncomingProblem[];
}

const SHARED_TYPES = [
  CIRCLE_ITEM_TYPES.sharedSection,
  CIRCLE_ITEM_TYPES.contact,
  CIRCLE_ITEM_TYPES.daily,
  CIRCLE_ITEM_TYPES.note,
] as const;

const markKey = (ownerId: string, collection: string, itemId: string) =>
  JSON.stringify([ownerId, collection, itemId]);

/** Opens the share keys of one collection (every key id shared); refused ones are problems. */
async function collectionKeys(
  deps: IncomingDeps,
  owner: PersonWire,
  ownerKey: Uint8Array,
  shares: readonly ShareWire[],
  problems: IncomingProblem[],
): Promise<Map<number, Uint8Array>> {
  const keys = new Map<number, Uint8Array>();
  for (const share of shares) {
    const wrapped = fromBase64url(share.shareKey);
    const opened =
      wrapped === undefined
        ? ({ ok: false, error: 'bad_format' } as const)
        : await openShareKey({
            shareId: share.shareId,
            senderId: owner.accountId,
            recipientId: deps.me.accountId,
            wrapped,
            senderEd25519PublicKey: ownerKey,
            recipientX25519SecretKey: deps.me.identity.x25519SecretKey,
          });
    if (!opened.ok) {
      problems.push({
        ownerId: owner.accountId,
        collection: share.collection,
        kind: 'share_key',
        error: opened.error,
      });
      continue;
    }
    // The key id the share claims is the one its signature covers.
    if (opened.value.keyId === share.keyId)
      keys.set(opened.value.keyId, opened.value.collectionKey);
  }
  return keys;
}

/**
 * Everything the people whose circles I am in share with me (only `ownerId`'s, when given),
 * opened. Nothing is dropped silently: what does not open is in `problems`.
 */
export async function openIncoming(deps: IncomingDeps, ownerId?: string): Promise<Incoming> {
  const marks = deps.marks ?? memoryHighWater();
  const [shares, circles] = await Promise.all([deps.api.shares(), deps.api.circles()]);
  const problems: IncomingProblem[] = [];
  if (!shares.ok || !circles.ok) {
    const failure = !shares.ok ? shares : (circles as ApiFailure);
    return { items: [], problems: [{ ownerId: ownerId ?? '', kind: 'api', failure }] };
  }
  const owners = new Map(circles.value.supporting.map((m) => [m.owner.accountId, m.owner]));
  const incoming = shares.value.incoming.filter(
    (s) => s.memberId === deps.me.accountId && (ownerId === undefined || s.ownerId === ownerId),
  );
  const byOwner = new Map<string, ShareWire[]>();
  for (const s of incoming) byOwner.set(s.ownerId, [...(byOwner.get(s.ownerId) ?? []), s]);

  const items: SharedItem[] = [];
  for (const [id, ownerShares] of byOwner) {
    const owner = owners.get(id);
    if (owner === undefined) {
      problems.push({ ownerId: id, kind: 'not_member' });
      continue;
    }
    const trusted = await trustedKey(deps.vault, owner);
    if (!trusted.ok) {
      problems.push({ ownerId: id, kind: 'keys', check: trusted.check });
      continue;
    }
    const byCollection = new Map<string, ShareWire[]>();
    for (const s of ownerShares) {
      byCollection.set(s.collection, [...(byCollection.get(s.collection) ?? []), s]);
    }
    for (const [collection, collectionShares] of byCollection) {
      const keys = await collectionKeys(
        deps,
        owner,
        trusted.key.ed25519PublicKey,
        collectionShares,
        problems,
      );
      if (keys.size === 0) continue;
      items.push(...(await readCollection(deps, marks, id, collection, keys, problems)));
    }
  }
  return { items, problems };
}

async function readCollection(
  deps: IncomingDeps,
  marks: HighWater,
  ownerId: string,
  collection: string,
  keys: ReadonlyMap<number, Uint8Array>,
  problems: IncomingProblem[],
): Promise<SharedItem[]> {
  const out: SharedItem[] = [];
  let since = 0;
  for (;;) {
    const page = await deps.api.sharedItems(ownerId, collection, since);
    if (!page.ok) {
      problems.push({ ownerId, kind: 'api', failure: page });
      return out;
    }
    for (const item of page.value.items) {
      if (item.envelope === null) continue;
      const envelope = fromBase64url(item.envelope);
      const key = markKey(ownerId, collection, item.itemId);
      let firstError: EnvelopeError = 'bad_format';
      let opened = false;
      if (envelope !== undefined) {
        for (const type of SHARED_TYPES) {
          const r = openEnvelope({
            envelope,
            binding: { ownerId, collectionId: collection, itemId: item.itemId, itemType: type },
            collectionKeys: (keyId) => keys.get(keyId),
            expectedSequence: item.revision,
            minSequence: marks.revision(key),
          });
          if (r.ok) {
            marks.setRevision(key, r.value.sequence);
            out.push({
              ownerId,
              collection,
              itemId: item.itemId,
              type,
              plaintext: r.value.plaintext,
              revision: item.revision,
            });
            opened = true;
            break;
          }
          if (r.error !== 'auth_failed' || firstError === 'bad_format') firstError = r.error;
        }
      }
      if (!opened) {
        problems.push({
          ownerId,
          collection,
          itemId: item.itemId,
          kind: 'item',
          error: firstError,
        });
      }
    }
    if (!page.value.more || page.value.cursor <= since) return out;
    since = page.value.cursor;
  }
}

/**
 * One owner's items for the supporter view, as `web/src/lib/reachouts/shared.ts` reads them
 * (`setSharedReader(sharedReader(deps))`).
 */
export function sharedReader(
  deps: IncomingDeps,
): (
  ownerId: string,
) => Promise<
  | { ok: true; items: readonly { itemId: string; type: string; plaintext: Uint8Array }[] }
  | { ok: false }
> {
  return async (ownerId) => {
    const r = await openIncoming(deps, ownerId);
    const refused = r.problems.some((p) => p.kind !== 'item');
    if (r.items.length === 0 && refused) return { ok: false };
    return { ok: true, items: r.items };
  };
}
