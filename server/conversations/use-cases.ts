import type { z } from 'zod';
import type {
  ConversationWire,
  conversationDetailSchema,
  markReadSchema,
  MessageWire,
  messagesQuerySchema,
  postMessageSchema,
  resetKeySchema,
  StartConversation,
} from '../../core/src/conversations/api.js';
import {
  conversationShareId,
  readMessageRecordHeader,
} from '../../core/src/conversations/message.js';
import { verifyPublicKeyBundle, type PublicKeyBundle } from '../../core/src/crypto/identity.js';
import { verifyShareKey } from '../../core/src/crypto/share.js';
import { fromBase64url } from '../../core/src/encoding/base64url.js';
import { err, ok, type Result } from '../../core/src/result.js';
import { inTransaction, type Db, type Tx } from '../db/database.js';
import { enqueueNotification, type Notifier } from '../notify/outbox.js';
import type { RealtimeHub } from '../realtime/hub.js';
import { appendEvents, type NewEvent, type StoredEvent } from '../realtime/log.js';
import {
  blockedEitherWay,
  close,
  conversationsOf,
  findAccount,
  findConversation,
  findMessage,
  insertConversation,
  insertMessage,
  keysOf,
  leave,
  lockAccounts,
  memberIds,
  membersOf,
  messagesAfter,
  messagesBefore,
  nextSeq,
  sentSince,
  setKey,
  setReadSeq,
  startedSince,
  unreadCounts,
  type ConversationRow,
  type MemberRow,
  type MessageRow,
} from './repository.js';

/** What the conversation use cases need from the app (a subset of ServiceDeps). */
export interface ConversationDeps {
  readonly db: Db;
  readonly realtime: RealtimeHub;
  readonly notifier: Notifier;
}

/**
 * Limits per account (docs/SECURITY.md): messages per rolling minute and hour, across all
 * conversations; new conversations per rolling hour.
 */
export const CONVERSATION_LIMIT = {
  messagesPerMinute: 30,
  messagesPerHour: 600,
  startsPerHour: 20,
};
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** A page of messages stops once it holds this many bytes of records (always at least one). */
const PAGE_BYTES = 1_048_576;

/** The only words a message notification ever carries: no name, no content. */
export const messageNotification = (conversationId: string) => ({
  title: 'Tend',
  body: 'You have a new message — open Tend',
  path: `/messages/${conversationId}`,
});

export type ConversationContext =
  | { readonly context: 'direct'; readonly contextId: null }
  | { readonly context: 'listen' | 'aid'; readonly contextId: string };

export type StartFailure =
  | { readonly kind: 'self' }
  | { readonly kind: 'bad_share_key'; readonly field: 'myShareKey' | 'theirShareKey' }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'rate_limited'; readonly retryAt: string }
  | { readonly kind: 'no_account' };

export type AccessFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'stale_key'; readonly keyId: number }
  | { readonly kind: 'bad_record' }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'rate_limited'; readonly retryAt: string }
  | { readonly kind: 'bad_share_key'; readonly field: 'myShareKey' | 'theirShareKey' };

class Rollback extends Error {
  constructor(readonly failure: StartFailure | AccessFailure) {
    super(failure.kind);
  }
}

function toWire(
  row: ConversationRow,
  members: readonly MemberRow[],
  viewerId: string,
  unread: number,
): ConversationWire {
  const mine = members.find((m) => m.conversation_id === row.id && m.account_id === viewerId);
  const other = members.find((m) => m.conversation_id === row.id && m.account_id !== viewerId);
  if (mine === undefined) throw new Error('only a member sees a conversation');
  return {
    id: row.id,
    kind: row.kind,
    context: row.context,
    contextId: row.context_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    other:
      other === undefined
        ? null
        : { accountId: other.account_id, handle: other.handle, leftAt: other.left_at },
    keyId: row.key_id,
    shareKey: mine.share_key,
    keyBy: row.key_by,
    lastSeq: row.last_seq,
    lastMessageAt: row.last_message_at,
    unread,
    readSeq: mine.last_read_seq,
  };
}

const messageWire = (m: MessageRow): MessageWire => ({
  seq: m.seq,
  id: m.id,
  senderId: m.sender_id,
  keyId: m.key_id,
  record: m.record,
  createdAt: m.created_at,
});

