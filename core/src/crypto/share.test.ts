import { describe, expect, it } from 'vitest';
import { generateIdentityKeys } from './identity.js';
import { openShareKey, SHARE_KEY_LENGTH, verifyShareKey, wrapShareKey } from './share.js';
import { counting, toHex } from './test-support/vectors.js';

const sender = generateIdentityKeys();
const recipient = generateIdentityKeys();
const binding = { shareId: 'circle_1', senderId: 'alex', recipientId: 'sam' };
const collectionKey = counting(32, 9);

async function wrapped(keyId = 3) {
  return wrapShareKey({
    ...binding,
    keyId,
    collectionKey,
    recipientX25519PublicKey: recipient.x25519PublicKey,
    senderEd25519Seed: sender.ed25519Seed,
  });
}

describe('share key v1', () => {
  it('is 149 bytes and opens for the recipient, with its key id', async () => {
    const share = await wrapped();
    expect(share).toHaveLength(SHARE_KEY_LENGTH);
    const opened = await openShareKey({
      ...binding,
      wrapped: share,
      senderEd25519PublicKey: sender.ed25519PublicKey,
      recipientX25519SecretKey: recipient.x25519SecretKey,
    });
    expect(
      opened.ok && { keyId: opened.value.keyId, key: toHex(opened.value.collectionKey) },
    ).toEqual({
      keyId: 3,
      key: toHex(collectionKey),
    });
  });

  it('uses a fresh ephemeral key each time', async () => {
    expect(toHex(await wrapped())).not.toBe(toHex(await wrapped()));
  });

  it('cannot be opened by someone else, even with a valid signature check', async () => {
    const share = await wrapped();
    const eve = generateIdentityKeys();
    const opened = await openShareKey({
      ...binding,
      wrapped: share,
      senderEd25519PublicKey: sender.ed25519PublicKey,
      recipientX25519SecretKey: eve.x25519SecretKey,
    });
    expect(opened).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('verifyShareKey checks format and signature without decrypting', async () => {
    const share = await wrapped(5);
    const input = {
      ...binding,
      wrapped: share,
      senderEd25519PublicKey: sender.ed25519PublicKey,
      recipientX25519PublicKey: recipient.x25519PublicKey,
    };
    expect(verifyShareKey(input)).toEqual({ ok: true, value: { keyId: 5 } });
    expect(verifyShareKey({ ...input, wrapped: share.subarray(1) }).ok).toBe(false);
    const v2 = Uint8Array.from(share);
    v2[0] = 2;
    expect(verifyShareKey({ ...input, wrapped: v2 })).toEqual({
      ok: false,
      error: 'unsupported_version',
    });
    expect(verifyShareKey({ ...input, shareId: 'bad id!' })).toEqual({
      ok: false,
      error: 'wrong_binding',
    });
  });

  it('rejects any flipped bit', async () => {
    const share = await wrapped();
    for (let bit = 0; bit < share.length * 8; bit += 7) {
      const tampered = Uint8Array.from(share);
      tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const opened = await openShareKey({
        ...binding,
        wrapped: tampered,
        senderEd25519PublicKey: sender.ed25519PublicKey,
        recipientX25519SecretKey: recipient.x25519SecretKey,
      });
      expect(opened.ok).toBe(false);
    }
  });
});
