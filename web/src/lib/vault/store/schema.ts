import type { DBSchema } from 'idb';

/**
 * What the vault keeps on this device, in IndexedDB. Only sealed envelopes, wrapped keys and
 * non-secret metadata (ids, item types, revisions, times) are stored: never plaintext, never an
 * unwrapped key.
 */

/** The last version of an item accepted from the server, and this device's high-water marks. */
export interface StoredItem {
  readonly collection: string;
  readonly itemId: string;
  /** The server's revision of `envelope` (equal to its sealed sequence). */
  readonly revision: number;
  /** The server's account-wide change number of that revision. */
  readonly seq: number;
  /** The sealed envelope; null when the item was deleted (a tombstone). */
  readonly envelope: Uint8Array | null;
  /** Highest sequence this device has accepted for the item (replay detection). */
  readonly maxSequence: number;
  /** Highest collection key id this device has accepted for the item (rollback detection). */
  readonly maxKeyId: number;
  /** The item type, once this device knows it (wrote the item or opened it); bound in the AD. */
  readonly type: string | null;
  readonly updatedAt: string;
}

/** A local change waiting for the server, sealed. Removed only once the server applied it. */
export interface OutboxEntry {
  /** Assigned by IndexedDB; orders the outbox. */
  readonly id?: number;
  readonly collection: string;
  readonly itemId: string;
  /** The item type (null only for a deletion of an item whose type this device never knew). */
  readonly type: string | null;
  /** The revision the change was made on (0 for a new item); its envelope seals base + 1. */
  readonly baseRevision: number;
  /** The new version, sealed; null to delete the item. */
  readonly envelope: Uint8Array | null;
  readonly createdAt: string;
}

/** A version of an item as the server has it (revision 0: the server has no such item). */
export interface ServerVersion {
  readonly revision: number;
  readonly seq: number;
  readonly envelope: Uint8Array | null;
  readonly updatedAt: string;
}

/** A local change the server refused because the item had moved on: both versions are kept. */
export interface ConflictRecord {
  readonly id?: number;
  readonly collection: string;
  readonly itemId: string;
  readonly type: string | null;
  /** This device's version (null: it was deleted here), sealed as `sequence`. */
  readonly local: { readonly envelope: Uint8Array | null; readonly sequence: number };
  readonly server: ServerVersion;
  readonly createdAt: string;
}

/** A collection key, wrapped under the master key (kind `collection`), as the server has it. */
export interface StoredKey {
  readonly collection: string;
  readonly keyId: number;
  readonly wrappedKey: Uint8Array;
}

export interface VaultDbSchema extends DBSchema {
  /** `byType`: [collection, type] of items whose type this device knows (untyped ones are not in it). */
  items: { key: [string, string]; value: StoredItem; indexes: { byType: [string, string] } };
  outbox: { key: number; value: OutboxEntry; indexes: { byItem: [string, string] } };
  conflicts: { key: number; value: ConflictRecord; indexes: { byItem: [string, string] } };
  /** Collection keys the server has confirmed. */
  keys: { key: [string, number]; value: StoredKey };
  /** Collection keys made on this device and not yet accepted by the server (one per collection). */
  pendingKeys: { key: string; value: StoredKey };
  meta: { key: string; value: number };
}

/** 2: the items `byType` index (list() reads only the items of the type asked for). */
export const DB_VERSION = 2;
