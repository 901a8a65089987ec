/**
 * The client side of the account flows in docs/PROTOCOL.md §6, as pure functions over core's
 * crypto (no network, no DOM): what to send at sign-up, how to open what the server returns,
 * how to sign a challenge, how to build a passphrase or recovery-key change. session.svelte.ts
 * wires them to the API and the Argon2id worker.
 */
import type { AccountSelf, ChallengeResponse } from '../../../../core/src/accounts/api.js';
import {
  checkKdfParams,
  createPublicKeyBundle,
  decodeRecoveryKey,
  DEFAULT_KDF_PARAMS,
  deriveRecoveryKeys,
  encodeRecoveryKey,
  fromBase64url,
  generateId,
  generateIdentityKeys,
  generateKey,
  generateRecoveryKey,
  normaliseHandle,
  signChallenge,
  toBase64url,
  unwrapIdentityKeys,
  unwrapKey,
  verifyPublicKeyBundle,
  wrapIdentityKeys,
  wrapKey,
  type AuthPurpose,
  type IdentityKeys,
  type KdfParams,
  type PassphraseKeys,
  type RecoveryKeyError,
} from '../../../../core/src/crypto/index.js';
import type {
  AccountKeysWire,
  PassphraseChangeWire,
  RecoveryKeyChangeWire,
} from '../../../../core/src/crypto/schemas.js';
import type { Result } from '../../../../core/src/result.js';

/** What an unlocked vault holds in memory (and nowhere else). */
export interface UnlockedKeys {
  readonly accountId: string;
  readonly masterKey: Uint8Array;
  readonly identity: IdentityKeys;
  /** The person's own fingerprint (12 groups of 5 digits). */
  readonly fingerprint: string;
}

/** A fresh salt seed: 32 random bytes, chosen at sign-up and at every passphrase change. */
export function newSaltSeed(): Uint8Array {
  return generateKey();
}

/** Parameters for a new passphrase: Tend's defaults, or the current ones if they are stronger. */
export function chooseKdfParams(current?: KdfParams): KdfParams {
  if (current === undefined || !checkKdfParams({ ...current }).ok) return { ...DEFAULT_KDF_PARAMS };
  const stronger =
    current.memoryKiB >= DEFAULT_KDF_PARAMS.memoryKiB &&
    current.passes >= DEFAULT_KDF_PARAMS.passes;
  return stronger ? { ...current } : { ...DEFAULT_KDF_PARAMS };
}

export interface NewAccount {
  readonly keys: AccountKeysWire;
  readonly unlocked: UnlockedKeys;
  /** The recovery key as the person sees it (14 groups of 4). Shown once. */
  readonly recoveryKey: string;
}

/** Sign-up: master key, recovery key and identity keys, wrapped; the bundle signed. */
export function createAccount(input: {
  readonly saltSeed: Uint8Array;
  readonly kdfParams: KdfParams;
  readonly passphrase: PassphraseKeys;
}): NewAccount {
  const accountId = generateId();
  const masterKey = generateKey();
  const recoveryKey = generateRecoveryKey();
  const recovery = deriveRecoveryKeys(recoveryKey);
  const identity = generateIdentityKeys(1);
  const wrapped = wrapIdentityKeys(masterKey, accountId, identity);
  const bundle = createPublicKeyBundle(accountId, identity);
  const verified = verifyPublicKeyBundle(bundle, accountId);
  if (!verified.ok) throw new Error('could not verify a freshly made key bundle');
  return {
    keys: {
      accountId,
      saltSeed: toBase64url(input.saltSeed),
      kdfParams: { ...input.kdfParams },
      authPublicKey: toBase64url(input.passphrase.authPublicKey),
      recoveryAuthPublicKey: toBase64url(recovery.authPublicKey),
      wrappedMasterKeyPassphrase: toBase64url(
        wrapKey(input.passphrase.kek, masterKey, { kind: 'master/passphrase', accountId }),
      ),
      wrappedMasterKeyRecovery: toBase64url(
        wrapKey(recovery.wrapKey, masterKey, { kind: 'master/recovery', accountId }),
      ),
      publicKeyBundle: bundle,
      wrappedIdentityX25519: toBase64url(wrapped.x25519),
      wrappedIdentityEd25519: toBase64url(wrapped.ed25519),
    },
    unlocked: { accountId, masterKey, identity, fingerprint: verified.value.fingerprint },
    recoveryKey: encodeRecoveryKey(recoveryKey),
  };
}

export type OpenError =
  /** the passphrase (or recovery key) does not open the master key */
  | 'wrong_key'
  /** the server's own bundle for this account is malformed, signed wrongly or not ours */
  | 'bad_bundle'
  /** the identity keys do not unwrap, or the published bundle carries other keys */
  | 'identity_mismatch';

/** Opens the account with the KEK: master key, then identity keys checked against our bundle. */
export function openWithKek(self: AccountSelf, kek: Uint8Array): Result<UnlockedKeys, OpenError> {
  const wrapped = fromBase64url(self.keys.wrappedMasterKeyPassphrase);
  if (wrapped === undefined) return { ok: false, error: 'wrong_key' };
  const master = unwrapKey(kek, wrapped, { kind: 'master/passphrase', accountId: self.id });
  if (!master.ok) return { ok: false, error: 'wrong_key' };
  return openWithMasterKey(self, master.value);
}

