import { PostgresAdapter, sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Engine } from '../db/database.js';
import type { CentiBox } from '../../core/src/resources/distance.js';
import type {
  Database,
  ResourceFlagsTable,
  ResourceKindsTable,
  ResourceRevisionsTable,
  ResourceSuggestionsTable,
  ResourcesTable,
} from '../db/schema.js';

/**
 * The resource directory's database access (docs/RESOURCES.md, "Tables"). The only code of
 * server/resources/ that builds queries. A resource's filter columns, kind links, languages,
 * locations and searchable text are written together with its row (`writeResource`), in the
 * caller's transaction.
 */

type Q = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

export type ResourceRow = Omit<ResourcesTable, 'search'>;
export type KindRow = ResourceKindsTable;
export type RevisionRow = ResourceRevisionsTable;

/** A resource row with its organization as it stands now (shared by its resources). */
export type ResourceView = ResourceRow & {
  readonly org_name: string;
  readonly org_description: string | null;
  readonly org_website: string | null;
};

const resourceColumns = [
  'r.id',
  'r.version',
  'r.content',
  'r.name_key',
  'r.organization_id',
  'r.status',
  'r.retired_at',
  'r.hours_known',
  'r.cost_kind',
  'r.reach',
  'r.crisis_police',
  'r.crisis_hold',
  'r.crisis_tracing',
  'r.crisis_sharing',
  'r.crisis_police_checked_on',
  'r.crisis_hold_checked_on',
  'r.crisis_tracing_checked_on',
  'r.crisis_sharing_checked_on',
  'r.checked_on',
  'r.created_at',
  'r.updated_at',
  'r.change_seq',
] as const;

function resourcesWithOrg(q: Q) {
  return q
    .selectFrom('resources as r')
    .innerJoin('resource_organizations as o', 'o.id', 'r.organization_id')
    .select(resourceColumns)
    .select(['o.name as org_name', 'o.description as org_description', 'o.website as org_website']);
}

export async function findResource(q: Q, id: string): Promise<ResourceView | undefined> {
  return resourcesWithOrg(q).where('r.id', '=', id).executeTakeFirst();
}

