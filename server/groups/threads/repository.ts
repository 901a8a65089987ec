import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type {
  Database,
  GroupMentionsTable,
  GroupPostReactionsTable,
  GroupPostsTable,
  GroupThreadsTable,
} from '../../db/schema.js';
import { blockBetween, noBlockBetween } from '../../circles/repository.js';

type Q = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

export type ThreadRow = Omit<GroupThreadsTable, 'reply_count'> & {
  readonly reply_count: number;
  readonly author_handle: string | null;
};
export type PostRow = GroupPostsTable & { readonly author_handle: string | null };
export type Position = { readonly at: string; readonly id: string };

const threadColumns = [
  't.id',
  't.group_id',
  't.title',
  't.author_id',
  't.posted_as',
  't.content_warning',
  't.first_post_id',
  't.locked_at',
  't.locked_by',
  't.hidden_at',
  't.hidden_by',
  't.created_at',
  't.updated_at',
  't.last_post_at',
  't.reply_count',
] as const;

const postColumns = [
  'p.id',
  'p.thread_id',
  'p.group_id',
  'p.author_id',
  'p.posted_as',
  'p.body',
  'p.content_warning',
  'p.created_at',
  'p.edited_at',
  'p.deleted_at',
  'p.hidden_at',
  'p.hidden_by',
] as const;

function threads(q: Q) {
  return q
    .selectFrom('group_threads as t')
    .leftJoin('accounts as a', 'a.id', 't.author_id')
    .select(threadColumns)
    .select('a.handle as author_handle');
}

function posts(q: Q) {
  return q
    .selectFrom('group_posts as p')
    .leftJoin('accounts as a', 'a.id', 'p.author_id')
    .select(postColumns)
    .select('a.handle as author_handle');
}

const numbered = <T extends { reply_count: number | string }>(row: T) => ({
  ...row,
  reply_count: Number(row.reply_count),
});

// ─── Members ────────────────────────────────────────────────────────────────────────────────────

/**
 * Every member of the group, sorted by account id in code-unit order: events are appended (and
 * account rows locked) in this order, the same order other capabilities lock accounts in
 * (server/conversations lockAccounts), so concurrent writers wait instead of deadlocking.
 */
export async function memberIds(
  q: Q,
  groupId: string,
  unblockedWith: readonly (string | null)[] = [],
): Promise<string[]> {
  let query = q
    .selectFrom('group_members as m')
    .select('m.account_id')
    .where('m.group_id', '=', groupId);
  // Members with a block either way with any of these accounts (an author, a reactor) are left
  // out: what those people write disappears for them, and so do its events.
  for (const id of new Set(unblockedWith)) {
    if (id !== null) query = query.where(noBlockBetween(id, 'm.account_id'));
  }
  const rows = await query.execute();
  return rows.map((r) => r.account_id).sort();
}

/**
 * Members of the group a mention may name: by handle (normalised) or by pseudonym key (NFC,
 * lower case), excluding `authorId` and anyone with a block either way with the author.
 */
