/**
 * Whose keys to trust (docs/PROTOCOL.md §12.4). Every person's public keys come from the server,
 * which could swap them. So the first time this account meets someone, the fingerprint of their
 * (self-signed, checked) bundle is pinned in a private `circle.pin` item; every later use
 * compares with the pin. A different fingerprint is a warning that blocks sharing with (or
 * trusting anything signed by) that person until the owner confirms the new keys — ideally by
 * comparing fingerprints again. Comparing in person or by QR code marks a pin verified.
 */
import {
  verifyPublicKeyBundle,
  type BundleError,
  type PublicKeyBundle,
  type VerifiedPublicKeyBundle,
} from '$core/crypto/identity';
import {
  CIRCLE_COLLECTION,
  CIRCLE_ITEM_TYPES,
  pinItemId,
  type CirclePin,
} from '$core/circles/items';
import { sameFingerprint } from '$core/circles/verify';
import { readItem, writeItem, type CircleVault } from './store';

export interface KnownPerson {
  readonly accountId: string;
  readonly publicKeyBundle: PublicKeyBundle;
}

export type KeyCheck =
  /** Met for the first time: the fingerprint is pinned now (not verified yet). */
  | { readonly status: 'first-use'; readonly key: VerifiedPublicKeyBundle; readonly pin: CirclePin }
  /** The same keys as pinned; `pin.verifiedAt` says whether they were compared. */
  | { readonly status: 'pinned'; readonly key: VerifiedPublicKeyBundle; readonly pin: CirclePin }
  /**
   * The server now shows different keys for this person. Nothing is shared with them and
   * nothing signed by them is trusted until the owner confirms (`acceptNewKeys`).
   */
  | {
      readonly status: 'changed';
      readonly key: VerifiedPublicKeyBundle;
      readonly pin: CirclePin;
    }
  /** The bundle is broken, not self-signed, or for another account: never trusted. */
  | { readonly status: 'invalid'; readonly reason: BundleError }
  /** The pin could not be read or written on this device. */
  | { readonly status: 'unavailable' };

/** The pin for one account, or null when there is none (or it does not read). */
export async function readPin(vault: CircleVault, accountId: string): Promise<CirclePin | null> {
  const r = await readItem(vault, CIRCLE_ITEM_TYPES.pin, pinItemId(accountId));
  return r.ok && r.value !== null && r.value.accountId === accountId ? r.value : null;
}

/**
 * Checks a person's bundle against the pin, pinning it on first use. Use the returned `key`
 * only when `mayTrust` says so.
 */
export async function checkKeys(vault: CircleVault, person: KnownPerson): Promise<KeyCheck> {
  const verified = verifyPublicKeyBundle(person.publicKeyBundle, person.accountId);
  if (!verified.ok) return { status: 'invalid', reason: verified.error };
  const key = verified.value;
  const existing = await readItem(vault, CIRCLE_ITEM_TYPES.pin, pinItemId(person.accountId));
  if (!existing.ok) return { status: 'unavailable' };
  const pin = existing.value;
  if (pin !== null && pin.accountId === person.accountId) {
    return sameFingerprint(pin.fingerprint, key.fingerprint)
      ? { status: 'pinned', key, pin }
      : { status: 'changed', key, pin };
  }
  const fresh: CirclePin = {
    accountId: person.accountId,
    fingerprint: key.fingerprint,
    verifiedAt: null,
  };
  const saved = await writeItem(vault, CIRCLE_ITEM_TYPES.pin, pinItemId(person.accountId), fresh);
  return saved ? { status: 'first-use', key, pin: fresh } : { status: 'unavailable' };
}

/** Whether keys may be used: sharing with, or trusting what is signed by, this person. */
export const mayTrust = (
  check: KeyCheck,
): check is Extract<KeyCheck, { status: 'first-use' | 'pinned' }> =>
  check.status === 'first-use' || check.status === 'pinned';

/** The person's keys when they may be trusted, else why not. */
export async function trustedKey(
  vault: CircleVault,
  person: KnownPerson,
): Promise<
  | { readonly ok: true; readonly key: VerifiedPublicKeyBundle }
  | { readonly ok: false; readonly check: Exclude<KeyCheck, { status: 'first-use' | 'pinned' }> }
> {
  const check = await checkKeys(vault, person);
  return mayTrust(check) ? { ok: true, key: check.key } : { ok: false, check };
}

/**
 * The owner confirms a changed fingerprint: the new one is pinned, not verified (compare it
 * again to verify). Refused when `fingerprint` is not what the server shows now.
 */
export async function acceptNewKeys(
  vault: CircleVault,
  person: KnownPerson,
  fingerprint: string,
): Promise<boolean> {
  const verified = verifyPublicKeyBundle(person.publicKeyBundle, person.accountId);
  if (!verified.ok || !sameFingerprint(verified.value.fingerprint, fingerprint)) return false;
  return writeItem(vault, CIRCLE_ITEM_TYPES.pin, pinItemId(person.accountId), {
    accountId: person.accountId,
    fingerprint: verified.value.fingerprint,
    verifiedAt: null,
  });
}

/**
 * Marks the pinned fingerprint verified after comparing it in person or by QR code. Refused
 * (false) when `fingerprint` is not the pinned one.
 */
export async function markVerified(
  vault: CircleVault,
  accountId: string,
  fingerprint: string,
  now: Date = new Date(),
): Promise<boolean> {
  const pin = await readPin(vault, accountId);
  if (pin === null || !sameFingerprint(pin.fingerprint, fingerprint)) return false;
  return writeItem(vault, CIRCLE_ITEM_TYPES.pin, pinItemId(accountId), {
    ...pin,
    verifiedAt: now.toISOString(),
  });
}

/** Forgets that a pin was verified (the owner is no longer sure). */
export async function unmarkVerified(vault: CircleVault, accountId: string): Promise<boolean> {
  const pin = await readPin(vault, accountId);
  if (pin === null) return false;
  return writeItem(vault, CIRCLE_ITEM_TYPES.pin, pinItemId(accountId), {
    ...pin,
    verifiedAt: null,
  });
}

export { CIRCLE_COLLECTION };
