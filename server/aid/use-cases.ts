import {
  AID_LIMITS,
  BUILTIN_CATEGORIES,
  checkWhen,
  decodeCursor,
  encodeCursor,
  isBuiltinCategory,
  parseCommunity,
  postRuleIssues,
  type AreaInput,
  type AreaWire,
  type BoardQuery,
  type ChangeStatusInput,
  type CommunitySettings,
  type CreatePostInput,
  type PostWire,
  type UpdatePostInput,
  type When,
} from '../../core/src/aid/api.js';
import {
  distanceKm,
  fromCenti,
  toCenti,
  zonesWithin,
  type Centre,
} from '../../core/src/aid/areas.js';
import {
  expiryPlan,
  isActive,
  transition,
  transitionAsAny,
  type AidActor,
  type AidStatus,
} from '../../core/src/aid/lifecycle.js';
import { intervalsOf, occurrencesOf, spanOf, whenEndsAt } from '../../core/src/aid/when.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { publicKeyBundleSchema } from '../../core/src/crypto/schemas.js';
import type { ErrorCode } from '../../core/src/errors.js';
import { err, ok, type Result } from '../../core/src/result.js';
import type { Auth } from '../accounts/sessions.js';
import { commit, fail, type CircleDeps } from '../circles/commit.js';
import { findAccount, lockAccount } from '../circles/repository.js';
import type { Db, Tx } from '../db/database.js';
import { findGroup, findMember, isUniqueViolation } from '../groups/repository.js';
import { groupsOf } from '../groups/meetings/repository.js';
import { appendAudit } from '../moderation/repository.js';
import { enqueueNotification } from '../notify/outbox.js';
import type { NewEvent } from '../realtime/log.js';
import {
  acceptedHelpers,
  activePostsIn,
  assignmentsWaitingFor,
  communitiesOfGroups,
  coordinatedBy,
  deleteCoordinator,
  findArea,
  findCategory,
  findCommunity,
  findPost,
  insertCategory,
  insertCoordinator,
  insertPost,
  isCoordinator,
  listAreas,
  listCategories,
  listCoordinators,
  liveResponders,
  lockPost,
  myResponsesTo,
  occurrencesOfPost,
  postIdExists,
  postsBy,
  postsSince,
  respondersOf,
  responsesBy,
  updateCategory,
  updatePost,
  upsertAreas,
  upsertCommunity,
  upsertOccurrence,
  boardPage,
  type AreaRow,
  type CategoryRow,
  type PostRow,
  type PostView,
} from './repository.js';
import { occurrencesPage } from './occurrences.js';
import { matchNewPost, rematchPost } from './relations/use-cases.js';

/**
 * The mutual aid board (docs/AID.md): communities and their settings, coordinators, categories,
 * zones, posts and their lifecycle, the board, "my posts". Every expected failure is a typed
 * result (`AidFailure`) that the routes send as it is; nothing is written on any refusal.
 *
 * Anonymous posts: `author` is null in every answer built here (`toWire`), for everyone; the
 * author's id never goes into an answer, an event or a log line about an anonymous post.
 */

export type AidDeps = CircleDeps;

export interface AidFailure {
  readonly status: 400 | 403 | 404 | 409 | 429;
  readonly code: ErrorCode;
  readonly message: string;
  /** 429: seconds until it can be tried again. */
  readonly retryAfterSeconds?: number;
}

type R<T> = Promise<Result<T, AidFailure>>;

const DAY_MS = 86_400_000;
const failure = (
  status: AidFailure['status'],
  code: ErrorCode,
  message: string,
  extra: Partial<AidFailure> = {},
): AidFailure => ({ status, code, message, ...extra });
const notFound = () => failure(404, 'not_found', 'There is no such board or post.');
const forbidden = (message: string) => failure(403, 'forbidden', message);
const invalid = (message: string) => failure(400, 'invalid_input', message);
const boardOff = () =>
  failure(403, 'aid_board_off', 'The mutual aid board of this community is not turned on.');

// ─── Who someone is on a board ──────────────────────────────────────────────────────────────────

/** Someone's standing on one community's board (docs/AID.md, "Communities"). */
export interface Standing {
  readonly community: string;
  readonly groupId: string | null;
  readonly groupName: string | null;
  /** The community exists and they may learn that (an invite-only group: members, admins). */
  readonly visible: boolean;
  /** Reads the board: anyone signed in (instance); the group's members and instance admins. */
  readonly sees: boolean;
  /** A member of the community: may post when the board is on. */
  readonly member: boolean;
  readonly enabled: boolean;
  readonly defaultExpiryDays: number;
  /** A group's current agreement is accepted (always true for the instance board). */
  readonly agreed: boolean;
  /** An archived group: its board is read-only. */
  readonly archived: boolean;
  readonly coordinator: boolean;
  readonly moderator: boolean;
  readonly manager: boolean;
}

/**
 * The one rule of who manages and who moderates a board (docs/AID.md, "Communities"), used by
 * `standing` (and so by server/aid/relations/access.ts) and by the list of my boards. Managers:
 * instance admins for `instance`, the group's facilitators for a group. Moderators: instance admins
 * for `instance`; the group's keepers (facilitators and moderators) for a group, and instance admins
 * moderate every group's board too — they do not manage it.
 */
export function boardRoles(
  kind: 'instance' | 'group',
  auth: Pick<Auth, 'role'>,
  member?: { readonly role: string },
): { readonly manager: boolean; readonly moderator: boolean } {
  const admin = auth.role === 'admin';
  if (kind === 'instance') return { manager: admin, moderator: admin };
  return {
    manager: member?.role === 'facilitator',
    moderator: admin || (member !== undefined && member.role !== 'member'),
  };
}

