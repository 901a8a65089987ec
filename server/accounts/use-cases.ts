import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { ChallengeResponse } from '../../core/src/accounts/api.js';
import type { RegistrationMode } from '../../core/src/accounts/handle.js';
import { verifyChallenge, type AuthPurpose } from '../../core/src/crypto/auth.js';
import { verifyPublicKeyBundle } from '../../core/src/crypto/identity.js';
import { checkKdfParams, DEFAULT_KDF_PARAMS } from '../../core/src/crypto/kdf.js';
import { KEY_WRAP_VERSION, WRAPPED_KEY_LENGTH } from '../../core/src/crypto/keys.js';
import type { AccountKeysWire, PassphraseChangeWire } from '../../core/src/crypto/schemas.js';
import { fromBase64url } from '../../core/src/encoding/base64url.js';
import { err, ok, type Result } from '../../core/src/result.js';
import { inTransaction, type Db } from '../db/database.js';
import { getOrCreateSetting, getSetting, lockSetting, setSetting } from '../instance/repository.js';
import {
  clearThrottle,
  countAccounts,
  deleteAccount,
  deleteExpiredChallenges,
  findAccountByHandle,
  findAccountById,
  findThrottle,
  insertAccount,
  insertChallenge,
  saveThrottle,
  takeChallenge,
  updateAccount,
  useInvite,
  type AccountRow,
} from './repository.js';
import { deleteAccountSessions, deleteAllSessions } from './sessions-repository.js';
import { startSession, type SessionLimits } from './sessions.js';

export interface AccountsDeps {
  readonly db: Db;
  readonly now: () => Date;
  /** The instance's server secret: makes stable fake answers for handles that don't exist. */
  readonly secret: string;
  readonly limits: SessionLimits;
}

export const CHALLENGE_TTL_SECONDS = 120;
/** Failures allowed before back-off starts, and the longest wait. */
export const FREE_FAILURES = 5;
export const MAX_BLOCK_SECONDS = 15 * 60;
/** Until an admin chooses, new accounts need an invite (the first account needs none). */
export const DEFAULT_REGISTRATION_MODE: RegistrationMode = 'invite';

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

/** Deterministic bytes for a handle that has no account, so the answer looks like a real one. */
function fakeBytes(secret: string, label: string, handle: string, length: number): Buffer {
  const prk = createHmac('sha256', secret).update(`tend/v1/fake/${label}\u0000${handle}`).digest();
  return Buffer.from(hkdfSync('sha256', prk, Buffer.alloc(0), `tend/v1/fake/${label}`, length));
}

export async function registrationMode(db: Db): Promise<RegistrationMode> {
  const value = await getSetting(db, 'registration_mode');
  return value === 'open' || value === 'invite' || value === 'closed'
    ? value
    : DEFAULT_REGISTRATION_MODE;
}

export async function setRegistrationMode(
  db: Db,
  mode: RegistrationMode,
  now: Date,
): Promise<void> {
  await setSetting(db, 'registration_mode', mode, now);
}

/**
 * Starts a sign-in, re-authentication or recovery: a single-use nonce, plus the salt seed and KDF
 * parameters the client needs to derive its keys. For a handle without an account the answer is
 * made-up but stable, so it does not reveal whether the handle exists.
 */
