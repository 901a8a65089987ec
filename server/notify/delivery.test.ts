import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { signedInClient } from '../test-support/accounts.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import type { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  startPushSink,
  startSmtpSink,
  type PushSink,
  type SmtpSink,
} from '../test-support/notify.js';
import { enqueueNotification, type NotificationText } from './outbox.js';
import { claimDue } from './repository.js';
import { createMailSender } from './mail.js';
import { createPushSender, loadOrCreateVapidKeys } from './push.js';
import {
  createNotifyWorker,
  KEEP_FINISHED_MS,
  LEASE_MS,
  MAX_ATTEMPTS,
  RETRY_BASE_MS,
} from './worker.js';

const words: NotificationText = {
  title: 'Someone in your circle is reaching out',
  body: 'Open Tend to see it.',
  path: '/circle/reach-outs/r1',
};

describeEachEngine('notification delivery', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let push: PushSink;
  let dataDir: string;
  let clock: Date;

  beforeEach(async () => {
    smtp = await startSmtpSink();
    push = await startPushSink();
    dataDir = mkdtempSync(join(tmpdir(), 'tend-notify-'));
    clock = new Date('2026-07-01T12:00:00Z');
    t = await createTestApp(engine, {
      // The test drives the worker itself (drain) with its own clock.
      env: {
        SMTP_URL: smtp.url,
        NOTIFY_FROM: 'Tend <tend@example.org>',
        PUBLIC_URL: 'https://tend.example.org',
        DATA_DIR: dataDir,
        NOTIFY_WORKER: 'false',
      },
      now: () => clock,
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    await push.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const person = async (handle: string, email: string | null = `${handle}@example.org`) => {
    const who = await signedInClient(t, handle);
    await t.handle.db
      .updateTable('accounts')
      .set({ email })
      .where('id', '=', who.accountId)
      .execute();
    return who;
  };
  const subscribe = async (client: TestClient) => {
    const sub = push.subscribe();
    const res = await client.post('/api/v1/notify/push-subscriptions', sub);
    expect(res.statusCode, res.body).toBe(204);
    return sub;
  };
  const enqueue = (accountId: string, dedupeKey = 'reachout:r1:x', kind = 'reachout') =>
    enqueueNotification(t.handle.db, { accountId, kind, dedupeKey, text: words }, clock);
  const rows = (accountId: string) =>
    t.handle.db
      .selectFrom('notify_outbox')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('channel')
      .execute();
  const drain = () => t.app.notifyWorker.drain();
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  it('emails the fixed words and an absolute link, to a real SMTP server, and nothing else', async () => {
    const { accountId } = await person('rowan');
    expect(await enqueue(accountId)).toEqual({ held: null, channels: ['email'] });
    expect(await drain()).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail?.to).toEqual(['rowan@example.org']);
    expect(mail?.fromHeader).toBe('"Tend" <tend@example.org>');
    expect(mail?.subject).toBe('Someone in your circle is reaching out');
    expect(mail?.text).toBe(
      'Open Tend to see it.\n\nhttps://tend.example.org/circle/reach-outs/r1\n\n' +
        'You can turn these emails off, set quiet hours or pause them in Tend: ' +
        'https://tend.example.org/account/notifications\n',
    );
    expect(mail?.html).toBe(false);
    // No handle and no account id in what the person reads, nor anywhere in the message.
    expect(`${mail?.subject} ${mail?.text}`).not.toContain('rowan');
    expect(mail?.raw).not.toContain(accountId);
    const [row] = await rows(accountId);
    expect(row).toMatchObject({ channel: 'email', status: 'sent', attempts: 1 });
    expect(row?.sent_at).toBe(clock.toISOString());
    // Delivered once: another round sends nothing.
    expect(await drain()).toBe(0);
    expect(smtp.messages).toHaveLength(1);
  });

  it('pushes {title, body, path} to every device of the account, encrypted for its keys and signed with the VAPID key', async () => {
    const { client, accountId } = await person('sam', null);
    const phone = await subscribe(client);
    const laptop = await subscribe(client);
    expect(await enqueue(accountId)).toEqual({ held: null, channels: ['push'] });
    expect(await rows(accountId)).toHaveLength(1);
    await drain();
    const got = await push.waitFor(2);
    expect(got.map((g) => g.endpoint).sort()).toEqual([phone.endpoint, laptop.endpoint].sort());
    for (const g of got) {
      expect(g.payload).toEqual({
        title: 'Someone in your circle is reaching out',
        body: 'Open Tend to see it.',
        path: '/circle/reach-outs/r1',
      });
      expect(g.headers.urgency).toBe('high');
    }
    const key = (await client.get('/api/v1/notify/push-key')).json<{ publicKey: string }>();
    expect(got[0]?.headers.authorization).toContain(`k=${key.publicKey}`);
    expect(smtp.messages).toHaveLength(0);
  });

  it('retries with back-off: a push service failing twice delivers exactly once, at 10 s and then 20 s', async () => {
    const { client, accountId } = await person('kit', null);
    const sub = await subscribe(client);
    push.respondWith(sub.endpoint, [500, 503]);
    await enqueue(accountId);
    const start = clock.getTime();

    await drain();
    let [row] = await rows(accountId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.last_error).toBe('push service answered 500');
    expect(row?.next_attempt_at).toBe(new Date(start + RETRY_BASE_MS).toISOString());

    // Not due yet: nothing happens.
    advance(RETRY_BASE_MS - 1);
    expect(await drain()).toBe(0);
    advance(1);
    await drain();
    [row] = await rows(accountId);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row?.next_attempt_at).toBe(new Date(clock.getTime() + 2 * RETRY_BASE_MS).toISOString());

    advance(2 * RETRY_BASE_MS);
    await drain();
    [row] = await rows(accountId);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    expect(push.attempts(sub.endpoint)).toBe(3);
    expect(push.received).toHaveLength(1);
    advance(3_600_000);
    expect(await drain()).toBe(0);
    expect(push.received).toHaveLength(1);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts, the waits doubling up to an hour`, async () => {
    const { client, accountId } = await person('lee', null);
    const sub = await subscribe(client);
    push.respondWith(sub.endpoint, Array<number>(20).fill(500));
    await enqueue(accountId);
    const waits: number[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) {
      await drain();
      const [row] = await rows(accountId);
      if (row?.status === 'pending') {
        const wait = new Date(row.next_attempt_at).getTime() - clock.getTime();
        waits.push(wait);
        advance(wait);
      }
    }
    expect(waits).toEqual([10, 20, 40, 80, 160, 320, 640].map((s) => s * 1000));
    const [row] = await rows(accountId);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    advance(24 * 3_600_000);
    expect(await drain()).toBe(0);
    expect(push.attempts(sub.endpoint)).toBe(MAX_ATTEMPTS);
  });

  it('retries email after a temporary SMTP refusal', async () => {
    const { accountId } = await person('ira');
    smtp.failNext(1);
    await enqueue(accountId);
    await drain();
    const [first] = await rows(accountId);
    expect(first).toMatchObject({ status: 'pending', last_error: 'smtp 451' });
    advance(RETRY_BASE_MS);
    await drain();
    expect(await smtp.waitFor(1)).toHaveLength(1);
    expect((await rows(accountId))[0]?.status).toBe('sent');
  });

  it('a subscription the push service calls gone (410) is deleted; the other device still gets it', async () => {
    const { client, accountId } = await person('ash', null);
    const old = await subscribe(client);
    const current = await subscribe(client);
    push.gone(old.endpoint);
    await enqueue(accountId);
    await drain();
    expect(push.received.map((r) => r.endpoint)).toEqual([current.endpoint]);
    const left = await t.handle.db
      .selectFrom('push_subscriptions')
      .select('endpoint')
      .where('account_id', '=', accountId)
      .execute();
    expect(left.map((s) => s.endpoint)).toEqual([current.endpoint]);
    // With every device gone the row is skipped, not retried.
    push.gone(current.endpoint);
    await enqueue(accountId, 'reachout:r2:x');
    await drain();
    const second = (await rows(accountId)).find((r) => r.dedupe_key === 'reachout:r2:x:push');
    expect(second).toMatchObject({
      status: 'skipped',
      last_error: 'every push subscription is gone',
    });
  });

  it('de-duplicates: the same key queued twice is one row per channel and one delivery', async () => {
    const { client, accountId } = await person('noor');
    await subscribe(client);
    await enqueue(accountId, 'reachout:r9:noor');
    await enqueue(accountId, 'reachout:r9:noor');
    expect((await rows(accountId)).map((r) => r.channel)).toEqual(['email', 'push']);
    await drain();
    await drain();
    expect(smtp.messages).toHaveLength(1);
    expect(push.received).toHaveLength(1);
  });

  it('a claim whose sender died is taken again only after its lease ran out, and delivered once', async () => {
    const { accountId } = await person('jo');
    await enqueue(accountId);
    // A sender claims the row and dies before sending.
    const claimed = await claimDue(
      t.handle.db,
      engine,
      clock,
      new Date(clock.getTime() + LEASE_MS),
      10,
      'email',
    );
    expect(claimed).toHaveLength(1);
    expect(await drain()).toBe(0);
    advance(LEASE_MS + 1);
    expect(await drain()).toBe(1);
    expect(await smtp.waitFor(1)).toHaveLength(1);
    expect((await rows(accountId))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a push never waits behind email: with the mail server stuck, every push still goes out', async () => {
    // More rows than one claim takes (20), emails and pushes queued alike.
    const people = await Promise.all(Array.from({ length: 15 }, (_, i) => person(`s${i}`)));
    for (const p of people) {
      await subscribe(p.client);
      await enqueue(p.accountId, `k:${p.accountId}`);
    }
    const release = smtp.hold();
    const draining = drain();
    try {
      await push.waitFor(15, 10_000);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      release();
    }
    expect(await draining).toBe(30);
    expect(smtp.messages).toHaveLength(15);
  });

  it('two workers draining at once deliver each row once', async () => {
    const people = await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5'].map((h) => person(h)));
    for (const p of people) await enqueue(p.accountId, `k:${p.accountId}`);
    // A second worker on the same database, as another instance would run.
    const other = createNotifyWorker({
      db: t.handle.db,
      engine,
      now: () => clock,
      logger: t.app.log,
      mail: createMailSender({ smtpUrl: smtp.url, from: 'tend@example.org', baseUrl: 'https://x' }),
      push: createPushSender(loadOrCreateVapidKeys(dataDir), 'mailto:tend@example.org'),
    });
    const handled = await Promise.all([drain(), other.drain()]);
    expect(handled[0] + handled[1]).toBe(5);
    await smtp.waitFor(5);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(
      people.map((_, i) => `a${i + 1}@example.org`),
    );
  });

  it('respects a pause, quiet hours over midnight in the person’s time zone, and channels turned off', async () => {
    const { client, accountId } = await person('mo');
    await subscribe(client);
    const put = (body: unknown) => client.put('/api/v1/notify/settings', body);

    // Paused for a day: nothing is queued until the pause ends.
    const pausedUntil = new Date(clock.getTime() + 24 * 3_600_000).toISOString();
    expect((await put({ email: true, push: true, quietHours: null, pausedUntil })).statusCode).toBe(
      200,
    );
    expect(await enqueue(accountId, 'p1')).toEqual({ held: 'paused', channels: [] });
    advance(24 * 3_600_000);
    expect(await enqueue(accountId, 'p2')).toEqual({ held: null, channels: ['email', 'push'] });

    // Quiet 22:00–07:00 in Paris (UTC+2 in July).
    clock = new Date('2026-07-02T21:30:00Z'); // 23:30 in Paris
    expect(
      (
        await put({
          email: true,
          push: true,
          quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' },
          pausedUntil: null,
        })
      ).statusCode,
    ).toBe(200);
    expect(await enqueue(accountId, 'q1')).toEqual({ held: 'quiet-hours', channels: [] });
    clock = new Date('2026-07-03T04:30:00Z'); // 06:30 in Paris
    expect((await enqueue(accountId, 'q2')).held).toBe('quiet-hours');
    clock = new Date('2026-07-03T05:00:00Z'); // 07:00 in Paris
    expect((await enqueue(accountId, 'q3')).held).toBe(null);

    // Email off: push only.
    await put({ email: false, push: true, quietHours: null, pausedUntil: null });
    expect(await enqueue(accountId, 'e1')).toEqual({ held: null, channels: ['push'] });
    await put({ email: true, push: false, quietHours: null, pausedUntil: null });
    expect(await enqueue(accountId, 'e2')).toEqual({ held: null, channels: ['email'] });
  });

  it('forgets finished rows after a week, and never a row still to deliver', async () => {
    const { accountId } = await person('uma');
    await enqueue(accountId, 'old:sent');
    await drain();
    smtp.failNext(100);
    await enqueue(accountId, 'old:pending');
    await drain();
    const statuses = async () => (await rows(accountId)).map((r) => `${r.dedupe_key} ${r.status}`);
    expect((await statuses()).sort()).toEqual(['old:pending:email pending', 'old:sent:email sent']);
    // An hour later the clean-up runs and finds nothing a week old.
    advance(3_600_000);
    await drain();
    expect(await rows(accountId)).toHaveLength(2);
    // A week on, the sent row is gone; the one still failing stays to be tried again.
    advance(KEEP_FINISHED_MS);
    await drain();
    expect(await statuses()).toEqual(['old:pending:email pending']);
  });

  it('keeps the VAPID keys in DATA_DIR/vapid.json (mode 0600) and reuses them on the next start', async () => {
    const file = join(dataDir, 'vapid.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const first = (await signedInClient(t, 'vk')).client;
    const key = (await first.get('/api/v1/notify/push-key')).json<{ publicKey: string }>();
    expect(key.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    const again = await createTestApp(engine, {
      env: { DATA_DIR: dataDir, NOTIFY_WORKER: 'false' },
    });
    try {
      const res = await again.app.inject({ method: 'GET', url: '/api/v1/notify/push-key' });
      expect(res.json()).toEqual(key);
    } finally {
      await again.close();
    }
  });
});

describeEachEngine('notification worker in the app', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let dataDir: string;
  beforeEach(async () => {
    smtp = await startSmtpSink();
    dataDir = mkdtempSync(join(tmpdir(), 'tend-notify-'));
    t = await createTestApp(engine, { env: { SMTP_URL: smtp.url, DATA_DIR: dataDir } });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs when NOTIFY_WORKER is on (the default) and delivers right after a wake', async () => {
    const { accountId } = await signedInClient(t, 'wren');
    await t.handle.db
      .updateTable('accounts')
      .set({ email: 'wren@example.org' })
      .where('id', '=', accountId)
      .execute();
    await enqueueNotification(
      t.handle.db,
      { accountId, kind: 'invitation', dedupeKey: 'inv:1', text: words },
      new Date(),
    );
    const started = Date.now();
    t.app.notifyWorker.wake();
    await smtp.waitFor(1, 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    // It also polls without a wake.
    await enqueueNotification(
      t.handle.db,
      { accountId, kind: 'invitation', dedupeKey: 'inv:2', text: words },
      new Date(),
    );
    await smtp.waitFor(2, 3000);
  });

  it('says once in the log when email is off', async () => {
    const off = await createTestApp(engine, { env: { DATA_DIR: dataDir, NOTIFY_WORKER: 'false' } });
    try {
      const lines = off
        .logs()
        .split('\n')
        .filter((l) => l.includes('SMTP_URL is not set'));
      expect(lines).toHaveLength(1);
      expect(t.logs()).not.toContain('SMTP_URL is not set');
    } finally {
      await off.close();
    }
  });
});
