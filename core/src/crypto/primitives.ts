/**
 * Thin, typed wrappers over the audited libraries: the only place Tend calls @noble directly.
 * Nothing here is a hand-written primitive. Failures an attacker can cause (bad tag, bad
 * signature, low-order point) are values (`undefined` / `false`), never exceptions; wrong key
 * or nonce lengths from our own code throw.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export const KEY_LENGTH = 32;
export const XNONCE_LENGTH = 24;
export const AEAD_TAG_LENGTH = 16;
export const PUBLIC_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;

function assertLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) throw new RangeError(`${what} must be ${length} bytes`);
}

/** XChaCha20-Poly1305 encryption; returns ciphertext ‖ 16-byte tag. */
export function xchachaSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  assertLength(key, KEY_LENGTH, 'key');
  assertLength(nonce, XNONCE_LENGTH, 'nonce');
  return xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext);
}

/** XChaCha20-Poly1305 decryption; `undefined` unless the tag verifies. */
export function xchachaOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  associatedData: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array | undefined {
  if (key.length !== KEY_LENGTH || nonce.length !== XNONCE_LENGTH) return undefined;
  if (ciphertext.length < AEAD_TAG_LENGTH) return undefined;
  try {
    return xchacha20poly1305(key, nonce, associatedData).decrypt(ciphertext);
  } catch {
    return undefined;
  }
}

/** HKDF-SHA256 (RFC 5869). An empty salt means HashLen zero bytes. */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return hkdf(nobleSha256, ikm, salt, info, length);
}

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** Ed25519 public key of a 32-byte seed (RFC 8032 secret key). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  assertLength(seed, KEY_LENGTH, 'Ed25519 seed');
  return ed25519.getPublicKey(seed);
}

export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  assertLength(seed, KEY_LENGTH, 'Ed25519 seed');
  return ed25519.sign(message, seed);
}

/**
 * Strict RFC 8032 verification (`zip215: false`): non-canonical encodings of R, A or S and
 * small-order public keys are rejected, so each message has one accepted signature per key.
 */
export function ed25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== PUBLIC_KEY_LENGTH || signature.length !== SIGNATURE_LENGTH) {
    return false;
  }
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** X25519 public key of a 32-byte secret (clamped per RFC 7748). */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  assertLength(secretKey, KEY_LENGTH, 'X25519 secret key');
  return x25519.getPublicKey(secretKey);
}

/** X25519(secretKey, publicKey); `undefined` when the result is all zeros (low-order point). */
export function x25519SharedSecret(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array | undefined {
  if (secretKey.length !== KEY_LENGTH || publicKey.length !== PUBLIC_KEY_LENGTH) return undefined;
  try {
    return x25519.getSharedSecret(secretKey, publicKey);
  } catch {
    return undefined;
  }
}
