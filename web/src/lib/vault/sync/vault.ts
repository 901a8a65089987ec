import { VaultStore } from '../store/store';
import type { ConflictRecord, OutboxEntry, StoredItem } from '../store/schema';
import {
  err,
  generateId,
  isId,
  isItemType,
  ok,
  openEnvelope,
  type EnvelopeError,
  type Result,
} from './core';
import { SyncEngine, type SyncError, type SyncReport, type SyncResult } from './engine';
import { VaultApi, type FetchLike } from './http';
import { KeyRing } from './keyring';
import { SyncScheduler, type OnlineEvents } from './scheduler';
import { binding, openOwn, seal } from './seal';

export interface VaultOptions {
  readonly accountId: string;
  /** The unlocked master key. The vault keeps its own copy and erases it on `close()`. */
  readonly masterKey: Uint8Array;
  /** `fetch` (the default) or the app's API client; requests go to `${baseUrl}/api/v1/...`. */
  readonly fetch?: FetchLike;
  readonly baseUrl?: string;
  /** This device's IndexedDB (default: the global `indexedDB`). */
  readonly indexedDB?: IDBFactory;
  /** Sync on start, on `online`, after changes and with back-off (default true). */
  readonly autoSync?: boolean;
  readonly debounceMs?: number;
  /** With autoSync: sync this often while the page is visible, for other devices' changes. */
  readonly pollMs?: number;
  /** Source of `online` and `focus` events (default: `window` when there is one). */
  readonly events?: OnlineEvents;
}

/** One item as this device has it, decrypted. */
export interface VaultItem {
  readonly collection: string;
  readonly itemId: string;
  readonly type: string;
  readonly plaintext: Uint8Array;
  /** The revision this version has (or will have, once the server applies it). */
  readonly revision: number;
  /** A local change the server has not applied yet. */
  readonly pending: boolean;
  /** There is an unresolved conflict for this item (see `conflicts()`). */
  readonly conflicted: boolean;
}

export type ReadError = EnvelopeError;

export interface VaultListing {
  readonly items: readonly VaultItem[];
  /**
   * Items of a type this device does not know yet that did not open under the requested type
   * (another type, tampered, replayed, …). Items it knows to be of another type are left out.
   */
  readonly failures: readonly { readonly itemId: string; readonly error: ReadError }[];
}

/** Every item this device holds, in every collection (`Vault.all`). */
export interface VaultEverything {
  readonly items: readonly VaultItem[];
  /**
   * Items that did not open: under their known type (tampered, replayed, …), or `unknown_type`
   * when this device never learnt the item's type and none of the types offered opened it.
   */
  readonly failures: readonly {
    readonly collection: string;
    readonly itemId: string;
    readonly type: string | null;
    readonly error: ReadError | 'unknown_type';
  }[];
}

export type WriteError =
  /** the plaintext is larger than an envelope holds */
  | 'too_large'
  /** collection or item id, or item type, is not well formed */
  | 'invalid_id'
  /** (delete, resolve) there is no such item or conflict */
  | 'not_found';

/** Both sides of a conflict, decrypted; `null` content means that side deleted the item. */
export interface VaultConflict {
  readonly id: number;
  readonly collection: string;
  readonly itemId: string;
  readonly type: string | null;
  readonly mine: Result<Uint8Array | null, ReadError>;
  readonly theirs: Result<Uint8Array | null, ReadError>;
  readonly theirRevision: number;
  /** When the other version reached the server. */
  readonly theirUpdatedAt: string;
  /** When this device found the conflict (at a sync). */
  readonly createdAt: string;
}

export type ConflictChoice =
  /** seal my version on top of the server's and push it */
  | 'mine'
  /** drop my version */
  | 'theirs'
  /** keep the server's, and save mine as a new item */
  | 'both';

