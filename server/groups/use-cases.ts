import type { z } from 'zod';
import { normaliseHandle } from '../../core/src/accounts/handle.js';
import {
  GROUP_LIMITS,
  type AgreementWire,
  type AnswerGroupInvitation,
  type BrowseQuery,
  type CreateGroupInput,
  type createGroupInvitationSchema,
  type GroupInvitationsQuery,
  type GroupInvitationWire,
  type GroupMembershipWire,
  type GroupPageWire,
  type GroupRole,
  type GroupSummaryWire,
  type JoinRequestWire,
  type NextMeetingWire,
  type joinRequestSchema,
  type joinSchema,
  type ManagePageQuery,
  type UpdateGroupInput,
} from '../../core/src/groups/api.js';
import { err, ok, type Result } from '../../core/src/result.js';
import type { Db, Engine, Tx } from '../db/database.js';
import { isBanned } from '../moderation/repository.js';
import { commit, fail, type CircleDeps } from '../circles/commit.js';
import { blockedEitherWay, findAccountByHandle, lockAccount } from '../circles/repository.js';
import { hashToken } from '../circles/use-cases.js';
import type { NewEvent } from '../realtime/log.js';
import { nextMeetings } from './meetings/next.js';
import {
  closeInvitation,
  closeRequest,
  countGroupsCreatedSince,
  countInvitationUse,
  countMembers,
  deleteMember,
  facilitatorIds,
  findAgreement,
  findGroup,
  findGroupBySlug,
  findGroupWithCount,
  findInvitation,
  findInvitationByTokenHash,
  findMember,
  findRequest,
  groupIdExists,
  groupsOfMember,
  insertAgreement,
  insertGroup,
  insertInvitation,
  insertMember,
  insertRequest,
  invitationExists,
  isUniqueViolation,
  latestRequest,
  listAgreements,
  listInvitations,
  listMembers,
  lockGroup,
  pendingInvitationFor,
  pendingInvitationsOf,
  pendingRequests,
  pendingRequestPseudonyms,
  pendingRequestsOf,
  pseudonymTaken,
  requestIdExists,
  searchGroups,
  setTags,
  slugTaken,
  updateGroup,
  updateMember,
  withdrawRequests,
  type GroupRow,
  type After,
  type GroupWithCount,
  type InvitationRow,
  type MemberRow,
  type RequestRow,
} from './repository.js';

/** What the group use cases need from the app (a subset of ServiceDeps). */
export interface GroupDeps extends CircleDeps {
  readonly engine: Engine;
}

/** Every expected failure of a group use case; routes turn each into a status and a code. */
export type GroupFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'forbidden'; readonly message: string }
  | {
      readonly kind: 'invalid';
      readonly message: string;
      /** Which fields, as the schema validation's issues name them (`answers.1`). */
      readonly issues?: readonly { readonly path: string; readonly message: string }[];
    }
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'slug_taken' }
  | { readonly kind: 'pseudonym_taken' }
  | { readonly kind: 'already_member' }
  | { readonly kind: 'stale_agreement'; readonly current: number }
  | { readonly kind: 'join_mode'; readonly message: string }
  | { readonly kind: 'request_closed' }
  | { readonly kind: 'last_facilitator' }
  | { readonly kind: 'archived' }
  | { readonly kind: 'rate_limited' }
  | { readonly kind: 'invitation_closed' }
  | { readonly kind: 'link_gone' }
  | { readonly kind: 'no_account' }
  | { readonly kind: 'banned' };

type R<T> = Promise<Result<T, GroupFailure>>;

const DAY_MS = 24 * 3_600_000;
const DEFAULT_INVITATION_HOURS = 14 * 24;

// ─── Shapes ─────────────────────────────────────────────────────────────────────────────────────

const strings = (json: string) => JSON.parse(json) as string[];

/**
 * A group as a list shows it. `next` is its next meeting, given only when the viewer may see the
 * group's meetings (`meetingsVisible`).
 */
export function toSummary(
  row: GroupWithCount,
  next: NextMeetingWire | null = null,
): GroupSummaryWire {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    topics: strings(row.topics),
    languages: strings(row.languages),
    format: row.format,
    area: row.area,
    visibility: row.visibility,
    memberCount: row.member_count,
    archived: row.archived_at !== null,
    createdAt: row.created_at,
    nextMeeting: next,
  };
}

/**
 * Whether a viewer may see a group's meeting times: anyone who can see a public or by-request
 * group, but only members of an invite-only one (not an invitee, not a link holder), exactly as
 * the meetings routes answer (server/groups/meetings/use-cases.ts, `access`).
 */
const meetingsVisible = (group: Pick<GroupRow, 'visibility'>, isMember: boolean) =>
  group.visibility !== 'invite' || isMember;

/** Summaries of `rows` with their next meetings (two queries for the lot). */
async function summaries(
  q: Db | Tx,
  rows: readonly GroupWithCount[],
  isMember: (row: GroupWithCount) => boolean,
  now: Date,
): Promise<GroupSummaryWire[]> {
  const visible = rows.filter((row) => meetingsVisible(row, isMember(row)));
  const next = await nextMeetings(
    q,
    visible.map((row) => row.id),
    now,
  );
  return rows.map((row) =>
    toSummary(row, meetingsVisible(row, isMember(row)) ? (next.get(row.id) ?? null) : null),
  );
}

