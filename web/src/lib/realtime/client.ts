/**
 * The realtime stream for this tab: one EventSource on `GET /api/v1/events` while the vault is
 * unlocked (web/src/lib/vault/app.svelte.ts starts and stops it). Events carry ids only; pages
 * subscribe with `onEvent(type, handler)` and fetch what changed themselves.
 *
 * The browser reconnects by itself after a dropped connection and sends `Last-Event-ID`, so the
 * server replays what was missed. When the stream fails for good (the server answered with an
 * error, or was gone), this client opens a new one after a growing pause, resuming with
 * `?after=<last seq seen>`.
 */
import {
  EVENT_TYPES,
  realtimeEventSchema,
  type EventType,
  type RealtimeEvent,
} from '$core/circles/api';

export type RealtimeHandler = (event: RealtimeEvent) => void;

/** What the client needs of EventSource (the browser's, or a stand-in in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

/** EventSource.CLOSED: the browser gave up and will not reconnect by itself. */
const CLOSED = 2;

/** A stream message as an event, or null when it is not one (wrong shape or an unknown type). */
export function parseMessage(type: string, data: unknown): RealtimeEvent | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = realtimeEventSchema.safeParse(json);
  if (!parsed.success || parsed.data.type !== type) return null;
  return parsed.data;
}

/** The pause before reconnect attempt `attempt` (1, 2, …): 2 s doubling to at most a minute, with jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 2000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + 0.5 * random()));
}

/** The stream's URL, resuming after `lastSeq` when there is one. */
export function streamUrl(lastSeq: number | null, path = '/api/v1/events'): string {
  return lastSeq === null ? path : `${path}?after=${lastSeq}`;
}

export interface RealtimeClientOptions {
  readonly create?: EventSourceFactory;
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
  readonly random?: () => number;
  /** A handler threw (default: reported as an uncaught error, after the other handlers ran). */
  readonly onHandlerError?: (error: unknown) => void;
}

export interface RealtimeClient {
  /** Opens the stream for `accountId` (idempotent; another account starts over). */
  start(accountId: string): void;
  /** Closes the stream and stops reconnecting (lock, sign-out, quick exit). */
  stop(): void;
  /** Calls `handler` for every event of `type` ('*': every event); returns the unsubscribe. */
  onEvent(type: EventType | '*', handler: RealtimeHandler): () => void;
  /** The last sequence seen (for tests and diagnostics). */
  readonly lastSeq: number | null;
  readonly connected: boolean;
}

export function createRealtimeClient(opts: RealtimeClientOptions = {}): RealtimeClient {
  const create: EventSourceFactory =
    opts.create ?? ((url) => new EventSource(url, { withCredentials: true }));
  const later = opts.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const cancel = opts.clearTimeout ?? ((h) => globalThis.clearTimeout(h as number));
  const onHandlerError =
    opts.onHandlerError ??
    ((e: unknown) =>
      queueMicrotask(() => {
        throw e;
      }));
  const handlers = new Map<EventType | '*', Set<RealtimeHandler>>();
  let account: string | null = null;
  let source: EventSourceLike | null = null;
  let lastSeq: number | null = null;
  /** Whose sequence `lastSeq` is. */
  let seqOf: string | null = null;
  let attempt = 0;
  let retry: unknown = null;
  let connected = false;

  const dispatch = (event: RealtimeEvent) => {
    // The server sends each event once per stream and resumes after the last one seen.
    lastSeq = event.seq;
    for (const key of [event.type, '*'] as const) {
      for (const handler of [...(handlers.get(key) ?? [])]) {
        try {
          handler(event);
        } catch (e) {
          onHandlerError(e);
        }
      }
    }
  };

  const open = () => {
    retry = null;
    if (account === null) return;
    const s = create(streamUrl(lastSeq));
    source = s;
    for (const type of EVENT_TYPES) {
      s.addEventListener(type, (ev) => {
        if (source !== s) return;
        const event = parseMessage(type, ev.data);
        if (event !== null) dispatch(event);
      });
    }
    s.onopen = () => {
      if (source !== s) return;
      connected = true;
      attempt = 0;
    };
    s.onerror = () => {
      if (source !== s) return;
      connected = false;
      if (s.readyState !== CLOSED) return; // the browser reconnects by itself
      s.close();
      source = null;
      attempt += 1;
      retry = later(open, backoffMs(attempt, opts.random));
    };
  };

  const close = () => {
    if (retry !== null) cancel(retry);
    retry = null;
    source?.close();
    source = null;
    connected = false;
  };

  return {
    start(accountId) {
      if (account === accountId && (source !== null || retry !== null)) return;
      if (seqOf !== accountId) lastSeq = null; // another account's sequence means nothing here
      seqOf = accountId;
      close();
      account = accountId;
      attempt = 0;
      open();
    },
    stop() {
      close();
      account = null;
    },
    onEvent(type, handler) {
      let set = handlers.get(type);
      if (set === undefined) handlers.set(type, (set = new Set()));
      set.add(handler);
      return () => {
        set.delete(handler);
      };
    },
    get lastSeq() {
      return lastSeq;
    },
    get connected() {
      return connected;
    },
  };
}

/** This tab's client: without EventSource (server rendering, old browsers) it never opens. */
export const realtime: RealtimeClient = createRealtimeClient({
  create: (url) =>
    typeof EventSource === 'undefined'
      ? { readyState: 0, onopen: null, onerror: null, addEventListener() {}, close() {} }
      : new EventSource(url, { withCredentials: true }),
});

/** Calls `handler` for every event of `type` in this tab; returns the unsubscribe. */
export const onEvent = (type: EventType | '*', handler: RealtimeHandler): (() => void) =>
  realtime.onEvent(type, handler);
