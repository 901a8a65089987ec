import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createFakeWebDir } from './test-support/app.js';
import { createTestDatabase } from './test-support/engines.js';

const repoRoot = join(import.meta.dirname, '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `server/main.ts` (what `npm start` runs, from source) until it exits or `until` is seen. */
function runTend(
  env: Record<string, string>,
  opts: {
    until?: RegExp;
    then?: (pid: number, stdout: string) => Promise<void> | void;
    timeoutMs?: number;
  } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'server', 'main.ts')],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    let triggered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Tend did not finish in time.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (!triggered && opts.until?.test(stdout) === true) {
        triggered = true;
        void Promise.resolve(opts.then?.(child.pid ?? 0, stdout));
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exit non-zero with exactly one line on stderr that matches, and no stack trace anywhere. */
function expectOneClearLine(run: Run, message: RegExp) {
  expect(run.code, run.stderr).not.toBe(0);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^Tend can't start: /);
  expect(lines[0]).toMatch(message);
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at /);
}

describe('starting Tend', () => {
  let dataDir: string;
  let webDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tend-main-'));
    webDir = createFakeWebDir();
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDir, { recursive: true, force: true });
  });

  it('creates ./data/tend.db in WAL mode, prints its URL, and shuts down cleanly on SIGTERM', async () => {
    const dir = join(dataDir, 'fresh');
    let url = '';
    let ready: unknown;
    const run = await runTend(
      { DATA_DIR: dir, WEB_DIR: webDir },
      {
        until: /Tend is running at (http:\/\/\S+)/,
        then: async (pid, stdout) => {
          url = /Tend is running at (http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
          ready = await (await fetch(`${url}/readyz`)).json();
          process.kill(pid, 'SIGTERM');
        },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready).toEqual({ status: 'ready' });
    expect(existsSync(join(dir, 'tend.db'))).toBe(true);
    // A clean close checkpoints the write-ahead log and removes it.
    expect(existsSync(join(dir, 'tend.db-wal'))).toBe(false);
    expect(run.stdout).toContain('shutting down');
  });

  it.each([
    [
      { DATABASE_URL: 'mysql://root@localhost/tend' },
      /scheme "mysql:", which Tend does not support/,
    ],
    [{ DATABASE_URL: 'postgres://user:p@ss@[::1' }, /DATABASE_URL is not a valid PostgreSQL URL/],
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL must be one of/],
  ])('refuses a bad configuration %o with one clear line', async (env, message) => {
    expectOneClearLine(await runTend({ DATA_DIR: dataDir, WEB_DIR: webDir, ...env }), message);
  });

  it('refuses a data folder it cannot write to', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'not a folder');
    expectOneClearLine(
      await runTend({ DATA_DIR: join(file, 'data'), WEB_DIR: webDir }),
      /data folder .* is not (writable|a folder).*DATA_DIR/,
    );
    expectOneClearLine(
      await runTend({ DATA_DIR: '/sys/tend-data', WEB_DIR: webDir }),
      /data folder \/sys\/tend-data is not writable/,
    );
  });

  it('refuses a port that is already in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      expectOneClearLine(
        await runTend({ DATA_DIR: dataDir, WEB_DIR: webDir, PORT: String(port) }),
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*PORT`),
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses to start without the built web app', async () => {
    expectOneClearLine(
      await runTend({ DATA_DIR: dataDir, WEB_DIR: join(dataDir, 'no-web') }),
      /web app is not built.*npm run build/,
    );
  });

  it('refuses an unreachable PostgreSQL, without printing its password', async () => {
    const run = await runTend({
      DATA_DIR: dataDir,
      WEB_DIR: webDir,
      DATABASE_URL: 'postgres://tend:hunter2-secret@127.0.0.1:1/tend',
    });
    expectOneClearLine(run, /can't reach PostgreSQL at 127\.0\.0\.1:1\/tend \(ECONNREFUSED\)/);
    expect(run.stderr).not.toContain('hunter2-secret');
  });

  it('refuses a database written by a newer Tend', async () => {
    const database = await createTestDatabase('sqlite');
    const handle = createDatabase(database.target);
    try {
      await migrateToLatest(handle.db);
      await sql`insert into kysely_migration (name, timestamp) values ('29990101000000-future', '2999-01-01')`.execute(
        handle.db,
      );
    } finally {
      await handle.close();
    }
    try {
      expectOneClearLine(
        await runTend({ DATA_DIR: dataDir, WEB_DIR: webDir, DATABASE_URL: database.url }),
        /has migrations this version of Tend does not know \(29990101000000-future\)/,
      );
    } finally {
      await database.drop();
    }
  });
});

describe.skipIf(!inject('postgresAvailable'))('starting Tend on PostgreSQL', () => {
  it('migrates and serves with DATABASE_URL=postgres://…', async () => {
    const database = await createTestDatabase('postgres');
    const webDir = createFakeWebDir();
    let body: unknown;
    try {
      const run = await runTend(
        {
          DATABASE_URL: database.url,
          DATA_DIR: mkdtempSync(join(tmpdir(), 'tend-pg-')),
          WEB_DIR: webDir,
        },
        {
          until: /Tend is running at (http:\/\/\S+)/,
          then: async (pid, stdout) => {
            const url = /Tend is running at (http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
            body = await (await fetch(`${url}/readyz`)).json();
            process.kill(pid, 'SIGTERM');
          },
        },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(body).toEqual({ status: 'ready' });
    } finally {
      await database.drop();
      rmSync(webDir, { recursive: true, force: true });
    }
  });
});
