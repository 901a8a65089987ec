/**
 * Key generation and key wrapping (docs/PROTOCOL.md §4, §5.1). A wrapped key is
 *
 *     0x01 ‖ nonce (24) ‖ XChaCha20-Poly1305(wrappingKey, nonce, AD, key) (32 + 16)  = 73 bytes
 *
 * with AD = ctx("tend/v1/key-wrap", kind, account/owner id, collection id, item id, u32be(key id)),
 * fields that do not apply to a kind being empty (ids) or 0 (key id).
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { err, ok, type Result } from '../result.js';
import { encodeContext, TAG, u32be, utf8 } from './canonical.js';
import { isId, isKeyId } from './ids.js';
import { KEY_LENGTH, XNONCE_LENGTH, xchachaOpen, xchachaSeal } from './primitives.js';
import { defaultRandom, takeRandom, type RandomSource } from './random.js';

export const KEY_WRAP_VERSION = 1;
export const WRAPPED_KEY_LENGTH = 1 + XNONCE_LENGTH + KEY_LENGTH + 16;

/** What a wrapped key is, and where it belongs. Each kind has its own AD. */
export type WrapContext =
  /** master key under the passphrase KEK */
  | { readonly kind: 'master/passphrase'; readonly accountId: string }
  /** master key under the recovery KEK */
  | { readonly kind: 'master/recovery'; readonly accountId: string }
  /** X25519 identity secret key under the master key */
  | { readonly kind: 'identity/x25519'; readonly accountId: string; readonly keyId: number }
  /** Ed25519 identity seed under the master key */
  | { readonly kind: 'identity/ed25519'; readonly accountId: string; readonly keyId: number }
  /** collection key under the owner's master key */
  | {
      readonly kind: 'collection';
      readonly ownerId: string;
      readonly collectionId: string;
      readonly keyId: number;
    }
  /** per-item key under a collection key (inside an envelope) */
  | {
      readonly kind: 'item';
      readonly ownerId: string;
      readonly collectionId: string;
      readonly itemId: string;
      readonly keyId: number;
    };

export type WrapKind = WrapContext['kind'];

interface WrapFields {
  readonly principal: string;
  readonly collectionId: string;
  readonly itemId: string;
  readonly keyId: number;
}

function wrapFields(context: WrapContext): WrapFields {
  switch (context.kind) {
    case 'master/passphrase':
    case 'master/recovery':
      return { principal: context.accountId, collectionId: '', itemId: '', keyId: 0 };
    case 'identity/x25519':
    case 'identity/ed25519':
      return { principal: context.accountId, collectionId: '', itemId: '', keyId: context.keyId };
    case 'collection':
      return {
        principal: context.ownerId,
        collectionId: context.collectionId,
        itemId: '',
        keyId: context.keyId,
      };
    case 'item':
      return {
        principal: context.ownerId,
        collectionId: context.collectionId,
        itemId: context.itemId,
        keyId: context.keyId,
      };
  }
}

/** True when every id and key id in the context is well formed. */
function contextIsValid(context: WrapContext): boolean {
  const fields = wrapFields(context);
  const usesKeyId = !context.kind.startsWith('master/');
  return (
    isId(fields.principal) &&
    (fields.collectionId === '' || isId(fields.collectionId)) &&
    (fields.itemId === '' || isId(fields.itemId)) &&
    (context.kind === 'collection' || context.kind === 'item'
      ? fields.collectionId !== ''
      : true) &&
    (context.kind === 'item' ? fields.itemId !== '' : true) &&
    (usesKeyId ? isKeyId(fields.keyId) : fields.keyId === 0)
  );
}

/** The associated data of a key wrap. */
export function keyWrapAd(context: WrapContext): Uint8Array {
  if (!contextIsValid(context)) {
    throw new TypeError(
      'invalid key-wrap context (ids must match ID_PATTERN, key ids 1 … 2^32 − 1)',
    );
  }
  const fields = wrapFields(context);
  return encodeContext(TAG.keyWrap, [
    utf8(context.kind),
    utf8(fields.principal),
    utf8(fields.collectionId),
    utf8(fields.itemId),
    u32be(fields.keyId),
  ]);
}

/** A fresh random 256-bit key (master, collection, item, X25519 secret, Ed25519 seed). */
export function generateKey(random: RandomSource = defaultRandom): Uint8Array {
  return takeRandom(random, KEY_LENGTH);
}

/** Wraps a 32-byte key under a 32-byte wrapping key with a fresh random nonce. */
export function wrapKey(
  wrappingKey: Uint8Array,
  key: Uint8Array,
  context: WrapContext,
  random: RandomSource = defaultRandom,
): Uint8Array {
  if (key.length !== KEY_LENGTH) throw new RangeError('only 32-byte keys are wrapped');
  const ad = keyWrapAd(context);
  const nonce = takeRandom(random, XNONCE_LENGTH);
  return concatBytes(
    Uint8Array.of(KEY_WRAP_VERSION),
    nonce,
    xchachaSeal(wrappingKey, nonce, ad, key),
  );
}

export type UnwrapError = 'bad_format' | 'unsupported_version' | 'auth_failed';

/**
 * Unwraps a key. `auth_failed` covers a wrong wrapping key, tampering, and a wrapped key moved to
 * another context (kind, account, collection, item or key id) — the AEAD cannot tell them apart.
 */
export function unwrapKey(
  wrappingKey: Uint8Array,
  wrapped: Uint8Array,
  context: WrapContext,
): Result<Uint8Array, UnwrapError> {
  if (wrapped.length < 1) return err('bad_format');
  if (wrapped[0] !== KEY_WRAP_VERSION) return err('unsupported_version');
  if (wrapped.length !== WRAPPED_KEY_LENGTH) return err('bad_format');
  if (!contextIsValid(context)) return err('auth_failed');
  const nonce = wrapped.subarray(1, 1 + XNONCE_LENGTH);
  const key = xchachaOpen(
    wrappingKey,
    nonce,
    keyWrapAd(context),
    wrapped.subarray(1 + XNONCE_LENGTH),
  );
  return key === undefined ? err('auth_failed') : ok(key);
}
