import { argon2id } from 'hash-wasm';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  checkKdfParams,
  derivePassphraseKeys,
  MAX_KDF_MEMORY_KIB,
  MAX_KDF_PASSES,
  MIN_KDF_PARAMS,
  normaliseHandle,
  passphraseSalt,
  runArgon2id,
  unsafeKdfParamsForTests,
  type CheckedKdfParams,
} from './kdf.js';
import { counting, toHex } from './test-support/vectors.js';

/** Small parameters for fast tests; only reachable through the explicit test-only path. */
const fast = unsafeKdfParamsForTests({ ...MIN_KDF_PARAMS, memoryKiB: 64, passes: 1 });
const enc = (text: string) => new TextEncoder().encode(text);

describe('checkKdfParams', () => {
  it('accepts the minimum and stronger parameters', () => {
    expect(checkKdfParams({ ...MIN_KDF_PARAMS }).ok).toBe(true);
    expect(checkKdfParams({ ...MIN_KDF_PARAMS, memoryKiB: 262_144, passes: 4 }).ok).toBe(true);
    expect(
      checkKdfParams({ ...MIN_KDF_PARAMS, memoryKiB: MAX_KDF_MEMORY_KIB, passes: MAX_KDF_PASSES })
        .ok,
    ).toBe(true);
  });

  it.each([
    [{ ...MIN_KDF_PARAMS, memoryKiB: 65_535 }, 'memory_too_low'],
    [{ ...MIN_KDF_PARAMS, memoryKiB: 19_456 }, 'memory_too_low'],
    [{ ...MIN_KDF_PARAMS, memoryKiB: MAX_KDF_MEMORY_KIB + 1 }, 'memory_too_high'],
    [{ ...MIN_KDF_PARAMS, passes: 2 }, 'passes_too_low'],
    [{ ...MIN_KDF_PARAMS, passes: 0 }, 'passes_too_low'],
    [{ ...MIN_KDF_PARAMS, passes: MAX_KDF_PASSES + 1 }, 'passes_too_high'],
    [{ ...MIN_KDF_PARAMS, outputLength: 16 }, 'unsupported_output_length'],
    [{ ...MIN_KDF_PARAMS, outputLength: 64 }, 'unsupported_output_length'],
    [{ ...MIN_KDF_PARAMS, parallelism: 4 }, 'unsupported_parallelism'],
    [{ ...MIN_KDF_PARAMS, algorithm: 'argon2i' }, 'unsupported_algorithm'],
    [{ ...MIN_KDF_PARAMS, algorithm: 'pbkdf2-sha256' }, 'unsupported_algorithm'],
    [{ ...MIN_KDF_PARAMS, version: 0x10 }, 'unsupported_version'],
    [{ ...MIN_KDF_PARAMS, memoryKiB: '65536' }, 'bad_format'],
    [{ ...MIN_KDF_PARAMS, passes: 3.5 }, 'bad_format'],
    [{ ...MIN_KDF_PARAMS, salt: 'extra' }, 'bad_format'],
    [{ algorithm: 'argon2id' }, 'bad_format'],
    [null, 'bad_format'],
    [[1, 2, 3], 'bad_format'],
    ['argon2id', 'bad_format'],
  ])('refuses %j with %s', (input, error) => {
    expect(checkKdfParams(input)).toEqual({ ok: false, error });
  });
});

describe('runArgon2id', () => {
  it('refuses parameters that did not come from checkKdfParams or the test-only path', async () => {
    const forged = { ...MIN_KDF_PARAMS, memoryKiB: 64, passes: 1 } as CheckedKdfParams;
    await expect(runArgon2id('pw', counting(32), forged)).rejects.toThrow(/not checked/);
  });

  it('normalises the passphrase to NFC', async () => {
    const composed = await runArgon2id('Caf\u00e9', counting(32), fast);
    const decomposed = await runArgon2id('Cafe\u0301', counting(32), fast);
    expect(toHex(composed)).toBe(toHex(decomposed));
  });
});

describe('passphrase derivation', () => {
  it('normalises handles like the accounts code: NFC, trimmed, lower case', () => {
    expect(normaliseHandle('  River.Song ')).toBe('river.song');
    expect(normaliseHandle('A\u030A')).toBe('\u00e5');
  });

  it('salt = SHA-256(ctx("tend/v1/kdf-salt", handle, seed)), computed independently', () => {
    const seed = counting(32, 9);
    const manual = sha256(
      Uint8Array.from([
        ...enc('tend/v1/kdf-salt'),
        0,
        ...[0, 0, 0, 10],
        ...enc('river.song'),
        ...[0, 0, 0, 32],
        ...seed,
      ]),
    );
    expect(toHex(passphraseSalt('River.Song', seed))).toBe(toHex(manual));
    expect(() => passphraseSalt('x', counting(31))).toThrow(RangeError);
  });

  it('Argon2id → HKDF-SHA256 → auth seed and KEK, computed independently', async () => {
    const seed = counting(32, 1);
    const keys = await derivePassphraseKeys({
      passphrase: 'hunter2 hunter2',
      handle: 'sam',
      saltSeed: seed,
      params: fast,
    });
    const root = await argon2id({
      password: 'hunter2 hunter2',
      salt: passphraseSalt('sam', seed),
      iterations: 1,
      memorySize: 64,
      parallelism: 1,
      hashLength: 32,
      outputType: 'binary',
    });
    const authSeed = hkdf(sha256, root, new Uint8Array(0), enc('tend/v1/auth-key\0'), 32);
    const kek = hkdf(sha256, root, new Uint8Array(0), enc('tend/v1/kek\0'), 32);
    expect(toHex(keys.authSeed)).toBe(toHex(authSeed));
    expect(toHex(keys.kek)).toBe(toHex(kek));
    expect(toHex(keys.authPublicKey)).toBe(toHex(ed25519.getPublicKey(authSeed)));
  });

  it('every input changes every key: passphrase, handle, salt seed, parameters', async () => {
    const base = { passphrase: 'pass phrase', handle: 'sam', saltSeed: counting(32), params: fast };
    const variants = [
      base,
      { ...base, passphrase: 'pass phrasE' },
      { ...base, handle: 'sam2' },
      { ...base, saltSeed: counting(32, 1) },
      { ...base, params: unsafeKdfParamsForTests({ ...MIN_KDF_PARAMS, memoryKiB: 64, passes: 2 }) },
    ];
    const derived = await Promise.all(variants.map((v) => derivePassphraseKeys(v)));
    expect(new Set(derived.map((k) => toHex(k.kek))).size).toBe(variants.length);
    expect(new Set(derived.map((k) => toHex(k.authSeed))).size).toBe(variants.length);
    for (const k of derived) expect(toHex(k.kek)).not.toBe(toHex(k.authSeed));
  });
});
