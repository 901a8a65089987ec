import {
  DEFAULT_GROUP_NOTIFY_CHOICE,
  type GroupNotifyChoice,
} from '../../../core/src/notify/api.js';
import { err, ok, type Result } from '../../../core/src/result.js';
import type { Db, Tx } from '../../db/database.js';
import { enqueueNotification } from '../../notify/outbox.js';
import { everythingMembers, findChoice, isMember, saveChoice } from './repository.js';

/** What a group notification is about. */
export type GroupNotice = 'post' | 'mention' | 'meeting';

/**
 * Whether this member's choice for the group lets a notification about `what` through to the
 * outbox (quiet hours and a pause still apply there, on top): `everything` lets all through,
 * `mentions-and-meetings` (the default) mentions and meeting reminders, `nothing` none.
 */
export async function wantsGroupNotification(
  q: Db | Tx,
  groupId: string,
  accountId: string,
  what: GroupNotice,
): Promise<boolean> {
  const choice = (await findChoice(q, groupId, accountId)) ?? DEFAULT_GROUP_NOTIFY_CHOICE;
  if (choice === 'nothing') return false;
  return choice === 'everything' || what !== 'post';
}

/** The fixed words of a new-post notification: never the group, the post or who wrote it. */
export const newPostNotification = (groupId: string, threadId: string) => ({
  title: 'Tend',
  body: 'There is a new post in one of your groups — open Tend',
  path: `/groups/${groupId}/conversations/${threadId}`,
});

/**
 * Queues a new-post notification for the members who chose `everything` (not the author, not
 * anyone in `skip` — those mentioned get a mention instead — and never across a block). Returns
 * whether any was queued.
 */
export async function notifyNewPost(
  trx: Tx,
  post: { readonly id: string; readonly group_id: string; readonly thread_id: string },
  authorId: string,
  skip: readonly string[],
  now: Date,
): Promise<boolean> {
  let queued = false;
  for (const accountId of await everythingMembers(trx, post.group_id, authorId)) {
    if (skip.includes(accountId)) continue;
    await enqueueNotification(
      trx,
      {
        accountId,
        kind: 'group.post',
        dedupeKey: `group-post:${post.id}:${accountId}`,
        text: newPostNotification(post.group_id, post.thread_id),
      },
      now,
    );
    queued = true;
  }
  return queued;
}

/** My choice for a group I am a member of; to anyone else the group's choices do not exist. */
export async function readChoice(
  db: Db,
  groupId: string,
  accountId: string,
): Promise<Result<{ choice: GroupNotifyChoice }, { kind: 'not_found' }>> {
  if (!(await isMember(db, groupId, accountId))) return err({ kind: 'not_found' });
  return ok({ choice: (await findChoice(db, groupId, accountId)) ?? DEFAULT_GROUP_NOTIFY_CHOICE });
}

export async function writeChoice(
  db: Db,
  groupId: string,
  accountId: string,
  choice: GroupNotifyChoice,
  now: Date,
): Promise<Result<{ choice: GroupNotifyChoice }, { kind: 'not_found' }>> {
  if (!(await isMember(db, groupId, accountId))) return err({ kind: 'not_found' });
  await saveChoice(db, groupId, accountId, choice, now.toISOString());
  return ok({ choice });
}
