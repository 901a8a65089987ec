/**
 * Pure helpers for the conversation pages: who wrote a post (pseudonym first, never the handle
 * behind it), threads by newest activity, merging a post that arrived live, and the full set of
 * calm reactions with their counts.
 */
import {
  REACTIONS,
  type AuthorWire,
  type PostWire,
  type Reaction,
  type SearchResultWire,
  type ThreadWire,
} from '$core/groups/threads-api';

/**
 * The name shown for an author: the pseudonym when the post was made under one (even to the
 * moderators and the author, who also receive the handle), else the handle, else `unknown`
 * (the account is gone).
 */
export function authorName(author: AuthorWire, unknown: string): string {
  return author.pseudonym ?? author.handle ?? unknown;
}

/** Threads with the newest activity first (ties: the newer thread first). */
export function byActivity(threads: readonly ThreadWire[]): ThreadWire[] {
  return [...threads].sort(
    (a, b) =>
      b.lastPostAt.localeCompare(a.lastPostAt) ||
      b.createdAt.localeCompare(a.createdAt) ||
      b.id.localeCompare(a.id),
  );
}

/** The posts with `post` put in: replaces the same id, else inserted in time order. */
export function upsertPost(posts: readonly PostWire[], post: PostWire): PostWire[] {
  const rest = posts.filter((p) => p.id !== post.id);
  const out = [...rest, post];
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Adds the posts of a later page (or a refresh) to what is shown, without duplicates. */
export function mergePosts(posts: readonly PostWire[], more: readonly PostWire[]): PostWire[] {
  return more.reduce<PostWire[]>((acc, p) => upsertPost(acc, p), [...posts]);
}

export interface ReactionState {
  readonly reaction: Reaction;
  readonly count: number;
  readonly mine: boolean;
}

/** Every reaction in the fixed order, with its count (0 when none) and whether I gave it. */
export function reactionStates(post: Pick<PostWire, 'reactions'>): ReactionState[] {
  return REACTIONS.map((reaction) => {
    const found = post.reactions.find((r) => r.reaction === reaction);
    return { reaction, count: found?.count ?? 0, mine: found?.mine ?? false };
  });
}

/** The post with new reaction counts (an answer to a toggle). */
export function withReactions(
  posts: readonly PostWire[],
  postId: string,
  reactions: PostWire['reactions'],
): PostWire[] {
  return posts.map((p) => (p.id === postId ? { ...p, reactions } : p));
}

/** The content warning field's value as the API wants it: trimmed, or null when empty. */
export function warningOrNull(text: string): string | null {
  const t = text.trim();
  return t === '' ? null : t;
}

/** What the composer hands its page: a new conversation's title (or '') and the post. */
export interface Draft {
  readonly title: string;
  readonly body: string;
  readonly contentWarning: string | null;
  readonly asPseudonym: boolean;
}

/** A group as search results need it: where its pages are, and its name. */
export interface GroupRef {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

/**
 * Search results with the group each came from (for its link), in the server's order. A result
 * from a group not in `groups` (I left it meanwhile) is dropped rather than shown without a link.
 */
export function withGroups(
  results: readonly SearchResultWire[],
  groups: readonly GroupRef[],
): (SearchResultWire & { readonly group: GroupRef })[] {
  const out: (SearchResultWire & { readonly group: GroupRef })[] = [];
  for (const r of results) {
    const group = groups.find((g) => g.id === r.groupId);
    if (group !== undefined) out.push({ ...r, group });
  }
  return out;
}
