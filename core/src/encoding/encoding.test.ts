import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64urlLength, fromBase64url, toBase64url } from './base64url.js';
import { fromCrockford32, toCrockford32 } from './crockford32.js';

const enc = (text: string) => new TextEncoder().encode(text);

describe('base64url', () => {
  it('matches RFC 4648 §10 (unpadded, URL alphabet)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toBase64url(enc(plain))).toBe(encoded);
      expect(fromBase64url(encoded)).toEqual(enc(plain));
    }
    expect(toBase64url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
  });

  it('round-trips and agrees with Node for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(text).toHaveLength(base64urlLength(bytes.length));
        expect(fromBase64url(text)).toEqual(bytes);
      }),
    );
  });

  it('decodes only canonical text', () => {
    for (const bad of ['Zg==', 'Zm9v\n', 'Z', 'Zh', 'Zm9=', 'Zm+v', 'Zm/v', 'Zm9vé', ' Zm9v']) {
      expect(fromBase64url(bad), bad).toBeUndefined();
    }
  });
});

describe('Crockford base32', () => {
  it('encodes bits most significant first', () => {
    expect(toCrockford32(Uint8Array.of(0xff))).toBe('ZW');
    expect(toCrockford32(enc('foobar'))).toBe('CSQPYRK1E8');
    expect(fromCrockford32('CSQPYRK1E8', 6)).toEqual(enc('foobar'));
    expect(fromCrockford32('csqpyrkie8'.toUpperCase(), 6)).toEqual(enc('foobar'));
  });

  it('round-trips any bytes and refuses non-zero padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(fromCrockford32(toCrockford32(bytes), bytes.length)).toEqual(bytes);
      }),
    );
    expect(fromCrockford32('ZZ', 1)).toBeUndefined();
    expect(fromCrockford32('ZW', 2)).toBeUndefined();
    expect(fromCrockford32('U0', 1)).toBeUndefined();
  });
});