/** What the UI shows about the vault; a Svelte-store value. */
export interface VaultState {
  /** Goes up on every local data change: re-read what is shown. */
  readonly version: number;
  /** Collections changed in the last update. */
  readonly changed: readonly string[];
  readonly syncing: boolean;
  /** Local changes not yet applied by the server. */
  readonly pending: number;
  readonly conflicts: number;
  readonly lastError: SyncError | null;
  readonly lastSyncedAt: Date | null;
  /** What the last successful sync did (server versions it refused are in `rejected`). */
  readonly lastReport: SyncReport | null;
}

/**
 * One sync at a time across the account's tabs (Web Locks), so two tabs never push the same
 * outbox entry; without Web Locks, a duplicate push is recognised as applied (engine.ts).
 */
function tabLock(name: string): (<T>(run: () => Promise<T>) => Promise<T>) | undefined {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (locks === undefined) return undefined;
  return async <T>(run: () => Promise<T>): Promise<T> => {
    let result: { value: T } | undefined;
    await locks.request(name, async () => {
      result = { value: await run() };
    });
    if (result === undefined) throw new Error('the sync lock was not granted');
    return result.value;
  };
}

/** A revision this device opened: its marks go up to it. */
interface Opened {
  readonly collection: string;
  readonly itemId: string;
  readonly revision: number;
  readonly sequence: number;
  readonly keyId: number;
  readonly type: string;
}

const isAscii = (c: string, i: string) => isId(c) && isId(i);

/** How often a write is built again when another tab moved the item's head meanwhile. */
const MAX_HEAD_ATTEMPTS = 5;

/**
 * The vault as the app uses it: sealed in the browser, kept in IndexedDB, synced with the
 * server. Every write goes to the outbox first, so it survives reloads and offline use.
 */
export class Vault {
  private state: VaultState = {
    version: 0,
    changed: [],
    syncing: false,
    pending: 0,
    conflicts: 0,
    lastError: null,
    lastSyncedAt: null,
    lastReport: null,
  };
  private readonly listeners = new Set<(state: VaultState) => void>();
  /** Each item's last write on this page (see `serial`). */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly scheduler: SyncScheduler | undefined;
  private readonly engine: SyncEngine;

  private constructor(
    private readonly store: VaultStore,
    private readonly keys: KeyRing,
    readonly accountId: string,
    api: VaultApi,
    opts: VaultOptions,
  ) {
    this.engine = new SyncEngine({
      accountId,
      store,
      api,
      keys,
      onChange: (collections) => void this.changed([...collections]).catch(() => undefined),
      exclusive: tabLock(`tend-vault-sync-${accountId}`),
    });
    if (opts.autoSync !== false) {
      const events = opts.events ?? (typeof window === 'undefined' ? undefined : window);
      this.scheduler = new SyncScheduler(
        () => this.sync(),
        {
          debounceMs: opts.debounceMs,
          events,
          pollMs: opts.pollMs ?? 30_000,
          visible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
        },
        () => undefined,
      );
    }
  }

  static async open(opts: VaultOptions): Promise<Vault> {
    const store = await VaultStore.open(opts.accountId, opts.indexedDB);
    const api = new VaultApi(opts.fetch, opts.baseUrl);
    const keys = new KeyRing(store, api, opts.masterKey, opts.accountId);
    await keys.load();
    const vault = new Vault(store, keys, opts.accountId, api, opts);
    await vault.changed([]);
    vault.scheduler?.start();
    return vault;
  }

  // State for the UI.

  /** Svelte store contract: `run` is called now and after every change. */
  subscribe(run: (state: VaultState) => void): () => void {
    this.listeners.add(run);
    run(this.state);
    return () => this.listeners.delete(run);
  }

  private set(patch: Partial<VaultState>): void {
    this.state = { ...this.state, ...patch };
    for (const run of this.listeners) run(this.state);
  }

