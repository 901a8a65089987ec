import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { inQuietHours } from './quiet-hours.js';

/**
 * What a notification says. Fixed words and a path inside Tend only: never a name, a note, a
 * level's details or anything the person wrote (docs/CIRCLES.md, "Notifications").
 */
export interface NotificationText {
  readonly title: string;
  readonly body: string;
  /** A same-origin path to open, e.g. `/circle/reach-outs/<id>`. */
  readonly path: string;
}

export interface NewNotification {
  readonly accountId: string;
  /** e.g. `reachout`, `invitation`. */
  readonly kind: string;
  /** Unique per notification and person; one row per channel is derived from it. */
  readonly dedupeKey: string;
  readonly text: NotificationText;
}

export type Held = 'paused' | 'quiet-hours';

export interface EnqueueResult {
  /** Why nothing was queued for this person (their own choice), or null. */
  readonly held: Held | null;
  /** The channels a row was queued for (email only with an address; push only with a subscription). */
  readonly channels: readonly ('email' | 'push')[];
}

/**
 * Queues a notification inside the caller's transaction (the durable outbox): the worker
 * (server/notify/worker.ts) delivers it after the commit, with retries. Respects the person's
 * settings: paused → nothing; quiet hours → nothing by email or push (the in-app event still
 * arrives). A dedupe key already queued is not queued again.
 */
export async function enqueueNotification(
  trx: Transaction<Database> | Kysely<Database>,
  n: NewNotification,
  now: Date,
): Promise<EnqueueResult> {
  const settings = await trx
    .selectFrom('notify_settings')
    .selectAll()
    .where('account_id', '=', n.accountId)
    .executeTakeFirst();
  if (
    settings?.paused_until !== null &&
    settings?.paused_until !== undefined &&
    settings.paused_until > now.toISOString()
  ) {
    return { held: 'paused', channels: [] };
  }
  if (
    settings !== undefined &&
    settings.quiet_start !== null &&
    settings.quiet_end !== null &&
    settings.time_zone !== null &&
    inQuietHours(now, settings.quiet_start, settings.quiet_end, settings.time_zone)
  ) {
    return { held: 'quiet-hours', channels: [] };
  }
  const account = await trx
    .selectFrom('accounts')
    .select('email')
    .where('id', '=', n.accountId)
    .executeTakeFirst();
  if (account === undefined) return { held: null, channels: [] };
  const channels: ('email' | 'push')[] = [];
  if ((settings?.email ?? 1) === 1 && account.email !== null) channels.push('email');
  if ((settings?.push ?? 1) === 1) {
    const sub = await trx
      .selectFrom('push_subscriptions')
      .select('id')
      .where('account_id', '=', n.accountId)
      .executeTakeFirst();
    if (sub !== undefined) channels.push('push');
  }
  const at = now.toISOString();
  for (const channel of channels) {
    await trx
      .insertInto('notify_outbox')
      .values({
        id: randomUUID(),
        account_id: n.accountId,
        channel,
        kind: n.kind,
        dedupe_key: `${n.dedupeKey}:${channel}`,
        payload: JSON.stringify(n.text),
        status: 'pending',
        next_attempt_at: at,
        locked_until: null,
        last_error: null,
        created_at: at,
        sent_at: null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
  return { held: null, channels };
}

/** Wakes the delivery worker after a commit (it also polls). */
export interface Notifier {
  wake(): void;
}
