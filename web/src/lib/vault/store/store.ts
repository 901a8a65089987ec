import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { deleteVaultDb, openVaultDb } from './open';
import type {
  ConflictRecord,
  OutboxEntry,
  ServerVersion,
  StoredItem,
  StoredKey,
  VaultDbSchema,
} from './schema';

const CURSOR = 'cursor';

/** Every key of one collection's items ([collection, itemId], item ids are ASCII). */
const collectionRange = (collection: string) =>
  IDBKeyRange.bound([collection, ''], [collection, '\uffff']);

/** What an item's next local change builds on (see `VaultStore.head`). */
export interface ItemHead {
  readonly item: StoredItem | undefined;
  /** Its pending changes, oldest first. */
  readonly pending: readonly (OutboxEntry & { readonly id: number })[];
  /** The revision the next change builds on: the newest pending change's, else the item's. */
  readonly base: number;
}

/** Reads an item's head inside a transaction over `items` and `outbox`. */
async function readHead(
  tx: IDBPTransaction<VaultDbSchema, ('items' | 'outbox')[], IDBTransactionMode>,
  collection: string,
  itemId: string,
): Promise<ItemHead> {
  const [item, rows] = await Promise.all([
    tx.objectStore('items').get([collection, itemId]),
    tx.objectStore('outbox').index('byItem').getAll([collection, itemId]),
  ]);
  const pending = (rows as (OutboxEntry & { id: number })[]).sort((a, b) => a.id - b.id);
  const latest = pending.at(-1);
  const base = latest !== undefined ? latest.baseRevision + 1 : (item?.revision ?? 0);
  return { item, pending, base };
}

/** An outbox entry the server applied, with what it answered. */
export interface AppliedEntry {
  readonly entry: OutboxEntry & { readonly id: number };
  readonly revision: number;
  readonly seq: number;
  readonly keyId: number;
}

/**
 * The account's encrypted vault on this device (IndexedDB). Each method is one transaction, so
 * a reload or crash never leaves an outbox entry half moved.
 */
export class VaultStore {
  private constructor(
    private readonly db: IDBPDatabase<VaultDbSchema>,
    readonly accountId: string,
    private readonly factory: IDBFactory | undefined,
  ) {}

  static async open(accountId: string, factory?: IDBFactory): Promise<VaultStore> {
    return new VaultStore(await openVaultDb(accountId, factory), accountId, factory);
  }

  // Items (the server's versions).

  getItem(collection: string, itemId: string): Promise<StoredItem | undefined> {
    return this.db.get('items', [collection, itemId]);
  }

  /** Several items in one transaction (a pulled page), in the order asked. */
  async getItems(
    keys: readonly { collection: string; itemId: string }[],
  ): Promise<(StoredItem | undefined)[]> {
    const tx = this.db.transaction('items', 'readonly');
    const found = await Promise.all(keys.map((k) => tx.store.get([k.collection, k.itemId])));
    await tx.done;
    return found;
  }

  itemsIn(collection: string): Promise<StoredItem[]> {
    return this.db.getAll('items', collectionRange(collection));
  }

  /**
   * The collection's items of `type`, and those whose type this device does not know yet (pulled,
   * never opened) — not the ones it knows to be of another type, whose envelopes are not read.
   */
  async itemsOfType(collection: string, type: string): Promise<StoredItem[]> {
    const tx = this.db.transaction('items', 'readonly');
    const byType = tx.store.index('byType');
    const [typed, allKeys, typedKeys] = await Promise.all([
      byType.getAll(IDBKeyRange.only([collection, type])),
      tx.store.getAllKeys(collectionRange(collection)),
      byType.getAllKeys(IDBKeyRange.bound([collection, ''], [collection, '\uffff'])),
    ]);
    const known = new Set(typedKeys.map(([, itemId]) => itemId));
    const untyped = await Promise.all(
      allKeys.filter(([, itemId]) => !known.has(itemId)).map((key) => tx.store.get(key)),
    );
    await tx.done;
    return [...typed, ...untyped.filter((i): i is StoredItem => i !== undefined)];
  }

  /** Every item of every collection (data export). */
  allItems(): Promise<StoredItem[]> {
    return this.db.getAll('items');
  }

