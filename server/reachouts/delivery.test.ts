import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  startPushSink,
  startSmtpSink,
  type PushSink,
  type SmtpSink,
} from '../test-support/notify.js';
import { join, newId, reachOut, someone, type Someone } from './test-fixtures.js';

const WORDS = 'Someone in your circle is reaching out — open Tend';

/** Lets the worker finish anything still due, then waits a moment for stray duplicates. */
async function settle(t: TestApp) {
  await t.app.notifyWorker.drain();
  await new Promise((r) => setTimeout(r, 300));
  await t.app.notifyWorker.drain();
}

describeEachEngine('reach-out delivery', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let push: PushSink;
  let clock: Date;
  let sam: Someone, ada: Someone, bo: Someone, cy: Someone, di: Someone;
  const endpoints = new Map<string, string>();

  beforeEach(async () => {
    smtp = await startSmtpSink();
    push = await startPushSink();
    clock = new Date();
    t = await createTestApp(engine, { now: () => clock, env: { SMTP_URL: smtp.url } });
    const person = async (handle: string) => {
      const sub = push.subscribe();
      const who = await someone(t, handle, { push: sub });
      endpoints.set(sub.endpoint, handle);
      return who;
    };
    sam = await person('sam');
    ada = await person('ada');
    bo = await person('bo');
    cy = await person('cy');
    di = await person('di'); // in the circle, not chosen
    for (const m of [ada, bo, cy, di]) await join(t, sam, m);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    await push.close();
  });

  const emailsTo = () => smtp.messages.map((m) => m.to.join(',')).sort();
  const pushesTo = () => push.received.map((p) => endpoints.get(p.endpoint) ?? '?').sort();

  it('every chosen supporter gets exactly one notification per channel, with no private content', async () => {
    const body = {
      id: newId(),
      level: 'struggling',
      recipients: [ada.accountId, bo.accountId],
      escalation: { afterMinutes: 10, recipients: [cy.accountId] },
    };
    const res = await sam.client.post('/api/v1/reachouts', body);
    expect(res.statusCode, res.body).toBe(201);
    await smtp.waitFor(2);
    await push.waitFor(2);
    // A retry of the same request is answered from what exists and queues nothing again.
    expect((await sam.client.post('/api/v1/reachouts', body)).statusCode).toBe(200);
    await settle(t);
    expect(emailsTo()).toEqual(['ada@example.test', 'bo@example.test']);
    expect(pushesTo()).toEqual(['ada', 'bo']);

    for (const mail of smtp.messages) {
      expect(mail.text).toContain(WORDS);
      expect(mail.text).toContain(`/circle/reach-outs/${body.id}`);
      // Not who, not the level: the words are fixed.
      expect(`${mail.subject}\n${mail.text}`).not.toMatch(/sam|struggl/i);
      expect(mail.raw).not.toContain(sam.accountId);
    }
    for (const p of push.received) {
      expect(p.payload).toEqual({
        title: 'Tend',
        body: WORDS,
        path: `/circle/reach-outs/${body.id}`,
      });
    }

    // Nobody answered: the escalation reaches Cy, once, on both channels; nobody else again.
    clock = new Date(clock.getTime() + 10 * 60_000);
    await t.app.reachoutEscalation.runOnce(clock);
    await t.app.reachoutEscalation.runOnce(clock);
    await smtp.waitFor(3);
    await push.waitFor(3);
    await settle(t);
    expect(emailsTo()).toEqual(['ada@example.test', 'bo@example.test', 'cy@example.test']);
    expect(pushesTo()).toEqual(['ada', 'bo', 'cy']);
  });

  it('a paused supporter gets nothing; the others get theirs', async () => {
    await t.handle.db
      .insertInto('notify_settings')
      .values({
        account_id: bo.accountId,
        email: 1,
        push: 1,
        quiet_start: null,
        quiet_end: null,
        time_zone: null,
        paused_until: new Date(clock.getTime() + 3_600_000).toISOString(),
        updated_at: clock.toISOString(),
      })
      .execute();
    const r = await reachOut(sam, { recipients: [ada, bo, di] });
    expect(r.recipients.find((p) => p.handle === 'bo')?.held).toBe('paused');
    await smtp.waitFor(2);
    await push.waitFor(2);
    await settle(t);
    expect(emailsTo()).toEqual(['ada@example.test', 'di@example.test']);
    expect(pushesTo()).toEqual(['ada', 'di']);
  });
});
