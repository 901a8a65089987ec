import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../core/src/errors.js';
import type { AppDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { databaseAnswers } from './repository.js';

/** `/healthz`: the process is up. `/readyz`: it can reach its database and take traffic. */
export const healthRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'The process is alive',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'The database is reachable',
        response: { 200: z.object({ status: z.literal('ready') }), 503: errorBodySchema },
      },
    },
    async (_request, reply) => {
      if (await databaseAnswers(deps.db)) return { status: 'ready' as const };
      return sendError(reply, 503, 'not_ready', 'The database is not reachable.');
    },
  );
};
