import { describe, expect, it } from 'vitest';
import {
  authChallengeMessage,
  signChallenge,
  verifyChallenge,
  type AuthChallenge,
} from './auth.js';
import { ed25519PublicKey } from './primitives.js';
import { counting, toHex } from './test-support/vectors.js';

const seed = counting(32, 5);
const publicKey = ed25519PublicKey(seed);
const challenge: AuthChallenge = {
  purpose: 'sign-in',
  origin: 'https://tend.example',
  handle: 'sam',
  nonce: counting(32, 100),
  expiresAt: 2_000_000_000,
};
const enc = (text: string) => new TextEncoder().encode(text);

describe('auth challenge', () => {
  it('is ctx("tend/v1/auth-challenge", purpose, origin, handle, nonce, u64be(expiry)) (by hand)', () => {
    const manual = Uint8Array.from([
      ...enc('tend/v1/auth-challenge'),
      0,
      ...[0, 0, 0, 7],
      ...enc('sign-in'),
      ...[0, 0, 0, 20],
      ...enc('https://tend.example'),
      ...[0, 0, 0, 3],
      ...enc('sam'),
      ...[0, 0, 0, 32],
      ...counting(32, 100),
      ...[0, 0, 0, 8],
      ...[0, 0, 0, 0, 0x77, 0x35, 0x94, 0x00],
    ]);
    expect(toHex(authChallengeMessage(challenge))).toBe(toHex(manual));
  });

  it('verifies a signature over the same challenge until it expires', () => {
    const signature = signChallenge(seed, challenge);
    expect(verifyChallenge({ publicKey, challenge, signature, now: challenge.expiresAt })).toEqual({
      ok: true,
      value: true,
    });
    expect(
      verifyChallenge({ publicKey, challenge, signature, now: challenge.expiresAt + 1 }),
    ).toEqual({ ok: false, error: 'expired' });
  });

  it('binds purpose, origin, handle, nonce and expiry', () => {
    const signature = signChallenge(seed, challenge);
    const others: AuthChallenge[] = [
      { ...challenge, purpose: 'recover' },
      { ...challenge, purpose: 'reauth' },
      { ...challenge, origin: 'https://tend.example.evil' },
      { ...challenge, origin: 'http://tend.example' },
      { ...challenge, handle: 'sam2' },
      { ...challenge, nonce: counting(32, 101) },
      { ...challenge, expiresAt: challenge.expiresAt + 60 },
    ];
    for (const other of others) {
      expect(verifyChallenge({ publicKey, challenge: other, signature, now: 0 })).toEqual({
        ok: false,
        error: 'bad_signature',
      });
    }
  });

  it('treats handles case-insensitively after normalisation', () => {
    const signature = signChallenge(seed, { ...challenge, handle: ' SAM ' });
    expect(verifyChallenge({ publicKey, challenge, signature, now: 0 }).ok).toBe(true);
  });

  it('rejects other keys, truncated or malformed signatures', () => {
    const signature = signChallenge(seed, challenge);
    const otherKey = ed25519PublicKey(counting(32, 6));
    expect(verifyChallenge({ publicKey: otherKey, challenge, signature, now: 0 }).ok).toBe(false);
    expect(
      verifyChallenge({ publicKey, challenge, signature: signature.subarray(0, 63), now: 0 }).ok,
    ).toBe(false);
    expect(
      verifyChallenge({ publicKey, challenge, signature: new Uint8Array(64), now: 0 }).ok,
    ).toBe(false);
  });

  it('throws for malformed challenges (programming errors)', () => {
    expect(() => authChallengeMessage({ ...challenge, origin: 'https://Tend.example/' })).toThrow();
    expect(() => authChallengeMessage({ ...challenge, origin: 'tend.example' })).toThrow();
    expect(() => authChallengeMessage({ ...challenge, nonce: counting(16) })).toThrow();
    expect(() => authChallengeMessage({ ...challenge, handle: '   ' })).toThrow();
    expect(() => authChallengeMessage({ ...challenge, expiresAt: -1 })).toThrow();
    expect(() =>
      authChallengeMessage({ ...challenge, purpose: 'delete' as AuthChallenge['purpose'] }),
    ).toThrow();
    expect(authChallengeMessage({ ...challenge, origin: 'http://localhost:5173' })).toBeDefined();
    expect(authChallengeMessage({ ...challenge, origin: 'http://[::1]:3000' })).toBeDefined();
  });
});
