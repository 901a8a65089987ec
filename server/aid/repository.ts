import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import { noBlockBetween } from '../circles/repository.js';
import type {
  AidAreasTable,
  AidCategoriesTable,
  AidCommunitiesTable,
  AidOccurrencesTable,
  AidPostsTable,
  Database,
} from '../db/schema.js';

/**
 * The mutual aid board's database access (docs/AID.md): communities, coordinators, categories,
 * zones and posts. The post functions are exported for the other aid use cases (responses,
 * matching, coordinators: server/aid/relations/) to read posts the same way.
 */

type Q = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

export type CommunityRow = AidCommunitiesTable;
export type CategoryRow = AidCategoriesTable;
export type AreaRow = AidAreasTable;
export type PostRow = AidPostsTable;
export type OccurrenceRow = AidOccurrencesTable;

/** A post with what its answer shows: the zone's name and the author's handle. */
export type PostView = PostRow & {
  readonly area_name: string | null;
  readonly author_handle: string | null;
};

// ─── Communities and coordinators ──────────────────────────────────────────────────────────────

export async function findCommunity(q: Q, community: string): Promise<CommunityRow | undefined> {
  return q
    .selectFrom('aid_communities')
    .selectAll()
    .where('community', '=', community)
    .executeTakeFirst();
}

