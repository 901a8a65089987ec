/**
 * "Someone to talk to" HTTP calls (core/src/groups/listen-api.ts), typed, each answer checked
 * against its core schema. Expected failures (offline, not a group member, taken) are values.
 * What anyone wants to say never travels here: it goes into the encrypted conversation.
 */
import type { z } from 'zod';
import {
  askSchema,
  asksResponseSchema,
  feedbackResponseSchema,
  listenWindowResponseSchema,
  listenWindowSchema,
  type AskWire,
  type ListenWindowInput,
} from '$core/groups/listen-api';
import { api, type ApiClient, type ApiResult } from '../api/client';

export type { AskWire, ListenWindowInput };
export type ListenWindowWire = z.infer<typeof listenWindowSchema>;
export type FeedbackWire = z.infer<typeof feedbackResponseSchema>['feedback'][number];

export interface AskInput {
  readonly topics: readonly string[];
  readonly languages: readonly string[];
}

export interface OpenTalkBody {
  readonly id: string;
  readonly keyId: 1;
  readonly myShareKey: string;
  readonly theirShareKey: string;
}

export interface FeedbackInput {
  readonly words: readonly string[];
  readonly text?: string;
}

const seg = (value: string) => encodeURIComponent(value);
const ask = (id: string) => `/api/v1/listen/asks/${seg(id)}`;

export function listenApi(client: ApiClient = api) {
  const action = (id: string, path: string): Promise<ApiResult<AskWire>> =>
    client.request('POST', `${ask(id)}/${path}`, { body: {}, schema: askSchema });
  return {
    window: (): Promise<ApiResult<z.infer<typeof listenWindowResponseSchema>>> =>
      client.get('/api/v1/listen/window', listenWindowResponseSchema),
    setWindow: (body: ListenWindowInput): Promise<ApiResult<ListenWindowWire>> =>
      client.request('PUT', '/api/v1/listen/window', { body, schema: listenWindowSchema }),
    stopWindow: (): Promise<ApiResult<undefined>> =>
      client.request('DELETE', '/api/v1/listen/window'),
    asks: (): Promise<ApiResult<z.infer<typeof asksResponseSchema>>> =>
      client.get('/api/v1/listen/asks', asksResponseSchema),
    ask: (body: AskInput): Promise<ApiResult<AskWire>> =>
      client.request('POST', '/api/v1/listen/asks', { body, schema: askSchema }),
    accept: (id: string) => action(id, 'accept'),
    withdraw: (id: string) => action(id, 'withdraw'),
    end: (id: string) => action(id, 'end'),
    openTalk: (id: string, body: OpenTalkBody): Promise<ApiResult<AskWire>> =>
      client.request('POST', `${ask(id)}/conversation`, { body, schema: askSchema }),
    feedback: (id: string, body: FeedbackInput): Promise<ApiResult<undefined>> =>
      client.request('POST', `${ask(id)}/feedback`, { body }),
    kindWords: (): Promise<ApiResult<z.infer<typeof feedbackResponseSchema>>> =>
      client.get('/api/v1/listen/feedback', feedbackResponseSchema),
  };
}

export type ListenApi = ReturnType<typeof listenApi>;