export async function standing(q: Db | Tx, community: string, auth: Auth): Promise<Standing> {
  const admin = auth.role === 'admin';
  const parsed = parseCommunity(community);
  const row = await findCommunity(q, community);
  const none: Standing = {
    community,
    groupId: null,
    groupName: null,
    visible: false,
    sees: false,
    member: false,
    enabled: row?.enabled === 1,
    defaultExpiryDays: row?.default_expiry_days ?? AID_LIMITS.defaultExpiryDays,
    agreed: false,
    archived: false,
    coordinator: false,
    moderator: false,
    manager: false,
  };
  if (parsed === null) return none;
  if (parsed.kind === 'instance') {
    return {
      ...none,
      visible: true,
      sees: true,
      member: true,
      agreed: true,
      coordinator: await isCoordinator(q, community, auth.accountId),
      ...boardRoles('instance', auth),
    };
  }
  const group = await findGroup(q, parsed.groupId);
  if (group === undefined) return none;
  const m = await findMember(q, group.id, auth.accountId);
  const base = { ...none, groupId: group.id, groupName: group.name };
  if (m === undefined && !admin) return { ...base, visible: group.visibility !== 'invite' };
  return {
    ...base,
    visible: true,
    sees: true,
    member: m !== undefined,
    agreed: m !== undefined && m.agreement_version === group.agreement_version,
    archived: group.archived_at !== null,
    coordinator: m !== undefined && (await isCoordinator(q, community, auth.accountId)),
    ...boardRoles('group', auth, m),
  };
}

/** The community is there for them to read, or the refusal (404 unseen, 403 a visible group). */
function seeing(s: Standing): AidFailure | null {
  if (s.sees) return null;
  if (!s.visible) return notFound();
  return forbidden("Only this group's members can use its mutual aid board.");
}

/** May post (and edit): sees it, a member, the board on and not read-only, the agreement. */
function using(s: Standing): AidFailure | null {
  const f = seeing(s);
  if (f !== null) return f;
  if (!s.member) return forbidden("Only this group's members can post on its board.");
  if (!s.enabled || s.archived) return boardOff();
  if (!s.agreed) {
    return failure(403, 'agreement_needed', "Please read and accept the group's agreement first.");
  }
  return null;
}

/** Whether someone with this standing may see this post (hidden and off boards: only those involved). */
export function seesPost(post: PostRow, s: Standing, accountId: string): boolean {
  if (!s.sees) return false;
  if (post.author_id === accountId || post.partner_id === accountId || s.moderator) return true;
  return s.enabled && post.hidden_at === null;
}

// ─── Shapes ─────────────────────────────────────────────────────────────────────────────────────

const zoneCentre = (a: Pick<AreaRow, 'lat_centi' | 'lon_centi'>): Centre =>
  fromCenti({ latCenti: a.lat_centi, lonCenti: a.lon_centi });

export function toAreaWire(a: AreaRow): AreaWire {
  const c = zoneCentre(a);
  return {
    id: a.id,
    name: a.name,
    parentId: a.parent_id,
    lat: c.lat,
    lon: c.lon,
    retired: a.retired_at !== null,
  };
}

const toCategoryWire = (c: CategoryRow) => ({
  id: c.id,
  label: c.label,
  builtin: false,
  retired: c.retired_at !== null,
});

export interface WireContext {
  readonly viewerId: string;
  /** The viewer's chosen zone's centre (the board's `area`), for `distanceKm`. */
  readonly from?: Centre | null;
  readonly zones?: ReadonlyMap<string, Centre>;
  readonly myResponse?: PostWire['myResponse'];
}

/**
 * A post as the viewer sees it. An anonymous post's author is null for everyone (moderators use
 * the audited author route); its author learns it is theirs from `mine`.
 */
export function toWire(p: PostView, ctx: WireContext): PostWire {
  const centre = p.area_id === null ? undefined : ctx.zones?.get(p.area_id);
  return {
    id: p.id,
    community: p.community,
    kind: p.kind,
    category: p.category,
    description: p.description,
    contentWarning: p.content_warning,
    area: p.area_id === null ? null : { id: p.area_id, name: p.area_name ?? p.area_id },
    reachKm: p.reach_km,
    distanceKm: ctx.from && centre !== undefined ? Math.round(distanceKm(ctx.from, centre)) : null,
    when: JSON.parse(p.when_json) as When,
    urgent: p.urgent === 1,
    amount:
      p.amount_minor === null || p.currency === null
        ? null
        : { minor: p.amount_minor, currency: p.currency },
    status: p.status,
    anonymous: p.anonymous === 1,
    onBehalf: p.on_behalf === 1,
    author:
      p.anonymous === 1 || p.author_id === null
        ? null
        : { accountId: p.author_id, handle: p.author_handle ?? '' },
    mine: p.author_id === ctx.viewerId,
    partnerIsMe: p.partner_id !== null && p.partner_id === ctx.viewerId,
    myResponse: ctx.myResponse ?? null,
    hidden: p.hidden_at !== null,
    createdAt: p.created_at,
    expiresAt: p.expires_at,
    updatedAt: p.updated_at,
  };
}

async function zoneMap(q: Db | Tx): Promise<Map<string, Centre>> {
  return new Map((await listAreas(q)).map((a) => [a.id, zoneCentre(a)]));
}

