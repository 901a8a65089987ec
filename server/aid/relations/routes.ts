import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AID_LIMITS,
  answerAssignmentSchema,
  assignmentParamsSchema,
  assignmentWireSchema,
  assignSchema,
  boardResponseSchema,
  communityParamsSchema,
  conversationKeysSchema,
  figuresQuerySchema,
  figuresResponseSchema,
  matchesQuerySchema,
  matchesResponseSchema,
  matchNoticesSchema,
  openNeedsResponseSchema,
  postAuthorSchema,
  postParamsSchema,
  respondSchema,
  responseParamsSchema,
  responsesResponseSchema,
  responseWireSchema,
  thanksResponseSchema,
  thanksSchema,
  unmetQuerySchema,
} from '../../../core/src/aid/api.js';
import { errorBodySchema } from '../../../core/src/errors.js';
import { aidPostActionSchema, revealAuthorQuerySchema } from '../../../core/src/moderation/api.js';
import type { Result } from '../../../core/src/result.js';
import type { ServiceDeps } from '../../app.js';
import { sendError } from '../../http/errors.js';
import { perAccountLimit } from '../../http/rate-limit.js';
import { requireAuth } from '../../http/session.js';
import {
  answerAssignment,
  createMatchNoticeWorker,
  declineResponse,
  figures,
  figuresCsv,
  giveThanks,
  listResponses,
  moderatePost,
  myMatches,
  myThanks,
  openNeedsCsv,
  openNeedsList,
  openResponseConversation,
  postMatches,
  propose,
  readNotices,
  respond,
  revealAuthor,
  setNotices,
  unmet,
  withdrawAssignment,
  withdrawResponse,
  type RelationsFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};
const tags = ['aid-relations'];
const perAccount = (max: number) => perAccountLimit('aid-relations', max);

function retrySeconds(retryAt: string, now: Date) {
  return String(Math.max(1, Math.ceil((Date.parse(retryAt) - now.getTime()) / 1000)));
}

/** One failure → one status and stable code (core/src/aid/api.ts lists them). */
export function sendFailure(reply: FastifyReply, f: RelationsFailure, now: Date): FastifyReply {
  switch (f.kind) {
    case 'not_found':
      return sendError(
        reply,
        404,
        'not_found',
        f.what === undefined ? 'There is no such thing here.' : `There is no such ${f.what}.`,
      );
    case 'forbidden':
      return sendError(reply, 403, 'forbidden', f.message);
    case 'aid_board_off':
      return sendError(reply, 403, 'aid_board_off', 'This board is not turned on.');
    case 'agreement_needed':
      return sendError(
        reply,
        403,
        'agreement_needed',
        "Please read and accept this group's current agreement first.",
      );
    case 'own_post':
      return sendError(reply, 409, 'own_post', 'This is your own post.');
    case 'already_responded':
      return sendError(reply, 409, 'already_responded', 'You have already answered this.');
    case 'response_closed':
      return sendError(reply, 409, 'response_closed', 'This is no longer open to answers.');
    case 'anonymous_post':
      return sendError(
        reply,
        409,
        'anonymous_post',
        'This post was made without a name: the person who posted it opens the conversation.',
      );
    case 'invalid':
      return sendError(reply, 400, 'invalid_input', f.message, {
        issues: [{ path: f.path, message: f.message }],
      });
    case 'invalid_transition':
      return sendError(reply, 409, 'invalid_transition', f.message);
    case 'rate_limited':
      reply.header('retry-after', retrySeconds(f.retryAt, now));
      return sendError(
        reply,
        429,
        'rate_limited',
        `${f.message} You can again after ${f.retryAt}.`,
      );
    case 'thanks_given':
      return sendError(reply, 409, 'thanks_given', 'You have already said thank you for this.');
    case 'assignment_closed':
      return sendError(reply, 409, 'assignment_closed', 'This proposal is already closed.');
    case 'conflict':
      return sendError(reply, 409, 'conflict', 'Something else already has this id.');
    case 'conversation': {
      const c = f.failure;
      if (c.kind === 'bad_share_key') {
        return sendError(reply, 400, 'invalid_input', 'A share key is not valid here.', {
          issues: [
            {
              path: `conversation.${c.field}`,
              message: 'Must be the key wrapped for this person, signed by you.',
            },
          ],
        });
      }
      if (c.kind === 'conflict') {
        return sendError(reply, 409, 'conflict', 'A different conversation already has this id.');
      }
      if (c.kind === 'rate_limited') {
        reply.header('retry-after', retrySeconds(c.retryAt, now));
        return sendError(
          reply,
          429,
          'rate_limited',
          `You can start a conversation again after ${c.retryAt}.`,
        );
      }
      if (c.kind === 'no_account')
        return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
      return sendError(reply, 404, 'not_found', 'There is no such thing here.');
    }
  }
}

