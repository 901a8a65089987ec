import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { moderationApi } from './api';
import { MuteList } from './mutes.svelte';

/** A stand-in server for the mute routes: keeps the muted ids, answers like the real one. */
function fakeServer(start: string[] = []) {
  const muted = new Set(start);
  const calls: string[] = [];
  const answer = () =>
    new Response(
      JSON.stringify({
        mutes: [...muted].map((accountId) => ({ accountId, createdAt: '2026-11-25T10:00:00Z' })),
      }),
      { status: 200 },
    );
  const fetcher: Fetch = (input, init) => {
    const method = init?.method ?? 'GET';
    if (input === '/api/v1/csrf') {
      return Promise.resolve(new Response(JSON.stringify({ token: 't' }), { status: 200 }));
    }
    calls.push(`${method} ${input}`);
    const id = input.split('/').pop() ?? '';
    if (method === 'PUT') muted.add(id);
    if (method === 'DELETE') muted.delete(id);
    if (id === 'offline') return Promise.reject(new TypeError('network'));
    return Promise.resolve(answer());
  };
  return { fetcher, calls };
}

describe('MuteList', () => {
  it('reads the list, and follows the server after a mute and an unmute', async () => {
    const server = fakeServer(['acc-ben']);
    const list = new MuteList(moderationApi(new ApiClient(server.fetcher)));
    expect((await list.load()).ok).toBe(true);
    expect([...list.ids]).toEqual(['acc-ben']);
    await list.set('acc-cy', true);
    expect([...list.ids].sort()).toEqual(['acc-ben', 'acc-cy']);
    await list.set('acc-ben', false);
    expect([...list.ids]).toEqual(['acc-cy']);
    expect(server.calls).toEqual([
      'GET /api/v1/moderation/mutes',
      'PUT /api/v1/moderation/mutes/acc-cy',
      'DELETE /api/v1/moderation/mutes/acc-ben',
    ]);
  });

  it('keeps what it had when the call fails', async () => {
    const server = fakeServer(['acc-ben']);
    const list = new MuteList(moderationApi(new ApiClient(server.fetcher)));
    await list.load();
    const r = await list.set('offline', true);
    expect(r.ok).toBe(false);
    expect([...list.ids]).toEqual(['acc-ben']);
  });
});
