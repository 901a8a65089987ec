/**
 * Envelope v1: one sealed revision of one vault item (docs/PROTOCOL.md §5.2).
 *
 *     offset  size    field
 *     0       1       version = 0x01
 *     1       4       key id of the collection key (u32be, ≥ 1)
 *     5       8       sequence (u64be, ≤ 2^53 − 1)
 *     13      73      wrapped item key (key wrap v1, kind "item")
 *     86      24      content nonce
 *     110     n + 16  XChaCha20-Poly1305(itemKey, nonce, AD, plaintext)
 *
 * AD = ctx("tend/v1/envelope", 0x01, owner id, collection id, item id, item type,
 *          u32be(key id), u64be(sequence)).
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { err, ok, type Result } from '../result.js';
import { encodeContext, readU32be, readU64be, TAG, u32be, u64be, utf8 } from './canonical.js';
import { assertId, assertItemType, assertKeyId, isId, isItemType } from './ids.js';
import { unwrapKey, WRAPPED_KEY_LENGTH, wrapKey } from './keys.js';
import {
  AEAD_TAG_LENGTH,
  KEY_LENGTH,
  XNONCE_LENGTH,
  xchachaOpen,
  xchachaSeal,
} from './primitives.js';
import { defaultRandom, takeRandom, type RandomSource } from './random.js';

export const ENVELOPE_VERSION = 1;
const HEADER_LENGTH = 1 + 4 + 8;
const NONCE_OFFSET = HEADER_LENGTH + WRAPPED_KEY_LENGTH;
const CIPHERTEXT_OFFSET = NONCE_OFFSET + XNONCE_LENGTH;
/** Bytes an envelope adds to its plaintext (126). */
export const ENVELOPE_OVERHEAD = CIPHERTEXT_OFFSET + AEAD_TAG_LENGTH;
/** Largest envelope Tend accepts anywhere (1 MiB), so the largest plaintext is 1 MiB − 126. */
export const MAX_ENVELOPE_BYTES = 1_048_576;
export const MAX_PLAINTEXT_BYTES = MAX_ENVELOPE_BYTES - ENVELOPE_OVERHEAD;

/** Where an item lives; all of it is bound into the associated data. */
export interface EnvelopeBinding {
  /** Account that owns the collection. */
  readonly ownerId: string;
  readonly collectionId: string;
  readonly itemId: string;
  /** Application type of the item ("plan", "checkin", …). */
  readonly itemType: string;
}

export interface EnvelopeHeader {
  readonly version: number;
  readonly keyId: number;
  readonly sequence: number;
}

/** The canonical associated data of the content AEAD. */
export function envelopeAd(binding: EnvelopeBinding, keyId: number, sequence: number): Uint8Array {
  return encodeContext(TAG.envelope, [
    Uint8Array.of(ENVELOPE_VERSION),
    utf8(binding.ownerId),
    utf8(binding.collectionId),
    utf8(binding.itemId),
    utf8(binding.itemType),
    u32be(keyId),
    u64be(sequence),
  ]);
}

function assertBinding(binding: EnvelopeBinding): void {
  assertId(binding.ownerId, 'owner id');
  assertId(binding.collectionId, 'collection id');
  assertId(binding.itemId, 'item id');
  assertItemType(binding.itemType);
}

function bindingIsValid(binding: EnvelopeBinding): boolean {
  return (
    isId(binding.ownerId) &&
    isId(binding.collectionId) &&
    isId(binding.itemId) &&
    isItemType(binding.itemType)
  );
}

export interface SealInput {
  readonly binding: EnvelopeBinding;
  /** The collection key and its id. */
  readonly collectionKey: Uint8Array;
  readonly keyId: number;
  /** Per-item revision number: 1 for the first write, previous + 1 for every later one. */
  readonly sequence: number;
  readonly plaintext: Uint8Array;
}

/**
 * Seals one revision with a fresh item key. `random` is drawn in this order: item key (32),
 * key-wrap nonce (24), content nonce (24).
 */
