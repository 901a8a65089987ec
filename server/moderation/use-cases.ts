import { decodeContent } from '../../core/src/conversations/content.js';
import { aidPostForQueue, reportableAidPost } from '../aid/relations/use-cases.js';
import {
  verifyReportedMessage,
  type ReportedMessage,
} from '../../core/src/conversations/message.js';
import { verifyPublicKeyBundle, type PublicKeyBundle } from '../../core/src/crypto/identity.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { fromBase64url } from '../../core/src/encoding/base64url.js';
import {
  decodeCursor,
  encodeCursor,
  MODERATION_LIMITS,
  NOTE_NOTIFICATION_WORDS,
  type ActionInput,
  type AuditEntryWire,
  type CloseReport,
  type ModerationAction,
  type MyReportWire,
  type NewReport,
  type PageQuery,
  type QueueItemWire,
  type QueueQuery,
  type ReportReason,
} from '../../core/src/moderation/api.js';
import { err, ok, type Result } from '../../core/src/result.js';
import type { Auth } from '../accounts/sessions.js';
import { commit, fail, type CircleDeps } from '../circles/commit.js';
import {
  findAccount as findConversationAccount,
  findConversation,
  findMessage,
  memberIds as conversationMemberIds,
} from '../conversations/repository.js';
import type { Db, Tx } from '../db/database.js';
import {
  countMembers,
  deleteMember,
  findGroup,
  findMember,
  lockGroup,
  withdrawRequests,
  type GroupRow,
  type MemberRow,
} from '../groups/repository.js';
import { findPost, findThread, memberIds } from '../groups/threads/repository.js';
import { enqueueNotification } from '../notify/outbox.js';
import type { NewEvent } from '../realtime/log.js';
import {
  accountExists,
  adminIds,
  appendAudit,
  cancelInvitationsFor,
  closeReport as closeReportRow,
  countReportsSince,
  deleteBan,
  deleteMute,
  findReport,
  groupsModeratedBy,
  handleOf,
  insertBan,
  insertMute,
  insertNote,
  insertReport,
  isBanned,
  keepersOf,
  mutesOf,
  notesOf,
  openReportOf,
  openReports,
  readAudit,
  reportsBy,
  setPostHidden,
  setThreadFlag,
  type AuditRow,
  type ReportRow,
} from './repository.js';

export type ModerationDeps = CircleDeps;

/** Every expected failure; routes turn each into a status and a stable code. */
export type ModerationFailure =
  | { readonly kind: 'not_found'; readonly message?: string }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'bad_signature'; readonly messageId: string }
  | { readonly kind: 'cannot_act_on_self' }
  | { readonly kind: 'cannot_act_on_facilitator' }
  | { readonly kind: 'report_closed' }
  | { readonly kind: 'last_facilitator' }
  | { readonly kind: 'rate_limited' };

type R<T> = Promise<Result<T, ModerationFailure>>;

const HOUR_MS = 3_600_000;

/** What a note's notification says: fixed words and a path, never the note or who sent it. */
export const noteNotification = () => ({
  title: 'Tend',
  body: NOTE_NOTIFICATION_WORDS,
  path: '/notes',
});

const position = (cursor: string | undefined) =>
  cursor === undefined ? undefined : (decodeCursor(cursor) ?? undefined);

const queueEvents = (ids: readonly string[], data: Record<string, string>): NewEvent[] =>
  [...new Set(ids)].map((accountId) => ({ accountId, type: 'moderation.queue.changed', data }));

// ─── Who keeps which space safe ─────────────────────────────────────────────────────────────────

interface Keeper {
  readonly group: GroupRow;
  /** The actor's membership (undefined for an instance admin who is not a member). */
  readonly member: MemberRow | undefined;
  readonly admin: boolean;
  readonly accountId: string;
}

/**
 * The group and the actor, who must be one of its facilitators or moderators (or, with `need:
 * 'facilitator'`, a facilitator), or an instance admin. Outsiders: an invite-only group is
 * `not_found` (as an unknown id), any other `forbidden`.
 */
