// Direct conversations through the real server (SQLite), with real keys, vaults and pins: no mock
// of the conversation, people or vault APIs. A hostile server is played by rewriting answers.
import { describe, expect, it } from 'vitest';
import { verifyReportedMessage } from '$core/conversations/message';
import { createPublicKeyBundle, generateIdentityKeys } from '$core/crypto/identity';
import { fromBase64url, toBase64url } from '$core/encoding/base64url';
import { queueResponseSchema } from '$core/moderation/api';
import type { TestClient } from '../../../../server/test-support/client.js';
import { ApiClient, type Fetch } from '../api/client';
import { acceptNewKeys } from '../circles/keys';
import { useWorld, type Someone } from '../circles/test-support';
import { conversationsApi, type ConversationsApi } from './api';
import {
  keyStatus,
  mayExchange,
  openConversation,
  openRecords,
  resetDue,
  resetKey,
  send,
  startConversation,
  type ConversationDeps,
} from './session';
import { reportBody, sendReport } from './report';
import { reportable, shownThread } from './thread';

type Tamper = (method: string, url: string, body: unknown) => unknown;

/** The app's API client over the test server, with an optional hostile rewrite of answers. */
function clientFor(client: TestClient, tamper: { fn?: Tamper }): ConversationsApi {
  return conversationsApi(apiClientFor(client, tamper));
}

function apiClientFor(client: TestClient, tamper: { fn?: Tamper } = {}): ApiClient {
  const fetch: Fetch = async (url, init) => {
    const method = (init?.method ?? 'GET') as Parameters<TestClient['send']>[0];
    const res = await client.send(method, url, {
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      csrf: false,
    });
    let body = res.body;
    if (tamper.fn !== undefined && body !== '' && res.statusCode < 300) {
      body = JSON.stringify(tamper.fn(method, url, JSON.parse(body) as unknown));
    }
    return new Response(res.statusCode === 204 || body === '' ? null : body, {
      status: res.statusCode,
      headers: { 'content-type': 'application/json' },
    });
  };
  return new ApiClient(fetch);
}

interface Side {
  readonly who: Someone;
  readonly deps: ConversationDeps;
  readonly tamper: { fn?: Tamper };
}

const side = (who: Someone): Side => {
  const tamper: { fn?: Tamper } = {};
  return {
    who,
    tamper,
    deps: { api: clientFor(who.client, tamper), circles: who.api, vault: who.vault, me: who.me },
  };
};

async function opened(s: Side, id: string) {
  const detail = await s.deps.api.open(id);
  if (!detail.ok) throw new Error(JSON.stringify(detail));
  return openConversation(s.deps, detail.value);
}

async function thread(s: Side, id: string) {
  const conv = await opened(s, id);
  const page = await s.deps.api.messages(id);
  if (!page.ok) throw new Error(JSON.stringify(page));
  const loaded = openRecords(conv, s.deps.me, page.value.messages);
  return { conv, loaded, shown: shownThread(loaded, s.who.accountId) };
}

