import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { notifySettingsResponseSchema } from '../../core/src/notify/api.js';
import { signedInClient } from '../test-support/accounts.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import { startPushSink, type PushSink } from '../test-support/notify.js';

describeEachEngine('notification routes', (engine) => {
  let t: TestApp;
  let push: PushSink;
  let dataDir: string;
  beforeEach(async () => {
    push = await startPushSink();
    dataDir = mkdtempSync(join(tmpdir(), 'tend-notify-'));
    t = await createTestApp(engine, { env: { DATA_DIR: dataDir, NOTIFY_WORKER: 'false' } });
  });
  afterEach(async () => {
    await t.close();
    await push.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const subsOf = async (accountId: string) =>
    (
      await t.handle.db
        .selectFrom('push_subscriptions')
        .select('endpoint')
        .where('account_id', '=', accountId)
        .execute()
    ).map((r) => r.endpoint);
  const settings = { email: true, push: true, quietHours: null, pausedUntil: null };

  it('refuses signed-out visitors (the VAPID public key is public)', async () => {
    const visitor = new TestClient(t.app);
    const sub = push.subscribe();
    for (const res of [
      await visitor.post('/api/v1/notify/push-subscriptions', sub),
      await visitor.send('DELETE', '/api/v1/notify/push-subscriptions', {
        body: { endpoint: sub.endpoint },
      }),
      await visitor.get('/api/v1/notify/settings'),
      await visitor.put('/api/v1/notify/settings', settings),
    ]) {
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
    const key = await visitor.get('/api/v1/notify/push-key');
    expect(key.statusCode).toBe(200);
    expect(key.json<{ publicKey: string }>().publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
  });

  it('refuses a change without the CSRF token', async () => {
    const { client } = await signedInClient(t, 'ana');
    const res = await client.post('/api/v1/notify/push-subscriptions', push.subscribe(), {
      csrf: false,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'csrf_failed' } });
  });

  it('keeps one subscription per endpoint; only its owner can delete it', async () => {
    const ana = await signedInClient(t, 'ana');
    const bo = await signedInClient(t, 'bo');
    const sub = push.subscribe();
    expect((await ana.client.post('/api/v1/notify/push-subscriptions', sub)).statusCode).toBe(204);
    // The same device again (keys renewed): still one row.
    const renewed = { endpoint: sub.endpoint, keys: push.subscribe().keys };
    expect((await ana.client.post('/api/v1/notify/push-subscriptions', renewed)).statusCode).toBe(
      204,
    );
    expect(await subsOf(ana.accountId)).toEqual([sub.endpoint]);
    const row = await t.handle.db
      .selectFrom('push_subscriptions')
      .select(['p256dh', 'auth'])
      .where('endpoint', '=', sub.endpoint)
      .executeTakeFirstOrThrow();
    expect(row).toEqual(renewed.keys);

    // Someone else cannot delete it, and learns nothing about it.
    const theirs = await bo.client.send('DELETE', '/api/v1/notify/push-subscriptions', {
      body: { endpoint: sub.endpoint },
    });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(await subsOf(ana.accountId)).toEqual([sub.endpoint]);

    const own = await ana.client.send('DELETE', '/api/v1/notify/push-subscriptions', {
      body: { endpoint: sub.endpoint },
    });
    expect(own.statusCode).toBe(204);
    expect(await subsOf(ana.accountId)).toEqual([]);
    const again = await ana.client.send('DELETE', '/api/v1/notify/push-subscriptions', {
      body: { endpoint: sub.endpoint },
    });
    expect(again.statusCode).toBe(404);
  });

  it('a browser endpoint belongs to whoever subscribed on it last (the person now signed in there)', async () => {
    const ana = await signedInClient(t, 'ana');
    const bo = await signedInClient(t, 'bo');
    const sub = push.subscribe();
    await ana.client.post('/api/v1/notify/push-subscriptions', sub);
    expect((await bo.client.post('/api/v1/notify/push-subscriptions', sub)).statusCode).toBe(204);
    expect(await subsOf(ana.accountId)).toEqual([]);
    expect(await subsOf(bo.accountId)).toEqual([sub.endpoint]);
  });

  it('refuses malformed subscriptions with invalid_input', async () => {
    const { client, accountId } = await signedInClient(t, 'cy');
    const sub = push.subscribe();
    for (const body of [
      { endpoint: 'not a url', keys: sub.keys },
      { endpoint: sub.endpoint, keys: { p256dh: 'short', auth: sub.keys.auth } },
      { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: 'x' } },
      { endpoint: sub.endpoint },
      { ...sub, extra: 1 },
    ]) {
      const res = await client.post('/api/v1/notify/push-subscriptions', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect(await subsOf(accountId)).toEqual([]);
  });

  it('settings: defaults, saved and read back, per person', async () => {
    const ana = await signedInClient(t, 'ana');
    const bo = await signedInClient(t, 'bo');
    const first = notifySettingsResponseSchema.parse(
      (await ana.client.get('/api/v1/notify/settings')).json(),
    );
    expect(first).toEqual({
      email: true,
      push: true,
      quietHours: null,
      pausedUntil: null,
      hasEmail: false,
      emailServer: false,
      pushDevices: 0,
    });
    await ana.client.post('/api/v1/notify/push-subscriptions', push.subscribe());
    const chosen = {
      email: false,
      push: true,
      quietHours: { start: '22:30', end: '07:00', timeZone: 'America/New_York' },
      pausedUntil: '2026-12-01T09:00:00.000Z',
    };
    const put = await ana.client.put('/api/v1/notify/settings', chosen);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ ...chosen, hasEmail: false, emailServer: false, pushDevices: 1 });
    expect((await ana.client.get('/api/v1/notify/settings')).json()).toMatchObject(chosen);
    // Someone else's settings are untouched.
    expect((await bo.client.get('/api/v1/notify/settings')).json()).toMatchObject(settings);
    // Back to no quiet hours and no pause.
    await ana.client.put('/api/v1/notify/settings', settings);
    expect((await ana.client.get('/api/v1/notify/settings')).json()).toMatchObject(settings);
  });

  it('refuses bad settings with invalid_input and changes nothing', async () => {
    const { client } = await signedInClient(t, 'dee');
    const quiet = (q: Record<string, string>) => ({ ...settings, quietHours: q });
    for (const body of [
      quiet({ start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' }),
      quiet({ start: '22:00', end: '22:00', timeZone: 'UTC' }),
      quiet({ start: '24:00', end: '07:00', timeZone: 'UTC' }),
      quiet({ start: '9:00', end: '07:00', timeZone: 'UTC' }),
      quiet({ start: '22:00', end: '07:00' }),
      { ...settings, pausedUntil: 'tomorrow' },
      { ...settings, email: 'yes' },
      { email: true, push: true },
      { ...settings, extra: true },
    ]) {
      const res = await client.put('/api/v1/notify/settings', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect((await client.get('/api/v1/notify/settings')).json()).toMatchObject(settings);
  });
});
