/**
 * The recovery key (docs/PROTOCOL.md §4.1): 32 random bytes shown once as 14 groups of 4 Crockford
 * base32 characters — 13 groups carry the key (52 characters, the last 4 bits zero), the 14th is
 * a checksum: (key as a 256-bit big-endian integer) mod P with P = 1 048 573, the largest prime
 * below 2^20, written as 4 characters. Any single mistyped character, and any swap of two
 * adjacent characters within the 52 key characters or within the checksum group, is always
 * detected: such a typo changes the key by ±e·2^j or ±31·e·2^j with 1 ≤ e ≤ 31 (or leaves the key
 * and changes the checksum), and the odd prime P > 31 divides none of these. Other errors slip
 * through with probability about 2^-20.
 */
import { err, ok, type Result } from '../result.js';
import {
  CROCKFORD_ALPHABET,
  crockfordValue,
  fromCrockford32,
  toCrockford32,
} from '../encoding/crockford32.js';
import { encodeContext, TAG } from './canonical.js';
import { generateKey } from './keys.js';
import { ed25519PublicKey, hkdfSha256, KEY_LENGTH } from './primitives.js';
import { defaultRandom, type RandomSource } from './random.js';

export const RECOVERY_CHECKSUM_PRIME = 1_048_573;
const DATA_CHARS = 52;
const CHECK_CHARS = 4;

export function generateRecoveryKey(random: RandomSource = defaultRandom): Uint8Array {
  return generateKey(random);
}

function checksum(key: Uint8Array): number {
  let n = 0n;
  for (const byte of key) n = (n << 8n) | BigInt(byte);
  return Number(n % BigInt(RECOVERY_CHECKSUM_PRIME));
}

function checksumChars(value: number): string {
  let out = '';
  for (let shift = 15; shift >= 0; shift -= 5) {
    out += CROCKFORD_ALPHABET.charAt((value >>> shift) & 31);
  }
  return out;
}

/** "XXXX-XXXX-…-CCCC": 14 groups of 4 characters joined by hyphens (69 characters). */
export function encodeRecoveryKey(key: Uint8Array): string {
  if (key.length !== KEY_LENGTH) throw new RangeError('recovery key must be 32 bytes');
  const chars = toCrockford32(key) + checksumChars(checksum(key));
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

/**
 * Typo-tolerant normalisation of what a person typed: Unicode NFKC (full-width forms), upper
 * case, every whitespace and dash-like character removed, O → 0, I and L → 1.
 */
export function normaliseRecoveryKeyInput(input: string): string {
  const compact = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212_.]/gu, '');
  return compact.replace(/O/g, '0').replace(/[IL]/g, '1');
}

export type RecoveryKeyError = 'wrong_length' | 'invalid_character' | 'checksum_mismatch';

export function decodeRecoveryKey(input: string): Result<Uint8Array, RecoveryKeyError> {
  const text = normaliseRecoveryKeyInput(input);
  for (const char of text) if (crockfordValue(char) < 0) return err('invalid_character');
  if (text.length !== DATA_CHARS + CHECK_CHARS) return err('wrong_length');
  const key = fromCrockford32(text.slice(0, DATA_CHARS), KEY_LENGTH);
  // Non-zero padding bits can only come from a typo in the last data character.
  if (key === undefined) return err('checksum_mismatch');
  let expected = 0;
  for (const char of text.slice(DATA_CHARS)) expected = expected * 32 + crockfordValue(char);
  if (expected !== checksum(key)) return err('checksum_mismatch');
  return ok(key);
}

export interface RecoveryKeys {
  /** Wraps the master key (kind "master/recovery"). */
  readonly wrapKey: Uint8Array;
  /** Ed25519 seed that signs "recover" challenges. */
  readonly authSeed: Uint8Array;
  /** What the server stores to verify a recovery attempt. */
  readonly authPublicKey: Uint8Array;
}

export function deriveRecoveryKeys(recoveryKey: Uint8Array): RecoveryKeys {
  if (recoveryKey.length !== KEY_LENGTH) throw new RangeError('recovery key must be 32 bytes');
  const salt = new Uint8Array(0);
  const wrapKey = hkdfSha256(recoveryKey, salt, encodeContext(TAG.recoveryKek), KEY_LENGTH);
  const authSeed = hkdfSha256(recoveryKey, salt, encodeContext(TAG.recoveryAuthKey), KEY_LENGTH);
  return { wrapKey, authSeed, authPublicKey: ed25519PublicKey(authSeed) };
}