  /**
   * Raises an item's high-water marks (and records its type) after this device opened revision
   * `revision`; does nothing if the item has moved on meanwhile (a pull stored a newer one).
   */
  async raiseMarks(
    opened: readonly {
      collection: string;
      itemId: string;
      revision: number;
      sequence: number;
      keyId: number;
      type: string;
    }[],
  ): Promise<void> {
    if (opened.length === 0) return;
    const tx = this.db.transaction('items', 'readwrite');
    const items = await Promise.all(opened.map((o) => tx.store.get([o.collection, o.itemId])));
    const writes = opened.map((o, i) => {
      const item = items[i];
      if (item?.revision !== o.revision) return undefined;
      return tx.store.put({
        ...item,
        maxSequence: Math.max(item.maxSequence, o.sequence),
        maxKeyId: Math.max(item.maxKeyId, o.keyId),
        type: o.type,
      });
    });
    await Promise.all([...writes, tx.done]);
  }

  /**
   * Stores a page of pulled items and the cursor after it, together. Marks only go up: ones
   * raised by a read since the page was checked are kept.
   */
  async applyPulled(items: readonly StoredItem[], cursor: number): Promise<void> {
    const tx = this.db.transaction(['items', 'meta'], 'readwrite');
    const store = tx.objectStore('items');
    // All requests at once: IndexedDB runs them in order, without a round trip for each.
    const current = await Promise.all(items.map((i) => store.get([i.collection, i.itemId])));
    await Promise.all([
      ...items.map((item, i) =>
        store.put({
          ...item,
          maxSequence: Math.max(item.maxSequence, current[i]?.maxSequence ?? 0),
          maxKeyId: Math.max(item.maxKeyId, current[i]?.maxKeyId ?? 1),
          type: item.type ?? current[i]?.type ?? null,
        }),
      ),
      tx.objectStore('meta').put(cursor, CURSOR),
      tx.done,
    ]);
  }

  async cursor(): Promise<number> {
    return (await this.db.get('meta', CURSOR)) ?? 0;
  }

  // Outbox (local changes, sealed).

  /** Adds a change to the end of the outbox and returns its id. */
  addOutbox(entry: Omit<OutboxEntry, 'id'>): Promise<number> {
    return this.db.add('outbox', entry);
  }

  /**
   * An item's accepted version and its pending changes (oldest first), read in one transaction:
   * a push applied at the same time is seen either wholly or not at all.
   */
  async head(collection: string, itemId: string): Promise<ItemHead> {
    const tx = this.db.transaction(['items', 'outbox'], 'readonly');
    const [head] = await Promise.all([readHead(tx, collection, itemId), tx.done]);
    return head;
  }

  /**
   * Adds a change only if it still builds on the item's head (`entry.baseRevision`), checked and
   * written in one transaction; false, writing nothing, when something else moved the head
   * first (another tab's change, a push applied meanwhile).
   */
  async addOutboxAtHead(entry: Omit<OutboxEntry, 'id'>): Promise<boolean> {
    const tx = this.db.transaction(['items', 'outbox'], 'readwrite');
    const { base } = await readHead(tx, entry.collection, entry.itemId);
    if (base !== entry.baseRevision) {
      await tx.done;
      return false;
    }
    await Promise.all([tx.objectStore('outbox').add(entry), tx.done]);
    return true;
  }

  /** The whole outbox, oldest first. */
  async outbox(): Promise<(OutboxEntry & { id: number })[]> {
    return (await this.db.getAll('outbox')) as (OutboxEntry & { id: number })[];
  }

  async outboxCount(): Promise<number> {
    return this.db.count('outbox');
  }

  /**
   * Records what the server applied: each entry leaves the outbox and its envelope becomes the
   * item's accepted version, in one transaction.
   */
  async applyPushed(applied: readonly AppliedEntry[]): Promise<void> {
    const tx = this.db.transaction(['outbox', 'items'], 'readwrite');
    const items = tx.objectStore('items');
    const befores = await Promise.all(
      applied.map(({ entry }) => items.get([entry.collection, entry.itemId])),
    );
    const outbox = tx.objectStore('outbox');
    const writes = applied.flatMap(({ entry, revision, seq, keyId }, i) => [
      items.put({
        collection: entry.collection,
        itemId: entry.itemId,
        revision,
        seq,
        envelope: entry.envelope,
        maxSequence: Math.max(befores[i]?.maxSequence ?? 0, revision),
        maxKeyId: Math.max(befores[i]?.maxKeyId ?? 1, keyId),
        type: entry.type,
        updatedAt: new Date().toISOString(),
      }),
      outbox.delete(entry.id),
    ]);
    await Promise.all([...writes, tx.done]);
  }

