import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../core/src/errors.js';
import {
  editPostSchema,
  groupThreadsParamsSchema,
  pageQuerySchema,
  postParamsSchema,
  postSchema,
  reactionParamsSchema,
  reactionsResponseSchema,
  replySchema,
  searchQuerySchema,
  searchResponseSchema,
  startThreadResponseSchema,
  startThreadSchema,
  THREAD_LIMITS,
  threadPageSchema,
  threadParamsSchema,
  threadsResponseSchema,
} from '../../../core/src/groups/threads-api.js';
import type { Result } from '../../../core/src/result.js';
import type { ServiceDeps } from '../../app.js';
import { sendError } from '../../http/errors.js';
import { perAccountLimit } from '../../http/rate-limit.js';
import { requireAuth } from '../../http/session.js';
import {
  deletePost,
  editPost,
  react,
  readThread,
  reply as replyInThread,
  searchConversations,
  startThread,
  threadsOf,
  type ThreadFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

/** Per account (every route needs sign-in), on top of the posting limit kept in the database. */
const perAccount = (max: number) => perAccountLimit('group-talk', max);

/** One failure → one status and stable code (core/src/groups/threads-api.ts lists them). */
export function sendFailure(reply: FastifyReply, f: ThreadFailure): FastifyReply {
  switch (f.kind) {
    case 'not_found':
      return sendError(reply, 404, 'not_found', 'There is no such group, thread or post.');
    case 'forbidden':
      return sendError(reply, 403, 'forbidden', f.message);
    case 'agreement_needed':
      return sendError(
        reply,
        403,
        'agreement_needed',
        `The group's agreement has changed (it is now version ${f.current}). Please read it and accept it before posting.`,
      );
    case 'thread_locked':
      return sendError(reply, 409, 'thread_locked', 'This conversation is locked.');
    case 'no_pseudonym':
      return sendError(
        reply,
        409,
        'no_pseudonym',
        'You have no pseudonym in this group; choose one first, or post under your handle.',
      );
    case 'post_deleted':
      return sendError(reply, 409, 'post_deleted', 'This post was deleted.');
    case 'archived':
      return sendError(reply, 409, 'group_archived', 'This group is archived.');
    case 'rate_limited':
      reply.header('retry-after', '600');
      return sendError(
        reply,
        429,
        'rate_limited',
        `You can post ${THREAD_LIMITS.postsPerTenMinutes} times in ten minutes; please wait a little.`,
      );
  }
}

const send = <T>(reply: FastifyReply, r: Result<T, ThreadFailure>, status = 200) =>
  r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r.error);

/**
 * Group conversations between meetings (docs/GROUPS.md). Members only: outsiders get 403 for a
 * public or by-request group and 404 for an invite-only one (as for an unknown id).
 */
export const groupThreadRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const tags = ['group-conversations'];

  app.get(
    '/api/v1/groups/:groupId/threads',
    {
      config: perAccount(240),
      schema: {
        tags,
        summary: "A group's conversations, newest activity first (members)",
        params: groupThreadsParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: threadsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(reply, await threadsOf(deps.db, groupId, auth.accountId, request.query));
    },
  );

  app.post(
    '/api/v1/groups/:groupId/threads',
    {
      config: perAccount(20),
      schema: {
        tags,
        summary: 'Start a conversation: a title and the first post (members)',
        params: groupThreadsParamsSchema,
        body: startThreadSchema,
        response: { 201: startThreadResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      const r = await startThread(deps, groupId, auth.accountId, request.body, deps.now());
      return send(reply, r, 201);
    },
  );

  app.get(
    '/api/v1/groups/:groupId/threads/:threadId',
    {
      config: perAccount(240),
      schema: {
        tags,
        summary: 'A conversation and a page of its posts, oldest first (members)',
        params: threadParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: threadPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, threadId } = request.params;
      const r = await readThread(deps.db, groupId, threadId, auth.accountId, request.query);
      return send(reply, r);
    },
  );

  app.post(
    '/api/v1/groups/:groupId/threads/:threadId/posts',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Reply in a conversation (members who accepted the current agreement)',
        params: threadParamsSchema,
        body: replySchema,
        response: { 201: postSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, threadId } = request.params;
      const { body } = request;
      const r = await replyInThread(deps, groupId, threadId, auth.accountId, body, deps.now());
      return send(reply, r, 201);
    },
  );

  app.patch(
    '/api/v1/groups/:groupId/posts/:postId',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Edit my own post',
        params: postParamsSchema,
        body: editPostSchema,
        response: { 200: postSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, postId } = request.params;
      return send(
        reply,
        await editPost(deps, groupId, postId, auth.accountId, request.body, deps.now()),
      );
    },
  );

  app.delete(
    '/api/v1/groups/:groupId/posts/:postId',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Delete my own post: its words are erased and it shows as deleted',
        params: postParamsSchema,
        response: { 200: postSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, postId } = request.params;
      return send(reply, await deletePost(deps, groupId, postId, auth.accountId, deps.now()));
    },
  );

  for (const [method, on] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/v1/groups/:groupId/posts/:postId/reactions/:reaction',
      config: perAccount(120),
      schema: {
        tags,
        summary: on ? 'React to a post' : 'Take back my reaction to a post',
        params: reactionParamsSchema,
        response: { 200: reactionsResponseSchema, ...errors },
      },
      handler: async (request, reply) => {
        const auth = requireAuth(request, reply);
        if (auth === undefined) return reply;
        const { groupId, postId, reaction } = request.params;
        return send(
          reply,
          await react(deps, groupId, postId, auth.accountId, reaction, on, deps.now()),
        );
      },
    });
  }

  app.get(
    '/api/v1/groups/conversations/search',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Search posts and conversation titles in the groups I am a member of',
        querystring: searchQuerySchema,
        response: { 200: searchResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await searchConversations(deps, auth.accountId, request.query));
    },
  );
};
