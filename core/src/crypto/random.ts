import { randomBytes } from '@noble/hashes/utils.js';

/**
 * A source of uniformly random bytes. Production code always uses {@link defaultRandom}
 * (`crypto.getRandomValues` via @noble/hashes); functions take a `random` parameter only so that
 * tests can produce fixed golden vectors.
 */
export type RandomSource = (length: number) => Uint8Array;

export const defaultRandom: RandomSource = (length) => randomBytes(length);

/** Takes exactly `length` bytes from `random`, refusing a source that returns anything else. */
export function takeRandom(random: RandomSource, length: number): Uint8Array {
  const bytes = random(length);
  if (bytes.length !== length) {
    throw new Error(`random source returned ${String(bytes.length)} bytes, expected ${length}`);
  }
  return bytes;
}
