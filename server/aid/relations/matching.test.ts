import { afterAll, beforeAll, expect, it } from 'vitest';
import { matchesResponseSchema, matchNoticesSchema } from '../../../core/src/aid/api.js';
import { distanceKm, fromCenti, toCenti } from '../../../core/src/aid/areas.js';
import { RATE_PERIOD_MS } from '../../../core/src/aid/matching.js';
import { generateId } from '../../../core/src/crypto/ids.js';
import { inTransaction } from '../../db/database.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { enableBoard, person, seedArea, seedPost, type Member } from './test-fixtures.js';
import { AID_NOTIFICATIONS, matchNewPost, myMatches, sendDueMatchNotices } from './use-cases.js';

const HOUR = 3_600_000;

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ZONES: [string, number, number][] = [
  ['m-a', 51.5, -2.6],
  ['m-b', 51.53, -2.6],
  ['m-c', 51.47, -2.61],
  ['m-d', 51.8, -2.2],
  ['m-e', 52.4, -1.9],
];

describeEachEngine('mutual aid matching through the API', (engine) => {
  let t: TestApp;
  let ms = Date.now();
  const clock = () => new Date(ms);
  let people: Member[];

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    await enableBoard(t, 'instance', clock());
    for (const [id, lat, lon] of ZONES) await seedArea(t, id, lat, lon, clock());
    people = [];
    for (const h of ['m1', 'm2', 'm3', 'm4']) people.push(await person(t, h));
    // m1 and m4 have blocked each other.
    await t.handle.db
      .insertInto('circle_blocks')
      .values({
        blocker_id: people[0]!.accountId,
        blocked_id: people[3]!.accountId,
        created_at: clock().toISOString(),
      })
      .execute();
  });
  afterAll(async () => t.close());

  it('a match always shares category, overlapping time and area; never one’s own post nor across a block; nothing missed', async () => {
    const random = rng(engine === 'sqlite' ? 7 : 11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const posts: {
      id: string;
      author: Member;
      kind: 'need' | 'offer';
      category: string;
      areaId: string | null;
      reachKm: number;
      from: number;
      until: number;
      status: 'open' | 'helping' | 'done';
    }[] = [];
    for (let i = 0; i < 60; i++) {
      const fromH = Math.floor(random() * 200) + 1;
      const p = {
        author: pick(people),
        kind: pick(['need', 'offer'] as const),
        category: pick(['rides', 'meals']),
        areaId: pick([null, ...ZONES.map((z) => z[0])]),
        reachKm: pick([0, 2, 5, 40, 100]),
        fromH,
        untilH: fromH + Math.floor(random() * 72) + 1,
        status: pick(['open', 'open', 'open', 'helping', 'done'] as const),
      };
      const id = await seedPost(t, clock(), p);
      posts.push({
        id,
        ...p,
        from: ms + p.fromH * HOUR,
        until: ms + p.untilH * HOUR,
      });
    }
    const centre = (id: string) => {
      const z = ZONES.find((x) => x[0] === id)!;
      return fromCenti(toCenti(z[1], z[2]));
    };
    const blocked = (a: Member, b: Member) =>
      [a, b].includes(people[0]!) && [a, b].includes(people[3]!);
    const onBoard = (p: (typeof posts)[number]) =>
      p.status === 'open' || (p.kind === 'offer' && p.status === 'helping');
    const reference = (p: (typeof posts)[number]) =>
      posts
        .filter(
          (q) =>
            onBoard(p) &&
            onBoard(q) &&
            q.kind !== p.kind &&
            q.category === p.category &&
            q.author !== p.author &&
            !blocked(p.author, q.author) &&
            q.from < p.until &&
            p.from < q.until &&
            (p.areaId === null ||
              q.areaId === null ||
              distanceKm(centre(p.areaId), centre(q.areaId)) <= Math.max(p.reachKm, q.reachKm)),
        )
        .map((q) => q.id)
        .sort();

    let nonEmpty = 0;
    for (const p of posts) {
      const res = await p.author.client.get(`/api/v1/aid/posts/${p.id}/matches?limit=50`);
      expect(res.statusCode, res.body).toBe(200);
      const got = matchesResponseSchema.parse(res.json()).matches;
      for (const m of got) {
        const q = posts.find((x) => x.id === m.id)!;
        expect(q.category).toBe(p.category);
        expect(q.kind).not.toBe(p.kind);
        expect(q.author).not.toBe(p.author);
        expect(q.from < p.until && p.from < q.until).toBe(true);
        if (p.areaId !== null && q.areaId !== null) {
          const d = distanceKm(centre(p.areaId), centre(q.areaId));
          expect(d).toBeLessThanOrEqual(Math.max(p.reachKm, q.reachKm));
          expect(m.distanceKm).toBe(Math.round(d));
        }
      }
      expect(got.map((m) => m.id).sort()).toEqual(reference(p));
      if (got.length > 0) nonEmpty++;
      // Someone else (not a coordinator) does not see a post's matches.
      const other = people.find((x) => x !== p.author)!;
      expect([403, 404]).toContain(
        (await other.client.get(`/api/v1/aid/posts/${p.id}/matches`)).statusCode,
      );
    }
    expect(nonEmpty).toBeGreaterThan(5);
  });

  it('nobody is told of matches above the rate they chose (a fixed clock; the worker tells the pending once)', async () => {
    const [asker, daily, weekly, never] = await Promise.all(
      ['r-ask', 'r-daily', 'r-weekly', 'r-never'].map((h) => person(t, h)),
    );
    const rates = new Map([
      [daily!, 'daily'],
      [weekly!, 'weekly'],
      [never!, 'never'],
    ] as const);
    for (const [who, rate] of rates) {
      const res = await who.client.put('/api/v1/aid/match-notices', { rate });
      expect(res.statusCode, res.body).toBe(200);
      expect(
        matchNoticesSchema.parse((await who.client.get('/api/v1/aid/match-notices')).json()).rate,
      ).toBe(rate);
    }
    expect((await asker!.client.get('/api/v1/aid/match-notices')).json()).toEqual({
      rate: 'weekly',
    });
    const deps = {
      db: t.handle.db,
      realtime: { announce: () => {} },
      notifier: { wake: () => {} },
    } as never;
    // Each of them offers ongoing help, a long way ahead.
    for (const who of rates.keys()) {
      await seedPost(t, clock(), {
        author: who,
        kind: 'offer',
        category: 'errands',
        fromH: 0,
        untilH: 24 * 80,
      });
    }
    const random = rng(3);
    const start = ms;
    for (let step = 0; step < 40; step++) {
      ms += Math.floor(random() * 30 * HOUR);
      if (random() < 0.6) {
        const need = await seedPost(t, clock(), {
          author: asker!,
          category: 'errands',
          fromH: 1,
          untilH: 5,
        });
        await inTransaction(t.handle.db, (trx) => matchNewPost(trx, need, clock()));
      } else {
        await sendDueMatchNotices(deps, clock());
      }
    }
    const notices = async (who: Member) =>
      (
        await t.handle.db
          .selectFrom('notify_outbox')
          .select(['created_at', 'payload', 'kind'])
          .where('account_id', '=', who.accountId)
          .where('kind', '=', 'aid-match')
          .orderBy('created_at')
          .execute()
      ).map((r) => {
        expect(JSON.parse(r.payload)).toEqual(AID_NOTIFICATIONS.match);
        return Date.parse(r.created_at);
      });
    for (const [who, rate] of rates) {
      const times = await notices(who);
      const period = RATE_PERIOD_MS[rate];
      if (period === null) {
        expect(times).toEqual([]);
        continue;
      }
      expect(times.length).toBeGreaterThan(0);
      for (let i = 1; i < times.length; i++) {
        expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(period);
      }
    }
    // Daily hears more often than weekly over ~5 weeks, and both at most one per period.
    expect((await notices(daily!)).length).toBeGreaterThan((await notices(weekly!)).length);
    expect(ms - start).toBeGreaterThan(14 * 24 * HOUR);
    // The matches are stored, and each offer's author sees them (never the asker's name: anonymous
    // or not, only what the post shows).
    // (Five weeks on, the sessions have ended: read through the use case.)
    const mine = await myMatches(
      t.handle.db,
      { accountId: daily!.accountId, role: 'member', sessionId: '' },
      50,
    );
    expect(mine.matches.length).toBeGreaterThan(0);
    expect(mine.matches.every((m) => m.kind === 'need' && m.category === 'errands')).toBe(true);
  });

  it('making a post through the board matches it at once: stored, an aid.match event, one notice in fixed words', async () => {
    // Back to the real time (the test before moved five weeks on; sessions end by the app's clock).
    ms = Date.now();
    const [offerer, asker] = await Promise.all(['c-offer', 'c-ask'].map((h) => person(t, h)));
    const offer = await seedPost(t, clock(), {
      author: offerer!,
      kind: 'offer',
      category: 'skills-and-repair',
      areaId: 'm-a',
      reachKm: 10,
      fromH: 0,
      untilH: 24 * 20,
    });
    const id = generateId();
    const res = await asker!.client.post('/api/v1/aid/communities/instance/posts', {
      id,
      kind: 'need',
      category: 'skills-and-repair',
      description: 'My bike chain keeps slipping.',
      areaId: 'm-b',
      when: {
        kind: 'window',
        from: new Date(ms + HOUR).toISOString(),
        until: new Date(ms + 48 * HOUR).toISOString(),
      },
      anonymous: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const stored = await t.handle.db
      .selectFrom('aid_matches')
      .selectAll()
      .where('need_id', '=', id)
      .execute();
    expect(stored).toEqual([expect.objectContaining({ offer_id: offer, distance_km: 3 })]);
    const events = await t.handle.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('account_id', '=', offerer!.accountId)
      .where('type', '=', 'aid.match')
      .execute();
    expect(events).toHaveLength(1);
    const mail = await t.handle.db
      .selectFrom('notify_outbox')
      .select('payload')
      .where('account_id', '=', offerer!.accountId)
      .execute();
    expect(mail.map((m) => JSON.parse(m.payload) as unknown)).toEqual([AID_NOTIFICATIONS.match]);
    // The offerer's stored matches show the need without its (anonymous) author.
    const mine = await offerer!.client.get('/api/v1/aid/matches');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(matchesResponseSchema.parse(mine.json()).matches.map((m) => m.id)).toEqual([id]);
    expect(mine.body).not.toContain(asker!.accountId);
    expect(mine.body).not.toContain(asker!.handle);
  });
});
