/**
 * Crockford base32 (https://www.crockford.com/base32.html): digits and upper-case letters
 * without I, L, O and U. Bits are read most significant first; a final partial group is padded
 * with zero bits on the right.
 */

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const DECODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < CROCKFORD_ALPHABET.length; i++) {
    table[CROCKFORD_ALPHABET.charCodeAt(i)] = i;
  }
  // Crockford's decoding aliases for characters people confuse with digits.
  table['O'.charCodeAt(0)] = 0;
  table['I'.charCodeAt(0)] = 1;
  table['L'.charCodeAt(0)] = 1;
  return table;
})();

/** Value 0–31 of an upper-case Crockford character (aliases O→0, I/L→1), or -1. */
export function crockfordValue(char: string): number {
  const code = char.charCodeAt(0);
  return char.length === 1 && code < 128 ? (DECODE[code] ?? -1) : -1;
}

/** Encodes bytes as ⌈8n/5⌉ characters, zero-padding the last group's low bits. */
export function toCrockford32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD_ALPHABET.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD_ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return out;
}

/**
 * Decodes `byteLength` bytes from upper-case Crockford characters (aliases accepted). Returns
 * `undefined` for a wrong length, an unknown character or non-zero padding bits.
 */
export function fromCrockford32(text: string, byteLength: number): Uint8Array | undefined {
  if (text.length !== Math.ceil((byteLength * 8) / 5)) return undefined;
  const out = new Uint8Array(byteLength);
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (const char of text) {
    const value = crockfordValue(char);
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[o++] = (buffer >>> (bits - 8)) & 255;
      bits -= 8;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}
