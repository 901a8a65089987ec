import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import { blockBetween } from '../../circles/repository.js';
import type {
  AidAssignmentsTable,
  AidMatchNoticesTable,
  AidOccurrencesTable,
  AidPostsTable,
  AidResponsesTable,
  AidThanksTable,
  Database,
  ModerationAuditTable,
} from '../../db/schema.js';

/**
 * What happens between people on the mutual aid board (docs/AID.md): responses, matches and the
 * match-notice rate, thank-you notes, coordinators' assignments, the open-needs list and figures,
 * and the aid post's moderation. The posts themselves are the aid capability's (server/aid/).
 */

type Q = Kysely<Database> | Transaction<Database>;

export type PostRow = Selectable<AidPostsTable>;
export type OccurrenceRow = Selectable<AidOccurrencesTable>;
export type ResponseRow = Selectable<AidResponsesTable>;
export type AssignmentRow = Selectable<AidAssignmentsTable>;
export type ThanksRow = Selectable<AidThanksTable>;
export type NoticeRow = Selectable<AidMatchNoticesTable>;

export { blockedEitherWay, findAccount } from '../../circles/repository.js';

// ─── Posts (the aid capability's repository has the post itself) ─────────────────────────────────

export async function findOccurrence(
  q: Q,
  postId: string,
  occurrenceId: string,
): Promise<OccurrenceRow | undefined> {
  return q
    .selectFrom('aid_occurrences')
    .selectAll()
    .where('post_id', '=', postId)
    .where('occurrence_id', '=', occurrenceId)
    .executeTakeFirst();
}

export async function handleOf(q: Q, accountId: string): Promise<string | undefined> {
  const row = await q
    .selectFrom('accounts')
    .select('handle')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.handle;
}

export async function handlesOf(q: Q, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .selectFrom('accounts')
    .select(['id', 'handle'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.handle]));
}

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

