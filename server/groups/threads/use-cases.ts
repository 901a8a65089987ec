import { generateId } from '../../../core/src/crypto/ids.js';
import { normaliseHandle } from '../../../core/src/accounts/handle.js';
import {
  decodeCursor,
  encodeCursor,
  REACTIONS,
  THREAD_LIMITS,
  type AuthorWire,
  type EditPostInput,
  type PageQuery,
  type PostWire,
  type Reaction,
  type ReplyInput,
  type SearchQuery,
  type SearchResultWire,
  type StartThreadInput,
  type ThreadPage,
  type ThreadsResponse,
  type ThreadWire,
} from '../../../core/src/groups/threads-api.js';
import { err, ok, type Result } from '../../../core/src/result.js';
import { commit, fail, type CircleDeps } from '../../circles/commit.js';
import type { Db, Engine, Tx } from '../../db/database.js';
import { enqueueNotification } from '../../notify/outbox.js';
import { notifyNewPost, wantsGroupNotification } from '../notifications/use-cases.js';
import type { NewEvent } from '../../realtime/log.js';
import { findGroup, findMember, type GroupRow, type MemberRow } from '../repository.js';
import { searchWords } from '../use-cases.js';
import {
  addReaction,
  countPostsSince,
  deleteMentions,
  deleteReactionsOf,
  findPost,
  findPostFor,
  findThread,
  findThreadFor,
  insertMentions,
  insertPost,
  insertThread,
  listPosts,
  listThreads,
  memberIds,
  mentionable,
  mentionsOf,
  postsMentioning,
  reactionsOf,
  removeReaction,
  search,
  setThreadWarning,
  touchThread,
  updatePost,
  type PostRow,
  type ThreadRow,
} from './repository.js';

/** What the conversation use cases need from the app (a subset of ServiceDeps). */
export interface ThreadDeps extends CircleDeps {
  readonly engine: Engine;
}

/** Every expected failure; routes turn each into a status and a stable code. */
export type ThreadFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'agreement_needed'; readonly current: number }
  | { readonly kind: 'thread_locked' }
  | { readonly kind: 'no_pseudonym' }
  | { readonly kind: 'post_deleted' }
  | { readonly kind: 'archived' }
  | { readonly kind: 'rate_limited' };

type R<T> = Promise<Result<T, ThreadFailure>>;

const TEN_MINUTES_MS = 10 * 60_000;

/** What a mention notification says: fixed words and a path, never the post or who wrote it. */
export const mentionNotification = (groupId: string, threadId: string) => ({
  title: 'Tend',
  body: 'Someone mentioned you in a group conversation — open Tend',
  path: `/groups/${groupId}/conversations/${threadId}`,
});

// ─── Mentions ───────────────────────────────────────────────────────────────────────────────────

/**
 * The names a post mentions: `@word` (a handle or a one-word pseudonym) and `@[Two Words]` (a
 * pseudonym with spaces), at most THREAD_LIMITS.mentions of them. Sentence punctuation after a
 * name (`@ada.`) is not part of it. Returns handles (normalised) and pseudonym keys (NFC, lower
 * case) to look up among the group's members.
 */
export function mentionNames(body: string): { handles: string[]; pseudonymKeys: string[] } {
  const pattern =
    /(?<![\p{L}\p{N}_.@-])@(?:\[([^\]\n]{1,40})\]|([\p{L}\p{N}_][\p{L}\p{N}._-]{0,39}))/gu;
  const handles = new Set<string>();
  const keys = new Set<string>();
  for (const m of body.matchAll(pattern)) {
    if (handles.size + keys.size >= THREAD_LIMITS.mentions * 2) break;
    const bracketed = m[1];
    const word = m[2]?.replace(/[._-]+$/u, '');
    const name = (bracketed ?? word ?? '').trim();
    if (name === '') continue;
    keys.add(name.normalize('NFC').toLowerCase());
    if (bracketed === undefined) handles.add(normaliseHandle(name));
  }
  return {
    handles: [...handles].slice(0, THREAD_LIMITS.mentions),
    pseudonymKeys: [...keys].slice(0, THREAD_LIMITS.mentions),
  };
}

