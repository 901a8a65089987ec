import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../../core/src/errors.js';
import {
  askInputSchema,
  askParamsSchema,
  askSchema,
  asksResponseSchema,
  feedbackInputSchema,
  feedbackResponseSchema,
  LISTEN_LIMITS,
  LISTEN_RATE_LIMITS,
  listenWindowInputSchema,
  listenWindowResponseSchema,
  listenWindowSchema,
  openTalkSchema,
} from '../../../core/src/groups/listen-api.js';
import type { ServiceDeps } from '../../app.js';
import { sendError } from '../../http/errors.js';
import { perAccountLimit } from '../../http/rate-limit.js';
import { requireAuth } from '../../http/session.js';
import {
  accept,
  ask,
  endTalk,
  giveFeedback,
  listAsks,
  myFeedback,
  openTalk,
  readAsk,
  readWindow,
  setWindow,
  stopWindow,
  withdraw,
  type ListenFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};
const params = askParamsSchema;
/** Each route's own count per account (`listen` keeps it apart from other capabilities'). */
const perAccount = (max: number) => perAccountLimit('listen', max);
const tags = ['listen'];

function sendFailure(reply: FastifyReply, f: ListenFailure, now: Date): FastifyReply {
  switch (f.kind) {
    case 'not_a_group_member':
      return sendError(
        reply,
        403,
        'not_a_group_member',
        'Being around to listen is for members of a group. Join a group first.',
      );
    case 'window_order':
      return sendError(reply, 400, 'invalid_input', 'The window must end after it starts.', {
        issues: [{ path: 'until', message: 'Must be after from.' }],
      });
    case 'window_too_long':
      return sendError(
        reply,
        400,
        'window_too_long',
        `A listening window is at most ${LISTEN_LIMITS.windowHours} hours.`,
      );
    case 'window_ended':
      return sendError(reply, 400, 'window_ended', 'That window has already ended.');
    case 'not_listening':
      return sendError(
        reply,
        409,
        'not_listening',
        'You are not around to listen for this right now.',
      );
    case 'already_asking':
      return sendError(reply, 409, 'already_asking', 'You already asked; it is still open.');
    case 'rate_limited': {
      const seconds = Math.max(
        1,
        Math.ceil((new Date(f.retryAt).getTime() - now.getTime()) / 1000),
      );
      reply.header('retry-after', String(seconds));
      return sendError(
        reply,
        429,
        'rate_limited',
        `You have asked ${LISTEN_LIMITS.asksPerHour} times in the last hour. You can ask again after ${f.retryAt}.`,
      );
    }
    case 'not_found':
      return sendError(reply, 404, 'not_found', 'There is no such ask.');
    case 'taken':
      return sendError(reply, 409, 'taken', 'Someone else is with them.');
    case 'ask_closed':
      return sendError(reply, 409, 'ask_closed', 'This has ended.');
    case 'feedback_given':
      return sendError(reply, 409, 'feedback_given', 'You already left kind words for this talk.');
    case 'conversation': {
      const c = f.failure;
      if (c.kind === 'bad_share_key') {
        return sendError(
          reply,
          400,
          'invalid_input',
          'A share key is not valid for this conversation.',
          {
            issues: [
              { path: c.field, message: 'Must be the key wrapped for this person, signed by you.' },
            ],
          },
        );
      }
      if (c.kind === 'conflict') {
        return sendError(reply, 409, 'conflict', 'A different conversation already has this id.');
      }
      if (c.kind === 'rate_limited') {
        return sendError(
          reply,
          429,
          'rate_limited',
          `You can start a conversation again after ${c.retryAt}.`,
        );
      }
      if (c.kind === 'no_account')
        return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
      return sendError(reply, 404, 'not_found', 'There is no such ask.');
    }
  }
}

/**
 * Someone to talk to (docs/GROUPS.md): listening windows, asks, accepting, the conversation,
 * ending and kind words. Every route needs a session; nobody but the two people in a talk sees
 * who is with whom.
 */
