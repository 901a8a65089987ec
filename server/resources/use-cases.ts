import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Papa from 'papaparse';
import { distanceKm, fromCenti, toCenti, type Centre } from '../../core/src/aid/areas.js';
import { fromBase64url, toBase64url } from '../../core/src/encoding/base64url.js';
import type { ErrorCode } from '../../core/src/errors.js';
import { err, ok, type Result } from '../../core/src/result.js';
import type { FLAG_REASONS, EXPORT_FILES } from '../../core/src/resources/api.js';
import {
  BUILTIN_KINDS,
  RESOURCE_LIMITS,
  isBuiltinKind,
  reachWays,
  type Resource,
  type ResourceContent,
  type ResourceWire,
  type RevisionKind,
  type SearchQuery,
} from '../../core/src/resources/api.js';
import {
  CRISIS_FILTERS,
  crisisColumns,
  daysSince,
  passesCrisisFilters,
  type CrisisFact,
} from '../../core/src/resources/crisis.js';
import { diffResources } from '../../core/src/resources/diff.js';
import { boxAround } from '../../core/src/resources/distance.js';
import { hoursKnown, isOpenAt } from '../../core/src/resources/hours.js';
import {
  TABULAR_COLUMNS,
  readHsdsJson,
  readHsdsTabular,
  toHsdsPage,
  toTabular,
  type ImportIssue,
} from '../../core/src/resources/hsds.js';
import type { Auth } from '../accounts/sessions.js';
import { findArea } from '../aid/repository.js';
import { commit, fail, type CircleDeps } from '../circles/commit.js';
import type { Db, Engine, Tx } from '../db/database.js';
import { isUniqueViolation } from '../groups/repository.js';
import { findRepoRoot } from '../start.js';
import {
  dailySuggestionNotices,
  flagCreated,
  suggestionArrived,
  suggestionLookedAt,
} from './events.js';
import {
  accountExists,
  allListed,
  closeSuggestion,
  centresOf,
  changesSince,
  deleteKeeper,
  findFlag,
  findKind,
  flagsSince,
  findResource,
  findRevision,
  findSuggestion,
  insertFlag,
  insertKeeper,
  insertKind,
  insertRevision,
  insertSuggestion,
  isKeeper,
  dailySuggestionsChoice,
  setDailySuggestionsChoice,
  listFlags,
  listKeepers,
  listKinds,
  listRevisions,
  listSuggestions,
  lockResource,
  nextChangeSeq,
  openFlagBy,
  openFlagsOf,
  resolveFlagRow,
  resourceIdExists,
  searchResources,
  setRetired,
  suggestionIdExists,
  suggestionsBy,
  updateKind,
  writeResource,
  type FlagView,
  type KindRow,
  type ResourceRow,
  type ResourceView,
  type RevisionView,
  type SearchFilters,
  type SuggestionView,
} from './repository.js';

/**
 * The resource directory (docs/RESOURCES.md): search, reading, keepers' edits as versions with
 * their history, kinds and keepers. Every expected failure is a typed result
 * (`ResourceFailure`) that the routes send as it is; nothing is written on any refusal.
 */

export interface ResourceDeps extends CircleDeps {
  readonly engine: Engine;
}

export interface ResourceFailure {
  readonly status: 400 | 403 | 404 | 409 | 422 | 429;
  readonly code: ErrorCode;
  readonly message: string;
  /** 429: seconds until it can be tried again. */
  readonly retryAfterSeconds?: number;
}

type R<T> = Promise<Result<T, ResourceFailure>>;

const failure = (
  status: ResourceFailure['status'],
  code: ErrorCode,
  message: string,
): ResourceFailure => ({ status, code, message });
const notFound = () => failure(404, 'not_found', 'There is no such resource.');
const invalid = (message: string) => failure(400, 'invalid_input', message);
const keepersOnly = () =>
  failure(403, 'forbidden', 'Only directory keepers can change the directory directly.');
const adminOnly = (auth: Auth) =>
  auth.role === 'admin' ? null : failure(403, 'forbidden', 'Only instance admins can do that.');

/** Keepers and instance admins keep the directory. */
export async function keeps(db: Db | Tx, auth: Auth): Promise<boolean> {
  return auth.role === 'admin' || (await isKeeper(db, auth.accountId));
}

// ─── Wire ───────────────────────────────────────────────────────────────────────────────────────

/** The content as published, with its organization as it stands now (shared by its resources). */
function contentOf(v: ResourceView): ResourceContent {
  const c = JSON.parse(v.content) as ResourceContent;
  return {
    ...c,
    organization: {
      id: v.organization_id,
      name: v.org_name,
      description: v.org_description,
      website: v.org_website,
    },
  };
}

const isStaleEntry = (checkedOn: string | null, nowMs: number) =>
  checkedOn === null || daysSince(checkedOn, nowMs) > RESOURCE_LIMITS.staleDays;

function toWire(
  v: ResourceView,
  now: Date,
  flags: { count: number; mine: boolean } | undefined,
  distance: number | null = null,
): ResourceWire {
  return {
    id: v.id,
    version: Number(v.version),
    content: contentOf(v),
    retired: v.retired_at !== null,
    stale: isStaleEntry(v.checked_on, now.getTime()),
    openFlags: flags?.count ?? 0,
    flaggedByMe: flags?.mine ?? false,
    createdAt: v.created_at,
    updatedAt: v.updated_at,
    distanceKm: distance === null ? null : Math.round(distance * 10) / 10,
  };
}

