import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type DialectAdapter,
  type MigrationLockOptions,
} from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.js';
import type { Database } from './schema.js';

export type Engine = DatabaseTarget['engine'];

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** Closes every connection. Safe to call twice. */
  readonly close: () => Promise<void>;
}

/**
 * SQLite has no advisory locks, and Kysely's SQLite adapter takes none because one process holds
 * one connection. Two Tend processes starting together on one file must still not both migrate:
 * writing the lock row first takes SQLite's write lock (waiting up to busy_timeout for the other
 * process), before the migrator reads which migrations have run.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(
    db: Kysely<unknown>,
    opt: MigrationLockOptions,
  ): Promise<void> {
    await sql`update ${sql.table(opt.lockTable)} set is_locked = 1 where id = ${opt.lockRowId}`.execute(
      db,
    );
  }
}

class LockingSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}

/** Opens the SQLite file with the settings Tend relies on. */
export function openSqlite(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a write that Tend acknowledged survives a power cut, not only a crash of Tend itself.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

// PostgreSQL bigint (int8) and numeric come back as strings by default; Tend keeps its integers
// (counts, byte sizes, revisions) well inside 2^53, so read them as numbers on both engines.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function createDatabase(target: DatabaseTarget): DatabaseHandle {
  let closed = false;
  if (target.engine === 'sqlite') {
    const sqlite = openSqlite(target.file);
    const db = new Kysely<Database>({ dialect: new LockingSqliteDialect({ database: sqlite }) });
    return {
      db,
      engine: 'sqlite',
      close: async () => {
        if (closed) return;
        closed = true;
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