export async function resourceIdExists(q: Q, id: string): Promise<boolean> {
  return (
    (await q.selectFrom('resources').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

/**
 * Takes the resource's row lock (FOR UPDATE on PostgreSQL; SQLite's write lock is already held)
 * and reads it, so a base-version check and the write that follows cannot interleave with another.
 */
export async function lockResource(trx: Trx, id: string): Promise<ResourceView | undefined> {
  const row = await trx
    .selectFrom('resources')
    .select('id')
    .where('id', '=', id)
    .$if(trx.getExecutor().adapter instanceof PostgresAdapter, (q) => q.forUpdate())
    .executeTakeFirst();
  return row === undefined ? undefined : findResource(trx, id);
}

/** The changes feed's next number, bumped under the write transaction. */
export async function nextChangeSeq(trx: Trx): Promise<number> {
  await trx
    .updateTable('resource_change_seq')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('id', '=', 1)
    .execute();
  const row = await trx
    .selectFrom('resource_change_seq')
    .select('value')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export interface OrganizationInput {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly website: string | null;
}

export interface ResourceWrite {
  readonly row: ResourceRow;
  readonly organization: OrganizationInput;
  readonly kinds: readonly string[];
  readonly languages: readonly string[];
  readonly locations: readonly {
    readonly id: string;
    readonly physical: boolean;
    readonly latCenti: number | null;
    readonly lonCenti: number | null;
  }[];
  /** The searchable text (name, organization, description, areas, location names, kinds). */
  readonly searchText: string;
}

/**
 * Writes a resource's row (insert or replace), its organization, its filter rows and its
 * searchable text, in the caller's transaction.
 */
export async function writeResource(trx: Trx, engine: Engine, w: ResourceWrite): Promise<void> {
  const o = w.organization;
  await trx
    .insertInto('resource_organizations')
    .values({
      id: o.id,
      name: o.name,
      description: o.description,
      website: o.website,
      updated_at: w.row.updated_at,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        name: o.name,
        description: o.description,
        website: o.website,
        updated_at: w.row.updated_at,
      }),
    )
    .execute();
  const { id, created_at: _created, ...rest } = w.row;
  void _created;
  await trx
    .insertInto('resources')
    .values(w.row)
    .onConflict((oc) => oc.column('id').doUpdateSet(rest))
    .execute();
  for (const table of [
    'resource_kind_links',
    'resource_languages',
    'resource_locations',
  ] as const) {
    await trx.deleteFrom(table).where('resource_id', '=', id).execute();
  }
  if (w.kinds.length > 0) {
    await trx
      .insertInto('resource_kind_links')
      .values(w.kinds.map((kind_id) => ({ resource_id: id, kind_id })))
      .execute();
  }
  if (w.languages.length > 0) {
    await trx
      .insertInto('resource_languages')
      .values(w.languages.map((code) => ({ resource_id: id, code })))
      .execute();
  }
  if (w.locations.length > 0) {
    await trx
      .insertInto('resource_locations')
      .values(
        w.locations.map((l) => ({
          resource_id: id,
          location_id: l.id,
          physical: l.physical ? 1 : 0,
          lat_centi: l.latCenti,
          lon_centi: l.lonCenti,
        })),
      )
      .execute();
  }
  if (engine === 'postgres') {
    await sql`UPDATE resources SET search = to_tsvector('simple', ${w.searchText}) WHERE id = ${id}`.execute(
      trx,
    );
  } else {
    await trx.deleteFrom('resources_fts').where('resource_id', '=', id).execute();
    await trx.insertInto('resources_fts').values({ resource_id: id, body: w.searchText }).execute();
  }
}

/** Only the row's retirement and bookkeeping (the content, filters and search stay). */
export async function setRetired(
  trx: Trx,
  id: string,
  set: Pick<ResourceRow, 'retired_at' | 'version' | 'updated_at' | 'change_seq'>,
): Promise<void> {
  await trx.updateTable('resources').set(set).where('id', '=', id).execute();
}

export async function insertRevision(trx: Trx, row: RevisionRow): Promise<void> {
  await trx.insertInto('resource_revisions').values(row).execute();
}

export type RevisionView = RevisionRow & {
  readonly by_handle: string | null;
  readonly suggested_by_handle: string | null;
};

function revisionsWithHandles(q: Q) {
  return q
    .selectFrom('resource_revisions as v')
    .leftJoin('accounts as b', 'b.id', 'v.by_id')
    .leftJoin('accounts as s', 's.id', 'v.suggested_by_id')
    .selectAll('v')
    .select(['b.handle as by_handle', 's.handle as suggested_by_handle']);
}

export async function listRevisions(q: Q, resourceId: string): Promise<RevisionView[]> {
  return revisionsWithHandles(q)
    .where('v.resource_id', '=', resourceId)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function findRevision(
  q: Q,
  resourceId: string,
  version: number,
): Promise<RevisionView | undefined> {
  return revisionsWithHandles(q)
    .where('v.resource_id', '=', resourceId)
    .where('v.version', '=', version)
    .executeTakeFirst();
}

// ─── Search ─────────────────────────────────────────────────────────────────────────────────────

export interface SearchFilters {
  /** Words (letters and digits only, lower case) that must each begin a word of the text. */
  readonly words: readonly string[];
  readonly kinds?: readonly string[];
  readonly languages?: readonly string[];
  readonly costs?: readonly string[];
  readonly reach?: readonly string[];
  /** Crisis columns that must be `no`. */
  readonly crisisNo?: readonly (
    'crisis_police' | 'crisis_hold' | 'crisis_tracing' | 'crisis_sharing'
  )[];
  readonly statuses: readonly string[] | 'all';
  readonly hoursKnown?: boolean;
  /** Only resources with a physical location inside this box (hundredths of a degree). */
  readonly box?: CentiBox;
  /**
   * Only resources with no physical location (`'physical'`), or with no physical location that
   * has coordinates (`'coordinates'`): what a search by distance lists after the places it can
   * measure.
   */
  readonly without?: 'physical' | 'coordinates';
  /** Ordered by (name_key, id): only rows after this. */
  readonly after?: { readonly nameKey: string; readonly id: string };
  readonly limit?: number;
}

/** Ids of resources with a physical location (`withCoordinates`: one that has coordinates). */
function physicalIds(q: Q, withCoordinates = false) {
  let ids = q
    .selectFrom('resource_locations as a')
    .select('a.resource_id')
    .where('a.physical', '=', 1);
  if (withCoordinates) ids = ids.where('a.lat_centi', 'is not', null);
  return ids;
}

/** Resources not retired that pass every filter, ordered by name (case-folded), then id. */
export async function searchResources(
  q: Q,
  engine: Engine,
  f: SearchFilters,
): Promise<ResourceView[]> {
  let query = resourcesWithOrg(q).where('r.retired_at', 'is', null);
  if (f.statuses !== 'all') query = query.where('r.status', 'in', [...f.statuses]);
  if (f.words.length > 0) {
    if (engine === 'sqlite') {
      const match = f.words.map((w) => `"${w}"*`).join(' AND ');
      query = query.where(
        sql<SqlBool>`r.id IN (SELECT resource_id FROM resources_fts WHERE resources_fts MATCH ${match})`,
      );
    } else {
      const tsq = f.words.map((w) => `${w}:*`).join(' & ');
      query = query.where(sql<SqlBool>`r.search @@ to_tsquery('simple', ${tsq})`);
    }
  }
  if (f.kinds !== undefined && f.kinds.length > 0) {
    const kinds = [...f.kinds];
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('resource_kind_links as k')
          .select('k.resource_id')
          .whereRef('k.resource_id', '=', 'r.id')
          .where('k.kind_id', 'in', kinds),
      ),
    );
  }
  if (f.languages !== undefined && f.languages.length > 0) {
    const codes = [...f.languages];
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('resource_languages as l')
          .select('l.resource_id')
          .whereRef('l.resource_id', '=', 'r.id')
          .where('l.code', 'in', codes),
      ),
    );
  }
  if (f.costs !== undefined && f.costs.length > 0) {
    query = query.where('r.cost_kind', 'in', [...f.costs]);
  }
  if (f.reach !== undefined && f.reach.length > 0) {
    const ways = f.reach;
    query = query.where((eb) => eb.or(ways.map((w) => eb('r.reach', 'like', `%"${w}"%`))));
  }
  for (const column of f.crisisNo ?? []) query = query.where(`r.${column}`, '=', 'no');
  if (f.hoursKnown === true) query = query.where('r.hours_known', '=', 1);
  if (f.box !== undefined) {
    const box = f.box;
    // The places inside the box, read through the (lat, lon) index.
    let inBox = q
      .selectFrom('resource_locations as p')
      .select('p.resource_id')
      .where('p.physical', '=', 1)
      .where('p.lat_centi', '>=', box.lat[0])
      .where('p.lat_centi', '<=', box.lat[1]);
    const everyLongitude = box.lon.some(([west, east]) => west <= -18_000 && east >= 17_999);
    if (!everyLongitude) {
      // Across the antimeridian the box is two ranges of longitude.
      inBox = inBox.where((e) =>
        e.or(
          box.lon.map(([west, east]) =>
            e.and([e('p.lon_centi', '>=', west), e('p.lon_centi', '<=', east)]),
          ),
        ),
      );
    } else {
      inBox = inBox.where('p.lon_centi', 'is not', null);
    }
    query = query.where('r.id', 'in', inBox);
  }
  if (f.without !== undefined) {
    query = query.where('r.id', 'not in', physicalIds(q, f.without === 'coordinates'));
  }
  if (f.after !== undefined) {
    const { nameKey, id } = f.after;
    query = query.where((eb) =>
      eb.or([
        eb('r.name_key', '>', nameKey),
        eb.and([eb('r.name_key', '=', nameKey), eb('r.id', '>', id)]),
      ]),
    );
  }
  query = query.orderBy('r.name_key').orderBy('r.id');
  if (f.limit !== undefined) query = query.limit(f.limit);
  return query.execute();
}

