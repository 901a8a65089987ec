import type { FastifyBaseLogger } from 'fastify';
import { inTransaction } from '../db/database.js';
import { appendEvents, type NewEvent, type StoredEvent } from '../realtime/log.js';
import {
  cancelEscalation,
  claimEscalation,
  dueEscalations,
  findReachout,
  membersAmong,
  notifyMembers,
  recipientsOf,
  someoneAcknowledged,
} from './repository.js';
import { reachRecipients, type ReachoutDeps } from './use-cases.js';

export interface EscalationOutcome {
  /** Reach-outs escalated by this run (their second wave reached). */
  readonly escalated: readonly string[];
  /** Reach-outs whose escalation was dropped because someone answered in time. */
  readonly answered: readonly string[];
}

export interface EscalationWorker {
  /** Escalates every reach-out due at `now`; safe to run concurrently (each escalates once). */
  runOnce(now: Date): Promise<EscalationOutcome>;
  stop(): Promise<void>;
}

export interface EscalationOptions {
  readonly intervalMs?: number;
  readonly now: () => Date;
  readonly logger?: FastifyBaseLogger;
  /** false: only `runOnce` (tests that want to drive it alone). */
  readonly start?: boolean;
}

const BATCH = 100;

/**
 * The escalation worker (docs/CIRCLES.md "Reach-outs"): database-driven, so a restart loses
 * nothing. A reach-out is escalated when its time has come, it is still open, and no recipient
 * answered seen, calling or on my way; if someone did, its escalation is dropped for good.
 */
export function createEscalationWorker(
  deps: ReachoutDeps,
  opts: EscalationOptions,
): EscalationWorker {
  async function escalate(id: string, now: Date): Promise<'escalated' | 'answered' | 'skipped'> {
    let stored: StoredEvent[] = [];
    const at = now.toISOString();
    const outcome = await inTransaction(deps.db, async (trx) => {
      if (await someoneAcknowledged(trx, id)) {
        await cancelEscalation(trx, id);
        return 'answered' as const;
      }
      // Guard: of two instances (or runs) only one gets a row count of 1 here.
      if (!(await claimEscalation(trx, id, at))) return 'skipped' as const;
      const row = await findReachout(trx, id);
      if (row === undefined) return 'skipped' as const;
      const before = await recipientsOf(trx, [id]);
      const waiting = before.filter((r) => r.wave === 2 && r.notified_at === null);
      // Only people still in the circle: someone who left or blocked since is never reached.
      const members = await membersAmong(
        trx,
        row.owner_id,
        before.map((r) => r.member_id),
      );
      const wave2 = waiting.map((r) => r.member_id).filter((m) => members.has(m));
      await notifyMembers(trx, id, wave2, at);
      const events: NewEvent[] = await reachRecipients(trx, id, wave2, now);
      events.push({ accountId: row.owner_id, type: 'reachout.updated', data: { reachoutId: id } });
      for (const r of before) {
        if (r.notified_at !== null && members.has(r.member_id)) {
          events.push({
            accountId: r.member_id,
            type: 'reachout.updated',
            data: { reachoutId: id },
          });
        }
      }
      stored = await appendEvents(trx, events, now);
      return 'escalated' as const;
    });
    if (outcome === 'escalated') {
      deps.realtime.announce(stored);
      deps.notifier.wake();
    }
    return outcome;
  }

  async function runOnce(now: Date): Promise<EscalationOutcome> {
    const escalated: string[] = [];
    const answered: string[] = [];
    for (;;) {
      const due = await dueEscalations(deps.db, now.toISOString(), BATCH);
      for (const id of due) {
        const outcome = await escalate(id, now);
        if (outcome === 'escalated') escalated.push(id);
        if (outcome === 'answered') answered.push(id);
      }
      if (due.length < BATCH) break;
    }
    return { escalated, answered };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = runOnce(opts.now())
      .catch((e: unknown) => opts.logger?.error({ err: e }, 'reach-out escalation failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 5_000);
      });
  };
  if (opts.start !== false) timer = setTimeout(tick, opts.intervalMs ?? 5_000);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's escalation worker: tests call `runOnce(now)` to drive it. */
    reachoutEscalation: EscalationWorker;
  }
}
