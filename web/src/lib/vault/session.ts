/**
 * The account flows of docs/PROTOCOL.md §6, wired to the API and the Argon2id worker. Loaded on
 * demand by the pages that need it (it brings the crypto); the app shell only imports state.
 * Expected failures come back as values with a code the pages turn into kind words.
 */
import type { z } from 'zod';
import {
  challengeResponseSchema,
  type AccountSelf,
  type ChallengeResponse,
} from '../../../../core/src/accounts/api.js';
import {
  checkKdfParams,
  deriveRecoveryKeys,
  fromBase64url,
  generateKey,
  idSchema,
  type AuthPurpose,
  type KdfParams,
  type PassphraseKeys,
} from '../../../../core/src/crypto/index.js';
import type { RecoveryKeyChangeWire } from '../../../../core/src/crypto/schemas.js';
import { accountsApi, type SignedChallenge } from '../api/accounts';
import { api } from '../api/client';
import { fail, fromApi, type FlowResult } from './errors';
import { deviceCache, sameIdentity } from './device';
import { forgetDevice } from './forget';
import { keptMasterKey, keptUnlockRevoked, revokeKeptUnlock, stopKeepingUnlocked } from './keep';
import { deriveInWorker } from './kdf';
import {
  chooseKdfParams,
  createAccount,
  newRecoveryKey,
  newSaltSeed,
  openWithKek,
  openWithMasterKey,
  passphraseChange,
  readRecoveryKey,
  signFor,
  unwrapWithRecoveryKey,
  type UnlockedKeys,
} from './flows';
import {
  mayHaveSession,
  onKeysForgotten,
  setLocked,
  setPendingRecoveryKey,
  setSignedOut,
  setUnlocked,
  unlockedKeys,
  vault,
  type AccountSummary,
} from './state.svelte';

const accounts = accountsApi(api);

function summary(self: AccountSelf): AccountSummary {
  return {
    id: self.id,
    handle: self.handle,
    email: self.email,
    role: self.role,
    createdAt: self.createdAt,
  };
}

function origin(): string {
  return location.origin.toLowerCase();
}

async function derive(
  handle: string,
  passphrase: string,
  saltSeed: Uint8Array | string,
  params: KdfParams,
): Promise<FlowResult<PassphraseKeys>> {
  const seed = typeof saltSeed === 'string' ? fromBase64url(saltSeed) : saltSeed;
  if (seed?.length !== 32) return fail('unexpected');
  const checked = checkKdfParams(params);
  if (!checked.ok) return fail('weak_kdf_params', { detail: checked.error });
  const result = await deriveInWorker({ passphrase, handle, saltSeed: seed, params });
  if (!result.ok) {
    return result.error === 'failed'
      ? fail('unexpected')
      : fail('weak_kdf_params', { detail: result.error });
  }
  return { ok: true, value: result.value };
}

/** The session ended on the server: forget the cached bundle (the vault's data stays). */
async function sessionEnded(): Promise<void> {
  const id =
    vault.account?.id ?? unlockedKeys()?.accountId ?? (await deviceCache.current())?.self.id;
  setSignedOut();
  if (id !== undefined) await deviceCache.forget(id);
}

/** No answer from the server (offline, or it is down): a reason to use this device's copy. */
const unreachable = (res: { status: number; code: string }) =>
  res.code === 'network' || res.status >= 500;

/**
 * Asks the server who is signed in here. Keeps the keys if it is still the same account.
 * Offline (or the server down), the cached bundle says who was signed in: the app is `locked` and
 * the passphrase opens the vault on this device. A server bundle unlike the cached one is kept
 * aside, never trusted until it opens with the passphrase (see `unlock`).
 */
export async function refresh(): Promise<void> {
  if (!mayHaveSession()) {
    setSignedOut();
    return;
  }
  const me = await accounts.me();
  if (me.ok) {
    const held = unlockedKeys();
    if (held !== null && held.accountId === me.value.id) vault.account = summary(me.value);
    else setLocked(summary(me.value));
    await deviceCache.noteServerBundle(me.value);
    await resumeKept(me.value);
  } else if (me.status === 401) {
    await sessionEnded();
  } else if (unreachable(me) && unlockedKeys() === null) {
    const cached = await deviceCache.current();
    if (cached !== undefined) {
      setLocked(summary(cached.self));
      await resumeKept(undefined);
    }
  }
}

