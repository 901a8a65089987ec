import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  closeReachoutSchema,
  createReachoutSchema,
  reachoutSchema,
  reachoutsResponseSchema,
  respondReachoutSchema,
} from '../../core/src/circles/api.js';
import { idSchema } from '../../core/src/crypto/schemas.js';
import { errorBodySchema } from '../../core/src/errors.js';
import type { Result } from '../../core/src/result.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { requireAuth } from '../http/session.js';
import {
  closeReachout,
  createReachout,
  getReachout,
  listReachouts,
  respondReachout,
  REACHOUT_LIMIT,
  seeReachout,
  type AccessFailure,
} from './use-cases.js';
import type { ReachoutWire } from '../../core/src/circles/api.js';

const params = z.strictObject({ id: idSchema });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

function sendAccess(
  reply: FastifyReply,
  result: Result<ReachoutWire, AccessFailure>,
): FastifyReply | ReachoutWire {
  if (result.ok) return result.value;
  switch (result.error.kind) {
    case 'not_found':
      return sendError(reply, 404, 'not_found', 'There is no such reach-out.');
    case 'forbidden':
      return sendError(
        reply,
        403,
        'forbidden',
        'Only the person who reached out can close it, and only the people they reached can answer.',
      );
    case 'closed':
      return sendError(reply, 409, 'reachout_closed', 'This reach-out has already been closed.');
  }
}

/**
 * Reach-outs (docs/CIRCLES.md): a person reaches chosen members of their circle, who see it,
 * answer with one tap and coordinate; nobody outside the circle is ever reached.
 */
export const reachoutRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  app.post(
    '/api/v1/reachouts',
    {
      schema: {
        tags: ['reachouts'],
        summary: 'Reach out to chosen members of my circle (a retry of the same request: 200)',
        body: createReachoutSchema,
        response: { 200: reachoutSchema, 201: reachoutSchema, 429: errorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const result = await createReachout(deps, auth.accountId, request.body, deps.now());
      if (result.ok)
        return reply.code(result.value.created ? 201 : 200).send(result.value.reachout);
      const f = result.error;
      switch (f.kind) {
        case 'duplicate_recipient':
          return sendError(reply, 400, 'invalid_input', 'Each person may be named only once.');
        case 'self':
          return sendError(reply, 400, 'not_in_circle', 'You cannot reach out to yourself.');
        case 'not_in_circle':
          return sendError(
            reply,
            400,
            'not_in_circle',
            'Everyone you reach out to must be in your circle. Nobody else is ever contacted.',
          );
        case 'rate_limited': {
          const seconds = Math.max(
            1,
            Math.ceil((new Date(f.retryAt).getTime() - deps.now().getTime()) / 1000),
          );
          reply.header('retry-after', String(seconds));
          return sendError(
            reply,
            429,
            'rate_limited',
            `You have sent ${REACHOUT_LIMIT.perHour} check-ins or "I'm struggling" reach-outs in the last hour; you can send another after ${f.retryAt}. "I need help now" is never limited.`,
          );
        }
        case 'conflict':
          return sendError(
            reply,
            409,
            'conflict',
            'A different reach-out already has this id; make a new id.',
          );
        case 'no_account':
          return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
      }
    },
  );

  app.get(
    '/api/v1/reachouts',
    {
      schema: {
        tags: ['reachouts'],
        summary: 'My reach-outs and those that reached me (open, and the last 30 days)',
        response: { 200: reachoutsResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return listReachouts(deps.db, auth.accountId, deps.now());
    },
  );

  app.get(
    '/api/v1/reachouts/:id',
    {
      schema: {
        tags: ['reachouts'],
        summary: 'One reach-out (its owner, or someone it reached)',
        params,
        response: { 200: reachoutSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return sendAccess(reply, await getReachout(deps.db, request.params.id, auth.accountId));
    },
  );

  app.post(
    '/api/v1/reachouts/:id/seen',
    {
      schema: {
        tags: ['reachouts'],
        summary: 'I opened it (recorded once)',
        params,
        response: { 200: reachoutSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return sendAccess(
        reply,
        await seeReachout(deps, request.params.id, auth.accountId, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/reachouts/:id/response',
    {
      schema: {
        tags: ['reachouts'],
        summary: 'My one-tap answer (I see it, calling, on my way, can’t right now)',
        params,
        body: respondReachoutSchema,
        response: { 200: reachoutSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      if (request.body.etaMinutes !== undefined && request.body.response !== 'on-my-way') {
        return sendError(
          reply,
          400,
          'invalid_input',
          'Minutes until arrival go with "on my way".',
          {
            issues: [{ path: 'etaMinutes', message: 'Only with response "on-my-way".' }],
          },
        );
      }
      return sendAccess(
        reply,
        await respondReachout(deps, request.params.id, auth.accountId, request.body, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/reachouts/:id/close',
    {
      schema: {
        tags: ['reachouts'],
        summary: 'Cancel my reach-out or mark it resolved (ends any escalation)',
        params,
        body: closeReachoutSchema,
        response: { 200: reachoutSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return sendAccess(
        reply,
        await closeReachout(deps, request.params.id, auth.accountId, request.body, deps.now()),
      );
    },
  );
};
