import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateId } from '../../../core/src/crypto/ids.js';
import { searchResponseSchema } from '../../../core/src/groups/threads-api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { routesTagged, runMatrix, type MatrixRow } from '../../test-support/route-matrix.js';
import { seedGroup, seedThread, someone, type Someone } from './test-fixtures.js';

type Actor =
  | 'out'
  | 'outsider'
  | 'pending'
  | 'admin'
  | 'author'
  | 'otherMember'
  | 'moderator'
  | 'facilitator'
  | 'otherGroupMember'
  | 'banned'
  | 'blocked';
const ACTORS: readonly Actor[] = [
  'out',
  'outsider',
  'pending',
  'admin',
  'author',
  'otherMember',
  'moderator',
  'facilitator',
  'otherGroupMember',
  'banned',
  'blocked',
];
/** Not members: conversations are for members only (403, or 404 in an invite-only group). */
const NOT_IN: readonly Actor[] = ['outsider', 'pending', 'admin', 'otherGroupMember', 'banned'];
type Visibility = 'public' | 'invite';
const MEMBERS: readonly Actor[] = ['author', 'otherMember', 'moderator', 'facilitator'];

interface Seeded {
  readonly groupId: string;
  readonly threadId: string;
  readonly postId: string;
}
type Expect = Partial<Record<Actor, number>> & { readonly rest: number };

interface Row extends MatrixRow<Actor, Seeded> {
  /** Status per visibility (actors not named get `rest`; signed out is always 401). */
  readonly expect: Record<Visibility, Expect>;
}
const each = (actors: readonly Actor[], status: number) =>
  Object.fromEntries(actors.map((a) => [a, status])) as Partial<Record<Actor, number>>;

/**
 * Every conversation route × signed out, someone in no group, someone whose join request is
 * pending, an instance admin (not a member), the post's author, another member, a moderator, a
 * facilitator, a member of another group, someone banned from the group and a member the author
 * has blocked (to whom the author's thread and post are as unknown ids), for a public and an
 * invite-only group. Each request that changes anything runs on a freshly seeded group and
 * thread. A route registered without a row here fails the test.
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
    await t.handle.db
      .updateTable('accounts')
      .set({ role: 'admin' })
      .where('id', '=', people.admin.accountId)
      .execute();
    // The author has blocked this member.
    const blocked = await people.author.client.post('/api/v1/circles/blocks', {
      accountId: people.blocked.accountId,
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    await seedGroup(t, {
      now: seededAt(),
      members: [{ who: people.otherGroupMember, role: 'facilitator' }],
    });
  });
  afterAll(async () => t.close());

  const members = (ok: number, blocked = ok): Record<Visibility, Expect> => ({
    public: { ...each(NOT_IN, 403), blocked, rest: ok },
    invite: { ...each(NOT_IN, 404), blocked, rest: ok },
  });
  // The member the author blocked does not see the post at all: 404, as an unknown id.
  const authorOnly = (ok: number): Record<Visibility, Expect> => ({
    public: { author: ok, ...each(NOT_IN, 403), blocked: 404, rest: 403 },
    invite: { author: ok, ...each(NOT_IN, 404), blocked: 404, rest: 403 },
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
      // Everyone but the member the author blocked sees the author's thread.
      check: (res, s, actor) => expect(res.body.includes(s.threadId)).toBe(actor !== 'blocked'),
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
      expect: members(200, 404),
      check: (res, s) => expect(res.body).toContain(s.postId),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/threads/{threadId}/posts',
      request: (c, s) =>
        c.post(`/api/v1/groups/${s.groupId}/threads/${s.threadId}/posts`, { body: 'Thank you' }),
      expect: members(201, 404),
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
      expect: members(200, 404),
    },
    {
      route: 'DELETE /api/v1/groups/{groupId}/posts/{postId}/reactions/{reaction}',
      request: (c, s) => c.delete(`/api/v1/groups/${s.groupId}/posts/${s.postId}/reactions/hug`),
      expect: members(200, 404),
    },
    {
      route: 'GET /api/v1/groups/conversations/search',
      request: (c) => c.get('/api/v1/groups/conversations/search?q=matrixword'),
      expect: everyone(200),
      // Members find the seeded post (not the one the author blocked); nobody else learns it
      // exists.
      check: (res, s, actor) => {
        const ids = searchResponseSchema.parse(JSON.parse(res.body)).results.map((r) => r.postId);
        expect(ids.includes(s.postId)).toBe(MEMBERS.includes(actor));
        if (!MEMBERS.includes(actor) && actor !== 'blocked') {
          expect(res.body).not.toContain(s.groupId);
        }
      },
    },
  ];

  it('lists every conversation route', async () => {
    const routes = await routesTagged(t.app, 'group-conversations');
    expect(routes.length).toBeGreaterThan(0);
    expect(routes).toEqual(rows.map((r) => r.route).sort());
  });

  async function seed(visibility: Visibility): Promise<Seeded> {
    const at = seededAt();
    const groupId = await seedGroup(t, {
      visibility,
      now: at,
      members: [
        { who: people.facilitator, role: 'facilitator' },
        { who: people.moderator, role: 'moderator' },
        { who: people.author, role: 'member' },
        { who: people.otherMember, role: 'member' },
        { who: people.blocked, role: 'member' },
      ],
    });
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
        created_at: at.toISOString(),
        decided_at: null,
      })
      .execute();
    await t.handle.db
      .insertInto('group_bans')
      .values({
        group_id: groupId,
        account_id: people.banned.accountId,
        banned_by: people.facilitator.accountId,
        created_at: at.toISOString(),
      })
      .execute();
    return { groupId, ...(await seedThread(t, groupId, people.author, at, 'A matrixword post.')) };
  }

  for (const visibility of ['public', 'invite'] as const) {
    it(`answers each actor exactly as it should (${visibility} group)`, async () => {
      const clients = Object.fromEntries(
        ACTORS.map((a) => [a, a === 'out' ? new TestClient(t.app) : people[a].client]),
      ) as Record<Actor, TestClient>;
      const failures = await runMatrix({
        rows,
        actors: ACTORS,
        clients,
        seed: () => seed(visibility),
        want: (row, actor) => {
          const e = row.expect[visibility];
          return actor === 'out' ? 401 : (e[actor] ?? e.rest);
        },
      });
      expect(failures).toEqual([]);
    }, 120_000);
  }
});