export async function findResponse(q: Q, id: string): Promise<ResponseRow | undefined> {
  return q.selectFrom('aid_responses').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function responseOf(
  q: Q,
  postId: string,
  occurrenceId: string | null,
  responderId: string,
): Promise<ResponseRow | undefined> {
  return q
    .selectFrom('aid_responses')
    .selectAll()
    .where('post_id', '=', postId)
    .where(sql<string>`coalesce(occurrence_id, '')`, '=', occurrenceId ?? '')
    .where('responder_id', '=', responderId)
    .executeTakeFirst();
}

export async function responsesTo(q: Q, postId: string): Promise<ResponseRow[]> {
  return q
    .selectFrom('aid_responses')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function responsesBy(q: Q, responderId: string, postId: string) {
  return q
    .selectFrom('aid_responses')
    .selectAll()
    .where('post_id', '=', postId)
    .where('responder_id', '=', responderId)
    .orderBy('created_at')
    .execute();
}

/** Times of `responderId`'s responses since `since`, oldest first (the hourly limit). */
export async function respondedSince(q: Q, responderId: string, since: string) {
  const rows = await q
    .selectFrom('aid_responses')
    .select('created_at')
    .where('responder_id', '=', responderId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

export async function responseIdTaken(q: Q, id: string): Promise<boolean> {
  return (await findResponse(q, id)) !== undefined;
}

export async function insertResponse(trx: Q, row: Insertable<AidResponsesTable>): Promise<void> {
  await trx.insertInto('aid_responses').values(row).execute();
}

/** Moves a response from one of `from` statuses; false when it was in none of them. */
export async function moveResponse(
  trx: Q,
  id: string,
  from: readonly ResponseRow['status'][],
  set: Partial<Pick<ResponseRow, 'status' | 'conversation_id' | 'answered_at'>>,
): Promise<boolean> {
  const r = await trx
    .updateTable('aid_responses')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// ─── Matching ───────────────────────────────────────────────────────────────────────────────────

export interface AreaRow {
  readonly id: string;
  readonly lat_centi: number;
  readonly lon_centi: number;
}

export async function allAreas(q: Q): Promise<AreaRow[]> {
  return q.selectFrom('aid_areas').select(['id', 'lat_centi', 'lon_centi']).execute();
}

export type CandidateRow = Pick<
  PostRow,
  | 'id'
  | 'author_id'
  | 'community'
  | 'kind'
  | 'category'
  | 'status'
  | 'area_id'
  | 'reach_km'
  | 'intervals'
  | 'urgent'
  | 'created_at'
>;

/** Chunks of ids for `IN (…)` (well under both engines' bind limits). */
const ID_CHUNK = 900;

/**
 * Matching's SQL pre-filter (docs/AID.md, "Matching"): posts of the other kind in the same
 * community and category, on the board (open; offers also helping), not hidden, not by the poster,
 * in one of `areaIds` or anywhere (`areaIds` null: the post itself is anywhere, so any zone), whose
 * span overlaps [start, end). Every condition is implied by core's `isMatch`.
 */
export async function matchCandidates(
  q: Q,
  post: {
    readonly community: string;
    readonly kind: 'need' | 'offer';
    readonly category: string;
    readonly authorId: string | null;
    readonly start: string;
    readonly end: string;
  },
  areaIds: readonly string[] | null,
): Promise<CandidateRow[]> {
  const other = post.kind === 'need' ? 'offer' : 'need';
  const statuses: PostRow['status'][] = other === 'offer' ? ['open', 'helping'] : ['open'];
  const base = () => {
    let query = q
      .selectFrom('aid_posts')
      .select([
        'id',
        'author_id',
        'community',
        'kind',
        'category',
        'status',
        'area_id',
        'reach_km',
        'intervals',
        'urgent',
        'created_at',
      ])
      .where('community', '=', post.community)
      .where('kind', '=', other)
      .where('category', '=', post.category)
      .where('status', 'in', statuses)
      .where('hidden_at', 'is', null)
      .where('author_id', 'is not', null)
      .where('starts_at', '<', post.end)
      .where('ends_at', '>', post.start);
    if (post.authorId !== null) query = query.where('author_id', '<>', post.authorId);
    return query;
  };
  if (areaIds === null) return base().execute();
  const out: CandidateRow[] = await base().where('area_id', 'is', null).execute();
  for (let i = 0; i < areaIds.length; i += ID_CHUNK) {
    const chunk = areaIds.slice(i, i + ID_CHUNK);
    out.push(...(await base().where('area_id', 'in', chunk).execute()));
  }
  return out;
}

/** Accounts blocked either way with `accountId` (circle_blocks). */
export async function blockedWith(q: Q, accountId: string): Promise<Set<string>> {
  const rows = await q
    .selectFrom('circle_blocks')
    .select(['blocker_id', 'blocked_id'])
    .where((eb) => eb.or([eb('blocker_id', '=', accountId), eb('blocked_id', '=', accountId)]))
    .execute();
  return new Set(rows.map((r) => (r.blocker_id === accountId ? r.blocked_id : r.blocker_id)));
}

export async function insertMatches(
  trx: Q,
  rows: readonly { need_id: string; offer_id: string; distance_km: number | null }[],
  at: string,
): Promise<{ need_id: string; offer_id: string }[]> {
  const inserted: { need_id: string; offer_id: string }[] = [];
  for (const r of rows) {
    const res = await trx
      .insertInto('aid_matches')
      .values({ ...r, created_at: at })
      .onConflict((oc) => oc.columns(['need_id', 'offer_id']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) > 0) inserted.push(r);
  }
  return inserted;
}

/** The other side of each stored match of a post (offers for a need, needs for an offer). */
export async function storedPartnersOf(
  q: Q,
  postId: string,
  kind: 'need' | 'offer',
): Promise<{ id: string; distance_km: number | null }[]> {
  return kind === 'need'
    ? q
        .selectFrom('aid_matches')
        .select(['offer_id as id', 'distance_km'])
        .where('need_id', '=', postId)
        .execute()
    : q
        .selectFrom('aid_matches')
        .select(['need_id as id', 'distance_km'])
        .where('offer_id', '=', postId)
        .execute();
}

/** A kept match's distance, after a post's zone or reach changed. */
export async function setMatchDistance(
  trx: Q,
  pair: { need_id: string; offer_id: string },
  distanceKm: number | null,
): Promise<void> {
  await trx
    .updateTable('aid_matches')
    .set({ distance_km: distanceKm })
    .where('need_id', '=', pair.need_id)
    .where('offer_id', '=', pair.offer_id)
    .execute();
}

/** Drops stored matches of a post with the given other posts (in chunks: engines cap parameters). */
export async function deleteMatches(
  trx: Q,
  postId: string,
  kind: 'need' | 'offer',
  otherIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < otherIds.length; i += 500) {
    const chunk = otherIds.slice(i, i + 500);
    await (
      kind === 'need'
        ? trx.deleteFrom('aid_matches').where('need_id', '=', postId).where('offer_id', 'in', chunk)
        : trx.deleteFrom('aid_matches').where('offer_id', '=', postId).where('need_id', 'in', chunk)
    ).execute();
  }
}

/**
 * Posts matched (stored) with `accountId`'s open posts: the other side of each match, still on
 * the board and not hidden, and no block between the two authors now. Newest match first.
 */
export async function storedMatchesFor(q: Q, accountId: string, limit: number) {
  const rows = await q
    .selectFrom('aid_matches as m')
    .innerJoin('aid_posts as mine', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb('mine.id', '=', eb.ref('m.need_id'))]),
          eb.and([eb('mine.id', '=', eb.ref('m.offer_id'))]),
        ]),
      ),
    )
    .innerJoin('aid_posts as other', (j) =>
      j.on((eb) =>
        eb.and([
          eb.or([
            eb('other.id', '=', eb.ref('m.need_id')),
            eb('other.id', '=', eb.ref('m.offer_id')),
          ]),
          eb('other.id', '<>', eb.ref('mine.id')),
        ]),
      ),
    )
    .select(['other.id as id', 'm.distance_km as distance_km', 'm.created_at as matched_at'])
    .where('mine.author_id', '=', accountId)
    .where('mine.status', 'in', ['open', 'helping'])
    .where('other.status', 'in', ['open', 'helping'])
    .where('other.hidden_at', 'is', null)
    .where('other.author_id', 'is not', null)
    .where((eb) => eb.not(blockBetween(accountId, 'other.author_id')))
    .orderBy('m.created_at', 'desc')
    .orderBy('other.id')
    .limit(limit)
    .execute();
  // One row per other post (it may match several of mine).
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

