import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  areaInputSchema,
  areaParamsSchema,
  areasResponseSchema,
  areaWireSchema,
  boardQuerySchema,
  boardResponseSchema,
  categoriesResponseSchema,
  categoryParamsSchema,
  categoryWireSchema,
  changeStatusSchema,
  communitiesResponseSchema,
  communityParamsSchema,
  communitySettingsSchema,
  communityWireSchema,
  coordinatorParamsSchema,
  coordinatorsResponseSchema,
  createCategorySchema,
  createPostSchema,
  importAreasSchema,
  mineResponseSchema,
  postPageSchema,
  postParamsSchema,
  postWireSchema,
  renewPostSchema,
  updateCategorySchema,
  updatePostSchema,
} from '../../core/src/aid/api.js';
import { errorBodySchema } from '../../core/src/errors.js';
import type { Result } from '../../core/src/result.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { perAccountLimit } from '../http/rate-limit.js';
import { requireAuth } from '../http/session.js';
import { createExpiryWorker } from './expiry.js';
import {
  areas,
  board,
  categories,
  changeCategory,
  changeStatus,
  communityPage,
  coordinators,
  createCategory,
  createPost,
  editPost,
  mine,
  myCommunities,
  postPage,
  renewPost,
  saveAreas,
  setCommunitySettings,
  setCoordinator,
  type AidFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

const perAccount = (max: number) => perAccountLimit('aid', max);

export function sendFailure(reply: FastifyReply, f: AidFailure): FastifyReply {
  if (f.retryAfterSeconds !== undefined) reply.header('retry-after', String(f.retryAfterSeconds));
  return sendError(reply, f.status, f.code, f.message);
}

const send = <T>(reply: FastifyReply, r: Result<T, AidFailure>, status = 200) =>
  r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r.error);

const importResultSchema = z.object({
  created: z.int(),
  changed: z.int(),
  areas: z.array(areaWireSchema),
});

/**
 * The mutual aid board (docs/AID.md): communities, coordinators, categories, zones, posts, their
 * lifecycle, the board and "my posts". Responses, matching, coordinators' tools, figures, thanks
 * and the audited author route are server/aid/relations/. Every route needs sign-in.
 */
