import { sql, type Kysely, type Transaction } from 'kysely';
import type { EventType, RealtimeEvent } from '../../core/src/circles/api.js';
import type { Database } from '../db/schema.js';

/** An event for one account, before it is stored. `data` holds ids only, never content. */
export interface NewEvent {
  readonly accountId: string;
  readonly type: EventType;
  readonly data: Record<string, string>;
}

/** A stored event: `seq` is the account's own event sequence (the SSE id). */
export interface StoredEvent extends RealtimeEvent {
  readonly accountId: string;
}

/**
 * Appends events inside the caller's transaction, so an event exists exactly when what it announces
 * does. Each account's `event_seq` is taken under that account's row lock (an UPDATE), so two
 * transactions writing events for one account commit in sequence order on both engines, and a
 * client resuming after `seq` n misses nothing. Announce the returned events after the commit.
 */
export async function appendEvents(
  trx: Transaction<Database> | Kysely<Database>,
  events: readonly NewEvent[],
  now: Date,
): Promise<StoredEvent[]> {
  const at = now.toISOString();
  const stored: StoredEvent[] = [];
  // Account rows are locked in one order (by id; each account's events keep theirs), so two
  // transactions telling the same people never wait on each other in a cycle (PostgreSQL).
  const ordered = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) =>
      a.e.accountId < b.e.accountId ? -1 : a.e.accountId > b.e.accountId ? 1 : a.i - b.i,
    )
    .map(({ e }) => e);
  for (const e of ordered) {
    const row = await trx
      .updateTable('accounts')
      .set({ event_seq: sql`event_seq + 1` })
      .where('id', '=', e.accountId)
      .returning('event_seq')
      .executeTakeFirst();
    if (row === undefined) continue; // the account was deleted meanwhile: nobody to tell
    await trx
      .insertInto('events')
      .values({
        account_id: e.accountId,
        seq: row.event_seq,
        type: e.type,
        data: JSON.stringify(e.data),
        created_at: at,
      })
      .execute();
    stored.push({ accountId: e.accountId, seq: row.event_seq, type: e.type, data: e.data, at });
  }
  return stored;
}

/** Up to `limit` of the account's stored events with `seq` > `after`, oldest first. */
export async function readEventsAfter(
  db: Kysely<Database>,
  accountId: string,
  after: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'type', 'data', 'created_at'])
    .where('account_id', '=', accountId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    accountId,
    seq: r.seq,
    type: r.type as EventType,
    data: JSON.parse(r.data) as Record<string, string>,
    at: r.created_at,
  }));
}

/** The account's latest event sequence (0 when it has none, or no longer exists). */
export async function latestSeq(db: Kysely<Database>, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select('event_seq')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.event_seq ?? 0;
}

/** Deletes events stored before `cutoff`; returns how many. */
export async function deleteEventsBefore(db: Kysely<Database>, cutoff: Date): Promise<number> {
  const result = await db
    .deleteFrom('events')
    .where('created_at', '<', cutoff.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
