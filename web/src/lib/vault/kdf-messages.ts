/** Messages between the page and the Argon2id worker (kdf.worker.ts). */
import type { KdfParams, KdfParamsError } from '../../../../core/src/crypto/index.js';

export interface KdfRequest {
  readonly passphrase: string;
  readonly handle: string;
  readonly saltSeed: Uint8Array;
  /** Checked again inside the worker: only checked parameters reach Argon2id. */
  readonly params: KdfParams;
}

export type KdfResponse =
  | {
      readonly ok: true;
      readonly authSeed: Uint8Array;
      readonly authPublicKey: Uint8Array;
      readonly kek: Uint8Array;
    }
  | { readonly ok: false; readonly error: KdfParamsError | 'failed' };
