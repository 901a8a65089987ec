/**
 * Passphrase → keys, in a Web Worker (kdf.worker.ts). Server-sent KDF parameters are checked
 * here first with `checkKdfParams` (and again in the worker): anything below Tend's minimum is
 * refused before a single byte of the passphrase is processed.
 */
import {
  checkKdfParams,
  type KdfParamsError,
  type PassphraseKeys,
} from '../../../../core/src/crypto/index.js';
import type { KdfRequest, KdfResponse } from './kdf-messages';

export type DeriveError = KdfParamsError | 'failed';
export type DeriveResult =
  | { readonly ok: true; readonly value: PassphraseKeys }
  | { readonly ok: false; readonly error: DeriveError };

/** Runs Argon2id + HKDF in a worker. Parameters are checked before the worker starts. */
export async function deriveInWorker(request: KdfRequest): Promise<DeriveResult> {
  const checked = checkKdfParams(request.params);
  if (!checked.ok) return checked;
  const worker = new Worker(new URL('./kdf.worker.ts', import.meta.url), { type: 'module' });
  try {
    const response = await new Promise<KdfResponse>((resolve) => {
      worker.onmessage = (event: MessageEvent<KdfResponse>) => resolve(event.data);
      worker.onerror = () => resolve({ ok: false, error: 'failed' });
      worker.postMessage(request);
    });
    if (!response.ok) return response;
    const { authSeed, authPublicKey, kek } = response;
    return { ok: true, value: { authSeed, authPublicKey, kek } };
  } finally {
    worker.terminate();
  }
}
