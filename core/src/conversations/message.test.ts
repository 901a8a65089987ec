import { describe, expect, it } from 'vitest';
import { createPublicKeyBundle, generateIdentityKeys } from '../crypto/identity.js';
import { ed25519Sign } from '../crypto/primitives.js';
import { counting } from '../crypto/test-support/vectors.js';
import { fromBase64url, toBase64url } from '../encoding/base64url.js';
import { MAX_TEXT_LENGTH, type MessageContent } from './content.js';
import {
  conversationShareId,
  makeConversationKey,
  messageSignedMessage,
  MAX_MESSAGE_RECORD_BYTES,
  openConversationKey,
  openMessage,
  readMessageRecordHeader,
  sealMessage,
  verifyReportedMessage,
  wrapConversationKey,
  type MessageBinding,
} from './message.js';
import { applyEdits } from './thread.js';

const ada = { id: 'acct_ada', keys: generateIdentityKeys() };
const sam = { id: 'acct_sam', keys: generateIdentityKeys() };
const key = makeConversationKey();
const binding: MessageBinding = {
  conversationId: 'conv_1',
  messageId: 'msg_1',
  senderId: ada.id,
};
const content: MessageContent = { v: 1, type: 'message', text: 'Could we talk tonight? 🌙' };
const sentAt = Date.UTC(2026, 10, 25, 21, 0);

