import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF_PARAMS } from '../../../../core/src/crypto/index.js';
import { deriveInWorker } from './kdf';

describe('deriveInWorker', () => {
  it('refuses weak or odd server parameters before any worker starts', async () => {
    const request = {
      passphrase: 'quiet river lantern',
      handle: 'ada',
      saltSeed: new Uint8Array(32),
    };
    // No Worker exists in Node: reaching it would throw, so these prove the refusal comes first.
    await expect(
      deriveInWorker({ ...request, params: { ...DEFAULT_KDF_PARAMS, memoryKiB: 1024 } }),
    ).resolves.toEqual({ ok: false, error: 'memory_too_low' });
    await expect(
      deriveInWorker({ ...request, params: { ...DEFAULT_KDF_PARAMS, passes: 1 } }),
    ).resolves.toEqual({ ok: false, error: 'passes_too_low' });
    await expect(
      deriveInWorker({ ...request, params: { ...DEFAULT_KDF_PARAMS, algorithm: 'pbkdf2' } }),
    ).resolves.toEqual({ ok: false, error: 'unsupported_algorithm' });
    await expect(
      deriveInWorker({ ...request, params: { ...DEFAULT_KDF_PARAMS, memoryKiB: 4_194_304 } }),
    ).resolves.toEqual({ ok: false, error: 'memory_too_high' });
  });
});
