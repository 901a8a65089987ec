import { randomBytes } from 'node:crypto';
import { startSession } from '../accounts/sessions.js';
import { sessionCookie } from '../http/session.js';
import type { TestApp } from './app.js';
import { TestClient } from './client.js';
import { Person } from './person.js';

const b64 = (n: number) => randomBytes(n).toString('base64url');

/**
 * An account row with placeholder keys and a signed-in client for it, for tests of capabilities
 * that need someone signed in but not the sign-up journey itself (tested in server/accounts/).
 */
export async function signedInClient(
  t: TestApp,
  handle: string,
): Promise<{ client: TestClient; accountId: string }> {
  const accountId = b64(16);
  const now = new Date().toISOString();
  await t.handle.db
    .insertInto('accounts')
    .values({
      id: accountId,
      handle,
      email: null,
      role: 'member',
      kdf: '{}',
      salt_seed: b64(32),
      auth_public_key: b64(32),
      recovery_auth_public_key: b64(32),
      master_key_by_passphrase: b64(73),
      master_key_by_recovery: b64(73),
      public_key_bundle: '{}',
      wrapped_identity_x25519: b64(73),
      wrapped_identity_ed25519: b64(73),
      created_at: now,
      updated_at: now,
    })
    .execute();
  const session = await startSession(t.handle.db, accountId, 'test', new Date(), {
    idleMs: t.config.sessionIdleHours * 3_600_000,
    absoluteMs: t.config.sessionMaxHours * 3_600_000,
  });
  const client = new TestClient(t.app);
  client.cookies.set(sessionCookie, session.token);
  return { client, accountId };
}

/**
 * An account made from a Person's real keys (their public bundle is what others verify) and a
 * signed-in client for it: for tests where other people check this person's keys.
 */
export async function signedInPerson(
  t: TestApp,
  handle: string,
  opts: { email?: string | null } = {},
): Promise<{ person: Person; client: TestClient; accountId: string; handle: string }> {
  const person = new Person(handle);
  const keys = person.accountKeys();
  const now = new Date().toISOString();
  await t.handle.db
    .insertInto('accounts')
    .values({
      id: person.accountId,
      handle,
      email: opts.email ?? null,
      role: 'member',
      kdf: JSON.stringify(keys.kdfParams),
      salt_seed: keys.saltSeed,
      auth_public_key: keys.authPublicKey,
      recovery_auth_public_key: keys.recoveryAuthPublicKey,
      master_key_by_passphrase: keys.wrappedMasterKeyPassphrase,
      master_key_by_recovery: keys.wrappedMasterKeyRecovery,
      public_key_bundle: JSON.stringify(keys.publicKeyBundle),
      wrapped_identity_x25519: keys.wrappedIdentityX25519,
      wrapped_identity_ed25519: keys.wrappedIdentityEd25519,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const session = await startSession(t.handle.db, person.accountId, 'test', new Date(), {
    idleMs: t.config.sessionIdleHours * 3_600_000,
    absoluteMs: t.config.sessionMaxHours * 3_600_000,
  });
  const client = new TestClient(t.app);
  client.cookies.set(sessionCookie, session.token);
  return { person, client, accountId: person.accountId, handle };
}
