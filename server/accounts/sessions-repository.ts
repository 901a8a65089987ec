import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface SessionRow {
  id: string;
  account_id: string;
  label: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  role: 'admin' | 'member';
}

export async function insertSession(
  db: Kysely<Database>,
  row: Omit<SessionRow, 'role'>,
): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(
  db: Kysely<Database>,
  id: string,
): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select([
      'sessions.id',
      'sessions.account_id',
      'sessions.label',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'accounts.role',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function listSessions(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'label', 'created_at', 'last_seen_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Deletes one of the account's sessions; false when it is not theirs or does not exist. */
export async function deleteAccountSession(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('sessions')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Deletes every session of the account except `keep` (if given). */
export async function deleteAccountSessions(
  db: Kysely<Database>,
  accountId: string,
  keep?: string,
): Promise<number> {
  let q = db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (keep !== undefined) q = q.where('id', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes every session on the instance except `keep`. */
export async function deleteAllSessions(db: Kysely<Database>, keep: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('id', '!=', keep).executeTakeFirst();
  return Number(r.numDeletedRows);
}
