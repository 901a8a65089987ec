import type { VaultStore } from '../store/store';
import type { OutboxEntry, StoredItem } from '../store/schema';
import { acceptServerChange, type RejectReason, type ServerChange } from './accept';
import {
  MAX_CHANGES_PER_PULL,
  MAX_CHANGES_PER_PUSH,
  MAX_PUSH_ENVELOPE_BYTES,
  err,
  fromBase64url,
  ok,
  readEnvelopeHeader,
  toBase64url,
  type Result,
} from './core';
import type { ApiError, VaultApi } from './http';
import type { KeyRing } from './keyring';
import { resealOutbox } from './seal';

/** Why a sync stopped before it was done. Nothing is lost: the outbox keeps what was not sent. */
export type SyncError =
  /** no connection (retried with back-off) */
  | { readonly kind: 'offline' }
  /** the session has ended: sign in again */
  | { readonly kind: 'signed_out' }
  /** the server's vault quota is used up */
  | { readonly kind: 'vault_full' }
  /** one change is larger than the server accepts */
  | { readonly kind: 'item_too_large' }
  /** any other refusal or unexpected answer */
  | { readonly kind: 'server'; readonly status: number; readonly code: string | null };

/** A server version this device refused to store (its own version is kept). */
export interface RejectedChange {
  readonly collection: string;
  readonly itemId: string;
  readonly revision: number;
  readonly reason: RejectReason;
}

export interface SyncReport {
  /** Local changes the server applied. */
  readonly pushed: number;
  /** Server versions stored locally. */
  readonly pulled: number;
  /** Local changes that became conflicts (kept beside the server's version). */
  readonly conflicts: number;
  readonly rejected: readonly RejectedChange[];
  /**
   * Local changes larger than the server accepts: they stay in the outbox (nothing is dropped),
   * are skipped so the others go through, and are tried again at every sync.
   */
  readonly tooLarge: readonly { readonly collection: string; readonly itemId: string }[];
}

export type SyncResult = Result<SyncReport, SyncError>;

export interface SyncEngineDeps {
  readonly accountId: string;
  readonly store: VaultStore;
  readonly api: VaultApi;
  readonly keys: KeyRing;
  /** Told which collections changed locally (after pushes, conflicts and pulls). */
  readonly onChange?: (collections: ReadonlySet<string>) => void;
  /** Runs a sync under a lock shared by this account's tabs (default: no lock). */
  readonly exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
}

type Pending = OutboxEntry & { readonly id: number };

interface Tally {
  pushed: number;
  pulled: number;
  conflicts: number;
  rejected: RejectedChange[];
  tooLarge: { collection: string; itemId: string }[];
  changed: Set<string>;
}

function toSyncError(e: ApiError): SyncError {
  switch (e.kind) {
    case 'network':
      return { kind: 'offline' };
    case 'bad_response':
      return { kind: 'server', status: e.status, code: null };
    case 'http':
      if (e.status === 401) return { kind: 'signed_out' };
      if (e.code === 'quota_exceeded') return { kind: 'vault_full' };
      // The server refused one item (item_too_large) or the whole request body
      // (payload_too_large, over its BODY_LIMIT): both are found one change at a time.
      if (e.code === 'item_too_large' || e.code === 'payload_too_large') {
        return { kind: 'item_too_large' };
      }
      return { kind: 'server', status: e.status, code: e.code };
  }
}

const rejection = (c: ServerChange, reason: RejectReason): RejectedChange => ({
  collection: c.collection,
  itemId: c.itemId,
  revision: c.revision,
  reason,
});

const envelopeKeyId = (envelope: string): number | undefined => {
  const bytes = fromBase64url(envelope);
  const header = bytes === undefined ? undefined : readEnvelopeHeader(bytes);
  return header?.ok === true ? header.value.keyId : undefined;
};

const itemKey = (collection: string, itemId: string) => `${collection}\u0000${itemId}`;

/**
 * The oldest pending change of each item (later ones build on it), at most `size`; items in
 * `skip` (refused as too large in this run) are left for the next sync.
 */
/**
 * The next changes to push: at most `size` of them and, together, at most
 * MAX_PUSH_ENVELOPE_BYTES of envelopes (a larger one goes alone), one per item.
 */
function nextBatch(outbox: readonly Pending[], size: number, skip: ReadonlySet<string>): Pending[] {
  const seen = new Set<string>();
  const batch: Pending[] = [];
  let bytes = 0;
  for (const entry of outbox) {
    const key = itemKey(entry.collection, entry.itemId);
    if (seen.has(key)) continue;
    seen.add(key);
    if (skip.has(key)) continue;
    const length = entry.envelope?.length ?? 0;
    if (batch.length > 0 && bytes + length > MAX_PUSH_ENVELOPE_BYTES) break;
    batch.push(entry);
    bytes += length;
    if (batch.length === size) break;
  }
  return batch;
}