function seal(over: Partial<Parameters<typeof sealMessage>[0]> = {}): Uint8Array {
  const r = sealMessage({
    ...binding,
    keyId: 1,
    conversationKey: key,
    content,
    sentAt,
    senderEd25519Seed: ada.keys.ed25519Seed,
    ...over,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function open(record: Uint8Array, over: Partial<Parameters<typeof openMessage>[0]> = {}) {
  return openMessage({
    ...binding,
    record,
    expectedKeyId: 1,
    conversationKeys: (id) => (id === 1 ? key : undefined),
    senderEd25519PublicKey: ada.keys.ed25519PublicKey,
    ...over,
  });
}

describe('message records', () => {
  it('round trip: the other participant opens it, with the sender and time it was signed with', () => {
    const record = seal();
    expect(record[0]).toBe(1);
    expect(readMessageRecordHeader(record)).toEqual({ ok: true, value: { version: 1, keyId: 1 } });
    const opened = open(record);
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.value.content).toEqual(content);
    expect(opened.value.sentAt).toBe(sentAt);
    expect(opened.value.report).toMatchObject({ ...binding, sentAt, v: 1 });
  });

  it('is different every time (fresh nonce) and leaks nothing of the text', () => {
    const a = seal();
    const b = seal();
    expect(toBase64url(a)).not.toBe(toBase64url(b));
    expect(new TextDecoder().decode(a)).not.toContain('talk tonight');
  });

  it.each([
    ['conversation id', { conversationId: 'conv_2' }],
    ['message id', { messageId: 'msg_2' }],
    ['sender id', { senderId: sam.id }],
  ] as const)('another %s in the AD fails to decrypt', (_name, over) => {
    expect(open(seal(), over)).toEqual({ ok: false, error: 'decrypt_failed' });
  });

  it('every changed byte of the record is refused', () => {
    const record = seal();
    for (let i = 0; i < record.length; i++) {
      const bad = Uint8Array.from(record);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      const r = open(bad);
      expect(r.ok, `byte ${i}`).toBe(false);
      // Key id 1 → 0 (last byte) is no key id at all; any other id is not the server's.
      const expected =
        i === 0
          ? 'unsupported_version'
          : i === 4
            ? 'bad_format'
            : i < 5
              ? 'wrong_binding'
              : 'decrypt_failed';
      expect(r.ok ? '' : r.error, `byte ${i}`).toBe(expected);
    }
  });

  it('refuses short, long, unknown-key and wrong-key records', () => {
    const record = seal();
    expect(open(record.subarray(0, 20)).ok).toBe(false);
    expect(open(new Uint8Array(0))).toEqual({ ok: false, error: 'bad_format' });
    expect(readMessageRecordHeader(new Uint8Array(MAX_MESSAGE_RECORD_BYTES + 1).fill(1))).toEqual({
      ok: false,
      error: 'too_large',
    });
    expect(open(record, { conversationKeys: () => undefined })).toEqual({
      ok: false,
      error: 'unknown_key',
    });
    expect(open(record, { conversationKeys: () => makeConversationKey() })).toEqual({
      ok: false,
      error: 'decrypt_failed',
    });
    expect(open(record, { expectedKeyId: 2 })).toEqual({ ok: false, error: 'wrong_binding' });
    expect(open(record, { messageId: 'not valid!' })).toEqual({
      ok: false,
      error: 'wrong_binding',
    });
  });

  it("the other participant cannot write as the sender: the AEAD opens, Ada's signature does not", () => {
    // Sam holds the conversation key too, and seals a message claiming Ada sent it.
    const forged = seal({ senderEd25519Seed: sam.keys.ed25519Seed });
    expect(open(forged)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('refuses content that is too long or not valid', () => {
    expect(() =>
      seal({ content: { v: 1, type: 'message', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) } }),
    ).toThrow();
    expect(() => seal({ content: { v: 1, type: 'message', text: '' } })).toThrow();
    // The longest text, all escapes, still fits a record.
    const worst = seal({
      content: { v: 1, type: 'message', text: '\u0001'.repeat(MAX_TEXT_LENGTH) },
    });
    expect(worst.length).toBeLessThanOrEqual(MAX_MESSAGE_RECORD_BYTES);
    expect(open(worst).ok).toBe(true);
  });
});

describe('reports', () => {
  it("a moderator verifies a reported message with the sender's published key", () => {
    const opened = open(seal({ content: { ...content, contentWarning: 'self-harm' } }));
    if (!opened.ok) throw new Error(opened.error);
    const report = JSON.parse(JSON.stringify(opened.value.report)) as unknown;
    const checked = verifyReportedMessage(report, ada.keys.ed25519PublicKey, {
      conversationId: binding.conversationId,
      senderId: ada.id,
    });
    expect(checked).toEqual({
      ok: true,
      value: { content: { ...content, contentWarning: 'self-harm' }, sentAt },
    });
  });

  it('a changed word, time, message, conversation or a wrong key is refused', () => {
    const opened = open(seal());
    if (!opened.ok) throw new Error(opened.error);
    const r = opened.value.report;
    const other = new TextEncoder().encode(
      JSON.stringify({ v: 1, type: 'message', text: 'Something Ada never wrote' }),
    );
    const cases: [unknown, string][] = [
      [{ ...r, content: toBase64url(other) }, 'bad_signature'],
      [{ ...r, sentAt: sentAt + 1 }, 'bad_signature'],
      [{ ...r, messageId: 'msg_9' }, 'bad_signature'],
      [{ ...r, conversationId: 'conv_9' }, 'bad_signature'],
      [{ ...r, senderId: sam.id }, 'bad_signature'],
      [{ ...r, signature: toBase64url(new Uint8Array(64)) }, 'bad_signature'],
      [{ ...r, extra: 1 }, 'bad_format'],
      [{ ...r, signature: 'short' }, 'bad_format'],
      ['not a report', 'bad_format'],
    ];
    for (const [report, error] of cases) {
      expect(verifyReportedMessage(report, ada.keys.ed25519PublicKey)).toEqual({
        ok: false,
        error,
      });
    }
    expect(verifyReportedMessage(r, sam.keys.ed25519PublicKey)).toEqual({
      ok: false,
      error: 'bad_signature',
    });
    expect(
      verifyReportedMessage(r, ada.keys.ed25519PublicKey, { conversationId: 'conv_other' }),
    ).toEqual({ ok: false, error: 'wrong_binding' });
    expect(verifyReportedMessage(r, ada.keys.ed25519PublicKey, { senderId: sam.id })).toEqual({
      ok: false,
      error: 'wrong_binding',
    });
  });

  it('a genuine signature over content that is not v1 content is bad_format', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ v: 2, type: 'message', text: 'x' }));
    const signature = ed25519Sign(
      ada.keys.ed25519Seed,
      messageSignedMessage(binding, sentAt, bytes),
    );
    const report = {
      v: 1,
      ...binding,
      sentAt,
      content: toBase64url(bytes),
      signature: toBase64url(signature),
    };
    expect(verifyReportedMessage(report, ada.keys.ed25519PublicKey)).toEqual({
      ok: false,
      error: 'bad_format',
    });
  });
});

