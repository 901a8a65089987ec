/**
 * The circle's HTTP calls (core/src/circles/api.ts), typed, each answer checked against its core
 * schema. Every call returns an ApiResult: expected failures (offline, not found, rate limited)
 * are values, never exceptions. Envelopes, share keys and token hashes are made by the callers
 * (invitations.ts, sharing.ts); this module only carries them.
 */
import type { z } from 'zod';
import {
  blocksResponseSchema,
  circlesResponseSchema,
  invitationSchema,
  linkInvitationSchema,
  linkShareSchema,
  linkSharesResponseSchema,
  personSchema,
  reachoutSchema,
  reachoutsResponseSchema,
  shareSchema,
  sharedItemsResponseSchema,
  sharesResponseSchema,
  type InvitationWire,
  type MembershipWire,
  type PersonWire,
  type ReachoutLevel,
  type ReachoutResponse,
  type ReachoutWire,
  type ShareWire,
} from '$core/circles/api';
import { api, type ApiClient, type ApiResult } from '../api/client';

export type { InvitationWire, MembershipWire, PersonWire, ReachoutWire, ShareWire };
export type CirclesWire = z.infer<typeof circlesResponseSchema>;
export type SharesWire = z.infer<typeof sharesResponseSchema>;
export type SharedItemsWire = z.infer<typeof sharedItemsResponseSchema>;
export type LinkShareWire = z.infer<typeof linkShareSchema>;
export type ReachoutsWire = z.infer<typeof reachoutsResponseSchema>;

/** `GET /api/v1/circles/links/:token`: a link invitation as anyone holding the link sees it. */
export type LinkInvitationWire = z.infer<typeof linkInvitationSchema>;
export type BlocksWire = z.infer<typeof blocksResponseSchema>;
export type LinkSharesWire = z.infer<typeof linkSharesResponseSchema>;

export interface NewHandleInvitation {
  readonly id: string;
  readonly inviteeId: string;
  /** base64url share key: the invitation key wrapped to the invitee. */
  readonly shareKey: string;
  /** base64url envelope of the `circle.ask`. */
  readonly ask: string;
  readonly expiresInHours?: number;
}

export interface NewLinkInvitation {
  readonly id: string;
  /** base64url SHA-256 of the link token. */
  readonly linkTokenHash: string;
  readonly ask: string;
  readonly expiresInHours?: number;
}

export interface Answer {
  readonly accept: boolean;
  /** base64url envelope of the `circle.offer` (when accepting, or to say why not). */
  readonly reply?: string;
}

export interface PutShare {
  readonly collection: string;
  readonly memberId: string;
  readonly keyId: number;
  /** base64url share key v1. */
  readonly shareKey: string;
}

export interface NewLinkShare {
  readonly id: string;
  readonly tokenHash: string;
  readonly envelope: string;
  readonly expiresInHours: number;
}

export interface NewReachout {
  readonly id: string;
  readonly level: ReachoutLevel;
  readonly recipients: readonly string[];
  readonly escalation?: { readonly afterMinutes: number; readonly recipients: readonly string[] };
}

const seg = (value: string) => encodeURIComponent(value);

