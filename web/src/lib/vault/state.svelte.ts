/**
 * Who is here, and whether the vault is open: the only part of the vault the app shell imports
 * (no crypto, so the first page load stays small). Keys live in module memory only — never in
 * localStorage, sessionStorage, IndexedDB or the URL — and are zeroed when the vault locks.
 */
import type { UnlockedKeys } from './flows';

export type VaultStatus =
  /** not asked the server yet (or it could not be reached) */
  | 'unknown'
  | 'signed-out'
  /** the session cookie is valid, but the keys are not in memory (after a reload) */
  | 'locked'
  | 'unlocked';

export interface AccountSummary {
  readonly id: string;
  readonly handle: string;
  readonly email: string | null;
  readonly role: 'admin' | 'member';
  readonly createdAt: string;
}

export const vault: { status: VaultStatus; account: AccountSummary | null; fingerprint: string } =
  $state({ status: 'unknown', account: null, fingerprint: '' });

/**
 * A hint (not a secret) that this browser may have a session, so signed-out visitors never
 * cause a 401 on every page load (browsers log those as errors). The session cookie itself is
 * httpOnly and decides; this only says whether asking is worthwhile.
 */
export const SESSION_HINT_KEY = 'tend.signedIn';

function hintStore(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function mayHaveSession(): boolean {
  try {
    return hintStore()?.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return false;
  }
}

function setHint(on: boolean): void {
  try {
    if (on) hintStore()?.setItem(SESSION_HINT_KEY, '1');
    else hintStore()?.removeItem(SESSION_HINT_KEY);
  } catch {
    // Storage disabled: the app still works, it just asks the server each time.
  }
}

let keys: UnlockedKeys | null = null;
/** A recovery key waiting to be shown once (after sign-up or recovery). */
let pendingRecoveryKey: string | null = null;

/** The open vault's keys, for code that seals and opens items. */
export function unlockedKeys(): UnlockedKeys | null {
  return keys;
}

export function setUnlocked(account: AccountSummary, unlocked: UnlockedKeys): void {
  // Whatever held the old keys is told first (they are zeroed, and it should close).
  if (keys !== null && keys !== unlocked) forgetKeys();
  keys = unlocked;
  vault.account = account;
  vault.fingerprint = unlocked.fingerprint;
  vault.status = 'unlocked';
  setHint(true);
  notifyChange();
}

export function setLocked(account: AccountSummary): void {
  forgetKeys();
  vault.account = account;
  vault.status = 'locked';
  setHint(true);
  notifyChange();
}

export function setSignedOut(): void {
  forgetKeys();
  vault.account = null;
  vault.status = 'signed-out';
  setHint(false);
  notifyChange();
}

export function setPendingRecoveryKey(value: string | null): void {
  pendingRecoveryKey = value;
}

export function takePendingRecoveryKey(): string | null {
  return pendingRecoveryKey;
}

function zero(k: UnlockedKeys | null): void {
  if (k === null) return;
  k.masterKey.fill(0);
  k.identity.x25519SecretKey.fill(0);
  k.identity.ed25519Seed.fill(0);
}

// Not reactive on purpose: listeners are plumbing, not state to render.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const forgetListeners = new Set<() => void>();
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const changeListeners = new Set<() => void>();

/**
 * Runs `listener` after every change of status or keys (unlocked, locked, signed out), so the
 * open vault (vault/app.svelte.ts) can follow. Returns the function that removes the listener.
 */
export function onVaultChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

function notifyChange(): void {
  for (const listener of changeListeners) {
    try {
      listener();
    } catch {
      // One listener failing must not keep the others from running.
    }
  }
}

/**
 * Runs `listener` whenever the keys are forgotten (sign-out, quick exit, account deleted,
 * another account unlocked), so whatever holds derived keys (an open vault) can close too.
 * Returns the function that removes the listener.
 */
export function onKeysForgotten(listener: () => void): () => void {
  forgetListeners.add(listener);
  return () => forgetListeners.delete(listener);
}

/** Forgets every key in memory (sign-out, quick exit, lock). The account stays signed in. */
export function forgetKeys(): void {
  const had = keys !== null;
  zero(keys);
  keys = null;
  pendingRecoveryKey = null;
  vault.fingerprint = '';
  if (vault.status === 'unlocked') vault.status = 'locked';
  if (had) {
    for (const listener of forgetListeners) {
      try {
        listener();
      } catch {
        // One listener failing must not keep the others (or the quick exit) from running.
      }
    }
    notifyChange();
  }
}
