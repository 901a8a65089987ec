import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ENVELOPE_OVERHEAD } from '../../core/src/crypto/envelope.js';
import {
  conflictBodySchema,
  pullResponseSchema,
  pushResponseSchema,
} from '../../core/src/vault/sync.js';
import { signedInClient } from '../test-support/accounts.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';

/**
 * An envelope-shaped value: the v1 header (version 1, key id 1, sequence) followed by random
 * bytes where nonce and ciphertext go. The server reads only the header and checks shape and size.
 */
const envelope = (sequence = 1, bytes = ENVELOPE_OVERHEAD + 20, keyId = 1) => {
  const b = randomBytes(bytes);
  b[0] = 1;
  b.writeUInt32BE(keyId, 1);
  b.writeBigUInt64BE(BigInt(sequence), 5);
  return b.toString('base64url');
};
/** A wrapped-key-shaped value (key wrap v1 is 73 bytes). */
const wrapped = () => randomBytes(73).toString('base64url');

/** A change on `baseRevision`; by default with an envelope for the revision it creates. */
const change = (
  itemId: string,
  baseRevision: number,
  env: string | null = envelope(baseRevision + 1),
  collection = 'plans',
) => ({
  collection,
  itemId,
  baseRevision,
  envelope: env,
});

describeEachEngine('vault sync', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(engine, {
      env: { VAULT_ITEM_MAX_BYTES: '4096', VAULT_QUOTA_BYTES: String(1024 * 1024) },
    });
  });
  afterEach(async () => t.close());

  /** Someone signed in, with key 1 of the `plans` collection registered. */
  const signedIn = async (handle: string) => {
    const who = await signedInClient(t, handle);
    const res = await who.client.post('/api/v1/vault/keys', {
      collection: 'plans',
      keyId: 1,
      wrappedKey: wrapped(),
    });
    expect(res.statusCode, res.body).toBe(201);
    return who;
  };

  const pull = async (client: TestClient, since = 0, limit = 500) => {
    const res = await client.get(`/api/v1/vault/changes?since=${since}&limit=${limit}`);
    expect(res.statusCode, res.body).toBe(200);
    return pullResponseSchema.parse(res.json());
  };

  it('refuses signed-out visitors and requests without a CSRF token', async () => {
    const visitor = new TestClient(t.app);
    const push = await visitor.post('/api/v1/vault/changes', { changes: [change('a', 0)] });
    expect(push.statusCode).toBe(401);
    expect(push.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect((await visitor.get('/api/v1/vault/changes')).statusCode).toBe(401);

    const { client } = await signedIn('ada');
    const noCsrf = await client.post(
      '/api/v1/vault/changes',
      { changes: [change('a', 0)] },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    expect((await pull(client)).changes).toEqual([]);
  });

  it('stores new items, hands them back in order, and pages through them', async () => {
    const { client } = await signedIn('ada');
    const envs = [envelope(), envelope(), envelope()];
    const res = await client.post('/api/v1/vault/changes', {
      changes: envs.map((e, i) => change(`item-${i}`, 0, e)),
    });
    expect(res.statusCode, res.body).toBe(200);
    const applied = pushResponseSchema.parse(res.json()).applied;
    expect(applied.map((a) => [a.itemId, a.revision, a.seq])).toEqual([
      ['item-0', 1, 1],
      ['item-1', 1, 2],
      ['item-2', 1, 3],
    ]);

    const all = await pull(client);
    expect(all.changes.map((c) => c.envelope)).toEqual(envs);
    expect(all.cursor).toBe(3);
    expect(all.more).toBe(false);

    const first = await pull(client, 0, 2);
    expect(first.changes.map((c) => c.itemId)).toEqual(['item-0', 'item-1']);
    expect(first.more).toBe(true);
    const second = await pull(client, first.cursor, 2);
    expect(second.changes.map((c) => c.itemId)).toEqual(['item-2']);
    expect(second.more).toBe(false);
    expect((await pull(client, second.cursor)).changes).toEqual([]);
  });

  it('stops a pull page at 4 MiB of envelopes, always holding at least one change', async () => {
    await t.close();
    t = await createTestApp(engine, {
      env: { VAULT_ITEM_MAX_BYTES: String(1024 * 1024), VAULT_QUOTA_BYTES: String(64 << 20) },
    });
    const { client } = await signedIn('ada');
    const big = (i: number) => change(`big-${String(i)}`, 0, envelope(1, 1_000_000));
    for (let i = 0; i < 5; i++) {
      const res = await client.post('/api/v1/vault/changes', { changes: [big(i)] });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    }
    const first = await pull(client);
    expect(first.changes.map((c) => c.itemId)).toEqual(['big-0', 'big-1', 'big-2', 'big-3']);
    expect(first.more).toBe(true);
    const second = await pull(client, first.cursor);
    expect(second.changes.map((c) => c.itemId)).toEqual(['big-4']);
    expect(second.more).toBe(false);
  });

  it('updates on the current revision, and answers a stale one with 409 and the server version, writing nothing', async () => {
    const { client } = await signedIn('ada');
    const v1 = envelope();
    await client.post('/api/v1/vault/changes', {
      changes: [change('note', 0, v1), change('other', 0)],
    });
    const v2 = envelope(2);
    const ok = await client.post('/api/v1/vault/changes', { changes: [change('note', 1, v2)] });
    expect(pushResponseSchema.parse(ok.json()).applied[0]).toMatchObject({ revision: 2, seq: 3 });

    // Another device edited revision 1 offline; its batch also touches an unrelated item.
    const stale = await client.post('/api/v1/vault/changes', {
      changes: [change('other', 1), change('note', 1, envelope(2))],
    });
    expect(stale.statusCode).toBe(409);
    const body = conflictBodySchema.parse(stale.json());
    expect(body.error.code).toBe('conflict');
    expect(body.conflicts).toHaveLength(1);
    expect(body.conflicts[0]).toMatchObject({ itemId: 'note', revision: 2, envelope: v2 });

    // Nothing of the refused batch landed: "other" is still at revision 1.
    const state = await pull(client);
    expect(state.changes.map((c) => [c.itemId, c.revision])).toEqual([
      ['other', 1],
      ['note', 2],
    ]);
    // Creating an item that already exists is a conflict too.
    expect(
      (await client.post('/api/v1/vault/changes', { changes: [change('note', 0)] })).statusCode,
    ).toBe(409);
  });

  it('keeps a tombstone for deletions so other devices learn of them', async () => {
    const { client } = await signedIn('ada');
    await client.post('/api/v1/vault/changes', { changes: [change('gone', 0)] });
    const del = await client.post('/api/v1/vault/changes', { changes: [change('gone', 1, null)] });
    expect(del.statusCode).toBe(200);
    const { changes } = await pull(client, 1);
    expect(changes).toEqual([
      expect.objectContaining({ itemId: 'gone', revision: 2, envelope: null }),
    ]);
  });

  it("never shows, changes or reveals another person's items", async () => {
    const ada = await signedIn('ada');
    const bo = await signedIn('bo');
    const secret = envelope();
    await ada.client.post('/api/v1/vault/changes', { changes: [change('diary', 0, secret)] });

    expect((await pull(bo.client)).changes).toEqual([]);
    // Bo writing the same collection and item id creates Bo's own item: no conflict, so Bo
    // cannot even learn that Ada has an item with that id.
    const mine = await bo.client.post('/api/v1/vault/changes', { changes: [change('diary', 0)] });
    expect(mine.statusCode).toBe(200);
    expect(pushResponseSchema.parse(mine.json()).applied[0]).toMatchObject({ revision: 1, seq: 1 });

    const adas = await pull(ada.client);
    expect(adas.changes).toEqual([
      expect.objectContaining({ itemId: 'diary', revision: 1, envelope: secret }),
    ]);
  });

  it('refuses an envelope whose sequence is not the revision it creates', async () => {
    const { client } = await signedIn('ada');
    for (const env of [envelope(2), envelope(0), 'AQ' + envelope().slice(2, 40)]) {
      const res = await client.post('/api/v1/vault/changes', { changes: [change('a', 0, env)] });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    // Version 2 envelopes are not understood yet.
    const v2 = Buffer.from(envelope(), 'base64url');
    v2[0] = 2;
    const res = await client.post('/api/v1/vault/changes', {
      changes: [change('a', 0, v2.toString('base64url'))],
    });
    expect(res.statusCode).toBe(400);
    expect((await pull(client)).changes).toEqual([]);
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const { client } = await signedIn('ada');
    const bad = [
      { changes: [] },
      { changes: [change('a b', 0)] },
      { changes: [change('a', -1)] },
      { changes: [change('a', 0, 'not base64url!')] },
      { changes: [change('a', 0, 'QUJD')] },
      { changes: [change('a', 0), change('a', 0)] },
      { changes: [{ ...change('a', 0), extra: true }] },
      { changes: Array.from({ length: 101 }, (_, i) => change(`i${i}`, 0)) },
      { changes: 'nope' },
      ['nope'],
    ];
    for (const body of bad) {
      const res = await client.post('/api/v1/vault/changes', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    for (const query of ['since=-1', 'since=abc', 'limit=0', 'limit=501']) {
      expect((await client.get(`/api/v1/vault/changes?${query}`)).statusCode, query).toBe(400);
    }
    expect((await pull(client)).changes).toEqual([]);
  });

  it('enforces the item size limit and the account quota', async () => {
    const { client } = await signedIn('ada');
    const big = await client.post('/api/v1/vault/changes', {
      changes: [change('big', 0, envelope(1, 4097))],
    });
    expect(big.statusCode).toBe(413);
    // The limit counts the envelope's bytes, not its base64url text.
    const atLimit = await client.post('/api/v1/vault/changes', {
      changes: [change('at-limit', 0, envelope(1, 4096))],
    });
    expect(atLimit.statusCode, atLimit.body).toBe(200);
    const freed = await client.post('/api/v1/vault/changes', {
      changes: [change('at-limit', 1, null)],
    });
    expect(freed.statusCode).toBe(200);
    expect(big.json()).toMatchObject({ error: { code: 'item_too_large' } });

    // 4096-byte envelopes: the 1 MiB quota holds 256 of them.
    const fill = (from: number) =>
      Array.from({ length: 100 }, (_, i) => change(`f${from + i}`, 0, envelope(1, 4096)));
    for (const from of [0, 100]) {
      expect((await client.post('/api/v1/vault/changes', { changes: fill(from) })).statusCode).toBe(
        200,
      );
    }
    const over = await client.post('/api/v1/vault/changes', { changes: fill(200) });
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ error: { code: 'quota_exceeded' } });
    expect((await pull(client)).cursor).toBe(202);

    // Deleting frees space again.
    const del = await client.post('/api/v1/vault/changes', {
      changes: Array.from({ length: 100 }, (_, i) => change(`f${i}`, 1, null)),
    });
    expect(del.statusCode).toBe(200);
    expect((await client.post('/api/v1/vault/changes', { changes: fill(200) })).statusCode).toBe(
      200,
    );
  });

  it('lets exactly one of two racing writers of the same item win', async () => {
    const { client } = await signedIn('ada');
    await client.csrfToken();
    const results = await Promise.all(
      [1, 2, 3, 4].map(() =>
        client.post('/api/v1/vault/changes', { changes: [change('race', 0)] }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect((await pull(client)).changes).toHaveLength(1);
  });

  it('keeps collection keys per account; key ids only go up; writes need the current key', async () => {
    const { client } = await signedIn('ada');
    const bob = await signedInClient(t, 'bob');
    const keys = await client.get('/api/v1/vault/keys');
    expect(keys.json()).toMatchObject({ keys: [{ collection: 'plans', keyId: 1 }] });
    expect((await bob.client.get('/api/v1/vault/keys')).json()).toEqual({ keys: [] });
    expect((await new TestClient(t.app).get('/api/v1/vault/keys')).statusCode).toBe(401);
    const visitorAdds = await new TestClient(t.app).post('/api/v1/vault/keys', {
      collection: 'plans',
      keyId: 5,
      wrappedKey: wrapped(),
    });
    expect(visitorAdds.statusCode).toBe(401);

    // Bob has no key for "plans": his writes there are refused until he adds one.
    const noKey = await bob.client.post('/api/v1/vault/changes', { changes: [change('a', 0)] });
    expect(noKey.statusCode).toBe(409);
    expect(noKey.json()).toMatchObject({ error: { code: 'stale_key' } });

    const again = await client.post('/api/v1/vault/keys', {
      collection: 'plans',
      keyId: 1,
      wrappedKey: wrapped(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'conflict' } });

    await client.post('/api/v1/vault/changes', { changes: [change('a', 0)] });
    // A re-key: key 2 becomes current, and writes sealed with key 1 are refused.
    expect(
      (
        await client.post('/api/v1/vault/keys', {
          collection: 'plans',
          keyId: 2,
          wrappedKey: wrapped(),
        })
      ).statusCode,
    ).toBe(201);
    const stale = await client.post('/api/v1/vault/changes', {
      changes: [change('a', 1, envelope(2, 150, 1))],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'stale_key' } });
    const fresh = await client.post('/api/v1/vault/changes', {
      changes: [change('a', 1, envelope(2, 150, 2))],
    });
    expect(fresh.statusCode, fresh.body).toBe(200);
    expect(
      (
        await bob.client.post('/api/v1/vault/keys', {
          collection: 'plans',
          keyId: 0,
          wrappedKey: wrapped(),
        })
      ).statusCode,
    ).toBe(400);
  });
});