function toMembership(
  m: Pick<MemberRow, 'role' | 'pseudonym' | 'agreement_version' | 'joined_at'>,
  current: number,
): GroupMembershipWire {
  return {
    role: m.role,
    pseudonym: m.pseudonym,
    agreementVersion: m.agreement_version,
    needsAgreement: m.agreement_version < current,
    joinedAt: m.joined_at,
  };
}

function toRequest(row: RequestRow, group: GroupRow): JoinRequestWire {
  return {
    id: row.id,
    groupId: row.group_id,
    account: { accountId: row.account_id, handle: row.handle },
    questions: strings(group.join_questions),
    answers: strings(row.answers),
    status: row.status,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

function invitationStatus(row: InvitationRow, now: Date): GroupInvitationWire['status'] {
  return row.status === 'pending' && row.expires_at <= now.toISOString() ? 'expired' : row.status;
}

function toInvitation(row: InvitationRow, now: Date): GroupInvitationWire {
  return {
    id: row.id,
    groupId: row.group_id,
    kind: row.kind,
    invitee:
      row.invitee_id === null || row.invitee_handle === null
        ? null
        : { accountId: row.invitee_id, handle: row.invitee_handle },
    status: invitationStatus(row, now),
    uses: row.uses,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

const pseudonymKey = (p: string | undefined) =>
  p === undefined ? null : p.normalize('NFC').toLowerCase();

/** Words of a search: letters and digits only, so they are safe in FTS5 and tsquery syntax. */
export function searchWords(text: string | undefined): string[] {
  if (text === undefined) return [];
  const words =
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, 64)))].slice(0, 8);
}

// ─── Who sees what ──────────────────────────────────────────────────────────────────────────────

interface Seen {
  readonly group: GroupRow;
  readonly member: MemberRow | undefined;
}

type Need = 'see' | 'member' | 'facilitator';

/**
 * The group as `accountId` may see it, or a failure. An invite-only group is visible only to its
 * members and to someone holding a pending invitation by handle; to anyone else it is `not_found`,
 * exactly as an unknown id. Then `member` and `facilitator` need that role (`forbidden`).
 */
async function see(
  q: Db | Tx,
  group: GroupRow | undefined,
  accountId: string,
  now: Date,
  need: Need,
): Promise<Result<Seen, GroupFailure>> {
  if (group === undefined) return err({ kind: 'not_found' });
  const member = await findMember(q, group.id, accountId);
  if (group.visibility === 'invite' && member === undefined) {
    const invited = await pendingInvitationFor(q, group.id, accountId, now.toISOString());
    if (invited === undefined) return err({ kind: 'not_found' });
  }
  if (need === 'member' && member === undefined) {
    return err({ kind: 'forbidden', message: 'Only members of this group can do that.' });
  }
  if (need === 'facilitator' && member?.role !== 'facilitator') {
    return err({ kind: 'forbidden', message: "Only this group's facilitators can do that." });
  }
  return ok({ group, member });
}

/** `see` inside a write: takes the group's lock first, and rolls back on a failure. */
async function seeLocked(trx: Tx, groupId: string, accountId: string, now: Date, need: Need) {
  const r = await see(trx, await lockGroup(trx, groupId), accountId, now, need);
  if (!r.ok) return fail(r.error);
  return r.value;
}

const notArchived = (group: GroupRow) => {
  if (group.archived_at !== null) fail({ kind: 'archived' });
};

async function page(
  q: Db | Tx,
  groupId: string,
  accountId: string,
  now: Date,
): Promise<GroupPageWire> {
  const row = (await findGroupWithCount(q, groupId))!;
  const [agreement, member, request, invitation] = await Promise.all([
    findAgreement(q, groupId, row.agreement_version),
    findMember(q, groupId, accountId),
    latestRequest(q, groupId, accountId),
    pendingInvitationFor(q, groupId, accountId, now.toISOString()),
  ]);
  const [summary] = await summaries(q, [row], () => member !== undefined, now);
  return {
    ...summary!,
    agreement: toAgreement(agreement!),
    joinQuestions: strings(row.join_questions),
    membership: member === undefined ? null : toMembership(member, row.agreement_version),
    myRequest:
      request === undefined
        ? null
        : { id: request.id, status: request.status, createdAt: request.created_at },
    myInvitationId: invitation?.id ?? null,
  };
}

const toAgreement = (a: { version: number; text: string; created_at: string }): AgreementWire => ({
  version: a.version,
  text: a.text,
  createdAt: a.created_at,
});

// ─── Creating, reading, editing ─────────────────────────────────────────────────────────────────

