import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Engine } from '../db/database.js';
import type { Database, NotifyOutboxTable, NotifySettingsTable } from '../db/schema.js';

export type OutboxRow = Selectable<NotifyOutboxTable>;
type Db = Kysely<Database>;

/**
 * Claims up to `limit` due rows for one delivery attempt: pending ones, and ones whose sender's
 * lease ran out (it crashed or hung). Each claimed row gets `status = sending`, a lease until
 * `leaseUntil` and one more attempt. On PostgreSQL the candidates are locked with
 * `FOR UPDATE SKIP LOCKED`, so several instances never claim the same row; on SQLite the single
 * UPDATE … RETURNING runs under the database's write lock, which does the same.
 */
export async function claimDue(
  db: Db,
  engine: Engine,
  now: Date,
  leaseUntil: Date,
  limit: number,
  channel: OutboxRow['channel'],
): Promise<OutboxRow[]> {
  const at = now.toISOString();
  return db
    .updateTable('notify_outbox')
    .set({
      status: 'sending',
      locked_until: leaseUntil.toISOString(),
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notify_outbox')
        .select('id')
        .where((w) =>
          w.or([
            w('status', '=', 'pending'),
            w.and([w('status', '=', 'sending'), w('locked_until', '<', at)]),
          ]),
        )
        .where('channel', '=', channel)
        .where('next_attempt_at', '<=', at)
        .orderBy('next_attempt_at')
        .limit(limit)
        .$if(engine === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
}

export async function markSent(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('notify_outbox')
    .set({ status: 'sent', sent_at: now.toISOString(), locked_until: null, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Nothing to send to (no address, no device, channel off on this server). */
export async function markSkipped(db: Db, id: string, reason: string): Promise<void> {
  await db
    .updateTable('notify_outbox')
    .set({ status: 'skipped', locked_until: null, last_error: reason })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Another try at `next`, or `failed` when `next` is null. */
export async function markRetry(
  db: Db,
  id: string,
  next: Date | null,
  error: string,
): Promise<void> {
  await db
    .updateTable('notify_outbox')
    .set(
      next === null
        ? { status: 'failed', locked_until: null, last_error: error }
        : {
            status: 'pending',
            locked_until: null,
            next_attempt_at: next.toISOString(),
            last_error: error,
          },
    )
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Forgets finished rows (sent, skipped, failed) created before `before`; how many went. */
export async function deleteFinishedBefore(db: Db, before: Date): Promise<number> {
  const r = await db
    .deleteFrom('notify_outbox')
    .where('status', 'in', ['sent', 'skipped', 'failed'])
    .where('created_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function accountEmail(db: Db, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('accounts')
    .select('email')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.email ?? null;
}

// ─── Push subscriptions ─────────────────────────────────────────────────────────────────────────

export interface PushSubscriptionRow {
  readonly id: string;
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

export async function subscriptionsOf(db: Db, accountId: string): Promise<PushSubscriptionRow[]> {
  return db
    .selectFrom('push_subscriptions')
    .select(['id', 'endpoint', 'p256dh', 'auth'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

export async function countSubscriptions(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('push_subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Keeps one row per endpoint: a browser has one subscription per site, so the endpoint belongs
 * to whoever subscribed on it last (the account now signed in on that browser).
 */
export async function upsertSubscription(
  db: Db,
  accountId: string,
  sub: { endpoint: string; p256dh: string; auth: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('push_subscriptions')
    .values({
      id: randomUUID(),
      account_id: accountId,
      endpoint: sub.endpoint,
      p256dh: sub.p256dh,
      auth: sub.auth,
      created_at: now.toISOString(),
    })
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({
        account_id: accountId,
        p256dh: sub.p256dh,
        auth: sub.auth,
        created_at: now.toISOString(),
      }),
    )
    .execute();
}

/** Deletes the account's own subscription at `endpoint`; false when it has none there. */
export async function deleteOwnSubscription(
  db: Db,
  accountId: string,
  endpoint: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('push_subscriptions')
    .where('account_id', '=', accountId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The push service said the subscription is gone (404/410). */
export async function deleteSubscriptionById(db: Db, id: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
}

// ─── Settings ───────────────────────────────────────────────────────────────────────────────────

export async function findSettings(
  db: Db,
  accountId: string,
): Promise<Selectable<NotifySettingsTable> | undefined> {
  return db
    .selectFrom('notify_settings')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function saveSettings(db: Db, row: NotifySettingsTable): Promise<void> {
  const { account_id: _id, ...rest } = row;
  await db
    .insertInto('notify_settings')
    .values(row)
    .onConflict((oc) => oc.column('account_id').doUpdateSet(rest))
    .execute();
}