export async function findNotice(q: Q, accountId: string): Promise<NoticeRow | undefined> {
  return q
    .selectFrom('aid_match_notices')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function saveNotice(q: Q, row: NoticeRow): Promise<void> {
  await q
    .insertInto('aid_match_notices')
    .values(row)
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({
        rate: row.rate,
        last_told_at: row.last_told_at,
        pending_since: row.pending_since,
      }),
    )
    .execute();
}

/** People waiting to be told of matches (the match worker), oldest first. */
export async function pendingNotices(q: Q, limit: number): Promise<NoticeRow[]> {
  return q
    .selectFrom('aid_match_notices')
    .selectAll()
    .where('pending_since', 'is not', null)
    .where('rate', '<>', 'never')
    .orderBy('pending_since')
    .orderBy('account_id')
    .limit(limit)
    .execute();
}

// ─── Thanks ─────────────────────────────────────────────────────────────────────────────────────

/** False when a thank-you for this post or occurrence exists already. */
export async function insertThanks(trx: Q, row: Insertable<AidThanksTable>): Promise<boolean> {
  const existing = await trx
    .selectFrom('aid_thanks')
    .select('post_id')
    .where('post_id', '=', row.post_id)
    .where(sql<string>`coalesce(occurrence_id, '')`, '=', row.occurrence_id ?? '')
    .executeTakeFirst();
  if (existing !== undefined) return false;
  await trx.insertInto('aid_thanks').values(row).execute();
  return true;
}

