import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/engines.js';
import { createLocalHub, createPgHub, PG_CHANNEL, type RealtimeHub } from './hub.js';
import type { StoredEvent } from './log.js';

const event = (accountId: string, seq: number): StoredEvent => ({
  accountId,
  seq,
  type: 'circle.changed',
  data: { circleId: 'c1' },
  at: '2026-11-24T12:00:00.000Z',
});

const until = async (check: () => boolean, timeoutMs = 5000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('local hub', () => {
  it("delivers to the account's listeners only, until they unsubscribe", async () => {
    const hub = createLocalHub();
    const ana: number[] = [];
    const ben: number[] = [];
    const off = hub.subscribe('ana', (e) => ana.push(e.seq));
    hub.subscribe('ben', (e) => ben.push(e.seq));
    hub.announce([event('ana', 1), event('ben', 1), event('ana', 2)]);
    off();
    hub.announce([event('ana', 3)]);
    expect(ana).toEqual([1, 2]);
    expect(ben).toEqual([1]);
    await hub.close();
  });
});

describe.skipIf(!inject('postgresAvailable'))('PostgreSQL hub', () => {
  let database: TestDatabase;
  const hubs: RealtimeHub[] = [];
  const warnings: string[] = [];
  const log = {
    warn: (_o: object, msg: string) => warnings.push(msg),
    error: (_o: object, msg: string) => warnings.push(msg),
  };
  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    warnings.length = 0;
  });
  afterEach(async () => {
    for (const h of hubs.splice(0)) await h.close();
    await database.drop();
  });
  const hub = async (reconnectMs = 100) => {
    const h = await createPgHub({ url: database.url, log, reconnectMs });
    hubs.push(h);
    return h;
  };

  it('an announcement on one instance reaches the listeners of every instance, once each', async () => {
    const a = await hub();
    const b = await hub();
    const onA: number[] = [];
    const onB: StoredEvent[] = [];
    a.subscribe('ana', (e) => onA.push(e.seq));
    b.subscribe('ana', (e) => onB.push(e));
    b.subscribe('ben', () => {
      throw new Error('ben must hear nothing');
    });
    a.announce([event('ana', 1), event('ana', 2)]);
    await until(() => onB.length === 2);
    expect(onB).toEqual([event('ana', 1), event('ana', 2)]);
    await new Promise((r) => setTimeout(r, 200));
    expect(onA).toEqual([1, 2]); // delivered at once, and not again when its own NOTIFY returns
  });

  it('ignores malformed notifications on the channel', async () => {
    const a = await hub();
    const got: StoredEvent[] = [];
    a.subscribe('ana', (e) => got.push(e));
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    try {
      await c.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, 'not json']);
      await c.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, JSON.stringify({ accountId: 'ana' })]);
      await c.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, JSON.stringify(event('ana', 9))]);
    } finally {
      await c.end();
    }
    await until(() => got.length === 1);
    expect(got).toEqual([event('ana', 9)]);
    expect(warnings.filter((w) => w.includes('malformed'))).toHaveLength(2);
  });

  it('listens again after its connection is cut', async () => {
    const a = await hub();
    const b = await hub(100);
    const onB: number[] = [];
    b.subscribe('ana', (e) => onB.push(e.seq));
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // Cut every other connection listening on this database (b's and a's listeners).
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'`,
      );
    } finally {
      await admin.end();
    }
    await until(() => warnings.some((w) => w.includes('failed')));
    // Once both listen again, announcements flow as before.
    await until(() => {
      a.announce([event('ana', onB.length + 1)]);
      return onB.length > 0;
    }, 10_000);
    expect(onB[0]).toBeGreaterThan(0);
  });
});
