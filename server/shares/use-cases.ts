import type { z } from 'zod';
import type {
  createLinkShareSchema,
  putShareSchema,
  ShareWire,
  updateLinkShareSchema,
} from '../../core/src/circles/api.js';
import { err, ok, type Result } from '../../core/src/result.js';
import { blockedEitherWay, isMember } from '../circles/repository.js';
import { commit, fail, type CircleDeps } from '../circles/commit.js';
import { hashToken } from '../circles/use-cases.js';
import type { Db } from '../db/database.js';
import type { NewEvent } from '../realtime/log.js';
import {
  canRead,
  collectionItemsSince,
  currentKeyId,
  deleteLink,
  deleteShares,
  findLink,
  findLinkByTokenHash,
  findShare,
  findShareByTuple,
  insertLink,
  insertShare,
  linkExists,
  listLinks,
  listShares,
  updateLink,
  updateShareKey,
  type LinkRow,
  type ShareRow,
} from './repository.js';

export type PutShare = z.infer<typeof putShareSchema>;
export type CreateLinkShare = z.infer<typeof createLinkShareSchema>;
export type UpdateLinkShare = z.infer<typeof updateLinkShareSchema>;

/** Most changes in one page of a shared collection. */
export const SHARED_PAGE = 500;

const toShare = (r: ShareRow): ShareWire => ({
  shareId: r.id,
  ownerId: r.owner_id,
  ownerHandle: r.owner_handle,
  memberId: r.member_id,
  memberHandle: r.member_handle,
  collection: r.collection,
  keyId: r.key_id,
  shareKey: r.share_key,
  createdAt: r.created_at,
});

const shareChanged = (ownerId: string, memberId: string, collection: string): NewEvent => ({
  accountId: memberId,
  type: 'share.changed',
  data: { ownerId, collection },
});

export async function listAllShares(db: Db, accountId: string) {
  const [outgoing, incoming] = await Promise.all([
    listShares(db, accountId, 'owner'),
    listShares(db, accountId, 'member'),
  ]);
  return { outgoing: outgoing.map(toShare), incoming: incoming.map(toShare) };
}

export type PutShareFailure =
  | { readonly kind: 'not_in_circle' }
  | { readonly kind: 'no_collection' }
  | { readonly kind: 'stale_key'; readonly current: number }
  | { readonly kind: 'conflict' };

/**
 * The owner gives a member of their circle a collection key (a share key they wrapped). Writes
 * nothing unless the member is in the circle, the collection exists with `keyId` as its current
 * key, and the share id is new or names the same (owner, collection, member, key id).
 */
export async function putShare(
  deps: CircleDeps,
  ownerId: string,
  shareId: string,
  input: PutShare,
  now: Date,
): Promise<Result<{ share: ShareWire; created: boolean }, PutShareFailure>> {
  return commit(deps, now, async (trx) => {
    if (
      input.memberId === ownerId ||
      !(await isMember(trx, ownerId, input.memberId)) ||
      (await blockedEitherWay(trx, ownerId, input.memberId))
    ) {
      return fail({ kind: 'not_in_circle' });
    }
    const current = await currentKeyId(trx, ownerId, input.collection);
    if (current === undefined) return fail({ kind: 'no_collection' });
    if (current !== input.keyId) return fail({ kind: 'stale_key', current });
    const tuple = {
      owner_id: ownerId,
      collection: input.collection,
      member_id: input.memberId,
      key_id: input.keyId,
    };
    const existing = await findShare(trx, shareId);
    const sameTuple = await findShareByTuple(trx, tuple);
    let created = false;
    if (existing !== undefined) {
      if (
        existing.owner_id !== ownerId ||
        existing.collection !== input.collection ||
        existing.member_id !== input.memberId ||
        existing.key_id !== input.keyId
      ) {
        return fail({ kind: 'conflict' });
      }
      await updateShareKey(trx, shareId, input.shareKey);
    } else {
      if (sameTuple !== undefined) return fail({ kind: 'conflict' });
      await insertShare(trx, {
        id: shareId,
        ...tuple,
        share_key: input.shareKey,
        created_at: now.toISOString(),
      });
      created = true;
    }
    const row = await findShare(trx, shareId);
    return {
      value: { share: toShare(row!), created },
      events: [shareChanged(ownerId, input.memberId, input.collection)],
    };
  });
}