const csvHeaders = (reply: FastifyReply, name: string) =>
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store');

/**
 * Mutual aid between people (docs/AID.md): responses and their conversations, matches and the
 * match-notice rate, thank-you notes, coordinators' unmet needs, assignments, the open-needs list
 * and figures, and moderators' tools for aid posts. Every route needs sign-in; who may do what is
 * checked in use-cases.ts.
 */
export const aidRelationsRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const worker = createMatchNoticeWorker(deps, { now: deps.now, logger: deps.logger });
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());

  const run = async <T>(
    reply: FastifyReply,
    r: Result<T, RelationsFailure>,
    now: Date,
    status = 200,
  ) => (r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r.error, now));

  // ─── Responses ──────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/aid/posts/:postId/responses',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: "I can help / I'd like this (a named post: the conversation opens at once)",
        params: postParamsSchema,
        body: respondSchema,
        response: { 201: responseWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      return run(
        reply,
        await respond(deps, auth, request.params.postId, request.body, now),
        now,
        201,
      );
    },
  );

  app.get(
    '/api/v1/aid/posts/:postId/responses',
    {
      schema: {
        tags,
        summary: "A post's responses (its author: all; a responder: their own)",
        params: postParamsSchema,
        response: { 200: responsesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return run(reply, await listResponses(deps.db, auth, request.params.postId), deps.now());
    },
  );

  app.post(
    '/api/v1/aid/responses/:responseId/conversation',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'The author of an anonymous post opens the conversation with someone who answered',
        params: responseParamsSchema,
        body: conversationKeysSchema,
        response: { 201: responseWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await openResponseConversation(
        deps,
        auth,
        request.params.responseId,
        request.body,
        now,
      );
      return run(reply, r, now, 201);
    },
  );

  for (const [path, summary, fn] of [
    ['decline', "The post's author: not this time (never why)", declineResponse],
    ['withdraw', 'The responder takes their answer back', withdrawResponse],
  ] as const) {
    app.post(
      `/api/v1/aid/responses/:responseId/${path}`,
      {
        config: perAccount(60),
        schema: {
          tags,
          summary,
          params: responseParamsSchema,
          response: { 200: responseWireSchema, ...errors },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request, reply);
        if (auth === undefined) return reply;
        const now = deps.now();
        return run(reply, await fn(deps, auth, request.params.responseId, now), now);
      },
    );
  }

  // ─── Matches ────────────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/aid/posts/:postId/matches',
    {
      schema: {
        tags,
        summary: "A post's matches, best first (its author and the board's coordinators)",
        params: postParamsSchema,
        querystring: matchesQuerySchema,
        response: { 200: matchesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await postMatches(deps.db, auth, request.params.postId, request.query.limit);
      return run(reply, r, deps.now());
    },
  );

  app.get(
    '/api/v1/aid/matches',
    {
      schema: {
        tags,
        summary: 'Matches for my open posts, newest first',
        querystring: matchesQuerySchema,
        response: { 200: matchesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return myMatches(deps.db, auth, request.query.limit);
    },
  );

  app.get(
    '/api/v1/aid/match-notices',
    {
      schema: {
        tags,
        summary: 'How often I hear of new matches',
        response: { 200: matchNoticesSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return readNotices(deps.db, auth.accountId);
    },
  );

  app.put(
    '/api/v1/aid/match-notices',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'How often I hear of new matches: never, weekly or daily',
        body: matchNoticesSchema,
        response: { 200: matchNoticesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return setNotices(deps.db, auth.accountId, request.body.rate);
    },
  );

  // ─── Thanks ─────────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/aid/posts/:postId/thanks',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Kind words once it is done, from the person helped to their partner (once)',
        params: postParamsSchema,
        body: thanksSchema,
        response: {
          201: z.object({ postId: z.string(), occurrenceId: z.string().nullable() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await giveThanks(deps, auth, request.params.postId, request.body, now);
      return run(reply, r, now, 201);
    },
  );

  app.get(
    '/api/v1/aid/thanks',
    {
      schema: {
        tags,
        summary: 'Thanks to me (each on its own; never counted)',
        response: { 200: thanksResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return myThanks(deps.db, auth.accountId);
    },
  );

  // ─── Coordinators ───────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/aid/communities/:community/unmet',
    {
      schema: {
        tags,
        summary: 'Open needs, urgent first, then the longest waiting (coordinators)',
        params: communityParamsSchema,
        querystring: unmetQuerySchema,
        response: { 200: boardResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await unmet(deps.db, auth, request.params.community, request.query);
      return run(reply, r, deps.now());
    },
  );

  app.post(
    '/api/v1/aid/posts/:postId/assignments',
    {
      config: perAccount(AID_LIMITS.assignmentsPerHour),
      schema: {
        tags,
        summary: 'A coordinator proposes someone to help (both must accept)',
        params: postParamsSchema,
        body: assignSchema,
        response: { 201: assignmentWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      return run(
        reply,
        await propose(deps, auth, request.params.postId, request.body, now),
        now,
        201,
      );
    },
  );

  app.post(
    '/api/v1/aid/assignments/:assignmentId/answer',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'The proposed helper or the person who asked accepts or declines',
        params: assignmentParamsSchema,
        body: answerAssignmentSchema,
        response: { 200: assignmentWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await answerAssignment(
        deps,
        auth,
        request.params.assignmentId,
        request.body.accept,
        now,
      );
      return run(reply, r, now);
    },
  );

  app.post(
    '/api/v1/aid/assignments/:assignmentId/withdraw',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'The proposing coordinator withdraws a proposal',
        params: assignmentParamsSchema,
        response: { 200: assignmentWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      return run(
        reply,
        await withdrawAssignment(deps, auth, request.params.assignmentId, now),
        now,
      );
    },
  );

  app.get(
    '/api/v1/aid/communities/:community/open-needs',
    {
      schema: {
        tags,
        summary: 'The open-needs list for paper (coordinators; names only where allowed)',
        params: communityParamsSchema,
        response: { 200: openNeedsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      return run(reply, await openNeedsList(deps.db, auth, request.params.community, now), now);
    },
  );

  app.get(
    '/api/v1/aid/communities/:community/open-needs.csv',
    {
      schema: {
        tags,
        summary: 'The open-needs list as CSV (coordinators; names only where allowed)',
        params: communityParamsSchema,
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const r = await openNeedsList(deps.db, auth, request.params.community, now);
      if (!r.ok) return sendFailure(reply, r.error, now);
      return csvHeaders(reply, 'open-needs.csv').send(openNeedsCsv(r.value.needs));
    },
  );

  app.get(
    '/api/v1/aid/communities/:community/figures',
    {
      schema: {
        tags,
        summary:
          'Needs posted and met, small cells suppressed (coordinators, moderators, managers)',
        params: communityParamsSchema,
        querystring: figuresQuerySchema,
        response: { 200: figuresResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await figures(deps.db, auth, request.params.community, request.query, deps.now());
      return run(reply, r, deps.now());
    },
  );

  app.get(
    '/api/v1/aid/communities/:community/figures.csv',
    {
      schema: {
        tags,
        summary: 'The figures as CSV (suppressed cells read "suppressed")',
        params: communityParamsSchema,
        querystring: figuresQuerySchema,
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await figures(deps.db, auth, request.params.community, request.query, deps.now());
      if (!r.ok) return sendFailure(reply, r.error, deps.now());
      return csvHeaders(reply, 'aid-figures.csv').send(figuresCsv(r.value.rows));
    },
  );

  // ─── Moderation ─────────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/aid/posts/:postId/author',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: "Who wrote a post (the board's moderators only; audited as reveal-aid-author)",
        params: postParamsSchema,
        querystring: revealAuthorQuerySchema,
        response: { 200: postAuthorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      const { reason } = request.query;
      return run(reply, await revealAuthor(deps, auth, request.params.postId, now, reason), now);
    },
  );

  app.post(
    '/api/v1/aid/posts/:postId/moderation',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: "Hide an aid post or show it again (the board's moderators; audited)",
        params: postParamsSchema,
        body: aidPostActionSchema,
        response: { 200: z.object({ action: z.string(), auditId: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const now = deps.now();
      return run(
        reply,
        await moderatePost(deps, auth, request.params.postId, request.body, now),
        now,
      );
    },
  );
};
