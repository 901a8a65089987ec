import { readEnvelopeHeader } from '../../core/src/crypto/envelope.js';
import { fromBase64url } from '../../core/src/encoding/base64url.js';
import { err, ok, type Result } from '../../core/src/result.js';
import {
  MAX_PULL_ENVELOPE_BYTES,
  type CollectionKey,
  type PushChange,
  type ServerItem,
} from '../../core/src/vault/sync.js';
import { inTransaction, type Db } from '../db/database.js';
import type { RealtimeHub } from '../realtime/hub.js';
import { appendEvents, type StoredEvent } from '../realtime/log.js';
import { shareHolders } from '../shares/repository.js';
import {
  addVaultBytes,
  currentKeyIds,
  insertCollectionKey,
  listCollectionKeys,
  findItems,
  itemsSince,
  reserveSequence,
  upsertItem,
  vaultBytes,
  type VaultRow,
} from './repository.js';

/** Bytes of a base64url (unpadded) envelope: what item sizes and quotas count. */
const envelopeBytes = (text: string | null): number =>
  text === null ? 0 : Math.floor((text.length * 3) / 4);

export interface VaultLimits {
  /** Largest envelope, in bytes of its base64url text. */
  readonly itemMaxBytes: number;
  /** Most bytes one account may keep in its vault. */
  readonly quotaBytes: number;
}

export type PushFailure =
  | { readonly kind: 'duplicate_item'; readonly collection: string; readonly itemId: string }
  | { readonly kind: 'bad_envelope'; readonly collection: string; readonly itemId: string }
  | {
      readonly kind: 'item_too_large';
      readonly collection: string;
      readonly itemId: string;
      readonly limit: number;
    }
  | { readonly kind: 'quota_exceeded'; readonly quota: number }
  | {
      readonly kind: 'stale_key';
      readonly collection: string;
      readonly keyId: number;
      readonly current: number | undefined;
    }
  | { readonly kind: 'conflict'; readonly conflicts: ServerItem[] }
  | { readonly kind: 'no_account' };

export interface Applied {
  readonly collection: string;
  readonly itemId: string;
  readonly revision: number;
  readonly seq: number;
}

const keyOf = (collection: string, itemId: string) => `${collection}\u0000${itemId}`;

export const toServerItem = (row: VaultRow): ServerItem => ({
  collection: row.collection,
  itemId: row.item_id,
  revision: row.revision,
  seq: row.seq,
  envelope: row.envelope,
  updatedAt: row.updated_at,
});

/** Thrown inside the transaction to roll it back; never escapes this module. */
class Rollback extends Error {
  constructor(readonly failure: PushFailure) {
    super(failure.kind);
  }
}

/**
 * Applies a batch of changes all or nothing. Each change names the revision it was made on; if
 * any item has moved on since, nothing is written and every conflicting item comes back with the
 * server's version, so the client can keep both.
 */
