import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateId } from '../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { createExpiryWorker } from './expiry.js';
import { AID_NOTIFICATIONS } from './relations/use-cases.js';
import { enableBoard, person, seedPost, type Member } from './relations/test-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The daily refresh of recurring posts' stored intervals (docs/AID.md, "Matching"): the expiry
 * worker expands a recurring post's occurrences again once its first stored one began over a day
 * ago, and matches it again (stale matches dropped, new ones stored and told at their rate).
 */
describeEachEngine('mutual aid: the refresh of recurring posts', (engine) => {
  let t: TestApp;
  // Midnight UTC today: the daily occurrences are at 10:00 UTC from tomorrow.
  const ms = Math.floor(Date.now() / DAY) * DAY;
  const clock = () => new Date(ms);
  const worker = () =>
    createExpiryWorker(
      { db: t.handle.db, realtime: t.app.realtime, notifier: t.app.notifyWorker },
      { now: clock, start: false },
    );

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    await enableBoard(t, 'instance', clock());
  });
  afterAll(async () => t.close());

  const row = (id: string) =>
    t.handle.db
      .selectFrom('aid_posts')
      .select(['intervals', 'starts_at', 'ends_at', 'expires_at', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
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

  async function postRecurring(who: Member) {
    const id = generateId();
    const tomorrow = new Date(ms + DAY).toISOString().slice(0, 10);
    const res = await who.client.post('/api/v1/aid/communities/instance/posts', {
      id,
      kind: 'need',
      category: 'meals',
      description: 'A hot meal, every day.',
      areaId: null,
      when: {
        kind: 'recurring',
        start: `${tomorrow}T10:00`,
        timeZone: 'UTC',
        durationMinutes: 60,
        rrule: 'FREQ=DAILY',
      },
      expiresInDays: 30,
    });
    expect(res.statusCode, res.body).toBe(201);
    return id;
  }

  it('re-expands from now a day after the first stored occurrence began, drops what no longer matches, finds and tells what does', async () => {
    const [asker, early, later, other] = await Promise.all(
      ['rf-ask', 'rf-early', 'rf-later', 'rf-other'].map((h) => person(t, h)),
    );
    // An offer for tomorrow morning only: it matches the first occurrence.
    const first = await seedPost(t, clock(), {
      author: early!,
      kind: 'offer',
      category: 'meals',
      fromH: 33,
      untilH: 35,
    });
    const need = await postRecurring(asker!);
    const withdrawn = await postRecurring(other!);
    const off = await other!.client.post(`/api/v1/aid/posts/${withdrawn}/status`, {
      to: 'withdrawn',
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(await stored(need)).toEqual([first]);
    const before = await row(need);
    const count = (json: string) => (JSON.parse(json) as unknown[]).length;
    expect(count(before.intervals)).toBe(29);
    expect(before.starts_at).toBe(new Date(ms + DAY + 10 * HOUR).toISOString());

    // Written after the need, straight into the database: nothing has matched it yet.
    const fifth = await seedPost(t, clock(), {
      author: later!,
      kind: 'offer',
      category: 'meals',
      fromH: 5 * 24 + 9,
      untilH: 5 * 24 + 11,
    });
    expect(await stored(need)).toEqual([first]);

    const w = worker();
    // The first occurrence has not begun a day ago yet: nothing to do.
    expect(await w.refreshOnce(new Date(ms + 2 * DAY))).toEqual({ refreshed: 0 });
    expect(await row(need)).toEqual(before);

    const at = ms + 3 * DAY + 12 * HOUR;
    expect(await w.refreshOnce(new Date(at))).toEqual({ refreshed: 1 });
    const after = await row(need);
    expect(Date.parse(after.starts_at!)).toBeGreaterThanOrEqual(at);
    expect(after.starts_at).toBe(new Date(ms + 4 * DAY + 10 * HOUR).toISOString());
    expect(after.ends_at).toBe(before.ends_at);
    expect(count(after.intervals)).toBe(26);
    // Its expiry and its updated_at (the post did not change) stay.
    expect(after.expires_at).toBe(before.expires_at);
    expect(after.updated_at).toBe(before.updated_at);
    // The morning that passed no longer matches; the fifth day's offer does, and is told once.
    expect(await stored(need)).toEqual([fifth]);
    expect(await notices(later!)).toEqual([AID_NOTIFICATIONS.match]);
    expect(await notices(early!)).toEqual([AID_NOTIFICATIONS.match]);
    // Done for today; the withdrawn post is left alone.
    expect(await w.refreshOnce(new Date(at + HOUR))).toEqual({ refreshed: 0 });
    const gone = await row(withdrawn);
    expect(count(gone.intervals)).toBe(29);
    await w.stop();
  });
});
