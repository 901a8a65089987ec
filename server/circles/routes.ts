import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  answerInvitationSchema,
  blockRequestSchema,
  blockSchema,
  blocksResponseSchema,
  circlesResponseSchema,
  createInvitationSchema,
  invitationSchema,
  linkInvitationSchema,
  linkTokenSchema,
  personQuerySchema,
  personSchema,
} from '../../core/src/circles/api.js';
import { idSchema } from '../../core/src/crypto/schemas.js';
import { errorBodySchema } from '../../core/src/errors.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { perAccountLimit } from '../http/rate-limit.js';
import { requireAuth } from '../http/session.js';
import {
  answerInvitation,
  answerLinkInvitation,
  block,
  blocksOf,
  cancelInvitation,
  createInvitation,
  INVITATION_LIMIT,
  listCircles,
  lookUpPerson,
  readLinkInvitation,
  removeMembership,
  unblock,
  type AnswerFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  410: errorBodySchema,
  429: errorBodySchema,
};
const idParams = z.strictObject({ id: idSchema });
const tokenParams = z.strictObject({ token: linkTokenSchema });
const NO_INVITATION = 'There is no such invitation.';

/** Per account when signed in, else per address: handles cannot be tried out quickly. */
const perAccount = (max: number) => perAccountLimit('account', max);

/**
 * A person's circle (docs/CIRCLES.md): finding someone by handle, invitations (by handle or by
 * link), memberships and blocks. Nobody outside a circle can learn that it exists: every refusal
 * that would tell them is the same 404 as an unknown id.
 */
