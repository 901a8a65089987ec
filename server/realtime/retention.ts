import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { deleteEventsBefore } from './log.js';

/** Events are kept for a week: long enough for a device that was away to catch up. */
export const EVENT_RETENTION_MS = 7 * 24 * 3_600_000;

export interface EventRetention {
  /** Deletes events older than the retention period by the app's clock; returns how many. */
  sweep(): Promise<number>;
  /** Sweeps now and then every `intervalMs`. */
  start(): void;
  /** Stops the timer and waits for a sweep in flight. */
  stop(): Promise<void>;
  readonly running: boolean;
}

export function createEventRetention(deps: {
  readonly db: Kysely<Database>;
  readonly now: () => Date;
  readonly logger?: FastifyBaseLogger;
  readonly intervalMs?: number;
}): EventRetention {
  const intervalMs = deps.intervalMs ?? 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const sweep = () =>
    deleteEventsBefore(deps.db, new Date(deps.now().getTime() - EVENT_RETENTION_MS));
  const tick = () => {
    inFlight = sweep().catch((e: unknown) =>
      deps.logger?.error({ err: e }, 'realtime: deleting old events failed'),
    );
  };

  return {
    sweep,
    start() {
      if (timer !== undefined) return;
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
    get running() {
      return timer !== undefined;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Deletes events older than a week (server/realtime/retention.ts). */
    realtimeRetention: EventRetention;
  }
}
