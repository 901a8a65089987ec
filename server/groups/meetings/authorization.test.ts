import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateId } from '../../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { seedGroup, someone, type Someone } from '../test-fixtures.js';
import { meetingBody, seedFeed, seedMeeting } from './test-fixtures.js';

type Actor =
  | 'out'
  | 'outsider'
  | 'member'
  | 'anotherMember'
  | 'moderator'
  | 'facilitator'
  | 'otherFacilitator';
type Visibility = 'public' | 'request' | 'invite';
const ACTORS: readonly Actor[] = [
  'out',
  'outsider',
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

interface Row {
  /** As in the OpenAPI document: `METHOD /path/{param}`. */
  readonly route: string;
  readonly request: (c: TestClient, g: Seeded) => Promise<{ statusCode: number; body: string }>;
  readonly expect: Record<Visibility, Expect>;
}

/**
 * Every meeting route × signed out, someone outside the group, a member, another member, a
 * moderator, a facilitator and a facilitator of another group, for a public, a by-request and an
 * invite-only group. Each request runs on a freshly seeded group, meeting and feed, so one
 * actor's success cannot change another's answer. A route registered without a row fails.
 */
describeEachEngine('meetings authorization matrix', (engine) => {
  let t: TestApp;
  const now = new Date();
  let people: Record<'fay' | 'mo' | 'ada' | 'cy' | 'bo' | 'oz', Someone>;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: () => now, env: { NOTIFY_WORKER: 'false' } });
    const entries = await Promise.all(
      (['fay', 'mo', 'ada', 'cy', 'bo', 'oz'] as const).map(
        async (h) => [h, await someone(t, h)] as const,
      ),
    );
    people = Object.fromEntries(entries) as typeof people;
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
      now,
    });
    await t.handle.db
      .insertInto('group_members')
      .values({
        group_id: g.id,
        account_id: people.cy.accountId,
        role: 'member',
        agreement_version: 1,
        pseudonym: null,
        pseudonym_key: null,
        joined_at: now.toISOString(),
      })
      .execute();
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
    invite: { facilitator: ok, outsider: 404, otherFacilitator: 404, rest: 403 },
  });
  const membersOnly = (ok: number): Record<Visibility, Expect> => ({
    public: { outsider: 403, otherFacilitator: 403, rest: ok },
    request: { outsider: 403, otherFacilitator: 403, rest: ok },
    invite: { outsider: 404, otherFacilitator: 404, rest: ok },
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
        invite: { outsider: 404, otherFacilitator: 404, rest: 200 },
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
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('meetings') === true)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(0);
    expect([...routes].sort()).toEqual(rows.map((r) => r.route).sort());
  });

  for (const visibility of VISIBILITIES) {
    it(`answers each actor exactly as it should (${visibility} group)`, async () => {
      const clients: Record<Actor, TestClient> = {
        out: new TestClient(t.app),
        outsider: people.bo.client,
        member: people.ada.client,
        anotherMember: people.cy.client,
        moderator: people.mo.client,
        facilitator: people.fay.client,
        otherFacilitator: people.oz.client,
      };
      const failures: string[] = [];
      for (const row of rows) {
        for (const actor of ACTORS) {
          const g = await seed(visibility);
          const e = row.expect[visibility];
          const want = actor === 'out' ? (e.out ?? 401) : (e[actor] ?? e.rest);
          const res = await row.request(clients[actor], g);
          if (res.statusCode !== want) {
            failures.push(
              `${row.route} as ${actor}: ${res.statusCode} (wanted ${want}) ${res.body.slice(0, 200)}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    });
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