const retryAfter = (
  times: readonly string[],
  max: number,
  windowMs: number,
): string | undefined => {
  if (times.length < max) return undefined;
  const oldest = times[times.length - max] ?? new Date().toISOString();
  return new Date(new Date(oldest).getTime() + windowMs).toISOString();
};

/**
 * A sanity check the server can make without any secret (PROTOCOL §13.1): each share key is a
 * share key v1 for this conversation and key id, signed by its maker's published identity key,
 * for the recipient's published X25519 key. It stops a client bug from storing a key the other
 * person could never open; the recipient still checks it against their own pin.
 */
async function checkShareKeys(
  q: Db | Tx,
  conversationId: string,
  makerId: string,
  otherId: string,
  keyId: number,
  keys: { readonly myShareKey: string; readonly theirShareKey: string },
): Promise<'myShareKey' | 'theirShareKey' | undefined> {
  const bundleOf = async (accountId: string) => {
    const account = await findAccount(q, accountId);
    if (account === undefined) return undefined;
    const bundle = verifyPublicKeyBundle(
      JSON.parse(account.public_key_bundle) as PublicKeyBundle,
      accountId,
    );
    return bundle.ok ? bundle.value : undefined;
  };
  const maker = await bundleOf(makerId);
  const other = await bundleOf(otherId);
  const check = (wrapped: string, recipientId: string, recipientX: Uint8Array | undefined) => {
    const bytes = fromBase64url(wrapped);
    if (bytes === undefined || maker === undefined || recipientX === undefined) return false;
    const r = verifyShareKey({
      shareId: conversationShareId(conversationId),
      senderId: makerId,
      recipientId,
      wrapped: bytes,
      senderEd25519PublicKey: maker.ed25519PublicKey,
      recipientX25519PublicKey: recipientX,
    });
    return r.ok && r.value.keyId === keyId;
  };
  if (!check(keys.myShareKey, makerId, maker?.x25519PublicKey)) return 'myShareKey';
  if (!check(keys.theirShareKey, otherId, other?.x25519PublicKey)) return 'theirShareKey';
  return undefined;
}

const updatedFor = (conversationId: string, accountIds: readonly string[]): NewEvent[] =>
  accountIds.map((accountId) => ({
    accountId,
    type: 'conversation.updated' as const,
    data: { conversationId },
  }));

/**
 * Starts a direct conversation between `initiatorId` and `input.with`, with the key the initiator
 * made (key id 1) wrapped for both. Refused (as if the person did not exist) when either has
 * blocked the other. Future callers (someone to talk to, mutual aid) pass their context.
 */
export async function startConversation(
  deps: ConversationDeps,
  initiatorId: string,
  input: StartConversation,
  context: ConversationContext,
  now: Date,
): Promise<Result<{ conversation: ConversationWire; created: boolean }, StartFailure>> {
  if (input.with === initiatorId) return err({ kind: 'self' });
  const at = now.toISOString();
  let stored: StoredEvent[] = [];
  try {
    const result = await inTransaction(deps.db, async (trx) => {
      const locked = await lockAccounts(trx, [initiatorId, input.with]);
      if (!locked.has(initiatorId)) throw new Rollback({ kind: 'no_account' });
      const existing = await findConversation(trx, input.id);
      if (existing !== undefined) {
        const members = await membersOf(trx, [existing.id]);
        const same =
          existing.created_by === initiatorId &&
          members.some((m) => m.account_id === input.with && m.share_key === input.theirShareKey) &&
          members.some((m) => m.account_id === initiatorId && m.share_key === input.myShareKey);
        if (!same || members.find((m) => m.account_id === initiatorId)?.left_at !== null) {
          throw new Rollback({ kind: 'conflict' });
        }
        return { conversation: toWire(existing, members, initiatorId, 0), created: false };
      }
      if ((await findAccount(trx, input.with)) === undefined) {
        throw new Rollback({ kind: 'not_found' });
      }
      if (await blockedEitherWay(trx, initiatorId, input.with)) {
        throw new Rollback({ kind: 'not_found' });
      }
      const badKey = await checkShareKeys(trx, input.id, initiatorId, input.with, 1, input);
      if (badKey !== undefined) throw new Rollback({ kind: 'bad_share_key', field: badKey });
      const started = await startedSince(
        trx,
        initiatorId,
        new Date(now.getTime() - HOUR_MS).toISOString(),
      );
      const retryAt = retryAfter(started, CONVERSATION_LIMIT.startsPerHour, HOUR_MS);
      if (retryAt !== undefined) throw new Rollback({ kind: 'rate_limited', retryAt });

      await insertConversation(
        trx,
        {
          id: input.id,
          kind: 'direct',
          context: context.context,
          context_id: context.contextId,
          created_by: initiatorId,
          created_at: at,
          closed_at: null,
          key_id: input.keyId,
          key_by: initiatorId,
          last_message_at: null,
        },
        [
          {
            conversation_id: input.id,
            account_id: initiatorId,
            share_key: input.myShareKey,
            key_id: input.keyId,
            joined_at: at,
            left_at: null,
          },
          {
            conversation_id: input.id,
            account_id: input.with,
            share_key: input.theirShareKey,
            key_id: input.keyId,
            joined_at: at,
            left_at: null,
          },
        ],
      );
      stored = await appendEvents(trx, updatedFor(input.id, [initiatorId, input.with]), now);
      const row = await findConversation(trx, input.id);
      if (row === undefined) throw new Error('conversation vanished inside its own transaction');
      return {
        conversation: toWire(row, await membersOf(trx, [input.id]), initiatorId, 0),
        created: true,
      };
    });
    deps.realtime.announce(stored);
    return ok(result);
  } catch (e) {
    if (e instanceof Rollback) return err(e.failure as StartFailure);
    // Two first attempts with one id raced past the lookup: the loser sees the winner's row.
    if ((await findConversation(deps.db, input.id)) !== undefined) return err({ kind: 'conflict' });
    throw e;
  }
}