/** Typed calls for every circle route, through one API client (the app's by default). */
export function circlesApi(client: ApiClient = api) {
  return {
    // People and memberships
    /** Looks a handle up (404 for unknown handles and for people who blocked me, alike). */
    person: (handle: string): Promise<ApiResult<PersonWire>> =>
      client.get('/api/v1/circles/people', personSchema, { handle }),
    circles: (): Promise<ApiResult<CirclesWire>> =>
      client.get('/api/v1/circles', circlesResponseSchema),
    /** The owner takes someone out of their circle. */
    removeMember: (memberId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `/api/v1/circles/mine/members/${seg(memberId)}`),
    /** A member leaves someone's circle. */
    leave: (ownerId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `/api/v1/circles/supporting/${seg(ownerId)}`),

    // Blocks
    blocks: (): Promise<ApiResult<BlocksWire>> =>
      client.get('/api/v1/circles/blocks', blocksResponseSchema),
    block: (accountId: string): Promise<ApiResult<undefined>> =>
      client.request('POST', '/api/v1/circles/blocks', { body: { accountId } }),
    unblock: (accountId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `/api/v1/circles/blocks/${seg(accountId)}`),

    // Invitations
    invite: (body: NewHandleInvitation | NewLinkInvitation): Promise<ApiResult<InvitationWire>> =>
      client.request('POST', '/api/v1/circles/invitations', { body, schema: invitationSchema }),
    answer: (invitationId: string, body: Answer): Promise<ApiResult<InvitationWire>> =>
      client.request('POST', `/api/v1/circles/invitations/${seg(invitationId)}/answer`, {
        body,
        schema: invitationSchema,
      }),
    cancelInvitation: (invitationId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `/api/v1/circles/invitations/${seg(invitationId)}`),
    /** Anyone holding the link (even signed out): 404 unknown, 410 `link_gone`. */
    linkInvitation: (token: string): Promise<ApiResult<LinkInvitationWire>> =>
      client.get(`/api/v1/circles/links/${seg(token)}`, linkInvitationSchema),
    answerLink: (token: string, body: Answer): Promise<ApiResult<InvitationWire>> =>
      client.request('POST', `/api/v1/circles/links/${seg(token)}/answer`, {
        body,
        schema: invitationSchema,
      }),

    // Shared collections
    shares: (): Promise<ApiResult<SharesWire>> =>
      client.get('/api/v1/shares', sharesResponseSchema),
    putShare: (shareId: string, body: PutShare): Promise<ApiResult<ShareWire>> =>
      client.request('PUT', `/api/v1/shares/${seg(shareId)}`, { body, schema: shareSchema }),
    /** Drops every share row of one collection for one member. */
    deleteShare: (collection: string, memberId: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', '/api/v1/shares', { query: { collection, memberId } }),
    sharedItems: (
      ownerId: string,
      collection: string,
      since = 0,
    ): Promise<ApiResult<SharedItemsWire>> =>
      client.get(
        `/api/v1/shares/${seg(ownerId)}/${seg(collection)}/items`,
        sharedItemsResponseSchema,
        { since: String(since) },
      ),

    // Link shares
    linkShares: (): Promise<ApiResult<LinkSharesWire>> =>
      client.get('/api/v1/links', linkSharesResponseSchema),
    createLinkShare: (body: NewLinkShare): Promise<ApiResult<LinkShareWire>> =>
      client.request('POST', '/api/v1/links', { body, schema: linkShareSchema }),
    updateLinkShare: (
      id: string,
      body: { readonly envelope: string; readonly revision: number },
    ): Promise<ApiResult<LinkShareWire>> =>
      client.request('PUT', `/api/v1/links/${seg(id)}`, { body, schema: linkShareSchema }),
    deleteLinkShare: (id: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `/api/v1/links/${seg(id)}`),
    /** Anyone holding the link: 404 unknown, 410 `link_gone` when expired. */
    openLinkShare: (token: string): Promise<ApiResult<LinkShareWire>> =>
      client.get(`/api/v1/links/open/${seg(token)}`, linkShareSchema),

    // Reach-outs
    reachouts: (): Promise<ApiResult<ReachoutsWire>> =>
      client.get('/api/v1/reachouts', reachoutsResponseSchema),
    reachout: (id: string): Promise<ApiResult<ReachoutWire>> =>
      client.get(`/api/v1/reachouts/${seg(id)}`, reachoutSchema),
    reachOut: (body: NewReachout): Promise<ApiResult<ReachoutWire>> =>
      client.request('POST', '/api/v1/reachouts', { body, schema: reachoutSchema }),
    seen: (id: string): Promise<ApiResult<ReachoutWire>> =>
      client.request('POST', `/api/v1/reachouts/${seg(id)}/seen`, {
        body: {},
        schema: reachoutSchema,
      }),
    respond: (
      id: string,
      response: ReachoutResponse,
      etaMinutes?: number,
    ): Promise<ApiResult<ReachoutWire>> =>
      client.request('POST', `/api/v1/reachouts/${seg(id)}/response`, {
        body: etaMinutes === undefined ? { response } : { response, etaMinutes },
        schema: reachoutSchema,
      }),
    close: (id: string, status: 'cancelled' | 'resolved'): Promise<ApiResult<ReachoutWire>> =>
      client.request('POST', `/api/v1/reachouts/${seg(id)}/close`, {
        body: { status },
        schema: reachoutSchema,
      }),
  };
}

export type CirclesApi = ReturnType<typeof circlesApi>;