// ─── Who may do what ────────────────────────────────────────────────────────────────────────────

interface Access {
  readonly group: GroupRow;
  readonly member: MemberRow;
}

/**
 * The group and the caller's membership. Conversations are for members only: to anyone else a
 * public or by-request group is `forbidden`, and an invite-only group is `not_found`, exactly as
 * an unknown id (its existence is not told to outsiders).
 */
async function access(q: Db | Tx, groupId: string, accountId: string): R<Access> {
  const group = await findGroup(q, groupId);
  if (group === undefined) return err({ kind: 'not_found' });
  const member = await findMember(q, groupId, accountId);
  if (member === undefined) {
    if (group.visibility === 'invite') return err({ kind: 'not_found' });
    return err({
      kind: 'forbidden',
      message: "Only this group's members can read and write its conversations.",
    });
  }
  return ok({ group, member });
}

/** `access` inside a write: a failure rolls the transaction back. */
async function accessIn(trx: Tx, groupId: string, accountId: string): Promise<Access> {
  const r = await access(trx, groupId, accountId);
  if (!r.ok) return fail(r.error);
  return r.value;
}

/** Posting and reacting need the group open and the current agreement accepted. */
function mayWrite({ group, member }: Access): void {
  if (group.archived_at !== null) fail({ kind: 'archived' });
  if (member.agreement_version < group.agreement_version) {
    fail({ kind: 'agreement_needed', current: group.agreement_version });
  }
}

/** Moderators and facilitators keep the space safe: they see hidden things and who wrote what. */
const keepsSafe = (member: MemberRow) => member.role !== 'member';

/**
 * A thread of this group the member may see (hidden ones: moderators and facilitators only; none
 * across a block, which `findThreadFor` has already left out).
 */
function visibleThread(thread: ThreadRow | undefined, a: Access): ThreadRow | undefined {
  if (thread === undefined || thread.group_id !== a.group.id) return undefined;
  if (thread.hidden_at !== null && !keepsSafe(a.member)) return undefined;
  return thread;
}

async function threadIn(q: Db | Tx, threadId: string, a: Access): Promise<ThreadRow | undefined> {
  return visibleThread(await findThreadFor(q, threadId, a.member.account_id), a);
}

/**
 * A post of this group the member may see, with its thread: not one written by, nor in a thread
 * started by, someone with a block either way with them (to them it is as an unknown id).
 */
async function postIn(q: Db | Tx, postId: string, a: Access) {
  const post = await findPostFor(q, postId, a.member.account_id);
  if (post === undefined || post.group_id !== a.group.id) return undefined;
  const thread = await threadIn(q, post.thread_id, a);
  if (thread === undefined) return undefined;
  return { post, thread };
}

// ─── Shapes ─────────────────────────────────────────────────────────────────────────────────────

/** Under a pseudonym, the account is shown only to the author and to moderators and facilitators. */
function toAuthor(
  row: { author_id: string | null; author_handle: string | null; posted_as: string | null },
  viewer: MemberRow,
): AuthorWire {
  const mine = row.author_id !== null && row.author_id === viewer.account_id;
  const reveal = row.posted_as === null || mine || keepsSafe(viewer);
  return {
    accountId: reveal ? row.author_id : null,
    handle: reveal ? row.author_handle : null,
    pseudonym: row.posted_as,
    mine,
  };
}

function toThread(row: ThreadRow, viewer: MemberRow): ThreadWire {
  return {
    id: row.id,
    groupId: row.group_id,
    title: row.title,
    author: toAuthor(row, viewer),
    contentWarning: row.content_warning,
    locked: row.locked_at !== null,
    hidden: row.hidden_at !== null,
    replyCount: row.reply_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastPostAt: row.last_post_at,
  };
}

