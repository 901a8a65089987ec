import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateId } from '../../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { routesTagged, runMatrix, type MatrixRow } from '../../test-support/route-matrix.js';
import { seedGroup, someone, type Someone } from '../test-fixtures.js';
import { meetingBody, seedFeed, seedMeeting } from './test-fixtures.js';

type Actor =
  | 'out'
  | 'outsider'
  | 'pending'
  | 'admin'
  | 'banned'
  | 'blocked'
  | 'member'
  | 'anotherMember'
  | 'moderator'
  | 'facilitator'
  | 'otherFacilitator';
type Visibility = 'public' | 'request' | 'invite';
const ACTORS: readonly Actor[] = [
  'out',
  'outsider',
  'pending',
  'admin',
  'banned',
  'blocked',
  'member',
  'anotherMember',
  'moderator',
  'facilitator',
  'otherFacilitator',
];
const VISIBILITIES: readonly Visibility[] = ['public', 'request', 'invite'];

interface Seeded {
  readonly id: string;
  readonly meetingId: string;
  readonly occurrenceId: string;
  /** The member's (Ada's) calendar feed. */
  readonly feedId: string;
  readonly feedToken: string;
}
/** Signed out is 401 unless `out` says otherwise. */
type Expect = Partial<Record<Actor, number>> & { readonly rest: number };

interface Row extends MatrixRow<Actor, Seeded> {
  readonly expect: Record<Visibility, Expect>;
}
/** Not members: like someone outside the group (a ban ends the membership). */
const NOT_IN: readonly Actor[] = ['outsider', 'otherFacilitator', 'pending', 'admin', 'banned'];
const each = (actors: readonly Actor[], status: number) =>
  Object.fromEntries(actors.map((a) => [a, status])) as Partial<Record<Actor, number>>;

/**
 * Every meeting and calendar route × signed out, someone outside the group, someone whose join
 * request is pending, an instance admin (not a member), someone banned from the group, a member
 * the facilitator blocked (a block changes none of their rights), a member, another member, a
 * moderator, a facilitator and a facilitator of another group, for a public, a by-request and an
 * invite-only group. Each request that changes anything runs on a freshly seeded group, meeting
 * and feed, so one actor's success cannot change another's answer. A route registered without a
 * row fails.
 */
