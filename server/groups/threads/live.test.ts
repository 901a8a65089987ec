import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { realtimeEventSchema } from '../../../core/src/circles/api.js';
import { startThreadResponseSchema } from '../../../core/src/groups/threads-api.js';
import { sessionCookie } from '../../http/session.js';
import { openSse, type SseConnection } from '../../realtime/sse-client.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { seedGroup, someone } from './test-fixtures.js';

describeEachEngine('group conversations: another member’s open tab', (engine) => {
  let t: TestApp;
  let base: string;
  const open: SseConnection[] = [];

  beforeEach(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await t.close();
  });

  it('gets a new thread and a mention at once, as ids only', async () => {
    const ada = await someone(t, 'ada');
    const bo = await someone(t, 'bo');
    const groupId = await seedGroup(t, {
      now: new Date(),
      members: [
        { who: ada, role: 'member', pseudonym: 'Willow' },
        { who: bo, role: 'member' },
      ],
    });
    const cookie = `${sessionCookie}=${bo.client.cookies.get(sessionCookie) ?? ''}`;
    const sse = await openSse(`${base}/api/v1/events`, { cookie });
    open.push(sse);
    expect(sse.status).toBe(200);

    const res = await ada.client.post(`/api/v1/groups/${groupId}/threads`, {
      title: 'A hard week',
      body: 'Thinking of you, @bo.',
      contentWarning: 'low mood',
      asPseudonym: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { thread, post } = startThreadResponseSchema.parse(res.json());
    const messages = await sse.waitFor(2, 10_000);
    const events = messages.map((m) => realtimeEventSchema.strict().parse(JSON.parse(m.data)));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['group.thread.created', { groupId, threadId: thread.id }],
      ['group.mention', { groupId, threadId: thread.id, postId: post.id }],
    ]);
    for (const m of messages) {
      for (const secret of ['A hard week', 'Thinking', 'low mood', 'Willow', ada.accountId]) {
        expect(m.data).not.toContain(secret);
      }
    }
  });
});
