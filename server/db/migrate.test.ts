import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeEachEngine,
  type TestDatabase,
} from '../test-support/engines.js';
import { createDatabase, type DatabaseHandle } from './database.js';
import { migrations } from './migrations/index.js';
import {
  executedMigrations,
  knownMigrations,
  migrateToLatest,
  migrationFolder,
} from './migrate.js';

const repoRoot = join(import.meta.dirname, '..', '..');

it('names every migration <timestamp>-<name>.ts and lists each one', async () => {
  const files = readdirSync(migrationFolder).filter((f) => f !== 'index.ts');
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(f).toMatch(/^\d{14}-[a-z0-9-]+\.ts$/);
  expect(await knownMigrations()).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
});

interface Child {
  readonly done: Promise<{ code: number | null; out: string }>;
  readonly output: () => string;
  readonly send: (line: string) => void;
}

/** Another Tend instance migrating the same database, in its own Node process. */
function migrateInChild(databaseUrl: string, mode: 'hold' | 'plain'): Child {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'server', 'test-support', 'migrate-child.ts'),
      databaseUrl,
      mode,
    ],
    { cwd: repoRoot },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return {
    done: new Promise((res) => child.on('exit', (code) => res({ code, out }))),
    output: () => out,
    send: (line) => child.stdin.end(`${line}\n`),
  };
}

const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1) ?? '') as unknown;

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeEachEngine('migrations', (engine) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  const open = async () => {
    database = await createTestDatabase(engine);
    handle = createDatabase(database.target);
  };

  it('run from empty, create the tables, and are idempotent', async () => {
    await open();
    const known = await knownMigrations();
    const first = await migrateToLatest(handle.db);
    expect(first).toEqual({ ok: true, value: { applied: known } });
    const tables = (await handle.db.introspection.getTables()).map((t) => t.name);
    expect(tables).toContain('instance_settings');
    expect(await executedMigrations(handle.db)).toEqual(known);

    const second = await migrateToLatest(handle.db);
    expect(second).toEqual({ ok: true, value: { applied: [] } });
    expect(await executedMigrations(handle.db)).toEqual(known);

    // The schema works: a row goes in and comes back.
    const now = new Date().toISOString();
    await handle.db
      .insertInto('instance_settings')
      .values({ key: 'k', value: '"v"', updated_at: now })
      .execute();
    const row = await handle.db
      .selectFrom('instance_settings')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ key: 'k', value: '"v"', updated_at: now });
  });

  it('each go down and up again, from the newest to the oldest, leaving the same schema', async () => {
    await open();
    /**
     * Every table with its columns, and every index (a migration may make only indexes), sorted
     * (SQLite's FTS5 shadow tables included).
     */
    const schema = async () => {
      const indexes = (
        engine === 'sqlite'
          ? await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and name not like 'sqlite_%'`.execute(
              handle.db,
            )
          : await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where schemaname = current_schema()`.execute(
              handle.db,
            )
      ).rows.map((r) => `index ${r.name}()`);
      return (await handle.db.introspection.getTables())
        .map((t) => `${t.name}(${t.columns.map((c) => `${c.name} ${c.dataType}`).join(', ')})`)
        .concat(indexes)
        .sort();
    };
    const up = await migrateToLatest(handle.db);
    if (!up.ok) throw new Error(JSON.stringify(up.error));
    const full = await schema();
    const migrator = new Migrator({
      db: handle.db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
      migrationTableName: 'kysely_migration',
    });
    const names = Object.keys(migrations).sort();
    // Down one at a time: each step drops something (every migration makes tables) and fails
    // nothing; a down that dropped another migration's table would show in the final comparison.
    let before = full;
    for (let i = names.length - 1; i >= 1; i -= 1) {
      const step = await migrator.migrateTo(names[i - 1]!);
      expect(step.error, names[i]).toBeUndefined();
      expect(step.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([
        [names[i], 'Down', 'Success'],
      ]);
      const after = await schema();
      expect(after.length, names[i]).toBeLessThan(before.length);
      // (Table names: a down may also take back columns it added to older tables.)
      const tableOf = (t: string) => t.slice(0, t.indexOf('('));
      expect(before.map(tableOf), names[i]).toEqual(expect.arrayContaining(after.map(tableOf)));
      before = after;
    }
    const again = await migrateToLatest(handle.db);
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(await schema()).toEqual(full);
  });

  it('refuse a database that has migrations this build does not know, changing nothing', async () => {
    await open();
    await migrateToLatest(handle.db);
    await sql`insert into kysely_migration (name, timestamp) values ('29991231000000-from-the-future', ${new Date().toISOString()})`.execute(
      handle.db,
    );
    const before = await executedMigrations(handle.db);
    const r = await migrateToLatest(handle.db);
    expect(r).toEqual({
      ok: false,
      error: { kind: 'unknown_migrations', names: ['29991231000000-from-the-future'] },
    });
    expect(await executedMigrations(handle.db)).toEqual(before);
  });

  it("let a second instance wait for the first one's migration lock", async () => {
    await open();
    const first = migrateInChild(database.url, 'hold');
    await until(() => first.output().includes('holding'));
    // The first instance is inside its migration, holding the lock. The second must wait...
    const second = migrateInChild(database.url, 'plain');
    let secondDone = false;
    void second.done.then(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(secondDone, second.output()).toBe(false);
    // ...and, once the first finishes, find nothing left to do.
    first.send('go');
    const [a, b] = await Promise.all([first.done, second.done]);
    const known = await knownMigrations();
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    expect(lastJson(a.out)).toEqual({ ok: true, value: { applied: known } });
    expect(lastJson(b.out)).toEqual({ ok: true, value: { applied: [] } });
    expect(await executedMigrations(handle.db)).toEqual(known);
  });
});
