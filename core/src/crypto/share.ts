/**
 * Sharing a collection key with another person (docs/PROTOCOL.md §5.5).
 *
 * The collection key is encrypted to the recipient's X25519 identity key with HPKE (RFC 9180,
 * base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305) and the result is signed
 * with the sender's Ed25519 identity key. Share key v1 (149 bytes):
 *
 *     offset  size  field
 *     0       1     version = 0x01
 *     1       4     key id of the shared collection key (u32be, ≥ 1)
 *     5       32    enc (HPKE encapsulated key)
 *     37      48    HPKE ciphertext of the 32-byte collection key (aad empty)
 *     85      64    Ed25519 signature by the sender's identity key
 *
 * info = ctx("tend/v1/share-key", share id, sender id, recipient id, u32be(key id))
 * signed message = ctx("tend/v1/share-key-signature", share id, sender id, recipient id,
 *                      u32be(key id), recipient X25519 public key, enc, ciphertext)
 */
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { CipherSuite, HkdfSha256 } from '@hpke/core';
import { DhkemX25519HkdfSha256 } from '@hpke/dhkem-x25519';
import { concatBytes } from '@noble/hashes/utils.js';
import { err, ok, type Result } from '../result.js';
import { encodeContext, readU32be, TAG, u32be, utf8 } from './canonical.js';
import { assertId, assertKeyId, isId } from './ids.js';
import {
  ed25519Sign,
  ed25519Verify,
  KEY_LENGTH,
  PUBLIC_KEY_LENGTH,
  SIGNATURE_LENGTH,
  x25519PublicKey,
} from './primitives.js';
import { takeRandom, type RandomSource } from './random.js';

export const SHARE_KEY_VERSION = 1;
const ENC_LENGTH = 32;
const CIPHERTEXT_LENGTH = KEY_LENGTH + 16;
const ENC_OFFSET = 5;
const CIPHERTEXT_OFFSET = ENC_OFFSET + ENC_LENGTH;
const SIGNATURE_OFFSET = CIPHERTEXT_OFFSET + CIPHERTEXT_LENGTH;
export const SHARE_KEY_LENGTH = SIGNATURE_OFFSET + SIGNATURE_LENGTH;

/** An HPKE key handle (opaque: @hpke's own CryptoKey-like object). */
export interface HpkeKey {
  readonly type: string;
}

interface HpkeContext {
  readonly enc: ArrayBuffer;
  seal(plaintext: Uint8Array, aad: Uint8Array): Promise<ArrayBuffer>;
  open(ciphertext: Uint8Array, aad: Uint8Array): Promise<ArrayBuffer>;
  export(exporterContext: Uint8Array, length: number): Promise<ArrayBuffer>;
}

/**
 * The part of @hpke/core's CipherSuite that Tend uses, typed without the DOM `CryptoKey` that
 * its declarations reference (core compiles against ES2023 only, with no DOM types).
 */
export interface HpkeSuite {
  readonly kem: {
    importKey(format: 'raw', key: Uint8Array, isPublic: boolean): Promise<HpkeKey>;
    deriveKeyPair(ikm: Uint8Array): Promise<{ publicKey: HpkeKey; privateKey: HpkeKey }>;
    serializePublicKey(key: HpkeKey): Promise<ArrayBuffer>;
    serializePrivateKey(key: HpkeKey): Promise<ArrayBuffer>;
  };
  createSenderContext(params: {
    recipientPublicKey: HpkeKey;
    info: Uint8Array;
    /** Test only: input keying material for DeriveKeyPair of the ephemeral key. */
    ekm?: Uint8Array;
  }): Promise<HpkeContext>;
  createRecipientContext(params: {
    recipientKey: HpkeKey;
    enc: Uint8Array;
    info: Uint8Array;
  }): Promise<HpkeContext>;
}

/** The HPKE suite Tend uses for sharing; exported for the RFC 9180 test vectors. */
export const hpkeSuite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Chacha20Poly1305(),
}) as unknown as HpkeSuite;

export interface ShareBinding {
  /** The shared collection (e.g. a circle's collection). */
  readonly shareId: string;
  /** Account id of the sender (whose Ed25519 identity key signs). */
  readonly senderId: string;
  /** Account id of the recipient (whose X25519 identity key receives). */
  readonly recipientId: string;
}

function bindingIsValid(binding: ShareBinding): boolean {
  return isId(binding.shareId) && isId(binding.senderId) && isId(binding.recipientId);
}

/** HPKE `info`. */
export function shareKeyInfo(binding: ShareBinding, keyId: number): Uint8Array {
  return encodeContext(TAG.shareKey, [
    utf8(binding.shareId),
    utf8(binding.senderId),
    utf8(binding.recipientId),
    u32be(keyId),
  ]);
}

/** The message the sender signs. */
export function shareKeySignedMessage(
  binding: ShareBinding,
  keyId: number,
  recipientX25519PublicKey: Uint8Array,
  enc: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  return encodeContext(TAG.shareKeySignature, [
    utf8(binding.shareId),
    utf8(binding.senderId),
    utf8(binding.recipientId),
    u32be(keyId),
    recipientX25519PublicKey,
    enc,
    ciphertext,
  ]);
}

export interface WrapShareKeyInput extends ShareBinding {
  readonly keyId: number;
  readonly collectionKey: Uint8Array;
  /** From the recipient's verified (and pinned) public-key bundle. */
  readonly recipientX25519PublicKey: Uint8Array;
  readonly senderEd25519Seed: Uint8Array;
}

