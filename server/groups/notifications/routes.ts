import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../core/src/errors.js';
import { groupParamsSchema } from '../../../core/src/groups/api.js';
import { groupNotifyChoiceSchema } from '../../../core/src/notify/api.js';
import type { ServiceDeps } from '../../app.js';
import { sendError } from '../../http/errors.js';
import { requireAuth } from '../../http/session.js';
import { readChoice, writeChoice } from './use-cases.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };
const tags = ['group-notifications'];
const notMember = 'There is no such group among yours.';

/** Per-group notification choices (docs/GROUPS.md, "Notifications"): members only. */
export const groupNotificationRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  app.get(
    '/api/v1/groups/:groupId/notifications',
    {
      schema: {
        tags,
        summary: 'What I am notified about in this group',
        params: groupParamsSchema,
        response: { 200: groupNotifyChoiceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await readChoice(deps.db, request.params.groupId, auth.accountId);
      return r.ok ? r.value : sendError(reply, 404, 'not_found', notMember);
    },
  );

  app.put(
    '/api/v1/groups/:groupId/notifications',
    {
      schema: {
        tags,
        summary: 'Choose: everything, mentions and meetings, or nothing',
        params: groupParamsSchema,
        body: groupNotifyChoiceSchema,
        response: { 200: groupNotifyChoiceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await writeChoice(
        deps.db,
        request.params.groupId,
        auth.accountId,
        request.body.choice,
        deps.now(),
      );
      return r.ok ? r.value : sendError(reply, 404, 'not_found', notMember);
    },
  );
};
