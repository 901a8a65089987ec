/**
 * The groups' HTTP calls (core/src/groups/api.ts), typed, each answer checked against its core
 * schema. Every call returns an ApiResult: expected failures (offline, not found, a stale
 * agreement, the last facilitator) are values, never exceptions.
 */
import type { z } from 'zod';
import {
  agreementsResponseSchema,
  browseResponseSchema,
  groupInvitationSchema,
  groupInvitationsResponseSchema,
  groupLinkSchema,
  groupPageSchema,
  joinRequestWireSchema,
  joinRequestsResponseSchema,
  membersResponseSchema,
  myGroupsResponseSchema,
  type BrowseQuery,
  type CreateGroupInput,
  type GroupInvitationWire,
  type GroupPageWire,
  type GroupRole,
  type GroupSummaryWire,
  type JoinRequestWire,
  type UpdateGroupInput,
} from '$core/groups/api';
import { api, type ApiClient, type ApiResult } from '../api/client';

export type { GroupInvitationWire, GroupPageWire, GroupSummaryWire, JoinRequestWire };
export type BrowseWire = z.infer<typeof browseResponseSchema>;
export type MyGroupsWire = z.infer<typeof myGroupsResponseSchema>;
export type MembersWire = z.infer<typeof membersResponseSchema>;
export type MemberWire = MembersWire['members'][number];
export type AgreementsWire = z.infer<typeof agreementsResponseSchema>;
export type GroupLinkWire = z.infer<typeof groupLinkSchema>;

const seg = (value: string) => encodeURIComponent(value);

/** Only the query's present values, as strings (the client's query shape). */
function queryOf(
  q: BrowseQuery | Record<string, string | number | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(q)) {
    if (value !== undefined && value !== '') out[key] = String(value);
  }
  return out;
}

