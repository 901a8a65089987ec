import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateId } from '../../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { enableBoard, person, seedArea, seedPost, type Member } from './test-fixtures.js';
import { AID_NOTIFICATIONS } from './use-cases.js';

const HOUR = 3_600_000;

/**
 * Matching again after a post changes (docs/AID.md, "Matching"): an edit, a renewal and a post
 * coming back on the board find their matches again in the same transaction; matches that no
 * longer hold are dropped; people newly matched are told at their rate, never twice for a pair.
 */
describeEachEngine(
  'mutual aid: matching again after an edit, a renewal or a reopening',
  (engine) => {
    let t: TestApp;
    const ms = Date.now();
    const clock = () => new Date(ms);

    beforeAll(async () => {
      t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
      await enableBoard(t, 'instance', clock());
      await seedArea(t, 'rm-a', 51.5, -2.6, clock());
      await seedArea(t, 'rm-far', 55.9, -3.2, clock());
      await seedArea(t, 'rm-b', 51.53, -2.6, clock());
    });
    afterAll(async () => t.close());

    const stored = async (needId: string) =>
      (
        await t.handle.db
          .selectFrom('aid_matches')
          .select('offer_id')
          .where('need_id', '=', needId)
          .orderBy('offer_id')
          .execute()
      ).map((r) => r.offer_id);
    const notices = async (who: Member) =>
      (
        await t.handle.db
          .selectFrom('notify_outbox')
          .select('payload')
          .where('account_id', '=', who.accountId)
          .where('kind', '=', 'aid-match')
          .execute()
      ).map((r) => JSON.parse(r.payload) as unknown);
    const matchEvents = async (who: Member, postId: string) =>
      (
        await t.handle.db
          .selectFrom('events')
          .select('data')
          .where('account_id', '=', who.accountId)
          .where('type', '=', 'aid.match')
          .execute()
      ).filter((e) => (JSON.parse(e.data) as { postId: string }).postId === postId).length;
    const pending = async (who: Member) =>
      (
        await t.handle.db
          .selectFrom('aid_match_notices')
          .select('pending_since')
          .where('account_id', '=', who.accountId)
          .executeTakeFirst()
      )?.pending_since ?? null;

    const patch = (who: Member, url: string, body: object) =>
      who.client.send('PATCH', url, { body });

    async function postNeed(asker: Member, category: string, extra: object = {}) {
      const id = generateId();
      const res = await asker.client.post('/api/v1/aid/communities/instance/posts', {
        id,
        kind: 'need',
        category,
        description: 'Help with something this week.',
        areaId: 'rm-a',
        when: {
          kind: 'window',
          from: new Date(ms + HOUR).toISOString(),
          until: new Date(ms + 48 * HOUR).toISOString(),
        },
        ...extra,
      });
      expect(res.statusCode, res.body).toBe(201);
      return id;
    }

    describe('an edit', () => {
      it('that changes the category drops the old matches and finds new ones; the newly matched are told', async () => {
        const [asker, rider, cook] = await Promise.all(
          ['rm-ask', 'rm-ride', 'rm-cook'].map((h) => person(t, h)),
        );
        const ride = await seedPost(t, clock(), {
          author: rider!,
          kind: 'offer',
          category: 'rides',
          areaId: 'rm-a',
          reachKm: 5,
          fromH: 0,
          untilH: 24 * 10,
        });
        const meal = await seedPost(t, clock(), {
          author: cook!,
          kind: 'offer',
          category: 'meals',
          areaId: 'rm-a',
          reachKm: 5,
          fromH: 0,
          untilH: 24 * 10,
        });
        const need = await postNeed(asker!, 'rides');
        expect(await stored(need)).toEqual([ride]);
        expect(await notices(rider!)).toEqual([AID_NOTIFICATIONS.match]);
        expect(await notices(cook!)).toEqual([]);

        const res = await patch(asker!, `/api/v1/aid/posts/${need}`, { category: 'meals' });
        expect(res.statusCode, res.body).toBe(200);
        expect(await stored(need)).toEqual([meal]);
        expect(await notices(cook!)).toEqual([AID_NOTIFICATIONS.match]);
        expect(await matchEvents(cook!, need)).toBe(1);
        // The rider was not told again, nor of anything new.
        expect(await notices(rider!)).toEqual([AID_NOTIFICATIONS.match]);
        expect(await matchEvents(rider!, need)).toBe(1);

        // An edit that keeps the pair (only the words change) tells nobody again.
        const words = await patch(asker!, `/api/v1/aid/posts/${need}`, {
          description: 'A warm meal, any day this week.',
        });
        expect(words.statusCode, words.body).toBe(200);
        expect(await stored(need)).toEqual([meal]);
        expect(await matchEvents(cook!, need)).toBe(1);
        expect(await pending(cook!)).toBeNull();

        // A zone out of every offer's reach drops the match; back in reach finds it again.
        const far = await patch(asker!, `/api/v1/aid/posts/${need}`, { areaId: 'rm-far' });
        expect(far.statusCode, far.body).toBe(200);
        expect(await stored(need)).toEqual([]);
        // The post page's recomputed matches agree with what is stored.
        const page = await asker!.client.get(`/api/v1/aid/posts/${need}/matches`);
        expect(page.json<{ matches: unknown[] }>().matches).toEqual([]);
      });

      it('nobody is told above their rate: a pair dropped and found again within the week only marks them pending', async () => {
        const [asker, rider] = await Promise.all(['rm-ask2', 'rm-ride2'].map((h) => person(t, h)));
        const ride = await seedPost(t, clock(), {
          author: rider!,
          kind: 'offer',
          category: 'errands',
          fromH: 0,
          untilH: 24 * 10,
        });
        const need = await postNeed(asker!, 'errands');
        expect(await stored(need)).toEqual([ride]);
        for (const category of ['meals', 'errands', 'meals', 'errands']) {
          const res = await patch(asker!, `/api/v1/aid/posts/${need}`, { category });
          expect(res.statusCode, res.body).toBe(200);
        }
        expect(await stored(need)).toEqual([ride]);
        // Weekly (the default): one notice; the matches found again since only wait for the worker.
        expect(await notices(rider!)).toEqual([AID_NOTIFICATIONS.match]);
        expect(await pending(rider!)).not.toBeNull();
      });
    });

    it('a renewed expired post is matched again, with what was posted while it was expired', async () => {
      const [asker, helper] = await Promise.all(['rm-ask3', 'rm-help3'].map((h) => person(t, h)));
      const need = await postNeed(asker!, 'groceries', {
        when: { kind: 'ongoing' },
        expiresInDays: 7,
      });
      expect(await stored(need)).toEqual([]);
      await t.handle.db
        .updateTable('aid_posts')
        .set({ status: 'expired', expires_at: new Date(ms - HOUR).toISOString() })
        .where('id', '=', need)
        .execute();
      const offer = await seedPost(t, clock(), {
        author: helper!,
        kind: 'offer',
        category: 'groceries',
        fromH: 0,
        untilH: 24 * 20,
      });
      expect(await stored(need)).toEqual([]);
      const res = await asker!.client.post(`/api/v1/aid/posts/${need}/renew`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ status: string }>().status).toBe('open');
      expect(await stored(need)).toEqual([offer]);
      expect(await notices(helper!)).toEqual([AID_NOTIFICATIONS.match]);
      expect(await matchEvents(helper!, need)).toBe(1);
    });

    it('a withdrawn post opened again is matched again; pairs it kept are not told twice', async () => {
      const [asker, first, second] = await Promise.all(
        ['rm-ask4', 'rm-one4', 'rm-two4'].map((h) => person(t, h)),
      );
      const one = await seedPost(t, clock(), {
        author: first!,
        kind: 'offer',
        category: 'pet-care',
        fromH: 0,
        untilH: 24 * 10,
      });
      const need = await postNeed(asker!, 'pet-care');
      expect(await stored(need)).toEqual([one]);
      const off = await asker!.client.post(`/api/v1/aid/posts/${need}/status`, { to: 'withdrawn' });
      expect(off.statusCode, off.body).toBe(200);
      const two = await seedPost(t, clock(), {
        author: second!,
        kind: 'offer',
        category: 'pet-care',
        fromH: 0,
        untilH: 24 * 10,
      });
      const on = await asker!.client.post(`/api/v1/aid/posts/${need}/status`, { to: 'open' });
      expect(on.statusCode, on.body).toBe(200);
      expect(await stored(need)).toEqual([one, two].sort());
      expect(await notices(second!)).toEqual([AID_NOTIFICATIONS.match]);
      expect(await notices(first!)).toEqual([AID_NOTIFICATIONS.match]);
      expect(await matchEvents(first!, need)).toBe(1);
      expect(await pending(first!)).toBeNull();
    });

    it('a refused edit changes no match', async () => {
      const [asker, other, helper] = await Promise.all(
        ['rm-ask5', 'rm-other5', 'rm-help5'].map((h) => person(t, h)),
      );
      const offer = await seedPost(t, clock(), {
        author: helper!,
        kind: 'offer',
        category: 'childcare',
        fromH: 0,
        untilH: 24 * 10,
      });
      const need = await postNeed(asker!, 'childcare');
      expect(await stored(need)).toEqual([offer]);
      const notMine = await patch(other!, `/api/v1/aid/posts/${need}`, { category: 'meals' });
      expect(notMine.statusCode).toBe(403);
      const unknown = await patch(asker!, `/api/v1/aid/posts/${need}`, {
        category: 'no-such-category',
      });
      expect(unknown.statusCode).toBe(400);
      expect(await stored(need)).toEqual([offer]);
    });

    it('a pair kept through a change of zone shows its new distance, and nobody is told again', async () => {
      const [asker, helper] = await Promise.all(['rm-ask6', 'rm-help6'].map((h) => person(t, h)));
      const offer = await seedPost(t, clock(), {
        author: helper!,
        kind: 'offer',
        category: 'company-at-appointment',
        areaId: 'rm-a',
        reachKm: 10,
        fromH: 0,
        untilH: 24 * 10,
      });
      const need = await postNeed(asker!, 'company-at-appointment');
      const distance = async () =>
        (
          await t.handle.db
            .selectFrom('aid_matches')
            .select(['offer_id', 'distance_km'])
            .where('need_id', '=', need)
            .execute()
        ).map((r) => [r.offer_id, r.distance_km]);
      expect(await distance()).toEqual([[offer, 0]]);
      const res = await patch(asker!, `/api/v1/aid/posts/${need}`, { areaId: 'rm-b' });
      expect(res.statusCode, res.body).toBe(200);
      expect(await distance()).toEqual([[offer, 3]]);
      expect(await notices(helper!)).toEqual([AID_NOTIFICATIONS.match]);
      expect(await pending(helper!)).toBeNull();
    });
  },
);