/**
 * "Keep me unlocked on this device" (keep.ts), when the person turned it on here: the kept
 * master key opens the cached bundle (its identity checked as at every sign-in) instead of
 * asking for the passphrase. A kept key that does not open the account is dropped.
 */
async function resumeKept(server: AccountSelf | undefined): Promise<void> {
  const account = vault.account;
  if (unlockedKeys() !== null || account === null || vault.status !== 'locked') return;
  const cached = await deviceCache.get(account.id);
  if (cached === undefined) return;
  if (server !== undefined && !sameIdentity(cached.self, server)) return;
  if (keptUnlockRevoked()) {
    // Quick exit (or sign-out) since it was turned on: it ends here, whatever IndexedDB holds.
    await stopKeepingUnlocked(account.id);
    return;
  }
  const master = await keptMasterKey(account.id);
  if (master === undefined) return;
  const opened = openWithMasterKey(cached.self, master);
  if (!opened.ok) {
    master.fill(0);
    await stopKeepingUnlocked(account.id);
    return;
  }
  if (unlockedKeys() !== null || vault.account?.id !== account.id) {
    zeroKeys(opened.value);
    return;
  }
  setUnlocked(summary(server ?? cached.self), opened.value);
}

// Keys forgotten in memory (quick exit, sign-out, deletion): a kept unlock goes too, so the next
// visit asks for the passphrase. (A reload does not forget: it keeps the choice.)
onKeysForgotten(() => {
  revokeKeptUnlock();
  const id = vault.account?.id;
  if (id !== undefined) void stopKeepingUnlocked(id);
});

export async function signUp(input: {
  handle: string;
  passphrase: string;
  email?: string;
  invite?: string;
}): Promise<FlowResult> {
  const saltSeed = newSaltSeed();
  const kdfParams = chooseKdfParams();
  const derived = await derive(input.handle, input.passphrase, saltSeed, kdfParams);
  if (!derived.ok) return derived;
  const account = createAccount({ saltSeed, kdfParams, passphrase: derived.value });
  const res = await accounts.signUp({
    handle: input.handle,
    keys: account.keys,
    ...(input.email ? { email: input.email } : {}),
    ...(input.invite ? { invite: input.invite } : {}),
  });
  if (!res.ok) return fromApi(res);
  if (res.value.id !== account.unlocked.accountId) return fail('server_mismatch');
  api.resetCsrf();
  // The bundle the server echoes is cached only if it opens with the new passphrase.
  const echoed = openWithKek(res.value, derived.value.kek);
  if (echoed.ok) {
    zeroKeys(echoed.value);
    await deviceCache.trust(res.value);
  }
  setUnlocked(summary(res.value), account.unlocked);
  setPendingRecoveryKey(account.recoveryKey);
  return { ok: true, value: undefined };
}

/** Challenge → Argon2id (with the server's salt seed and checked parameters) → signature. */
async function prove(
  handle: string,
  passphrase: string,
  purpose: 'sign-in' | 'reauth',
): Promise<FlowResult<{ signed: SignedChallenge; keys: PassphraseKeys }>> {
  const challenge = await accounts.challenge(handle, purpose);
  if (!challenge.ok) return fromApi(challenge);
  const derived = await derive(
    handle,
    passphrase,
    challenge.value.saltSeed,
    challenge.value.kdfParams,
  );
  if (!derived.ok) return derived;
  const signed = signFor({
    seed: derived.value.authSeed,
    response: challenge.value,
    purpose,
    handle,
    origin: origin(),
  });
  if (!signed.ok) return fail('server_mismatch');
  return { ok: true, value: { signed: signed.value, keys: derived.value } };
}

export async function signIn(handle: string, passphrase: string): Promise<FlowResult> {
  const proof = await prove(handle, passphrase, 'sign-in');
  if (!proof.ok) return proof;
  const res = await accounts.signIn(proof.value.signed);
  if (!res.ok) return fromApi(res);
  api.resetCsrf();
  const opened = openWithKek(res.value, proof.value.keys.kek);
  if (!opened.ok) {
    // The server accepted the proof but handed back keys that are not ours: do not use them.
    await accounts.signOut();
    setSignedOut();
    return fail('server_mismatch');
  }
  await deviceCache.trust(res.value);
  setUnlocked(summary(res.value), opened.value);
  return { ok: true, value: undefined };
}