async function wiresFor(q: Db | Tx, posts: readonly PostView[], ctx: WireContext) {
  const mine = await myResponsesTo(
    q,
    ctx.viewerId,
    posts.map((p) => p.id),
  );
  const byPost = new Map<string, PostWire['myResponse']>();
  for (const r of mine) {
    // The whole post's response; one to an occurrence is that occurrence's (occurrences.ts).
    if (r.occurrence_id === null && !byPost.has(r.post_id)) {
      byPost.set(r.post_id, { id: r.id, status: r.status, conversationId: r.conversation_id });
    }
  }
  return posts.map((p) => toWire(p, { ...ctx, myResponse: byPost.get(p.id) ?? null }));
}

/** Events (ids only) that a post changed, to its author, partner and responders. */
async function postChanged(q: Tx, post: PostRow, extra: readonly string[] = []) {
  const to = new Set<string>(extra);
  if (post.author_id !== null) to.add(post.author_id);
  if (post.partner_id !== null) to.add(post.partner_id);
  for (const id of await respondersOf(q, post.id)) to.add(id);
  return [...to].map((accountId): NewEvent => ({
    accountId,
    type: 'aid.post.changed',
    data: { postId: post.id },
  }));
}

// ─── Communities ────────────────────────────────────────────────────────────────────────────────

const communityWire = (s: Standing) => ({
  community: s.community,
  name: s.groupName,
  enabled: s.enabled,
  defaultExpiryDays: s.defaultExpiryDays,
  coordinator: s.coordinator,
  moderator: s.moderator,
  manager: s.manager,
});

/** The boards I can use (on), and those I manage (so I can turn them on), with my roles. */
export async function myCommunities(db: Db, auth: Auth) {
  const out: ReturnType<typeof communityWire>[] = [];
  const instance = await standing(db, 'instance', auth);
  if (instance.enabled || instance.manager) out.push(communityWire(instance));
  const groups = await groupsOf(db, auth.accountId);
  const rows = new Map(
    (
      await communitiesOfGroups(
        db,
        groups.map((g) => g.id),
      )
    ).map((r) => [r.group_id, r]),
  );
  const coordinated = new Set(await coordinatedBy(db, auth.accountId));
  for (const g of groups) {
    const community = `group.${g.id}`;
    const member = await findMember(db, g.id, auth.accountId);
    const enabled = rows.get(g.id)?.enabled === 1;
    const { manager, moderator } = boardRoles('group', auth, member);
    if (!enabled && !manager) continue;
    out.push({
      community,
      name: g.name,
      enabled,
      defaultExpiryDays: rows.get(g.id)?.default_expiry_days ?? AID_LIMITS.defaultExpiryDays,
      coordinator: coordinated.has(community),
      moderator,
      manager,
    });
  }
  return ok({ communities: out });
}

export async function communityPage(db: Db, auth: Auth, community: string) {
  const s = await standing(db, community, auth);
  const f = seeing(s);
  return f === null ? ok(communityWire(s)) : err(f);
}

export async function setCommunitySettings(
  deps: AidDeps,
  auth: Auth,
  community: string,
  input: CommunitySettings,
  now: Date,
): R<ReturnType<typeof communityWire>> {
  return commit(deps, now, async (trx) => {
    const s = await standing(trx, community, auth);
    const f = seeing(s);
    if (f !== null) return fail(f);
    if (!s.manager) return fail(forbidden("Only this board's managers can change its settings."));
    await upsertCommunity(trx, {
      community,
      group_id: s.groupId,
      enabled: input.enabled ? 1 : 0,
      default_expiry_days: input.defaultExpiryDays,
      updated_by: auth.accountId,
      updated_at: now.toISOString(),
    });
    return { value: communityWire(await standing(trx, community, auth)), events: [] };
  });
}

export async function coordinators(db: Db, auth: Auth, community: string) {
  const s = await standing(db, community, auth);
  const f = seeing(s);
  if (f !== null) return err(f);
  const rows = await listCoordinators(db, community);
  return ok({
    coordinators: rows.map((r) => ({
      accountId: r.account_id,
      handle: r.handle,
      addedAt: r.added_at,
    })),
  });
}

export async function setCoordinator(
  deps: AidDeps,
  auth: Auth,
  community: string,
  accountId: string,
  add: boolean,
  now: Date,
): R<null> {
  const r = await commit<null, AidFailure>(deps, now, async (trx) => {
    const s = await standing(trx, community, auth);
    const f = seeing(s);
    if (f !== null) return fail(f);
    if (!s.manager) return fail(forbidden("Only this board's managers can appoint coordinators."));
    const member =
      s.groupId === null
        ? (await findAccount(trx, accountId)) !== undefined
        : (await findMember(trx, s.groupId, accountId)) !== undefined;
    if (add) {
      if (!member) return fail(failure(404, 'not_found', 'There is no such member.'));
      await insertCoordinator(trx, {
        community,
        account_id: accountId,
        added_by: auth.accountId,
        added_at: now.toISOString(),
      });
    } else if (!(await deleteCoordinator(trx, community, accountId))) {
      return fail(failure(404, 'not_found', 'There is no such coordinator.'));
    }
    return { value: null, events: [] };
  });
  return r;
}

// ─── Categories ─────────────────────────────────────────────────────────────────────────────────

export async function categories(db: Db) {
  const own = await listCategories(db);
  return ok({
    categories: [
      ...BUILTIN_CATEGORIES.map((id) => ({ id, label: null, builtin: true, retired: false })),
      ...own.map(toCategoryWire),
    ],
  });
}

const adminOnly = (auth: Auth) =>
  auth.role === 'admin' ? null : forbidden('Only instance admins can do that.');

