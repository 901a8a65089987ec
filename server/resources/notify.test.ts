import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { notifyChoiceSchema } from '../../core/src/resources/api.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { NEW_SUGGESTIONS_TEXT } from './events.js';
import { admin, content, keeper, someone, type Someone } from './test-fixtures.js';

/**
 * Keepers' opt-in "New suggestions for the directory" notification, at most daily
 * (docs/RESOURCES.md, "Realtime and notifications"), on both engines, with the clock injected.
 */

const HOUR = 3_600_000;
const SECRET_NAME = 'Heron Wharf Quiet Room';
const SECRET_NOTE = 'My neighbour Juniper told me about it';
const SECRET_SOURCE = 'Overheard at the bakery';

/** The error code of an answer. */
const codeOf = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

describeEachEngine('resources: keepers’ daily notice of new suggestions', (engine) => {
  let t: TestApp;
  let clock = new Date('2026-11-27T09:00:00.000Z');
  let optedIn: Someone;
  let optedOut: Someone;
  let boss: Someone;
  let removed: Someone;
  let member: Someone;
  let writer: Someone;

  /** Gives an account an email address, so the outbox has a channel for it. */
  const withEmail = async (p: Someone) => {
    await t.handle.db
      .updateTable('accounts')
      .set({ email: `${p.handle}@example.test` })
      .where('id', '=', p.accountId)
      .execute();
    return p;
  };

  const suggest = async (by: Someone) => {
    const res = await by.client.post('/api/v1/resources/suggestions', {
      id: randomUUID(),
      resourceId: null,
      baseVersion: null,
      content: content({ name: SECRET_NAME, description: 'A hidden room by the water.' }),
      note: SECRET_NOTE,
      source: SECRET_SOURCE,
    });
    expect(res.statusCode, res.body).toBe(201);
  };

  const outboxOf = async (p: Someone) =>
    t.handle.db
      .selectFrom('notify_outbox')
      .selectAll()
      .where('account_id', '=', p.accountId)
      .where('kind', '=', 'resources')
      .orderBy('created_at')
      .execute();

  const optIn = async (p: Someone, on = true) => {
    const res = await p.client.put('/api/v1/resources/notify', { dailySuggestions: on });
    expect(res.statusCode, res.body).toBe(200);
    expect(notifyChoiceSchema.parse(res.json())).toEqual({ dailySuggestions: on });
  };

  beforeAll(async () => {
    t = await createTestApp(engine, {
      env: { NOTIFY_WORKER: 'false' },
      now: () => clock,
    });
    boss = await withEmail(await admin(t, 'ash'));
    optedIn = await withEmail(await keeper(t, 'sam'));
    optedOut = await withEmail(await keeper(t, 'robin'));
    removed = await withEmail(await keeper(t, 'lee'));
    member = await withEmail(await someone(t, 'wren'));
    writer = await withEmail(await someone(t, 'fern'));
  });
  afterAll(async () => t.close());

  it('keeps the choice: off until chosen, on and off again, for keepers and admins', async () => {
    const before = await optedIn.client.get('/api/v1/resources/notify');
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toEqual({ dailySuggestions: false });
    await optIn(optedIn);
    expect((await optedIn.client.get('/api/v1/resources/notify')).json()).toEqual({
      dailySuggestions: true,
    });
    await optIn(optedOut, true);
    await optIn(optedOut, false);
    expect((await optedOut.client.get('/api/v1/resources/notify')).json()).toEqual({
      dailySuggestions: false,
    });
    await optIn(boss);
    await optIn(removed);
  });

  it('refuses bad input with a code, and members', async () => {
    for (const body of [
      {},
      { dailySuggestions: 'yes' },
      { dailySuggestions: 1 },
      { dailySuggestions: true, extra: 1 },
    ]) {
      const res = await optedIn.client.put('/api/v1/resources/notify', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(typeof codeOf(res)).toBe('string');
    }
    const byMember = await member.client.put('/api/v1/resources/notify', {
      dailySuggestions: true,
    });
    expect(byMember.statusCode).toBe(403);
    expect(codeOf(byMember)).toBe('forbidden');
    expect((await member.client.get('/api/v1/resources/notify')).statusCode).toBe(403);
  });

  it('tells opted-in keepers once a day, in fixed words, never the author nor a removed keeper', async () => {
    // Lee stops being a keeper after opting in: checked when a suggestion arrives.
    await t.handle.db
      .deleteFrom('resource_keepers')
      .where('account_id', '=', removed.accountId)
      .execute();

    await suggest(writer);
    const first = await outboxOf(optedIn);
    expect(first).toHaveLength(1);
    expect(JSON.parse(first[0]!.payload)).toEqual(NEW_SUGGESTIONS_TEXT);
    expect(first[0]!.dedupe_key).toBe(
      `resources-daily-suggestions:${optedIn.accountId}:2026-11-27:email`,
    );
    expect(await outboxOf(boss)).toHaveLength(1);
    expect(await outboxOf(optedOut)).toHaveLength(0);
    expect(await outboxOf(removed)).toHaveLength(0);
    expect(await outboxOf(writer)).toHaveLength(0);
    expect(await outboxOf(member)).toHaveLength(0);

    // None of the suggestion's words, the resource's name nor who suggested it, anywhere in it.
    const all = await t.handle.db.selectFrom('notify_outbox').selectAll().execute();
    const text = JSON.stringify(all);
    for (const secret of [SECRET_NAME, SECRET_NOTE, SECRET_SOURCE, 'hidden room', 'fern']) {
      expect(text).not.toContain(secret);
    }

    // A second suggestion within 24 hours: nothing more.
    clock = new Date(clock.getTime() + 23 * HOUR);
    await suggest(member);
    expect(await outboxOf(optedIn)).toHaveLength(1);
    expect(await outboxOf(boss)).toHaveLength(1);

    // 24 hours after the first: one again.
    clock = new Date('2026-11-28T09:00:00.000Z');
    await suggest(writer);
    const again = await outboxOf(optedIn);
    expect(again).toHaveLength(2);
    expect(again[1]!.dedupe_key).toBe(
      `resources-daily-suggestions:${optedIn.accountId}:2026-11-28:email`,
    );
    expect(await outboxOf(removed)).toHaveLength(0);
    expect(await outboxOf(optedOut)).toHaveLength(0);
  });

  it('never tells a keeper of their own suggestion', async () => {
    clock = new Date('2026-11-30T09:00:00.000Z');
    const before = (await outboxOf(optedIn)).length;
    await suggest(optedIn);
    expect(await outboxOf(optedIn)).toHaveLength(before);
    // Others opted in are still told.
    expect(await outboxOf(boss)).toHaveLength(3);
    // And the next one by someone else reaches the keeper: their own did not count.
    await suggest(writer);
    expect(await outboxOf(optedIn)).toHaveLength(before + 1);
  });
});
