import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openEnvelope, sealEnvelope } from '../core/src/crypto/envelope.js';
import { generateKey, unwrapKey, wrapKey } from '../core/src/crypto/keys.js';
import { fromBase64url, toBase64url } from '../core/src/encoding/base64url.js';
import { pullResponseSchema } from '../core/src/vault/sync.js';
import { createTestApp, type TestApp } from './test-support/app.js';
import { TestClient } from './test-support/client.js';
import { describeEachEngine } from './test-support/engines.js';
import { Person } from './test-support/person.js';

const origin = 'https://tend.test';

/** Distinctive private text, the kind people write in a plan, a check-in and a journal. */
const secrets = {
  plan: 'If I am in crisis: do not call police; take me to the peer respite on Alder St, not the ER. ~p7f3a',
  checkin: 'Slept 3 hours, knee pain 6, skipped lunch, felt far from everyone today ~c9b2c',
  journal: 'Talked with Sam at the community garden and it helped more than I expected ~j41de',
};

describeEachEngine('privacy: nothing private reaches the server in plaintext', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(engine, { env: { PUBLIC_URL: origin, LOG_LEVEL: 'trace' } });
  });
  afterEach(async () => t.close());

  it('after a full journey, no table and no log line holds a secret or a key', async () => {
    const ada = new Person('ada');
    const device1 = new TestClient(t.app);
    expect(
      (await device1.post('/api/v1/accounts', { handle: 'ada', keys: ada.accountKeys() }))
        .statusCode,
    ).toBe(201);

    // The browser makes a collection key, wraps it under the master key, seals items.
    const collectionKey = generateKey();
    const wrapped = wrapKey(ada.masterKey, collectionKey, {
      kind: 'collection',
      ownerId: ada.accountId,
      collectionId: 'personal',
      keyId: 1,
    });
    expect(
      (
        await device1.post('/api/v1/vault/keys', {
          collection: 'personal',
          keyId: 1,
          wrappedKey: toBase64url(wrapped),
        })
      ).statusCode,
    ).toBe(201);
    const seal = (itemId: string, itemType: string, text: string, sequence: number) => {
      const r = sealEnvelope({
        binding: { ownerId: ada.accountId, collectionId: 'personal', itemId, itemType },
        collectionKey,
        keyId: 1,
        sequence,
        plaintext: new TextEncoder().encode(text),
      });
      if (!r.ok) throw new Error(r.error);
      return toBase64url(r.value);
    };
    const push = await device1.post('/api/v1/vault/changes', {
      changes: [
        {
          collection: 'personal',
          itemId: 'plan-1',
          baseRevision: 0,
          envelope: seal('plan-1', 'plan', secrets.plan, 1),
        },
        {
          collection: 'personal',
          itemId: 'checkin-1',
          baseRevision: 0,
          envelope: seal('checkin-1', 'checkin', secrets.checkin, 1),
        },
        {
          collection: 'personal',
          itemId: 'journal-1',
          baseRevision: 0,
          envelope: seal('journal-1', 'journal', secrets.journal, 1),
        },
      ],
    });
    expect(push.statusCode, push.body).toBe(200);
    const edit = await device1.post('/api/v1/vault/changes', {
      changes: [
        {
          collection: 'personal',
          itemId: 'plan-1',
          baseRevision: 1,
          envelope: seal('plan-1', 'plan', `${secrets.plan} (updated)`, 2),
        },
      ],
    });
    expect(edit.statusCode).toBe(200);

    // A second device signs in, fetches the key and reads everything back.
    const device2 = new TestClient(t.app);
    const proof = await ada.prove(device2, 'sign-in', origin);
    const { response: _r, ...signed } = proof;
    expect((await device2.post('/api/v1/sessions', signed)).statusCode).toBe(200);
    const keys = (await device2.get('/api/v1/vault/keys')).json<{
      keys: { wrappedKey: string }[];
    }>().keys;
    const unwrapped = unwrapKey(
      ada.masterKey,
      fromBase64url(keys[0]?.wrappedKey ?? '') ?? new Uint8Array(),
      {
        kind: 'collection',
        ownerId: ada.accountId,
        collectionId: 'personal',
        keyId: 1,
      },
    );
    expect(unwrapped.ok).toBe(true);
    const pulled = pullResponseSchema.parse((await device2.get('/api/v1/vault/changes')).json());
    const read = pulled.changes.map((c) => {
      const opened = openEnvelope({
        envelope: fromBase64url(c.envelope ?? '') ?? new Uint8Array(),
        binding: {
          ownerId: ada.accountId,
          collectionId: 'personal',
          itemId: c.itemId,
          itemType: c.itemId.split('-')[0] ?? '',
        },
        collectionKeys: (id) => (id === 1 && unwrapped.ok ? unwrapped.value : undefined),
        expectedSequence: c.revision,
      });
      return opened.ok
        ? new TextDecoder().decode(opened.value.plaintext)
        : `failed: ${opened.error}`;
    });
    expect(read.sort()).toEqual(
      [secrets.checkin, secrets.journal, `${secrets.plan} (updated)`].sort(),
    );

    // Passphrase change and recovery go through the server too.
    const reauth = await ada.prove(device1, 'reauth', origin);
    const { response: _r2, ...reauthSigned } = reauth;
    expect(
      (
        await device1.put('/api/v1/accounts/me/passphrase', {
          ...reauthSigned,
          change: ada.newPassphrase(),
        })
      ).statusCode,
    ).toBe(204);
    const rec = await ada.prove(device2, 'recover', origin);
    const { response: _r3, ...recSigned } = rec;
    expect(
      (await device2.post('/api/v1/recovery', { ...recSigned, change: ada.newPassphrase() }))
        .statusCode,
    ).toBe(200);

    // Dump every table and every log line.
    const tables = await t.handle.db.introspection.getTables({ withInternalKyselyTables: true });
    let dump = '';
    for (const table of tables) {
      const rows = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table.name)}`.execute(t.handle.db);
      dump += `${table.name}: ${JSON.stringify(rows.rows)}\n`;
    }
    const logs = t.logs();
    expect(dump).toContain('"ada"'); // the dump is real: it holds the handle and the envelopes
    expect(dump).toContain(pulled.changes[0]?.envelope ?? '???');
    expect(logs.split('\n').length).toBeGreaterThan(20);

    const forbidden: Record<string, string> = {
      ...secrets,
      masterKey: toBase64url(ada.masterKey),
      collectionKey: toBase64url(collectionKey),
      kek: toBase64url(ada.passphrase.kek),
      authSeed: toBase64url(ada.passphrase.authSeed),
      recoveryKey: toBase64url(ada.recoveryKey),
      recoveryWrapKey: toBase64url(ada.recovery.wrapKey),
      identitySecret: toBase64url(ada.identity.x25519SecretKey),
    };
    for (const [name, value] of Object.entries(forbidden)) {
      // Whole values, and any 24-character piece of the text secrets.
      const pieces = name in secrets ? [value, ...value.match(/.{24}/g)!] : [value];
      for (const piece of pieces) {
        expect(dump.includes(piece), `${name} in the database`).toBe(false);
        expect(logs.includes(piece), `${name} in the logs`).toBe(false);
      }
    }
  });
});
