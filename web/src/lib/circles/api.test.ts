import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { circlesApi } from './api';

interface Call {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

/** A fetch that records calls and answers each with `answer` (CSRF answered separately). */
function recording(answer: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetch: Fetch = (url, init) => {
    if (url === '/api/v1/csrf') return Promise.resolve(Response.json({ token: 't' }));
    const call = {
      method: init?.method ?? 'GET',
      url,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    return Promise.resolve(answer(call));
  };
  return { calls, api: circlesApi(new ApiClient(fetch)) };
}

const share = {
  shareId: 's1',
  ownerId: 'o1',
  ownerHandle: 'ada',
  memberId: 'm1',
  memberHandle: 'sam',
  collection: 'to-m1-1',
  keyId: 1,
  shareKey: 'x',
  createdAt: '2026-11-24T10:00:00.000Z',
};

describe('circlesApi', () => {
  it('calls each route with its method and path, ids escaped', async () => {
    const { calls, api } = recording(() => new Response(null, { status: 204 }));
    await api.removeMember('m/1');
    await api.leave('o1');
    await api.cancelInvitation('i1');
    await api.deleteShare('to-m1-1', 'm1');
    await api.unblock('b1');
    await api.deleteLinkShare('l1');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'DELETE /api/v1/circles/mine/members/m%2F1',
      'DELETE /api/v1/circles/supporting/o1',
      'DELETE /api/v1/circles/invitations/i1',
      'DELETE /api/v1/shares?collection=to-m1-1&memberId=m1',
      'DELETE /api/v1/circles/blocks/b1',
      'DELETE /api/v1/links/l1',
    ]);
  });

  it('sends bodies and checks answers against the core schemas', async () => {
    const { calls, api } = recording((call) =>
      call.url.startsWith('/api/v1/shares/o1/')
        ? Response.json({ items: [], cursor: 4, more: false, currentKeyId: 1 })
        : Response.json(share),
    );
    const put = await api.putShare('s1', {
      collection: 'to-m1-1',
      memberId: 'm1',
      keyId: 1,
      shareKey: 'x',
    });
    expect(put).toMatchObject({ ok: true, value: share });
    expect(calls[0]).toMatchObject({
      method: 'PUT',
      url: '/api/v1/shares/s1',
      body: { collection: 'to-m1-1', memberId: 'm1', keyId: 1, shareKey: 'x' },
    });
    const items = await api.sharedItems('o1', 'to-m1-1', 3);
    expect(items).toMatchObject({ ok: true, value: { cursor: 4 } });
    expect(calls[1]?.url).toBe('/api/v1/shares/o1/to-m1-1/items?since=3');
  });

  it('reports a malformed answer and a refusal as values', async () => {
    const bad = recording(() => Response.json({ nope: true }));
    expect(await bad.api.shares()).toMatchObject({ ok: false, code: 'bad_response' });
    const gone = recording(() =>
      Response.json({ error: { code: 'link_gone', message: 'gone' } }, { status: 410 }),
    );
    expect(await gone.api.linkInvitation('tok')).toMatchObject({
      ok: false,
      status: 410,
      code: 'link_gone',
    });
    const offline: Fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await circlesApi(new ApiClient(offline)).circles()).toMatchObject({
      ok: false,
      code: 'network',
    });
  });
});
