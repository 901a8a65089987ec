import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../core/src/errors.js';
import {
  acceptAgreementSchema,
  agreementsResponseSchema,
  answerGroupInvitationSchema,
  browseQuerySchema,
  browseResponseSchema,
  createGroupInvitationSchema,
  createGroupSchema,
  decideRequestSchema,
  GROUP_LIMITS,
  groupInvitationParamsSchema,
  groupInvitationSchema,
  groupInvitationsQuerySchema,
  groupInvitationsResponseSchema,
  groupLinkParamsSchema,
  groupLinkSchema,
  groupPageSchema,
  groupParamsSchema,
  slugSchema,
  invitationParamsSchema,
  joinRequestSchema,
  joinRequestsQuerySchema,
  joinRequestsResponseSchema,
  joinRequestWireSchema,
  joinSchema,
  memberParamsSchema,
  membersQuerySchema,
  membersResponseSchema,
  myGroupsResponseSchema,
  publishAgreementSchema,
  requestParamsSchema,
  setRoleSchema,
  updateGroupSchema,
  updateMyMembershipSchema,
} from '../../core/src/groups/api.js';
import type { Result } from '../../core/src/result.js';
import type { ServiceDeps } from '../app.js';
import { sendError } from '../http/errors.js';
import { perAccountLimit } from '../http/rate-limit.js';
import { requireAuth } from '../http/session.js';
import {
  acceptAgreement,
  agreements,
  answerGroupInvitation,
  archiveGroup,
  browseGroups,
  cancelGroupInvitation,
  createGroup,
  decideRequest,
  editGroup,
  groupInvitations,
  groupMembers,
  groupPage,
  groupPageBySlug,
  inviteToGroup,
  joinByLink,
  joinGroup,
  joinRequests,
  leaveGroup,
  myGroups,
  publishAgreement,
  readGroupLink,
  requestToJoin,
  setPseudonym,
  setRole,
  withdrawRequest,
  type GroupFailure,
} from './use-cases.js';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  410: errorBodySchema,
  429: errorBodySchema,
};

/** Per account (every group route needs sign-in): joining and inviting cannot be automated. */
const perAccount = (max: number) => perAccountLimit('groups', max);

/** One failure → one status and stable code (core/src/groups/api.ts lists them). */
export function sendFailure(reply: FastifyReply, f: GroupFailure): FastifyReply {
  switch (f.kind) {
    case 'not_found':
      return sendError(reply, 404, 'not_found', 'There is no such group, request or invitation.');
    case 'forbidden':
      return sendError(reply, 403, 'forbidden', f.message);
    case 'invalid':
      return sendError(
        reply,
        400,
        'invalid_input',
        f.message,
        f.issues === undefined ? {} : { issues: [...f.issues] },
      );
    case 'conflict':
      return sendError(reply, 409, 'conflict', f.message);
    case 'slug_taken':
      return sendError(reply, 409, 'slug_taken', 'Another group already uses this name in links.');
    case 'pseudonym_taken':
      return sendError(
        reply,
        409,
        'pseudonym_taken',
        'Someone in this group already uses that name; choose another.',
      );
    case 'already_member':
      return sendError(reply, 409, 'already_in_group', 'They are already in this group.');
    case 'stale_agreement':
      return sendError(
        reply,
        409,
        'stale_agreement',
        `The group's agreement has changed (it is now version ${f.current}). Please read it again.`,
      );
    case 'join_mode':
      return sendError(reply, 409, 'join_mode_mismatch', f.message);
    case 'request_closed':
      return sendError(reply, 409, 'request_closed', 'This request was already answered.');
    case 'last_facilitator':
      return sendError(
        reply,
        409,
        'last_facilitator',
        'A group needs at least one facilitator: ask someone else to facilitate first.',
      );
    case 'archived':
      return sendError(reply, 409, 'group_archived', 'This group is archived.');
    case 'rate_limited':
      reply.header('retry-after', '3600');
      return sendError(
        reply,
        429,
        'rate_limited',
        `You can start ${GROUP_LIMITS.createdPerDay} groups a day; please try again later.`,
      );
    case 'invitation_closed':
      return sendError(
        reply,
        409,
        'invitation_closed',
        'This invitation was already answered, withdrawn, or has expired.',
      );
    case 'link_gone':
      return sendError(reply, 410, 'link_gone', 'This link has expired or was withdrawn.');
    case 'no_account':
      return sendError(reply, 401, 'unauthenticated', 'Please sign in.');
    case 'banned':
      return sendError(reply, 403, 'banned', "You can't join this group.");
  }
}

const send = <T>(reply: FastifyReply, r: Result<T, GroupFailure>, status = 200) =>
  r.ok ? reply.code(status).send(r.value) : sendFailure(reply, r.error);

