// Pinning and verifying keys through a real Vault against the real server (in-process).
import { describe, expect, it } from 'vitest';
import { createPublicKeyBundle, generateIdentityKeys } from '$core/crypto/identity';
import { fingerprintGroups } from '$core/circles/verify';
import { useServer, synced } from '../vault/sync/test-support/server';
import { acceptNewKeys, checkKeys, markVerified, mayTrust, readPin, trustedKey } from './keys';

const personWith = (accountId: string) => {
  const identity = generateIdentityKeys();
  return { accountId, publicKeyBundle: createPublicKeyBundle(accountId, identity) };
};

describe('circle keys', () => {
  const fx = useServer();

  it('pins on first use, then trusts the same keys on every device', async () => {
    const a = await fx.device();
    const sam = personWith('sam');
    const first = await checkKeys(a.vault, sam);
    expect(first.status).toBe('first-use');
    expect(mayTrust(first)).toBe(true);
    expect(await readPin(a.vault, 'sam')).toMatchObject({ accountId: 'sam', verifiedAt: null });
    const again = await checkKeys(a.vault, sam);
    expect(again.status).toBe('pinned');

    await synced(a.vault);
    const b = await fx.device();
    await synced(b.vault);
    expect((await checkKeys(b.vault, sam)).status).toBe('pinned');
  });

  it('a changed fingerprint blocks sharing until the owner confirms the new keys', async () => {
    const { vault } = await fx.device();
    const before = personWith('sam');
    await checkKeys(vault, before);
    const swapped = personWith('sam'); // the server now shows other keys for the same account
    const check = await checkKeys(vault, swapped);
    expect(check.status).toBe('changed');
    expect(mayTrust(check)).toBe(false);
    const trusted = await trustedKey(vault, swapped);
    expect(trusted.ok).toBe(false);
    // The pin is not replaced behind the owner's back.
    const pin = await readPin(vault, 'sam');
    expect(check.status === 'changed' && pin?.fingerprint === check.pin.fingerprint).toBe(true);

    if (check.status !== 'changed') return;
    // Confirming some other fingerprint than the one shown does nothing.
    expect(await acceptNewKeys(vault, swapped, check.pin.fingerprint)).toBe(false);
    expect((await checkKeys(vault, swapped)).status).toBe('changed');
    expect(await acceptNewKeys(vault, swapped, check.key.fingerprint)).toBe(true);
    expect((await trustedKey(vault, swapped)).ok).toBe(true);
    expect((await checkKeys(vault, before)).status).toBe('changed');
  });

  it('refuses a bundle that is not self-signed or is for another account', async () => {
    const { vault } = await fx.device();
    const sam = personWith('sam');
    const zeroed = {
      ...sam,
      publicKeyBundle: { ...sam.publicKeyBundle, signature: 'A'.repeat(86) },
    };
    expect(await checkKeys(vault, zeroed)).toEqual({ status: 'invalid', reason: 'bad_signature' });
    expect(await checkKeys(vault, { ...sam, accountId: 'kim' })).toEqual({
      status: 'invalid',
      reason: 'wrong_account',
    });
    expect(await readPin(vault, 'sam')).toBeNull();
    expect(await readPin(vault, 'kim')).toBeNull();
  });

  it('marks a pin verified only with the pinned fingerprint', async () => {
    const { vault } = await fx.device();
    const sam = personWith('sam');
    const first = await checkKeys(vault, sam);
    if (first.status !== 'first-use') throw new Error(first.status);
    const wrong = fingerprintGroups(first.pin.fingerprint)
      .map((g, i) => (i === 11 ? String((Number(g) + 1) % 100000).padStart(5, '0') : g))
      .join(' ');
    expect(await markVerified(vault, 'sam', wrong)).toBe(false);
    expect((await readPin(vault, 'sam'))?.verifiedAt).toBeNull();
    const now = new Date('2026-11-24T12:00:00.000Z');
    expect(await markVerified(vault, 'sam', first.pin.fingerprint, now)).toBe(true);
    expect((await readPin(vault, 'sam'))?.verifiedAt).toBe(now.toISOString());
    expect(await markVerified(vault, 'kim', first.pin.fingerprint)).toBe(false);
  });
});
