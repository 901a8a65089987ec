import { err, ok, type Result } from '../../core/src/result.js';
import { inTransaction, type Db, type Tx } from '../db/database.js';
import type { Notifier } from '../notify/outbox.js';
import type { RealtimeHub } from '../realtime/hub.js';
import { appendEvents, type NewEvent, type StoredEvent } from '../realtime/log.js';

/** What the circle and share use cases need from the app (a subset of ServiceDeps). */
export interface CircleDeps {
  readonly db: Db;
  readonly realtime: RealtimeHub;
  readonly notifier: Notifier;
}

/** Thrown inside a transaction to roll it back with a typed failure; caught by `commit`. */
class Rollback extends Error {
  constructor(readonly failure: unknown) {
    super('rollback');
  }
}

/** Rolls the surrounding `commit` back; it returns `err(failure)`. */
export const fail = (failure: unknown): never => {
  throw new Rollback(failure);
};

/**
 * Runs `fn` in one transaction and appends the events it returns there, so an event exists
 * exactly when what it announces does; announces them (and wakes the notification worker) only
 * after the commit. `fail(f)` inside rolls everything back and becomes `err(f)`.
 */
export async function commit<T, F>(
  deps: CircleDeps,
  now: Date,
  fn: (trx: Tx) => Promise<{ value: T; events: readonly NewEvent[]; notified?: boolean }>,
): Promise<Result<T, F>> {
  let stored: StoredEvent[] = [];
  let notified = false;
  try {
    const value = await inTransaction(deps.db, async (trx) => {
      const r = await fn(trx);
      stored = await appendEvents(trx, r.events, now);
      notified = r.notified === true;
      return r.value;
    });
    deps.realtime.announce(stored);
    if (notified) deps.notifier.wake();
    return ok(value);
  } catch (e) {
    if (e instanceof Rollback) return err(e.failure as F);
    throw e;
  }
}
