import type { FastifyBaseLogger } from 'fastify';
import type { When } from '../../core/src/aid/api.js';
import { expiryStep, transition } from '../../core/src/aid/lifecycle.js';
import { intervalsOf, spanOf } from '../../core/src/aid/when.js';
import { commit, type CircleDeps } from '../circles/commit.js';
import { enqueueNotification } from '../notify/outbox.js';
import type { NewEvent } from '../realtime/log.js';
import { rematchPost } from './relations/use-cases.js';
import { duePosts, lockPost, recurringToRefresh, respondersOf, updatePost } from './repository.js';

/**
 * Fixed words only (docs/AID.md, "Expiry with a reminder first"): never the category, the zone or
 * the description, which may be sensitive on a lock screen.
 */
export const REMINDER_TEXT = {
  open: { title: 'Tend', body: 'Is this still needed? — open Tend' },
  helping: {
    title: 'Tend',
    body: 'Is this still going? Mark it done or open it again — open Tend',
  },
} as const;

export interface ExpiryWorker {
  /** Reminds and expires every post due at `now`; safe to run concurrently (each once). */
  runOnce(now: Date): Promise<{ readonly reminded: number; readonly expired: number }>;
  /**
   * Expands again the occurrences of recurring posts on the board whose first stored occurrence
   * began over a day before `now`, and matches each again; at most `REFRESH_PER_PASS` a pass.
   */
  refreshOnce(now: Date): Promise<{ readonly refreshed: number }>;
  stop(): Promise<void>;
}

export interface ExpiryOptions {
  readonly now: () => Date;
  /** Default: every five minutes. */
  readonly intervalMs?: number;
  readonly logger?: FastifyBaseLogger;
  /** false: only `runOnce` (tests drive it). */
  readonly start?: boolean;
}

const BATCH = 100;
const DAY_MS = 86_400_000;
/** Recurring posts refreshed in one pass at most (the rest wait for the next, minutes later). */
export const REFRESH_PER_PASS = 1000;

/**
 * The expiry worker (as the meeting reminder worker): its state is the post row (`remind_at`,
 * `reminded_at`, `expires_at`) read through the indexes (status, remind_at) and (status,
 * expires_at), so a restart loses nothing. Each post is changed in its own transaction under its
 * row lock, with `expiryStep` deciding from what is read there; the reminder's dedupe key names
 * the post and its expiry, so it reaches the outbox once however many instances run. Quiet hours
 * and pause apply (enqueueNotification).
 */
export function createExpiryWorker(deps: CircleDeps, opts: ExpiryOptions): ExpiryWorker {
  async function step(id: string, now: Date): Promise<'remind' | 'expire' | 'none'> {
    const at = now.toISOString();
    const r = await commit<'remind' | 'expire' | 'none', never>(deps, now, async (trx) => {
      const post = await lockPost(trx, id);
      if (post === undefined) return { value: 'none', events: [] };
      const what = expiryStep({
        status: post.status,
        now: now.getTime(),
        plan: { expiresAt: Date.parse(post.expires_at), remindAt: Date.parse(post.remind_at) },
        remindedAt: post.reminded_at === null ? null : Date.parse(post.reminded_at),
      });
      if (what === 'none') return { value: 'none', events: [] };
      if (what === 'remind') {
        await updatePost(trx, id, { reminded_at: at });
        let notified = false;
        if (post.author_id !== null) {
          await enqueueNotification(
            trx,
            {
              accountId: post.author_id,
              kind: 'aid',
              dedupeKey: `aid-reminder:${post.id}:${post.expires_at}`,
              text: {
                ...(post.status === 'helping' ? REMINDER_TEXT.helping : REMINDER_TEXT.open),
                path: `/aid/${post.id}`,
              },
            },
            now,
          );
          notified = true;
        }
        return { value: 'remind', events: [], notified };
      }
      const t = transition({ kind: post.kind, from: post.status, to: 'expired', actor: 'system' });
      if (!t.ok) return { value: 'none', events: [] };
      await updatePost(trx, id, {
        status: 'expired',
        partner_id: t.value.partner === 'clear' ? null : post.partner_id,
        updated_at: at,
      });
      const to = new Set<string>();
      if (post.author_id !== null) to.add(post.author_id);
      if (post.partner_id !== null) to.add(post.partner_id);
      for (const r of await respondersOf(trx, id)) to.add(r);
      const events = [...to].map((accountId): NewEvent => ({
        accountId,
        type: 'aid.post.changed',
        data: { postId: id },
      }));
      return { value: 'expire', events };
    });
    return r.ok ? r.value : 'none';
  }

  async function runOnce(now: Date) {
    let reminded = 0;
    let expired = 0;
    const done = new Set<string>();
    for (;;) {
      const due = (await duePosts(deps.db, now.toISOString(), BATCH)).filter((id) => !done.has(id));
      for (const id of due) {
        done.add(id);
        const what = await step(id, now);
        if (what === 'remind') reminded++;
        if (what === 'expire') expired++;
      }
      if (due.length === 0) break;
    }
    return { reminded, expired };
  }

  /**
   * One recurring post, under its row lock: its occurrences from now to its expiry (as at posting,
   * when.ts), their span, and its matches found again (relations/: stale ones dropped, the newly
   * matched told at their rate). Its expiry, reminder and `updated_at` stay as they are.
   */
  async function refresh(id: string, now: Date): Promise<boolean> {
    const before = new Date(now.getTime() - DAY_MS).toISOString();
    const r = await commit<boolean, never>(deps, now, async (trx) => {
      const post = await lockPost(trx, id);
      if (
        post === undefined ||
        post.when_kind !== 'recurring' ||
        (post.status !== 'open' && post.status !== 'helping') ||
        post.starts_at === null ||
        post.starts_at >= before
      ) {
        return { value: false, events: [] };
      }
      const when = JSON.parse(post.when_json) as When;
      const intervals = intervalsOf(when, {
        postId: post.id,
        postedAt: Date.parse(post.renewed_at),
        expiresAt: Date.parse(post.expires_at),
        now: now.getTime(),
      });
      // A rule that no longer expands (it was checked at posting) leaves nothing to match.
      const list = intervals.ok ? intervals.value : [];
      const span = spanOf(list);
      await updatePost(trx, post.id, {
        intervals: JSON.stringify(list.map((i) => [i.start, i.end])),
        starts_at: span === null ? null : new Date(span.start).toISOString(),
        ends_at: span === null ? null : new Date(span.end).toISOString(),
      });
      const matched = await rematchPost(trx, post.id, now);
      return { value: true, events: matched.events, notified: matched.notified };
    });
    return r.ok && r.value;
  }

  async function refreshOnce(now: Date) {
    const before = new Date(now.getTime() - DAY_MS).toISOString();
    let refreshed = 0;
    let seen = 0;
    const done = new Set<string>();
    while (seen < REFRESH_PER_PASS) {
      const due = (await recurringToRefresh(deps.db, before, BATCH)).filter((id) => !done.has(id));
      if (due.length === 0) break;
      for (const id of due) {
        done.add(id);
        seen++;
        if (await refresh(id, now)) refreshed++;
      }
    }
    return { refreshed };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const interval = opts.intervalMs ?? 5 * 60_000;
  const tick = () => {
    const now = opts.now();
    running = runOnce(now)
      .then(() => refreshOnce(now))
      .catch((e: unknown) => opts.logger?.error({ err: e }, 'aid expiry failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval);
      });
  };
  if (opts.start !== false) timer = setTimeout(tick, interval);
  return {
    runOnce,
    refreshOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
