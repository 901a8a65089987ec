import type { StoredEvent } from './log.js';

/**
 * Live delivery of stored events to open connections. Use cases call `announce` after their
 * transaction commits; the SSE route subscribes per connection. The in-process hub serves one
 * instance; with several instances on PostgreSQL, `announce` also reaches the others (see
 * server/realtime/README.md).
 */
export interface RealtimeHub {
  announce(events: readonly StoredEvent[]): void;
  /** Calls `listener` for every announced event of `accountId` until the returned function runs. */
  subscribe(accountId: string, listener: (event: StoredEvent) => void): () => void;
  close(): Promise<void>;
}

/** One instance: announcements go straight to this process's listeners. */
export function createLocalHub(): RealtimeHub {
  const listeners = new Map<string, Set<(event: StoredEvent) => void>>();
  return {
    announce(events) {
      for (const event of events) {
        const set = listeners.get(event.accountId);
        if (set === undefined) continue;
        for (const listener of set) listener(event);
      }
    },
    subscribe(accountId, listener) {
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
    async close() {
      listeners.clear();
    },
  };
}