async function wires(
  db: Db,
  auth: Auth,
  rows: readonly ResourceView[],
  now: Date,
  distances?: Map<string, number>,
): Promise<ResourceWire[]> {
  const flags = await openFlagsOf(
    db,
    rows.map((r) => r.id),
    auth.accountId,
  );
  return rows.map((r) => toWire(r, now, flags.get(r.id), distances?.get(r.id) ?? null));
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────────

export async function roles(db: Db, auth: Auth) {
  return ok({ keeper: await keeps(db, auth), admin: auth.role === 'admin' });
}

export async function getResource(
  db: Db,
  auth: Auth,
  id: string,
  now: Date,
): R<{ resource: ResourceWire }> {
  const row = await findResource(db, id);
  if (row === undefined) return err(notFound());
  if (row.retired_at !== null && !(await keeps(db, auth))) return err(notFound());
  return ok({ resource: (await wires(db, auth, [row], now))[0]! });
}

const personRef = (id: string | null, handle: string | null) =>
  id === null || handle === null ? null : { accountId: id, handle };

function toRevisionWire(v: RevisionView) {
  return {
    version: Number(v.version),
    kind: v.kind as RevisionKind,
    by: personRef(v.by_id, v.by_handle),
    suggestionId: v.suggestion_id,
    suggestedBy: personRef(v.suggested_by_id, v.suggested_by_handle),
    note: v.note,
    createdAt: v.created_at,
  };
}

async function readable(db: Db, auth: Auth, id: string): Promise<boolean> {
  const row = await findResource(db, id);
  if (row === undefined) return false;
  return row.retired_at === null || (await keeps(db, auth));
}

export async function history(db: Db, auth: Auth, id: string) {
  if (!(await readable(db, auth, id))) return err(notFound());
  return ok({ revisions: (await listRevisions(db, id)).map(toRevisionWire) });
}

export async function revision(db: Db, auth: Auth, id: string, version: number) {
  if (!(await readable(db, auth, id))) return err(notFound());
  const v = await findRevision(db, id, version);
  if (v === undefined) return err(failure(404, 'not_found', 'There is no such version.'));
  return ok({
    revision: {
      ...toRevisionWire(v),
      content: JSON.parse(v.content) as ResourceContent,
      retired: v.retired === 1,
    },
  });
}

/** The changes feed: every resource changed since `since` (a number from an earlier answer). */
export async function changes(
  db: Db,
  auth: Auth,
  query: { since?: string | undefined; limit: number },
  now: Date,
) {
  let since = 0;
  if (query.since !== undefined) {
    if (!/^\d{1,15}$/.test(query.since)) return err(invalid('since is not a cursor from Tend.'));
    since = Number(query.since);
  }
  const rows = await changesSince(db, since, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return ok({
    changes: await wires(db, auth, page, now),
    cursor: String(last === undefined ? since : Number(last.change_seq)),
    complete: rows.length <= query.limit,
  });
}

// ─── Search ─────────────────────────────────────────────────────────────────────────────────────

/** The words of `q`: letters and digits, lower case; everything else separates words. */
export function searchWords(q: string | undefined): string[] {
  if (q === undefined) return [];
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

const CRISIS_COLUMN: Record<
  CrisisFact,
  'crisis_police' | 'crisis_hold' | 'crisis_tracing' | 'crisis_sharing'
> = {
  policeWithoutConsent: 'crisis_police',
  involuntaryHold: 'crisis_hold',
  tracesCalls: 'crisis_tracing',
  sharesWithoutConsent: 'crisis_sharing',
};

const encodeCursor = (v: readonly (string | number)[]) =>
  toBase64url(new TextEncoder().encode(JSON.stringify(v)));
function decodeCursor(c: string): unknown[] | null {
  const bytes = fromBase64url(c);
  if (bytes === undefined) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const BATCH = 200;

export async function search(
  deps: ResourceDeps,
  auth: Auth,
  query: SearchQuery,
  now: Date,
): R<{ resources: ResourceWire[]; nextCursor: string | null }> {
  const db = deps.db;
  const words = searchWords(query.q);
  if (words.length > RESOURCE_LIMITS.searchWords) {
    return err(invalid(`Search with at most ${RESOURCE_LIMITS.searchWords} words.`));
  }
  if (query.kind !== undefined) {
    const own = new Set((await listKinds(db)).map((k) => k.id));
    const unknown = query.kind.find((k) => !isBuiltinKind(k) && !own.has(k));
    if (unknown !== undefined) {
      return err(failure(400, 'unknown_kind', `There is no kind "${unknown}".`));
    }
  }
  let centre: Centre | null = null;
  if (query.near !== undefined) centre = fromCenti(toCenti(query.near.lat, query.near.lon));
  if (query.area !== undefined) {
    const area = await findArea(db, query.area);
    if (area === undefined || area.retired_at !== null) {
      return err(failure(400, 'unknown_area', 'There is no such area.'));
    }
    centre = fromCenti({ latCenti: Number(area.lat_centi), lonCenti: Number(area.lon_centi) });
  }
  const atMs = query.at === undefined ? now.getTime() : Date.parse(query.at);
  const crisis = query.crisis ?? [];
  const base: SearchFilters = {
    words,
    ...(query.kind === undefined ? {} : { kinds: query.kind }),
    ...(query.language === undefined ? {} : { languages: query.language }),
    ...(query.cost === undefined ? {} : { costs: query.cost }),
    ...(query.reach === undefined ? {} : { reach: query.reach }),
    crisisNo: crisis.map((f) => CRISIS_COLUMN[CRISIS_FILTERS[f]]),
    statuses: query.status === 'all' ? 'all' : ['active', 'temporarily closed'],
    ...(query.openNow === true ? { hoursKnown: true } : {}),
  };
  /** What SQL cannot decide: open at `at`, fresh crisis checks. */
  const passes = (v: ResourceView): boolean => {
    const c = JSON.parse(v.content) as ResourceContent;
    if (query.openNow === true && isOpenAt(c.hours, atMs) !== true) return false;
    if (query.fresh === true && crisis.length > 0) {
      if (!passesCrisisFilters(c.crisis, crisis, { freshOnly: true, nowMs: now.getTime() })) {
        return false;
      }
    }
    return true;
  };

  /**
   * Up to `limit` resources by name after `after` that pass, skipping the first `skip` of them,
   * read a batch at a time; `more` when others follow.
   */
  const byName = async (
    filters: SearchFilters,
    after: SearchFilters['after'],
    limit: number,
    skip = 0,
  ): Promise<{ found: ResourceView[]; more: boolean }> => {
    const found: ResourceView[] = [];
    let skipped = 0;
    for (;;) {
      const batch = await searchResources(db, deps.engine, {
        ...filters,
        ...(after === undefined ? {} : { after }),
        limit: BATCH,
      });
      for (const v of batch) {
        if (!passes(v)) continue;
        if (skipped < skip) skipped++;
        else found.push(v);
        if (found.length > limit) break;
      }
      const last = batch.at(-1);
      if (found.length > limit || batch.length < BATCH || last === undefined) break;
      after = { nameKey: last.name_key, id: last.id };
    }
    return { found: found.slice(0, limit), more: found.length > limit };
  };
  const nameCursor = (tag: 'n' | 'a', page: readonly ResourceView[]) => {
    const last = page.at(-1);
    return last === undefined ? null : encodeCursor([tag, last.name_key, last.id]);
  };
  // The cursor, read once: ['n', name, id] by name; by distance ['d', offset] among the places,
  // ['a', name, id] among the rest. null: none given; 'bad': not one of Tend's.
  const cursor = query.cursor === undefined ? null : (decodeCursor(query.cursor) ?? 'bad');
  const afterOf = (tag: 'n' | 'a'): SearchFilters['after'] | 'bad' => {
    if (cursor === null) return undefined;
    if (
      cursor === 'bad' ||
      cursor[0] !== tag ||
      typeof cursor[1] !== 'string' ||
      typeof cursor[2] !== 'string'
    ) {
      return 'bad';
    }
    return { nameKey: cursor[1], id: cursor[2] };
  };
  const badCursor = () => err(invalid('cursor is not a page cursor from Tend.'));

  if (centre === null) {
    const after = afterOf('n');
    if (after === 'bad') return badCursor();
    const { found, more } = await byName(base, after, query.limit);
    return ok({
      resources: await wires(db, auth, found, now),
      nextCursor: more ? nameCursor('n', found) : null,
    });
  }

  // By distance: first the places that can be measured (inside the box when `withinKm`), every
  // one of them read and sorted nearest first; then, by name and a batch at a time, those with
  // no place to measure (lines and chats that reach anywhere). An offset past the places skips
  // into the rest.
  const rest: SearchFilters | null =
    query.withinKm === undefined
      ? { ...base, without: 'coordinates' }
      : query.inPersonOnly === true
        ? null
        : { ...base, without: 'physical' };
  if (cursor !== null && cursor !== 'bad' && cursor[0] === 'a') {
    const after = afterOf('a');
    if (after === 'bad') return badCursor();
    if (rest === null) return ok({ resources: [], nextCursor: null });
    const { found, more } = await byName(rest, after, query.limit);
    return ok({
      resources: await wires(db, auth, found, now),
      nextCursor: more ? nameCursor('a', found) : null,
    });
  }
  let offset = 0;
  if (cursor !== null) {
    if (
      cursor === 'bad' ||
      cursor[0] !== 'd' ||
      typeof cursor[1] !== 'number' ||
      !Number.isInteger(cursor[1]) ||
      cursor[1] < 0
    ) {
      return badCursor();
    }
    offset = cursor[1];
  }
  const located: SearchFilters = {
    ...base,
    box:
      query.withinKm === undefined
        ? { lat: [-9_000, 9_000], lon: [[-18_000, 17_999]] }
        : boxAround(centre, query.withinKm),
  };
  const candidates = (await searchResources(db, deps.engine, located)).filter(passes);
  const centres = await centresOf(
    db,
    candidates.map((v) => v.id),
  );
  const distances = new Map<string, number>();
  for (const l of centres) {
    const d = distanceKm(centre, fromCenti({ latCenti: l.lat_centi, lonCenti: l.lon_centi }));
    const prev = distances.get(l.resource_id);
    if (prev === undefined || d < prev) distances.set(l.resource_id, d);
  }
  const places = candidates.filter((v) => {
    const d = distances.get(v.id);
    return d !== undefined && (query.withinKm === undefined || d <= query.withinKm);
  });
  places.sort(
    (a, b) =>
      distances.get(a.id)! - distances.get(b.id)! ||
      (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id < b.id ? -1 : 1),
  );
  const page = places.slice(offset, offset + query.limit);
  if (places.length > offset + query.limit) {
    return ok({
      resources: await wires(db, auth, page, now, distances),
      nextCursor: encodeCursor(['d', offset + query.limit]),
    });
  }
  // The places end on this page: fill it from the rest.
  const more =
    rest === null
      ? { found: [], more: false }
      : await byName(
          rest,
          undefined,
          query.limit - page.length,
          Math.max(0, offset - places.length),
        );
  const whole = [...page, ...more.found];
  const tail = more.found.length > 0 ? nameCursor('a', more.found) : null;
  return ok({
    resources: await wires(db, auth, whole, now, distances),
    nextCursor: !more.more ? null : (tail ?? encodeCursor(['d', offset + query.limit])),
  });
}

// ─── Writing ────────────────────────────────────────────────────────────────────────────────────

async function kindLabels(trx: Tx): Promise<Map<string, KindRow>> {
  return new Map((await listKinds(trx)).map((k) => [k.id, k]));
}

/** Kinds a write may newly give a resource: built-ins and the instance's kinds not retired. */
function unknownKind(
  kinds: readonly string[],
  own: Map<string, KindRow>,
  already: readonly string[] = [],
): string | undefined {
  return kinds.find((k) => {
    if (already.includes(k) || isBuiltinKind(k)) return false;
    const row = own.get(k);
    return row === undefined || row.retired_at !== null;
  });
}

function searchTextOf(c: ResourceContent, own: Map<string, KindRow>): string {
  return [
    c.name,
    c.alternateName,
    c.description,
    c.organization.name,
    c.serviceArea?.name,
    c.serviceArea?.description,
    ...c.locations.map((l) => l.name),
    ...c.kinds.map((k) => own.get(k)?.label ?? k.replaceAll('-', ' ')),
  ]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .join('\n');
}

/**
 * What `writeResource` stores for `content` as one version: the row with its filter columns, the
 * kind links, languages, locations in 0.01° cells and the searchable text (the bench writes
 * through it too, so its rows are the server's).
 */
export function resourceWrite(
  id: string,
  content: ResourceContent,
  bookkeeping: {
    version: number;
    createdAt: string;
    updatedAt: string;
    retiredAt: string | null;
    changeSeq: number;
  },
  ownKinds: Map<string, KindRow> = new Map(),
): Parameters<typeof writeResource>[2] {
  const crisis = crisisColumns(content.crisis);
  const languages = new Set<string>([
    ...content.languages,
    ...content.phones.flatMap((p) => p.languages),
  ]);
  const row: ResourceRow = {
    id,
    version: bookkeeping.version,
    content: JSON.stringify(content),
    name_key: content.name.toLocaleLowerCase('en').normalize('NFC'),
    organization_id: content.organization.id,
    status: content.status,
    retired_at: bookkeeping.retiredAt,
    hours_known: hoursKnown(content.hours) ? 1 : 0,
    cost_kind: content.cost?.kind ?? null,
    reach: JSON.stringify(reachWays(content)),
    crisis_police: crisis.values.policeWithoutConsent,
    crisis_hold: crisis.values.involuntaryHold,
    crisis_tracing: crisis.values.tracesCalls,
    crisis_sharing: crisis.values.sharesWithoutConsent,
    crisis_police_checked_on: crisis.checkedOn.policeWithoutConsent,
    crisis_hold_checked_on: crisis.checkedOn.involuntaryHold,
    crisis_tracing_checked_on: crisis.checkedOn.tracesCalls,
    crisis_sharing_checked_on: crisis.checkedOn.sharesWithoutConsent,
    checked_on: content.checkedOn,
    created_at: bookkeeping.createdAt,
    updated_at: bookkeeping.updatedAt,
    change_seq: bookkeeping.changeSeq,
  };
  return {
    row,
    organization: content.organization,
    kinds: content.kinds,
    languages: [...languages],
    locations: content.locations.map((l) => {
      const centi = l.lat === null || l.lon === null ? null : toCenti(l.lat, l.lon);
      return {
        id: l.id,
        physical: l.type === 'physical',
        latCenti: centi?.latCenti ?? null,
        lonCenti: centi?.lonCenti ?? null,
      };
    }),
    searchText: searchTextOf(content, ownKinds),
  };
}

/** Writes `content` as the resource's version `version` (row, filters, search, organization). */
async function writeVersion(
  deps: ResourceDeps,
  trx: Tx,
  id: string,
  content: ResourceContent,
  bookkeeping: { version: number; createdAt: string; retiredAt: string | null },
  now: Date,
): Promise<void> {
  const own = await kindLabels(trx);
  await writeResource(
    trx,
    deps.engine,
    resourceWrite(
      id,
      content,
      { ...bookkeeping, updatedAt: now.toISOString(), changeSeq: await nextChangeSeq(trx) },
      own,
    ),
  );
}

interface RevisionMeta {
  readonly kind: RevisionKind;
  readonly byId: string | null;
  readonly note: string | null;
  readonly suggestionId?: string | null;
  readonly suggestedById?: string | null;
}

async function addRevision(
  trx: Tx,
  id: string,
  version: number,
  content: ResourceContent,
  retired: boolean,
  meta: RevisionMeta,
  now: Date,
) {
  await insertRevision(trx, {
    resource_id: id,
    version,
    kind: meta.kind,
    content: JSON.stringify(content),
    retired: retired ? 1 : 0,
    by_id: meta.byId,
    suggestion_id: meta.suggestionId ?? null,
    suggested_by_id: meta.suggestedById ?? null,
    note: meta.note,
    created_at: now.toISOString(),
  });
}

async function answer(deps: ResourceDeps, trx: Tx, auth: Auth, id: string, now: Date) {
  const row = await findResource(trx, id);
  const flags = await openFlagsOf(trx, [id], auth.accountId);
  return { resource: toWire(row!, now, flags.get(id)) };
}

export async function createResource(
  deps: ResourceDeps,
  auth: Auth,
  input: { id: string; content: ResourceContent; note: string | null },
  now: Date,
): R<{ resource: ResourceWire }> {
  if (!(await keeps(deps.db, auth))) return err(keepersOnly());
  const taken = () => failure(409, 'conflict', 'There is already a resource with that id.');
  try {
    return await commit(deps, now, async (trx) => {
      if (await resourceIdExists(trx, input.id)) return fail(taken());
      const bad = unknownKind(input.content.kinds, await kindLabels(trx));
      if (bad !== undefined)
        return fail(failure(400, 'unknown_kind', `There is no kind "${bad}".`));
      await writeVersion(
        deps,
        trx,
        input.id,
        input.content,
        { version: 1, createdAt: now.toISOString(), retiredAt: null },
        now,
      );
      await addRevision(
        trx,
        input.id,
        1,
        input.content,
        false,
        { kind: 'created', byId: auth.accountId, note: input.note },
        now,
      );
      return { value: await answer(deps, trx, auth, input.id, now), events: [] };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err(taken());
    throw e;
  }
}

/**
 * A new version of a resource written against `baseVersion`, under the resource's row lock:
 * `409 resource_changed` when it moved on, `resource_retired` when retired, `no_change` when the
 * content is the same (unless `allowSame`, for "checked today").
 */
async function newVersion(
  deps: ResourceDeps,
  auth: Auth,
  id: string,
  baseVersion: number,
  make: (current: ResourceContent) => ResourceContent,
  meta: RevisionMeta,
  now: Date,
  allowSame = false,
): R<{ resource: ResourceWire }> {
  if (!(await keeps(deps.db, auth))) return err(keepersOnly());
  return commit(deps, now, async (trx) => {
    const row = await lockResource(trx, id);
    if (row === undefined) return fail(notFound());
    if (row.retired_at !== null) {
      return fail(failure(409, 'resource_retired', 'This resource is retired: restore it first.'));
    }
    if (Number(row.version) !== baseVersion) {
      return fail(
        failure(
          409,
          'resource_changed',
          'Someone changed this resource since you opened it. Look at the newer version first.',
        ),
      );
    }
    const current = contentOf(row);
    const content = make(current);
    if (!allowSame && isDeepStrictEqual(content, current)) {
      return fail(failure(409, 'no_change', 'Nothing differs from the current version.'));
    }
    const bad = unknownKind(content.kinds, await kindLabels(trx), current.kinds);
    if (bad !== undefined) return fail(failure(400, 'unknown_kind', `There is no kind "${bad}".`));
    const version = Number(row.version) + 1;
    await writeVersion(
      deps,
      trx,
      id,
      content,
      { version, createdAt: row.created_at, retiredAt: null },
      now,
    );
    await addRevision(trx, id, version, content, false, meta, now);
    return { value: await answer(deps, trx, auth, id, now), events: [] };
  });
}

export function editResource(
  deps: ResourceDeps,
  auth: Auth,
  id: string,
  input: { baseVersion: number; content: ResourceContent; note: string | null },
  now: Date,
) {
  return newVersion(
    deps,
    auth,
    id,
    input.baseVersion,
    () => input.content,
    { kind: 'edited', byId: auth.accountId, note: input.note },
    now,
  );
}

export function markChecked(
  deps: ResourceDeps,
  auth: Auth,
  id: string,
  input: { baseVersion: number; note: string | null },
  now: Date,
) {
  return newVersion(
    deps,
    auth,
    id,
    input.baseVersion,
    (c) => ({ ...c, checkedOn: now.toISOString().slice(0, 10) }),
    { kind: 'checked', byId: auth.accountId, note: input.note },
    now,
    true,
  );
}

export async function retireResource(
  deps: ResourceDeps,
  auth: Auth,
  id: string,
  input: { retired: boolean; note: string | null },
  now: Date,
): R<{ resource: ResourceWire }> {
  if (!(await keeps(deps.db, auth))) return err(keepersOnly());
  return commit(deps, now, async (trx) => {
    const row = await lockResource(trx, id);
    if (row === undefined) return fail(notFound());
    if ((row.retired_at !== null) === input.retired) {
      return fail(
        failure(
          409,
          'no_change',
          input.retired ? 'This resource is already retired.' : 'This resource is listed already.',
        ),
      );
    }
    const version = Number(row.version) + 1;
    await setRetired(trx, id, {
      retired_at: input.retired ? now.toISOString() : null,
      version,
      updated_at: now.toISOString(),
      change_seq: await nextChangeSeq(trx),
    });
    await addRevision(
      trx,
      id,
      version,
      contentOf(row),
      input.retired,
      { kind: input.retired ? 'retired' : 'restored', byId: auth.accountId, note: input.note },
      now,
    );
    return { value: await answer(deps, trx, auth, id, now), events: [] };
  });
}

// ─── Kinds ──────────────────────────────────────────────────────────────────────────────────────

const toKindWire = (k: KindRow) => ({
  id: k.id,
  label: k.label,
  builtin: false,
  retired: k.retired_at !== null,
});

export async function kinds(db: Db) {
  return ok({
    kinds: [
      ...BUILTIN_KINDS.map((id) => ({ id, label: null, builtin: true, retired: false })),
      ...(await listKinds(db)).map(toKindWire),
    ],
  });
}

export async function createKind(
  deps: ResourceDeps,
  auth: Auth,
  input: { id: string; label: string },
  now: Date,
): R<ReturnType<typeof toKindWire>> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  const taken = () => failure(409, 'kind_taken', 'There is already a kind with that id.');
  try {
    return await commit(deps, now, async (trx) => {
      if ((await findKind(trx, input.id)) !== undefined) return fail(taken());
      const row: KindRow = {
        id: input.id,
        label: input.label,
        created_by: auth.accountId,
        created_at: now.toISOString(),
        retired_at: null,
      };
      await insertKind(trx, row);
      return { value: toKindWire(row), events: [] };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err(taken());
    throw e;
  }
}

export async function changeKind(
  deps: ResourceDeps,
  auth: Auth,
  id: string,
  input: { label?: string | undefined; retired?: boolean | undefined },
  now: Date,
): R<ReturnType<typeof toKindWire>> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  return commit(deps, now, async (trx) => {
    const row = await findKind(trx, id);
    if (row === undefined) return fail(failure(404, 'not_found', 'There is no such kind.'));
    const patch = {
      ...(input.label === undefined ? {} : { label: input.label }),
      ...(input.retired === undefined
        ? {}
        : { retired_at: input.retired ? (row.retired_at ?? now.toISOString()) : null }),
    };
    await updateKind(trx, id, patch);
    return { value: toKindWire({ ...row, ...patch }), events: [] };
  });
}

// ─── Keepers ────────────────────────────────────────────────────────────────────────────────────

export async function keepers(db: Db) {
  return ok({
    keepers: (await listKeepers(db)).map((k) => ({
      accountId: k.account_id,
      handle: k.handle,
      addedAt: k.added_at,
    })),
  });
}

export async function setKeeper(
  deps: ResourceDeps,
  auth: Auth,
  accountId: string,
  add: boolean,
  now: Date,
): R<null> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  return commit(deps, now, async (trx) => {
    if (!(await accountExists(trx, accountId))) {
      return fail(failure(404, 'not_found', 'There is no such account.'));
    }
    if (add) {
      await insertKeeper(trx, {
        account_id: accountId,
        added_by: auth.accountId,
        added_at: now.toISOString(),
      });
    } else if (!(await deleteKeeper(trx, accountId))) {
      return fail(failure(404, 'not_found', 'That account is not a directory keeper.'));
    }
    return { value: null, events: [] };
  });
}

// ─── Keepers' daily notice ──────────────────────────────────────────────────────────────────────

/** `GET /api/v1/resources/notify`: the keeper's choice (keepers and instance admins). */
export async function notifyChoice(db: Db, auth: Auth): R<{ dailySuggestions: boolean }> {
  if (!(await keeps(db, auth))) {
    return err(failure(403, 'forbidden', 'Only directory keepers can choose this.'));
  }
  return ok({ dailySuggestions: await dailySuggestionsChoice(db, auth.accountId) });
}

/** `PUT /api/v1/resources/notify`: opt in or out of the daily "New suggestions" notice. */
export async function setNotifyChoice(
  deps: ResourceDeps,
  auth: Auth,
  input: { dailySuggestions: boolean },
  now: Date,
): R<{ dailySuggestions: boolean }> {
  if (!(await keeps(deps.db, auth))) {
    return err(failure(403, 'forbidden', 'Only directory keepers can choose this.'));
  }
  return commit(deps, now, async (trx) => {
    await setDailySuggestionsChoice(trx, auth.accountId, input.dailySuggestions);
    return { value: { dailySuggestions: input.dailySuggestions }, events: [] };
  });
}

// ─── Out-of-date flags ──────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

function toFlagWire(f: FlagView, keeper: boolean) {
  return {
    id: f.id,
    resourceId: f.resource_id,
    resourceName: f.resource_name,
    reason: f.reason as (typeof FLAG_REASONS)[number],
    note: f.note,
    // Keepers see who flagged it (to ask them); nobody else does.
    by: keeper ? personRef(f.account_id, f.by_handle) : null,
    createdAt: f.created_at,
    resolvedAt: f.resolved_at,
    resolvedBy: keeper ? personRef(f.resolved_by, f.resolved_by_handle) : null,
    resolveNote: f.resolve_note,
  };
}

/** "This may be out of date": one open flag per person per resource, 30 a day. */
export async function flagResource(
  deps: ResourceDeps,
  auth: Auth,
  resourceId: string,
  input: { reason: (typeof FLAG_REASONS)[number]; note: string | null },
  now: Date,
): R<{ flag: ReturnType<typeof toFlagWire> }> {
  const already = () =>
    failure(409, 'already_flagged', 'You have already said this may be out of date.');
  const keeper = await keeps(deps.db, auth);
  try {
    return await commit(deps, now, async (trx) => {
      const row = await findResource(trx, resourceId);
      if (row === undefined || row.retired_at !== null) return fail(notFound());
      const since = new Date(now.getTime() - DAY_MS).toISOString();
      if ((await flagsSince(trx, auth.accountId, since)) >= RESOURCE_LIMITS.flagsPerDay) {
        return fail({
          ...failure(
            429,
            'rate_limited',
            'You have flagged many resources today. Thank you — please wait a while.',
          ),
          retryAfterSeconds: 3_600,
        });
      }
      if (await openFlagBy(trx, resourceId, auth.accountId)) return fail(already());
      const id = randomUUID();
      await insertFlag(trx, {
        id,
        resource_id: resourceId,
        account_id: auth.accountId,
        reason: input.reason,
        note: input.note,
        created_at: now.toISOString(),
        resolved_at: null,
        resolved_by: null,
        resolve_note: null,
      });
      return {
        value: { flag: toFlagWire((await findFlag(trx, id))!, keeper) },
        events: await flagCreated(trx, id, auth.accountId),
      };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err(already());
    throw e;
  }
}

export async function flags(
  db: Db,
  auth: Auth,
  query: {
    status: 'open' | 'resolved';
    resourceId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
) {
  if (!(await keeps(db, auth))) {
    return err(failure(403, 'forbidden', 'Only directory keepers see the flags.'));
  }
  let after: { createdAt: string; id: string } | undefined;
  if (query.cursor !== undefined) {
    const c = decodeCursor(query.cursor);
    if (c === null || c[0] !== 'f' || typeof c[1] !== 'string' || typeof c[2] !== 'string') {
      return err(invalid('cursor is not a page cursor from Tend.'));
    }
    after = { createdAt: c[1], id: c[2] };
  }
  const rows = await listFlags(db, {
    open: query.status === 'open',
    ...(query.resourceId === undefined ? {} : { resourceId: query.resourceId }),
    ...(after === undefined ? {} : { after }),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return ok({
    flags: page.map((f) => toFlagWire(f, true)),
    nextCursor:
      rows.length > query.limit && last !== undefined
        ? encodeCursor(['f', last.created_at, last.id])
        : null,
  });
}

export async function resolveFlag(
  deps: ResourceDeps,
  auth: Auth,
  flagId: string,
  input: { note: string | null },
  now: Date,
): R<{ flag: ReturnType<typeof toFlagWire> }> {
  if (!(await keeps(deps.db, auth))) return err(keepersOnly());
  return commit(deps, now, async (trx) => {
    const flag = await findFlag(trx, flagId);
    if (flag === undefined) return fail(failure(404, 'not_found', 'There is no such flag.'));
    const done = await resolveFlagRow(trx, flagId, {
      resolved_at: now.toISOString(),
      resolved_by: auth.accountId,
      resolve_note: input.note,
    });
    if (!done) return fail(failure(409, 'flag_closed', 'This flag was resolved already.'));
    return { value: { flag: toFlagWire((await findFlag(trx, flagId))!, true) }, events: [] };
  });
}

// ─── Suggestions ────────────────────────────────────────────────────────────────────────────────

const suggestionClosed = () =>
  failure(
    409,
    'suggestion_closed',
    'This suggestion was already published, declined or withdrawn.',
  );
const noSuchSuggestion = () => failure(404, 'not_found', 'There is no such suggestion.');

async function baseContentOf(
  q: Db | Tx,
  resourceId: string,
  version: number,
): Promise<ResourceContent | undefined> {
  const v = await findRevision(q, resourceId, version);
  return v === undefined ? undefined : (JSON.parse(v.content) as ResourceContent);
}

async function toSuggestionWire(q: Db | Tx, auth: Auth, s: SuggestionView, keeper: boolean) {
  const content = JSON.parse(s.content) as ResourceContent;
  const mine = s.author_id === auth.accountId;
  let base: ResourceContent | null = null;
  let current: ResourceView | undefined;
  if (s.base_version !== null && s.resource_id !== null) {
    base = (await baseContentOf(q, s.resource_id, Number(s.base_version))) ?? null;
    current = await findResource(q, s.resource_id);
  } else if (s.resource_id !== null) {
    current = await findResource(q, s.resource_id); // a new resource, once published
  }
  const currentVersion = current === undefined ? null : Number(current.version);
  const moved =
    s.status === 'open' &&
    current !== undefined &&
    s.base_version !== null &&
    currentVersion !== Number(s.base_version);
  return {
    id: s.id,
    resourceId: s.resource_id,
    baseVersion: s.base_version === null ? null : Number(s.base_version),
    currentVersion,
    content,
    note: s.note,
    source: s.source,
    status: s.status,
    author: keeper || mine ? personRef(s.author_id, s.author_handle) : null,
    mine,
    diff: diffResources(base, content),
    diffFromCurrent:
      moved && current !== undefined ? diffResources(contentOf(current), content) : null,
    createdAt: s.created_at,
    reviewedAt: s.reviewed_at,
    reviewedBy: personRef(s.reviewed_by, s.reviewed_by_handle),
    reviewNote: s.review_note,
    publishedVersion: s.published_version === null ? null : Number(s.published_version),
  };
}
type SuggestionWire = Awaited<ReturnType<typeof toSuggestionWire>>;

/** A member suggests a new resource or a correction (the whole content, against a version). */
export async function createSuggestion(
  deps: ResourceDeps,
  auth: Auth,
  input: {
    id: string;
    resourceId: string | null;
    baseVersion: number | null;
    content: ResourceContent;
    note: string | null;
    source: string | null;
  },
  now: Date,
): R<{ suggestion: SuggestionWire }> {
  const keeper = await keeps(deps.db, auth);
  const taken = () => failure(409, 'conflict', 'That id is in use already.');
  try {
    return await commit(deps, now, async (trx) => {
      const since = new Date(now.getTime() - DAY_MS).toISOString();
      if ((await suggestionsBy(trx, auth.accountId, since)) >= RESOURCE_LIMITS.suggestionsPerDay) {
        return fail({
          ...failure(
            429,
            'rate_limited',
            'You have made many suggestions today. Thank you — please wait a while.',
          ),
          retryAfterSeconds: 3_600,
        });
      }
      if (
        (await suggestionsBy(trx, auth.accountId, null)) >= RESOURCE_LIMITS.openSuggestionsPerPerson
      ) {
        return fail({
          ...failure(
            429,
            'rate_limited',
            'You have many suggestions waiting. Please wait until keepers have looked at some.',
          ),
          retryAfterSeconds: 3_600,
        });
      }
      if (await suggestionIdExists(trx, input.id)) return fail(taken());
      const own = await kindLabels(trx);
      let already: readonly string[] = [];
      if (input.resourceId === null) {
        // A new resource takes the suggestion's id when it is published.
        if (await resourceIdExists(trx, input.id)) return fail(taken());
      } else {
        const row = await findResource(trx, input.resourceId);
        if (row === undefined) return fail(notFound());
        if (row.retired_at !== null) {
          return fail(failure(409, 'resource_retired', 'This resource is no longer listed.'));
        }
        const base = await baseContentOf(trx, input.resourceId, input.baseVersion!);
        if (base === undefined)
          return fail(invalid('baseVersion is not a version of this resource.'));
        if (isDeepStrictEqual(base, input.content)) {
          return fail(
            failure(409, 'no_change', 'Nothing differs from the version you started from.'),
          );
        }
        already = base.kinds;
      }
      const bad = unknownKind(input.content.kinds, own, already);
      if (bad !== undefined)
        return fail(failure(400, 'unknown_kind', `There is no kind "${bad}".`));
      await insertSuggestion(trx, {
        id: input.id,
        resource_id: input.resourceId,
        base_version: input.baseVersion,
        content: JSON.stringify(input.content),
        note: input.note,
        source: input.source,
        status: 'open',
        author_id: auth.accountId,
        reviewed_by: null,
        reviewed_at: null,
        review_note: null,
        published_version: null,
        created_at: now.toISOString(),
      });
      const s = (await findSuggestion(trx, input.id))!;
      const told = await dailySuggestionNotices(trx, auth.accountId, now);
      return {
        value: { suggestion: await toSuggestionWire(trx, auth, s, keeper) },
        events: await suggestionArrived(trx, input.id, auth.accountId),
        notified: told.length > 0,
      };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err(taken());
    throw e;
  }
}

export async function suggestions(
  db: Db,
  auth: Auth,
  query: {
    status: SuggestionView['status'];
    mine?: boolean | undefined;
    resourceId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
) {
  const keeper = await keeps(db, auth);
  if (!keeper && query.mine !== true) {
    return err(failure(403, 'forbidden', 'Only directory keepers see everyone’s suggestions.'));
  }
  let after: { createdAt: string; id: string } | undefined;
  if (query.cursor !== undefined) {
    const c = decodeCursor(query.cursor);
    if (c === null || c[0] !== 's' || typeof c[1] !== 'string' || typeof c[2] !== 'string') {
      return err(invalid('cursor is not a page cursor from Tend.'));
    }
    after = { createdAt: c[1], id: c[2] };
  }
  const rows = await listSuggestions(db, {
    status: query.status,
    ...(query.mine === true ? { authorId: auth.accountId } : {}),
    ...(query.resourceId === undefined ? {} : { resourceId: query.resourceId }),
    ...(after === undefined ? {} : { after }),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const out: SuggestionWire[] = [];
  for (const s of page) out.push(await toSuggestionWire(db, auth, s, keeper));
  return ok({
    suggestions: out,
    nextCursor:
      rows.length > query.limit && last !== undefined
        ? encodeCursor(['s', last.created_at, last.id])
        : null,
  });
}

export async function suggestion(db: Db, auth: Auth, id: string) {
  const keeper = await keeps(db, auth);
  const s = await findSuggestion(db, id);
  if (s === undefined || (!keeper && s.author_id !== auth.accountId)) {
    return err(noSuchSuggestion());
  }
  return ok({ suggestion: await toSuggestionWire(db, auth, s, keeper) });
}

/**
 * A keeper publishes a suggestion as a new version (kind `suggestion`, naming it and its author),
 * as suggested or with the keeper's `content` written against the current version.
 */
export async function publishSuggestion(
  deps: ResourceDeps,
  auth: Auth,
  id: string,
  input: { content?: ResourceContent | undefined; note: string | null },
  now: Date,
): R<{ resource: ResourceWire }> {
  if (!(await keeps(deps.db, auth))) return err(keepersOnly());
  try {
    return await commit(deps, now, async (trx) => {
      const s = await findSuggestion(trx, id);
      if (s === undefined) return fail(noSuchSuggestion());
      if (s.status !== 'open') return fail(suggestionClosed());
      const meta: RevisionMeta = {
        kind: 'suggestion',
        byId: auth.accountId,
        note: input.note,
        suggestionId: s.id,
        suggestedById: s.author_id,
      };
      const suggested = JSON.parse(s.content) as ResourceContent;
      const own = await kindLabels(trx);
      let resourceId: string;
      let version: number;
      if (s.resource_id === null) {
        resourceId = s.id;
        if (await resourceIdExists(trx, resourceId)) {
          return fail(failure(409, 'conflict', 'A resource with this id exists already.'));
        }
        const content = input.content ?? suggested;
        const bad = unknownKind(content.kinds, own);
        if (bad !== undefined)
          return fail(failure(400, 'unknown_kind', `There is no kind "${bad}".`));
        version = 1;
        await writeVersion(
          deps,
          trx,
          resourceId,
          content,
          { version, createdAt: now.toISOString(), retiredAt: null },
          now,
        );
        await addRevision(trx, resourceId, version, content, false, meta, now);
      } else {
        resourceId = s.resource_id;
        const row = await lockResource(trx, resourceId);
        if (row === undefined) return fail(notFound());
        if (row.retired_at !== null) {
          return fail(
            failure(409, 'resource_retired', 'This resource is retired: restore it first.'),
          );
        }
        if (input.content === undefined && Number(row.version) !== Number(s.base_version)) {
          return fail(
            failure(
              409,
              'resource_changed',
              'The resource changed since this was suggested: publish it applied to the current version.',
            ),
          );
        }
        const current = contentOf(row);
        const content = input.content ?? suggested;
        if (isDeepStrictEqual(content, current)) {
          return fail(failure(409, 'no_change', 'Nothing differs from the current version.'));
        }
        const bad = unknownKind(content.kinds, own, current.kinds);
        if (bad !== undefined)
          return fail(failure(400, 'unknown_kind', `There is no kind "${bad}".`));
        version = Number(row.version) + 1;
        await writeVersion(
          deps,
          trx,
          resourceId,
          content,
          { version, createdAt: row.created_at, retiredAt: null },
          now,
        );
        await addRevision(trx, resourceId, version, content, false, meta, now);
      }
      const closed = await closeSuggestion(trx, id, {
        status: 'published',
        reviewed_by: auth.accountId,
        reviewed_at: now.toISOString(),
        review_note: input.note,
        published_version: version,
        resource_id: resourceId,
      });
      if (!closed) return fail(suggestionClosed());
      const told = await suggestionLookedAt(
        trx,
        { id: s.id, authorId: s.author_id },
        auth.accountId,
        now,
      );
      return {
        value: await answer(deps, trx, auth, resourceId, now),
        events: told.events,
        notified: told.notified,
      };
    });
  } catch (e) {
    if (isUniqueViolation(e))
      return err(failure(409, 'conflict', 'A resource with this id exists already.'));
    throw e;
  }
}

/** A keeper declines (with words the suggester sees), or the author withdraws. */
export async function closeOpenSuggestion(
  deps: ResourceDeps,
  auth: Auth,
  id: string,
  how: 'declined' | 'withdrawn',
  note: string | null,
  now: Date,
): R<{ suggestion: SuggestionWire }> {
  const keeper = await keeps(deps.db, auth);
  if (how === 'declined' && !keeper) return err(keepersOnly());
  return commit(deps, now, async (trx) => {
    const s = await findSuggestion(trx, id);
    if (s === undefined || (!keeper && s.author_id !== auth.accountId))
      return fail(noSuchSuggestion());
    if (how === 'withdrawn' && s.author_id !== auth.accountId) {
      return fail(failure(403, 'forbidden', 'Only the person who suggested it can withdraw it.'));
    }
    const closed = await closeSuggestion(trx, id, {
      status: how,
      reviewed_by: how === 'declined' ? auth.accountId : null,
      reviewed_at: now.toISOString(),
      review_note: how === 'declined' ? note : null,
      published_version: null,
    });
    if (!closed) return fail(suggestionClosed());
    const after = (await findSuggestion(trx, id))!;
    const told =
      how === 'declined'
        ? await suggestionLookedAt(trx, { id, authorId: s.author_id }, auth.accountId, now)
        : { events: [], notified: false };
    return {
      value: { suggestion: await toSuggestionWire(trx, auth, after, keeper) },
      events: told.events,
      notified: told.notified,
    };
  });
}

// ─── HSDS export and import ─────────────────────────────────────────────────────────────────────

/** `services.json` (an HSDS page of full services) or one CSV file of the tabular form. */
export async function exportDirectory(
  db: Db,
  auth: Auth,
  file: (typeof EXPORT_FILES)[number],
  now: Date,
): R<{ type: string; body: string }> {
  if (!(await keeps(db, auth))) {
    return err(failure(403, 'forbidden', 'Only directory keepers can export the directory.'));
  }
  const resources: Resource[] = (await allListed(db)).map((v) => ({ id: v.id, ...contentOf(v) }));
  const options = { nowMs: now.getTime() };
  if (file === 'services.json') {
    return ok({
      type: 'application/json; charset=utf-8',
      body: JSON.stringify(toHsdsPage(resources, options)),
    });
  }
  const fields = [...TABULAR_COLUMNS[file]];
  const rows = toTabular(resources, options)[file] ?? [];
  return ok({
    type: 'text/csv; charset=utf-8',
    body: Papa.unparse(
      { fields, data: rows.map((row) => fields.map((f) => row[f] ?? '')) },
      // Against spreadsheet formulae; + and - are not escaped (phone numbers, longitudes).
      { escapeFormulae: /^[=@\t\r]/, newline: '\r\n' },
    ),
  });
}

/**
 * The export prefixes cells beginning with `=`, `@`, tab or carriage return with `'` (against
 * spreadsheet formulae); an import of CSV rows takes that prefix off again.
 */
function unescapeFormulae(files: Record<string, unknown>): Record<string, unknown> {
  const cell = (v: unknown) => (typeof v === 'string' && /^'[=@\t\r]/.test(v) ? v.slice(1) : v);
  return Object.fromEntries(
    Object.entries(files).map(([file, rows]) => [
      file,
      Array.isArray(rows)
        ? rows.map((row: unknown) =>
            typeof row === 'object' && row !== null && !Array.isArray(row)
              ? Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cell(v)]))
              : row,
          )
        : rows,
    ]),
  );
}

export interface ImportFailure extends ResourceFailure {
  readonly issues?: readonly { path: string; message: string }[];
}

/** An HSDS import, all or nothing (docs/RESOURCES.md, "HSDS import and export"). */
export async function importDirectory(
  deps: ResourceDeps,
  auth: Auth,
  input: {
    format: 'hsds-json' | 'hsds-tabular';
    data: unknown;
    options: { defaultKind: string | null; defaultTimeZone: string | null };
    dryRun: boolean;
  },
  now: Date,
): Promise<
  Result<
    {
      created: number;
      changed: number;
      unchanged: number;
      dryRun: boolean;
      warnings: ImportIssue[];
    },
    ImportFailure
  >
> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  const refused = (issues: readonly ImportIssue[]): ImportFailure => ({
    ...failure(422, 'hsds_invalid', 'The file was not imported: nothing was changed.'),
    issues: issues.map((i) => ({ path: `${i.where} ${i.path}`.trim(), message: i.message })),
  });
  let read;
  if (input.format === 'hsds-json') {
    read = readHsdsJson(input.data, input.options);
  } else {
    if (typeof input.data !== 'object' || input.data === null || Array.isArray(input.data)) {
      return err(refused([{ where: 'the file', path: '', message: 'must be rows per CSV file' }]));
    }
    read = readHsdsTabular(unescapeFormulae(input.data as Record<string, unknown>), input.options);
  }
  if (!read.ok) return err(refused(read.error.issues));
  const imported = read.value;
  if (imported.resources.length > RESOURCE_LIMITS.importResources) {
    return err(
      refused([
        {
          where: 'the file',
          path: '',
          message: `holds more than ${RESOURCE_LIMITS.importResources} services`,
        },
      ]),
    );
  }
  const r = await applyImport(
    deps,
    auth,
    imported.resources,
    { dryRun: input.dryRun, kind: 'imported', leaveExisting: false },
    now,
  );
  return r.ok ? ok({ ...r.value, dryRun: input.dryRun, warnings: imported.warnings }) : r;
}

type Counts = { created: number; changed: number; unchanged: number };

/**
 * Writes read services all or nothing: unknown kinds refuse the whole set (`hsds_invalid`); a new
 * id is created (version 1), an existing one becomes a new version when its content differs —
 * or, with `leaveExisting` (the starter set), is left alone and counted unchanged.
 */
async function applyImport(
  deps: ResourceDeps,
  auth: Auth,
  resources: readonly Resource[],
  mode: { dryRun: boolean; kind: 'imported' | 'starter'; leaveExisting: boolean },
  now: Date,
): Promise<Result<Counts, ImportFailure>> {
  const refused = (issues: readonly ImportIssue[]): ImportFailure => ({
    ...failure(422, 'hsds_invalid', 'The file was not imported: nothing was changed.'),
    issues: issues.map((i) => ({ path: `${i.where} ${i.path}`.trim(), message: i.message })),
  });
  return commit<Counts, ImportFailure>(deps, now, async (trx) => {
    const own = await kindLabels(trx);
    const issues: ImportIssue[] = [];
    resources.forEach((r, i) => {
      const bad = unknownKind(r.kinds, own);
      if (bad !== undefined) {
        issues.push({
          where: `services[${i}]`,
          path: 'tend_kinds',
          message: `there is no kind "${bad}"`,
        });
      }
    });
    if (issues.length > 0) return fail(refused(issues));
    const meta = { kind: mode.kind, byId: auth.accountId, note: null };
    let created = 0;
    let changed = 0;
    let unchanged = 0;
    for (const r of resources) {
      const { id, ...content } = r;
      const row = await lockResource(trx, id);
      if (row === undefined) {
        created += 1;
        if (mode.dryRun) continue;
        await writeVersion(
          deps,
          trx,
          id,
          content,
          { version: 1, createdAt: now.toISOString(), retiredAt: null },
          now,
        );
        await addRevision(trx, id, 1, content, false, meta, now);
      } else if (mode.leaveExisting || isDeepStrictEqual(contentOf(row), content)) {
        unchanged += 1;
      } else {
        changed += 1;
        if (mode.dryRun) continue;
        const version = Number(row.version) + 1;
        await writeVersion(
          deps,
          trx,
          id,
          content,
          { version, createdAt: row.created_at, retiredAt: row.retired_at },
          now,
        );
        await addRevision(trx, id, version, content, row.retired_at !== null, meta, now);
      }
    }
    return { value: { created, changed, unchanged }, events: [] };
  });
}

// ─── The starter set ────────────────────────────────────────────────────────────────────────────

/** `server/resources/starter.json`, from wherever this file runs (source or dist). */
export const starterFile = (): string =>
  join(findRepoRoot(import.meta.dirname), 'server', 'resources', 'starter.json');

/**
 * `POST /api/v1/resources/starter` (instance admins): the starter set (docs/RESOURCES.md, "The
 * starter set"), all or nothing through the import's path with revision kind `starter`;
 * resources whose id exists are left alone. `file` is injectable for tests.
 */
export async function loadStarter(
  deps: ResourceDeps,
  auth: Auth,
  now: Date,
  file: string = starterFile(),
): Promise<Result<{ created: number; unchanged: number }, ImportFailure>> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  const read = readHsdsJson(JSON.parse(await readFile(file, 'utf8')) as unknown);
  if (!read.ok) {
    return err({
      ...failure(422, 'hsds_invalid', 'The starter set is not valid: nothing was changed.'),
      issues: read.error.issues.map((i) => ({
        path: `${i.where} ${i.path}`.trim(),
        message: i.message,
      })),
    });
  }
  const r = await applyImport(
    deps,
    auth,
    read.value.resources,
    { dryRun: false, kind: 'starter', leaveExisting: true },
    now,
  );
  return r.ok ? ok({ created: r.value.created, unchanged: r.value.unchanged }) : r;
}