type Reactions = PostWire['reactions'];

function toPost(row: PostRow, viewer: MemberRow, reactions: Reactions, mentionsMe: boolean) {
  const deleted = row.deleted_at !== null;
  const hidden = row.hidden_at !== null;
  const post: PostWire = {
    id: row.id,
    threadId: row.thread_id,
    groupId: row.group_id,
    author: toAuthor(row, viewer),
    body: deleted || (hidden && !keepsSafe(viewer)) ? null : row.body,
    contentWarning: deleted ? null : row.content_warning,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted,
    hidden,
    mentionsMe,
    reactions: deleted ? [] : reactions,
  };
  return post;
}

/** Reactions per post, in the fixed order of REACTIONS. */
async function reactionsFor(q: Db | Tx, postIds: readonly string[], viewerId: string) {
  const rows = await reactionsOf(q, postIds, viewerId);
  const out = new Map<string, Reactions>();
  for (const id of postIds) out.set(id, []);
  for (const r of rows)
    out.get(r.post_id)?.push({ reaction: r.reaction, count: r.count, mine: r.mine });
  for (const list of out.values()) {
    list.sort((x, y) => REACTIONS.indexOf(x.reaction) - REACTIONS.indexOf(y.reaction));
  }
  return out;
}

async function postWire(q: Db | Tx, row: PostRow, viewer: MemberRow): Promise<PostWire> {
  const reactions = await reactionsFor(q, [row.id], viewer.account_id);
  const mentions = await postsMentioning(q, [row.id], viewer.account_id);
  return toPost(row, viewer, reactions.get(row.id) ?? [], mentions.has(row.id));
}

// ─── Writing ────────────────────────────────────────────────────────────────────────────────────

const toEveryone = (ids: readonly string[], type: NewEvent['type'], data: Record<string, string>) =>
  ids.map((accountId): NewEvent => ({ accountId, type, data }));

/** The pseudonym to post under, or null; `no_pseudonym` when asked for one that does not exist. */
function postedAs(member: MemberRow, asPseudonym: boolean | undefined): string | null {
  if (asPseudonym !== true) return null;
  if (member.pseudonym === null) fail({ kind: 'no_pseudonym' });
  return member.pseudonym;
}

async function underRateLimit(trx: Tx, accountId: string, now: Date) {
  const since = new Date(now.getTime() - TEN_MINUTES_MS).toISOString();
  if ((await countPostsSince(trx, accountId, since)) >= THREAD_LIMITS.postsPerTenMinutes) {
    fail({ kind: 'rate_limited' });
  }
}

/**
 * Stores the post's mentions (members of this group only, never someone who blocked the author)
 * and returns the events and notifications for those newly mentioned. On an edit, mentions no
 * longer in the words are removed and those already told are not told again.
 */
async function mention(
  trx: Tx,
  post: { id: string; thread_id: string; group_id: string; body: string },
  authorId: string,
  now: Date,
): Promise<{ events: NewEvent[]; notified: boolean }> {
  const names = mentionNames(post.body);
  const wanted = await mentionable(
    trx,
    post.group_id,
    authorId,
    names.handles,
    names.pseudonymKeys,
  );
  const before = await mentionsOf(trx, post.id);
  const added = wanted.filter((id) => !before.includes(id)).slice(0, THREAD_LIMITS.mentions);
  await deleteMentions(
    trx,
    post.id,
    before.filter((id) => !wanted.includes(id)),
  );
  const at = now.toISOString();
  await insertMentions(
    trx,
    added.map((account_id) => ({ post_id: post.id, account_id, created_at: at })),
  );
  const data = { groupId: post.group_id, threadId: post.thread_id, postId: post.id };
  const events: NewEvent[] = [];
  let notified = false;
  for (const accountId of added) {
    // Their choice for this group (docs/GROUPS.md "Notifications"); the event is in-app only.
    if (await wantsGroupNotification(trx, post.group_id, accountId, 'mention')) {
      await enqueueNotification(
        trx,
        {
          accountId,
          kind: 'group.mention',
          dedupeKey: `group-mention:${post.id}:${accountId}`,
          text: mentionNotification(post.group_id, post.thread_id),
        },
        now,
      );
      notified = true;
    }
    events.push({ accountId, type: 'group.mention', data });
  }
  return { events, notified };
}