/**
 * Pushes the outbox, then pulls until the server has nothing more. One run at a time: a run
 * requested while one is going makes it go round once more.
 */
export class SyncEngine {
  private running: Promise<SyncResult> | undefined;
  private again = false;
  private keysFetched = false;

  constructor(private readonly deps: SyncEngineDeps) {}

  syncNow(): Promise<SyncResult> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<SyncResult> => {
      let result: SyncResult;
      do {
        this.again = false;
        const exclusive = this.deps.exclusive ?? ((f: () => Promise<SyncResult>) => f());
        result = await exclusive(() => this.runOnce());
      } while (this.again && result.ok);
      return result;
    };
    this.running = run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<SyncResult> {
    const tally: Tally = {
      pushed: 0,
      pulled: 0,
      conflicts: 0,
      rejected: [],
      tooLarge: [],
      changed: new Set(),
    };
    try {
      if (!this.keysFetched) {
        const keys = await this.deps.keys.refresh();
        if (!keys.ok) return err(toSyncError(keys.error));
        this.keysFetched = true;
      }
      const pushed = await this.push(tally);
      if (!pushed.ok) return pushed;
      const pulled = await this.pull(tally);
      if (!pulled.ok) return pulled;
      return ok({
        pushed: tally.pushed,
        pulled: tally.pulled,
        conflicts: tally.conflicts,
        rejected: tally.rejected,
        tooLarge: tally.tooLarge,
      });
    } finally {
      if (tally.changed.size > 0) this.deps.onChange?.(tally.changed);
    }
  }

  /** Sends pending collection keys; re-seals under the winner when another device was first. */
  private async publishKeys(): Promise<Result<void, SyncError>> {
    const { keys, store, accountId } = this.deps;
    for (const collection of keys.pendingCollections()) {
      const res = await keys.publish(collection);
      if (!res.ok) return err(toSyncError(res.error));
      if (res.value !== 'lost') continue;
      const winner = keys.current(collection);
      if (winner === undefined) return err({ kind: 'server', status: 409, code: 'conflict' });
      await resealOutbox(
        store,
        accountId,
        collection,
        keys.pendingLookup(collection),
        winner,
        true,
      );
      keys.forgetPending(collection);
    }
    return ok(undefined);
  }

  /** Re-seals every outbox entry of the collections under their current keys. */
  private async resealStale(collections: ReadonlySet<string>): Promise<void> {
    const { keys, store, accountId } = this.deps;
    for (const collection of collections) {
      const current = keys.current(collection);
      if (current === undefined) continue;
      await resealOutbox(store, accountId, collection, keys.lookup(collection), current, false);
    }
  }

  private async push(tally: Tally): Promise<Result<void, SyncError>> {
    const { store, api, keys } = this.deps;
    let staleKeyRetries = 0;
    // After an item_too_large answer, changes go one at a time to find the ones refused.
    let size = MAX_CHANGES_PER_PUSH;
    const skip = new Set<string>();
    for (;;) {
      const published = await this.publishKeys();
      if (!published.ok) return published;
      const batch = nextBatch(await store.outbox(), size, skip);
      if (batch.length === 0) return ok(undefined);

      const res = await api.push(
        batch.map((e) => ({
          collection: e.collection,
          itemId: e.itemId,
          baseRevision: e.baseRevision,
          envelope: e.envelope === null ? null : toBase64url(e.envelope),
        })),
      );
      if (!res.ok) {
        const e = toSyncError(res.error);
        const [only] = batch;
        if (e.kind !== 'item_too_large' || only === undefined) return err(e);
        if (batch.length === 1) {
          skip.add(itemKey(only.collection, only.itemId));
          tally.tooLarge.push({ collection: only.collection, itemId: only.itemId });
          size = MAX_CHANGES_PER_PUSH;
        } else {
          size = 1;
        }
        continue;
      }
      const outcome = res.value;
      switch (outcome.type) {
        case 'applied': {
          staleKeyRetries = 0;
          const byItem = new Map(batch.map((e) => [itemKey(e.collection, e.itemId), e]));
          const applied = [];
          for (const a of outcome.applied) {
            const entry = byItem.get(itemKey(a.collection, a.itemId));
            if (entry === undefined) continue;
            const header = entry.envelope === null ? undefined : readEnvelopeHeader(entry.envelope);
            const keyId = header?.ok === true ? header.value.keyId : 1;
            applied.push({ entry, revision: a.revision, seq: a.seq, keyId });
            tally.changed.add(a.collection);
          }
          if (applied.length === 0) return err({ kind: 'server', status: 200, code: null });
          await store.applyPushed(applied);
          tally.pushed += applied.length;
          break;
        }
        case 'conflict': {
          staleKeyRetries = 0;
          const moved = await this.keepBoth(outcome.conflicts, batch, tally);
          if (moved === 0) return err({ kind: 'server', status: 409, code: 'conflict' });
          break;
        }
        case 'stale_key': {
          // Another device re-keyed a collection: fetch its keys, seal again, retry (twice).
          if (++staleKeyRetries > 2) return err({ kind: 'server', status: 409, code: 'stale_key' });
          const refreshed = await keys.refresh();
          if (!refreshed.ok) return err(toSyncError(refreshed.error));
          await this.resealStale(new Set(batch.map((e) => e.collection)));
          break;
        }
      }
    }
  }

