// The moderation log and mutual aid (docs/AID.md "Moderation"; docs/MODERATION.md): a board
// moderator's hide, show, withdraw, reopen and "see who posted" rows are readable through the log
// routes (instance admins: every row; a group's facilitators: their board's), each with the aid
// post it was about; "see who posted" keeps the reason the moderator gave, and an anonymous post's
// rows name nobody.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { auditResponseSchema } from '../../../core/src/moderation/api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { enableBoard, person, seedGroup, seedPost, type Member } from './test-fixtures.js';

describeEachEngine('mutual aid in the moderation log', (engine) => {
  let t: TestApp;
  let ms = Date.now();
  const clock = () => new Date(ms);
  let ana: Member;
  let dee: Member;
  let adm: Member;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    await enableBoard(t, 'instance', clock());
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    ms += 3_600_000;
    n++;
    ana = await person(t, `ana-${n}`);
    dee = await person(t, `dee-${n}`);
    adm = await person(t, `adm-${n}`, { admin: true });
  });

  const logOf = async (who: Member, path: string) => {
    const res = await who.client.get(path);
    expect(res.statusCode, res.body).toBe(200);
    return auditResponseSchema.parse(res.json()).entries;
  };

  it('reads every moderator change of an anonymous instance post in the log, naming nobody', async () => {
    const postId = await seedPost(t, clock(), { author: ana, anonymous: true });
    // A minute between each, so the log's order (newest first) is theirs.
    const act = (action: string, reason?: string) => {
      ms += 60_000;
      return adm.client.post(`/api/v1/aid/posts/${postId}/moderation`, {
        action,
        ...(reason === undefined ? {} : { reason }),
      });
    };
    expect((await act('hide-aid-post', 'Shares an address')).statusCode).toBe(200);
    expect((await act('unhide-aid-post')).statusCode).toBe(200);
    const status = (to: string) => {
      ms += 60_000;
      return adm.client.post(`/api/v1/aid/posts/${postId}/status`, { to });
    };
    expect((await status('withdrawn')).statusCode).toBe(200);
    expect((await status('open')).statusCode).toBe(200);
    ms += 60_000;
    const seen = await adm.client.get(
      `/api/v1/aid/posts/${postId}/author?reason=${encodeURIComponent('A second report about it')}`,
    );
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toEqual({ accountId: ana.accountId, handle: ana.handle });

    const rows = (await logOf(adm, '/api/v1/moderation/audit?limit=50')).filter(
      (e) => e.aidPostId === postId,
    );
    expect(rows.map((e) => [e.action, e.reason])).toEqual([
      ['reveal-aid-author', 'A second report about it'],
      ['reopen-aid-post', null],
      ['withdraw-aid-post', null],
      ['unhide-aid-post', null],
      ['hide-aid-post', 'Shares an address'],
    ]);
    for (const e of rows) {
      expect(e).toMatchObject({ actor: { accountId: adm.accountId }, target: null, groupId: null });
    }
    expect(JSON.stringify(rows)).not.toContain(ana.handle);
  });

  it('refuses a reason that is too long or has control characters, writing nothing', async () => {
    const postId = await seedPost(t, clock(), { author: ana, anonymous: true });
    for (const reason of ['x'.repeat(1001), 'a\u0007b']) {
      const res = await adm.client.get(
        `/api/v1/aid/posts/${postId}/author?reason=${encodeURIComponent(reason)}`,
      );
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
    }
    const rows = await t.handle.db
      .selectFrom('moderation_audit')
      .select('id')
      .where('aid_post_id', '=', postId)
      .execute();
    expect(rows).toEqual([]);
    // Without a reason it is still answered (and logged, with none).
    expect((await adm.client.get(`/api/v1/aid/posts/${postId}/author`)).statusCode).toBe(200);
    // Someone who is not a moderator learns nothing, whatever reason they give.
    const other = await dee.client.get(`/api/v1/aid/posts/${postId}/author?reason=curious`);
    expect(other.statusCode).toBe(403);
  });

  it('closing a report of an anonymous aid post names nobody in the log; of a named one, its author', async () => {
    const anonymous = await seedPost(t, clock(), { author: ana, anonymous: true });
    const named = await seedPost(t, clock(), { author: ana });
    const closed: Record<string, string> = {};
    for (const postId of [anonymous, named]) {
      const made = await dee.client.post('/api/v1/moderation/reports', {
        kind: 'aid-post',
        postId,
        reason: 'spam',
      });
      expect(made.statusCode, made.body).toBe(201);
      const reportId = made.json<{ id: string }>().id;
      ms += 60_000;
      const close = await adm.client.post(`/api/v1/moderation/reports/${reportId}/close`, {
        outcome: postId === anonymous ? 'resolved' : 'dismissed',
      });
      expect(close.statusCode, close.body).toBe(200);
      closed[postId] = reportId;
    }
    const rows = await logOf(adm, '/api/v1/moderation/audit?limit=50');
    const about = (postId: string) => rows.find((e) => e.reportId === closed[postId]);
    expect(about(anonymous)).toMatchObject({
      action: 'resolve-report',
      aidPostId: anonymous,
      postId: null,
      target: null,
    });
    expect(about(named)).toMatchObject({
      action: 'dismiss-report',
      aidPostId: named,
      postId: null,
      target: { accountId: ana.accountId, handle: ana.handle },
    });
  });

  it("a group board's rows are in the group's log for its facilitator, naming a named post's author", async () => {
    const fay = await person(t, `fay-${n}`);
    const groupId = await seedGroup(t, {
      members: [
        { who: fay, role: 'facilitator' },
        { who: ana, role: 'member' },
      ],
      now: clock(),
    });
    await enableBoard(t, `group.${groupId}`, clock());
    const postId = await seedPost(t, clock(), { author: ana, community: `group.${groupId}` });
    const hide = await fay.client.post(`/api/v1/aid/posts/${postId}/moderation`, {
      action: 'hide-aid-post',
      reason: 'Unkind words',
    });
    expect(hide.statusCode, hide.body).toBe(200);
    const rows = await logOf(fay, `/api/v1/groups/${groupId}/moderation/audit`);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'hide-aid-post',
        aidPostId: postId,
        groupId,
        reason: 'Unkind words',
        target: { accountId: ana.accountId, handle: ana.handle },
      }),
    ]);
    // And in the instance-wide log for admins.
    const all = await logOf(adm, '/api/v1/moderation/audit?limit=50');
    expect(all.some((e) => e.aidPostId === postId && e.action === 'hide-aid-post')).toBe(true);
  });
});