/** The conversations I am in (and have not left), most recently active first. */
export async function listConversations(db: Db, accountId: string) {
  const rows = await conversationsOf(db, accountId);
  const ids = rows.map((r) => r.id);
  const members = await membersOf(db, ids);
  const unread = await unreadCounts(db, accountId, ids);
  return { conversations: rows.map((r) => toWire(r, members, accountId, unread.get(r.id) ?? 0)) };
}

/**
 * The conversation as `viewerId` may see it: a participant who has not left. To anyone else it
 * does not exist (the same answer as an unknown id).
 */
async function visible(
  q: Db | Tx,
  id: string,
  viewerId: string,
): Promise<
  | { row: ConversationRow; members: MemberRow[]; me: MemberRow; other: MemberRow | undefined }
  | undefined
> {
  const row = await findConversation(q, id);
  if (row === undefined) return undefined;
  const members = await membersOf(q, [id]);
  const me = members.find((m) => m.account_id === viewerId);
  const other = members.find((m) => m.account_id !== viewerId);
  // `other` is missing only once they deleted their account (their membership went with it).
  if (me === undefined || me.left_at !== null) return undefined;
  return { row, members, me, other };
}

export async function getConversation(
  db: Db,
  id: string,
  viewerId: string,
): Promise<Result<z.infer<typeof conversationDetailSchema>, AccessFailure>> {
  const v = await visible(db, id, viewerId);
  if (v === undefined) return err({ kind: 'not_found' });
  const account = v.other === undefined ? undefined : await findAccount(db, v.other.account_id);
  const unread = (await unreadCounts(db, viewerId, [id])).get(id) ?? 0;
  const keys = await keysOf(db, id, viewerId);
  return ok({
    ...toWire(v.row, v.members, viewerId, unread),
    otherPublicKeyBundle:
      account === undefined ? null : (JSON.parse(account.public_key_bundle) as PublicKeyBundle),
    keys: keys.map((k) => ({ keyId: k.key_id, keyBy: k.key_by, shareKey: k.share_key })),
  });
}

/**
 * Runs one change to a conversation in one transaction — its participants' account rows locked
 * first, in a fixed order — then announces its events.
 */
async function change<T>(
  deps: ConversationDeps,
  conversationId: string,
  fn: (trx: Tx) => Promise<{ value: T; events: NewEvent[]; notify?: boolean }>,
  now: Date,
): Promise<Result<T, AccessFailure>> {
  let stored: StoredEvent[] = [];
  let notify = false;
  try {
    const value = await inTransaction(deps.db, async (trx) => {
      await lockAccounts(trx, await memberIds(trx, conversationId));
      const r = await fn(trx);
      stored = await appendEvents(trx, r.events, now);
      notify = r.notify ?? false;
      return r.value;
    });
    deps.realtime.announce(stored);
    if (notify) deps.notifier.wake();
    return ok(value);
  } catch (e) {
    if (e instanceof Rollback) return err(e.failure as AccessFailure);
    throw e;
  }
}