export async function createGroup(
  deps: GroupDeps,
  accountId: string,
  input: CreateGroupInput,
  now: Date,
): R<GroupPageWire> {
  const at = now.toISOString();
  return uniquely(deps, input.slug, () =>
    commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
      // The account's row lock: parallel requests cannot slip past the daily allowance.
      if (!(await lockAccount(trx, accountId))) fail({ kind: 'no_account' });
      const since = new Date(now.getTime() - DAY_MS).toISOString();
      if ((await countGroupsCreatedSince(trx, accountId, since)) >= GROUP_LIMITS.createdPerDay) {
        fail({ kind: 'rate_limited' });
      }
      if (await groupIdExists(trx, input.id)) {
        fail({ kind: 'conflict', message: 'A group already has this id; make a new one.' });
      }
      if (await slugTaken(trx, input.slug)) fail({ kind: 'slug_taken' });
      await insertGroup(trx, {
        id: input.id,
        slug: input.slug,
        name: input.name,
        description: input.description,
        topics: JSON.stringify(input.topics),
        languages: JSON.stringify(input.languages),
        format: input.format,
        area: input.area,
        visibility: input.visibility,
        join_questions: JSON.stringify(input.joinQuestions),
        agreement_version: 1,
        created_by: accountId,
        created_at: at,
        updated_at: at,
        archived_at: null,
      });
      await setTags(trx, input.id, input.topics, input.languages);
      await insertAgreement(trx, {
        group_id: input.id,
        version: 1,
        text: input.agreement,
        written_by: accountId,
        created_at: at,
      });
      await insertMember(trx, {
        group_id: input.id,
        account_id: accountId,
        role: 'facilitator',
        agreement_version: 1,
        pseudonym: input.pseudonym ?? null,
        pseudonym_key: pseudonymKey(input.pseudonym),
        joined_at: at,
      });
      return { value: await page(trx, input.id, accountId, now), events: [] };
    }),
  );
}

/**
 * Runs a write that inserts or changes a slug (or a new id). Two such writes can both find a slug
 * free and then collide on the unique index (PostgreSQL runs them side by side): the loser's
 * database error becomes the answer it would have had a moment later.
 */
async function uniquely<T>(
  deps: Pick<GroupDeps, 'db'>,
  slug: string | undefined,
  write: () => R<T>,
): R<T> {
  try {
    return await write();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    if (slug !== undefined && (await slugTaken(deps.db, slug))) return err({ kind: 'slug_taken' });
    return err({ kind: 'conflict', message: 'That was just taken by someone else; try again.' });
  }
}

export async function groupPage(
  db: Db,
  groupId: string,
  accountId: string,
  now: Date,
): R<GroupPageWire> {
  const r = await see(db, await findGroup(db, groupId), accountId, now, 'see');
  if (!r.ok) return r;
  return ok(await page(db, groupId, accountId, now));
}

/** The same page found by the group's slug (for links such as `/groups/voices-leeds`). */
export async function groupPageBySlug(
  db: Db,
  slug: string,
  accountId: string,
  now: Date,
): R<GroupPageWire> {
  const group = await findGroupBySlug(db, slug);
  const r = await see(db, group, accountId, now, 'see');
  if (!r.ok) return r;
  return ok(await page(db, r.value.group.id, accountId, now));
}

