import type { Kysely } from 'kysely';

// Moderation (docs/MODERATION.md): reports, mutes, group bans, notes (warnings) to members, and the
// append-only audit log of every moderator's action.
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';
  const group = 'groups.id';

  await db.schema
    .createTable('moderation_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // post | thread | conversation
    // Group reports: the group and what was reported. Conversation reports: the conversation.
    .addColumn('group_id', 'text', (c) => c.references(group).onDelete('cascade'))
    .addColumn('thread_id', 'text')
    .addColumn('post_id', 'text')
    .addColumn('conversation_id', 'text')
    // Never returned to anyone but the reporter.
    .addColumn('reporter_id', 'text', (c) => c.references(account).onDelete('set null'))
    // Who wrote what was reported.
    .addColumn('reported_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('words', 'text')
    // Conversation reports: JSON array of the revealed, verified messages (erased on withdrawal).
    .addColumn('messages', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // open | resolved | dismissed | withdrawn
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text', (c) => c.references(account).onDelete('set null'))
    .execute();
  // The queue: open reports by group, oldest first.
  await db.schema
    .createIndex('moderation_reports_queue')
    .on('moderation_reports')
    .columns(['status', 'group_id', 'created_at', 'id'])
    .execute();
  // The reporting limit and "my reports".
  await db.schema
    .createIndex('moderation_reports_reporter')
    .on('moderation_reports')
    .columns(['reporter_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('moderation_mutes')
    .addColumn('muter_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('muted_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('moderation_mutes_pk', ['muter_id', 'muted_id'])
    .execute();

  await db.schema
    .createTable('group_bans')
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('banned_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_bans_pk', ['group_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('moderation_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.references(group).onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('moderation_notes_account')
    .on('moderation_notes')
    .columns(['account_id', 'created_at'])
    .execute();

  // Append-only: the application inserts rows and never updates or deletes them.
  await db.schema
    .createTable('moderation_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.references(account).onDelete('set null'))
    // Null for direct-conversation reports (no group).
    .addColumn('group_id', 'text', (c) => c.references(group).onDelete('cascade'))
    .addColumn('thread_id', 'text')
    .addColumn('post_id', 'text')
    .addColumn('report_id', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('moderation_audit_group')
    .on('moderation_audit')
    .columns(['group_id', 'at', 'id'])
    .execute();
  await db.schema
    .createIndex('moderation_audit_at')
    .on('moderation_audit')
    .columns(['at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'moderation_audit',
    'moderation_notes',
    'group_bans',
    'moderation_mutes',
    'moderation_reports',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
