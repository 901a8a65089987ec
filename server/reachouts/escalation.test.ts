import { afterEach, beforeEach, expect, it } from 'vitest';
import { reachoutSchema } from '../../core/src/circles/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { eventsFor, join, outboxFor, reachOut, someone, type Someone } from './test-fixtures.js';

describeEachEngine('reach-out escalation', (engine) => {
  let t: TestApp;
  let clock: Date;
  let start: number;
  let sam: Someone, ada: Someone, bo: Someone, cy: Someone, di: Someone;
  const minutes = (m: number) => new Date(start + m * 60_000);
  const run = (at: Date) => t.app.reachoutEscalation.runOnce(at);

  beforeEach(async () => {
    clock = new Date();
    start = clock.getTime();
    // Delivery is tested in delivery.test.ts; here the outbox rows stay as queued.
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    sam = await someone(t, 'sam');
    ada = await someone(t, 'ada');
    bo = await someone(t, 'bo');
    cy = await someone(t, 'cy');
    di = await someone(t, 'di');
    for (const m of [ada, bo, cy, di]) await join(t, sam, m);
  });
  afterEach(async () => t.close());

  const row = (id: string) =>
    t.handle.db.selectFrom('reachouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const read = async (who: Someone, id: string) => {
    const res = await who.client.get(`/api/v1/reachouts/${id}`);
    return {
      status: res.statusCode,
      body: res.statusCode === 200 ? reachoutSchema.parse(res.json()) : null,
    };
  };
  const answer = async (who: Someone, id: string, response: string) => {
    const res = await who.client.post(`/api/v1/reachouts/${id}/response`, { response });
    expect(res.statusCode, res.body).toBe(200);
  };
  const escalating = () =>
    reachOut(sam, {
      level: 'struggling',
      recipients: [ada, bo],
      escalation: { afterMinutes: 10, recipients: [cy, di] },
    });

  it('reaches the next people once, when nobody acknowledged in time', async () => {
    const r = await escalating();

    // Not before its time.
    clock = minutes(9.9);
    expect(await run(clock)).toEqual({ escalated: [], answered: [] });
    expect((await row(r.id)).escalated_at).toBeNull();
    expect(await outboxFor(t, cy)).toEqual([]);
    expect((await read(cy, r.id)).status).toBe(404);

    clock = minutes(10);
    const first = await run(clock);
    // The app's own worker may have run at this clock too; either way it escalated exactly once.
    const escalatedAt = (await row(r.id)).escalated_at;
    expect(escalatedAt).not.toBeNull();
    expect(first.escalated.length <= 1).toBe(true);
    for (const m of [cy, di]) {
      expect((await outboxFor(t, m)).map((o) => [o.channel, o.dedupeKey])).toEqual([
        ['email', `reachout:${r.id}:${m.accountId}:email`],
        ['push', `reachout:${r.id}:${m.accountId}:push`],
      ]);
      expect(await eventsFor(t, m)).toEqual([`reachout.created:${r.id}`]);
      const seen = await read(m, r.id);
      expect(seen.status).toBe(200);
      expect(seen.body?.recipients.map((p) => p.handle)).toEqual(['ada', 'bo', 'cy', 'di']);
    }
    expect(await eventsFor(t, sam)).toEqual([
      `reachout.updated:${r.id}`,
      `reachout.updated:${r.id}`,
    ]);
    expect(await eventsFor(t, ada)).toEqual([
      `reachout.created:${r.id}`,
      `reachout.updated:${r.id}`,
    ]);
    const owner = (await read(sam, r.id)).body;
    expect(owner?.escalation).toEqual({ afterMinutes: 10, escalatedAt });
    expect(owner?.recipients.filter((p) => p.wave === 2).map((p) => p.notifiedAt)).toEqual([
      escalatedAt,
      escalatedAt,
    ]);

    // Exactly once: later runs, concurrent runs, change nothing.
    const outboxBefore = [...(await outboxFor(t, cy)), ...(await outboxFor(t, di))];
    clock = minutes(30);
    const again = await Promise.all([run(clock), run(clock), run(minutes(60))]);
    expect(again.flatMap((o) => o.escalated)).toEqual([]);
    expect((await row(r.id)).escalated_at).toBe(escalatedAt);
    expect([...(await outboxFor(t, cy)), ...(await outboxFor(t, di))]).toEqual(outboxBefore);
    expect(await eventsFor(t, cy)).toEqual([`reachout.created:${r.id}`]);
  });

  it('"can\'t right now" is not an acknowledgement: it still escalates', async () => {
    const r = await escalating();
    clock = minutes(2);
    await answer(ada, r.id, 'cant');
    clock = minutes(10);
    await run(clock);
    expect((await row(r.id)).escalated_at).toBe(clock.toISOString());
    expect((await outboxFor(t, cy)).length).toBe(2);
  });

  it.each(['seen', 'calling', 'on-my-way'])(
    'an answer "%s" in time means it never escalates, even if changed later',
    async (response) => {
      const r = await escalating();
      clock = minutes(3);
      await answer(bo, r.id, response);
      clock = minutes(10);
      const outcome = await run(clock);
      expect(outcome.escalated).toEqual([]);
      const after = await row(r.id);
      expect(after.escalated_at).toBeNull();
      expect(after.escalate_at).toBeNull();
      // Bo changes to "can't" afterwards: the escalation is not revived.
      clock = minutes(11);
      await answer(bo, r.id, 'cant');
      clock = minutes(120);
      expect((await run(clock)).escalated).toEqual([]);
      expect(await outboxFor(t, cy)).toEqual([]);
      expect(await outboxFor(t, di)).toEqual([]);
      expect((await read(cy, r.id)).status).toBe(404);
    },
  );

  it('opening it (seen) without answering does not stop the escalation', async () => {
    const r = await escalating();
    const opened = await ada.client.post(`/api/v1/reachouts/${r.id}/seen`);
    expect(opened.statusCode).toBe(200);
    clock = minutes(10);
    await run(clock);
    expect((await row(r.id)).escalated_at).toBe(clock.toISOString());
  });

  it.each(['cancelled', 'resolved'])('closing it (%s) cancels the escalation', async (status) => {
    const r = await escalating();
    clock = minutes(5);
    const closed = await sam.client.post(`/api/v1/reachouts/${r.id}/close`, { status });
    expect(closed.statusCode, closed.body).toBe(200);
    clock = minutes(10);
    expect((await run(clock)).escalated).toEqual([]);
    clock = minutes(60);
    expect((await run(clock)).escalated).toEqual([]);
    expect((await row(r.id)).escalated_at).toBeNull();
    expect(await outboxFor(t, cy)).toEqual([]);
    expect(await eventsFor(t, cy)).toEqual([]);
  });

  it('a reach-out without escalation is never escalated, and paused escalation recipients are held', async () => {
    const plain = await reachOut(sam, { recipients: [ada] });
    await t.handle.db
      .insertInto('notify_settings')
      .values({
        account_id: cy.accountId,
        email: 1,
        push: 1,
        quiet_start: null,
        quiet_end: null,
        time_zone: null,
        paused_until: minutes(24 * 60).toISOString(),
        updated_at: clock.toISOString(),
      })
      .execute();
    const r = await escalating();
    clock = minutes(10);
    const outcome = await run(clock);
    expect(outcome.escalated.includes(plain.id)).toBe(false);
    expect((await row(plain.id)).escalated_at).toBeNull();
    expect((await row(r.id)).escalated_at).toBe(clock.toISOString());
    const owner = (await read(sam, r.id)).body;
    expect(owner?.recipients.map((p) => [p.handle, p.held])).toEqual([
      ['ada', null],
      ['bo', null],
      ['cy', 'paused'],
      ['di', null],
    ]);
    expect(await outboxFor(t, cy)).toEqual([]);
    expect((await outboxFor(t, di)).length).toBe(2);
    expect(await eventsFor(t, cy)).toEqual([`reachout.created:${r.id}`]);
  });

  it('never reaches someone who left the circle, or blocked the owner, before the escalation', async () => {
    const r = await escalating();
    await t.handle.db
      .deleteFrom('circle_members')
      .where('owner_id', '=', sam.accountId)
      .where('member_id', '=', cy.accountId)
      .execute();
    await t.handle.db
      .insertInto('circle_blocks')
      .values({
        blocker_id: di.accountId,
        blocked_id: sam.accountId,
        created_at: clock.toISOString(),
      })
      .execute();
    clock = minutes(10);
    await run(clock);
    expect((await row(r.id)).escalated_at).toBe(clock.toISOString());
    for (const m of [cy, di]) {
      expect(await outboxFor(t, m)).toEqual([]);
      expect(await eventsFor(t, m)).toEqual([]);
      expect((await read(m, r.id)).status).toBe(404);
    }
    const owner = (await read(sam, r.id)).body;
    expect(owner?.recipients.filter((p) => p.wave === 2).map((p) => p.notifiedAt)).toEqual([
      null,
      null,
    ]);
  });

  it('the app runs the worker on its own, with its clock', async () => {
    const r = await escalating();
    clock = minutes(10);
    // The worker polls every 5 s; wait for it rather than calling runOnce.
    const deadline = Date.now() + 12_000;
    while ((await row(r.id)).escalated_at === null && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 200));
    }
    expect((await row(r.id)).escalated_at).toBe(clock.toISOString());
  }, 20_000);
});
