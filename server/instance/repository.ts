import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('instance_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function setSetting(
  db: Kysely<Database>,
  key: string,
  value: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('instance_settings')
    .values({ key, value, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now.toISOString() }))
    .execute();
}

/** Reads a setting, creating it first if absent. Safe when several instances race to create it. */
export async function getOrCreateSetting(
  db: Kysely<Database>,
  key: string,
  make: () => string,
  now: Date,
): Promise<string> {
  await db
    .insertInto('instance_settings')
    .values({ key, value: make(), updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const value = await getSetting(db, key);
  if (value === undefined) throw new Error(`instance setting ${key} vanished`);
  return value;
}

/** Locks a setting's row until the transaction ends, so transactions that take it run in turn. */
export async function lockSetting(tx: Transaction<Database>, key: string): Promise<void> {
  await tx
    .updateTable('instance_settings')
    .set({ updated_at: sql<string>`updated_at` })
    .where('key', '=', key)
    .execute();
}
