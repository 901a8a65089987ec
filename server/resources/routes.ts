import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../core/src/errors.js';
import type { Result } from '../../core/src/result.js';
import {
  changesQuerySchema,
  changesResponseSchema,
  createFlagSchema,
  exportParamsSchema,
  importResultSchema,
  importSchema,
  createKindSchema,
  createResourceSchema,
  createSuggestionSchema,
  declineSuggestionSchema,
  directoryRolesSchema,
  flagParamsSchema,
  flagResponseSchema,
  flagsQuerySchema,
  flagsResponseSchema,
  historyResponseSchema,
  keeperParamsSchema,
  keepersResponseSchema,
  kindParamsSchema,
  kindsResponseSchema,
  kindWireSchema,
  markCheckedSchema,
  notifyChoiceSchema,
  publishSuggestionSchema,
  resourcePageSchema,
  resourceParamsSchema,
  resolveFlagSchema,
  resourceResponseSchema,
  retireResourceSchema,
  revisionParamsSchema,
  revisionResponseSchema,
  searchQuerySchema,
  suggestionParamsSchema,
  suggestionResponseSchema,
  suggestionsQuerySchema,
  suggestionsResponseSchema,
  updateKindSchema,
  updateResourceSchema,
} from '../../core/src/resources/api.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { perAccountLimit } from '../http/rate-limit.js';
import { requireAuth } from '../http/session.js';
import {
  changeKind,
  closeOpenSuggestion,
  changes,
  createKind,
  createResource,
  createSuggestion,
  editResource,
  exportDirectory,
  flagResource,
  flags,
  getResource,
  history,
  importDirectory,
  keepers,
  kinds,
  loadStarter,
  markChecked,
  notifyChoice,
  publishSuggestion,
  resolveFlag,
  retireResource,
  revision,
  roles,
  search,
  setKeeper,
  setNotifyChoice,
  suggestion,
  suggestions,
  type ImportFailure,
  type ResourceFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};
const importErrors = { ...errors, 413: errorBodySchema, 422: errorBodySchema };

const perAccount = (max: number) => perAccountLimit('resources', max);

function sendFailure(reply: FastifyReply, f: ImportFailure): FastifyReply {
  if (f.retryAfterSeconds !== undefined) reply.header('retry-after', String(f.retryAfterSeconds));
  return sendError(
    reply,
    f.status,
    f.code,
    f.message,
    f.issues === undefined ? {} : { issues: [...f.issues] },
  );
}

const send = <T>(reply: FastifyReply, r: Result<T, ResourceFailure>, status = 200) =>
  r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r.error);

/**
 * The resource directory (docs/RESOURCES.md, "Routes"): search, the changes feed, a resource and
 * its history, keepers' edits, kinds and keepers. Every route needs sign-in; the authorization
 * matrix is server/resources/authorization.test.ts.
 */
