/**
 * The reach-out and circle calls these pages make (core/src/circles/api.ts), through the app's
 * API client: every answer is checked against the core schema, and failures are values.
 */
import {
  circlesResponseSchema,
  reachoutSchema,
  reachoutsResponseSchema,
  type ReachoutLevel,
  type ReachoutResponse,
} from '$core/circles/api';
import { api } from '$lib/api/client';

export const circles = () => api.get('/api/v1/circles', circlesResponseSchema);
export const reachouts = () => api.get('/api/v1/reachouts', reachoutsResponseSchema);
export const reachout = (id: string) =>
  api.get(`/api/v1/reachouts/${encodeURIComponent(id)}`, reachoutSchema);

export interface CreateReachout {
  readonly id: string;
  readonly level: ReachoutLevel;
  readonly recipients: readonly string[];
  readonly escalation?: { readonly afterMinutes: number; readonly recipients: readonly string[] };
}
export const createReachout = (body: CreateReachout) =>
  api.request('POST', '/api/v1/reachouts', { body, schema: reachoutSchema });

export const markSeen = (id: string) =>
  api.request('POST', `/api/v1/reachouts/${encodeURIComponent(id)}/seen`, {
    body: {},
    schema: reachoutSchema,
  });

export const respond = (id: string, response: ReachoutResponse, etaMinutes?: number) =>
  api.request('POST', `/api/v1/reachouts/${encodeURIComponent(id)}/response`, {
    body: etaMinutes === undefined ? { response } : { response, etaMinutes },
    schema: reachoutSchema,
  });

export const closeReachout = (id: string, status: 'cancelled' | 'resolved') =>
  api.request('POST', `/api/v1/reachouts/${encodeURIComponent(id)}/close`, {
    body: { status },
    schema: reachoutSchema,
  });
