/**
 * Identity keys, the signed public-key bundle and fingerprints (docs/PROTOCOL.md §5.4).
 */
import { err, ok, type Result } from '../result.js';
import { fromBase64url, toBase64url } from '../encoding/base64url.js';
import { bytesEqual, encodeContext, TAG, u32be, utf8 } from './canonical.js';
import { assertId, assertKeyId, isId, isKeyId } from './ids.js';
import { generateKey, unwrapKey, wrapKey } from './keys.js';
import {
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  PUBLIC_KEY_LENGTH,
  sha256,
  SIGNATURE_LENGTH,
  x25519PublicKey,
} from './primitives.js';
import { defaultRandom, type RandomSource } from './random.js';

export interface IdentityKeys {
  /** Identity key version (≥ 1); a new pair gets a new id. */
  readonly keyId: number;
  readonly x25519SecretKey: Uint8Array;
  readonly x25519PublicKey: Uint8Array;
  readonly ed25519Seed: Uint8Array;
  readonly ed25519PublicKey: Uint8Array;
}

/** Two fresh key pairs. `random` is drawn in this order: X25519 secret (32), Ed25519 seed (32). */
export function generateIdentityKeys(
  keyId = 1,
  random: RandomSource = defaultRandom,
): IdentityKeys {
  assertKeyId(keyId, 'identity key id');
  const x25519SecretKey = generateKey(random);
  const ed25519Seed = generateKey(random);
  return {
    keyId,
    x25519SecretKey,
    x25519PublicKey: x25519PublicKey(x25519SecretKey),
    ed25519Seed,
    ed25519PublicKey: ed25519PublicKey(ed25519Seed),
  };
}

export interface WrappedIdentityKeys {
  readonly x25519: Uint8Array;
  readonly ed25519: Uint8Array;
}

/** Wraps both private halves under the master key. */
export function wrapIdentityKeys(
  masterKey: Uint8Array,
  accountId: string,
  keys: IdentityKeys,
  random: RandomSource = defaultRandom,
): WrappedIdentityKeys {
  const { keyId } = keys;
  return {
    x25519: wrapKey(
      masterKey,
      keys.x25519SecretKey,
      { kind: 'identity/x25519', accountId, keyId },
      random,
    ),
    ed25519: wrapKey(
      masterKey,
      keys.ed25519Seed,
      { kind: 'identity/ed25519', accountId, keyId },
      random,
    ),
  };
}

export type IdentityUnwrapError =
  | 'bad_format'
  | 'unsupported_version'
  | 'auth_failed'
  /** the unwrapped keys do not match the published bundle: the server substituted it */
  | 'public_key_mismatch';

/**
 * Unwraps the identity keys and, when given the bundle the server publishes for this account,
 * checks that it carries exactly these public keys (a client's own bundle must never be swapped).
 */
export function unwrapIdentityKeys(input: {
  readonly masterKey: Uint8Array;
  readonly accountId: string;
  readonly keyId: number;
  readonly wrapped: WrappedIdentityKeys;
  readonly publishedBundle?: VerifiedPublicKeyBundle;
}): Result<IdentityKeys, IdentityUnwrapError> {
  const { masterKey, accountId, keyId } = input;
  const x = unwrapKey(masterKey, input.wrapped.x25519, {
    kind: 'identity/x25519',
    accountId,
    keyId,
  });
  if (!x.ok) return x;
  const e = unwrapKey(masterKey, input.wrapped.ed25519, {
    kind: 'identity/ed25519',
    accountId,
    keyId,
  });
  if (!e.ok) return e;
  const keys: IdentityKeys = {
    keyId,
    x25519SecretKey: x.value,
    x25519PublicKey: x25519PublicKey(x.value),
    ed25519Seed: e.value,
    ed25519PublicKey: ed25519PublicKey(e.value),
  };
  const published = input.publishedBundle;
  if (
    published !== undefined &&
    (published.accountId !== accountId ||
      published.keyId !== keyId ||
      !bytesEqual(published.x25519PublicKey, keys.x25519PublicKey) ||
      !bytesEqual(published.ed25519PublicKey, keys.ed25519PublicKey))
  ) {
    return err('public_key_mismatch');
  }
  return ok(keys);
}

/** The JSON shape the server stores and serves for each account's public keys. */
export interface PublicKeyBundle {
  readonly version: 1;
  readonly accountId: string;
  readonly keyId: number;
  /** base64url, 32 bytes */
  readonly x25519PublicKey: string;
  /** base64url, 32 bytes */
  readonly ed25519PublicKey: string;
  /** base64url, 64 bytes: Ed25519 self-signature by `ed25519PublicKey` */
  readonly signature: string;
}

