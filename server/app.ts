import { randomBytes, randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { accountsRoutes } from './accounts/routes.js';
import { circleRoutes } from './circles/routes.js';
import { conversationRoutes } from './conversations/routes.js';
import { groupRoutes } from './groups/routes.js';
import { meetingRoutes } from './groups/meetings/routes.js';
import { moderationRoutes } from './moderation/routes.js';
import { groupThreadRoutes } from './groups/threads/routes.js';
import { listenRoutes } from './groups/listen/routes.js';
import { aidRoutes } from './aid/routes.js';
import { aidRelationsRoutes } from './aid/relations/routes.js';
import { resourceRoutes } from './resources/routes.js';
import { groupNotificationRoutes } from './groups/notifications/routes.js';
import type { Config } from './config.js';
import type { Engine } from './db/database.js';
import type { Database } from './db/schema.js';
import { healthRoutes } from './health/routes.js';
import { registerErrorHandling } from './http/errors.js';
import { registerSecurityHeaders } from './http/security.js';
import { registerNotFound, registerWebApp, webAppIsBuilt } from './http/web.js';
import { registerSessions } from './http/session.js';
import { getOrCreateSetting } from './instance/repository.js';
import { instanceRoutes } from './instance/routes.js';
import type { Notifier } from './notify/outbox.js';
import { notifyRoutes } from './notify/routes.js';
import { createNotifications } from './notify/service.js';
import { createLocalHub, createPgHub, type RealtimeHub } from './realtime/hub.js';
import { createEventRetention } from './realtime/retention.js';
import { realtimeRoutes } from './realtime/routes.js';
import { createEscalationWorker } from './reachouts/escalation.js';
import { reachoutRoutes } from './reachouts/routes.js';
import { shareRoutes } from './shares/routes.js';
import { vaultRoutes } from './vault/routes.js';

/** What every capability's routes receive. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  readonly logger: FastifyBaseLogger;
  readonly version: string;
  /** The clock; tests move it to check expiry. */
  readonly now: () => Date;
}

/** AppDeps plus the services buildApp creates: what the circle capabilities' routes receive. */
export interface ServiceDeps extends AppDeps {
  readonly realtime: RealtimeHub;
  readonly notifier: Notifier;
}

export type App = FastifyInstance;

/**
 * Builds the Fastify application without listening. Capabilities register their routes here,
 * one plugin per capability folder. Tests call this directly and use `app.inject`.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: deps.config.bodyLimit,
    trustProxy: deps.config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  // Tend's API speaks JSON only; anything else is refused with 415 before it reaches a route.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Graceful shutdown: requests in flight finish, and their keep-alive connections close with
  // them instead of holding the server open until the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  registerErrorHandling(app);
  await registerSecurityHeaders(app, {
    https: deps.config.publicUrl?.startsWith('https://') ?? false,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tend API',
        version: deps.version,
        description:
          'The HTTP API of Tend. Errors always have the shape { "error": { "code", "message" } }.',
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const secret = await getOrCreateSetting(
    deps.db,
    'server_secret',
    () => randomBytes(32).toString('base64url'),
    deps.now(),
  );
  const limits = {
    idleMs: deps.config.sessionIdleHours * 3_600_000,
    absoluteMs: deps.config.sessionMaxHours * 3_600_000,
  };
  await registerSessions(app, { db: deps.db, secret, now: deps.now, limits });
  // Per client address; only routes that opt in (sign-in, sign-up, recovery) are limited.
  await app.register(rateLimit, { global: false });

  // Realtime (server/realtime/): on PostgreSQL, instances reach each other with LISTEN/NOTIFY.
  const realtime =
    deps.config.database.engine === 'postgres'
      ? await createPgHub({ url: deps.config.database.url, log: deps.logger })
      : createLocalHub();
  const retention = createEventRetention({ db: deps.db, now: deps.now, logger: deps.logger });
  app.decorate('realtime', realtime);
  app.decorate('realtimeRetention', retention);
  app.addHook('onReady', async () => retention.start());
  // Notifications (server/notify/): the outbox worker polls every second and wakes on commit.
  const notifications = createNotifications(deps);
  const notifier = notifications.worker;
  app.decorate('notifyWorker', notifications.worker);
  if (notifications.delivers) {
    app.addHook('onReady', async () => notifications.worker.start());
  }
  // preClose: before onClose hooks close the database, sends in flight finish and are recorded.
  app.addHook('preClose', async () => {
    await notifications.close();
  });
  app.addHook('onClose', async () => {
    await retention.stop();
    await realtime.close();
  });
  const services: ServiceDeps = { ...deps, realtime, notifier };
  void services; // the circle capabilities register with these
  // Reach-out escalation (server/reachouts/escalation.ts): polls the database every few seconds.
  const escalation = createEscalationWorker(services, { now: deps.now, logger: deps.logger });
  app.decorate('reachoutEscalation', escalation);
  app.addHook('onClose', async () => {
    await escalation.stop();
  });

  await app.register(healthRoutes, deps);
  await app.register(instanceRoutes, deps);
  await app.register(vaultRoutes, services);
  await app.register(accountsRoutes, { ...deps, secret, limits });
  await app.register(circleRoutes, services);
  await app.register(shareRoutes, services);
  await app.register(reachoutRoutes, services);
  await app.register(conversationRoutes, services);
  await app.register(groupRoutes, services);
  await app.register(meetingRoutes, services);
  await app.register(groupThreadRoutes, services);
  await app.register(moderationRoutes, services);
  await app.register(listenRoutes, services);
  await app.register(aidRoutes, services);
  await app.register(aidRelationsRoutes, services);
  await app.register(resourceRoutes, services);
  await app.register(groupNotificationRoutes, services);
  await app.register(realtimeRoutes, services);
  await app.register(notifyRoutes, {
    ...services,
    vapidPublicKey: notifications.vapidPublicKey,
    emailServer: notifications.emailServer,
  });

  const spa = webAppIsBuilt(deps.config.webDir);
  if (spa) await registerWebApp(app, deps.config.webDir);
  registerNotFound(app, { spa });

  return app;
}
