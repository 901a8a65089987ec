import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { normaliseHandle } from '../../core/src/accounts/handle.js';
import type {
  answerInvitationSchema,
  createInvitationSchema,
  InvitationWire,
  MembershipWire,
  PersonWire,
} from '../../core/src/circles/api.js';
import { publicKeyBundleSchema } from '../../core/src/crypto/schemas.js';
import { err, ok, type Result } from '../../core/src/result.js';
import type { Db, Tx } from '../db/database.js';
import { enqueueNotification } from '../notify/outbox.js';
import { inQuietHours } from '../notify/quiet-hours.js';
import type { NewEvent } from '../realtime/log.js';
import { commit, fail, type CircleDeps } from './commit.js';
import {
  blockedEitherWay,
  cancelInvitationsBetween,
  closeInvitation,
  countInvitationsSince,
  deleteBlock,
  deleteMember,
  deleteSharesFromTo,
  findAccount,
  findAccountByHandle,
  findBlock,
  findInvitation,
  findInvitationByTokenHash,
  hasBlocked,
  insertBlock,
  insertInvitation,
  insertMember,
  invitationExists,
  isMember,
  listBlocks,
  listInvitations,
  listMemberships,
  lockAccount,
  type AccountRow,
  type InvitationRow,
  type MembershipRow,
} from './repository.js';

export type { CircleDeps };

export type CreateInvitation = z.infer<typeof createInvitationSchema>;
export type AnswerInvitation = z.infer<typeof answerInvitationSchema>;

const DAY_MS = 24 * 3_600_000;
/** At most this many invitations per account in any rolling 24 hours (docs/CIRCLES.md). */
export const INVITATION_LIMIT = { perDay: 30 } as const;
const DEFAULT_EXPIRY_HOURS = 14 * 24;
/** Lists show pending invitations and those answered or expired in the last 30 days. */
const LIST_WINDOW_MS = 30 * DAY_MS;

/** The only words an invitation notification carries. */
export const invitationNotification = {
  title: 'Tend',
  body: 'You have a new invitation in Tend',
  path: '/circle/invitations',
} as const;

/** base64url SHA-256 of a link token: the server keeps only this. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function toPerson(row: {
  id: string;
  handle: string;
  public_key_bundle: string;
}): PersonWire {
  return {
    accountId: row.id,
    handle: row.handle,
    publicKeyBundle: publicKeyBundleSchema.parse(JSON.parse(row.public_key_bundle)),
  };
}

function toMembership(row: MembershipRow, now: Date): MembershipWire {
  const paused = row.paused_until !== null && row.paused_until > now.toISOString();
  return {
    owner: toPerson({
      id: row.owner_id,
      handle: row.owner_handle,
      public_key_bundle: row.owner_bundle,
    }),
    member: toPerson({
      id: row.member_id,
      handle: row.member_handle,
      public_key_bundle: row.member_bundle,
    }),
    since: row.created_at,
    pausedUntil: paused ? row.paused_until : null,
    quietHours:
      row.quiet_start !== null && row.quiet_end !== null && row.time_zone !== null
        ? {
            start: row.quiet_start,
            end: row.quiet_end,
            timeZone: row.time_zone,
            now: inQuietHours(now, row.quiet_start, row.quiet_end, row.time_zone),
          }
        : null,
  };
}

/** A pending invitation past its expiry reads as `expired`. */
function effectiveStatus(row: InvitationRow, now: Date): InvitationWire['status'] {
  return row.status === 'pending' && row.expires_at <= now.toISOString() ? 'expired' : row.status;
}

export function toInvitation(row: InvitationRow, now: Date): InvitationWire {
  return {
    id: row.id,
    owner: { accountId: row.owner_id, handle: row.owner_handle },
    invitee:
      row.invitee_id === null || row.invitee_handle === null
        ? null
        : { accountId: row.invitee_id, handle: row.invitee_handle },
    kind: row.kind,
    status: effectiveStatus(row, now),
    ask: row.ask,
    reply: row.reply,
    shareKey: row.share_key,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    answeredAt: row.answered_at,
  };
}

// ─── People ─────────────────────────────────────────────────────────────────────────────────────

/** Someone by handle, unless unknown or they blocked the asker (the same answer either way). */
export async function lookUpPerson(
  db: Db,
  askerId: string,
  handle: string,
): Promise<PersonWire | undefined> {
  const row = await findAccountByHandle(db, normaliseHandle(handle));
  if (row === undefined) return undefined;
  if (await hasBlocked(db, row.id, askerId)) return undefined;
  return toPerson(row);
}