export async function createCategory(
  deps: AidDeps,
  auth: Auth,
  input: { id: string; label: string },
  now: Date,
): R<ReturnType<typeof toCategoryWire>> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  const taken = () => failure(409, 'category_taken', 'There is already a category with that id.');
  try {
    return await commit(deps, now, async (trx) => {
      if ((await findCategory(trx, input.id)) !== undefined) return fail(taken());
      const row: CategoryRow = {
        id: input.id,
        label: input.label,
        created_by: auth.accountId,
        created_at: now.toISOString(),
        retired_at: null,
      };
      await insertCategory(trx, row);
      return { value: toCategoryWire(row), events: [] };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err(taken());
    throw e;
  }
}

export async function changeCategory(
  deps: AidDeps,
  auth: Auth,
  id: string,
  input: { label?: string; retired?: boolean },
  now: Date,
): R<ReturnType<typeof toCategoryWire>> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  return commit(deps, now, async (trx) => {
    const row = await findCategory(trx, id);
    if (row === undefined) return fail(failure(404, 'not_found', 'There is no such category.'));
    const patch = {
      ...(input.label === undefined ? {} : { label: input.label }),
      ...(input.retired === undefined
        ? {}
        : { retired_at: input.retired ? (row.retired_at ?? now.toISOString()) : null }),
    };
    await updateCategory(trx, id, patch);
    return { value: toCategoryWire({ ...row, ...patch }), events: [] };
  });
}

/** A category a new post may use: a built-in, or the instance's own and not retired. */
async function usableCategory(q: Db | Tx, id: string): Promise<boolean> {
  if (isBuiltinCategory(id)) return true;
  const row = await findCategory(q, id);
  return row !== undefined && row.retired_at === null;
}

// ─── Areas ──────────────────────────────────────────────────────────────────────────────────────

export async function areas(db: Db) {
  return ok({ areas: (await listAreas(db)).map(toAreaWire) });
}

type AreaIn = AreaInput & { readonly id: string };

/**
 * Creates or changes zones, all or nothing: every parent must be a zone (in the file or already
 * stored), and no zone may be its own ancestor. Centres are rounded to 0.01° (toCenti).
 */
export async function saveAreas(
  deps: AidDeps,
  auth: Auth,
  input: readonly AreaIn[],
  now: Date,
): R<{ created: number; changed: number; areas: AreaWire[] }> {
  const f = adminOnly(auth);
  if (f !== null) return err(f);
  return commit(deps, now, async (trx) => {
    const stored = new Map((await listAreas(trx)).map((a) => [a.id, a]));
    const at = now.toISOString();
    const rows: AreaRow[] = [];
    const parentOf = new Map<string, string | null>(
      [...stored.values()].map((a) => [a.id, a.parent_id]),
    );
    for (const a of input) parentOf.set(a.id, a.parentId);
    for (const [i, a] of input.entries()) {
      const where = input.length > 1 ? `Row ${i + 1} (${a.id}): ` : '';
      if (a.parentId !== null && !parentOf.has(a.parentId)) {
        return fail(failure(400, 'unknown_area', `${where}there is no zone ${a.parentId}.`));
      }
      // Walk up: a zone must not be its own ancestor.
      const seen = new Set<string>([a.id]);
      for (let p = a.parentId; p !== null && p !== undefined; p = parentOf.get(p) ?? null) {
        if (seen.has(p)) {
          return fail(invalid(`${where}a zone cannot be inside itself (parent ${a.parentId}).`));
        }
        seen.add(p);
      }
      const centi = toCenti(a.lat, a.lon);
      const old = stored.get(a.id);
      rows.push({
        id: a.id,
        name: a.name,
        parent_id: a.parentId,
        lat_centi: centi.latCenti,
        lon_centi: centi.lonCenti,
        created_at: old?.created_at ?? at,
        updated_at: at,
        retired_at: a.retired ? (old?.retired_at ?? at) : null,
      });
    }
    await upsertAreas(trx, rows);
    const created = rows.filter((r) => !stored.has(r.id)).length;
    return {
      value: { created, changed: rows.length - created, areas: rows.map(toAreaWire) },
      events: [],
    };
  });
}

// ─── Posts ──────────────────────────────────────────────────────────────────────────────────────

interface Computed {
  readonly expires_at: string;
  readonly remind_at: string;
  readonly intervals: string;
  readonly starts_at: string | null;
  readonly ends_at: string | null;
}

/** Expiry, reminder and the stored intervals of a post posted (or renewed) at `postedAt`. */
function compute(
  postId: string,
  when: When,
  postedAt: number,
  expiryDays: number,
  now: number,
): Result<Computed, AidFailure> {
  const plan = expiryPlan({ postedAt, expiryDays, whenEndsAt: whenEndsAt(when) });
  const intervals = intervalsOf(when, {
    postId,
    postedAt,
    expiresAt: plan.expiresAt,
    now,
  });
  if (!intervals.ok) return err(failure(400, intervals.error.code, intervals.error.detail));
  const span = spanOf(intervals.value);
  return ok({
    expires_at: new Date(plan.expiresAt).toISOString(),
    remind_at: new Date(plan.remindAt).toISOString(),
    intervals: JSON.stringify(intervals.value.map((i) => [i.start, i.end])),
    starts_at: span === null ? null : new Date(span.start).toISOString(),
    ends_at: span === null ? null : new Date(span.end).toISOString(),
  });
}

function whenChecked(when: When, now: Date): AidFailure | null {
  const checked = checkWhen(when, now.getTime());
  return checked.ok ? null : failure(400, checked.error.code, checked.error.detail);
}

