import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
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

/** Rows per statement when events are written in bulk (well under both engines' bind limits). */
const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Appends events inside the caller's transaction, so an event exists exactly when what it announces
 * does. Each account's `event_seq` is taken under that account's row lock, so two transactions
 * writing events for one account commit in sequence order on both engines, and a client resuming
 * after `seq` n misses nothing. Announce the returned events after the commit.
 *
 * In bulk (a post to a group of 1,000 members is 1,000 events; bench/groups.ts): the account rows
 * are locked in one statement per chunk, then each account's `event_seq` is raised by its number
 * of events in one UPDATE … RETURNING per distinct number, then the events are inserted in
 * multi-row INSERTs — instead of an UPDATE and an INSERT per event.
 */
export async function appendEvents(
  trx: Transaction<Database> | Kysely<Database>,
  events: readonly NewEvent[],
  now: Date,
): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const at = now.toISOString();
  // Each account's events, in the order given.
  const byAccount = new Map<string, NewEvent[]>();
  for (const e of events) {
    const list = byAccount.get(e.accountId);
    if (list === undefined) byAccount.set(e.accountId, [e]);
    else list.push(e);
  }
  // Account rows are locked in one order (by id, in code-unit order, as everywhere else that locks
  // accounts), so two transactions telling the same people never wait on each other in a cycle
  // (PostgreSQL; SQLite runs one write transaction at a time). `ORDER BY … FOR NO KEY UPDATE` locks
  // rows in the sorted order (COLLATE "C" sorts as JavaScript does), with the lock an UPDATE of
  // `event_seq` takes: not FOR UPDATE, which would also wait for transactions that merely hold a
  // foreign-key reference to the account (a post by its author), and deadlock with them.
  const ids = [...byAccount.keys()].sort();
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    for (const chunk of chunks(ids)) {
      await sql`select id from accounts where id in (${sql.join(chunk)}) order by id collate "C" for no key update`.execute(
        trx,
      );
    }
  }
  const byCount = new Map<number, string[]>();
  for (const id of ids) {
    const n = byAccount.get(id)!.length;
    const list = byCount.get(n);
    if (list === undefined) byCount.set(n, [id]);
    else list.push(id);
  }
  const latest = new Map<string, number>();
  for (const [n, accountIds] of byCount) {
    for (const chunk of chunks(accountIds)) {
      const rows = await trx
        .updateTable('accounts')
        .set({ event_seq: sql`event_seq + ${n}` })
        .where('id', 'in', chunk)
        .returning(['id', 'event_seq'])
        .execute();
      for (const r of rows) latest.set(r.id, Number(r.event_seq));
    }
  }
  const stored: StoredEvent[] = [];
  for (const accountId of ids) {
    const last = latest.get(accountId);
    if (last === undefined) continue; // the account was deleted meanwhile: nobody to tell
    const list = byAccount.get(accountId)!;
    list.forEach((e, i) => {
      const seq = last - list.length + 1 + i;
      stored.push({ accountId, seq, type: e.type, data: e.data, at });
    });
  }
  for (const chunk of chunks(stored)) {
    await trx
      .insertInto('events')
      .values(
        chunk.map((e) => ({
          account_id: e.accountId,
          seq: e.seq,
          type: e.type,
          data: JSON.stringify(e.data),
          created_at: at,
        })),
      )
      .execute();
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