export async function issueChallenge(
  deps: AccountsDeps,
  handle: string,
  purpose: AuthPurpose,
): Promise<ChallengeResponse> {
  const now = deps.now();
  await deleteExpiredChallenges(deps.db, now.toISOString());
  const account = await findAccountByHandle(deps.db, handle);
  const id = randomBytes(16).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = Math.floor(now.getTime() / 1000) + CHALLENGE_TTL_SECONDS;
  await insertChallenge(deps.db, {
    id,
    handle,
    purpose,
    nonce,
    expires_at: new Date(expiresAt * 1000).toISOString(),
  });
  const response: ChallengeResponse = {
    challengeId: id,
    challenge: { purpose, nonce, expiresAt },
    saltSeed:
      account?.salt_seed ?? fakeBytes(deps.secret, 'salt-seed', handle, 32).toString('base64url'),
    kdfParams:
      account === undefined
        ? { ...DEFAULT_KDF_PARAMS }
        : (JSON.parse(account.kdf) as ChallengeResponse['kdfParams']),
  };
  if (purpose === 'recover') {
    // The client needs the account id to unwrap (it is bound into the wrap); unknown handles
    // get a stable made-up one.
    response.accountId =
      account?.id ?? fakeBytes(deps.secret, 'account-id', handle, 16).toString('base64url');
    response.wrappedMasterKeyRecovery =
      account?.master_key_by_recovery ??
      Buffer.concat([
        Buffer.from([KEY_WRAP_VERSION]),
        fakeBytes(deps.secret, 'recovery-wrap', handle, WRAPPED_KEY_LENGTH - 1),
      ]).toString('base64url');
  }
  return response;
}

export type VerifyFailure =
  { readonly kind: 'failed' } | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

export interface SignedChallenge {
  readonly challengeId: string;
  readonly handle: string;
  readonly signature: string;
}

/**
 * Checks a signed challenge: issued by us, unused, unexpired, for this purpose and handle, and
 * signed by the account's auth key (or recovery auth key for `recover`). Failures count per
 * handle, existing or not; after a few, each further attempt must wait twice as long.
 */
export async function verifySignedChallenge(
  deps: AccountsDeps,
  signed: SignedChallenge,
  purpose: AuthPurpose,
  origin: string,
): Promise<Result<AccountRow, VerifyFailure>> {
  const now = deps.now();
  const throttleKey = `${purpose === 'recover' ? 'recover' : 'auth'}:${signed.handle}`;
  const throttle = await findThrottle(deps.db, throttleKey);
  if (throttle !== undefined && new Date(throttle.blocked_until).getTime() > now.getTime()) {
    return err({
      kind: 'throttled',
      retryAfterSeconds: Math.ceil(
        (new Date(throttle.blocked_until).getTime() - now.getTime()) / 1000,
      ),
    });
  }

  const verified = await (async (): Promise<AccountRow | undefined> => {
    const challenge = await takeChallenge(deps.db, signed.challengeId);
    if (challenge?.handle !== signed.handle || challenge.purpose !== purpose) return undefined;
    const account = await findAccountByHandle(deps.db, signed.handle);
    if (account === undefined) return undefined;
    const publicKey = fromBase64url(
      purpose === 'recover' ? account.recovery_auth_public_key : account.auth_public_key,
    );
    const nonce = fromBase64url(challenge.nonce);
    const signature = fromBase64url(signed.signature);
    if (publicKey === undefined || nonce === undefined || signature === undefined) return undefined;
    const result = verifyChallenge({
      publicKey,
      signature,
      now: Math.floor(now.getTime() / 1000),
      challenge: {
        purpose,
        origin,
        handle: signed.handle,
        nonce,
        expiresAt: Math.floor(new Date(challenge.expires_at).getTime() / 1000),
      },
    });
    return result.ok ? account : undefined;
  })();

  if (verified === undefined) {
    const failures = (throttle?.failures ?? 0) + 1;
    const wait =
      failures > FREE_FAILURES ? Math.min(2 ** (failures - FREE_FAILURES), MAX_BLOCK_SECONDS) : 0;
    await saveThrottle(
      deps.db,
      throttleKey,
      failures,
      new Date(now.getTime() + wait * 1000).toISOString(),
      now.toISOString(),
    );
    return err({ kind: 'failed' });
  }
  if (throttle !== undefined) await clearThrottle(deps.db, throttleKey);
  return ok(verified);
}

export type SignUpFailure =
  'registration_closed' | 'invite_invalid' | 'handle_taken' | 'weak_kdf' | 'bad_keys';

