import path from 'node:path';
import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import { err, ok, type Result } from '../../core/src/result.js';
import { migrations } from './migrations/index.js';

export const migrationFolder = path.join(import.meta.dirname, 'migrations');
const migrationTable = 'kysely_migration';

export type MigrationFailure =
  | { readonly kind: 'unknown_migrations'; readonly names: readonly string[] }
  | { readonly kind: 'failed'; readonly migration: string | undefined; readonly message: string };

function provider(): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations) };
}

/** Names of the migrations this build ships, in order (`<timestamp>-<name>`). */
export async function knownMigrations(): Promise<string[]> {
  return Object.keys(await provider().getMigrations()).sort();
}

/** Names of the migrations recorded as executed in the database (empty for a new database). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work below the typed schema
export async function executedMigrations(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === migrationTable)) return [];
  const rows = await sql<{
    name: string;
  }>`select name from ${sql.table(migrationTable)} order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/**
 * Brings the database up to this build's schema. Kysely runs the migrations in one transaction
 * under a lock (an advisory lock on PostgreSQL, the write lock on SQLite), so instances that start
 * together apply each migration once. A database that has run migrations this build does not
 * know (written by a newer Tend) is refused before anything is changed.
 */
export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work below the typed schema
  db: Kysely<any>,
): Promise<Result<{ applied: string[] }, MigrationFailure>> {
  const known = new Set(await knownMigrations());
  const unknown = (await executedMigrations(db)).filter((name) => !known.has(name));
  if (unknown.length > 0) return err({ kind: 'unknown_migrations', names: unknown });

  const migrator = new Migrator({ db, provider: provider(), migrationTableName: migrationTable });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    const missing = /previously executed migration (\S+) is missing/.exec(message)?.[1];
    if (missing !== undefined) return err({ kind: 'unknown_migrations', names: [missing] });
    return err({ kind: 'failed', migration: failed?.migrationName, message });
  }
  return ok({ applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) });
}
