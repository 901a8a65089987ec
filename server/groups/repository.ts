import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { noBlockBetween } from '../circles/repository.js';
import type { Engine } from '../db/database.js';
import type {
  Database,
  GroupInvitationsTable,
  GroupJoinRequestsTable,
  GroupMembersTable,
  GroupsTable,
} from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

export type GroupRow = Omit<GroupsTable, 'search'>;
export type MemberRow = GroupMembersTable;
export type RequestRow = GroupJoinRequestsTable & { readonly handle: string };
export type InvitationRow = Omit<GroupInvitationsTable, 'uses'> & {
  readonly uses: number;
  readonly invitee_handle: string | null;
};
export type GroupWithCount = GroupRow & { readonly member_count: number };

const groupColumns = [
  'g.id',
  'g.slug',
  'g.name',
  'g.description',
  'g.topics',
  'g.languages',
  'g.format',
  'g.area',
  'g.visibility',
  'g.join_questions',
  'g.agreement_version',
  'g.created_by',
  'g.created_at',
  'g.updated_at',
  'g.archived_at',
] as const;

function groupsWithCount(q: Q) {
  return q
    .selectFrom('groups as g')
    .select(groupColumns)
    .select((eb) =>
      eb
        .selectFrom('group_members as c')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('c.group_id', '=', 'g.id')
        .as('member_count'),
    );
}

const counted = <T extends { member_count: number | string | null }>(row: T) => ({
  ...row,
  member_count: Number(row.member_count ?? 0),
});

/**
 * Whether `e` is a unique-constraint violation (PostgreSQL 23505; SQLite UNIQUE or PRIMARY KEY):
 * two transactions that both checked a slug or id was free before inserting it.
 */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

// ─── Groups ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Takes the group's row lock (PostgreSQL; SQLite's write lock is already held) so that checks
 * such as "at least one facilitator" and the next agreement version cannot race; returns the row.
 */
export async function lockGroup(trx: Trx, id: string): Promise<GroupRow | undefined> {
  await trx
    .updateTable('groups')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .execute();
  return findGroup(trx, id);
}

export async function findGroup(q: Q, id: string): Promise<GroupRow | undefined> {
  return q.selectFrom('groups as g').select(groupColumns).where('g.id', '=', id).executeTakeFirst();
}

export async function findGroupBySlug(q: Q, slug: string): Promise<GroupRow | undefined> {
  return q
    .selectFrom('groups as g')
    .select(groupColumns)
    .where('g.slug', '=', slug)
    .executeTakeFirst();
}

