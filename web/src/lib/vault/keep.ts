/**
 * "Keep me unlocked on this device" (off unless the person turns it on, per device): the master
 * key, encrypted with AES-256-GCM under a WebCrypto key that is generated non-extractable, so
 * script can use it but never read it out. Both are stored in IndexedDB (`tend-device`, meta
 * `keep:<accountId>`). After a reload, `refresh()` opens the vault with it instead of asking for
 * the passphrase. It is deleted on sign-out, account deletion, a session that ended, quick exit,
 * and when turned off. docs/SECURITY.md says what this gives up.
 */
import { deviceCache, type DeviceCache } from './device';

interface KeptRecord {
  readonly v: 1;
  readonly key: CryptoKey;
  readonly iv: Uint8Array;
  readonly sealed: Uint8Array;
}

const additionalData = (accountId: string) =>
  new TextEncoder().encode(`tend/v1/keep-unlocked\0${accountId}`);

function subtle(): SubtleCrypto | undefined {
  return typeof crypto === 'undefined' ? undefined : crypto.subtle;
}

function isRecord(value: unknown): value is KeptRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.v === 1 &&
    typeof CryptoKey !== 'undefined' &&
    r.key instanceof CryptoKey &&
    r.iv instanceof Uint8Array &&
    r.sealed instanceof Uint8Array
  );
}

/**
 * Quick exit must end a kept unlock even though the page leaves at once, before IndexedDB can
 * finish a deletion. So forgetting the keys also sets this flag in localStorage (synchronous, no
 * secret): while it is set, no kept unlock is used — it is deleted instead — until the person
 * turns the setting on again.
 */
export const KEEP_REVOKED_KEY = 'tend.keepRevoked';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** Synchronous: called as the keys are forgotten (quick exit, sign-out). */
export function revokeKeptUnlock(): void {
  try {
    storage()?.setItem(KEEP_REVOKED_KEY, '1');
  } catch {
    // Storage disabled: the IndexedDB deletion is all there is.
  }
}

export function keptUnlockRevoked(): boolean {
  try {
    return storage()?.getItem(KEEP_REVOKED_KEY) === '1';
  } catch {
    return false;
  }
}

/** Turns it on: the master key is sealed under a new non-extractable key and stored. */
export async function keepUnlocked(
  accountId: string,
  masterKey: Uint8Array,
  cache: DeviceCache = deviceCache,
): Promise<boolean> {
  const s = subtle();
  if (s === undefined) return false;
  try {
    const key = await s.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(
      await s.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(accountId) },
        key,
        Uint8Array.from(masterKey),
      ),
    );
    const record: KeptRecord = { v: 1, key, iv, sealed };
    const stored = await cache.setKept(accountId, record);
    if (stored) storage()?.removeItem(KEEP_REVOKED_KEY);
    return stored;
  } catch {
    return false;
  }
}

/** Whether this device keeps the account unlocked. */
export async function isKeptUnlocked(
  accountId: string,
  cache: DeviceCache = deviceCache,
): Promise<boolean> {
  return isRecord(await cache.kept(accountId));
}

/** The kept master key (a fresh copy for the caller to use and erase), or undefined. */
export async function keptMasterKey(
  accountId: string,
  cache: DeviceCache = deviceCache,
): Promise<Uint8Array | undefined> {
  const s = subtle();
  const record = await cache.kept(accountId);
  if (s === undefined || !isRecord(record)) return undefined;
  try {
    const plain = await s.decrypt(
      {
        name: 'AES-GCM',
        iv: Uint8Array.from(record.iv),
        additionalData: additionalData(accountId),
      },
      record.key,
      Uint8Array.from(record.sealed),
    );
    const key = new Uint8Array(plain);
    return key.length === 32 ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Turns it off (also on sign-out, deletion and quick exit). */
export async function stopKeepingUnlocked(
  accountId: string,
  cache: DeviceCache = deviceCache,
): Promise<void> {
  await cache.dropKept(accountId);
}