  /** Re-counts the outbox and conflicts; `collections` changed (none: only the counts). */
  private async changed(collections: string[]): Promise<void> {
    const [pending, conflicts] = await Promise.all([
      this.store.outboxCount(),
      this.store.conflicts().then((c) => c.length),
    ]);
    this.set(
      collections.length === 0
        ? { pending, conflicts }
        : { version: this.state.version + 1, changed: collections, pending, conflicts },
    );
  }

  // Sync.

  /** Syncs now (also what the scheduler runs). */
  async sync(): Promise<SyncResult> {
    this.set({ syncing: true });
    const result = await this.engine.syncNow();
    this.set(
      result.ok
        ? { syncing: false, lastError: null, lastSyncedAt: new Date(), lastReport: result.value }
        : { syncing: false, lastError: result.error },
    );
    await this.changed([]);
    return result;
  }

  private afterWrite(collection: string): Promise<void> {
    this.scheduler?.request();
    return this.changed([collection]);
  }

  // Reading.

  /** The revision the next local change of the item builds on, and its newest pending change. */
  private async head(
    collection: string,
    itemId: string,
  ): Promise<{ item: StoredItem | undefined; latest: OutboxEntry | undefined; base: number }> {
    const { item, pending, base } = await this.store.head(collection, itemId);
    return { item, latest: pending.at(-1), base };
  }

  /**
   * Runs one item's writes one after another, so each builds on the one before: two saves made
   * at once on this page never both build on the same revision (which the server would refuse
   * as a conflict with the person's own change).
   */
  private serial<T>(collection: string, itemId: string, write: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([collection, itemId]);
    const before = this.writing.get(key) ?? Promise.resolve();
    const run = before.then(write, write);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.writing.set(key, settled);
    void settled.then(() => {
      if (this.writing.get(key) === settled) this.writing.delete(key);
    });
    return run;
  }

  /**
   * Queues a change built on the item's head. `build(base)` makes the change for a base; if
   * another tab moved the head between reading it and writing, it is built again on the new head
   * (a few times; after that it is queued as it is, and a conflict keeps both versions).
   */
  private async queueAtHead(
    collection: string,
    itemId: string,
    build: (
      base: number,
      head: { item: StoredItem | undefined; latest: OutboxEntry | undefined },
    ) => Promise<Result<Omit<OutboxEntry, 'id'>, WriteError>>,
  ): Promise<Result<{ revision: number }, WriteError>> {
    return this.serial(collection, itemId, async () => {
      for (let attempt = 1; ; attempt++) {
        const { item, latest, base } = await this.head(collection, itemId);
        const change = await build(base, { item, latest });
        if (!change.ok) return change;
        if (attempt >= MAX_HEAD_ATTEMPTS) {
          await this.store.addOutbox(change.value);
        } else if (!(await this.store.addOutboxAtHead(change.value))) {
          continue;
        }
        await this.afterWrite(collection);
        return ok({ revision: base + 1 });
      }
    });
  }

  /** Opens the local version: the newest pending change, else the server's accepted one. */
  private open(
    collection: string,
    type: string,
    itemId: string,
    item: StoredItem | undefined,
    latest: OutboxEntry | undefined,
  ): { result: Result<Uint8Array | undefined, ReadError>; raised?: Opened } {
    const b = binding(this.accountId, collection, itemId, type);
    const lookup = this.keys.lookup(collection);
    if (latest !== undefined) {
      if (latest.envelope === null) return { result: ok(undefined) };
      const sequence = latest.baseRevision + 1;
      const own = openOwn(b, latest.envelope, sequence, lookup);
      // Sealed under this device's first key of the collection, which lost to another device's
      // and is re-sealed at the next sync.
      if (!own.ok && own.error === 'auth_failed') {
        return {
          result: openOwn(b, latest.envelope, sequence, this.keys.pendingLookup(collection)),
        };
      }
      return { result: own };
    }
    if (item === undefined || item.envelope === null) return { result: ok(undefined) };
    const opened = openEnvelope({
      envelope: item.envelope,
      binding: b,
      collectionKeys: lookup,
      expectedSequence: item.revision,
      minSequence: item.maxSequence,
      minKeyId: item.maxKeyId,
    });
    if (!opened.ok) return { result: opened };
    const { sequence, keyId, plaintext } = opened.value;
    const raised =
      sequence > item.maxSequence || keyId > item.maxKeyId || item.type !== type
        ? { collection, itemId, revision: item.revision, sequence, keyId, type }
        : undefined;
    return { result: ok(plaintext), raised };
  }