export const aidRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const tags = ['aid'];

  // Expiry and its reminder (server/aid/expiry.ts): every five minutes.
  const expiry = createExpiryWorker(deps, { now: deps.now, logger: deps.logger });
  app.addHook('onClose', async () => expiry.stop());

  // ─── Communities ──────────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/aid/communities',
    {
      schema: {
        tags,
        summary: 'The aid boards I can use, and those I manage, with my roles',
        response: { 200: communitiesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await myCommunities(deps.db, auth));
    },
  );

  app.get(
    '/api/v1/aid/communities/:community',
    {
      schema: {
        tags,
        summary: "A board's settings and my roles there",
        params: communityParamsSchema,
        response: { 200: communityWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await communityPage(deps.db, auth, request.params.community));
    },
  );

  app.put(
    '/api/v1/aid/communities/:community/settings',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Turn a board on or off and set its default expiry (managers)',
        params: communityParamsSchema,
        body: communitySettingsSchema,
        response: { 200: communityWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await setCommunitySettings(deps, auth, request.params.community, request.body, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/aid/communities/:community/coordinators',
    {
      schema: {
        tags,
        summary: "A board's coordinators, so people know whom to ask",
        params: communityParamsSchema,
        response: { 200: coordinatorsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await coordinators(deps.db, auth, request.params.community));
    },
  );

  app.put(
    '/api/v1/aid/communities/:community/coordinators/:accountId',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Appoint a coordinator (managers)',
        params: coordinatorParamsSchema,
        response: { 200: coordinatorsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { community, accountId } = request.params;
      const r = await setCoordinator(deps, auth, community, accountId, true, deps.now());
      if (!r.ok) return sendFailure(reply, r.error);
      return send(reply, await coordinators(deps.db, auth, community));
    },
  );

  app.delete(
    '/api/v1/aid/communities/:community/coordinators/:accountId',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Remove a coordinator (managers)',
        params: coordinatorParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { community, accountId } = request.params;
      const r = await setCoordinator(deps, auth, community, accountId, false, deps.now());
      return r.ok ? reply.code(204).send(null) : sendFailure(reply, r.error);
    },
  );

  // ─── Categories ───────────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/aid/categories',
    {
      schema: {
        tags,
        summary: "The built-in categories and this instance's own",
        response: { 200: categoriesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await categories(deps.db));
    },
  );

  app.post(
    '/api/v1/aid/categories',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Add a category of this instance (instance admins)',
        body: createCategorySchema,
        response: { 201: categoryWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await createCategory(deps, auth, request.body, deps.now()), 201);
    },
  );

  app.patch(
    '/api/v1/aid/categories/:categoryId',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Rename, retire or bring back a category (instance admins)',
        params: categoryParamsSchema,
        body: updateCategorySchema,
        response: { 200: categoryWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await changeCategory(deps, auth, request.params.categoryId, request.body, deps.now()),
      );
    },
  );

  // ─── Areas ────────────────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/aid/areas',
    {
      schema: {
        tags,
        summary: "This instance's zones, with centres rounded to 0.01°",
        response: { 200: areasResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await areas(deps.db));
    },
  );

  app.put(
    '/api/v1/aid/areas/:areaId',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Create or change one zone (instance admins)',
        params: areaParamsSchema,
        body: areaInputSchema,
        response: { 200: areaWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await saveAreas(
        deps,
        auth,
        [{ ...request.body, id: request.params.areaId }],
        deps.now(),
      );
      return r.ok ? reply.send(r.value.areas[0]!) : sendFailure(reply, r.error);
    },
  );

  app.post(
    '/api/v1/aid/areas/import',
    {
      config: perAccount(10),
      schema: {
        tags,
        summary: 'Create or change many zones at once, all or nothing (instance admins)',
        body: importAreasSchema,
        response: { 200: importResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await saveAreas(deps, auth, request.body.areas, deps.now()));
    },
  );

  // ─── Posts and the board ──────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/aid/communities/:community/posts',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: 'The board: filter by kind, category, zone and distance, time, urgency, status',
        params: communityParamsSchema,
        querystring: boardQuerySchema,
        response: { 200: boardResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await board(deps.db, auth, request.params.community, request.query));
    },
  );

  app.post(
    '/api/v1/aid/communities/:community/posts',
    {
      config: perAccount(20),
      schema: {
        tags,
        summary: 'Post a need or an offer (members; a group board needs its agreement)',
        params: communityParamsSchema,
        body: createPostSchema,
        response: { 201: postWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await createPost(deps, auth, request.params.community, request.body, deps.now()),
        201,
      );
    },
  );

  app.get(
    '/api/v1/aid/posts/:postId',
    {
      schema: {
        tags,
        summary: "A post's page: its coming occurrences, and a named author's public keys",
        params: postParamsSchema,
        response: { 200: postPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await postPage(deps.db, auth, request.params.postId, deps.now()));
    },
  );

  app.patch(
    '/api/v1/aid/posts/:postId',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Change my post while it is open',
        params: postParamsSchema,
        body: updatePostSchema,
        response: { 200: postWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await editPost(deps, auth, request.params.postId, request.body, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/aid/posts/:postId/status',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: "Change a post's (or one occurrence's) status, as the lifecycle allows",
        params: postParamsSchema,
        body: changeStatusSchema,
        response: { 200: postWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await changeStatus(deps, auth, request.params.postId, request.body, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/aid/posts/:postId/renew',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Still needed: a new expiry (an expired post opens again)',
        params: postParamsSchema,
        body: renewPostSchema,
        response: { 200: postWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await renewPost(deps, auth, request.params.postId, request.body, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/aid/mine',
    {
      schema: {
        tags,
        summary: 'My posts, my responses, and assignments waiting for my answer',
        response: { 200: mineResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await mine(deps.db, auth));
    },
  );
};