export const resourceRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const tags = ['resources'];

  app.get(
    '/api/v1/resources',
    {
      schema: {
        tags,
        summary: 'Find resources: words, kinds, languages, cost, reach, distance, open now, crisis',
        querystring: searchQuerySchema,
        response: { 200: resourcePageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await search(deps, auth, request.query, deps.now()));
    },
  );

  app.get(
    '/api/v1/resources/me',
    {
      schema: {
        tags,
        summary: 'What I may do in the directory',
        response: { 200: directoryRolesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await roles(deps.db, auth));
    },
  );

  app.get(
    '/api/v1/resources/changes',
    {
      schema: {
        tags,
        summary: 'Every resource changed since a cursor (to refresh saved copies)',
        querystring: changesQuerySchema,
        response: { 200: changesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await changes(deps.db, auth, request.query, deps.now()));
    },
  );

  app.get(
    '/api/v1/resources/kinds',
    {
      schema: {
        tags,
        summary: 'Kinds of resource: built in and the instance’s own',
        response: { 200: kindsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await kinds(deps.db));
    },
  );

  app.post(
    '/api/v1/resources/kinds',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Add a kind (instance admins)',
        body: createKindSchema,
        response: { 201: kindWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await createKind(deps, auth, request.body, deps.now()), 201);
    },
  );

  app.patch(
    '/api/v1/resources/kinds/:kindId',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Rename, retire or bring back a kind (instance admins)',
        params: kindParamsSchema,
        body: updateKindSchema,
        response: { 200: kindWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await changeKind(deps, auth, request.params.kindId, request.body, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/resources/keepers',
    {
      schema: {
        tags,
        summary: 'The directory keepers, so people know whom to ask',
        response: { 200: keepersResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await keepers(deps.db));
    },
  );

  app.put(
    '/api/v1/resources/keepers/:accountId',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Appoint a directory keeper (instance admins)',
        params: keeperParamsSchema,
        response: { 200: keepersResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await setKeeper(deps, auth, request.params.accountId, true, deps.now());
      return r.ok ? send(reply, await keepers(deps.db)) : sendFailure(reply, r.error);
    },
  );

  app.delete(
    '/api/v1/resources/keepers/:accountId',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Stand a directory keeper down (instance admins)',
        params: keeperParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await setKeeper(deps, auth, request.params.accountId, false, deps.now());
      return r.ok ? reply.code(204).send(null) : sendFailure(reply, r.error);
    },
  );

  app.post(
    '/api/v1/resources',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Add a resource, published at once as version 1 (keepers)',
        body: createResourceSchema,
        response: { 201: resourceResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await createResource(deps, auth, request.body, deps.now()), 201);
    },
  );

  app.get(
    '/api/v1/resources/:resourceId',
    {
      schema: {
        tags,
        summary: 'One resource',
        params: resourceParamsSchema,
        response: { 200: resourceResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await getResource(deps.db, auth, request.params.resourceId, deps.now()));
    },
  );

  app.put(
    '/api/v1/resources/:resourceId',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Publish a new version of a resource (keepers)',
        params: resourceParamsSchema,
        body: updateResourceSchema,
        response: { 200: resourceResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await editResource(deps, auth, request.params.resourceId, request.body, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/resources/:resourceId/checked',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Mark a resource checked today, as it stands (keepers)',
        params: resourceParamsSchema,
        body: markCheckedSchema,
        response: { 200: resourceResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await markChecked(deps, auth, request.params.resourceId, request.body, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/resources/:resourceId/retire',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Take a resource out of the directory, or bring it back (keepers)',
        params: resourceParamsSchema,
        body: retireResourceSchema,
        response: { 200: resourceResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await retireResource(deps, auth, request.params.resourceId, request.body, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/resources/:resourceId/history',
    {
      schema: {
        tags,
        summary: 'Every published version of a resource, newest first',
        params: resourceParamsSchema,
        response: { 200: historyResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await history(deps.db, auth, request.params.resourceId));
    },
  );

  app.get(
    '/api/v1/resources/:resourceId/history/:version',
    {
      schema: {
        tags,
        summary: 'One version of a resource, with its content',
        params: revisionParamsSchema,
        response: { 200: revisionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await revision(deps.db, auth, request.params.resourceId, request.params.version),
      );
    },
  );

  // ─── Out-of-date flags ────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/resources/:resourceId/flags',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Say a resource may be out of date',
        params: resourceParamsSchema,
        body: createFlagSchema,
        response: { 201: flagResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await flagResource(deps, auth, request.params.resourceId, request.body, deps.now()),
        201,
      );
    },
  );

  app.get(
    '/api/v1/resources/flags',
    {
      schema: {
        tags,
        summary: 'Out-of-date flags, open by default, oldest first (keepers)',
        querystring: flagsQuerySchema,
        response: { 200: flagsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await flags(deps.db, auth, request.query));
    },
  );

  app.post(
    '/api/v1/resources/flags/:flagId/resolve',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Resolve an out-of-date flag with a note (keepers)',
        params: flagParamsSchema,
        body: resolveFlagSchema,
        response: { 200: flagResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await resolveFlag(deps, auth, request.params.flagId, request.body, deps.now()),
      );
    },
  );

  // ─── Suggestions ──────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/resources/suggestions',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Suggest a new resource or a correction',
        body: createSuggestionSchema,
        response: { 201: suggestionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await createSuggestion(deps, auth, request.body, deps.now()), 201);
    },
  );

  app.get(
    '/api/v1/resources/suggestions',
    {
      schema: {
        tags,
        summary: 'Suggestions: everyone’s (keepers) or mine (mine=true)',
        querystring: suggestionsQuerySchema,
        response: { 200: suggestionsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await suggestions(deps.db, auth, request.query));
    },
  );

  app.get(
    '/api/v1/resources/suggestions/:suggestionId',
    {
      schema: {
        tags,
        summary: 'One suggestion with its diff (keepers and its author)',
        params: suggestionParamsSchema,
        response: { 200: suggestionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await suggestion(deps.db, auth, request.params.suggestionId));
    },
  );

  app.post(
    '/api/v1/resources/suggestions/:suggestionId/publish',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Publish a suggestion as a new version (keepers)',
        params: suggestionParamsSchema,
        body: publishSuggestionSchema,
        response: { 200: resourceResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await publishSuggestion(deps, auth, request.params.suggestionId, request.body, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/resources/suggestions/:suggestionId/decline',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Decline a suggestion with a note the suggester sees (keepers)',
        params: suggestionParamsSchema,
        body: declineSuggestionSchema,
        response: { 200: suggestionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await closeOpenSuggestion(
          deps,
          auth,
          request.params.suggestionId,
          'declined',
          request.body.note,
          deps.now(),
        ),
      );
    },
  );

  app.post(
    '/api/v1/resources/suggestions/:suggestionId/withdraw',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Withdraw my open suggestion',
        params: suggestionParamsSchema,
        response: { 200: suggestionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await closeOpenSuggestion(
          deps,
          auth,
          request.params.suggestionId,
          'withdrawn',
          null,
          deps.now(),
        ),
      );
    },
  );

  // ─── HSDS import and export ───────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/resources/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      config: perAccount(10),
      schema: {
        tags,
        summary: 'Import HSDS 3 services (JSON or tabular), all or nothing (instance admins)',
        body: importSchema,
        response: { 200: importResultSchema, ...importErrors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await importDirectory(deps, auth, request.body, deps.now()));
    },
  );

  app.get(
    '/api/v1/resources/export/:file',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Export the directory: services.json (HSDS 3 page) or one CSV file (keepers)',
        params: exportParamsSchema,
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await exportDirectory(deps.db, auth, request.params.file, deps.now());
      if (!r.ok) return sendFailure(reply, r.error);
      return reply
        .type(r.value.type)
        .header('content-disposition', `attachment; filename="${request.params.file}"`)
        .send(r.value.body);
    },
  );

  // ─── The starter set ──────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/resources/starter',
    {
      config: perAccount(10),
      schema: {
        tags,
        summary:
          'Load the starter set, all or nothing; existing ids are left alone (instance admins)',
        body: z.strictObject({}),
        response: {
          200: z.object({ created: z.int(), unchanged: z.int() }),
          ...errors,
          422: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await loadStarter(deps, auth, deps.now()));
    },
  );

  // ─── Keepers' daily notice ────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/resources/notify',
    {
      schema: {
        tags,
        summary: 'Whether I am told, at most daily, of new suggestions (keepers)',
        response: { 200: notifyChoiceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await notifyChoice(deps.db, auth));
    },
  );

  app.put(
    '/api/v1/resources/notify',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Be told, at most daily, of new suggestions, or not (keepers)',
        body: notifyChoiceSchema,
        response: { 200: notifyChoiceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await setNotifyChoice(deps, auth, request.body, deps.now()));
    },
  );
};