  /**
   * Handles the items a push conflicted on. A server version that is exactly the change sent
   * (the same envelope at the revision it creates) means an earlier push was applied but its
   * answer was lost, or another tab sent it: it counts as applied. Otherwise the server's version
   * is stored and the local one moves to the conflicts, so both are kept.
   */
  private async keepBoth(
    conflicts: readonly ServerChange[],
    batch: readonly Pending[],
    tally: Tally,
  ): Promise<number> {
    const { store, keys, accountId } = this.deps;
    const byItem = new Map(batch.map((e) => [itemKey(e.collection, e.itemId), e]));
    let handled = 0;
    for (const c of conflicts) {
      const entry = byItem.get(itemKey(c.collection, c.itemId));
      if (entry === undefined) continue;
      handled++;
      tally.changed.add(c.collection);
      const sent = entry.envelope === null ? null : toBase64url(entry.envelope);
      if (c.revision === entry.baseRevision + 1 && c.envelope === sent) {
        const header = entry.envelope === null ? undefined : readEnvelopeHeader(entry.envelope);
        const keyId = header?.ok === true ? header.value.keyId : 1;
        await store.applyPushed([{ entry, revision: c.revision, seq: c.seq, keyId }]);
        tally.pushed++;
        continue;
      }
      const existing = await store.getItem(c.collection, c.itemId);
      const accepted = acceptServerChange(accountId, existing, c, keys.lookup(c.collection));
      if (!accepted.ok) tally.rejected.push(rejection(c, accepted.error));
      const envelope = c.envelope === null ? null : (fromBase64url(c.envelope) ?? null);
      const record = await store.moveToConflict(
        c.collection,
        c.itemId,
        { revision: c.revision, seq: c.seq, envelope, updatedAt: c.updatedAt },
        accepted.ok && accepted.value !== 'unchanged' ? accepted.value : undefined,
      );
      if (record !== undefined) tally.conflicts++;
    }
    return handled;
  }

  private async pull(tally: Tally): Promise<Result<void, SyncError>> {
    const { store, api } = this.deps;
    let cursor = await store.cursor();
    for (;;) {
      const res = await api.pull(cursor, MAX_CHANGES_PER_PULL);
      if (!res.ok) return err(toSyncError(res.error));
      const page = res.value;
      const accepted = await this.acceptPage(page.changes, tally);
      const next = Math.max(cursor, page.cursor);
      await store.applyPulled(accepted, next);
      tally.pulled += accepted.length;
      if (!page.more || next === cursor) return ok(undefined);
      cursor = next;
    }
  }

  private async acceptPage(changes: readonly ServerChange[], tally: Tally): Promise<StoredItem[]> {
    const { store, keys, accountId } = this.deps;
    const accepted: StoredItem[] = [];
    let refreshedKeys = false;
    const existingItems = await store.getItems(changes);
    for (const [i, change] of changes.entries()) {
      const existing = existingItems[i];
      const lookup = keys.lookup(change.collection);
      let result = acceptServerChange(accountId, existing, change, lookup);
      const keyId = change.envelope === null ? undefined : envelopeKeyId(change.envelope);
      if (keyId !== undefined && lookup(keyId) === undefined && !refreshedKeys) {
        // Sealed under a key this device has not seen (a re-key elsewhere): fetch keys once.
        refreshedKeys = true;
        if ((await keys.refresh()).ok) {
          result = acceptServerChange(accountId, existing, change, keys.lookup(change.collection));
        }
      }
      if (!result.ok) {
        tally.rejected.push(rejection(change, result.error));
      } else if (result.value !== 'unchanged') {
        accepted.push(result.value);
        tally.changed.add(change.collection);
      }
    }
    return accepted;
  }
}
