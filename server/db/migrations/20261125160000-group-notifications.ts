import type { Kysely } from 'kysely';

// Per-group notification choices (docs/GROUPS.md, "Notifications"): `everything`,
// `mentions-and-meetings` (the default, and what a missing row means) or `nothing`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('group_notify_choices')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_notify_choices_pk', ['group_id', 'account_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('group_notify_choices').execute();
}
