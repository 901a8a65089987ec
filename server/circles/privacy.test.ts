import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  circlesResponseSchema,
  personSchema,
  sharedItemsResponseSchema,
  sharesResponseSchema,
} from '../../core/src/circles/api.js';
import {
  linkTokenHash,
  makeInvitationKey,
  makeLinkToken,
  openAsk,
  openInvitationKey,
  openOffer,
  sealAsk,
  sealLinkSnapshot,
  sealOffer,
  wrapInvitationKey,
} from '../../core/src/circles/invitation.js';
import { memberCollectionId } from '../../core/src/circles/items.js';
import { openEnvelope, sealEnvelope } from '../../core/src/crypto/envelope.js';
import { verifyPublicKeyBundle } from '../../core/src/crypto/identity.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { generateKey, wrapKey } from '../../core/src/crypto/keys.js';
import { openShareKey, wrapShareKey } from '../../core/src/crypto/share.js';
import { fromBase64url, toBase64url } from '../../core/src/encoding/base64url.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  startPushSink,
  startSmtpSink,
  type PushSink,
  type SmtpSink,
} from '../test-support/notify.js';
import { member } from './test-fixtures.js';

const origin = 'https://tend.test';

/** Distinctive private words of every kind a circle carries. */
const secrets = {
  ask: 'Would you be the one who sits with me at the clinic on Thursdays? ~a81f0',
  offer: 'I can drive you on weekday evenings and I have a spare room ~o27c4',
  section: 'Please do not call police. Take me to the peer respite on Alder St. ~s5e19',
  contact: 'Text me first on 07700 900461, I may not pick up a call ~k0d3b',
  daily: 'wobbly-but-ok ~d77e2',
  note: 'Having a really rough night, could someone ring me? ~n3a6c',
  link: 'What helps: a walk by the canal and a cup of tea ~l9f42',
};
/** A location only the recipient may see, and how it would be written down. */
const location = { latitude: 51.47689, longitude: -0.08923, accuracyMetres: 17 };
const locationPieces = ['51.47689', '-0.08923', '51.4768', '0.0892'];

const utf8 = (s: string) => new TextEncoder().encode(s);

