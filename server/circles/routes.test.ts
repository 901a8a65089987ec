import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  blocksResponseSchema,
  circlesResponseSchema,
  invitationSchema,
  linkInvitationSchema,
  personSchema,
} from '../../core/src/circles/api.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  eventsOf,
  footprint,
  handleInvitationBody,
  joinCircle,
  linkInvitationBody,
  makeCollection,
  member,
  shareKeyFor,
  type Member,
} from './test-fixtures.js';

describeEachEngine('circles', (engine) => {
  let t: TestApp;
  let clock: Date;
  let sam: Member, ada: Member, bo: Member;

  beforeEach(async () => {
    clock = new Date('2026-11-24T12:00:00.000Z');
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    sam = await member(t, 'sam');
    ada = await member(t, 'ada');
    bo = await member(t, 'bo');
  });
  afterEach(async () => t.close());

  const circles = async (who: Member) => {
    const res = await who.client.get('/api/v1/circles');
    expect(res.statusCode, res.body).toBe(200);
    return circlesResponseSchema.parse(res.json());
  };
  const invite = (from: Member, body: unknown) =>
    from.client.post('/api/v1/circles/invitations', body);

  it('finds someone by handle with their real key bundle; unknown and blocked read the same', async () => {
    const found = await sam.client.get('/api/v1/circles/people?handle=ADA');
    expect(found.statusCode, found.body).toBe(200);
    expect(personSchema.parse(found.json())).toEqual({
      accountId: ada.accountId,
      handle: 'ada',
      publicKeyBundle: ada.person.accountKeys().publicKeyBundle,
    });

    const unknown = await sam.client.get('/api/v1/circles/people?handle=nobody');
    expect(
      (await ada.client.post('/api/v1/circles/blocks', { accountId: sam.accountId })).statusCode,
    ).toBe(201);
    const blocked = await sam.client.get('/api/v1/circles/people?handle=ada');
    expect(unknown.statusCode).toBe(404);
    expect(blocked.statusCode).toBe(404);
    const strip = (b: string) => {
      const body = JSON.parse(b) as { error: Record<string, unknown> };
      return { error: { ...body.error, requestId: '' } };
    };
    expect(strip(blocked.body)).toEqual(strip(unknown.body));
    // The one who blocked can still look the other up (to unblock).
    expect((await ada.client.get('/api/v1/circles/people?handle=sam')).statusCode).toBe(200);

    expect((await new TestClient(t.app).get('/api/v1/circles/people?handle=ada')).statusCode).toBe(
      401,
    );
    const bad = await sam.client.get('/api/v1/circles/people');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('limits handle look-ups per account (60 a minute)', async () => {
    for (let i = 0; i < 60; i++) {
      const res = await sam.client.get(`/api/v1/circles/people?handle=guess${i}`);
      expect(res.statusCode).toBe(404);
    }
    const limited = await sam.client.get('/api/v1/circles/people?handle=ada');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Another account has its own allowance.
    expect((await bo.client.get('/api/v1/circles/people?handle=ada')).statusCode).toBe(200);
  });

  it('invitation by handle → accept: membership, events to both, one notification', async () => {
    const body = await handleInvitationBody(sam, ada);
    const sent = await invite(sam, body);
    expect(sent.statusCode, sent.body).toBe(201);
    expect(invitationSchema.parse(sent.json())).toMatchObject({
      id: body.id,
      owner: { accountId: sam.accountId, handle: 'sam' },
      invitee: { accountId: ada.accountId, handle: 'ada' },
      kind: 'handle',
      status: 'pending',
      ask: body.ask,
      shareKey: body.shareKey,
      reply: null,
      expiresAt: new Date(clock.getTime() + 14 * 24 * 3_600_000).toISOString(),
    });
    expect((await circles(ada)).invitationsReceived.map((i) => i.id)).toEqual([body.id]);
    expect((await circles(sam)).invitationsSent.map((i) => i.id)).toEqual([body.id]);
    const outbox = await t.handle.db.selectFrom('notify_outbox').selectAll().execute();
    expect(
      outbox.map((r) => [r.account_id, r.kind, r.channel, JSON.parse(r.payload) as unknown]),
    ).toEqual([
      [
        ada.accountId,
        'invitation',
        'email',
        { title: 'Tend', body: 'You have a new invitation in Tend', path: '/circle/invitations' },
      ],
    ]);

    // Only the invitee may answer: the owner and a stranger get the unknown-id answer.
    for (const who of [sam, bo]) {
      const res = await who.client.post(`/api/v1/circles/invitations/${body.id}/answer`, {
        accept: true,
      });
      expect(res.statusCode).toBe(404);
    }
    const reply = (await handleInvitationBody(sam, ada)).ask;
    const accepted = await ada.client.post(`/api/v1/circles/invitations/${body.id}/answer`, {
      accept: true,
      reply,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      reply,
      answeredAt: clock.toISOString(),
    });

    const mine = await circles(sam);
    expect(mine.mine.map((m) => [m.owner.handle, m.member.handle, m.since])).toEqual([
      ['sam', 'ada', clock.toISOString()],
    ]);
    expect((await circles(ada)).supporting.map((m) => m.owner.handle)).toEqual(['sam']);
    expect((await circles(bo)).mine).toEqual([]);

    const inv = { type: 'invitation.changed', data: { invitationId: body.id } };
    const circle = {
      type: 'circle.changed',
      data: { ownerId: sam.accountId, memberId: ada.accountId },
    };
    expect(await eventsOf(t, sam)).toEqual([inv, inv, circle]);
    expect(await eventsOf(t, ada)).toEqual([inv, inv, circle]);
    expect(await eventsOf(t, bo)).toEqual([]);

    // Answered: again is 409, and inviting a member again is 409 already_in_circle.
    const again = await ada.client.post(`/api/v1/circles/invitations/${body.id}/answer`, {
      accept: false,
    });
    expect(again.json()).toMatchObject({ error: { code: 'invitation_closed' } });
    const twice = await invite(sam, await handleInvitationBody(sam, ada));
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: { code: 'already_in_circle' } });
  });

  it('invitation by handle → decline, cancel and expiry; each is final', async () => {
    const declined = await handleInvitationBody(sam, ada);
    await invite(sam, declined);
    const d = await ada.client.post(`/api/v1/circles/invitations/${declined.id}/answer`, {
      accept: false,
    });
    expect(d.json()).toMatchObject({ status: 'declined' });
    expect((await circles(sam)).mine).toEqual([]);

    const cancelled = await handleInvitationBody(sam, ada);
    await invite(sam, cancelled);
    // Only the owner can withdraw it; the invitee and a stranger get 404.
    for (const who of [ada, bo]) {
      expect(
        (await who.client.delete(`/api/v1/circles/invitations/${cancelled.id}`)).statusCode,
      ).toBe(404);
    }
    const c = await sam.client.delete(`/api/v1/circles/invitations/${cancelled.id}`);
    expect(c.json()).toMatchObject({ status: 'cancelled' });
    const late = await ada.client.post(`/api/v1/circles/invitations/${cancelled.id}/answer`, {
      accept: true,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'invitation_closed' } });

    const expiring = { ...(await handleInvitationBody(sam, ada)), expiresInHours: 1 };
    await invite(sam, expiring);
    clock = new Date(clock.getTime() + 3_600_000);
    expect((await circles(ada)).invitationsReceived.find((i) => i.id === expiring.id)?.status).toBe(
      'expired',
    );
    const tooLate = await ada.client.post(`/api/v1/circles/invitations/${expiring.id}/answer`, {
      accept: true,
    });
    expect(tooLate.json()).toMatchObject({ error: { code: 'invitation_closed' } });
    expect((await circles(sam)).mine).toEqual([]);
  });

  it('invitation by link: anyone reads it, a signed-in person answers, then it is gone', async () => {
    const { token, body } = linkInvitationBody(sam);
    const sent = await invite(sam, body);
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ kind: 'link', invitee: null, shareKey: null });

    const visitor = new TestClient(t.app);
    const read = await visitor.get(`/api/v1/circles/links/${token}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.headers['cache-control']).toBe('no-store');
    expect(linkInvitationSchema.parse(read.json())).toEqual({
      id: body.id,
      owner: {
        accountId: sam.accountId,
        handle: 'sam',
        publicKeyBundle: sam.person.accountKeys().publicKeyBundle,
      },
      ask: body.ask,
      status: 'pending',
      expiresAt: new Date(clock.getTime() + 14 * 24 * 3_600_000).toISOString(),
    });
    expect((await visitor.get(`/api/v1/circles/links/${'x'.repeat(43)}`)).statusCode).toBe(404);
    expect(
      (await visitor.post(`/api/v1/circles/links/${token}/answer`, { accept: true })).statusCode,
    ).toBe(401);
    const own = await sam.client.post(`/api/v1/circles/links/${token}/answer`, { accept: true });
    expect(own.statusCode).toBe(400);

    const answered = await bo.client.post(`/api/v1/circles/links/${token}/answer`, {
      accept: true,
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({
      status: 'accepted',
      invitee: { accountId: bo.accountId, handle: 'bo' },
    });
    expect((await circles(sam)).mine.map((m) => m.member.handle)).toEqual(['bo']);

    const gone = await visitor.get(`/api/v1/circles/links/${token}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: { code: 'link_gone' } });
    const second = await ada.client.post(`/api/v1/circles/links/${token}/answer`, {
      accept: true,
    });
    expect(second.statusCode).toBe(410);

    // An expired link is gone too, as is a withdrawn one.
    const expiring = linkInvitationBody(sam);
    await invite(sam, { ...expiring.body, expiresInHours: 2 });
    const withdrawn = linkInvitationBody(sam);
    await invite(sam, withdrawn.body);
    await sam.client.delete(`/api/v1/circles/invitations/${withdrawn.body.id}`);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    expect((await visitor.get(`/api/v1/circles/links/${expiring.token}`)).statusCode).toBe(410);
    expect((await visitor.get(`/api/v1/circles/links/${withdrawn.token}`)).statusCode).toBe(410);
  });

  it('refuses bad invitations with a code, and writes nothing', async () => {
    const before = await footprint(t);
    const good = await handleInvitationBody(sam, ada);
    const cases: [unknown, number, string][] = [
      [{ ...good, inviteeId: undefined }, 400, 'invalid_input'], // neither handle nor link
      [{ ...good, shareKey: undefined }, 400, 'invalid_input'], // by handle without a key
      [
        { ...good, linkTokenHash: linkInvitationBody(sam).body.linkTokenHash },
        400,
        'invalid_input',
      ],
      [{ ...good, ask: 'not-an-envelope' }, 400, 'invalid_input'],
      [{ ...good, extra: 1 }, 400, 'invalid_input'],
      [{ ...(await handleInvitationBody(sam, sam)) }, 400, 'invalid_input'], // myself
      [{ ...good, inviteeId: generateId() }, 404, 'not_found'], // nobody
    ];
    for (const [body, status, code] of cases) {
      const res = await invite(sam, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json()).toMatchObject({ error: { code } });
    }
    expect(await footprint(t)).toEqual(before);

    expect((await invite(sam, good)).statusCode).toBe(201);
    const dup = await invite(sam, { ...(await handleInvitationBody(sam, bo)), id: good.id });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: { code: 'conflict' } });
  });

  it('allows 30 invitations a day per account, then 429 until a day has passed', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await invite(sam, linkInvitationBody(sam).body);
      expect(res.statusCode, res.body).toBe(201);
    }
    const before = await footprint(t);
    const limited = await invite(sam, await handleInvitationBody(sam, ada));
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(await footprint(t)).toEqual(before);
    expect((await invite(ada, await handleInvitationBody(ada, sam))).statusCode).toBe(201);
    clock = new Date(clock.getTime() + 24 * 3_600_000 + 1);
    expect((await invite(sam, await handleInvitationBody(sam, ada))).statusCode).toBe(201);
  });

  it('shows the owner who is paused or in quiet hours', async () => {
    await joinCircle(sam, ada);
    await joinCircle(sam, bo);
    const until = new Date(clock.getTime() + 3_600_000).toISOString();
    await t.handle.db
      .insertInto('notify_settings')
      .values([
        {
          account_id: ada.accountId,
          email: 1,
          push: 1,
          quiet_start: null,
          quiet_end: null,
          time_zone: null,
          paused_until: until,
          updated_at: clock.toISOString(),
        },
        {
          account_id: bo.accountId,
          email: 1,
          push: 1,
          quiet_start: '11:00',
          quiet_end: '13:00',
          time_zone: 'UTC',
          paused_until: null,
          updated_at: clock.toISOString(),
        },
      ])
      .execute();
    const mine = (await circles(sam)).mine;
    expect(mine.map((m) => [m.member.handle, m.pausedUntil, m.quietHours])).toEqual([
      ['ada', until, null],
      ['bo', null, { start: '11:00', end: '13:00', timeZone: 'UTC', now: true }],
    ]);
  });

  it('removal and leaving end the membership and every share at once', async () => {
    await joinCircle(sam, ada);
    await joinCircle(sam, bo);
    await joinCircle(ada, sam); // the other way round: untouched by sam removing ada
    const key = await makeCollection(sam, 'to-ada');
    const share = await ada.client.put('/api/v1/shares/s-ada', {}); // a member cannot share sam's
    expect(share.statusCode).toBe(400);
    const put = await sam.client.put('/api/v1/shares/s-ada', {
      collection: 'to-ada',
      memberId: ada.accountId,
      keyId: 1,
      shareKey: await shareKeyFor(sam, ada, 's-ada', key),
    });
    expect(put.statusCode, put.body).toBe(201);
    expect((await ada.client.get(`/api/v1/shares/${sam.accountId}/to-ada/items`)).statusCode).toBe(
      200,
    );

    // A stranger, or the member themself through the owner's route, cannot remove anyone.
    expect(
      (await bo.client.delete(`/api/v1/circles/mine/members/${ada.accountId}`)).statusCode,
    ).toBe(404);
    const removed = await sam.client.delete(`/api/v1/circles/mine/members/${ada.accountId}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await ada.client.get(`/api/v1/shares/${sam.accountId}/to-ada/items`)).statusCode).toBe(
      404,
    );
    expect(await t.handle.db.selectFrom('vault_shares').selectAll().execute()).toEqual([]);
    expect((await eventsOf(t, ada)).slice(-2)).toEqual([
      { type: 'circle.changed', data: { ownerId: sam.accountId, memberId: ada.accountId } },
      { type: 'share.changed', data: { ownerId: sam.accountId, collection: 'to-ada' } },
    ]);
    expect((await circles(sam)).supporting.map((m) => m.owner.handle)).toEqual(['ada']);
    expect(
      (await sam.client.delete(`/api/v1/circles/mine/members/${ada.accountId}`)).statusCode,
    ).toBe(404);

    // Leaving: only the member leaves; the owner's id in someone else's request is 404.
    expect(
      (await ada.client.delete(`/api/v1/circles/supporting/${sam.accountId}`)).statusCode,
    ).toBe(404);
    expect((await bo.client.delete(`/api/v1/circles/supporting/${sam.accountId}`)).statusCode).toBe(
      204,
    );
    expect((await circles(sam)).mine).toEqual([]);
    expect((await eventsOf(t, sam)).at(-1)).toEqual({
      type: 'circle.changed',
      data: { ownerId: sam.accountId, memberId: bo.accountId },
    });
  });

  it('blocking ends memberships both ways, cancels invitations and drops shares', async () => {
    await joinCircle(sam, ada);
    await joinCircle(ada, sam);
    const key = await makeCollection(sam, 'to-ada');
    await sam.client.put('/api/v1/shares/s1', {
      collection: 'to-ada',
      memberId: ada.accountId,
      keyId: 1,
      shareKey: await shareKeyFor(sam, ada, 's1', key),
    });
    const pending = await handleInvitationBody(ada, bo);
    await ada.client.post('/api/v1/circles/invitations', pending);
    const fromBo = await handleInvitationBody(bo, sam);
    await bo.client.post('/api/v1/circles/invitations', fromBo);
    await joinCircle(bo, ada);

    const blocked = await sam.client.post('/api/v1/circles/blocks', { accountId: ada.accountId });
    expect(blocked.statusCode, blocked.body).toBe(201);
    expect(blocked.json()).toEqual({
      accountId: ada.accountId,
      handle: 'ada',
      createdAt: clock.toISOString(),
    });
    expect((await circles(sam)).mine).toEqual([]);
    expect((await circles(sam)).supporting).toEqual([]);
    expect(await t.handle.db.selectFrom('vault_shares').selectAll().execute()).toEqual([]);
    expect((await ada.client.get(`/api/v1/shares/${sam.accountId}/to-ada/items`)).statusCode).toBe(
      404,
    );
    // Bo's invitations and membership have nothing to do with it.
    expect((await circles(bo)).mine.map((m) => m.member.handle)).toEqual(['ada']);
    expect((await circles(sam)).invitationsReceived.find((i) => i.id === fromBo.id)?.status).toBe(
      'pending',
    );

    // Neither can invite the other now; the blocked one cannot find the blocker.
    const again = await ada.client.post(
      '/api/v1/circles/invitations',
      await handleInvitationBody(ada, sam),
    );
    expect(again.statusCode).toBe(404);
    const back = await sam.client.post(
      '/api/v1/circles/invitations',
      await handleInvitationBody(sam, ada),
    );
    expect(back.statusCode).toBe(404);
    const list = await sam.client.get('/api/v1/circles/blocks');
    expect(blocksResponseSchema.parse(list.json()).blocked.map((b) => b.handle)).toEqual(['ada']);
    expect((await ada.client.get('/api/v1/circles/blocks')).json()).toEqual({ blocked: [] });

    // A pending invitation between them is cancelled by a block.
    const toBo = await handleInvitationBody(sam, bo);
    await sam.client.post('/api/v1/circles/invitations', toBo);
    await bo.client.post('/api/v1/circles/blocks', { accountId: sam.accountId });
    const sent = (await circles(sam)).invitationsSent.find((i) => i.id === toBo.id);
    expect(sent?.status).toBe('cancelled');
    expect((await circles(sam)).invitationsReceived.find((i) => i.id === fromBo.id)?.status).toBe(
      'cancelled',
    );

    // Unblocking brings nothing back; only the blocker can unblock.
    expect((await ada.client.delete(`/api/v1/circles/blocks/${sam.accountId}`)).statusCode).toBe(
      404,
    );
    expect((await sam.client.delete(`/api/v1/circles/blocks/${ada.accountId}`)).statusCode).toBe(
      204,
    );
    expect((await circles(sam)).mine).toEqual([]);
    expect(
      (await sam.client.post('/api/v1/circles/blocks', { accountId: sam.accountId })).statusCode,
    ).toBe(400);
    expect(
      (await sam.client.post('/api/v1/circles/blocks', { accountId: generateId() })).statusCode,
    ).toBe(404);
  });
});
