import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../core/src/errors.js';
import {
  accountParamsSchema,
  actionResponseSchema,
  actionSchema,
  auditResponseSchema,
  closeReportResponseSchema,
  closeReportSchema,
  groupParamsSchema,
  MODERATION_LIMITS,
  mutesResponseSchema,
  myReportSchema,
  myReportsResponseSchema,
  newReportSchema,
  notesResponseSchema,
  pageQuerySchema,
  queueQuerySchema,
  queueResponseSchema,
  reportParamsSchema,
} from '../../core/src/moderation/api.js';
import type { Result } from '../../core/src/result.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { perAccountLimit } from '../http/rate-limit.js';
import { requireAuth } from '../http/session.js';
import {
  act,
  closeReport,
  createReport,
  groupAudit,
  instanceAudit,
  mutes,
  myNotes,
  myReports,
  queue,
  setMute,
  withdrawReport,
  type ModerationFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

/** Per account (every route needs sign-in), on top of the reporting limit kept in the database. */
const perAccount = (max: number) => perAccountLimit('moderation', max);

/** One failure → one status and stable code (core/src/moderation/api.ts lists them). */
export function sendFailure(reply: FastifyReply, f: ModerationFailure): FastifyReply {
  switch (f.kind) {
    case 'not_found':
      return sendError(reply, 404, 'not_found', f.message ?? 'There is no such thing here.');
    case 'forbidden':
      return sendError(reply, 403, 'forbidden', f.message);
    case 'invalid':
      return sendError(reply, 400, 'invalid_input', f.message);
    case 'conflict':
      return sendError(reply, 409, 'conflict', f.message);
    case 'bad_signature':
      return sendError(
        reply,
        400,
        'bad_signature',
        `Message ${f.messageId} is not signed by the person who sent it, so it cannot be reported as theirs.`,
      );
    case 'cannot_act_on_self':
      return sendError(reply, 403, 'cannot_act_on_self', 'This cannot be done about yourself.');
    case 'cannot_act_on_facilitator':
      return sendError(
        reply,
        403,
        'cannot_act_on_facilitator',
        "Moderators cannot act on a facilitator; ask another facilitator or the instance's admins.",
      );
    case 'report_closed':
      return sendError(reply, 409, 'report_closed', 'This report is already closed.');
    case 'last_facilitator':
      return sendError(
        reply,
        409,
        'last_facilitator',
        'They are the last facilitator of this group; make someone else a facilitator first.',
      );
    case 'rate_limited':
      reply.header('retry-after', '3600');
      return sendError(
        reply,
        429,
        'rate_limited',
        `You can make ${MODERATION_LIMITS.reportsPerHour} reports in an hour; please wait a little.`,
      );
  }
}

const send = <T>(reply: FastifyReply, r: Result<T, ModerationFailure>, status = 200) =>
  r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r.error);

/**
 * Moderation (docs/MODERATION.md): reports, the queue, actions, the audit log, mutes and notes.
 * Every route needs sign-in; who may do what is checked in use-cases.ts.
 */
export const moderationRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const tags = ['moderation'];

  app.post(
    '/api/v1/moderation/reports',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Report a group post or thread, or messages of a direct conversation',
        body: newReportSchema,
        response: { 201: myReportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await createReport(deps, auth.accountId, request.body, deps.now()), 201);
    },
  );

  app.get(
    '/api/v1/moderation/reports/mine',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'The reports I made',
        response: { 200: myReportsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return myReports(deps.db, auth.accountId);
    },
  );

  app.delete(
    '/api/v1/moderation/reports/:reportId',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Withdraw my report (revealed messages are erased)',
        params: reportParamsSchema,
        response: { 200: myReportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { reportId } = request.params;
      return send(reply, await withdrawReport(deps, auth.accountId, reportId, deps.now()));
    },
  );

  app.post(
    '/api/v1/moderation/reports/:reportId/close',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Resolve or dismiss a report (group keepers; admins for conversations)',
        params: reportParamsSchema,
        body: closeReportSchema,
        response: { 200: closeReportResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { reportId } = request.params;
      return send(reply, await closeReport(deps, auth, reportId, request.body, deps.now()));
    },
  );

  app.get(
    '/api/v1/moderation/queue',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: 'Open reports of the groups I keep (all, and conversations, for admins)',
        querystring: queueQuerySchema,
        response: { 200: queueResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await queue(deps.db, auth, request.query));
    },
  );

  app.post(
    '/api/v1/groups/:groupId/moderation/actions',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Hide, lock, warn, remove, ban or unban (group keepers and admins)',
        params: groupParamsSchema,
        body: actionSchema,
        response: { 200: actionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(reply, await act(deps, auth, groupId, request.body, deps.now()));
    },
  );

  app.get(
    '/api/v1/groups/:groupId/moderation/audit',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: "A group's moderation log, newest first (its facilitators and admins)",
        params: groupParamsSchema,
        querystring: pageQuerySchema,
        response: { 200: auditResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(reply, await groupAudit(deps.db, auth, groupId, request.query));
    },
  );

  app.get(
    '/api/v1/moderation/audit',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: 'The whole moderation log, newest first (instance admins)',
        querystring: pageQuerySchema,
        response: { 200: auditResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await instanceAudit(deps.db, auth, request.query));
    },
  );

  app.get(
    '/api/v1/moderation/mutes',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: 'The accounts I muted (their posts collapse for me only)',
        response: { 200: mutesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return mutes(deps.db, auth.accountId);
    },
  );

  for (const [method, on] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/v1/moderation/mutes/:accountId',
      config: perAccount(60),
      schema: {
        tags,
        summary: on ? 'Mute someone (for me only; nobody is told)' : 'Unmute someone',
        params: accountParamsSchema,
        response: { 200: mutesResponseSchema, ...errors },
      },
      handler: async (request, reply) => {
        const auth = requireAuth(request, reply);
        if (auth === undefined) return reply;
        const { accountId } = request.params;
        return send(reply, await setMute(deps, auth.accountId, accountId, on, deps.now()));
      },
    });
  }

  app.get(
    '/api/v1/moderation/notes',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Notes moderators sent me',
        response: { 200: notesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return myNotes(deps.db, auth.accountId);
    },
  );
};
