import { sql, type Kysely } from 'kysely';

// Group conversations between meetings (docs/GROUPS.md): threads, posts, reactions, mentions, and
// full-text search over post bodies and thread titles. Community content the server can read, so
// the group can moderate it (unlike the vault and direct conversations).
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';
  const group = 'groups.id';

  await db.schema
    .createTable('group_threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references(account).onDelete('set null'))
    // The pseudonym the thread was started under, or null (posted under the handle).
    .addColumn('posted_as', 'text')
    .addColumn('content_warning', 'text')
    .addColumn('first_post_id', 'text', (c) => c.notNull())
    .addColumn('locked_at', 'text')
    .addColumn('locked_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('hidden_at', 'text')
    .addColumn('hidden_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_post_at', 'text', (c) => c.notNull())
    .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Threads of a group, newest activity first (the list's order and cursor).
  await db.schema
    .createIndex('group_threads_activity')
    .on('group_threads')
    .columns(['group_id', 'last_post_at', 'id'])
    .execute();

  await db.schema
    .createTable('group_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) =>
      c.notNull().references('group_threads.id').onDelete('cascade'),
    )
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('posted_as', 'text')
    // Markdown as written (at most THREAD_LIMITS.body characters, checked by the route); erased
    // ('') when the post is deleted.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('content_warning', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('hidden_at', 'text')
    .addColumn('hidden_by', 'text', (c) => c.references(account).onDelete('set null'))
    .execute();
  await db.schema
    .createIndex('group_posts_thread')
    .on('group_posts')
    .columns(['thread_id', 'created_at', 'id'])
    .execute();
  // The posting rate limit counts an author's recent posts.
  await db.schema
    .createIndex('group_posts_author')
    .on('group_posts')
    .columns(['author_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('group_posts_group')
    .on('group_posts')
    .columns(['group_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('group_post_reactions')
    .addColumn('post_id', 'text', (c) =>
      c.notNull().references('group_posts.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('reaction', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_post_reactions_pk', ['post_id', 'account_id', 'reaction'])
    .execute();

  await db.schema
    .createTable('group_mentions')
    .addColumn('post_id', 'text', (c) =>
      c.notNull().references('group_posts.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_mentions_pk', ['post_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('group_mentions_account')
    .on('group_mentions')
    .columns(['account_id', 'created_at'])
    .execute();

  // Full-text search: a generated tsvector with a GIN index on PostgreSQL, FTS5 tables kept by
  // triggers on SQLite (on insert, edit and delete). The repository hides which one is used.
  const engine = await detectEngine(db);
  if (engine === 'postgres') {
    await sql`ALTER TABLE group_posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
      to_tsvector('simple'::regconfig, body)
    ) STORED`.execute(db);
    await sql`CREATE INDEX group_posts_search ON group_posts USING gin (search)`.execute(db);
    await sql`ALTER TABLE group_threads ADD COLUMN search tsvector GENERATED ALWAYS AS (
      to_tsvector('simple'::regconfig, title)
    ) STORED`.execute(db);
    await sql`CREATE INDEX group_threads_search ON group_threads USING gin (search)`.execute(db);
  } else {
    for (const [table, column] of [
      ['group_posts', 'body'],
      ['group_threads', 'title'],
    ] as const) {
      const fts = sql.id(`${table}_fts`);
      const t = sql.id(table);
      const c = sql.id(column);
      // Tokens as PostgreSQL's 'simple' configuration makes them: lower case, accents kept.
      await sql`CREATE VIRTUAL TABLE ${fts} USING fts5(
        ${c}, tokenize = 'unicode61 remove_diacritics 0'
      )`.execute(db);
      await sql`CREATE TRIGGER ${sql.id(`${table}_fts_insert`)} AFTER INSERT ON ${t} BEGIN
        INSERT INTO ${fts}(rowid, ${c}) VALUES (new.rowid, new.${c});
      END`.execute(db);
      await sql`CREATE TRIGGER ${sql.id(`${table}_fts_update`)} AFTER UPDATE OF ${c} ON ${t} BEGIN
        DELETE FROM ${fts} WHERE rowid = old.rowid;
        INSERT INTO ${fts}(rowid, ${c}) VALUES (new.rowid, new.${c});
      END`.execute(db);
      await sql`CREATE TRIGGER ${sql.id(`${table}_fts_delete`)} AFTER DELETE ON ${t} BEGIN
        DELETE FROM ${fts} WHERE rowid = old.rowid;
      END`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if ((await detectEngine(db)) === 'sqlite') {
    for (const table of ['group_posts', 'group_threads']) {
      for (const on of ['insert', 'update', 'delete']) {
        await sql`DROP TRIGGER ${sql.id(`${table}_fts_${on}`)}`.execute(db);
      }
      await sql`DROP TABLE ${sql.id(`${table}_fts`)}`.execute(db);
    }
  }
  for (const table of ['group_mentions', 'group_post_reactions', 'group_posts', 'group_threads']) {
    await db.schema.dropTable(table).execute();
  }
}

/**
 * Which engine runs this migration (the portable schema builder cannot say FTS5 or tsvector).
 * Asks PostgreSQL's `version()`: a failed statement would abort a PostgreSQL transaction, but on
 * SQLite (no such function) it fails alone and the transaction goes on.
 */
async function detectEngine(db: Kysely<unknown>): Promise<'sqlite' | 'postgres'> {
  try {
    await sql`SELECT version()`.execute(db);
    return 'postgres';
  } catch {
    return 'sqlite';
  }
}