export async function browseGroups(
  deps: Pick<GroupDeps, 'db' | 'engine'>,
  accountId: string,
  query: BrowseQuery,
  now: Date,
): R<{ groups: GroupSummaryWire[]; nextCursor: string | null }> {
  let after: { createdAt: string; id: string } | undefined;
  if (query.cursor !== undefined) {
    try {
      const parsed = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as unknown;
      if (
        !Array.isArray(parsed) ||
        parsed.length !== 2 ||
        typeof parsed[0] !== 'string' ||
        typeof parsed[1] !== 'string'
      ) {
        throw new Error('shape');
      }
      after = { createdAt: parsed[0], id: parsed[1] };
    } catch {
      return err({ kind: 'invalid', message: 'That cursor is not one this server gave.' });
    }
  }
  const limit = query.limit ?? 20;
  const rows = await searchGroups(deps.db, deps.engine, accountId, {
    words: searchWords(query.q),
    areaWords: searchWords(query.area),
    ...(query.topic === undefined ? {} : { topic: query.topic }),
    ...(query.language === undefined ? {} : { language: query.language }),
    ...(query.format === undefined ? {} : { format: query.format }),
    ...(after === undefined ? {} : { after }),
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  // Browsing finds an invite-only group only for its members.
  const groups = await summaries(deps.db, shown, (row) => row.visibility === 'invite', now);
  return ok({
    groups,
    nextCursor:
      more && last !== undefined
        ? Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url')
        : null,
  });
}

export async function myGroups(db: Db, accountId: string, now: Date) {
  const [mine, requests, invitations] = await Promise.all([
    groupsOfMember(db, accountId),
    pendingRequestsOf(db, accountId),
    pendingInvitationsOf(db, accountId, now.toISOString()),
  ]);
  const others = await Promise.all(
    [...requests, ...invitations].map(async (r) => (await findGroupWithCount(db, r.group_id))!),
  );
  const memberOf = new Set(mine.map((g) => g.id));
  const summarised = await summaries(db, [...mine, ...others], (g) => memberOf.has(g.id), now);
  const byId = new Map(summarised.map((g) => [g.id, g]));
  const summary = (id: string) => byId.get(id)!;
  return {
    groups: mine.map((g) => ({
      ...summary(g.id),
      membership: toMembership(
        {
          role: g.role,
          pseudonym: g.pseudonym,
          agreement_version: g.member_agreement_version,
          joined_at: g.joined_at,
        },
        g.agreement_version,
      ),
    })),
    requests: requests.map((r) => ({ id: r.id, status: r.status, group: summary(r.group_id) })),
    invitations: invitations.map((i) => ({ id: i.id, group: summary(i.group_id) })),
  };
}

export async function editGroup(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  input: UpdateGroupInput,
  now: Date,
): R<GroupPageWire> {
  return uniquely(deps, input.slug, () =>
    commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
      const { group } = await seeLocked(trx, groupId, accountId, now, 'facilitator');
      notArchived(group);
      if (input.slug !== undefined && (await slugTaken(trx, input.slug, groupId))) {
        fail({ kind: 'slug_taken' });
      }
      await updateGroup(trx, groupId, {
        ...(input.slug === undefined ? {} : { slug: input.slug }),
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.topics === undefined ? {} : { topics: JSON.stringify(input.topics) }),
        ...(input.languages === undefined ? {} : { languages: JSON.stringify(input.languages) }),
        ...(input.format === undefined ? {} : { format: input.format }),
        ...(input.area === undefined ? {} : { area: input.area }),
        ...(input.visibility === undefined ? {} : { visibility: input.visibility }),
        ...(input.joinQuestions === undefined
          ? {}
          : { join_questions: JSON.stringify(input.joinQuestions) }),
        updated_at: now.toISOString(),
      });
      if (input.topics !== undefined || input.languages !== undefined) {
        await setTags(
          trx,
          groupId,
          input.topics ?? strings(group.topics),
          input.languages ?? strings(group.languages),
        );
      }
      return { value: await page(trx, groupId, accountId, now), events: [] };
    }),
  );
}

export async function archiveGroup(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  now: Date,
): R<GroupPageWire> {
  return commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
    const { group } = await seeLocked(trx, groupId, accountId, now, 'facilitator');
    notArchived(group);
    const at = now.toISOString();
    await updateGroup(trx, groupId, { archived_at: at, updated_at: at });
    return { value: await page(trx, groupId, accountId, now), events: [] };
  });
}

// ─── Members and roles ──────────────────────────────────────────────────────────────────────────

/** Members see pseudonyms only; moderators and facilitators also see whose they are. */
const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
const badCursor: GroupFailure = {
  kind: 'invalid',
  message: 'That cursor is not one this server gave.',
};

/** Members see pseudonyms only; moderators and facilitators also see whose they are. */
export async function groupMembers(
  db: Db,
  groupId: string,
  accountId: string,
  query: { cursor?: string | undefined; limit?: number | undefined },
  now: Date,
) {
  let from: { joinedAt: string; skip: number } | undefined;
  if (query.cursor !== undefined) {
    const c = decodeCursor(query.cursor);
    if (
      !Array.isArray(c) ||
      c.length !== 2 ||
      typeof c[0] !== 'string' ||
      !Number.isSafeInteger(c[1]) ||
      (c[1] as number) < 0
    ) {
      return err(badCursor);
    }
    from = { joinedAt: c[0], skip: c[1] as number };
  }
  const r = await see(db, await findGroup(db, groupId), accountId, now, 'member');
  if (!r.ok) return r;
  const reveal = r.value.member?.role !== 'member';
  const limit = query.limit ?? GROUP_LIMITS.membersPageSize;
  const rows = await listMembers(db, groupId, from, limit + 1);
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > limit && last !== undefined) {
    // How many members who joined exactly when the last one did have now been shown.
    const before = from !== undefined && from.joinedAt === last.joined_at ? from.skip : 0;
    const here = shown.filter((m) => m.joined_at === last.joined_at).length;
    nextCursor = encodeCursor([last.joined_at, before + here]);
  }
  return ok({
    members: shown.map((m) => {
      const hidden = m.pseudonym !== null && !reveal;
      return {
        accountId: hidden ? null : m.account_id,
        handle: hidden ? null : m.handle,
        pseudonym: m.pseudonym,
        role: m.role,
        joinedAt: m.joined_at,
      };
    }),
    nextCursor,
  });
}

const membershipEvent = (groupId: string, accountId: string): NewEvent => ({
  accountId,
  type: 'group.membership.changed',
  data: { groupId },
});

export async function setRole(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  targetId: string,
  role: GroupRole,
  now: Date,
) {
  return commit<{ accountId: string; role: GroupRole }, GroupFailure>(deps, now, async (trx) => {
    const { group } = await seeLocked(trx, groupId, accountId, now, 'facilitator');
    notArchived(group);
    const target = await findMember(trx, groupId, targetId);
    if (target === undefined) return fail({ kind: 'not_found' });
    if (
      target.role === 'facilitator' &&
      role !== 'facilitator' &&
      (await countMembers(trx, groupId, 'facilitator')) <= 1
    ) {
      fail({ kind: 'last_facilitator' });
    }
    await updateMember(trx, groupId, targetId, { role });
    return {
      value: { accountId: targetId, role },
      events: target.role === role ? [] : [membershipEvent(groupId, targetId)],
    };
  });
}

