import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  boardResponseSchema,
  mineResponseSchema,
  postPageSchema,
  postWireSchema,
  type PostWire,
} from '../../core/src/aid/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import type { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import { createExpiryWorker, REMINDER_TEXT } from './expiry.js';
import {
  admin,
  aidFootprint,
  enableBoard,
  importTown,
  post,
  postBody,
  seedResponse,
  someone,
  type Someone,
} from './test-fixtures.js';

const DAY = 86_400_000;
type Err = { error: { code: string; message: string } };
const patch = (c: TestClient, url: string, body: unknown) => c.send('PATCH', url, { body });

describeEachEngine('the mutual aid board', (engine) => {
  let t: TestApp;
  let clock: Date;
  let mo: Someone, ada: Someone, bea: Someone, cy: Someone, dee: Someone;

  beforeEach(async () => {
    clock = new Date('2026-12-01T10:00:00.000Z');
    t = await createTestApp(engine, {
      now: () => clock,
      env: { NOTIFY_WORKER: 'false', SESSION_IDLE_HOURS: '2160', SESSION_MAX_HOURS: '8760' },
    });
    mo = await admin(t, 'mo');
    ada = await someone(t, 'ada');
    bea = await someone(t, 'bea');
    cy = await someone(t, 'cy');
    dee = await someone(t, 'dee');
    await t.handle.db
      .updateTable('accounts')
      .set({ email: 'ada@example.test' })
      .where('id', '=', ada.accountId)
      .execute();
  });
  afterEach(async () => t.close());

  async function setUp() {
    await enableBoard(mo);
    await importTown(mo);
    const res = await mo.client.put(
      `/api/v1/aid/communities/instance/coordinators/${cy.accountId}`,
    );
    expect(res.statusCode, res.body).toBe(200);
  }

  describe('communities', () => {
    it('are off on a new instance; a manager turns one on; others cannot', async () => {
      const off = await ada.client.post('/api/v1/aid/communities/instance/posts', postBody());
      expect(off.statusCode).toBe(403);
      expect(off.json<Err>().error.code).toBe('aid_board_off');
      const refused = await ada.client.put('/api/v1/aid/communities/instance/settings', {
        enabled: true,
        defaultExpiryDays: 30,
      });
      expect(refused.statusCode).toBe(403);
      expect(
        (await ada.client.get('/api/v1/aid/communities')).json<{ communities: unknown[] }>()
          .communities,
      ).toEqual([]);
      await enableBoard(mo, 'instance', 14);
      const list = (await ada.client.get('/api/v1/aid/communities')).json<{
        communities: unknown[];
      }>();
      expect(list.communities).toEqual([
        {
          community: 'instance',
          name: null,
          enabled: true,
          defaultExpiryDays: 14,
          coordinator: false,
          moderator: false,
          manager: false,
        },
      ]);
      const unknownGroup = await ada.client.get('/api/v1/aid/communities/group.nosuchgroup');
      expect(unknownGroup.statusCode).toBe(404);
    });

    it('coordinators are appointed and removed by managers, and listed to members', async () => {
      await setUp();
      const list = (await ada.client.get('/api/v1/aid/communities/instance/coordinators')).json<{
        coordinators: { handle: string }[];
      }>();
      expect(list.coordinators.map((c: { handle: string }) => c.handle)).toEqual(['cy']);
      const refused = await ada.client.put(
        `/api/v1/aid/communities/instance/coordinators/${bea.accountId}`,
      );
      expect(refused.statusCode).toBe(403);
      const nobody = await mo.client.put(
        `/api/v1/aid/communities/instance/coordinators/AAAAAAAAAAAAAAAAAAAAAA`,
      );
      expect(nobody.statusCode).toBe(404);
      const gone = await mo.client.send(
        'DELETE',
        `/api/v1/aid/communities/instance/coordinators/${cy.accountId}`,
      );
      expect(gone.statusCode).toBe(204);
      const again = await mo.client.send(
        'DELETE',
        `/api/v1/aid/communities/instance/coordinators/${cy.accountId}`,
      );
      expect(again.statusCode).toBe(404);
    });
  });

  describe('categories and areas', () => {
    it("lists built-ins and the instance's own; admins add, rename and retire", async () => {
      await setUp();
      const add = await mo.client.post('/api/v1/aid/categories', {
        id: 'firewood',
        label: 'Firewood',
      });
      expect(add.statusCode, add.body).toBe(201);
      expect(
        (await mo.client.post('/api/v1/aid/categories', { id: 'firewood', label: 'x' })).json<Err>()
          .error.code,
      ).toBe('category_taken');
      expect(
        (await ada.client.post('/api/v1/aid/categories', { id: 'logs', label: 'Logs' })).statusCode,
      ).toBe(403);
      await post(ada, { category: 'firewood' });
      const retire = await patch(mo.client, '/api/v1/aid/categories/firewood', { retired: true });
      expect(retire.json()).toEqual({
        id: 'firewood',
        label: 'Firewood',
        builtin: false,
        retired: true,
      });
      const before = await aidFootprint(t);
      const refused = await ada.client.post(
        '/api/v1/aid/communities/instance/posts',
        postBody({ category: 'firewood' }),
      );
      expect(refused.json<Err>().error.code).toBe('unknown_category');
      expect(await aidFootprint(t)).toEqual(before);
      const cats = (await ada.client.get('/api/v1/aid/categories')).json<{
        categories: { builtin: boolean }[];
      }>().categories;
      expect(cats.filter((c: { builtin: boolean }) => c.builtin)).toHaveLength(13);
      expect(cats.at(-1)).toMatchObject({ id: 'firewood', retired: true });
    });

    it('rounds centres, and an import is all or nothing with the row named', async () => {
      await setUp();
      const one = await mo.client.put('/api/v1/aid/areas/ls6', {
        name: 'LS6',
        lat: 53.81234,
        lon: -1.57899,
      });
      expect(one.json()).toEqual({
        id: 'ls6',
        name: 'LS6',
        parentId: null,
        lat: 53.81,
        lon: -1.58,
        retired: false,
      });
      const before = await aidFootprint(t);
      const bad = await mo.client.post('/api/v1/aid/areas/import', {
        areas: [
          { id: 'a1', name: 'A one', lat: 1, lon: 1 },
          { id: 'a2', name: 'A two', lat: 1, lon: 1, parentId: 'nowhere' },
        ],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<Err>().error.code).toBe('unknown_area');
      expect(bad.json<Err>().error.message).toContain('Row 2 (a2)');
      const cycle = await mo.client.post('/api/v1/aid/areas/import', {
        areas: [
          { id: 'c1', name: 'C one', lat: 1, lon: 1, parentId: 'c2' },
          { id: 'c2', name: 'C two', lat: 1, lon: 1, parentId: 'c1' },
        ],
      });
      expect(cycle.statusCode).toBe(400);
      const absurd = await mo.client.post('/api/v1/aid/areas/import', {
        areas: [{ id: 'x', name: 'X', lat: 91, lon: 0 }],
      });
      expect(absurd.statusCode).toBe(400);
      expect(await aidFootprint(t)).toEqual(before);
      expect(
        (await ada.client.put('/api/v1/aid/areas/mine', { name: 'M', lat: 0, lon: 0 })).statusCode,
      ).toBe(403);
    });
  });

  describe('posts', () => {
    it('are made with when, zone and amount, and read back; checks refuse bad input', async () => {
      await setUp();
      const p = await post(ada, {
        category: 'money',
        amount: { minor: 2500, currency: 'GBP' },
        when: { kind: 'by', until: '2026-12-05T17:00:00Z' },
        urgent: true,
        contentWarning: 'money worries',
      });
      expect(p).toMatchObject({
        kind: 'need',
        category: 'money',
        amount: { minor: 2500, currency: 'GBP' },
        area: { id: 'riverton-north', name: 'Riverton North' },
        status: 'open',
        urgent: true,
        author: { accountId: ada.accountId, handle: 'ada' },
        mine: true,
        // A day after the end of its `by`.
        expiresAt: '2026-12-06T17:00:00.000Z',
      });
      const page = postPageSchema.parse((await bea.client.get(`/api/v1/aid/posts/${p.id}`)).json());
      expect(page.mine).toBe(false);
      expect(page.authorKeys).not.toBeNull();

      const before = await aidFootprint(t);
      const cases: [Record<string, unknown>, string][] = [
        [{ when: { kind: 'by', until: '2026-11-30T10:00:00Z' } }, 'when_in_past'],
        [{ when: { kind: 'by', until: '2028-01-01T10:00:00Z' } }, 'when_too_far'],
        [{ when: { kind: 'by', until: '1999-01-01T10:00:00Z' } }, 'invalid_input'],
        [{ when: { kind: 'by', until: '2150-01-01T10:00:00Z' } }, 'invalid_input'],
        [{ areaId: 'atlantis' }, 'unknown_area'],
        [{ reachKm: 101 }, 'invalid_input'],
        [{ category: 'money', amount: { minor: 0, currency: 'GBP' } }, 'invalid_input'],
        [{ category: 'money', amount: { minor: 10_000_001, currency: 'GBP' } }, 'invalid_input'],
        [{ category: 'money', amount: { minor: 5, currency: 'XYZ' } }, 'invalid_input'],
        [{ amount: { minor: 5, currency: 'GBP' } }, 'invalid_input'],
        [{ kind: 'offer', urgent: true }, 'invalid_input'],
        [{ onBehalf: true }, 'forbidden'],
        [
          {
            when: {
              kind: 'recurring',
              start: '2026-12-03T10:00',
              timeZone: 'Mars/Olympus',
              durationMinutes: 60,
              rrule: 'FREQ=WEEKLY',
            },
          },
          'invalid_time_zone',
        ],
        [{ expiresInDays: 91 }, 'invalid_input'],
        [{ id: p.id }, 'conflict'],
      ];
      for (const [over, code] of cases) {
        const res = await ada.client.post('/api/v1/aid/communities/instance/posts', postBody(over));
        expect(res.json<Err>().error?.code, JSON.stringify(over)).toBe(code);
      }
      expect(await aidFootprint(t)).toEqual(before);
    });

    it('are edited by their author while open only', async () => {
      await setUp();
      const p = await post(ada);
      const edit = await patch(ada.client, `/api/v1/aid/posts/${p.id}`, {
        description: 'Now just milk and bread.',
        areaId: 'old-quay',
      });
      expect(edit.statusCode, edit.body).toBe(200);
      expect(edit.json()).toMatchObject({
        description: 'Now just milk and bread.',
        area: { id: 'old-quay' },
      });
      expect(
        (await patch(bea.client, `/api/v1/aid/posts/${p.id}`, { description: 'mine now' }))
          .statusCode,
      ).toBe(403);
      expect(
        (
          await patch(ada.client, `/api/v1/aid/posts/${p.id}`, {
            urgent: true,
            category: 'money',
            amount: { minor: 1, currency: 'GBP' },
          })
        ).statusCode,
      ).toBe(200);
      await ada.client.post(`/api/v1/aid/posts/${p.id}/status`, { to: 'withdrawn' });
      const closed = await patch(ada.client, `/api/v1/aid/posts/${p.id}`, { description: 'x' });
      expect(closed.statusCode).toBe(409);
      expect(closed.json<Err>().error.code).toBe('invalid_transition');
    });

    it('keep the flood guard and the daily limit, counted in the posting transaction', async () => {
      await setUp();
      for (let i = 0; i < 3; i++) await post(ada);
      const fourth = await ada.client.post('/api/v1/aid/communities/instance/posts', postBody());
      expect(fourth.statusCode).toBe(409);
      expect(fourth.json<Err>().error.code).toBe('open_post_limit');
      // Four at once from someone with one: only as many as the guard allows pass.
      await post(bea, { category: 'rides' });
      const racing = await Promise.all(
        Array.from({ length: 4 }, () =>
          bea.client.post(
            '/api/v1/aid/communities/instance/posts',
            postBody({ category: 'rides' }),
          ),
        ),
      );
      expect(racing.filter((r) => r.statusCode === 201)).toHaveLength(2);
      expect(racing.filter((r) => r.statusCode === 409)).toHaveLength(2);

      // Withdrawing one makes room.
      const mine = mineResponseSchema.parse((await ada.client.get('/api/v1/aid/mine')).json());
      await ada.client.post(`/api/v1/aid/posts/${mine.posts[0]!.id}/status`, {
        to: 'withdrawn',
      });
      await post(ada);
      // 4 posts so far today; 6 more in other categories make 10, and the 11th waits.
      for (const category of ['meals', 'rides', 'errands', 'meals', 'rides', 'errands']) {
        await post(ada, { category });
      }
      const eleventh = await ada.client.post(
        '/api/v1/aid/communities/instance/posts',
        postBody({ category: 'food' }),
      );
      expect(eleventh.statusCode).toBe(429);
      expect(eleventh.json<Err>().error.code).toBe('rate_limited');
      expect(Number(eleventh.headers['retry-after'])).toBe(86_400);
      clock = new Date(clock.getTime() + DAY + 1000);
      await post(ada, { category: 'food' });
    });
  });

  describe('the lifecycle through the API', () => {
    type Actor = 'author' | 'partner' | 'coordinator' | 'moderator' | 'other';
    type Setup = 'open' | 'helping' | 'done' | 'withdrawn' | 'withdrawn-by-moderator' | 'expired';
    // A fresh author per row (each row posts; the route limits count per minute).
    let author: Someone;
    let authors = 0;
    const who = (a: Actor) =>
      ({ author, partner: bea, coordinator: cy, moderator: mo, other: dee })[a];

    async function reach(kind: 'need' | 'offer', setup: Setup): Promise<PostWire> {
      author = await someone(t, `author${(authors += 1)}`);
      const ada = author;
      const p = await post(ada, { kind });
      const step = async (by: Someone, body: object) => {
        const res = await by.client.post(`/api/v1/aid/posts/${p.id}/status`, body);
        expect(res.statusCode, res.body).toBe(200);
      };
      if (setup === 'helping' || setup === 'done') {
        await seedResponse(t, p.id, bea.accountId, clock);
        await step(ada, { to: 'helping', partnerId: bea.accountId });
        if (setup === 'done') await step(kind === 'need' ? ada : bea, { to: 'done' });
      }
      if (setup === 'withdrawn') await step(ada, { to: 'withdrawn' });
      if (setup === 'withdrawn-by-moderator') await step(mo, { to: 'withdrawn' });
      if (setup === 'expired') {
        await t.handle.db
          .updateTable('aid_posts')
          .set({ status: 'expired' })
          .where('id', '=', p.id)
          .execute();
      }
      return p;
    }

    // [kind, from, to, actor, status wanted, code wanted]
    const table: ['need' | 'offer', Setup, string, Actor, number, string?][] = [
      ['need', 'open', 'done', 'author', 200],
      ['need', 'open', 'withdrawn', 'author', 200],
      ['need', 'open', 'withdrawn', 'moderator', 200],
      ['need', 'helping', 'open', 'author', 200],
      ['need', 'helping', 'open', 'partner', 200],
      ['need', 'helping', 'open', 'coordinator', 200],
      ['need', 'helping', 'done', 'author', 200],
      ['need', 'helping', 'done', 'coordinator', 200],
      ['need', 'helping', 'withdrawn', 'author', 200],
      ['need', 'helping', 'withdrawn', 'moderator', 200],
      ['need', 'expired', 'open', 'author', 200],
      ['need', 'withdrawn', 'open', 'author', 200],
      ['need', 'withdrawn-by-moderator', 'open', 'moderator', 200],
      ['offer', 'helping', 'done', 'partner', 200],
      // Refused.
      ['need', 'open', 'expired', 'author', 403, 'forbidden'],
      ['need', 'open', 'withdrawn', 'other', 403, 'forbidden'],
      ['need', 'open', 'withdrawn', 'coordinator', 403, 'forbidden'],
      ['need', 'helping', 'done', 'partner', 403, 'forbidden'],
      ['offer', 'helping', 'done', 'author', 403, 'forbidden'],
      ['offer', 'open', 'done', 'author', 409, 'invalid_transition'],
      ['need', 'done', 'open', 'author', 409, 'invalid_transition'],
      ['need', 'open', 'open', 'author', 409, 'invalid_transition'],
      ['need', 'expired', 'helping', 'author', 409, 'invalid_transition'],
      ['need', 'withdrawn-by-moderator', 'open', 'author', 403, 'forbidden'],
      ['need', 'withdrawn', 'open', 'moderator', 403, 'forbidden'],
    ];

    it('allows every change the lifecycle allows and refuses the rest with the code', async () => {
      await setUp();
      for (const [kind, setup, to, actor, status, code] of table) {
        const p = await reach(kind, setup);
        const res = await who(actor).client.post(`/api/v1/aid/posts/${p.id}/status`, { to });
        const label = `${kind} ${setup} → ${to} as ${actor}: ${res.body}`;
        expect(res.statusCode, label).toBe(status);
        if (code !== undefined) expect(res.json<Err>().error.code, label).toBe(code);
        else expect(postWireSchema.parse(res.json()).status, label).toBe(to);
      }
    });

    it('sets a partner only from those who responded; a moderator’s change is audited', async () => {
      await setUp();
      const p = await post(ada);
      const nobody = await ada.client.post(`/api/v1/aid/posts/${p.id}/status`, {
        to: 'helping',
        partnerId: bea.accountId,
      });
      expect(nobody.statusCode).toBe(400);
      await seedResponse(t, p.id, bea.accountId, clock);
      const coord = await cy.client.post(`/api/v1/aid/posts/${p.id}/status`, {
        to: 'helping',
        partnerId: bea.accountId,
      });
      expect(coord.statusCode).toBe(400);
      const ok = await ada.client.post(`/api/v1/aid/posts/${p.id}/status`, {
        to: 'helping',
        partnerId: bea.accountId,
      });
      expect(ok.json()).toMatchObject({ status: 'helping' });
      const asBea = postPageSchema.parse(
        (await bea.client.get(`/api/v1/aid/posts/${p.id}`)).json(),
      );
      expect(asBea.partnerIsMe).toBe(true);
      const offline = await cy.client.post(`/api/v1/aid/posts/${p.id}/status`, {
        to: 'done',
        offline: true,
      });
      expect(offline.statusCode, offline.body).toBe(200);
      const q = await post(ada);
      await mo.client.post(`/api/v1/aid/posts/${q.id}/status`, { to: 'withdrawn' });
      const audit = await t.handle.db.selectFrom('moderation_audit').selectAll().execute();
      expect(audit).toEqual([
        expect.objectContaining({
          actor_id: mo.accountId,
          action: 'withdraw-aid-post',
          aid_post_id: q.id,
          target_id: null,
        }),
      ]);
    });

    it('changes one occurrence of recurring help on its own', async () => {
      await setUp();
      const p = await post(ada, {
        category: 'rides',
        when: {
          kind: 'recurring',
          start: '2026-12-03T10:00',
          timeZone: 'Europe/London',
          durationMinutes: 60,
          rrule: 'FREQ=WEEKLY;BYDAY=TH',
        },
      });
      const page = postPageSchema.parse((await ada.client.get(`/api/v1/aid/posts/${p.id}`)).json());
      expect(page.occurrences[0]).toMatchObject({
        occurrenceId: `${p.id}.20261203T100000Z`,
        status: 'open',
      });
      const occurrenceId = page.occurrences[1]!.occurrenceId;
      const res = await ada.client.post(`/api/v1/aid/posts/${p.id}/status`, {
        to: 'withdrawn',
        occurrenceId,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ status: string }>().status).toBe('open');
      const after = postPageSchema.parse(
        (await ada.client.get(`/api/v1/aid/posts/${p.id}`)).json(),
      );
      expect(after.occurrences.map((o) => o.status).slice(0, 3)).toEqual([
        'open',
        'withdrawn',
        'open',
      ]);
      const wrong = await ada.client.post(`/api/v1/aid/posts/${p.id}/status`, {
        to: 'withdrawn',
        occurrenceId: `${p.id}.20261204T100000Z`,
      });
      expect(wrong.statusCode).toBe(404);
    });
  });

  describe('expiry and its reminder', () => {
    const worker = () =>
      createExpiryWorker(
        { db: t.handle.db, realtime: t.app.realtime, notifier: t.app.notifyWorker },
        { now: () => clock, start: false },
      );
    const outbox = () =>
      t.handle.db
        .selectFrom('notify_outbox')
        .select(['account_id', 'kind', 'dedupe_key', 'payload'])
        .execute();

    it('reminds the author once, three days before, then expires; renewing opens it again', async () => {
      await setUp();
      const start = clock.getTime();
      const p = await post(ada, { expiresInDays: 10 });
      expect(p.expiresAt).toBe(new Date(start + 10 * DAY).toISOString());
      const w = worker();
      expect(await w.runOnce(new Date(start + 7 * DAY - 1))).toEqual({ reminded: 0, expired: 0 });
      expect(await w.runOnce(new Date(start + 7 * DAY))).toEqual({ reminded: 1, expired: 0 });
      expect(await w.runOnce(new Date(start + 8 * DAY))).toEqual({ reminded: 0, expired: 0 });
      const sent = await outbox();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.account_id).toBe(ada.accountId);
      expect(sent[0]!.payload).toContain(REMINDER_TEXT.open.body);
      // Fixed words: nothing the post says.
      expect(sent[0]!.payload).not.toContain('Groceries');
      expect(sent[0]!.payload).not.toContain('Riverton');

      expect(await w.runOnce(new Date(start + 10 * DAY))).toEqual({ reminded: 0, expired: 1 });
      clock = new Date(start + 11 * DAY);
      const page = (await ada.client.get(`/api/v1/aid/posts/${p.id}`)).json<{ status: string }>();
      expect(page.status).toBe('expired');
      const board = boardResponseSchema.parse(
        (await bea.client.get('/api/v1/aid/communities/instance/posts')).json(),
      );
      expect(board.posts).toEqual([]);

      expect((await bea.client.post(`/api/v1/aid/posts/${p.id}/renew`, {})).statusCode).toBe(403);
      const renewed = await ada.client.post(`/api/v1/aid/posts/${p.id}/renew`, {
        expiresInDays: 5,
      });
      expect(renewed.statusCode, renewed.body).toBe(200);
      expect(renewed.json()).toMatchObject({
        status: 'open',
        expiresAt: new Date(start + 16 * DAY).toISOString(),
      });
      // A new expiry earns a new reminder.
      expect(await w.runOnce(new Date(start + 13.5 * DAY))).toEqual({ reminded: 1, expired: 0 });
      expect(await outbox()).toHaveLength(2);
      await w.stop();
    });

    it('holds the reminder in quiet hours (as every notification)', async () => {
      await setUp();
      const start = clock.getTime();
      await post(ada, { expiresInDays: 4 });
      await t.handle.db
        .insertInto('notify_settings')
        .values({
          account_id: ada.accountId,
          email: 1,
          push: 1,
          quiet_start: '00:00',
          quiet_end: '23:59',
          time_zone: 'UTC',
          paused_until: null,
          updated_at: clock.toISOString(),
        })
        .execute();
      const w = worker();
      expect(await w.runOnce(new Date(start + 2 * DAY))).toEqual({ reminded: 1, expired: 0 });
      expect(await outbox()).toEqual([]);
    });
  });

  describe('the board', () => {
    it('filters by kind, category, zone and distance, time and urgency; sorts and pages', async () => {
      await setUp();
      const made: PostWire[] = [];
      const at = (i: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + i * 60_000);
      const specs: Record<string, unknown>[] = [
        { category: 'groceries', areaId: 'riverton-north' },
        { category: 'groceries', areaId: 'riverton-south', urgent: true },
        { category: 'rides', areaId: 'old-quay' },
        { category: 'groceries', areaId: 'far-away' },
        { category: 'groceries', areaId: null },
        { kind: 'offer', category: 'groceries', areaId: 'riverton' },
        {
          category: 'meals',
          areaId: 'riverton',
          when: { kind: 'window', from: '2026-12-20T10:00:00Z', until: '2026-12-21T10:00:00Z' },
        },
      ];
      const people = [ada, bea, dee];
      for (const [i, spec] of specs.entries()) {
        clock = at(i);
        made.push(await post(people[i % people.length]!, spec));
      }
      const ids = async (q: string) =>
        boardResponseSchema
          .parse((await cy.client.get(`/api/v1/aid/communities/instance/posts?${q}`)).json())
          .posts.map((p) => made.findIndex((m) => m.id === p.id));
      expect(await ids('')).toEqual([6, 5, 4, 3, 2, 1, 0]);
      expect(await ids('sort=waiting')).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await ids('kind=need&category=groceries')).toEqual([4, 3, 1, 0]);
      expect(await ids('area=riverton-north')).toEqual([0]);
      expect(await ids('area=riverton-north&within=10')).toEqual([6, 5, 2, 1, 0]);
      expect(await ids('urgent=true')).toEqual([1]);
      expect(await ids('from=2026-12-20T00:00:00Z&to=2026-12-20T12:00:00Z')).toEqual([
        6, 5, 4, 3, 2, 1, 0,
      ]);
      expect(await ids('from=2026-12-22T00:00:00Z&to=2026-12-23T00:00:00Z')).toEqual([
        5, 4, 3, 2, 1, 0,
      ]);
      const withDistance = boardResponseSchema.parse(
        (
          await cy.client.get(
            '/api/v1/aid/communities/instance/posts?area=riverton-north&within=10',
          )
        ).json(),
      );
      expect(withDistance.posts.find((p) => p.id === made[1]!.id)?.distanceKm).toBe(7);

      // Pages of two, following the cursor, cover the board once.
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const q: string = `limit=2${after === null ? '' : `&after=${after}`}`;
        const page = boardResponseSchema.parse(
          (await cy.client.get(`/api/v1/aid/communities/instance/posts?${q}`)).json(),
        );
        seen.push(...page.posts.map((p) => p.id));
        after = page.next;
        if (after === null) break;
      }
      expect(seen).toEqual([...made].reverse().map((p) => p.id));

      expect(
        (await cy.client.get('/api/v1/aid/communities/instance/posts?within=5')).statusCode,
      ).toBe(400);
      expect(
        (await cy.client.get('/api/v1/aid/communities/instance/posts?area=atlantis')).json<Err>()
          .error.code,
      ).toBe('unknown_area');
      expect(
        (await cy.client.get('/api/v1/aid/communities/instance/posts?after=nonsense')).statusCode,
      ).toBe(400);
    });

    it('leaves out named posts across a block, never anonymous ones', async () => {
      await setUp();
      const named = await post(ada);
      const anon = await post(ada, { anonymous: true, category: 'meals' });
      await t.handle.db
        .insertInto('circle_blocks')
        .values({
          blocker_id: ada.accountId,
          blocked_id: bea.accountId,
          created_at: clock.toISOString(),
        })
        .execute();
      const seen = boardResponseSchema
        .parse((await bea.client.get('/api/v1/aid/communities/instance/posts')).json())
        .posts.map((p) => p.id);
      expect(seen).toEqual([anon.id]);
      expect(seen).not.toContain(named.id);
    });
  });

  describe('anonymous posts', () => {
    it('never name their author, in any answer of these routes or in the logs', async () => {
      await setUp();
      const p = await post(ada, { anonymous: true, nameInPrint: true });
      await seedResponse(t, p.id, bea.accountId, clock);
      const bodies: string[] = [];
      const keep = async (res: Promise<{ statusCode: number; body: string }>) => {
        const r = await res;
        expect(r.statusCode, r.body).toBeLessThan(300);
        bodies.push(r.body);
        return r;
      };
      for (const viewer of [ada, bea, cy, mo, dee]) {
        await keep(viewer.client.get(`/api/v1/aid/posts/${p.id}`));
        await keep(viewer.client.get('/api/v1/aid/communities/instance/posts'));
        await keep(
          viewer.client.get(
            '/api/v1/aid/communities/instance/posts?sort=waiting&category=groceries',
          ),
        );
        await keep(viewer.client.get('/api/v1/aid/mine'));
      }
      await keep(patch(ada.client, `/api/v1/aid/posts/${p.id}`, { description: 'Still need it.' }));
      await keep(ada.client.post(`/api/v1/aid/posts/${p.id}/renew`, {}));
      await keep(
        ada.client.post(`/api/v1/aid/posts/${p.id}/status`, {
          to: 'helping',
          partnerId: bea.accountId,
        }),
      );
      await keep(bea.client.post(`/api/v1/aid/posts/${p.id}/status`, { to: 'open' }));
      const own = postWireSchema.parse(JSON.parse(bodies[0]!));
      expect(own).toMatchObject({ author: null, mine: true, anonymous: true });
      for (const b of bodies) {
        expect(b).not.toContain(ada.accountId);
        expect(b).not.toMatch(/"ada"/);
      }
      // Events carry ids only.
      const events = await t.handle.db.selectFrom('events').select(['type', 'data']).execute();
      for (const e of events) expect(e.data).not.toContain(ada.accountId);
      const logs = t.logs();
      expect(logs.split('\n').length).toBeGreaterThan(20);
      expect(logs).not.toContain(ada.accountId);
    });
  });
});
