import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateId } from '../../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import type { TestClient } from '../../test-support/client.js';
import { TestClient as Client } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { routesTagged, runMatrix, type MatrixRow } from '../../test-support/route-matrix.js';
import {
  conversationKeys,
  enableBoard,
  makeCoordinator,
  person,
  seedGroup,
  seedPost,
  type Member,
} from './test-fixtures.js';

/**
 * The authorization matrix of server/aid/relations/ (docs/AID.md, "Routes"): every route tagged
 * `aid-relations` × signed out, a member, the author, the partner, someone who responded, a
 * coordinator, an instance admin (moderator and manager of the instance board) and a member the
 * author blocked — on the instance board; and on an invite-only group's board, someone outside
 * the group, to whom every post and community there does not exist. A route without a row fails.
 */
const ACTORS = [
  'signedOut',
  'member',
  'author',
  'partner',
  'responder',
  'coordinator',
  'admin',
  'blocked',
] as const;
type Actor = (typeof ACTORS)[number];

interface Seed {
  readonly community: string;
  /** A named open need by the author. */
  readonly open: string;
  /** An anonymous open need by the author, with a waiting response by the responder. */
  readonly anon: string;
  readonly responseId: string;
  /** The author's keys to open the conversation with the responder. */
  readonly keys: Awaited<ReturnType<typeof conversationKeys>>;
  /** A need the partner helped with, done. */
  readonly done: string;
  /** A coordinator's proposal on `open` with the partner as helper. */
  readonly assignmentId: string;
}

type Row = MatrixRow<Actor, Seed> & {
  readonly want: Partial<Record<Actor, number>> & { readonly others: number };
};

const period = `from=${encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`;

