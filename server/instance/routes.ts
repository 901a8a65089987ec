import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { instanceMetaSchema } from '../../core/src/meta.js';
import type { AppDeps } from '../app.js';

/** Public facts about this instance, needed by the web app before anyone signs in. */
export const instanceRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/api/v1/meta',
    {
      schema: {
        tags: ['instance'],
        summary: 'Public facts about this Tend instance',
        response: { 200: instanceMetaSchema },
      },
    },
    async () => ({
      name: 'Tend' as const,
      version: deps.version,
      quickExitUrl: deps.config.quickExitUrl,
    }),
  );
};
