/** Calls the browser tests make straight to the API with a seeded account's client. */
import { expect } from 'vitest';
import type { ApiClient } from '../../bench/api-client.js';

/** PUT a JSON body (fetching the CSRF token once) and expect 200. */
export async function put(api: ApiClient, path: string, body: unknown): Promise<void> {
  if (api.csrf === undefined) {
    const res = await api.send('GET', '/api/v1/csrf');
    api.csrf = (res.json as { token: string }).token;
  }
  const res = await fetch(api.base + path, {
    method: 'PUT',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      cookie: api.cookieHeader(),
      'x-csrf-token': api.csrf,
    },
    body: JSON.stringify(body),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
}