/** The second half of opening: identity keys under the master key, against the published bundle. */
export function openWithMasterKey(
  self: AccountSelf,
  masterKey: Uint8Array,
): Result<UnlockedKeys, OpenError> {
  const bundle = verifyPublicKeyBundle(self.keys.publicKeyBundle, self.id);
  if (!bundle.ok) return { ok: false, error: 'bad_bundle' };
  const x25519 = fromBase64url(self.keys.wrappedIdentityX25519);
  const ed25519 = fromBase64url(self.keys.wrappedIdentityEd25519);
  if (x25519 === undefined || ed25519 === undefined) {
    return { ok: false, error: 'identity_mismatch' };
  }
  const identity = unwrapIdentityKeys({
    masterKey,
    accountId: self.id,
    keyId: bundle.value.keyId,
    wrapped: { x25519, ed25519 },
    publishedBundle: bundle.value,
  });
  if (!identity.ok) return { ok: false, error: 'identity_mismatch' };
  return {
    ok: true,
    value: {
      accountId: self.id,
      masterKey,
      identity: identity.value,
      fingerprint: bundle.value.fingerprint,
    },
  };
}

export type SignError = 'wrong_purpose' | 'bad_challenge' | 'bad_origin';

/**
 * Signs a challenge the server sent, after checking it is the purpose we asked for. The origin
 * is the page's own (`location.origin`), never a value from the server.
 */
export function signFor(input: {
  readonly seed: Uint8Array;
  readonly response: ChallengeResponse;
  readonly purpose: AuthPurpose;
  readonly handle: string;
  readonly origin: string;
}): Result<{ challengeId: string; handle: string; signature: string }, SignError> {
  const { response, purpose } = input;
  if (response.challenge.purpose !== purpose) return { ok: false, error: 'wrong_purpose' };
  const nonce = fromBase64url(response.challenge.nonce);
  if (nonce?.length !== 32) return { ok: false, error: 'bad_challenge' };
  const handle = normaliseHandle(input.handle);
  let signature: Uint8Array;
  try {
    signature = signChallenge(input.seed, {
      purpose,
      origin: input.origin,
      handle,
      nonce,
      expiresAt: response.challenge.expiresAt,
    });
  } catch {
    return { ok: false, error: 'bad_origin' };
  }
  return {
    ok: true,
    value: { challengeId: response.challengeId, handle, signature: toBase64url(signature) },
  };
}

/** A passphrase change: the same master key, re-wrapped under the new KEK. */
export function passphraseChange(input: {
  readonly accountId: string;
  readonly masterKey: Uint8Array;
  readonly saltSeed: Uint8Array;
  readonly kdfParams: KdfParams;
  readonly passphrase: PassphraseKeys;
}): PassphraseChangeWire {
  return {
    saltSeed: toBase64url(input.saltSeed),
    kdfParams: { ...input.kdfParams },
    authPublicKey: toBase64url(input.passphrase.authPublicKey),
    wrappedMasterKeyPassphrase: toBase64url(
      wrapKey(input.passphrase.kek, input.masterKey, {
        kind: 'master/passphrase',
        accountId: input.accountId,
      }),
    ),
  };
}

/** A new recovery key for an unlocked account: the string to show, and what to send. */
export function newRecoveryKey(
  accountId: string,
  masterKey: Uint8Array,
): { readonly recoveryKey: string; readonly change: RecoveryKeyChangeWire } {
  const key = generateRecoveryKey();
  const recovery = deriveRecoveryKeys(key);
  return {
    recoveryKey: encodeRecoveryKey(key),
    change: {
      recoveryAuthPublicKey: toBase64url(recovery.authPublicKey),
      wrappedMasterKeyRecovery: toBase64url(
        wrapKey(recovery.wrapKey, masterKey, { kind: 'master/recovery', accountId }),
      ),
    },
  };
}

/** Reads a typed recovery key (typo-tolerant: case, dashes, spaces, O/I/L). */
export function readRecoveryKey(text: string): Result<Uint8Array, RecoveryKeyError | 'empty'> {
  if (text.trim() === '') return { ok: false, error: 'empty' };
  return decodeRecoveryKey(text);
}

/** True when the typed text is the same recovery key as `shown` (both decoded). */
export function sameRecoveryKey(typed: string, shown: string): boolean {
  const a = decodeRecoveryKey(typed);
  const b = decodeRecoveryKey(shown);
  if (!a.ok || !b.ok || a.value.length !== b.value.length) return false;
  return a.value.every((byte, i) => byte === b.value[i]);
}

/** Recovery: the master key from the recovery-wrapped copy the challenge response carries. */
export function unwrapWithRecoveryKey(
  accountId: string,
  wrappedMasterKeyRecovery: string,
  recoveryWrapKey: Uint8Array,
): Uint8Array | undefined {
  const bytes = fromBase64url(wrappedMasterKeyRecovery);
  if (bytes === undefined) return undefined;
  const r = unwrapKey(recoveryWrapKey, bytes, { kind: 'master/recovery', accountId });
  return r.ok ? r.value : undefined;
}