export function sealEnvelope(
  input: SealInput,
  random: RandomSource = defaultRandom,
): Result<Uint8Array, 'too_large'> {
  assertBinding(input.binding);
  assertKeyId(input.keyId);
  if (!Number.isSafeInteger(input.sequence) || input.sequence < 0) {
    throw new RangeError('sequence must be an integer 0 … 2^53 − 1');
  }
  if (input.collectionKey.length !== KEY_LENGTH) throw new RangeError('collection key: 32 bytes');
  if (input.plaintext.length > MAX_PLAINTEXT_BYTES) return err('too_large');

  const { binding, keyId, sequence } = input;
  const itemKey = takeRandom(random, KEY_LENGTH);
  try {
    const wrappedItemKey = wrapKey(
      input.collectionKey,
      itemKey,
      {
        kind: 'item',
        ownerId: binding.ownerId,
        collectionId: binding.collectionId,
        itemId: binding.itemId,
        keyId,
      },
      random,
    );
    const nonce = takeRandom(random, XNONCE_LENGTH);
    const ciphertext = xchachaSeal(
      itemKey,
      nonce,
      envelopeAd(binding, keyId, sequence),
      input.plaintext,
    );
    return ok(
      concatBytes(
        Uint8Array.of(ENVELOPE_VERSION),
        u32be(keyId),
        u64be(sequence),
        wrappedItemKey,
        nonce,
        ciphertext,
      ),
    );
  } finally {
    itemKey.fill(0);
  }
}

/** Reads the unauthenticated header (to pick a key, or to show a version error). */
export function readEnvelopeHeader(
  envelope: Uint8Array,
): Result<EnvelopeHeader, 'bad_format' | 'unsupported_version'> {
  if (envelope.length < 1) return err('bad_format');
  if (envelope[0] !== ENVELOPE_VERSION) return err('unsupported_version');
  if (envelope.length < ENVELOPE_OVERHEAD || envelope.length > MAX_ENVELOPE_BYTES) {
    return err('bad_format');
  }
  const keyId = readU32be(envelope, 1);
  const sequence = readU64be(envelope, 5);
  if (keyId === 0 || sequence === undefined) return err('bad_format');
  return ok({ version: ENVELOPE_VERSION, keyId, sequence });
}

export type EnvelopeError =
  /** not an envelope: too short or long, key id 0, sequence above 2^53 − 1 */
  | 'bad_format'
  /** a version this client does not read */
  | 'unsupported_version'
  /** the collection key with the envelope's key id is not available */
  | 'unknown_key'
  /** tampered, wrong key, or sealed for another owner/collection/item/type/key id/sequence */
  | 'auth_failed'
  /** the caller's ids are malformed, or the server's revision differs from the sealed sequence */
  | 'wrong_binding'
  /** authentic but older than a revision this client has already seen (replay / rollback) */
  | 'stale_sequence'
  /** authentic but sealed under a key id older than one this item has already used */
  | 'stale_key';

export interface OpenInput {
  readonly envelope: Uint8Array;
  /** Where the client expects this item to be: the server cannot move it elsewhere. */
  readonly binding: EnvelopeBinding;
  /** Looks up a collection key by key id. */
  readonly collectionKeys: (keyId: number) => Uint8Array | undefined;
  /** The highest sequence this client has accepted for this item (default 0). */
  readonly minSequence?: number;
  /** The revision the server reports for this item, if it reports one; must equal the sequence. */
  readonly expectedSequence?: number;
  /** The highest key id this client has accepted for this item (default 1). */
  readonly minKeyId?: number;
}

export interface OpenedEnvelope {
  readonly plaintext: Uint8Array;
  readonly keyId: number;
  readonly sequence: number;
}

export function openEnvelope(input: OpenInput): Result<OpenedEnvelope, EnvelopeError> {
  const header = readEnvelopeHeader(input.envelope);
  if (!header.ok) return header;
  const { keyId, sequence } = header.value;
  const { binding, envelope } = input;
  if (!bindingIsValid(binding)) return err('wrong_binding');
  if (input.expectedSequence !== undefined && input.expectedSequence !== sequence) {
    return err('wrong_binding');
  }
  const collectionKey = input.collectionKeys(keyId);
  if (collectionKey === undefined) return err('unknown_key');

  const itemKey = unwrapKey(collectionKey, envelope.subarray(HEADER_LENGTH, NONCE_OFFSET), {
    kind: 'item',
    ownerId: binding.ownerId,
    collectionId: binding.collectionId,
    itemId: binding.itemId,
    keyId,
  });
  if (!itemKey.ok) return err('auth_failed');
  const plaintext = xchachaOpen(
    itemKey.value,
    envelope.subarray(NONCE_OFFSET, CIPHERTEXT_OFFSET),
    envelopeAd(binding, keyId, sequence),
    envelope.subarray(CIPHERTEXT_OFFSET),
  );
  itemKey.value.fill(0);
  if (plaintext === undefined) return err('auth_failed');

  if (sequence < (input.minSequence ?? 0)) return err('stale_sequence');
  if (keyId < (input.minKeyId ?? 1)) return err('stale_key');
  return ok({ plaintext, keyId, sequence });
}
