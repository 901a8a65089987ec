import { z } from 'zod';
import { idSchema } from '../crypto/schemas.js';
import { fromBase64url, toBase64url } from '../encoding/base64url.js';

/**
 * The HTTP contract of group conversations between meetings (docs/GROUPS.md, "Conversations
 * between meetings"): threads, posts, reactions, mentions and search, for members of a group only.
 *
 * Group posts are community content the server can read, so the group's moderators and
 * facilitators can keep the space safe; they are not end-to-end encrypted. Markdown is stored as
 * written and rendered safely by the client (markdown-it + DOMPurify); the server only bounds sizes.
 *
 * Pseudonyms: a member who has a pseudonym in the group may post under it (`asPseudonym: true`).
 * Such a post's author is shown to other members by the pseudonym only (`accountId` and `handle`
 * are null); the group's moderators and facilitators, and the author, also see the account. This
 * is the documented policy: a pseudonym hides who you are from other members, not from the people
 * who keep the group safe.
 *
 * Content warnings are a short text returned with the thread or post, so the client can collapse
 * it until the reader chooses to open it.
 *
 * Error codes (core/src/errors.ts): `agreement_needed` (the group's agreement changed: accept the
 * current version before posting or reacting), `thread_locked` (no replies, edits or reactions in
 * a locked thread; deleting one's own post is always possible), `no_pseudonym` (asked to post
 * under a pseudonym without having one in this group), `post_deleted` (editing or reacting to a
 * deleted post), `group_archived`, plus the shared `invalid_input`, `not_found`, `forbidden`
 * (not a member, or not one's own post), `unauthenticated`, `rate_limited`.
 */

export const THREAD_LIMITS = {
  title: 200,
  /** Characters of Markdown in one post. */
  body: 20_000,
  contentWarning: 200,
  pageSize: 50,
  query: 200,
  /** People one post may mention (more `@`s are left as plain text). */
  mentions: 20,
  /** Posts (a new thread counts as one) an account may make in any rolling ten minutes. */
  postsPerTenMinutes: 30,
  /** Characters of a post shown in a search result. */
  excerpt: 240,
} as const;

/** A small fixed set of calm reactions. They are acknowledgements, never scores. */
export const REACTIONS = ['heart', 'hug', 'candle', 'thanks', 'same-here'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** Text a person writes: trimmed, at least one visible character, no control characters. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      message: 'must not contain control characters',
    });

/** Markdown as written (kept as is apart from control characters; tabs and newlines allowed). */
const body = z
  .string()
  .max(THREAD_LIMITS.body)
  .refine((s) => s.trim().length > 0, { message: 'must not be empty' })
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
    message: 'must not contain control characters',
  });

/** A content warning in the writer's words ("talk of self-harm"); null or absent: none. */
const contentWarning = text(THREAD_LIMITS.contentWarning).nullable().optional();

// ─── Cursors ────────────────────────────────────────────────────────────────────────────────────

/** An opaque page cursor: a position (time and id) in base64url. */
export function encodeCursor(at: string, id: string): string {
  return toBase64url(new TextEncoder().encode(JSON.stringify([at, id])));
}

/** The position in a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): { at: string; id: string } | null {
  const bytes = fromBase64url(cursor);
  if (bytes === undefined) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      !Number.isNaN(Date.parse(v[0])) &&
      idSchema.safeParse(v[1]).success
    ) {
      return { at: v[0], id: v[1] };
    }
    return null;
  } catch {
    return null;
  }
}

const cursorSchema = z
  .string()
  .max(300)
  .refine((c) => decodeCursor(c) !== null, { message: 'is not a page cursor from Tend' });

export const pageQuerySchema = z.strictObject({
  after: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(THREAD_LIMITS.pageSize).default(20),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

// ─── Requests ───────────────────────────────────────────────────────────────────────────────────

export const groupThreadsParamsSchema = z.strictObject({ groupId: idSchema });
export const threadParamsSchema = z.strictObject({ groupId: idSchema, threadId: idSchema });
export const postParamsSchema = z.strictObject({ groupId: idSchema, postId: idSchema });
export const reactionParamsSchema = z.strictObject({
  groupId: idSchema,
  postId: idSchema,
  reaction: z.enum(REACTIONS),
});

/** `POST /api/v1/groups/:groupId/threads`: a title and the first post. */
export const startThreadSchema = z.strictObject({
  title: text(THREAD_LIMITS.title),
  body,
  contentWarning,
  /** Post under my pseudonym in this group (`no_pseudonym` when I have none). */
  asPseudonym: z.boolean().optional(),
});
export type StartThreadInput = z.infer<typeof startThreadSchema>;