export async function thanksTo(q: Q, accountId: string): Promise<ThanksRow[]> {
  return q
    .selectFrom('aid_thanks')
    .selectAll()
    .where('to_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .execute();
}

// ─── Coordinators ───────────────────────────────────────────────────────────────────────────────

/**
 * Open needs of a community on the board (not hidden), urgent first, then the longest waiting.
 * `after` is the position (created_at, id) within the same urgency, with the urgency.
 */
export async function unmetNeeds(
  q: Q,
  community: string,
  filter: {
    readonly category?: string | undefined;
    readonly area?: string | undefined;
    readonly urgent?: boolean | undefined;
    readonly after?: { readonly urgent: number; readonly at: string; readonly id: string };
    readonly limit: number;
  },
): Promise<PostRow[]> {
  let query = q
    .selectFrom('aid_posts')
    .selectAll()
    .where('community', '=', community)
    .where('kind', '=', 'need')
    .where('status', '=', 'open')
    .where('hidden_at', 'is', null);
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  if (filter.area !== undefined) query = query.where('area_id', '=', filter.area);
  if (filter.urgent !== undefined) query = query.where('urgent', '=', filter.urgent ? 1 : 0);
  const after = filter.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('urgent', '<', after.urgent),
        eb.and([eb('urgent', '=', after.urgent), eb('created_at', '>', after.at)]),
        eb.and([
          eb('urgent', '=', after.urgent),
          eb('created_at', '=', after.at),
          eb('id', '>', after.id),
        ]),
      ]),
    );
  }
  return query
    .orderBy('urgent', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .limit(filter.limit)
    .execute();
}