  async get(
    collection: string,
    type: string,
    itemId: string,
  ): Promise<Result<VaultItem | undefined, ReadError>> {
    if (!isAscii(collection, itemId) || !isItemType(type)) return err('wrong_binding');
    const { item, latest, base } = await this.head(collection, itemId);
    const { result, raised } = this.open(collection, type, itemId, item, latest);
    if (!result.ok) return result;
    if (raised !== undefined) await this.store.raiseMarks([raised]);
    if (result.value === undefined) return ok(undefined);
    const conflicted = (await this.store.conflicts()).some(
      (c) => c.collection === collection && c.itemId === itemId,
    );
    return ok({
      collection,
      itemId,
      type,
      plaintext: result.value,
      revision: latest !== undefined ? base : (item?.revision ?? 0),
      pending: latest !== undefined,
      conflicted,
    });
  }

  /** Every item of the collection that opens as `type`; deleted items are left out. */
  async list(collection: string, type: string): Promise<VaultListing> {
    if (!isId(collection) || !isItemType(type)) return { items: [], failures: [] };
    const [stored, outbox, conflicts] = await Promise.all([
      this.store.itemsOfType(collection, type),
      this.store.outbox(),
      this.store.conflicts(),
    ]);
    const latest = new Map<string, OutboxEntry>();
    for (const e of outbox) if (e.collection === collection) latest.set(e.itemId, e);
    const items = new Map(stored.map((i) => [i.itemId, i]));
    const conflicted = new Set(
      conflicts.filter((c) => c.collection === collection).map((c) => c.itemId),
    );
    const ids = [...new Set([...items.keys(), ...latest.keys()])].sort();

    const found: VaultItem[] = [];
    const failures: { itemId: string; error: ReadError }[] = [];
    const raisedItems: Opened[] = [];
    for (const itemId of ids) {
      const item = items.get(itemId);
      const pending = latest.get(itemId);
      // An item this device already knows (it wrote it, or opened it and the AD checked out)
      // to be of another type is not tried — the AEAD would only refuse it, after
      // authenticating every byte (a plan's versions are large) — and not read from IndexedDB
      // at all (itemsOfType). Items of unknown type are tried: those that don't open are
      // `failures`.
      const knownType = pending !== undefined ? pending.type : (item?.type ?? null);
      if (knownType !== null && knownType !== type) continue;
      const { result, raised } = this.open(collection, type, itemId, item, pending);
      if (raised !== undefined) raisedItems.push(raised);
      if (!result.ok) failures.push({ itemId, error: result.error });
      else if (result.value !== undefined) {
        found.push({
          collection,
          itemId,
          type,
          plaintext: result.value,
          revision: pending !== undefined ? pending.baseRevision + 1 : (item?.revision ?? 0),
          pending: pending !== undefined,
          conflicted: conflicted.has(itemId),
        });
      }
    }
    // Raising the marks rewrites every item read for the first time (after a first sync, all of
    // them): do it after answering. If it does not happen (the tab closes), the next read does.
    void this.store.raiseMarks(raisedItems).catch(() => undefined);
    return { items: found, failures };
  }