export interface VerifiedPublicKeyBundle {
  readonly accountId: string;
  readonly keyId: number;
  readonly x25519PublicKey: Uint8Array;
  readonly ed25519PublicKey: Uint8Array;
  readonly fingerprint: string;
}

/** ctx("tend/v1/public-key-bundle", account id, u32be(key id), X25519 public, Ed25519 public) */
export function publicKeyBundleMessage(
  accountId: string,
  keyId: number,
  x25519Public: Uint8Array,
  ed25519Public: Uint8Array,
): Uint8Array {
  assertId(accountId, 'account id');
  assertKeyId(keyId, 'identity key id');
  if (x25519Public.length !== PUBLIC_KEY_LENGTH || ed25519Public.length !== PUBLIC_KEY_LENGTH) {
    throw new RangeError('public keys must be 32 bytes');
  }
  return encodeContext(TAG.publicKeyBundle, [
    utf8(accountId),
    u32be(keyId),
    x25519Public,
    ed25519Public,
  ]);
}

export function createPublicKeyBundle(accountId: string, keys: IdentityKeys): PublicKeyBundle {
  const message = publicKeyBundleMessage(
    accountId,
    keys.keyId,
    keys.x25519PublicKey,
    keys.ed25519PublicKey,
  );
  return {
    version: 1,
    accountId,
    keyId: keys.keyId,
    x25519PublicKey: toBase64url(keys.x25519PublicKey),
    ed25519PublicKey: toBase64url(keys.ed25519PublicKey),
    signature: toBase64url(ed25519Sign(keys.ed25519Seed, message)),
  };
}

export type BundleError = 'bad_format' | 'wrong_account' | 'bad_signature';

/**
 * Checks a bundle's shape, that it belongs to `expectedAccountId`, and its self-signature. A
 * valid self-signature does not prove the server did not substitute the whole bundle: compare
 * the fingerprint out of band, and pin it (docs/PROTOCOL.md §6, Sharing).
 */
export function verifyPublicKeyBundle(
  bundle: PublicKeyBundle,
  expectedAccountId: string,
): Result<VerifiedPublicKeyBundle, BundleError> {
  if (bundle.version !== 1 || !isId(bundle.accountId) || !isKeyId(bundle.keyId)) {
    return err('bad_format');
  }
  const x = fromBase64url(bundle.x25519PublicKey);
  const e = fromBase64url(bundle.ed25519PublicKey);
  const signature = fromBase64url(bundle.signature);
  if (
    x?.length !== PUBLIC_KEY_LENGTH ||
    e?.length !== PUBLIC_KEY_LENGTH ||
    signature?.length !== SIGNATURE_LENGTH
  ) {
    return err('bad_format');
  }
  if (bundle.accountId !== expectedAccountId) return err('wrong_account');
  const message = publicKeyBundleMessage(bundle.accountId, bundle.keyId, x, e);
  if (!ed25519Verify(e, message, signature)) return err('bad_signature');
  return ok({
    accountId: bundle.accountId,
    keyId: bundle.keyId,
    x25519PublicKey: x,
    ed25519PublicKey: e,
    fingerprint: fingerprint(x, e),
  });
}

const FINGERPRINT_DIGITS = 60n;

/**
 * A person's fingerprint: 60 decimal digits in 12 groups of 5, separated by spaces.
 * N = SHA-256(ctx("tend/v1/fingerprint", X25519 public, Ed25519 public)) as a big-endian
 * integer; the digits are N mod 10^60, zero-padded (≈ 199 bits; bias < 2^-56).
 */
export function fingerprint(x25519Public: Uint8Array, ed25519Public: Uint8Array): string {
  if (x25519Public.length !== PUBLIC_KEY_LENGTH || ed25519Public.length !== PUBLIC_KEY_LENGTH) {
    throw new RangeError('public keys must be 32 bytes');
  }
  const digest = sha256(encodeContext(TAG.fingerprint, [x25519Public, ed25519Public]));
  let n = 0n;
  for (const byte of digest) n = (n << 8n) | BigInt(byte);
  const digits = (n % 10n ** FINGERPRINT_DIGITS)
    .toString()
    .padStart(Number(FINGERPRINT_DIGITS), '0');
  return digits.match(/.{5}/g)?.join(' ') ?? digits;
}