/**
 * Leaving. The last facilitator cannot leave while others remain (they name another facilitator
 * first); the last person to leave archives the group.
 */
export async function leaveGroup(deps: GroupDeps, groupId: string, accountId: string, now: Date) {
  return commit<true, GroupFailure>(deps, now, async (trx) => {
    const group = await lockGroup(trx, groupId);
    const member = group === undefined ? undefined : await findMember(trx, groupId, accountId);
    if (group === undefined || member === undefined) return fail({ kind: 'not_found' });
    const others = (await countMembers(trx, groupId)) - 1;
    if (
      member.role === 'facilitator' &&
      others > 0 &&
      (await countMembers(trx, groupId, 'facilitator')) <= 1
    ) {
      fail({ kind: 'last_facilitator' });
    }
    await deleteMember(trx, groupId, accountId);
    if (others === 0 && group.archived_at === null) {
      const at = now.toISOString();
      await updateGroup(trx, groupId, { archived_at: at, updated_at: at });
    }
    return { value: true, events: [membershipEvent(groupId, accountId)] };
  });
}

/** A member takes, changes or drops their pseudonym in this group (null: their handle). */
export async function setPseudonym(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  pseudonym: string | null,
  now: Date,
): R<GroupPageWire> {
  return commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
    await seeLocked(trx, groupId, accountId, now, 'member');
    await pseudonymFree(trx, groupId, pseudonym ?? undefined, accountId);
    await updateMember(trx, groupId, accountId, {
      pseudonym,
      pseudonym_key: pseudonymKey(pseudonym ?? undefined),
    });
    return { value: await page(trx, groupId, accountId, now), events: [] };
  });
}

// ─── Agreements ─────────────────────────────────────────────────────────────────────────────────

export async function agreements(db: Db, groupId: string, accountId: string, now: Date) {
  const r = await see(db, await findGroup(db, groupId), accountId, now, 'see');
  if (!r.ok) return r;
  return ok({ agreements: (await listAgreements(db, groupId)).map(toAgreement) });
}

/** A new version: every other member must accept it again (`needsAgreement`); its writer has. */
export async function publishAgreement(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  text: string,
  now: Date,
): R<GroupPageWire> {
  return commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
    const { group } = await seeLocked(trx, groupId, accountId, now, 'facilitator');
    notArchived(group);
    const version = group.agreement_version + 1;
    const at = now.toISOString();
    await insertAgreement(trx, {
      group_id: groupId,
      version,
      text,
      written_by: accountId,
      created_at: at,
    });
    await updateGroup(trx, groupId, { agreement_version: version, updated_at: at });
    await updateMember(trx, groupId, accountId, { agreement_version: version });
    return { value: await page(trx, groupId, accountId, now), events: [] };
  });
}

const currentAgreement = (group: GroupRow, version: number) => {
  if (version !== group.agreement_version) {
    fail({ kind: 'stale_agreement', current: group.agreement_version });
  }
};

export async function acceptAgreement(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  version: number,
  now: Date,
): R<GroupPageWire> {
  return commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
    const { group } = await seeLocked(trx, groupId, accountId, now, 'member');
    currentAgreement(group, version);
    await updateMember(trx, groupId, accountId, { agreement_version: version });
    return { value: await page(trx, groupId, accountId, now), events: [] };
  });
}

// ─── Joining ────────────────────────────────────────────────────────────────────────────────────

/** Pseudonyms are unique per group among members and pending requests. */
async function pseudonymFree(
  trx: Tx,
  groupId: string,
  pseudonym: string | undefined,
  exceptAccountId?: string,
) {
  const key = pseudonymKey(pseudonym);
  if (key === null) return;
  if (await pseudonymTaken(trx, groupId, key, exceptAccountId)) fail({ kind: 'pseudonym_taken' });
  const held = await pendingRequestPseudonyms(trx, groupId);
  if (held.some((p) => pseudonymKey(p) === key)) {
    fail({ kind: 'pseudonym_taken' });
  }
}

/** Makes the membership (role member) and withdraws the person's pending requests to the group. */
async function addMember(
  trx: Tx,
  group: GroupRow,
  accountId: string,
  version: number,
  pseudonym: string | null,
  now: Date,
): Promise<NewEvent[]> {
  const at = now.toISOString();
  // Moderation: a banned person cannot join by any way until unbanned (server/moderation).
  if (await isBanned(trx, group.id, accountId)) fail({ kind: 'banned' });
  await withdrawRequests(trx, group.id, accountId, at);
  await insertMember(trx, {
    group_id: group.id,
    account_id: accountId,
    role: 'member',
    agreement_version: version,
    pseudonym,
    pseudonym_key: pseudonymKey(pseudonym ?? undefined),
    joined_at: at,
  });
  return [membershipEvent(group.id, accountId)];
}