function zeroKeys(k: UnlockedKeys): void {
  k.masterKey.fill(0);
  k.identity.x25519SecretKey.fill(0);
  k.identity.ed25519Seed.fill(0);
}

/** Argon2id with the bundle's own (checked) parameters, then the local unwrap. */
async function openBundle(
  self: AccountSelf,
  passphrase: string,
): Promise<FlowResult<UnlockedKeys>> {
  const derived = await derive(self.handle, passphrase, self.keys.saltSeed, self.keys.kdfParams);
  if (!derived.ok) return derived;
  const opened = openWithKek(self, derived.value.kek);
  if (!opened.ok) {
    return opened.error === 'wrong_key' ? fail('wrong_passphrase') : fail('server_mismatch');
  }
  return { ok: true, value: opened.value };
}

/**
 * After a reload the session may still be valid: the passphrase alone opens the vault again.
 * Online, the server's bundle is used — after checking it carries the same identity as the one
 * cached on this device — and cached once it opened. Offline, the cached bundle opens locally
 * (a bundle the server sent since, kept aside as `pending`, is tried first, then the trusted one).
 */
export async function unlock(passphrase: string): Promise<FlowResult> {
  const me = await accounts.me();
  if (me.ok) {
    const cached = await deviceCache.get(me.value.id);
    if (cached !== undefined && !sameIdentity(cached.self, me.value)) {
      return fail('server_mismatch');
    }
    const opened = await openBundle(me.value, passphrase);
    if (!opened.ok) return opened;
    await deviceCache.trust(me.value);
    setUnlocked(summary(me.value), opened.value);
    return { ok: true, value: undefined };
  }
  if (me.status === 401) {
    await sessionEnded();
    return fromApi(me);
  }
  if (!unreachable(me)) return fromApi(me);
  const cached =
    vault.account === null ? await deviceCache.current() : await deviceCache.get(vault.account.id);
  if (cached === undefined) return fromApi(me);
  const candidates =
    cached.pending !== null && sameIdentity(cached.self, cached.pending)
      ? [cached.pending, cached.self]
      : [cached.self];
  let last: FlowResult<UnlockedKeys> = fail('wrong_passphrase');
  for (const self of candidates) {
    last = await openBundle(self, passphrase);
    if (last.ok) {
      if (self !== cached.self) await deviceCache.trust(self);
      setUnlocked(summary(cached.self), last.value);
      return { ok: true, value: undefined };
    }
    if (last.error !== 'wrong_passphrase') return last;
  }
  return last;
}

export interface SignOutOptions {
  /** Delete this device's copy even if it holds changes the server does not have. */
  readonly discardUnsynced?: boolean;
}

/**
 * Signs out here and removes this device's encrypted copy (vault database and cached bundle) —
 * unless it still holds unsynced changes and `discardUnsynced` is not set: then the copy stays
 * (encrypted) so signing in again syncs them. Callers ask the person first (vault/app.svelte.ts).
 */
export async function signOut(opts: SignOutOptions = {}): Promise<FlowResult> {
  const id = vault.account?.id ?? unlockedKeys()?.accountId;
  const res = await accounts.signOut();
  setSignedOut();
  api.resetCsrf();
  if (id !== undefined) await forgetDevice(id, opts);
  if (!res.ok && res.status !== 401) return fromApi(res);
  return { ok: true, value: undefined };
}

/** Signs out every session of this account, this one included. */
export async function signOutEverywhere(opts: SignOutOptions = {}): Promise<FlowResult> {
  const id = vault.account?.id ?? unlockedKeys()?.accountId;
  const res = await accounts.endAllSessions();
  if (!res.ok && res.status !== 401) return fromApi(res);
  setSignedOut();
  api.resetCsrf();
  if (id !== undefined) await forgetDevice(id, opts);
  return { ok: true, value: undefined };
}

function requireUnlocked(): FlowResult<{ keys: UnlockedKeys; account: AccountSummary }> {
  const keys = unlockedKeys();
  const account = vault.account;
  if (keys === null || account === null) return fail('signed_out');
  return { ok: true, value: { keys, account } };
}

/** Re-authentication: the current passphrase signs a `reauth` challenge. */
async function reauth(passphrase: string): Promise<FlowResult<SignedChallenge>> {
  const account = vault.account;
  if (account === null) return fail('signed_out');
  const proof = await prove(account.handle, passphrase, 'reauth');
  if (!proof.ok) return proof;
  return { ok: true, value: proof.value.signed };
}

