import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
  type Transaction,
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
  /**
   * Keeps the query planner's statistics fresh. SQLite gathers none on its own: without them it
   * can pick a worse index (bench/README.md, the aid board's area filter), so Tend runs SQLite's
   * recommended `PRAGMA optimize` (analysing only tables that need it, with a bounded effort)
   * after migrating and then every few hours. PostgreSQL's autovacuum analyses by itself.
   */
  readonly optimize: () => void;
}

/**
 * Kysely's SQLite adapter runs migrations outside any transaction and takes no lock, because one
 * process holds one connection. Tend needs both: a migration that fails halfway must leave nothing
 * behind, and two Tend processes starting together on one file must not both migrate. So every
 * transaction on SQLite begins IMMEDIATE: it takes the write lock before it reads anything (waiting
 * up to busy_timeout for another writer), which also spares ordinary write transactions the
 * "database is locked" upgrade failure of deferred transactions in WAL mode. Migrations then run
 * inside such a transaction, and the transaction is the migration lock.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
  override async acquireMigrationLock(): Promise<void> {
    // The IMMEDIATE transaction the migrator opens next is the lock.
  }
  override async releaseMigrationLock(): Promise<void> {}
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TendSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
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
    const db = new Kysely<Database>({ dialect: new TendSqliteDialect({ database: sqlite }) });
    return {
      db,
      engine: 'sqlite',
      // 0x10002: also tables never analysed before, as SQLite advises for long-lived connections.
      optimize: () => {
        if (!closed) sqlite.pragma('optimize = 0x10002');
      },
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
    optimize: () => undefined,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** The database handle use cases pass to repositories, without building queries themselves. */
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/** Runs `fn` in one transaction: all of its writes land, or none (it rolls back on a throw). */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
