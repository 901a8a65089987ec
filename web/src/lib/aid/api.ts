/**
 * The mutual aid board's HTTP calls (core/src/aid/api.ts), typed, each answer checked against its
 * core schema. Every call returns an ApiResult: expected failures (offline, a board that is off, a
 * status change that no longer fits) are values, never exceptions. No words of a conversation ever
 * travel here: "I can help" only opens the encrypted conversation (its keys made in the browser).
 */
import { z } from 'zod';
import type { assignmentWireSchema } from '$core/aid/api';
import {
  areasResponseSchema,
  areaWireSchema,
  boardResponseSchema,
  categoriesResponseSchema,
  categoryWireSchema,
  communitiesResponseSchema,
  communityWireSchema,
  coordinatorsResponseSchema,
  figuresResponseSchema,
  matchesResponseSchema,
  MATCH_NOTIFY_RATES,
  mineResponseSchema,
  openNeedsResponseSchema,
  postAuthorSchema,
  postPageSchema,
  postWireSchema,
  responsesResponseSchema,
  responseWireSchema,
  thanksResponseSchema,
  type AreaInput,
  type AreaWire,
  type ChangeStatusInput,
  type CommunitySettings,
  type CreatePostInput,
  type MatchNotifyRate,
  type PostWire,
  type UpdatePostInput,
} from '$core/aid/api';
import { membersResponseSchema } from '$core/groups/api';
import { api, type ApiClient, type ApiResult } from '../api/client';

export type { AreaWire, ChangeStatusInput, CreatePostInput, MatchNotifyRate, PostWire };
export type CommunityWire = z.infer<typeof communityWireSchema>;
export type CategoryWire = z.infer<typeof categoriesResponseSchema>['categories'][number];
export type BoardWire = z.infer<typeof boardResponseSchema>;
export type PostPageWire = z.infer<typeof postPageSchema>;
export type ResponseWire = z.infer<typeof responseWireSchema>;
export type AssignmentWire = z.infer<typeof assignmentWireSchema>;
export type ThanksWire = z.infer<typeof thanksResponseSchema>['thanks'][number];
export type MineWire = z.infer<typeof mineResponseSchema>;
export type OpenNeedWire = z.infer<typeof openNeedsResponseSchema>['needs'][number];
export type FiguresWire = z.infer<typeof figuresResponseSchema>;
export type CoordinatorsWire = z.infer<typeof coordinatorsResponseSchema>;

/** The keys of a new conversation, made and wrapped in this browser (PROTOCOL §13). */
export interface ConversationKeys {
  readonly id: string;
  readonly keyId: 1;
  readonly myShareKey: string;
  readonly theirShareKey: string;
}

/** Query values as the client sends them: only those present, as text. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

const seg = (value: string) => encodeURIComponent(value);

function queryOf(q: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(q)) {
    if (value !== undefined && value !== '') out[key] = String(value);
  }
  return out;
}

// The rate answer may carry more than the rate (when I was last told): read only the rate.
const rateSchema = z.object({ rate: z.enum(MATCH_NOTIFY_RATES) });
// An import's answer: how many zones were made and changed, and the zones as kept.
const importResultSchema = z.object({
  created: z.int(),
  changed: z.int(),
  areas: z.array(areaWireSchema),
});
export type AreasImportWire = z.infer<typeof importResultSchema>;

// Coordinators' unmet list: the board's shape, or the matches' (posts under another name).
const unmetSchema = z.union([
  boardResponseSchema,
  z
    .object({ needs: z.array(postWireSchema), next: z.string().nullable().optional() })
    .transform((v) => ({ posts: v.needs, next: v.next ?? null })),
]);

const BASE = '/api/v1/aid';
const community = (c: string) => `${BASE}/communities/${seg(c)}`;
const post = (id: string) => `${BASE}/posts/${seg(id)}`;

/** Where the browser downloads a community's CSV files (same origin, the session cookie). */
export const csvPath = {
  openNeeds: (c: string): string => `${community(c)}/open-needs.csv`,
  figures: (c: string, q: { from: string; to: string; by: string }): string =>
    `${community(c)}/figures.csv?${new URLSearchParams(q).toString()}`,
};