  /**
   * Every item of every collection, decrypted (deleted items left out), for the data export.
   * The item type is bound in each envelope but not written in it: an item is opened as the type
   * this device recorded for it, else as each of `types` in turn (the types the app knows).
   * `onProgress(done, total)` is called as items are opened.
   */
  async all(
    types: readonly string[] = [],
    onProgress?: (done: number, total: number) => void,
  ): Promise<VaultEverything> {
    const [stored, outbox, conflicts] = await Promise.all([
      this.store.allItems(),
      this.store.outbox(),
      this.store.conflicts(),
    ]);
    const key = (collection: string, itemId: string) => JSON.stringify([collection, itemId]);
    const latest = new Map<string, OutboxEntry>();
    for (const e of outbox) latest.set(key(e.collection, e.itemId), e);
    const items = new Map(stored.map((i) => [key(i.collection, i.itemId), i]));
    const conflicted = new Set(conflicts.map((c) => key(c.collection, c.itemId)));
    const ids = [...new Set([...items.keys(), ...latest.keys()])].sort();
    const offered = types.filter((t) => isItemType(t));

    const found: VaultItem[] = [];
    const failures: VaultEverything['failures'][number][] = [];
    const raisedItems: Opened[] = [];
    let done = 0;
    for (const k of ids) {
      const item = items.get(k);
      const pending = latest.get(k);
      const [collection, itemId] = JSON.parse(k) as [string, string];
      const known = [...new Set([pending?.type, item?.type])].filter(
        (t): t is string => typeof t === 'string' && isItemType(t),
      );
      const candidates = [...new Set([...known, ...offered])];
      let firstError: ReadError | undefined;
      let opened = false;
      for (const type of candidates) {
        const { result, raised } = this.open(collection, type, itemId, item, pending);
        if (!result.ok) {
          if (known.includes(type)) firstError ??= result.error;
          continue;
        }
        opened = true;
        if (raised !== undefined) raisedItems.push(raised);
        if (result.value !== undefined) {
          found.push({
            collection,
            itemId,
            type,
            plaintext: result.value,
            revision: pending !== undefined ? pending.baseRevision + 1 : (item?.revision ?? 0),
            pending: pending !== undefined,
            conflicted: conflicted.has(k),
          });
        }
        break;
      }
      const deleted =
        pending !== undefined ? pending.envelope === null : (item?.envelope ?? null) === null;
      if (!opened && !deleted) {
        failures.push({
          collection,
          itemId,
          type: known[0] ?? null,
          error: firstError ?? 'unknown_type',
        });
      }
      done += 1;
      onProgress?.(done, ids.length);
    }
    void this.store.raiseMarks(raisedItems).catch(() => undefined);
    return { items: found, failures };
  }

  // Writing.

  /** Seals a new version of the item under the collection's current key and queues it. */
  async put(
    collection: string,
    type: string,
    itemId: string,
    plaintext: Uint8Array,
  ): Promise<Result<{ revision: number }, WriteError>> {
    if (!isAscii(collection, itemId) || !isItemType(type)) return err('invalid_id');
    return this.queueAtHead(collection, itemId, (base) =>
      this.sealChange(collection, type, itemId, base, plaintext),
    );
  }

  private async sealChange(
    collection: string,
    type: string,
    itemId: string,
    base: number,
    plaintext: Uint8Array,
  ): Promise<Result<Omit<OutboxEntry, 'id'>, WriteError>> {
    const key = await this.keys.currentOrCreate(collection);
    const sealed = seal(
      binding(this.accountId, collection, itemId, type),
      key,
      base + 1,
      plaintext,
    );
    if (!sealed.ok) return err('too_large');
    return ok({
      collection,
      itemId,
      type,
      baseRevision: base,
      envelope: sealed.value,
      createdAt: new Date().toISOString(),
    });
  }

  /** Deletes the item (a tombstone on the server, so other devices learn of it). */
  async delete(collection: string, itemId: string): Promise<Result<void, WriteError>> {
    if (!isAscii(collection, itemId)) return err('invalid_id');
    const queued = await this.queueAtHead(collection, itemId, async (base, { item, latest }) => {
      const exists =
        latest !== undefined ? latest.envelope !== null : (item?.envelope ?? null) !== null;
      if (!exists) return err('not_found');
      return ok({
        collection,
        itemId,
        type: latest?.type ?? item?.type ?? null,
        baseRevision: base,
        envelope: null,
        createdAt: new Date().toISOString(),
      });
    });
    return queued.ok ? ok(undefined) : queued;
  }