  /**
   * The server refused an item's change because its version moved on: its pending changes leave
   * the outbox and the newest becomes a conflict record beside the server's version (which is
   * stored as the item when `accepted` says so), in one transaction.
   */
  async moveToConflict(
    collection: string,
    itemId: string,
    server: ServerVersion,
    accepted: StoredItem | undefined,
  ): Promise<ConflictRecord | undefined> {
    const tx = this.db.transaction(['outbox', 'conflicts', 'items'], 'readwrite');
    const outbox = tx.objectStore('outbox');
    const pending = (await outbox.index('byItem').getAll([collection, itemId])) as (OutboxEntry & {
      id: number;
    })[];
    pending.sort((a, b) => a.id - b.id);
    const newest = pending.at(-1);
    let record: ConflictRecord | undefined;
    if (newest !== undefined) {
      record = {
        collection,
        itemId,
        type: newest.type,
        local: { envelope: newest.envelope, sequence: newest.baseRevision + 1 },
        server,
        createdAt: newest.createdAt,
      };
      const id = await tx.objectStore('conflicts').add(record);
      record = { ...record, id };
    }
    // Older pending changes of the same item are earlier drafts of `newest`, which holds them.
    for (const p of pending) await outbox.delete(p.id);
    if (accepted !== undefined) await tx.objectStore('items').put(accepted);
    await tx.done;
    return record;
  }

  /** Replaces the envelopes of outbox entries (after re-sealing under another key). */
  async replaceOutboxEnvelopes(
    updates: readonly { id: number; envelope: Uint8Array }[],
    dropPendingKeyOf?: string,
  ): Promise<void> {
    const tx = this.db.transaction(['outbox', 'pendingKeys'], 'readwrite');
    const outbox = tx.objectStore('outbox');
    for (const u of updates) {
      const entry = await outbox.get(u.id);
      if (entry !== undefined) await outbox.put({ ...entry, envelope: u.envelope });
    }
    if (dropPendingKeyOf !== undefined)
      await tx.objectStore('pendingKeys').delete(dropPendingKeyOf);
    await tx.done;
  }

  // Conflicts.

  async conflicts(): Promise<(ConflictRecord & { id: number })[]> {
    return (await this.db.getAll('conflicts')) as (ConflictRecord & { id: number })[];
  }

  async conflict(id: number): Promise<(ConflictRecord & { id: number }) | undefined> {
    return (await this.db.get('conflicts', id)) as (ConflictRecord & { id: number }) | undefined;
  }

  /** Resolves a conflict: removes it and queues the changes that resolve it, together. */
  async resolveConflict(id: number, changes: readonly Omit<OutboxEntry, 'id'>[]): Promise<void> {
    const tx = this.db.transaction(['outbox', 'conflicts'], 'readwrite');
    for (const c of changes) await tx.objectStore('outbox').add(c);
    await tx.objectStore('conflicts').delete(id);
    await tx.done;
  }

  // Collection keys (wrapped).

  keys(): Promise<StoredKey[]> {
    return this.db.getAll('keys');
  }

  async putKeys(keys: readonly StoredKey[]): Promise<void> {
    const tx = this.db.transaction('keys', 'readwrite');
    await Promise.all([...keys.map((k) => tx.store.put(k)), tx.done]);
  }

  pendingKeys(): Promise<StoredKey[]> {
    return this.db.getAll('pendingKeys');
  }

  async putPendingKey(key: StoredKey): Promise<void> {
    await this.db.put('pendingKeys', key);
  }

  /** The server accepted a pending key: it becomes a confirmed one. */
  async confirmPendingKey(key: StoredKey): Promise<void> {
    const tx = this.db.transaction(['keys', 'pendingKeys'], 'readwrite');
    await tx.objectStore('keys').put(key);
    await tx.objectStore('pendingKeys').delete(key.collection);
    await tx.done;
  }

  // Lifetime.

  close(): void {
    this.db.close();
  }

  /** Closes and deletes everything this device keeps for the account ("forget this device"). */
  async destroy(): Promise<void> {
    this.db.close();
    await deleteVaultDb(this.accountId, this.factory);
  }
}