export async function startThread(
  deps: ThreadDeps,
  groupId: string,
  accountId: string,
  input: StartThreadInput,
  now: Date,
): R<{ thread: ThreadWire; post: PostWire }> {
  const at = now.toISOString();
  return commit<{ thread: ThreadWire; post: PostWire }, ThreadFailure>(deps, now, async (trx) => {
    const a = await accessIn(trx, groupId, accountId);
    mayWrite(a);
    const pseudonym = postedAs(a.member, input.asPseudonym);
    await underRateLimit(trx, accountId, now);
    const threadId = generateId();
    const postId = generateId();
    const warning = input.contentWarning ?? null;
    await insertThread(trx, {
      id: threadId,
      group_id: groupId,
      title: input.title,
      author_id: accountId,
      posted_as: pseudonym,
      content_warning: warning,
      first_post_id: postId,
      locked_at: null,
      locked_by: null,
      hidden_at: null,
      hidden_by: null,
      created_at: at,
      updated_at: at,
      last_post_at: at,
    });
    const post = {
      id: postId,
      thread_id: threadId,
      group_id: groupId,
      author_id: accountId,
      posted_as: pseudonym,
      body: input.body,
      content_warning: warning,
      created_at: at,
      edited_at: null,
      deleted_at: null,
      hidden_at: null,
      hidden_by: null,
    };
    await insertPost(trx, post);
    const mentioned = await mention(trx, post, accountId, now);
    const told = await notifyNewPost(
      trx,
      post,
      accountId,
      mentioned.events.map((e) => e.accountId),
      now,
    );
    const thread = (await findThread(trx, threadId))!;
    const stored = (await findPost(trx, postId))!;
    return {
      value: { thread: toThread(thread, a.member), post: await postWire(trx, stored, a.member) },
      events: [
        ...toEveryone(await memberIds(trx, groupId, [accountId]), 'group.thread.created', {
          groupId,
          threadId,
        }),
        ...mentioned.events,
      ],
      notified: mentioned.notified || told,
    };
  });
}

export async function reply(
  deps: ThreadDeps,
  groupId: string,
  threadId: string,
  accountId: string,
  input: ReplyInput,
  now: Date,
): R<PostWire> {
  const at = now.toISOString();
  return commit<PostWire, ThreadFailure>(deps, now, async (trx) => {
    const a = await accessIn(trx, groupId, accountId);
    const thread = await threadIn(trx, threadId, a);
    if (thread === undefined) fail({ kind: 'not_found' });
    mayWrite(a);
    if (thread!.locked_at !== null) fail({ kind: 'thread_locked' });
    const pseudonym = postedAs(a.member, input.asPseudonym);
    await underRateLimit(trx, accountId, now);
    const post = {
      id: generateId(),
      thread_id: threadId,
      group_id: groupId,
      author_id: accountId,
      posted_as: pseudonym,
      body: input.body,
      content_warning: input.contentWarning ?? null,
      created_at: at,
      edited_at: null,
      deleted_at: null,
      hidden_at: null,
      hidden_by: null,
    };
    await insertPost(trx, post);
    await touchThread(trx, threadId, at, true);
    const mentioned = await mention(trx, post, accountId, now);
    const told = await notifyNewPost(
      trx,
      post,
      accountId,
      mentioned.events.map((e) => e.accountId),
      now,
    );
    const data = { groupId, threadId, postId: post.id };
    return {
      value: await postWire(trx, (await findPost(trx, post.id))!, a.member),
      events: [
        ...toEveryone(
          await memberIds(trx, groupId, [accountId, thread!.author_id]),
          'group.post.created',
          data,
        ),
        ...mentioned.events,
      ],
      notified: mentioned.notified || told,
    };
  });
}

