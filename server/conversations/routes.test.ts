import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  conversationDetailSchema,
  conversationSchema,
  conversationsResponseSchema,
  messageSchema,
  messagesResponseSchema,
} from '../../core/src/conversations/api.js';
import {
  makeConversationKey,
  openConversationKey,
  openMessage,
  wrapConversationKey,
} from '../../core/src/conversations/message.js';
import { verifyPublicKeyBundle } from '../../core/src/crypto/identity.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { fromBase64url } from '../../core/src/encoding/base64url.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  eventsOf,
  footprint,
  member,
  messageBody,
  startBody,
  startConversation,
  type Member,
} from './test-fixtures.js';
import { CONVERSATION_LIMIT } from './use-cases.js';

describeEachEngine('conversations', (engine) => {
  let t: TestApp;
  let clock: Date;
  let ada: Member, sam: Member, bo: Member;

  beforeEach(async () => {
    clock = new Date('2026-11-25T20:00:00.000Z');
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    ada = await member(t, 'ada');
    sam = await member(t, 'sam');
    bo = await member(t, 'bo');
  });
  afterEach(async () => t.close());

  const list = async (who: Member) => {
    const res = await who.client.get('/api/v1/conversations');
    expect(res.statusCode, res.body).toBe(200);
    return conversationsResponseSchema.parse(res.json()).conversations;
  };
  const post = (who: Member, id: string, body: unknown) =>
    who.client.post(`/api/v1/conversations/${id}/messages`, body);
  const page = async (who: Member, id: string, query: string) => {
    const res = await who.client.get(`/api/v1/conversations/${id}/messages${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return messagesResponseSchema.parse(res.json());
  };
  const tick = (ms = 1000) => {
    clock = new Date(clock.getTime() + ms);
  };

  it('start → the other opens the key with the starter’s pinned key → messages both ways, live, with unread counts and fixed-word notifications', async () => {
    const { id, key, conversation } = await startConversation(ada, sam);
    expect(conversation).toMatchObject({
      id,
      kind: 'direct',
      context: 'direct',
      contextId: null,
      createdBy: ada.accountId,
      closedAt: null,
      other: { accountId: sam.accountId, handle: 'sam', leftAt: null },
      keyId: 1,
      keyBy: ada.accountId,
      lastSeq: 0,
      unread: 0,
    });
    expect((await list(sam)).map((c) => [c.id, c.other?.handle])).toEqual([[id, 'ada']]);
    expect(await list(bo)).toEqual([]);

    // Sam checks Ada's keys (the bundle comes with the conversation) and opens his share key.
    const detail = await sam.client.get(`/api/v1/conversations/${id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const d = conversationDetailSchema.parse(detail.json());
    if (d.otherPublicKeyBundle === null) throw new Error('no bundle for Ada');
    const adaKeys = verifyPublicKeyBundle(d.otherPublicKeyBundle, ada.accountId);
    if (!adaKeys.ok) throw new Error(adaKeys.error);
    const samKey = await openConversationKey({
      conversationId: id,
      senderId: d.keyBy,
      recipientId: sam.accountId,
      shareKey: d.shareKey,
      expectedKeyId: d.keyId,
      senderEd25519PublicKey: adaKeys.value.ed25519PublicKey,
      recipientX25519SecretKey: sam.person.identity.x25519SecretKey,
    });
    expect(samKey.ok && samKey.value.key).toEqual(key);

    const first = messageBody(id, ada, key, 'Are you around tonight?');
    const sent = await post(ada, id, first);
    expect(sent.statusCode, sent.body).toBe(201);
    expect(messageSchema.parse(sent.json())).toEqual({
      seq: 1,
      id: first.id,
      senderId: ada.accountId,
      keyId: 1,
      record: first.record,
      createdAt: clock.toISOString(),
    });
    // A retry of the same message is the same message; another record under its id is refused.
    const retry = await post(ada, id, first);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ seq: 1 });
    const clash = await post(ada, id, messageBody(id, ada, key, 'other', { id: first.id }));
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ error: { code: 'conflict' } });

    tick();
    expect((await post(ada, id, messageBody(id, ada, key, 'No rush.'))).statusCode).toBe(201);
    tick();
    expect((await post(sam, id, messageBody(id, sam, key, 'Yes, here.'))).statusCode).toBe(201);

    // Sam reads what Ada wrote with her pinned key.
    const msgs = (await page(sam, id, '')).messages;
    expect(msgs.map((m) => [m.seq, m.senderId])).toEqual([
      [1, ada.accountId],
      [2, ada.accountId],
      [3, sam.accountId],
    ]);
    const opened = openMessage({
      conversationId: id,
      messageId: msgs[0]?.id ?? '',
      senderId: msgs[0]?.senderId ?? '',
      record: fromBase64url(msgs[0]?.record ?? '') ?? new Uint8Array(),
      expectedKeyId: msgs[0]?.keyId ?? 0,
      conversationKeys: (k) => (k === 1 && samKey.ok ? samKey.value.key : undefined),
      senderEd25519PublicKey: adaKeys.value.ed25519PublicKey,
    });
    expect(opened.ok && opened.value.content).toEqual({
      v: 1,
      type: 'message',
      text: 'Are you around tonight?',
    });

    // Unread counts only the other person's messages after my read position.
    expect((await list(sam))[0]).toMatchObject({ unread: 2, lastSeq: 3, readSeq: 0 });
    expect((await list(ada))[0]).toMatchObject({ unread: 1, readSeq: 0 });
    const read = await sam.client.post(`/api/v1/conversations/${id}/read`, { seq: 2 });
    expect(read.statusCode, read.body).toBe(204);
    expect((await list(sam))[0]).toMatchObject({ unread: 0, readSeq: 2 });
    // Never backwards, never past the last message.
    await sam.client.post(`/api/v1/conversations/${id}/read`, { seq: 1 });
    await sam.client.post(`/api/v1/conversations/${id}/read`, { seq: 99 });
    expect((await list(sam))[0]).toMatchObject({ readSeq: 3 });

    // Events: ids only, to both, in the same transaction as the message.
    const message = (seq: number) => ({
      type: 'conversation.message',
      data: { conversationId: id, seq: String(seq) },
    });
    const updated = { type: 'conversation.updated', data: { conversationId: id } };
    expect(await eventsOf(t, sam)).toEqual([
      updated,
      message(1),
      message(2),
      message(3),
      updated,
      updated,
    ]);
    expect(await eventsOf(t, ada)).toEqual([updated, message(1), message(2), message(3)]);
    expect(await eventsOf(t, bo)).toEqual([]);

    // One email per read position: Sam once for seq 1–2 (none for 2), Ada once for 3.
    const outbox = await t.handle.db
      .selectFrom('notify_outbox')
      .select(['account_id', 'kind', 'channel', 'payload'])
      .orderBy('created_at')
      .execute();
    const words = {
      title: 'Tend',
      body: 'You have a new message — open Tend',
      path: `/messages/${id}`,
    };
    expect(
      outbox.map((r) => [r.account_id, r.kind, r.channel, JSON.parse(r.payload) as unknown]),
    ).toEqual([
      [sam.accountId, 'conversation', 'email', words],
      [ada.accountId, 'conversation', 'email', words],
    ]);
    // After Sam has read, Ada's next message tells him again.
    tick();
    await post(ada, id, messageBody(id, ada, key, 'Call?'));
    expect(
      (await t.handle.db.selectFrom('notify_outbox').selectAll().execute()).filter(
        (r) => r.account_id === sam.accountId,
      ),
    ).toHaveLength(2);
  });

  it('one message id, posted by both at the same moment: one is stored, the other is a conflict', async () => {
    const { id, key } = await startConversation(ada, sam);
    const messageId = generateId();
    const results = await Promise.all([
      post(ada, id, messageBody(id, ada, key, 'mine', { id: messageId })),
      post(sam, id, messageBody(id, sam, key, 'mine too', { id: messageId })),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)?.json()).toMatchObject({
      error: { code: 'conflict' },
    });
    expect((await page(ada, id, '')).messages.map((m) => m.id)).toEqual([messageId]);
  });

  it('both people posting at once, in one conversation and another, all arrive (no deadlock)', async () => {
    const one = await startConversation(ada, sam);
    const two = await startConversation(sam, ada);
    const sends = [];
    for (let i = 0; i < 6; i++) {
      for (const [from, c] of [
        [ada, one],
        [sam, one],
        [sam, two],
        [ada, two],
      ] as const) {
        sends.push(post(from, c.id, messageBody(c.id, from, c.key, `${from.handle} ${i}`)));
      }
    }
    const results = await Promise.all(sends);
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 201));
    for (const c of [one, two]) {
      const seqs = (await page(ada, c.id, '?after=0')).messages.map((m) => m.seq);
      expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    }
  });

  it('respects paused notifications: the message and its event arrive, no email', async () => {
    const { id, key } = await startConversation(ada, sam);
    await t.handle.db
      .insertInto('notify_settings')
      .values({
        account_id: sam.accountId,
        email: 1,
        push: 1,
        quiet_start: null,
        quiet_end: null,
        time_zone: null,
        paused_until: new Date(clock.getTime() + 3_600_000).toISOString(),
        updated_at: clock.toISOString(),
      })
      .execute();
    expect((await post(ada, id, messageBody(id, ada, key, 'hello'))).statusCode).toBe(201);
    expect(await t.handle.db.selectFrom('notify_outbox').selectAll().execute()).toEqual([]);
    expect((await eventsOf(t, sam)).at(-1)).toMatchObject({ type: 'conversation.message' });
  });

  it('pages by seq: after= oldest first, before= the latest before it, with more', async () => {
    const { id, key } = await startConversation(ada, sam);
    for (let i = 1; i <= 7; i++) {
      const from = i % 2 === 0 ? sam : ada;
      expect((await post(from, id, messageBody(id, from, key, `m${i}`))).statusCode).toBe(201);
      tick();
    }
    const seqs = (p: { messages: { seq: number }[]; more: boolean }) => [
      p.messages.map((m) => m.seq),
      p.more,
    ];
    expect(seqs(await page(sam, id, '?after=0&limit=3'))).toEqual([[1, 2, 3], true]);
    expect(seqs(await page(sam, id, '?after=3&limit=3'))).toEqual([[4, 5, 6], true]);
    expect(seqs(await page(sam, id, '?after=6&limit=3'))).toEqual([[7], false]);
    expect(seqs(await page(sam, id, '?after=7'))).toEqual([[], false]);
    expect(seqs(await page(sam, id, '?limit=3'))).toEqual([[5, 6, 7], true]);
    expect(seqs(await page(sam, id, '?before=5&limit=3'))).toEqual([[2, 3, 4], true]);
    expect(seqs(await page(sam, id, '?before=3&limit=3'))).toEqual([[1, 2], false]);
    expect(seqs(await page(ada, id, ''))).toEqual([[1, 2, 3, 4, 5, 6, 7], false]);
    expect(seqs(await page(ada, id, '?after=9007199254740991'))).toEqual([[], false]);
    expect(seqs(await page(ada, id, '?before=9007199254740991&limit=2'))).toEqual([[6, 7], true]);
    for (const bad of [
      '?after=1&before=5',
      '?limit=0',
      '?limit=201',
      '?after=-1',
      '?after=x',
      '?extra=1',
    ]) {
      const res = await sam.client.get(`/api/v1/conversations/${id}/messages${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    // Both engines hand out 1…n once each under concurrent posting.
    const burst = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => post(ada, id, messageBody(id, ada, key, `c${i}`))),
    );
    expect(burst.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const all = (await page(ada, id, '?after=0&limit=200')).messages.map((m) => m.seq);
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('blocks: nobody can start a conversation across a block (read as "no such person"), and a block ends posting', async () => {
    const { id, key } = await startConversation(ada, sam);
    expect(
      (await sam.client.post('/api/v1/circles/blocks', { accountId: ada.accountId })).statusCode,
    ).toBe(201);
    const before = await footprint(t);
    for (const [from, to] of [
      [ada, sam],
      [sam, ada],
    ] as const) {
      const res = await from.client.post('/api/v1/conversations', (await startBody(from, to)).body);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const nobody = await ada.client.post('/api/v1/conversations', {
      ...(await startBody(ada, sam)).body,
      with: generateId(),
    });
    expect(nobody.statusCode).toBe(404);
    const blocked = await post(ada, id, messageBody(id, ada, key, 'hello?'));
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ error: { code: 'conversation_closed' } });
    expect(await footprint(t)).toEqual(before);
    // Others are not affected.
    expect(
      (await bo.client.post('/api/v1/conversations', (await startBody(bo, ada)).body)).statusCode,
    ).toBe(201);
  });

  it('either side leaves at any time: it ends for both, the leaver no longer sees it', async () => {
    const { id, key } = await startConversation(ada, sam);
    await post(ada, id, messageBody(id, ada, key, 'hi'));
    const left = await sam.client.post(`/api/v1/conversations/${id}/leave`);
    expect(left.statusCode, left.body).toBe(204);
    expect(await list(sam)).toEqual([]);
    for (const res of [
      await sam.client.get(`/api/v1/conversations/${id}`),
      await sam.client.get(`/api/v1/conversations/${id}/messages`),
      await post(sam, id, messageBody(id, sam, key, 'back')),
      await sam.client.post(`/api/v1/conversations/${id}/leave`),
    ]) {
      expect(res.statusCode).toBe(404);
    }
    const [mine] = await list(ada);
    expect(mine).toMatchObject({
      closedAt: clock.toISOString(),
      other: { leftAt: clock.toISOString() },
    });
    expect((await page(ada, id, '')).messages).toHaveLength(1);
    const closed = await post(ada, id, messageBody(id, ada, key, 'are you there?'));
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toMatchObject({ error: { code: 'conversation_closed' } });
    expect((await eventsOf(t, ada)).at(-1)).toEqual({
      type: 'conversation.updated',
      data: { conversationId: id },
    });
    // Ada can leave too; then neither sees it.
    expect((await ada.client.post(`/api/v1/conversations/${id}/leave`)).statusCode).toBe(204);
    expect(await list(ada)).toEqual([]);
  });

  it('when the other person deletes their account, the conversation stays readable and ends', async () => {
    const { id, key } = await startConversation(ada, sam);
    await post(ada, id, messageBody(id, ada, key, 'hi'));
    await post(sam, id, messageBody(id, sam, key, 'hello'));
    await t.handle.db.deleteFrom('accounts').where('id', '=', sam.accountId).execute();
    const [mine] = await list(ada);
    expect(mine).toMatchObject({ id, other: null, closedAt: null });
    const detail = await ada.client.get(`/api/v1/conversations/${id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(conversationDetailSchema.parse(detail.json()).otherPublicKeyBundle).toBeNull();
    // Sam's messages went with his account; Ada's stay.
    expect((await page(ada, id, '')).messages.map((m) => m.senderId)).toEqual([ada.accountId]);
    const closed = await post(ada, id, messageBody(id, ada, key, 'still there?'));
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toMatchObject({ error: { code: 'conversation_closed' } });
    expect((await ada.client.post(`/api/v1/conversations/${id}/leave`)).statusCode).toBe(204);
    expect(await list(ada)).toEqual([]);
  });

  it('a key reset: key id + 1 wrapped for both, older key ids refused for new messages', async () => {
    const { id, key } = await startConversation(ada, sam);
    const before = messageBody(id, ada, key, 'under key 1');
    expect((await post(ada, id, before)).statusCode).toBe(201);
    const key2 = makeConversationKey();
    const wrap = (to: Member, keyId: number) =>
      wrapConversationKey({
        conversationId: id,
        senderId: sam.accountId,
        recipientId: to.accountId,
        keyId,
        key: key2,
        recipientX25519PublicKey: to.person.identity.x25519PublicKey,
        senderEd25519Seed: sam.person.identity.ed25519Seed,
      });
    const skip = await sam.client.put(`/api/v1/conversations/${id}/key`, {
      keyId: 3,
      myShareKey: await wrap(sam, 3),
      theirShareKey: await wrap(ada, 3),
    });
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({ error: { code: 'stale_key' } });
    const mismatched = await sam.client.put(`/api/v1/conversations/${id}/key`, {
      keyId: 2,
      myShareKey: await wrap(sam, 2),
      theirShareKey: await wrap(ada, 3),
    });
    expect(mismatched.statusCode).toBe(400);
    expect(mismatched.json()).toMatchObject({
      error: { code: 'invalid_input', issues: [{ path: 'theirShareKey' }] },
    });
    const reset = await sam.client.put(`/api/v1/conversations/${id}/key`, {
      keyId: 2,
      myShareKey: await wrap(sam, 2),
      theirShareKey: await wrap(ada, 2),
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(conversationSchema.parse(reset.json())).toMatchObject({
      keyId: 2,
      keyBy: sam.accountId,
    });
    const [forAda] = await list(ada);
    const opened = await openConversationKey({
      conversationId: id,
      senderId: forAda?.keyBy ?? '',
      recipientId: ada.accountId,
      shareKey: forAda?.shareKey ?? '',
      expectedKeyId: 2,
      senderEd25519PublicKey: sam.person.identity.ed25519PublicKey,
      recipientX25519SecretKey: ada.person.identity.x25519SecretKey,
    });
    expect(opened.ok && opened.value.key).toEqual(key2);
    const stale = await post(ada, id, messageBody(id, ada, key, 'old key'));
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'stale_key' } });
    expect(
      (await post(ada, id, messageBody(id, ada, key2, 'new key', { keyId: 2 }))).statusCode,
    ).toBe(201);

    // Older keys are kept: each person is served every key they were given, with its maker, and
    // opens the one under which the earlier message was sealed.
    for (const who of [ada, sam]) {
      const res = await who.client.get(`/api/v1/conversations/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      const detail = conversationDetailSchema.parse(res.json());
      expect(detail.keys.map((k) => [k.keyId, k.keyBy])).toEqual([
        [1, ada.accountId],
        [2, sam.accountId],
      ]);
      expect(detail.keys[1]?.shareKey).toBe(detail.shareKey);
      const makers = { [ada.accountId]: ada, [sam.accountId]: sam };
      const keys = new Map<number, Uint8Array>();
      for (const k of detail.keys) {
        const opened = await openConversationKey({
          conversationId: id,
          senderId: k.keyBy,
          recipientId: who.accountId,
          shareKey: k.shareKey,
          expectedKeyId: k.keyId,
          senderEd25519PublicKey:
            makers[k.keyBy]?.person.identity.ed25519PublicKey ?? new Uint8Array(),
          recipientX25519SecretKey: who.person.identity.x25519SecretKey,
        });
        if (!opened.ok) throw new Error(opened.error);
        keys.set(k.keyId, opened.value.key);
      }
      expect(keys.get(1)).toEqual(key);
      expect(keys.get(2)).toEqual(key2);
      const msgs = (await page(who, id, '')).messages;
      expect(msgs.map((m) => m.keyId)).toEqual([1, 2]);
      const texts = msgs.map((m) => {
        const r = openMessage({
          conversationId: id,
          messageId: m.id,
          senderId: m.senderId,
          record: fromBase64url(m.record) ?? new Uint8Array(),
          expectedKeyId: m.keyId,
          conversationKeys: (k) => keys.get(k),
          senderEd25519PublicKey: ada.person.identity.ed25519PublicKey,
        });
        return r.ok && r.value.content.type === 'message' ? r.value.content.text : r;
      });
      expect(texts).toEqual(['under key 1', 'new key']);
      // Nobody else is served them (the conversation does not exist for a stranger).
      expect((await bo.client.get(`/api/v1/conversations/${id}`)).statusCode).toBe(404);
    }
    // A refused reset (a stale key id) keeps no key.
    const stale2 = await sam.client.put(`/api/v1/conversations/${id}/key`, {
      keyId: 2,
      myShareKey: await wrap(sam, 2),
      theirShareKey: await wrap(ada, 2),
    });
    expect(stale2.statusCode).toBe(409);
    const rows = await t.handle.db
      .selectFrom('conversation_keys')
      .select(['account_id', 'key_id'])
      .where('conversation_id', '=', id)
      .orderBy('key_id')
      .orderBy('account_id')
      .execute();
    expect(rows).toHaveLength(4);
  });

  it(`limits messages per sender (${CONVERSATION_LIMIT.messagesPerMinute} a minute) across conversations, then 429 with Retry-After`, async () => {
    const one = await startConversation(ada, sam);
    const two = await startConversation(ada, bo);
    for (let i = 0; i < CONVERSATION_LIMIT.messagesPerMinute; i++) {
      const c = i % 2 === 0 ? one : two;
      const res = await post(ada, c.id, messageBody(c.id, ada, c.key, `m${i}`));
      expect(res.statusCode, res.body).toBe(201);
    }
    const before = await footprint(t);
    const limited = await post(ada, one.id, messageBody(one.id, ada, one.key, 'one more'));
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await footprint(t)).toEqual(before);
    // Sam has his own allowance; a minute later Ada has hers back.
    expect((await post(sam, one.id, messageBody(one.id, sam, one.key, 'hi'))).statusCode).toBe(201);
    tick(60_001);
    expect((await post(ada, one.id, messageBody(one.id, ada, one.key, 'again'))).statusCode).toBe(
      201,
    );
  });

  it(`limits new conversations (${CONVERSATION_LIMIT.startsPerHour} an hour)`, async () => {
    const others: Member[] = [];
    for (let i = 0; i < CONVERSATION_LIMIT.startsPerHour; i++) {
      const other = i < 2 ? [sam, bo][i] : undefined;
      const to = other ?? (await member(t, `p${i}`));
      others.push(to);
      const res = await ada.client.post('/api/v1/conversations', (await startBody(ada, to)).body);
      expect(res.statusCode, res.body).toBe(201);
    }
    const limited = await ada.client.post(
      '/api/v1/conversations',
      (await startBody(ada, sam)).body,
    );
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    tick(3_600_001);
    expect(
      (await ada.client.post('/api/v1/conversations', (await startBody(ada, sam)).body)).statusCode,
    ).toBe(201);
  });

  it('refuses bad input with a code and writes nothing', async () => {
    const { id, key } = await startConversation(ada, sam);
    const good = (await startBody(ada, bo)).body;
    const before = await footprint(t);
    const starts: [unknown, number, string][] = [
      [{ ...good, with: ada.accountId }, 400, 'invalid_input'],
      [{ ...good, keyId: 2 }, 400, 'invalid_input'],
      [{ ...good, myShareKey: 'not-a-key' }, 400, 'invalid_input'],
      [{ ...good, theirShareKey: undefined }, 400, 'invalid_input'],
      [{ ...good, id: 'x'.repeat(62) }, 400, 'invalid_input'],
      [{ ...good, id: 'bad id!' }, 400, 'invalid_input'],
      [{ ...good, extra: true }, 400, 'invalid_input'],
      [{ ...good, id }, 409, 'conflict'],
      // Share keys the server can tell are wrong: for someone else, another conversation, swapped.
      [
        { ...good, theirShareKey: (await startBody(ada, sam, good.id)).body.theirShareKey },
        400,
        'invalid_input',
      ],
      [
        { ...good, theirShareKey: (await startBody(ada, bo)).body.theirShareKey },
        400,
        'invalid_input',
      ],
      [{ ...good, myShareKey: good.theirShareKey }, 400, 'invalid_input'],
      [
        { ...good, myShareKey: (await startBody(bo, ada, good.id)).body.theirShareKey },
        400,
        'invalid_input',
      ],
      ['just a string', 415, 'unsupported_media_type'],
    ];
    for (const [body, status, code] of starts) {
      const res = await ada.client.post('/api/v1/conversations', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json()).toMatchObject({ error: { code } });
    }
    const m = messageBody(id, ada, key, 'hello');
    const record = fromBase64url(m.record) ?? new Uint8Array();
    const withVersion = (v: number) => {
      const copy = Uint8Array.from(record);
      copy[0] = v;
      return Buffer.from(copy).toString('base64url');
    };
    const posts: [unknown, number, string][] = [
      [{ ...m, record: 'AAAA' }, 400, 'invalid_input'],
      [{ ...m, record: withVersion(2) }, 400, 'invalid_input'],
      [{ ...m, keyId: 2 }, 400, 'invalid_input'], // the header says key 1
      [{ ...m, keyId: 0 }, 400, 'invalid_input'],
      [{ ...m, id: 'no spaces' }, 400, 'invalid_input'],
      [{ ...m, record: `${m.record}=` }, 400, 'invalid_input'],
      [{ ...m, record: 'A'.repeat(40_000) }, 400, 'invalid_input'],
      [{ ...m, text: 'plaintext' }, 400, 'invalid_input'],
      [{ id: m.id }, 400, 'invalid_input'],
    ];
    for (const [body, status, code] of posts) {
      const res = await post(ada, id, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.json()).toMatchObject({ error: { code } });
    }
    for (const [url, body] of [
      [`/api/v1/conversations/${id}/read`, { seq: -1 }],
      [`/api/v1/conversations/${id}/read`, {}],
      [`/api/v1/conversations/${id}/key`, { keyId: 2 }],
    ] as const) {
      const res = url.endsWith('/key')
        ? await ada.client.put(url, body)
        : await ada.client.post(url, body);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    const huge = await ada.client.post('/api/v1/conversations/bad%20id/leave');
    expect(huge.statusCode).toBe(400);
    expect(await footprint(t)).toEqual(before);
  });

  // ─── Authorization matrix ──────────────────────────────────────────────────────────────────────

  type Role = 'signed out' | 'stranger' | 'starter' | 'other' | 'left';
  interface Setup {
    id: string;
    key: Uint8Array;
    client: (role: Role) => TestClient;
    as: (role: Role) => Member;
  }
  interface RouteCase {
    name: string;
    call: (s: Setup, role: Role) => Promise<{ statusCode: number }>;
    expect: Record<Role, number>;
  }

  const routes: RouteCase[] = [
    {
      name: 'POST /conversations',
      call: async (s, role) =>
        s
          .client(role)
          .post(
            '/api/v1/conversations',
            role === 'signed out'
              ? (await startBody(s.as('starter'), s.as('stranger'))).body
              : (await startBody(s.as(role), s.as(role === 'stranger' ? 'starter' : 'stranger')))
                  .body,
          ),
      expect: { 'signed out': 401, stranger: 201, starter: 201, other: 201, left: 201 },
    },
    {
      name: 'GET /conversations',
      call: (s, role) => s.client(role).get('/api/v1/conversations'),
      expect: { 'signed out': 401, stranger: 200, starter: 200, other: 200, left: 200 },
    },
    {
      name: 'GET /conversations/{id}',
      call: (s, role) => s.client(role).get(`/api/v1/conversations/${s.id}`),
      expect: { 'signed out': 401, stranger: 404, starter: 200, other: 200, left: 404 },
    },
    {
      name: 'POST /conversations/{id}/messages',
      call: (s, role) =>
        s
          .client(role)
          .post(
            `/api/v1/conversations/${s.id}/messages`,
            messageBody(s.id, role === 'signed out' ? s.as('starter') : s.as(role), s.key, 'hi'),
          ),
      expect: { 'signed out': 401, stranger: 404, starter: 201, other: 201, left: 404 },
    },
    {
      name: 'GET /conversations/{id}/messages',
      call: (s, role) => s.client(role).get(`/api/v1/conversations/${s.id}/messages`),
      expect: { 'signed out': 401, stranger: 404, starter: 200, other: 200, left: 404 },
    },
    {
      name: 'POST /conversations/{id}/read',
      call: (s, role) => s.client(role).post(`/api/v1/conversations/${s.id}/read`, { seq: 1 }),
      expect: { 'signed out': 401, stranger: 404, starter: 204, other: 204, left: 404 },
    },
    {
      name: 'PUT /conversations/{id}/key',
      call: async (s, role) => {
        const by = role === 'signed out' ? s.as('starter') : s.as(role);
        const k = makeConversationKey();
        const wrap = (to: Member) =>
          wrapConversationKey({
            conversationId: s.id,
            senderId: by.accountId,
            recipientId: to.accountId,
            keyId: 2,
            key: k,
            recipientX25519PublicKey: to.person.identity.x25519PublicKey,
            senderEd25519Seed: by.person.identity.ed25519Seed,
          });
        return s.client(role).put(`/api/v1/conversations/${s.id}/key`, {
          keyId: 2,
          myShareKey: await wrap(by),
          theirShareKey: await wrap(s.as(by === s.as('starter') ? 'other' : 'starter')),
        });
      },
      expect: { 'signed out': 401, stranger: 404, starter: 200, other: 200, left: 404 },
    },
    {
      name: 'POST /conversations/{id}/leave',
      call: (s, role) => s.client(role).post(`/api/v1/conversations/${s.id}/leave`),
      expect: { 'signed out': 401, stranger: 404, starter: 204, other: 204, left: 404 },
    },
  ];

  it('authorization matrix: every route × signed out, stranger, both participants, one who left', async () => {
    // Every conversation route in the app's OpenAPI description has a row here, and no other.
    const openapi = (await new TestClient(t.app).get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const registered = Object.entries(openapi.paths)
      .filter(([path]) => path.startsWith('/api/v1/conversations'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace('/api/v1', '')}`),
      );
    expect(new Set(routes.map((r) => r.name))).toEqual(new Set(registered));
    const left = await member(t, 'lee');
    const roles: Role[] = ['signed out', 'stranger', 'starter', 'other', 'left'];
    const failures: string[] = [];
    for (const route of routes) {
      for (const role of roles) {
        // A fresh conversation per cell: ada started it with sam; lee was in one and left.
        const people: Record<Role, Member> = {
          'signed out': ada,
          stranger: bo,
          starter: ada,
          other: sam,
          left,
        };
        const { id, key } = await startConversation(ada, sam);
        // "left": a participant who left — Lee starts with Ada, leaves; the matrix uses Lee's
        // conversation id for that row.
        let useId = id;
        let useKey = key;
        if (role === 'left') {
          const c = await startConversation(left, ada);
          expect((await left.client.post(`/api/v1/conversations/${c.id}/leave`)).statusCode).toBe(
            204,
          );
          useId = c.id;
          useKey = c.key;
        }
        await post(ada, useId === id ? id : useId, messageBody(useId, ada, useKey, 'first')).then(
          () => undefined,
        );
        const setup: Setup = {
          id: useId,
          key: useKey,
          client: (r) => (r === 'signed out' ? new TestClient(t.app) : people[r].client),
          as: (r) => people[r],
        };
        const res = await route.call(setup, role);
        if (res.statusCode !== route.expect[role]) {
          failures.push(
            `${route.name} as ${role}: ${res.statusCode}, expected ${route.expect[role]}`,
          );
        }
        tick(3_600_001); // keep clear of the rate limits
      }
    }
    expect(failures).toEqual([]);
  });
});
