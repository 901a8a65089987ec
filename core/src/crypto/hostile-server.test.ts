/**
 * The server is not trusted with content: these tests play a server that weakens parameters,
 * substitutes keys, moves or replays ciphertexts, and check that the client notices each time.
 */
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../encoding/base64url.js';
import { signChallenge, verifyChallenge, type AuthChallenge } from './auth.js';
import { openEnvelope, sealEnvelope, type EnvelopeBinding } from './envelope.js';
import {
  createPublicKeyBundle,
  generateIdentityKeys,
  unwrapIdentityKeys,
  verifyPublicKeyBundle,
  wrapIdentityKeys,
} from './identity.js';
import {
  checkKdfParams,
  derivePassphraseKeys,
  MIN_KDF_PARAMS,
  type CheckedKdfParams,
} from './kdf.js';
import { generateKey, unwrapKey, wrapKey } from './keys.js';
import { deriveRecoveryKeys, generateRecoveryKey } from './recovery.js';
import { preloginSchema } from './schemas.js';
import { ed25519PublicKey, ed25519Sign } from './primitives.js';
import { openShareKey, shareKeySignedMessage, SHARE_KEY_LENGTH, wrapShareKey } from './share.js';
import { counting } from './test-support/vectors.js';

describe('a server that weakens the KDF parameters', () => {
  const saltSeed = toBase64url(counting(32));
  const weakened = [
    [{ ...MIN_KDF_PARAMS, memoryKiB: 1024 }, 'memory_too_low'],
    [{ ...MIN_KDF_PARAMS, memoryKiB: 65_535 }, 'memory_too_low'],
    [{ ...MIN_KDF_PARAMS, passes: 1 }, 'passes_too_low'],
    [{ ...MIN_KDF_PARAMS, outputLength: 8 }, 'unsupported_output_length'],
    [{ ...MIN_KDF_PARAMS, algorithm: 'argon2d' }, 'unsupported_algorithm'],
    [{ ...MIN_KDF_PARAMS, algorithm: 'none' }, 'unsupported_algorithm'],
    [{ ...MIN_KDF_PARAMS, version: 0x10 }, 'unsupported_version'],
    [{ ...MIN_KDF_PARAMS, parallelism: 8 }, 'unsupported_parallelism'],
    [{ ...MIN_KDF_PARAMS, memoryKiB: 4_194_304 }, 'memory_too_high'],
  ] as const;

  it.each(weakened)('is refused before Argon2id runs: %j → %s', (kdfParams, error) => {
    // The server's response passes the shape check (the schema checks shape only) …
    const response = preloginSchema.parse({ saltSeed, kdfParams });
    // … and the client refuses the values.
    expect(checkKdfParams(response.kdfParams)).toEqual({ ok: false, error });
  });

  it('cannot be bypassed by a cast: the derivation itself re-checks', async () => {
    const forged = { ...MIN_KDF_PARAMS, memoryKiB: 8, passes: 1 } as CheckedKdfParams;
    await expect(
      derivePassphraseKeys({
        passphrase: 'p',
        handle: 'h',
        saltSeed: counting(32),
        params: forged,
      }),
    ).rejects.toThrow();
  });
});