describeEachEngine('privacy: nothing of a circle reaches the server in plaintext', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let pushSink: PushSink;

  beforeEach(async () => {
    smtp = await startSmtpSink();
    pushSink = await startPushSink();
    t = await createTestApp(engine, {
      env: { PUBLIC_URL: origin, LOG_LEVEL: 'trace', SMTP_URL: smtp.url },
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    await pushSink.close();
  });

  it('after invitations, shares, a link, a daily word and a reach-out with a note and a location, no table, log, email or push holds them', async () => {
    const ada = await member(t, 'ada');
    const sam = await member(t, 'sam');
    const sub = pushSink.subscribe();
    expect((await sam.client.post('/api/v1/notify/push-subscriptions', sub)).statusCode).toBe(204);

    // Ada looks Sam up and checks his keys, then invites him by handle.
    const found = personSchema.parse(
      (await ada.client.get('/api/v1/circles/people?handle=sam')).json(),
    );
    const samKeys = verifyPublicKeyBundle(found.publicKeyBundle, sam.accountId);
    if (!samKeys.ok) throw new Error(samKeys.error);
    const invitationId = generateId();
    const invitationKey = makeInvitationKey();
    const ask = sealAsk({
      ownerId: ada.accountId,
      invitationId,
      key: invitationKey,
      ask: { message: secrets.ask, asking: ['appointments'], levels: ['help-now'] },
    });
    if (!ask.ok) throw new Error(ask.error);
    const shareKeyForInvite = await wrapInvitationKey({
      invitationId,
      ownerId: ada.accountId,
      inviteeId: sam.accountId,
      key: invitationKey,
      inviteeX25519PublicKey: samKeys.value.x25519PublicKey,
      ownerEd25519Seed: ada.person.identity.ed25519Seed,
    });
    const invited = await ada.client.post('/api/v1/circles/invitations', {
      id: invitationId,
      inviteeId: sam.accountId,
      shareKey: shareKeyForInvite,
      ask: ask.value,
    });
    expect(invited.statusCode, invited.body).toBe(201);

    // Sam opens the ask with Ada's key, and answers with what he can offer.
    const received = circlesResponseSchema.parse((await sam.client.get('/api/v1/circles')).json())
      .invitationsReceived[0];
    if (received === undefined || received.shareKey === null) {
      throw new Error('no invitation for Sam');
    }
    const k = await openInvitationKey({
      invitationId,
      ownerId: ada.accountId,
      inviteeId: sam.accountId,
      shareKey: received.shareKey,
      ownerEd25519PublicKey: ada.person.identity.ed25519PublicKey,
      inviteeX25519SecretKey: sam.person.identity.x25519SecretKey,
    });
    if (!k.ok) throw new Error(k.error);
    const openedAsk = openAsk({
      ownerId: ada.accountId,
      invitationId,
      key: k.value,
      envelope: received.ask,
    });
    expect(openedAsk.ok && openedAsk.value.message).toBe(secrets.ask);
    const reply = sealOffer({
      ownerId: ada.accountId,
      invitationId,
      key: k.value,
      offer: { offers: ['transport'], offerNotes: secrets.offer, availability: '', reach: '' },
    });
    if (!reply.ok) throw new Error(reply.error);
    const answered = await sam.client.post(`/api/v1/circles/invitations/${invitationId}/answer`, {
      accept: true,
      reply: reply.value,
    });
    expect(answered.statusCode, answered.body).toBeLessThan(300);
    const sent = circlesResponseSchema.parse((await ada.client.get('/api/v1/circles')).json())
      .invitationsSent[0];
    const openedOffer = openOffer({
      ownerId: ada.accountId,
      invitationId,
      key: invitationKey,
      envelope: sent?.reply ?? '',
    });
    expect(openedOffer.ok && openedOffer.value.offerNotes).toBe(secrets.offer);

    // Ada's collection for Sam: its own key, what she shares, shared with him by a share key.
    const collection = memberCollectionId(sam.accountId, 1);
    const collectionKey = generateKey();
    const keyRes = await ada.client.post('/api/v1/vault/keys', {
      collection,
      keyId: 1,
      wrappedKey: toBase64url(
        wrapKey(ada.person.masterKey, collectionKey, {
          kind: 'collection',
          ownerId: ada.accountId,
          collectionId: collection,
          keyId: 1,
        }),
      ),
    });
    expect(keyRes.statusCode, keyRes.body).toBe(201);
    const reachoutId = generateId();
    const items: [string, string, unknown][] = [
      ['section-1', 'circle.shared-section', { body: secrets.section }],
      ['contact', 'circle.contact', { reach: secrets.contact }],
      ['daily', 'circle.daily', { date: '2026-11-24', word: secrets.daily }],
      [reachoutId, 'reachout.note', { note: secrets.note, location }],
    ];
    const pushed = await ada.client.post('/api/v1/vault/changes', {
      changes: items.map(([itemId, itemType, value]) => {
        const sealed = sealEnvelope({
          binding: { ownerId: ada.accountId, collectionId: collection, itemId, itemType },
          collectionKey,
          keyId: 1,
          sequence: 1,
          plaintext: utf8(JSON.stringify(value)),
        });
        if (!sealed.ok) throw new Error(sealed.error);
        return { collection, itemId, baseRevision: 0, envelope: toBase64url(sealed.value) };
      }),
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const shareId = generateId();
    const shareKey = await wrapShareKey({
      shareId,
      senderId: ada.accountId,
      recipientId: sam.accountId,
      keyId: 1,
      collectionKey,
      recipientX25519PublicKey: samKeys.value.x25519PublicKey,
      senderEd25519Seed: ada.person.identity.ed25519Seed,
    });
    const shared = await ada.client.put(`/api/v1/shares/${shareId}`, {
      collection,
      memberId: sam.accountId,
      keyId: 1,
      shareKey: toBase64url(shareKey),
    });
    expect(shared.statusCode, shared.body).toBeLessThan(300);

    // A read-only link for someone without an account.
    const linkKey = makeInvitationKey();
    const linkId = generateId();
    const token = makeLinkToken();
    const snapshot = sealLinkSnapshot({
      ownerId: ada.accountId,
      linkId,
      key: linkKey,
      revision: 1,
      snapshot: { sections: [], contact: secrets.link, madeAt: new Date().toISOString() },
    });
    if (!snapshot.ok) throw new Error(snapshot.error);
    const linked = await ada.client.post('/api/v1/links', {
      id: linkId,
      tokenHash: linkTokenHash(token),
      envelope: snapshot.value,
      expiresInHours: 48,
    });
    expect(linked.statusCode, linked.body).toBe(201);

    // Ada reaches out; Sam is told by email and push, in fixed words.
    const reached = await ada.client.post('/api/v1/reachouts', {
      id: reachoutId,
      level: 'help-now',
      recipients: [sam.accountId],
    });
    expect(reached.statusCode, reached.body).toBe(201);
    await smtp.waitFor(2, 10_000); // the invitation, then the reach-out
    await pushSink.waitFor(2, 10_000);

    // Sam reads what Ada shared: the journey is real, the note opens for him.
    const incoming = sharesResponseSchema.parse((await sam.client.get('/api/v1/shares')).json())
      .incoming[0];
    if (incoming === undefined) throw new Error('nothing shared with Sam');
    const opened = await openShareKey({
      shareId: incoming.shareId,
      senderId: ada.accountId,
      recipientId: sam.accountId,
      wrapped: fromBase64url(incoming.shareKey) ?? new Uint8Array(),
      senderEd25519PublicKey: ada.person.identity.ed25519PublicKey,
      recipientX25519SecretKey: sam.person.identity.x25519SecretKey,
    });
    if (!opened.ok) throw new Error(opened.error);
    const page = sharedItemsResponseSchema.parse(
      (await sam.client.get(`/api/v1/shares/${ada.accountId}/${collection}/items`)).json(),
    );
    const note = page.items.find((i) => i.itemId === reachoutId);
    const noteOpened = openEnvelope({
      envelope: fromBase64url(note?.envelope ?? '') ?? new Uint8Array(),
      binding: {
        ownerId: ada.accountId,
        collectionId: collection,
        itemId: reachoutId,
        itemType: 'reachout.note',
      },
      collectionKeys: (id) => (id === 1 ? opened.value.collectionKey : undefined),
      expectedSequence: note?.revision ?? 0,
    });
    expect(noteOpened.ok && new TextDecoder().decode(noteOpened.value.plaintext)).toContain(
      secrets.note,
    );

    // Dump every table, every log line, every email and push as delivered.
    const tables = await t.handle.db.introspection.getTables({ withInternalKyselyTables: true });
    let dump = '';
    for (const table of tables) {
      const rows = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table.name)}`.execute(t.handle.db);
      dump += `${table.name}: ${JSON.stringify(rows.rows)}\n`;
    }
    const logs = t.logs();
    const mail = smtp.messages.map((m) => `${m.subject}\n${m.text}\n${m.raw}`).join('\n');
    const pushes = pushSink.received.map((p) => p.text).join('\n');
    // The dump and the deliveries are real.
    expect(dump).toContain(ask.value);
    expect(dump).toContain(reachoutId);
    expect(mail).toContain('Someone in your circle is reaching out');
    expect(pushes).toContain('Someone in your circle is reaching out');

    const keys: Record<string, string> = {
      invitationKey: toBase64url(invitationKey),
      collectionKey: toBase64url(collectionKey),
      linkKey: toBase64url(linkKey),
      linkToken: token,
      adaIdentity: toBase64url(ada.person.identity.x25519SecretKey),
      samIdentity: toBase64url(sam.person.identity.x25519SecretKey),
    };
    const places = { dump, logs, mail, pushes };
    for (const [name, text] of Object.entries(secrets)) {
      for (const piece of [text, ...(text.match(/.{16}/g) ?? [])]) {
        for (const [where, haystack] of Object.entries(places)) {
          expect(haystack.includes(piece), `${name} ("${piece}") in ${where}`).toBe(false);
        }
      }
    }
    for (const piece of locationPieces) {
      for (const [where, haystack] of Object.entries(places)) {
        expect(haystack.includes(piece), `location ${piece} in ${where}`).toBe(false);
      }
    }
    for (const [name, value] of Object.entries(keys)) {
      for (const [where, haystack] of Object.entries(places)) {
        expect(haystack.includes(value), `${name} in ${where}`).toBe(false);
      }
    }
    // Who reached out, and at what level, is not in what is delivered either.
    expect(`${mail}\n${pushes}`).not.toMatch(/ada|help-now|help now/i);
  });
});