// ─── My circles ─────────────────────────────────────────────────────────────────────────────────

export async function listCircles(db: Db, accountId: string, now: Date) {
  const since = new Date(now.getTime() - LIST_WINDOW_MS).toISOString();
  const [mine, supporting, sent, received] = await Promise.all([
    listMemberships(db, accountId, 'owner'),
    listMemberships(db, accountId, 'member'),
    listInvitations(db, accountId, 'owner', since),
    listInvitations(db, accountId, 'invitee', since),
  ]);
  return {
    mine: mine.map((r) => toMembership(r, now)),
    supporting: supporting.map((r) => toMembership(r, now)),
    invitationsSent: sent.map((r) => toInvitation(r, now)),
    invitationsReceived: received.map((r) => toInvitation(r, now)),
  };
}

// ─── Invitations ────────────────────────────────────────────────────────────────────────────────

export type InviteFailure =
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'no_person' }
  | { readonly kind: 'self' }
  | { readonly kind: 'already_member' }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'rate_limited'; readonly retryAt: string }
  | { readonly kind: 'no_account' };

export async function createInvitation(
  deps: CircleDeps,
  ownerId: string,
  input: CreateInvitation,
  now: Date,
): Promise<Result<InvitationWire, InviteFailure>> {
  const byHandle = input.inviteeId !== undefined;
  if (byHandle === (input.linkTokenHash !== undefined)) {
    return err({ kind: 'invalid', message: 'Give either inviteeId or linkTokenHash, not both.' });
  }
  if (byHandle && input.shareKey === undefined) {
    return err({ kind: 'invalid', message: 'An invitation by handle carries a shareKey.' });
  }
  if (!byHandle && input.shareKey !== undefined) {
    return err({ kind: 'invalid', message: 'A link invitation keeps its key in the link only.' });
  }
  if (input.inviteeId === ownerId) return err({ kind: 'self' });
  const at = now.toISOString();
  return commit<InvitationWire, InviteFailure>(deps, now, async (trx) => {
    if (!(await lockAccount(trx, ownerId))) fail({ kind: 'no_account' });
    const daySince = new Date(now.getTime() - DAY_MS).toISOString();
    if ((await countInvitationsSince(trx, ownerId, daySince)) >= INVITATION_LIMIT.perDay) {
      fail({ kind: 'rate_limited', retryAt: new Date(now.getTime() + 3_600_000).toISOString() });
    }
    if (await invitationExists(trx, input.id, input.linkTokenHash ?? null)) {
      fail({ kind: 'conflict' });
    }
    let invitee: AccountRow | undefined;
    if (input.inviteeId !== undefined) {
      invitee = await findAccount(trx, input.inviteeId);
      // Unknown and blocked (either way) read the same: nobody learns who blocked whom.
      if (invitee === undefined || (await blockedEitherWay(trx, ownerId, invitee.id))) {
        fail({ kind: 'no_person' });
      }
      if (await isMember(trx, ownerId, input.inviteeId)) fail({ kind: 'already_member' });
    }
    const hours = input.expiresInHours ?? DEFAULT_EXPIRY_HOURS;
    await insertInvitation(trx, {
      id: input.id,
      owner_id: ownerId,
      invitee_id: input.inviteeId ?? null,
      kind: byHandle ? 'handle' : 'link',
      link_token_hash: input.linkTokenHash ?? null,
      share_key: input.shareKey ?? null,
      ask: input.ask,
      reply: null,
      status: 'pending',
      created_at: at,
      expires_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      answered_at: null,
    });
    const events: NewEvent[] = [
      { accountId: ownerId, type: 'invitation.changed', data: { invitationId: input.id } },
    ];
    let notified = false;
    if (invitee !== undefined) {
      events.push({
        accountId: invitee.id,
        type: 'invitation.changed',
        data: { invitationId: input.id },
      });
      const queued = await enqueueNotification(
        trx,
        {
          accountId: invitee.id,
          kind: 'invitation',
          dedupeKey: `invitation:${input.id}`,
          text: invitationNotification,
        },
        now,
      );
      notified = queued.channels.length > 0;
    }
    const row = await findInvitation(trx, input.id);
    return { value: toInvitation(row!, now), events, notified };
  });
}