async function areaChecked(q: Db | Tx, areaId: string | null): Promise<AidFailure | null> {
  if (areaId === null) return null;
  const a = await findArea(q, areaId);
  if (a === undefined || a.retired_at !== null) {
    return failure(400, 'unknown_area', `There is no zone ${areaId} to post in.`);
  }
  return null;
}

const openPostLimit = (category: string) =>
  failure(
    409,
    'open_post_limit',
    `You already have ${AID_LIMITS.openPostsPerCategory} open posts about ${category} — close or renew one first.`,
  );

export async function createPost(
  deps: AidDeps,
  auth: Auth,
  community: string,
  input: CreatePostInput,
  now: Date,
): R<PostWire> {
  const at = now.toISOString();
  const r = await commit<PostWire, AidFailure>(deps, now, async (trx) => {
    const s = await standing(trx, community, auth);
    const refused = using(s);
    if (refused !== null) return fail(refused);
    if (input.onBehalf && !s.coordinator) {
      return fail(forbidden("Only this board's coordinators can post for someone else."));
    }
    if (!(await usableCategory(trx, input.category))) {
      return fail(failure(400, 'unknown_category', `There is no category ${input.category}.`));
    }
    const area = await areaChecked(trx, input.areaId);
    if (area !== null) return fail(area);
    const w = whenChecked(input.when, now);
    if (w !== null) return fail(w);
    const expiryDays = input.expiresInDays ?? s.defaultExpiryDays;
    const c = compute(input.id, input.when, now.getTime(), expiryDays, now.getTime());
    if (!c.ok) return fail(c.error);

    // Counted under the poster's row lock: two posts at once cannot both pass.
    await lockAccount(trx, auth.accountId);
    const since = new Date(now.getTime() - DAY_MS).toISOString();
    const recent = await postsSince(trx, auth.accountId, community, since);
    if (recent.count >= AID_LIMITS.postsPerDay) {
      const retryAt = Date.parse(recent.oldest ?? at) + DAY_MS;
      return fail(
        failure(
          429,
          'rate_limited',
          `You can make ${AID_LIMITS.postsPerDay} posts a day on this board. You can post again later.`,
          { retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) },
        ),
      );
    }
    const active = await activePostsIn(trx, auth.accountId, community, input.category);
    if (active >= AID_LIMITS.openPostsPerCategory) return fail(openPostLimit(input.category));
    if (await postIdExists(trx, input.id)) {
      return fail(failure(409, 'conflict', 'A post with this id already exists.'));
    }
    const row: PostRow = {
      id: input.id,
      community,
      group_id: s.groupId,
      author_id: auth.accountId,
      kind: input.kind,
      category: input.category,
      description: input.description,
      content_warning: input.contentWarning,
      area_id: input.areaId,
      reach_km: input.reachKm,
      when_kind: input.when.kind,
      when_json: JSON.stringify(input.when),
      ...c.value,
      urgent: input.urgent ? 1 : 0,
      amount_minor: input.amount?.minor ?? null,
      currency: input.amount?.currency ?? null,
      anonymous: input.anonymous ? 1 : 0,
      name_in_print: input.nameInPrint && !input.anonymous ? 1 : 0,
      on_behalf: input.onBehalf ? 1 : 0,
      status: 'open',
      partner_id: null,
      withdrawn_by: null,
      handled_offline: 0,
      first_helping_at: null,
      done_at: null,
      expiry_days: expiryDays,
      renewed_at: at,
      reminded_at: null,
      hidden_at: null,
      hidden_by: null,
      created_at: at,
      updated_at: at,
    };
    await insertPost(trx, row);
    // Matches (server/aid/relations/): stored, and the people matched told at their rate.
    const matched = await matchNewPost(trx, row.id, now);
    const view = (await findPost(trx, row.id))!;
    return {
      value: toWire(view, { viewerId: auth.accountId, zones: await zoneMap(trx) }),
      events: [...(await postChanged(trx, row)), ...matched.events],
      notified: matched.notified,
    };
  });
  return r;
}

/** The occurrences of a recurring post within the horizon, each with its status. */
async function occurrencesFor(q: Db | Tx, post: PostRow, viewerId: string, now: Date) {
  if (post.when_kind !== 'recurring') return [];
  const when = JSON.parse(post.when_json) as Extract<When, { kind: 'recurring' }>;
  const list = occurrencesOf(when, {
    postId: post.id,
    postedAt: Date.parse(post.renewed_at),
    expiresAt: Date.parse(post.expires_at),
    now: now.getTime(),
  });
  const rows = new Map((await occurrencesOfPost(q, post.id)).map((o) => [o.occurrence_id, o]));
  return (list.ok ? list.value : []).map((o) => {
    const row = rows.get(o.occurrenceId);
    return {
      occurrenceId: o.occurrenceId,
      start: new Date(o.start).toISOString(),
      end: new Date(o.end).toISOString(),
      status: row?.status ?? 'open',
      partnerIsMe: row?.partner_id === viewerId,
    };
  });
}

async function visiblePost(q: Db | Tx, auth: Auth, postId: string) {
  const post = await findPost(q, postId);
  if (post === undefined) return err(notFound());
  const s = await standing(q, post.community, auth);
  if (!seesPost(post, s, auth.accountId)) return err(notFound());
  return ok({ post, s });
}

