import { toBase64url } from '../encoding/base64url.js';
import { defaultRandom, takeRandom, type RandomSource } from './random.js';

/**
 * Identifiers bound into Tend's cryptographic contexts (account, owner, collection, item, share
 * ids): 1–64 characters of `A–Z a–z 0–9 _ -`, compared byte for byte. Restricting them to ASCII
 * keeps their encoding unambiguous (no Unicode normalisation question).
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Item types ("plan", "checkin", "journal.entry"): 1–32 of `a–z 0–9 . _ -`, starting a–z. */
export const ITEM_TYPE_PATTERN = /^[a-z][a-z0-9._-]{0,31}$/;

export const isId = (value: string): boolean => ID_PATTERN.test(value);
export const isItemType = (value: string): boolean => ITEM_TYPE_PATTERN.test(value);

/** Throws for an invalid id: passing one is a programming error, never an expected failure. */
export function assertId(value: string, what: string): void {
  if (!isId(value)) throw new TypeError(`${what} is not a valid id`);
}

export function assertItemType(value: string): void {
  if (!isItemType(value)) throw new TypeError('item type is not valid');
}

/** Key ids and identity key versions: 1 … 2^32 − 1. */
export const isKeyId = (value: number): boolean =>
  Number.isInteger(value) && value >= 1 && value <= 0xffff_ffff;

export function assertKeyId(value: number, what = 'key id'): void {
  if (!isKeyId(value)) throw new RangeError(`${what} must be an integer 1 … 2^32 − 1`);
}

/** A fresh random id: 16 random bytes as base64url (22 characters). */
export function generateId(random: RandomSource = defaultRandom): string {
  return toBase64url(takeRandom(random, 16));
}
