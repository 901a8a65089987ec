import { describe, expect, it } from 'vitest';
import { accountSelfSchema, type AccountSelf } from '../../../../core/src/accounts/api.js';
import {
  DEFAULT_KDF_PARAMS,
  accountKeysSchema,
  checkKdfParams,
  derivePassphraseKeys,
  deriveRecoveryKeys,
  fromBase64url,
  generateKey,
  keysFromPassphraseRoot,
  passphraseChangeSchema,
  recoveryKeyChangeSchema,
  toBase64url,
  verifyChallenge,
} from '../../../../core/src/crypto/index.js';
import {
  chooseKdfParams,
  createAccount,
  newRecoveryKey,
  newSaltSeed,
  openWithKek,
  openWithMasterKey,
  passphraseChange,
  readRecoveryKey,
  sameRecoveryKey,
  signFor,
  unwrapWithRecoveryKey,
} from './flows';

// Argon2id is replaced by a random root here (as server/test-support/person.ts does), except in
// the one test marked "real Argon2id".
const fakePassphrase = () => keysFromPassphraseRoot(generateKey());

/** What the server would return for an account created from `keys`. */
function selfFrom(account: ReturnType<typeof createAccount>): AccountSelf {
  const k = account.keys;
  return accountSelfSchema.parse({
    id: k.accountId,
    handle: 'ada',
    email: null,
    role: 'admin',
    createdAt: new Date(0).toISOString(),
    keys: {
      saltSeed: k.saltSeed,
      kdfParams: k.kdfParams,
      wrappedMasterKeyPassphrase: k.wrappedMasterKeyPassphrase,
      publicKeyBundle: k.publicKeyBundle,
      wrappedIdentityX25519: k.wrappedIdentityX25519,
      wrappedIdentityEd25519: k.wrappedIdentityEd25519,
    },
  });
}

function newAccount() {
  const passphrase = fakePassphrase();
  const account = createAccount({
    saltSeed: newSaltSeed(),
    kdfParams: { ...DEFAULT_KDF_PARAMS },
    passphrase,
  });
  return { passphrase, account, self: selfFrom(account) };
}