export async function mentionable(
  q: Q,
  groupId: string,
  authorId: string,
  handles: readonly string[],
  pseudonymKeys: readonly string[],
): Promise<string[]> {
  if (handles.length === 0 && pseudonymKeys.length === 0) return [];
  const rows = await q
    .selectFrom('group_members as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select('m.account_id')
    .where('m.group_id', '=', groupId)
    .where('m.account_id', '!=', authorId)
    .where((eb) => {
      const any = [];
      if (handles.length > 0) any.push(eb('a.handle', 'in', [...handles]));
      if (pseudonymKeys.length > 0) any.push(eb('m.pseudonym_key', 'in', [...pseudonymKeys]));
      return eb.or(any);
    })
    .where(noBlockBetween(authorId, 'm.account_id'))
    .orderBy('m.account_id')
    .execute();
  return rows.map((r) => r.account_id);
}

// ─── Threads ────────────────────────────────────────────────────────────────────────────────────

export async function insertThread(
  trx: Trx,
  row: Omit<GroupThreadsTable, 'reply_count'>,
): Promise<void> {
  await trx.insertInto('group_threads').values(row).execute();
}

export async function findThread(q: Q, id: string): Promise<ThreadRow | undefined> {
  const row = await threads(q).where('t.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : numbered(row);
}

/** How many replies of thread `t` are by someone with a block either way with `viewerId`. */
const repliesAcrossBlock = (viewerId: string) =>
  sql<number>`SELECT COUNT(*) FROM group_posts AS hidden_reply WHERE hidden_reply.thread_id = t.id AND hidden_reply.id <> t.first_post_id AND ${blockBetween(viewerId, 'hidden_reply.author_id')}`;

/**
 * Threads as `viewerId` sees them (docs/GROUPS.md "Blocks"): none started by someone with a block
 * either way with the viewer, and reply counts without such people's replies.
 */
function threadsFor(q: Q, viewerId: string) {
  return q
    .selectFrom('group_threads as t')
    .leftJoin('accounts as a', 'a.id', 't.author_id')
    .select(threadColumns.filter((c) => c !== 't.reply_count'))
    .select('a.handle as author_handle')
    .select(sql<number>`t.reply_count - (${repliesAcrossBlock(viewerId)})`.as('reply_count'))
    .where(noBlockBetween(viewerId, 't.author_id'));
}

/** A thread as `viewerId` sees it (see threadsFor); undefined across a block. */
export async function findThreadFor(
  q: Q,
  id: string,
  viewerId: string,
): Promise<ThreadRow | undefined> {
  const row = await threadsFor(q, viewerId).where('t.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : numbered(row);
}

/**
 * Threads of the group as `viewerId` sees them (see threadsFor), newest activity first; hidden
 * ones only when `withHidden`.
 */
export async function listThreads(
  q: Q,
  groupId: string,
  viewerId: string,
  opts: { withHidden: boolean; after: Position | undefined; limit: number },
): Promise<ThreadRow[]> {
  let query = threadsFor(q, viewerId).where('t.group_id', '=', groupId);
  if (!opts.withHidden) query = query.where('t.hidden_at', 'is', null);
  const after = opts.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('t.last_post_at', '<', after.at),
        eb.and([eb('t.last_post_at', '=', after.at), eb('t.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('t.last_post_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map(numbered);
}

export async function touchThread(trx: Trx, id: string, at: string, reply: boolean): Promise<void> {
  await trx
    .updateTable('group_threads')
    .set((eb) => ({
      last_post_at: at,
      updated_at: at,
      ...(reply ? { reply_count: eb('reply_count', '+', 1) } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

/** Mirrors the first post's content warning on its thread (the list shows it). */
export async function setThreadWarning(trx: Trx, id: string, warning: string | null, at: string) {
  await trx
    .updateTable('group_threads')
    .set({ content_warning: warning, updated_at: at })
    .where('id', '=', id)
    .execute();
}

// ─── Posts ──────────────────────────────────────────────────────────────────────────────────────

export async function insertPost(trx: Trx, row: GroupPostsTable): Promise<void> {
  await trx.insertInto('group_posts').values(row).execute();
}

export async function findPost(q: Q, id: string): Promise<PostRow | undefined> {
  return posts(q).where('p.id', '=', id).executeTakeFirst();
}

/** A post as `viewerId` sees it: undefined when its author has a block either way with them. */
export async function findPostFor(
  q: Q,
  id: string,
  viewerId: string,
): Promise<PostRow | undefined> {
  return posts(q)
    .where('p.id', '=', id)
    .where(noBlockBetween(viewerId, 'p.author_id'))
    .executeTakeFirst();
}

/**
 * Posts of a thread as `viewerId` sees them, oldest first, after `after`: none by someone with a
 * block either way with the viewer (the thread keeps its shape; those posts are left out).
 */
export async function listPosts(
  q: Q,
  threadId: string,
  viewerId: string,
  after: Position | undefined,
  limit: number,
): Promise<PostRow[]> {
  let query = posts(q)
    .where('p.thread_id', '=', threadId)
    .where(noBlockBetween(viewerId, 'p.author_id'));
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('p.created_at', '>', after.at),
        eb.and([eb('p.created_at', '=', after.at), eb('p.id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('p.created_at').orderBy('p.id').limit(limit).execute();
}

export async function updatePost(
  trx: Trx,
  id: string,
  set: Partial<Pick<GroupPostsTable, 'body' | 'content_warning' | 'edited_at' | 'deleted_at'>>,
): Promise<void> {
  await trx.updateTable('group_posts').set(set).where('id', '=', id).execute();
}

/** How many posts the account made since `since` (the posting rate limit). */
export async function countPostsSince(q: Q, accountId: string, since: string): Promise<number> {
  const row = await q
    .selectFrom('group_posts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', accountId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ─── Reactions ──────────────────────────────────────────────────────────────────────────────────

export async function addReaction(trx: Trx, row: GroupPostReactionsTable): Promise<boolean> {
  const r = await trx
    .insertInto('group_post_reactions')
    .values(row)
    .onConflict((oc) => oc.columns(['post_id', 'account_id', 'reaction']).doNothing())
    .returning('post_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function removeReaction(
  trx: Trx,
  postId: string,
  accountId: string,
  reaction: GroupPostReactionsTable['reaction'],
): Promise<boolean> {
  const r = await trx
    .deleteFrom('group_post_reactions')
    .where('post_id', '=', postId)
    .where('account_id', '=', accountId)
    .where('reaction', '=', reaction)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function deleteReactionsOf(trx: Trx, postId: string): Promise<void> {
  await trx.deleteFrom('group_post_reactions').where('post_id', '=', postId).execute();
}

/**
 * Reactions to the posts grouped: count per reaction, and whether `viewerId` is among them; the
 * reactions of someone with a block either way with the viewer are not counted for them.
 */
export async function reactionsOf(q: Q, postIds: readonly string[], viewerId: string) {
  if (postIds.length === 0) return [];
  const rows = await q
    .selectFrom('group_post_reactions')
    .select(['post_id', 'reaction'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .sum<number>(eb.case().when('account_id', '=', viewerId).then(1).else(0).end())
        .as('mine'),
    ])
    .where('post_id', 'in', [...postIds])
    .where(noBlockBetween(viewerId, 'group_post_reactions.account_id'))
    .groupBy(['post_id', 'reaction'])
    .execute();
  return rows.map((r) => ({
    post_id: r.post_id,
    reaction: r.reaction,
    count: Number(r.n),
    mine: Number(r.mine) > 0,
  }));
}

// ─── Mentions ───────────────────────────────────────────────────────────────────────────────────

export async function mentionsOf(q: Q, postId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('group_mentions')
    .select('account_id')
    .where('post_id', '=', postId)
    .execute();
  return rows.map((r) => r.account_id);
}

export async function insertMentions(trx: Trx, rows: readonly GroupMentionsTable[]) {
  if (rows.length > 0)
    await trx
      .insertInto('group_mentions')
      .values([...rows])
      .execute();
}

export async function deleteMentions(trx: Trx, postId: string, accountIds?: readonly string[]) {
  let query = trx.deleteFrom('group_mentions').where('post_id', '=', postId);
  if (accountIds !== undefined) {
    if (accountIds.length === 0) return;
    query = query.where('account_id', 'in', [...accountIds]);
  }
  await query.execute();
}

/** Which of the posts mention `accountId`. */
export async function postsMentioning(q: Q, postIds: readonly string[], accountId: string) {
  if (postIds.length === 0) return new Set<string>();
  const rows = await q
    .selectFrom('group_mentions')
    .select('post_id')
    .where('post_id', 'in', [...postIds])
    .where('account_id', '=', accountId)
    .execute();
  return new Set(rows.map((r) => r.post_id));
}

// ─── Search ─────────────────────────────────────────────────────────────────────────────────────

export interface SearchHit {
  readonly kind: 'thread' | 'post';
  readonly post: PostRow;
  readonly threadTitle: string;
  readonly role: 'member' | 'moderator' | 'facilitator';
}

/**
 * Posts and thread titles matching every word (prefix matches), only in groups where `viewerId`
 * is a member (and in `groupId` when given); never deleted or hidden posts nor hidden threads,
 * nor posts or threads by someone with a block either way with the viewer. Newest first by
 * (created_at, id). FTS5 on SQLite, tsvector + GIN on PostgreSQL.
 */
export async function search(
  q: Q,
  engine: Engine,
  viewerId: string,
  f: {
    words: readonly string[];
    groupId: string | undefined;
    after: Position | undefined;
    limit: number;
  },
): Promise<SearchHit[]> {
  const kinds = ['post', 'thread'] as const;
  const found: SearchHit[] = [];
  for (const kind of kinds) {
    let query = q
      .selectFrom('group_posts as p')
      .innerJoin('group_threads as t', 't.id', 'p.thread_id')
      .innerJoin('group_members as v', (j) =>
        j.onRef('v.group_id', '=', 'p.group_id').on('v.account_id', '=', viewerId),
      )
      .leftJoin('accounts as a', 'a.id', 'p.author_id')
      .select(postColumns)
      .select(['a.handle as author_handle', 't.title as thread_title', 'v.role'])
      .where('p.deleted_at', 'is', null)
      .where('p.hidden_at', 'is', null)
      .where('t.hidden_at', 'is', null)
      .where(noBlockBetween(viewerId, 'p.author_id'))
      .where(noBlockBetween(viewerId, 't.author_id'));
    if (kind === 'thread') query = query.whereRef('p.id', '=', 't.first_post_id');
    if (f.groupId !== undefined) query = query.where('p.group_id', '=', f.groupId);
    if (engine === 'sqlite') {
      const match = f.words.map((w) => `"${w}"*`).join(' AND ');
      query =
        kind === 'post'
          ? query.where(
              sql<SqlBool>`p.rowid IN (SELECT rowid FROM group_posts_fts WHERE group_posts_fts MATCH ${match})`,
            )
          : query.where(
              sql<SqlBool>`t.rowid IN (SELECT rowid FROM group_threads_fts WHERE group_threads_fts MATCH ${match})`,
            );
    } else {
      const tsq = f.words.map((w) => `${w}:*`).join(' & ');
      query =
        kind === 'post'
          ? query.where(sql<SqlBool>`p.search @@ to_tsquery('simple', ${tsq})`)
          : query.where(sql<SqlBool>`t.search @@ to_tsquery('simple', ${tsq})`);
    }
    const after = f.after;
    if (after !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('p.created_at', '<', after.at),
          eb.and([eb('p.created_at', '=', after.at), eb('p.id', '<', after.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('p.created_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(f.limit)
      .execute();
    for (const { thread_title, role, ...post } of rows) {
      found.push({ kind, post, threadTitle: thread_title, role });
    }
  }
  // One page of both kinds, newest first. A first post found by both its words and its title
  // keeps one result (the thread); positions are per post, so a cursor never skips either kind.
  const byPost = new Map<string, SearchHit>();
  for (const hit of found) {
    const seen = byPost.get(hit.post.id);
    if (seen === undefined || hit.kind === 'thread') byPost.set(hit.post.id, hit);
  }
  return [...byPost.values()]
    .sort((x, y) => {
      const [a, b] = [x.post, y.post];
      if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
      return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
    })
    .slice(0, f.limit);
}
