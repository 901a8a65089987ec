import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../core/src/errors.js';
import {
  collectionKeySchema,
  collectionKeysResponseSchema,
  conflictBodySchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '../../core/src/vault/sync.js';
import type { AppDeps } from '../app.js';
import type { RealtimeHub } from '../realtime/hub.js';
import { sendError } from '../http/errors.js';
import { requireAuth } from '../http/session.js';
import { addCollectionKey, collectionKeys, pullChanges, pushChanges } from './use-cases.js';

/** End-to-end encrypted vault sync: the server sees envelopes, never what is inside them. */
export const vaultRoutes: FastifyPluginAsyncZod<AppDeps & { realtime?: RealtimeHub }> = async (
  app,
  deps,
) => {
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
          409: z.union([conflictBodySchema, errorBodySchema]),
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
        deps.realtime,
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
        case 'stale_key':
          return sendError(
            reply,
            409,
            'stale_key',
            `Collection ${f.collection} is now sealed with key ${f.current ?? 'none'}, not ${f.keyId}: fetch the keys and seal again.`,
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

  app.get(
    '/api/v1/vault/keys',
    {
      schema: {
        tags: ['vault'],
        summary: "The account's collection keys, wrapped under its master key",
        response: { 200: collectionKeysResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return { keys: await collectionKeys(deps.db, auth.accountId) };
    },
  );

  app.post(
    '/api/v1/vault/keys',
    {
      schema: {
        tags: ['vault'],
        summary: 'Add a collection key (key ids only go up)',
        body: collectionKeySchema,
        response: {
          201: collectionKeySchema.pick({ collection: true, keyId: true }),
          400: errorBodySchema,
          401: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const result = await addCollectionKey(deps.db, auth.accountId, request.body, deps.now());
      if (!result.ok) {
        if (result.error.kind === 'no_account')
          return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
        return sendError(
          reply,
          409,
          'conflict',
          `Collection ${request.body.collection} already has key ${result.error.current}; a new key needs a higher id.`,
        );
      }
      return reply
        .code(201)
        .send({ collection: request.body.collection, keyId: request.body.keyId });
    },
  );
};
