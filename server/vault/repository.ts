import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, VaultItemsTable } from '../db/schema.js';

export type VaultRow = Omit<VaultItemsTable, 'account_id'>;

const columns = [
  'collection',
  'item_id',
  'revision',
  'seq',
  'envelope',
  'size',
  'updated_at',
] as const;

export async function findItems(
  db: Kysely<Database> | Transaction<Database>,
  accountId: string,
  keys: readonly { collection: string; itemId: string }[],
): Promise<VaultRow[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('vault_items')
    .select(columns)
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or(
        keys.map((k) =>
          eb.and([eb('collection', '=', k.collection), eb('item_id', '=', k.itemId)]),
        ),
      ),
    )
    .execute();
}

/**
 * Reserves `count` sequence numbers for the account and returns the last one. The update also
 * serialises concurrent pushes to one account (row lock on PostgreSQL, write lock on SQLite).
 */
export async function reserveSequence(
  trx: Transaction<Database>,
  accountId: string,
  count: number,
): Promise<number | undefined> {
  const row = await trx
    .updateTable('accounts')
    .set({ vault_seq: sql<number>`vault_seq + ${count}` })
    .where('id', '=', accountId)
    .returning(['vault_seq', 'vault_bytes'])
    .executeTakeFirst();
  return row?.vault_seq;
}

export async function vaultBytes(trx: Transaction<Database>, accountId: string): Promise<number> {
  const row = await trx
    .selectFrom('accounts')
    .select('vault_bytes')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.vault_bytes ?? 0;
}

export async function addVaultBytes(
  trx: Transaction<Database>,
  accountId: string,
  delta: number,
): Promise<void> {
  await trx
    .updateTable('accounts')
    .set({ vault_bytes: sql<number>`vault_bytes + ${delta}` })
    .where('id', '=', accountId)
    .execute();
}

export async function upsertItem(
  trx: Transaction<Database>,
  accountId: string,
  row: VaultRow,
): Promise<void> {
  const { collection, item_id, ...rest } = row;
  await trx
    .insertInto('vault_items')
    .values({ account_id: accountId, collection, item_id, ...rest })
    .onConflict((oc) => oc.columns(['account_id', 'collection', 'item_id']).doUpdateSet(rest))
    .execute();
}

/** Changes after `since`, in sequence order. */
export async function itemsSince(
  db: Kysely<Database>,
  accountId: string,
  since: number,
  limit: number,
): Promise<VaultRow[]> {
  return db
    .selectFrom('vault_items')
    .select(columns)
    .where('account_id', '=', accountId)
    .where('seq', '>', since)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function listCollectionKeys(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('vault_collection_keys')
    .select(['collection', 'key_id', 'wrapped_key', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('collection')
    .orderBy('key_id')
    .execute();
}

/** The current (highest) key id of each of the given collections. */
export async function currentKeyIds(
  db: Kysely<Database> | Transaction<Database>,
  accountId: string,
  collections: readonly string[],
): Promise<Map<string, number>> {
  if (collections.length === 0) return new Map();
  const rows = await db
    .selectFrom('vault_collection_keys')
    .select(['collection', (eb) => eb.fn.max<number>('key_id').as('key_id')])
    .where('account_id', '=', accountId)
    .where('collection', 'in', collections)
    .groupBy('collection')
    .execute();
  return new Map(rows.map((r) => [r.collection, Number(r.key_id)]));
}

export async function insertCollectionKey(
  trx: Transaction<Database>,
  row: {
    account_id: string;
    collection: string;
    key_id: number;
    wrapped_key: string;
    created_at: string;
  },
): Promise<void> {
  await trx.insertInto('vault_collection_keys').values(row).execute();
}
