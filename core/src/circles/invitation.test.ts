import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { generateIdentityKeys } from '../crypto/identity.js';
import { fromBase64url, toBase64url } from '../encoding/base64url.js';
import { utf8 } from '../crypto/canonical.js';
import {
  formatLink,
  keyFromFragment,
  linkTokenHash,
  makeInvitationKey,
  makeLinkToken,
  openAsk,
  openInvitationKey,
  openLinkSnapshot,
  openOffer,
  parseLink,
  sealAsk,
  sealLinkSnapshot,
  sealOffer,
  wrapInvitationKey,
} from './invitation.js';
import type { Ask, LinkSnapshot, Offer } from './items.js';

const ask: Ask = {
  message: 'Would you be someone I can call when things get hard?',
  asking: ['listen', 'check-in'],
  levels: ['check-in', 'struggling'],
};
const offer: Offer = {
  offers: ['listen', 'transport'],
  offerNotes: 'I can drive on weekends',
  availability: 'evenings',
  reach: 'text me',
};
const value = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('invitation envelopes', () => {
  const key = makeInvitationKey();
  const at = { ownerId: 'ada', invitationId: 'inv1', key };

  it('the ask and the offer open under the invitation key, bound to owner and invitation', () => {
    const sealedAsk = value(sealAsk({ ...at, ask }));
    expect(openAsk({ ...at, envelope: sealedAsk })).toEqual({ ok: true, value: ask });
    const sealedOffer = value(sealOffer({ ...at, offer }));
    expect(openOffer({ ...at, envelope: sealedOffer })).toEqual({ ok: true, value: offer });

    // Elsewhere, as another type, or under another key: refused.
    expect(openAsk({ ...at, invitationId: 'inv2', envelope: sealedAsk })).toMatchObject({
      ok: false,
      error: 'auth_failed',
    });
    expect(openAsk({ ...at, ownerId: 'eve', envelope: sealedAsk }).ok).toBe(false);
    expect(openOffer({ ...at, envelope: sealedAsk }).ok).toBe(false);
    expect(openAsk({ ...at, key: makeInvitationKey(), envelope: sealedAsk }).ok).toBe(false);
    expect(openAsk({ ...at, envelope: 'not base64!' })).toEqual({ ok: false, error: 'bad_format' });
  });

  it('never seals an ask that is not valid', () => {
    expect(() =>
      sealAsk({ ...at, ask: { ...ask, asking: ['therapy'] } as unknown as Ask }),
    ).toThrow();
  });

  it('a link snapshot opens only at the revision the server reports', () => {
    const snapshot: LinkSnapshot = {
      sections: [],
      contact: 'ring twice',
      madeAt: '2026-11-24T10:00:00.000Z',
    };
    const link = { ownerId: 'ada', linkId: 'l1', key };
    const sealed = value(sealLinkSnapshot({ ...link, revision: 3, snapshot }));
    expect(openLinkSnapshot({ ...link, revision: 3, envelope: sealed })).toEqual({
      ok: true,
      value: snapshot,
    });
    expect(openLinkSnapshot({ ...link, revision: 2, envelope: sealed }).ok).toBe(false);
    expect(openLinkSnapshot({ ...link, linkId: 'l2', revision: 3, envelope: sealed }).ok).toBe(
      false,
    );
  });
});

