import type { z } from 'zod';
import type {
  closeReachoutSchema,
  createReachoutSchema,
  ReachoutWire,
  respondReachoutSchema,
} from '../../core/src/circles/api.js';
import { err, ok, type Result } from '../../core/src/result.js';
import { inTransaction, type Db, type Tx } from '../db/database.js';
import { enqueueNotification, type Notifier } from '../notify/outbox.js';
import type { RealtimeHub } from '../realtime/hub.js';
import { appendEvents, type NewEvent, type StoredEvent } from '../realtime/log.js';
import {
  closeOpen,
  findReachout,
  insertReachout,
  insertRecipients,
  limitedSince,
  listIncoming,
  listOwned,
  lockAccount,
  markSeen,
  membersAmong,
  recipientsOf,
  setHeld,
  setResponse,
  type ReachoutRow,
  type RecipientRow,
} from './repository.js';

export type CreateReachout = z.infer<typeof createReachoutSchema>;
export type RespondReachout = z.infer<typeof respondReachoutSchema>;
export type CloseReachout = z.infer<typeof closeReachoutSchema>;

/** What the reach-out use cases need from the app (a subset of ServiceDeps). */
export interface ReachoutDeps {
  readonly db: Db;
  readonly realtime: RealtimeHub;
  readonly notifier: Notifier;
}

/** Rate limit (docs/CIRCLES.md): per owner, per rolling hour, for check-in and struggling only. */
export const REACHOUT_LIMIT = { perHour: 10, levels: ['check-in', 'struggling'] } as const;
const HOUR_MS = 3_600_000;
/** Lists show open reach-outs and those of the last 30 days. */
const LIST_WINDOW_MS = 30 * 24 * HOUR_MS;

/** The only words a reach-out notification ever carries: no name, level or note. */
export const reachoutNotification = (id: string) => ({
  title: 'Tend',
  body: 'Someone in your circle is reaching out — open Tend',
  path: `/circle/reach-outs/${id}`,
});

export type CreateFailure =
  | { readonly kind: 'duplicate_recipient' }
  | { readonly kind: 'self' }
  | { readonly kind: 'not_in_circle' }
  | { readonly kind: 'rate_limited'; readonly retryAt: string }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'no_account' };

export type AccessFailure =
  { readonly kind: 'not_found' } | { readonly kind: 'forbidden' } | { readonly kind: 'closed' };

class Rollback extends Error {
  constructor(readonly failure: CreateFailure | AccessFailure) {
    super(failure.kind);
  }
}