async function joinable(trx: Tx, seen: Seen, version: number, pseudonym: string | undefined) {
  notArchived(seen.group);
  if (seen.member !== undefined) fail({ kind: 'already_member' });
  currentAgreement(seen.group, version);
  await pseudonymFree(trx, seen.group.id, pseudonym);
}

export async function joinGroup(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  input: z.infer<typeof joinSchema>,
  now: Date,
): R<GroupPageWire> {
  return commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
    const seen = await seeLocked(trx, groupId, accountId, now, 'see');
    if (seen.member === undefined && seen.group.visibility !== 'public') {
      fail({
        kind: 'join_mode',
        message:
          seen.group.visibility === 'request'
            ? 'This group asks people to request to join.'
            : 'This group is by invitation: answer your invitation.',
      });
    }
    await joinable(trx, seen, input.agreementVersion, input.pseudonym);
    const events = await addMember(
      trx,
      seen.group,
      accountId,
      input.agreementVersion,
      input.pseudonym ?? null,
      now,
    );
    return { value: await page(trx, groupId, accountId, now), events };
  });
}

const requestEvents = (groupId: string, requestId: string, who: readonly string[]): NewEvent[] =>
  [...new Set(who)].map((accountId) => ({
    accountId,
    type: 'group.request.changed',
    data: { groupId, requestId },
  }));

/**
 * Every join question needs its answer (the contract has already trimmed each and refused empty
 * ones): the first unanswered question is named, with each missing answer's path `answers.<i>`.
 */
function answered(questions: readonly string[], answers: readonly string[]) {
  if (answers.length > questions.length) {
    fail({
      kind: 'invalid',
      message: `This group asks ${questions.length} join questions; give one answer for each.`,
      issues: answers
        .slice(questions.length)
        .map((_, i) => ({ path: `answers.${questions.length + i}`, message: 'No such question.' })),
    });
  }
  const missing = questions.flatMap((q, i) => ((answers[i] ?? '').trim() === '' ? [i] : []));
  const first = missing[0];
  if (first !== undefined) {
    fail({
      kind: 'invalid',
      message: `Please answer the join question “${questions[first]!}”.`,
      issues: missing.map((i) => ({
        path: `answers.${i}`,
        message: `Please answer: ${questions[i]!}`,
      })),
    });
  }
}

export async function requestToJoin(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  input: z.infer<typeof joinRequestSchema>,
  now: Date,
): R<JoinRequestWire> {
  return uniquely(deps, undefined, () =>
    commit<JoinRequestWire, GroupFailure>(deps, now, async (trx) => {
      const seen = await seeLocked(trx, groupId, accountId, now, 'see');
      if (seen.member === undefined && seen.group.visibility !== 'request') {
        fail({
          kind: 'join_mode',
          message:
            seen.group.visibility === 'public'
              ? 'Anyone can join this group: join it directly.'
              : 'This group is by invitation: answer your invitation.',
        });
      }
      await joinable(trx, seen, input.agreementVersion, input.pseudonym);
      if (await isBanned(trx, groupId, accountId)) fail({ kind: 'banned' });
      answered(strings(seen.group.join_questions), input.answers);
      const previous = await latestRequest(trx, groupId, accountId);
      if (previous?.status === 'pending') {
        fail({ kind: 'conflict', message: 'You have already asked to join; it is waiting.' });
      }
      if (await requestIdExists(trx, input.id)) {
        fail({ kind: 'conflict', message: 'A request already has this id; make a new one.' });
      }
      await insertRequest(trx, {
        id: input.id,
        group_id: groupId,
        account_id: accountId,
        answers: JSON.stringify(input.answers),
        agreement_version: input.agreementVersion,
        pseudonym: input.pseudonym ?? null,
        status: 'pending',
        decided_by: null,
        created_at: now.toISOString(),
        decided_at: null,
      });
      const row = (await findRequest(trx, input.id))!;
      return {
        value: toRequest(row, seen.group),
        events: requestEvents(groupId, input.id, [
          accountId,
          ...(await facilitatorIds(trx, groupId)),
        ]),
      };
    }),
  );
}

export async function withdrawRequest(
  deps: GroupDeps,
  groupId: string,
  requestId: string,
  accountId: string,
  now: Date,
): R<JoinRequestWire> {
  return commit<JoinRequestWire, GroupFailure>(deps, now, async (trx) => {
    const group = await lockGroup(trx, groupId);
    const row = await findRequest(trx, requestId);
    if (group === undefined || row === undefined || row.group_id !== groupId) {
      return fail({ kind: 'not_found' });
    }
    if (row.account_id !== accountId) return fail({ kind: 'not_found' });
    const closed = await closeRequest(trx, requestId, {
      status: 'withdrawn',
      decided_by: null,
      decided_at: now.toISOString(),
    });
    if (!closed) fail({ kind: 'request_closed' });
    return {
      value: toRequest((await findRequest(trx, requestId))!, group),
      events: requestEvents(groupId, requestId, [
        accountId,
        ...(await facilitatorIds(trx, groupId)),
      ]),
    };
  });
}

