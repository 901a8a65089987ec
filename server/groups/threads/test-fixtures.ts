import { randomBytes } from 'node:crypto';
import { generateId } from '../../../core/src/crypto/ids.js';
import { signedInClient } from '../../test-support/accounts.js';
import type { TestApp } from '../../test-support/app.js';
import type { TestClient } from '../../test-support/client.js';

export interface Someone {
  readonly client: TestClient;
  readonly accountId: string;
  readonly handle: string;
}

export async function someone(t: TestApp, handle: string): Promise<Someone> {
  const p = await signedInClient(t, handle);
  return { ...p, handle };
}

type Role = 'member' | 'moderator' | 'facilitator';

/**
 * Writes a group straight into the database: agreement v1 and the members given (with an
 * optional pseudonym each). Returns its id.
 */
export async function seedGroup(
  t: TestApp,
  opts: {
    visibility?: 'public' | 'request' | 'invite';
    members: readonly { who: Someone; role: Role; pseudonym?: string }[];
    now: Date;
  },
): Promise<string> {
  const id = generateId();
  const at = opts.now.toISOString();
  const db = t.handle.db;
  await db
    .insertInto('groups')
    .values({
      id,
      slug: `talk-${randomBytes(6).toString('hex')}`,
      name: 'Seeded group',
      description: 'A group for conversation tests.',
      topics: '[]',
      languages: '["en"]',
      format: 'online',
      area: null,
      visibility: opts.visibility ?? 'public',
      join_questions: '[]',
      agreement_version: 1,
      created_by: opts.members[0]?.who.accountId ?? null,
      created_at: at,
      updated_at: at,
      archived_at: null,
    })
    .execute();
  await db
    .insertInto('group_agreements')
    .values({ group_id: id, version: 1, text: 'Be kind.', written_by: null, created_at: at })
    .execute();
  if (opts.members.length > 0) {
    await db
      .insertInto('group_members')
      .values(
        opts.members.map((m) => ({
          group_id: id,
          account_id: m.who.accountId,
          role: m.role,
          agreement_version: 1,
          pseudonym: m.pseudonym ?? null,
          pseudonym_key: m.pseudonym?.normalize('NFC').toLowerCase() ?? null,
          joined_at: at,
        })),
      )
      .execute();
  }
  return id;
}

/** A thread with its first post by `author`, written straight into the database. */
export async function seedThread(
  t: TestApp,
  groupId: string,
  author: Someone,
  now: Date,
  body = 'Seeded first post.',
): Promise<{ threadId: string; postId: string }> {
  const threadId = generateId();
  const postId = generateId();
  const at = now.toISOString();
  await t.handle.db
    .insertInto('group_threads')
    .values({
      id: threadId,
      group_id: groupId,
      title: 'Seeded thread',
      author_id: author.accountId,
      posted_as: null,
      content_warning: null,
      first_post_id: postId,
      locked_at: null,
      locked_by: null,
      hidden_at: null,
      hidden_by: null,
      created_at: at,
      updated_at: at,
      last_post_at: at,
    })
    .execute();
  await t.handle.db
    .insertInto('group_posts')
    .values({
      id: postId,
      thread_id: threadId,
      group_id: groupId,
      author_id: author.accountId,
      posted_as: null,
      body,
      content_warning: null,
      created_at: at,
      edited_at: null,
      deleted_at: null,
      hidden_at: null,
      hidden_by: null,
    })
    .execute();
  return { threadId, postId };
}

/** Row counts of every table the conversation routes write: a refused request changes none. */
export async function footprint(t: TestApp) {
  const tables = [
    'group_threads',
    'group_posts',
    'group_post_reactions',
    'group_mentions',
    'events',
    'notify_outbox',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** Stored realtime events of one account (type and data), in order. */
export async function eventsOf(t: TestApp, who: { accountId: string }) {
  const rows = await t.handle.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where('account_id', '=', who.accountId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, string> }));
}
