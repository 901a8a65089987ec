/**
 * What this device remembers about the signed-in account so the vault opens offline
 * (docs/PROTOCOL.md §11): the account's own bundle exactly as `GET /api/v1/accounts/me` returns
 * it — handle, salt seed, KDF parameters, the master key wrapped under the passphrase, the wrapped
 * identity secrets and the public-key bundle. All of it is already only passphrase-wrapped (it is
 * what the server holds); no unwrapped key is ever stored.
 *
 * One record per account: `self` is the bundle that last opened with the person's passphrase
 * (trusted); `pending` is a different bundle the server sent later (a passphrase change on
 * another device, or a server substituting keys). `pending` is never used until it has opened
 * with the passphrase and carries the same public-key bundle as `self`.
 */
import { accountSelfSchema, type AccountSelf } from '../../../../core/src/accounts/api.js';

export const DEVICE_DB = 'tend-device';
const VERSION = 1;
const ACCOUNTS = 'accounts';
const META = 'meta';
const CURRENT = 'current';
const keepKey = (accountId: string) => `keep:${accountId}`;

export interface CachedAccount {
  readonly self: AccountSelf;
  readonly pending: AccountSelf | null;
  readonly savedAt: string;
}

const settle = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(request.error ?? new Error('IndexedDB failed')));
  });

function defaultFactory(): IDBFactory | undefined {
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined;
  }
}

async function openDb(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DEVICE_DB, VERSION);
  request.addEventListener('upgradeneeded', () => {
    const db = request.result;
    if (!db.objectStoreNames.contains(ACCOUNTS)) db.createObjectStore(ACCOUNTS);
    if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
  });
  const db = await settle(request);
  db.addEventListener('versionchange', () => db.close());
  return db;
}

async function withDb<T>(
  factory: IDBFactory | undefined,
  mode: IDBTransactionMode,
  run: (tx: IDBTransaction) => Promise<T>,
): Promise<T | undefined> {
  const f = factory ?? defaultFactory();
  if (f === undefined) return undefined;
  try {
    const db = await openDb(f);
    try {
      const tx = db.transaction([ACCOUNTS, META], mode);
      const done = new Promise<void>((resolve, reject) => {
        tx.addEventListener('complete', () => resolve());
        tx.addEventListener('abort', () => reject(tx.error ?? new Error('aborted')));
        tx.addEventListener('error', () => reject(tx.error ?? new Error('failed')));
      });
      const value = await run(tx);
      await done;
      return value;
    } finally {
      db.close();
    }
  } catch {
    // Storage disabled or full: the app still works online; it just cannot open offline.
    return undefined;
  }
}

const parseSelf = (value: unknown): AccountSelf | null => {
  const parsed = accountSelfSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
};

function parseRecord(value: unknown): CachedAccount | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const self = parseSelf(r.self);
  if (self === null) return undefined;
  return {
    self,
    pending: r.pending === null || r.pending === undefined ? null : parseSelf(r.pending),
    savedAt: typeof r.savedAt === 'string' ? r.savedAt : '',
  };
}

/** Two bundles are the same when every key field is the same. */
export function sameBundle(a: AccountSelf, b: AccountSelf): boolean {
  return a.id === b.id && JSON.stringify(a.keys) === JSON.stringify(b.keys);
}

/** The identity (public-key bundle) never changes for an account: passphrase changes keep it. */
export function sameIdentity(a: AccountSelf, b: AccountSelf): boolean {
  return (
    a.id === b.id &&
    JSON.stringify(a.keys.publicKeyBundle) === JSON.stringify(b.keys.publicKeyBundle)
  );
}

export class DeviceCache {
  constructor(private readonly factory?: IDBFactory) {}

  async get(accountId: string): Promise<CachedAccount | undefined> {
    const value = await withDb(this.factory, 'readonly', (tx) =>
      settle(tx.objectStore(ACCOUNTS).get(accountId) as IDBRequest<unknown>),
    );
    return parseRecord(value);
  }

  /** The account last signed in on this device, if its bundle is cached. */
  async current(): Promise<CachedAccount | undefined> {
    const id = await withDb(this.factory, 'readonly', (tx) =>
      settle(tx.objectStore(META).get(CURRENT) as IDBRequest<unknown>),
    );
    return typeof id === 'string' ? this.get(id) : undefined;
  }

  /** Remembers a bundle that has just opened with the passphrase (trusted from now on). */
  async trust(self: AccountSelf): Promise<void> {
    const record: CachedAccount = { self, pending: null, savedAt: new Date().toISOString() };
    await withDb(this.factory, 'readwrite', async (tx) => {
      await settle(tx.objectStore(ACCOUNTS).put(record, self.id));
      await settle(tx.objectStore(META).put(self.id, CURRENT));
    });
  }

  /**
   * The server sent a bundle unlike the trusted one: keep it aside (never replacing the trusted
   * one) for the next unlock to try. Handle, email and role are updated in both.
   */
  async noteServerBundle(server: AccountSelf): Promise<'same' | 'pending' | 'none'> {
    const cached = await this.get(server.id);
    if (cached === undefined) return 'none';
    const summary = {
      handle: server.handle,
      email: server.email,
      role: server.role,
      createdAt: server.createdAt,
    };
    const same = sameBundle(cached.self, server);
    const record: CachedAccount = {
      self: { ...cached.self, ...summary },
      pending: same ? null : server,
      savedAt: cached.savedAt,
    };
    await withDb(this.factory, 'readwrite', (tx) =>
      settle(tx.objectStore(ACCOUNTS).put(record, server.id)),
    );
    return same ? 'same' : 'pending';
  }

  /** Forgets the account's bundle and any kept unlock (sign-out, deletion, session ended). */
  async forget(accountId: string): Promise<void> {
    await withDb(this.factory, 'readwrite', async (tx) => {
      await settle(tx.objectStore(ACCOUNTS).delete(accountId));
      await settle(tx.objectStore(META).delete(keepKey(accountId)));
      const current: unknown = await settle(tx.objectStore(META).get(CURRENT));
      if (current === accountId) await settle(tx.objectStore(META).delete(CURRENT));
    });
  }

  /** The kept unlock of "Keep me unlocked on this device" (keep.ts), if any. */
  async kept(accountId: string): Promise<unknown> {
    return withDb(this.factory, 'readonly', (tx) =>
      settle(tx.objectStore(META).get(keepKey(accountId)) as IDBRequest<unknown>),
    );
  }

  async setKept(accountId: string, value: unknown): Promise<boolean> {
    const done = await withDb(this.factory, 'readwrite', async (tx) => {
      await settle(tx.objectStore(META).put(value, keepKey(accountId)));
      return true;
    });
    return done === true;
  }

  async dropKept(accountId: string): Promise<void> {
    await withDb(this.factory, 'readwrite', (tx) =>
      settle(tx.objectStore(META).delete(keepKey(accountId))),
    );
  }
}

export const deviceCache = new DeviceCache();
