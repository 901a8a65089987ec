import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { AccountSelf } from '../../../../core/src/accounts/api.js';
import {
  DEFAULT_KDF_PARAMS,
  generateKey,
  keysFromPassphraseRoot,
} from '../../../../core/src/crypto/index.js';
import { DeviceCache, sameBundle, sameIdentity } from './device';
import { forgetDevice, unsyncedChanges } from './forget';
import { createAccount, newSaltSeed } from './flows';
import { VaultStore } from './store/store';

function self(): AccountSelf {
  const account = createAccount({
    saltSeed: newSaltSeed(),
    kdfParams: { ...DEFAULT_KDF_PARAMS },
    passphrase: keysFromPassphraseRoot(generateKey()),
  });
  const k = account.keys;
  return {
    id: k.accountId,
    handle: 'ada',
    email: null,
    role: 'member',
    createdAt: new Date(0).toISOString(),
    keys: {
      saltSeed: k.saltSeed,
      kdfParams: k.kdfParams,
      wrappedMasterKeyPassphrase: k.wrappedMasterKeyPassphrase,
      publicKeyBundle: k.publicKeyBundle,
      wrappedIdentityX25519: k.wrappedIdentityX25519,
      wrappedIdentityEd25519: k.wrappedIdentityEd25519,
    },
  };
}

describe('the device cache of the account bundle', () => {
  it('keeps the trusted bundle per account and knows the current one', async () => {
    const cache = new DeviceCache(new IDBFactory());
    expect(await cache.current()).toBeUndefined();
    const a = self();
    const b = self();
    await cache.trust(a);
    await cache.trust(b);
    expect((await cache.get(a.id))?.self).toEqual(a);
    expect((await cache.current())?.self).toEqual(b);
    await cache.forget(b.id);
    expect(await cache.current()).toBeUndefined();
    expect((await cache.get(a.id))?.self).toEqual(a);
  });

  it('never replaces the trusted bundle with a different one from the server', async () => {
    const cache = new DeviceCache(new IDBFactory());
    const a = self();
    await cache.trust(a);
    expect(await cache.noteServerBundle({ ...a, handle: 'ada2' })).toBe('same');
    expect((await cache.get(a.id))?.self.handle).toBe('ada2');

    const other = self();
    const substituted: AccountSelf = { ...a, keys: { ...other.keys } };
    expect(await cache.noteServerBundle(substituted)).toBe('pending');
    const record = await cache.get(a.id);
    expect(record?.self.keys).toEqual(a.keys);
    expect(record?.pending).toEqual(substituted);
    expect(sameBundle(a, substituted)).toBe(false);
    expect(sameIdentity(a, substituted)).toBe(false);
    const passphraseChanged: AccountSelf = {
      ...a,
      keys: { ...a.keys, saltSeed: other.keys.saltSeed },
    };
    expect(sameIdentity(a, passphraseChanged)).toBe(true);
    // An unknown account is not cached by a server answer.
    expect(await cache.noteServerBundle(other)).toBe('none');
    expect(await cache.get(other.id)).toBeUndefined();
  });

  it('ignores a record that is not a valid bundle', async () => {
    const factory = new IDBFactory();
    const cache = new DeviceCache(factory);
    const a = self();
    await cache.trust({ ...a, keys: { ...a.keys, kdfParams: 'weak' as never } });
    expect(await cache.get(a.id)).toBeUndefined();
  });
});

describe('forgetting this device', () => {
  it('keeps the encrypted copy while changes are unsynced, unless the person chose to lose them', async () => {
    const factory = new IDBFactory();
    const cache = new DeviceCache(factory);
    const a = self();
    await cache.trust(a);
    const store = await VaultStore.open(a.id, factory);
    await store.addOutbox({
      collection: 'plans',
      itemId: 'p1',
      type: 'plan',
      baseRevision: 0,
      envelope: new Uint8Array(130),
      createdAt: new Date(0).toISOString(),
    });
    store.close();
    expect(await unsyncedChanges(a.id, factory)).toBe(1);

    expect(await forgetDevice(a.id, { indexedDB: factory, cache })).toBe(false);
    expect(await cache.get(a.id)).toBeUndefined();
    expect((await factory.databases()).map((d) => d.name)).toContain(`tend-vault-${a.id}`);

    expect(await forgetDevice(a.id, { indexedDB: factory, cache, discardUnsynced: true })).toBe(
      true,
    );
    expect((await factory.databases()).map((d) => d.name)).not.toContain(`tend-vault-${a.id}`);
  });

  it('removes a fully synced copy', async () => {
    const factory = new IDBFactory();
    const cache = new DeviceCache(factory);
    const a = self();
    (await VaultStore.open(a.id, factory)).close();
    expect(await forgetDevice(a.id, { indexedDB: factory, cache })).toBe(true);
    expect((await factory.databases()).map((d) => d.name)).not.toContain(`tend-vault-${a.id}`);
  });

  it("removes the account's device settings with the copy, and nobody else's", async () => {
    const factory = new IDBFactory();
    const cache = new DeviceCache(factory);
    const a = self();
    const kept = new Map<string, string>([
      [`tend.checkins.reminders.${a.id}`, '{"words":"tea"}'],
      [`tend.checkins.watch.notNow.${a.id}`, '{}'],
      ['tend.checkins.reminders.someone-else', '{}'],
      ['tend.checkins.collapsedGroups', '[]'],
    ]);
    const storage = {
      get length() {
        return kept.size;
      },
      key: (i: number) => [...kept.keys()][i] ?? null,
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => void kept.set(k, v),
      removeItem: (k: string) => void kept.delete(k),
      clear: () => kept.clear(),
    } satisfies Storage;
    (await VaultStore.open(a.id, factory)).close();
    expect(await forgetDevice(a.id, { indexedDB: factory, cache, storage })).toBe(true);
    expect([...kept.keys()].sort()).toEqual([
      'tend.checkins.collapsedGroups',
      'tend.checkins.reminders.someone-else',
    ]);
  });
});
