import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { realtimeEventSchema } from '../../core/src/circles/api.js';
import { sessionCookie } from '../http/session.js';
import { openSse, type SseConnection } from '../realtime/sse-client.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { member, messageBody, startConversation } from './test-fixtures.js';

describeEachEngine('conversations: the other person’s open tab', (engine) => {
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

  it('gets the new message’s id and sequence number at once, and nothing else', async () => {
    const ada = await member(t, 'ada');
    const sam = await member(t, 'sam');
    const { id, key } = await startConversation(ada, sam);
    const cookie = `${sessionCookie}=${sam.client.cookies.get(sessionCookie) ?? ''}`;
    const sse = await openSse(`${base}/api/v1/events`, { cookie });
    open.push(sse);
    expect(sse.status).toBe(200);

    const body = messageBody(id, ada, key, 'Are you there?');
    expect((await ada.client.post(`/api/v1/conversations/${id}/messages`, body)).statusCode).toBe(
      201,
    );
    const [m] = await sse.waitFor(1, 10_000);
    expect(m?.event).toBe('conversation.message');
    const event = realtimeEventSchema.strict().parse(JSON.parse(m?.data ?? ''));
    expect(event).toMatchObject({
      type: 'conversation.message',
      data: { conversationId: id, seq: '1' },
    });
    expect(m?.data).not.toContain(body.record);
  });
});
