/**
 * Golden vectors for direct-conversation formats (docs/PROTOCOL.md §13.6): fixed keys, nonces and
 * randomness → fixed bytes (fixtures/golden-dm-v1.json). Messages written today must stay
 * readable and reports verifiable, so these bytes never change for v1.
 *
 * The fixture was written once with TEND_WRITE_GOLDEN=1; without it the test only compares.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateIdentityKeys } from '../crypto/identity.js';
import { counting, fixedRandom, hex, toHex } from '../crypto/test-support/vectors.js';
import { toBase64url } from '../encoding/base64url.js';
import type { MessageContent } from './content.js';
import {
  messageRecordAd,
  messageSignedMessage,
  openConversationKey,
  openMessage,
  sealMessage,
  verifyReportedMessage,
  wrapConversationKey,
} from './message.js';

const FIXTURE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'golden-dm-v1.json',
);

const conversationId = 'conv_0001';
const ada = { id: 'acct_R1ver', x: counting(32, 0x70), e: counting(32, 0x90) };
const sam = { id: 'acct_Amy', x: counting(32, 0xb0), e: counting(32, 0xd0) };
const conversationKey = counting(32, 0x80);
const binding = { conversationId, messageId: 'msg_0001', senderId: ada.id };
const sentAt = 1_795_647_600_000; // 2026-11-25T23:00:00Z
const content: MessageContent = {
  v: 1,
  type: 'message',
  text: 'Thank you for listening tonight. Café at 10?',
  contentWarning: 'mentions a hard day',
};
const nonce = counting(24, 0x50);
const ekmAda = counting(32, 0xf0);
const ekmSam = counting(32, 0x10);

async function computeGolden() {
  const adaKeys = generateIdentityKeys(1, fixedRandom(ada.x, ada.e));
  const samKeys = generateIdentityKeys(1, fixedRandom(sam.x, sam.e));
  const record = sealMessage(
    {
      ...binding,
      keyId: 1,
      conversationKey,
      content,
      sentAt,
      senderEd25519Seed: adaKeys.ed25519Seed,
    },
    fixedRandom(nonce),
  );
  if (!record.ok) throw new Error(record.error);
  const wrap = (recipientId: string, recipientX: Uint8Array, ekm: Uint8Array) =>
    wrapConversationKey(
      {
        conversationId,
        senderId: ada.id,
        recipientId,
        keyId: 1,
        key: conversationKey,
        recipientX25519PublicKey: recipientX,
        senderEd25519Seed: adaKeys.ed25519Seed,
      },
      fixedRandom(ekm),
    );
  const contentBytes = new TextEncoder().encode(JSON.stringify(content));
  return {
    about:
      'Tend v1 direct-conversation golden vectors (docs/PROTOCOL.md §13.6). Hex unless named *Base64url. Never regenerate for v1.',
    conversationId,
    senderId: ada.id,
    recipientId: sam.id,
    messageId: binding.messageId,
    senderEd25519PublicKey: toHex(adaKeys.ed25519PublicKey),
    senderX25519SecretKey: toHex(adaKeys.x25519SecretKey),
    recipientX25519SecretKey: toHex(samKeys.x25519SecretKey),
    conversationKey: toHex(conversationKey),
    sentAt,
    content,
    contentBytes: toHex(contentBytes),
    nonce: toHex(nonce),
    recordAd: toHex(messageRecordAd(binding, 1)),
    signedMessage: toHex(messageSignedMessage(binding, sentAt, contentBytes)),
    record: toHex(record.value),
    recordBase64url: toBase64url(record.value),
    shareKeyForSenderBase64url: await wrap(ada.id, adaKeys.x25519PublicKey, ekmAda),
    shareKeyForRecipientBase64url: await wrap(sam.id, samKeys.x25519PublicKey, ekmSam),
  };
}

type Golden = Awaited<ReturnType<typeof computeGolden>>;

describe('direct conversations: golden vectors v1', () => {
  it('reproduces the committed bytes', async () => {
    const actual = JSON.parse(JSON.stringify(await computeGolden())) as Golden;
    if (process.env.TEND_WRITE_GOLDEN === '1') {
      fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
      fs.writeFileSync(FIXTURE, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const committed = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Golden;
    expect(actual).toEqual(committed);
  });

  const read = () => JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Golden;

  it('the AD and the signed message are ctx encodings (checked by hand)', () => {
    const g = read();
    const tag = (t: string) => toHex(new TextEncoder().encode(t)) + '00';
    expect(g.recordAd.startsWith(tag('tend/v1/dm-record'))).toBe(true);
    // … conversation id (9 bytes) first, and u32be(4) ‖ u32be(1) last.
    expect(
      g.recordAd
        .slice(tag('tend/v1/dm-record').length)
        .startsWith('00000009' + toHex(new TextEncoder().encode('conv_0001'))),
    ).toBe(true);
    expect(g.recordAd.endsWith('00000004' + '00000001')).toBe(true);
    expect(g.signedMessage.startsWith(tag('tend/v1/dm-message'))).toBe(true);
    // … u32be(8) ‖ u64be(sentAt) ‖ u32be(32) ‖ SHA-256(content) last.
    expect(g.signedMessage.slice(-(8 + 16 + 8 + 64))).toMatch(/^00000008[0-9a-f]{16}00000020/);
    // The record: version, key id, the nonce, then ciphertext.
    expect(g.record.slice(0, 10)).toBe('0100000001');
    expect(g.record.slice(10, 58)).toBe(g.nonce);
  });

  it('opens the committed record and verifies its report', () => {
    const g = read();
    const opened = openMessage({
      conversationId: g.conversationId,
      messageId: g.messageId,
      senderId: g.senderId,
      record: hex(g.record),
      expectedKeyId: 1,
      conversationKeys: (id) => (id === 1 ? hex(g.conversationKey) : undefined),
      senderEd25519PublicKey: hex(g.senderEd25519PublicKey),
    });
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.value.content).toEqual(g.content);
    expect(opened.value.sentAt).toBe(g.sentAt);
    expect(
      verifyReportedMessage(opened.value.report, hex(g.senderEd25519PublicKey), {
        conversationId: g.conversationId,
        senderId: g.senderId,
      }).ok,
    ).toBe(true);
  });

  it('opens both committed share keys', async () => {
    const g = read();
    for (const [recipientId, secret, shareKey] of [
      [g.senderId, g.senderX25519SecretKey, g.shareKeyForSenderBase64url],
      [g.recipientId, g.recipientX25519SecretKey, g.shareKeyForRecipientBase64url],
    ] as const) {
      const opened = await openConversationKey({
        conversationId: g.conversationId,
        senderId: g.senderId,
        recipientId,
        shareKey,
        expectedKeyId: 1,
        senderEd25519PublicKey: hex(g.senderEd25519PublicKey),
        recipientX25519SecretKey: hex(secret),
      });
      expect(opened.ok && toHex(opened.value.key)).toBe(g.conversationKey);
    }
  });
});
