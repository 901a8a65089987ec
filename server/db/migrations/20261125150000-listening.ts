import type { Kysely } from 'kysely';

// "Someone to talk to" (docs/GROUPS.md): listening windows, asks, who was told of an ask, and
// kind words after a talk. No ratings, scores or counts are kept: there is no column for one.
// What the asker wants to say never reaches these tables (it goes into the encrypted conversation).
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';

  // One window per person at most; stopping deletes it (no history of who listened when).
  await db.schema
    .createTable('listen_windows')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references(account).onDelete('cascade'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    // JSON arrays: topics from core/src/groups/listen-api.ts LISTEN_TOPICS, language tags.
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('listen_windows_ends')
    .on('listen_windows')
    .column('ends_at')
    .execute();

  await db.schema
    .createTable('listen_asks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asker_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    // open → accepted (a listener took it) → talking (the conversation exists) → ended;
    // open → withdrawn | expired; accepted → withdrawn.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('listener_id', 'text', (c) => c.references(account).onDelete('cascade'))
    .addColumn('conversation_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('listen_asks_asker')
    .on('listen_asks')
    .columns(['asker_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('listen_asks_listener')
    .on('listen_asks')
    .column('listener_id')
    .execute();

  // The available listeners an ask was offered to (so they can be told when it is taken).
  await db.schema
    .createTable('listen_ask_candidates')
    .addColumn('ask_id', 'text', (c) =>
      c.notNull().references('listen_asks.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addPrimaryKeyConstraint('listen_ask_candidates_pk', ['ask_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('listen_ask_candidates_account')
    .on('listen_ask_candidates')
    .column('account_id')
    .execute();

  // Kind words, once per person per talk, for the other person only.
  await db.schema
    .createTable('listen_feedback')
    .addColumn('ask_id', 'text', (c) =>
      c.notNull().references('listen_asks.id').onDelete('cascade'),
    )
    .addColumn('from_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('to_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    // JSON array of FEEDBACK_WORDS.
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('listen_feedback_pk', ['ask_id', 'from_id'])
    .execute();
  await db.schema.createIndex('listen_feedback_to').on('listen_feedback').column('to_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('listen_feedback').execute();
  await db.schema.dropTable('listen_ask_candidates').execute();
  await db.schema.dropTable('listen_asks').execute();
  await db.schema.dropTable('listen_windows').execute();
}
