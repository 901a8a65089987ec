/**
 * The app's open vault. It follows the keys in state.svelte.ts: when they are unlocked (sign-up,
 * sign-in, unlock, recovery) the account's Vault opens on this device's IndexedDB and syncs with
 * the server; when they are forgotten (lock, quick exit, sign-out, deletion, another account) it
 * closes and its keys are erased. Loaded on demand by the layout (it brings the crypto).
 */
import { unsyncedChanges } from './forget';
import { realtime } from '../realtime/client';
import { onVaultChange, unlockedKeys, vault as session } from './state.svelte';
import { Vault, type FetchLike, type VaultState } from './sync';

export const local: {
  vault: Vault | null;
  state: VaultState | null;
  /** Opening the vault (reading this device's copy) is under way. */
  opening: boolean;
  /** This device's storage could not be opened (private mode with storage off, disk full…). */
  failed: boolean;
  /** The browser says it has a connection (`navigator.onLine`). */
  online: boolean;
} = $state({
  vault: null,
  state: null,
  opening: false,
  failed: false,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
});

export type { Vault, VaultState };

/**
 * Same-origin `fetch` without the HTTP cache. The vault client (sync/http.ts) fetches and sends
 * the CSRF token itself (`x-csrf-token`, refreshed once on `csrf_failed`), as the API client does.
 */
const appFetch: FetchLike = (url, init) => fetch(url, { ...init, cache: 'no-store' });

let openFor: string | null = null;
let generation = 0;
let unsubscribe: (() => void) | null = null;
let stopSharing: (() => void) | null = null;
// Not reactive on purpose: waiters are plumbing.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const waiters = new Set<(v: Vault | null) => void>();

export function currentVault(): Vault | null {
  return local.vault;
}

/** The answer `whenVaultOpen` can give now, or undefined while it is not known yet. */
function decided(): Vault | null | undefined {
  if (local.vault !== null) return local.vault;
  if (local.failed) return null;
  if (local.opening || unlockedKeys() !== null) return undefined;
  if (session.status === 'signed-out' || session.status === 'locked') return null;
  return undefined;
}

function settle(): void {
  const answer = decided();
  if (answer === undefined) return;
  for (const resolve of waiters) resolve(answer);
  waiters.clear();
}

/** Resolves with the open vault once unlocked (null if signed out / locked). */
export function whenVaultOpen(): Promise<Vault | null> {
  const now = decided();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve) => waiters.add(resolve));
}

function closeVault(): void {
  generation += 1;
  // Locked, signed out, quick exit, another account: the realtime stream closes with the vault.
  realtime.stop();
  unsubscribe?.();
  unsubscribe = null;
  stopSharing?.();
  stopSharing = null;
  local.vault?.close();
  local.vault = null;
  local.state = null;
  local.opening = false;
  openFor = null;
}

async function openVault(accountId: string, masterKey: Uint8Array): Promise<void> {
  const gen = ++generation;
  openFor = accountId;
  local.opening = true;
  local.failed = false;
  let opened: Vault;
  try {
    opened = await Vault.open({ accountId, masterKey, fetch: appFetch });
  } catch {
    if (gen === generation) {
      local.opening = false;
      local.failed = true;
      openFor = null;
      settle();
    }
    return;
  }
  if (gen !== generation) {
    // The keys were forgotten (or changed) while it opened.
    opened.close();
    return;
  }
  local.vault = opened;
  local.opening = false;
  realtime.start(accountId);
  let signedOutSeen = false;
  unsubscribe = opened.subscribe((state) => {
    local.state = state;
    // The session ended elsewhere: ask the server who is here (signs out; the sealed vault and
    // its unsynced changes stay on this device for the next sign-in).
    const ended = state.lastError?.kind === 'signed_out';
    if (ended && !signedOutSeen) void import('./session').then((s) => s.refresh());
    signedOutSeen = ended;
  });
  // What members see follows the plans (circles/auto-share.ts), loaded once the vault is open.
  void Promise.all([import('../circles/auto-share'), import('../circles/ui/grants')]).then(
    ([auto, grants]) => {
      if (gen !== generation) return;
      stopSharing = auto.followSharing(opened, () => grants.runSharingIfGranted(opened), {
        events: typeof window === 'undefined' ? undefined : window,
      });
    },
  );
  settle();
}

/** Brings the open vault in line with the keys in memory. */
function follow(): void {
  const keys = unlockedKeys();
  if (keys === null) {
    if (openFor !== null) closeVault();
  } else if (openFor !== keys.accountId) {
    if (openFor !== null) closeVault();
    void openVault(keys.accountId, keys.masterKey);
  }
  settle();
}

let started = false;

/** Starts following the keys (idempotent; the layout calls it once the module has loaded). */
export function start(): void {
  if (started) return;
  started = true;
  onVaultChange(follow);
  follow();
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => {
      local.online = true;
      // Back online: check the session again (and compare the account's bundle); the vault's own
      // scheduler syncs on the same event.
      if (session.status === 'locked' || session.status === 'unlocked') {
        void import('./session').then((s) => s.refresh());
      }
    });
    window.addEventListener('offline', () => {
      local.online = false;
    });
    // Check-in reminders the person set on this device arrive while any Tend page is open.
    void import('../checkins/reminders/run').then((r) => r.startReminders());
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Before signing out: one last sync (at most `timeoutMs`), then how many changes on this device
 * the server still does not have (queued changes and this device's side of open conflicts).
 */
export async function unsyncedBeforeSignOut(timeoutMs = 15_000): Promise<number> {
  const id = session.account?.id ?? unlockedKeys()?.accountId;
  if (id === undefined) return 0;
  const open = local.vault;
  if (open !== null) await Promise.race([open.sync().catch(() => undefined), wait(timeoutMs)]);
  return unsyncedChanges(id);
}

export interface SignOutChoice {
  /** End every session of the account, not only this one. */
  readonly everywhere?: boolean;
  /** The person chose to sign out although some changes have not synced. */
  readonly discardUnsynced?: boolean;
}

/**
 * Signs out and removes this device's encrypted copy — unless changes are still unsynced and
 * the person has not chosen to lose them: then nothing happens and `ask` comes back with how
 * many, for the page to ask (stay signed in, or sign out and lose them).
 */
export async function signOutSafely(
  choice: SignOutChoice = {},
): Promise<
  | { readonly done: true }
  | { readonly done: false; readonly unsynced: number; readonly failed?: true }
> {
  if (choice.discardUnsynced !== true) {
    const unsynced = await unsyncedBeforeSignOut();
    if (unsynced > 0) return { done: false, unsynced };
  }
  // This browser stops getting the account's notifications (while the session can still say so).
  await Promise.race([
    import('$lib/notify/push').then((m) => m.turnOffDevicePush()).catch(() => false),
    new Promise((resolve) => setTimeout(resolve, 3000)),
  ]);
  const s = await import('./session');
  const opts = { discardUnsynced: choice.discardUnsynced === true };
  if (choice.everywhere === true) {
    // Ending every session needs the server; offline, nothing changes (here either).
    const result = await s.signOutEverywhere(opts);
    if (!result.ok) return { done: false, unsynced: 0, failed: true };
  } else {
    // Here, signing out always happens on this device, even if the server cannot be told.
    await s.signOut(opts);
  }
  return { done: true };
}

if (typeof window !== 'undefined') start();