export async function upsertCommunity(trx: Trx, row: CommunityRow): Promise<void> {
  await trx
    .insertInto('aid_communities')
    .values(row)
    .onConflict((oc) =>
      oc.column('community').doUpdateSet({
        enabled: row.enabled,
        default_expiry_days: row.default_expiry_days,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Group boards among `groupIds` (with their settings). */
export async function communitiesOfGroups(q: Q, groupIds: readonly string[]) {
  if (groupIds.length === 0) return [];
  return q.selectFrom('aid_communities').selectAll().where('group_id', 'in', groupIds).execute();
}

export async function isCoordinator(q: Q, community: string, accountId: string): Promise<boolean> {
  const row = await q
    .selectFrom('aid_coordinators')
    .select('account_id')
    .where('community', '=', community)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The communities `accountId` coordinates. */
export async function coordinatedBy(q: Q, accountId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('aid_coordinators')
    .select('community')
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((r) => r.community);
}

export async function listCoordinators(q: Q, community: string) {
  return q
    .selectFrom('aid_coordinators as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select(['c.account_id', 'a.handle', 'c.added_at'])
    .where('c.community', '=', community)
    .orderBy('a.handle')
    .execute();
}

export async function insertCoordinator(
  trx: Trx,
  row: { community: string; account_id: string; added_by: string; added_at: string },
): Promise<void> {
  await trx
    .insertInto('aid_coordinators')
    .values(row)
    .onConflict((oc) => oc.columns(['community', 'account_id']).doNothing())
    .execute();
}

export async function deleteCoordinator(
  trx: Trx,
  community: string,
  accountId: string,
): Promise<boolean> {
  const r = await trx
    .deleteFrom('aid_coordinators')
    .where('community', '=', community)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function accountHandle(q: Q, accountId: string): Promise<string | undefined> {
  const row = await q
    .selectFrom('accounts')
    .select('handle')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.handle;
}

// ─── Categories ─────────────────────────────────────────────────────────────────────────────────

export async function listCategories(q: Q): Promise<CategoryRow[]> {
  return q.selectFrom('aid_categories').selectAll().orderBy('id').execute();
}

export async function findCategory(q: Q, id: string): Promise<CategoryRow | undefined> {
  return q.selectFrom('aid_categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCategory(trx: Trx, row: CategoryRow): Promise<void> {
  await trx.insertInto('aid_categories').values(row).execute();
}

export async function updateCategory(
  trx: Trx,
  id: string,
  patch: Partial<Pick<CategoryRow, 'label' | 'retired_at'>>,
): Promise<void> {
  await trx.updateTable('aid_categories').set(patch).where('id', '=', id).execute();
}

// ─── Areas ──────────────────────────────────────────────────────────────────────────────────────

export async function listAreas(q: Q): Promise<AreaRow[]> {
  return q.selectFrom('aid_areas').selectAll().orderBy('id').execute();
}

export async function findArea(q: Q, id: string): Promise<AreaRow | undefined> {
  return q.selectFrom('aid_areas').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates or changes zones (never removes one); `created_at` is kept for a zone that exists. */
export async function upsertAreas(trx: Trx, rows: readonly AreaRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await trx
      .insertInto('aid_areas')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          parent_id: eb.ref('excluded.parent_id'),
          lat_centi: eb.ref('excluded.lat_centi'),
          lon_centi: eb.ref('excluded.lon_centi'),
          updated_at: eb.ref('excluded.updated_at'),
          retired_at: eb.ref('excluded.retired_at'),
        })),
      )
      .execute();
  }
}

// ─── Posts ──────────────────────────────────────────────────────────────────────────────────────

const postView = (q: Q) =>
  q
    .selectFrom('aid_posts as p')
    .leftJoin('aid_areas as z', 'z.id', 'p.area_id')
    .leftJoin('accounts as a', 'a.id', 'p.author_id')
    .selectAll('p')
    .select(['z.name as area_name', 'a.handle as author_handle']);

export async function findPost(q: Q, id: string): Promise<PostView | undefined> {
  return postView(q).where('p.id', '=', id).executeTakeFirst();
}

export async function postIdExists(q: Q, id: string): Promise<boolean> {
  const row = await q.selectFrom('aid_posts').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes the post's row lock (FOR UPDATE on PostgreSQL; SQLite's write lock is already held) and
 * reads it in this transaction: two changes of one post's status run one after the other.
 */
export async function lockPost(trx: Trx, id: string): Promise<PostRow | undefined> {
  return trx
    .selectFrom('aid_posts')
    .selectAll()
    .where('id', '=', id)
    .$if(trx.getExecutor().adapter instanceof PostgresAdapter, (q) => q.forUpdate())
    .executeTakeFirst();
}

export async function insertPost(trx: Trx, row: PostRow): Promise<void> {
  await trx.insertInto('aid_posts').values(row).execute();
}

export async function updatePost(trx: Trx, id: string, patch: Partial<PostRow>): Promise<void> {
  await trx.updateTable('aid_posts').set(patch).where('id', '=', id).execute();
}

/** New posts by `authorId` in `community` since `since` (the daily limit), and the oldest. */
export async function postsSince(q: Q, authorId: string, community: string, since: string) {
  const row = await q
    .selectFrom('aid_posts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('author_id', '=', authorId)
    .where('created_at', '>', since)
    .where('community', '=', community)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest as string | null };
}

/** Open or helping posts by `authorId` in one community and category (the flood guard). */
export async function activePostsIn(
  q: Q,
  authorId: string,
  community: string,
  category: string,
  exceptId?: string,
): Promise<number> {
  const row = await q
    .selectFrom('aid_posts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', authorId)
    .where('community', '=', community)
    .where('category', '=', category)
    .where('status', 'in', ['open', 'helping'])
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function occurrencesOfPost(q: Q, postId: string): Promise<OccurrenceRow[]> {
  return q.selectFrom('aid_occurrences').selectAll().where('post_id', '=', postId).execute();
}

export async function upsertOccurrence(trx: Trx, row: OccurrenceRow): Promise<void> {
  await trx
    .insertInto('aid_occurrences')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['post_id', 'occurrence_id']).doUpdateSet({
        status: row.status,
        partner_id: row.partner_id,
        withdrawn_by: row.withdrawn_by,
        first_helping_at: row.first_helping_at,
        done_at: row.done_at,
        handled_offline: row.handled_offline,
      }),
    )
    .execute();
}

/** The responders of a post (or one occurrence) whose response is still live. */
export async function liveResponders(
  q: Q,
  postId: string,
  occurrenceId: string | null,
): Promise<string[]> {
  const rows = await q
    .selectFrom('aid_responses')
    .select('responder_id')
    .where('post_id', '=', postId)
    .where('status', 'in', ['waiting', 'talking'])
    .where((eb) =>
      occurrenceId === null
        ? eb('occurrence_id', 'is', null)
        : eb('occurrence_id', '=', occurrenceId),
    )
    .execute();
  return rows.map((r) => r.responder_id);
}

/** Everyone who responded to a post (any occurrence, any status): they hear it changed. */
export async function respondersOf(q: Q, postId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('aid_responses')
    .select('responder_id')
    .distinct()
    .where('post_id', '=', postId)
    .execute();
  return rows.map((r) => r.responder_id);
}

/** Helpers of accepted assignments for a post (or one occurrence). */
export async function acceptedHelpers(
  q: Q,
  postId: string,
  occurrenceId: string | null,
): Promise<string[]> {
  const rows = await q
    .selectFrom('aid_assignments')
    .select('helper_id')
    .where('post_id', '=', postId)
    .where('status', '=', 'accepted')
    .where((eb) =>
      occurrenceId === null
        ? eb('occurrence_id', 'is', null)
        : eb('occurrence_id', '=', occurrenceId),
    )
    .execute();
  return rows.map((r) => r.helper_id);
}

/** `viewerId`'s responses to these posts (for `myResponse`). */
export async function myResponsesTo(q: Q, viewerId: string, postIds: readonly string[]) {
  if (postIds.length === 0) return [];
  return q
    .selectFrom('aid_responses')
    .select(['id', 'post_id', 'occurrence_id', 'status', 'conversation_id', 'created_at'])
    .where('responder_id', '=', viewerId)
    .where('post_id', 'in', postIds)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The occurrences of a post (`''` for the whole post) `fromId` sent a thank-you for. */
export async function thankedBy(q: Q, postId: string, fromId: string): Promise<Set<string>> {
  const rows = await q
    .selectFrom('aid_thanks')
    .select('occurrence_id')
    .where('post_id', '=', postId)
    .where('from_id', '=', fromId)
    .execute();
  return new Set(rows.map((r) => r.occurrence_id ?? ''));
}

export interface BoardFilter {
  readonly community: string;
  readonly viewerId: string;
  readonly status: 'open' | 'helping';
  readonly kind?: 'need' | 'offer';
  readonly category?: string;
  /** Zone ids (the zone itself, or the zones within N km of it). */
  readonly areaIds?: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly urgent?: boolean;
  readonly sort: 'newest' | 'waiting';
  readonly after?: { at: string; id: string };
  readonly limit: number;
}

/**
 * One page of the board: not hidden, in this status, the filters as given; newest first (or the
 * longest waiting), by (created_at, id) on the index (community, status, kind, category,
 * created_at, id). A named post by someone with a block between them and the viewer is left out;
 * an anonymous one is not (leaving it out would say who wrote it). Reads one row more than the
 * page, so the caller knows whether there is a next page.
 */
export async function boardPage(q: Q, f: BoardFilter): Promise<PostView[]> {
  const newest = f.sort === 'newest';
  const dir = newest ? 'desc' : 'asc';
  let query = postView(q)
    .where('p.community', '=', f.community)
    .where('p.status', '=', f.status)
    .where('p.hidden_at', 'is', null)
    .where((eb) =>
      eb.or([eb('p.anonymous', '=', 1), noBlockBetween(f.viewerId, 'p.author_id') as never]),
    );
  if (f.kind !== undefined) query = query.where('p.kind', '=', f.kind);
  if (f.category !== undefined) query = query.where('p.category', '=', f.category);
  if (f.areaIds !== undefined) {
    if (f.areaIds.length === 0) return [];
    query = query.where('p.area_id', 'in', f.areaIds);
  }
  if (f.urgent !== undefined) query = query.where('p.urgent', '=', f.urgent ? 1 : 0);
  if (f.from !== undefined) query = query.where('p.ends_at', '>', f.from);
  if (f.to !== undefined) query = query.where('p.starts_at', '<', f.to);
  if (f.after !== undefined) {
    const { at, id } = f.after;
    const op = newest ? '<' : '>';
    query = query.where((eb) =>
      eb.or([
        eb('p.created_at', op, at),
        eb.and([eb('p.created_at', '=', at), eb('p.id', op, id)]),
      ]),
    );
  }
  return query
    .orderBy('p.created_at', dir)
    .orderBy('p.id', dir)
    .limit(f.limit + 1)
    .execute();
}

/** `accountId`'s own posts, any status, newest first. */
export async function postsBy(q: Q, accountId: string, limit: number): Promise<PostView[]> {
  return postView(q)
    .where('p.author_id', '=', accountId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

/** `accountId`'s responses, newest first. */
export async function responsesBy(q: Q, accountId: string, limit: number) {
  return q
    .selectFrom('aid_responses as r')
    .innerJoin('accounts as a', 'a.id', 'r.responder_id')
    .select([
      'r.id',
      'r.post_id',
      'r.occurrence_id',
      'r.responder_id',
      'a.handle',
      'r.status',
      'r.conversation_id',
      'r.created_at',
    ])
    .where('r.responder_id', '=', accountId)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Assignments waiting for `accountId`'s answer: proposed, and they are the helper who has not
 * answered, or the author of the need (not posted on someone's behalf) who has not answered.
 */
export async function assignmentsWaitingFor(q: Q, accountId: string, limit: number) {
  return q
    .selectFrom('aid_assignments as s')
    .innerJoin('aid_posts as p', 'p.id', 's.post_id')
    .innerJoin('accounts as a', 'a.id', 's.helper_id')
    .select([
      's.id',
      's.post_id',
      's.occurrence_id',
      's.helper_id',
      'a.handle',
      's.status',
      's.asker_consented_at',
      's.helper_consented_at',
      's.created_at',
    ])
    .where('s.status', '=', 'proposed')
    .where((eb) =>
      eb.or([
        eb.and([eb('s.helper_id', '=', accountId), eb('s.helper_consented_at', 'is', null)]),
        eb.and([
          eb('p.author_id', '=', accountId),
          eb('p.on_behalf', '=', 0),
          eb('s.asker_consented_at', 'is', null),
        ]),
      ]),
    )
    .orderBy('s.created_at', 'desc')
    .limit(limit)
    .execute();
}

// ─── The expiry worker ──────────────────────────────────────────────────────────────────────────

/** Open or helping posts whose expiry or reminder is due at `now`, oldest first. */
export async function duePosts(q: Q, now: string, limit: number) {
  const expiring = await q
    .selectFrom('aid_posts')
    .select('id')
    .where('status', 'in', ['open', 'helping'])
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  const reminding = await q
    .selectFrom('aid_posts')
    .select('id')
    .where('status', 'in', ['open', 'helping'])
    .where('remind_at', '<=', now)
    .where('reminded_at', 'is', null)
    .orderBy('remind_at')
    .limit(limit)
    .execute();
  return [...new Set([...expiring, ...reminding].map((r) => r.id))];
}

/**
 * Recurring posts still on the board whose stored intervals are stale: their first stored
 * occurrence began before `before` (intervals are expanded from the time they are computed, so
 * until then expanding again gives the same). Read through (when_kind, status, starts_at).
 */
export async function recurringToRefresh(q: Q, before: string, limit: number) {
  const rows = await q
    .selectFrom('aid_posts')
    .select('id')
    .where('when_kind', '=', 'recurring')
    .where('status', 'in', ['open', 'helping'])
    .where('starts_at', '<', before)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