export const circleRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  app.get(
    '/api/v1/circles/people',
    {
      config: perAccount(60),
      schema: {
        tags: ['circles'],
        summary: 'Look someone up by handle (unknown, or they blocked me: 404)',
        querystring: personQuerySchema,
        response: { 200: personSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const person = await lookUpPerson(deps.db, auth.accountId, request.query.handle);
      if (person === undefined)
        return sendError(reply, 404, 'not_found', 'Nobody has that handle.');
      return person;
    },
  );

  app.get(
    '/api/v1/circles',
    {
      schema: {
        tags: ['circles'],
        summary: 'My circle, the circles I am in, and invitations sent and received',
        response: { 200: circlesResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return listCircles(deps.db, auth.accountId, deps.now());
    },
  );

  app.post(
    '/api/v1/circles/invitations',
    {
      schema: {
        tags: ['circles'],
        summary: 'Invite someone into my circle, by handle or by a link',
        body: createInvitationSchema,
        response: { 201: invitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const result = await createInvitation(deps, auth.accountId, request.body, deps.now());
      if (result.ok) return reply.code(201).send(result.value);
      const f = result.error;
      switch (f.kind) {
        case 'invalid':
          return sendError(reply, 400, 'invalid_input', f.message);
        case 'self':
          return sendError(reply, 400, 'invalid_input', 'You cannot invite yourself.');
        case 'no_person':
          return sendError(reply, 404, 'not_found', 'Nobody has that account.');
        case 'already_member':
          return sendError(reply, 409, 'already_in_circle', 'They are already in your circle.');
        case 'conflict':
          return sendError(
            reply,
            409,
            'conflict',
            'An invitation already has this id or link; make new ones.',
          );
        case 'rate_limited': {
          reply.header('retry-after', '3600');
          return sendError(
            reply,
            429,
            'rate_limited',
            `You can send ${INVITATION_LIMIT.perDay} invitations a day; please try again later.`,
          );
        }
        case 'no_account':
          return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
      }
    },
  );

  const answerFailure = (reply: Parameters<typeof sendError>[0], f: AnswerFailure) => {
    switch (f.kind) {
      case 'not_found':
        return sendError(reply, 404, 'not_found', NO_INVITATION);
      case 'gone':
        return sendError(reply, 410, 'link_gone', 'This link has expired or was already used.');
      case 'closed':
        return sendError(
          reply,
          409,
          'invitation_closed',
          'This invitation was already answered, withdrawn, or has expired.',
        );
      case 'self':
        return sendError(reply, 400, 'invalid_input', 'This is your own invitation.');
      case 'already_member':
        return sendError(reply, 409, 'already_in_circle', 'You are already in this circle.');
    }
  };

  app.post(
    '/api/v1/circles/invitations/:id/answer',
    {
      schema: {
        tags: ['circles'],
        summary: 'Accept or decline an invitation I received',
        params: idParams,
        body: answerInvitationSchema,
        response: { 200: invitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await answerInvitation(
        deps,
        request.params.id,
        auth.accountId,
        request.body,
        deps.now(),
      );
      return r.ok ? r.value : answerFailure(reply, r.error);
    },
  );

  app.delete(
    '/api/v1/circles/invitations/:id',
    {
      schema: {
        tags: ['circles'],
        summary: 'Withdraw an invitation I sent',
        params: idParams,
        response: { 200: invitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await cancelInvitation(deps, request.params.id, auth.accountId, deps.now());
      if (r.ok) return r.value;
      return r.error.kind === 'not_found'
        ? sendError(reply, 404, 'not_found', NO_INVITATION)
        : answerFailure(reply, { kind: 'closed' });
    },
  );

  app.get(
    '/api/v1/circles/links/:token',
    {
      config: perAccount(60),
      schema: {
        tags: ['circles'],
        summary: 'What an invitation link asks (anyone holding the link)',
        params: tokenParams,
        response: { 200: linkInvitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await readLinkInvitation(deps.db, request.params.token, deps.now());
      return r.ok ? r.value : answerFailure(reply, r.error);
    },
  );

  app.post(
    '/api/v1/circles/links/:token/answer',
    {
      config: perAccount(60),
      schema: {
        tags: ['circles'],
        summary: 'Accept or decline an invitation link (binds me as the invitee)',
        params: tokenParams,
        body: answerInvitationSchema,
        response: { 200: invitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await answerLinkInvitation(
        deps,
        request.params.token,
        auth.accountId,
        request.body,
        deps.now(),
      );
      return r.ok ? r.value : answerFailure(reply, r.error);
    },
  );

  app.delete(
    '/api/v1/circles/mine/members/:memberId',
    {
      schema: {
        tags: ['circles'],
        summary: 'Take someone out of my circle (their shares end at once)',
        params: z.strictObject({ memberId: idSchema }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await removeMembership(deps, auth.accountId, request.params.memberId, deps.now());
      if (!r.ok) return sendError(reply, 404, 'not_found', 'They are not in your circle.');
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/circles/supporting/:ownerId',
    {
      schema: {
        tags: ['circles'],
        summary: "Leave someone's circle",
        params: z.strictObject({ ownerId: idSchema }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await removeMembership(deps, request.params.ownerId, auth.accountId, deps.now());
      if (!r.ok) return sendError(reply, 404, 'not_found', 'You are not in that circle.');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/circles/blocks',
    {
      schema: {
        tags: ['circles'],
        summary: 'Accounts I blocked',
        response: { 200: blocksResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return blocksOf(deps.db, auth.accountId);
    },
  );

  app.post(
    '/api/v1/circles/blocks',
    {
      schema: {
        tags: ['circles'],
        summary: 'Block an account: memberships both ways end, shares and invitations are dropped',
        body: blockRequestSchema,
        response: { 201: blockSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await block(deps, auth.accountId, request.body.accountId, deps.now());
      if (r.ok) return reply.code(201).send(r.value);
      return r.error.kind === 'self'
        ? sendError(reply, 400, 'invalid_input', 'You cannot block yourself.')
        : sendError(reply, 404, 'not_found', 'Nobody has that account.');
    },
  );

  app.delete(
    '/api/v1/circles/blocks/:accountId',
    {
      schema: {
        tags: ['circles'],
        summary: 'Unblock an account (memberships do not come back)',
        params: z.strictObject({ accountId: idSchema }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await unblock(deps, auth.accountId, request.params.accountId, deps.now());
      if (!r.ok) return sendError(reply, 404, 'not_found', 'You have not blocked that account.');
      return reply.code(204).send(null);
    },
  );
};
