import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { seedGroup } from '../threads/test-fixtures.js';
import { askToTalk, listen, member, openBody, type Member } from './test-fixtures.js';

type Actor = 'out' | 'stranger' | 'asker' | 'listener' | 'otherListener' | 'blocked';
const ACTORS: readonly Actor[] = [
  'out',
  'stranger',
  'asker',
  'listener',
  'otherListener',
  'blocked',
];
/** How far the ask has gone when the request is made. */
type State = 'open' | 'accepted' | 'talking' | 'ended';
type Res = { statusCode: number; body: string };
type Expect = Partial<Record<Actor, number>> & { readonly rest: number };

interface Row {
  /** As in the OpenAPI document: `METHOD /path/{param}`. */
  readonly route: string;
  readonly state: State;
  readonly request: (c: TestClient, askId: string) => Promise<Res>;
  /** Status per actor (actors not named get `rest`; signed out is always 401). */
  readonly expect: Expect;
  readonly check?: (res: Res, actor: Actor) => void;
}

/**
 * Every "someone to talk to" route × signed out, someone in no group (a stranger), the asker (in
 * no group either: anyone may ask), the listener who accepted, another available listener it was
 * offered to, and a listener the asker blocked. Each request runs on a fresh ask brought to the
 * row's state. A route registered without a row here fails the test.
 */