export type AnswerFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'self' }
  | { readonly kind: 'already_member' };

function membershipEvents(ownerId: string, memberId: string): NewEvent[] {
  const data = { ownerId, memberId };
  return [
    { accountId: ownerId, type: 'circle.changed', data },
    { accountId: memberId, type: 'circle.changed', data },
  ];
}

async function answer(
  trx: Tx,
  row: InvitationRow,
  inviteeId: string,
  input: AnswerInvitation,
  now: Date,
  closed: AnswerFailure,
): Promise<{ value: InvitationWire; events: NewEvent[] }> {
  if (row.status !== 'pending' || row.expires_at <= now.toISOString()) fail(closed);
  if (await blockedEitherWay(trx, row.owner_id, inviteeId)) fail({ kind: 'not_found' });
  if (input.accept && (await isMember(trx, row.owner_id, inviteeId))) {
    fail({ kind: 'already_member' });
  }
  const at = now.toISOString();
  const changed = await closeInvitation(trx, row.id, {
    status: input.accept ? 'accepted' : 'declined',
    answered_at: at,
    reply: input.reply ?? null,
    invitee_id: inviteeId,
  });
  if (!changed) fail(closed);
  const events: NewEvent[] = [
    { accountId: row.owner_id, type: 'invitation.changed', data: { invitationId: row.id } },
    { accountId: inviteeId, type: 'invitation.changed', data: { invitationId: row.id } },
  ];
  if (input.accept) {
    await insertMember(trx, row.owner_id, inviteeId, at);
    events.push(...membershipEvents(row.owner_id, inviteeId));
  }
  const updated = await findInvitation(trx, row.id);
  return { value: toInvitation(updated!, now), events };
}

/** The invitee (by handle) accepts or declines. Anyone else: not found. */
export async function answerInvitation(
  deps: CircleDeps,
  id: string,
  inviteeId: string,
  input: AnswerInvitation,
  now: Date,
): Promise<Result<InvitationWire, AnswerFailure>> {
  return commit<InvitationWire, AnswerFailure>(deps, now, async (trx) => {
    await lockAccount(trx, inviteeId);
    const row = await findInvitation(trx, id);
    if (row === undefined || row.kind !== 'handle' || row.invitee_id !== inviteeId) {
      return fail({ kind: 'not_found' });
    }
    return answer(trx, row, inviteeId, input, now, { kind: 'closed' });
  });
}

/** What someone holding a link sees before answering (no sign-in needed). */
export async function readLinkInvitation(
  db: Db,
  token: string,
  now: Date,
): Promise<
  Result<
    {
      id: string;
      owner: PersonWire;
      ask: string;
      status: InvitationWire['status'];
      expiresAt: string;
    },
    { kind: 'not_found' } | { kind: 'gone' }
  >
> {
  const row = await findInvitationByTokenHash(db, hashToken(token));
  if (row === undefined) return err({ kind: 'not_found' });
  if (effectiveStatus(row, now) !== 'pending') return err({ kind: 'gone' });
  const owner = await findAccount(db, row.owner_id);
  if (owner === undefined) return err({ kind: 'not_found' });
  return ok({
    id: row.id,
    owner: toPerson(owner),
    ask: row.ask,
    status: 'pending',
    expiresAt: row.expires_at,
  });
}

/** A signed-in person answers through a link; the link binds them as the invitee. */
export async function answerLinkInvitation(
  deps: CircleDeps,
  token: string,
  inviteeId: string,
  input: AnswerInvitation,
  now: Date,
): Promise<Result<InvitationWire, AnswerFailure>> {
  return commit<InvitationWire, AnswerFailure>(deps, now, async (trx) => {
    await lockAccount(trx, inviteeId);
    const row = await findInvitationByTokenHash(trx, hashToken(token));
    if (row === undefined) return fail({ kind: 'not_found' });
    if (row.owner_id === inviteeId) return fail({ kind: 'self' });
    return answer(trx, row, inviteeId, input, now, { kind: 'gone' });
  });
}

