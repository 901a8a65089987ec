/// <reference lib="webworker" />
/**
 * Argon2id off the main thread: the page stays responsive (and the progress indicator keeps
 * moving) while the passphrase is stretched. One request per worker; the page terminates it.
 */
import { checkKdfParams, derivePassphraseKeys } from '../../../../core/src/crypto/index.js';
import type { KdfRequest, KdfResponse } from './kdf-messages';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<KdfRequest>) => {
  const { passphrase, handle, saltSeed, params } = event.data;
  let reply: KdfResponse;
  const checked = checkKdfParams(params);
  if (!checked.ok) {
    reply = { ok: false, error: checked.error };
  } else {
    try {
      const keys = await derivePassphraseKeys({
        passphrase,
        handle,
        saltSeed,
        params: checked.value,
      });
      reply = { ok: true, ...keys };
    } catch {
      reply = { ok: false, error: 'failed' };
    }
  }
  scope.postMessage(reply);
};
