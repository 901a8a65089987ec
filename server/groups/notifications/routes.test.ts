import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { groupNotifyChoiceSchema } from '../../../core/src/notify/api.js';
import { member, type Member } from '../../circles/test-fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/app.js';
import { TestClient } from '../../test-support/client.js';
import { describeEachEngine } from '../../test-support/engines.js';
import { createReminderWorker, REMINDER_TEXT } from '../meetings/reminders.js';
import { meetingBody } from '../meetings/test-fixtures.js';
import { seedGroup } from '../threads/test-fixtures.js';
import { mentionNotification } from '../threads/use-cases.js';
import { newPostNotification } from './use-cases.js';

const url = (groupId: string, rest = '') => `/api/v1/groups/${groupId}${rest}`;

describeEachEngine('per-group notification choices', (engine) => {
  let t: TestApp;
  let ms = Date.now();
  const clock = () => new Date(ms);
  let author: Member; // facilitator, writes the posts
  let every: Member; // everything
  let usual: Member; // mentions-and-meetings (the default: never set)
  let none: Member; // nothing
  let outsider: Member;
  let groupId: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(engine, { now: clock, env: { NOTIFY_WORKER: 'false' } });
  });
  afterAll(async () => t.close());

  beforeEach(async () => {
    ms += 3_600_000;
    n++;
    [author, every, usual, none, outsider] = (await Promise.all(
      ['author', 'every', 'usual', 'none', 'outsider'].map((h) => member(t, `${h}${n}`)),
    )) as [Member, Member, Member, Member, Member];
    groupId = await seedGroup(t, {
      now: clock(),
      members: [
        { who: author, role: 'facilitator' },
        { who: every, role: 'member' },
        { who: usual, role: 'member' },
        { who: none, role: 'member' },
      ],
    });
    for (const [who, choice] of [
      [every, 'everything'],
      [none, 'nothing'],
    ] as const) {
      const res = await who.client.put(url(groupId, '/notifications'), { choice });
      expect(res.statusCode, res.body).toBe(200);
    }
  });

  /** Outbox rows of one person: kind and payload. */
  const outboxOf = async (who: Member) =>
    (
      await t.handle.db
        .selectFrom('notify_outbox')
        .select(['kind', 'channel', 'payload'])
        .where('account_id', '=', who.accountId)
        .orderBy('created_at')
        .execute()
    ).map((r) => ({ kind: r.kind, channel: r.channel, text: JSON.parse(r.payload) as unknown }));

  async function startThread(body: string) {
    const res = await author.client.post(url(groupId, '/threads'), { title: 'Evenings', body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ thread: { id: string } }>().thread.id;
  }

  it('has exactly the two routes tested here', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('group-notifications') === true)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual([
      'GET /api/v1/groups/{groupId}/notifications',
      'PUT /api/v1/groups/{groupId}/notifications',
    ]);
  });

  it('reads and writes a member’s choice; refuses others and bad input without writing', async () => {
    const read = async (who: Member) =>
      groupNotifyChoiceSchema.parse((await who.client.get(url(groupId, '/notifications'))).json());
    expect(await read(every)).toEqual({ choice: 'everything' });
    expect(await read(usual)).toEqual({ choice: 'mentions-and-meetings' });
    expect(await read(none)).toEqual({ choice: 'nothing' });

    const before = await t.handle.db.selectFrom('group_notify_choices').selectAll().execute();
    const out = new TestClient(t.app);
    expect((await out.get(url(groupId, '/notifications'))).statusCode).toBe(401);
    expect((await out.put(url(groupId, '/notifications'), { choice: 'nothing' })).statusCode).toBe(
      401,
    );
    expect((await outsider.client.get(url(groupId, '/notifications'))).statusCode).toBe(404);
    expect(
      (await outsider.client.put(url(groupId, '/notifications'), { choice: 'nothing' })).statusCode,
    ).toBe(404);
    for (const bad of [{ choice: 'some' }, {}, { choice: 'nothing', extra: 1 }, []]) {
      const res = await usual.client.put(url(groupId, '/notifications'), bad);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_input');
    }
    expect(await t.handle.db.selectFrom('group_notify_choices').selectAll().execute()).toEqual(
      before,
    );
  });

  it('sends exactly what each choice asks for, for new posts and mentions', async () => {
    // A thread without mentions: only `everything` hears of it.
    const quiet = await startThread('Evenings are hard.');
    const post = {
      kind: 'group.post',
      channel: 'email',
      text: newPostNotification(groupId, quiet),
    };
    expect(await outboxOf(every)).toEqual([post]);
    expect(await outboxOf(usual)).toEqual([]);
    expect(await outboxOf(none)).toEqual([]);
    expect(await outboxOf(author)).toEqual([]);

    // A reply mentioning all three: a mention for `everything` and the default, nothing for
    // `nothing`; `everything` gets the mention, not a second, new-post notification.
    const res = await author.client.post(url(groupId, `/threads/${quiet}/posts`), {
      body: `Thinking of you @${every.handle} @${usual.handle} @${none.handle}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const mention = {
      kind: 'group.mention',
      channel: 'email',
      text: mentionNotification(groupId, quiet),
    };
    expect(await outboxOf(every)).toEqual([post, mention]);
    expect(await outboxOf(usual)).toEqual([mention]);
    expect(await outboxOf(none)).toEqual([]);
    // The in-app mention still reaches `nothing` (it is not a notification).
    const events = await t.handle.db
      .selectFrom('events')
      .select('type')
      .where('account_id', '=', none.accountId)
      .where('type', '=', 'group.mention')
      .execute();
    expect(events).toHaveLength(1);

    // A plain reply: `everything` again.
    const plain = await author.client.post(url(groupId, `/threads/${quiet}/posts`), {
      body: 'Still here.',
    });
    expect(plain.statusCode).toBe(201);
    expect((await outboxOf(every)).map((r) => r.kind)).toEqual([
      'group.post',
      'group.mention',
      'group.post',
    ]);
    expect(await outboxOf(usual)).toEqual([mention]);
    expect(await outboxOf(none)).toEqual([]);
  });

  it('keeps quiet hours, a pause and blocks on top of `everything`', async () => {
    const paused = await every.client.put('/api/v1/notify/settings', {
      email: true,
      push: true,
      quietHours: null,
      pausedUntil: new Date(ms + 3_600_000).toISOString(),
    });
    expect(paused.statusCode, paused.body).toBe(200);
    await startThread('One.');
    expect(await outboxOf(every)).toEqual([]);

    const hour = clock().getUTCHours();
    const hh = (x: number) => `${String((x + 24) % 24).padStart(2, '0')}:00`;
    const quiet = await every.client.put('/api/v1/notify/settings', {
      email: true,
      push: true,
      quietHours: { start: hh(hour - 1), end: hh(hour + 2), timeZone: 'UTC' },
      pausedUntil: null,
    });
    expect(quiet.statusCode, quiet.body).toBe(200);
    await startThread('Quiet.');
    expect(await outboxOf(every)).toEqual([]);
    await every.client.put('/api/v1/notify/settings', {
      email: true,
      push: true,
      quietHours: null,
      pausedUntil: null,
    });
    await startThread('Heard.');
    expect((await outboxOf(every)).map((r) => r.kind)).toEqual(['group.post']);
    expect(
      (await every.client.post('/api/v1/circles/blocks', { accountId: author.accountId }))
        .statusCode,
    ).toBe(201);
    await startThread('Two.');
    expect((await outboxOf(every)).map((r) => r.kind)).toEqual(['group.post']);
  });

  it('sends a meeting reminder for `everything` and the default, and none for `nothing`', async () => {
    const day = new Date(ms + 86_400_000).toISOString().slice(0, 10);
    const start = Date.parse(`${day}T19:00:00.000Z`);
    const made = await author.client.post(
      url(groupId, '/meetings'),
      meetingBody({ start: `${day}T19:00`, timeZone: 'UTC', rrule: null }),
    );
    expect(made.statusCode, made.body).toBe(201);
    const meetingId = made.json<{ id: string }>().id;
    for (const who of [every, usual, none]) {
      const res = await who.client.put(url(groupId, `/meetings/${meetingId}/rsvp`), {
        occurrenceId: null,
        answer: 'yes',
        reminderMinutes: 30,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const worker = createReminderWorker(
      { db: t.handle.db, realtime: t.app.realtime, notifier: t.app.notifyWorker },
      { now: clock, start: false },
    );
    expect(await worker.runOnce(new Date(start - 30 * 60_000))).toEqual({ sent: 2 });
    const reminder = {
      kind: 'meeting',
      channel: 'email',
      text: { ...REMINDER_TEXT, path: `/groups/${groupId}` },
    };
    expect(await outboxOf(every)).toEqual([reminder]);
    expect(await outboxOf(usual)).toEqual([reminder]);
    expect(await outboxOf(none)).toEqual([]);
  });
});
