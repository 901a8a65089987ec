import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import { communitiesResponseSchema, communityWireSchema } from '../../core/src/aid/api.js';
import { seedGroup } from '../groups/test-fixtures.js';
import { operations, runMatrix, type MatrixRow } from '../test-support/route-matrix.js';
import { admin, enableBoard, postBody, seedPost, seedResponse, someone } from './test-fixtures.js';

/**
 * The authorization matrix of the aid routes of server/aid/routes.ts (docs/AID.md, "Routes"): every
 * route × signed out, a member, the author, the partner, a coordinator, an instance admin (manager
 * and moderator of the instance board) and a member the author blocked; then every route that
 * names a community or a post again on an invite-only group's board (GROUP_ROWS). The other aid routes
 * (server/aid/relations/) have their own matrix; `OWNED` says which routes this file answers for,
 * and a route of this file without a row fails it.
 */
export const OWNED = [
  'DELETE /api/v1/aid/communities/{community}/coordinators/{accountId}',
  'GET /api/v1/aid/areas',
  'GET /api/v1/aid/categories',
  'GET /api/v1/aid/communities',
  'GET /api/v1/aid/communities/{community}',
  'GET /api/v1/aid/communities/{community}/coordinators',
  'GET /api/v1/aid/communities/{community}/posts',
  'GET /api/v1/aid/mine',
  'GET /api/v1/aid/posts/{postId}',
  'PATCH /api/v1/aid/categories/{categoryId}',
  'PATCH /api/v1/aid/posts/{postId}',
  'POST /api/v1/aid/areas/import',
  'POST /api/v1/aid/categories',
  'POST /api/v1/aid/communities/{community}/posts',
  'POST /api/v1/aid/posts/{postId}/renew',
  'POST /api/v1/aid/posts/{postId}/status',
  'PUT /api/v1/aid/areas/{areaId}',
  'PUT /api/v1/aid/communities/{community}/coordinators/{accountId}',
  'PUT /api/v1/aid/communities/{community}/settings',
] as const;

const ACTORS = [
  'signedOut',
  'member',
  'author',
  'partner',
  'coordinator',
  'admin',
  'blocked',
] as const;
type Actor = (typeof ACTORS)[number];

interface Seed {
  /** An open need by the author. */
  readonly open: string;
  /** A need by the author that the partner is helping with. */
  readonly helping: string;
}

type Row = MatrixRow<Actor, Seed> & {
  /** Status per actor; signed out is always 401. */
  readonly want: Partial<Record<Actor, number>> & { readonly others: number };
};

const ids = { coordinatorTarget: '', category: 0 };

