import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../core/src/errors.js';
import {
  conflictBodySchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '../../core/src/vault/sync.js';
import type { AppDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { requireAuth } from '../http/session.js';
import { pullChanges, pushChanges } from './use-cases.js';

/** End-to-end encrypted vault sync: the server sees envelopes, never what is inside them. */
export const vaultRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const limits = {
    itemMaxBytes: deps.config.vaultItemMaxBytes,
    quotaBytes: deps.config.vaultQuotaBytes,
  };

  app.post(
    '/api/v1/vault/changes',
    {
      // A full batch of large items is bigger than the default body limit.
      bodyLimit: Math.max(deps.config.bodyLimit, 100 * deps.config.vaultItemMaxBytes + 64 * 1024),
      schema: {
        tags: ['vault'],
        summary: 'Push a batch of item changes (all or nothing, optimistic concurrency)',
        body: pushRequestSchema,
        response: {
          200: pushResponseSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          409: conflictBodySchema,
          413: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const result = await pushChanges(
        deps.db,
        auth.accountId,
        request.body.changes,
        limits,
        deps.now(),
      );
      if (result.ok) return { applied: result.value };
      const f = result.error;
      switch (f.kind) {
        case 'conflict':
          return reply.code(409).send({
            error: {
              code: 'conflict',
              message: 'Some items changed since you last synced.',
              requestId: String(request.id),
            },
            conflicts: f.conflicts,
          });
        case 'bad_envelope':
          return sendError(
            reply,
            400,
            'invalid_input',
            `The envelope for ${f.collection}/${f.itemId} is not a v1 envelope for revision baseRevision + 1.`,
          );
        case 'duplicate_item':
          return sendError(
            reply,
            400,
            'invalid_input',
            `The batch changes ${f.collection}/${f.itemId} twice.`,
          );
        case 'item_too_large':
          return sendError(
            reply,
            413,
            'item_too_large',
            `An item may be at most ${f.limit} bytes.`,
          );
        case 'quota_exceeded':
          return sendError(reply, 413, 'quota_exceeded', `Your vault is full (${f.quota} bytes).`);
        case 'no_account':
          return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
      }
    },
  );

  app.get(
    '/api/v1/vault/changes',
    {
      schema: {
        tags: ['vault'],
        summary: 'Pull the changes after a cursor, in order',
        querystring: pullQuerySchema,
        response: { 200: pullResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return pullChanges(deps.db, auth.accountId, request.query.since, request.query.limit);
    },
  );
};