export interface NewSession {
  readonly accountId: string;
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * Creates an account from keys made in the browser. The first account on an empty instance
 * becomes the admin; after that the registration mode decides (open, invite-only, closed).
 */
export async function signUp(
  deps: AccountsDeps,
  input: {
    handle: string;
    email?: string | undefined;
    invite?: string | undefined;
    keys: AccountKeysWire;
  },
  sessionLabel: string,
): Promise<Result<NewSession, SignUpFailure>> {
  if (!checkKdfParams(input.keys.kdfParams).ok) return err('weak_kdf');
  if (!verifyPublicKeyBundle(input.keys.publicKeyBundle, input.keys.accountId).ok)
    return err('bad_keys');
  const now = deps.now();
  await getOrCreateSetting(deps.db, 'sign_up_lock', () => '', now);
  const created = await inTransaction(
    deps.db,
    async (tx): Promise<Result<AccountRow['role'], SignUpFailure>> => {
      // Sign-ups take turns (a row lock on PostgreSQL; SQLite's write lock already does), so two
      // people signing up at once on an empty instance cannot both become the admin.
      await lockSetting(tx, 'sign_up_lock');
      const first = (await countAccounts(tx)) === 0;
      if (!first) {
        const mode = await registrationMode(tx);
        if (mode === 'closed') return err('registration_closed');
        if (mode === 'invite') {
          if (
            input.invite === undefined ||
            !(await useInvite(tx, tokenHash(input.invite), now.toISOString()))
          ) {
            return err('invite_invalid');
          }
        }
      }
      const k = input.keys;
      const inserted = await insertAccount(tx, {
        id: k.accountId,
        handle: input.handle,
        email: input.email ?? null,
        role: first ? 'admin' : 'member',
        kdf: JSON.stringify(k.kdfParams),
        salt_seed: k.saltSeed,
        auth_public_key: k.authPublicKey,
        recovery_auth_public_key: k.recoveryAuthPublicKey,
        master_key_by_passphrase: k.wrappedMasterKeyPassphrase,
        master_key_by_recovery: k.wrappedMasterKeyRecovery,
        public_key_bundle: JSON.stringify(k.publicKeyBundle),
        wrapped_identity_x25519: k.wrappedIdentityX25519,
        wrapped_identity_ed25519: k.wrappedIdentityEd25519,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      // Throwing rolls back the invite's use too.
      if (!inserted) throw new HandleTaken();
      return ok(first ? 'admin' : 'member');
    },
  ).catch((e: unknown) => {
    if (e instanceof HandleTaken) return err('handle_taken' as const);
    throw e;
  });
  if (!created.ok) return created;
  return ok(await openSession(deps, input.keys.accountId, sessionLabel));
}

class HandleTaken extends Error {}

async function openSession(
  deps: AccountsDeps,
  accountId: string,
  label: string,
): Promise<NewSession> {
  const session = await startSession(deps.db, accountId, label, deps.now(), deps.limits);
  return { accountId, token: session.token, expiresAt: session.expiresAt };
}

/** The four values a new passphrase replaces (docs/PROTOCOL.md §6). */
const passphraseValues = (change: PassphraseChangeWire, now: Date) => ({
  kdf: JSON.stringify(change.kdfParams),
  salt_seed: change.saltSeed,
  auth_public_key: change.authPublicKey,
  master_key_by_passphrase: change.wrappedMasterKeyPassphrase,
  updated_at: now.toISOString(),
});

export async function signIn(
  deps: AccountsDeps,
  signed: SignedChallenge,
  origin: string,
  sessionLabel: string,
): Promise<Result<NewSession, VerifyFailure>> {
  const verified = await verifySignedChallenge(deps, signed, 'sign-in', origin);
  if (!verified.ok) return verified;
  return ok(await openSession(deps, verified.value.id, sessionLabel));
}

export type ReauthFailure = VerifyFailure | { readonly kind: 'not_you' };

/** Re-authenticates the signed-in account for a sensitive change. */
async function reauthenticate(
  deps: AccountsDeps,
  accountId: string,
  signed: SignedChallenge,
  origin: string,
): Promise<Result<AccountRow, ReauthFailure>> {
  const verified = await verifySignedChallenge(deps, signed, 'reauth', origin);
  if (!verified.ok) return verified;
  if (verified.value.id !== accountId) return err({ kind: 'not_you' });
  return verified;
}

export async function getAccount(
  deps: AccountsDeps,
  accountId: string,
): Promise<AccountRow | undefined> {
  return findAccountById(deps.db, accountId);
}

export type ChangeFailure = ReauthFailure | { readonly kind: 'weak_kdf' };

/** A new passphrase: new salt seed, KDF parameters, auth key and master-key wrap. No data is re-encrypted. */
export async function changePassphrase(
  deps: AccountsDeps,
  auth: { accountId: string; sessionId: string },
  signed: SignedChallenge,
  change: PassphraseChangeWire,
  endOtherSessions: boolean,
  origin: string,
): Promise<Result<true, ChangeFailure>> {
  if (!checkKdfParams(change.kdfParams).ok) return err({ kind: 'weak_kdf' });
  const verified = await reauthenticate(deps, auth.accountId, signed, origin);
  if (!verified.ok) return verified;
  await inTransaction(deps.db, async (tx) => {
    await updateAccount(tx, auth.accountId, passphraseValues(change, deps.now()));
    if (endOtherSessions) await deleteAccountSessions(tx, auth.accountId, auth.sessionId);
  });
  return ok(true);
}

/** A new recovery key replaces the old one, which stops working at once. */
export async function replaceRecoveryKey(
  deps: AccountsDeps,
  accountId: string,
  signed: SignedChallenge,
  recoveryAuthPublicKey: string,
  wrappedMasterKeyRecovery: string,
  origin: string,
): Promise<Result<true, ReauthFailure>> {
  const verified = await reauthenticate(deps, accountId, signed, origin);
  if (!verified.ok) return verified;
  await updateAccount(deps.db, accountId, {
    recovery_auth_public_key: recoveryAuthPublicKey,
    master_key_by_recovery: wrappedMasterKeyRecovery,
    updated_at: deps.now().toISOString(),
  });
  return ok(true);
}

/**
 * Forgotten passphrase: the recovery key proves who it is; the client sets a new passphrase
 * (re-wrapping the same master key). Every existing session ends; a new one starts.
 */
export async function recover(
  deps: AccountsDeps,
  signed: SignedChallenge,
  change: PassphraseChangeWire,
  origin: string,
  sessionLabel: string,
): Promise<Result<NewSession, VerifyFailure | { readonly kind: 'weak_kdf' }>> {
  if (!checkKdfParams(change.kdfParams).ok) return err({ kind: 'weak_kdf' });
  const verified = await verifySignedChallenge(deps, signed, 'recover', origin);
  if (!verified.ok) return verified;
  const accountId = verified.value.id;
  await inTransaction(deps.db, async (tx) => {
    await updateAccount(tx, accountId, passphraseValues(change, deps.now()));
    await deleteAccountSessions(tx, accountId);
  });
  return ok(await openSession(deps, accountId, sessionLabel));
}

/** Deletes the account and everything it owns, after re-authentication. */
export async function closeAccount(
  deps: AccountsDeps,
  accountId: string,
  signed: SignedChallenge,
  origin: string,
): Promise<Result<true, ReauthFailure>> {
  const verified = await reauthenticate(deps, accountId, signed, origin);
  if (!verified.ok) return verified;
  await inTransaction(deps.db, (tx) => deleteAccount(tx, accountId, verified.value.handle));
  return ok(true);
}

/**
 * An admin ends sessions (ASVS 7.4.5): every session of the account with `handle`, or, without
 * a handle, every session on the instance except the admin's own current one.
 */
export async function endSessionsAsAdmin(
  deps: Pick<AccountsDeps, 'db'>,
  admin: { readonly sessionId: string },
  handle: string | undefined,
): Promise<Result<{ ended: number; accountId: string | null }, 'not_found'>> {
  if (handle === undefined) {
    return ok({ ended: await deleteAllSessions(deps.db, admin.sessionId), accountId: null });
  }
  const account = await findAccountByHandle(deps.db, handle);
  if (account === undefined) return err('not_found');
  return ok({ ended: await deleteAccountSessions(deps.db, account.id), accountId: account.id });
}

export { tokenHash };