  // Conflicts.

  private openConflictSide(
    c: ConflictRecord,
    envelope: Uint8Array | null,
    sequence: number,
  ): Result<Uint8Array | null, ReadError> {
    if (envelope === null) return ok(null);
    if (c.type === null) return err('wrong_binding');
    const r = openOwn(
      binding(this.accountId, c.collection, c.itemId, c.type),
      envelope,
      sequence,
      this.keys.lookup(c.collection),
    );
    return r.ok ? ok(r.value) : r;
  }

  /** Unresolved conflicts, both versions decrypted, oldest first. */
  async conflicts(): Promise<VaultConflict[]> {
    return (await this.store.conflicts()).map((c) => ({
      id: c.id,
      collection: c.collection,
      itemId: c.itemId,
      type: c.type,
      mine: this.openConflictSide(c, c.local.envelope, c.local.sequence),
      theirs: this.openConflictSide(c, c.server.envelope, c.server.revision),
      theirRevision: c.server.revision,
      theirUpdatedAt: c.server.updatedAt,
      createdAt: c.createdAt,
    }));
  }

  /**
   * Resolves a conflict. `mine` seals this device's version on top of the item's current
   * revision; `theirs` drops it; `both` saves it as a new item (id returned) beside theirs.
   */
  async resolve(
    id: number,
    choice: ConflictChoice,
  ): Promise<Result<{ itemId: string }, WriteError | ReadError>> {
    const found = await this.store.conflict(id);
    if (found === undefined) return err('not_found');
    return this.serial(found.collection, found.itemId, () => this.resolveNow(id, choice));
  }

  private async resolveNow(
    id: number,
    choice: ConflictChoice,
  ): Promise<Result<{ itemId: string }, WriteError | ReadError>> {
    const c = await this.store.conflict(id);
    if (c === undefined) return err('not_found');
    const mine = this.openConflictSide(c, c.local.envelope, c.local.sequence);
    if (!mine.ok) return choice === 'theirs' ? this.drop(c) : mine;
    if (choice === 'theirs' || (choice === 'both' && mine.value === null)) return this.drop(c);

    const { base } = await this.head(c.collection, c.itemId);
    let change: Result<Omit<OutboxEntry, 'id'>, WriteError>;
    let itemId = c.itemId;
    if (mine.value === null) {
      change = ok({
        collection: c.collection,
        itemId,
        type: c.type,
        baseRevision: base,
        envelope: null,
        createdAt: new Date().toISOString(),
      });
    } else if (c.type === null) {
      return err('wrong_binding');
    } else {
      if (choice === 'both') itemId = generateId();
      change = await this.sealChange(
        c.collection,
        c.type,
        itemId,
        choice === 'both' ? 0 : base,
        mine.value,
      );
    }
    if (!change.ok) return change;
    await this.store.resolveConflict(id, [change.value]);
    await this.afterWrite(c.collection);
    return ok({ itemId });
  }

  private async drop(
    c: ConflictRecord & { id: number },
  ): Promise<Result<{ itemId: string }, never>> {
    await this.store.resolveConflict(c.id, []);
    await this.changed([c.collection]);
    return ok({ itemId: c.itemId });
  }

  // Lifetime.

  /** Stops syncing, forgets the keys held in memory and closes the database. */
  close(): void {
    this.scheduler?.stop();
    this.keys.wipe();
    this.store.close();
    this.listeners.clear();
  }

  /** Closes and deletes this device's copy of the vault (sign-out "forget this device"). */
  async destroy(): Promise<void> {
    this.scheduler?.stop();
    this.keys.wipe();
    this.listeners.clear();
    await this.store.destroy();
  }
}
