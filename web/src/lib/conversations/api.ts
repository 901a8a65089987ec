/**
 * Direct conversations' HTTP calls (core/src/conversations/api.ts), typed, each answer checked
 * against its core schema. Expected failures (offline, not found, ended, rate limited) are values.
 * Everything written travels only inside sealed records (session.ts); this module only carries them.
 */
import type { z } from 'zod';
import {
  conversationDetailSchema,
  conversationSchema,
  conversationsResponseSchema,
  messageSchema,
  messagesResponseSchema,
  type ConversationWire,
  type MessageWire,
} from '$core/conversations/api';
import { api, type ApiClient, type ApiResult } from '../api/client';

export type { ConversationWire, MessageWire };
export type ConversationDetailWire = z.infer<typeof conversationDetailSchema>;
export type MessagesPageWire = z.infer<typeof messagesResponseSchema>;

export interface NewConversation {
  readonly id: string;
  readonly with: string;
  readonly keyId: 1;
  readonly myShareKey: string;
  readonly theirShareKey: string;
}

export interface NewMessage {
  readonly id: string;
  readonly keyId: number;
  /** base64url message record v1 (sealed). */
  readonly record: string;
}

export interface NewKey {
  readonly keyId: number;
  readonly myShareKey: string;
  readonly theirShareKey: string;
}

const seg = (value: string) => encodeURIComponent(value);
const base = (id: string) => `/api/v1/conversations/${seg(id)}`;

export function conversationsApi(client: ApiClient = api) {
  return {
    list: (): Promise<ApiResult<z.infer<typeof conversationsResponseSchema>>> =>
      client.get('/api/v1/conversations', conversationsResponseSchema),
    start: (body: NewConversation): Promise<ApiResult<ConversationWire>> =>
      client.request('POST', '/api/v1/conversations', { body, schema: conversationSchema }),
    open: (id: string): Promise<ApiResult<ConversationDetailWire>> =>
      client.get(base(id), conversationDetailSchema),
    /** The latest page (`before` omitted), or the page before `before`; oldest first. */
    messages: (
      id: string,
      page: { readonly before?: number; readonly after?: number } = {},
    ): Promise<ApiResult<MessagesPageWire>> => {
      const query: Record<string, string> = {};
      if (page.before !== undefined) query.before = String(page.before);
      if (page.after !== undefined) query.after = String(page.after);
      return client.get(`${base(id)}/messages`, messagesResponseSchema, query);
    },
    post: (id: string, body: NewMessage): Promise<ApiResult<MessageWire>> =>
      client.request('POST', `${base(id)}/messages`, { body, schema: messageSchema }),
    markRead: (id: string, seq: number): Promise<ApiResult<undefined>> =>
      client.request('POST', `${base(id)}/read`, { body: { seq } }),
    /** A new key (key id + 1) wrapped for both by me; older keys stay served. */
    resetKey: (id: string, body: NewKey): Promise<ApiResult<ConversationWire>> =>
      client.request('PUT', `${base(id)}/key`, { body, schema: conversationSchema }),
    leave: (id: string): Promise<ApiResult<undefined>> =>
      client.request('POST', `${base(id)}/leave`, { body: {} }),
  };
}

export type ConversationsApi = ReturnType<typeof conversationsApi>;
