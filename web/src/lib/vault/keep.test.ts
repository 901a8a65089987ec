import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DeviceCache } from './device';
import { isKeptUnlocked, keepUnlocked, keptMasterKey, stopKeepingUnlocked } from './keep';

describe('keep me unlocked on this device', () => {
  it('is off by default; on, it gives back the master key; off or forgotten, nothing', async () => {
    const cache = new DeviceCache(new IDBFactory());
    const id = 'AAAAAAAAAAAAAAAAAAAAAA';
    const master = crypto.getRandomValues(new Uint8Array(32));
    expect(await isKeptUnlocked(id, cache)).toBe(false);
    expect(await keptMasterKey(id, cache)).toBeUndefined();

    expect(await keepUnlocked(id, master, cache)).toBe(true);
    expect(await isKeptUnlocked(id, cache)).toBe(true);
    expect(await keptMasterKey(id, cache)).toEqual(master);
    // Bound to the account: another account's record does not open as this one.
    const other = 'BBBBBBBBBBBBBBBBBBBBBB';
    await cache.setKept(other, await cache.kept(id));
    expect(await keptMasterKey(other, cache)).toBeUndefined();

    await stopKeepingUnlocked(id, cache);
    expect(await keptMasterKey(id, cache)).toBeUndefined();

    await keepUnlocked(id, master, cache);
    await cache.forget(id);
    expect(await isKeptUnlocked(id, cache)).toBe(false);
  });

  it('stores the key non-extractable and never the master key in the clear', async () => {
    const cache = new DeviceCache(new IDBFactory());
    const id = 'AAAAAAAAAAAAAAAAAAAAAA';
    const master = crypto.getRandomValues(new Uint8Array(32));
    await keepUnlocked(id, master, cache);
    const record = (await cache.kept(id)) as { key: CryptoKey; sealed: Uint8Array };
    expect(record.key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', record.key)).rejects.toThrow();
    expect(Buffer.from(record.sealed).includes(Buffer.from(master))).toBe(false);
  });
});
