/**
 * The one place the vault's web modules reach into core/src. Web code would normally use the
 * `$core` alias, but the unit-test runner (vitest.config.ts) does not know it, so these relative
 * paths keep the modules testable in Node; switch them to `$core/...` once the alias is there.
 */
export {
  generateId,
  generateKey,
  isId,
  isItemType,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  unwrapKey,
  wrapKey,
  type EnvelopeBinding,
  type EnvelopeError,
} from '../../../../../core/src/crypto/index.js';
export { fromBase64url, toBase64url } from '../../../../../core/src/encoding/base64url.js';
export { err, ok, type Result } from '../../../../../core/src/result.js';
export {
  MAX_CHANGES_PER_PULL,
  MAX_CHANGES_PER_PUSH,
  MAX_PUSH_ENVELOPE_BYTES,
  collectionKeysResponseSchema,
  conflictBodySchema,
  pullResponseSchema,
  pushResponseSchema,
  type ServerItem,
} from '../../../../../core/src/vault/sync.js';
export { errorBodySchema } from '../../../../../core/src/errors.js';