/** Typed calls for every aid route, through one API client (the app's by default). */
export function aidApi(client: ApiClient = api) {
  // Actions answer with the changed thing; the pages read it again, so the answer's shape is not
  // relied on (only that it succeeded).
  const act = (method: string, path: string, body: unknown = {}): Promise<ApiResult<undefined>> =>
    client.request(method, path, { body });
  return {
    // Communities, categories, areas
    communities: (): Promise<ApiResult<{ communities: CommunityWire[] }>> =>
      client.get(`${BASE}/communities`, communitiesResponseSchema),
    community: (c: string): Promise<ApiResult<CommunityWire>> =>
      client.get(community(c), communityWireSchema),
    settings: (c: string, body: CommunitySettings) => act('PUT', `${community(c)}/settings`, body),
    coordinators: (c: string): Promise<ApiResult<CoordinatorsWire>> =>
      client.get(`${community(c)}/coordinators`, coordinatorsResponseSchema),
    addCoordinator: (c: string, accountId: string) =>
      act('PUT', `${community(c)}/coordinators/${seg(accountId)}`),
    removeCoordinator: (c: string, accountId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `${community(c)}/coordinators/${seg(accountId)}`),
    /** A page of a group's members (facilitators see every account), to choose coordinators. */
    groupMembers: (groupId: string, cursor?: string) =>
      client.get(`/api/v1/groups/${seg(groupId)}/members`, membersResponseSchema, {
        limit: '200',
        ...(cursor === undefined ? {} : { cursor }),
      }),
    categories: (): Promise<ApiResult<{ categories: CategoryWire[] }>> =>
      client.get(`${BASE}/categories`, categoriesResponseSchema),
    areas: (): Promise<ApiResult<{ areas: AreaWire[] }>> =>
      client.get(`${BASE}/areas`, areasResponseSchema),
    // Instance admins: the instance's own categories and its zones.
    createCategory: (body: { id: string; label: string }): Promise<ApiResult<CategoryWire>> =>
      client.request('POST', `${BASE}/categories`, { body, schema: categoryWireSchema }),
    changeCategory: (
      id: string,
      body: { label?: string; retired?: boolean },
    ): Promise<ApiResult<CategoryWire>> =>
      client.request('PATCH', `${BASE}/categories/${seg(id)}`, {
        body,
        schema: categoryWireSchema,
      }),
    putArea: (id: string, body: Partial<AreaInput> & Pick<AreaInput, 'name' | 'lat' | 'lon'>) =>
      client.request('PUT', `${BASE}/areas/${seg(id)}`, { body, schema: areaWireSchema }),
    importAreas: (body: {
      areas: (AreaInput & { id: string })[];
    }): Promise<ApiResult<AreasImportWire>> =>
      client.request('POST', `${BASE}/areas/import`, { body, schema: importResultSchema }),

    // Posts
    board: (c: string, query: Query): Promise<ApiResult<BoardWire>> =>
      client.get(`${community(c)}/posts`, boardResponseSchema, queryOf(query)),
    create: (c: string, body: CreatePostInput): Promise<ApiResult<PostWire>> =>
      client.request('POST', `${community(c)}/posts`, { body, schema: postWireSchema }),
    post: (id: string): Promise<ApiResult<PostPageWire>> => client.get(post(id), postPageSchema),
    update: (id: string, body: UpdatePostInput) => act('PATCH', post(id), body),
    changeStatus: (id: string, body: ChangeStatusInput) => act('POST', `${post(id)}/status`, body),
    renew: (id: string, expiresInDays?: number) =>
      act('POST', `${post(id)}/renew`, expiresInDays === undefined ? {} : { expiresInDays }),
    /** Who wrote a post (the board's moderators): written in the log with the reason. */
    author: (id: string, reason: string) =>
      client.get(`${post(id)}/author`, postAuthorSchema, { reason }),

    // Matches
    matches: (id: string): Promise<ApiResult<{ matches: PostWire[] }>> =>
      client.get(`${post(id)}/matches`, matchesResponseSchema),
    myMatches: (): Promise<ApiResult<{ matches: PostWire[] }>> =>
      client.get(`${BASE}/matches`, matchesResponseSchema),
    matchNotices: (): Promise<ApiResult<{ rate: MatchNotifyRate }>> =>
      client.get(`${BASE}/match-notices`, rateSchema),
    setMatchNotices: (rate: MatchNotifyRate) => act('PUT', `${BASE}/match-notices`, { rate }),

    // Responses
    respond: (
      id: string,
      body: { id: string; occurrenceId?: string; conversation?: ConversationKeys },
    ): Promise<ApiResult<ResponseWire>> =>
      client.request('POST', `${post(id)}/responses`, { body, schema: responseWireSchema }),
    responses: (id: string): Promise<ApiResult<{ responses: ResponseWire[] }>> =>
      client.get(`${post(id)}/responses`, responsesResponseSchema),
    openConversation: (responseId: string, keys: ConversationKeys) =>
      act('POST', `${BASE}/responses/${seg(responseId)}/conversation`, keys),
    decline: (responseId: string) => act('POST', `${BASE}/responses/${seg(responseId)}/decline`),
    withdrawResponse: (responseId: string) =>
      act('POST', `${BASE}/responses/${seg(responseId)}/withdraw`),

    // Thanks and mine
    thank: (id: string, body: { words: string[]; text?: string; occurrenceId?: string }) =>
      act('POST', `${post(id)}/thanks`, body),
    thanks: (): Promise<ApiResult<{ thanks: ThanksWire[] }>> =>
      client.get(`${BASE}/thanks`, thanksResponseSchema),
    mine: (): Promise<ApiResult<MineWire>> => client.get(`${BASE}/mine`, mineResponseSchema),

    // Coordinators
    unmet: (c: string, query: Query): Promise<ApiResult<BoardWire>> =>
      client.get(`${community(c)}/unmet`, unmetSchema, queryOf(query)),
    assign: (
      id: string,
      body: { id: string; helperId: string; occurrenceId?: string },
    ): Promise<ApiResult<undefined>> => act('POST', `${post(id)}/assignments`, body),
    answerAssignment: (assignmentId: string, accept: boolean) =>
      act('POST', `${BASE}/assignments/${seg(assignmentId)}/answer`, { accept }),
    withdrawAssignment: (assignmentId: string) =>
      act('POST', `${BASE}/assignments/${seg(assignmentId)}/withdraw`),
    openNeeds: (c: string): Promise<ApiResult<{ needs: OpenNeedWire[] }>> =>
      client.get(`${community(c)}/open-needs`, openNeedsResponseSchema),
    figures: (
      c: string,
      query: { from: string; to: string; by: string },
    ): Promise<ApiResult<FiguresWire>> =>
      client.get(`${community(c)}/figures`, figuresResponseSchema, query),
  };
}

export type AidApi = ReturnType<typeof aidApi>;
