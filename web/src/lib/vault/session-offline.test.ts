// Offline cold start and unlock (docs/PROTOCOL.md §11): the cached bundle opens the vault with
// the passphrase when the server cannot be reached, and a bundle the server changes is never
// trusted before it opens. Argon2id is replaced by a hash of the passphrase (the worker is
// tested in kdf.test.ts); the API answers through a stubbed fetch.
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountSelf } from '../../../../core/src/accounts/api.js';
import { DEFAULT_KDF_PARAMS, keysFromPassphraseRoot } from '../../../../core/src/crypto/index.js';
import { deviceCache } from './device';
import { isKeptUnlocked, keepUnlocked } from './keep';
import { createAccount, newSaltSeed, passphraseChange } from './flows';

const root = (passphrase: string) =>
  new Uint8Array(createHash('sha256').update(passphrase).digest());

// The unit project does not compile runes: plain objects stand in for `$state`.
vi.hoisted(() => {
  (globalThis as { $state?: unknown }).$state = <T>(value: T): T => value;
});

vi.mock('./kdf', () => ({
  deriveInWorker: (req: { passphrase: string }) =>
    Promise.resolve({ ok: true, value: keysFromPassphraseRoot(root(req.passphrase)) }),
}));

const { unlock, refresh } = await import('./session');
const { forgetKeys, vault } = await import('./state.svelte');

const P = 'quiet river lantern orchard';
const Q = 'amber meadow violin kettle';

function accountWith(passphrase: string) {
  const account = createAccount({
    saltSeed: newSaltSeed(),
    kdfParams: { ...DEFAULT_KDF_PARAMS },
    passphrase: keysFromPassphraseRoot(root(passphrase)),
  });
  const k = account.keys;
  const self: AccountSelf = {
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
  return { self, masterKey: Uint8Array.from(account.unlocked.masterKey) };
}

/** What `GET /api/v1/accounts/me` answers: a bundle, or nothing at all (offline). */
let server: AccountSelf | 'offline' = 'offline';

beforeAll(() => {
  const store = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
    removeItem: (k: string) => store.delete(k),
  });
  vi.stubGlobal('fetch', (url: string) => {
    if (server === 'offline') return Promise.reject(new TypeError('Failed to fetch'));
    if (url.endsWith('/api/v1/accounts/me')) {
      return Promise.resolve(new Response(JSON.stringify(server), { status: 200 }));
    }
    return Promise.resolve(new Response('', { status: 404 }));
  });
});

afterEach(() => forgetKeys());

describe('unlocking offline with the cached bundle', () => {
  const a = accountWith(P);

  it('caches the bundle when an online unlock opens it, then opens offline after a reload', async () => {
    server = 'offline';
    expect((await unlock(P)).ok).toBe(false);
    server = a.self;
    expect(await unlock(P)).toEqual({ ok: true, value: undefined });
    expect(vault.status).toBe('unlocked');
    expect((await deviceCache.current())?.self).toEqual(a.self);

    // "Reload" with no network: refresh shows locked with the cached handle.
    forgetKeys();
    server = 'offline';
    await refresh();
    expect(vault.status).toBe('locked');
    expect(vault.account?.handle).toBe('ada');

    const wrong = await unlock('not the passphrase');
    expect(wrong.ok || wrong.error).toBe('wrong_passphrase');
    expect(vault.status).toBe('locked');
    expect(await unlock(P)).toEqual({ ok: true, value: undefined });
    expect(vault.status).toBe('unlocked');
  });

  it('refuses a server bundle with another identity and keeps the cached one', async () => {
    const other = accountWith(P);
    server = { ...a.self, keys: other.self.keys };
    const result = await unlock(P);
    expect(result.ok || result.error).toBe('server_mismatch');
    expect(vault.status).not.toBe('unlocked');
    // Noted by refresh, the substituted bundle is kept aside and never trusted offline.
    await refresh();
    const cached = await deviceCache.get(a.self.id);
    expect(cached?.self).toEqual(a.self);
    expect(cached?.pending?.keys).toEqual(other.self.keys);
    server = 'offline';
    expect(await unlock(P)).toEqual({ ok: true, value: undefined });
    expect((await deviceCache.get(a.self.id))?.self).toEqual(a.self);
  });

  it('a passphrase changed elsewhere: the new bundle is used once it opens', async () => {
    const change = passphraseChange({
      accountId: a.self.id,
      masterKey: a.masterKey,
      saltSeed: newSaltSeed(),
      kdfParams: { ...DEFAULT_KDF_PARAMS },
      passphrase: keysFromPassphraseRoot(root(Q)),
    });
    const changed: AccountSelf = {
      ...a.self,
      keys: {
        ...a.self.keys,
        saltSeed: change.saltSeed,
        wrappedMasterKeyPassphrase: change.wrappedMasterKeyPassphrase,
      },
    };
    server = changed;
    await refresh();
    expect((await deviceCache.get(a.self.id))?.pending).toEqual(changed);
    server = 'offline';
    forgetKeys();
    expect(await unlock(Q)).toEqual({ ok: true, value: undefined });
    const cached = await deviceCache.get(a.self.id);
    expect(cached?.self).toEqual(changed);
    expect(cached?.pending).toBeNull();
    forgetKeys();
    const old = await unlock(P);
    expect(old.ok || old.error).toBe('wrong_passphrase');
  });

  it('"keep me unlocked": a reload opens without the passphrase; quick exit drops it', async () => {
    forgetKeys();
    expect(vault.status).toBe('locked');
    expect(await keepUnlocked(a.self.id, a.masterKey)).toBe(true);
    server = 'offline';
    await refresh();
    expect(vault.status).toBe('unlocked');

    // Quick exit forgets the keys: the kept key goes too. Even if its deletion never finished
    // (the page left at once), it is not used again until turned on again.
    const record = await deviceCache.kept(a.self.id);
    forgetKeys();
    await vi.waitFor(async () => expect(await isKeptUnlocked(a.self.id)).toBe(false));
    await deviceCache.setKept(a.self.id, record);
    await refresh();
    expect(vault.status).toBe('locked');
    expect(await isKeptUnlocked(a.self.id)).toBe(false);

    // A server bundle with another identity is not opened with the kept key.
    await keepUnlocked(a.self.id, a.masterKey);
    server = { ...a.self, keys: accountWith(P).self.keys };
    await refresh();
    expect(vault.status).toBe('locked');
  });
});