/** `POST /api/v1/groups/:groupId/threads/:threadId/posts`: a reply. */
export const replySchema = z.strictObject({
  body,
  contentWarning,
  asPseudonym: z.boolean().optional(),
});
export type ReplyInput = z.infer<typeof replySchema>;

/**
 * `PATCH /api/v1/groups/:groupId/posts/:postId`: my own post's new words; `contentWarning` absent
 * keeps the warning, null removes it.
 */
export const editPostSchema = z.strictObject({ body, contentWarning });
export type EditPostInput = z.infer<typeof editPostSchema>;

/** `GET /api/v1/groups/conversations/search`: words in posts and thread titles of my groups. */
export const searchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(THREAD_LIMITS.query),
  /** Only this group (still only when I am a member of it). */
  groupId: idSchema.optional(),
  after: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(THREAD_LIMITS.pageSize).default(20),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

/**
 * Who wrote something. Under a pseudonym, `accountId` and `handle` are null for other members
 * and filled for the group's moderators and facilitators (and for the author); `mine` is true
 * only for the author. All null when the author's account no longer exists.
 */
export const authorSchema = z.object({
  accountId: z.string().nullable(),
  handle: z.string().nullable(),
  pseudonym: z.string().nullable(),
  mine: z.boolean(),
});
export type AuthorWire = z.infer<typeof authorSchema>;

export const reactionCountSchema = z.object({
  reaction: z.enum(REACTIONS),
  count: z.number().int(),
  /** Whether I reacted this way. */
  mine: z.boolean(),
});

export const postSchema = z.object({
  id: z.string(),
  threadId: z.string(),
  groupId: z.string(),
  author: authorSchema,
  /** Markdown as written; null when deleted, or hidden by moderation (except for moderators). */
  body: z.string().nullable(),
  contentWarning: z.string().nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deleted: z.boolean(),
  hidden: z.boolean(),
  /** Whether this post mentions me. */
  mentionsMe: z.boolean(),
  reactions: z.array(reactionCountSchema),
});
export type PostWire = z.infer<typeof postSchema>;

export const threadSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  title: z.string(),
  author: authorSchema,
  contentWarning: z.string().nullable(),
  locked: z.boolean(),
  hidden: z.boolean(),
  replyCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastPostAt: z.string(),
});
export type ThreadWire = z.infer<typeof threadSchema>;

export const threadsResponseSchema = z.object({
  threads: z.array(threadSchema),
  /** The cursor of the next page, or null at the end. */
  next: z.string().nullable(),
});
export type ThreadsResponse = z.infer<typeof threadsResponseSchema>;

export const startThreadResponseSchema = z.object({ thread: threadSchema, post: postSchema });

export const threadPageSchema = z.object({
  thread: threadSchema,
  /** Oldest first. */
  posts: z.array(postSchema),
  next: z.string().nullable(),
});
export type ThreadPage = z.infer<typeof threadPageSchema>;

export const reactionsResponseSchema = z.object({
  postId: z.string(),
  reactions: z.array(reactionCountSchema),
});

export const searchResultSchema = z.object({
  kind: z.enum(['thread', 'post']),
  groupId: z.string(),
  threadId: z.string(),
  /** The post found (for a thread title: the thread's first post). */
  postId: z.string(),
  threadTitle: z.string(),
  /** The start of the post's Markdown (for a thread title: of its first post). */
  excerpt: z.string(),
  contentWarning: z.string().nullable(),
  author: authorSchema,
  createdAt: z.string(),
});
export type SearchResultWire = z.infer<typeof searchResultSchema>;

export const searchResponseSchema = z.object({
  results: z.array(searchResultSchema),
  next: z.string().nullable(),
});
