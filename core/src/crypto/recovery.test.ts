import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET, crockfordValue } from '../encoding/crockford32.js';
import {
  decodeRecoveryKey,
  deriveRecoveryKeys,
  encodeRecoveryKey,
  generateRecoveryKey,
  normaliseRecoveryKeyInput,
} from './recovery.js';
import { counting, toHex } from './test-support/vectors.js';

const arbKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
const compact = (text: string) => text.replace(/-/g, '');
const regroup = (chars: string) => chars.match(/.{4}/g)?.join('-') ?? chars;

describe('recovery key string', () => {
  it('is 14 groups of 4 Crockford characters and round-trips', () => {
    fc.assert(
      fc.property(arbKey, (key) => {
        const text = encodeRecoveryKey(key);
        expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/);
        const decoded = decodeRecoveryKey(text);
        expect(decoded.ok && toHex(decoded.value)).toBe(toHex(key));
      }),
    );
  });

  it('tolerates case, spaces, other dashes, full-width forms and O/I/L look-alikes', () => {
    fc.assert(
      fc.property(arbKey, (key) => {
        const text = encodeRecoveryKey(key);
        const chars = compact(text);
        const variants = [
          text.toLowerCase(),
          chars,
          chars.match(/.{4}/g)?.join(' ') ?? chars,
          `  ${text.replace(/-/g, '\u2013')}\n`,
          chars.replace(/0/g, 'O').replace(/1/g, 'l'),
          chars.replace(/1/g, 'I').toLowerCase(),
          [...text].map((c) => String.fromCharCode((c.codePointAt(0) ?? 0) + 0xfee0)).join(''),
        ];
        for (const variant of variants) {
          const decoded = decodeRecoveryKey(variant);
          expect(decoded.ok && toHex(decoded.value), variant).toBe(toHex(key));
        }
      }),
    );
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(arbKey, fc.nat(55), fc.nat(31), (key, position, replacement) => {
        const chars = compact(encodeRecoveryKey(key));
        const original = chars.charAt(position);
        const typo = CROCKFORD_ALPHABET.charAt(replacement);
        fc.pre(crockfordValue(typo) !== crockfordValue(original));
        const mistyped = chars.slice(0, position) + typo + chars.slice(position + 1);
        expect(decodeRecoveryKey(regroup(mistyped))).toEqual({
          ok: false,
          error: 'checksum_mismatch',
        });
      }),
    );
  });

  it('detects every single-character substitution exhaustively for one key', () => {
    const chars = compact(encodeRecoveryKey(counting(32, 0x33)));
    let checked = 0;
    for (let position = 0; position < chars.length; position++) {
      for (const typo of CROCKFORD_ALPHABET) {
        if (typo === chars.charAt(position)) continue;
        const mistyped = chars.slice(0, position) + typo + chars.slice(position + 1);
        expect(decodeRecoveryKey(mistyped).ok).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe(56 * 31);
  });

  it('detects swapped neighbours within the key part and within the checksum group', () => {
    fc.assert(
      fc.property(arbKey, fc.nat(53), (key, index) => {
        const position = index < 51 ? index : 52 + (index - 51); // skip the 51↔52 boundary
        const chars = compact(encodeRecoveryKey(key));
        const a = chars.charAt(position);
        const b = chars.charAt(position + 1);
        fc.pre(a !== b);
        const swapped = chars.slice(0, position) + b + a + chars.slice(position + 2);
        expect(decodeRecoveryKey(swapped).ok).toBe(false);
      }),
    );
  });

  it('names what is wrong: length, characters, checksum', () => {
    const text = encodeRecoveryKey(counting(32));
    expect(decodeRecoveryKey(text.slice(0, -1))).toEqual({ ok: false, error: 'wrong_length' });
    expect(decodeRecoveryKey(`${text}0`)).toEqual({ ok: false, error: 'wrong_length' });
    expect(decodeRecoveryKey(text.replace(/^./, 'U'))).toEqual({
      ok: false,
      error: 'invalid_character',
    });
    expect(decodeRecoveryKey(text.replace(/^./, '!'))).toEqual({
      ok: false,
      error: 'invalid_character',
    });
    expect(decodeRecoveryKey('')).toEqual({ ok: false, error: 'wrong_length' });
  });

  it('normalisation keeps only what matters', () => {
    expect(normaliseRecoveryKeyInput(' ab-cd\u2014oi l ')).toBe('ABCD011');
  });
});

describe('recovery key derivations', () => {
  it('derives a wrap key and an auth key that differ from each other and from the key', () => {
    const key = generateRecoveryKey();
    const derived = deriveRecoveryKeys(key);
    const all = [key, derived.wrapKey, derived.authSeed].map(toHex);
    expect(new Set(all).size).toBe(3);
    expect(derived.authPublicKey).toHaveLength(32);
    expect(toHex(deriveRecoveryKeys(key).wrapKey)).toBe(toHex(derived.wrapKey));
  });
});
