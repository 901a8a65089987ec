import { sql, type Kysely } from 'kysely';

// Every conversation key each participant was given (docs/PROTOCOL.md §13.1): after a key reset
// both still read the messages sealed under older key ids. One row per conversation, member and
// key id: the share key (a share key v1 for that member, base64url) and who made (signed) it.
// conversation_members keeps the current one as before.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversation_keys')
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('key_by', 'text', (c) => c.notNull())
    .addColumn('share_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_keys_pk', ['conversation_id', 'account_id', 'key_id'])
    .execute();
  // The keys already stored are the current ones; older ones were not kept before this.
  await sql`INSERT INTO conversation_keys (conversation_id, account_id, key_id, key_by, share_key)
    SELECT m.conversation_id, m.account_id, m.key_id, c.key_by, m.share_key
    FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_keys').execute();
}
