import { afterAll, beforeAll, expect, it } from 'vitest';
import { groupNotifyChoiceSchema } from '../../../core/src/notify/api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { routesTagged, runMatrix, type MatrixRow } from '../../test-support/route-matrix.js';
import { seedGroup, someone, type Someone } from '../test-fixtures.js';

type Actor =
  | 'out'
  | 'outsider'
  | 'pending'
  | 'invitee'
  | 'admin'
  | 'banned'
  | 'blocked'
  | 'member'
  | 'moderator'
  | 'facilitator'
  | 'otherFacilitator';
const ACTORS: readonly Actor[] = [
  'out',
  'outsider',
  'pending',
  'invitee',
  'admin',
  'banned',
  'blocked',
  'member',
  'moderator',
  'facilitator',
  'otherFacilitator',
];
const VISIBILITIES = ['public', 'request', 'invite'] as const;
/** Members only; to anyone else the group is unknown (404), whatever its visibility. */
const MEMBERS: readonly Actor[] = ['blocked', 'member', 'moderator', 'facilitator'];

type Seeded = Awaited<ReturnType<typeof seedGroup>>;
interface Row extends MatrixRow<Actor, Seeded> {
  readonly ok: number;
}

/**
 * Every per-group notification route × signed out, someone outside the group, someone whose join
 * request is pending, someone invited by handle, an instance admin, someone banned from the
 * group, a member the facilitator blocked, a member, a moderator, a facilitator and a facilitator
 * of another group, for a public, a by-request and an invite-only group. A route registered
 * without a row here fails the test.
 */
describeEachEngine('group notification choices authorization matrix', (engine) => {
  let t: TestApp;
  const now = new Date();
  let people: Record<Exclude<Actor, 'out'>, Someone>;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: () => now, env: { NOTIFY_WORKER: 'false' } });
    const actors = ACTORS.filter((a): a is Exclude<Actor, 'out'> => a !== 'out');
    const made = await Promise.all(
      actors.map(async (a) => [a, await someone(t, `n-${a.toLowerCase()}`)] as const),
    );
    people = Object.fromEntries(made) as typeof people;
    await t.handle.db
      .updateTable('accounts')
      .set({ role: 'admin' })
      .where('id', '=', people.admin.accountId)
      .execute();
    const blocked = await people.facilitator.client.post('/api/v1/circles/blocks', {
      accountId: people.blocked.accountId,
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    await seedGroup(t, {
      visibility: 'public',
      facilitator: people.otherFacilitator.accountId,
      now,
    });
  });
  afterAll(async () => t.close());

  const rows: Row[] = [
    {
      route: 'GET /api/v1/groups/{groupId}/notifications',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}/notifications`),
      ok: 200,
      check: (res) => expect(groupNotifyChoiceSchema.parse(JSON.parse(res.body))).toBeTruthy(),
    },
    {
      route: 'PUT /api/v1/groups/{groupId}/notifications',
      request: (c, g) => c.put(`/api/v1/groups/${g.id}/notifications`, { choice: 'everything' }),
      ok: 200,
    },
  ];

  it('lists every route', async () => {
    const routes = await routesTagged(t.app, 'group-notifications');
    expect(routes.length).toBeGreaterThan(0);
    expect(routes).toEqual(rows.map((r) => r.route).sort());
  });

  for (const visibility of VISIBILITIES) {
    it(`answers each actor exactly as it should (${visibility} group)`, async () => {
      const clients = Object.fromEntries(
        ACTORS.map((a) => [a, a === 'out' ? new TestClient(t.app) : people[a].client]),
      ) as Record<Actor, TestClient>;
      const failures = await runMatrix<Actor, Seeded, Row>({
        rows,
        actors: ACTORS,
        clients,
        seed: () =>
          seedGroup(t, {
            visibility,
            facilitator: people.facilitator.accountId,
            moderator: people.moderator.accountId,
            member: people.member.accountId,
            members: [people.blocked.accountId],
            requester: people.pending.accountId,
            invitee: people.invitee.accountId,
            banned: [people.banned.accountId],
            now,
          }),
        want: (row, actor) => (actor === 'out' ? 401 : MEMBERS.includes(actor) ? row.ok : 404),
      });
      expect(failures).toEqual([]);
    });
  }
});
