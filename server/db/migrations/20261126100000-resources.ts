import { sql, type Kysely } from 'kysely';

// The resource directory (docs/RESOURCES.md, "Tables"): keepers, the instance's kinds, shared
// organizations, resources with their filter columns, kinds, languages and locations for the
// filters, the searchable text (SQLite FTS5 `resources_fts` / PostgreSQL `resources.search`,
// both written by the repository in the write transaction), the history, suggestions, flags and
// the changes feed's counter. All of it in one migration, so later work needs no second one.
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = 'accounts.id';

  await db.schema
    .createTable('resource_keepers')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references(account).onDelete('cascade'))
    .addColumn('added_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();

  // Instance-added kinds (the built-ins are in code). Retired, never deleted.
  await db.schema
    .createTable('resource_kinds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();

  await db.schema
    .createTable('resource_organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('website', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    // The content as published (core/src/resources/api.ts resourceContentSchema), JSON.
    .addColumn('content', 'text', (c) => c.notNull())
    // The name case-folded, for ordering.
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('resource_organizations.id'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('hours_known', 'integer', (c) => c.notNull())
    .addColumn('cost_kind', 'text')
    // JSON list of reach ways (core/src/resources/api.ts reachWays).
    .addColumn('reach', 'text', (c) => c.notNull())
    .addColumn('crisis_police', 'text', (c) => c.notNull())
    .addColumn('crisis_hold', 'text', (c) => c.notNull())
    .addColumn('crisis_tracing', 'text', (c) => c.notNull())
    .addColumn('crisis_sharing', 'text', (c) => c.notNull())
    .addColumn('crisis_police_checked_on', 'text')
    .addColumn('crisis_hold_checked_on', 'text')
    .addColumn('crisis_tracing_checked_on', 'text')
    .addColumn('crisis_sharing_checked_on', 'text')
    .addColumn('checked_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('change_seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('resources_listing')
    .on('resources')
    .columns(['retired_at', 'status', 'name_key', 'id'])
    .execute();
  await db.schema
    .createIndex('resources_change_seq')
    .on('resources')
    .column('change_seq')
    .execute();
  await db.schema
    .createIndex('resources_crisis')
    .on('resources')
    .columns(['crisis_police', 'crisis_hold', 'crisis_tracing', 'crisis_sharing'])
    .execute();
  await db.schema
    .createIndex('resources_organization')
    .on('resources')
    .column('organization_id')
    .execute();

  await db.schema
    .createTable('resource_kind_links')
    .addColumn('resource_id', 'text', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('kind_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_kind_links_pk', ['kind_id', 'resource_id'])
    .execute();
  await db.schema
    .createIndex('resource_kind_links_resource')
    .on('resource_kind_links')
    .column('resource_id')
    .execute();

  await db.schema
    .createTable('resource_languages')
    .addColumn('resource_id', 'text', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_languages_pk', ['code', 'resource_id'])
    .execute();
  await db.schema
    .createIndex('resource_languages_resource')
    .on('resource_languages')
    .column('resource_id')
    .execute();

  await db.schema
    .createTable('resource_locations')
    .addColumn('resource_id', 'text', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('physical', 'integer', (c) => c.notNull())
    .addColumn('lat_centi', 'integer')
    .addColumn('lon_centi', 'integer')
    .addPrimaryKeyConstraint('resource_locations_pk', ['resource_id', 'location_id'])
    .execute();
  await db.schema
    .createIndex('resource_locations_centre')
    .on('resource_locations')
    .columns(['lat_centi', 'lon_centi'])
    .execute();

  await db.schema
    .createTable('resource_revisions')
    .addColumn('resource_id', 'text', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('retired', 'integer', (c) => c.notNull())
    .addColumn('by_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('suggestion_id', 'text')
    .addColumn('suggested_by_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_revisions_pk', ['resource_id', 'version'])
    .execute();

  await db.schema
    .createTable('resource_suggestions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null for a new resource (no foreign key: a suggested new resource has no row yet).
    .addColumn('resource_id', 'text')
    .addColumn('base_version', 'integer')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('source', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('reviewed_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .addColumn('published_version', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('resource_suggestions_status')
    .on('resource_suggestions')
    .columns(['status', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('resource_suggestions_author')
    .on('resource_suggestions')
    .columns(['author_id', 'status'])
    .execute();
  // The daily suggestion limit.
  await db.schema
    .createIndex('resource_suggestions_author_created')
    .on('resource_suggestions')
    .columns(['author_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('resource_suggestions_resource')
    .on('resource_suggestions')
    .columns(['resource_id', 'status'])
    .execute();

  await db.schema
    .createTable('resource_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text', (c) => c.references(account).onDelete('set null'))
    .addColumn('resolve_note', 'text')
    .execute();
  // One open flag per person per resource (a partial unique index on both engines).
  await sql`create unique index resource_flags_open on resource_flags (resource_id, account_id) where resolved_at is null`.execute(
    db,
  );
  await db.schema
    .createIndex('resource_flags_queue')
    .on('resource_flags')
    .columns(['resolved_at', 'created_at', 'id'])
    .execute();
  // The daily flag limit.
  await db.schema
    .createIndex('resource_flags_account')
    .on('resource_flags')
    .columns(['account_id', 'created_at'])
    .execute();

  // The changes feed's counter: one row, bumped under the write transaction.
  await db.schema
    .createTable('resource_change_seq')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into resource_change_seq (id, value) values (1, 0)`.execute(db);

  // The searchable text, written by the repository (server/resources/repository.ts): not
  // triggers, because the text comes from several tables (kind labels, the organization).
  if ((await detectEngine(db)) === 'postgres') {
    await sql`ALTER TABLE resources ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector`.execute(
      db,
    );
    await sql`CREATE INDEX resources_search ON resources USING gin (search)`.execute(db);
    // Names order byte by byte on both engines (SQLite's BINARY), whatever the database's locale.
    await sql`ALTER TABLE resources ALTER COLUMN name_key TYPE text COLLATE "C"`.execute(db);
  } else {
    // Tokens as PostgreSQL's 'simple' configuration makes them: lower case, accents kept.
    await sql`CREATE VIRTUAL TABLE resources_fts USING fts5(
      resource_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 0'
    )`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if ((await detectEngine(db)) === 'sqlite') await sql`DROP TABLE resources_fts`.execute(db);
  for (const table of [
    'resource_change_seq',
    'resource_flags',
    'resource_suggestions',
    'resource_revisions',
    'resource_locations',
    'resource_languages',
    'resource_kind_links',
    'resources',
    'resource_organizations',
    'resource_kinds',
    'resource_keepers',
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
