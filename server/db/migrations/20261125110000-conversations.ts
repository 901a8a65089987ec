import type { Kysely } from 'kysely';

// Direct conversations (docs/PROTOCOL.md §13): who talks with whom, share keys and message
// records. Nothing here is content: every message is a record sealed in the sender's browser.
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Where it was started: `direct`, `listen` ("someone to talk to") or `aid`; and its id there.
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('context_id', 'text')
    .addColumn('created_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    // The current key id, who made that key, and the last message sequence number handed out.
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('key_by', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_at', 'text')
    .execute();

  await db.schema
    .createTable('conversation_members')
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    // The current conversation key as a share key v1 for this member, and its key id.
    .addColumn('share_key', 'text', (c) => c.notNull())
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('left_at', 'text')
    .addColumn('last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('conversation_members_pk', ['conversation_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('conversation_members_account')
    .on('conversation_members')
    .column('account_id')
    .execute();

  await db.schema
    .createTable('conversation_messages')
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('key_id', 'integer', (c) => c.notNull())
    // A message record v1, base64url (at most MAX_MESSAGE_RECORD_BYTES, checked by the route).
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_messages_pk', ['conversation_id', 'seq'])
    .addUniqueConstraint('conversation_messages_id', ['conversation_id', 'id'])
    .execute();
  // The per-sender rate limit counts a sender's recent messages.
  await db.schema
    .createIndex('conversation_messages_sender')
    .on('conversation_messages')
    .columns(['sender_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_messages').execute();
  await db.schema.dropTable('conversation_members').execute();
  await db.schema.dropTable('conversations').execute();
}
