import type { Kysely } from 'kysely';

// A person's circle (docs/CIRCLES.md): memberships, invitations, blocks, shared vault collections,
// link shares, reach-outs, the realtime event log and the notification outbox. Nothing here is
// content: asks, offers, notes, locations and shared plan sections are sealed envelopes.
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';

  // `member_id` is in `owner_id`'s circle: the owner may reach out to them and share with them.
  await db.schema
    .createTable('circle_members')
    .addColumn('owner_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('circle_members_pk', ['owner_id', 'member_id'])
    .execute();
  await db.schema
    .createIndex('circle_members_member')
    .on('circle_members')
    .column('member_id')
    .execute();

  await db.schema
    .createTable('circle_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    // By handle: the invitee. By link: null until someone answers through the link.
    .addColumn('invitee_id', 'text', (c) => c.references(account).onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('link_token_hash', 'text', (c) => c.unique())
    .addColumn('share_key', 'text')
    .addColumn('ask', 'text', (c) => c.notNull())
    .addColumn('reply', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema
    .createIndex('circle_invitations_owner')
    .on('circle_invitations')
    .column('owner_id')
    .execute();
  await db.schema
    .createIndex('circle_invitations_invitee')
    .on('circle_invitations')
    .column('invitee_id')
    .execute();

  // `blocker_id` will not be invited, shared with or reached by `blocked_id`.
  await db.schema
    .createTable('circle_blocks')
    .addColumn('blocker_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('blocked_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('circle_blocks_pk', ['blocker_id', 'blocked_id'])
    .execute();

  // A collection key of the owner's vault, HPKE-wrapped to one member (share key v1).
  await db.schema
    .createTable('vault_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('share_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('vault_shares_key', ['owner_id', 'collection', 'member_id', 'key_id'])
    .execute();
  await db.schema
    .createIndex('vault_shares_member')
    .on('vault_shares')
    .column('member_id')
    .execute();
  await db.schema
    .createIndex('vault_items_collection_seq')
    .on('vault_items')
    .columns(['account_id', 'collection', 'seq'])
    .execute();

  await db.schema
    .createTable('link_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reachouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('escalate_after_minutes', 'integer')
    .addColumn('escalate_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('reachouts_owner')
    .on('reachouts')
    .columns(['owner_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('reachouts_escalation')
    .on('reachouts')
    .columns(['status', 'escalate_at'])
    .execute();

  await db.schema
    .createTable('reachout_recipients')
    .addColumn('reachout_id', 'text', (c) =>
      c.notNull().references('reachouts.id').onDelete('cascade'),
    )
    .addColumn('member_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('wave', 'integer', (c) => c.notNull())
    .addColumn('notified_at', 'text')
    .addColumn('held', 'text')
    .addColumn('seen_at', 'text')
    .addColumn('response', 'text')
    .addColumn('eta_minutes', 'integer')
    .addColumn('responded_at', 'text')
    .addPrimaryKeyConstraint('reachout_recipients_pk', ['reachout_id', 'member_id'])
    .execute();
  await db.schema
    .createIndex('reachout_recipients_member')
    .on('reachout_recipients')
    .column('member_id')
    .execute();

  // Realtime: each account's events, numbered by accounts.event_seq (taken under the account's
  // row lock, so an account's events commit in sequence order on both engines).
  await db.schema
    .alterTable('accounts')
    .addColumn('event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('events')
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['account_id', 'seq'])
    .execute();
  await db.schema.createIndex('events_created').on('events').column('created_at').execute();

  await db.schema
    .createTable('notify_settings')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references(account).onDelete('cascade'))
    .addColumn('email', 'integer', (c) => c.notNull())
    .addColumn('push', 'integer', (c) => c.notNull())
    .addColumn('quiet_start', 'text')
    .addColumn('quiet_end', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('paused_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // The durable outbox: a row is written in the same transaction as what it announces, and a
  // worker delivers it (retries with back-off); `dedupe_key` makes each notification unique.
  await db.schema
    .createTable('notify_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('notify_outbox_due')
    .on('notify_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'notify_outbox',
    'push_subscriptions',
    'notify_settings',
    'events',
    'reachout_recipients',
    'reachouts',
    'link_shares',
    'vault_shares',
    'circle_blocks',
    'circle_invitations',
    'circle_members',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('vault_items_collection_seq').execute();
  await db.schema.alterTable('accounts').dropColumn('event_seq').execute();
}
