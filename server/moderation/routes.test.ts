import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, fromBase64url } from '../../core/src/encoding/base64url.js';
import { threadPageSchema, threadsResponseSchema } from '../../core/src/groups/threads-api.js';
import {
  auditResponseSchema,
  mutesResponseSchema,
  myReportSchema,
  myReportsResponseSchema,
  NOTE_NOTIFICATION_WORDS,
  notesResponseSchema,
  queueResponseSchema,
} from '../../core/src/moderation/api.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { linkBody } from '../groups/test-fixtures.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  auditRows,
  conversationWithMessages,
  footprint,
  person,
  seedGroup,
  seedThread,
  type Member,
} from './test-fixtures.js';

describeEachEngine('moderation', (engine) => {
  let t: TestApp;
  let fac: Member; // facilitator
  let mod: Member; // moderator
  let ada: Member; // member (reports)
  let bo: Member; // member (reported)
  let admin: Member;
  const old = () => new Date(Date.now() - 3_600_000);

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    fac = await person(t, 'fac');
    mod = await person(t, 'mod');
    ada = await person(t, 'ada');
    bo = await person(t, 'bo');
    admin = await person(t, 'root', { admin: true });
  });
  afterAll(async () => t.close());

  async function group(visibility: 'public' | 'request' = 'public') {
    const groupId = await seedGroup(t, {
      visibility,
      now: old(),
      members: [
        { who: fac, role: 'facilitator' },
        { who: mod, role: 'moderator' },
        { who: ada, role: 'member' },
        { who: bo, role: 'member' },
      ],
    });
    const thread = await seedThread(t, groupId, bo, old(), 'Something unkind.');
    return { groupId, ...thread };
  }
  const act = (who: Member, groupId: string, body: Record<string, unknown>) =>
    who.client.post(`/api/v1/groups/${groupId}/moderation/actions`, body);
  const readThread = async (who: Member, groupId: string, threadId: string) =>
    who.client.get(`/api/v1/groups/${groupId}/threads/${threadId}`);
  const reportPost = (who: Member, groupId: string, postId: string, extra = {}) =>
    who.client.post('/api/v1/moderation/reports', {
      kind: 'post',
      groupId,
      postId,
      reason: 'unkind-or-harassing',
      ...extra,
    });

  describe('reports and the queue', () => {
    it('a member reports a post; the keepers see it with an excerpt, never who reported', async () => {
      const g = await group();
      const made = await reportPost(ada, g.groupId, g.postId, { words: 'This hurt.' });
      expect(made.statusCode, made.body).toBe(201);
      const report = myReportSchema.parse(made.json());
      expect(report.status).toBe('open');

      for (const keeper of [fac, mod, admin]) {
        const q = await keeper.client.get(`/api/v1/moderation/queue?groupId=${g.groupId}`);
        expect(q.statusCode, q.body).toBe(200);
        const item = queueResponseSchema.parse(q.json()).reports.find((r) => r.id === report.id);
        expect(item?.excerpt).toBe('Something unkind.');
        expect(item?.reported?.accountId).toBe(bo.accountId);
        expect(item?.words).toBe('This hurt.');
        expect(q.body).not.toContain(ada.accountId);
        expect(q.body).not.toContain(ada.handle);
      }
      // The reporter sees their own report; twice is a conflict.
      const mine = myReportsResponseSchema.parse(
        (await ada.client.get('/api/v1/moderation/reports/mine')).json(),
      );
      expect(mine.reports.map((r) => r.id)).toContain(report.id);
      expect((await reportPost(ada, g.groupId, g.postId)).statusCode).toBe(409);
    });

    it('no route tells the reported person who reported them (nor that a report exists)', async () => {
      const g = await group();
      // Bo is a moderator in this group: still not shown the report about them.
      await t.handle.db
        .updateTable('group_members')
        .set({ role: 'moderator' })
        .where('group_id', '=', g.groupId)
        .where('account_id', '=', bo.accountId)
        .execute();
      const made = await reportPost(ada, g.groupId, g.postId);
      expect(made.statusCode, made.body).toBe(201);
      const { id } = myReportSchema.parse(made.json());
      const answers = [
        await bo.client.get('/api/v1/moderation/queue'),
        await bo.client.get(`/api/v1/moderation/queue?groupId=${g.groupId}`),
        await bo.client.get('/api/v1/moderation/reports/mine'),
        await bo.client.get('/api/v1/moderation/notes'),
        await bo.client.get(`/api/v1/groups/${g.groupId}/threads/${g.threadId}`),
        await bo.client.post(`/api/v1/moderation/reports/${id}/close`, { outcome: 'dismissed' }),
      ];
      for (const res of answers) {
        expect(res.body).not.toContain(ada.accountId);
        expect(res.body).not.toContain(ada.handle);
        expect(res.body).not.toContain(id);
      }
      const events = await t.handle.db
        .selectFrom('events')
        .select('type')
        .where('account_id', '=', bo.accountId)
        .where('type', '=', 'moderation.queue.changed')
        .execute();
      expect(events).toEqual([]);
    });

    it('the reporter withdraws; nobody else can; a closed report cannot be closed again', async () => {
      const g = await group();
      const { id } = myReportSchema.parse((await reportPost(ada, g.groupId, g.postId)).json());
      expect((await mod.client.delete(`/api/v1/moderation/reports/${id}`)).statusCode).toBe(404);
      const w = await ada.client.delete(`/api/v1/moderation/reports/${id}`);
      expect(w.statusCode, w.body).toBe(200);
      expect(myReportSchema.parse(w.json()).status).toBe('withdrawn');
      expect((await ada.client.delete(`/api/v1/moderation/reports/${id}`)).json()).toMatchObject({
        error: { code: 'report_closed' },
      });
      const close = await fac.client.post(`/api/v1/moderation/reports/${id}/close`, {
        outcome: 'dismissed',
      });
      expect(close.json()).toMatchObject({ error: { code: 'report_closed' } });
      // A withdrawal is not a moderator's action: nothing in the log.
      expect((await auditRows(t)).filter((r) => r.report_id === id)).toEqual([]);
    });

    it('bad input is refused with a code and writes nothing', async () => {
      const g = await group();
      const before = await footprint(t);
      const bad: Record<string, unknown>[] = [
        { kind: 'post', groupId: g.groupId, postId: g.postId, reason: 'because' },
        { kind: 'post', groupId: g.groupId, postId: g.postId },
        {
          kind: 'post',
          groupId: g.groupId,
          postId: g.postId,
          reason: 'spam',
          words: 'x'.repeat(1001),
        },
        { kind: 'post', groupId: g.groupId, postId: g.postId, reason: 'spam', words: 'a\u0000b' },
        { kind: 'gossip', groupId: g.groupId, reason: 'spam' },
        { kind: 'conversation', conversationId: 'c', messages: [], reason: 'spam' },
        { kind: 'post', groupId: g.groupId, postId: g.postId, reason: 'spam', extra: 1 },
      ];
      for (const body of bad) {
        const res = await ada.client.post('/api/v1/moderation/reports', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
      }
      const badActions: Record<string, unknown>[] = [
        { action: 'shame', accountId: bo.accountId },
        { action: 'warn', accountId: bo.accountId },
        { action: 'warn', accountId: bo.accountId, note: '   ' },
        { action: 'hide-post' },
        { action: 'ban', accountId: 'not an id!' },
      ];
      for (const body of badActions) {
        const res = await act(fac, g.groupId, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
      }
      const badClose = await fac.client.post('/api/v1/moderation/reports/x/close', {
        outcome: 'deleted',
      });
      expect(badClose.statusCode).toBe(400);
      expect(await footprint(t)).toEqual(before);
    });
  });

  describe('actions', () => {
    it('a hidden post is hidden from members (through the threads API) but not from moderators; unhide restores it', async () => {
      const g = await group();
      const hid = await act(mod, g.groupId, {
        action: 'hide-post',
        postId: g.postId,
        reason: 'Unkind',
      });
      expect(hid.statusCode, hid.body).toBe(200);
      const asMember = threadPageSchema.parse(
        (await readThread(ada, g.groupId, g.threadId)).json(),
      );
      expect(asMember.posts[0]).toMatchObject({ hidden: true, body: null });
      const asMod = threadPageSchema.parse((await readThread(fac, g.groupId, g.threadId)).json());
      expect(asMod.posts[0]).toMatchObject({ hidden: true, body: 'Something unkind.' });
      expect(
        (await act(mod, g.groupId, { action: 'unhide-post', postId: g.postId })).statusCode,
      ).toBe(200);
      const back = threadPageSchema.parse((await readThread(ada, g.groupId, g.threadId)).json());
      expect(back.posts[0]).toMatchObject({ hidden: false, body: 'Something unkind.' });
      const log = (await auditRows(t)).filter((r) => r.group_id === g.groupId);
      expect(log.map((r) => [r.action, r.actor_id, r.target_id, r.post_id])).toEqual([
        ['hide-post', mod.accountId, bo.accountId, g.postId],
        ['unhide-post', mod.accountId, bo.accountId, g.postId],
      ]);
      expect(log[0]?.reason).toBe('Unkind');
    });

    it('a hidden thread disappears for members; a locked thread refuses replies', async () => {
      const g = await group();
      expect(
        (await act(fac, g.groupId, { action: 'hide-thread', threadId: g.threadId })).statusCode,
      ).toBe(200);
      expect((await readThread(ada, g.groupId, g.threadId)).statusCode).toBe(404);
      const list = threadsResponseSchema.parse(
        (await ada.client.get(`/api/v1/groups/${g.groupId}/threads`)).json(),
      );
      expect(list.threads.map((x) => x.id)).not.toContain(g.threadId);
      expect((await readThread(mod, g.groupId, g.threadId)).statusCode).toBe(200);
      expect(
        (await act(fac, g.groupId, { action: 'unhide-thread', threadId: g.threadId })).statusCode,
      ).toBe(200);

      expect(
        (await act(mod, g.groupId, { action: 'lock-thread', threadId: g.threadId })).statusCode,
      ).toBe(200);
      const reply = () =>
        ada.client.post(`/api/v1/groups/${g.groupId}/threads/${g.threadId}/posts`, { body: 'Hi' });
      const refused = await reply();
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ error: { code: 'thread_locked' } });
      expect(
        (await act(mod, g.groupId, { action: 'unlock-thread', threadId: g.threadId })).statusCode,
      ).toBe(200);
      expect((await reply()).statusCode).toBe(201);
    });

    it('a warning reaches the member in fixed words; the note is readable in Tend by them only', async () => {
      const g = await group();
      const note = 'Please keep to the agreement about advice.';
      const res = await act(mod, g.groupId, { action: 'warn', accountId: bo.accountId, note });
      expect(res.statusCode, res.body).toBe(200);
      const notes = notesResponseSchema.parse(
        (await bo.client.get('/api/v1/moderation/notes')).json(),
      );
      expect(notes.notes[0]).toMatchObject({ groupId: g.groupId, text: note });
      expect((await ada.client.get('/api/v1/moderation/notes')).body).not.toContain(note);
      const outbox = await t.handle.db
        .selectFrom('notify_outbox')
        .selectAll()
        .where('account_id', '=', bo.accountId)
        .where('kind', '=', 'moderation.note')
        .execute();
      expect(outbox.length).toBeGreaterThan(0);
      for (const row of outbox) {
        expect(JSON.stringify(row)).toContain(NOTE_NOTIFICATION_WORDS);
        expect(JSON.stringify(row)).not.toContain('agreement about advice');
      }
      const events = await t.handle.db
        .selectFrom('events')
        .selectAll()
        .where('account_id', '=', bo.accountId)
        .where('type', '=', 'moderation.note')
        .execute();
      expect(events).toHaveLength(1);
      expect(events[0]?.data).not.toContain('advice');
    });

    it('remove takes the member out (they may come back); ban keeps them out until unbanned', async () => {
      const g = await group();
      expect(
        (await act(fac, g.groupId, { action: 'remove', accountId: bo.accountId })).statusCode,
      ).toBe(200);
      expect((await readThread(bo, g.groupId, g.threadId)).statusCode).toBe(403);
      const join = () =>
        bo.client.post(`/api/v1/groups/${g.groupId}/join`, { agreementVersion: 1 });
      expect((await join()).statusCode).toBe(200);

      const ban = await act(mod, g.groupId, { action: 'ban', accountId: bo.accountId });
      expect(ban.statusCode, ban.body).toBe(200);
      const refused = await join();
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: { code: 'banned' } });
      expect(
        (await act(mod, g.groupId, { action: 'ban', accountId: bo.accountId })).statusCode,
      ).toBe(409);
      expect(
        (await act(mod, g.groupId, { action: 'unban', accountId: bo.accountId })).statusCode,
      ).toBe(200);
      expect((await join()).statusCode).toBe(200);
    });

    it('a ban also stops a request to join a by-request group', async () => {
      const g = await group('request');
      expect(
        (await act(fac, g.groupId, { action: 'ban', accountId: bo.accountId })).statusCode,
      ).toBe(200);
      const res = await bo.client.post(`/api/v1/groups/${g.groupId}/requests`, {
        id: `req-${Date.now()}`,
        answers: [],
        agreementVersion: 1,
      });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'banned' } });
    });

    it('moderators cannot act on facilitators, nobody on themself; admins can act anywhere', async () => {
      const g = await group();
      const facPost = await seedThread(t, g.groupId, fac, old(), 'A facilitator post.');
      const before = await footprint(t);
      const onFac = await act(mod, g.groupId, { action: 'hide-post', postId: facPost.postId });
      expect(onFac.json()).toMatchObject({ error: { code: 'cannot_act_on_facilitator' } });
      const banFac = await act(mod, g.groupId, { action: 'ban', accountId: fac.accountId });
      expect(banFac.json()).toMatchObject({ error: { code: 'cannot_act_on_facilitator' } });
      const self = await act(mod, g.groupId, {
        action: 'warn',
        accountId: mod.accountId,
        note: 'Me',
      });
      expect(self.json()).toMatchObject({ error: { code: 'cannot_act_on_self' } });
      const lastFac = await act(admin, g.groupId, { action: 'remove', accountId: fac.accountId });
      expect(lastFac.json()).toMatchObject({ error: { code: 'last_facilitator' } });
      const member = await act(ada, g.groupId, { action: 'hide-post', postId: g.postId });
      expect(member.statusCode).toBe(403);
      expect(await footprint(t)).toEqual(before);
      const byAdmin = await act(admin, g.groupId, { action: 'hide-post', postId: facPost.postId });
      expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    });

    it('an action answering a report resolves it in the same transaction; if the report is closed, nothing is written', async () => {
      const g = await group();
      const { id } = myReportSchema.parse((await reportPost(ada, g.groupId, g.postId)).json());
      const dismissed = await fac.client.post(`/api/v1/moderation/reports/${id}/close`, {
        outcome: 'dismissed',
        reason: 'Not against the agreement',
      });
      expect(dismissed.statusCode, dismissed.body).toBe(200);
      const before = await footprint(t);
      const res = await act(mod, g.groupId, {
        action: 'hide-post',
        postId: g.postId,
        reportId: id,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'report_closed' } });
      // The post was hidden and logged before the report was found closed: all rolled back.
      expect(await footprint(t)).toEqual(before);

      const second = myReportSchema.parse((await reportPost(ada, g.groupId, g.postId)).json());
      const ok = await act(mod, g.groupId, {
        action: 'hide-post',
        postId: g.postId,
        reportId: second.id,
        reason: 'Unkind',
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const log = (await auditRows(t)).filter((r) => r.group_id === g.groupId);
      // (The action and the resolution share one time; their order within it is by random id.)
      expect(log.map((r) => `${r.action} ${r.report_id}`).sort()).toEqual(
        [`dismiss-report ${id}`, `hide-post ${second.id}`, `resolve-report ${second.id}`].sort(),
      );
      const mine = myReportsResponseSchema.parse(
        (await ada.client.get('/api/v1/moderation/reports/mine')).json(),
      );
      expect(mine.reports.find((r) => r.id === second.id)?.status).toBe('resolved');
    });
  });

  describe('direct-conversation reports', () => {
    it('revealed messages with valid signatures are accepted and shown to admins only', async () => {
      const { conversationId, reports } = await conversationWithMessages(bo, ada, [
        'You are worthless',
        'Go away',
      ]);
      const before = await footprint(t);
      // A changed word: the signature no longer matches.
      const altered = {
        ...reports[0]!,
        content: toBase64url(
          new TextEncoder().encode('{"v":1,"type":"message","text":"You are great"}'),
        ),
      };
      const forged = { ...reports[1]!, signature: toBase64url(new Uint8Array(64).fill(7)) };
      for (const bad of [altered, forged]) {
        const res = await ada.client.post('/api/v1/moderation/reports', {
          kind: 'conversation',
          conversationId,
          messages: [reports[0], bad].slice(bad === altered ? 1 : 0),
          reason: 'unkind-or-harassing',
        });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'bad_signature' } });
      }
      // Moved to another message id: not a message the other person sent here.
      const moved = await ada.client.post('/api/v1/moderation/reports', {
        kind: 'conversation',
        conversationId,
        messages: [{ ...reports[0]!, messageId: 'someOtherId' }],
        reason: 'spam',
      });
      expect(moved.statusCode).toBe(400);
      expect(await footprint(t)).toEqual(before);
      // Someone outside the conversation cannot report it.
      const outsider = await fac.client.post('/api/v1/moderation/reports', {
        kind: 'conversation',
        conversationId,
        messages: reports,
        reason: 'spam',
      });
      expect(outsider.statusCode).toBe(404);

      const res = await ada.client.post('/api/v1/moderation/reports', {
        kind: 'conversation',
        conversationId,
        messages: reports,
        reason: 'unkind-or-harassing',
      });
      expect(res.statusCode, res.body).toBe(201);
      const { id } = myReportSchema.parse(res.json());
      const q = queueResponseSchema.parse(
        (await admin.client.get('/api/v1/moderation/queue')).json(),
      );
      const item = q.reports.find((r) => r.id === id);
      expect(item?.messages?.map((m) => m.text)).toEqual(['You are worthless', 'Go away']);
      expect(item?.reported?.accountId).toBe(bo.accountId);
      expect(JSON.stringify(q)).not.toContain(ada.accountId);
      for (const keeper of [fac, mod]) {
        const theirs = await keeper.client.get('/api/v1/moderation/queue');
        expect(theirs.body).not.toContain(id);
        expect(theirs.body).not.toContain('worthless');
      }
      // Withdrawn: the revealed messages are erased.
      expect((await ada.client.delete(`/api/v1/moderation/reports/${id}`)).statusCode).toBe(200);
      const row = await t.handle.db
        .selectFrom('moderation_reports')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.messages).toBeNull();
      expect(fromBase64url(reports[0]!.content)).toBeDefined();
    });

    it('an admin resolves a conversation report and the instance log shows it; no group keeper sees it', async () => {
      const { conversationId, reports } = await conversationWithMessages(bo, ada, ['Threat']);
      const made = await ada.client.post('/api/v1/moderation/reports', {
        kind: 'conversation',
        conversationId,
        messages: reports,
        reason: 'unsafe-for-others',
      });
      const { id } = myReportSchema.parse(made.json());
      expect(
        (await fac.client.post(`/api/v1/moderation/reports/${id}/close`, { outcome: 'resolved' }))
          .statusCode,
      ).toBe(404);
      const closed = await admin.client.post(`/api/v1/moderation/reports/${id}/close`, {
        outcome: 'resolved',
      });
      expect(closed.statusCode, closed.body).toBe(200);
      const log = auditResponseSchema.parse(
        (await admin.client.get('/api/v1/moderation/audit?limit=50')).json(),
      );
      expect(log.entries.find((e) => e.reportId === id)).toMatchObject({
        action: 'resolve-report',
        groupId: null,
        actor: { accountId: admin.accountId },
        target: { accountId: bo.accountId },
      });
    });
  });

  describe('the audit log', () => {
    it('is paged newest first and cannot be changed or removed through the API', async () => {
      const g = await group();
      for (const action of ['lock-thread', 'unlock-thread', 'lock-thread']) {
        expect((await act(fac, g.groupId, { action, threadId: g.threadId })).statusCode).toBe(200);
      }
      const first = auditResponseSchema.parse(
        (await fac.client.get(`/api/v1/groups/${g.groupId}/moderation/audit?limit=2`)).json(),
      );
      expect(first.entries.map((e) => e.action)).toEqual(['lock-thread', 'unlock-thread']);
      expect(first.next).not.toBeNull();
      const second = auditResponseSchema.parse(
        (
          await fac.client.get(
            `/api/v1/groups/${g.groupId}/moderation/audit?limit=2&after=${first.next}`,
          )
        ).json(),
      );
      expect(second.entries.map((e) => e.action)).toEqual(['lock-thread']);
      expect(second.next).toBeNull();

      const rows = await auditRows(t);
      const id = first.entries[0]!.id;
      for (const [method, url] of [
        ['DELETE', `/api/v1/groups/${g.groupId}/moderation/audit`],
        ['DELETE', `/api/v1/groups/${g.groupId}/moderation/audit/${id}`],
        ['PUT', `/api/v1/groups/${g.groupId}/moderation/audit/${id}`],
        ['PATCH', `/api/v1/groups/${g.groupId}/moderation/audit/${id}`],
        ['DELETE', '/api/v1/moderation/audit'],
        ['DELETE', `/api/v1/moderation/audit/${id}`],
        ['PATCH', `/api/v1/moderation/audit/${id}`],
      ] as const) {
        const res = await admin.client.send(method, url, { body: { reason: 'changed' } });
        expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }
      expect(await auditRows(t)).toEqual(rows);
      // And the API document has no way to write to it.
      const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, unknown>>;
      }>();
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (path.includes('audit')) expect(Object.keys(ops)).toEqual(['get']);
      }
    });

    it('a moderator cannot read the log; a facilitator reads only their group', async () => {
      const g = await group();
      expect(
        (await mod.client.get(`/api/v1/groups/${g.groupId}/moderation/audit`)).statusCode,
      ).toBe(403);
      expect((await fac.client.get('/api/v1/moderation/audit')).statusCode).toBe(403);
    });
  });

  describe('limits, events and every way back in', () => {
    it('a ban also refuses an invitation by handle and a group link', async () => {
      const g = await group();
      const cy = await person(t, 'cyril');
      const ban = await act(fac, g.groupId, { action: 'ban', accountId: cy.accountId });
      expect(ban.statusCode, ban.body).toBe(200);
      const invitationId = generateId();
      const invited = await fac.client.post(`/api/v1/groups/${g.groupId}/invitations`, {
        id: invitationId,
        handle: cy.handle,
      });
      expect(invited.statusCode, invited.body).toBe(201);
      const answer = await cy.client.post(`/api/v1/groups/invitations/${invitationId}/answer`, {
        accept: true,
        agreementVersion: 1,
      });
      expect(answer.statusCode, answer.body).toBe(403);
      expect(answer.json()).toMatchObject({ error: { code: 'banned' } });
      const { token, body } = linkBody();
      expect(
        (await fac.client.post(`/api/v1/groups/${g.groupId}/invitations`, body)).statusCode,
      ).toBe(201);
      const viaLink = await cy.client.post(`/api/v1/groups/links/${token}/join`, {
        agreementVersion: 1,
      });
      expect(viaLink.statusCode, viaLink.body).toBe(403);
      expect(viaLink.json()).toMatchObject({ error: { code: 'banned' } });
      const member = await t.handle.db
        .selectFrom('group_members')
        .select('account_id')
        .where('group_id', '=', g.groupId)
        .where('account_id', '=', cy.accountId)
        .execute();
      expect(member).toEqual([]);
    });

    it('a report tells the keepers (ids only); a hidden post tells the members', async () => {
      const g = await group();
      const count = async (who: Member, type: string) =>
        (
          await t.handle.db
            .selectFrom('events')
            .select('data')
            .where('account_id', '=', who.accountId)
            .where('type', '=', type)
            .execute()
        ).filter((e) => e.data.includes(g.groupId));
      expect((await reportPost(ada, g.groupId, g.postId)).statusCode).toBe(201);
      for (const keeper of [fac, mod]) {
        const events = await count(keeper, 'moderation.queue.changed');
        expect(events).toHaveLength(1);
        expect(events[0]!.data).toBe(JSON.stringify({ groupId: g.groupId }));
      }
      expect(await count(ada, 'moderation.queue.changed')).toEqual([]);
      expect(await count(bo, 'moderation.queue.changed')).toEqual([]);
      expect(
        (await act(mod, g.groupId, { action: 'hide-post', postId: g.postId })).statusCode,
      ).toBe(200);
      for (const who of [fac, mod, ada, bo]) {
        expect(await count(who, 'group.post.updated')).toHaveLength(1);
      }
    });

    it('20 reports an hour per account, then 429 with nothing written', async () => {
      const g = await group();
      const reporter = await person(t, `many-${engine}`);
      await t.handle.db
        .insertInto('group_members')
        .values({
          group_id: g.groupId,
          account_id: reporter.accountId,
          role: 'member',
          agreement_version: 1,
          pseudonym: null,
          pseudonym_key: null,
          joined_at: old().toISOString(),
        })
        .execute();
      for (let i = 0; i < 21; i++) {
        const thread = await seedThread(t, g.groupId, bo, old(), `Post ${i}`);
        const before = i === 20 ? await footprint(t) : undefined;
        const res = await reportPost(reporter, g.groupId, thread.postId);
        if (i < 20) {
          expect(res.statusCode, res.body).toBe(201);
        } else {
          expect(res.statusCode).toBe(429);
          expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
          expect(await footprint(t)).toEqual(before);
        }
      }
    });
  });

  describe('mutes', () => {
    it('mute and unmute someone, for me only', async () => {
      const put = await ada.client.put(`/api/v1/moderation/mutes/${bo.accountId}`);
      expect(put.statusCode, put.body).toBe(200);
      expect(mutesResponseSchema.parse(put.json()).mutes.map((m) => m.accountId)).toEqual([
        bo.accountId,
      ]);
      expect((await ada.client.put(`/api/v1/moderation/mutes/${bo.accountId}`)).statusCode).toBe(
        200,
      );
      expect(
        mutesResponseSchema.parse((await bo.client.get('/api/v1/moderation/mutes')).json()).mutes,
      ).toEqual([]);
      expect((await ada.client.put('/api/v1/moderation/mutes/nobody')).statusCode).toBe(404);
      expect(
        (await ada.client.put(`/api/v1/moderation/mutes/${ada.accountId}`)).json(),
      ).toMatchObject({
        error: { code: 'cannot_act_on_self' },
      });
      const del = await ada.client.delete(`/api/v1/moderation/mutes/${bo.accountId}`);
      expect(mutesResponseSchema.parse(del.json()).mutes).toEqual([]);
      // Nobody is told.
      const told = await t.handle.db
        .selectFrom('events')
        .select('type')
        .where('account_id', '=', bo.accountId)
        .where('type', 'like', 'moderation%')
        .execute();
      expect(told.map((e) => e.type)).not.toContain('moderation.mute');
    });
  });
});
