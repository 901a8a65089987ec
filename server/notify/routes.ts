import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notifySettingsSchema, pushSubscriptionSchema } from '../../core/src/circles/api.js';
import { errorBodySchema } from '../../core/src/errors.js';
import {
  deletePushSubscriptionSchema,
  notifySettingsResponseSchema,
  pushKeyResponseSchema,
} from '../../core/src/notify/api.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { requireAuth } from '../http/session.js';
import {
  addPushSubscription,
  readSettings,
  removePushSubscription,
  writeSettings,
} from './use-cases.js';

export interface NotifyRouteDeps extends ServiceDeps {
  /** The VAPID public key browsers subscribe with. */
  readonly vapidPublicKey: string;
  /** This Tend sends email. */
  readonly emailServer: boolean;
}

/** A person's notification channels, quiet hours and pause, and their devices' push subscriptions. */
export const notifyRoutes: FastifyPluginAsyncZod<NotifyRouteDeps> = async (app, deps) => {
  app.get(
    '/api/v1/notify/push-key',
    {
      schema: {
        tags: ['notify'],
        summary: "The server's VAPID public key, for PushManager.subscribe",
        response: { 200: pushKeyResponseSchema },
      },
    },
    async () => ({ publicKey: deps.vapidPublicKey }),
  );

  app.post(
    '/api/v1/notify/push-subscriptions',
    {
      schema: {
        tags: ['notify'],
        summary: "Keep this device's push subscription (one per endpoint)",
        body: pushSubscriptionSchema,
        response: { 204: z.null(), 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      await addPushSubscription(deps.db, auth.accountId, request.body, deps.now());
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/notify/push-subscriptions',
    {
      schema: {
        tags: ['notify'],
        summary: "Forget one of the account's own push subscriptions",
        body: deletePushSubscriptionSchema,
        response: {
          204: z.null(),
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await removePushSubscription(deps.db, auth.accountId, request.body.endpoint);
      if (!r.ok) return sendError(reply, 404, 'not_found', 'No such subscription on your account.');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/notify/settings',
    {
      schema: {
        tags: ['notify'],
        summary: 'Notification channels, quiet hours and pause',
        response: { 200: notifySettingsResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return readSettings(deps.db, auth.accountId, deps.emailServer);
    },
  );

  app.put(
    '/api/v1/notify/settings',
    {
      schema: {
        tags: ['notify'],
        summary: 'Change notification channels, quiet hours and pause',
        body: notifySettingsSchema,
        response: { 200: notifySettingsResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await writeSettings(deps.db, auth.accountId, request.body, deps.now());
      if (!r.ok) {
        if (r.error.kind === 'unknown_time_zone') {
          return sendError(reply, 400, 'invalid_input', 'That time zone is not one Tend knows.', {
            issues: [{ path: 'quietHours.timeZone', message: 'Unknown time zone.' }],
          });
        }
        return sendError(
          reply,
          400,
          'invalid_input',
          'Quiet hours need a start and a different end.',
          {
            issues: [{ path: 'quietHours.end', message: 'Same as the start.' }],
          },
        );
      }
      return readSettings(deps.db, auth.accountId, deps.emailServer);
    },
  );
};
