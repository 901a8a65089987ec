import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { createDatabase, type DatabaseHandle, type Engine } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../logging.js';
import { findRepoRoot } from '../start.js';
import { createTestDatabase, type TestDatabase } from './engines.js';

export interface TestApp {
  readonly app: App;
  readonly handle: DatabaseHandle;
  readonly config: Config;
  readonly database: TestDatabase;
  /** Everything logged so far (JSON lines). */
  readonly logs: () => string;
  readonly close: () => Promise<void>;
}

/** A fake built web app: an index.html and one content-hashed asset. */
export function createFakeWebDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-web-'));
  mkdirSync(join(dir, '_app', 'immutable', 'entry'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="en"><title>Tend</title><body>shell</body></html>',
  );
  writeFileSync(
    join(dir, '_app', 'immutable', 'entry', 'start.abc123.js'),
    'export const x = 1;\n',
  );
  writeFileSync(join(dir, 'manifest.webmanifest'), '{"name":"Tend"}');
  return dir;
}

export interface TestAppOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly web?: boolean;
  /** The clock the app sees (default: the real one). */
  readonly now?: () => Date;
  /** Called after the app is built and before it is ready: add test-only routes here. */
  readonly extend?: (app: App) => void | Promise<void>;
}

/** Builds the real app on a fresh, migrated database of the given engine, with captured logs. */
export async function createTestApp(engine: Engine, opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(engine);
  const webDir =
    opts.web === false ? mkdtempSync(join(tmpdir(), 'tend-noweb-')) : createFakeWebDir();
  const loaded = loadConfig({ LOG_LEVEL: 'info', WEB_DIR: webDir, ...opts.env }, findRepoRoot());
  if (!loaded.ok) throw new Error(loaded.error.join(' '));
  const config: Config = { ...loaded.value, database: database.target };
  const handle = createDatabase(database.target);
  const migrated = await migrateToLatest(handle.db);
  if (!migrated.ok) throw new Error(JSON.stringify(migrated.error));

  let logs = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs += chunk.toString('utf8');
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const app = await buildApp({
    config,
    db: handle.db,
    engine,
    logger,
    version: '0.0.0-test',
    now: opts.now ?? (() => new Date()),
  });
  await opts.extend?.(app);
  await app.ready();
  return {
    app,
    handle,
    config,
    database,
    logs: () => logs,
    close: async () => {
      await app.close();
      await handle.close();
      await database.drop();
      rmSync(webDir, { recursive: true, force: true });
    },
  };
}
