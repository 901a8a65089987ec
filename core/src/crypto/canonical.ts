import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Domain-separation tags. Every HKDF info, AEAD associated data, signed message and hashed
 * input in Tend starts with exactly one of these ASCII strings (docs/PROTOCOL.md §1.1).
 * A v2 format gets new tags; a tag is never reused for a different meaning.
 */
export const TAG = {
  kdfSalt: 'tend/v1/kdf-salt',
  authKey: 'tend/v1/auth-key',
  kek: 'tend/v1/kek',
  recoveryKek: 'tend/v1/recovery-kek',
  recoveryAuthKey: 'tend/v1/recovery-auth-key',
  authChallenge: 'tend/v1/auth-challenge',
  keyWrap: 'tend/v1/key-wrap',
  envelope: 'tend/v1/envelope',
  publicKeyBundle: 'tend/v1/public-key-bundle',
  fingerprint: 'tend/v1/fingerprint',
  shareKey: 'tend/v1/share-key',
  shareKeySignature: 'tend/v1/share-key-signature',
  /** Direct conversations (§13): AD of a message record, and the sender's signed message. */
  dmRecord: 'tend/v1/dm-record',
  dmMessage: 'tend/v1/dm-message',
} as const;

export type Tag = (typeof TAG)[keyof typeof TAG];

const MAX_U32 = 0xffff_ffff;

/** 4-byte big-endian unsigned integer. */
export function u32be(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U32) {
    throw new RangeError(`not a u32: ${value}`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

/** 8-byte big-endian unsigned integer; JavaScript numbers limit it to 0 … 2^53 − 1. */
export function u64be(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a u53: ${value}`);
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32), false);
  view.setUint32(4, value >>> 0, false);
  return out;
}

export function readU32be(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/** Reads a u64be; `undefined` when it exceeds 2^53 − 1. */
export function readU64be(bytes: Uint8Array, offset: number): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(offset, false);
  const low = view.getUint32(offset + 4, false);
  if (high > 0x1f_ffff) return undefined;
  return high * 2 ** 32 + low;
}

export const utf8 = (text: string): Uint8Array => utf8ToBytes(text);

/**
 * The canonical context encoding used for every HKDF info, associated data and signed message:
 *
 *     ASCII(tag) ‖ 0x00 ‖ u32be(len(f1)) ‖ f1 ‖ … ‖ u32be(len(fn)) ‖ fn
 *
 * Tags contain no NUL byte, so the tag is prefix-free; each tag has a fixed number of fields,
 * each length-prefixed, so distinct inputs never encode to the same bytes.
 */
export function encodeContext(tag: Tag, fields: readonly Uint8Array[] = []): Uint8Array {
  const parts: Uint8Array[] = [utf8(tag), Uint8Array.of(0)];
  for (const field of fields) parts.push(u32be(field.length), field);
  return concatBytes(...parts);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
