import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/engines.js';
import { createDatabase, type DatabaseHandle } from './database.js';
import { migrateToLatest } from './migrate.js';

let database: TestDatabase;
let handle: DatabaseHandle;

afterEach(async () => {
  await handle.close();
  await database.drop();
});

it('gathers SQLite planner statistics when asked to optimize (none before)', async () => {
  database = await createTestDatabase('sqlite');
  handle = createDatabase(database.target);
  await migrateToLatest(handle.db);
  const now = new Date().toISOString();
  await handle.db
    .insertInto('instance_settings')
    .values(Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '1', updated_at: now })))
    .execute();
  const stats = async () => {
    const t = await sql<{ n: number }>`
      select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(handle.db);
    if (t.rows[0]!.n === 0) return [];
    return (await sql<{ tbl: string }>`select tbl from sqlite_stat1`.execute(handle.db)).rows.map(
      (r) => r.tbl,
    );
  };
  expect(await stats()).toEqual([]);
  handle.optimize();
  expect(await stats()).toContain('instance_settings');
  // Closed: asking again is harmless.
  await handle.close();
  expect(() => handle.optimize()).not.toThrow();
});
