import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { invitationSchema, type InvitationWire } from '../../core/src/circles/api.js';
import { sealEnvelope } from '../../core/src/crypto/envelope.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { generateKey, wrapKey } from '../../core/src/crypto/keys.js';
import { wrapShareKey } from '../../core/src/crypto/share.js';
import { toBase64url } from '../../core/src/encoding/base64url.js';
import { signedInPerson } from '../test-support/accounts.js';
import type { TestApp } from '../test-support/app.js';
import type { TestClient } from '../test-support/client.js';
import type { Person } from '../test-support/person.js';
import { hashToken } from './use-cases.js';

/** Someone signed in, with real identity keys (their public bundle is what others verify). */
export interface Member {
  readonly person: Person;
  readonly client: TestClient;
  readonly accountId: string;
  readonly handle: string;
}

/** An account made from a Person's real keys (with an email address), and a signed-in client. */
export async function member(t: TestApp, handle: string): Promise<Member> {
  return signedInPerson(t, handle, { email: `${handle}@example.test` });
}

/** Seals `text` as a real v1 envelope (the server can check only its header). */
export function seal(
  ownerId: string,
  collectionId: string,
  itemId: string,
  itemType: string,
  key: Uint8Array,
  opts: { keyId?: number; sequence?: number; text?: string } = {},
): string {
  const r = sealEnvelope({
    binding: { ownerId, collectionId, itemId, itemType },
    collectionKey: key,
    keyId: opts.keyId ?? 1,
    sequence: opts.sequence ?? 1,
    plaintext: new TextEncoder().encode(opts.text ?? 'private words'),
  });
  if (!r.ok) throw new Error(r.error);
  return toBase64url(r.value);
}

/** A real share key: `key` HPKE-wrapped to the recipient and signed by the sender. */
export async function shareKeyFor(
  from: Member,
  to: Member,
  shareId: string,
  key: Uint8Array,
  keyId = 1,
): Promise<string> {
  return toBase64url(
    await wrapShareKey({
      shareId,
      senderId: from.accountId,
      recipientId: to.accountId,
      keyId,
      collectionKey: key,
      recipientX25519PublicKey: to.person.identity.x25519PublicKey,
      senderEd25519Seed: from.person.identity.ed25519Seed,
    }),
  );
}

/** The body of an invitation by handle, with a real sealed ask and invitation key. */
export async function handleInvitationBody(from: Member, to: Member, id = generateId()) {
  const key = generateKey();
  return {
    id,
    inviteeId: to.accountId,
    shareKey: await shareKeyFor(from, to, id, key),
    ask: seal(from.accountId, 'invitation', id, 'circle.ask', key),
  };
}

/** The body of a link invitation and the token that goes in the link's path. */
export function linkInvitationBody(from: Member, id = generateId()) {
  const token = randomBytes(32).toString('base64url');
  const key = generateKey();
  return {
    token,
    key,
    body: {
      id,
      linkTokenHash: hashToken(token),
      ask: seal(from.accountId, 'invitation', id, 'circle.ask', key),
    },
  };
}

/** `to` joins `from`'s circle the real way: invited by handle, then accepting. */
export async function joinCircle(from: Member, to: Member): Promise<InvitationWire> {
  const body = await handleInvitationBody(from, to);
  const sent = await from.client.post('/api/v1/circles/invitations', body);
  expect(sent.statusCode, sent.body).toBe(201);
  const answered = await to.client.post(`/api/v1/circles/invitations/${body.id}/answer`, {
    accept: true,
  });
  expect(answered.statusCode, answered.body).toBe(200);
  return invitationSchema.parse(answered.json());
}

/**
 * Makes a collection in `owner`'s vault with key id 1 and one item in it; returns the key. The
 * wrapped key stands in for one under the owner's master key (the server only stores it).
 */
export async function makeCollection(owner: Member, collection: string, text = 'my plan') {
  const key = generateKey();
  const keyRes = await owner.client.post('/api/v1/vault/keys', {
    collection,
    keyId: 1,
    wrappedKey: toBase64url(
      wrapKey(owner.person.masterKey, key, {
        kind: 'collection',
        ownerId: owner.accountId,
        collectionId: collection,
        keyId: 1,
      }),
    ),
  });
  expect(keyRes.statusCode, keyRes.body).toBe(201);
  await pushItem(owner, collection, 'item-1', key, text);
  return key;
}

export async function pushItem(
  owner: Member,
  collection: string,
  itemId: string,
  key: Uint8Array,
  text: string,
  baseRevision = 0,
) {
  const res = await owner.client.post('/api/v1/vault/changes', {
    changes: [
      {
        collection,
        itemId,
        baseRevision,
        envelope: seal(owner.accountId, collection, itemId, 'circle.shared-section', key, {
          sequence: baseRevision + 1,
          text,
        }),
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** Stored realtime events for one account, in order, as `type` with its data. */
export async function eventsOf(t: TestApp, who: { accountId: string }) {
  const rows = await t.handle.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where('account_id', '=', who.accountId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, string> }));
}

/** Row counts of every table these routes write: a refused request changes none of them. */
export async function footprint(t: TestApp) {
  const tables = [
    'circle_members',
    'circle_invitations',
    'circle_blocks',
    'vault_shares',
    'link_shares',
    'events',
    'notify_outbox',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
