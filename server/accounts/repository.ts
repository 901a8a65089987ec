import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AccountsTable, AuthChallengesTable, Database, InvitesTable } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type AccountRow = Selectable<AccountsTable>;
export type NewAccount = Omit<AccountRow, 'vault_seq' | 'vault_bytes' | 'event_seq'>;

export async function countAccounts(db: Db): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAccountByHandle(db: Db, handle: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('handle', '=', handle).executeTakeFirst();
}

export async function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts the account; false when the handle or id is already taken. */
export async function insertAccount(db: Db, row: NewAccount): Promise<boolean> {
  const r = await db
    .insertInto('accounts')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function updateAccount(
  db: Db,
  id: string,
  values: Partial<
    Pick<
      AccountRow,
      | 'kdf'
      | 'salt_seed'
      | 'auth_public_key'
      | 'master_key_by_passphrase'
      | 'recovery_auth_public_key'
      | 'master_key_by_recovery'
      | 'updated_at'
    >
  >,
): Promise<void> {
  await db.updateTable('accounts').set(values).where('id', '=', id).execute();
}

/**
 * Deletes the account; its sessions and vault items go with it (ON DELETE CASCADE), and so do
 * pending challenges and back-off counters for its handle. Invitations it created stay, unsigned.
 */
export async function deleteAccount(db: Db, id: string, handle: string): Promise<void> {
  await db.deleteFrom('auth_challenges').where('handle', '=', handle).execute();
  await db
    .deleteFrom('auth_throttle')
    .where('key', 'in', [`auth:${handle}`, `recover:${handle}`])
    .execute();
  await db.deleteFrom('accounts').where('id', '=', id).execute();
}

export async function insertChallenge(db: Db, row: AuthChallengesTable): Promise<void> {
  await db.insertInto('auth_challenges').values(row).execute();
}

/** Takes a challenge: returns it and deletes it, so each is used at most once. */
export async function takeChallenge(db: Db, id: string): Promise<AuthChallengesTable | undefined> {
  const row = await db
    .selectFrom('auth_challenges')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const r = await db.deleteFrom('auth_challenges').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n ? row : undefined;
}

export async function deleteExpiredChallenges(db: Db, before: string): Promise<void> {
  await db.deleteFrom('auth_challenges').where('expires_at', '<', before).execute();
}

export async function findThrottle(db: Db, key: string) {
  return db.selectFrom('auth_throttle').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function saveThrottle(
  db: Db,
  key: string,
  failures: number,
  blockedUntil: string,
  now: string,
): Promise<void> {
  await db
    .insertInto('auth_throttle')
    .values({ key, failures, blocked_until: blockedUntil, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ failures, blocked_until: blockedUntil, updated_at: now }),
    )
    .execute();
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

export async function insertInvite(db: Db, row: InvitesTable): Promise<void> {
  await db.insertInto('invites').values(row).execute();
}

export async function listInvites(db: Db) {
  return db.selectFrom('invites').selectAll().orderBy('created_at', 'desc').execute();
}

export async function deleteInvite(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('invites').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Marks an unused, unexpired invite as used; false when there is no such invite. */
export async function useInvite(db: Db, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('invites')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