export const ROWS: readonly Row[] = [
  {
    route: 'GET /api/v1/aid/communities',
    request: (c) => c.get('/api/v1/aid/communities'),
    want: { others: 200 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}',
    request: (c) => c.get('/api/v1/aid/communities/instance'),
    want: { others: 200 },
  },
  {
    route: 'PUT /api/v1/aid/communities/{community}/settings',
    request: (c) =>
      c.put('/api/v1/aid/communities/instance/settings', { enabled: true, defaultExpiryDays: 30 }),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/coordinators',
    request: (c) => c.get('/api/v1/aid/communities/instance/coordinators'),
    want: { others: 200 },
  },
  {
    route: 'PUT /api/v1/aid/communities/{community}/coordinators/{accountId}',
    request: (c) => c.put(`/api/v1/aid/communities/instance/coordinators/${ids.coordinatorTarget}`),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'DELETE /api/v1/aid/communities/{community}/coordinators/{accountId}',
    request: (c) =>
      c.send('DELETE', `/api/v1/aid/communities/instance/coordinators/${ids.coordinatorTarget}`),
    want: { admin: 204, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/categories',
    request: (c) => c.get('/api/v1/aid/categories'),
    want: { others: 200 },
  },
  {
    route: 'POST /api/v1/aid/categories',
    request: (c) =>
      c.post('/api/v1/aid/categories', { id: `cat-${(ids.category += 1)}`, label: 'A category' }),
    want: { admin: 201, others: 403 },
  },
  {
    route: 'PATCH /api/v1/aid/categories/{categoryId}',
    request: (c) => c.send('PATCH', '/api/v1/aid/categories/seeded', { body: { retired: true } }),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/areas',
    request: (c) => c.get('/api/v1/aid/areas'),
    want: { others: 200 },
  },
  {
    route: 'PUT /api/v1/aid/areas/{areaId}',
    request: (c) => c.put('/api/v1/aid/areas/somewhere', { name: 'Somewhere', lat: 1, lon: 2 }),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'POST /api/v1/aid/areas/import',
    request: (c) =>
      c.post('/api/v1/aid/areas/import', {
        areas: [{ id: 'elsewhere', name: 'Elsewhere', lat: 1, lon: 2 }],
      }),
    want: { admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/posts',
    request: (c) => c.get('/api/v1/aid/communities/instance/posts'),
    want: { others: 200 },
  },
  {
    route: 'POST /api/v1/aid/communities/{community}/posts',
    request: (c) => c.post('/api/v1/aid/communities/instance/posts', postBody({ areaId: null })),
    want: { others: 201 },
  },
  {
    route: 'GET /api/v1/aid/posts/{postId}',
    request: (c, s) => c.get(`/api/v1/aid/posts/${s.open}`),
    want: { others: 200 },
  },
  {
    route: 'PATCH /api/v1/aid/posts/{postId}',
    request: (c, s) =>
      c.send('PATCH', `/api/v1/aid/posts/${s.open}`, { body: { description: 'Changed.' } }),
    want: { author: 200, others: 403 },
  },
  {
    route: 'POST /api/v1/aid/posts/{postId}/status',
    // helping → withdrawn: the author, or a moderator closing it.
    request: (c, s) => c.post(`/api/v1/aid/posts/${s.helping}/status`, { to: 'withdrawn' }),
    want: { author: 200, admin: 200, others: 403 },
  },
  {
    route: 'POST /api/v1/aid/posts/{postId}/renew',
    request: (c, s) => c.post(`/api/v1/aid/posts/${s.open}/renew`, {}),
    want: { author: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/mine',
    request: (c) => c.get('/api/v1/aid/mine'),
    want: { others: 200 },
  },
];

describeEachEngine('aid authorization matrix', (engine) => {
  let t: TestApp;
  let clients: Record<Actor, TestClient>;
  let authorId: string;
  let partnerId: string;
  const now = new Date();

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    const mo = await admin(t, 'mo');
    const author = await someone(t, 'author');
    const partner = await someone(t, 'partner');
    const coordinator = await someone(t, 'coordinator');
    const member = await someone(t, 'member');
    const blocked = await someone(t, 'blocked');
    const target = await someone(t, 'target');
    ids.coordinatorTarget = target.accountId;
    authorId = author.accountId;
    partnerId = partner.accountId;
    await enableBoard(mo);
    const res = await mo.client.put(
      `/api/v1/aid/communities/instance/coordinators/${coordinator.accountId}`,
    );
    expect(res.statusCode).toBe(200);
    await mo.client.post('/api/v1/aid/categories', { id: 'seeded', label: 'Seeded' });
    await t.handle.db
      .insertInto('circle_blocks')
      .values({
        blocker_id: author.accountId,
        blocked_id: blocked.accountId,
        created_at: now.toISOString(),
      })
      .execute();
    clients = {
      signedOut: new TestClient(t.app),
      member: member.client,
      author: author.client,
      partner: partner.client,
      coordinator: coordinator.client,
      admin: mo.client,
      blocked: blocked.client,
    };
  });
  afterAll(async () => t.close());

  it('has a row for every route this file owns, and every such route is served', async () => {
    const served = (await operations(t.app)).map((o) => o.route);
    expect([...ROWS.map((r) => r.route)].sort()).toEqual([...OWNED].sort());
    for (const route of OWNED) expect(served, route).toContain(route);
    // A route tagged `aid` (this file's tag) without a row fails here; the other aid routes
    // carry server/aid/relations/'s own tag and matrix.
    const tagged = (await operations(t.app)).filter((o) => o.tags.includes('aid'));
    expect(tagged.map((o) => o.route).sort()).toEqual([...OWNED].sort());
    for (const o of await operations(t.app)) {
      if (o.path.startsWith('/api/v1/aid/')) expect(o.tags.length, o.route).toBeGreaterThan(0);
    }
  });

  it('answers every route as each actor should', { timeout: 120_000 }, async () => {
    const failures = await runMatrix({
      rows: ROWS,
      actors: ACTORS,
      clients,
      seed: async () => {
        const open = await seedPost(t, authorId, now);
        const helping = await seedPost(t, authorId, now, {
          status: 'helping',
          partner_id: partnerId,
          first_helping_at: now.toISOString(),
        });
        await seedResponse(t, helping, partnerId, now);
        // Room under the flood guard and the daily limit for the next seed.
        await t.handle.db
          .updateTable('aid_posts')
          .set({ created_at: new Date(now.getTime() - 2 * 86_400_000).toISOString() })
          .execute();
        return { open, helping };
      },
      want: (row, actor) => (actor === 'signedOut' ? 401 : (row.want[actor] ?? row.want.others)),
      after: async () => {
        // Keep the author's open posts under the flood guard.
        await t.handle.db
          .updateTable('aid_posts')
          .set({ status: 'done' })
          .where('status', 'in', ['open', 'helping'])
          .execute();
      },
    });
    expect(failures).toEqual([]);
  });
});

// ─── An invite-only group's board ───────────────────────────────────────────────────────────────

/**
 * The routes that do not name a community or a post: the same for every board (instance admins'
 * categories and zones, my communities, my posts), so ROWS above is their whole matrix.
 */
const INSTANCE_WIDE = [
  'GET /api/v1/aid/areas',
  'GET /api/v1/aid/categories',
  'GET /api/v1/aid/communities',
  'GET /api/v1/aid/mine',
  'PATCH /api/v1/aid/categories/{categoryId}',
  'POST /api/v1/aid/areas/import',
  'POST /api/v1/aid/categories',
  'PUT /api/v1/aid/areas/{areaId}',
];

const GROUP_ACTORS = [
  'signedOut',
  'stranger',
  'pending',
  'banned',
  'admin',
  'member',
  'author',
  'partner',
  'coordinator',
  'facilitator',
  'moderator',
  'blocked',
] as const;
type GroupActor = (typeof GROUP_ACTORS)[number];

/**
 * Outside an invite-only group its board does not exist: 404, the answer to an unknown community
 * or post. An instance admin who is not a member reads it and moderates it, but does not manage it
 * (docs/AID.md, "Communities") and cannot post there.
 */
const OUTSIDE: readonly GroupActor[] = ['stranger', 'pending', 'banned'];

interface GroupSeed extends Seed {
  readonly community: string;
}
type GroupRow = MatrixRow<GroupActor, GroupSeed> & {
  /** Status per actor; signed out is 401 and OUTSIDE 404 unless given. */
  readonly want: Partial<Record<GroupActor, number>> & { readonly others: number };
};

const groupIds = { target: '', community: '' };

export const GROUP_ROWS: readonly GroupRow[] = [
  {
    route: 'GET /api/v1/aid/communities/{community}',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}`),
    want: { others: 200 },
  },
  {
    route: 'PUT /api/v1/aid/communities/{community}/settings',
    request: (c, s) =>
      c.put(`/api/v1/aid/communities/${s.community}/settings`, {
        enabled: true,
        defaultExpiryDays: 30,
      }),
    want: { facilitator: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/coordinators',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}/coordinators`),
    want: { others: 200 },
  },
  {
    route: 'PUT /api/v1/aid/communities/{community}/coordinators/{accountId}',
    request: (c, s) =>
      c.put(`/api/v1/aid/communities/${s.community}/coordinators/${groupIds.target}`),
    want: { facilitator: 200, others: 403 },
  },
  {
    route: 'DELETE /api/v1/aid/communities/{community}/coordinators/{accountId}',
    request: (c, s) =>
      c.send('DELETE', `/api/v1/aid/communities/${s.community}/coordinators/${groupIds.target}`),
    want: { facilitator: 204, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/posts',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}/posts`),
    want: { others: 200 },
  },
  {
    route: 'POST /api/v1/aid/communities/{community}/posts',
    request: (c, s) =>
      c.post(`/api/v1/aid/communities/${s.community}/posts`, postBody({ areaId: null })),
    // A member posts; an instance admin outside the group is not a member.
    want: { admin: 403, others: 201 },
  },
  {
    route: 'GET /api/v1/aid/posts/{postId}',
    request: (c, s) => c.get(`/api/v1/aid/posts/${s.open}`),
    want: { others: 200 },
  },
  {
    route: 'PATCH /api/v1/aid/posts/{postId}',
    request: (c, s) =>
      c.send('PATCH', `/api/v1/aid/posts/${s.open}`, { body: { description: 'Changed.' } }),
    want: { author: 200, others: 403 },
  },
  {
    route: 'POST /api/v1/aid/posts/{postId}/status',
    // helping → withdrawn: the author, or one of the board's moderators (its keepers, admins).
    request: (c, s) => c.post(`/api/v1/aid/posts/${s.helping}/status`, { to: 'withdrawn' }),
    want: { author: 200, admin: 200, facilitator: 200, moderator: 200, others: 403 },
  },
  {
    route: 'POST /api/v1/aid/posts/{postId}/renew',
    request: (c, s) => c.post(`/api/v1/aid/posts/${s.open}/renew`, {}),
    want: { author: 200, others: 403 },
  },
];

