import { Migrator } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import {
  createTestDatabase,
  describeEachEngine,
  type TestDatabase,
} from '../../test-support/engines.js';

const NAME = '20261125160000-group-notifications';
const TABLES = ['group_notify_choices'];

describeEachEngine('group notification choices migration', (engine) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    handle = createDatabase(database.target);
  });
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  const tables = async () =>
    (await handle.db.introspection.getTables())
      .map((t) => t.name)
      .filter((n) => n === 'group_notify_choices')
      .sort();

  it('goes up, down (dropping only its own tables) and up again', async () => {
    const up = await migrateToLatest(handle.db);
    if (!up.ok) throw new Error(JSON.stringify(up.error));
    expect(await tables()).toEqual(TABLES);

    const names = Object.keys(migrations).sort();
    const previous = names[names.indexOf(NAME) - 1];
    if (previous === undefined)
      throw new Error('the group notifications migration has a predecessor');
    const migrator = new Migrator({
      db: handle.db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
      migrationTableName: 'kysely_migration',
    });
    const down = await migrator.migrateTo(previous);
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toContainEqual([
      NAME,
      'Down',
      'Success',
    ]);
    expect(await tables()).toEqual([]);
    // Everything before it is still there.
    expect((await handle.db.introspection.getTables()).map((t) => t.name)).toContain('accounts');

    const again = await migrateToLatest(handle.db);
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(await tables()).toEqual(TABLES);
  });
});
