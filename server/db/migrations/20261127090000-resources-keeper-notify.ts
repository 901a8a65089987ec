import type { Kysely } from 'kysely';

// Keepers' opt-in "New suggestions for the directory" notification, at most daily
// (docs/RESOURCES.md, "Realtime and notifications"). A missing row means not opted in.
// `daily_suggestions` is 1 or 0; `last_sent_at` is when the last one was queued (ISO), or null.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resource_keeper_notify')
    .addColumn('account_id', 'text', (c) =>
      c.primaryKey().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('daily_suggestions', 'integer', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('resource_keeper_notify').execute();
}