/** My own post, or a failure: not in this group → not_found; someone else's → forbidden. */
async function ownPost(trx: Tx, postId: string, a: Access) {
  const found = await postIn(trx, postId, a);
  if (found === undefined) return fail({ kind: 'not_found' });
  if (found.post.author_id !== a.member.account_id) {
    fail({ kind: 'forbidden', message: 'You can change only your own posts.' });
  }
  return found;
}

export async function editPost(
  deps: ThreadDeps,
  groupId: string,
  postId: string,
  accountId: string,
  input: EditPostInput,
  now: Date,
): R<PostWire> {
  const at = now.toISOString();
  return commit<PostWire, ThreadFailure>(deps, now, async (trx) => {
    const a = await accessIn(trx, groupId, accountId);
    const { post, thread } = await ownPost(trx, postId, a);
    mayWrite(a);
    if (post.deleted_at !== null) fail({ kind: 'post_deleted' });
    if (thread.locked_at !== null) fail({ kind: 'thread_locked' });
    const warning =
      input.contentWarning === undefined ? post.content_warning : input.contentWarning;
    await updatePost(trx, postId, { body: input.body, content_warning: warning, edited_at: at });
    if (thread.first_post_id === postId) await setThreadWarning(trx, thread.id, warning, at);
    const mentioned = await mention(trx, { ...post, body: input.body }, accountId, now);
    const data = { groupId, threadId: thread.id, postId };
    return {
      value: await postWire(trx, (await findPost(trx, postId))!, a.member),
      events: [
        ...toEveryone(
          await memberIds(trx, groupId, [accountId, thread.author_id]),
          'group.post.updated',
          data,
        ),
        ...mentioned.events,
      ],
      notified: mentioned.notified,
    };
  });
}

/**
 * Deletes my own post: its words, content warning, mentions and reactions are erased and it
 * shows as deleted. Always possible (a stale agreement, a locked thread or an archived group do
 * not stop someone taking their words back); deleting again changes nothing.
 */
export async function deletePost(
  deps: ThreadDeps,
  groupId: string,
  postId: string,
  accountId: string,
  now: Date,
): R<PostWire> {
  const at = now.toISOString();
  return commit<PostWire, ThreadFailure>(deps, now, async (trx) => {
    const a = await accessIn(trx, groupId, accountId);
    const { post, thread } = await ownPost(trx, postId, a);
    if (post.deleted_at !== null) {
      return { value: await postWire(trx, post, a.member), events: [] };
    }
    await updatePost(trx, postId, { body: '', content_warning: null, deleted_at: at });
    if (thread.first_post_id === postId) await setThreadWarning(trx, thread.id, null, at);
    await deleteMentions(trx, postId);
    await deleteReactionsOf(trx, postId);
    const data = { groupId, threadId: thread.id, postId };
    return {
      value: await postWire(trx, (await findPost(trx, postId))!, a.member),
      events: toEveryone(
        await memberIds(trx, groupId, [accountId, thread.author_id]),
        'group.post.updated',
        data,
      ),
    };
  });
}

