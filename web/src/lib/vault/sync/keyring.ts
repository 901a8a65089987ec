import type { VaultStore } from '../store/store';
import type { StoredKey } from '../store/schema';
import {
  fromBase64url,
  generateKey,
  ok,
  toBase64url,
  unwrapKey,
  wrapKey,
  type Result,
} from './core';
import type { ApiError, VaultApi } from './http';

export interface CollectionKey {
  readonly keyId: number;
  readonly key: Uint8Array;
}

/** Looks up a collection key by key id (what `openEnvelope` asks for). */
export type KeyLookup = (keyId: number) => Uint8Array | undefined;

/**
 * The account's collection keys, unwrapped in memory only. Confirmed keys come from the server
 * (`GET /vault/keys`) and are kept wrapped in IndexedDB so the vault opens offline; a collection
 * used for the first time gets a key made here, kept as pending until the server accepts it.
 */
export class KeyRing {
  private readonly confirmed = new Map<string, Map<number, Uint8Array>>();
  private readonly pending = new Map<string, CollectionKey>();
  /** Keys the server served that do not unwrap under the master key (ignored). */
  rejectedKeys = 0;

  /** A copy: the session may erase its own when it locks, while this ring is still open. */
  private readonly masterKey: Uint8Array;
  private wiped = false;

  constructor(
    private readonly store: VaultStore,
    private readonly api: VaultApi,
    masterKey: Uint8Array,
    private readonly accountId: string,
  ) {
    this.masterKey = masterKey.slice();
  }

  private unwrap(k: StoredKey): Uint8Array | undefined {
    const r = unwrapKey(this.masterKey, k.wrappedKey, {
      kind: 'collection',
      ownerId: this.accountId,
      collectionId: k.collection,
      keyId: k.keyId,
    });
    return r.ok ? r.value : undefined;
  }

  private wrap(collection: string, keyId: number, key: Uint8Array): StoredKey {
    // Never wrap under an erased master key: the server would keep a key no one can open.
    if (this.wiped) throw new Error('The vault is closed.');
    const wrappedKey = wrapKey(this.masterKey, key, {
      kind: 'collection',
      ownerId: this.accountId,
      collectionId: collection,
      keyId,
    });
    return { collection, keyId, wrappedKey };
  }

  private addConfirmed(collection: string, keyId: number, key: Uint8Array): void {
    const keys = this.confirmed.get(collection) ?? new Map<number, Uint8Array>();
    keys.set(keyId, key);
    this.confirmed.set(collection, keys);
  }

  /** Loads the keys this device keeps (works offline). */
  async load(): Promise<void> {
    for (const k of await this.store.keys()) {
      const key = this.unwrap(k);
      if (key !== undefined) this.addConfirmed(k.collection, k.keyId, key);
    }
    for (const k of await this.store.pendingKeys()) {
      const key = this.unwrap(k);
      if (key !== undefined) this.pending.set(k.collection, { keyId: k.keyId, key });
    }
  }

  /** Fetches the server's keys and keeps the ones that unwrap under the master key. */
  async refresh(): Promise<Result<void, ApiError>> {
    const res = await this.api.keys();
    if (!res.ok) return res;
    const fresh: StoredKey[] = [];
    for (const wire of res.value) {
      const wrappedKey = fromBase64url(wire.wrappedKey);
      const stored = wrappedKey && { collection: wire.collection, keyId: wire.keyId, wrappedKey };
      const key = stored && this.unwrap(stored);
      if (stored === undefined || key === undefined) {
        this.rejectedKeys++;
        continue;
      }
      if (this.confirmed.get(wire.collection)?.has(wire.keyId) !== true) fresh.push(stored);
      this.addConfirmed(wire.collection, wire.keyId, key);
    }
    if (fresh.length > 0) await this.store.putKeys(fresh);
    return ok(undefined);
  }

  private highestConfirmed(collection: string): CollectionKey | undefined {
    let best: CollectionKey | undefined;
    for (const [keyId, key] of this.confirmed.get(collection) ?? []) {
      if (best === undefined || keyId > best.keyId) best = { keyId, key };
    }
    return best;
  }

  /** The key new items of the collection are sealed with, if there is one yet. */
  current(collection: string): CollectionKey | undefined {
    const confirmed = this.highestConfirmed(collection);
    const pending = this.pending.get(collection);
    if (pending !== undefined && (confirmed === undefined || pending.keyId > confirmed.keyId)) {
      return pending;
    }
    return confirmed;
  }

  /** The current key, making (and remembering, as pending) the collection's first key. */
  async currentOrCreate(collection: string): Promise<CollectionKey> {
    const existing = this.current(collection);
    if (existing !== undefined) return existing;
    const created = { keyId: 1, key: generateKey() };
    await this.store.putPendingKey(this.wrap(collection, created.keyId, created.key));
    this.pending.set(collection, created);
    return created;
  }

  /** Confirmed keys of the collection, then a pending one under an id not yet confirmed. */
  lookup(collection: string): KeyLookup {
    return (keyId) => {
      const confirmed = this.confirmed.get(collection)?.get(keyId);
      if (confirmed !== undefined) return confirmed;
      const pending = this.pending.get(collection);
      return pending?.keyId === keyId ? pending.key : undefined;
    };
  }

  /** Only the pending key (to re-seal what was sealed under a key the server refused). */
  pendingLookup(collection: string): KeyLookup {
    return (keyId) => {
      const pending = this.pending.get(collection);
      return pending?.keyId === keyId ? pending.key : undefined;
    };
  }

  pendingCollections(): string[] {
    return [...this.pending.keys()];
  }

  /**
   * Sends a pending key to the server. `lost`: another device gave the collection its key first;
   * the caller re-seals what used the pending key (under `current`) and then calls `dropPending`.
   */
  async publish(collection: string): Promise<Result<'created' | 'lost' | 'none', ApiError>> {
    const pending = this.pending.get(collection);
    if (pending === undefined) return ok('none');
    const wrapped = this.wrap(collection, pending.keyId, pending.key);
    const res = await this.api.addKey({
      collection,
      keyId: pending.keyId,
      wrappedKey: toBase64url(wrapped.wrappedKey),
    });
    if (!res.ok) return res;
    if (res.value === 'created') {
      await this.store.confirmPendingKey(wrapped);
      this.addConfirmed(collection, pending.keyId, pending.key);
      this.pending.delete(collection);
      return ok('created');
    }
    const refreshed = await this.refresh();
    if (!refreshed.ok) return refreshed;
    return ok('lost');
  }

  /** Forgets a pending key that lost (its outbox entries are re-sealed by then). */
  forgetPending(collection: string): void {
    this.pending.delete(collection);
  }

  /** Overwrites every key held in memory, the master key copy too (sign-out, lock). */
  wipe(): void {
    for (const keys of this.confirmed.values()) for (const key of keys.values()) key.fill(0);
    for (const p of this.pending.values()) p.key.fill(0);
    this.confirmed.clear();
    this.pending.clear();
    this.masterKey.fill(0);
    this.wiped = true;
  }
}
