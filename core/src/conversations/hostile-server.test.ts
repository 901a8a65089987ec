/**
 * The server is not trusted with direct conversations: it plays a server that moves records
 * between conversations and messages, changes who sent them, substitutes keys, or forges a
 * report, and checks that the reader (or the moderator) notices each time.
 */
import { describe, expect, it } from 'vitest';
import { generateIdentityKeys } from '../crypto/identity.js';
import { toBase64url } from '../encoding/base64url.js';
import type { MessageContent } from './content.js';
import {
  makeConversationKey,
  openConversationKey,
  openMessage,
  sealMessage,
  verifyReportedMessage,
  wrapConversationKey,
} from './message.js';

const ada = { id: 'ada', keys: generateIdentityKeys() };
const sam = { id: 'sam', keys: generateIdentityKeys() };
const bo = { id: 'bo', keys: generateIdentityKeys() };
const server = generateIdentityKeys();
const keyAS = makeConversationKey(); // Ada ↔ Sam
const keyAB = makeConversationKey(); // Ada ↔ Bo
const text = (t: string): MessageContent => ({ v: 1, type: 'message', text: t });

function sealed(conversationId: string, messageId: string, from: typeof ada, key: Uint8Array) {
  const r = sealMessage({
    conversationId,
    messageId,
    senderId: from.id,
    keyId: 1,
    conversationKey: key,
    content: text(`${from.id} says hi in ${conversationId}`),
    sentAt: 1,
    senderEd25519Seed: from.keys.ed25519Seed,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** How Sam reads what the server serves him in the Ada ↔ Sam conversation. */
function samReads(served: {
  record: Uint8Array;
  conversationId?: string;
  messageId: string;
  senderId: string;
  keyId?: number;
}) {
  const sender = served.senderId === ada.id ? ada : served.senderId === sam.id ? sam : bo;
  return openMessage({
    conversationId: served.conversationId ?? 'c-as',
    messageId: served.messageId,
    senderId: served.senderId,
    record: served.record,
    expectedKeyId: served.keyId ?? 1,
    conversationKeys: (id) => (id === 1 ? keyAS : undefined),
    senderEd25519PublicKey: sender.keys.ed25519PublicKey,
  });
}

describe('a server that moves or rewrites message records', () => {
  const m1 = sealed('c-as', 'm1', ada, keyAS);

  it('serves it as it is: it opens', () => {
    expect(samReads({ record: m1, messageId: 'm1', senderId: ada.id }).ok).toBe(true);
  });

  it('serves it again under another message id (a replay): refused', () => {
    expect(samReads({ record: m1, messageId: 'm2', senderId: ada.id })).toEqual({
      ok: false,
      error: 'decrypt_failed',
    });
  });

  it('says Sam wrote what Ada wrote: refused', () => {
    expect(samReads({ record: m1, messageId: 'm1', senderId: sam.id })).toEqual({
      ok: false,
      error: 'decrypt_failed',
    });
  });

  it("moves a message of Ada's conversation with Bo into hers with Sam: refused", () => {
    const fromOther = sealed('c-ab', 'm1', ada, keyAB);
    expect(samReads({ record: fromOther, messageId: 'm1', senderId: ada.id }).ok).toBe(false);
    // Even with the right key, the conversation id in the AD does not match.
    const sameKey = sealed('c-ab', 'm1', ada, keyAS);
    expect(samReads({ record: sameKey, messageId: 'm1', senderId: ada.id })).toEqual({
      ok: false,
      error: 'decrypt_failed',
    });
  });

  it('reports a key id that is not the record’s: refused', () => {
    expect(samReads({ record: m1, messageId: 'm1', senderId: ada.id, keyId: 2 })).toEqual({
      ok: false,
      error: 'wrong_binding',
    });
  });

  it('writes a message itself (it has no key): refused', () => {
    const r = sealMessage({
      conversationId: 'c-as',
      messageId: 'm9',
      senderId: ada.id,
      keyId: 1,
      conversationKey: makeConversationKey(),
      content: text('forged'),
      sentAt: 1,
      senderEd25519Seed: server.ed25519Seed,
    });
    if (!r.ok) throw new Error(r.error);
    expect(samReads({ record: r.value, messageId: 'm9', senderId: ada.id })).toEqual({
      ok: false,
      error: 'decrypt_failed',
    });
  });
});

describe('a server that substitutes conversation keys', () => {
  it('serves Sam a key it made and signed itself as "from Ada": refused before decryption', async () => {
    const forged = await wrapConversationKey({
      conversationId: 'c-as',
      senderId: ada.id,
      recipientId: sam.id,
      keyId: 1,
      key: makeConversationKey(),
      recipientX25519PublicKey: sam.keys.x25519PublicKey,
      senderEd25519Seed: server.ed25519Seed,
    });
    const r = await openConversationKey({
      conversationId: 'c-as',
      senderId: ada.id,
      recipientId: sam.id,
      shareKey: forged,
      senderEd25519PublicKey: ada.keys.ed25519PublicKey, // Sam's pin of Ada
      recipientX25519SecretKey: sam.keys.x25519SecretKey,
    });
    expect(r).toEqual({ ok: false, error: 'bad_signature' });
  });

  it("serves Sam the key Ada wrapped for Bo's conversation: refused", async () => {
    const forBo = await wrapConversationKey({
      conversationId: 'c-ab',
      senderId: ada.id,
      recipientId: sam.id,
      keyId: 1,
      key: keyAB,
      recipientX25519PublicKey: sam.keys.x25519PublicKey,
      senderEd25519Seed: ada.keys.ed25519Seed,
    });
    const r = await openConversationKey({
      conversationId: 'c-as',
      senderId: ada.id,
      recipientId: sam.id,
      shareKey: forBo,
      senderEd25519PublicKey: ada.keys.ed25519PublicKey,
      recipientX25519SecretKey: sam.keys.x25519SecretKey,
    });
    expect(r).toEqual({ ok: false, error: 'bad_signature' });
  });
});

describe('a forged report', () => {
  it('Sam cannot make a report of words Ada never signed, even holding the conversation key', () => {
    // Sam seals a message claiming Ada as sender with his own signing key.
    const r = sealMessage({
      conversationId: 'c-as',
      messageId: 'm5',
      senderId: ada.id,
      keyId: 1,
      conversationKey: keyAS,
      content: text('words Ada never wrote'),
      sentAt: 1,
      senderEd25519Seed: sam.keys.ed25519Seed,
    });
    if (!r.ok) throw new Error(r.error);
    expect(samReads({ record: r.value, messageId: 'm5', senderId: ada.id })).toEqual({
      ok: false,
      error: 'bad_signature',
    });
    // A report carrying Sam's signature over those words fails with Ada's published key.
    const genuine = samReads({
      record: sealed('c-as', 'm1', ada, keyAS),
      messageId: 'm1',
      senderId: ada.id,
    });
    if (!genuine.ok) throw new Error(genuine.error);
    const report = {
      ...genuine.value.report,
      content: toBase64url(new TextEncoder().encode('{"v":1,"type":"message","text":"x"}')),
    };
    expect(verifyReportedMessage(report, ada.keys.ed25519PublicKey)).toEqual({
      ok: false,
      error: 'bad_signature',
    });
  });
});