export async function pushChanges(
  db: Db,
  accountId: string,
  changes: readonly PushChange[],
  limits: VaultLimits,
  now: Date,
  /** Tells members holding a share of a written collection (`share.changed`), after the commit. */
  realtime?: RealtimeHub,
): Promise<Result<Applied[], PushFailure>> {
  const seen = new Set<string>();
  const keyIds = new Map<PushChange, number>();
  for (const c of changes) {
    const key = keyOf(c.collection, c.itemId);
    if (seen.has(key))
      return err({ kind: 'duplicate_item', collection: c.collection, itemId: c.itemId });
    seen.add(key);
    if (c.envelope !== null && envelopeBytes(c.envelope) > limits.itemMaxBytes) {
      return err({
        kind: 'item_too_large',
        collection: c.collection,
        itemId: c.itemId,
        limit: limits.itemMaxBytes,
      });
    }
    // The envelope's plaintext header carries its sequence number, which is bound into its
    // associated data: it must be the revision this change creates, so clients detect replays.
    if (c.envelope !== null) {
      const bytes = fromBase64url(c.envelope);
      const header = bytes === undefined ? undefined : readEnvelopeHeader(bytes);
      if (header?.ok !== true || header.value.sequence !== c.baseRevision + 1) {
        return err({ kind: 'bad_envelope', collection: c.collection, itemId: c.itemId });
      }
      keyIds.set(c, header.value.keyId);
    }
  }

  let events: StoredEvent[] = [];
  try {
    const applied = await inTransaction(db, async (trx) => {
      const last = await reserveSequence(trx, accountId, changes.length);
      if (last === undefined) throw new Rollback({ kind: 'no_account' });
      const existingItems = new Map(
        (await findItems(trx, accountId, changes)).map((r) => [keyOf(r.collection, r.item_id), r]),
      );

      // Writes must use each collection's current key: after a re-key, older keys are refused.
      const current = await currentKeyIds(trx, accountId, [
        ...new Set(changes.map((c) => c.collection)),
      ]);
      for (const c of changes) {
        const keyId = keyIds.get(c);
        const now = current.get(c.collection);
        if (keyId !== undefined && keyId !== now) {
          throw new Rollback({ kind: 'stale_key', collection: c.collection, keyId, current: now });
        }
      }

      const conflicts: ServerItem[] = [];
      let delta = 0;
      for (const c of changes) {
        const existing = existingItems.get(keyOf(c.collection, c.itemId));
        const revision = existing?.revision ?? 0;
        if (revision !== c.baseRevision) {
          conflicts.push(
            existing === undefined
              ? {
                  collection: c.collection,
                  itemId: c.itemId,
                  revision: 0,
                  seq: 0,
                  envelope: null,
                  updatedAt: '',
                }
              : toServerItem(existing),
          );
        }
        delta += envelopeBytes(c.envelope) - (existing?.size ?? 0);
      }
      if (conflicts.length > 0) throw new Rollback({ kind: 'conflict', conflicts });
      if (delta > 0 && (await vaultBytes(trx, accountId)) + delta > limits.quotaBytes) {
        throw new Rollback({ kind: 'quota_exceeded', quota: limits.quotaBytes });
      }

      const first = last - changes.length + 1;
      const result: Applied[] = [];
      for (const [i, c] of changes.entries()) {
        const revision = c.baseRevision + 1;
        const seq = first + i;
        await upsertItem(trx, accountId, {
          collection: c.collection,
          item_id: c.itemId,
          revision,
          seq,
          envelope: c.envelope,
          size: envelopeBytes(c.envelope),
          updated_at: now.toISOString(),
        });
        result.push({ collection: c.collection, itemId: c.itemId, revision, seq });
      }
      if (delta !== 0) await addVaultBytes(trx, accountId, delta);
      // Members holding a share of a written collection learn that it changed (ids only).
      const holders = await shareHolders(trx, accountId, [
        ...new Set(changes.map((c) => c.collection)),
      ]);
      events = await appendEvents(
        trx,
        holders.map((h) => ({
          accountId: h.member_id,
          type: 'share.changed' as const,
          data: { ownerId: accountId, collection: h.collection },
        })),
        now,
      );
      return result;
    });
    realtime?.announce(events);
    return ok(applied);
  } catch (e) {
    if (e instanceof Rollback) return err(e.failure);
    throw e;
  }
}

/** One page of the account's changes after `since`. */
export async function pullChanges(
  db: Db,
  accountId: string,
  since: number,
  limit: number,
): Promise<{ changes: ServerItem[]; cursor: number; more: boolean }> {
  const rows = await itemsSince(db, accountId, since, limit + 1);
  // A page also stops at MAX_PULL_ENVELOPE_BYTES (always holding at least one change), so a
  // vault of large items never makes one huge response.
  let bytes = 0;
  let take = 0;
  for (const row of rows.slice(0, limit)) {
    const length = envelopeBytes(row.envelope);
    if (take > 0 && bytes + length > MAX_PULL_ENVELOPE_BYTES) break;
    bytes += length;
    take += 1;
  }
  const page = rows.slice(0, take);
  return {
    changes: page.map(toServerItem),
    cursor: page.at(-1)?.seq ?? since,
    more: rows.length > take,
  };
}

/** The account's collection keys, wrapped under its master key. */
export async function collectionKeys(db: Db, accountId: string) {
  const rows = await listCollectionKeys(db, accountId);
  return rows.map((r) => ({
    collection: r.collection,
    keyId: r.key_id,
    wrappedKey: r.wrapped_key,
    createdAt: r.created_at,
  }));
}

/**
 * Adds a collection key. Key ids only go up: a new key (a re-key) must have a higher id than the
 * collection's current one, so two devices creating a collection's first key get one winner.
 */
export async function addCollectionKey(
  db: Db,
  accountId: string,
  key: CollectionKey,
  now: Date,
): Promise<Result<true, { kind: 'conflict'; current: number } | { kind: 'no_account' }>> {
  try {
    await inTransaction(db, async (trx) => {
      // Locks the account's vault (as pushes do) so concurrent additions are ordered.
      if ((await reserveSequence(trx, accountId, 0)) === undefined)
        throw new Rollback({ kind: 'no_account' });
      const current =
        (await currentKeyIds(trx, accountId, [key.collection])).get(key.collection) ?? 0;
      if (key.keyId <= current) throw new KeyConflict(current);
      await insertCollectionKey(trx, {
        account_id: accountId,
        collection: key.collection,
        key_id: key.keyId,
        wrapped_key: key.wrappedKey,
        created_at: now.toISOString(),
      });
    });
    return ok(true);
  } catch (e) {
    if (e instanceof KeyConflict) return err({ kind: 'conflict', current: e.current });
    if (e instanceof Rollback) return err({ kind: 'no_account' });
    throw e;
  }
}

class KeyConflict extends Error {
  constructor(readonly current: number) {
    super('key conflict');
  }
}
