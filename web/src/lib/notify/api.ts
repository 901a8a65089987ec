/**
 * The notification settings API (server/notify/routes.ts), typed and checked with the core
 * schemas. Every function returns an ApiResult; nothing throws for expected failures.
 */
import type { NotifySettingsWire } from '$core/circles/api';
import {
  notifySettingsResponseSchema,
  pushKeyResponseSchema,
  type NotifySettingsResponse,
} from '$core/notify/api';
import { api, type ApiClient, type ApiResult } from '$lib/api/client';

export type { NotifySettingsResponse, NotifySettingsWire };

/** A browser push subscription as the server takes it. */
export interface PushSubscriptionWire {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export function notifyApi(client: ApiClient = api) {
  return {
    settings: (): Promise<ApiResult<NotifySettingsResponse>> =>
      client.get('/api/v1/notify/settings', notifySettingsResponseSchema),
    saveSettings: (s: NotifySettingsWire): Promise<ApiResult<NotifySettingsResponse>> =>
      client.request('PUT', '/api/v1/notify/settings', {
        body: s,
        schema: notifySettingsResponseSchema,
      }),
    pushKey: (): Promise<ApiResult<{ publicKey: string }>> =>
      client.get('/api/v1/notify/push-key', pushKeyResponseSchema),
    addSubscription: (sub: PushSubscriptionWire): Promise<ApiResult<undefined>> =>
      client.request('POST', '/api/v1/notify/push-subscriptions', { body: sub }),
    removeSubscription: (endpoint: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', '/api/v1/notify/push-subscriptions', { body: { endpoint } }),
  };
}

/** The settings a person can choose (the response minus what the server reports). */
export function choices(s: NotifySettingsResponse): NotifySettingsWire {
  return {
    email: s.email,
    push: s.push,
    quietHours: s.quietHours,
    pausedUntil: s.pausedUntil,
  };
}
