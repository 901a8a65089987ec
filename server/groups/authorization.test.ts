import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateId } from '../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import { routesTagged, runMatrix, type MatrixRow } from '../test-support/route-matrix.js';
import { groupBody, seedGroup, someone, type Someone } from './test-fixtures.js';

type Actor =
  | 'out'
  | 'outsider'
  | 'pending'
  | 'invitee'
  | 'admin'
  | 'member'
  | 'moderator'
  | 'facilitator'
  | 'otherFacilitator'
  | 'banned'
  | 'blocked';
type Visibility = 'public' | 'request' | 'invite';
const ACTORS: readonly Actor[] = [
  'out',
  'outsider',
  'pending',
  'invitee',
  'admin',
  'member',
  'moderator',
  'facilitator',
  'otherFacilitator',
  'banned',
  'blocked',
];
const VISIBILITIES: readonly Visibility[] = ['public', 'request', 'invite'];

type Seeded = Awaited<ReturnType<typeof seedGroup>>;
type Expect = Partial<Record<Actor, number>> & { readonly rest: number };

interface Row extends MatrixRow<Actor, Seeded> {
  /** Status per visibility of the group (actors not named get `rest`; signed out is always 401). */
  readonly expect: Record<Visibility, Expect>;
}

/**
 * Not in the group: each of these is `outsider`-like unless a row says otherwise. A banned person
 * is not a member (a ban ends the membership) and every way back in answers `403 banned`.
 */
const NOT_IN: readonly Actor[] = [
  'outsider',
  'pending',
  'invitee',
  'admin',
  'otherFacilitator',
  'banned',
];
/** Not in an invite-only group and not invited by handle: for them it does not exist. */
const HIDDEN: readonly Actor[] = ['outsider', 'pending', 'admin', 'otherFacilitator', 'banned'];
const each = (actors: readonly Actor[], status: number) =>
  Object.fromEntries(actors.map((a) => [a, status])) as Partial<Record<Actor, number>>;

/**
 * Every group route × signed out, someone outside the group, someone whose join request is
 * pending, someone invited by handle, an instance admin (no member's powers in a group: they act
 * through moderation), a member, a moderator, a facilitator, a facilitator of another group,
 * someone banned from the group and a member the facilitator has blocked (a block is personal:
 * it changes none of their rights), for a public, a by-request and an invite-only group. Each
 * request that changes anything runs on a freshly seeded group so one actor's success cannot
 * change another's answer (server/test-support/route-matrix.ts). A route registered without a
 * row here fails the test.
 */
