/**
 * Group conversations' HTTP calls (core/src/groups/threads-api.ts), typed, each answer checked
 * against its core schema. Expected failures (offline, `thread_locked`, `agreement_needed`) are
 * ApiResult values, never exceptions.
 */
import type { GroupPageWire } from '$core/groups/api';
import {
  postSchema,
  reactionsResponseSchema,
  searchResponseSchema,
  startThreadResponseSchema,
  threadPageSchema,
  threadsResponseSchema,
  type PostWire,
  type Reaction,
  type ReplyInput,
  type SearchResultWire,
  type StartThreadInput,
  type ThreadPage,
  type ThreadsResponse,
  type ThreadWire,
} from '$core/groups/threads-api';
import type { z } from 'zod';
import { api, type ApiClient, type ApiResult } from '../../api/client';

export type { GroupPageWire, PostWire, SearchResultWire, ThreadPage, ThreadWire };
export type ReactionsWire = z.infer<typeof reactionsResponseSchema>;
export type SearchWire = z.infer<typeof searchResponseSchema>;

const seg = (value: string) => encodeURIComponent(value);

/** Typed calls for group conversations, through one API client (the app's by default). */
export function threadsApi(client: ApiClient = api) {
  const base = (groupId: string) => `/api/v1/groups/${seg(groupId)}`;
  return {
    threads: (groupId: string, after?: string): Promise<ApiResult<ThreadsResponse>> =>
      client.get(
        `${base(groupId)}/threads`,
        threadsResponseSchema,
        after === undefined ? { limit: '50' } : { limit: '50', after },
      ),
    startThread: (
      groupId: string,
      body: StartThreadInput,
    ): Promise<ApiResult<z.infer<typeof startThreadResponseSchema>>> =>
      client.request('POST', `${base(groupId)}/threads`, {
        body,
        schema: startThreadResponseSchema,
      }),
    thread: (groupId: string, threadId: string, after?: string): Promise<ApiResult<ThreadPage>> =>
      client.get(
        `${base(groupId)}/threads/${seg(threadId)}`,
        threadPageSchema,
        after === undefined ? { limit: '50' } : { limit: '50', after },
      ),
    reply: (groupId: string, threadId: string, body: ReplyInput): Promise<ApiResult<PostWire>> =>
      client.request('POST', `${base(groupId)}/threads/${seg(threadId)}/posts`, {
        body,
        schema: postSchema,
      }),
    edit: (
      groupId: string,
      postId: string,
      body: { readonly body: string; readonly contentWarning: string | null },
    ): Promise<ApiResult<PostWire>> =>
      client.request('PATCH', `${base(groupId)}/posts/${seg(postId)}`, {
        body,
        schema: postSchema,
      }),
    remove: (groupId: string, postId: string): Promise<ApiResult<PostWire>> =>
      client.request('DELETE', `${base(groupId)}/posts/${seg(postId)}`, { schema: postSchema }),
    react: (
      groupId: string,
      postId: string,
      reaction: Reaction,
      on: boolean,
    ): Promise<ApiResult<ReactionsWire>> =>
      client.request(
        on ? 'PUT' : 'DELETE',
        `${base(groupId)}/posts/${seg(postId)}/reactions/${seg(reaction)}`,
        { schema: reactionsResponseSchema },
      ),
    /** Words in posts and titles of my groups (or of one group). */
    search: (q: string, groupId?: string): Promise<ApiResult<SearchWire>> =>
      client.get(
        '/api/v1/groups/conversations/search',
        searchResponseSchema,
        groupId === undefined ? { q } : { q, groupId },
      ),
  };
}

export type ThreadsApi = ReturnType<typeof threadsApi>;
