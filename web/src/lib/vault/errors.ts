/** Expected failures of the account flows, and how API failures map onto them. */
import type { KdfParamsError } from '../../../../core/src/crypto/index.js';
import type { ApiFailure } from '../api/client';

export type FlowErrorCode =
  /** the server asked for key-derivation settings below Tend's minimum: refused */
  | 'weak_kdf_params'
  /** handle + passphrase (or recovery key) did not match */
  | 'sign_in_failed'
  | 'wrong_passphrase'
  | 'rate_limited'
  | 'network'
  | 'handle_taken'
  | 'invite_invalid'
  | 'registration_closed'
  /** the recovery key is mistyped (checksum) */
  | 'recovery_key_invalid'
  /** what the server returned does not match our own keys: refused */
  | 'server_mismatch'
  | 'signed_out'
  | 'unexpected';

export interface FlowError {
  readonly ok: false;
  readonly error: FlowErrorCode;
  readonly retryAfter?: number;
  /** For weak_kdf_params: which check failed. */
  readonly detail?: KdfParamsError;
}

export type FlowResult<T = undefined> = { readonly ok: true; readonly value: T } | FlowError;

export const fail = (error: FlowErrorCode, extra: Partial<FlowError> = {}): FlowError => ({
  ok: false,
  error,
  ...extra,
});

/** Maps an API failure to a flow error. */
export function fromApi(failure: ApiFailure): FlowError {
  switch (failure.code) {
    case 'network':
      return fail('network');
    case 'rate_limited':
      return fail('rate_limited', failure.retryAfter ? { retryAfter: failure.retryAfter } : {});
    case 'sign_in_failed':
      return fail('sign_in_failed');
    case 'handle_taken':
      return fail('handle_taken');
    case 'invite_invalid':
      return fail('invite_invalid');
    case 'registration_closed':
      return fail('registration_closed');
    case 'unauthenticated':
      return fail('signed_out');
    case 'weak_kdf':
      return fail('weak_kdf_params');
    default:
      return fail('unexpected');
  }
}