/** The position an opaque cursor names: `[createdAt, id]` of the last row shown. */
function afterOf(cursor: string | undefined): Result<After | undefined, GroupFailure> {
  if (cursor === undefined) return ok(undefined);
  const c = decodeCursor(cursor);
  if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'string' || typeof c[1] !== 'string') {
    return err(badCursor);
  }
  return ok({ createdAt: c[0], id: c[1] });
}

/** One more row than shown tells whether there is a next page; its cursor is the last shown. */
function paged<Row extends { created_at: string; id: string }>(
  rows: readonly Row[],
  limit: number,
) {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    shown,
    nextCursor:
      rows.length > limit && last !== undefined ? encodeCursor([last.created_at, last.id]) : null,
  };
}

export async function joinRequests(
  db: Db,
  groupId: string,
  accountId: string,
  query: ManagePageQuery,
  now: Date,
) {
  const after = afterOf(query.cursor);
  if (!after.ok) return after;
  const r = await see(db, await findGroup(db, groupId), accountId, now, 'facilitator');
  if (!r.ok) return r;
  const limit = query.limit ?? GROUP_LIMITS.managePageSize;
  const rows = await pendingRequests(db, groupId, accountId, after.value, limit + 1);
  const { shown, nextCursor } = paged(rows, limit);
  return ok({ requests: shown.map((row) => toRequest(row, r.value.group)), nextCursor });
}

/**
 * A facilitator approves or declines. Approval makes the membership with the agreement version the
 * person accepted when asking (if it changed since, they are asked to accept the new one).
 */
export async function decideRequest(
  deps: GroupDeps,
  groupId: string,
  requestId: string,
  accountId: string,
  approve: boolean,
  now: Date,
): R<JoinRequestWire> {
  return commit<JoinRequestWire, GroupFailure>(deps, now, async (trx) => {
    const { group } = await seeLocked(trx, groupId, accountId, now, 'facilitator');
    const row = await findRequest(trx, requestId);
    if (row === undefined || row.group_id !== groupId) return fail({ kind: 'not_found' });
    if (row.status !== 'pending') fail({ kind: 'request_closed' });
    if (approve) notArchived(group);
    const at = now.toISOString();
    await closeRequest(trx, requestId, {
      status: approve ? 'approved' : 'declined',
      decided_by: accountId,
      decided_at: at,
    });
    const events = requestEvents(groupId, requestId, [
      row.account_id,
      ...(await facilitatorIds(trx, groupId)),
    ]);
    if (approve && (await findMember(trx, groupId, row.account_id)) === undefined) {
      events.push(
        ...(await addMember(trx, group, row.account_id, row.agreement_version, row.pseudonym, now)),
      );
    }
    return { value: toRequest((await findRequest(trx, requestId))!, group), events };
  });
}

// ─── Invitations ────────────────────────────────────────────────────────────────────────────────

export async function inviteToGroup(
  deps: GroupDeps,
  groupId: string,
  accountId: string,
  input: z.infer<typeof createGroupInvitationSchema>,
  now: Date,
): R<GroupInvitationWire> {
  return uniquely(deps, undefined, () =>
    commit<GroupInvitationWire, GroupFailure>(deps, now, async (trx) => {
      const { group } = await seeLocked(trx, groupId, accountId, now, 'facilitator');
      notArchived(group);
      if (await invitationExists(trx, input.id, input.linkTokenHash ?? null)) {
        fail({ kind: 'conflict', message: 'An invitation already has this id or link.' });
      }
      let inviteeId: string | null = null;
      if (input.handle !== undefined) {
        const invitee = await findAccountByHandle(trx, normaliseHandle(input.handle));
        // Unknown and blocked (either way) read the same: nobody learns who blocked whom.
        if (invitee === undefined || (await blockedEitherWay(trx, accountId, invitee.id))) {
          return fail({ kind: 'not_found' });
        }
        if ((await findMember(trx, groupId, invitee.id)) !== undefined) {
          fail({ kind: 'already_member' });
        }
        if (
          (await pendingInvitationFor(trx, groupId, invitee.id, now.toISOString())) !== undefined
        ) {
          fail({ kind: 'conflict', message: 'They already have an invitation to this group.' });
        }
        inviteeId = invitee.id;
      }
      const hours = input.expiresInHours ?? DEFAULT_INVITATION_HOURS;
      await insertInvitation(trx, {
        id: input.id,
        group_id: groupId,
        invited_by: accountId,
        kind: inviteeId === null ? 'link' : 'handle',
        invitee_id: inviteeId,
        link_token_hash: input.linkTokenHash ?? null,
        status: 'pending',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
        answered_at: null,
      });
      const events: NewEvent[] =
        inviteeId === null
          ? []
          : [
              {
                accountId: inviteeId,
                type: 'group.invitation.changed',
                data: { groupId, invitationId: input.id },
              },
            ];
      return { value: toInvitation((await findInvitation(trx, input.id))!, now), events };
    }),
  );
}

