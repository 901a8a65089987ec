import { sql, type Kysely } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../db/database.js';
import { down, up } from '../../db/migrations/20261125130000-meetings.js';
import { migrateToLatest } from '../../db/migrate.js';
import {
  createTestDatabase,
  describeEachEngine,
  type TestDatabase,
} from '../../test-support/engines.js';

const tables = ['group_calendar_feeds', 'group_meeting_changes', 'group_meetings', 'group_rsvps'];

describeEachEngine('meetings migration', (engine) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  async function existing(): Promise<string[]> {
    const rows =
      engine === 'sqlite'
        ? await sql<{ name: string }>`SELECT name FROM sqlite_master
            WHERE type = 'table' AND (name LIKE 'group_meeting%' OR name = 'group_rsvps'
              OR name = 'group_calendar_feeds')`.execute(handle.db)
        : await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables
            WHERE schemaname = current_schema()
              AND (tablename LIKE 'group_meeting%' OR tablename = 'group_rsvps'
                   OR tablename = 'group_calendar_feeds')`.execute(handle.db);
    return rows.rows.map((r) => r.name).sort();
  }

  it('goes down and up again', async () => {
    database = await createTestDatabase(engine);
    handle = createDatabase(database.target);
    const migrated = await migrateToLatest(handle.db);
    expect(migrated.ok).toBe(true);
    expect(await existing()).toEqual(tables);
    await down(handle.db as unknown as Kysely<unknown>);
    expect(await existing()).toEqual([]);
    await up(handle.db as unknown as Kysely<unknown>);
    expect(await existing()).toEqual(tables);
  });
});
