/**
 * Tend's vault cryptography (docs/PROTOCOL.md). Pure TypeScript over @noble/*, hash-wasm and
 * @hpke/*; runs in browsers and Node. Test-only helpers (`unsafeKdfParamsForTests`) are not
 * re-exported here.
 */
export { fromBase64url, toBase64url, base64urlLength } from '../encoding/base64url.js';
export { TAG, encodeContext, type Tag } from './canonical.js';
export { type RandomSource, defaultRandom } from './random.js';
export { ID_PATTERN, ITEM_TYPE_PATTERN, generateId, isId, isItemType, isKeyId } from './ids.js';
export {
  DEFAULT_KDF_PARAMS,
  MAX_KDF_MEMORY_KIB,
  MAX_KDF_PASSES,
  MIN_KDF_PARAMS,
  SALT_SEED_LENGTH,
  checkKdfParams,
  derivePassphraseKeys,
  keysFromPassphraseRoot,
  normaliseHandle,
  passphraseSalt,
  runArgon2id,
  type CheckedKdfParams,
  type KdfParams,
  type KdfParamsError,
  type PassphraseInput,
  type PassphraseKeys,
} from './kdf.js';
export {
  AUTH_PURPOSES,
  CHALLENGE_NONCE_LENGTH,
  ORIGIN_PATTERN,
  authChallengeMessage,
  signChallenge,
  verifyChallenge,
  type AuthChallenge,
  type AuthPurpose,
  type ChallengeError,
} from './auth.js';
export {
  KEY_WRAP_VERSION,
  WRAPPED_KEY_LENGTH,
  generateKey,
  keyWrapAd,
  unwrapKey,
  wrapKey,
  type UnwrapError,
  type WrapContext,
  type WrapKind,
} from './keys.js';
export {
  RECOVERY_CHECKSUM_PRIME,
  decodeRecoveryKey,
  deriveRecoveryKeys,
  encodeRecoveryKey,
  generateRecoveryKey,
  normaliseRecoveryKeyInput,
  type RecoveryKeyError,
  type RecoveryKeys,
} from './recovery.js';
export {
  createPublicKeyBundle,
  fingerprint,
  generateIdentityKeys,
  publicKeyBundleMessage,
  unwrapIdentityKeys,
  verifyPublicKeyBundle,
  wrapIdentityKeys,
  type BundleError,
  type IdentityKeys,
  type IdentityUnwrapError,
  type PublicKeyBundle,
  type VerifiedPublicKeyBundle,
  type WrappedIdentityKeys,
} from './identity.js';
export {
  ENVELOPE_OVERHEAD,
  ENVELOPE_VERSION,
  MAX_ENVELOPE_BYTES,
  MAX_PLAINTEXT_BYTES,
  envelopeAd,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  type EnvelopeBinding,
  type EnvelopeError,
  type EnvelopeHeader,
  type OpenInput,
  type OpenedEnvelope,
  type SealInput,
} from './envelope.js';
export {
  SHARE_KEY_LENGTH,
  SHARE_KEY_VERSION,
  openShareKey,
  shareKeyInfo,
  shareKeySignedMessage,
  verifyShareKey,
  wrapShareKey,
  type OpenShareKeyInput,
  type ShareBinding,
  type ShareKeyError,
  type VerifyShareKeyInput,
  type WrapShareKeyInput,
} from './share.js';
export * from './schemas.js';