/** The owner withdraws a pending invitation. Anyone else: not found. */
export async function cancelInvitation(
  deps: CircleDeps,
  id: string,
  ownerId: string,
  now: Date,
): Promise<Result<InvitationWire, { kind: 'not_found' } | { kind: 'closed' }>> {
  return commit<InvitationWire, { kind: 'not_found' } | { kind: 'closed' }>(
    deps,
    now,
    async (trx) => {
      const row = await findInvitation(trx, id);
      if (row === undefined || row.owner_id !== ownerId) return fail({ kind: 'not_found' });
      if (effectiveStatus(row, now) !== 'pending') return fail({ kind: 'closed' });
      const changed = await closeInvitation(trx, id, {
        status: 'cancelled',
        answered_at: now.toISOString(),
      });
      if (!changed) fail({ kind: 'closed' });
      const events: NewEvent[] = [
        { accountId: ownerId, type: 'invitation.changed', data: { invitationId: id } },
      ];
      if (row.invitee_id !== null) {
        events.push({
          accountId: row.invitee_id,
          type: 'invitation.changed',
          data: { invitationId: id },
        });
      }
      const updated = await findInvitation(trx, id);
      return { value: toInvitation(updated!, now), events };
    },
  );
}

// ─── Ending memberships ─────────────────────────────────────────────────────────────────────────

/**
 * Ends `memberId`'s membership of `ownerId`'s circle and drops every share the owner gave them,
 * returning the events to append (none when there was no membership).
 */
async function endMembership(
  trx: Tx,
  ownerId: string,
  memberId: string,
): Promise<NewEvent[] | undefined> {
  const existed = await deleteMember(trx, ownerId, memberId);
  const collections = await deleteSharesFromTo(trx, ownerId, memberId);
  if (!existed && collections.length === 0) return undefined;
  const events = existed ? membershipEvents(ownerId, memberId) : [];
  for (const collection of collections) {
    events.push({ accountId: memberId, type: 'share.changed', data: { ownerId, collection } });
  }
  return events;
}

/** The owner removes a member, or a member leaves (`by` says who asks). */
export async function removeMembership(
  deps: CircleDeps,
  ownerId: string,
  memberId: string,
  now: Date,
): Promise<Result<true, { kind: 'not_found' }>> {
  return commit<true, { kind: 'not_found' }>(deps, now, async (trx) => {
    const events = await endMembership(trx, ownerId, memberId);
    if (events === undefined) return fail({ kind: 'not_found' });
    return { value: true, events };
  });
}

// ─── Blocks ─────────────────────────────────────────────────────────────────────────────────────

export async function blocksOf(db: Db, accountId: string) {
  const rows = await listBlocks(db, accountId);
  return {
    blocked: rows.map((r) => ({
      accountId: r.blocked_id,
      handle: r.handle,
      createdAt: r.created_at,
    })),
  };
}

/**
 * Blocks an account: ends memberships both ways, drops the shares of both, and cancels pending
 * invitations between them, in one transaction.
 */
export async function block(
  deps: CircleDeps,
  blockerId: string,
  blockedId: string,
  now: Date,
): Promise<
  Result<
    { accountId: string; handle: string; createdAt: string },
    { kind: 'not_found' } | { kind: 'self' }
  >
> {
  if (blockerId === blockedId) return err({ kind: 'self' });
  const at = now.toISOString();
  return commit(deps, now, async (trx) => {
    await lockAccount(trx, blockerId);
    const target = await findAccount(trx, blockedId);
    if (target === undefined) return fail({ kind: 'not_found' });
    await insertBlock(trx, blockerId, blockedId, at);
    const events: NewEvent[] = [
      ...((await endMembership(trx, blockerId, blockedId)) ?? []),
      ...((await endMembership(trx, blockedId, blockerId)) ?? []),
    ];
    for (const inv of await cancelInvitationsBetween(trx, blockerId, blockedId, at)) {
      for (const who of [inv.owner_id, inv.invitee_id]) {
        if (who !== null) {
          events.push({
            accountId: who,
            type: 'invitation.changed',
            data: { invitationId: inv.id },
          });
        }
      }
    }
    const row = await findBlock(trx, blockerId, blockedId);
    return {
      value: { accountId: blockedId, handle: row!.handle, createdAt: row!.created_at },
      events,
    };
  });
}

export async function unblock(
  deps: CircleDeps,
  blockerId: string,
  blockedId: string,
  now: Date,
): Promise<Result<true, { kind: 'not_found' }>> {
  return commit<true, { kind: 'not_found' }>(deps, now, async (trx) => {
    if (!(await deleteBlock(trx, blockerId, blockedId))) return fail({ kind: 'not_found' });
    return { value: true, events: [] };
  });
}
