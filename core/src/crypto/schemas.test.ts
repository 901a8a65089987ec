import { describe, expect, it } from 'vitest';
import { toBase64url } from '../encoding/base64url.js';
import { sealEnvelope, MAX_ENVELOPE_BYTES, ENVELOPE_OVERHEAD } from './envelope.js';
import { createPublicKeyBundle, generateIdentityKeys } from './identity.js';
import { MIN_KDF_PARAMS } from './kdf.js';
import { wrapKey } from './keys.js';
import {
  accountKeysSchema,
  authChallengeSchema,
  envelopeSchema,
  idSchema,
  kdfParamsSchema,
  publicKeyBundleSchema,
  wrappedKeySchema,
} from './schemas.js';
import { counting } from './test-support/vectors.js';

const b64 = (length: number) => toBase64url(counting(length));

describe('wire schemas', () => {
  it('accept what the client produces', () => {
    const sealed = sealEnvelope({
      binding: { ownerId: 'o', collectionId: 'c', itemId: 'i', itemType: 'plan' },
      collectionKey: counting(32),
      keyId: 1,
      sequence: 1,
      plaintext: new Uint8Array(10),
    });
    if (!sealed.ok) throw new Error(sealed.error);
    expect(envelopeSchema.safeParse(toBase64url(sealed.value)).success).toBe(true);
    const keys = generateIdentityKeys();
    const wrapped = toBase64url(
      wrapKey(counting(32), counting(32), { kind: 'master/passphrase', accountId: 'acct' }),
    );
    expect(
      accountKeysSchema.safeParse({
        accountId: 'acct',
        saltSeed: b64(32),
        kdfParams: { ...MIN_KDF_PARAMS },
        authPublicKey: b64(32),
        recoveryAuthPublicKey: b64(32),
        wrappedMasterKeyPassphrase: wrapped,
        wrappedMasterKeyRecovery: wrapped,
        publicKeyBundle: createPublicKeyBundle('acct', keys),
        wrappedIdentityX25519: wrapped,
        wrappedIdentityEd25519: wrapped,
      }).success,
    ).toBe(true);
    expect(
      authChallengeSchema.safeParse({ purpose: 'sign-in', nonce: b64(32), expiresAt: 1 }).success,
    ).toBe(true);
  });

  it('bound sizes: envelopes between 126 bytes and 1 MiB, keys exactly', () => {
    expect(envelopeSchema.safeParse(b64(ENVELOPE_OVERHEAD - 1)).success).toBe(false);
    expect(envelopeSchema.safeParse(b64(ENVELOPE_OVERHEAD)).success).toBe(true);
    expect(envelopeSchema.safeParse(toBase64url(new Uint8Array(MAX_ENVELOPE_BYTES))).success).toBe(
      true,
    );
    expect(
      envelopeSchema.safeParse(toBase64url(new Uint8Array(MAX_ENVELOPE_BYTES + 1))).success,
    ).toBe(false);
    expect(wrappedKeySchema.safeParse(b64(73)).success).toBe(true);
    expect(wrappedKeySchema.safeParse(b64(72)).success).toBe(false);
    expect(wrappedKeySchema.safeParse(b64(74)).success).toBe(false);
  });

  it('refuse padding, standard base64 characters and non-canonical encodings', () => {
    const text = b64(73);
    expect(wrappedKeySchema.safeParse(`${text}=`).success).toBe(false);
    expect(wrappedKeySchema.safeParse(text.replace(/^./, '+')).success).toBe(false);
    expect(wrappedKeySchema.safeParse(text.replace(/^./, '/')).success).toBe(false);
    // 73 bytes = 97⅓ characters: the last character carries 2 unused bits, which must be 0.
    const last = text.charAt(text.length - 1);
    const nonCanonical = text.slice(0, -1) + (last === 'B' ? 'C' : 'B');
    expect(wrappedKeySchema.safeParse(nonCanonical).success).toBe(false);
  });

  it('check shape only for KDF parameters (the client checks values)', () => {
    expect(kdfParamsSchema.safeParse({ ...MIN_KDF_PARAMS, memoryKiB: 8 }).success).toBe(true);
    expect(kdfParamsSchema.safeParse({ ...MIN_KDF_PARAMS, memoryKiB: '8' }).success).toBe(false);
    expect(kdfParamsSchema.safeParse({ ...MIN_KDF_PARAMS, extra: 1 }).success).toBe(false);
  });

  it('ids and bundles', () => {
    expect(idSchema.safeParse('a'.repeat(64)).success).toBe(true);
    expect(idSchema.safeParse('a'.repeat(65)).success).toBe(false);
    expect(idSchema.safeParse('').success).toBe(false);
    expect(idSchema.safeParse('ünï').success).toBe(false);
    const bundle = createPublicKeyBundle('acct', generateIdentityKeys());
    expect(publicKeyBundleSchema.safeParse(bundle).success).toBe(true);
    expect(publicKeyBundleSchema.safeParse({ ...bundle, version: 2 }).success).toBe(false);
    expect(publicKeyBundleSchema.safeParse({ ...bundle, signature: b64(63) }).success).toBe(false);
  });
});