export async function groupInvitations(
  db: Db,
  groupId: string,
  accountId: string,
  query: GroupInvitationsQuery,
  now: Date,
) {
  const after = afterOf(query.cursor);
  if (!after.ok) return after;
  const r = await see(db, await findGroup(db, groupId), accountId, now, 'facilitator');
  if (!r.ok) return r;
  const limit = query.limit ?? GROUP_LIMITS.managePageSize;
  const rows = await listInvitations(db, groupId, {
    ...(after.value === undefined ? {} : { after: after.value }),
    ...(query.status === 'pending' ? { openAt: now.toISOString() } : {}),
    limit: limit + 1,
  });
  const { shown, nextCursor } = paged(rows, limit);
  return ok({ invitations: shown.map((i) => toInvitation(i, now)), nextCursor });
}

export async function cancelGroupInvitation(
  deps: GroupDeps,
  groupId: string,
  invitationId: string,
  accountId: string,
  now: Date,
): R<GroupInvitationWire> {
  return commit<GroupInvitationWire, GroupFailure>(deps, now, async (trx) => {
    await seeLocked(trx, groupId, accountId, now, 'facilitator');
    const row = await findInvitation(trx, invitationId);
    if (row === undefined || row.group_id !== groupId) return fail({ kind: 'not_found' });
    if (invitationStatus(row, now) !== 'pending') fail({ kind: 'invitation_closed' });
    await closeInvitation(trx, invitationId, {
      status: 'cancelled',
      answered_at: now.toISOString(),
    });
    const events: NewEvent[] =
      row.invitee_id === null
        ? []
        : [
            {
              accountId: row.invitee_id,
              type: 'group.invitation.changed',
              data: { groupId, invitationId },
            },
          ];
    return { value: toInvitation((await findInvitation(trx, invitationId))!, now), events };
  });
}

/** The invitee (by handle) accepts, with the agreement version they read, or declines. */
export async function answerGroupInvitation(
  deps: GroupDeps,
  invitationId: string,
  accountId: string,
  input: AnswerGroupInvitation,
  now: Date,
): R<GroupInvitationWire> {
  return commit<GroupInvitationWire, GroupFailure>(deps, now, async (trx) => {
    const found = await findInvitation(trx, invitationId);
    if (found === undefined || found.kind !== 'handle' || found.invitee_id !== accountId) {
      return fail({ kind: 'not_found' });
    }
    const group = (await lockGroup(trx, found.group_id))!;
    if (invitationStatus(found, now) !== 'pending') fail({ kind: 'invitation_closed' });
    const events: NewEvent[] = [];
    if (input.accept) {
      const member = await findMember(trx, group.id, accountId);
      await joinable(trx, { group, member }, input.agreementVersion, input.pseudonym);
      events.push(
        ...(await addMember(
          trx,
          group,
          accountId,
          input.agreementVersion,
          input.pseudonym ?? null,
          now,
        )),
      );
    }
    await closeInvitation(trx, invitationId, {
      status: input.accept ? 'accepted' : 'declined',
      answered_at: now.toISOString(),
    });
    return { value: toInvitation((await findInvitation(trx, invitationId))!, now), events };
  });
}

async function openLink(q: Db | Tx, token: string, now: Date) {
  const row = await findInvitationByTokenHash(q, hashToken(token));
  if (row === undefined) return err({ kind: 'not_found' } as const);
  const group = (await findGroupWithCount(q, row.group_id))!;
  if (invitationStatus(row, now) !== 'pending' || group.archived_at !== null) {
    return err({ kind: 'link_gone' } as const);
  }
  return ok({ row, group });
}

/** What a group link invites to (signed in): the group and the agreement to read first. */
export async function readGroupLink(db: Db, token: string, now: Date) {
  const r = await openLink(db, token, now);
  if (!r.ok) return r;
  const { row, group } = r.value;
  const agreement = (await findAgreement(db, group.id, group.agreement_version))!;
  return ok({
    invitationId: row.id,
    // A link holder is not yet a member: an invite-only group's meetings stay hidden.
    group: (await summaries(db, [group], () => false, now))[0]!,
    agreement: toAgreement(agreement),
    expiresAt: row.expires_at,
  });
}

/** Joins through a link (several people may use one link until it expires or is withdrawn). */
export async function joinByLink(
  deps: GroupDeps,
  token: string,
  accountId: string,
  input: z.infer<typeof joinSchema>,
  now: Date,
): R<GroupPageWire> {
  return commit<GroupPageWire, GroupFailure>(deps, now, async (trx) => {
    const opened = await openLink(trx, token, now);
    if (!opened.ok) return fail(opened.error);
    const group = (await lockGroup(trx, opened.value.group.id))!;
    const member = await findMember(trx, group.id, accountId);
    await joinable(trx, { group, member }, input.agreementVersion, input.pseudonym);
    const events = await addMember(
      trx,
      group,
      accountId,
      input.agreementVersion,
      input.pseudonym ?? null,
      now,
    );
    await countInvitationUse(trx, opened.value.row.id);
    return { value: await page(trx, group.id, accountId, now), events };
  });
}