async function keeper(
  q: Db | Tx,
  group: GroupRow | undefined,
  auth: Auth,
  need: 'keeper' | 'facilitator' = 'keeper',
): Promise<Result<Keeper, ModerationFailure>> {
  if (group === undefined) return err({ kind: 'not_found' });
  const member = await findMember(q, group.id, auth.accountId);
  const admin = auth.role === 'admin';
  if (admin) return ok({ group, member, admin, accountId: auth.accountId });
  if (member === undefined && group.visibility === 'invite') return err({ kind: 'not_found' });
  const allowed =
    member !== undefined &&
    (need === 'facilitator' ? member.role === 'facilitator' : member.role !== 'member');
  if (!allowed) {
    return err({
      kind: 'forbidden',
      message:
        need === 'facilitator'
          ? "Only this group's facilitators and instance admins can read its moderation log."
          : "Only this group's facilitators and moderators can do that.",
    });
  }
  return ok({ group, member, admin, accountId: auth.accountId });
}

/**
 * Nobody acts on themself; a moderator does not act on a facilitator (a facilitator or an
 * instance admin can). `targetId` null: the author's account is gone.
 */
async function mayActOn(trx: Tx, k: Keeper, targetId: string | null, selfAllowed = false) {
  if (targetId === null) return;
  if (targetId === k.accountId && !selfAllowed) fail({ kind: 'cannot_act_on_self' });
  if (k.admin || k.member?.role === 'facilitator') return;
  const target = await findMember(trx, k.group.id, targetId);
  if (target?.role === 'facilitator') fail({ kind: 'cannot_act_on_facilitator' });
}

// ─── Reports ────────────────────────────────────────────────────────────────────────────────────