/** The post page: the post, its coming occurrences, and a named author's public keys. */
export async function postPage(db: Db, auth: Auth, postId: string, now: Date) {
  const v = await visiblePost(db, auth, postId);
  if (!v.ok) return v;
  const { post } = v.value;
  const [wire] = await wiresFor(db, [post], {
    viewerId: auth.accountId,
    zones: await zoneMap(db),
  });
  let authorKeys = null;
  if (post.anonymous === 0 && post.author_id !== null) {
    const a = await findAccount(db, post.author_id);
    const parsed =
      a === undefined
        ? undefined
        : publicKeyBundleSchema.safeParse(JSON.parse(a.public_key_bundle));
    authorKeys = parsed?.success === true ? parsed.data : null;
  }
  return ok({
    ...wire!,
    occurrences: await occurrencesPage(
      db,
      post,
      auth.accountId,
      now,
      await occurrencesFor(db, post, auth.accountId, now),
    ),
    authorKeys,
  });
}

export async function editPost(
  deps: AidDeps,
  auth: Auth,
  postId: string,
  input: UpdatePostInput,
  now: Date,
): R<PostWire> {
  return commit(deps, now, async (trx) => {
    const post = await lockPost(trx, postId);
    if (post === undefined) return fail(notFound());
    const s = await standing(trx, post.community, auth);
    if (!seesPost(post, s, auth.accountId)) return fail(notFound());
    if (post.author_id !== auth.accountId) {
      return fail(forbidden('Only the person who posted this can change it.'));
    }
    const refused = using(s);
    if (refused !== null) return fail(refused);
    if (post.status !== 'open') {
      return fail(
        failure(409, 'invalid_transition', `A post that is ${post.status} cannot be changed.`),
      );
    }
    const category = input.category ?? post.category;
    const urgent = input.urgent ?? post.urgent === 1;
    const amount =
      input.amount !== undefined
        ? input.amount
        : post.amount_minor === null || post.currency === null
          ? null
          : { minor: post.amount_minor, currency: post.currency };
    const issues = postRuleIssues({ kind: post.kind, category, urgent, amount });
    if (issues.length > 0) return fail(invalid(`${issues[0]!.path}: ${issues[0]!.message}`));
    if (category !== post.category) {
      if (!(await usableCategory(trx, category))) {
        return fail(failure(400, 'unknown_category', `There is no category ${category}.`));
      }
      await lockAccount(trx, auth.accountId);
      const active = await activePostsIn(trx, auth.accountId, post.community, category, post.id);
      if (active >= AID_LIMITS.openPostsPerCategory) return fail(openPostLimit(category));
    }
    if (input.areaId !== undefined && input.areaId !== post.area_id) {
      const area = await areaChecked(trx, input.areaId);
      if (area !== null) return fail(area);
    }
    const when = input.when ?? (JSON.parse(post.when_json) as When);
    if (input.when !== undefined) {
      const w = whenChecked(input.when, now);
      if (w !== null) return fail(w);
    }
    const c = compute(post.id, when, Date.parse(post.renewed_at), post.expiry_days, now.getTime());
    if (!c.ok) return fail(c.error);
    const patch: Partial<PostRow> = {
      category,
      urgent: urgent ? 1 : 0,
      amount_minor: amount?.minor ?? null,
      currency: amount?.currency ?? null,
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.contentWarning === undefined ? {} : { content_warning: input.contentWarning }),
      ...(input.areaId === undefined ? {} : { area_id: input.areaId }),
      ...(input.reachKm === undefined ? {} : { reach_km: input.reachKm }),
      ...(input.nameInPrint === undefined
        ? {}
        : { name_in_print: input.nameInPrint && post.anonymous === 0 ? 1 : 0 }),
      when_kind: when.kind,
      when_json: JSON.stringify(when),
      ...c.value,
      // A new expiry earns a new reminder.
      reminded_at: c.value.expires_at === post.expires_at ? post.reminded_at : null,
      updated_at: now.toISOString(),
    };
    await updatePost(trx, post.id, patch);
    // Its category, zone, reach or time may have changed: matched again (relations/).
    const matched = await rematchPost(trx, post.id, now);
    const view = (await findPost(trx, post.id))!;
    const [wire] = await wiresFor(trx, [view], {
      viewerId: auth.accountId,
      zones: await zoneMap(trx),
    });
    return {
      value: wire!,
      events: [...(await postChanged(trx, view)), ...matched.events],
      notified: matched.notified,
    };
  });
}

/** Fixed words: never a name, a category, a zone or a description. */
export const STATUS_TEXT = {
  title: 'Tend',
  body: 'Something changed on an aid post of yours — open Tend',
} as const;

/**
 * One change of the lifecycle (core/src/aid/lifecycle.ts) under the post's row lock, with the
 * status read in this transaction. The person's roles are tried in order (`transitionAsAny`);
 * a moderator's change is written to the moderation audit log in the same transaction.
 */