export type PostMessage = z.infer<typeof postMessageSchema>;

/**
 * Stores one message record (ciphertext only) with the conversation's next sequence number, and
 * tells both participants in the same transaction. The other person gets one notification per
 * read position (fixed words), as their notification settings allow. A retry of the same message
 * (same id, sender and record) returns the stored one (`created: false`).
 */
export async function postMessage(
  deps: ConversationDeps,
  id: string,
  senderId: string,
  input: PostMessage,
  now: Date,
): Promise<Result<{ message: MessageWire; created: boolean }, AccessFailure>> {
  const bytes = fromBase64url(input.record);
  const header = bytes === undefined ? undefined : readMessageRecordHeader(bytes);
  if (header === undefined || !header.ok || header.value.keyId !== input.keyId) {
    return err({ kind: 'bad_record' });
  }
  const at = now.toISOString();
  try {
    return await storeMessage(deps, id, senderId, input, now, at);
  } catch (e) {
    // The other participant posted the same message id at the same moment: theirs won.
    if ((await findMessage(deps.db, id, input.id)) !== undefined) return err({ kind: 'conflict' });
    throw e;
  }
}

function storeMessage(
  deps: ConversationDeps,
  id: string,
  senderId: string,
  input: PostMessage,
  now: Date,
  at: string,
) {
  return change<{ message: MessageWire; created: boolean }>(
    deps,
    id,
    async (trx) => {
      const v = await visible(trx, id, senderId);
      if (v === undefined) throw new Rollback({ kind: 'not_found' });
      const existing = await findMessage(trx, id, input.id);
      if (existing !== undefined) {
        if (existing.sender_id !== senderId || existing.record !== input.record) {
          throw new Rollback({ kind: 'conflict' });
        }
        return { value: { message: messageWire(existing), created: false }, events: [] };
      }
      const other = v.other;
      if (
        other === undefined ||
        v.row.closed_at !== null ||
        (await blockedEitherWay(trx, senderId, other.account_id))
      ) {
        throw new Rollback({ kind: 'closed' });
      }
      if (input.keyId !== v.row.key_id) {
        throw new Rollback({ kind: 'stale_key', keyId: v.row.key_id });
      }
      const recent = await sentSince(
        trx,
        senderId,
        new Date(now.getTime() - HOUR_MS).toISOString(),
      );
      const minuteAgo = new Date(now.getTime() - MINUTE_MS).toISOString();
      const retryAt =
        retryAfter(
          recent.filter((t) => t > minuteAgo),
          CONVERSATION_LIMIT.messagesPerMinute,
          MINUTE_MS,
        ) ?? retryAfter(recent, CONVERSATION_LIMIT.messagesPerHour, HOUR_MS);
      if (retryAt !== undefined) throw new Rollback({ kind: 'rate_limited', retryAt });

      const seq = await nextSeq(trx, id, at);
      const row: MessageRow = {
        conversation_id: id,
        seq,
        id: input.id,
        sender_id: senderId,
        key_id: input.keyId,
        record: input.record,
        created_at: at,
      };
      await insertMessage(trx, row);
      await enqueueNotification(
        trx,
        {
          accountId: other.account_id,
          kind: 'conversation',
          dedupeKey: `conversation:${id}:${other.account_id}:${other.last_read_seq}`,
          text: messageNotification(id),
        },
        now,
      );
      const data = { conversationId: id, seq: String(seq) };
      return {
        value: { message: messageWire(row), created: true },
        events: [senderId, other.account_id].map((accountId) => ({
          accountId,
          type: 'conversation.message' as const,
          data,
        })),
        notify: true,
      };
    },
    now,
  );
}

export type MessagesQuery = z.infer<typeof messagesQuerySchema>;

/**
 * A page of records: after `after` (oldest first), or the latest before `before` (or the latest
 * of all). `more` says whether more exist in the direction asked.
 */
