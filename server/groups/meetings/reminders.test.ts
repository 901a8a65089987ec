import { afterEach, beforeEach, expect, it } from 'vitest';
import { occurrencesResponseSchema } from '../../../core/src/groups/meetings-api.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { createGroup, join, someone, type Someone } from '../test-fixtures.js';
import { createReminderWorker, REMINDER_TEXT } from './reminders.js';
import { meetingBody } from './test-fixtures.js';

describeEachEngine('meeting reminders', (engine) => {
  let t: TestApp;
  let clock: Date;
  let fay: Someone, ada: Someone;
  let groupId: string;
  /** The first meeting: tomorrow, 19:00 UTC. */
  let firstStart: number;

  beforeEach(async () => {
    clock = new Date();
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    fay = await someone(t, 'fay');
    ada = await someone(t, 'ada');
    // An email address, so a notification has somewhere to go.
    await t.handle.db
      .updateTable('accounts')
      .set({ email: 'ada@example.test' })
      .where('id', '=', ada.accountId)
      .execute();
    const g = await createGroup(fay, { name: 'A group whose name is private' });
    groupId = g.id;
    await join(ada, g);
    const day = new Date(clock.getTime() + 86_400_000).toISOString().slice(0, 10);
    firstStart = Date.parse(`${day}T19:00:00.000Z`);
  });
  afterEach(async () => t.close());

  const worker = () =>
    createReminderWorker(
      { db: t.handle.db, realtime: t.app.realtime, notifier: t.app.notifyWorker },
      { now: () => clock, start: false },
    );
  const outbox = () =>
    t.handle.db
      .selectFrom('notify_outbox')
      .select(['account_id', 'channel', 'kind', 'dedupe_key', 'payload'])
      .orderBy('created_at')
      .execute();
  const at = (ms: number) => new Date(ms);

  async function schedule(rrule: string | null) {
    const day = new Date(firstStart).toISOString().slice(0, 10);
    const res = await fay.client.post(
      `/api/v1/groups/${groupId}/meetings`,
      meetingBody({ start: `${day}T19:00`, timeZone: 'UTC', rrule }),
    );
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  }

  async function answer(meetingId: string, body: object) {
    const res = await ada.client.put(`/api/v1/groups/${groupId}/meetings/${meetingId}/rsvp`, {
      occurrenceId: null,
      reminderMinutes: null,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(200);
    return occurrencesResponseSchema.parse(res.json()).occurrences;
  }

  it('reminds once, at the time asked, in fixed words, and not again after a restart', async () => {
    const id = await schedule(null);
    const [o] = await answer(id, { answer: 'yes', reminderMinutes: 30 });
    expect(o!.start).toBe(at(firstStart).toISOString());
    // An answer for this one meeting (not the series): the same, as the only meeting.
    const first = worker();
    expect(await first.runOnce(at(firstStart - 31 * 60_000))).toEqual({ sent: 0 });
    expect(await outbox()).toEqual([]);

    expect(await first.runOnce(at(firstStart - 30 * 60_000))).toEqual({ sent: 1 });
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ account_id: ada.accountId, channel: 'email', kind: 'meeting' });
    const payload = JSON.parse(rows[0]!.payload) as { title: string; body: string; path: string };
    expect(payload).toEqual({ ...REMINDER_TEXT, path: `/groups/${groupId}` });
    expect(payload.body).toBe("A meeting you said you'd go to starts soon — open Tend");
    expect(rows[0]!.payload).not.toContain('private');
    expect(rows[0]!.payload).not.toContain('Thursday');

    // Again, and from a new worker as after a restart: nothing more.
    expect(await first.runOnce(at(firstStart - 29 * 60_000))).toEqual({ sent: 0 });
    await first.stop();
    const second = worker();
    expect(await second.runOnce(at(firstStart - 10 * 60_000))).toEqual({ sent: 0 });
    // Two workers at once (two instances): still one.
    expect(
      await Promise.all([worker().runOnce(at(firstStart)), worker().runOnce(at(firstStart))]),
    ).toEqual([{ sent: 0 }, { sent: 0 }]);
    expect(await outbox()).toHaveLength(1);
  });

  it('survives a restart before it is due, and two instances send it once', async () => {
    const id = await schedule(null);
    await answer(id, { answer: 'yes', reminderMinutes: 60 });
    // The app restarts (a new worker on the same database) before the reminder is due.
    await worker().stop();
    const results = await Promise.all([
      worker().runOnce(at(firstStart - 59 * 60_000)),
      worker().runOnce(at(firstStart - 59 * 60_000)),
    ]);
    expect(results.map((r) => r.sent).sort()).toEqual([0, 1]);
    expect(await outbox()).toHaveLength(1);
  });

  it('follows a series week by week, skips cancelled meetings, and stops on no', async () => {
    const id = await schedule('FREQ=WEEKLY;COUNT=4');
    const listed = await answer(id, { answer: 'yes', reminderMinutes: 15 });
    const week = 7 * 86_400_000;
    const w = worker();
    expect(await w.runOnce(at(firstStart - 15 * 60_000))).toEqual({ sent: 1 });
    // The second meeting is cancelled: no reminder for it; the third gets one.
    const cancel = await fay.client.put(
      `/api/v1/groups/${groupId}/meetings/${id}/occurrences/${listed[1]!.occurrenceId}`,
      { cancelled: true },
    );
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(await w.runOnce(at(firstStart + week))).toEqual({ sent: 0 });
    expect(await w.runOnce(at(firstStart + 2 * week - 15 * 60_000))).toEqual({ sent: 1 });
    const keys = (await outbox()).map((r) => r.dedupe_key);
    expect(keys).toEqual([
      `meeting-reminder:${ada.accountId}:${listed[0]!.occurrenceId}:${listed[0]!.start}:email`,
      `meeting-reminder:${ada.accountId}:${listed[2]!.occurrenceId}:${listed[2]!.start}:email`,
    ]);
    // "No" to the series: no more reminders.
    await answer(id, { answer: 'no', reminderMinutes: null });
    expect(await w.runOnce(at(firstStart + 3 * week))).toEqual({ sent: 0 });
    expect(await outbox()).toHaveLength(2);
  });

  it('moves with a moved meeting, and says nothing to someone who left the group', async () => {
    const id = await schedule('FREQ=WEEKLY;COUNT=2');
    const listed = await answer(id, { answer: 'yes', reminderMinutes: 30 });
    const moved = await fay.client.put(
      `/api/v1/groups/${groupId}/meetings/${id}/occurrences/${listed[0]!.occurrenceId}`,
      { start: new Date(firstStart + 2 * 3_600_000).toISOString().slice(0, 16) },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    const w = worker();
    // Not at the old time; at the new one.
    expect(await w.runOnce(at(firstStart - 30 * 60_000))).toEqual({ sent: 0 });
    expect(await w.runOnce(at(firstStart + 90 * 60_000))).toEqual({ sent: 1 });
    // Ada leaves: the next week's reminder is not sent.
    const left = await ada.client.delete(`/api/v1/groups/${groupId}/members/me`);
    expect(left.statusCode, left.body).toBe(204);
    expect(await w.runOnce(at(firstStart + 7 * 86_400_000))).toEqual({ sent: 0 });
    expect(await outbox()).toHaveLength(1);
  });
});
