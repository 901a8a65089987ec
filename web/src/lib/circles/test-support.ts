/**
 * For tests: the real Tend server in-process (SQLite) and several people, each with real identity
 * keys (their public bundle is what the others verify), a signed-in API client and a real Vault
 * on their own fake IndexedDB. No mock of the circle, share or vault APIs.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach } from 'vitest';
import { signedInPerson } from '../../../../server/test-support/accounts.js';
import { createTestApp, type TestApp } from '../../../../server/test-support/app.js';
import { TestClient } from '../../../../server/test-support/client.js';
import type { Person } from '../../../../server/test-support/person.js';
// Its `ProvidedContext` declaration types `inject('postgresAvailable')` in the server helpers.
import '../../../../server/test-support/global-setup.js';
import { ApiClient, type Fetch } from '../api/client';
import type { FetchLike, ResponseLike } from '../vault/sync/http';
import { Vault } from '../vault/sync/vault';
import { circlesApi, type CirclesApi } from './api';
import type { OwnKeys } from './invitations';

export interface Someone {
  readonly handle: string;
  readonly accountId: string;
  readonly person: Person;
  readonly me: OwnKeys & { readonly masterKey: Uint8Array };
  readonly client: TestClient;
  readonly api: CirclesApi;
  readonly vault: Vault;
  /** The transport this person's vault uses (for `serverCollectionKeys`). */
  readonly vaultFetch: FetchLike;
  /** What the server answers on its way to this person (a hostile server), if set. */
  tamper: ((method: string, url: string, body: unknown) => unknown) | undefined;
}

async function addAccount(
  t: TestApp,
  handle: string,
): Promise<{ person: Person; client: TestClient }> {
  return signedInPerson(t, handle);
}

export interface World {
  readonly t: TestApp;
  /** Someone new, signed in, with their vault open. */
  add(handle: string): Promise<Someone>;
  /** A client with no session (someone holding a link, signed out). */
  visitor(): CirclesApi;
}

const asFetch =
  (client: TestClient, tamper: () => Someone['tamper']): Fetch =>
  async (url, init) => {
    const method = (init?.method ?? 'GET') as Parameters<TestClient['send']>[0];
    const res = await client.send(method, url, {
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      // The app's clients fetch and send their own CSRF token, as in a browser.
      csrf: false,
    });
    const t = tamper();
    let body = res.body;
    if (t !== undefined && body !== '' && res.statusCode < 300) {
      body = JSON.stringify(t(method, url, JSON.parse(body) as unknown));
    }
    const headers: Record<string, string> = {};
    const contentType = res.headers['content-type'];
    if (typeof contentType === 'string') headers['content-type'] = contentType;
    return new Response(res.statusCode === 204 || body === '' ? null : body, {
      status: res.statusCode,
      headers,
    });
  };

/** One server per test, and the people of that test (vaults closed after it). */
export function useWorld(): World {
  let t: TestApp | undefined;
  const vaults: Vault[] = [];
  beforeEach(async () => {
    t = await createTestApp('sqlite', { web: false });
  });
  afterEach(async () => {
    for (const v of vaults.splice(0)) v.close();
    await t?.close();
    t = undefined;
  });
  const world: World = {
    get t() {
      if (t === undefined) throw new Error('the server runs only inside a test');
      return t;
    },
    async add(handle) {
      const { person, client } = await addAccount(world.t, handle);
      const box: { someone?: Someone } = {};
      const fetch = asFetch(client, () => box.someone?.tamper);
      const vaultFetch: FetchLike = async (url, init): Promise<ResponseLike> => {
        const res = await fetch(url, init);
        const text = await res.text();
        return {
          status: res.status,
          json: async () => (text === '' ? undefined : (JSON.parse(text) as unknown)),
        };
      };
      const vault = await Vault.open({
        accountId: person.accountId,
        masterKey: person.masterKey,
        fetch: vaultFetch,
        indexedDB: new IDBFactory(),
        autoSync: false,
      });
      vaults.push(vault);
      const someone: Someone = {
        handle,
        accountId: person.accountId,
        person,
        me: { accountId: person.accountId, identity: person.identity, masterKey: person.masterKey },
        client,
        api: circlesApi(new ApiClient(fetch)),
        vault,
        vaultFetch,
        tamper: undefined,
      };
      box.someone = someone;
      return someone;
    },
    visitor() {
      const client = new TestClient(world.t.app);
      return circlesApi(new ApiClient(asFetch(client, () => undefined)));
    },
  };
  return world;
}

/** Syncs now; a failed sync fails the test. */
export async function synced(vault: Vault): Promise<void> {
  const r = await vault.sync();
  if (!r.ok) throw new Error(`sync failed: ${JSON.stringify(r.error)}`);
}