/** Physical locations with coordinates of these resources. */
export async function centresOf(
  q: Q,
  resourceIds: readonly string[],
): Promise<{ resource_id: string; lat_centi: number; lon_centi: number }[]> {
  if (resourceIds.length === 0) return [];
  const rows = await q
    .selectFrom('resource_locations')
    .select(['resource_id', 'lat_centi', 'lon_centi'])
    .where('resource_id', 'in', [...resourceIds])
    .where('physical', '=', 1)
    .where('lat_centi', 'is not', null)
    .execute();
  return rows.map((r) => ({
    resource_id: r.resource_id,
    lat_centi: Number(r.lat_centi),
    lon_centi: Number(r.lon_centi),
  }));
}

/** Open flags per resource, and whether `accountId` has one open. */
export async function openFlagsOf(
  q: Q,
  resourceIds: readonly string[],
  accountId: string,
): Promise<Map<string, { count: number; mine: boolean }>> {
  const out = new Map<string, { count: number; mine: boolean }>();
  if (resourceIds.length === 0) return out;
  const rows = await q
    .selectFrom('resource_flags')
    .select(['resource_id', 'account_id'])
    .where('resource_id', 'in', [...resourceIds])
    .where('resolved_at', 'is', null)
    .execute();
  for (const r of rows) {
    const e = out.get(r.resource_id) ?? { count: 0, mine: false };
    out.set(r.resource_id, {
      count: e.count + 1,
      mine: e.mine || r.account_id === accountId,
    });
  }
  return out;
}