describeEachEngine('meetings authorization matrix', (engine) => {
  let t: TestApp;
  const now = new Date();
  let people: Record<
    'fay' | 'mo' | 'ada' | 'cy' | 'bo' | 'oz' | 'pat' | 'root' | 'ben' | 'bea',
    Someone
  >;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: () => now, env: { NOTIFY_WORKER: 'false' } });
    const entries = await Promise.all(
      (['fay', 'mo', 'ada', 'cy', 'bo', 'oz', 'pat', 'root', 'ben', 'bea'] as const).map(
        async (h) => [h, await someone(t, h)] as const,
      ),
    );
    people = Object.fromEntries(entries) as typeof people;
    await t.handle.db
      .updateTable('accounts')
      .set({ role: 'admin' })
      .where('id', '=', people.root.accountId)
      .execute();
    // Fay has blocked Bea (a member of every seeded group).
    const blocked = await people.fay.client.post('/api/v1/circles/blocks', {
      accountId: people.bea.accountId,
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    // Oz facilitates another group: that gives no rights here.
    await seedGroup(t, { visibility: 'public', facilitator: people.oz.accountId, now });
  });
  afterAll(async () => t.close());

  async function seed(visibility: Visibility): Promise<Seeded> {
    const g = await seedGroup(t, {
      visibility,
      facilitator: people.fay.accountId,
      moderator: people.mo.accountId,
      member: people.ada.accountId,
      members: [people.cy.accountId, people.bea.accountId],
      requester: people.pat.accountId,
      banned: [people.ben.accountId],
      now,
    });
    const m = await seedMeeting(t, g.id, people.fay.accountId, now);
    // One feed of Ada's at a time: she may hold only so many.
    await t.handle.db
      .deleteFrom('group_calendar_feeds')
      .where('account_id', '=', people.ada.accountId)
      .execute();
    const feed = await seedFeed(t, people.ada.accountId, g.id, now);
    return { id: g.id, ...m, feedId: feed.feedId, feedToken: feed.token };
  }

  const same = (status: number): Expect => ({ rest: status });
  const facilitatorOnly = (ok: number): Record<Visibility, Expect> => ({
    public: { facilitator: ok, rest: 403 },
    request: { facilitator: ok, rest: 403 },
    invite: { facilitator: ok, ...each(NOT_IN, 404), rest: 403 },
  });
  const membersOnly = (ok: number): Record<Visibility, Expect> => ({
    public: { ...each(NOT_IN, 403), rest: ok },
    request: { ...each(NOT_IN, 403), rest: ok },
    invite: { ...each(NOT_IN, 404), rest: ok },
  });
  const everywhere = (e: Expect): Record<Visibility, Expect> => ({
    public: e,
    request: e,
    invite: e,
  });

  const rows: Row[] = [
    {
      route: 'GET /api/v1/groups/{groupId}/meetings',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}/meetings`),
      // Visitors to an open group see titles and times (routes.test.ts checks what exactly).
      expect: {
        public: same(200),
        request: same(200),
        invite: { ...each(NOT_IN, 404), rest: 200 },
      },
    },
    {
      route: 'GET /api/v1/meetings',
      request: (c) => c.get('/api/v1/meetings'),
      expect: everywhere(same(200)),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/meetings',
      request: (c, g) => c.post(`/api/v1/groups/${g.id}/meetings`, meetingBody()),
      expect: facilitatorOnly(201),
    },
    {
      route: 'GET /api/v1/groups/{groupId}/meetings/{meetingId}',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}/meetings/${g.meetingId}`),
      expect: facilitatorOnly(200),
    },
    {
      route: 'PATCH /api/v1/groups/{groupId}/meetings/{meetingId}',
      request: (c, g) =>
        c.send('PATCH', `/api/v1/groups/${g.id}/meetings/${g.meetingId}`, {
          body: { title: 'Renamed' },
        }),
      expect: facilitatorOnly(200),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/meetings/{meetingId}/cancel',
      request: (c, g) => c.post(`/api/v1/groups/${g.id}/meetings/${g.meetingId}/cancel`),
      expect: facilitatorOnly(200),
    },
    {
      route: 'PUT /api/v1/groups/{groupId}/meetings/{meetingId}/occurrences/{occurrenceId}',
      request: (c, g) =>
        c.put(`/api/v1/groups/${g.id}/meetings/${g.meetingId}/occurrences/${g.occurrenceId}`, {
          cancelled: true,
        }),
      expect: facilitatorOnly(200),
    },
    {
      route: 'PUT /api/v1/groups/{groupId}/meetings/{meetingId}/rsvp',
      request: (c, g) =>
        c.put(`/api/v1/groups/${g.id}/meetings/${g.meetingId}/rsvp`, {
          occurrenceId: g.occurrenceId,
          answer: 'yes',
          reminderMinutes: 30,
        }),
      expect: membersOnly(200),
    },
    {
      route: 'GET /api/v1/calendar-feeds',
      request: (c) => c.get('/api/v1/calendar-feeds'),
      expect: everywhere(same(200)),
    },
    {
      route: 'POST /api/v1/calendar-feeds',
      request: (c, g) => c.post('/api/v1/calendar-feeds', { groupId: g.id }),
      expect: membersOnly(201),
    },
    {
      route: 'DELETE /api/v1/calendar-feeds/{feedId}',
      // Ada's feed: only Ada may revoke it; to anyone else it does not exist.
      request: (c, g) => c.delete(`/api/v1/calendar-feeds/${g.feedId}`),
      expect: everywhere({ member: 200, rest: 404 }),
    },
    {
      route: 'GET /api/v1/calendar/{file}',
      // The token is the credential: the same answer with or without a session.
      request: (c, g) => c.get(`/api/v1/calendar/${g.feedToken}.ics`),
      expect: everywhere({ out: 200, rest: 200 }),
    },
  ];

  it('lists every meeting route', async () => {
    const routes = await routesTagged(t.app, 'meetings');
    expect(routes.length).toBeGreaterThan(0);
    expect(routes).toEqual(rows.map((r) => r.route).sort());
  });

  for (const visibility of VISIBILITIES) {
    it(`answers each actor exactly as it should (${visibility} group)`, async () => {
      const clients: Record<Actor, TestClient> = {
        out: new TestClient(t.app),
        outsider: people.bo.client,
        pending: people.pat.client,
        admin: people.root.client,
        banned: people.ben.client,
        blocked: people.bea.client,
        member: people.ada.client,
        anotherMember: people.cy.client,
        moderator: people.mo.client,
        facilitator: people.fay.client,
        otherFacilitator: people.oz.client,
      };
      const failures = await runMatrix({
        rows,
        actors: ACTORS,
        clients,
        seed: () => seed(visibility),
        want: (row, actor) => {
          const e = row.expect[visibility];
          return actor === 'out' ? (e.out ?? 401) : (e[actor] ?? e.rest);
        },
      });
      expect(failures).toEqual([]);
    }, 120_000);
  }

  it('gives a signed-out visitor nothing from a group route, whatever the ids', async () => {
    const out = new TestClient(t.app);
    const g = await seed('public');
    for (const path of [
      `/api/v1/groups/${g.id}/meetings`,
      `/api/v1/groups/${generateId()}/meetings`,
      '/api/v1/meetings',
      '/api/v1/calendar-feeds',
    ]) {
      const res = await out.get(path);
      expect(res.statusCode, path).toBe(401);
      expect(res.body, path).not.toContain('Seeded meeting');
    }
  });
});
