// The post page's occurrences of recurring help, per viewer (server/aid/occurrences.ts): my
// response to each one, its partner (to the author only), whether I thanked for it, and the ones
// someone helped with kept after their day so they can be confirmed and thanked for. Both engines.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  postPageSchema,
  responsesResponseSchema,
  responseWireSchema,
} from '../../core/src/aid/api.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import { conversationKeys, enableBoard, person, type Member } from './relations/test-fixtures.js';

const DAY = 86_400_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

describeEachEngine('mutual aid: one occurrence of recurring help at a time', (engine) => {
  let t: TestApp;
  // The real time now (sessions are made by it); moved on below, within the sessions' life.
  let ms = Date.now();
  const clock = () => new Date(ms);

  beforeAll(async () => {
    t = await createTestApp(engine, {
      now: clock,
      env: { NOTIFY_WORKER: 'false', SESSION_IDLE_HOURS: '2160', SESSION_MAX_HOURS: '8760' },
    });
    await enableBoard(t, 'instance', clock());
  });
  afterAll(async () => t.close());

  const page = async (who: Member, postId: string) => {
    const res = await who.client.get(`/api/v1/aid/posts/${postId}`);
    expect(res.statusCode, res.body).toBe(200);
    return postPageSchema.parse(res.json());
  };

  it('answers per occurrence: my response, its partner to the author only, my thanks; kept after its day', async () => {
    const [ola, rex, sam] = await Promise.all(['ola', 'rex', 'sam'].map((h) => person(t, h)));
    // Weekly rides from two days from now, 10:00 UTC.
    const first = new Date(ms + 2 * DAY);
    const start = `${first.toISOString().slice(0, 10)}T10:00`;
    const postId = generateId();
    const made = await ola!.client.post('/api/v1/aid/communities/instance/posts', {
      id: postId,
      kind: 'offer',
      category: 'rides',
      description: 'Thursday rides to the clinic',
      areaId: null,
      expiresInDays: 90,
      when: {
        kind: 'recurring',
        start,
        timeZone: 'UTC',
        durationMinutes: 60,
        rrule: `FREQ=WEEKLY;BYDAY=${WEEKDAYS[first.getUTCDay()]!}`,
      },
    });
    expect(made.statusCode, made.body).toBe(201);

    const before = await page(rex!, postId);
    expect(before.occurrences.length).toBeGreaterThan(8);
    expect(before.occurrences[0]).toMatchObject({
      status: 'open',
      past: false,
      partnerIsMe: false,
      partner: null,
      myResponse: null,
      thanksSent: false,
    });
    const [one, two] = before.occurrences as [
      (typeof before.occurrences)[number],
      (typeof before.occurrences)[number],
    ];

    // Rex asks for the second one only: the page says so on that one, not on the whole post.
    const responseId = generateId();
    const res = await rex!.client.post(`/api/v1/aid/posts/${postId}/responses`, {
      id: responseId,
      occurrenceId: two.occurrenceId,
      conversation: await conversationKeys(rex!, ola!),
    });
    expect(res.statusCode, res.body).toBe(201);
    const conversationId = responseWireSchema.parse(res.json()).conversationId;
    const rexSees = await page(rex!, postId);
    expect(rexSees.myResponse).toBeNull();
    expect(rexSees.occurrences[0]!.myResponse).toBeNull();
    expect(rexSees.occurrences[1]!.myResponse).toEqual({
      id: responseId,
      status: 'talking',
      conversationId,
    });
    // Nobody else sees Rex's response on the page.
    expect((await page(sam!, postId)).occurrences.every((o) => o.myResponse === null)).toBe(true);
    expect((await page(ola!, postId)).occurrences[1]!.myResponse).toBeNull();
    // The author's list says which occurrence it is for.
    const listed = responsesResponseSchema.parse(
      (await ola!.client.get(`/api/v1/aid/posts/${postId}/responses`)).json(),
    ).responses;
    expect(listed.map((r) => [r.id, r.occurrenceId])).toEqual([[responseId, two.occurrenceId]]);

    // Ola chooses Rex for that one: the author sees who; Rex sees it is him; Sam sees nobody.
    const chose = await ola!.client.post(`/api/v1/aid/posts/${postId}/status`, {
      to: 'helping',
      partnerId: rex!.accountId,
      occurrenceId: two.occurrenceId,
    });
    expect(chose.statusCode, chose.body).toBe(200);
    const olaSees = await page(ola!, postId);
    expect(olaSees.status).toBe('open');
    expect(olaSees.occurrences[0]).toMatchObject({ status: 'open', partner: null });
    expect(olaSees.occurrences[1]).toMatchObject({
      status: 'helping',
      partner: { accountId: rex!.accountId, handle: rex!.handle },
      partnerIsMe: false,
    });
    expect((await page(rex!, postId)).occurrences[1]).toMatchObject({
      status: 'helping',
      partnerIsMe: true,
      partner: null,
    });
    expect((await page(sam!, postId)).occurrences[1]).toMatchObject({
      status: 'helping',
      partnerIsMe: false,
      partner: null,
    });

    // A week and a bit later that day has passed: it stays on the page while someone is helping,
    // and Rex (who asked, on an offer) confirms it happened and thanks Ola.
    ms = Date.parse(two.end) + DAY;
    const afterDay = await page(rex!, postId);
    expect(afterDay.occurrences[0]).toMatchObject({
      occurrenceId: two.occurrenceId,
      status: 'helping',
      past: true,
      partnerIsMe: true,
    });
    // The first one (open, nobody helped) is gone with its day.
    expect(afterDay.occurrences.some((o) => o.occurrenceId === one.occurrenceId)).toBe(false);
    expect(afterDay.occurrences[1]!.past).toBe(false);
    const done = await rex!.client.post(`/api/v1/aid/posts/${postId}/status`, {
      to: 'done',
      occurrenceId: two.occurrenceId,
    });
    expect(done.statusCode, done.body).toBe(200);
    const thanked = await rex!.client.post(`/api/v1/aid/posts/${postId}/thanks`, {
      occurrenceId: two.occurrenceId,
      words: ['thank-you'],
    });
    expect(thanked.statusCode, thanked.body).toBe(201);
    expect((await page(rex!, postId)).occurrences[0]).toMatchObject({
      status: 'done',
      thanksSent: true,
    });
    // Ola (thanked, not thanking) and Sam see no thanks of theirs.
    expect((await page(ola!, postId)).occurrences[0]).toMatchObject({
      status: 'done',
      thanksSent: false,
      partner: { handle: rex!.handle },
    });
    expect((await page(sam!, postId)).occurrences[0]!.thanksSent).toBe(false);

    // Thirty-one days after it ended it leaves the page.
    ms = Date.parse(two.end) + 31 * DAY;
    expect(
      (await page(rex!, postId)).occurrences.some((o) => o.occurrenceId === two.occurrenceId),
    ).toBe(false);
  });
});
