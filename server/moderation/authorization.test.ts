import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReportedMessage } from '../../core/src/conversations/message.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { queueResponseSchema } from '../../core/src/moderation/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import { routesTagged, runMatrix, type MatrixRow, type Res } from '../test-support/route-matrix.js';
import {
  conversationWithMessages,
  person,
  seedGroup,
  seedThread,
  type Member,
} from './test-fixtures.js';

type Actor =
  | 'out'
  | 'stranger'
  | 'member'
  | 'reported'
  | 'moderator'
  | 'facilitator'
  | 'otherFacilitator'
  | 'admin'
  | 'pending'
  | 'banned'
  | 'blocked';
const ACTORS: readonly Actor[] = [
  'out',
  'stranger',
  'member',
  'reported',
  'moderator',
  'facilitator',
  'otherFacilitator',
  'admin',
  'pending',
  'banned',
  'blocked',
];

interface Seeded {
  readonly groupId: string;
  readonly threadId: string;
  readonly postId: string;
  /** An open report of the reported member's post, made by another member (the witness). */
  readonly reportId: string;
  /** With `dm`: a conversation where the reported member wrote to `member`, and its report. */
  readonly conversationId?: string;
  readonly messages?: ReportedMessage[];
  readonly dmReportId?: string;
}
type Expect = Partial<Record<Actor, number>> & { readonly rest: number };

interface Row extends MatrixRow<Actor, Seeded> {
  /** Status per actor (actors not named get `rest`; signed out is always 401). */
  readonly expect: Expect;
  /** What differs for an invite-only group (outsiders get the 404 of an unknown id). */
  readonly invite?: Partial<Record<Actor, number>>;
  readonly dm?: boolean;
}
type People = Record<Exclude<Actor, 'out'>, Member> & { witness: Member };

/** `blocked` is a moderator whom the reported member blocked: moderation stays possible. */
const KEEPERS: readonly Actor[] = ['moderator', 'facilitator', 'admin', 'blocked'];

/**
 * Every moderation route × signed out, a stranger, a member, the reported member, a moderator, a
 * facilitator, a facilitator of another group, an instance admin, someone whose join request is
 * pending, someone banned from the group and a moderator whom the reported member has blocked (a
 * block is personal: the report stays in their queue and they can still act on it). Each request
 * that changes anything runs on a freshly seeded group, thread, post and report. A route
 * registered without a row fails the test.
 */