/**
 * Peer-support groups (docs/GROUPS.md). Every route needs sign-in. An invite-only group is the
 * same 404 as an unknown id to anyone who is neither a member nor invited by handle; in a group
 * someone can see, a missing role is 403.
 */
export const groupRoutes: FastifyPluginAsyncZod<ServiceDeps> = async (app, deps) => {
  const tags = ['groups'];

  app.get(
    '/api/v1/groups',
    {
      config: perAccount(120),
      schema: {
        tags,
        summary: 'Browse and search groups (never invite-only groups I am not in)',
        querystring: browseQuerySchema,
        response: { 200: browseResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await browseGroups(deps, auth.accountId, request.query, deps.now()));
    },
  );

  app.get(
    '/api/v1/groups/mine',
    {
      schema: {
        tags,
        summary: 'My groups, my pending join requests and invitations to me',
        response: { 200: myGroupsResponseSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return myGroups(deps.db, auth.accountId, deps.now());
    },
  );

  app.post(
    '/api/v1/groups',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Start a group: I become its facilitator and accept its first agreement',
        body: createGroupSchema,
        response: { 201: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(reply, await createGroup(deps, auth.accountId, request.body, deps.now()), 201);
    },
  );

  app.get(
    '/api/v1/groups/:groupId',
    {
      schema: {
        tags,
        summary: 'A group page: for a member, with my membership; for a visitor, how to join',
        params: groupParamsSchema,
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await groupPage(deps.db, request.params.groupId, auth.accountId, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/groups/by-slug/:slug',
    {
      schema: {
        tags,
        summary: 'A group page found by its slug (the same answers as by id)',
        params: z.strictObject({ slug: slugSchema }),
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await groupPageBySlug(deps.db, request.params.slug, auth.accountId, deps.now()),
      );
    },
  );

  app.patch(
    '/api/v1/groups/:groupId',
    {
      schema: {
        tags,
        summary: 'Edit what a group says about itself (facilitators)',
        params: groupParamsSchema,
        body: updateGroupSchema,
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(reply, await editGroup(deps, groupId, auth.accountId, request.body, deps.now()));
    },
  );

  app.post(
    '/api/v1/groups/:groupId/archive',
    {
      schema: {
        tags,
        summary: 'Archive a group: it is no longer listed and nobody can join (facilitators)',
        params: groupParamsSchema,
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await archiveGroup(deps, request.params.groupId, auth.accountId, deps.now()),
      );
    },
  );

  // ─── Members ──────────────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/groups/:groupId/members',
    {
      schema: {
        tags,
        summary: 'Members (pseudonyms reveal whose they are to moderators and facilitators only)',
        params: groupParamsSchema,
        querystring: membersQuerySchema,
        response: { 200: membersResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await groupMembers(
          deps.db,
          request.params.groupId,
          auth.accountId,
          request.query,
          deps.now(),
        ),
      );
    },
  );

  app.put(
    '/api/v1/groups/:groupId/members/:accountId/role',
    {
      schema: {
        tags,
        summary: "Change a member's role (facilitators; a group keeps at least one facilitator)",
        params: memberParamsSchema,
        body: setRoleSchema,
        response: {
          200: z.object({ accountId: z.string(), role: setRoleSchema.shape.role }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, accountId } = request.params;
      return send(
        reply,
        await setRole(deps, groupId, auth.accountId, accountId, request.body.role, deps.now()),
      );
    },
  );

  app.put(
    '/api/v1/groups/:groupId/members/me',
    {
      schema: {
        tags,
        summary: 'Take, change or drop my pseudonym in a group (members)',
        params: groupParamsSchema,
        body: updateMyMembershipSchema,
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      const pseudonym = request.body.pseudonym;
      return send(reply, await setPseudonym(deps, groupId, auth.accountId, pseudonym, deps.now()));
    },
  );

  app.delete(
    '/api/v1/groups/:groupId/members/me',
    {
      schema: {
        tags,
        summary: 'Leave a group (the last facilitator names another first)',
        params: groupParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const r = await leaveGroup(deps, request.params.groupId, auth.accountId, deps.now());
      return r.ok ? reply.code(204).send(null) : sendFailure(reply, r.error);
    },
  );

  // ─── Agreements ───────────────────────────────────────────────────────────────────────────────

  app.get(
    '/api/v1/groups/:groupId/agreements',
    {
      schema: {
        tags,
        summary: "Every version of a group's agreement, newest first",
        params: groupParamsSchema,
        response: { 200: agreementsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await agreements(deps.db, request.params.groupId, auth.accountId, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/groups/:groupId/agreements',
    {
      schema: {
        tags,
        summary: 'Publish a new agreement version (facilitators); members accept it again',
        params: groupParamsSchema,
        body: publishAgreementSchema,
        response: { 201: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(
        reply,
        await publishAgreement(deps, groupId, auth.accountId, request.body.text, deps.now()),
        201,
      );
    },
  );

  app.post(
    '/api/v1/groups/:groupId/agreement/accept',
    {
      schema: {
        tags,
        summary: 'Accept the current agreement (members; an older version is stale_agreement)',
        params: groupParamsSchema,
        body: acceptAgreementSchema,
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      const version = request.body.agreementVersion;
      return send(reply, await acceptAgreement(deps, groupId, auth.accountId, version, deps.now()));
    },
  );

  // ─── Joining ──────────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/groups/:groupId/join',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Join a public group, accepting the agreement version I read',
        params: groupParamsSchema,
        body: joinSchema,
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(reply, await joinGroup(deps, groupId, auth.accountId, request.body, deps.now()));
    },
  );

  app.post(
    '/api/v1/groups/:groupId/requests',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Ask to join a by-request group, answering its join questions',
        params: groupParamsSchema,
        body: joinRequestSchema,
        response: { 201: joinRequestWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(
        reply,
        await requestToJoin(deps, groupId, auth.accountId, request.body, deps.now()),
        201,
      );
    },
  );

  app.get(
    '/api/v1/groups/:groupId/requests',
    {
      schema: {
        tags,
        summary: 'Pending join requests, a page (facilitators; not from people I blocked)',
        params: groupParamsSchema,
        querystring: joinRequestsQuerySchema,
        response: { 200: joinRequestsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(
        reply,
        await joinRequests(deps.db, groupId, auth.accountId, request.query, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/groups/:groupId/requests/:requestId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or decline a join request (facilitators)',
        params: requestParamsSchema,
        body: decideRequestSchema,
        response: { 200: joinRequestWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, requestId } = request.params;
      const approve = request.body.approve;
      return send(
        reply,
        await decideRequest(deps, groupId, requestId, auth.accountId, approve, deps.now()),
      );
    },
  );

  app.delete(
    '/api/v1/groups/:groupId/requests/:requestId',
    {
      schema: {
        tags,
        summary: 'Withdraw my own pending join request',
        params: requestParamsSchema,
        response: { 200: joinRequestWireSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, requestId } = request.params;
      return send(
        reply,
        await withdrawRequest(deps, groupId, requestId, auth.accountId, deps.now()),
      );
    },
  );

  // ─── Invitations ──────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/v1/groups/:groupId/invitations',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Invite someone by handle, or make an invitation link (facilitators)',
        params: groupParamsSchema,
        body: createGroupInvitationSchema,
        response: { 201: groupInvitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(
        reply,
        await inviteToGroup(deps, groupId, auth.accountId, request.body, deps.now()),
        201,
      );
    },
  );

  app.get(
    '/api/v1/groups/:groupId/invitations',
    {
      schema: {
        tags,
        summary: "A group's invitations and links, a page (facilitators)",
        params: groupParamsSchema,
        querystring: groupInvitationsQuerySchema,
        response: { 200: groupInvitationsResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId } = request.params;
      return send(
        reply,
        await groupInvitations(deps.db, groupId, auth.accountId, request.query, deps.now()),
      );
    },
  );

  app.delete(
    '/api/v1/groups/:groupId/invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Withdraw an invitation or a link (facilitators)',
        params: groupInvitationParamsSchema,
        response: { 200: groupInvitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { groupId, invitationId } = request.params;
      return send(
        reply,
        await cancelGroupInvitation(deps, groupId, invitationId, auth.accountId, deps.now()),
      );
    },
  );

  app.post(
    '/api/v1/groups/invitations/:invitationId/answer',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Accept (with the agreement version I read) or decline an invitation to me',
        params: invitationParamsSchema,
        body: answerGroupInvitationSchema,
        response: { 200: groupInvitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      const { invitationId } = request.params;
      return send(
        reply,
        await answerGroupInvitation(deps, invitationId, auth.accountId, request.body, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/groups/links/:token',
    {
      config: perAccount(60),
      schema: {
        tags,
        summary: 'The group an invitation link invites to, and its agreement',
        params: groupLinkParamsSchema,
        response: { 200: groupLinkSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      reply.header('cache-control', 'no-store');
      return send(reply, await readGroupLink(deps.db, request.params.token, deps.now()));
    },
  );

  app.post(
    '/api/v1/groups/links/:token/join',
    {
      config: perAccount(30),
      schema: {
        tags,
        summary: 'Join through an invitation link, accepting the agreement version I read',
        params: groupLinkParamsSchema,
        body: joinSchema,
        response: { 200: groupPageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request, reply);
      if (auth === undefined) return reply;
      return send(
        reply,
        await joinByLink(deps, request.params.token, auth.accountId, request.body, deps.now()),
      );
    },
  );
};
