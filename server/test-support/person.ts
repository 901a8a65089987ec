import type { ChallengeResponse } from '../../core/src/accounts/api.js';
import { signChallenge, type AuthPurpose } from '../../core/src/crypto/auth.js';
import {
  createPublicKeyBundle,
  generateIdentityKeys,
  wrapIdentityKeys,
} from '../../core/src/crypto/identity.js';
import {
  keysFromPassphraseRoot,
  MIN_KDF_PARAMS,
  type PassphraseKeys,
} from '../../core/src/crypto/kdf.js';
import { generateKey, unwrapKey, wrapKey } from '../../core/src/crypto/keys.js';
import {
  deriveRecoveryKeys,
  generateRecoveryKey,
  type RecoveryKeys,
} from '../../core/src/crypto/recovery.js';
import { generateId } from '../../core/src/crypto/ids.js';
import type { AccountKeysWire, PassphraseChangeWire } from '../../core/src/crypto/schemas.js';
import { fromBase64url, toBase64url } from '../../core/src/encoding/base64url.js';
import type { TestClient } from './client.js';

/**
 * Someone using Tend, as the browser would act for them: keys made and wrapped client-side by
 * the real protocol code. Only Argon2id is skipped (a random root stands in for its output):
 * the server never sees the passphrase or anything derived from it but public keys.
 */
export class Person {
  readonly accountId = generateId();
  readonly masterKey = generateKey();
  passphrase: PassphraseKeys = keysFromPassphraseRoot(generateKey());
  saltSeed = generateKey();
  recoveryKey = generateRecoveryKey();
  readonly identity = generateIdentityKeys();

  constructor(readonly handle: string) {}

  get recovery(): RecoveryKeys {
    return deriveRecoveryKeys(this.recoveryKey);
  }

  accountKeys(): AccountKeysWire {
    const wrapped = wrapIdentityKeys(this.masterKey, this.accountId, this.identity);
    return {
      accountId: this.accountId,
      saltSeed: toBase64url(this.saltSeed),
      kdfParams: { ...MIN_KDF_PARAMS },
      authPublicKey: toBase64url(this.passphrase.authPublicKey),
      recoveryAuthPublicKey: toBase64url(this.recovery.authPublicKey),
      wrappedMasterKeyPassphrase: toBase64url(
        wrapKey(this.passphrase.kek, this.masterKey, {
          kind: 'master/passphrase',
          accountId: this.accountId,
        }),
      ),
      wrappedMasterKeyRecovery: toBase64url(
        wrapKey(this.recovery.wrapKey, this.masterKey, {
          kind: 'master/recovery',
          accountId: this.accountId,
        }),
      ),
      publicKeyBundle: createPublicKeyBundle(this.accountId, this.identity),
      wrappedIdentityX25519: toBase64url(wrapped.x25519),
      wrappedIdentityEd25519: toBase64url(wrapped.ed25519),
    };
  }

  /** A new passphrase: new root, new salt seed, the same master key re-wrapped. */
  newPassphrase(): PassphraseChangeWire {
    this.passphrase = keysFromPassphraseRoot(generateKey());
    this.saltSeed = generateKey();
    return {
      saltSeed: toBase64url(this.saltSeed),
      kdfParams: { ...MIN_KDF_PARAMS },
      authPublicKey: toBase64url(this.passphrase.authPublicKey),
      wrappedMasterKeyPassphrase: toBase64url(
        wrapKey(this.passphrase.kek, this.masterKey, {
          kind: 'master/passphrase',
          accountId: this.accountId,
        }),
      ),
    };
  }

  /** Unwraps a master key the server handed back, as the browser does after sign-in. */
  unwrapMasterKey(wrapped: string, by: 'passphrase' | 'recovery'): Uint8Array | undefined {
    const bytes = fromBase64url(wrapped);
    if (bytes === undefined) return undefined;
    const r =
      by === 'passphrase'
        ? unwrapKey(this.passphrase.kek, bytes, {
            kind: 'master/passphrase',
            accountId: this.accountId,
          })
        : unwrapKey(this.recovery.wrapKey, bytes, {
            kind: 'master/recovery',
            accountId: this.accountId,
          });
    return r.ok ? r.value : undefined;
  }

  /** Asks for a challenge and signs it with the passphrase (or recovery) auth key. */
  async prove(
    client: TestClient,
    purpose: AuthPurpose,
    origin: string,
    opts: { seed?: Uint8Array; handle?: string } = {},
  ): Promise<{
    challengeId: string;
    handle: string;
    signature: string;
    response: ChallengeResponse;
  }> {
    const handle = opts.handle ?? this.handle;
    const res = await client.post('/api/v1/auth/challenge', { handle, purpose });
    if (res.statusCode !== 200) throw new Error(`challenge failed: ${res.statusCode} ${res.body}`);
    const response = res.json<ChallengeResponse>();
    const seed =
      opts.seed ?? (purpose === 'recover' ? this.recovery.authSeed : this.passphrase.authSeed);
    const signature = signChallenge(seed, {
      purpose,
      origin,
      handle,
      nonce: fromBase64url(response.challenge.nonce) ?? new Uint8Array(),
      expiresAt: response.challenge.expiresAt,
    });
    return {
      challengeId: response.challengeId,
      handle,
      signature: toBase64url(signature),
      response,
    };
  }
}