describeEachEngine('someone to talk to authorization matrix', (engine) => {
  let t: TestApp;
  let ms = Date.now();
  const clock = () => new Date(ms);
  let people: Record<Exclude<Actor, 'out'>, Member>;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    const actors = ACTORS.filter((a): a is Exclude<Actor, 'out'> => a !== 'out');
    const made = await Promise.all(
      actors.map(async (a) => [a, await member(t, `l-${a.toLowerCase()}`)] as const),
    );
    people = Object.fromEntries(made) as typeof people;
    await seedGroup(t, {
      now: clock(),
      members: [
        { who: people.listener, role: 'member' },
        { who: people.otherListener, role: 'facilitator' },
        { who: people.blocked, role: 'member' },
      ],
    });
    const blocked = await people.asker.client.post('/api/v1/circles/blocks', {
      accountId: people.blocked.accountId,
    });
    expect(blocked.statusCode).toBe(201);
  });
  afterAll(async () => t.close());

  /** A fresh ask by the asker, an hour and more after the last (clear of every rate limit). */
  async function seed(state: State): Promise<string> {
    ms += 2 * 3_600_000;
    for (const who of [people.listener, people.otherListener, people.blocked]) {
      await listen(who, clock());
    }
    const a = await askToTalk(people.asker);
    if (state === 'open') return a.id;
    const acc = await people.listener.client.post(`/api/v1/listen/asks/${a.id}/accept`);
    expect(acc.statusCode, acc.body).toBe(200);
    if (state === 'accepted') return a.id;
    const open = await people.listener.client.post(
      `/api/v1/listen/asks/${a.id}/conversation`,
      await openBody(people.listener, people.asker),
    );
    expect(open.statusCode, open.body).toBe(200);
    if (state === 'talking') return a.id;
    const end = await people.listener.client.post(`/api/v1/listen/asks/${a.id}/end`);
    expect(end.statusCode, end.body).toBe(200);
    return a.id;
  }

  const hidesAsker = (res: Res, actor: Actor) => {
    if (actor === 'asker' || actor === 'listener') return;
    expect(res.body).not.toContain(people.asker.accountId);
    expect(res.body).not.toContain(people.asker.handle);
  };
  const window = () => ({
    from: clock().toISOString(),
    until: new Date(ms + 3_600_000).toISOString(),
    topics: ['just-talk'],
    languages: ['en'],
  });
  const kind = { words: ['thank-you'] };

  const rows: Row[] = [
    {
      route: 'GET /api/v1/listen/window',
      state: 'open',
      request: (c) => c.get('/api/v1/listen/window'),
      expect: { rest: 200 },
    },
    {
      route: 'PUT /api/v1/listen/window',
      state: 'open',
      request: (c) => c.put('/api/v1/listen/window', window()),
      expect: { stranger: 403, asker: 403, rest: 200 },
    },
    {
      route: 'DELETE /api/v1/listen/window',
      state: 'open',
      request: (c) => c.delete('/api/v1/listen/window'),
      expect: { rest: 204 },
    },
    {
      route: 'POST /api/v1/listen/asks',
      state: 'open',
      request: (c) => c.post('/api/v1/listen/asks', {}),
      // The asker already has one open.
      expect: { asker: 409, rest: 201 },
    },
    {
      route: 'GET /api/v1/listen/asks',
      state: 'accepted',
      request: (c) => c.get('/api/v1/listen/asks'),
      expect: { rest: 200 },
      check: hidesAsker,
    },
    {
      route: 'GET /api/v1/listen/asks/{id}',
      state: 'accepted',
      request: (c, id) => c.get(`/api/v1/listen/asks/${id}`),
      expect: { asker: 200, listener: 200, otherListener: 200, rest: 404 },
      check: hidesAsker,
    },
    {
      route: 'POST /api/v1/listen/asks/{id}/accept',
      state: 'accepted',
      request: (c, id) => c.post(`/api/v1/listen/asks/${id}/accept`),
      // The listener's retry is theirs already; the other listener: someone else is with them.
      expect: { listener: 200, otherListener: 409, rest: 404 },
    },
    {
      route: 'POST /api/v1/listen/asks/{id}/conversation',
      state: 'accepted',
      request: async (c, id) =>
        c.post(
          `/api/v1/listen/asks/${id}/conversation`,
          await openBody(people.listener, people.asker),
        ),
      expect: { listener: 200, rest: 404 },
    },
    {
      route: 'POST /api/v1/listen/asks/{id}/withdraw',
      state: 'open',
      request: (c, id) => c.post(`/api/v1/listen/asks/${id}/withdraw`),
      expect: { asker: 200, rest: 404 },
    },
    {
      route: 'POST /api/v1/listen/asks/{id}/end',
      state: 'talking',
      request: (c, id) => c.post(`/api/v1/listen/asks/${id}/end`),
      expect: { asker: 200, listener: 200, rest: 404 },
    },
    {
      route: 'POST /api/v1/listen/asks/{id}/feedback',
      state: 'ended',
      request: (c, id) => c.post(`/api/v1/listen/asks/${id}/feedback`, kind),
      expect: { asker: 204, listener: 204, rest: 404 },
    },
    {
      route: 'GET /api/v1/listen/feedback',
      state: 'ended',
      request: (c) => c.get('/api/v1/listen/feedback'),
      expect: { rest: 200 },
    },
  ];

  it('lists every route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('listen') === true)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(0);
    expect([...routes].sort()).toEqual(rows.map((r) => r.route).sort());
  });

  it('answers each actor exactly as it should', async () => {
    const clients: Record<Actor, TestClient> = {
      out: new TestClient(t.app),
      stranger: people.stranger.client,
      asker: people.asker.client,
      listener: people.listener.client,
      otherListener: people.otherListener.client,
      blocked: people.blocked.client,
    };
    const failures: string[] = [];
    for (const row of rows) {
      for (const actor of ACTORS) {
        const askId = await seed(row.state);
        const want = actor === 'out' ? 401 : (row.expect[actor] ?? row.expect.rest);
        const res = await row.request(clients[actor], askId);
        if (res.statusCode !== want) {
          failures.push(`${row.route} as ${actor}: ${res.statusCode} (wanted ${want}) ${res.body}`);
        } else if (res.statusCode < 300 && row.check !== undefined) {
          try {
            row.check(res, actor);
          } catch (e) {
            failures.push(`${row.route} as ${actor}: ${String(e)}`);
          }
        }
        // Whatever the request did, every ask is closed before the next seed.
        await t.handle.db
          .updateTable('listen_asks')
          .set({ status: 'withdrawn' })
          .where('status', 'in', ['open', 'accepted', 'talking'])
          .execute();
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