export const listenRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  // Per minute and per account, each route on its own (asking also has its hourly allowance,
  // LISTEN_LIMITS.asksPerHour): generous for a person, a wall for a script.
  const limits = {
    read: perAccount(LISTEN_RATE_LIMITS.readsPerMinute),
    write: perAccount(LISTEN_RATE_LIMITS.writesPerMinute),
    ask: perAccount(LISTEN_RATE_LIMITS.asksPerMinute),
  };

  app.get(
    '/api/v1/listen/window',
    {
      config: limits.read,
      schema: {
        tags,
        summary: 'My listening window (or null)',
        response: { 200: listenWindowResponseSchema, 401: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return readWindow(deps.db, auth.accountId, deps.now());
    },
  );

  app.put(
    '/api/v1/listen/window',
    {
      config: limits.write,
      schema: {
        tags,
        summary: 'I am around to listen from … until … (members of a group)',
        body: listenWindowInputSchema,
        response: { 200: listenWindowSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await setWindow(deps, auth.accountId, request.body, now);
      return r.ok ? r.value : sendFailure(reply, r.error, now);
    },
  );

  app.delete(
    '/api/v1/listen/window',
    {
      config: limits.write,
      schema: {
        tags,
        summary: 'I am no longer around to listen',
        response: { 204: z.null(), 401: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      await stopWindow(deps.db, auth.accountId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/listen/asks',
    {
      config: limits.ask,
      schema: {
        tags,
        summary: 'I would like to talk (offered to available listeners, never saying who asked)',
        body: askInputSchema,
        response: { 201: askSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await ask(deps, auth.accountId, request.body, now);
      return r.ok ? reply.code(201).send(r.value) : sendFailure(reply, r.error, now);
    },
  );

  app.get(
    '/api/v1/listen/asks',
    {
      config: limits.read,
      schema: {
        tags,
        summary: 'Asks I made, took, or was offered (recent)',
        response: { 200: asksResponseSchema, 401: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return listAsks(deps.db, auth.accountId, deps.now());
    },
  );

  app.get(
    '/api/v1/listen/asks/:id',
    {
      config: limits.read,
      schema: {
        tags,
        summary: 'One ask, as I may see it',
        params,
        response: { 200: askSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await readAsk(deps.db, request.params.id, auth.accountId, now);
      return r.ok ? r.value : sendFailure(reply, r.error, now);
    },
  );

  const action = (
    path: string,
    summary: string,
    run: (id: string, accountId: string, now: Date) => ReturnType<typeof accept>,
  ) =>
    app.post(
      `/api/v1/listen/asks/:id/${path}`,
      {
        config: limits.write,
        schema: { tags, summary, params, response: { 200: askSchema, ...errors } },
      },
      async (request, reply) => {
        const auth = requireAuth(request, reply);
        if (auth === undefined) return reply;
        const now = deps.now();
        const r = await run(request.params.id, auth.accountId, now);
        return r.ok ? r.value : sendFailure(reply, r.error, now);
      },
    );
  action('accept', 'I will listen (the first to accept gets it)', (id, a, now) =>
    accept(deps, id, a, now),
  );
  action('withdraw', 'The asker withdraws', (id, a, now) => withdraw(deps, id, a, now));
  action('end', 'Either of the two ends the talk', (id, a, now) => endTalk(deps, id, a, now));

  app.post(
    '/api/v1/listen/asks/:id/conversation',
    {
      config: limits.write,
      schema: {
        tags,
        summary: 'The listener opens the encrypted conversation with the asker',
        params,
        body: openTalkSchema,
        response: { 200: askSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await openTalk(deps, request.params.id, auth.accountId, request.body, now);
      return r.ok ? r.value : sendFailure(reply, r.error, now);
    },
  );

  app.post(
    '/api/v1/listen/asks/:id/feedback',
    {
      config: limits.write,
      schema: {
        tags,
        summary: 'Kind words to the other person after the talk (once)',
        params,
        body: feedbackInputSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await giveFeedback(deps, request.params.id, auth.accountId, request.body, now);
      return r.ok ? reply.code(204).send(null) : sendFailure(reply, r.error, now);
    },
  );

  app.get(
    '/api/v1/listen/feedback',
    {
      config: limits.read,
      schema: {
        tags,
        summary: 'Kind words left for me (each on its own; never counted)',
        response: { 200: feedbackResponseSchema, 401: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return myFeedback(deps.db, auth.accountId);
    },
  );
};