const ROWS: readonly Row[] = [
  {
    route: 'POST /api/v1/aid/posts/{postId}/responses',
    request: (c, s) => c.post(`/api/v1/aid/posts/${s.anon}/responses`, { id: generateId() }),
    want: { author: 409, responder: 409, blocked: 404, others: 201 },
  },
  {
    route: 'GET /api/v1/aid/posts/{postId}/responses',
    request: (c, s) => c.get(`/api/v1/aid/posts/${s.anon}/responses`),
    want: { others: 200 },
    check: (res, s, actor) => {
      const ids = (JSON.parse(res.body) as { responses: { id: string }[] }).responses.map(
        (r) => r.id,
      );
      expect(ids).toEqual(actor === 'author' || actor === 'responder' ? [s.responseId] : []);
    },
  },
  {
    route: 'POST /api/v1/aid/responses/{responseId}/conversation',
    request: (c, s) => c.post(`/api/v1/aid/responses/${s.responseId}/conversation`, s.keys),
    want: { author: 201, others: 404 },
  },
  {
    route: 'POST /api/v1/aid/responses/{responseId}/decline',
    request: (c, s) => c.post(`/api/v1/aid/responses/${s.responseId}/decline`),
    want: { author: 200, others: 404 },
  },
  {
    route: 'POST /api/v1/aid/responses/{responseId}/withdraw',
    request: (c, s) => c.post(`/api/v1/aid/responses/${s.responseId}/withdraw`),
    want: { responder: 200, others: 404 },
  },
  {
    route: 'GET /api/v1/aid/posts/{postId}/matches',
    request: (c, s) => c.get(`/api/v1/aid/posts/${s.open}/matches`),
    want: { author: 200, coordinator: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/matches',
    request: (c) => c.get('/api/v1/aid/matches'),
    want: { others: 200 },
  },
  {
    route: 'GET /api/v1/aid/match-notices',
    request: (c) => c.get('/api/v1/aid/match-notices'),
    want: { others: 200 },
  },
  {
    route: 'PUT /api/v1/aid/match-notices',
    request: (c) => c.put('/api/v1/aid/match-notices', { rate: 'daily' }),
    want: { others: 200 },
  },
  {
    route: 'POST /api/v1/aid/posts/{postId}/thanks',
    request: (c, s) => c.post(`/api/v1/aid/posts/${s.done}/thanks`, { words: ['thank-you'] }),
    want: { author: 201, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/thanks',
    request: (c) => c.get('/api/v1/aid/thanks'),
    want: { others: 200 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/unmet',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}/unmet`),
    want: { coordinator: 200, others: 403 },
  },
  {
    route: 'POST /api/v1/aid/posts/{postId}/assignments',
    request: (c, s) =>
      c.post(`/api/v1/aid/posts/${s.open}/assignments`, {
        id: generateId(),
        helperId: ids.partner,
      }),
    want: { coordinator: 201, others: 403 },
  },
  {
    route: 'POST /api/v1/aid/assignments/{assignmentId}/answer',
    request: (c, s) => c.post(`/api/v1/aid/assignments/${s.assignmentId}/answer`, { accept: true }),
    want: { author: 200, partner: 200, others: 404 },
  },
  {
    route: 'POST /api/v1/aid/assignments/{assignmentId}/withdraw',
    request: (c, s) => c.post(`/api/v1/aid/assignments/${s.assignmentId}/withdraw`),
    want: { coordinator: 200, others: 404 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/open-needs',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}/open-needs`),
    want: { coordinator: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/open-needs.csv',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}/open-needs.csv`),
    want: { coordinator: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/figures',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}/figures?${period}`),
    want: { coordinator: 200, admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/communities/{community}/figures.csv',
    request: (c, s) => c.get(`/api/v1/aid/communities/${s.community}/figures.csv?${period}`),
    want: { coordinator: 200, admin: 200, others: 403 },
  },
  {
    route: 'GET /api/v1/aid/posts/{postId}/author',
    request: (c, s) => c.get(`/api/v1/aid/posts/${s.anon}/author`),
    want: { admin: 200, others: 403 },
    check: (res) =>
      expect(JSON.parse(res.body)).toEqual({ accountId: ids.author, handle: ids.authorHandle }),
  },
  {
    route: 'POST /api/v1/aid/posts/{postId}/moderation',
    request: (c, s) =>
      c.post(`/api/v1/aid/posts/${s.open}/moderation`, { action: 'hide-aid-post' }),
    want: { admin: 200, others: 403 },
  },
];

const ids = { partner: '', author: '', authorHandle: '' };

describeEachEngine('mutual aid relations: authorization matrix', (engine) => {
  let t: TestApp;
  const now = new Date();
  let clients: Record<Actor, TestClient>;
  let who: Record<Exclude<Actor, 'signedOut'>, Member>;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: () => now, env: { NOTIFY_WORKER: 'false' } });
    await enableBoard(t, 'instance', now);
    const names = ['member', 'author', 'partner', 'responder', 'coordinator', 'blocked'] as const;
    const made = await Promise.all(names.map((h) => person(t, `z-${h}`)));
    who = {
      ...(Object.fromEntries(names.map((h, i) => [h, made[i]!])) as Record<
        (typeof names)[number],
        Member
      >),
      admin: await person(t, 'z-admin', { admin: true }),
    };
    await makeCoordinator(t, 'instance', who.coordinator, now);
    await t.handle.db
      .insertInto('circle_blocks')
      .values({
        blocker_id: who.author.accountId,
        blocked_id: who.blocked.accountId,
        created_at: now.toISOString(),
      })
      .execute();
    ids.partner = who.partner.accountId;
    ids.author = who.author.accountId;
    ids.authorHandle = who.author.handle;
    clients = {
      signedOut: new Client(t.app),
      ...(Object.fromEntries(Object.entries(who).map(([k, m]) => [k, m.client])) as Record<
        Exclude<Actor, 'signedOut'>,
        TestClient
      >),
    };
  });
  afterAll(async () => t.close());

  async function seed(community: string): Promise<Seed> {
    const author = who.author;
    const open = await seedPost(t, now, { author, community });
    const anon = await seedPost(t, now, { author, community, anonymous: true });
    const done = await seedPost(t, now, {
      author,
      community,
      status: 'done',
      partner: who.partner,
    });
    const responseId = generateId();
    await t.handle.db
      .insertInto('aid_responses')
      .values({
        id: responseId,
        post_id: anon,
        occurrence_id: null,
        responder_id: who.responder.accountId,
        status: 'waiting',
        conversation_id: null,
        created_at: now.toISOString(),
        answered_at: null,
      })
      .execute();
    const assignmentId = generateId();
    await t.handle.db
      .insertInto('aid_assignments')
      .values({
        id: assignmentId,
        post_id: open,
        occurrence_id: null,
        helper_id: who.partner.accountId,
        proposed_by: who.coordinator.accountId,
        status: 'proposed',
        asker_consented_at: null,
        helper_consented_at: null,
        // Earlier, so the seeds do not count towards the coordinator's hourly limit.
        created_at: new Date(now.getTime() - 2 * 3_600_000).toISOString(),
        closed_at: null,
      })
      .execute();
    return {
      community,
      open,
      anon,
      done,
      responseId,
      assignmentId,
      keys: await conversationKeys(author, who.responder),
    };
  }

  it('has a row for every route tagged aid-relations', async () => {
    expect(ROWS.map((r) => r.route).sort()).toEqual(await routesTagged(t.app, 'aid-relations'));
  });

  it(
    'answers every route on the instance board as each actor should',
    { timeout: 180_000 },
    async () => {
      const failures = await runMatrix({
        rows: ROWS,
        actors: ACTORS,
        clients,
        seed: () => seed('instance'),
        want: (row, actor) => (actor === 'signedOut' ? 401 : (row.want[actor] ?? row.want.others)),
      });
      expect(failures).toEqual([]);
    },
  );

  it(
    'an invite-only group board does not exist for anyone outside the group',
    { timeout: 180_000 },
    async () => {
      const groupId = await seedGroup(t, {
        visibility: 'invite',
        now,
        members: [
          { who: who.author, role: 'facilitator' },
          { who: who.partner, role: 'member' },
          { who: who.responder, role: 'member' },
          { who: who.coordinator, role: 'member' },
        ],
      });
      const community = `group.${groupId}`;
      await enableBoard(t, community, now);
      await makeCoordinator(t, community, who.coordinator, now);
      const outsider = who.member;
      const failures: string[] = [];
      for (const row of ROWS) {
        const s = await seed(community);
        const res = await row.request(outsider.client, s);
        const personal = [
          'GET /api/v1/aid/matches',
          'GET /api/v1/aid/match-notices',
          'PUT /api/v1/aid/match-notices',
          'GET /api/v1/aid/thanks',
        ].includes(row.route);
        const want = personal ? 200 : 404;
        if (res.statusCode !== want)
          failures.push(`${row.route}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (personal) expect(res.body).not.toContain(s.open);
      }
      expect(failures).toEqual([]);
    },
  );
});
