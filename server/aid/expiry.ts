import type { FastifyBaseLogger } from 'fastify';
import { expiryStep, transition } from '../../core/src/aid/lifecycle.js';
import { commit, type CircleDeps } from '../circles/commit.js';
import { enqueueNotification } from '../notify/outbox.js';
import type { NewEvent } from '../realtime/log.js';
import { duePosts, lockPost, respondersOf, updatePost } from './repository.js';

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

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const interval = opts.intervalMs ?? 5 * 60_000;
  const tick = () => {
    running = runOnce(opts.now())
      .catch((e: unknown) => opts.logger?.error({ err: e }, 'aid expiry failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval);
      });
  };
  if (opts.start !== false) timer = setTimeout(tick, interval);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
