import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { CircleInvitationsTable, Database } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface AccountRow {
  readonly id: string;
  readonly handle: string;
  readonly public_key_bundle: string;
}

/** Serialises writes about one account (row lock on PostgreSQL, write lock on SQLite). */
export async function lockAccount(trx: Transaction<Database>, accountId: string): Promise<boolean> {
  const r = await trx
    .updateTable('accounts')
    .set((eb) => ({ event_seq: eb.ref('event_seq') }))
    .where('id', '=', accountId)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function findAccountByHandle(q: Q, handle: string): Promise<AccountRow | undefined> {
  return q
    .selectFrom('accounts')
    .select(['id', 'handle', 'public_key_bundle'])
    .where('handle', '=', handle)
    .executeTakeFirst();
}

export async function findAccount(q: Q, id: string): Promise<AccountRow | undefined> {
  return q
    .selectFrom('accounts')
    .select(['id', 'handle', 'public_key_bundle'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Whether either account has blocked the other. */
export async function blockedEitherWay(q: Q, a: string, b: string): Promise<boolean> {
  const row = await q
    .selectFrom('circle_blocks')
    .select('blocker_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
        eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A condition for any query: there is a block, either way, between `accountId` and the account
 * in the column `accountRef` (as `alias.column`). A null column (a deleted account) is never
 * blocked. The one place that says what "blocked either way" means in SQL; negate it with
 * `noBlockBetween` to keep a blocked person's rows away from the other.
 */
export function blockBetween(accountId: string, accountRef: string): RawBuilder<SqlBool> {
  const other = sql.ref(accountRef);
  return sql<SqlBool>`EXISTS (SELECT 1 FROM circle_blocks AS either_way_block WHERE (either_way_block.blocker_id = ${accountId} AND either_way_block.blocked_id = ${other}) OR (either_way_block.blocked_id = ${accountId} AND either_way_block.blocker_id = ${other}))`;
}

/** No block either way between `accountId` and the account in `accountRef` (see blockBetween). */
export function noBlockBetween(accountId: string, accountRef: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`NOT ${blockBetween(accountId, accountRef)}`;
}

/** Whether `blockerId` has blocked `blockedId`. */
export async function hasBlocked(q: Q, blockerId: string, blockedId: string): Promise<boolean> {
  const row = await q
    .selectFrom('circle_blocks')
    .select('blocker_id')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function isMember(q: Q, ownerId: string, memberId: string): Promise<boolean> {
  const row = await q
    .selectFrom('circle_members')
    .select('member_id')
    .where('owner_id', '=', ownerId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMember(
  trx: Transaction<Database>,
  ownerId: string,
  memberId: string,
  at: string,
): Promise<void> {
  await trx
    .insertInto('circle_members')
    .values({ owner_id: ownerId, member_id: memberId, created_at: at })
    .onConflict((oc) => oc.columns(['owner_id', 'member_id']).doNothing())
    .execute();
}

/** Deletes the membership; true when there was one. */
export async function deleteMember(
  trx: Transaction<Database>,
  ownerId: string,
  memberId: string,
): Promise<boolean> {
  const r = await trx
    .deleteFrom('circle_members')
    .where('owner_id', '=', ownerId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Deletes every share `ownerId` gave `memberId`; returns the collections they covered. */
export async function deleteSharesFromTo(
  trx: Transaction<Database>,
  ownerId: string,
  memberId: string,
): Promise<string[]> {
  const rows = await trx
    .deleteFrom('vault_shares')
    .where('owner_id', '=', ownerId)
    .where('member_id', '=', memberId)
    .returning('collection')
    .execute();
  return [...new Set(rows.map((r) => r.collection))].sort();
}

export interface MembershipRow {
  readonly owner_id: string;
  readonly owner_handle: string;
  readonly owner_bundle: string;
  readonly member_id: string;
  readonly member_handle: string;
  readonly member_bundle: string;
  readonly created_at: string;
  readonly paused_until: string | null;
  readonly quiet_start: string | null;
  readonly quiet_end: string | null;
  readonly time_zone: string | null;
}

/** Memberships where `accountId` is the owner (`side` = 'owner') or the member. */
export async function listMemberships(
  q: Q,
  accountId: string,
  side: 'owner' | 'member',
): Promise<MembershipRow[]> {
  return q
    .selectFrom('circle_members as m')
    .innerJoin('accounts as o', 'o.id', 'm.owner_id')
    .innerJoin('accounts as p', 'p.id', 'm.member_id')
    .leftJoin('notify_settings as s', 's.account_id', 'm.member_id')
    .select([
      'm.owner_id',
      'o.handle as owner_handle',
      'o.public_key_bundle as owner_bundle',
      'm.member_id',
      'p.handle as member_handle',
      'p.public_key_bundle as member_bundle',
      'm.created_at',
      's.paused_until',
      's.quiet_start',
      's.quiet_end',
      's.time_zone',
    ])
    .where(side === 'owner' ? 'm.owner_id' : 'm.member_id', '=', accountId)
    .orderBy('m.created_at')
    .orderBy(side === 'owner' ? 'p.handle' : 'o.handle')
    .execute();
}

export interface InvitationRow extends CircleInvitationsTable {
  readonly owner_handle: string;
  readonly invitee_handle: string | null;
}

function invitations(q: Q) {
  return q
    .selectFrom('circle_invitations as i')
    .innerJoin('accounts as o', 'o.id', 'i.owner_id')
    .leftJoin('accounts as v', 'v.id', 'i.invitee_id')
    .selectAll('i')
    .select(['o.handle as owner_handle', 'v.handle as invitee_handle']);
}

export async function findInvitation(q: Q, id: string): Promise<InvitationRow | undefined> {
  return invitations(q).where('i.id', '=', id).executeTakeFirst();
}

export async function findInvitationByTokenHash(
  q: Q,
  hash: string,
): Promise<InvitationRow | undefined> {
  return invitations(q)
    .where('i.link_token_hash', '=', hash)
    .where('i.kind', '=', 'link')
    .executeTakeFirst();
}

/** Invitations sent (or received) by `accountId`: pending ones and those answered since `since`. */
export async function listInvitations(
  q: Q,
  accountId: string,
  side: 'owner' | 'invitee',
  since: string,
): Promise<InvitationRow[]> {
  return invitations(q)
    .where(side === 'owner' ? 'i.owner_id' : 'i.invitee_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('i.status', '=', 'pending'),
        eb('i.answered_at', '>=', since),
        eb('i.expires_at', '>=', since),
      ]),
    )
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id')
    .execute();
}

export async function invitationExists(q: Q, id: string, tokenHash: string | null) {
  const row = await q
    .selectFrom('circle_invitations')
    .select('id')
    .where((eb) =>
      tokenHash === null
        ? eb('id', '=', id)
        : eb.or([eb('id', '=', id), eb('link_token_hash', '=', tokenHash)]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function countInvitationsSince(q: Q, ownerId: string, since: string) {
  const row = await q
    .selectFrom('circle_invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertInvitation(trx: Transaction<Database>, row: CircleInvitationsTable) {
  await trx.insertInto('circle_invitations').values(row).execute();
}

/** Moves a pending invitation on; false when it was no longer pending (someone else won). */
export async function closeInvitation(
  trx: Transaction<Database>,
  id: string,
  set: {
    status: 'accepted' | 'declined' | 'cancelled';
    answered_at: string;
    reply?: string | null;
    invitee_id?: string;
  },
): Promise<boolean> {
  const r = await trx
    .updateTable('circle_invitations')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Cancels every pending invitation between two accounts; returns the ones cancelled. */
export async function cancelInvitationsBetween(
  trx: Transaction<Database>,
  a: string,
  b: string,
  at: string,
): Promise<{ id: string; owner_id: string; invitee_id: string | null }[]> {
  return trx
    .updateTable('circle_invitations')
    .set({ status: 'cancelled', answered_at: at })
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb.and([eb('owner_id', '=', a), eb('invitee_id', '=', b)]),
        eb.and([eb('owner_id', '=', b), eb('invitee_id', '=', a)]),
      ]),
    )
    .returning(['id', 'owner_id', 'invitee_id'])
    .execute();
}

export async function insertBlock(
  trx: Transaction<Database>,
  blockerId: string,
  blockedId: string,
  at: string,
): Promise<void> {
  await trx
    .insertInto('circle_blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: at })
    .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
    .execute();
}

export async function deleteBlock(
  trx: Transaction<Database>,
  blockerId: string,
  blockedId: string,
): Promise<boolean> {
  const r = await trx
    .deleteFrom('circle_blocks')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function listBlocks(q: Q, blockerId: string) {
  return q
    .selectFrom('circle_blocks as b')
    .innerJoin('accounts as a', 'a.id', 'b.blocked_id')
    .select(['b.blocked_id', 'a.handle', 'b.created_at'])
    .where('b.blocker_id', '=', blockerId)
    .orderBy('b.created_at')
    .orderBy('b.blocked_id')
    .execute();
}

export async function findBlock(q: Q, blockerId: string, blockedId: string) {
  return q
    .selectFrom('circle_blocks as b')
    .innerJoin('accounts as a', 'a.id', 'b.blocked_id')
    .select(['b.blocked_id', 'a.handle', 'b.created_at'])
    .where('b.blocker_id', '=', blockerId)
    .where('b.blocked_id', '=', blockedId)
    .executeTakeFirst();
}
