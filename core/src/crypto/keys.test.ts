import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateKey,
  keyWrapAd,
  unwrapKey,
  WRAPPED_KEY_LENGTH,
  wrapKey,
  type WrapContext,
} from './keys.js';
import { counting, toHex } from './test-support/vectors.js';

const contexts: WrapContext[] = [
  { kind: 'master/passphrase', accountId: 'a' },
  { kind: 'master/recovery', accountId: 'a' },
  { kind: 'identity/x25519', accountId: 'a', keyId: 1 },
  { kind: 'identity/ed25519', accountId: 'a', keyId: 1 },
  { kind: 'collection', ownerId: 'a', collectionId: 'c', keyId: 1 },
  { kind: 'item', ownerId: 'a', collectionId: 'c', itemId: 'i', keyId: 1 },
  // the same kinds with one field changed
  { kind: 'master/passphrase', accountId: 'b' },
  { kind: 'identity/x25519', accountId: 'a', keyId: 2 },
  { kind: 'collection', ownerId: 'b', collectionId: 'c', keyId: 1 },
  { kind: 'collection', ownerId: 'a', collectionId: 'd', keyId: 1 },
  { kind: 'collection', ownerId: 'a', collectionId: 'c', keyId: 2 },
  { kind: 'item', ownerId: 'a', collectionId: 'c', itemId: 'j', keyId: 1 },
];

describe('key wrap v1', () => {
  it('round-trips in every context and is 73 bytes', () => {
    const wrappingKey = counting(32);
    for (const context of contexts) {
      const key = generateKey();
      const wrapped = wrapKey(wrappingKey, key, context);
      expect(wrapped).toHaveLength(WRAPPED_KEY_LENGTH);
      expect(wrapped[0]).toBe(1);
      const unwrapped = unwrapKey(wrappingKey, wrapped, context);
      expect(unwrapped.ok && toHex(unwrapped.value)).toBe(toHex(key));
    }
  });

  it('every context has distinct associated data', () => {
    expect(new Set(contexts.map((c) => toHex(keyWrapAd(c)))).size).toBe(contexts.length);
  });

  it('a wrapped key opens in its own context only', () => {
    const wrappingKey = counting(32);
    for (const [i, context] of contexts.entries()) {
      const wrapped = wrapKey(wrappingKey, counting(32, 7), context);
      for (const [j, other] of contexts.entries()) {
        expect(unwrapKey(wrappingKey, wrapped, other).ok).toBe(i === j);
      }
    }
  });

  it('rejects a wrong wrapping key and any flipped bit', () => {
    const context = contexts[4] as WrapContext;
    const wrapped = wrapKey(counting(32), counting(32, 1), context);
    expect(unwrapKey(counting(32, 2), wrapped, context)).toEqual({
      ok: false,
      error: 'auth_failed',
    });
    fc.assert(
      fc.property(fc.nat(WRAPPED_KEY_LENGTH * 8 - 1), (bit) => {
        const tampered = Uint8Array.from(wrapped);
        tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(unwrapKey(counting(32), tampered, context).ok).toBe(false);
      }),
    );
  });

  it('reports format and version problems', () => {
    const context = contexts[0] as WrapContext;
    const wrapped = wrapKey(counting(32), counting(32, 1), context);
    expect(unwrapKey(counting(32), wrapped.subarray(0, 72), context)).toEqual({
      ok: false,
      error: 'bad_format',
    });
    expect(unwrapKey(counting(32), new Uint8Array(0), context)).toEqual({
      ok: false,
      error: 'bad_format',
    });
    const v2 = Uint8Array.from(wrapped);
    v2[0] = 2;
    expect(unwrapKey(counting(32), v2, context)).toEqual({
      ok: false,
      error: 'unsupported_version',
    });
  });

  it('refuses to wrap in a malformed context or a key that is not 32 bytes', () => {
    expect(() =>
      wrapKey(counting(32), counting(32), { kind: 'master/passphrase', accountId: '' }),
    ).toThrow();
    expect(() =>
      wrapKey(counting(32), counting(32), {
        kind: 'collection',
        ownerId: 'a',
        collectionId: 'c',
        keyId: 0,
      }),
    ).toThrow();
    expect(() => wrapKey(counting(32), counting(16), contexts[0] as WrapContext)).toThrow(
      RangeError,
    );
  });
});
