/**
 * Challenge–response authentication with Ed25519 (docs/PROTOCOL.md §5.3). The server keeps only
 * public keys; a sign-in proves possession of the passphrase-derived (or recovery-derived)
 * private key by signing a fresh server nonce bound to purpose, origin, handle and expiry.
 */
import { err, ok, type Result } from '../result.js';
import { encodeContext, TAG, u64be, utf8 } from './canonical.js';
import { normaliseHandle } from './kdf.js';
import { ed25519Sign, ed25519Verify } from './primitives.js';

/**
 * - `sign-in`: start a session with the passphrase auth key;
 * - `reauth`: confirm a sensitive change (passphrase change) with the passphrase auth key;
 * - `recover`: start recovery with the recovery auth key.
 */
export const AUTH_PURPOSES = ['sign-in', 'reauth', 'recover'] as const;
export type AuthPurpose = (typeof AUTH_PURPOSES)[number];

export const CHALLENGE_NONCE_LENGTH = 32;

/** An origin as browsers serialise it: scheme://host[:port], lower case, no path. */
export const ORIGIN_PATTERN = /^https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

export interface AuthChallenge {
  readonly purpose: AuthPurpose;
  /** The web origin the person is using (`location.origin`), never a value from the server. */
  readonly origin: string;
  readonly handle: string;
  /** 32 random bytes chosen by the server, single use. */
  readonly nonce: Uint8Array;
  /** Unix time in seconds after which the server refuses the signature. */
  readonly expiresAt: number;
}

/**
 * ctx("tend/v1/auth-challenge", purpose, origin, normalised handle, nonce, u64be(expiresAt)).
 * Throws for malformed input (a programming error on either side).
 */
export function authChallengeMessage(challenge: AuthChallenge): Uint8Array {
  if (!(AUTH_PURPOSES as readonly string[]).includes(challenge.purpose)) {
    throw new TypeError('unknown challenge purpose');
  }
  if (!ORIGIN_PATTERN.test(challenge.origin) || challenge.origin.length > 255) {
    throw new TypeError('origin must be a lower-case serialised web origin');
  }
  if (challenge.nonce.length !== CHALLENGE_NONCE_LENGTH) {
    throw new RangeError('challenge nonce must be 32 bytes');
  }
  const handle = normaliseHandle(challenge.handle);
  if (handle.length === 0) throw new TypeError('handle is empty');
  return encodeContext(TAG.authChallenge, [
    utf8(challenge.purpose),
    utf8(challenge.origin),
    utf8(handle),
    challenge.nonce,
    u64be(challenge.expiresAt),
  ]);
}

/** Client: signs the challenge with the auth (or recovery auth) seed. */
export function signChallenge(seed: Uint8Array, challenge: AuthChallenge): Uint8Array {
  return ed25519Sign(seed, authChallengeMessage(challenge));
}

export type ChallengeError = 'expired' | 'bad_signature';

/**
 * Server: verifies a challenge signature against the stored public key. The server rebuilds the
 * challenge from its own record (nonce, expiry, purpose, handle) and its configured public origin;
 * it must also check that the nonce was issued by it and is used at most once.
 */
export function verifyChallenge(input: {
  readonly publicKey: Uint8Array;
  readonly challenge: AuthChallenge;
  readonly signature: Uint8Array;
  /** Current Unix time in seconds. */
  readonly now: number;
}): Result<true, ChallengeError> {
  if (input.now > input.challenge.expiresAt) return err('expired');
  const message = authChallengeMessage(input.challenge);
  return ed25519Verify(input.publicKey, message, input.signature) ? ok(true) : err('bad_signature');
}
