import { wrap, type IDBPDatabase } from 'idb';
import { DB_VERSION, type VaultDbSchema } from './schema';

/** One database per account on this device. */
export const databaseName = (accountId: string): string => `tend-vault-${accountId}`;

/** Brings the database from `oldVersion` to `newVersion` (exported for the upgrade test). */
export function upgrade(
  db: IDBDatabase,
  oldVersion: number,
  tx: IDBTransaction | null,
  newVersion = DB_VERSION,
): void {
  if (oldVersion < 1) {
    db.createObjectStore('items', { keyPath: ['collection', 'itemId'] });
    const outbox = db.createObjectStore('outbox', { keyPath: 'id', autoIncrement: true });
    outbox.createIndex('byItem', ['collection', 'itemId']);
    const conflicts = db.createObjectStore('conflicts', { keyPath: 'id', autoIncrement: true });
    conflicts.createIndex('byItem', ['collection', 'itemId']);
    db.createObjectStore('keys', { keyPath: ['collection', 'keyId'] });
    db.createObjectStore('pendingKeys', { keyPath: 'collection' });
    db.createObjectStore('meta');
  }
  if (oldVersion < 2 && newVersion >= 2) {
    // Existing items are indexed as the index is made; a null type leaves an item out of it.
    tx?.objectStore('items').createIndex('byType', ['collection', 'type']);
  }
}

const settle = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(request.error ?? new Error('IndexedDB failed')));
  });

/**
 * Opens (creating or upgrading) the account's vault database. `factory` is the IndexedDB of this
 * device: `indexedDB` in the browser; tests pass one per simulated device.
 */
export async function openVaultDb(
  accountId: string,
  factory: IDBFactory = indexedDB,
): Promise<IDBPDatabase<VaultDbSchema>> {
  const request = factory.open(databaseName(accountId), DB_VERSION);
  request.addEventListener('upgradeneeded', (event) =>
    upgrade(request.result, event.oldVersion, request.transaction),
  );
  const db = await settle(request);
  // Another tab upgrading or deleting the database: let it, this connection is done.
  db.addEventListener('versionchange', () => db.close());
  return wrap(db) as unknown as IDBPDatabase<VaultDbSchema>;
}

/** Deletes the account's vault database from this device (close every connection first). */
export async function deleteVaultDb(
  accountId: string,
  factory: IDBFactory = indexedDB,
): Promise<void> {
  await settle(factory.deleteDatabase(databaseName(accountId)));
}
