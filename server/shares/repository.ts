import type { Kysely, Transaction } from 'kysely';
import type { Database, LinkSharesTable, VaultSharesTable } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface ShareRow extends VaultSharesTable {
  readonly owner_handle: string;
  readonly member_handle: string;
}

function shares(q: Q) {
  return q
    .selectFrom('vault_shares as s')
    .innerJoin('accounts as o', 'o.id', 's.owner_id')
    .innerJoin('accounts as m', 'm.id', 's.member_id')
    .selectAll('s')
    .select(['o.handle as owner_handle', 'm.handle as member_handle']);
}

/** Shares I gave (`side` = owner) or hold (member; only while I am still in the owner's circle). */
export async function listShares(q: Q, accountId: string, side: 'owner' | 'member') {
  let query = shares(q).where(side === 'owner' ? 's.owner_id' : 's.member_id', '=', accountId);
  if (side === 'member') {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('circle_members as c')
          .select('c.member_id')
          .whereRef('c.owner_id', '=', 's.owner_id')
          .whereRef('c.member_id', '=', 's.member_id'),
      ),
    );
  }
  return query.orderBy('s.created_at').orderBy('s.id').execute();
}

export async function findShare(q: Q, id: string): Promise<ShareRow | undefined> {
  return shares(q).where('s.id', '=', id).executeTakeFirst();
}

/** The share row for this exact (owner, collection, member, key id), if any. */
export async function findShareByTuple(
  q: Q,
  t: { owner_id: string; collection: string; member_id: string; key_id: number },
) {
  return q
    .selectFrom('vault_shares')
    .select('id')
    .where('owner_id', '=', t.owner_id)
    .where('collection', '=', t.collection)
    .where('member_id', '=', t.member_id)
    .where('key_id', '=', t.key_id)
    .executeTakeFirst();
}

export async function insertShare(trx: Transaction<Database>, row: VaultSharesTable) {
  await trx.insertInto('vault_shares').values(row).execute();
}

export async function updateShareKey(trx: Transaction<Database>, id: string, shareKey: string) {
  await trx.updateTable('vault_shares').set({ share_key: shareKey }).where('id', '=', id).execute();
}

export async function deleteShares(
  trx: Transaction<Database>,
  ownerId: string,
  collection: string,
  memberId: string,
): Promise<number> {
  const r = await trx
    .deleteFrom('vault_shares')
    .where('owner_id', '=', ownerId)
    .where('collection', '=', collection)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Whether `memberId` holds a share of the owner's collection and is still in their circle. */
export async function canRead(q: Q, ownerId: string, collection: string, memberId: string) {
  const row = await q
    .selectFrom('vault_shares as s')
    .innerJoin('circle_members as c', (j) =>
      j.onRef('c.owner_id', '=', 's.owner_id').onRef('c.member_id', '=', 's.member_id'),
    )
    .select('s.id')
    .where('s.owner_id', '=', ownerId)
    .where('s.collection', '=', collection)
    .where('s.member_id', '=', memberId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Changes of one collection of the owner's vault after `since`, in sequence order. */
export async function collectionItemsSince(
  q: Q,
  ownerId: string,
  collection: string,
  since: number,
  limit: number,
) {
  return q
    .selectFrom('vault_items')
    .select(['item_id', 'revision', 'seq', 'envelope', 'updated_at'])
    .where('account_id', '=', ownerId)
    .where('collection', '=', collection)
    .where('seq', '>', since)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The current (highest) key id of the owner's collection, or undefined if it has none. */
export async function currentKeyId(q: Q, ownerId: string, collection: string) {
  const row = await q
    .selectFrom('vault_collection_keys')
    .select((eb) => eb.fn.max<number>('key_id').as('key_id'))
    .where('account_id', '=', ownerId)
    .where('collection', '=', collection)
    .executeTakeFirst();
  return row?.key_id === null || row?.key_id === undefined ? undefined : Number(row.key_id);
}

/** Members holding a share of any of the owner's `collections`: (member, collection) pairs. */
export async function shareHolders(q: Q, ownerId: string, collections: readonly string[]) {
  if (collections.length === 0) return [];
  return q
    .selectFrom('vault_shares')
    .select(['member_id', 'collection'])
    .distinct()
    .where('owner_id', '=', ownerId)
    .where('collection', 'in', collections)
    .orderBy('member_id')
    .orderBy('collection')
    .execute();
}

// ─── Link shares ────────────────────────────────────────────────────────────────────────────────

export interface LinkRow extends LinkSharesTable {
  readonly owner_handle: string;
}

function links(q: Q) {
  return q
    .selectFrom('link_shares as l')
    .innerJoin('accounts as o', 'o.id', 'l.owner_id')
    .selectAll('l')
    .select('o.handle as owner_handle');
}

export async function findLink(q: Q, id: string): Promise<LinkRow | undefined> {
  return links(q).where('l.id', '=', id).executeTakeFirst();
}

export async function findLinkByTokenHash(q: Q, hash: string): Promise<LinkRow | undefined> {
  return links(q).where('l.token_hash', '=', hash).executeTakeFirst();
}

export async function listLinks(q: Q, ownerId: string): Promise<LinkRow[]> {
  return links(q)
    .where('l.owner_id', '=', ownerId)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute();
}

export async function linkExists(q: Q, id: string, tokenHash: string) {
  const row = await q
    .selectFrom('link_shares')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', id), eb('token_hash', '=', tokenHash)]))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertLink(trx: Transaction<Database>, row: LinkSharesTable) {
  await trx.insertInto('link_shares').values(row).execute();
}

/** Replaces the envelope if the link is still at `revision - 1`; false otherwise. */
export async function updateLink(
  trx: Transaction<Database>,
  id: string,
  ownerId: string,
  envelope: string,
  revision: number,
): Promise<boolean> {
  const r = await trx
    .updateTable('link_shares')
    .set({ envelope, revision })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('revision', '=', revision - 1)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteLink(trx: Transaction<Database>, id: string, ownerId: string) {
  const r = await trx
    .deleteFrom('link_shares')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}
