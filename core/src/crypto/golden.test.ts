/**
 * Golden vectors for Tend's own v1 formats (fixtures/golden-v1.json): fixed keys, nonces and
 * randomness → fixed bytes. Data written today must stay readable, so these bytes never change
 * for v1. A failure here means the format changed: that needs a new version (docs/PROTOCOL.md
 * §8), not a regenerated fixture.
 *
 * The fixture was written once with TEND_WRITE_GOLDEN=1; without it the test only compares.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../encoding/base64url.js';
import {
  authChallengeMessage,
  signChallenge,
  verifyChallenge,
  type AuthChallenge,
} from './auth.js';
import { encodeContext, TAG } from './canonical.js';
import { envelopeAd, openEnvelope, sealEnvelope, type EnvelopeBinding } from './envelope.js';
import {
  createPublicKeyBundle,
  fingerprint,
  generateIdentityKeys,
  verifyPublicKeyBundle,
  wrapIdentityKeys,
} from './identity.js';
import {
  derivePassphraseKeys,
  checkKdfParams,
  MIN_KDF_PARAMS,
  normaliseHandle,
  passphraseSalt,
} from './kdf.js';
import { keyWrapAd, unwrapKey, wrapKey, type WrapContext } from './keys.js';
import { decodeRecoveryKey, deriveRecoveryKeys, encodeRecoveryKey } from './recovery.js';
import { openShareKey, shareKeyInfo, wrapShareKey } from './share.js';
import { counting, fixedRandom, fixturesDir, hex, toHex } from './test-support/vectors.js';
import { ed25519PublicKey, x25519PublicKey } from './primitives.js';

const FIXTURE = path.join(fixturesDir, 'golden-v1.json');

// ---- Fixed inputs -------------------------------------------------------------------------

const accountId = 'acct_R1ver';
const handle = '  River.Song ';
const saltSeed = counting(32, 0x00);
const passphrase = 'correct horse battery staple Cafe\u0301';
const masterKey = counting(32, 0x40);
const recoveryKey = counting(32, 0x60);
const collectionKey = counting(32, 0x80);
const challengeSeed = counting(32, 0xa0);
const wrapNonce = counting(24, 0xc0);

const challenge: AuthChallenge = {
  purpose: 'sign-in',
  origin: 'https://tend.example',
  handle,
  nonce: counting(32, 0xe0),
  expiresAt: 1_767_225_600,
};

const binding: EnvelopeBinding = {
  ownerId: accountId,
  collectionId: 'col_plans',
  itemId: 'item_0001',
  itemType: 'plan',
};
const envelopeInput = {
  keyId: 7,
  sequence: 42,
  plaintext: new TextEncoder().encode('{"steps":["breathe","call Sam"]}'),
  itemKey: counting(32, 0x10),
  itemKeyWrapNonce: counting(24, 0x30),
  contentNonce: counting(24, 0x50),
};

const identitySecrets = { x25519: counting(32, 0x70), ed25519: counting(32, 0x90) };
const recipientSecrets = { x25519: counting(32, 0xb0), ed25519: counting(32, 0xd0) };
const shareIds = { shareId: 'circle_01', senderId: accountId, recipientId: 'acct_Amy' };
const ephemeralIkm = counting(32, 0xf0);

const wrapContexts: WrapContext[] = [
  { kind: 'master/passphrase', accountId },
  { kind: 'master/recovery', accountId },
  { kind: 'identity/x25519', accountId, keyId: 1 },
  { kind: 'identity/ed25519', accountId, keyId: 1 },
  { kind: 'collection', ownerId: accountId, collectionId: 'col_plans', keyId: 7 },
  { kind: 'item', ownerId: accountId, collectionId: 'col_plans', itemId: 'item_0001', keyId: 7 },
];

// ---- Computation of every golden value ----------------------------------------------------

async function computeGolden() {
  const params = checkKdfParams({ ...MIN_KDF_PARAMS });
  if (!params.ok) throw new Error('MIN_KDF_PARAMS must pass checkKdfParams');
  const passphraseKeys = await derivePassphraseKeys({
    passphrase,
    handle,
    saltSeed,
    params: params.value,
  });
  const recovery = deriveRecoveryKeys(recoveryKey);
  const identity = generateIdentityKeys(
    1,
    fixedRandom(identitySecrets.x25519, identitySecrets.ed25519),
  );
  const recipient = generateIdentityKeys(
    1,
    fixedRandom(recipientSecrets.x25519, recipientSecrets.ed25519),
  );
  const bundle = createPublicKeyBundle(accountId, identity);
  const envelope = sealEnvelope(
    {
      binding,
      collectionKey,
      keyId: envelopeInput.keyId,
      sequence: 42,
      plaintext: envelopeInput.plaintext,
    },
    fixedRandom(envelopeInput.itemKey, envelopeInput.itemKeyWrapNonce, envelopeInput.contentNonce),
  );
  if (!envelope.ok) throw new Error('seal failed');
  const shareKey = await wrapShareKey(
    {
      ...shareIds,
      keyId: 7,
      collectionKey,
      recipientX25519PublicKey: recipient.x25519PublicKey,
      senderEd25519Seed: identity.ed25519Seed,
    },
    fixedRandom(ephemeralIkm),
  );
  const wrappedIdentity = wrapIdentityKeys(
    masterKey,
    accountId,
    identity,
    fixedRandom(counting(24, 0x01), counting(24, 0x02)),
  );

  return {
    about:
      'Tend v1 golden vectors (docs/PROTOCOL.md §9). Hex unless named *Base64url or *String. Never regenerate for v1.',
    context: {
      kekInfo: toHex(encodeContext(TAG.kek)),
      envelopeAd: toHex(envelopeAd(binding, envelopeInput.keyId, envelopeInput.sequence)),
      keyWrapAd: Object.fromEntries(wrapContexts.map((c) => [c.kind, toHex(keyWrapAd(c))])),
    },
    kdf: {
      handle,
      normalisedHandle: normaliseHandle(handle),
      saltSeed: toHex(saltSeed),
      passphrase,
      params: { ...MIN_KDF_PARAMS },
      salt: toHex(passphraseSalt(handle, saltSeed)),
      authSeed: toHex(passphraseKeys.authSeed),
      authPublicKey: toHex(passphraseKeys.authPublicKey),
      kek: toHex(passphraseKeys.kek),
    },
    challenge: {
      ...challenge,
      nonce: toHex(challenge.nonce),
      seed: toHex(challengeSeed),
      publicKey: toHex(ed25519PublicKey(challengeSeed)),
      message: toHex(authChallengeMessage(challenge)),
      signature: toHex(signChallenge(challengeSeed, challenge)),
    },
    recovery: {
      key: toHex(recoveryKey),
      recoveryKeyString: encodeRecoveryKey(recoveryKey),
      wrapKey: toHex(recovery.wrapKey),
      authSeed: toHex(recovery.authSeed),
      authPublicKey: toHex(recovery.authPublicKey),
    },
    keyWrap: {
      masterKey: toHex(masterKey),
      nonce: toHex(wrapNonce),
      masterUnderKek: toHex(
        wrapKey(
          passphraseKeys.kek,
          masterKey,
          { kind: 'master/passphrase', accountId },
          fixedRandom(wrapNonce),
        ),
      ),
      masterUnderRecovery: toHex(
        wrapKey(
          recovery.wrapKey,
          masterKey,
          { kind: 'master/recovery', accountId },
          fixedRandom(wrapNonce),
        ),
      ),
      collectionKey: toHex(collectionKey),
      collectionUnderMaster: toHex(
        wrapKey(
          masterKey,
          collectionKey,
          { kind: 'collection', ownerId: accountId, collectionId: 'col_plans', keyId: 7 },
          fixedRandom(wrapNonce),
        ),
      ),
    },
    identity: {
      accountId,
      keyId: 1,
      x25519SecretKey: toHex(identity.x25519SecretKey),
      x25519PublicKey: toHex(identity.x25519PublicKey),
      ed25519Seed: toHex(identity.ed25519Seed),
      ed25519PublicKey: toHex(identity.ed25519PublicKey),
      bundle,
      bundleMessage: toHex(
        encodeContext(TAG.publicKeyBundle, [
          new TextEncoder().encode(accountId),
          Uint8Array.of(0, 0, 0, 1),
          identity.x25519PublicKey,
          identity.ed25519PublicKey,
        ]),
      ),
      fingerprint: fingerprint(identity.x25519PublicKey, identity.ed25519PublicKey),
      wrappedX25519: toHex(wrappedIdentity.x25519),
      wrappedEd25519: toHex(wrappedIdentity.ed25519),
    },
    envelope: {
      binding,
      collectionKey: toHex(collectionKey),
      keyId: envelopeInput.keyId,
      sequence: envelopeInput.sequence,
      plaintext: toHex(envelopeInput.plaintext),
      itemKey: toHex(envelopeInput.itemKey),
      itemKeyWrapNonce: toHex(envelopeInput.itemKeyWrapNonce),
      contentNonce: toHex(envelopeInput.contentNonce),
      envelope: toHex(envelope.value),
      envelopeBase64url: toBase64url(envelope.value),
    },
    share: {
      ...shareIds,
      keyId: 7,
      collectionKey: toHex(collectionKey),
      recipientX25519SecretKey: toHex(recipient.x25519SecretKey),
      recipientX25519PublicKey: toHex(recipient.x25519PublicKey),
      senderEd25519Seed: toHex(identity.ed25519Seed),
      senderEd25519PublicKey: toHex(identity.ed25519PublicKey),
      ephemeralIkm: toHex(ephemeralIkm),
      info: toHex(shareKeyInfo(shareIds, 7)),
      shareKey: toHex(shareKey),
    },
  };
}

type Golden = Awaited<ReturnType<typeof computeGolden>>;

describe('golden vectors v1', () => {
  it('every Tend v1 format reproduces the committed bytes (real minimum Argon2id parameters)', async () => {
    const actual = JSON.parse(JSON.stringify(await computeGolden())) as Golden;
    if (process.env.TEND_WRITE_GOLDEN === '1') {
      fs.writeFileSync(FIXTURE, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const committed = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Golden;
    expect(actual).toEqual(committed);
  });
});

describe('golden vectors v1: reading the committed bytes', () => {
  const g = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Golden;

  it('context encoding: tag, NUL, then length-prefixed fields (checked by hand)', () => {
    expect(g.context.kekInfo).toBe(toHex(new TextEncoder().encode('tend/v1/kek')) + '00');
    const ad = hex(g.context.envelopeAd);
    const tag = new TextEncoder().encode('tend/v1/envelope');
    expect(toHex(ad.subarray(0, tag.length + 1))).toBe(toHex(tag) + '00');
    // version field: u32be(1) ‖ 0x01; then owner id "acct_R1ver" (10 bytes)
    expect(toHex(ad.subarray(tag.length + 1, tag.length + 1 + 5))).toBe('0000000101');
    expect(toHex(ad.subarray(tag.length + 6, tag.length + 10))).toBe('0000000a');
    // ends with u32be(4) ‖ u32be(7) ‖ u32be(8) ‖ u64be(42)
    expect(toHex(ad.subarray(ad.length - 20))).toBe(
      '00000004' + '00000007' + '00000008' + '000000000000002a',
    );
  });

  it('the envelope header carries version, key id and sequence at fixed offsets', () => {
    const envelope = hex(g.envelope.envelope);
    expect(envelope[0]).toBe(1);
    expect(toHex(envelope.subarray(1, 5))).toBe('00000007');
    expect(toHex(envelope.subarray(5, 13))).toBe('000000000000002a');
    expect(envelope[13]).toBe(1); // wrapped item key version
    expect(toHex(envelope.subarray(14, 38))).toBe(g.envelope.itemKeyWrapNonce);
    expect(toHex(envelope.subarray(86, 110))).toBe(g.envelope.contentNonce);
    expect(envelope.length).toBe(126 + hex(g.envelope.plaintext).length);
    expect(fromBase64url(g.envelope.envelopeBase64url)).toEqual(envelope);
  });

  it('opens the committed envelope', () => {
    const opened = openEnvelope({
      envelope: hex(g.envelope.envelope),
      binding: g.envelope.binding,
      collectionKeys: (id) => (id === g.envelope.keyId ? hex(g.envelope.collectionKey) : undefined),
      minSequence: g.envelope.sequence,
    });
    expect(opened.ok && toHex(opened.value.plaintext)).toBe(g.envelope.plaintext);
  });

  it('unwraps the committed key wraps', () => {
    const kek = hex(g.kdf.kek);
    const master = unwrapKey(kek, hex(g.keyWrap.masterUnderKek), {
      kind: 'master/passphrase',
      accountId,
    });
    expect(master.ok && toHex(master.value)).toBe(g.keyWrap.masterKey);
    const viaRecovery = unwrapKey(hex(g.recovery.wrapKey), hex(g.keyWrap.masterUnderRecovery), {
      kind: 'master/recovery',
      accountId,
    });
    expect(viaRecovery.ok && toHex(viaRecovery.value)).toBe(g.keyWrap.masterKey);
    const collection = unwrapKey(hex(g.keyWrap.masterKey), hex(g.keyWrap.collectionUnderMaster), {
      kind: 'collection',
      ownerId: accountId,
      collectionId: 'col_plans',
      keyId: 7,
    });
    expect(collection.ok && toHex(collection.value)).toBe(g.keyWrap.collectionKey);
  });

  it('decodes the committed recovery key string and re-derives its keys', () => {
    const decoded = decodeRecoveryKey(g.recovery.recoveryKeyString);
    expect(decoded.ok && toHex(decoded.value)).toBe(g.recovery.key);
    expect(g.recovery.recoveryKeyString).toMatch(
      /^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/,
    );
  });

  it('verifies the committed challenge signature and public-key bundle', () => {
    const result = verifyChallenge({
      publicKey: hex(g.challenge.publicKey),
      challenge: { ...challenge, nonce: hex(g.challenge.nonce) },
      signature: hex(g.challenge.signature),
      now: g.challenge.expiresAt,
    });
    expect(result.ok).toBe(true);
    const bundle = verifyPublicKeyBundle(g.identity.bundle, accountId);
    expect(bundle.ok && bundle.value.fingerprint).toBe(g.identity.fingerprint);
    expect(g.identity.fingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(toHex(x25519PublicKey(hex(g.identity.x25519SecretKey)))).toBe(
      g.identity.x25519PublicKey,
    );
  });

  it('opens the committed share key', async () => {
    const opened = await openShareKey({
      ...shareIds,
      wrapped: hex(g.share.shareKey),
      senderEd25519PublicKey: hex(g.share.senderEd25519PublicKey),
      recipientX25519SecretKey: hex(g.share.recipientX25519SecretKey),
    });
    expect(opened.ok && toHex(opened.value.collectionKey)).toBe(g.share.collectionKey);
  });
});