describe('handle invitation key', () => {
  const owner = generateIdentityKeys();
  const invitee = generateIdentityKeys();
  const key = makeInvitationKey();
  const wrap = () =>
    wrapInvitationKey({
      invitationId: 'inv1',
      ownerId: 'ada',
      inviteeId: 'sam',
      key,
      inviteeX25519PublicKey: invitee.x25519PublicKey,
      ownerEd25519Seed: owner.ed25519Seed,
    });
  const openWith = (shareKey: string, ownerEd25519PublicKey = owner.ed25519PublicKey) =>
    openInvitationKey({
      invitationId: 'inv1',
      ownerId: 'ada',
      inviteeId: 'sam',
      shareKey,
      ownerEd25519PublicKey,
      inviteeX25519SecretKey: invitee.x25519SecretKey,
    });

  it("the invitee opens K with the owner's pinned key", async () => {
    expect(await openWith(await wrap())).toEqual({ ok: true, value: key });
  });

  it('refuses a share key forged by someone else (the server) with its own signing key', async () => {
    const mallory = generateIdentityKeys();
    const forged = await wrapInvitationKey({
      invitationId: 'inv1',
      ownerId: 'ada',
      inviteeId: 'sam',
      key: makeInvitationKey(),
      inviteeX25519PublicKey: invitee.x25519PublicKey,
      ownerEd25519Seed: mallory.ed25519Seed,
    });
    expect(await openWith(forged)).toEqual({ ok: false, error: 'bad_signature' });
    // …even when the server also swaps the owner's published keys: the pin is what counts.
    expect((await openWith(forged, mallory.ed25519PublicKey)).ok).toBe(true);
  });

  it('refuses an unsigned share key (zeroed signature) and one for another invitation', async () => {
    const bytes = fromBase64url(await wrap());
    if (bytes === undefined) throw new Error('wrap');
    bytes.fill(0, bytes.length - 64);
    expect(await openWith(toBase64url(bytes))).toEqual({ ok: false, error: 'bad_signature' });
    const other = await openInvitationKey({
      invitationId: 'inv2',
      ownerId: 'ada',
      inviteeId: 'sam',
      shareKey: await wrap(),
      ownerEd25519PublicKey: owner.ed25519PublicKey,
      inviteeX25519SecretKey: invitee.x25519SecretKey,
    });
    expect(other).toEqual({ ok: false, error: 'bad_signature' });
  });
});

describe('links', () => {
  const origin = 'https://tend.example.org';

  it('a token is 32 random bytes; the server gets SHA-256 of its text', () => {
    const token = makeLinkToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fromBase64url(token)).toHaveLength(32);
    expect(linkTokenHash(token)).toBe(toBase64url(sha256(utf8(token))));
    expect(makeLinkToken()).not.toBe(token);
  });

  it('formats and parses join and shared links, for any token and key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom('join' as const, 'shared' as const),
        (tokenBytes, key, kind) => {
          const token = toBase64url(tokenBytes);
          const link = formatLink(kind, origin, token, key);
          expect(link).toBe(
            `${origin}${kind === 'join' ? '/circle/join/' : '/shared/'}${token}#${toBase64url(key)}`,
          );
          expect(parseLink(kind, link, origin)).toEqual({ ok: true, value: { token, key } });
        },
      ),
    );
  });

  it('parses strictly', () => {
    const token = makeLinkToken();
    const key = toBase64url(makeInvitationKey());
    const good = `${origin}/circle/join/${token}#${key}`;
    expect(parseLink('join', `  ${good}\n`, origin).ok).toBe(true);
    expect(parseLink('shared', good)).toEqual({ ok: false, error: 'wrong_link' });
    expect(parseLink('join', good, 'https://other.example')).toEqual({
      ok: false,
      error: 'wrong_link',
    });
    for (const [bad, error] of [
      ['hello', 'not_a_link'],
      [`ftp://tend.example.org/circle/join/${token}#${key}`, 'not_a_link'],
      [`${origin}/circle/join/${token}?x=1#${key}`, 'not_a_link'],
      [`https://u:p@tend.example.org/circle/join/${token}#${key}`, 'not_a_link'],
      [`${origin}/circle/join/${token}/#${key}`, 'not_a_link'],
      [`${origin}/circle/join/${token.slice(1)}#${key}`, 'not_a_link'],
      [`${origin}/circle/join/${token}`, 'no_key'],
      [`${origin}/circle/join/${token}#${key.slice(1)}`, 'no_key'],
      [`${origin}/circle/join/${token}#${key}A`, 'no_key'],
      [`${origin}/circle/join/${token}#${key.slice(0, 42)}B`, 'no_key'],
    ] as const) {
      expect(parseLink('join', bad, origin), bad).toEqual({ ok: false, error });
    }
    expect(keyFromFragment(`#${key}`)).toEqual(fromBase64url(key));
    expect(keyFromFragment('#')).toBeUndefined();
    expect(() => formatLink('join', `${origin}/path`, token, makeInvitationKey())).toThrow();
  });
});
