import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createLinkShareSchema,
  deleteShareQuerySchema,
  linkShareSchema,
  linkSharesResponseSchema,
  linkTokenSchema,
  putShareSchema,
  shareSchema,
  sharedItemsQuerySchema,
  sharedItemsResponseSchema,
  sharesResponseSchema,
  updateLinkShareSchema,
} from '../../core/src/circles/api.js';
import { idSchema } from '../../core/src/crypto/schemas.js';
import { errorBodySchema } from '../../core/src/errors.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { requireAuth } from '../http/session.js';
import {
  createLink,
  linksOf,
  listAllShares,
  openLink,
  putShare,
  removeLink,
  replaceLink,
  sharedItems,
  unshare,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  410: errorBodySchema,
};
const NOT_SHARED = 'Nothing is shared with you there.';
const NO_LINK = 'There is no such link.';

/**
 * Shared vault collections (docs/CIRCLES.md, PROTOCOL §5.5) and read-only link shares. The server
 * keeps share keys and envelopes it cannot open, and checks on every read that the reader still
 * holds a share and is still in the owner's circle.
 */
export const shareRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  app.get(
    '/api/v1/shares',
    {
      schema: {
        tags: ['shares'],
        summary: 'Shares I gave and shares I hold',
        response: { 200: sharesResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return listAllShares(deps.db, auth.accountId);
    },
  );

  app.put(
    '/api/v1/shares/:shareId',
    {
      schema: {
        tags: ['shares'],
        summary: 'Share a collection of my vault with a member of my circle (a wrapped key)',
        params: z.strictObject({ shareId: idSchema }),
        body: putShareSchema,
        response: { 200: shareSchema, 201: shareSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await putShare(
        deps,
        auth.accountId,
        request.params.shareId,
        request.body,
        deps.now(),
      );
      if (r.ok) return reply.code(r.value.created ? 201 : 200).send(r.value.share);
      const f = r.error;
      switch (f.kind) {
        case 'not_in_circle':
          return sendError(
            reply,
            400,
            'not_in_circle',
            'You can share only with people in your circle.',
          );
        case 'no_collection':
          return sendError(reply, 404, 'not_found', 'Your vault has no such collection.');
        case 'stale_key':
          return sendError(
            reply,
            409,
            'stale_key',
            `The collection is now sealed with key ${f.current}; share that key.`,
          );
        case 'conflict':
          return sendError(
            reply,
            409,
            'conflict',
            'This share id is used for another share, or this key is already shared under another id.',
          );
      }
    },
  );

  app.delete(
    '/api/v1/shares',
    {
      schema: {
        tags: ['shares'],
        summary: 'Stop sharing a collection with a member (every key of it)',
        querystring: deleteShareQuerySchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await unshare(
        deps,
        auth.accountId,
        request.query.collection,
        request.query.memberId,
        deps.now(),
      );
      if (!r.ok) return sendError(reply, 404, 'not_found', 'You share nothing like that.');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/shares/:ownerId/:collection/items',
    {
      schema: {
        tags: ['shares'],
        summary: 'Changes of a collection shared with me, after a cursor (still a member only)',
        params: z.strictObject({ ownerId: idSchema, collection: idSchema }),
        querystring: sharedItemsQuerySchema,
        response: { 200: sharedItemsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const page = await sharedItems(
        deps.db,
        request.params.ownerId,
        request.params.collection,
        auth.accountId,
        request.query.since,
      );
      if (page === undefined) return sendError(reply, 404, 'not_found', NOT_SHARED);
      return page;
    },
  );

  // ─── Link shares ──────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/links',
    {
      schema: {
        tags: ['shares'],
        summary: 'Make a read-only link (its key lives only in the link)',
        body: createLinkShareSchema,
        response: { 201: linkShareSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await createLink(deps, auth.accountId, request.body, deps.now());
      if (!r.ok) {
        return sendError(reply, 409, 'conflict', 'A link already has this id or token.');
      }
      return reply.code(201).send(r.value);
    },
  );

  app.get(
    '/api/v1/links',
    {
      schema: {
        tags: ['shares'],
        summary: 'The links I made',
        response: { 200: linkSharesResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return linksOf(deps.db, auth.accountId);
    },
  );

  app.put(
    '/api/v1/links/:id',
    {
      schema: {
        tags: ['shares'],
        summary: "A new snapshot for my link (revision: the link's current revision + 1)",
        params: z.strictObject({ id: idSchema }),
        body: updateLinkShareSchema,
        response: { 200: linkShareSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await replaceLink(
        deps,
        auth.accountId,
        request.params.id,
        request.body,
        deps.now(),
      );
      if (r.ok) return r.value;
      if (r.error.kind === 'not_found') return sendError(reply, 404, 'not_found', NO_LINK);
      return sendError(
        reply,
        409,
        'conflict',
        `The link is at revision ${r.error.current}; send revision ${r.error.current + 1}.`,
      );
    },
  );

  app.delete(
    '/api/v1/links/:id',
    {
      schema: {
        tags: ['shares'],
        summary: 'Revoke my link',
        params: z.strictObject({ id: idSchema }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await removeLink(deps, auth.accountId, request.params.id, deps.now());
      if (!r.ok) return sendError(reply, 404, 'not_found', NO_LINK);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/links/open/:token',
    {
      config: {
        rateLimit: {
          max: 60,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) => `ip:${request.ip}`,
        },
      },
      schema: {
        tags: ['shares'],
        summary: 'Open a link (anyone holding it; no sign-in)',
        params: z.strictObject({ token: linkTokenSchema }),
        response: { 200: linkShareSchema, ...errors, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await openLink(deps.db, request.params.token, deps.now());
      if (r.ok) return r.value;
      return r.error.kind === 'not_found'
        ? sendError(reply, 404, 'not_found', NO_LINK)
        : sendError(reply, 410, 'link_gone', 'This link has expired.');
    },
  );
};
