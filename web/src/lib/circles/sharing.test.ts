// Sharing and reading shared collections through the real server, with real keys and vaults.
import { describe, expect, it } from 'vitest';
import { createPublicKeyBundle, generateIdentityKeys } from '$core/crypto/identity';
import { openEnvelope } from '$core/crypto/envelope';
import { openShareKey, wrapShareKey } from '$core/crypto/share';
import { fromBase64url, toBase64url } from '$core/encoding/base64url';
import { decodeCircleItem } from '$core/circles/items';
import { parseLink } from '$core/circles/invitation';
import type { SharesWire } from './api';
import type { Section } from '$core/plans/index';
import { newPlan } from '$core/plans/test-support/index';
import { savePlan } from '../plans/store';
import { answerReceived, inviteByHandle, openReceived } from './invitations';
import { openIncoming, sharedReader } from './incoming';
import { acceptNewKeys, checkKeys } from './keys';
import {
  createLinkShare,
  openLinkShare,
  revokeLinkShare,
  saveGrant,
  sealReachoutNote,
  serverCollectionKeys,
  setDaily,
  syncSharing,
  type SharingDeps,
} from './sharing';
import { saveSettings } from './store';
import { synced, useWorld, type Someone } from './test-support';

const value = <T>(r: { readonly ok: true; readonly value: T } | { readonly ok: false }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.value;
};
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('sharing with my circle', () => {
  const world = useWorld();

  async function join(owner: Someone, member: Someone) {
    await inviteByHandle({
      api: owner.api,
      vault: owner.vault,
      me: owner.me,
      invitee: value(await owner.api.person(member.handle)),
      ask: { message: 'Be one of my people?', asking: ['listen'], levels: ['check-in'] },
    });
    const [invitation] = value(await member.api.circles()).invitationsReceived;
    const received = value(
      await openReceived({
        api: member.api,
        vault: member.vault,
        me: member.me,
        invitation: invitation!,
      }),
    );
    value(await answerReceived({ api: member.api, received, accept: true }));
  }

  async function setUp() {
    const ada = await world.add('ada');
    const sam = await world.add('sam');
    const kim = await world.add('kim');
    await join(ada, sam);
    await join(ada, kim);
    // A crisis plan: "involve" for supporters with one private person in it; "helps" private.
    const plan = newPlan('crisis');
    const sections = plan.sections.map((s): Section => {
      if (s.key === 'involve' && s.kind === 'people') {
        return {
          ...s,
          visibility: 'supporters',
          entries: [
            {
              id: 'e1',
              name: 'Sam',
              reach: '555 0101',
              role: 'stay with me',
              involve: 'yes',
              visibility: 'supporters',
            },
            {
              id: 'e2',
              name: 'My sister',
              reach: 'secret number',
              role: '',
              involve: 'no',
              visibility: 'private',
            },
          ],
        };
      }
      if (s.key === 'helps' && s.kind === 'pairs') {
        return {
          ...s,
          visibility: 'private',
          entries: [{ id: 'p1', helps: 'quiet', hinders: 'sirens', visibility: 'private' }],
        };
      }
      return s;
    });
    const snapshot = { ...plan, sections };
    value(
      await savePlan(ada.vault, snapshot).then((r) =>
        r.ok ? { ok: true as const, value: r } : { ok: false as const, error: r.errors },
      ),
    );
    await saveSettings(ada.vault, { levels: {}, reach: 'text first, then call', resources: [] });
    const involve = sections.find((s) => s.key === 'involve')!;
    const helps = sections.find((s) => s.key === 'helps')!;
    const deps: SharingDeps = {
      api: ada.api,
      vault: ada.vault,
      me: ada.me,
      collectionKey: serverCollectionKeys(ada.me, ada.vaultFetch),
    };
    return { ada, sam, kim, snapshot, involve, helps, deps };
  }

  const readAs = (who: Someone, ownerId: string) =>
    openIncoming({ api: who.api, vault: who.vault, me: who.me }, ownerId);

  it('shares only the part for supporters, person by person', async () => {
    const { ada, sam, kim, snapshot, involve, helps, deps } = await setUp();
    await saveGrant(ada.vault, {
      memberId: sam.accountId,
      sections: [
        { planId: snapshot.plan.id, sectionId: involve.id },
        { planId: snapshot.plan.id, sectionId: helps.id },
      ],
      daily: false,
      contact: true,
    });
    // kim: only today's word.
    await saveGrant(ada.vault, {
      memberId: kim.accountId,
      sections: [],
      daily: true,
      contact: false,
    });
    await setDaily(ada.vault, { date: '2026-11-24', word: 'tired' });
    const report = value(await syncSharing(deps));
    expect([...report.changed].sort()).toEqual([sam.accountId, kim.accountId].sort());
    expect(report.problems).toEqual([]);

    const seen = await readAs(sam, ada.accountId);
    expect(seen.problems).toEqual([]);
    expect(seen.items.map((i) => i.type).sort()).toEqual([
      'circle.contact',
      'circle.shared-section',
    ]);
    const all = seen.items.map((i) => text(i.plaintext)).join('\n');
    expect(all).toContain('555 0101');
    expect(all).toContain('text first, then call');
    expect(all).not.toContain('secret number');
    expect(all).not.toContain('sirens');
    const shared = seen.items.find((i) => i.type === 'circle.shared-section')!;
    expect(value(decodeCircleItem('circle.shared-section', shared.plaintext)).section.id).toBe(
      involve.id,
    );

    const kimSees = (await readAs(kim, ada.accountId)).items;
    expect(kimSees.map((i) => [i.type, text(i.plaintext)])).toEqual([
      ['circle.daily', '{"date":"2026-11-24","word":"tired"}'],
    ]);
    // Running again changes nothing.
    expect(value(await syncSharing(deps))).toEqual({ changed: [], rekeyed: [], problems: [] });
  });

  it('refuses a forged or unsigned share key, reading nothing', async () => {
    const { ada, sam, snapshot, involve, deps } = await setUp();
    await saveGrant(ada.vault, {
      memberId: sam.accountId,
      sections: [{ planId: snapshot.plan.id, sectionId: involve.id }],
      daily: false,
      contact: false,
    });
    value(await syncSharing(deps));
    const mallory = generateIdentityKeys();
    const forge = async (body: SharesWire): Promise<SharesWire> => ({
      ...body,
      incoming: await Promise.all(
        body.incoming.map(async (s) => ({
          ...s,
          shareKey: toBase64url(
            await wrapShareKey({
              shareId: s.shareId,
              senderId: s.ownerId,
              recipientId: s.memberId,
              keyId: s.keyId,
              collectionKey: new Uint8Array(32).fill(7),
              recipientX25519PublicKey: sam.person.identity.x25519PublicKey,
              senderEd25519Seed: mallory.ed25519Seed,
            }),
          ),
        })),
      ),
    });
    const genuine = value(await sam.api.shares());
    const forged = await forge(genuine);
    sam.tamper = (_m, url, body) => (url === '/api/v1/shares' ? forged : body);
    const r1 = await readAs(sam, ada.accountId);
    expect(r1.items).toEqual([]);
    expect(r1.problems).toMatchObject([{ kind: 'share_key', error: 'bad_signature' }]);

    const zeroed = {
      ...genuine,
      incoming: genuine.incoming.map((s) => {
        const bytes = fromBase64url(s.shareKey)!;
        bytes.fill(0, bytes.length - 64);
        return { ...s, shareKey: toBase64url(bytes) };
      }),
    };
    sam.tamper = (_m, url, body) => (url === '/api/v1/shares' ? zeroed : body);
    const r2 = await readAs(sam, ada.accountId);
    expect(r2.items).toEqual([]);
    expect(r2.problems).toMatchObject([{ kind: 'share_key', error: 'bad_signature' }]);
  });

  it('taking something away re-keys: nothing written after it opens with the old key', async () => {
    const { ada, sam, snapshot, involve, deps } = await setUp();
    const grant = {
      memberId: sam.accountId,
      sections: [{ planId: snapshot.plan.id, sectionId: involve.id }],
      daily: false,
      contact: true,
    };
    await saveGrant(ada.vault, grant);
    value(await syncSharing(deps));
    const [oldShare] = value(await sam.api.shares()).incoming;
    const oldKey = value(
      await openShareKey({
        shareId: oldShare!.shareId,
        senderId: ada.accountId,
        recipientId: sam.accountId,
        wrapped: fromBase64url(oldShare!.shareKey)!,
        senderEd25519PublicKey: ada.person.identity.ed25519PublicKey,
        recipientX25519SecretKey: sam.person.identity.x25519SecretKey,
      }),
    ).collectionKey;

    await saveGrant(ada.vault, { ...grant, contact: false });
    const report = value(await syncSharing(deps));
    expect(report.rekeyed).toEqual([sam.accountId]);

    const shares = value(await sam.api.shares()).incoming;
    expect(shares.map((s) => s.collection)).toEqual([`to-${sam.accountId}-2`]);
    // The old collection is gone for sam at once.
    const old = await sam.api.sharedItems(ada.accountId, oldShare!.collection);
    expect(old).toMatchObject({ ok: false, status: 404 });

    const seen = await readAs(sam, ada.accountId);
    expect(seen.items.map((i) => i.type)).toEqual(['circle.shared-section']);
    // What was written for sam after the removal does not open with the key sam held before.
    const page = value(await sam.api.sharedItems(ada.accountId, `to-${sam.accountId}-2`));
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) {
      const opened = openEnvelope({
        envelope: fromBase64url(item.envelope!)!,
        binding: {
          ownerId: ada.accountId,
          collectionId: `to-${sam.accountId}-2`,
          itemId: item.itemId,
          itemType: 'circle.shared-section',
        },
        collectionKeys: () => oldKey,
      });
      expect(opened).toEqual({ ok: false, error: 'auth_failed' });
    }

    // Out of the circle: every collection goes.
    value(await ada.api.removeMember(sam.accountId));
    value(await syncSharing(deps));
    expect(value(await sam.api.shares()).incoming).toEqual([]);
    await synced(ada.vault);
    expect((await ada.vault.list(`to-${sam.accountId}-2`, 'circle.shared-section')).items).toEqual(
      [],
    );
  });

  it('a changed fingerprint blocks sharing with that person until confirmed', async () => {
    const { ada, sam, kim, snapshot, involve, deps } = await setUp();
    for (const who of [sam, kim]) {
      await saveGrant(ada.vault, {
        memberId: who.accountId,
        sections: [{ planId: snapshot.plan.id, sectionId: involve.id }],
        daily: false,
        contact: false,
      });
    }
    // ada met sam's real keys when inviting; now the server shows other keys for sam.
    const mallory = generateIdentityKeys();
    const fake = createPublicKeyBundle(sam.accountId, mallory);
    ada.tamper = (_m, url, body) => {
      if (url !== '/api/v1/circles') return body;
      const b = body as { mine: { member: { accountId: string } }[] };
      return {
        ...b,
        mine: b.mine.map((m) =>
          m.member.accountId === sam.accountId
            ? { ...m, member: { ...m.member, publicKeyBundle: fake } }
            : m,
        ),
      };
    };
    const report = value(await syncSharing(deps));
    expect(report.changed).toContain(kim.accountId);
    expect(report.problems).toMatchObject([
      { memberId: sam.accountId, kind: 'keys', check: { status: 'changed' } },
    ]);
    expect(value(await sam.api.shares()).incoming).toEqual([]);
    expect(value(await kim.api.shares()).incoming).toHaveLength(1);

    // Until the owner confirms the new keys (after comparing them), every run refuses again.
    expect(value(await syncSharing(deps)).problems).toHaveLength(1);
    const shown = { accountId: sam.accountId, publicKeyBundle: fake };
    const check = await checkKeys(ada.vault, shown);
    if (check.status !== 'changed') throw new Error(check.status);
    expect(await acceptNewKeys(ada.vault, shown, check.key.fingerprint)).toBe(true);
    const after = value(await syncSharing(deps));
    expect(after.problems).toEqual([]);
    expect(after.changed).toEqual([sam.accountId]);
  });
  it('seals a reach-out note for its recipients only, and they read it with the rest', async () => {
    const { ada, sam, kim, snapshot, involve, deps } = await setUp();
    await saveGrant(ada.vault, {
      memberId: sam.accountId,
      sections: [{ planId: snapshot.plan.id, sectionId: involve.id }],
      daily: false,
      contact: false,
    });
    value(await syncSharing(deps));
    const samWire = value(await ada.api.circles()).mine.find(
      (m) => m.member.accountId === sam.accountId,
    )!.member;
    const sealed = await sealReachoutNote(deps, {
      reachoutId: 'r1',
      recipients: [samWire],
      note: { note: 'at home', location: { latitude: 1, longitude: 2, accuracyMetres: 10 } },
    });
    expect(sealed).toEqual({ sealedFor: [sam.accountId], problems: [] });
    const read = await sharedReader({ api: sam.api, vault: sam.vault, me: sam.me })(ada.accountId);
    if (!read.ok) throw new Error('not read');
    expect(read.items.map((i) => i.type).sort()).toEqual([
      'circle.shared-section',
      'reachout.note',
    ]);
    expect((await readAs(kim, ada.accountId)).items).toEqual([]);
    // A later re-sync keeps the note.
    value(await syncSharing(deps));
    expect((await readAs(sam, ada.accountId)).items.map((i) => i.itemId)).toContain('r1');
  });

  it('a member granted nothing keeps the reach-out notes sent to them through every sharing run', async () => {
    const { ada, kim, deps } = await setUp();
    const kimWire = value(await ada.api.circles()).mine.find(
      (m) => m.member.accountId === kim.accountId,
    )!.member;
    const first = await sealReachoutNote(deps, {
      reachoutId: 'r1',
      recipients: [kimWire],
      note: { note: 'at the station' },
    });
    expect(first).toEqual({ sealedFor: [kim.accountId], problems: [] });
    value(await syncSharing(deps));
    value(await syncSharing(deps));
    expect((await readAs(kim, ada.accountId)).items.map((i) => i.itemId)).toEqual(['r1']);
    // A second note goes to the same collection, and both stay.
    await sealReachoutNote(deps, {
      reachoutId: 'r2',
      recipients: [kimWire],
      note: { note: 'on the bus now' },
    });
    value(await syncSharing(deps));
    expect((await readAs(kim, ada.accountId)).items.map((i) => i.itemId).sort()).toEqual([
      'r1',
      'r2',
    ]);
  });

  it('a link share shows only the chosen parts for supporters, until it is revoked', async () => {
    const { ada, snapshot, involve, helps, deps } = await setUp();
    const made = await createLinkShare(deps, {
      sections: [
        { planId: snapshot.plan.id, sectionId: involve.id },
        { planId: snapshot.plan.id, sectionId: helps.id },
      ],
      contact: true,
      label: 'for my neighbour',
      expiresInHours: 24,
      origin: 'https://tend.example',
    });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const { token, key } = value(parseLink('shared', made.link, 'https://tend.example'));
    const visitor = world.visitor();
    const opened = await openLinkShare(visitor, token, key);
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    expect(opened.value.sections.map((s) => s.section.id)).toEqual([involve.id]);
    expect(opened.value.contact).toBe('text first, then call');
    expect(JSON.stringify(opened.value)).not.toContain('secret number');
    expect(await openLinkShare(visitor, token, new Uint8Array(32))).toMatchObject({
      ok: false,
      error: { code: 'auth_failed' },
    });

    expect(await revokeLinkShare(deps, made.linkId)).toBe(true);
    expect(await openLinkShare(visitor, token, key)).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
    expect((await ada.vault.list('circle', 'circle.link')).items).toEqual([]);
  });
  it("taking away does not wait: it happens even while the member's keys are in question", async () => {
    const { ada, sam, snapshot, involve, deps } = await setUp();
    const grant = {
      memberId: sam.accountId,
      sections: [{ planId: snapshot.plan.id, sectionId: involve.id }],
      daily: false,
      contact: true,
    };
    await saveGrant(ada.vault, grant);
    value(await syncSharing(deps));
    expect(value(await sam.api.shares()).incoming).toHaveLength(1);
    const fake = createPublicKeyBundle(sam.accountId, generateIdentityKeys());
    ada.tamper = (_m, url, body) => {
      if (url !== '/api/v1/circles') return body;
      const b = body as { mine: { member: { accountId: string } }[] };
      return {
        ...b,
        mine: b.mine.map((m) => ({ ...m, member: { ...m.member, publicKeyBundle: fake } })),
      };
    };
    await saveGrant(ada.vault, { ...grant, contact: false });
    const report = value(await syncSharing(deps));
    expect(report.rekeyed).toEqual([sam.accountId]);
    expect(report.problems).toMatchObject([{ kind: 'keys' }]);
    // The old collection is gone, and the new one is not shared to keys ada has not confirmed.
    expect(value(await sam.api.shares()).incoming).toEqual([]);
  });
});
