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
  opts: {
    discardUnsynced?: boolean;
    indexedDB?: IDBFactory;
    cache?: DeviceCache;
    storage?: Storage;
  } = {},
): Promise<boolean> {
  if (opts.discardUnsynced !== true && (await unsyncedChanges(accountId, opts.indexedDB)) > 0) {
    await (opts.cache ?? deviceCache).forget(accountId);
    return false;
  }
  await (opts.cache ?? deviceCache).forget(accountId);
  forgetDeviceSettings(accountId, opts.storage);
  try {
    const factory = opts.indexedDB ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB);
    if (factory !== undefined) await deleteVaultDb(accountId, factory);
  } catch {
    return false;
  }
  return true;
}

/**
 * Removes this account's settings kept in localStorage on this device (keys `tend.<…>.<account
 * id>`: check-in reminder times and words, "not now" on a watched pattern, the chosen outcome
 * for insights). They are not synced, so they go with the device copy.
 */
export function forgetDeviceSettings(accountId: string, storage?: Storage): void {
  let store: Storage | undefined = storage;
  try {
    store ??= typeof localStorage === 'undefined' ? undefined : localStorage;
    if (store === undefined) return;
    const keys: string[] = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key !== null && key.startsWith('tend.') && key.endsWith(`.${accountId}`)) keys.push(key);
    }
    for (const key of keys) store.removeItem(key);
  } catch {
    // Storage unavailable (private mode, blocked): nothing was kept there.
  }
}