/** The owner stops sharing a collection with a member: every key id's row goes. */
export async function unshare(
  deps: CircleDeps,
  ownerId: string,
  collection: string,
  memberId: string,
  now: Date,
): Promise<Result<true, { kind: 'not_found' }>> {
  return commit(deps, now, async (trx) => {
    if ((await deleteShares(trx, ownerId, collection, memberId)) === 0) {
      return fail({ kind: 'not_found' });
    }
    return { value: true as const, events: [shareChanged(ownerId, memberId, collection)] };
  });
}

/**
 * A page of the owner's shared collection, for a member holding a share of it who is still in
 * the owner's circle. Anyone else: not found (the same answer as an unknown collection).
 */
export async function sharedItems(
  db: Db,
  ownerId: string,
  collection: string,
  memberId: string,
  since: number,
) {
  if (!(await canRead(db, ownerId, collection, memberId))) return undefined;
  const rows = await collectionItemsSince(db, ownerId, collection, since, SHARED_PAGE + 1);
  const page = rows.slice(0, SHARED_PAGE);
  return {
    items: page.map((r) => ({
      itemId: r.item_id,
      revision: r.revision,
      seq: r.seq,
      envelope: r.envelope,
      updatedAt: r.updated_at,
    })),
    cursor: page.at(-1)?.seq ?? since,
    more: rows.length > SHARED_PAGE,
    currentKeyId: (await currentKeyId(db, ownerId, collection)) ?? 0,
  };
}

// ─── Link shares ────────────────────────────────────────────────────────────────────────────────

const toLink = (r: LinkRow) => ({
  id: r.id,
  ownerId: r.owner_id,
  ownerHandle: r.owner_handle,
  envelope: r.envelope,
  revision: r.revision,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});
export type LinkWire = ReturnType<typeof toLink>;

export async function createLink(
  deps: CircleDeps,
  ownerId: string,
  input: CreateLinkShare,
  now: Date,
): Promise<Result<LinkWire, { kind: 'conflict' }>> {
  return commit(deps, now, async (trx) => {
    if (await linkExists(trx, input.id, input.tokenHash)) return fail({ kind: 'conflict' });
    await insertLink(trx, {
      id: input.id,
      owner_id: ownerId,
      token_hash: input.tokenHash,
      envelope: input.envelope,
      revision: 1,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + input.expiresInHours * 3_600_000).toISOString(),
    });
    return { value: toLink((await findLink(trx, input.id))!), events: [] };
  });
}

/** A new snapshot for the owner's link: `revision` must be the current one + 1. */
export async function replaceLink(
  deps: CircleDeps,
  ownerId: string,
  id: string,
  input: UpdateLinkShare,
  now: Date,
): Promise<Result<LinkWire, { kind: 'not_found' } | { kind: 'conflict'; current: number }>> {
  return commit(deps, now, async (trx) => {
    const row = await findLink(trx, id);
    if (row === undefined || row.owner_id !== ownerId) return fail({ kind: 'not_found' });
    if (!(await updateLink(trx, id, ownerId, input.envelope, input.revision))) {
      return fail({ kind: 'conflict', current: row.revision });
    }
    return { value: toLink((await findLink(trx, id))!), events: [] };
  });
}

export async function removeLink(
  deps: CircleDeps,
  ownerId: string,
  id: string,
  now: Date,
): Promise<Result<true, { kind: 'not_found' }>> {
  return commit(deps, now, async (trx) => {
    if (!(await deleteLink(trx, id, ownerId))) return fail({ kind: 'not_found' });
    return { value: true as const, events: [] };
  });
}

export async function linksOf(db: Db, ownerId: string) {
  return { links: (await listLinks(db, ownerId)).map(toLink) };
}

/** What anyone holding the link reads: the sealed snapshot, until it expires. */
export async function openLink(
  db: Db,
  token: string,
  now: Date,
): Promise<Result<LinkWire, { kind: 'not_found' } | { kind: 'gone' }>> {
  const row = await findLinkByTokenHash(db, hashToken(token));
  if (row === undefined) return err({ kind: 'not_found' });
  if (row.expires_at <= now.toISOString()) return err({ kind: 'gone' });
  return ok(toLink(row));
}