/** Resources changed after `since` (retired ones included), oldest change first. */
export async function changesSince(q: Q, since: number, limit: number): Promise<ResourceView[]> {
  return resourcesWithOrg(q)
    .where('r.change_seq', '>', since)
    .orderBy('r.change_seq')
    .limit(limit)
    .execute();
}

// ─── Kinds and keepers ──────────────────────────────────────────────────────────────────────────

export async function listKinds(q: Q): Promise<KindRow[]> {
  return q.selectFrom('resource_kinds').selectAll().orderBy('id').execute();
}

export async function findKind(q: Q, id: string): Promise<KindRow | undefined> {
  return q.selectFrom('resource_kinds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertKind(trx: Trx, row: KindRow): Promise<void> {
  await trx.insertInto('resource_kinds').values(row).execute();
}

export async function updateKind(
  trx: Trx,
  id: string,
  patch: Partial<Pick<KindRow, 'label' | 'retired_at'>>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await trx.updateTable('resource_kinds').set(patch).where('id', '=', id).execute();
}

export async function isKeeper(q: Q, accountId: string): Promise<boolean> {
  return (
    (await q
      .selectFrom('resource_keepers')
      .select('account_id')
      .where('account_id', '=', accountId)
      .executeTakeFirst()) !== undefined
  );
}

export async function listKeepers(q: Q) {
  return q
    .selectFrom('resource_keepers as k')
    .innerJoin('accounts as a', 'a.id', 'k.account_id')
    .select(['k.account_id', 'a.handle', 'k.added_at'])
    .orderBy('a.handle')
    .execute();
}

export async function accountExists(q: Q, accountId: string): Promise<boolean> {
  return (
    (await q.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst()) !==
    undefined
  );
}

export async function insertKeeper(
  trx: Trx,
  row: { account_id: string; added_by: string; added_at: string },
): Promise<void> {
  await trx
    .insertInto('resource_keepers')
    .values(row)
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
}

export async function deleteKeeper(trx: Trx, accountId: string): Promise<boolean> {
  const r = await trx
    .deleteFrom('resource_keepers')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ─── Out-of-date flags ──────────────────────────────────────────────────────────────────────────

export type FlagRow = ResourceFlagsTable;
export type FlagView = FlagRow & {
  readonly resource_name: string;
  readonly by_handle: string | null;
  readonly resolved_by_handle: string | null;
};

function flagsWithNames(q: Q) {
  return q
    .selectFrom('resource_flags as f')
    .innerJoin('resources as r', 'r.id', 'f.resource_id')
    .leftJoin('accounts as b', 'b.id', 'f.account_id')
    .leftJoin('accounts as s', 's.id', 'f.resolved_by')
    .selectAll('f')
    .select([
      sql<string>`r.content`.as('resource_content'),
      'b.handle as by_handle',
      's.handle as resolved_by_handle',
    ]);
}

const withName = <T extends { resource_content: string }>(row: T) => {
  const { resource_content, ...rest } = row;
  return { ...rest, resource_name: (JSON.parse(resource_content) as { name: string }).name };
};

export async function insertFlag(trx: Trx, row: FlagRow): Promise<void> {
  await trx.insertInto('resource_flags').values(row).execute();
}

export async function findFlag(q: Q, id: string): Promise<FlagView | undefined> {
  const row = await flagsWithNames(q).where('f.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : withName(row);
}

export async function openFlagBy(q: Q, resourceId: string, accountId: string): Promise<boolean> {
  return (
    (await q
      .selectFrom('resource_flags')
      .select('id')
      .where('resource_id', '=', resourceId)
      .where('account_id', '=', accountId)
      .where('resolved_at', 'is', null)
      .executeTakeFirst()) !== undefined
  );
}

/** Flags `accountId` made since `since` (ISO), for the daily limit. */
export async function flagsSince(q: Q, accountId: string, since: string): Promise<number> {
  const row = await q
    .selectFrom('resource_flags')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', accountId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Flags open or resolved, oldest first, then by id. */
export async function listFlags(
  q: Q,
  f: {
    readonly open: boolean;
    readonly resourceId?: string;
    readonly after?: { readonly createdAt: string; readonly id: string };
    readonly limit: number;
  },
): Promise<FlagView[]> {
  let query = flagsWithNames(q).where('f.resolved_at', f.open ? 'is' : 'is not', null);
  if (f.resourceId !== undefined) query = query.where('f.resource_id', '=', f.resourceId);
  if (f.after !== undefined) {
    const { createdAt, id } = f.after;
    query = query.where((eb) =>
      eb.or([
        eb('f.created_at', '>', createdAt),
        eb.and([eb('f.created_at', '=', createdAt), eb('f.id', '>', id)]),
      ]),
    );
  }
  const rows = await query.orderBy('f.created_at').orderBy('f.id').limit(f.limit).execute();
  return rows.map(withName);
}

/** Resolves an open flag; false when it was resolved already (or meanwhile). */
export async function resolveFlagRow(
  trx: Trx,
  id: string,
  set: { resolved_at: string; resolved_by: string; resolve_note: string | null },
): Promise<boolean> {
  const r = await trx
    .updateTable('resource_flags')
    .set(set)
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ─── Suggestions ────────────────────────────────────────────────────────────────────────────────

export type SuggestionRow = ResourceSuggestionsTable;
export type SuggestionView = SuggestionRow & {
  readonly author_handle: string | null;
  readonly reviewed_by_handle: string | null;
};

function suggestionsWithHandles(q: Q) {
  return q
    .selectFrom('resource_suggestions as g')
    .leftJoin('accounts as a', 'a.id', 'g.author_id')
    .leftJoin('accounts as v', 'v.id', 'g.reviewed_by')
    .selectAll('g')
    .select(['a.handle as author_handle', 'v.handle as reviewed_by_handle']);
}

export async function insertSuggestion(trx: Trx, row: SuggestionRow): Promise<void> {
  await trx.insertInto('resource_suggestions').values(row).execute();
}

export async function findSuggestion(q: Q, id: string): Promise<SuggestionView | undefined> {
  return suggestionsWithHandles(q).where('g.id', '=', id).executeTakeFirst();
}

export async function suggestionIdExists(q: Q, id: string): Promise<boolean> {
  return (
    (await q
      .selectFrom('resource_suggestions')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst()) !== undefined
  );
}

/** Suggestions by `authorId`: made since `since` (ISO), or open (`since` null). */
export async function suggestionsBy(q: Q, authorId: string, since: string | null): Promise<number> {
  let query = q
    .selectFrom('resource_suggestions')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('author_id', '=', authorId);
  query =
    since === null ? query.where('status', '=', 'open') : query.where('created_at', '>', since);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Suggestions of one status, oldest first, then by id. */
export async function listSuggestions(
  q: Q,
  f: {
    readonly status: SuggestionRow['status'];
    readonly authorId?: string;
    readonly resourceId?: string;
    readonly after?: { readonly createdAt: string; readonly id: string };
    readonly limit: number;
  },
): Promise<SuggestionView[]> {
  let query = suggestionsWithHandles(q).where('g.status', '=', f.status);
  if (f.authorId !== undefined) query = query.where('g.author_id', '=', f.authorId);
  if (f.resourceId !== undefined) query = query.where('g.resource_id', '=', f.resourceId);
  if (f.after !== undefined) {
    const { createdAt, id } = f.after;
    query = query.where((eb) =>
      eb.or([
        eb('g.created_at', '>', createdAt),
        eb.and([eb('g.created_at', '=', createdAt), eb('g.id', '>', id)]),
      ]),
    );
  }
  return query.orderBy('g.created_at').orderBy('g.id').limit(f.limit).execute();
}

/** Closes an open suggestion; false when it was closed already (or meanwhile). */
export async function closeSuggestion(
  trx: Trx,
  id: string,
  set: Pick<
    SuggestionRow,
    'status' | 'reviewed_by' | 'reviewed_at' | 'review_note' | 'published_version'
  > &
    Partial<Pick<SuggestionRow, 'resource_id'>>,
): Promise<boolean> {
  const r = await trx
    .updateTable('resource_suggestions')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Every resource not retired, by name (the export). */
export async function allListed(q: Q): Promise<ResourceView[]> {
  return resourcesWithOrg(q)
    .where('r.retired_at', 'is', null)
    .orderBy('r.name_key')
    .orderBy('r.id')
    .execute();
}

// ─── Keepers' daily notice ──────────────────────────────────────────────────────────────────────

/** Whether this account opted in to the daily "New suggestions" notification. */
export async function dailySuggestionsChoice(q: Q, accountId: string): Promise<boolean> {
  const row = await q
    .selectFrom('resource_keeper_notify')
    .select('daily_suggestions')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.daily_suggestions === 1;
}

export async function setDailySuggestionsChoice(
  trx: Trx,
  accountId: string,
  on: boolean,
): Promise<void> {
  await trx
    .insertInto('resource_keeper_notify')
    .values({ account_id: accountId, daily_suggestions: on ? 1 : 0, last_sent_at: null })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ daily_suggestions: on ? 1 : 0 }))
    .execute();
}

/**
 * Of `accountIds`, those opted in whose last notice was queued before `since` (or never), in id
 * order.
 */
export async function dueForDailySuggestions(
  trx: Trx,
  accountIds: readonly string[],
  since: string,
): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await trx
    .selectFrom('resource_keeper_notify')
    .select('account_id')
    .where('account_id', 'in', accountIds)
    .where('daily_suggestions', '=', 1)
    .where((eb) => eb.or([eb('last_sent_at', 'is', null), eb('last_sent_at', '<=', since)]))
    .orderBy('account_id')
    .execute();
  return rows.map((r) => r.account_id);
}

export async function markDailySuggestionsSent(
  trx: Trx,
  accountId: string,
  at: string,
): Promise<void> {
  await trx
    .updateTable('resource_keeper_notify')
    .set({ last_sent_at: at })
    .where('account_id', '=', accountId)
    .execute();
}