export async function changePassphrase(input: {
  current: string;
  next: string;
  endOtherSessions: boolean;
}): Promise<FlowResult> {
  const open = requireUnlocked();
  if (!open.ok) return open;
  const { keys, account } = open.value;
  const me = await accounts.me();
  if (!me.ok) return fromApi(me);
  const signed = await reauth(input.current);
  if (!signed.ok) return signed.error === 'sign_in_failed' ? fail('wrong_passphrase') : signed;
  const saltSeed = newSaltSeed();
  const kdfParams = chooseKdfParams(me.value.keys.kdfParams);
  const derived = await derive(account.handle, input.next, saltSeed, kdfParams);
  if (!derived.ok) return derived;
  const change = passphraseChange({
    accountId: keys.accountId,
    masterKey: keys.masterKey,
    saltSeed,
    kdfParams,
    passphrase: derived.value,
  });
  const res = await accounts.changePassphrase(signed.value, change, input.endOtherSessions);
  if (!res.ok) return res.code === 'sign_in_failed' ? fail('wrong_passphrase') : fromApi(res);
  // This device made the new wrap: it becomes the cached bundle (offline unlock, new passphrase).
  await deviceCache.trust({
    ...me.value,
    keys: {
      ...me.value.keys,
      saltSeed: change.saltSeed,
      kdfParams: change.kdfParams,
      wrappedMasterKeyPassphrase: change.wrappedMasterKeyPassphrase,
    },
  });
  return { ok: true, value: undefined };
}

/** A new recovery key to show; nothing changes on the server until it is confirmed. */
export function prepareRecoveryKey(): FlowResult<{
  recoveryKey: string;
  change: RecoveryKeyChangeWire;
}> {
  const open = requireUnlocked();
  if (!open.ok) return open;
  return { ok: true, value: newRecoveryKey(open.value.keys.accountId, open.value.keys.masterKey) };
}

/** Right after a recovery, the new passphrase's auth seed signs the recovery-key change. */
let heldAuthSeed: { accountId: string; seed: Uint8Array } | null = null;
onKeysForgotten(() => {
  heldAuthSeed?.seed.fill(0);
  heldAuthSeed = null;
});

export function canReplaceRecoveryKeyWithoutPassphrase(): boolean {
  return heldAuthSeed !== null && heldAuthSeed.accountId === unlockedKeys()?.accountId;
}

/** Registers a confirmed new recovery key; the old one stops working at once. */
export async function commitRecoveryKey(
  change: RecoveryKeyChangeWire,
  passphrase?: string,
): Promise<FlowResult> {
  const account = vault.account;
  if (account === null) return fail('signed_out');
  let signed: FlowResult<SignedChallenge>;
  if (passphrase !== undefined) {
    signed = await reauth(passphrase);
    if (!signed.ok && signed.error === 'sign_in_failed') return fail('wrong_passphrase');
  } else if (canReplaceRecoveryKeyWithoutPassphrase() && heldAuthSeed !== null) {
    const seed = heldAuthSeed.seed;
    const challenge = await accounts.challenge(account.handle, 'reauth');
    if (!challenge.ok) return fromApi(challenge);
    const s = signFor({
      seed,
      response: challenge.value,
      purpose: 'reauth',
      handle: account.handle,
      origin: origin(),
    });
    signed = s.ok ? s : fail('server_mismatch');
  } else {
    return fail('wrong_passphrase');
  }
  if (!signed.ok) return signed;
  const res = await accounts.replaceRecoveryKey(signed.value, change);
  if (!res.ok) return res.code === 'sign_in_failed' ? fail('wrong_passphrase') : fromApi(res);
  if (heldAuthSeed !== null) {
    heldAuthSeed.seed.fill(0);
    heldAuthSeed = null;
  }
  return { ok: true, value: undefined };
}

/** The recover challenge response; `accountId` is read when the server sends it. */
const recoverChallengeSchema = challengeResponseSchema.extend({
  accountId: idSchema.optional(),
});

/**
 * Forgotten passphrase: the recovery key proves who it is, then a new passphrase is set
 * (PROTOCOL.md §6, Recovery). Afterwards a new recovery key should be offered.
 */
