// Direct conversations through the real server (SQLite), with real keys, vaults and pins: no mock
// of the conversation, people or vault APIs. A hostile server is played by rewriting answers.
import { describe, expect, it } from 'vitest';
import { createPublicKeyBundle, generateIdentityKeys } from '$core/crypto/identity';
import { fromBase64url, toBase64url } from '$core/encoding/base64url';
import type { TestClient } from '../../../../server/test-support/client.js';
import { ApiClient, type Fetch } from '../api/client';
import { useWorld, type Someone } from '../circles/test-support';
import { conversationsApi, type ConversationsApi } from './api';
import {
  keyStatus,
  mayExchange,
  openConversation,
  openRecords,
  send,
  startConversation,
  type ConversationDeps,
} from './session';
import { shownThread } from './thread';

type Tamper = (method: string, url: string, body: unknown) => unknown;

/** The app's API client over the test server, with an optional hostile rewrite of answers. */
function clientFor(client: TestClient, tamper: { fn?: Tamper }): ConversationsApi {
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
  return conversationsApi(new ApiClient(fetch));
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