/** Adds (`on`) or takes back my reaction to a post; either is idempotent. */
export async function react(
  deps: ThreadDeps,
  groupId: string,
  postId: string,
  accountId: string,
  reaction: Reaction,
  on: boolean,
  now: Date,
): R<{ postId: string; reactions: Reactions }> {
  return commit<{ postId: string; reactions: Reactions }, ThreadFailure>(deps, now, async (trx) => {
    const a = await accessIn(trx, groupId, accountId);
    const found = await postIn(trx, postId, a);
    if (found === undefined) return fail({ kind: 'not_found' });
    let changed: boolean;
    if (on) {
      mayWrite(a);
      if (found.post.deleted_at !== null) fail({ kind: 'post_deleted' });
      if (found.thread.locked_at !== null) fail({ kind: 'thread_locked' });
      changed = await addReaction(trx, {
        post_id: postId,
        account_id: accountId,
        reaction,
        created_at: now.toISOString(),
      });
    } else {
      changed = await removeReaction(trx, postId, accountId, reaction);
    }
    const reactions = (await reactionsFor(trx, [postId], accountId)).get(postId) ?? [];
    const data = { groupId, threadId: found.thread.id, postId };
    return {
      value: { postId, reactions },
      events: changed
        ? toEveryone(
            await memberIds(trx, groupId, [
              accountId,
              found.post.author_id,
              found.thread.author_id,
            ]),
            'group.reaction.changed',
            data,
          )
        : [],
    };
  });
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────────

const position = (cursor: string | undefined) =>
  cursor === undefined ? undefined : (decodeCursor(cursor) ?? undefined);

export async function threadsOf(
  db: Db,
  groupId: string,
  accountId: string,
  query: PageQuery,
): R<ThreadsResponse> {
  const r = await access(db, groupId, accountId);
  if (!r.ok) return r;
  const { member } = r.value;
  const rows = await listThreads(db, groupId, accountId, {
    withHidden: keepsSafe(member),
    after: position(query.after),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return ok({
    threads: page.map((t) => toThread(t, member)),
    next:
      rows.length > query.limit && last !== undefined
        ? encodeCursor(last.last_post_at, last.id)
        : null,
  });
}

export async function readThread(
  db: Db,
  groupId: string,
  threadId: string,
  accountId: string,
  query: PageQuery,
): R<ThreadPage> {
  const r = await access(db, groupId, accountId);
  if (!r.ok) return r;
  const thread = await threadIn(db, threadId, r.value);
  if (thread === undefined) return err({ kind: 'not_found' });
  const { member } = r.value;
  const rows = await listPosts(db, threadId, accountId, position(query.after), query.limit + 1);
  const page = rows.slice(0, query.limit);
  const ids = page.map((p) => p.id);
  const reactions = await reactionsFor(db, ids, accountId);
  const mentions = await postsMentioning(db, ids, accountId);
  const last = page.at(-1);
  return ok({
    thread: toThread(thread, member),
    posts: page.map((p) => toPost(p, member, reactions.get(p.id) ?? [], mentions.has(p.id))),
    next:
      rows.length > query.limit && last !== undefined
        ? encodeCursor(last.created_at, last.id)
        : null,
  });
}

/**
 * Search over posts and thread titles in the groups I am a member of, and nowhere else (group
 * conversations are for members only, even in public groups).
 */
export async function searchConversations(
  deps: ThreadDeps,
  accountId: string,
  query: SearchQuery,
): R<{ results: SearchResultWire[]; next: string | null }> {
  const words = searchWords(query.q);
  if (words.length === 0) return ok({ results: [], next: null });
  const hits = await search(deps.db, deps.engine, accountId, {
    words,
    groupId: query.groupId,
    after: position(query.after),
    limit: query.limit + 1,
  });
  const page = hits.slice(0, query.limit);
  const last = page.at(-1);
  return ok({
    results: page.map((h) => {
      const viewer = { account_id: accountId, role: h.role } as MemberRow;
      return {
        kind: h.kind,
        groupId: h.post.group_id,
        threadId: h.post.thread_id,
        postId: h.post.id,
        threadTitle: h.threadTitle,
        excerpt: h.post.body.slice(0, THREAD_LIMITS.excerpt),
        contentWarning: h.post.content_warning,
        author: toAuthor(h.post, viewer),
        createdAt: h.post.created_at,
      };
    }),
    next:
      hits.length > query.limit && last !== undefined
        ? encodeCursor(last.post.created_at, last.post.id)
        : null,
  });
}
