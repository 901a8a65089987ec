import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  accountSelfSchema,
  challengeResponseSchema,
  registrationSchema,
} from '../../core/src/accounts/api.js';
import { MIN_KDF_PARAMS } from '../../core/src/crypto/kdf.js';
import { generateKey } from '../../core/src/crypto/keys.js';
import { createPublicKeyBundle, generateIdentityKeys } from '../../core/src/crypto/identity.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { TestClient } from '../test-support/client.js';
import { describeEachEngine } from '../test-support/engines.js';
import { Person } from '../test-support/person.js';
import { sessionCookie } from '../http/session.js';

const origin = 'https://tend.test';

/** A v1 envelope header (version, key id, sequence) and random bytes: all the server reads. */
const testEnvelope = (sequence: number) => {
  const b = randomBytes(150);
  b[0] = 1;
  b.writeUInt32BE(1, 1);
  b.writeBigUInt64BE(BigInt(sequence), 5);
  return b.toString('base64url');
};

describeEachEngine('accounts', (engine) => {
  let t: TestApp;
  let clock: number;
  beforeEach(async () => {
    clock = Date.parse('2026-11-24T10:00:00Z');
    t = await createTestApp(engine, { env: { PUBLIC_URL: origin }, now: () => new Date(clock) });
  });
  afterEach(async () => t.close());

  const signUp = async (
    person: Person,
    extra: { invite?: string; email?: string } = {},
    keys = person.accountKeys(),
  ) => {
    const client = new TestClient(t.app);
    const res = await client.post('/api/v1/accounts', { handle: person.handle, keys, ...extra });
    return { client, res };
  };
  const signIn = async (
    person: Person,
    opts: { seed?: Uint8Array; handle?: string; origin?: string } = {},
  ) => {
    const client = new TestClient(t.app);
    const proof = await person.prove(client, 'sign-in', opts.origin ?? origin, opts);
    const { response: _response, ...body } = proof;
    const res = await client.post('/api/v1/sessions', body);
    return { client, res };
  };
  /** The first account: the admin. */
  const admin = async () => {
    const person = new Person('ada');
    const { client, res } = await signUp(person);
    expect(res.statusCode, res.body).toBe(201);
    return { person, client };
  };
  const invite = async (adminClient: TestClient) => {
    const res = await adminClient.post('/api/v1/admin/invites', { note: 'for Bo' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ token: string; id: string }>();
  };

  it('makes the first account the admin, with its keys stored as sent', async () => {
    const visitor = new TestClient(t.app);
    expect(
      registrationSchema.parse((await visitor.get('/api/v1/accounts/registration')).json()),
    ).toEqual({
      mode: 'invite',
      firstAccount: true,
    });
    const ada = new Person('Ada');
    const keys = ada.accountKeys();
    const { client, res } = await signUp(ada, { email: 'ada@example.org' }, keys);
    expect(res.statusCode, res.body).toBe(201);
    const me = accountSelfSchema.parse(res.json());
    expect(me).toMatchObject({
      id: ada.accountId,
      handle: 'ada',
      role: 'admin',
      email: 'ada@example.org',
    });
    expect(client.cookies.get(sessionCookie)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers['set-cookie'];
    expect(String(cookie)).toMatch(/__Host-tend-session=.*HttpOnly.*Secure.*SameSite=Strict/i);

    const again = accountSelfSchema.parse((await client.get('/api/v1/accounts/me')).json());
    expect(again.keys).toEqual({
      saltSeed: keys.saltSeed,
      kdfParams: keys.kdfParams,
      wrappedMasterKeyPassphrase: keys.wrappedMasterKeyPassphrase,
      publicKeyBundle: keys.publicKeyBundle,
      wrappedIdentityX25519: keys.wrappedIdentityX25519,
      wrappedIdentityEd25519: keys.wrappedIdentityEd25519,
    });
    // The browser can unwrap the master key from what the server hands back.
    expect(ada.unwrapMasterKey(again.keys.wrappedMasterKeyPassphrase, 'passphrase')).toEqual(
      ada.masterKey,
    );
    expect((await visitor.get('/api/v1/accounts/registration')).json()).toMatchObject({
      firstAccount: false,
    });
  });

  it('needs an invitation by default, and each invitation works once', async () => {
    const { client: adminClient } = await admin();
    const bo = new Person('bob');
    const without = await signUp(bo);
    expect(without.res.statusCode).toBe(403);
    expect(without.res.json()).toMatchObject({ error: { code: 'invite_invalid' } });

    const { token } = await invite(adminClient);
    const withInvite = await signUp(bo, { invite: token });
    expect(withInvite.res.statusCode, withInvite.res.body).toBe(201);
    expect(withInvite.res.json()).toMatchObject({ role: 'member' });
    const reuse = await signUp(new Person('cyd'), { invite: token });
    expect(reuse.res.json()).toMatchObject({ error: { code: 'invite_invalid' } });

    const list = (await adminClient.get('/api/v1/admin/invites')).json<{
      invites: { usedAt: string | null }[];
    }>();
    expect(list.invites[0]?.usedAt).not.toBeNull();
  });

  it('keeps an invitation unused when the sign-up fails', async () => {
    const { client: adminClient } = await admin();
    const { token } = await invite(adminClient);
    const taken = await signUp(new Person('ada'), { invite: token });
    expect(taken.res.statusCode).toBe(409);
    expect(taken.res.json()).toMatchObject({ error: { code: 'handle_taken' } });
    expect((await signUp(new Person('bob'), { invite: token })).res.statusCode).toBe(201);
  });

  it('lets the admin open or close registration, and nobody else', async () => {
    const { client: adminClient } = await admin();
    expect(
      (await adminClient.put('/api/v1/admin/settings', { registrationMode: 'open' })).statusCode,
    ).toBe(200);
    const { client: boClient, res } = await signUp(new Person('bob'));
    expect(res.statusCode).toBe(201);

    // A member and a signed-out visitor are refused.
    expect(
      (await boClient.put('/api/v1/admin/settings', { registrationMode: 'closed' })).statusCode,
    ).toBe(403);
    expect((await boClient.post('/api/v1/admin/invites', {})).statusCode).toBe(403);
    expect((await boClient.get('/api/v1/admin/invites')).statusCode).toBe(403);
    const visitor = new TestClient(t.app);
    expect(
      (await visitor.put('/api/v1/admin/settings', { registrationMode: 'closed' })).statusCode,
    ).toBe(401);
    expect((await visitor.get('/api/v1/admin/settings')).statusCode).toBe(401);

    await adminClient.put('/api/v1/admin/settings', { registrationMode: 'closed' });
    const closed = await signUp(new Person('cyd'));
    expect(closed.res.statusCode).toBe(403);
    expect(closed.res.json()).toMatchObject({ error: { code: 'registration_closed' } });
    expect((await adminClient.get('/api/v1/admin/settings')).json()).toEqual({
      registrationMode: 'closed',
    });
  });

  it("lets the admin end one person's sessions or everyone else's, and nobody else", async () => {
    const { client: adminClient, person: ada } = await admin();
    await adminClient.put('/api/v1/admin/settings', { registrationMode: 'open' });
    const bob = new Person('bob');
    const { client: bobFirst } = await signUp(bob);
    const { client: bobSecond } = await signIn(bob);
    const { client: cyd } = await signUp(new Person('cyd'));
    const { client: adaElsewhere } = await signIn(ada);
    const me = (c: TestClient) => c.get('/api/v1/accounts/me');
    expect((await me(bobSecond)).statusCode).toBe(200);

    // A member, a signed-out visitor and a request without the CSRF token are refused.
    expect((await cyd.post('/api/v1/admin/sessions/end', { handle: 'bob' })).statusCode).toBe(403);
    const visitor = new TestClient(t.app);
    expect((await visitor.post('/api/v1/admin/sessions/end', {})).statusCode).toBe(401);
    const noCsrf = await adminClient.post(
      '/api/v1/admin/sessions/end',
      { handle: 'bob' },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect((await me(bobFirst)).statusCode).toBe(200);

    // Bad input and unknown handles are clear 4xx answers.
    const bad = await adminClient.post('/api/v1/admin/sessions/end', { handle: 'x', extra: 1 });
    expect(bad.statusCode).toBe(400);
    const unknown = await adminClient.post('/api/v1/admin/sessions/end', { handle: 'nobody' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });

    // One person: both of Bob's sessions end; Cyd's stays.
    const one = await adminClient.post('/api/v1/admin/sessions/end', { handle: 'bob' });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual({ ended: 2 });
    expect((await me(bobFirst)).statusCode).toBe(401);
    expect((await me(bobSecond)).statusCode).toBe(401);
    expect((await me(cyd)).statusCode).toBe(200);

    // Everyone: every other session ends (the admin's other one too), this one stays.
    const all = await adminClient.post('/api/v1/admin/sessions/end', {});
    expect(all.json()).toEqual({ ended: 2 });
    expect((await me(cyd)).statusCode).toBe(401);
    expect((await me(adaElsewhere)).statusCode).toBe(401);
    expect((await me(adminClient)).statusCode).toBe(200);
  });

  it('refuses weak KDF settings, forged key bundles and requests without a CSRF token', async () => {
    const ada = new Person('ada');
    const weak = { ...ada.accountKeys(), kdfParams: { ...MIN_KDF_PARAMS, memoryKiB: 1024 } };
    const client = new TestClient(t.app);
    const r1 = await client.post('/api/v1/accounts', { handle: 'ada', keys: weak });
    expect(r1.json()).toMatchObject({ error: { code: 'weak_kdf' } });

    const forged = {
      ...ada.accountKeys(),
      publicKeyBundle: createPublicKeyBundle('someone-else', generateIdentityKeys()),
    };
    const r2 = await client.post('/api/v1/accounts', { handle: 'ada', keys: forged });
    expect(r2.statusCode).toBe(400);

    const r3 = await client.post(
      '/api/v1/accounts',
      { handle: 'ada', keys: ada.accountKeys() },
      { csrf: false },
    );
    expect(r3.statusCode).toBe(403);
    expect(r3.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    expect((await client.get('/api/v1/accounts/registration')).json()).toMatchObject({
      firstAccount: true,
    });
  });

  it('signs in with a signed challenge and refuses everything else with one generic answer', async () => {
    const { person: ada } = await admin();
    const { client, res } = await signIn(ada);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      ada.unwrapMasterKey(
        accountSelfSchema.parse(res.json()).keys.wrappedMasterKeyPassphrase,
        'passphrase',
      ),
    ).toEqual(ada.masterKey);
    expect((await client.get('/api/v1/accounts/me')).statusCode).toBe(200);

    const failures = [
      await signIn(ada, { seed: generateKey() }), // wrong passphrase
      await signIn(ada, { origin: 'https://evil.example' }), // relayed by another site
      await signIn(new Person('nobody')), // no such handle
    ];
    const bodies = failures.map((f) => {
      expect(f.res.statusCode).toBe(401);
      return f.res.json<{ error: { code: string; message: string } }>().error;
    });
    expect(new Set(bodies.map((b) => `${b.code}|${b.message}`)).size).toBe(1);
    expect(bodies[0]?.code).toBe('sign_in_failed');
  });

  it('answers challenges for unknown handles like real ones, and uses each challenge once', async () => {
    await admin();
    const client = new TestClient(t.app);
    const ask = async (handle: string) =>
      challengeResponseSchema.parse(
        (await client.post('/api/v1/auth/challenge', { handle, purpose: 'sign-in' })).json(),
      );
    const real = await ask('ada');
    const ghost1 = await ask('ghost');
    const ghost2 = await ask('ghost');
    expect(ghost1.saltSeed).toBe(ghost2.saltSeed);
    expect(ghost1.kdfParams).toEqual(real.kdfParams);
    expect(Object.keys(ghost1).sort()).toEqual(Object.keys(real).sort());

    const ada = new Person('ada');
    const proof = await ada.prove(client, 'sign-in', origin);
    const { response: _r, ...body } = proof;
    // (ada here has other keys than the account: the signature is wrong; the point is reuse.)
    await client.post('/api/v1/sessions', body);
    const reused = await client.post('/api/v1/sessions', body);
    expect(reused.statusCode).toBe(401);
  });

  it('refuses an expired challenge, and one made for another purpose', async () => {
    const { person: ada } = await admin();
    const client = new TestClient(t.app);
    const proof = await ada.prove(client, 'sign-in', origin);
    clock += 121_000;
    const { response: _r, ...late } = proof;
    expect((await client.post('/api/v1/sessions', late)).statusCode).toBe(401);

    const reauth = await ada.prove(client, 'reauth', origin);
    const { response: _r2, ...wrongPurpose } = reauth;
    expect((await client.post('/api/v1/sessions', wrongPurpose)).statusCode).toBe(401);
  });

  it('backs off after repeated failures for a handle, existing or not', async () => {
    const { person: ada } = await admin();
    for (const handle of ['ada', 'ghost']) {
      const person = handle === 'ada' ? ada : new Person('ghost');
      for (let i = 0; i < 6; i++) {
        expect((await signIn(person, { seed: generateKey() })).res.statusCode).toBe(401);
      }
      const blocked = await signIn(person, { seed: generateKey() });
      expect(blocked.res.statusCode, handle).toBe(429);
      expect(blocked.res.json()).toMatchObject({ error: { code: 'rate_limited' } });
      expect(Number(blocked.res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Even the right passphrase waits; after the wait it works, and success clears the count.
    expect((await signIn(ada)).res.statusCode).toBe(429);
    clock += 60_000;
    expect((await signIn(ada)).res.statusCode).toBe(200);
    expect((await signIn(ada, { seed: generateKey() })).res.statusCode).toBe(401);
  });

  it('lists sessions and ends one, the others, or all; ended sessions are refused', async () => {
    const { person: ada, client: first } = await admin();
    const { client: second } = await signIn(ada);
    const { client: third } = await signIn(ada);
    const list = (await first.get('/api/v1/sessions')).json<{
      sessions: { id: string; current: boolean; label: string }[];
    }>();
    expect(list.sessions).toHaveLength(3);
    expect(list.sessions.filter((s) => s.current)).toHaveLength(1);

    const secondId = (await second.get('/api/v1/sessions'))
      .json<{ sessions: { id: string; current: boolean }[] }>()
      .sessions.find((s) => s.current)?.id;
    expect((await first.delete(`/api/v1/sessions/${secondId}`)).statusCode).toBe(204);
    expect((await second.get('/api/v1/accounts/me')).statusCode).toBe(401);

    const others = await first.delete('/api/v1/sessions?keepCurrent=true');
    expect(others.json()).toEqual({ ended: 1 });
    expect((await third.get('/api/v1/accounts/me')).statusCode).toBe(401);
    expect((await first.get('/api/v1/accounts/me')).statusCode).toBe(200);

    expect((await first.delete('/api/v1/sessions/current')).statusCode).toBe(204);
    expect((await first.get('/api/v1/accounts/me')).statusCode).toBe(401);
  });

  it("cannot end someone else's session", async () => {
    const { person: ada, client: adaClient } = await admin();
    await adaClient.put('/api/v1/admin/settings', { registrationMode: 'open' });
    const { client: bo } = await signUp(new Person('bob'));
    const adaSession = (await adaClient.get('/api/v1/sessions')).json<{
      sessions: { id: string }[];
    }>().sessions[0]?.id;
    expect((await bo.delete(`/api/v1/sessions/${adaSession}`)).statusCode).toBe(404);
    expect((await new TestClient(t.app).delete(`/api/v1/sessions/${adaSession}`)).statusCode).toBe(
      401,
    );
    expect((await adaClient.get('/api/v1/accounts/me')).statusCode).toBe(200);
    void ada;
  });

  it('ends sessions after the idle limit and after the absolute limit', async () => {
    const { person: ada, client } = await admin();
    clock += t.config.sessionIdleHours * 3_600_000 - 60_000;
    expect((await client.get('/api/v1/accounts/me')).statusCode).toBe(200);
    clock += t.config.sessionIdleHours * 3_600_000 + 1000;
    expect((await client.get('/api/v1/accounts/me')).statusCode).toBe(401);

    const { client: busy } = await signIn(ada);
    const end = clock + t.config.sessionMaxHours * 3_600_000;
    while (clock < end - 3_600_000) {
      clock += 3_600_000 * 12;
      if (clock >= end) break;
      expect((await busy.get('/api/v1/accounts/me')).statusCode).toBe(200);
    }
    clock = end + 1000;
    expect((await busy.get('/api/v1/accounts/me')).statusCode).toBe(401);
  });

  it('changes the passphrase after re-authentication; the old one stops working', async () => {
    const { person: ada, client } = await admin();
    const { client: elsewhere } = await signIn(ada);
    const oldSeed = ada.passphrase.authSeed;
    const proof = await ada.prove(client, 'reauth', origin);
    const { response: _r, ...signed } = proof;
    const res = await client.put('/api/v1/accounts/me/passphrase', {
      ...signed,
      change: ada.newPassphrase(),
    });
    expect(res.statusCode, res.body).toBe(204);

    expect((await elsewhere.get('/api/v1/accounts/me')).statusCode).toBe(401);
    expect((await client.get('/api/v1/accounts/me')).statusCode).toBe(200);
    expect((await signIn(ada, { seed: oldSeed })).res.statusCode).toBe(401);
    const fresh = await signIn(ada);
    expect(fresh.res.statusCode).toBe(200);
    const wrapped = accountSelfSchema.parse(fresh.res.json()).keys.wrappedMasterKeyPassphrase;
    expect(ada.unwrapMasterKey(wrapped, 'passphrase')).toEqual(ada.masterKey);

    // Without a valid re-authentication nothing changes.
    const bad = await ada.prove(client, 'reauth', origin, { seed: generateKey() });
    const { response: _r2, ...badSigned } = bad;
    expect(
      (
        await client.put('/api/v1/accounts/me/passphrase', {
          ...badSigned,
          change: ada.newPassphrase(),
        })
      ).statusCode,
    ).toBe(401);
  });

  it('recovers a forgotten passphrase with the recovery key, ending every old session', async () => {
    const { person: ada, client: old } = await admin();
    const client = new TestClient(t.app);
    const proof = await ada.prove(client, 'recover', origin);
    const wrapped = proof.response.wrappedMasterKeyRecovery ?? '';
    expect(ada.unwrapMasterKey(wrapped, 'recovery')).toEqual(ada.masterKey);
    const { response: _r, ...signed } = proof;
    const res = await client.post('/api/v1/recovery', { ...signed, change: ada.newPassphrase() });
    expect(res.statusCode, res.body).toBe(200);
    expect((await client.get('/api/v1/accounts/me')).statusCode).toBe(200);
    expect((await old.get('/api/v1/accounts/me')).statusCode).toBe(401);
    expect((await signIn(ada)).res.statusCode).toBe(200);

    // A made-up recovery answer for an unknown handle has the same shape; a wrong key fails.
    const ghost = await new Person('ghost').prove(client, 'recover', origin);
    expect(ghost.response.wrappedMasterKeyRecovery?.length).toBe(wrapped.length);
    expect(proof.response.accountId).toBe(ada.accountId);
    expect(ghost.response.accountId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const ghostAgain = await new Person('ghost').prove(client, 'recover', origin);
    expect(ghostAgain.response.accountId).toBe(ghost.response.accountId);
    const wrong = await ada.prove(client, 'recover', origin, { seed: generateKey() });
    const { response: _r3, ...wrongSigned } = wrong;
    expect(
      (await client.post('/api/v1/recovery', { ...wrongSigned, change: ada.newPassphrase() }))
        .statusCode,
    ).toBe(401);
  });

  it('replaces the recovery key; the old one stops working', async () => {
    const { person: ada, client } = await admin();
    const oldRecoverySeed = ada.recovery.authSeed;
    ada.recoveryKey = generateKey();
    const keys = ada.accountKeys();
    const proof = await ada.prove(client, 'reauth', origin);
    const { response: _r, ...signed } = proof;
    const res = await client.put('/api/v1/accounts/me/recovery-key', {
      ...signed,
      recoveryAuthPublicKey: keys.recoveryAuthPublicKey,
      wrappedMasterKeyRecovery: keys.wrappedMasterKeyRecovery,
    });
    expect(res.statusCode, res.body).toBe(204);
    const stale = await ada.prove(client, 'recover', origin, { seed: oldRecoverySeed });
    const { response: _r2, ...staleSigned } = stale;
    expect(
      (await client.post('/api/v1/recovery', { ...staleSigned, change: ada.newPassphrase() }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses signed-out visitors on every private route', async () => {
    const visitor = new TestClient(t.app);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/accounts/me'],
      ['GET', '/api/v1/sessions'],
      ['DELETE', '/api/v1/sessions/current'],
      ['DELETE', '/api/v1/sessions'],
      ['DELETE', '/api/v1/sessions/abc'],
      [
        'PUT',
        '/api/v1/accounts/me/passphrase',
        {
          challengeId: 'x',
          handle: 'ada',
          signature: 'A'.repeat(86),
          change: new Person('ada').newPassphrase(),
        },
      ],
      [
        'DELETE',
        '/api/v1/accounts/me',
        { challengeId: 'x', handle: 'ada', signature: 'A'.repeat(86) },
      ],
      ['GET', '/api/v1/admin/invites'],
    ];
    for (const [method, url, body] of routes) {
      const res = await visitor.send(method as 'GET', url, body === undefined ? {} : { body });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json(), `${method} ${url}`).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('deletes the account and every row it owns', async () => {
    const { person: ada, client } = await admin();
    await client.put('/api/v1/admin/settings', { registrationMode: 'open' });
    const { client: boClient } = await signUp(new Person('bob'));
    await signIn(ada);
    await signIn(ada, { seed: generateKey() });
    await client.post('/api/v1/vault/keys', {
      collection: 'plans',
      keyId: 1,
      wrappedKey: randomBytes(73).toString('base64url'),
    });
    const push = await client.post('/api/v1/vault/changes', {
      changes: [{ collection: 'plans', itemId: 'p1', baseRevision: 0, envelope: testEnvelope(1) }],
    });
    expect(push.statusCode, push.body).toBe(200);

    const proof = await ada.prove(client, 'reauth', origin);
    const { response: _r, ...signed } = proof;
    const res = await client.send('DELETE', '/api/v1/accounts/me', { body: signed });
    expect(res.statusCode, res.body).toBe(204);

    const db = t.handle.db;
    expect(
      await db.selectFrom('accounts').select('id').where('id', '=', ada.accountId).execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom('sessions')
        .select('id')
        .where('account_id', '=', ada.accountId)
        .execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom('vault_items')
        .select('item_id')
        .where('account_id', '=', ada.accountId)
        .execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom('vault_collection_keys')
        .select('key_id')
        .where('account_id', '=', ada.accountId)
        .execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('auth_challenges').select('id').where('handle', '=', 'ada').execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('auth_throttle').select('key').where('key', 'like', '%:ada').execute(),
    ).toEqual([]);
    expect((await client.get('/api/v1/accounts/me')).statusCode).toBe(401);
    // Bo is untouched.
    expect((await boClient.get('/api/v1/accounts/me')).statusCode).toBe(200);
  });

  it('limits sign-in attempts per client address', async () => {
    const limited = await createTestApp(engine, {
      env: { PUBLIC_URL: origin, AUTH_RATE_LIMIT_PER_MINUTE: '3' },
    });
    try {
      const client = new TestClient(limited.app);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await client.post('/api/v1/auth/challenge', {
          handle: `someone${i}`,
          purpose: 'sign-in',
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // Reading public routes is not limited.
      expect((await client.get('/api/v1/accounts/registration')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
