import { afterEach, expect, it } from 'vitest';
import { createDatabase, inTransaction, type DatabaseHandle } from '../db/database.js';
import { migrations } from '../db/migrations/index.js';
import {
  createTestDatabase,
  describeEachEngine,
  type TestDatabase,
} from '../test-support/engines.js';

const GROUPS = '20261125100000-groups';
const GROUP_TABLES = [
  'group_agreements',
  'group_invitations',
  'group_join_requests',
  'group_members',
  'group_tags',
  'groups',
];

describeEachEngine('groups migration', (engine) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  const tables = async () =>
    (await handle.db.introspection.getTables())
      .map((t) => t.name)
      .filter((n) => n.startsWith('group'))
      .sort();

  it('goes up and down and up again, search included', async () => {
    database = await createTestDatabase(engine);
    handle = createDatabase(database.target);
    const names = Object.keys(migrations).sort();
    const upTo = names.slice(0, names.indexOf(GROUPS) + 1);
    await inTransaction(handle.db, async (trx) => {
      for (const name of upTo) await migrations[name]!.up(trx);
    });
    expect(await tables()).toEqual(expect.arrayContaining(GROUP_TABLES));

    await inTransaction(handle.db, async (trx) => migrations[GROUPS]!.down!(trx));
    expect(await tables()).toEqual([]);

    await inTransaction(handle.db, async (trx) => migrations[GROUPS]!.up(trx));
    expect(await tables()).toEqual(expect.arrayContaining(GROUP_TABLES));
  });
});