describeEachEngine("aid authorization matrix, an invite-only group's board", (engine) => {
  let t: TestApp;
  let clients: Record<GroupActor, TestClient>;
  let authorId: string;
  let partnerId: string;
  let groupId: string;
  const now = new Date();

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    const p = {
      admin: await admin(t, 'mo'),
      stranger: await someone(t, 'stranger'),
      pending: await someone(t, 'pending'),
      banned: await someone(t, 'banned'),
      member: await someone(t, 'member'),
      author: await someone(t, 'author'),
      partner: await someone(t, 'partner'),
      coordinator: await someone(t, 'coordinator'),
      facilitator: await someone(t, 'facilitator'),
      moderator: await someone(t, 'moderator'),
      blocked: await someone(t, 'blocked'),
    };
    const target = await someone(t, 'target');
    groupIds.target = target.accountId;
    authorId = p.author.accountId;
    partnerId = p.partner.accountId;
    groupId = (
      await seedGroup(t, {
        visibility: 'invite',
        facilitator: p.facilitator.accountId,
        moderator: p.moderator.accountId,
        member: p.member.accountId,
        members: [p.author, p.partner, p.coordinator, p.blocked, target].map((x) => x.accountId),
        requester: p.pending.accountId,
        banned: [p.banned.accountId],
        now,
      })
    ).id;
    groupIds.community = `group.${groupId}`;
    await enableBoard(p.facilitator, groupIds.community);
    const res = await p.facilitator.client.put(
      `/api/v1/aid/communities/${groupIds.community}/coordinators/${p.coordinator.accountId}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    await t.handle.db
      .insertInto('circle_blocks')
      .values({
        blocker_id: p.author.accountId,
        blocked_id: p.blocked.accountId,
        created_at: now.toISOString(),
      })
      .execute();
    clients = {
      signedOut: new TestClient(t.app),
      ...(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.client])) as Record<
        Exclude<GroupActor, 'signedOut'>,
        TestClient
      >),
    };
  });
  afterAll(async () => t.close());

  it('has a row for every route that names a community or a post', () => {
    const perCommunity = OWNED.filter((r) => !INSTANCE_WIDE.includes(r));
    expect(GROUP_ROWS.map((r) => r.route).sort()).toEqual([...perCommunity].sort());
    for (const r of perCommunity) expect(r, r).toMatch(/\{community\}|\{postId\}/);
  });

  it('answers every route as each actor should', { timeout: 120_000 }, async () => {
    const where = { community: `group.${groupId}`, group_id: groupId };
    const failures = await runMatrix({
      rows: GROUP_ROWS,
      actors: GROUP_ACTORS,
      clients,
      seed: async () => {
        const open = await seedPost(t, authorId, now, where);
        const helping = await seedPost(t, authorId, now, {
          ...where,
          status: 'helping',
          partner_id: partnerId,
          first_helping_at: now.toISOString(),
        });
        await seedResponse(t, helping, partnerId, now);
        await t.handle.db
          .updateTable('aid_posts')
          .set({ created_at: new Date(now.getTime() - 2 * 86_400_000).toISOString() })
          .execute();
        return { open, helping, community: where.community };
      },
      want: (row, actor) =>
        actor === 'signedOut'
          ? 401
          : (row.want[actor] ?? (OUTSIDE.includes(actor) ? 404 : row.want.others)),
      after: async () => {
        await t.handle.db
          .updateTable('aid_posts')
          .set({ status: 'done' })
          .where('status', 'in', ['open', 'helping'])
          .execute();
      },
    });
    expect(failures).toEqual([]);
  });

  it("gives each person one set of roles, on the board's page and in their list", async () => {
    const want: Partial<Record<GroupActor, { manager: boolean; moderator: boolean }>> = {
      admin: { manager: false, moderator: true },
      facilitator: { manager: true, moderator: true },
      moderator: { manager: false, moderator: true },
      coordinator: { manager: false, moderator: false },
      member: { manager: false, moderator: false },
    };
    const community = `group.${groupId}`;
    for (const [actor, roles] of Object.entries(want)) {
      const c = clients[actor as GroupActor];
      const page = communityWireSchema.parse(
        (await c.get(`/api/v1/aid/communities/${community}`)).json(),
      );
      expect({ manager: page.manager, moderator: page.moderator }, actor).toEqual(roles);
      const listed = communitiesResponseSchema
        .parse((await c.get('/api/v1/aid/communities')).json())
        .communities.find((x) => x.community === community);
      // An admin outside the group does not have it in their list; members do, with the same roles.
      if (actor === 'admin') expect(listed).toBeUndefined();
      else expect(listed, actor).toEqual(page);
    }
  });

  it('tells a stranger no more than it tells them of a board that does not exist', async () => {
    const body = (res: { json: () => { error: { code: string; message: string } } }) => {
      const { code, message } = res.json().error;
      return { code, message };
    };
    const unknown = await clients.stranger.get('/api/v1/aid/communities/group.nosuchgroup');
    const hidden = await clients.stranger.get(`/api/v1/aid/communities/group.${groupId}`);
    expect(hidden.statusCode).toBe(404);
    expect(body(hidden)).toEqual(body(unknown));
    const post = await seedPost(t, authorId, now, {
      community: `group.${groupId}`,
      group_id: groupId,
    });
    const unknownPost = await clients.stranger.get('/api/v1/aid/posts/nosuchpost');
    const hiddenPost = await clients.stranger.get(`/api/v1/aid/posts/${post}`);
    expect(hiddenPost.statusCode).toBe(404);
    expect(body(hiddenPost)).toEqual(body(unknownPost));
  });
});