/**
 * Encrypts and signs a collection key for one recipient. Without `random`, HPKE draws its own
 * ephemeral key; tests pass `random` to derive it deterministically (DeriveKeyPair of 32 bytes).
 */
export async function wrapShareKey(
  input: WrapShareKeyInput,
  random?: RandomSource,
): Promise<Uint8Array> {
  assertId(input.shareId, 'share id');
  assertId(input.senderId, 'sender id');
  assertId(input.recipientId, 'recipient id');
  assertKeyId(input.keyId);
  if (input.collectionKey.length !== KEY_LENGTH) throw new RangeError('collection key: 32 bytes');
  if (input.recipientX25519PublicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new RangeError('recipient public key: 32 bytes');
  }
  const recipientPublicKey = await hpkeSuite.kem.importKey(
    'raw',
    input.recipientX25519PublicKey,
    true,
  );
  const sender = await hpkeSuite.createSenderContext({
    recipientPublicKey,
    info: shareKeyInfo(input, input.keyId),
    ...(random === undefined ? {} : { ekm: takeRandom(random, 32) }),
  });
  const enc = new Uint8Array(sender.enc);
  const ciphertext = new Uint8Array(await sender.seal(input.collectionKey, new Uint8Array(0)));
  const signature = ed25519Sign(
    input.senderEd25519Seed,
    shareKeySignedMessage(input, input.keyId, input.recipientX25519PublicKey, enc, ciphertext),
  );
  return concatBytes(
    Uint8Array.of(SHARE_KEY_VERSION),
    u32be(input.keyId),
    enc,
    ciphertext,
    signature,
  );
}

export type ShareKeyError =
  | 'bad_format'
  | 'unsupported_version'
  /** the caller's ids are malformed */
  | 'wrong_binding'
  /** not signed by the sender's identity key for this share, sender, recipient and key id */
  | 'bad_signature'
  /** signature fine but HPKE decryption failed (not for this recipient key) */
  | 'unwrap_failed';

interface ParsedShareKey {
  readonly keyId: number;
  readonly enc: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly signature: Uint8Array;
}

function parseShareKey(
  wrapped: Uint8Array,
): Result<ParsedShareKey, 'bad_format' | 'unsupported_version'> {
  if (wrapped.length < 1) return err('bad_format');
  if (wrapped[0] !== SHARE_KEY_VERSION) return err('unsupported_version');
  if (wrapped.length !== SHARE_KEY_LENGTH) return err('bad_format');
  const keyId = readU32be(wrapped, 1);
  if (keyId === 0) return err('bad_format');
  return ok({
    keyId,
    enc: wrapped.subarray(ENC_OFFSET, CIPHERTEXT_OFFSET),
    ciphertext: wrapped.subarray(CIPHERTEXT_OFFSET, SIGNATURE_OFFSET),
    signature: wrapped.subarray(SIGNATURE_OFFSET),
  });
}

export interface VerifyShareKeyInput extends ShareBinding {
  readonly wrapped: Uint8Array;
  /** From the sender's verified (and pinned) public-key bundle. */
  readonly senderEd25519PublicKey: Uint8Array;
  readonly recipientX25519PublicKey: Uint8Array;
}

/** Checks format and signature only (the server may use this as a sanity check too). */
export function verifyShareKey(
  input: VerifyShareKeyInput,
): Result<{ readonly keyId: number }, Exclude<ShareKeyError, 'unwrap_failed'>> {
  const parsed = parseShareKey(input.wrapped);
  if (!parsed.ok) return parsed;
  if (!bindingIsValid(input)) return err('wrong_binding');
  const { keyId, enc, ciphertext, signature } = parsed.value;
  if (input.recipientX25519PublicKey.length !== PUBLIC_KEY_LENGTH) return err('bad_signature');
  const message = shareKeySignedMessage(
    input,
    keyId,
    input.recipientX25519PublicKey,
    enc,
    ciphertext,
  );
  if (!ed25519Verify(input.senderEd25519PublicKey, message, signature)) {
    return err('bad_signature');
  }
  return ok({ keyId });
}

export interface OpenShareKeyInput extends ShareBinding {
  readonly wrapped: Uint8Array;
  readonly senderEd25519PublicKey: Uint8Array;
  readonly recipientX25519SecretKey: Uint8Array;
}

/** Recipient: verifies the sender's signature first, then decrypts the collection key. */
export async function openShareKey(
  input: OpenShareKeyInput,
): Promise<Result<{ readonly keyId: number; readonly collectionKey: Uint8Array }, ShareKeyError>> {
  if (input.recipientX25519SecretKey.length !== KEY_LENGTH) {
    throw new RangeError('recipient secret key: 32 bytes');
  }
  const recipientX25519PublicKey = x25519PublicKey(input.recipientX25519SecretKey);
  const verified = verifyShareKey({ ...input, recipientX25519PublicKey });
  if (!verified.ok) return verified;
  const { keyId } = verified.value;
  const parsed = parseShareKey(input.wrapped);
  if (!parsed.ok) return parsed;
  try {
    const recipientKey = await hpkeSuite.kem.importKey(
      'raw',
      input.recipientX25519SecretKey,
      false,
    );
    const recipient = await hpkeSuite.createRecipientContext({
      recipientKey,
      enc: parsed.value.enc,
      info: shareKeyInfo(input, keyId),
    });
    const collectionKey = new Uint8Array(
      await recipient.open(parsed.value.ciphertext, new Uint8Array(0)),
    );
    if (collectionKey.length !== KEY_LENGTH) return err('unwrap_failed');
    return ok({ keyId, collectionKey });
  } catch {
    return err('unwrap_failed');
  }
}
