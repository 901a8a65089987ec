import { afterAll, beforeAll, expect, it } from 'vitest';
import { searchResponseSchema } from '../../../core/src/groups/threads-api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { seedGroup, seedThread, someone, type Someone } from './test-fixtures.js';

type Actor =
  'out' | 'outsider' | 'author' | 'otherMember' | 'moderator' | 'facilitator' | 'otherGroupMember';
const ACTORS: readonly Actor[] = [
  'out',
  'outsider',
  'author',
  'otherMember',
  'moderator',
  'facilitator',
  'otherGroupMember',
];
type Visibility = 'public' | 'invite';
const MEMBERS: readonly Actor[] = ['author', 'otherMember', 'moderator', 'facilitator'];

interface Seeded {
  readonly groupId: string;
  readonly threadId: string;
  readonly postId: string;
}
type Expect = Partial<Record<Actor, number>> & { readonly rest: number };
type Res = { statusCode: number; body: string };

interface Row {
  /** As in the OpenAPI document: `METHOD /path/{param}`. */
  readonly route: string;
  readonly request: (c: TestClient, s: Seeded) => Promise<Res>;
  /** Status per visibility (actors not named get `rest`; signed out is always 401). */
  readonly expect: Record<Visibility, Expect>;
  /** A further check of a successful answer. */
  readonly check?: (res: Res, s: Seeded, actor: Actor) => void;
}

/**
 * Every conversation route × signed out, someone in no group, the post's author, another member,
 * a moderator, a facilitator and a member of another group, for a public and an invite-only
 * group. Each request runs on a freshly seeded group and thread. A route registered without a row
 * here fails the test.
 */
describeEachEngine('group conversations authorization matrix', (engine) => {
  let t: TestApp;
  let people: Record<Exclude<Actor, 'out'>, Someone>;
  // Seeded posts are an hour old, so they do not count towards anyone's posting limit.
  const seededAt = () => new Date(Date.now() - 3_600_000);

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    const actors = ACTORS.filter((a): a is Exclude<Actor, 'out'> => a !== 'out');
    const made = await Promise.all(
      actors.map(async (a) => [a, await someone(t, `h-${a.toLowerCase()}`)] as const),
    );
    people = Object.fromEntries(made) as typeof people;
    await seedGroup(t, {
      now: seededAt(),
      members: [{ who: people.otherGroupMember, role: 'facilitator' }],
    });
  });
  afterAll(async () => t.close());

  const members = (ok: number): Record<Visibility, Expect> => ({
    public: { outsider: 403, otherGroupMember: 403, rest: ok },
    invite: { outsider: 404, otherGroupMember: 404, rest: ok },
  });
  const authorOnly = (ok: number): Record<Visibility, Expect> => ({
    public: { author: ok, outsider: 403, otherGroupMember: 403, rest: 403 },
    invite: { author: ok, outsider: 404, otherGroupMember: 404, rest: 403 },
  });
  const everyone = (ok: number): Record<Visibility, Expect> => ({
    public: { rest: ok },
    invite: { rest: ok },
  });

  const rows: Row[] = [
    {
      route: 'GET /api/v1/groups/{groupId}/threads',
      request: (c, s) => c.get(`/api/v1/groups/${s.groupId}/threads`),
      expect: members(200),
      check: (res, s) => expect(res.body).toContain(s.threadId),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/threads',
      request: (c, s) =>
        c.post(`/api/v1/groups/${s.groupId}/threads`, { title: 'Hello', body: 'Hello all' }),
      expect: members(201),
    },
    {
      route: 'GET /api/v1/groups/{groupId}/threads/{threadId}',
      request: (c, s) => c.get(`/api/v1/groups/${s.groupId}/threads/${s.threadId}`),
      expect: members(200),
      check: (res, s) => expect(res.body).toContain(s.postId),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/threads/{threadId}/posts',
      request: (c, s) =>
        c.post(`/api/v1/groups/${s.groupId}/threads/${s.threadId}/posts`, { body: 'Thank you' }),
      expect: members(201),
    },
    {
      route: 'PATCH /api/v1/groups/{groupId}/posts/{postId}',
      request: (c, s) =>
        c.send('PATCH', `/api/v1/groups/${s.groupId}/posts/${s.postId}`, {
          body: { body: 'Changed' },
        }),
      expect: authorOnly(200),
    },
    {
      route: 'DELETE /api/v1/groups/{groupId}/posts/{postId}',
      request: (c, s) => c.delete(`/api/v1/groups/${s.groupId}/posts/${s.postId}`),
      expect: authorOnly(200),
    },
    {
      route: 'PUT /api/v1/groups/{groupId}/posts/{postId}/reactions/{reaction}',
      request: (c, s) => c.put(`/api/v1/groups/${s.groupId}/posts/${s.postId}/reactions/hug`),
      expect: members(200),
    },
    {
      route: 'DELETE /api/v1/groups/{groupId}/posts/{postId}/reactions/{reaction}',
      request: (c, s) => c.delete(`/api/v1/groups/${s.groupId}/posts/${s.postId}/reactions/hug`),
      expect: members(200),
    },
    {
      route: 'GET /api/v1/groups/conversations/search',
      request: (c) => c.get('/api/v1/groups/conversations/search?q=matrixword'),
      expect: everyone(200),
      // Members find the seeded post; nobody else learns it exists.
      check: (res, s, actor) => {
        const ids = searchResponseSchema.parse(JSON.parse(res.body)).results.map((r) => r.postId);
        expect(ids.includes(s.postId)).toBe(MEMBERS.includes(actor));
        if (!MEMBERS.includes(actor)) expect(res.body).not.toContain(s.groupId);
      },
    },
  ];

  it('lists every conversation route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('group-conversations') === true)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(0);
    expect([...routes].sort()).toEqual(rows.map((r) => r.route).sort());
  });

  for (const visibility of ['public', 'invite'] as const) {
    it(`answers each actor exactly as it should (${visibility} group)`, async () => {
      const clients: Record<Actor, TestClient> = {
        out: new TestClient(t.app),
        outsider: people.outsider.client,
        author: people.author.client,
        otherMember: people.otherMember.client,
        moderator: people.moderator.client,
        facilitator: people.facilitator.client,
        otherGroupMember: people.otherGroupMember.client,
      };
      const failures: string[] = [];
      for (const row of rows) {
        for (const actor of ACTORS) {
          const at = seededAt();
          const groupId = await seedGroup(t, {
            visibility,
            now: at,
            members: [
              { who: people.facilitator, role: 'facilitator' },
              { who: people.moderator, role: 'moderator' },
              { who: people.author, role: 'member' },
              { who: people.otherMember, role: 'member' },
            ],
          });
          const seeded = {
            groupId,
            ...(await seedThread(t, groupId, people.author, at, 'A matrixword post.')),
          };
          const e = row.expect[visibility];
          const want = actor === 'out' ? 401 : (e[actor] ?? e.rest);
          const res = await row.request(clients[actor], seeded);
          if (res.statusCode !== want) {
            failures.push(
              `${row.route} as ${actor}: ${res.statusCode} (wanted ${want}) ${res.body}`,
            );
          } else if (res.statusCode < 300 && row.check !== undefined) {
            try {
              row.check(res, seeded, actor);
            } catch (e) {
              failures.push(`${row.route} as ${actor}: ${String(e)}`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