export async function recover(input: {
  handle: string;
  recoveryKey: string;
  passphrase: string;
}): Promise<FlowResult> {
  const key = readRecoveryKey(input.recoveryKey);
  if (!key.ok) return fail('recovery_key_invalid');
  const recovery = deriveRecoveryKeys(key.value);
  const challenge = await api.request<z.infer<typeof recoverChallengeSchema>>(
    'POST',
    '/api/v1/auth/challenge',
    {
      body: { handle: input.handle, purpose: 'recover' satisfies AuthPurpose },
      schema: recoverChallengeSchema,
    },
  );
  if (!challenge.ok) return fromApi(challenge);
  const response: ChallengeResponse & { accountId?: string } = challenge.value;
  const wrappedRecovery = response.wrappedMasterKeyRecovery;
  if (wrappedRecovery === undefined) return fail('server_mismatch');
  const signed = signFor({
    seed: recovery.authSeed,
    response,
    purpose: 'recover',
    handle: input.handle,
    origin: origin(),
  });
  if (!signed.ok) return fail('server_mismatch');

  // The new passphrase (one Argon2id run; its keys serve both steps below).
  const saltSeed = newSaltSeed();
  const kdfParams = chooseKdfParams();
  const derived = await derive(input.handle, input.passphrase, saltSeed, kdfParams);
  if (!derived.ok) return derived;

  // With the account id (when the server sends it) the master key opens before anything is
  // sent. Without it, the first request sets the new passphrase with a placeholder wrap, and the
  // real wrap follows at once with a passphrase change signed by the new auth key.
  const knownId = response.accountId;
  const masterBefore =
    knownId === undefined
      ? undefined
      : unwrapWithRecoveryKey(knownId, wrappedRecovery, recovery.wrapKey);
  if (knownId !== undefined && masterBefore === undefined) return fail('sign_in_failed');
  const firstChange = passphraseChange({
    accountId: knownId ?? 'pending',
    masterKey: masterBefore ?? generateKey(),
    saltSeed,
    kdfParams,
    passphrase: derived.value,
  });
  const res = await accounts.recover(signed.value, firstChange);
  if (!res.ok) return fromApi(res);
  api.resetCsrf();
  const self = res.value;
  const masterKey =
    masterBefore ?? unwrapWithRecoveryKey(self.id, wrappedRecovery, recovery.wrapKey);
  if (masterKey === undefined || (knownId !== undefined && knownId !== self.id)) {
    return fail('server_mismatch');
  }
  let finalChange = firstChange;
  if (masterBefore === undefined) {
    const challenge2 = await accounts.challenge(input.handle, 'reauth');
    if (!challenge2.ok) return fromApi(challenge2);
    const signed2 = signFor({
      seed: derived.value.authSeed,
      response: challenge2.value,
      purpose: 'reauth',
      handle: input.handle,
      origin: origin(),
    });
    if (!signed2.ok) return fail('server_mismatch');
    finalChange = passphraseChange({
      accountId: self.id,
      masterKey,
      saltSeed,
      kdfParams,
      passphrase: derived.value,
    });
    const fix = await accounts.changePassphrase(signed2.value, finalChange, true);
    if (!fix.ok) return fromApi(fix);
  }
  const opened = openWithMasterKey(self, masterKey);
  if (!opened.ok) return fail('server_mismatch');
  await deviceCache.trust({
    ...self,
    keys: {
      ...self.keys,
      saltSeed: finalChange.saltSeed,
      kdfParams: finalChange.kdfParams,
      wrappedMasterKeyPassphrase: finalChange.wrappedMasterKeyPassphrase,
    },
  });
  setUnlocked(summary(self), opened.value);
  heldAuthSeed = { accountId: self.id, seed: derived.value.authSeed };
  setPendingRecoveryKey(null);
  return { ok: true, value: undefined };
}

export async function deleteAccount(passphrase: string): Promise<FlowResult> {
  const signed = await reauth(passphrase);
  if (!signed.ok) return signed.error === 'sign_in_failed' ? fail('wrong_passphrase') : signed;
  const id = vault.account?.id;
  const res = await accounts.deleteAccount(signed.value);
  if (!res.ok) return res.code === 'sign_in_failed' ? fail('wrong_passphrase') : fromApi(res);
  setSignedOut();
  api.resetCsrf();
  // The account is gone: nothing here can sync any more, so this device's copy goes too.
  if (id !== undefined) await forgetDevice(id, { discardUnsynced: true });
  return { ok: true, value: undefined };
}

export { accounts };

export type { FlowError, FlowErrorCode, FlowResult } from './errors';