export async function changeStatus(
  deps: AidDeps,
  auth: Auth,
  postId: string,
  input: ChangeStatusInput,
  now: Date,
): R<PostWire> {
  const at = now.toISOString();
  return commit(deps, now, async (trx) => {
    const post = await lockPost(trx, postId);
    if (post === undefined) return fail(notFound());
    const s = await standing(trx, post.community, auth);
    if (!seesPost(post, s, auth.accountId)) return fail(notFound());
    const me = auth.accountId;

    // One occurrence of recurring help, or the whole post.
    const occId = input.occurrenceId ?? null;
    let occ: { starts_at: string; ends_at: string } | null = null;
    const stored =
      occId === null
        ? undefined
        : (await occurrencesOfPost(trx, post.id)).find((o) => o.occurrence_id === occId);
    if (occId !== null) {
      if (post.when_kind !== 'recurring') {
        return fail(invalid('occurrenceId: this post is not recurring.'));
      }
      if (stored !== undefined) occ = stored;
      else {
        const coming = (await occurrencesFor(trx, post, me, now)).find(
          (o) => o.occurrenceId === occId,
        );
        if (coming === undefined) {
          return fail(failure(404, 'not_found', 'There is no such occurrence of this post.'));
        }
        occ = { starts_at: coming.start, ends_at: coming.end };
      }
      if (!isActive(post.status)) {
        return fail(
          failure(
            409,
            'invalid_transition',
            `This post is ${post.status}: its dates cannot change.`,
          ),
        );
      }
    }
    const from: AidStatus = occId === null ? post.status : (stored?.status ?? 'open');
    const partner = occId === null ? post.partner_id : (stored?.partner_id ?? null);
    const withdrawnBy = (occId === null ? post.withdrawn_by : stored?.withdrawn_by) ?? undefined;

    const actors: AidActor[] = [];
    if (post.author_id === me) actors.push('author');
    if (partner === me) actors.push('partner');
    if (s.coordinator && post.author_id !== me && partner !== me) actors.push('coordinator');
    if (s.moderator) actors.push('moderator');
    const t = transitionAsAny({
      kind: post.kind,
      from,
      to: input.to,
      actors,
      ...(withdrawnBy === undefined ? {} : { withdrawnBy }),
    });
    if (!t.ok) {
      return fail(
        t.error.code === 'forbidden'
          ? forbidden(`You cannot make this change (${t.error.detail}).`)
          : failure(409, 'invalid_transition', t.error.detail),
      );
    }
    const change = t.value;
    if (input.offline === true && (change.to !== 'done' || change.actor !== 'coordinator')) {
      return fail(invalid('offline: only a coordinator records a post done as handled offline.'));
    }
    let newPartner = partner;
    if (change.partner === 'set') {
      if (input.partnerId === undefined) {
        return fail(invalid('partnerId: say who is helping (someone who responded).'));
      }
      if (input.partnerId === post.author_id) {
        return fail(failure(409, 'own_post', 'Nobody can be the partner on their own post.'));
      }
      const allowed =
        change.actor === 'coordinator'
          ? await acceptedHelpers(trx, post.id, occId)
          : [
              ...(await liveResponders(trx, post.id, occId)),
              ...(await acceptedHelpers(trx, post.id, occId)),
            ];
      if (!allowed.includes(input.partnerId)) {
        return fail(
          invalid(
            change.actor === 'coordinator'
              ? 'partnerId: a coordinator sets a partner through an assignment everyone accepted.'
              : 'partnerId: choose someone who responded to this post.',
          ),
        );
      }
      newPartner = input.partnerId;
    } else if (input.partnerId !== undefined) {
      return fail(invalid('partnerId: only a move to helping names a partner.'));
    } else if (change.partner === 'clear') newPartner = null;

    const status = change.to;
    const common = {
      status,
      partner_id: newPartner,
      withdrawn_by: status === 'withdrawn' ? change.actor : null,
      handled_offline: status === 'done' && input.offline === true ? 1 : 0,
    };
    let rematched: { events: NewEvent[]; notified: boolean } = { events: [], notified: false };
    if (occId === null) {
      const patch: Partial<PostRow> = {
        ...common,
        first_helping_at:
          status === 'helping' ? (post.first_helping_at ?? at) : post.first_helping_at,
        done_at: status === 'done' ? at : post.done_at,
        updated_at: at,
      };
      // Opened again after its expiry: a new expiry and a new reminder (as renewing).
      if (status === 'open' && Date.parse(post.expires_at) <= now.getTime()) {
        const c = compute(
          post.id,
          JSON.parse(post.when_json) as When,
          now.getTime(),
          post.expiry_days,
          now.getTime(),
        );
        if (!c.ok) return fail(c.error);
        Object.assign(patch, c.value, { renewed_at: at, reminded_at: null });
      }
      await updatePost(trx, post.id, patch);
      // Back on the board (reopened, or a need no longer being helped): matched again.
      if (
        status !== from &&
        (status === 'open' || (post.kind === 'offer' && status === 'helping'))
      ) {
        rematched = await rematchPost(trx, post.id, now);
      }
    } else {
      await upsertOccurrence(trx, {
        post_id: post.id,
        occurrence_id: occId,
        starts_at: occ!.starts_at,
        ends_at: occ!.ends_at,
        ...common,
        first_helping_at:
          status === 'helping'
            ? (stored?.first_helping_at ?? at)
            : (stored?.first_helping_at ?? null),
        done_at: status === 'done' ? at : (stored?.done_at ?? null),
      });
      await updatePost(trx, post.id, { updated_at: at });
    }
    if (change.audited) {
      await appendAudit(trx, {
        id: generateId(),
        at,
        actor_id: me,
        action: status === 'withdrawn' ? 'withdraw-aid-post' : 'reopen-aid-post',
        // Never the author: that would say who wrote an anonymous post.
        target_id: null,
        group_id: post.group_id,
        thread_id: null,
        post_id: null,
        report_id: null,
        reason: null,
        aid_post_id: post.id,
      });
    }
    // Tell those involved (not the one who made the change), in fixed words.
    let notified = false;
    for (const who of new Set([post.author_id, partner, newPartner])) {
      if (who === null || who === me) continue;
      await enqueueNotification(
        trx,
        {
          accountId: who,
          kind: 'aid',
          dedupeKey: `aid-status:${post.id}:${occId ?? '*'}:${status}:${at}:${who}`,
          text: { ...STATUS_TEXT, path: `/aid/${post.id}` },
        },
        now,
      );
      notified = true;
    }
    const view = (await findPost(trx, post.id))!;
    const [wire] = await wiresFor(trx, [view], { viewerId: me, zones: await zoneMap(trx) });
    const extra = [partner, newPartner].filter((x): x is string => x !== null);
    return {
      value: wire!,
      events: [...(await postChanged(trx, view, extra)), ...rematched.events],
      notified: notified || rematched.notified,
    };
  });
}

