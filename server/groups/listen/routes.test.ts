import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  askSchema,
  asksResponseSchema,
  feedbackResponseSchema,
  LISTEN_RATE_LIMITS,
  listenWindowResponseSchema,
} from '../../../core/src/groups/listen-api.js';
import { conversationDetailSchema } from '../../../core/src/conversations/api.js';
import { messageBody } from '../../conversations/test-fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { seedGroup } from '../threads/test-fixtures.js';
import { ASK_NOTIFICATION } from './use-cases.js';
import { askToTalk, footprint, listen, member, openBody, type Member } from './test-fixtures.js';

const ask = (id: string, rest = '') => `/api/v1/listen/asks/${id}${rest}`;

/** Every number anywhere in a JSON answer, outside a public key bundle (key ids): there are none. */
function numbersIn(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      k === 'publicKeyBundle' ? [] : numbersIn(v, `${path}.${k}`),
    );
  }
  return [];
}

describeEachEngine('someone to talk to', (engine) => {
  let t: TestApp;
  let ms = Date.now();
  const clock = () => new Date(ms);
  const later = (minutes: number) => (ms += minutes * 60_000);
  let asker: Member; // in no group: anyone signed in may ask
  let lee: Member; // listener, English, grief
  let fran: Member; // listener, French
  let jo: Member; // listener, English, any topic
  let stranger: Member; // in no group

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
  });
  afterAll(async () => t.close());

  // Fresh people each test, so asks, windows and rate limits never leak between tests.
  let n = 0;
  beforeEach(async () => {
    later(120);
    n++;
    [asker, lee, fran, jo, stranger] = (await Promise.all(
      ['asker', 'lee', 'fran', 'jo', 'stranger'].map((h) => member(t, `${h}-${n}`)),
    )) as [Member, Member, Member, Member, Member];
    await seedGroup(t, {
      now: clock(),
      members: [
        { who: lee, role: 'facilitator' },
        { who: fran, role: 'member' },
        { who: jo, role: 'member' },
      ],
    });
  });

  const outboxOf = (who: Member) =>
    t.handle.db
      .selectFrom('notify_outbox')
      .selectAll()
      .where('account_id', '=', who.accountId)
      .execute();
  const listenEvents = async (who: Member) =>
    (
      await t.handle.db
        .selectFrom('events')
        .select(['type', 'data'])
        .where('account_id', '=', who.accountId)
        .where('type', 'like', 'listen.%')
        .execute()
    ).map((e) => e.type);

  it('keeps a listening window: members of a group only, at most 12 hours, stopped any time', async () => {
    const now = clock();
    const iso = (m: number) => new Date(now.getTime() + m * 60_000).toISOString();
    const body = { from: iso(0), until: iso(60), topics: ['grief'], languages: ['en'], words: '' };
    const before = await footprint(t);
    const refused = [
      [stranger, body, 403, 'not_a_group_member'],
      [lee, { ...body, until: iso(12 * 60 + 1) }, 400, 'window_too_long'],
      [lee, { ...body, until: iso(-1) }, 400, 'invalid_input'],
      [lee, { ...body, from: iso(-120), until: iso(-60) }, 400, 'window_ended'],
      [lee, { ...body, topics: ['diagnosis'] }, 400, 'invalid_input'],
      [lee, { ...body, languages: ['en', 'en'] }, 400, 'invalid_input'],
      [lee, { ...body, words: 'x'.repeat(301) }, 400, 'invalid_input'],
      [lee, { ...body, score: 5 }, 400, 'invalid_input'],
    ] as const;
    for (const [who, b, status, code] of refused) {
      const res = await who.client.put('/api/v1/listen/window', b);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
    }
    expect(await footprint(t)).toEqual(before);

    expect((await lee.client.put('/api/v1/listen/window', body)).statusCode).toBe(200);
    let mine = listenWindowResponseSchema.parse(
      (await lee.client.get('/api/v1/listen/window')).json(),
    );
    expect(mine.window).toMatchObject({ topics: ['grief'], languages: ['en'], active: true });
    // It ends by itself.
    later(61);
    mine = listenWindowResponseSchema.parse((await lee.client.get('/api/v1/listen/window')).json());
    expect(mine.window?.active).toBe(false);
    expect(
      (await lee.client.put('/api/v1/listen/window', { ...body, from: iso(61), until: iso(120) }))
        .statusCode,
    ).toBe(200);
    expect((await lee.client.delete('/api/v1/listen/window')).statusCode).toBe(204);
    mine = listenWindowResponseSchema.parse((await lee.client.get('/api/v1/listen/window')).json());
    expect(mine.window).toBeNull();
  });

  it('offers an ask only to open windows that match its language and topic, in fixed words', async () => {
    await listen(lee, clock(), { topics: ['grief'], languages: ['en'] });
    await listen(fran, clock(), { topics: ['grief'], languages: ['fr'] });
    await listen(jo, clock(), { topics: ['anxiety'], languages: ['en'] });
    const a = await askToTalk(asker, { topics: ['grief'], languages: ['en'] });
    expect(a).toMatchObject({ role: 'asker', status: 'open', other: null });

    expect(await listenEvents(lee)).toEqual(['listen.ask.changed']);
    expect(await listenEvents(fran)).toEqual([]);
    expect(await listenEvents(jo)).toEqual([]);
    const rows = await outboxOf(lee);
    expect(rows.map((r) => [r.kind, r.channel])).toEqual([['listen', 'email']]);
    expect(JSON.parse(rows[0]!.payload)).toEqual(ASK_NOTIFICATION);
    for (const r of rows) {
      expect(r.payload).not.toContain(asker.handle);
      expect(r.payload).not.toContain(asker.accountId);
    }
    expect(await outboxOf(fran)).toEqual([]);
    expect(await outboxOf(jo)).toEqual([]);

    // The candidate sees what was hoped for, never who asked.
    const seen = await lee.client.get(ask(a.id));
    expect(seen.statusCode).toBe(200);
    expect(askSchema.parse(seen.json())).toMatchObject({
      role: 'candidate',
      status: 'open',
      other: null,
    });
    expect(seen.body).not.toContain(asker.accountId);
    expect(seen.body).not.toContain(asker.handle);
    expect((await jo.client.get(ask(a.id))).statusCode).toBe(404);

    // An ask with no hopes matches any open window; a window opened later is offered open asks.
    await asker.client.post(ask(a.id, '/withdraw'));
    const any = await askToTalk(asker);
    const list = asksResponseSchema.parse((await jo.client.get('/api/v1/listen/asks')).json());
    expect(list.asks.map((x) => x.id)).toContain(any.id);
    await seedGroup(t, { now: clock(), members: [{ who: stranger, role: 'member' }] });
    await listen(stranger, clock());
    expect(await listenEvents(stranger)).toEqual(['listen.ask.changed']);
    expect((await outboxOf(stranger)).map((r) => r.kind)).toEqual(['listen']);
  });

  it('lets exactly one of two listeners accepting at once have it; the other sees it taken', async () => {
    await listen(lee, clock());
    await listen(jo, clock());
    const a = await askToTalk(asker);
    const [r1, r2] = await Promise.all([
      lee.client.post(ask(a.id, '/accept')),
      jo.client.post(ask(a.id, '/accept')),
    ]);
    const codes = [r1.statusCode, r2.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    expect(loser.json<{ error: { code: string } }>().error.code).toBe('taken');
    const [winner, other] = r1.statusCode === 200 ? [lee, jo] : [jo, lee];
    const won = askSchema.parse((r1.statusCode === 200 ? r1 : r2).json());
    expect(won).toMatchObject({ role: 'listener', status: 'accepted' });
    expect(won.other?.accountId).toBe(asker.accountId);
    expect(won.other?.publicKeyBundle).not.toBeNull();
    const row = await t.handle.db
      .selectFrom('listen_asks')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.listener_id).toBe(winner.accountId);

    const lost = await other.client.get(ask(a.id));
    expect(askSchema.parse(lost.json())).toMatchObject({
      role: 'candidate',
      status: 'taken',
      other: null,
    });
    expect(lost.body).not.toContain(asker.accountId);
    expect(lost.body).not.toContain(winner.accountId);
    // The asker sees who is with them.
    const mine = askSchema.parse((await asker.client.get(ask(a.id))).json());
    expect(mine.other).toMatchObject({
      accountId: winner.accountId,
      words: 'Happy to just sit with you.',
    });
  });

  it('opens a listen conversation, ends it for both, and carries kind words to the other only', async () => {
    await listen(lee, clock());
    await listen(jo, clock());
    const a = await askToTalk(asker);
    expect((await lee.client.post(ask(a.id, '/accept'))).statusCode).toBe(200);
    const body = await openBody(lee, asker);
    const opened = await lee.client.post(ask(a.id, '/conversation'), body);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(askSchema.parse(opened.json())).toMatchObject({
      status: 'talking',
      conversationId: body.id,
    });
    // A retry answers the same.
    expect((await lee.client.post(ask(a.id, '/conversation'), body)).statusCode).toBe(200);
    const conv = conversationDetailSchema.parse(
      (await asker.client.get(`/api/v1/conversations/${body.id}`)).json(),
    );
    expect(conv).toMatchObject({ context: 'listen', contextId: a.id, closedAt: null });
    expect(conv.other?.accountId).toBe(lee.accountId);

    // Feedback only after the end.
    const kind = { words: ['thank-you', 'this-helped'], text: 'You were so patient.' };
    expect((await asker.client.post(ask(a.id, '/feedback'), kind)).statusCode).toBe(409);

    const ended = await asker.client.post(ask(a.id, '/end'));
    expect(ended.statusCode, ended.body).toBe(200);
    expect(askSchema.parse(ended.json()).status).toBe('ended');
    const after = conversationDetailSchema.parse(
      (await lee.client.get(`/api/v1/conversations/${body.id}`)).json(),
    );
    expect(after.closedAt).not.toBeNull();
    // Both can still read it: ending closes it, nobody was made to leave.
    const mine = conversationDetailSchema.parse(
      (await asker.client.get(`/api/v1/conversations/${body.id}`)).json(),
    );
    expect(mine.closedAt).toBe(after.closedAt);
    expect(mine.other?.leftAt).toBeNull();
    expect(after.other?.leftAt).toBeNull();
    // Nothing more can be sent in it, by either.
    expect(
      (
        await asker.client.post(
          `/api/v1/conversations/${body.id}/messages`,
          messageBody(body.id, asker, new Uint8Array(32), 'hi'),
        )
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await lee.client.post(
          `/api/v1/conversations/${body.id}/messages`,
          messageBody(body.id, lee, new Uint8Array(32), 'hi'),
        )
      ).statusCode,
    ).toBe(409);
    expect((await lee.client.post(ask(a.id, '/end'))).statusCode).toBe(409);

    const before = await footprint(t);
    for (const bad of [
      { words: [] },
      { words: ['5-stars'] },
      { words: ['thank-you'], rating: 5 },
      { words: ['thank-you'], text: 'x'.repeat(501) },
    ]) {
      const res = await asker.client.post(ask(a.id, '/feedback'), bad);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
    }
    expect((await jo.client.post(ask(a.id, '/feedback'), kind)).statusCode).toBe(404);
    expect(await footprint(t)).toEqual(before);

    expect((await asker.client.post(ask(a.id, '/feedback'), kind)).statusCode).toBe(204);
    const again = await asker.client.post(ask(a.id, '/feedback'), kind);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('feedback_given');
    const leeGot = feedbackResponseSchema.parse(
      (await lee.client.get('/api/v1/listen/feedback')).json(),
    );
    expect(leeGot.feedback).toEqual([
      {
        askId: a.id,
        words: ['thank-you', 'this-helped'],
        text: 'You were so patient.',
        createdAt: clock().toISOString(),
      },
    ]);
    for (const who of [asker, jo, stranger]) {
      expect(
        feedbackResponseSchema.parse((await who.client.get('/api/v1/listen/feedback')).json())
          .feedback,
      ).toEqual([]);
    }
    expect(await listenEvents(lee)).toContain('listen.feedback');
    expect(await listenEvents(asker)).not.toContain('listen.feedback');

    // No route says anything countable about a listener: no numbers at all in any answer.
    for (const [who, path] of [
      [asker, '/api/v1/listen/asks'],
      [asker, ask(a.id)],
      [lee, ask(a.id)],
      [lee, '/api/v1/listen/asks'],
      [lee, '/api/v1/listen/feedback'],
      [lee, '/api/v1/listen/window'],
      [jo, '/api/v1/listen/asks'],
    ] as const) {
      const res = await who.client.get(path);
      expect(res.statusCode).toBe(200);
      expect(numbersIn(res.json()), path).toEqual([]);
    }
  });

  it('lets an ask expire calmly after 30 minutes, and the asker withdraw', async () => {
    await listen(lee, clock(), {}, 4);
    const a = await askToTalk(asker);
    later(31);
    expect(askSchema.parse((await asker.client.get(ask(a.id))).json()).status).toBe('expired');
    const late = await lee.client.post(ask(a.id, '/accept'));
    expect(late.json<{ error: { code: string } }>().error.code).toBe('ask_closed');

    const b = await askToTalk(asker);
    const w = await asker.client.post(ask(b.id, '/withdraw'));
    expect(askSchema.parse(w.json()).status).toBe('withdrawn');
    expect(
      (await lee.client.post(ask(b.id, '/accept'))).json<{ error: { code: string } }>().error.code,
    ).toBe('ask_closed');
    expect((await asker.client.post(ask(b.id, '/withdraw'))).statusCode).toBe(409);
    // Withdrawn after acceptance, before the conversation: the listener cannot open it.
    const c = await askToTalk(asker);
    expect((await lee.client.post(ask(c.id, '/accept'))).statusCode).toBe(200);
    expect((await asker.client.post(ask(c.id, '/withdraw'))).statusCode).toBe(200);
    const open = await lee.client.post(ask(c.id, '/conversation'), await openBody(lee, asker));
    expect(open.json<{ error: { code: string } }>().error.code).toBe('ask_closed');
    expect(
      await t.handle.db
        .selectFrom('conversations')
        .selectAll()
        .where('context_id', '=', c.id)
        .execute(),
    ).toEqual([]);
  });

  it('never pairs people who blocked each other, either way, nor anyone with themselves', async () => {
    await listen(lee, clock());
    await listen(jo, clock());
    await listen(fran, clock(), { languages: [] });
    expect(
      (await asker.client.post('/api/v1/circles/blocks', { accountId: lee.accountId })).statusCode,
    ).toBe(201);
    expect(
      (await jo.client.post('/api/v1/circles/blocks', { accountId: asker.accountId })).statusCode,
    ).toBe(201);
    const a = await askToTalk(asker);
    expect(await listenEvents(lee)).toEqual([]);
    expect(await listenEvents(jo)).toEqual([]);
    expect(await listenEvents(fran)).toEqual(['listen.ask.changed']);
    for (const who of [lee, jo]) {
      expect((await who.client.get(ask(a.id))).statusCode).toBe(404);
      expect((await who.client.post(ask(a.id, '/accept'))).statusCode).toBe(404);
    }
    // Blocked after the offer: the offer is gone.
    expect(
      (await fran.client.post('/api/v1/circles/blocks', { accountId: asker.accountId })).statusCode,
    ).toBe(201);
    expect((await fran.client.post(ask(a.id, '/accept'))).statusCode).toBe(404);

    // A listener who asks is not offered their own ask.
    await asker.client.post(ask(a.id, '/withdraw'));
    const own = await askToTalk(jo);
    expect((await jo.client.post(ask(own.id, '/accept'))).statusCode).toBe(404);
    const row = await t.handle.db
      .selectFrom('listen_ask_candidates')
      .selectAll()
      .where('ask_id', '=', own.id)
      .execute();
    expect(row.map((r) => r.account_id)).not.toContain(jo.accountId);
  });

  it('allows one ask at a time and a few an hour; refuses bad input with no write', async () => {
    const first = await askToTalk(asker);
    const twice = await asker.client.post('/api/v1/listen/asks', {});
    expect(twice.json<{ error: { code: string } }>().error.code).toBe('already_asking');
    await asker.client.post(ask(first.id, '/withdraw'));
    for (let i = 0; i < 3; i++) {
      const a = await askToTalk(asker);
      await asker.client.post(ask(a.id, '/withdraw'));
    }
    const before = await footprint(t);
    const limited = await asker.client.post('/api/v1/listen/asks', {});
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
    for (const bad of [
      { topics: ['x'] },
      { languages: ['not a language'] },
      { note: 'I feel awful' },
      [],
    ]) {
      const res = await stranger.client.post('/api/v1/listen/asks', bad);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
    }
    for (const path of ['/accept', '/withdraw', '/end']) {
      expect(
        (await stranger.client.post(`/api/v1/listen/asks/${'!'.repeat(3)}${path}`)).statusCode,
      ).toBe(400);
    }
    expect((await lee.client.post(ask(first.id, '/conversation'), { id: 'x' })).statusCode).toBe(
      400,
    );
    expect(await footprint(t)).toEqual(before);
    later(61);
    await askToTalk(asker);
  });

  it(`limits each route per minute (${LISTEN_RATE_LIMITS.writesPerMinute} changes, ${LISTEN_RATE_LIMITS.readsPerMinute} reads), then 429 rate_limited`, async () => {
    await listen(lee, clock());
    for (let i = 0; i < LISTEN_RATE_LIMITS.writesPerMinute; i++) {
      const res = await lee.client.delete('/api/v1/listen/window');
      expect(res.statusCode, res.body).toBe(204);
    }
    // Each route counts on its own: PUT still has room, DELETE has none.
    await listen(lee, clock());
    const refused = await lee.client.delete('/api/v1/listen/window');
    expect(refused.statusCode).toBe(429);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The refused stop changed nothing: the window set just before is still there.
    const window = listenWindowResponseSchema.parse(
      (await lee.client.get('/api/v1/listen/window')).json(),
    );
    expect(window.window).not.toBeNull();
    // Someone else has their own allowance.
    expect((await fran.client.delete('/api/v1/listen/window')).statusCode).toBe(204);

    for (let i = 1; i < LISTEN_RATE_LIMITS.readsPerMinute; i++) {
      const res = await jo.client.get('/api/v1/listen/feedback');
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await jo.client.get('/api/v1/listen/feedback')).statusCode).toBe(200);
    const tooMany = await jo.client.get('/api/v1/listen/feedback');
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
  });
});