describe('sign-up keys', () => {
  it('match the wire schema the server validates, and open again with the KEK', () => {
    const { passphrase, account, self } = newAccount();
    expect(accountKeysSchema.safeParse(account.keys).success).toBe(true);
    expect(account.recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    const opened = openWithKek(self, passphrase.kek);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.masterKey).toEqual(account.unlocked.masterKey);
    expect(opened.value.identity.ed25519PublicKey).toEqual(
      account.unlocked.identity.ed25519PublicKey,
    );
    expect(opened.value.fingerprint).toBe(account.unlocked.fingerprint);
    expect(opened.value.fingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
  });

  it('a wrong passphrase does not open the master key', () => {
    const { self } = newAccount();
    expect(openWithKek(self, fakePassphrase().kek)).toEqual({ ok: false, error: 'wrong_key' });
  });

  it('refuses a bundle the server swapped for another account’s', () => {
    const a = newAccount();
    const b = newAccount();
    // b's bundle, relabelled: wrong account id → refused.
    const swapped = {
      ...a.self,
      keys: { ...a.self.keys, publicKeyBundle: b.self.keys.publicKeyBundle },
    };
    expect(openWithKek(swapped, a.passphrase.kek)).toEqual({ ok: false, error: 'bad_bundle' });
  });

  it('refuses a validly signed own bundle that carries other keys', () => {
    const a = newAccount();
    // The same account id, but identity keys the server made up and signed itself.
    const forged = createAccount({
      saltSeed: newSaltSeed(),
      kdfParams: { ...DEFAULT_KDF_PARAMS },
      passphrase: fakePassphrase(),
    });
    const bundle = { ...forged.keys.publicKeyBundle, accountId: a.self.id };
    const swapped = { ...a.self, keys: { ...a.self.keys, publicKeyBundle: bundle } };
    // Relabelled → its signature no longer verifies.
    expect(openWithKek(swapped, a.passphrase.kek).ok).toBe(false);
  });

  it('refuses identity keys wrapped for another account', () => {
    const a = newAccount();
    const b = newAccount();
    const mixed = {
      ...a.self,
      keys: { ...a.self.keys, wrappedIdentityX25519: b.self.keys.wrappedIdentityX25519 },
    };
    expect(openWithKek(mixed, a.passphrase.kek)).toEqual({
      ok: false,
      error: 'identity_mismatch',
    });
  });
});

describe('challenges', () => {
  it('signs only the purpose asked for, with the page origin, verifiable by the server', () => {
    const passphrase = fakePassphrase();
    const nonce = generateKey();
    const response = {
      challengeId: 'c1',
      challenge: {
        purpose: 'sign-in' as const,
        nonce: toBase64url(nonce),
        expiresAt: 2_000_000_000,
      },
      saltSeed: toBase64url(generateKey()),
      kdfParams: { ...DEFAULT_KDF_PARAMS },
    };
    const signed = signFor({
      seed: passphrase.authSeed,
      response,
      purpose: 'sign-in',
      handle: ' Ada ',
      origin: 'http://127.0.0.1:3000',
    });
    expect(signed.ok).toBe(true);
    if (!signed.ok) return;
    expect(signed.value.handle).toBe('ada');
    const verified = verifyChallenge({
      publicKey: passphrase.authPublicKey,
      signature: fromBase64url(signed.value.signature) ?? new Uint8Array(),
      challenge: {
        purpose: 'sign-in',
        origin: 'http://127.0.0.1:3000',
        handle: 'ada',
        nonce,
        expiresAt: 2_000_000_000,
      },
      now: 1_000_000_000,
    });
    expect(verified.ok).toBe(true);

    expect(
      signFor({
        seed: passphrase.authSeed,
        response,
        purpose: 'reauth',
        handle: 'ada',
        origin: 'http://x',
      }),
    ).toEqual({ ok: false, error: 'wrong_purpose' });
    expect(
      signFor({
        seed: passphrase.authSeed,
        response,
        purpose: 'sign-in',
        handle: 'ada',
        origin: 'HTTP://Evil.example/path',
      }),
    ).toEqual({ ok: false, error: 'bad_origin' });
  });
});

describe('passphrase change and recovery', () => {
  it('re-wraps the same master key under a new passphrase', () => {
    const { account, self } = newAccount();
    const next = fakePassphrase();
    const change = passphraseChange({
      accountId: self.id,
      masterKey: account.unlocked.masterKey,
      saltSeed: newSaltSeed(),
      kdfParams: chooseKdfParams(self.keys.kdfParams),
      passphrase: next,
    });
    expect(passphraseChangeSchema.safeParse(change).success).toBe(true);
    const after = {
      ...self,
      keys: { ...self.keys, wrappedMasterKeyPassphrase: change.wrappedMasterKeyPassphrase },
    };
    const opened = openWithKek(after, next.kek);
    expect(opened.ok && opened.value.masterKey).toEqual(account.unlocked.masterKey);
  });

  it('a recovery key opens the master key; a new one replaces it', () => {
    const { account, self } = newAccount();
    const fresh = newRecoveryKey(self.id, account.unlocked.masterKey);
    expect(recoveryKeyChangeSchema.safeParse(fresh.change).success).toBe(true);
    const key = readRecoveryKey(fresh.recoveryKey.toLowerCase().replaceAll('-', ' '));
    expect(key.ok).toBe(true);
    if (!key.ok) return;
    const recovery = deriveRecoveryKeys(key.value);
    const master = unwrapWithRecoveryKey(
      self.id,
      fresh.change.wrappedMasterKeyRecovery,
      recovery.wrapKey,
    );
    expect(master).toEqual(account.unlocked.masterKey);
    expect(
      unwrapWithRecoveryKey(
        'someone-else',
        fresh.change.wrappedMasterKeyRecovery,
        recovery.wrapKey,
      ),
    ).toBeUndefined();
    const opened = openWithMasterKey(self, master ?? new Uint8Array(32));
    expect(opened.ok).toBe(true);
  });

  it('compares typed recovery keys tolerantly and reports typos', () => {
    const { account } = newAccount();
    const shown = account.recoveryKey;
    expect(sameRecoveryKey(shown.toLowerCase().replaceAll('-', '  '), shown)).toBe(true);
    expect(sameRecoveryKey(newAccount().account.recoveryKey, shown)).toBe(false);
    const typo = `${shown.slice(0, 5)}${shown[5] === 'A' ? 'B' : 'A'}${shown.slice(6)}`;
    expect(readRecoveryKey(typo)).toEqual({ ok: false, error: 'checksum_mismatch' });
    expect(readRecoveryKey('  ')).toEqual({ ok: false, error: 'empty' });
    expect(readRecoveryKey(shown.slice(0, 20))).toEqual({ ok: false, error: 'wrong_length' });
  });

  it('new passphrases keep stronger parameters and never go below the default', () => {
    expect(chooseKdfParams()).toEqual(DEFAULT_KDF_PARAMS);
    const strong = { ...DEFAULT_KDF_PARAMS, memoryKiB: 131_072 };
    expect(chooseKdfParams(strong)).toEqual(strong);
    expect(chooseKdfParams({ ...DEFAULT_KDF_PARAMS, memoryKiB: 1024 })).toEqual(DEFAULT_KDF_PARAMS);
    expect(checkKdfParams({ ...DEFAULT_KDF_PARAMS, memoryKiB: 1024 })).toEqual({
      ok: false,
      error: 'memory_too_low',
    });
  });
});

describe('real Argon2id (64 MiB, 3 passes)', () => {
  it('derives the same keys twice; the account opens with them', async () => {
    const params = checkKdfParams({ ...DEFAULT_KDF_PARAMS });
    if (!params.ok) throw new Error('default params refused');
    const saltSeed = newSaltSeed();
    const input = {
      passphrase: 'quiet river lantern',
      handle: 'ada',
      saltSeed,
      params: params.value,
    };
    const first = await derivePassphraseKeys(input);
    const account = createAccount({ saltSeed, kdfParams: params.value, passphrase: first });
    const again = await derivePassphraseKeys({ ...input, handle: ' ADA ' });
    expect(again.authPublicKey).toEqual(first.authPublicKey);
    expect(openWithKek(selfFrom(account), again.kek).ok).toBe(true);
  }, 60_000);
});