describeEachEngine('groups authorization matrix', (engine) => {
  let t: TestApp;
  const now = new Date('2026-11-25T12:00:00.000Z');
  let people: Record<
    'fay' | 'mo' | 'ada' | 'bo' | 'oz' | 'pat' | 'ivy' | 'root' | 'quinn' | 'ben' | 'bea',
    Someone
  >;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: () => now, env: { NOTIFY_WORKER: 'false' } });
    const entries = await Promise.all(
      (['fay', 'mo', 'ada', 'bo', 'oz', 'pat', 'ivy', 'root', 'quinn', 'ben', 'bea'] as const).map(
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
    // Oz facilitates another group: that must give no rights here.
    await seedGroup(t, { visibility: 'request', facilitator: people.oz.accountId, now });
  });
  afterAll(async () => t.close());

  // Someone outside an invite-only group learns nothing: 404, as for an unknown id. Someone
  // invited by handle sees it (to read it before answering) but has no member's rights.
  const same = (status: number): Expect => ({ rest: status });
  const facilitatorOnly = (ok: number): Record<Visibility, Expect> => ({
    public: { facilitator: ok, rest: 403 },
    request: { facilitator: ok, rest: 403 },
    invite: { facilitator: ok, ...each(HIDDEN, 404), rest: 403 },
  });
  const membersOnly = (ok: number): Record<Visibility, Expect> => ({
    public: { ...each(NOT_IN, 403), rest: ok },
    request: { ...each(NOT_IN, 403), rest: ok },
    invite: { ...each(NOT_IN, 403), ...each(HIDDEN, 404), rest: ok },
  });
  const visible = (ok: number): Record<Visibility, Expect> => ({
    public: same(ok),
    request: same(ok),
    invite: { ...each(HIDDEN, 404), rest: ok },
  });
  const everywhere = (e: Expect): Record<Visibility, Expect> => ({
    public: e,
    request: e,
    invite: e,
  });

  const rows: Row[] = [
    {
      route: 'GET /api/v1/groups',
      request: (c) => c.get('/api/v1/groups?q=seeded'),
      expect: everywhere(same(200)),
    },
    {
      route: 'GET /api/v1/groups/mine',
      request: (c) => c.get('/api/v1/groups/mine'),
      expect: everywhere(same(200)),
    },
    {
      route: 'POST /api/v1/groups',
      request: (c) => c.post('/api/v1/groups', groupBody()),
      expect: everywhere(same(201)),
    },
    {
      route: 'GET /api/v1/groups/{groupId}',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}`),
      expect: visible(200),
    },
    {
      route: 'GET /api/v1/groups/by-slug/{slug}',
      request: (c, g) => c.get(`/api/v1/groups/by-slug/${g.slug}`),
      expect: visible(200),
    },
    {
      route: 'PATCH /api/v1/groups/{groupId}',
      request: (c, g) => c.send('PATCH', `/api/v1/groups/${g.id}`, { body: { name: 'Renamed' } }),
      expect: facilitatorOnly(200),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/archive',
      request: (c, g) => c.post(`/api/v1/groups/${g.id}/archive`),
      expect: facilitatorOnly(200),
    },
    {
      route: 'GET /api/v1/groups/{groupId}/members',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}/members`),
      expect: membersOnly(200),
    },
    {
      route: 'PUT /api/v1/groups/{groupId}/members/{accountId}/role',
      request: (c, g) =>
        c.put(`/api/v1/groups/${g.id}/members/${people.ada.accountId}/role`, {
          role: 'moderator',
        }),
      expect: facilitatorOnly(200),
    },
    {
      route: 'PUT /api/v1/groups/{groupId}/members/me',
      request: (c, g) => c.put(`/api/v1/groups/${g.id}/members/me`, { pseudonym: 'Rowan' }),
      expect: membersOnly(200),
    },
    {
      route: 'DELETE /api/v1/groups/{groupId}/members/me',
      request: (c, g) => c.delete(`/api/v1/groups/${g.id}/members/me`),
      // The only facilitator cannot leave while others remain.
      expect: everywhere({ ...each(NOT_IN, 404), facilitator: 409, rest: 204 }),
    },
    {
      route: 'GET /api/v1/groups/{groupId}/agreements',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}/agreements`),
      expect: visible(200),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/agreements',
      request: (c, g) => c.post(`/api/v1/groups/${g.id}/agreements`, { text: 'Version two.' }),
      expect: facilitatorOnly(201),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/agreement/accept',
      request: (c, g) => c.post(`/api/v1/groups/${g.id}/agreement/accept`, { agreementVersion: 1 }),
      expect: membersOnly(200),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/join',
      request: (c, g) => c.post(`/api/v1/groups/${g.id}/join`, { agreementVersion: 1 }),
      // Members: 409 already_in_group; by request or invitation: 409 join_mode_mismatch.
      expect: {
        public: { ...each(NOT_IN, 200), banned: 403, rest: 409 },
        request: same(409),
        invite: { ...each(HIDDEN, 404), rest: 409 },
      },
    },
    {
      route: 'POST /api/v1/groups/{groupId}/requests',
      request: (c, g) =>
        c.post(`/api/v1/groups/${g.id}/requests`, {
          id: generateId(),
          agreementVersion: 1,
          answers: ['I would like to come.'],
        }),
      // Pending: 409 conflict (one request at a time).
      expect: {
        public: same(409),
        request: { ...each(NOT_IN, 201), pending: 409, banned: 403, rest: 409 },
        invite: { ...each(HIDDEN, 404), rest: 409 },
      },
    },
    {
      route: 'GET /api/v1/groups/{groupId}/requests',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}/requests`),
      expect: facilitatorOnly(200),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/requests/{requestId}/decision',
      request: (c, g) =>
        c.post(`/api/v1/groups/${g.id}/requests/${g.requestId}/decision`, { approve: true }),
      expect: facilitatorOnly(200),
    },
    {
      route: 'DELETE /api/v1/groups/{groupId}/requests/{requestId}',
      // Only the requester may withdraw a request, not even a facilitator.
      request: (c, g) => c.delete(`/api/v1/groups/${g.id}/requests/${g.requestId}`),
      expect: everywhere({ pending: 200, rest: 404 }),
    },
    {
      route: 'POST /api/v1/groups/{groupId}/invitations',
      request: (c, g) =>
        c.post(`/api/v1/groups/${g.id}/invitations`, { id: generateId(), handle: 'quinn' }),
      expect: facilitatorOnly(201),
    },
    {
      route: 'GET /api/v1/groups/{groupId}/invitations',
      request: (c, g) => c.get(`/api/v1/groups/${g.id}/invitations`),
      expect: facilitatorOnly(200),
    },
    {
      route: 'DELETE /api/v1/groups/{groupId}/invitations/{invitationId}',
      request: (c, g) => c.delete(`/api/v1/groups/${g.id}/invitations/${g.invitationId}`),
      expect: facilitatorOnly(200),
    },
    {
      route: 'POST /api/v1/groups/invitations/{invitationId}/answer',
      // Only the invitee may answer an invitation.
      request: (c, g) =>
        c.post(`/api/v1/groups/invitations/${g.invitationId}/answer`, { accept: false }),
      expect: everywhere({ invitee: 200, rest: 404 }),
    },
    {
      route: 'GET /api/v1/groups/links/{token}',
      request: (c, g) => c.get(`/api/v1/groups/links/${g.linkToken}`),
      expect: everywhere(same(200)),
    },
    {
      route: 'POST /api/v1/groups/links/{token}/join',
      request: (c, g) =>
        c.post(`/api/v1/groups/links/${g.linkToken}/join`, { agreementVersion: 1 }),
      expect: everywhere({ ...each(NOT_IN, 200), banned: 403, rest: 409 }),
    },
  ];

  it('lists every group route', async () => {
    const routes = await routesTagged(t.app, 'groups');
    expect(routes.length).toBeGreaterThan(0);
    expect(routes).toEqual(rows.map((r) => r.route).sort());
  });

  for (const visibility of VISIBILITIES) {
    it(
      `answers each actor exactly as it should (${visibility} group)`,
      { timeout: 120_000 },
      async () => {
        const clients: Record<Actor, TestClient> = {
          out: new TestClient(t.app),
          outsider: people.bo.client,
          pending: people.pat.client,
          invitee: people.ivy.client,
          admin: people.root.client,
          member: people.ada.client,
          moderator: people.mo.client,
          facilitator: people.fay.client,
          otherFacilitator: people.oz.client,
          banned: people.ben.client,
          blocked: people.bea.client,
        };
        const failures = await runMatrix({
          rows,
          actors: ACTORS,
          clients,
          seed: () =>
            seedGroup(t, {
              visibility,
              facilitator: people.fay.accountId,
              moderator: people.mo.accountId,
              member: people.ada.accountId,
              members: [people.bea.accountId],
              requester: people.pat.accountId,
              invitee: people.ivy.accountId,
              banned: [people.ben.accountId],
              now,
            }),
          want: (row, actor) => {
            const e = row.expect[visibility];
            return actor === 'out' ? 401 : (e[actor] ?? e.rest);
          },
        });
        expect(failures).toEqual([]);
      },
    );
  }
});
