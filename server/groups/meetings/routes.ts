import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../../core/src/errors.js';
import {
  changeOccurrenceSchema,
  createdFeedSchema,
  createFeedSchema,
  createMeetingSchema,
  feedFileParamsSchema,
  feedParamsSchema,
  feedSchema,
  feedsResponseSchema,
  meetingParamsSchema,
  meetingSeriesSchema,
  occurrenceParamsSchema,
  occurrenceSchema,
  occurrencesResponseSchema,
  rsvpSchema,
  updateMeetingSchema,
  windowQuerySchema,
} from '../../../core/src/groups/meetings-api.js';
import { groupParamsSchema } from '../../../core/src/groups/api.js';
import type { Result } from '../../../core/src/result.js';
import type { ServiceDeps } from '../../app.js';
import { sendError } from '../../http/errors.js';
import { perAccountLimit } from '../../http/rate-limit.js';
import { requireAuth } from '../../http/session.js';
import { renderGroupFeed, uidHost } from '../ics.js';
import { createReminderWorker } from './reminders.js';
import {
  cancelMeeting,
  changeOccurrence,
  createFeed,
  createMeeting,
  editMeeting,
  feedContent,
  groupMeetings,
  meetingSeries,
  myFeeds,
  myMeetings,
  revokeMyFeed,
  rsvp,
  type MeetingFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

const perAccount = (max: number) => perAccountLimit('meetings', max);

export function sendFailure(reply: FastifyReply, f: MeetingFailure): FastifyReply {
  switch (f.kind) {
    case 'not_found':
      return sendError(reply, 404, 'not_found', 'There is no such group, meeting or calendar.');
    case 'forbidden':
      return sendError(reply, 403, 'forbidden', f.message);
    case 'invalid':
      return sendError(reply, 400, 'invalid_input', f.message);
    case 'conflict':
      return sendError(reply, 409, 'conflict', f.message);
    case 'recurrence':
      return sendError(reply, 400, f.code, f.detail);
    case 'agreement_needed':
      return sendError(
        reply,
        409,
        'agreement_needed',
        `Please read and accept the group's agreement (version ${f.current}) first.`,
      );
    case 'meeting_cancelled':
      return sendError(reply, 409, 'meeting_cancelled', 'This meeting was cancelled.');
    case 'archived':
      return sendError(reply, 409, 'group_archived', 'This group is archived.');
  }
}

const send = <T>(reply: FastifyReply, r: Result<T, MeetingFailure>, status = 200) =>
  r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r.error);

const FEED_TOKEN = /^([A-Za-z0-9_-]{43})\.ics$/;

/**
 * Group meetings (docs/GROUPS.md, "Meetings"). Every route but the calendar feed needs sign-in;
 * the feed is found by its token's hash alone (a calendar app has no cookie).
 */
