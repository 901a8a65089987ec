/**
 * Removing this device's copy of an account: the encrypted vault database and the cached
 * account bundle. Unsynced changes (the outbox, and this device's side of unresolved conflicts)
 * exist nowhere else, so they are only dropped when the person has chosen that.
 */
import { deleteVaultDb } from './store/open';
import { VaultStore } from './store/store';
import { deviceCache, type DeviceCache } from './device';

/** Local changes the server does not have: queued changes plus this device's conflict sides. */
export async function unsyncedChanges(accountId: string, factory?: IDBFactory): Promise<number> {
  try {
    const store = await VaultStore.open(accountId, factory);
    try {
      const [pending, conflicts] = await Promise.all([
        store.outboxCount(),
        store.conflicts().then((c) => c.length),
      ]);
      return pending + conflicts;
    } finally {
      store.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Deletes the account's vault database and cached bundle from this device. Without
 * `discardUnsynced`, nothing is deleted while unsynced changes remain (returns false).
 */
export async function forgetDevice(
  accountId: string,
  opts: { discardUnsynced?: boolean; indexedDB?: IDBFactory; cache?: DeviceCache } = {},
): Promise<boolean> {
  if (opts.discardUnsynced !== true && (await unsyncedChanges(accountId, opts.indexedDB)) > 0) {
    await (opts.cache ?? deviceCache).forget(accountId);
    return false;
  }
  await (opts.cache ?? deviceCache).forget(accountId);
  try {
    const factory = opts.indexedDB ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB);
    if (factory !== undefined) await deleteVaultDb(accountId, factory);
  } catch {
    return false;
  }
  return true;
}