describeEachEngine('moderation authorization matrix', (engine) => {
  let t: TestApp;
  let people: People;
  let reportedConv: Awaited<ReturnType<typeof conversationWithMessages>>;
  let freshConv: Awaited<ReturnType<typeof conversationWithMessages>>;
  const seededAt = () => new Date(Date.now() - 3_600_000);

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    const names = [
      'stranger',
      'member',
      'reported',
      'moderator',
      'facilitator',
      'otherFacilitator',
      'admin',
      'witness',
      'pending',
      'banned',
      'blocked',
    ] as const;
    const made: [string, Member][] = [];
    for (const n of names) {
      made.push([n, await person(t, `m-${n.toLowerCase()}`, { admin: n === 'admin' })]);
    }
    people = Object.fromEntries(made) as People;
    const blocked = await people.reported.client.post('/api/v1/circles/blocks', {
      accountId: people.blocked.accountId,
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    await seedGroup(t, {
      now: seededAt(),
      members: [{ who: people.otherFacilitator, role: 'facilitator' }],
    });
    reportedConv = await conversationWithMessages(people.reported, people.member, ['hello']);
    freshConv = await conversationWithMessages(people.reported, people.member, ['again']);
  });
  afterAll(async () => t.close());

  // Each seeded report is older than the last, so it is on the queue's first page (oldest first).
  let seeds = 0;
  const reportedAt = () => new Date(Date.UTC(2026, 0, 1) - ++seeds * 60_000).toISOString();

  async function seed(dm: boolean, visibility: 'public' | 'invite'): Promise<Seeded> {
    const at = seededAt();
    const groupId = await seedGroup(t, {
      visibility,
      now: at,
      members: [
        { who: people.facilitator, role: 'facilitator' },
        { who: people.moderator, role: 'moderator' },
        { who: people.member, role: 'member' },
        { who: people.reported, role: 'member' },
        { who: people.witness, role: 'member' },
        { who: people.blocked, role: 'moderator' },
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
    const thread = await seedThread(t, groupId, people.reported, at, 'A reported post.');
    const reportId = generateId();
    await t.handle.db
      .insertInto('moderation_reports')
      .values({
        id: reportId,
        kind: 'post',
        group_id: groupId,
        thread_id: thread.threadId,
        post_id: thread.postId,
        conversation_id: null,
        reporter_id: people.witness.accountId,
        reported_id: people.reported.accountId,
        reason: 'spam',
        words: null,
        messages: null,
        status: 'open',
        created_at: reportedAt(),
        closed_at: null,
        closed_by: null,
      })
      .execute();
    if (!dm) return { groupId, ...thread, reportId };
    // A direct-conversation report by the member about the reported member's message, as the
    // report route stores it (made through the route in the behaviour tests).
    const dmReportId = generateId();
    await t.handle.db
      .insertInto('moderation_reports')
      .values({
        id: dmReportId,
        kind: 'conversation',
        group_id: null,
        thread_id: null,
        post_id: null,
        conversation_id: reportedConv.conversationId,
        reporter_id: people.member.accountId,
        reported_id: people.reported.accountId,
        reason: 'unkind-or-harassing',
        words: null,
        messages: JSON.stringify(reportedConv.reports),
        status: 'open',
        created_at: reportedAt(),
        closed_at: null,
        closed_by: null,
      })
      .execute();
    return {
      groupId,
      ...thread,
      reportId,
      conversationId: freshConv.conversationId,
      messages: freshConv.reports,
      dmReportId,
    };
  }

  const queueHas = (res: Res, id: string) =>
    queueResponseSchema
      .parse(JSON.parse(res.body))
      .reports.map((r) => r.id)
      .includes(id);

  const rows: Row[] = [
    {
      route: 'POST /api/v1/moderation/reports',
      request: (c, s) =>
        c.post('/api/v1/moderation/reports', {
          kind: 'post',
          groupId: s.groupId,
          postId: s.postId,
          reason: 'spam',
        }),
      // Members of the group may report it; the author cannot report their own post; anyone
      // outside the group (an admin too: they are not in it) is refused.
      expect: {
        member: 201,
        moderator: 201,
        facilitator: 201,
        blocked: 201,
        reported: 403,
        rest: 403,
      },
      invite: { stranger: 404, otherFacilitator: 404, admin: 404, pending: 404, banned: 404 },
    },
    {
      route: 'POST /api/v1/moderation/reports',
      dm: true,
      request: (c, s) =>
        c.post('/api/v1/moderation/reports', {
          kind: 'conversation',
          conversationId: s.conversationId,
          messages: s.messages,
          reason: 'unkind-or-harassing',
        }),
      // Only the other participant; the writer cannot report their own messages as someone else's.
      expect: { member: 201, reported: 400, rest: 404 },
    },
    {
      route: 'GET /api/v1/moderation/reports/mine',
      request: (c) => c.get('/api/v1/moderation/reports/mine'),
      expect: { rest: 200 },
      check: (res, s) => expect(res.body).not.toContain(s.reportId),
    },
    {
      route: 'DELETE /api/v1/moderation/reports/{reportId}',
      request: (c, s) => c.delete(`/api/v1/moderation/reports/${s.reportId}`),
      // Only the reporter (the witness, not an actor here) can withdraw it.
      expect: { rest: 404 },
    },
    {
      route: 'POST /api/v1/moderation/reports/{reportId}/close',
      request: (c, s) =>
        c.post(`/api/v1/moderation/reports/${s.reportId}/close`, { outcome: 'dismissed' }),
      expect: { moderator: 200, facilitator: 200, admin: 200, blocked: 200, rest: 404 },
      check: (res, s) => {
        expect(res.body).not.toContain(people.witness.accountId);
        expect(res.body).toContain(s.reportId);
      },
    },
    {
      route: 'POST /api/v1/moderation/reports/{reportId}/close',
      dm: true,
      request: (c, s) =>
        c.post(`/api/v1/moderation/reports/${s.dmReportId}/close`, { outcome: 'resolved' }),
      // Direct-conversation reports: instance admins only.
      expect: { admin: 200, rest: 404 },
    },
    {
      route: 'GET /api/v1/moderation/queue',
      dm: true,
      request: (c) => c.get('/api/v1/moderation/queue?limit=50'),
      expect: { rest: 200 },
      check: (res, s, actor) => {
        expect(queueHas(res, s.reportId)).toBe(KEEPERS.includes(actor));
        expect(queueHas(res, s.dmReportId!)).toBe(actor === 'admin');
        // Nobody is told who reported.
        expect(res.body).not.toContain(people.witness.accountId);
        expect(res.body).not.toContain(people.witness.handle);
        expect(res.body).not.toContain(people.member.handle);
      },
    },
    {
      route: 'POST /api/v1/groups/{groupId}/moderation/actions',
      request: (c, s) =>
        c.post(`/api/v1/groups/${s.groupId}/moderation/actions`, {
          action: 'hide-post',
          postId: s.postId,
        }),
      expect: { moderator: 200, facilitator: 200, admin: 200, blocked: 200, rest: 403 },
      invite: { stranger: 404, otherFacilitator: 404, pending: 404, banned: 404 },
    },
    {
      route: 'GET /api/v1/groups/{groupId}/moderation/audit',
      request: (c, s) => c.get(`/api/v1/groups/${s.groupId}/moderation/audit`),
      expect: { facilitator: 200, admin: 200, rest: 403 },
      invite: { stranger: 404, otherFacilitator: 404, pending: 404, banned: 404 },
    },
    {
      route: 'GET /api/v1/moderation/audit',
      request: (c) => c.get('/api/v1/moderation/audit'),
      expect: { admin: 200, rest: 403 },
    },
    {
      route: 'GET /api/v1/moderation/mutes',
      request: (c) => c.get('/api/v1/moderation/mutes'),
      expect: { rest: 200 },
    },
    {
      route: 'PUT /api/v1/moderation/mutes/{accountId}',
      request: (c) => c.put(`/api/v1/moderation/mutes/${people.reported.accountId}`),
      expect: { reported: 403, rest: 200 },
    },
    {
      route: 'DELETE /api/v1/moderation/mutes/{accountId}',
      request: (c) => c.delete(`/api/v1/moderation/mutes/${people.reported.accountId}`),
      expect: { reported: 403, rest: 200 },
    },
    {
      route: 'GET /api/v1/moderation/notes',
      request: (c) => c.get('/api/v1/moderation/notes'),
      expect: { rest: 200 },
    },
  ];

  it('lists every moderation route', async () => {
    const routes = await routesTagged(t.app, 'moderation');
    expect(routes.length).toBeGreaterThan(0);
    expect(routes).toEqual([...new Set(rows.map((r) => r.route))].sort());
  });

  it.each(['public', 'invite'] as const)(
    'answers each actor exactly as it should (%s group)',
    async (visibility) => {
      const clients = Object.fromEntries(
        ACTORS.map((a) => [a, a === 'out' ? new TestClient(t.app) : people[a].client]),
      ) as Record<Actor, TestClient>;
      const failures = await runMatrix<Actor, Seeded, Row>({
        rows: rows.filter((row) => row.dm !== true || visibility === 'public'),
        actors: ACTORS,
        clients,
        seed: (row) => seed(row.dm === true, visibility),
        want: (row, actor) => {
          const e: Expect = visibility === 'invite' ? { ...row.expect, ...row.invite } : row.expect;
          return actor === 'out' ? 401 : (e[actor] ?? e.rest);
        },
      });
      expect(failures).toEqual([]);
    },
    120_000,
  );
});