describe('a server that substitutes public keys', () => {
  const alex = generateIdentityKeys();
  const sam = generateIdentityKeys();
  const server = generateIdentityKeys();
  const binding = { shareId: 'circle_1', senderId: 'alex', recipientId: 'sam' };
  const collectionKey = counting(32, 44);

  it("serves its own keys as Sam's: the bundle self-verifies but the fingerprint differs", () => {
    const genuine = verifyPublicKeyBundle(createPublicKeyBundle('sam', sam), 'sam');
    const forged = verifyPublicKeyBundle(createPublicKeyBundle('sam', server), 'sam');
    if (!genuine.ok || !forged.ok) throw new Error('bundles must verify');
    // What Alex compares with Sam in person (or pinned on first use) no longer matches.
    expect(forged.value.fingerprint).not.toBe(genuine.value.fingerprint);
  });

  it("mixes Sam's signing key with its own encryption key: the self-signature fails", () => {
    const bundle = createPublicKeyBundle('sam', sam);
    const mixed = { ...bundle, x25519PublicKey: toBase64url(server.x25519PublicKey) };
    expect(verifyPublicKeyBundle(mixed, 'sam')).toEqual({ ok: false, error: 'bad_signature' });
  });

  it("serves its own key as Alex's signing key: Sam's verification of the share fails", async () => {
    const share = await wrapShareKey({
      ...binding,
      keyId: 1,
      collectionKey,
      recipientX25519PublicKey: sam.x25519PublicKey,
      senderEd25519Seed: alex.ed25519Seed,
    });
    const opened = await openShareKey({
      ...binding,
      wrapped: share,
      senderEd25519PublicKey: server.ed25519PublicKey,
      recipientX25519SecretKey: sam.x25519SecretKey,
    });
    expect(opened).toEqual({ ok: false, error: 'bad_signature' });
  });

  it("forges a share key of its own for Sam: it cannot sign as Alex's pinned key", async () => {
    const forged = await wrapShareKey({
      ...binding,
      keyId: 1,
      collectionKey: counting(32, 66),
      recipientX25519PublicKey: sam.x25519PublicKey,
      senderEd25519Seed: server.ed25519Seed,
    });
    const opened = await openShareKey({
      ...binding,
      wrapped: forged,
      senderEd25519PublicKey: alex.ed25519PublicKey,
      recipientX25519SecretKey: sam.x25519SecretKey,
    });
    expect(opened).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('relabels a share key for another share, recipient or sender: the signature fails', async () => {
    const share = await wrapShareKey({
      ...binding,
      keyId: 1,
      collectionKey,
      recipientX25519PublicKey: sam.x25519PublicKey,
      senderEd25519Seed: alex.ed25519Seed,
    });
    for (const relabelled of [
      { ...binding, shareId: 'circle_2' },
      { ...binding, recipientId: 'sam2' },
      { ...binding, senderId: 'alex2' },
    ]) {
      const opened = await openShareKey({
        ...relabelled,
        wrapped: share,
        senderEd25519PublicKey: alex.ed25519PublicKey,
        recipientX25519SecretKey: sam.x25519SecretKey,
      });
      expect(opened).toEqual({ ok: false, error: 'bad_signature' });
    }
  });

  it('a signed share whose HPKE payload is not for the recipient is refused', async () => {
    // A malicious sender signs, for Sam, a ciphertext made for someone else.
    const forEve = await wrapShareKey({
      ...binding,
      keyId: 1,
      collectionKey,
      recipientX25519PublicKey: server.x25519PublicKey,
      senderEd25519Seed: alex.ed25519Seed,
    });
    const enc = forEve.subarray(5, 37);
    const ciphertext = forEve.subarray(37, 85);
    const resigned = Uint8Array.from(forEve);
    resigned.set(
      ed25519Sign(
        alex.ed25519Seed,
        shareKeySignedMessage(binding, 1, sam.x25519PublicKey, enc, ciphertext),
      ),
      85,
    );
    expect(resigned).toHaveLength(SHARE_KEY_LENGTH);
    const opened = await openShareKey({
      ...binding,
      wrapped: resigned,
      senderEd25519PublicKey: alex.ed25519PublicKey,
      recipientX25519SecretKey: sam.x25519SecretKey,
    });
    expect(opened).toEqual({ ok: false, error: 'unwrap_failed' });
  });

  it("swaps the account's own published bundle: the owner notices at sign-in", () => {
    const masterKey = generateKey();
    const wrapped = wrapIdentityKeys(masterKey, 'alex', alex);
    const swapped = verifyPublicKeyBundle(createPublicKeyBundle('alex', server), 'alex');
    if (!swapped.ok) throw new Error('bundle must verify');
    expect(
      unwrapIdentityKeys({
        masterKey,
        accountId: 'alex',
        keyId: 1,
        wrapped,
        publishedBundle: swapped.value,
      }),
    ).toEqual({ ok: false, error: 'public_key_mismatch' });
  });
});

describe('a server that moves, swaps or replays ciphertexts', () => {
  const collectionKey = counting(32, 1);
  const binding: EnvelopeBinding = {
    ownerId: 'alex',
    collectionId: 'journal',
    itemId: 'entry_1',
    itemType: 'journal.entry',
  };
  const keys = (id: number) => (id === 1 ? collectionKey : undefined);
  const seal = (sequence: number, text: string, where = binding) => {
    const sealed = sealEnvelope({
      binding: where,
      collectionKey,
      keyId: 1,
      sequence,
      plaintext: new TextEncoder().encode(text),
    });
    if (!sealed.ok) throw new Error(sealed.error);
    return sealed.value;
  };

  it.each([
    ['another item', { itemId: 'entry_2' }],
    ['another collection', { collectionId: 'plans' }],
    ['another owner', { ownerId: 'sam' }],
    ['another item type', { itemType: 'plan' }],
  ])('refuses a ciphertext moved to %s', (_where, change) => {
    const envelope = seal(3, 'I felt better after the walk');
    const opened = openEnvelope({
      envelope,
      binding: { ...binding, ...change },
      collectionKeys: keys,
    });
    expect(opened).toEqual({ ok: false, error: 'auth_failed' });
  });

  it('refuses an older revision served after a newer one was seen', () => {
    const v1 = seal(1, 'draft');
    const v2 = seal(2, 'final');
    expect(openEnvelope({ envelope: v2, binding, collectionKeys: keys }).ok).toBe(true);
    expect(openEnvelope({ envelope: v1, binding, collectionKeys: keys, minSequence: 2 })).toEqual({
      ok: false,
      error: 'stale_sequence',
    });
  });

  it('refuses a revision number that does not match the sealed sequence', () => {
    const v1 = seal(1, 'draft');
    expect(
      openEnvelope({ envelope: v1, binding, collectionKeys: keys, expectedSequence: 2 }),
    ).toEqual({ ok: false, error: 'wrong_binding' });
  });

  it('refuses wrapped keys presented as something else', () => {
    const masterKey = generateKey();
    const recovery = deriveRecoveryKeys(generateRecoveryKey());
    const kek = counting(32, 2);
    const byPassphrase = wrapKey(kek, masterKey, { kind: 'master/passphrase', accountId: 'alex' });
    // Same wrapping key, other account: refused.
    expect(unwrapKey(kek, byPassphrase, { kind: 'master/passphrase', accountId: 'sam' }).ok).toBe(
      false,
    );
    // A collection key of one collection served for another.
    const wrappedCollection = wrapKey(masterKey, collectionKey, {
      kind: 'collection',
      ownerId: 'alex',
      collectionId: 'journal',
      keyId: 1,
    });
    expect(
      unwrapKey(masterKey, wrappedCollection, {
        kind: 'collection',
        ownerId: 'alex',
        collectionId: 'plans',
        keyId: 1,
      }).ok,
    ).toBe(false);
    // An identity key served as a collection key.
    const identity = wrapKey(masterKey, counting(32, 5), {
      kind: 'identity/x25519',
      accountId: 'alex',
      keyId: 1,
    });
    expect(
      unwrapKey(masterKey, identity, {
        kind: 'collection',
        ownerId: 'alex',
        collectionId: 'journal',
        keyId: 1,
      }).ok,
    ).toBe(false);
    // The recovery wrap is useless without the recovery key.
    const byRecovery = wrapKey(recovery.wrapKey, masterKey, {
      kind: 'master/recovery',
      accountId: 'alex',
    });
    expect(unwrapKey(kek, byRecovery, { kind: 'master/recovery', accountId: 'alex' }).ok).toBe(
      false,
    );
  });
});

describe('a phishing site relaying a sign-in', () => {
  it("cannot reuse a signature made on its own origin at the real server's origin", () => {
    const seed = counting(32, 7);
    const challenge: AuthChallenge = {
      purpose: 'sign-in',
      origin: 'https://tend-login.example',
      handle: 'alex',
      nonce: counting(32, 9),
      expiresAt: 2_000_000_000,
    };
    const signature = signChallenge(seed, challenge);
    const publicKey = ed25519PublicKey(seed);
    expect(verifyChallenge({ publicKey, challenge, signature, now: 0 }).ok).toBe(true);
    expect(
      verifyChallenge({
        publicKey,
        challenge: { ...challenge, origin: 'https://tend.example' },
        signature,
        now: 0,
      }),
    ).toEqual({ ok: false, error: 'bad_signature' });
  });
});