describe('conversation keys', () => {
  it('the initiator wraps the key for both; each opens it with the initiator’s pinned key', async () => {
    const conversationId = 'conv_1';
    const mine = await wrapConversationKey({
      conversationId,
      senderId: ada.id,
      recipientId: ada.id,
      keyId: 1,
      key,
      recipientX25519PublicKey: ada.keys.x25519PublicKey,
      senderEd25519Seed: ada.keys.ed25519Seed,
    });
    const theirs = await wrapConversationKey({
      conversationId,
      senderId: ada.id,
      recipientId: sam.id,
      keyId: 1,
      key,
      recipientX25519PublicKey: sam.keys.x25519PublicKey,
      senderEd25519Seed: ada.keys.ed25519Seed,
    });
    const forAda = await openConversationKey({
      conversationId,
      senderId: ada.id,
      recipientId: ada.id,
      shareKey: mine,
      expectedKeyId: 1,
      senderEd25519PublicKey: ada.keys.ed25519PublicKey,
      recipientX25519SecretKey: ada.keys.x25519SecretKey,
    });
    const forSam = await openConversationKey({
      conversationId,
      senderId: ada.id,
      recipientId: sam.id,
      shareKey: theirs,
      expectedKeyId: 1,
      senderEd25519PublicKey: ada.keys.ed25519PublicKey,
      recipientX25519SecretKey: sam.keys.x25519SecretKey,
    });
    expect(forAda).toEqual({ ok: true, value: { keyId: 1, key } });
    expect(forSam).toEqual({ ok: true, value: { keyId: 1, key } });
    expect(conversationShareId(conversationId)).toBe('dm-conv_1');

    const base = {
      conversationId,
      senderId: ada.id,
      recipientId: sam.id,
      shareKey: theirs,
      senderEd25519PublicKey: ada.keys.ed25519PublicKey,
      recipientX25519SecretKey: sam.keys.x25519SecretKey,
    };
    // Moved to another conversation, or claimed to be from Sam himself, or a wrong key id.
    expect(await openConversationKey({ ...base, conversationId: 'conv_2' })).toEqual({
      ok: false,
      error: 'bad_signature',
    });
    expect(
      await openConversationKey({
        ...base,
        senderId: sam.id,
        senderEd25519PublicKey: sam.keys.ed25519PublicKey,
      }),
    ).toEqual({ ok: false, error: 'bad_signature' });
    expect(await openConversationKey({ ...base, expectedKeyId: 2 })).toEqual({
      ok: false,
      error: 'wrong_binding',
    });
    expect(await openConversationKey({ ...base, shareKey: 'not base64!' })).toEqual({
      ok: false,
      error: 'bad_format',
    });
    expect(
      await openConversationKey({ ...base, recipientX25519SecretKey: ada.keys.x25519SecretKey }),
    ).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('a share key made for a circle collection with the same id does not open as the conversation key', async () => {
    const { wrapShareKey } = await import('../crypto/share.js');
    const circle = await wrapShareKey({
      shareId: 'conv_1',
      senderId: ada.id,
      recipientId: sam.id,
      keyId: 1,
      collectionKey: key,
      recipientX25519PublicKey: sam.keys.x25519PublicKey,
      senderEd25519Seed: ada.keys.ed25519Seed,
    });
    const r = await openConversationKey({
      conversationId: 'conv_1',
      senderId: ada.id,
      recipientId: sam.id,
      shareKey: toBase64url(circle),
      senderEd25519PublicKey: ada.keys.ed25519PublicKey,
      recipientX25519SecretKey: sam.keys.x25519SecretKey,
    });
    expect(r).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('bundles are what the keys come from', () => {
    const bundle = createPublicKeyBundle(ada.id, ada.keys);
    expect(fromBase64url(bundle.ed25519PublicKey)).toEqual(ada.keys.ed25519PublicKey);
    expect(makeConversationKey(() => counting(32)).length).toBe(32);
  });
});

describe('edits and deletes', () => {
  const m = (seq: number, messageId: string, senderId: string, c: MessageContent) => ({
    seq,
    messageId,
    senderId,
    sentAt: seq,
    content: c,
  });
  it('replace or tombstone only the same sender’s earlier message', () => {
    const view = applyEdits([
      m(1, 'a', ada.id, { v: 1, type: 'message', text: 'first' }),
      m(2, 'b', sam.id, { v: 1, type: 'message', text: 'hello' }),
      m(3, 'c', ada.id, { v: 1, type: 'edit', replaces: 'a', text: 'first, fixed' }),
      m(4, 'd', sam.id, { v: 1, type: 'edit', replaces: 'a', text: 'Sam rewrites Ada' }),
      m(5, 'e', sam.id, { v: 1, type: 'delete', replaces: 'b' }),
      m(6, 'f', sam.id, { v: 1, type: 'edit', replaces: 'b', text: 'back from the dead' }),
      m(7, 'g', ada.id, { v: 1, type: 'delete', replaces: 'nope' }),
      m(8, 'a', ada.id, { v: 1, type: 'message', text: 'same id again' }),
    ]);
    expect(view.map((v) => [v.messageId, v.text, v.edited, v.deleted])).toEqual([
      ['a', 'first, fixed', true, false],
      ['b', null, false, true],
    ]);
  });
});
