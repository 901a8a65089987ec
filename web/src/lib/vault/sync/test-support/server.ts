import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach } from 'vitest';
import { signedInClient } from '../../../../../../server/test-support/accounts.js';
import { createTestApp, type TestApp } from '../../../../../../server/test-support/app.js';
import { TestClient } from '../../../../../../server/test-support/client.js';
import { sessionCookie } from '../../../../../../server/http/session.js';
// Its `ProvidedContext` declaration types `inject('postgresAvailable')` in the server helpers.
import '../../../../../../server/test-support/global-setup.js';
import { generateKey } from '../core';
import type { FetchLike, ResponseLike } from '../http';
import { Vault } from '../vault';

/** Rewrites a JSON answer on its way to the client (a hostile server or network). */
export type Tamper = (method: string, url: string, status: number, body: unknown) => unknown;

/** One browser: its own IndexedDB, cookies and connection. */
export interface Device {
  readonly indexedDB: IDBFactory;
  readonly fetch: FetchLike;
  online: boolean;
  tamper: Tamper | undefined;
  /** Opens the vault on this device (again, after a "reload"). */
  open(): Promise<Vault>;
}

export interface Server {
  readonly t: TestApp;
  readonly accountId: string;
  readonly masterKey: Uint8Array;
  device(): Device;
  close(): Promise<void>;
}

/**
 * The real Tend server in-process (SQLite, `app.inject`), with one signed-in account whose
 * devices talk to it through a fetch-like transport: no mock of the vault API.
 */
export async function startServer(env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const t = await createTestApp('sqlite', { web: false, env });
  const { client, accountId } = await signedInClient(t, 'ada');
  const session = client.cookies.get(sessionCookie) ?? '';
  const masterKey = generateKey();

  const device = (): Device => {
    const browser = new TestClient(t.app);
    browser.cookies.set(sessionCookie, session);
    const d: Device = {
      indexedDB: new IDBFactory(),
      online: true,
      tamper: undefined,
      fetch: async (url, init): Promise<ResponseLike> => {
        if (!d.online) throw new TypeError('Failed to fetch');
        const method = init.method === 'POST' ? 'POST' : 'GET';
        const res = await browser.send(method, url, {
          headers: init.headers,
          csrf: false,
          ...(init.body === undefined ? {} : { body: init.body }),
        });
        const body = res.body === '' ? undefined : res.json<unknown>();
        const seen = d.tamper === undefined ? body : d.tamper(method, url, res.statusCode, body);
        return { status: res.statusCode, json: async () => seen };
      },
      open: () =>
        Vault.open({
          accountId,
          masterKey,
          fetch: (url, init) => d.fetch(url, init),
          indexedDB: d.indexedDB,
          autoSync: false,
        }),
    };
    return d;
  };
  return { t, accountId, masterKey, device, close: () => t.close() };
}

/** A fresh server for each test, and the vaults opened on its devices (closed after the test). */
export interface ServerFixture {
  readonly server: Server;
  /** Replaces this test's server with one started with `env`. */
  restart(env?: NodeJS.ProcessEnv): Promise<void>;
  /** A new device with its vault open. */
  device(): Promise<{ d: Device; vault: Vault }>;
  /** Closes `vault` after the test too (one opened again on a device). */
  track(vault: Vault): void;
}

export function useServer(): ServerFixture {
  let current: Server | undefined;
  const open: Vault[] = [];
  beforeEach(async () => {
    current = await startServer();
  });
  afterEach(async () => {
    for (const v of open.splice(0)) v.close();
    await current?.close();
    current = undefined;
  });
  const fixture: ServerFixture = {
    get server() {
      if (current === undefined) throw new Error('the server runs only inside a test');
      return current;
    },
    async restart(env = {}) {
      await current?.close();
      current = await startServer(env);
    },
    async device() {
      const d = fixture.server.device();
      const vault = await d.open();
      open.push(vault);
      return { d, vault };
    },
    track(vault) {
      open.push(vault);
    },
  };
  return fixture;
}

/** Syncs now; a failed sync fails the test. */
export async function synced(vault: Vault) {
  const r = await vault.sync();
  if (!r.ok) throw new Error(`sync failed: ${JSON.stringify(r.error)}`);
  return r.value;
}
