import { describe, expect, it } from 'vitest';
import {
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  x25519PublicKey,
  x25519SharedSecret,
  xchachaOpen,
  xchachaSeal,
} from './primitives.js';
import { counting, hex } from './test-support/vectors.js';

const message = new TextEncoder().encode('tend');
const identity = hex('0100000000000000000000000000000000000000000000000000000000000000');
/** The identity point with y = p + 1: a non-canonical encoding. */
const nonCanonicalIdentity = hex(
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
);
/** A point of order 8. */
const order8 = hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
const signature = (r: Uint8Array) => Uint8Array.from([...r, ...new Uint8Array(32)]);

describe('Ed25519 verification is strict RFC 8032, not ZIP-215', () => {
  // Each of these is accepted by ZIP-215 (cofactored, non-canonical encodings allowed) and
  // must be rejected here: they are signatures that "verify" for every message.
  it.each([
    ['small-order public key (identity), R = identity, S = 0', identity, identity],
    ['non-canonical encodings of A and R', nonCanonicalIdentity, nonCanonicalIdentity],
    ['order-8 public key, R = identity, S = 0', order8, identity],
  ])('rejects %s', (_name, publicKey, r) => {
    expect(ed25519Verify(publicKey, message, signature(r))).toBe(false);
  });

  it('accepts its own signatures and rejects wrong lengths', () => {
    const seed = counting(32);
    const sig = ed25519Sign(seed, message);
    expect(ed25519Verify(ed25519PublicKey(seed), message, sig)).toBe(true);
    expect(ed25519Verify(ed25519PublicKey(seed).subarray(1), message, sig)).toBe(false);
    expect(ed25519Verify(ed25519PublicKey(seed), message, sig.subarray(1))).toBe(false);
  });
});

describe('X25519 and XChaCha20-Poly1305 wrappers', () => {
  it('X25519 agrees both ways and refuses a low-order peer', () => {
    const a = counting(32, 1);
    const b = counting(32, 2);
    expect(x25519SharedSecret(a, x25519PublicKey(b))).toEqual(
      x25519SharedSecret(b, x25519PublicKey(a)),
    );
    expect(x25519SharedSecret(a, new Uint8Array(32))).toBeUndefined();
    expect(x25519SharedSecret(a, new Uint8Array(31))).toBeUndefined();
  });

  it('XChaCha20-Poly1305 refuses wrong lengths instead of guessing', () => {
    expect(() => xchachaSeal(counting(32), counting(12), new Uint8Array(0), message)).toThrow();
    expect(() => xchachaSeal(counting(16), counting(24), new Uint8Array(0), message)).toThrow();
    const sealed = xchachaSeal(counting(32), counting(24), new Uint8Array(0), message);
    expect(xchachaOpen(counting(32), counting(24), new Uint8Array(0), sealed)).toEqual(message);
    expect(xchachaOpen(counting(32), counting(24), Uint8Array.of(0), sealed)).toBeUndefined();
    expect(
      xchachaOpen(counting(32), counting(24), new Uint8Array(0), sealed.subarray(0, 15)),
    ).toBeUndefined();
  });
});