function toMyReport(row: ReportRow): MyReportWire {
  return {
    id: row.id,
    kind: row.kind,
    groupId: row.group_id,
    threadId: row.thread_id,
    postId: row.post_id,
    conversationId: row.conversation_id,
    reason: row.reason as ReportReason,
    words: row.words,
    status: row.status,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

/** A group post or thread the reporter can see (members only; hidden: keepers only). */
async function reportedInGroup(
  trx: Tx,
  input: Extract<NewReport, { kind: 'post' | 'thread' }>,
  reporterId: string,
) {
  const group = await findGroup(trx, input.groupId);
  if (group === undefined) return fail({ kind: 'not_found' });
  const member = await findMember(trx, group.id, reporterId);
  if (member === undefined) {
    if (group.visibility === 'invite') fail({ kind: 'not_found' });
    fail({ kind: 'forbidden', message: "Only this group's members can report its posts." });
  }
  const keeps = member!.role !== 'member';
  const threadId =
    input.kind === 'thread' ? input.threadId : (await findPost(trx, input.postId))?.thread_id;
  const thread = threadId === undefined ? undefined : await findThread(trx, threadId);
  if (thread === undefined || thread.group_id !== group.id) return fail({ kind: 'not_found' });
  if (thread.hidden_at !== null && !keeps) fail({ kind: 'not_found' });
  if (input.kind === 'thread') {
    return { threadId: thread.id, postId: null, authorId: thread.author_id };
  }
  const post = (await findPost(trx, input.postId))!;
  if (post.group_id !== group.id) fail({ kind: 'not_found' });
  return { threadId: thread.id, postId: post.id, authorId: post.author_id };
}

/**
 * The revealed messages of a direct conversation, each checked against its sender's published
 * key (PROTOCOL.md §13.4): only the other participant's messages, stored in this conversation.
 */
async function verifiedMessages(
  trx: Tx,
  input: Extract<NewReport, { kind: 'conversation' }>,
  reporterId: string,
) {
  const conversation = await findConversation(trx, input.conversationId);
  const members =
    conversation === undefined ? [] : await conversationMemberIds(trx, conversation.id);
  if (!members.includes(reporterId)) return fail({ kind: 'not_found' });
  const otherId = members.find((id) => id !== reporterId);
  if (otherId === undefined) return fail({ kind: 'not_found' });
  const account = await findConversationAccount(trx, otherId);
  const bundle =
    account === undefined
      ? undefined
      : verifyPublicKeyBundle(JSON.parse(account.public_key_bundle) as PublicKeyBundle, otherId);
  if (bundle === undefined || !bundle.ok) return fail({ kind: 'not_found' });
  const seen = new Set<string>();
  for (const m of input.messages) {
    if (seen.has(m.messageId)) {
      fail({ kind: 'invalid', message: `Message ${m.messageId} is in the report twice.` });
    }
    seen.add(m.messageId);
    const stored = await findMessage(trx, input.conversationId, m.messageId);
    if (stored === undefined || stored.sender_id !== otherId || m.senderId !== otherId) {
      fail({
        kind: 'invalid',
        message: `Message ${m.messageId} is not one the other person sent in this conversation.`,
      });
    }
    const checked = verifyReportedMessage(m, bundle.value.ed25519PublicKey, {
      conversationId: input.conversationId,
      senderId: otherId,
    });
    if (!checked.ok) {
      if (checked.error === 'bad_signature')
        fail({ kind: 'bad_signature', messageId: m.messageId });
      fail({ kind: 'invalid', message: `Message ${m.messageId} is not a revealed message.` });
    }
  }
  return { otherId };
}

export async function createReport(
  deps: ModerationDeps,
  reporterId: string,
  input: NewReport,
  now: Date,
): R<MyReportWire> {
  const at = now.toISOString();
  return commit<MyReportWire, ModerationFailure>(deps, now, async (trx) => {
    const since = new Date(now.getTime() - HOUR_MS).toISOString();
    if ((await countReportsSince(trx, reporterId, since)) >= MODERATION_LIMITS.reportsPerHour) {
      fail({ kind: 'rate_limited' });
    }
    const id = generateId();
    const base = {
      id,
      kind: input.kind,
      reporter_id: reporterId,
      reason: input.reason,
      words: input.words ?? null,
      status: 'open' as const,
      created_at: at,
      closed_at: null,
      closed_by: null,
    };
    let row: ReportRow;
    let tell: string[];
    if (input.kind === 'conversation') {
      const { otherId } = await verifiedMessages(trx, input, reporterId);
      if (await openReportOf(trx, reporterId, { kind: 'conversation', id: input.conversationId })) {
        fail({ kind: 'conflict', message: 'You have already reported this conversation.' });
      }
      row = {
        ...base,
        group_id: null,
        thread_id: null,
        post_id: null,
        conversation_id: input.conversationId,
        reported_id: otherId,
        messages: JSON.stringify(input.messages),
      };
      tell = (await adminIds(trx)).filter((a) => a !== otherId);
    } else if (input.kind === 'aid-post') {
      // A mutual aid post: that board's moderators (a group's keepers; the instance's admins).
      const found = await reportableAidPost(trx, input.postId, reporterId);
      if (found === undefined) return fail({ kind: 'not_found' });
      if (found.authorId === reporterId) fail({ kind: 'cannot_act_on_self' });
      if (await openReportOf(trx, reporterId, { kind: 'aid-post', id: input.postId })) {
        fail({ kind: 'conflict', message: 'You have already reported this.' });
      }
      row = {
        ...base,
        group_id: found.groupId,
        thread_id: null,
        post_id: input.postId,
        conversation_id: null,
        reported_id: found.authorId,
        messages: null,
      };
      const keepers =
        found.groupId === null ? await adminIds(trx) : await keepersOf(trx, found.groupId);
      tell = keepers.filter((a) => a !== found.authorId);
    } else {
      const found = await reportedInGroup(trx, input, reporterId);
      if (found.authorId === reporterId) fail({ kind: 'cannot_act_on_self' });
      const target =
        input.kind === 'post'
          ? { kind: 'post' as const, id: found.postId! }
          : { kind: 'thread' as const, id: found.threadId };
      if (await openReportOf(trx, reporterId, target)) {
        fail({ kind: 'conflict', message: 'You have already reported this.' });
      }
      row = {
        ...base,
        group_id: input.groupId,
        thread_id: found.threadId,
        post_id: found.postId,
        conversation_id: null,
        reported_id: found.authorId,
        messages: null,
      };
      tell = (await keepersOf(trx, input.groupId)).filter((a) => a !== found.authorId);
    }
    await insertReport(trx, row);
    const data: Record<string, string> = row.group_id === null ? {} : { groupId: row.group_id };
    return { value: toMyReport(row), events: queueEvents(tell, data) };
  });
}

export async function myReports(db: Db, accountId: string) {
  return { reports: (await reportsBy(db, accountId)).map(toMyReport) };
}

/** The reporter takes their report back; revealed messages are erased with it. */
export async function withdrawReport(
  deps: ModerationDeps,
  accountId: string,
  reportId: string,
  now: Date,
): R<MyReportWire> {
  return commit<MyReportWire, ModerationFailure>(deps, now, async (trx) => {
    const row = await findReport(trx, reportId);
    if (row === undefined || row.reporter_id !== accountId) return fail({ kind: 'not_found' });
    if (row.status !== 'open') fail({ kind: 'report_closed' });
    await closeReportRow(trx, reportId, {
      status: 'withdrawn',
      closed_at: now.toISOString(),
      closed_by: accountId,
      messages: null,
    });
    const tell = row.group_id === null ? await adminIds(trx) : await keepersOf(trx, row.group_id);
    const data: Record<string, string> = row.group_id === null ? {} : { groupId: row.group_id };
    return {
      value: toMyReport((await findReport(trx, reportId))!),
      events: queueEvents(
        tell.filter((a) => a !== row.reported_id),
        data,
      ),
    };
  });
}

/**
 * Closes an open report as `resolved` or `dismissed` and logs it. Group reports: that group's
 * keepers and instance admins; conversation reports: instance admins. To anyone else the report
 * does not exist (`not_found`).
 */
async function closeIn(
  trx: Tx,
  auth: Auth,
  reportId: string,
  outcome: 'resolved' | 'dismissed',
  reason: string | null,
  now: Date,
  groupId?: string,
): Promise<{ row: ReportRow; auditId: string }> {
  const row = await findReport(trx, reportId);
  if (row === undefined) return fail({ kind: 'not_found' });
  if (groupId !== undefined && row.group_id !== groupId) return fail({ kind: 'not_found' });
  if (row.group_id === null) {
    if (auth.role !== 'admin') fail({ kind: 'not_found' });
  } else {
    const k = await keeper(trx, await findGroup(trx, row.group_id), auth);
    if (!k.ok) fail({ kind: 'not_found' });
  }
  if (row.reported_id === auth.accountId) fail({ kind: 'cannot_act_on_self' });
  if (row.status !== 'open') fail({ kind: 'report_closed' });
  const at = now.toISOString();
  await closeReportRow(trx, reportId, {
    status: outcome,
    closed_at: at,
    closed_by: auth.accountId,
  });
  // A report of a mutual aid post: the row names the aid post, and its author only when the post
  // shows a name (the log must not say who wrote an anonymous post, as the aid actions' rows).
  const aid =
    row.kind === 'aid-post' && row.post_id !== null
      ? ((await aidPostForQueue(trx, row.post_id)) ?? null)
      : undefined;
  const auditId = generateId();
  await appendAudit(trx, {
    id: auditId,
    at,
    actor_id: auth.accountId,
    action: outcome === 'resolved' ? 'resolve-report' : 'dismiss-report',
    target_id: aid === undefined || aid?.anonymous === false ? row.reported_id : null,
    group_id: row.group_id,
    thread_id: row.thread_id,
    post_id: aid === undefined ? row.post_id : null,
    report_id: row.id,
    reason,
    ...(aid === undefined ? {} : { aid_post_id: row.post_id }),
  });
  return { row, auditId };
}

export async function closeReport(
  deps: ModerationDeps,
  auth: Auth,
  reportId: string,
  input: CloseReport,
  now: Date,
): R<{ report: QueueItemWire; auditId: string }> {
  return commit<{ report: QueueItemWire; auditId: string }, ModerationFailure>(
    deps,
    now,
    async (trx) => {
      const { row, auditId } = await closeIn(
        trx,
        auth,
        reportId,
        input.outcome,
        input.reason ?? null,
        now,
      );
      const tell = row.group_id === null ? await adminIds(trx) : await keepersOf(trx, row.group_id);
      const data: Record<string, string> = row.group_id === null ? {} : { groupId: row.group_id };
      return {
        value: { report: await toQueueItem(trx, (await findReport(trx, reportId))!), auditId },
        events: queueEvents(
          tell.filter((a) => a !== row.reported_id),
          data,
        ),
      };
    },
  );
}

// ─── The queue ──────────────────────────────────────────────────────────────────────────────────

function revealed(json: string | null): QueueItemWire['messages'] {
  if (json === null) return [];
  const reports = JSON.parse(json) as ReportedMessage[];
  return reports.map((report) => {
    const bytes = fromBase64url(report.content);
    const content = bytes === undefined ? undefined : decodeContent(bytes);
    return {
      messageId: report.messageId,
      senderId: report.senderId,
      sentAt: report.sentAt,
      type: content?.type ?? 'message',
      text: content !== undefined && content.type !== 'delete' ? content.text : null,
      contentWarning:
        content !== undefined && content.type !== 'delete'
          ? (content.contentWarning ?? null)
          : null,
      report,
    };
  });
}

async function toQueueItem(q: Db | Tx, row: ReportRow): Promise<QueueItemWire> {
  const handle = row.reported_id === null ? undefined : await handleOf(q, row.reported_id);
  const thread = row.thread_id === null ? undefined : await findThread(q, row.thread_id);
  if (row.kind === 'aid-post') {
    const aid = row.post_id === null ? undefined : await aidPostForQueue(q, row.post_id);
    return {
      id: row.id,
      kind: row.kind,
      groupId: row.group_id,
      threadId: null,
      postId: row.post_id,
      conversationId: null,
      reason: row.reason as ReportReason,
      words: row.words,
      status: row.status,
      createdAt: row.created_at,
      reported:
        row.reported_id === null || handle === undefined || aid?.anonymous !== false
          ? null
          : { accountId: row.reported_id, handle },
      threadTitle: null,
      excerpt: aid?.description.slice(0, MODERATION_LIMITS.excerpt) ?? null,
      contentWarning: aid?.contentWarning ?? null,
      hidden: aid?.hidden ?? false,
      locked: false,
      messages: null,
    };
  }
  const postId = row.post_id ?? thread?.first_post_id;
  const post = postId === undefined ? undefined : await findPost(q, postId);
  const deleted = post?.deleted_at !== null;
  return {
    id: row.id,
    kind: row.kind,
    groupId: row.group_id,
    threadId: row.thread_id,
    postId: row.post_id,
    conversationId: row.conversation_id,
    reason: row.reason as ReportReason,
    words: row.words,
    status: row.status,
    createdAt: row.created_at,
    reported:
      row.reported_id === null || handle === undefined
        ? null
        : { accountId: row.reported_id, handle },
    threadTitle: thread?.title ?? null,
    excerpt: post === undefined || deleted ? null : post.body.slice(0, MODERATION_LIMITS.excerpt),
    contentWarning: post?.content_warning ?? thread?.content_warning ?? null,
    hidden:
      row.kind === 'post'
        ? (post?.hidden_at ?? null) !== null
        : (thread?.hidden_at ?? null) !== null,
    locked: thread !== undefined && thread.locked_at !== null,
    messages: row.kind === 'conversation' ? revealed(row.messages) : null,
  };
}

/**
 * Open reports, oldest first: of the groups I keep (facilitator or moderator), or of every group
 * and every direct conversation for an instance admin. Never the reports about me, never who
 * reported.
 */
export async function queue(
  db: Db,
  auth: Auth,
  query: QueueQuery,
): R<{ reports: QueueItemWire[]; next: string | null }> {
  const admin = auth.role === 'admin';
  let groupIds: readonly string[] | 'all' = admin
    ? 'all'
    : await groupsModeratedBy(db, auth.accountId);
  if (query.groupId !== undefined) {
    if (!admin && !groupIds.includes(query.groupId)) {
      const k = await keeper(db, await findGroup(db, query.groupId), auth);
      if (!k.ok) return k;
    }
    groupIds = [query.groupId];
  }
  const rows = await openReports(db, {
    groupIds,
    withConversations: admin && query.groupId === undefined,
    exceptReported: auth.accountId,
    after: position(query.after),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const reports: QueueItemWire[] = [];
  for (const row of page) reports.push(await toQueueItem(db, row));
  return ok({
    reports,
    next:
      rows.length > query.limit && last !== undefined
        ? encodeCursor(last.created_at, last.id)
        : null,
  });
}

// ─── Actions ────────────────────────────────────────────────────────────────────────────────────

/** Who the action is about: the member, or the author of the post or thread. */
function subject(input: ActionInput) {
  return 'accountId' in input ? input.accountId : undefined;
}

export async function act(
  deps: ModerationDeps,
  auth: Auth,
  groupId: string,
  input: ActionInput,
  now: Date,
): R<{ action: ModerationAction; auditId: string }> {
  const at = now.toISOString();
  return commit<{ action: ModerationAction; auditId: string }, ModerationFailure>(
    deps,
    now,
    async (trx) => {
      const k = await keeper(trx, await lockGroup(trx, groupId), auth);
      if (!k.ok) return fail(k.error);
      const events: NewEvent[] = [];
      let notified = false;
      let target: string | null = subject(input) ?? null;
      let threadId: string | null = null;
      let postId: string | null = null;
      // Every member, except those with a block either way with whoever wrote what it is about
      // (to them it does not exist: docs/GROUPS.md "Blocks").
      const everyone = async (
        type: NewEvent['type'],
        data: Record<string, string>,
        authors: readonly (string | null)[],
      ) =>
        events.push(
          ...(await memberIds(trx, groupId, authors)).map((accountId) => ({
            accountId,
            type,
            data,
          })),
        );

      switch (input.action) {
        case 'hide-post':
        case 'unhide-post': {
          const post = await findPost(trx, input.postId);
          if (post === undefined || post.group_id !== groupId) return fail({ kind: 'not_found' });
          target = post.author_id;
          await mayActOn(trx, k.value, target);
          threadId = post.thread_id;
          postId = post.id;
          const hide = input.action === 'hide-post';
          await setPostHidden(trx, post.id, hide ? auth.accountId : null, hide ? at : null);
          const threadAuthor = (await findThread(trx, post.thread_id))?.author_id ?? null;
          await everyone('group.post.updated', { groupId, threadId, postId }, [
            post.author_id,
            threadAuthor,
          ]);
          break;
        }
        case 'hide-thread':
        case 'unhide-thread':
        case 'lock-thread':
        case 'unlock-thread': {
          const thread = await findThread(trx, input.threadId);
          if (thread === undefined || thread.group_id !== groupId) {
            return fail({ kind: 'not_found' });
          }
          target = thread.author_id;
          const locking = input.action === 'lock-thread' || input.action === 'unlock-thread';
          // Locking is about the conversation, not a person: a keeper may lock their own thread.
          await mayActOn(trx, k.value, target, locking);
          threadId = thread.id;
          const on = input.action === 'hide-thread' || input.action === 'lock-thread';
          await setThreadFlag(
            trx,
            thread.id,
            locking ? 'locked' : 'hidden',
            on ? auth.accountId : null,
            on ? at : null,
          );
          await everyone('group.thread.updated', { groupId, threadId }, [thread.author_id]);
          break;
        }
        case 'warn': {
          await mayActOn(trx, k.value, input.accountId);
          if ((await findMember(trx, groupId, input.accountId)) === undefined) {
            fail({ kind: 'not_found', message: 'They are not a member of this group.' });
          }
          const noteId = generateId();
          await insertNote(trx, {
            id: noteId,
            account_id: input.accountId,
            group_id: groupId,
            text: input.note,
            created_at: at,
          });
          await enqueueNotification(
            trx,
            {
              accountId: input.accountId,
              kind: 'moderation.note',
              dedupeKey: `moderation-note:${noteId}`,
              text: noteNotification(),
            },
            now,
          );
          notified = true;
          events.push({
            accountId: input.accountId,
            type: 'moderation.note',
            data: { noteId, groupId },
          });
          break;
        }
        case 'remove':
        case 'ban': {
          await mayActOn(trx, k.value, input.accountId);
          if (!(await accountExists(trx, input.accountId))) return fail({ kind: 'not_found' });
          const member = await findMember(trx, groupId, input.accountId);
          if (input.action === 'remove' && member === undefined) {
            fail({ kind: 'not_found', message: 'They are not a member of this group.' });
          }
          if (input.action === 'ban' && (await isBanned(trx, groupId, input.accountId))) {
            fail({ kind: 'conflict', message: 'They are already banned from this group.' });
          }
          if (
            member?.role === 'facilitator' &&
            (await countMembers(trx, groupId, 'facilitator')) <= 1
          ) {
            fail({ kind: 'last_facilitator' });
          }
          if (member !== undefined) await deleteMember(trx, groupId, input.accountId);
          await withdrawRequests(trx, groupId, input.accountId, at);
          if (input.action === 'ban') {
            await cancelInvitationsFor(trx, groupId, input.accountId, at);
            await insertBan(trx, {
              group_id: groupId,
              account_id: input.accountId,
              banned_by: auth.accountId,
              created_at: at,
            });
          }
          events.push({
            accountId: input.accountId,
            type: 'group.membership.changed',
            data: { groupId },
          });
          break;
        }
        case 'unban': {
          await mayActOn(trx, k.value, input.accountId);
          if (!(await deleteBan(trx, groupId, input.accountId))) {
            fail({ kind: 'not_found', message: 'They are not banned from this group.' });
          }
          break;
        }
      }

      const auditId = generateId();
      await appendAudit(trx, {
        id: auditId,
        at,
        actor_id: auth.accountId,
        action: input.action,
        target_id: target,
        group_id: groupId,
        thread_id: threadId,
        post_id: postId,
        report_id: input.reportId ?? null,
        reason: input.reason ?? null,
      });
      if (input.reportId !== undefined) {
        // The report this answers is resolved in the same transaction (and logged too).
        await closeIn(trx, auth, input.reportId, 'resolved', input.reason ?? null, now, groupId);
        const tell = (await keepersOf(trx, groupId)).filter((a) => a !== target);
        events.push(...queueEvents(tell, { groupId }));
      }
      return { value: { action: input.action, auditId }, events, notified };
    },
  );
}

// ─── The audit log ──────────────────────────────────────────────────────────────────────────────

function toAudit(row: AuditRow): AuditEntryWire {
  return {
    id: row.id,
    at: row.at,
    actor:
      row.actor_id === null || row.actor_handle === null
        ? null
        : { accountId: row.actor_id, handle: row.actor_handle },
    action: row.action as AuditEntryWire['action'],
    target:
      row.target_id === null || row.target_handle === null
        ? null
        : { accountId: row.target_id, handle: row.target_handle },
    groupId: row.group_id,
    threadId: row.thread_id,
    postId: row.post_id,
    reportId: row.report_id,
    aidPostId: row.aid_post_id ?? null,
    reason: row.reason,
  };
}

async function auditPage(db: Db, groupId: string | null, query: PageQuery) {
  const rows = await readAudit(db, {
    groupId,
    after: position(query.after),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    entries: page.map(toAudit),
    next: rows.length > query.limit && last !== undefined ? encodeCursor(last.at, last.id) : null,
  };
}

/** A group's log: its facilitators and instance admins. */
export async function groupAudit(
  db: Db,
  auth: Auth,
  groupId: string,
  query: PageQuery,
): R<{ entries: AuditEntryWire[]; next: string | null }> {
  const k = await keeper(db, await findGroup(db, groupId), auth, 'facilitator');
  if (!k.ok) return k;
  return ok(await auditPage(db, groupId, query));
}

/** The whole log (every group and direct-conversation reports): instance admins only. */
export async function instanceAudit(
  db: Db,
  auth: Auth,
  query: PageQuery,
): R<{ entries: AuditEntryWire[]; next: string | null }> {
  if (auth.role !== 'admin') {
    return err({ kind: 'forbidden', message: 'Only instance admins can read the whole log.' });
  }
  return ok(await auditPage(db, null, query));
}

// ─── Mutes and notes ────────────────────────────────────────────────────────────────────────────

export async function mutes(db: Db, accountId: string) {
  const rows = await mutesOf(db, accountId);
  return { mutes: rows.map((r) => ({ accountId: r.muted_id, createdAt: r.created_at })) };
}

/** Mutes (`on`) or unmutes someone, for me only; nobody is told. Idempotent. */
export async function setMute(
  deps: ModerationDeps,
  accountId: string,
  otherId: string,
  on: boolean,
  now: Date,
): R<{ mutes: { accountId: string; createdAt: string }[] }> {
  if (otherId === accountId) return err({ kind: 'cannot_act_on_self' });
  const r = await commit<null, ModerationFailure>(deps, now, async (trx) => {
    if (on) {
      if (!(await accountExists(trx, otherId))) return fail({ kind: 'not_found' });
      await insertMute(trx, accountId, otherId, now.toISOString());
    } else {
      await deleteMute(trx, accountId, otherId);
    }
    return { value: null, events: [] };
  });
  if (!r.ok) return r;
  return ok(await mutes(deps.db, accountId));
}

export async function myNotes(db: Db, accountId: string) {
  const rows = await notesOf(db, accountId);
  return {
    notes: rows.map((r) => ({
      id: r.id,
      groupId: r.group_id,
      text: r.text,
      createdAt: r.created_at,
    })),
  };
}

export { isBanned };
