import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  conversationDetailSchema,
  conversationIdSchema,
  conversationSchema,
  conversationsResponseSchema,
  markReadSchema,
  messageSchema,
  messagesQuerySchema,
  messagesResponseSchema,
  postMessageSchema,
  resetKeySchema,
  startConversationSchema,
} from '../../core/src/conversations/api.js';
import { errorBodySchema } from '../../core/src/errors.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { requireAuth } from '../http/session.js';
import {
  CONVERSATION_LIMIT,
  getConversation,
  leaveConversation,
  listConversations,
  listMessages,
  markRead,
  postMessage,
  resetKey,
  startConversation,
  type AccessFailure,
} from './use-cases.js';

const params = z.strictObject({ id: conversationIdSchema });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

function sendRateLimited(reply: FastifyReply, retryAt: string, now: Date, what: string) {
  const seconds = Math.max(1, Math.ceil((new Date(retryAt).getTime() - now.getTime()) / 1000));
  reply.header('retry-after', String(seconds));
  return sendError(reply, 429, 'rate_limited', `${what} You can again after ${retryAt}.`);
}

function badShareKey(reply: FastifyReply, field: string): FastifyReply {
  return sendError(reply, 400, 'invalid_input', 'A share key is not valid for this conversation.', {
    issues: [
      {
        path: field,
        message: 'Must be the key wrapped for this person, signed by you, for this key id.',
      },
    ],
  });
}

function sendFailure(reply: FastifyReply, f: AccessFailure, now: Date): FastifyReply {
  switch (f.kind) {
    case 'not_found':
      return sendError(reply, 404, 'not_found', 'There is no such conversation.');
    case 'closed':
      return sendError(
        reply,
        409,
        'conversation_closed',
        'This conversation has ended: nothing more can be sent in it.',
      );
    case 'stale_key':
      return sendError(
        reply,
        409,
        'stale_key',
        `The conversation's key is now key ${f.keyId}: open it again and send with that key.`,
      );
    case 'bad_record':
      return sendError(reply, 400, 'invalid_input', 'The message is not a valid sealed record.', {
        issues: [{ path: 'record', message: 'Must be a message record v1 with this key id.' }],
      });
    case 'conflict':
      return sendError(reply, 409, 'conflict', 'A different message already has this id.');
    case 'bad_share_key':
      return badShareKey(reply, f.field);
    case 'rate_limited':
      return sendRateLimited(
        reply,
        f.retryAt,
        now,
        `You have sent ${CONVERSATION_LIMIT.messagesPerMinute} messages in a minute (or ${CONVERSATION_LIMIT.messagesPerHour} in an hour).`,
      );
  }
}

/**
 * Direct conversations (docs/PROTOCOL.md §13): two people, end-to-end encrypted. The server keeps
 * who talks with whom, when and how much, and records it cannot open.
 */
export const conversationRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  app.post(
    '/api/v1/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Start a direct conversation with another person (a retry of the same: 200)',
        body: startConversationSchema,
        response: { 200: conversationSchema, 201: conversationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const result = await startConversation(
        deps,
        auth.accountId,
        request.body,
        { context: 'direct', contextId: null },
        now,
      );
      if (result.ok) {
        return reply.code(result.value.created ? 201 : 200).send(result.value.conversation);
      }
      const f = result.error;
      switch (f.kind) {
        case 'self':
          return sendError(reply, 400, 'invalid_input', 'A conversation is with someone else.', {
            issues: [{ path: 'with', message: 'Not your own account.' }],
          });
        case 'not_found':
          return sendError(reply, 404, 'not_found', 'There is no such person.');
        case 'bad_share_key':
          return badShareKey(reply, f.field);
        case 'conflict':
          return sendError(
            reply,
            409,
            'conflict',
            'A different conversation already has this id; make a new id.',
          );
        case 'rate_limited':
          return sendRateLimited(
            reply,
            f.retryAt,
            now,
            `You have started ${CONVERSATION_LIMIT.startsPerHour} conversations in the last hour.`,
          );
        case 'no_account':
          return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
      }
    },
  );

  app.get(
    '/api/v1/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: 'My conversations, most recently active first, with unread counts',
        response: { 200: conversationsResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return listConversations(deps.db, auth.accountId);
    },
  );

  app.get(
    '/api/v1/conversations/:id',
    {
      schema: {
        tags: ['conversations'],
        summary: "One conversation, with the other person's public keys (to check and pin)",
        params,
        response: { 200: conversationDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const result = await getConversation(deps.db, request.params.id, auth.accountId);
      return result.ok ? result.value : sendFailure(reply, result.error, deps.now());
    },
  );

  app.post(
    '/api/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Send a sealed message record (a retry of the same: 200)',
        params,
        body: postMessageSchema,
        response: { 200: messageSchema, 201: messageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const result = await postMessage(deps, request.params.id, auth.accountId, request.body, now);
      if (!result.ok) return sendFailure(reply, result.error, now);
      return reply.code(result.value.created ? 201 : 200).send(result.value.message);
    },
  );

  app.get(
    '/api/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'A page of message records (after= oldest first, or the latest before=)',
        params,
        querystring: messagesQuerySchema,
        response: { 200: messagesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      if (request.query.after !== undefined && request.query.before !== undefined) {
        return sendError(reply, 400, 'invalid_input', 'Ask with after= or before=, not both.', {
          issues: [{ path: 'before', message: 'Not together with after.' }],
        });
      }
      const result = await listMessages(deps.db, request.params.id, auth.accountId, request.query);
      return result.ok ? result.value : sendFailure(reply, result.error, deps.now());
    },
  );

  app.post(
    '/api/v1/conversations/:id/read',
    {
      schema: {
        tags: ['conversations'],
        summary: 'I have read up to this message (only I am ever shown this)',
        params,
        body: markReadSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const result = await markRead(deps, request.params.id, auth.accountId, request.body, now);
      return result.ok ? reply.code(204).send(null) : sendFailure(reply, result.error, now);
    },
  );

  app.post(
    '/api/v1/conversations/:id/leave',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Leave (either person, at any time): the conversation ends for both',
        params,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const result = await leaveConversation(deps, request.params.id, auth.accountId, now);
      return result.ok ? reply.code(204).send(null) : sendFailure(reply, result.error, now);
    },
  );

  app.put(
    '/api/v1/conversations/:id/key',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Reset the conversation key (key id + 1, wrapped for both by me)',
        params,
        body: resetKeySchema,
        response: { 200: conversationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const result = await resetKey(deps, request.params.id, auth.accountId, request.body, now);
      return result.ok ? result.value : sendFailure(reply, result.error, now);
    },
  );
};
