// Invitations through the real server: sealed in the "browser", the server carries envelopes.
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '$core/encoding/base64url';
import { parseLink } from '$core/circles/invitation';
import { createPublicKeyBundle, generateIdentityKeys } from '$core/crypto/identity';
import type { Ask, Offer } from '$core/circles/items';
import { readPin } from './keys';
import {
  answerLink,
  answerReceived,
  inviteByHandle,
  inviteByLink,
  openLink,
  openReceived,
  readOwnAsk,
  readReply,
} from './invitations';
import { useWorld } from './test-support';

const ask: Ask = {
  message: 'Would you be one of my people?',
  asking: ['listen', 'visit'],
  levels: ['check-in'],
};
const offer: Offer = {
  offers: ['listen'],
  offerNotes: '',
  availability: 'evenings',
  reach: 'text',
};

const value = <T>(r: { readonly ok: true; readonly value: T } | { readonly ok: false }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.value;
};

describe('invitations', () => {
  const world = useWorld();

  it('by handle: the invitee reads the ask, offers, accepts; the owner reads the offer', async () => {
    const ada = await world.add('ada');
    const sam = await world.add('sam');
    const found = value(await ada.api.person('sam'));
    const sent = value(
      await inviteByHandle({ api: ada.api, vault: ada.vault, me: ada.me, invitee: found, ask }),
    );
    expect(await readPin(ada.vault, sam.accountId)).not.toBeNull();
    expect(value(readOwnAsk(sent.invitation, sent.key))).toEqual(ask);

    const received = value(await sam.api.circles()).invitationsReceived;
    expect(received).toHaveLength(1);
    const opened = value(
      await openReceived({ api: sam.api, vault: sam.vault, me: sam.me, invitation: received[0]! }),
    );
    expect(opened.ask).toEqual(ask);
    expect(await readPin(sam.vault, ada.accountId)).not.toBeNull();
    const answered = value(
      await answerReceived({ api: sam.api, received: opened, accept: true, offer }),
    );
    expect(answered.status).toBe('accepted');

    const mine = value(await ada.api.circles());
    expect(mine.mine.map((m) => m.member.accountId)).toEqual([sam.accountId]);
    const back = mine.invitationsSent.find((i) => i.id === sent.invitation.id);
    expect(value(readReply(back!, sent.key))).toEqual(offer);
  });

  it('the invitee refuses a share key the server forged or stripped of its signature', async () => {
    const ada = await world.add('ada');
    const sam = await world.add('sam');
    await inviteByHandle({
      api: ada.api,
      vault: ada.vault,
      me: ada.me,
      invitee: value(await ada.api.person('sam')),
      ask,
    });
    const [invitation] = value(await sam.api.circles()).invitationsReceived;
    if (invitation?.shareKey === undefined || invitation.shareKey === null)
      throw new Error('no invitation');

    const zeroed = fromBase64url(invitation.shareKey)!;
    zeroed.fill(0, zeroed.length - 64);
    const unsigned = await openReceived({
      api: sam.api,
      vault: sam.vault,
      me: sam.me,
      invitation: { ...invitation, shareKey: toBase64url(zeroed) },
    });
    expect(unsigned).toEqual({ ok: false, error: { kind: 'share_key', error: 'bad_signature' } });

    // A server that swaps ada's published keys for its own is caught by sam's pin.
    const genuine = await openReceived({ api: sam.api, vault: sam.vault, me: sam.me, invitation });
    expect(genuine.ok).toBe(true);
    const mallory = generateIdentityKeys();
    sam.tamper = (_m, url, body) =>
      url.startsWith('/api/v1/circles/people')
        ? { ...(body as object), publicKeyBundle: createPublicKeyBundle(ada.accountId, mallory) }
        : body;
    const swapped = await openReceived({ api: sam.api, vault: sam.vault, me: sam.me, invitation });
    expect(swapped).toMatchObject({
      ok: false,
      error: { kind: 'keys', check: { status: 'changed' } },
    });
  });

  it('by link: anyone with the link reads the ask; a signed-in invitee accepts', async () => {
    const ada = await world.add('ada');
    const kim = await world.add('kim');
    const sent = value(
      await inviteByLink({ api: ada.api, me: ada.me, ask, origin: 'https://tend.example' }),
    );
    const { token, key } = value(parseLink('join', sent.link, 'https://tend.example'));

    const visitor = world.visitor();
    const seen = value(await openLink({ api: visitor, token, key }));
    expect(seen.ask).toEqual(ask);
    expect(seen.owner.accountId).toBe(ada.accountId);
    // Without the fragment's key the ask stays closed.
    const wrongKey = await openLink({ api: visitor, token, key: new Uint8Array(32) });
    expect(wrongKey).toMatchObject({ ok: false, error: { kind: 'sealed', error: 'auth_failed' } });

    const answered = value(
      await answerLink({
        api: kim.api,
        vault: kim.vault,
        token,
        key,
        received: seen,
        accept: true,
        offer,
      }),
    );
    expect(answered.status).toBe('accepted');
    expect(await readPin(kim.vault, ada.accountId)).not.toBeNull();
    const back = value(await ada.api.circles()).invitationsSent.find(
      (i) => i.id === sent.invitation.id,
    );
    expect(value(readReply(back!, sent.key))).toEqual(offer);
  });
});
