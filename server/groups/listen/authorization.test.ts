import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import {
  routesTagged,
  runMatrix,
  type MatrixRow,
  type Res,
} from '../../test-support/route-matrix.js';
import { generateId } from '../../../core/src/crypto/ids.js';
import { seedGroup } from '../threads/test-fixtures.js';
import { askToTalk, listen, member, openBody, type Member } from './test-fixtures.js';

type Actor =
  | 'out'
  | 'stranger'
  | 'pending'
  | 'admin'
  | 'banned'
  | 'asker'
  | 'listener'
  | 'otherListener'
  | 'blocked';
const ACTORS: readonly Actor[] = [
  'out',
  'stranger',
  'pending',
  'admin',
  'banned',
  'asker',
  'listener',
  'otherListener',
  'blocked',
];
/** In no group: may ask, may not listen. */
const NO_GROUP: readonly Actor[] = ['stranger', 'pending', 'admin', 'banned', 'asker'];
/** How far the ask has gone when the request is made. */
type State = 'open' | 'accepted' | 'talking' | 'ended';
type Expect = Partial<Record<Actor, number>> & { readonly rest: number };

interface Row extends MatrixRow<Actor, string> {
  readonly state: State;
  /** Status per actor (actors not named get `rest`; signed out is always 401). */
  readonly expect: Expect;
}

/**
 * Every "someone to talk to" route × signed out, someone in no group (a stranger), someone whose
 * request to join the listeners' group is pending, an instance admin and someone banned from that
 * group (all three in no group: they may ask, not listen), the asker (in no group either: anyone
 * may ask), the listener who accepted (a member), another available listener it was offered to
 * (a facilitator), and a listener the asker blocked. Each request runs on a fresh ask brought to
 * the row's state. A route registered without a row here fails the test.
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
    await t.handle.db
      .updateTable('accounts')
      .set({ role: 'admin' })
      .where('id', '=', people.admin.accountId)
      .execute();
    const groupId = await seedGroup(t, {
      now: clock(),
      members: [
        { who: people.listener, role: 'member' },
        { who: people.otherListener, role: 'facilitator' },
        { who: people.blocked, role: 'member' },
      ],
    });
    const at = clock().toISOString();
    await t.handle.db
      .insertInto('group_join_requests')
      .values({
        id: generateId(),
        group_id: groupId,
        account_id: people.pending.accountId,
        answers: '[]',
        agreement_version: 1,
        pseudonym: null,
        status: 'pending',
        decided_by: null,
        created_at: at,
        decided_at: null,
      })
      .execute();
    await t.handle.db
      .insertInto('group_bans')
      .values({
        group_id: groupId,
        account_id: people.banned.accountId,
        banned_by: people.otherListener.accountId,
        created_at: at,
      })
      .execute();
    const blocked = await people.asker.client.post('/api/v1/circles/blocks', {
      accountId: people.blocked.accountId,
    });
    expect(blocked.statusCode).toBe(201);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  // The routes' per-minute rate limits (@fastify/rate-limit) count by the real clock; this matrix
  // is about who may do what, so each seed starts their next minute (server/groups/listen/
  // routes.test.ts tests the limits themselves).
  let skew = 0;
  beforeAll(() => {
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
  });

  /** A fresh ask by the asker, an hour and more after the last (clear of every rate limit). */
  async function seed(state: State): Promise<string> {
    ms += 2 * 3_600_000;
    skew += 61_000;
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

  const hidesAsker = (res: Res, _askId: string, actor: Actor) => {
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
      expect: { ...Object.fromEntries(NO_GROUP.map((a) => [a, 403])), rest: 200 },
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
    const routes = await routesTagged(t.app, 'listen');
    expect(routes.length).toBeGreaterThan(0);
    expect(routes).toEqual(rows.map((r) => r.route).sort());
  });

  it('answers each actor exactly as it should', async () => {
    const clients = Object.fromEntries(
      ACTORS.map((a) => [a, a === 'out' ? new TestClient(t.app) : people[a].client]),
    ) as Record<Actor, TestClient>;
    const failures = await runMatrix<Actor, string, Row>({
      rows,
      actors: ACTORS,
      clients,
      seed: (row) => seed(row.state),
      want: (row, actor) => (actor === 'out' ? 401 : (row.expect[actor] ?? row.expect.rest)),
      // Every ask is fresh: a request (even a read) comes after the last one was closed.
      shared: () => false,
      // Whatever the request did, every ask is closed before the next seed.
      after: async () => {
        await t.handle.db
          .updateTable('listen_asks')
          .set({ status: 'withdrawn' })
          .where('status', 'in', ['open', 'accepted', 'talking'])
          .execute();
      },
    });
    expect(failures).toEqual([]);
  }, 180_000);
});