/** The wire shape. Someone other than the owner sees only the recipients reached so far. */
export function toWire(row: ReachoutRow, recipients: readonly RecipientRow[], viewerId: string) {
  const isOwner = row.owner_id === viewerId;
  return {
    id: row.id,
    owner: { accountId: row.owner_id, handle: row.owner_handle },
    level: row.level,
    status: row.status,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    escalation:
      row.escalate_after_minutes === null
        ? null
        : { afterMinutes: row.escalate_after_minutes, escalatedAt: row.escalated_at },
    recipients: recipients
      .filter((r) => r.reachout_id === row.id && (isOwner || r.notified_at !== null))
      .map((r) => ({
        accountId: r.member_id,
        handle: r.handle,
        wave: r.wave,
        notifiedAt: r.notified_at,
        held: r.held,
        seenAt: r.seen_at,
        response: r.response,
        etaMinutes: r.eta_minutes,
        respondedAt: r.responded_at,
      })),
  } satisfies ReachoutWire;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

function sameRequest(row: ReachoutRow, recipients: readonly RecipientRow[], input: CreateReachout) {
  const wave = (n: number) => recipients.filter((r) => r.wave === n).map((r) => r.member_id);
  return (
    row.level === input.level &&
    sameSet(wave(1), input.recipients) &&
    sameSet(wave(2), input.escalation?.recipients ?? []) &&
    row.escalate_after_minutes === (input.escalation?.afterMinutes ?? null)
  );
}

/**
 * Queues one notification per channel for each recipient reached now (respecting pause and quiet
 * hours, recorded as `held`) and returns the realtime events to append for them.
 */
export async function reachRecipients(
  trx: Tx,
  reachoutId: string,
  memberIds: readonly string[],
  now: Date,
): Promise<NewEvent[]> {
  const events: NewEvent[] = [];
  for (const memberId of memberIds) {
    const queued = await enqueueNotification(
      trx,
      {
        accountId: memberId,
        kind: 'reachout',
        dedupeKey: `reachout:${reachoutId}:${memberId}`,
        text: reachoutNotification(reachoutId),
      },
      now,
    );
    if (queued.held !== null) await setHeld(trx, reachoutId, memberId, queued.held);
    events.push({ accountId: memberId, type: 'reachout.created', data: { reachoutId } });
  }
  return events;
}

/**
 * Reaches the chosen members of the owner's circle, all or nothing. Every recipient must be a
 * current member (nobody else can ever be reached). A retry of the exact same request returns
 * the reach-out already made (`created: false`); the same id with anything else is a conflict.
 */
export async function createReachout(
  deps: ReachoutDeps,
  ownerId: string,
  input: CreateReachout,
  now: Date,
): Promise<Result<{ reachout: ReachoutWire; created: boolean }, CreateFailure>> {
  const wave2 = input.escalation?.recipients ?? [];
  const everyone = [...input.recipients, ...wave2];
  if (new Set(everyone).size !== everyone.length) return err({ kind: 'duplicate_recipient' });
  if (everyone.includes(ownerId)) return err({ kind: 'self' });

  const at = now.toISOString();
  let stored: StoredEvent[] = [];
  try {
    const result = await inTransaction(deps.db, async (trx) => {
      if (!(await lockAccount(trx, ownerId))) throw new Rollback({ kind: 'no_account' });
      const existing = await findReachout(trx, input.id);
      if (existing !== undefined) {
        const recipients = await recipientsOf(trx, [existing.id]);
        if (existing.owner_id !== ownerId || !sameRequest(existing, recipients, input)) {
          throw new Rollback({ kind: 'conflict' });
        }
        return { reachout: toWire(existing, recipients, ownerId), created: false };
      }

      const members = await membersAmong(trx, ownerId, everyone);
      if (everyone.some((id) => !members.has(id))) throw new Rollback({ kind: 'not_in_circle' });

      if ((REACHOUT_LIMIT.levels as readonly string[]).includes(input.level)) {
        const recent = await limitedSince(
          trx,
          ownerId,
          new Date(now.getTime() - HOUR_MS).toISOString(),
        );
        if (recent.length >= REACHOUT_LIMIT.perHour) {
          const oldest = recent[recent.length - REACHOUT_LIMIT.perHour] ?? at;
          const retryAt = new Date(new Date(oldest).getTime() + HOUR_MS).toISOString();
          throw new Rollback({ kind: 'rate_limited', retryAt });
        }
      }

      const after = input.escalation?.afterMinutes ?? null;
      await insertReachout(trx, {
        id: input.id,
        owner_id: ownerId,
        level: input.level,
        status: 'open',
        escalate_after_minutes: after,
        escalate_at: after === null ? null : new Date(now.getTime() + after * 60_000).toISOString(),
        escalated_at: null,
        created_at: at,
        closed_at: null,
      });
      const recipient = (memberId: string, wave: number) => ({
        reachout_id: input.id,
        member_id: memberId,
        wave,
        notified_at: wave === 1 ? at : null,
        held: null,
        seen_at: null,
        response: null,
        eta_minutes: null,
        responded_at: null,
      });
      await insertRecipients(trx, [
        ...input.recipients.map((m) => recipient(m, 1)),
        ...wave2.map((m) => recipient(m, 2)),
      ]);
      const events = await reachRecipients(trx, input.id, input.recipients, now);
      events.push({ accountId: ownerId, type: 'reachout.updated', data: { reachoutId: input.id } });
      stored = await appendEvents(trx, events, now);

      const row = await findReachout(trx, input.id);
      if (row === undefined) throw new Error('reach-out vanished inside its own transaction');
      return {
        reachout: toWire(row, await recipientsOf(trx, [input.id]), ownerId),
        created: true,
      };
    });
    if (result.created) {
      deps.realtime.announce(stored);
      deps.notifier.wake();
    }
    return ok(result);
  } catch (e) {
    if (e instanceof Rollback) return err(e.failure as CreateFailure);
    // Two first attempts with one id raced past the lookup: the loser sees the winner's row.
    if ((await findReachout(deps.db, input.id)) !== undefined) return err({ kind: 'conflict' });
    throw e;
  }
}

/** Mine and incoming, open or from the last 30 days. */
export async function listReachouts(db: Db, accountId: string, now: Date) {
  const since = new Date(now.getTime() - LIST_WINDOW_MS).toISOString();
  const mine = await listOwned(db, accountId, since);
  const incoming = await listIncoming(db, accountId, since);
  const recipients = await recipientsOf(
    db,
    [...mine, ...incoming].map((r) => r.id),
  );
  return {
    mine: mine.map((r) => toWire(r, recipients, accountId)),
    incoming: incoming.map((r) => toWire(r, recipients, accountId)),
  };
}

type Role = 'owner' | 'recipient';

/**
 * The reach-out as `viewerId` may see it: its owner, or a recipient who has been reached and is
 * still in the owner's circle. To anyone else it does not exist (the same answer as an unknown id).
 */
async function visible(
  q: Db | Tx,
  id: string,
  viewerId: string,
): Promise<{ row: ReachoutRow; recipients: RecipientRow[]; role: Role } | undefined> {
  const row = await findReachout(q, id);
  if (row === undefined) return undefined;
  const recipients = await recipientsOf(q, [id]);
  if (row.owner_id === viewerId) return { row, recipients, role: 'owner' };
  const me = recipients.find((r) => r.member_id === viewerId);
  if (me === undefined || me.notified_at === null) return undefined;
  // Someone who left the circle, or blocked or was blocked, no longer sees it.
  if (!(await membersAmong(q, row.owner_id, [viewerId])).has(viewerId)) return undefined;
  return { row, recipients, role: 'recipient' };
}

export async function getReachout(
  db: Db,
  id: string,
  viewerId: string,
): Promise<Result<ReachoutWire, AccessFailure>> {
  const v = await visible(db, id, viewerId);
  if (v === undefined) return err({ kind: 'not_found' });
  return ok(toWire(v.row, v.recipients, viewerId));
}

/** Everyone who should hear that the reach-out changed: the owner and every recipient reached. */
const updatedFor = (row: ReachoutRow, recipients: readonly RecipientRow[]): NewEvent[] => [
  { accountId: row.owner_id, type: 'reachout.updated', data: { reachoutId: row.id } },
  ...recipients
    .filter((r) => r.reachout_id === row.id && r.notified_at !== null)
    .map((r) => ({
      accountId: r.member_id,
      type: 'reachout.updated' as const,
      data: { reachoutId: row.id },
    })),
];

/**
 * Runs one change to a reach-out the viewer can see, in one transaction, then tells everyone
 * concerned. `change` returns whether anything changed (no event otherwise).
 */
async function changeReachout(
  deps: ReachoutDeps,
  id: string,
  viewerId: string,
  now: Date,
  change: (trx: Tx, v: { row: ReachoutRow; role: Role }) => Promise<boolean>,
): Promise<Result<ReachoutWire, AccessFailure>> {
  let stored: StoredEvent[] = [];
  try {
    const wire = await inTransaction(deps.db, async (trx) => {
      const v = await visible(trx, id, viewerId);
      if (v === undefined) throw new Rollback({ kind: 'not_found' });
      if (await change(trx, v)) {
        const after = await findReachout(trx, id);
        const recipients = await recipientsOf(trx, [id]);
        if (after === undefined) throw new Error('reach-out vanished inside its own transaction');
        // Tell the owner and the recipients reached who are still in the circle.
        const events = updatedFor(after, recipients);
        const members = await membersAmong(
          trx,
          after.owner_id,
          events.map((e) => e.accountId),
        );
        stored = await appendEvents(
          trx,
          events.filter((e) => e.accountId === after.owner_id || members.has(e.accountId)),
          now,
        );
        return toWire(after, recipients, viewerId);
      }
      return toWire(v.row, v.recipients, viewerId);
    });
    deps.realtime.announce(stored);
    return ok(wire);
  } catch (e) {
    if (e instanceof Rollback) return err(e.failure as AccessFailure);
    throw e;
  }
}

/** A reached recipient opened it: `seen_at` is set the first time only. */
export function seeReachout(deps: ReachoutDeps, id: string, viewerId: string, now: Date) {
  return changeReachout(deps, id, viewerId, now, async (trx, v) => {
    if (v.role !== 'recipient') throw new Rollback({ kind: 'forbidden' });
    return markSeen(trx, id, viewerId, now.toISOString());
  });
}

/** A reached recipient's one-tap answer; they may change it while the reach-out is open. */
export function respondReachout(
  deps: ReachoutDeps,
  id: string,
  viewerId: string,
  input: RespondReachout,
  now: Date,
) {
  return changeReachout(deps, id, viewerId, now, async (trx, v) => {
    if (v.role !== 'recipient') throw new Rollback({ kind: 'forbidden' });
    if (v.row.status !== 'open') throw new Rollback({ kind: 'closed' });
    const eta = input.response === 'on-my-way' ? (input.etaMinutes ?? null) : null;
    await setResponse(trx, id, viewerId, input.response, eta, now.toISOString());
    return true;
  });
}

/** The owner cancels it or marks it resolved; any escalation still to come is cancelled too. */
export function closeReachout(
  deps: ReachoutDeps,
  id: string,
  viewerId: string,
  input: CloseReachout,
  now: Date,
) {
  return changeReachout(deps, id, viewerId, now, async (trx, v) => {
    if (v.role !== 'owner') throw new Rollback({ kind: 'forbidden' });
    if (!(await closeOpen(trx, id, input.status, now.toISOString())))
      throw new Rollback({ kind: 'closed' });
    return true;
  });
}