export async function listMessages(
  db: Db,
  id: string,
  viewerId: string,
  query: MessagesQuery,
): Promise<Result<{ messages: MessageWire[]; more: boolean }, AccessFailure>> {
  const v = await visible(db, id, viewerId);
  if (v === undefined) return err({ kind: 'not_found' });
  const forward = query.after !== undefined;
  const rows = forward
    ? await messagesAfter(db, id, query.after ?? 0, query.limit + 1)
    : await messagesBefore(db, id, query.before, query.limit + 1);
  let more = rows.length > query.limit;
  const page: MessageRow[] = [];
  let bytes = 0;
  for (const r of rows.slice(0, query.limit)) {
    if (page.length > 0 && bytes + r.record.length > PAGE_BYTES) {
      more = true;
      break;
    }
    bytes += r.record.length;
    page.push(r);
  }
  if (!forward) page.reverse();
  return ok({ messages: page.map(messageWire), more });
}

/** Moves my read position forward (never back, never past the last message). */
export function markRead(
  deps: ConversationDeps,
  id: string,
  viewerId: string,
  input: z.infer<typeof markReadSchema>,
  now: Date,
) {
  return change(
    deps,
    id,
    async (trx) => {
      const v = await visible(trx, id, viewerId);
      if (v === undefined) throw new Rollback({ kind: 'not_found' });
      const moved = await setReadSeq(trx, id, viewerId, Math.min(input.seq, v.row.last_seq));
      // Only my own tabs hear of it: the other person is never shown what I have read.
      return { value: undefined, events: moved ? updatedFor(id, [viewerId]) : [] };
    },
    now,
  );
}

/** Either participant leaves, at any time; the conversation closes for both. */
export function leaveConversation(deps: ConversationDeps, id: string, viewerId: string, now: Date) {
  return change(
    deps,
    id,
    async (trx) => {
      const v = await visible(trx, id, viewerId);
      if (v === undefined) throw new Rollback({ kind: 'not_found' });
      await leave(trx, id, viewerId, now.toISOString());
      const told =
        v.other !== undefined && v.other.left_at === null
          ? [viewerId, v.other.account_id]
          : [viewerId];
      return { value: undefined, events: updatedFor(id, told) };
    },
    now,
  );
}

/**
 * Either participant closes the conversation for new messages, for both, while both keep reading
 * it (someone to talk to ends a talk this way). Closing a closed conversation changes nothing.
 */
export function closeConversation(deps: ConversationDeps, id: string, viewerId: string, now: Date) {
  return change(
    deps,
    id,
    async (trx) => {
      const v = await visible(trx, id, viewerId);
      if (v === undefined) throw new Rollback({ kind: 'not_found' });
      if (v.row.closed_at !== null) return { value: undefined, events: [] };
      await close(trx, id, now.toISOString());
      const told =
        v.other !== undefined && v.other.left_at === null
          ? [viewerId, v.other.account_id]
          : [viewerId];
      return { value: undefined, events: updatedFor(id, told) };
    },
    now,
  );
}

/** One side resets the key: key id + 1, wrapped for both by them (older keys are kept). */
export function resetKey(
  deps: ConversationDeps,
  id: string,
  viewerId: string,
  input: z.infer<typeof resetKeySchema>,
  now: Date,
) {
  return change(
    deps,
    id,
    async (trx) => {
      const v = await visible(trx, id, viewerId);
      if (v === undefined) throw new Rollback({ kind: 'not_found' });
      const other = v.other;
      if (other === undefined || v.row.closed_at !== null) throw new Rollback({ kind: 'closed' });
      if (input.keyId !== v.row.key_id + 1) {
        throw new Rollback({ kind: 'stale_key', keyId: v.row.key_id });
      }
      const badKey = await checkShareKeys(trx, id, viewerId, other.account_id, input.keyId, input);
      if (badKey !== undefined) throw new Rollback({ kind: 'bad_share_key', field: badKey });
      const keys = new Map([
        [viewerId, input.myShareKey],
        [other.account_id, input.theirShareKey],
      ]);
      if (!(await setKey(trx, id, input.keyId, viewerId, keys))) {
        throw new Rollback({ kind: 'stale_key', keyId: v.row.key_id });
      }
      const row = await findConversation(trx, id);
      if (row === undefined) throw new Error('conversation vanished inside its own transaction');
      const unread = (await unreadCounts(trx, viewerId, [id])).get(id) ?? 0;
      return {
        value: toWire(row, await membersOf(trx, [id]), viewerId, unread),
        events: updatedFor(id, [viewerId, other.account_id]),
      };
    },
    now,
  );
}
