import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DestinationStream } from 'pino';
import { err, ok, type Result } from '../core/src/result.js';
import { buildApp, type App } from './app.js';
import { describeDatabase, loadConfig, type Config } from './config.js';
import { createDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { pingDatabase } from './health/repository.js';
import { webAppIsBuilt } from './http/web.js';
import { createLogger } from './logging.js';

export interface RunningTend {
  readonly app: App;
  readonly config: Config;
  /** The address Tend listens on, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  /** Stops taking requests, lets in-flight ones finish, closes the database. */
  readonly close: () => Promise<void>;
}

/** The folder holding Tend's package.json, from wherever this file runs (source or dist). */
export function findRepoRoot(from: string = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'tend') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Tend could not find its own package.json.');
    dir = parent;
  }
}

const errCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;

/** Makes sure the folder exists and Tend can write to it. */
export function prepareWritableFolder(
  folder: string,
  what: string,
  variable: string,
): Result<void, string> {
  try {
    mkdirSync(folder, { recursive: true });
    const probe = join(folder, `.tend-write-check-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return ok(undefined);
  } catch (e) {
    const code = errCode(e);
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      return err(
        `${what} ${folder} is not a folder. Set ${variable} to a folder Tend can write to.`,
      );
    }
    return err(
      `${what} ${folder} is not writable (${code ?? 'unknown error'}). ` +
        `Make it writable by this user, or set ${variable} to another folder.`,
    );
  }
}

function databaseProblem(config: Config, e: unknown): string {
  const where = describeDatabase(config.database);
  const code = errCode(e);
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `can't reach ${where} (${code}). Check DATABASE_URL and that PostgreSQL is running.`;
    case '3D000':
      return `${where} does not exist. Create the database (createdb) or fix DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `${where} refused the user or password in DATABASE_URL (${code}).`;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
      return `can't open ${where} for writing (${code}). Check that the file and its folder are writable.`;
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `${where} is not a usable SQLite database (${code}). Restore it from a backup or point DATABASE_URL elsewhere.`;
    default: {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return `${where} failed: ${message}${code === undefined ? '' : ` (${code})`}.`;
    }
  }
}

function listenProblem(config: Config, e: unknown): string {
  const code = errCode(e);
  switch (code) {
    case 'EADDRINUSE':
      return `port ${config.port} on ${config.host} is already in use. Stop the other program, or set PORT to a free port.`;
    case 'EACCES':
      return `this user may not listen on port ${config.port}. Use a port above 1023 (PORT=3000) or run behind a reverse proxy.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `HOST ${config.host} is not an address of this machine. Use 127.0.0.1, 0.0.0.0 or one of this machine's addresses.`;
    default:
      return `could not listen on ${config.host}:${config.port}: ${e instanceof Error ? e.message : String(e)}.`;
  }
}

export interface StartOptions {
  /** Where logs go (stdout by default). Tests pass a stream to read them back. */
  readonly logDestination?: DestinationStream;
  /** Refuse to start without the built web app (true for `npm start`). */
  readonly requireWebApp?: boolean;
}

/**
 * Everything `npm start` does, as one call: validate the configuration, prepare the data folder,
 * open and migrate the database, build the app and listen. Every expected problem comes back as
 * one sentence saying what is wrong and how to fix it.
 */
export async function startTend(
  env: NodeJS.ProcessEnv,
  opts: StartOptions = {},
): Promise<Result<RunningTend, string>> {
  const repoRoot = findRepoRoot();
  const loaded = loadConfig(env, repoRoot);
  if (!loaded.ok) return err(loaded.error.join(' '));
  const config = loaded.value;

  const dataFolder = prepareWritableFolder(config.dataDir, 'The data folder', 'DATA_DIR');
  if (!dataFolder.ok) return dataFolder;
  if (config.database.engine === 'sqlite') {
    const dbFolder = prepareWritableFolder(
      dirname(config.database.file),
      'The database folder',
      'DATABASE_URL',
    );
    if (!dbFolder.ok) return dbFolder;
  }
  if ((opts.requireWebApp ?? false) && !webAppIsBuilt(config.webDir)) {
    return err(
      `the web app is not built in ${config.webDir}. Run npm run build (npm start does this for you).`,
    );
  }

  const version = (
    JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const logger = createLogger(config.logLevel, opts.logDestination);

  let handle: DatabaseHandle;
  try {
    handle = createDatabase(config.database);
  } catch (e) {
    return err(databaseProblem(config, e));
  }
  const fail = async (message: string) => {
    await handle.close().catch(() => undefined);
    return err(message);
  };

  try {
    await pingDatabase(handle.db);
  } catch (e) {
    return fail(databaseProblem(config, e));
  }

  const migrated = await migrateToLatest(handle.db).catch((e: unknown) =>
    err({ kind: 'failed' as const, migration: undefined, message: databaseProblem(config, e) }),
  );
  if (!migrated.ok) {
    const failure = migrated.error;
    if (failure.kind === 'unknown_migrations') {
      return fail(
        `${describeDatabase(config.database)} has migrations this version of Tend does not know ` +
          `(${failure.names.join(', ')}). It was last used by a newer Tend: run that version, or restore a backup.`,
      );
    }
    return fail(
      `migrating ${describeDatabase(config.database)} failed${failure.migration === undefined ? '' : ` at ${failure.migration}`}: ${failure.message}`,
    );
  }
  if (migrated.value.applied.length > 0)
    logger.info({ applied: migrated.value.applied }, 'database migrated');
  // Fresh planner statistics now and every six hours (SQLite; a no-op on PostgreSQL).
  const optimize = () => {
    try {
      handle.optimize();
    } catch (e) {
      logger.warn({ err: e }, 'refreshing the query planner statistics failed');
    }
  };
  optimize();
  const optimizeTimer = setInterval(optimize, 6 * 60 * 60 * 1000);
  optimizeTimer.unref();

  const app = await buildApp({
    config,
    db: handle.db,
    engine: handle.engine,
    logger,
    version,
    now: () => new Date(),
  });
  app.addHook('onClose', async () => {
    clearInterval(optimizeTimer);
    await handle.close();
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close().catch(() => undefined);
    return err(listenProblem(config, e));
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.info({ database: describeDatabase(config.database), port }, 'Tend is ready');
  if (config.publicUrl === undefined && !/^(127\.|::1$|localhost$)/.test(config.host)) {
    logger.warn(
      'PUBLIC_URL is not set but Tend listens beyond loopback: set PUBLIC_URL to the address people use, ' +
        'so sign-in signatures are bound to it.',
    );
  }
  return ok({ app, config, url: `http://${host}:${port}`, close: () => app.close() });
}
