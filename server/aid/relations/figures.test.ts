import { afterAll, beforeAll, expect, it } from 'vitest';
import { figuresResponseSchema } from '../../../core/src/aid/api.js';
import { expandSeries } from '../../../core/src/groups/recurrence.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { enableBoard, makeCoordinator, person, seedPost, type Member } from './test-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Figures that count recurring help per occurrence (docs/AID.md, "Figures"): each occurrence that
 * began in the period, after posting, by now and while the post was on the board is one need; it is
 * met when that occurrence is done; small cells are still suppressed.
 */
describeEachEngine('mutual aid figures: each occurrence of recurring help counts', (engine) => {
  let t: TestApp;
  // Midnight UTC today; the recurring needs were posted 20 days ago, daily at 10:00 UTC.
  const ms = Math.floor(Date.now() / DAY) * DAY;
  const clock = () => new Date(ms);
  let ana: Member;
  let ben: Member;
  let cat: Member;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
    await enableBoard(t, 'instance', clock());
    [ana, ben, cat] = (await Promise.all(
      ['fg-ana', 'fg-ben', 'fg-cat'].map((h) => person(t, h)),
    )) as [Member, Member, Member];
    await makeCoordinator(t, 'instance', cat, clock());
  });
  afterAll(async () => t.close());

  const posted = new Date(ms - 20 * DAY);
  const when = {
    kind: 'recurring' as const,
    start: `${posted.toISOString().slice(0, 10)}T10:00`,
    timeZone: 'UTC',
    durationMinutes: 60,
    rrule: 'FREQ=DAILY',
  };
  const occurrences = (postId: string, to: number) => {
    const r = expandSeries(
      { id: postId, ...when },
      { from: posted, to: new Date(to), limit: 100, includeCancelled: false },
    );
    if (!r.ok) throw new Error(r.error.detail);
    return r.value.occurrences;
  };

  async function seedRecurring(
    author: Member,
    category: string,
    status: 'open' | 'withdrawn',
    leftAt?: Date,
  ) {
    const id = await seedPost(t, clock(), { author, category, status, createdAt: posted });
    await t.handle.db
      .updateTable('aid_posts')
      .set({
        when_kind: 'recurring',
        when_json: JSON.stringify(when),
        updated_at: (leftAt ?? posted).toISOString(),
      })
      .where('id', '=', id)
      .execute();
    return id;
  }

  const get = async (by: string, to: number) => {
    const q = `from=${encodeURIComponent(posted.toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}&by=${by}`;
    const res = await cat.client.get(`/api/v1/aid/communities/instance/figures?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    const csv = await cat.client.get(`/api/v1/aid/communities/instance/figures.csv?${q}`);
    expect(csv.statusCode, csv.body).toBe(200);
    return { rows: figuresResponseSchema.parse(res.json()).rows, csv: csv.body };
  };

  it('counts each occurrence begun by now, met when it is done; a withdrawn series stops counting; suppression holds', async () => {
    // Meals: one daily need, still open; six of its occurrences were done.
    const meals = await seedRecurring(ana, 'meals', 'open');
    const past = occurrences(meals, ms);
    expect(past).toHaveLength(20);
    for (const o of past.slice(0, 6)) {
      await t.handle.db
        .insertInto('aid_occurrences')
        .values({
          post_id: meals,
          occurrence_id: o.occurrenceId,
          starts_at: o.start,
          ends_at: o.end,
          status: 'done',
          partner_id: ben.accountId,
          withdrawn_by: null,
          first_helping_at: o.start,
          done_at: o.end,
          handled_offline: 0,
        })
        .execute();
    }
    // Rides: a daily need withdrawn after its third occurrence: three needs, a small cell.
    await seedRecurring(
      ben,
      'rides',
      'withdrawn',
      new Date(posted.getTime() + 2 * DAY + 12 * HOUR),
    );
    // Groceries: seven one-off needs, five met (each helped within 3 hours).
    for (let i = 0; i < 7; i++) {
      await seedPost(t, clock(), {
        author: ben,
        category: 'groceries',
        status: i < 5 ? 'done' : 'open',
        createdAt: new Date(posted.getTime() + DAY),
        firstHelpingAt: i < 5 ? new Date(posted.getTime() + DAY + 3 * HOUR) : null,
      });
    }

    // The period runs five days past now: occurrences still to come do not count.
    const { rows, csv } = await get('category', ms + 5 * DAY);
    const row = (k: string) => rows.find((r) => r.key === k);
    expect(row('meals')).toEqual({
      key: 'meals',
      needsPosted: 20,
      needsMet: 6,
      // Occurrences add no wait (help with a repeating need is arranged ahead).
      medianWaitHours: null,
    });
    // Three occurrences: suppressed, and the next smallest beside it (the total is published).
    expect(row('rides')).toMatchObject({ needsPosted: null, needsMet: null });
    expect(row('groceries')).toMatchObject({ needsPosted: null, needsMet: null });
    expect(row('all')).toMatchObject({ needsPosted: 30, needsMet: 11, medianWaitHours: 3 });
    expect(csv).toContain('rides,suppressed,suppressed');
    expect(csv).toContain('meals,20,6,');
    expect(JSON.stringify(rows)).not.toContain(ana.accountId);

    // By month: each occurrence in the month it began (UTC), the one-off needs in the month posted.
    const byMonth = (await get('month', ms)).rows;
    const expected = new Map<string, number>();
    const bump = (iso: string, n = 1) =>
      expected.set(iso.slice(0, 7), (expected.get(iso.slice(0, 7)) ?? 0) + n);
    for (const o of past) bump(o.start);
    for (const o of past.slice(0, 3)) bump(o.start);
    bump(new Date(posted.getTime() + DAY).toISOString(), 7);
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(30);
    expect(byMonth.find((r) => r.key === 'all')?.needsPosted).toBe(30);
    for (const r of byMonth) {
      if (r.key === 'all' || r.needsPosted === null) continue;
      expect(r.needsPosted).toBe(expected.get(r.key));
    }
  });
});