export const meetingRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const tags = ['meetings'];

  // Reminders (server/groups/meetings/reminders.ts): polls the database every 15 s.
  const reminders = createReminderWorker(deps, { now: deps.now, logger: deps.logger });
  app.addHook('onClose', async () => reminders.stop());

  app.get(
    '/api/v1/groups/:groupId/meetings',
    {
      schema: {
        tags,
        summary: "A group's meetings in a window (visitors to an open group: titles and times)",
        params: groupParamsSchema,
        querystring: windowQuerySchema,
        response: { 200: occurrencesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(
        reply,
        await groupMeetings(deps.db, groupId, auth.accountId, request.query, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/meetings',
    {
      schema: {
        tags,
        summary: 'The meetings of all my groups in a window',
        querystring: windowQuerySchema,
        response: { 200: occurrencesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await myMeetings(deps.db, auth.accountId, request.query, deps.now()));
    },
  );

  app.post(
    '/api/v1/groups/:groupId/meetings',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Schedule a meeting, one-off or recurring (facilitators)',
        params: groupParamsSchema,
        body: createMeetingSchema,
        response: { 201: meetingSeriesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(
        reply,
        await createMeeting(deps, groupId, auth.accountId, request.body, deps.now()),
        201,
      );
    },
  );

  app.get(
    '/api/v1/groups/:groupId/meetings/:meetingId',
    {
      schema: {
        tags,
        summary: 'A meeting series as its facilitators edit it, link included (facilitators)',
        params: meetingParamsSchema,
        response: { 200: meetingSeriesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, meetingId } = request.params;
      return send(reply, await meetingSeries(deps.db, groupId, meetingId, auth.accountId));
    },
  );

  app.patch(
    '/api/v1/groups/:groupId/meetings/:meetingId',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'Change a meeting series (facilitators)',
        params: meetingParamsSchema,
        body: updateMeetingSchema,
        response: { 200: meetingSeriesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, meetingId } = request.params;
      return send(
        reply,
        await editMeeting(deps, groupId, meetingId, auth.accountId, request.body, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/groups/:groupId/meetings/:meetingId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a whole series (facilitators); its meetings stay listed as cancelled',
        params: meetingParamsSchema,
        response: { 200: meetingSeriesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, meetingId } = request.params;
      return send(reply, await cancelMeeting(deps, groupId, meetingId, auth.accountId, deps.now()));
    },
  );

  app.put(
    '/api/v1/groups/:groupId/meetings/:meetingId/occurrences/:occurrenceId',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: 'Cancel or move one meeting of a series, with a note (facilitators)',
        params: occurrenceParamsSchema,
        body: changeOccurrenceSchema,
        response: { 200: occurrenceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, meetingId, occurrenceId } = request.params;
      return send(
        reply,
        await changeOccurrence(
          deps,
          groupId,
          meetingId,
          occurrenceId,
          auth.accountId,
          request.body,
          deps.now(),
        ),
      );
    },
  );

  app.put(
    '/api/v1/groups/:groupId/meetings/:meetingId/rsvp',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: 'My answer for one meeting or the whole series, with an optional reminder',
        params: meetingParamsSchema,
        body: rsvpSchema,
        response: { 200: occurrencesResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, meetingId } = request.params;
      return send(
        reply,
        await rsvp(deps, groupId, meetingId, auth.accountId, request.body, deps.now()),
      );
    },
  );

  // ─── Calendar feeds ───────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/calendar-feeds',
    {
      schema: {
        tags,
        summary: 'My private calendar links (never their tokens)',
        response: { 200: feedsResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return myFeeds(deps.db, auth.accountId);
    },
  );

  app.post(
    '/api/v1/calendar-feeds',
    {
      config: perAccount(20),
      schema: {
        tags,
        summary: 'A private calendar link for one group or all my groups (shown once)',
        body: createFeedSchema,
        response: { 201: createdFeedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const base = deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
      return send(
        reply,
        await createFeed(deps, auth.accountId, request.body.groupId, base, deps.now()),
        201,
      );
    },
  );

  app.delete(
    '/api/v1/calendar-feeds/:feedId',
    {
      schema: {
        tags,
        summary: 'Revoke one of my calendar links: it stops working at once',
        params: feedParamsSchema,
        response: { 200: feedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await revokeMyFeed(deps, request.params.feedId, auth.accountId, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/calendar/:file',
    {
      config: {
        rateLimit: {
          max: 60,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) => `calendar:${request.ip}`,
        },
      },
      schema: {
        tags,
        summary: 'A private calendar feed (text/calendar), found by its token; no sign-in',
        params: feedFileParamsSchema,
        // text/calendar, or the JSON error shape (404 unknown or revoked, 429); not declared,
        // so the serializer leaves the calendar text as it is.
      },
      // After the app's own `no-store` for /api/: only the person's own calendar app may keep it.
      onSend: async (_request, reply) => {
        reply.header('cache-control', 'private, no-cache');
      },
    },
    async (request, reply) => {
      const match = FEED_TOKEN.exec(request.params.file);
      if (match === null) return sendFailure(reply, { kind: 'not_found' });
      const r = await feedContent(deps.db, match[1]!, deps.now());
      if (!r.ok) return sendFailure(reply, r.error);
      // Event ids name this Tend: PUBLIC_URL's host, else the request's if it is a host name
      // (a malformed Host header must not break the feed).
      const authority = deps.config.publicUrl ? new URL(deps.config.publicUrl).host : request.host;
      const host = uidHost(authority) ?? 'tend.invalid';
      const body = renderGroupFeed({
        name: r.value.name,
        host,
        events: r.value.events,
        generatedAt: deps.now(),
      });
      return reply
        .code(200)
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="tend.ics"')
        .send(body);
    },
  );
};