/** Still needed: a new expiry and a new reminder; an expired post opens again. */
export async function renewPost(
  deps: AidDeps,
  auth: Auth,
  postId: string,
  input: { expiresInDays?: number | undefined },
  now: Date,
): R<PostWire> {
  const at = now.toISOString();
  return commit(deps, now, async (trx) => {
    const post = await lockPost(trx, postId);
    if (post === undefined) return fail(notFound());
    const s = await standing(trx, post.community, auth);
    if (!seesPost(post, s, auth.accountId)) return fail(notFound());
    if (post.author_id !== auth.accountId) {
      return fail(forbidden('Only the person who posted this can renew it.'));
    }
    if (!isActive(post.status)) {
      const t = transition({ kind: post.kind, from: post.status, to: 'open', actor: 'author' });
      if (!t.ok || post.status !== 'expired') {
        return fail(
          failure(409, 'invalid_transition', `A post that is ${post.status} cannot be renewed.`),
        );
      }
    }
    const when = JSON.parse(post.when_json) as When;
    const w = whenChecked(when, now);
    if (w !== null) return fail(w);
    const days = input.expiresInDays ?? post.expiry_days;
    const c = compute(post.id, when, now.getTime(), days, now.getTime());
    if (!c.ok) return fail(c.error);
    await updatePost(trx, post.id, {
      ...c.value,
      status: post.status === 'expired' ? 'open' : post.status,
      expiry_days: days,
      renewed_at: at,
      reminded_at: null,
      updated_at: at,
    });
    // New intervals (and an expired post back on the board): matched again (relations/).
    const matched = await rematchPost(trx, post.id, now);
    const view = (await findPost(trx, post.id))!;
    const [wire] = await wiresFor(trx, [view], {
      viewerId: auth.accountId,
      zones: await zoneMap(trx),
    });
    return {
      value: wire!,
      events: [...(await postChanged(trx, view)), ...matched.events],
      notified: matched.notified,
    };
  });
}

// ─── The board ──────────────────────────────────────────────────────────────────────────────────

export async function board(db: Db, auth: Auth, community: string, q: BoardQuery) {
  const s = await standing(db, community, auth);
  const f = seeing(s);
  if (f !== null) return err(f);
  if (!s.enabled) return err(boardOff());
  const zones = await listAreas(db);
  const byId = new Map(zones.map((z) => [z.id, zoneCentre(z)]));
  let areaIds: string[] | undefined;
  let from: Centre | null = null;
  if (q.area !== undefined) {
    const centre = byId.get(q.area);
    if (centre === undefined) {
      return err(failure(400, 'unknown_area', `There is no zone ${q.area}.`));
    }
    from = centre;
    areaIds =
      q.within === undefined
        ? [q.area]
        : zonesWithin(
            [...byId].map(([id, c]) => ({ id, centre: c })),
            centre,
            q.within,
          );
  }
  const after = q.after === undefined ? undefined : decodeCursor(q.after);
  const rows = await boardPage(db, {
    community,
    viewerId: auth.accountId,
    status: q.status ?? 'open',
    ...(q.kind === undefined ? {} : { kind: q.kind }),
    ...(q.category === undefined ? {} : { category: q.category }),
    ...(areaIds === undefined ? {} : { areaIds }),
    ...(q.from === undefined ? {} : { from: new Date(q.from).toISOString() }),
    ...(q.to === undefined ? {} : { to: new Date(q.to).toISOString() }),
    ...(q.urgent === undefined ? {} : { urgent: q.urgent }),
    sort: q.sort,
    ...(after === null || after === undefined ? {} : { after }),
    limit: q.limit,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return ok({
    posts: await wiresFor(db, page, { viewerId: auth.accountId, zones: byId, from }),
    next:
      rows.length > q.limit && last !== undefined ? encodeCursor(last.created_at, last.id) : null,
  });
}

// ─── Mine ───────────────────────────────────────────────────────────────────────────────────────

const MINE_LIMIT = 200;

/** My posts (any status), my responses, and assignments waiting for my answer. */
export async function mine(db: Db, auth: Auth) {
  const me = auth.accountId;
  const posts = await postsBy(db, me, MINE_LIMIT);
  const responses = await responsesBy(db, me, MINE_LIMIT);
  const assignments = await assignmentsWaitingFor(db, me, MINE_LIMIT);
  return ok({
    posts: await wiresFor(db, posts, { viewerId: me, zones: await zoneMap(db) }),
    responses: responses.map((r) => ({
      id: r.id,
      postId: r.post_id,
      occurrenceId: r.occurrence_id,
      responder: { accountId: r.responder_id, handle: r.handle },
      status: r.status,
      conversationId: r.conversation_id,
      createdAt: r.created_at,
    })),
    assignments: assignments.map((a) => ({
      id: a.id,
      postId: a.post_id,
      occurrenceId: a.occurrence_id,
      helper: { accountId: a.helper_id, handle: a.handle },
      status: a.status,
      askerConsented: a.asker_consented_at !== null,
      helperConsented: a.helper_consented_at !== null,
      createdAt: a.created_at,
    })),
  });
}