/** Every open or helping need of a community, not hidden, for the open-needs list. */
export async function openNeeds(q: Q, community: string): Promise<PostRow[]> {
  return q
    .selectFrom('aid_posts')
    .selectAll()
    .where('community', '=', community)
    .where('kind', '=', 'need')
    .where('status', 'in', ['open', 'helping'])
    .where('hidden_at', 'is', null)
    .orderBy('urgent', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .limit(5_000)
    .execute();
}

export async function areaNames(q: Q, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .selectFrom('aid_areas')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findAssignment(q: Q, id: string): Promise<AssignmentRow | undefined> {
  return q.selectFrom('aid_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAssignment(trx: Q, row: AssignmentRow): Promise<void> {
  await trx.insertInto('aid_assignments').values(row).execute();
}

export async function updateAssignment(
  trx: Q,
  id: string,
  set: Partial<
    Pick<AssignmentRow, 'status' | 'asker_consented_at' | 'helper_consented_at' | 'closed_at'>
  >,
): Promise<boolean> {
  const r = await trx
    .updateTable('aid_assignments')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function assignedSince(q: Q, coordinatorId: string, since: string) {
  const rows = await q
    .selectFrom('aid_assignments')
    .select('created_at')
    .where('proposed_by', '=', coordinatorId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

/** Proposed assignments on a post (or occurrence) still waiting. */
export async function openAssignment(q: Q, postId: string, occurrenceId: string | null) {
  return q
    .selectFrom('aid_assignments')
    .selectAll()
    .where('post_id', '=', postId)
    .where(sql<string>`coalesce(occurrence_id, '')`, '=', occurrenceId ?? '')
    .where('status', '=', 'proposed')
    .executeTakeFirst();
}

/** Moves a post from open to helping with `partnerId` (the caller checked the lifecycle). */
export async function setHelping(
  trx: Q,
  post: PostRow,
  occurrenceId: string | null,
  partnerId: string,
  at: string,
  occurrence: { starts_at: string; ends_at: string } | undefined,
): Promise<boolean> {
  if (occurrenceId === null) {
    const r = await trx
      .updateTable('aid_posts')
      .set({
        status: 'helping',
        partner_id: partnerId,
        first_helping_at: post.first_helping_at ?? at,
        updated_at: at,
      })
      .where('id', '=', post.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }
  const existing = await findOccurrence(trx, post.id, occurrenceId);
  if (existing === undefined) {
    if (occurrence === undefined) return false;
    await trx
      .insertInto('aid_occurrences')
      .values({
        post_id: post.id,
        occurrence_id: occurrenceId,
        starts_at: occurrence.starts_at,
        ends_at: occurrence.ends_at,
        status: 'helping',
        partner_id: partnerId,
        withdrawn_by: null,
        first_helping_at: at,
        done_at: null,
        handled_offline: 0,
      })
      .execute();
    return true;
  }
  const r = await trx
    .updateTable('aid_occurrences')
    .set({
      status: 'helping',
      partner_id: partnerId,
      first_helping_at: existing.first_helping_at ?? at,
    })
    .where('post_id', '=', post.id)
    .where('occurrence_id', '=', occurrenceId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// ─── Figures ────────────────────────────────────────────────────────────────────────────────────

/** Needs posted in [from, to): what the figures are computed from (no names, no words). */
/**
 * The needs the figures of [from, to) read: one-off needs posted in the period, and recurring
 * needs posted before its end that were still on the board at its start (open or helping now, or
 * they left it — done, withdrawn, expired: `updated_at` — within or after it).
 */
export async function needsForFigures(q: Q, community: string, from: string, to: string) {
  return q
    .selectFrom('aid_posts')
    .select([
      'id',
      'category',
      'area_id',
      'created_at',
      'first_helping_at',
      'status',
      'handled_offline',
      'when_kind',
      'when_json',
      'updated_at',
    ])
    .where('community', '=', community)
    .where('kind', '=', 'need')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('when_kind', '<>', 'recurring'),
          eb('created_at', '>=', from),
          eb('created_at', '<', to),
        ]),
        eb.and([
          eb('when_kind', '=', 'recurring'),
          eb('created_at', '<', to),
          eb.or([eb('status', 'in', ['open', 'helping']), eb('updated_at', '>=', from)]),
        ]),
      ]),
    )
    .execute();
}

/** The occurrences that changed of the given recurring posts, begun in [from, to). */
export async function occurrencesForFigures(
  q: Q,
  postIds: readonly string[],
  from: string,
  to: string,
) {
  const out: {
    post_id: string;
    occurrence_id: string;
    starts_at: string;
    status: PostRow['status'];
  }[] = [];
  for (let i = 0; i < postIds.length; i += 500) {
    out.push(
      ...(await q
        .selectFrom('aid_occurrences')
        .select(['post_id', 'occurrence_id', 'starts_at', 'status'])
        .where('post_id', 'in', postIds.slice(i, i + 500))
        .where('starts_at', '>=', from)
        .where('starts_at', '<', to)
        .execute()),
    );
  }
  return out;
}

// ─── Moderation ─────────────────────────────────────────────────────────────────────────────────

export async function appendAudit(
  trx: Q,
  row: Insertable<ModerationAuditTable> & { aid_post_id: string },
): Promise<void> {
  await trx.insertInto('moderation_audit').values(row).execute();
}

export async function setHidden(
  trx: Q,
  postId: string,
  hidden: { at: string; by: string } | null,
): Promise<boolean> {
  const r = await trx
    .updateTable('aid_posts')
    .set({
      hidden_at: hidden?.at ?? null,
      hidden_by: hidden?.by ?? null,
    })
    .where('id', '=', postId)
    .where('hidden_at', hidden === null ? 'is not' : 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
