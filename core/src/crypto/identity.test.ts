import { describe, expect, it } from 'vitest';
import { toBase64url } from '../encoding/base64url.js';
import {
  createPublicKeyBundle,
  fingerprint,
  generateIdentityKeys,
  unwrapIdentityKeys,
  verifyPublicKeyBundle,
  wrapIdentityKeys,
} from './identity.js';
import { counting, fixedRandom } from './test-support/vectors.js';
import { sha256 } from './primitives.js';

const keys = generateIdentityKeys(1, fixedRandom(counting(32, 1), counting(32, 2)));

describe('public-key bundle', () => {
  it('verifies its own self-signature and reports the fingerprint', () => {
    const bundle = createPublicKeyBundle('acct', keys);
    const verified = verifyPublicKeyBundle(bundle, 'acct');
    expect(verified.ok && verified.value.fingerprint).toBe(
      fingerprint(keys.x25519PublicKey, keys.ed25519PublicKey),
    );
  });

  it('rejects a bundle for another account, a swapped key, or a bad signature', () => {
    const bundle = createPublicKeyBundle('acct', keys);
    const other = generateIdentityKeys(1);
    expect(verifyPublicKeyBundle(bundle, 'someone')).toEqual({ ok: false, error: 'wrong_account' });
    expect(
      verifyPublicKeyBundle(
        { ...bundle, x25519PublicKey: toBase64url(other.x25519PublicKey) },
        'acct',
      ),
    ).toEqual({ ok: false, error: 'bad_signature' });
    expect(verifyPublicKeyBundle({ ...bundle, keyId: 2 }, 'acct')).toEqual({
      ok: false,
      error: 'bad_signature',
    });
    expect(verifyPublicKeyBundle({ ...bundle, signature: 'AAAA' }, 'acct')).toEqual({
      ok: false,
      error: 'bad_format',
    });
    expect(
      verifyPublicKeyBundle({ ...bundle, x25519PublicKey: `${bundle.x25519PublicKey}=` }, 'acct'),
    ).toEqual({
      ok: false,
      error: 'bad_format',
    });
  });
});

describe('fingerprint', () => {
  it('is 12 groups of 5 digits: SHA-256 of the context as an integer, mod 10^60', () => {
    const text = fingerprint(keys.x25519PublicKey, keys.ed25519PublicKey);
    expect(text).toMatch(/^(\d{5} ){11}\d{5}$/);
    const enc = new TextEncoder();
    const digest = sha256(
      Uint8Array.from([
        ...enc.encode('tend/v1/fingerprint'),
        0,
        ...[0, 0, 0, 32],
        ...keys.x25519PublicKey,
        ...[0, 0, 0, 32],
        ...keys.ed25519PublicKey,
      ]),
    );
    const n = BigInt(`0x${Buffer.from(digest).toString('hex')}`);
    expect(text.replace(/ /g, '')).toBe((n % 10n ** 60n).toString().padStart(60, '0'));
  });

  it('changes when either key changes', () => {
    const other = generateIdentityKeys(1);
    const base = fingerprint(keys.x25519PublicKey, keys.ed25519PublicKey);
    expect(fingerprint(other.x25519PublicKey, keys.ed25519PublicKey)).not.toBe(base);
    expect(fingerprint(keys.x25519PublicKey, other.ed25519PublicKey)).not.toBe(base);
    expect(fingerprint(keys.ed25519PublicKey, keys.x25519PublicKey)).not.toBe(base);
  });
});

describe('identity private keys', () => {
  const masterKey = counting(32, 3);

  it('wrap under the master key and unwrap with a check against the published bundle', () => {
    const wrapped = wrapIdentityKeys(masterKey, 'acct', keys);
    const bundle = verifyPublicKeyBundle(createPublicKeyBundle('acct', keys), 'acct');
    if (!bundle.ok) throw new Error(bundle.error);
    const unwrapped = unwrapIdentityKeys({
      masterKey,
      accountId: 'acct',
      keyId: 1,
      wrapped,
      publishedBundle: bundle.value,
    });
    expect(unwrapped).toEqual({ ok: true, value: keys });
  });

  it('cannot be unwrapped as each other, or for another account or key id', () => {
    const wrapped = wrapIdentityKeys(masterKey, 'acct', keys);
    const swapped = { x25519: wrapped.ed25519, ed25519: wrapped.x25519 };
    expect(
      unwrapIdentityKeys({ masterKey, accountId: 'acct', keyId: 1, wrapped: swapped }).ok,
    ).toBe(false);
    expect(unwrapIdentityKeys({ masterKey, accountId: 'other', keyId: 1, wrapped }).ok).toBe(false);
    expect(unwrapIdentityKeys({ masterKey, accountId: 'acct', keyId: 2, wrapped }).ok).toBe(false);
  });
});
