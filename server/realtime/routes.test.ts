import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { realtimeEventSchema, type EventType } from '../../core/src/circles/api.js';
import { buildApp, type App } from '../app.js';
import { sessionCookie } from '../http/session.js';
import { createDatabase } from '../db/database.js';
import { createLogger } from '../logging.js';
import { signedInClient } from '../test-support/accounts.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { appendEvents, type StoredEvent } from './log.js';
import { EVENT_RETENTION_MS } from './retention.js';
import { REPLAY_PAGE } from './routes.js';
import { openSse, type SseConnection, type SseMessage } from './sse-client.js';

const listen = async (app: App): Promise<string> => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
};

const seqs = (ms: readonly SseMessage[]) => ms.map((m) => Number(m.id));

describeEachEngine('realtime events', (engine) => {
  let t: TestApp;
  let base: string;
  const open: SseConnection[] = [];
  let clock = new Date('2026-11-24T12:00:00Z');

  beforeEach(async () => {
    clock = new Date('2026-11-24T12:00:00Z');
    t = await createTestApp(engine, { now: () => clock });
    base = await listen(t.app);
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await t.close();
  });

  /** Someone signed in, with the cookie header a browser would send. */
  const person = async (handle: string) => {
    const who = await signedInClient(t, handle);
    const cookie = `${sessionCookie}=${who.client.cookies.get(sessionCookie) ?? ''}`;
    return { ...who, cookie };
  };
  const connect = async (cookie: string, headers: Record<string, string> = {}, query = '') => {
    const c = await openSse(`${base}/api/v1/events${query}`, { cookie, ...headers });
    open.push(c);
    return c;
  };
  /** Stores `n` events for the account in one transaction; announces them unless told not to. */
  const emit = async (
    accountId: string,
    n = 1,
    announce = true,
    type: EventType = 'circle.changed',
  ) => {
    const stored = await t.handle.db.transaction().execute((trx) =>
      appendEvents(
        trx,
        Array.from({ length: n }, (_, i) => ({ accountId, type, data: { n: String(i) } })),
        clock,
      ),
    );
    if (announce) t.app.realtime.announce(stored);
    return stored;
  };

  it('two transactions telling the same people in opposite orders both commit (no deadlock)', async () => {
    const ana = await person('ana');
    const ben = await person('ben');
    const tell = (ids: string[]) =>
      t.handle.db.transaction().execute((trx) =>
        appendEvents(
          trx,
          ids.map((accountId) => ({ accountId, type: 'circle.changed' as const, data: {} })),
          clock,
        ),
      );
    for (let round = 0; round < 10; round += 1) {
      const both = await Promise.all([
        tell([ana.accountId, ben.accountId]),
        tell([ben.accountId, ana.accountId]),
      ]);
      expect(both.map((s) => s.length)).toEqual([2, 2]);
    }
    const seqs = await t.handle.db
      .selectFrom('accounts')
      .select('event_seq')
      .where('id', 'in', [ana.accountId, ben.accountId])
      .execute();
    expect(seqs.map((r) => Number(r.event_seq))).toEqual([20, 20]);
  });

  it('refuses a signed-out visitor with 401 JSON, and a bad Last-Event-ID with 400', async () => {
    const anon = await openSse(`${base}/api/v1/events`);
    await anon.ended;
    expect(anon.status).toBe(401);
    expect(JSON.parse(anon.body())).toMatchObject({ error: { code: 'unauthenticated' } });

    const ana = await person('ana');
    const bad = await connect(ana.cookie, { 'last-event-id': '1; drop table events' });
    await bad.ended;
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body())).toMatchObject({ error: { code: 'invalid_input' } });
    const badQuery = await connect(ana.cookie, {}, '?after=-1');
    await badQuery.ended;
    expect(badQuery.status).toBe(400);
  });

  it('streams with the SSE headers, a retry hint, and delivers live events as they happen', async () => {
    const ana = await person('ana');
    const sse = await connect(ana.cookie);
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(sse.headers['cache-control']).toBe('no-store');
    expect(sse.headers['x-accel-buffering']).toBe('no');

    const [stored] = await emit(ana.accountId, 1, true, 'invitation.changed');
    const [m] = await sse.waitFor(1);
    expect(m).toMatchObject({ id: '1', event: 'invitation.changed' });
    const data = realtimeEventSchema.strict().parse(JSON.parse(m!.data));
    expect(data).toEqual({ seq: 1, type: 'invitation.changed', data: { n: '0' }, at: stored!.at });
  });

  it('a new stream starts from now: old events are not replayed without Last-Event-ID', async () => {
    const ana = await person('ana');
    await emit(ana.accountId, 3);
    const sse = await connect(ana.cookie);
    await emit(ana.accountId, 1);
    expect(seqs(await sse.waitFor(1))).toEqual([4]);
  });

  it('replays stored events after Last-Event-ID (or ?after=) in order, then live ones', async () => {
    const ana = await person('ana');
    await emit(ana.accountId, 5);
    const sse = await connect(ana.cookie, { 'last-event-id': '2' });
    expect(seqs(await sse.waitFor(3))).toEqual([3, 4, 5]);
    await emit(ana.accountId, 1);
    expect(seqs(await sse.waitFor(4))).toEqual([3, 4, 5, 6]);

    const byQuery = await connect(ana.cookie, {}, '?after=4');
    expect(seqs(await byQuery.waitFor(2))).toEqual([5, 6]);
    // The header wins over the query: the browser resends it on reconnect to the same URL.
    const both = await connect(ana.cookie, { 'last-event-id': '5' }, '?after=1');
    expect(seqs(await both.waitFor(1))).toEqual([6]);
  });

  it('a client disconnected during several events receives all of them once, in order, after reconnecting', async () => {
    const ana = await person('ana');
    const first = await connect(ana.cookie);
    await emit(ana.accountId, 1);
    expect(seqs(await first.waitFor(1))).toEqual([1]);
    first.close();
    await first.ended;

    for (let i = 0; i < 4; i++) await emit(ana.accountId, 1); // announced to nobody
    const again = await connect(ana.cookie, { 'last-event-id': '1' });
    await emit(ana.accountId, 2); // live, possibly while the replay runs
    expect(seqs(await again.waitFor(6))).toEqual([2, 3, 4, 5, 6, 7]);
    await new Promise((r) => setTimeout(r, 100));
    expect(seqs(again.messages)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it(`pages a long replay (more than ${REPLAY_PAGE}) while live events keep coming, exactly once`, async () => {
    const ana = await person('ana');
    await emit(ana.accountId, REPLAY_PAGE * 2 + 500, false);
    const sse = await connect(ana.cookie, { 'last-event-id': '0' });
    const live: StoredEvent[] = [];
    for (let i = 0; i < 5; i++) live.push(...(await emit(ana.accountId, 1)));
    const total = REPLAY_PAGE * 2 + 505;
    const got = seqs(await sse.waitFor(total, 15_000));
    expect(got).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await new Promise((r) => setTimeout(r, 100));
    expect(sse.messages.length).toBe(total);
  });

  it('events announced out of commit order still arrive in order, once', async () => {
    const ana = await person('ana');
    const sse = await connect(ana.cookie);
    const a = await emit(ana.accountId, 1, false);
    const b = await emit(ana.accountId, 1, false);
    t.app.realtime.announce(b); // the later commit announces first
    t.app.realtime.announce(a);
    expect(seqs(await sse.waitFor(2))).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 100));
    expect(seqs(sse.messages)).toEqual([1, 2]);
  });

  it("never delivers another account's events", async () => {
    const ana = await person('ana');
    const ben = await person('ben');
    const anaStream = await connect(ana.cookie, { 'last-event-id': '0' });
    await emit(ben.accountId, 3, true, 'reachout.created');
    await emit(ana.accountId, 1, true, 'share.changed');
    const [m] = await anaStream.waitFor(1);
    expect(m).toMatchObject({ id: '1', event: 'share.changed' });
    await new Promise((r) => setTimeout(r, 100));
    expect(anaStream.messages).toHaveLength(1);
    // Ben's own stream replays Ben's and only Ben's.
    const benStream = await connect(ben.cookie, { 'last-event-id': '0' });
    const got = await benStream.waitFor(3);
    expect(got.map((x) => x.event)).toEqual(Array(3).fill('reachout.created'));
  });

  it('after signing out, the old session cookie opens no stream', async () => {
    const ana = await person('ana');
    const out = await ana.client.delete('/api/v1/sessions');
    expect(out.statusCode, out.body).toBe(200);
    const sse = await openSse(`${base}/api/v1/events`, { cookie: ana.cookie });
    await sse.ended;
    expect(sse.status).toBe(401);
  });

  it('app.close() with open streams finishes promptly, and ends them', async () => {
    const ana = await person('ana');
    const ben = await person('ben');
    const streams = [
      await connect(ana.cookie),
      await connect(ana.cookie),
      await connect(ben.cookie),
    ];
    const started = Date.now();
    await t.app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await Promise.all(streams.map((s) => s.ended));
  });

  it('deletes events older than 7 days by the app clock, on a timer started with the app', async () => {
    expect(t.app.realtimeRetention.running).toBe(true);
    const ana = await person('ana');
    await emit(ana.accountId, 2); // at "now"
    clock = new Date(clock.getTime() + 3 * 24 * 3_600_000);
    await emit(ana.accountId, 1); // three days later
    const count = () =>
      t.handle.db
        .selectFrom('events')
        .select('seq')
        .orderBy('seq')
        .execute()
        .then((r) => r.map((x) => x.seq));

    clock = new Date(clock.getTime() + EVENT_RETENTION_MS - 3_600_000);
    expect(await t.app.realtimeRetention.sweep()).toBe(2);
    expect(await count()).toEqual([3]);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    expect(await t.app.realtimeRetention.sweep()).toBe(1);
    expect(await count()).toEqual([]);
    // Sequence numbers go on: a resuming client is never confused by a reused id.
    const [next] = await emit(ana.accountId, 1);
    expect(next!.seq).toBe(4);
    await t.app.close();
    expect(t.app.realtimeRetention.running).toBe(false);
  });

  if (engine === 'postgres') {
    it('two instances on one database: an event announced on one reaches a client of the other', async () => {
      const handle = createDatabase(t.config.database);
      const other = await buildApp({
        config: t.config,
        db: handle.db,
        engine,
        logger: createLogger('silent'),
        version: '0.0.0-test',
        now: () => clock,
      });
      try {
        const otherBase = await listen(other);
        const ana = await person('ana');
        const onOther = await openSse(`${otherBase}/api/v1/events`, { cookie: ana.cookie });
        open.push(onOther);
        const onThis = await connect(ana.cookie);
        await emit(ana.accountId, 2); // announced on this instance only
        expect(seqs(await onOther.waitFor(2))).toEqual([1, 2]);
        expect(seqs(await onThis.waitFor(2))).toEqual([1, 2]);
        // And back: announced on the other instance, heard here, once.
        const stored = await handle.db
          .transaction()
          .execute((trx) =>
            appendEvents(
              trx,
              [{ accountId: ana.accountId, type: 'circle.changed', data: {} }],
              clock,
            ),
          );
        other.realtime.announce(stored);
        expect(seqs(await onThis.waitFor(3))).toEqual([1, 2, 3]);
        expect(seqs(await onOther.waitFor(3))).toEqual([1, 2, 3]);
        await new Promise((r) => setTimeout(r, 150));
        expect(onThis.messages).toHaveLength(3);
        expect(onOther.messages).toHaveLength(3);
      } finally {
        await other.close();
        await handle.close();
      }
    });
  }
});