export async function findGroupWithCount(q: Q, id: string): Promise<GroupWithCount | undefined> {
  const row = await groupsWithCount(q).where('g.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : counted(row);
}

export async function groupIdExists(q: Q, id: string): Promise<boolean> {
  return (
    (await q.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

export async function slugTaken(q: Q, slug: string, exceptId?: string): Promise<boolean> {
  let query = q.selectFrom('groups').select('id').where('slug', '=', slug);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function countGroupsCreatedSince(q: Q, accountId: string, since: string) {
  const row = await q
    .selectFrom('groups')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_by', '=', accountId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertGroup(trx: Trx, row: GroupRow): Promise<void> {
  await trx.insertInto('groups').values(row).execute();
}

export async function updateGroup(
  trx: Trx,
  id: string,
  set: Partial<Omit<GroupRow, 'id' | 'created_by' | 'created_at'>>,
): Promise<void> {
  await trx.updateTable('groups').set(set).where('id', '=', id).execute();
}

/** Replaces the group's topics and languages used by the filters. */
export async function setTags(
  trx: Trx,
  groupId: string,
  topics: readonly string[],
  languages: readonly string[],
): Promise<void> {
  await trx.deleteFrom('group_tags').where('group_id', '=', groupId).execute();
  const rows = [
    ...topics.map((value) => ({ group_id: groupId, kind: 'topic' as const, value })),
    ...languages.map((value) => ({ group_id: groupId, kind: 'language' as const, value })),
  ];
  if (rows.length > 0) await trx.insertInto('group_tags').values(rows).execute();
}

// ─── Browse and search ──────────────────────────────────────────────────────────────────────────

export interface SearchFilters {
  /** Words (letters and digits only) that must all start a word of the group's text. */
  readonly words: readonly string[];
  /** Words that must all start a word of the area. */
  readonly areaWords: readonly string[];
  readonly topic?: string;
  readonly language?: string;
  readonly format?: GroupsTable['format'];
  readonly after?: { readonly createdAt: string; readonly id: string };
  readonly limit: number;
}

/**
 * Groups `viewerId` may find: public and by-request groups, and invite-only groups only when the
 * viewer is a member; never archived ones. Newest first, then by id (the cursor). Full-text
 * search is FTS5 on SQLite and a tsvector with a GIN index on PostgreSQL, both prefix matches of
 * every word over name, description, topics and area, lower-cased and with accents kept.
 */
export async function searchGroups(
  q: Q,
  engine: Engine,
  viewerId: string,
  f: SearchFilters,
): Promise<GroupWithCount[]> {
  let query = groupsWithCount(q)
    .where('g.archived_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('g.visibility', 'in', ['public', 'request']),
        eb.exists(
          eb
            .selectFrom('group_members as v')
            .select('v.account_id')
            .whereRef('v.group_id', '=', 'g.id')
            .where('v.account_id', '=', viewerId),
        ),
      ]),
    );
  if (f.words.length > 0 || f.areaWords.length > 0) {
    if (engine === 'sqlite') {
      const parts = [...f.words.map((w) => `"${w}"*`), ...f.areaWords.map((w) => `area : "${w}"*`)];
      const match = parts.join(' AND ');
      query = query.where(
        sql<SqlBool>`g.rowid IN (SELECT rowid FROM groups_fts WHERE groups_fts MATCH ${match})`,
      );
    } else {
      if (f.words.length > 0) {
        const tsq = f.words.map((w) => `${w}:*`).join(' & ');
        query = query.where(sql<SqlBool>`g.search @@ to_tsquery('simple', ${tsq})`);
      }
      if (f.areaWords.length > 0) {
        const tsq = f.areaWords.map((w) => `${w}:*`).join(' & ');
        query = query.where(
          sql<SqlBool>`to_tsvector('simple', coalesce(g.area, '')) @@ to_tsquery('simple', ${tsq})`,
        );
      }
    }
  }
  for (const [kind, value] of [
    ['topic', f.topic],
    ['language', f.language],
  ] as const) {
    if (value === undefined) continue;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('group_tags as t')
          .select('t.group_id')
          .whereRef('t.group_id', '=', 'g.id')
          .where('t.kind', '=', kind)
          .where('t.value', '=', value),
      ),
    );
  }
  if (f.format !== undefined) {
    // "both" groups meet online and in person, so they answer either filter.
    const formats: GroupsTable['format'][] = f.format === 'both' ? ['both'] : [f.format, 'both'];
    query = query.where('g.format', 'in', formats);
  }
  if (f.after !== undefined) {
    const { createdAt, id } = f.after;
    query = query.where((eb) =>
      eb.or([
        eb('g.created_at', '<', createdAt),
        eb.and([eb('g.created_at', '=', createdAt), eb('g.id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('g.created_at', 'desc')
    .orderBy('g.id', 'desc')
    .limit(f.limit)
    .execute();
  return rows.map(counted);
}

/** Groups `accountId` is a member of, with their membership, by name. */
export async function groupsOfMember(q: Q, accountId: string) {
  const rows = await groupsWithCount(q)
    .innerJoin('group_members as m', 'm.group_id', 'g.id')
    .select([
      'm.role',
      'm.agreement_version as member_agreement_version',
      'm.pseudonym',
      'm.joined_at',
    ])
    .where('m.account_id', '=', accountId)
    .orderBy('g.name')
    .orderBy('g.id')
    .execute();
  return rows.map(counted);
}

// ─── Agreements ─────────────────────────────────────────────────────────────────────────────────

export async function insertAgreement(
  trx: Trx,
  row: { group_id: string; version: number; text: string; written_by: string; created_at: string },
): Promise<void> {
  await trx.insertInto('group_agreements').values(row).execute();
}

export async function findAgreement(q: Q, groupId: string, version: number) {
  return q
    .selectFrom('group_agreements')
    .select(['version', 'text', 'created_at'])
    .where('group_id', '=', groupId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function listAgreements(q: Q, groupId: string) {
  return q
    .selectFrom('group_agreements')
    .select(['version', 'text', 'created_at'])
    .where('group_id', '=', groupId)
    .orderBy('version', 'desc')
    .execute();
}

// ─── Members ────────────────────────────────────────────────────────────────────────────────────

export async function findMember(
  q: Q,
  groupId: string,
  accountId: string,
): Promise<MemberRow | undefined> {
  return q
    .selectFrom('group_members')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** Whether a member (other than `exceptAccountId`) uses the pseudonym. */
export async function pseudonymTaken(
  q: Q,
  groupId: string,
  key: string,
  exceptAccountId?: string,
): Promise<boolean> {
  let query = q
    .selectFrom('group_members')
    .select('account_id')
    .where('group_id', '=', groupId)
    .where('pseudonym_key', '=', key);
  if (exceptAccountId !== undefined) query = query.where('account_id', '!=', exceptAccountId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertMember(trx: Trx, row: MemberRow): Promise<void> {
  await trx.insertInto('group_members').values(row).execute();
}

export async function updateMember(
  trx: Trx,
  groupId: string,
  accountId: string,
  set: Partial<Pick<MemberRow, 'role' | 'agreement_version' | 'pseudonym' | 'pseudonym_key'>>,
): Promise<void> {
  await trx
    .updateTable('group_members')
    .set(set)
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function deleteMember(trx: Trx, groupId: string, accountId: string) {
  const r = await trx
    .deleteFrom('group_members')
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function countMembers(q: Q, groupId: string, role?: MemberRow['role']) {
  let query = q
    .selectFrom('group_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', groupId);
  if (role !== undefined) query = query.where('role', '=', role);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function facilitatorIds(q: Q, groupId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('group_members')
    .select('account_id')
    .where('group_id', '=', groupId)
    .where('role', '=', 'facilitator')
    .orderBy('account_id')
    .execute();
  return rows.map((r) => r.account_id);
}

/**
 * A page of the group's members, oldest first. The position is `(joinedAt, skip)`: members who
 * joined at or after `joinedAt`, skipping the first `skip` who joined exactly then — so a cursor
 * never carries an account id (which would unmask a pseudonym).
 */
export async function listMembers(
  q: Q,
  groupId: string,
  from: { readonly joinedAt: string; readonly skip: number } | undefined,
  limit: number,
) {
  let query = q
    .selectFrom('group_members as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['m.account_id', 'a.handle', 'm.pseudonym', 'm.role', 'm.joined_at'])
    .where('m.group_id', '=', groupId);
  if (from !== undefined) query = query.where('m.joined_at', '>=', from.joinedAt);
  return query
    .orderBy('m.joined_at')
    .orderBy('m.account_id')
    .offset(from?.skip ?? 0)
    .limit(limit)
    .execute();
}

// ─── Join requests ──────────────────────────────────────────────────────────────────────────────

function requests(q: Q) {
  return q
    .selectFrom('group_join_requests as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .selectAll('r')
    .select('a.handle');
}

export async function requestIdExists(q: Q, id: string): Promise<boolean> {
  const row = await q
    .selectFrom('group_join_requests')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findRequest(q: Q, id: string): Promise<RequestRow | undefined> {
  return requests(q).where('r.id', '=', id).executeTakeFirst();
}

/** The account's latest request to the group, if any. */
export async function latestRequest(
  q: Q,
  groupId: string,
  accountId: string,
): Promise<RequestRow | undefined> {
  return requests(q)
    .where('r.group_id', '=', groupId)
    .where('r.account_id', '=', accountId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .executeTakeFirst();
}

export async function insertRequest(trx: Trx, row: GroupJoinRequestsTable): Promise<void> {
  await trx.insertInto('group_join_requests').values(row).execute();
}

/** A position in a list ordered by creation: the last row shown (never an account id). */
export interface After {
  readonly createdAt: string;
  readonly id: string;
}

/**
 * A page of pending requests to the group, oldest first (then by request id), after `after`,
 * without those from someone with a block either way with `viewerId` (they disappear for the
 * blocker; other keepers still see them).
 */
export async function pendingRequests(
  q: Q,
  groupId: string,
  viewerId: string,
  after: After | undefined,
  limit: number,
): Promise<RequestRow[]> {
  let query = requests(q)
    .where('r.group_id', '=', groupId)
    .where('r.status', '=', 'pending')
    .where(noBlockBetween(viewerId, 'r.account_id'));
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('r.created_at', '>', after.createdAt),
        eb.and([eb('r.created_at', '=', after.createdAt), eb('r.id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('r.created_at').orderBy('r.id').limit(limit).execute();
}

/** Closes a pending request; false when it was no longer pending. */
export async function closeRequest(
  trx: Trx,
  id: string,
  set: {
    status: 'approved' | 'declined' | 'withdrawn';
    decided_by: string | null;
    decided_at: string;
  },
): Promise<boolean> {
  const r = await trx
    .updateTable('group_join_requests')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Withdraws the account's pending requests to the group (on joining by another way). */
export async function withdrawRequests(trx: Trx, groupId: string, accountId: string, at: string) {
  return trx
    .updateTable('group_join_requests')
    .set({ status: 'withdrawn', decided_at: at })
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
}

/** Pseudonyms asked for by pending requests to the group (held for them until decided). */
export async function pendingRequestPseudonyms(q: Q, groupId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('group_join_requests')
    .select('pseudonym')
    .where('group_id', '=', groupId)
    .where('status', '=', 'pending')
    .where('pseudonym', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.pseudonym === null ? [] : [r.pseudonym]));
}

/** The account's pending requests, with their groups. */
export async function pendingRequestsOf(q: Q, accountId: string) {
  return q
    .selectFrom('group_join_requests')
    .select(['id', 'group_id', 'status'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .orderBy('created_at', 'desc')
    .execute();
}

// ─── Invitations ────────────────────────────────────────────────────────────────────────────────

function invitations(q: Q) {
  return q
    .selectFrom('group_invitations as i')
    .leftJoin('accounts as a', 'a.id', 'i.invitee_id')
    .selectAll('i')
    .select('a.handle as invitee_handle');
}

export async function invitationExists(q: Q, id: string, tokenHash: string | null) {
  const row = await q
    .selectFrom('group_invitations')
    .select('id')
    .where((eb) =>
      tokenHash === null
        ? eb('id', '=', id)
        : eb.or([eb('id', '=', id), eb('link_token_hash', '=', tokenHash)]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertInvitation(
  trx: Trx,
  row: Omit<GroupInvitationsTable, 'uses'>,
): Promise<void> {
  await trx.insertInto('group_invitations').values(row).execute();
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

/**
 * A page of the group's invitations, newest first (then by id), after `after`; with `openAt`,
 * only those still pending and unexpired at that instant.
 */
export async function listInvitations(
  q: Q,
  groupId: string,
  opts: { readonly after?: After; readonly openAt?: string; readonly limit: number },
): Promise<InvitationRow[]> {
  let query = invitations(q).where('i.group_id', '=', groupId);
  if (opts.openAt !== undefined) {
    query = query.where('i.status', '=', 'pending').where('i.expires_at', '>', opts.openAt);
  }
  const after = opts.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('i.created_at', '<', after.createdAt),
        eb.and([eb('i.created_at', '=', after.createdAt), eb('i.id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('i.created_at', 'desc').orderBy('i.id').limit(opts.limit).execute();
}

/** A pending, unexpired invitation by handle of `accountId` to the group. */
export async function pendingInvitationFor(
  q: Q,
  groupId: string,
  accountId: string,
  now: string,
): Promise<InvitationRow | undefined> {
  return invitations(q)
    .where('i.group_id', '=', groupId)
    .where('i.invitee_id', '=', accountId)
    .where('i.kind', '=', 'handle')
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', now)
    .orderBy('i.created_at', 'desc')
    .executeTakeFirst();
}

/** Pending, unexpired invitations by handle to `accountId`. */
export async function pendingInvitationsOf(q: Q, accountId: string, now: string) {
  return q
    .selectFrom('group_invitations')
    .select(['id', 'group_id'])
    .where('invitee_id', '=', accountId)
    .where('kind', '=', 'handle')
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Moves a pending invitation on; false when it was no longer pending. */
export async function closeInvitation(
  trx: Trx,
  id: string,
  set: { status: 'accepted' | 'declined' | 'cancelled'; answered_at: string },
): Promise<boolean> {
  const r = await trx
    .updateTable('group_invitations')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function countInvitationUse(trx: Trx, id: string): Promise<void> {
  await trx
    .updateTable('group_invitations')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', id)
    .execute();
}
