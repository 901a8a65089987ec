import type { Kysely, Transaction } from 'kysely';
import type { GroupNotifyChoice } from '../../../core/src/notify/api.js';
import { noBlockBetween } from '../../circles/repository.js';
import type { Database } from '../../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export async function isMember(q: Q, groupId: string, accountId: string): Promise<boolean> {
  const row = await q
    .selectFrom('group_members')
    .select('account_id')
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findChoice(
  q: Q,
  groupId: string,
  accountId: string,
): Promise<GroupNotifyChoice | undefined> {
  const row = await q
    .selectFrom('group_notify_choices')
    .select('choice')
    .where('group_id', '=', groupId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.choice;
}

export async function saveChoice(
  q: Q,
  groupId: string,
  accountId: string,
  choice: GroupNotifyChoice,
  at: string,
): Promise<void> {
  await q
    .insertInto('group_notify_choices')
    .values({ group_id: groupId, account_id: accountId, choice, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['group_id', 'account_id']).doUpdateSet({ choice, updated_at: at }),
    )
    .execute();
}

/**
 * Members of the group who chose `everything`, other than `authorId`, and neither blocked by
 * nor blocking the author (a blocked person's posts disappear for the blocker).
 */
export async function everythingMembers(
  q: Q,
  groupId: string,
  authorId: string,
): Promise<string[]> {
  const rows = await q
    .selectFrom('group_notify_choices as c')
    .innerJoin('group_members as m', (j) =>
      j.onRef('m.group_id', '=', 'c.group_id').onRef('m.account_id', '=', 'c.account_id'),
    )
    .select('c.account_id')
    .where('c.group_id', '=', groupId)
    .where('c.choice', '=', 'everything')
    .where('c.account_id', '!=', authorId)
    .where(noBlockBetween(authorId, 'c.account_id'))
    .orderBy('c.account_id')
    .execute();
  return rows.map((r) => r.account_id);
}
