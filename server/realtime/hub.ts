import pg from 'pg';
import { realtimeEventSchema } from '../../core/src/circles/api.js';
import type { StoredEvent } from './log.js';

/**
 * Live delivery of stored events to open connections. Use cases call `announce` after their
 * transaction commits; the SSE route (server/realtime/routes.ts) subscribes per connection. The
 * in-process hub serves one instance; the PostgreSQL hub also reaches every other instance on the
 * same database (LISTEN/NOTIFY, no broker).
 */
export interface RealtimeHub {
  announce(events: readonly StoredEvent[]): void;
  /** Calls `listener` for every announced event of `accountId` until the returned function runs. */
  subscribe(accountId: string, listener: (event: StoredEvent) => void): () => void;
  close(): Promise<void>;
}

/** Per-account listeners of this process. */
function createListeners() {
  const listeners = new Map<string, Set<(event: StoredEvent) => void>>();
  return {
    deliver(event: StoredEvent) {
      const set = listeners.get(event.accountId);
      if (set === undefined) return;
      // A copy: a listener may unsubscribe (its connection closed) while we deliver.
      for (const listener of [...set]) listener(event);
    },
    subscribe(accountId: string, listener: (event: StoredEvent) => void): () => void {
      let set = listeners.get(accountId);
      if (set === undefined) {
        set = new Set();
        listeners.set(accountId, set);
      }
      set.add(listener);
      return () => {
        const s = listeners.get(accountId);
        if (s === undefined) return;
        s.delete(listener);
        if (s.size === 0) listeners.delete(accountId);
      };
    },
    clear() {
      listeners.clear();
    },
  };
}

/** One instance: announcements go straight to this process's listeners. */
export function createLocalHub(): RealtimeHub {
  const local = createListeners();
  return {
    announce(events) {
      for (const event of events) local.deliver(event);
    },
    subscribe: (accountId, listener) => local.subscribe(accountId, listener),
    async close() {
      local.clear();
    },
  };
}

/** The PostgreSQL channel every instance LISTENs on. */
export const PG_CHANNEL = 'tend_events';

export interface PgHubOptions {
  readonly url: string;
  readonly log: {
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  /** How long to wait before connecting again after the listening connection fails. */
  readonly reconnectMs?: number;
}

/**
 * Several instances on one PostgreSQL database. `announce` delivers to this process's listeners at
 * once and sends `NOTIFY tend_events` with the stored event as JSON (ids only, well under the
 * 8000-byte payload limit) from a dedicated connection that also LISTENs; every other instance
 * delivers what it hears to its own listeners. A notification from our own connection (same
 * backend pid) was delivered already and is skipped. If the connection drops, it is opened again;
 * events announced meanwhile reach other instances' clients when they reconnect (the SSE stream
 * replays from the event log), never twice.
 */
/** The backend pid of our own connection (pg sets `processID`; its types do not declare it). */
const ownPid = (c: pg.Client): unknown => (c as unknown as { processID?: number }).processID;

export async function createPgHub(opts: PgHubOptions): Promise<RealtimeHub> {
  const local = createListeners();
  const reconnectMs = opts.reconnectMs ?? 2000;
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  let sending: Promise<void> = Promise.resolve();

  const parse = (payload: string | undefined): StoredEvent | null => {
    if (payload === undefined) return null;
    try {
      const value = JSON.parse(payload) as unknown;
      const event = realtimeEventSchema.safeParse(value);
      const accountId = (value as { accountId?: unknown }).accountId;
      if (!event.success || typeof accountId !== 'string') return null;
      return { ...event.data, accountId };
    } catch {
      return null;
    }
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis: 5000 });
    c.on('notification', (msg) => {
      if (msg.channel !== PG_CHANNEL || msg.processId === ownPid(c)) return;
      const event = parse(msg.payload);
      if (event === null) {
        opts.log.warn({ channel: msg.channel }, 'realtime: ignored a malformed notification');
        return;
      }
      local.deliver(event);
    });
    c.on('error', (error) => {
      opts.log.error({ err: error.message }, 'realtime: the listening connection failed');
      if (client === c) client = null;
      c.end().catch(() => undefined);
      scheduleReconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${PG_CHANNEL}`);
    if (closed) {
      await c.end();
      return;
    }
    client = c;
  };

  const scheduleReconnect = () => {
    if (closed || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        opts.log.error({ err: String(error) }, 'realtime: could not listen again; retrying');
        scheduleReconnect();
      });
    }, reconnectMs);
    retry.unref();
  };

  await connect();

  return {
    announce(events) {
      for (const event of events) local.deliver(event);
      const c = client;
      // Reconnecting: other instances' clients catch up from the event log when they resume.
      if (c === null || events.length === 0) return;
      const payloads = events.map((e) => JSON.stringify(e));
      // One statement per announcement, one after another on the connection.
      sending = sending
        .then(() =>
          c.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [PG_CHANNEL, payloads]),
        )
        .then(
          () => undefined,
          (error: unknown) => {
            opts.log.warn({ err: String(error) }, 'realtime: could not notify other instances');
          },
        );
    },
    subscribe: (accountId, listener) => local.subscribe(accountId, listener),
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      local.clear();
      const c = client;
      client = null;
      await sending;
      if (c !== null) await c.end().catch(() => undefined);
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's hub (benchmarks and tests announce through it). */
    realtime: RealtimeHub;
  }
}