describe('direct conversations in the browser', () => {
  const world = useWorld();

  it('Ana starts by handle, both open the key, messages, edits and deletes come through', async () => {
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, '@ben');
    if (!started.ok) throw new Error(started.error);

    const anaConv = await opened(ana, started.id);
    expect(anaConv.status).toBe('not-verified');
    expect(anaConv.key?.keyId).toBe(1);
    const sent = await send(ana.deps, anaConv, {
      v: 1,
      type: 'message',
      text: 'A hard week, thank you for asking',
      contentWarning: 'low mood',
    });
    if (!sent.ok) throw new Error(sent.error);

    // Ben sees it unread, opens the key (signed by Ana, pinned on first use) and the message.
    const list = await ben.deps.api.list();
    expect(list.ok && list.value.conversations.map((c) => [c.id, c.unread])).toEqual([
      [started.id, 1],
    ]);
    const b = await thread(ben, started.id);
    expect(b.conv.status).toBe('not-verified');
    expect(b.shown).toMatchObject([
      {
        kind: 'message',
        mine: false,
        text: 'A hard week, thank you for asking',
        contentWarning: 'low mood',
      },
    ]);

    const reply = await send(ben.deps, b.conv, { v: 1, type: 'message', text: 'I am here' });
    if (!reply.ok) throw new Error(reply.error);
    const first = b.shown[0];
    if (first?.kind !== 'message') throw new Error('no message');
    expect(
      (
        await send(ana.deps, anaConv, {
          v: 1,
          type: 'edit',
          replaces: first.messageId,
          text: 'Better now',
        })
      ).ok,
    ).toBe(true);
    expect(
      (await send(ben.deps, b.conv, { v: 1, type: 'delete', replaces: reply.message.id })).ok,
    ).toBe(true);

    const a = await thread(ana, started.id);
    expect(a.shown).toMatchObject([
      { kind: 'message', mine: true, text: 'Better now', contentWarning: null, edited: true },
      { kind: 'message', mine: false, text: null, deleted: true },
    ]);

    // Ana ends it: Ben sees it ended and cannot send.
    expect((await ana.deps.api.leave(started.id)).ok).toBe(true);
    const after = await opened(ben, started.id);
    expect(after.detail.closedAt).not.toBeNull();
    expect(await send(ben.deps, after, { v: 1, type: 'message', text: 'still there?' })).toEqual({
      ok: false,
      error: 'closed',
    });
  });

  it('refuses unknown handles and oneself calmly', async () => {
    const ana = side(await world.add('ana'));
    expect(await startConversation(ana.deps, 'nobody_here')).toEqual({
      ok: false,
      error: 'unknown',
    });
    expect(await startConversation(ana.deps, 'ana')).toEqual({ ok: false, error: 'self' });
  });

  it("a server that swaps the other's keys pauses the conversation: nothing of theirs is trusted", async () => {
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, 'ben');
    if (!started.ok) throw new Error(started.error);
    const b = await opened(ben, started.id);
    expect((await send(ben.deps, b, { v: 1, type: 'message', text: 'secret words' })).ok).toBe(
      true,
    );

    // The server now shows Ana a different (self-signed, valid) bundle for Ben.
    const impostor = createPublicKeyBundle(ben.who.accountId, generateIdentityKeys(2));
    ana.tamper.fn = (_m, url, body) =>
      url.endsWith(`/conversations/${started.id}`)
        ? { ...(body as object), otherPublicKeyBundle: impostor }
        : body;
    const a = await thread(ana, started.id);
    expect(a.conv.status).toBe('changed');
    expect(mayExchange(a.conv.status)).toBe(false);
    expect(a.conv.otherKey).toBeNull();
    expect(a.shown).toMatchObject([{ kind: 'unopened', mine: false }]);
    expect(JSON.stringify(a.shown)).not.toContain('secret words');
  });

  it('a record changed by the server, or one claiming another sender, shows as unopened', async () => {
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, 'ben');
    if (!started.ok) throw new Error(started.error);
    const a = await opened(ana, started.id);
    expect((await send(ana.deps, a, { v: 1, type: 'message', text: 'one' })).ok).toBe(true);
    expect((await send(ana.deps, a, { v: 1, type: 'message', text: 'two' })).ok).toBe(true);

    ben.tamper.fn = (_m, url, body) => {
      if (!url.includes('/messages')) return body;
      const page = body as { messages: { record: string; senderId: string }[] };
      const [m1, m2] = page.messages;
      if (m1 !== undefined) {
        const bytes = fromBase64url(m1.record);
        if (bytes === undefined) throw new Error('bad record');
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        m1.record = toBase64url(bytes);
      }
      if (m2 !== undefined) m2.senderId = ben.who.accountId;
      return page;
    };
    const b = await thread(ben, started.id);
    expect(b.shown.map((s) => s.kind)).toEqual(['unopened', 'unopened']);
  });

  it('a share key not signed by the pinned key is not opened', async () => {
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, 'ben');
    if (!started.ok) throw new Error(started.error);
    // The server claims Ben made the key (he did not sign it).
    ben.tamper.fn = (_m, url, body) =>
      url.endsWith(`/conversations/${started.id}`)
        ? { ...(body as object), keyBy: ben.who.accountId }
        : body;
    const b = await opened(ben, started.id);
    expect(b.key).toBeNull();
    expect(await send(ben.deps, b, { v: 1, type: 'message', text: 'x' })).toEqual({
      ok: false,
      error: 'stale_key',
    });
  });

  it('after a key reset, both still open every earlier message; new ones use the newest key', async () => {
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, 'ben');
    if (!started.ok) throw new Error(started.error);
    const a1 = await opened(ana, started.id);
    expect((await send(ana.deps, a1, { v: 1, type: 'message', text: 'before, from Ana' })).ok).toBe(
      true,
    );
    const b1 = await opened(ben, started.id);
    expect((await send(ben.deps, b1, { v: 1, type: 'message', text: 'before, from Ben' })).ok).toBe(
      true,
    );
    // Nothing is due while the current key opens for both.
    expect(resetDue(a1, ana.who.accountId)).toBe(false);
    expect(resetDue(b1, ben.who.accountId, true)).toBe(false);

    // Ben makes a new key (key id 2): Ana's copy of the old conversation is stale for sending.
    expect(await resetKey(ben.deps, b1)).toEqual({ ok: true, keyId: 2 });
    expect(await resetKey(ben.deps, b1)).toEqual({ ok: false, error: 'stale_key' });
    expect(await send(ana.deps, a1, { v: 1, type: 'message', text: 'x' })).toEqual({
      ok: false,
      error: 'stale_key',
    });
    const a2 = await opened(ana, started.id);
    expect(a2.key?.keyId).toBe(2);
    expect([...a2.keys.keys()].sort()).toEqual([1, 2]);
    const sent = await send(ana.deps, a2, { v: 1, type: 'message', text: 'after, from Ana' });
    if (!sent.ok) throw new Error(sent.error);
    expect(sent.message.keyId).toBe(2);

    for (const s of [ana, ben]) {
      const t = await thread(s, started.id);
      expect(t.shown.map((m) => (m.kind === 'message' ? m.text : m.kind))).toEqual([
        'before, from Ana',
        'before, from Ben',
        'after, from Ana',
      ]);
    }
  });

  it('a hostile server cannot pass one key off as another or a key its maker did not sign: those messages stay unopened', async () => {
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, 'ben');
    if (!started.ok) throw new Error(started.error);
    expect(
      (await send(ana.deps, await opened(ana, started.id), { v: 1, type: 'message', text: 'one' }))
        .ok,
    ).toBe(true);
    expect((await resetKey(ana.deps, await opened(ana, started.id))).ok).toBe(true);
    expect(
      (await send(ana.deps, await opened(ana, started.id), { v: 1, type: 'message', text: 'two' }))
        .ok,
    ).toBe(true);

    type Detail = { keys: { keyId: number; keyBy: string; shareKey: string }[]; shareKey: string };
    const rewrite = (fn: (d: Detail) => Detail) => {
      ben.tamper.fn = (_m, url, body) =>
        url.endsWith(`/conversations/${started.id}`) ? fn(body as Detail) : body;
    };
    // The current share key listed as key 1: it does not open under that id.
    rewrite((d) => ({ ...d, keys: d.keys.map((k) => ({ ...k, shareKey: d.shareKey })) }));
    let t = await thread(ben, started.id);
    expect([...t.conv.keys.keys()]).toEqual([2]);
    expect(t.shown.map((m) => m.kind)).toEqual(['unopened', 'message']);
    // Key 1 claimed as Ben's own (he never signed it): not opened.
    rewrite((d) => ({ ...d, keys: d.keys.map((k) => ({ ...k, keyBy: ben.who.accountId })) }));
    t = await thread(ben, started.id);
    expect(t.conv.keys.has(1)).toBe(false);
    expect(t.shown.map((m) => m.kind)).toEqual(['unopened', 'message']);
    // Older keys withheld: the earlier message is unopened, never shown wrongly.
    rewrite((d) => ({ ...d, keys: [] }));
    t = await thread(ben, started.id);
    expect(t.shown.map((m) => (m.kind === 'message' ? m.text : m.kind))).toEqual([
      'unopened',
      'two',
    ]);
    ben.tamper.fn = undefined;
    t = await thread(ben, started.id);
    expect(t.shown.map((m) => (m.kind === 'message' ? m.text : m.kind))).toEqual(['one', 'two']);
  });

  it('when Ben’s keys change and Ana confirms them, a new key is due and lets both go on', async () => {
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, 'ben');
    if (!started.ok) throw new Error(started.error);
    const a1 = await opened(ana, started.id);
    expect((await send(ana.deps, a1, { v: 1, type: 'message', text: 'hello' })).ok).toBe(true);

    // Ben's account gets new identity keys (as after a fresh start on his side).
    const newIdentity = generateIdentityKeys();
    const bundle = createPublicKeyBundle(ben.who.accountId, newIdentity);
    await world.t.handle.db
      .updateTable('accounts')
      .set({ public_key_bundle: JSON.stringify(bundle) })
      .where('id', '=', ben.who.accountId)
      .execute();
    const newBen: Side = {
      ...ben,
      deps: { ...ben.deps, me: { accountId: ben.who.accountId, identity: newIdentity } },
    };
    // Ben, with his new keys, cannot open key 1 (sealed to his old keys): a reset is due for him.
    const b = await opened(newBen, started.id);
    expect(b.key).toBeNull();
    expect(resetDue(b, ben.who.accountId)).toBe(true);

    // Ana sees the change; nothing is due (or possible) until she confirms.
    const changed = await opened(ana, started.id);
    expect(changed.status).toBe('changed');
    expect(resetDue(changed, ana.who.accountId, true)).toBe(false);
    expect(await resetKey(ana.deps, changed)).toEqual({ ok: false, error: 'keys' });
    if (changed.check?.status !== 'changed') throw new Error('not changed');
    expect(
      await acceptNewKeys(
        ana.deps.vault,
        { accountId: ben.who.accountId, publicKeyBundle: bundle },
        changed.check.key.fingerprint,
      ),
    ).toBe(true);
    const confirmed = await opened(ana, started.id);
    expect(confirmed.status).toBe('not-verified');
    // Ana made the current key, so Ben's copy is sealed to his old keys: due just after confirming.
    expect(resetDue(confirmed, ana.who.accountId)).toBe(false);
    expect(resetDue(confirmed, ana.who.accountId, true)).toBe(true);
    expect(await resetKey(ana.deps, confirmed)).toEqual({ ok: true, keyId: 2 });
    const a2 = await opened(ana, started.id);
    expect((await send(ana.deps, a2, { v: 1, type: 'message', text: 'new keys ok?' })).ok).toBe(
      true,
    );
    const t = await thread(newBen, started.id);
    expect(t.conv.key?.keyId).toBe(2);
    expect(resetDue(t.conv, ben.who.accountId)).toBe(false);
    // Key 1 was sealed to Ben's old keys: his earlier-key message stays unopened, the new one opens.
    expect(t.shown.map((m) => (m.kind === 'message' ? m.text : m.kind))).toEqual([
      'unopened',
      'new keys ok?',
    ]);
  });

  it('reports from the device: only the picked messages of the other person, signed, verified by an admin', async () => {
    const admin = await world.add('keeper');
    await world.t.handle.db
      .updateTable('accounts')
      .set({ role: 'admin' })
      .where('id', '=', admin.accountId)
      .execute();
    const ana = side(await world.add('ana'));
    const ben = side(await world.add('ben'));
    const started = await startConversation(ana.deps, 'ben');
    if (!started.ok) throw new Error(started.error);
    const a = await opened(ana, started.id);
    const b = await opened(ben, started.id);
    const first = await send(ben.deps, b, { v: 1, type: 'message', text: 'you are worthless' });
    if (!first.ok) throw new Error(first.error);
    expect((await send(ben.deps, b, { v: 1, type: 'message', text: 'just kidding' })).ok).toBe(
      true,
    );
    expect(
      (
        await send(ben.deps, b, {
          v: 1,
          type: 'edit',
          replaces: first.message.id,
          text: 'you are worthless, really',
        })
      ).ok,
    ).toBe(true);
    expect((await send(ana.deps, a, { v: 1, type: 'message', text: 'please stop' })).ok).toBe(true);
    const gone = await send(ben.deps, b, { v: 1, type: 'message', text: 'deleted words' });
    if (!gone.ok) throw new Error(gone.error);
    expect((await send(ben.deps, b, { v: 1, type: 'delete', replaces: gone.message.id })).ok).toBe(
      true,
    );

    const t = await thread(ana, started.id);
    const offered = reportable(t.loaded, ana.who.accountId);
    // Ben's shown messages only: not mine, not the deleted one; the edit comes with its message.
    expect(offered.map((m) => [m.text, m.reports.length])).toEqual([
      ['you are worthless, really', 2],
      ['just kidding', 1],
    ]);
    const picked = offered.slice(0, 1);
    expect(reportBody(started.id, [], 'unkind-or-harassing', '')).toEqual({
      ok: false,
      error: 'none_picked',
    });
    const body = reportBody(started.id, picked, 'unkind-or-harassing', '  It keeps happening ');
    if (!body.ok) throw new Error(body.error);
    expect(body.body.words).toBe('It keeps happening');

    // A changed word is refused (the signature no longer matches) and nothing is stored.
    const forged = structuredClone(body.body);
    const m0 = forged.messages[0];
    if (m0 === undefined) throw new Error('no message');
    m0.content = toBase64url(new TextEncoder().encode('{"v":1,"type":"message","text":"lies"}'));
    const anaApi = apiClientFor(ana.who.client);
    expect(await sendReport(forged, anaApi)).toEqual({ ok: false, error: 'problem' });

    const sentReport = await sendReport(body.body, anaApi);
    if (!sentReport.ok) throw new Error(sentReport.error);
    expect(sentReport.report).toMatchObject({ kind: 'conversation', status: 'open' });
    expect(await sendReport(body.body, anaApi)).toEqual({ ok: false, error: 'already' });

    const res = await admin.client.get('/api/v1/moderation/queue');
    expect(res.statusCode, res.body).toBe(200);
    const [item] = queueResponseSchema.parse(res.json()).reports;
    expect(item?.messages?.map((m) => [m.type, m.text])).toEqual([
      ['message', 'you are worthless'],
      ['edit', 'you are worthless, really'],
    ]);
    expect(JSON.stringify(item)).not.toContain('just kidding');
    expect(JSON.stringify(item)).not.toContain('please stop');
    for (const m of item?.messages ?? []) {
      expect(
        verifyReportedMessage(m.report, ben.who.person.identity.ed25519PublicKey, {
          conversationId: started.id,
          senderId: ben.who.accountId,
        }).ok,
      ).toBe(true);
    }
  });
});

describe('keyStatus', () => {
  it('says verified, not verified, changed, invalid, unavailable or gone', () => {
    const key = {
      accountId: 'a',
      keyId: 1,
      x25519PublicKey: new Uint8Array(32),
      ed25519PublicKey: new Uint8Array(32),
      fingerprint: '1',
    };
    const pin = { accountId: 'a', fingerprint: '1', verifiedAt: null };
    expect(keyStatus({ status: 'first-use', key, pin })).toBe('not-verified');
    expect(
      keyStatus({ status: 'pinned', key, pin: { ...pin, verifiedAt: '2026-11-01T00:00:00Z' } }),
    ).toBe('verified');
    expect(keyStatus({ status: 'changed', key, pin })).toBe('changed');
    expect(keyStatus({ status: 'invalid', reason: 'bad_signature' })).toBe('invalid');
    expect(keyStatus({ status: 'unavailable' })).toBe('unavailable');
    expect(keyStatus(null)).toBe('gone');
    expect(
      ['verified', 'not-verified', 'changed', 'invalid', 'unavailable', 'gone'].filter((s) =>
        mayExchange(s as never),
      ),
    ).toEqual(['verified', 'not-verified']);
  });
});