/** Typed calls for every group route, through one API client (the app's by default). */
export function groupsApi(client: ApiClient = api) {
  const base = '/api/v1/groups';
  return {
    browse: (query: BrowseQuery): Promise<ApiResult<BrowseWire>> =>
      client.get(base, browseResponseSchema, queryOf(query)),
    mine: (): Promise<ApiResult<MyGroupsWire>> =>
      client.get(`${base}/mine`, myGroupsResponseSchema),
    bySlug: (slug: string): Promise<ApiResult<GroupPageWire>> =>
      client.get(`${base}/by-slug/${seg(slug)}`, groupPageSchema),
    byId: (groupId: string): Promise<ApiResult<GroupPageWire>> =>
      client.get(`${base}/${seg(groupId)}`, groupPageSchema),
    create: (body: CreateGroupInput): Promise<ApiResult<GroupPageWire>> =>
      client.request('POST', base, { body, schema: groupPageSchema }),
    update: (groupId: string, body: UpdateGroupInput): Promise<ApiResult<GroupPageWire>> =>
      client.request('PATCH', `${base}/${seg(groupId)}`, { body, schema: groupPageSchema }),
    archive: (groupId: string): Promise<ApiResult<GroupPageWire>> =>
      client.request('POST', `${base}/${seg(groupId)}/archive`, { schema: groupPageSchema }),

    // Members and roles
    members: (groupId: string): Promise<ApiResult<MembersWire>> =>
      client.get(`${base}/${seg(groupId)}/members`, membersResponseSchema),
    setRole: (groupId: string, accountId: string, role: GroupRole): Promise<ApiResult<unknown>> =>
      client.request('PUT', `${base}/${seg(groupId)}/members/${seg(accountId)}/role`, {
        body: { role },
      }),
    /** Take, change (a name) or drop (null) my pseudonym in this group. */
    setPseudonym: (groupId: string, pseudonym: string | null): Promise<ApiResult<GroupPageWire>> =>
      client.request('PUT', `${base}/${seg(groupId)}/members/me`, {
        body: { pseudonym },
        schema: groupPageSchema,
      }),
    leave: (groupId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `${base}/${seg(groupId)}/members/me`),

    // Agreements
    agreements: (groupId: string): Promise<ApiResult<AgreementsWire>> =>
      client.get(`${base}/${seg(groupId)}/agreements`, agreementsResponseSchema),
    publishAgreement: (groupId: string, text: string): Promise<ApiResult<GroupPageWire>> =>
      client.request('POST', `${base}/${seg(groupId)}/agreements`, {
        body: { text },
        schema: groupPageSchema,
      }),
    acceptAgreement: (
      groupId: string,
      agreementVersion: number,
    ): Promise<ApiResult<GroupPageWire>> =>
      client.request('POST', `${base}/${seg(groupId)}/agreement/accept`, {
        body: { agreementVersion },
        schema: groupPageSchema,
      }),

    // Joining
    join: (
      groupId: string,
      body: { agreementVersion: number; pseudonym?: string },
    ): Promise<ApiResult<GroupPageWire>> =>
      client.request('POST', `${base}/${seg(groupId)}/join`, { body, schema: groupPageSchema }),
    requestToJoin: (
      groupId: string,
      body: { id: string; agreementVersion: number; answers: string[]; pseudonym?: string },
    ): Promise<ApiResult<JoinRequestWire>> =>
      client.request('POST', `${base}/${seg(groupId)}/requests`, {
        body,
        schema: joinRequestWireSchema,
      }),
    /** A page of pending requests, oldest first; pass the answer's `nextCursor` for the next. */
    requests: (
      groupId: string,
      page: { cursor?: string; limit?: number } = {},
    ): Promise<ApiResult<z.infer<typeof joinRequestsResponseSchema>>> =>
      client.get(`${base}/${seg(groupId)}/requests`, joinRequestsResponseSchema, queryOf(page)),
    decide: (groupId: string, requestId: string, approve: boolean): Promise<ApiResult<unknown>> =>
      client.request('POST', `${base}/${seg(groupId)}/requests/${seg(requestId)}/decision`, {
        body: { approve },
      }),
    withdrawRequest: (groupId: string, requestId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `${base}/${seg(groupId)}/requests/${seg(requestId)}`),

    // Invitations
    invite: (
      groupId: string,
      body: { id: string; handle?: string; linkTokenHash?: string; expiresInHours?: number },
    ): Promise<ApiResult<GroupInvitationWire>> =>
      client.request('POST', `${base}/${seg(groupId)}/invitations`, {
        body,
        schema: groupInvitationSchema,
      }),
    /** A page of invitations, newest first (`status: 'pending'`: open ones only). */
    invitations: (
      groupId: string,
      page: { cursor?: string; limit?: number; status?: 'pending' } = {},
    ): Promise<ApiResult<z.infer<typeof groupInvitationsResponseSchema>>> =>
      client.get(
        `${base}/${seg(groupId)}/invitations`,
        groupInvitationsResponseSchema,
        queryOf(page),
      ),
    cancelInvitation: (groupId: string, invitationId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `${base}/${seg(groupId)}/invitations/${seg(invitationId)}`),
    answerInvitation: (
      invitationId: string,
      body: { accept: true; agreementVersion: number; pseudonym?: string } | { accept: false },
    ): Promise<ApiResult<GroupInvitationWire>> =>
      client.request('POST', `${base}/invitations/${seg(invitationId)}/answer`, {
        body,
        schema: groupInvitationSchema,
      }),
    link: (token: string): Promise<ApiResult<GroupLinkWire>> =>
      client.get(`${base}/links/${seg(token)}`, groupLinkSchema),
    joinByLink: (
      token: string,
      body: { agreementVersion: number; pseudonym?: string },
    ): Promise<ApiResult<GroupPageWire>> =>
      client.request('POST', `${base}/links/${seg(token)}/join`, {
        body,
        schema: groupPageSchema,
      }),
  };
}
