import { sql, type Kysely } from 'kysely';

// Peer-support groups (docs/GROUPS.md): groups, their versioned agreements, memberships, join
// requests and invitations, and full-text search over what a group says about itself. Unlike the
// vault, this is community content the server can read, so the community can moderate it.
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';
  const group = 'groups.id';

  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // JSON arrays of strings, for display; group_tags holds the same values for filtering.
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('area', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('join_questions', 'text', (c) => c.notNull())
    .addColumn('agreement_version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema
    .createIndex('groups_created')
    .on('groups')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema.createIndex('groups_created_by').on('groups').column('created_by').execute();

  // A topic or a language of a group, normalised, for exact filters on both engines.
  await db.schema
    .createTable('group_tags')
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_tags_pk', ['group_id', 'kind', 'value'])
    .execute();
  await db.schema
    .createIndex('group_tags_value')
    .on('group_tags')
    .columns(['kind', 'value'])
    .execute();

  await db.schema
    .createTable('group_agreements')
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('written_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_agreements_pk', ['group_id', 'version'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('agreement_version', 'integer', (c) => c.notNull())
    .addColumn('pseudonym', 'text')
    // NFC + lower case of the pseudonym: unique per group (several NULLs are allowed).
    .addColumn('pseudonym_key', 'text')
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'account_id'])
    .addUniqueConstraint('group_members_pseudonym', ['group_id', 'pseudonym_key'])
    .execute();
  await db.schema
    .createIndex('group_members_account')
    .on('group_members')
    .column('account_id')
    .execute();

  await db.schema
    .createTable('group_join_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references(account).onDelete('cascade'))
    // JSON array of strings, one answer per join question.
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('agreement_version', 'integer', (c) => c.notNull())
    .addColumn('pseudonym', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('group_join_requests_group')
    .on('group_join_requests')
    .columns(['group_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('group_join_requests_account')
    .on('group_join_requests')
    .columns(['account_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('group_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references(group).onDelete('cascade'))
    .addColumn('invited_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // By handle: the invitee. By link: null (a link may be used by several people).
    .addColumn('invitee_id', 'text', (c) => c.references(account).onDelete('cascade'))
    // SHA-256 of the link token (base64url), for link invitations.
    .addColumn('link_token_hash', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema
    .createIndex('group_invitations_group')
    .on('group_invitations')
    .column('group_id')
    .execute();
  await db.schema
    .createIndex('group_invitations_invitee')
    .on('group_invitations')
    .column('invitee_id')
    .execute();

  // Full-text search over name, description, topics and area. The repository hides which one
  // is used (server/groups/repository.ts searchGroups).
  const engine = await detectEngine(db);
  if (engine === 'postgres') {
    await sql`ALTER TABLE groups ADD COLUMN search tsvector GENERATED ALWAYS AS (
      to_tsvector('simple'::regconfig,
        name || ' ' || description || ' ' || topics || ' ' || coalesce(area, ''))
    ) STORED`.execute(db);
    await sql`CREATE INDEX groups_search ON groups USING gin (search)`.execute(db);
  } else {
    // Tokens as PostgreSQL's 'simple' configuration makes them: lower case, accents kept. The
    // update trigger fires only when an indexed column changes (not for the row lock's no-op).
    await sql`CREATE VIRTUAL TABLE groups_fts USING fts5(
      name, description, topics, area, tokenize = 'unicode61 remove_diacritics 0'
    )`.execute(db);
    await sql`CREATE TRIGGER groups_fts_insert AFTER INSERT ON groups BEGIN
      INSERT INTO groups_fts(rowid, name, description, topics, area)
        VALUES (new.rowid, new.name, new.description, new.topics, coalesce(new.area, ''));
    END`.execute(db);
    await sql`CREATE TRIGGER groups_fts_update
      AFTER UPDATE OF name, description, topics, area ON groups BEGIN
      DELETE FROM groups_fts WHERE rowid = old.rowid;
      INSERT INTO groups_fts(rowid, name, description, topics, area)
        VALUES (new.rowid, new.name, new.description, new.topics, coalesce(new.area, ''));
    END`.execute(db);
    await sql`CREATE TRIGGER groups_fts_delete AFTER DELETE ON groups BEGIN
      DELETE FROM groups_fts WHERE rowid = old.rowid;
    END`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if ((await detectEngine(db)) === 'sqlite') {
    for (const trigger of ['groups_fts_insert', 'groups_fts_update', 'groups_fts_delete']) {
      await sql`DROP TRIGGER ${sql.id(trigger)}`.execute(db);
    }
    await sql`DROP TABLE groups_fts`.execute(db);
  }
  for (const table of [
    'group_invitations',
    'group_join_requests',
    'group_members',
    'group_agreements',
    'group_tags',
    'groups',
  ]) {
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
