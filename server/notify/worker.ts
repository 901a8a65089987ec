import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Engine } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { MailSender } from './mail.js';
import type { Notifier } from './outbox.js';
import type { PushSender } from './push.js';
import {
  accountEmail,
  claimDue,
  deleteFinishedBefore,
  deleteSubscriptionById,
  markRetry,
  markSent,
  markSkipped,
  subscriptionsOf,
  type OutboxRow,
} from './repository.js';

/** First retry after 10 s, then doubling, never more than an hour apart. */
export const RETRY_BASE_MS = 10_000;
export const RETRY_MAX_MS = 3_600_000;
/** After this many attempts a row is `failed` and left alone. */
export const MAX_ATTEMPTS = 8;
/** How long a claimed row is ours; a sender that dies leaves it to be claimed again after this. */
export const LEASE_MS = 60_000;
const BATCH = 20;
const CHANNELS: readonly OutboxRow['channel'][] = ['push', 'email'];
/** Finished rows are forgotten after this long: that someone was notified is not kept. */
export const KEEP_FINISHED_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

/** The delay before attempt `attempts + 1`, after `attempts` failed ones. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

const payloadSchema = z.object({ title: z.string(), body: z.string(), path: z.string() });

export interface NotifyWorker extends Notifier {
  /** Delivers everything due now (several rounds until none is left); how many rows it handled. */
  drain(): Promise<number>;
  /** Starts polling (every `pollMs`, and at once on `wake`). */
  start(): void;
  /** Stops polling and waits for the sends in flight. */
  stop(): Promise<void>;
}

export interface NotifyWorkerDeps {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  readonly now: () => Date;
  readonly logger: FastifyBaseLogger;
  /** Undefined: this Tend sends no email (SMTP_URL unset). */
  readonly mail: MailSender | undefined;
  readonly push: PushSender;
  readonly pollMs?: number;
}

type Outcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Delivers the durable outbox (server/notify/outbox.ts). Each round claims due rows with a lease,
 * sends them and records the outcome; a failure is retried with exponential back-off, at most
 * MAX_ATTEMPTS times. Logs carry row ids, channels and reasons only, never addresses, endpoints
 * or words.
 */
export function createNotifyWorker(deps: NotifyWorkerDeps): NotifyWorker {
  const pollMs = deps.pollMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = true;
  let again = false;
  let current: Promise<number> | undefined;
  let prunedAt = Number.NEGATIVE_INFINITY;

  async function deliver(row: OutboxRow): Promise<Outcome> {
    const parsed = payloadSchema.safeParse(JSON.parse(row.payload));
    if (!parsed.success) return { kind: 'skipped', reason: 'unreadable payload' };
    const text = parsed.data;
    if (row.channel === 'email') {
      if (deps.mail === undefined) return { kind: 'skipped', reason: 'email is off on this Tend' };
      const to = await accountEmail(deps.db, row.account_id);
      if (to === null) return { kind: 'skipped', reason: 'no email address' };
      try {
        await deps.mail.send(to, text);
        return { kind: 'sent' };
      } catch (e) {
        const code = (e as { responseCode?: number; code?: string }).responseCode;
        return {
          kind: 'failed',
          reason: `smtp ${code ?? (e as { code?: string }).code ?? 'error'}`,
        };
      }
    }
    const subs = await subscriptionsOf(deps.db, row.account_id);
    if (subs.length === 0) return { kind: 'skipped', reason: 'no push subscription' };
    // Every device of the account; the row counts as delivered once any device accepted it, so
    // a retry never sends the same notification twice to a device that already has it.
    let sent = 0;
    const reasons: string[] = [];
    for (const sub of subs) {
      const r = await deps.push.send(sub, text, { urgent: row.kind === 'reachout' });
      if (r.kind === 'sent') sent += 1;
      else if (r.kind === 'gone') await deleteSubscriptionById(deps.db, sub.id);
      else reasons.push(r.reason);
    }
    if (sent > 0) return { kind: 'sent' };
    if (reasons.length === 0) return { kind: 'skipped', reason: 'every push subscription is gone' };
    return { kind: 'failed', reason: reasons[0] ?? 'push failed' };
  }

  async function handle(row: OutboxRow): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await deliver(row);
    } catch (e) {
      outcome = { kind: 'failed', reason: e instanceof Error ? e.name : 'error' };
    }
    const now = deps.now();
    if (outcome.kind === 'sent') {
      await markSent(deps.db, row.id, now);
      deps.logger.info({ notification: row.id, channel: row.channel }, 'notification sent');
    } else if (outcome.kind === 'skipped') {
      await markSkipped(deps.db, row.id, outcome.reason);
      deps.logger.info(
        { notification: row.id, channel: row.channel, reason: outcome.reason },
        'notification skipped',
      );
    } else {
      const last = row.attempts >= MAX_ATTEMPTS;
      const next = last ? null : new Date(now.getTime() + retryDelayMs(row.attempts));
      await markRetry(deps.db, row.id, next, outcome.reason);
      deps.logger.warn(
        {
          notification: row.id,
          channel: row.channel,
          attempt: row.attempts,
          reason: outcome.reason,
          retryAt: next?.toISOString() ?? null,
        },
        last ? 'notification failed for good' : 'notification failed; will retry',
      );
    }
  }

  async function round(): Promise<number> {
    const started = deps.now();
    if (started.getTime() - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = started.getTime();
      await deleteFinishedBefore(deps.db, new Date(started.getTime() - KEEP_FINISHED_MS));
    }
    // One lane per channel, side by side: a push never waits behind a slow mail server (each
    // lane waits for its own batch before claiming the next).
    const lanes = await Promise.all(CHANNELS.map(lane));
    return lanes.reduce((a, b) => a + b, 0);
  }

  async function lane(channel: OutboxRow['channel']): Promise<number> {
    let handled = 0;
    for (;;) {
      const now = deps.now();
      const rows = await claimDue(
        deps.db,
        deps.engine,
        now,
        new Date(now.getTime() + LEASE_MS),
        BATCH,
        channel,
      );
      if (rows.length === 0) return handled;
      await Promise.all(rows.map(handle));
      handled += rows.length;
    }
  }

  /** One round at a time; a wake during a round asks for another right after. */
  function run(): Promise<number> {
    if (running && current !== undefined) {
      again = true;
      return current;
    }
    running = true;
    current = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await round();
        } while (again);
      } catch (e) {
        deps.logger.error({ err: e }, 'notification worker round failed');
      } finally {
        running = false;
      }
      return total;
    })();
    return current;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, pollMs);
    timer.unref();
  }

  return {
    wake() {
      if (!stopped) void run();
    },
    drain: () => run(),
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await current;
    },
  };
}
