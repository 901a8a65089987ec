import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPublicKeyBundle,
  generateIdentityKeys,
  verifyPublicKeyBundle,
} from '../crypto/identity.js';
import {
  compareScanned,
  encodeFingerprintPayload,
  fingerprintGroups,
  formatFingerprint,
  parseFingerprintPayload,
  sameFingerprint,
} from './verify.js';

const fingerprintOf = (accountId: string) => {
  const bundle = verifyPublicKeyBundle(
    createPublicKeyBundle(accountId, generateIdentityKeys()),
    accountId,
  );
  if (!bundle.ok) throw new Error('bundle');
  return bundle.value.fingerprint;
};

const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 60, maxLength: 60 });
const accountId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

describe('fingerprint verification', () => {
  it('shows a real fingerprint as 12 groups of 5 digits', () => {
    const fp = fingerprintOf('ada');
    const groups = fingerprintGroups(fp);
    expect(groups).toHaveLength(12);
    for (const g of groups) expect(g).toMatch(/^\d{5}$/);
    expect(groups.join(' ')).toBe(fp);
    expect(formatFingerprint(groups.join('-'))).toBe(fp);
    expect(() => fingerprintGroups('12345')).toThrow();
  });

  it('a QR payload round-trips for every account id and fingerprint', () => {
    fc.assert(
      fc.property(accountId, digits, (id, d) => {
        const text = encodeFingerprintPayload(id, d);
        expect(text).toBe(`tend-fingerprint:1:${id}:${d}`);
        const back = parseFingerprintPayload(text);
        expect(back).toEqual({
          ok: true,
          value: { accountId: id, fingerprint: formatFingerprint(d) },
        });
      }),
    );
  });

  it('parses strictly', () => {
    const d = '0'.repeat(60);
    expect(parseFingerprintPayload('https://example.org')).toEqual({
      ok: false,
      error: 'not_tend',
    });
    expect(parseFingerprintPayload(`tend-fingerprint:2:ada:${d}`)).toEqual({
      ok: false,
      error: 'unsupported_version',
    });
    for (const bad of [
      `tend-fingerprint:1:ada:${d}:x`,
      `tend-fingerprint:1:ada:${d.slice(1)}`,
      `tend-fingerprint:1:ada:${d}0`,
      `tend-fingerprint:1:a da:${d}`,
      `tend-fingerprint:1::${d}`,
      `tend-fingerprint:01:ada:${d}`,
      `tend-fingerprint:1:ada:${'0'.repeat(59)}a`,
      'tend-fingerprint',
      ` tend-fingerprint:1:ada:${d}`,
    ]) {
      expect(parseFingerprintPayload(bad).ok, bad).toBe(false);
    }
  });

  it('a scan matches only the pinned fingerprint of the same account', () => {
    const pinned = { accountId: 'sam', fingerprint: fingerprintOf('sam') };
    const other = fingerprintOf('sam');
    expect(compareScanned(encodeFingerprintPayload('sam', pinned.fingerprint), pinned)).toEqual({
      result: 'match',
    });
    // Keys the server substituted for the same account: the digits differ.
    expect(compareScanned(encodeFingerprintPayload('sam', other), pinned)).toEqual({
      result: 'mismatch',
    });
    expect(compareScanned(encodeFingerprintPayload('kim', pinned.fingerprint), pinned)).toEqual({
      result: 'other_person',
      accountId: 'kim',
    });
    expect(compareScanned('hello', pinned)).toEqual({ result: 'unreadable', reason: 'not_tend' });
  });

  it('any single changed digit is a mismatch', () => {
    fc.assert(
      fc.property(digits, fc.nat(59), fc.nat(8), (d, at, bump) => {
        const changed = d.slice(0, at) + String((Number(d[at]) + bump + 1) % 10) + d.slice(at + 1);
        expect(sameFingerprint(d, changed)).toBe(false);
        expect(
          compareScanned(encodeFingerprintPayload('x', changed), {
            accountId: 'x',
            fingerprint: d,
          }),
        ).toEqual({
          result: 'mismatch',
        });
      }),
    );
  });
});
