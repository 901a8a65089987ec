// The conversation-keys migration keeps what a database already holds: each member's current
// share key becomes that key id's row (with the conversation's key maker), so a reset after the
// upgrade still leaves the earlier key readable.
import { Migrator } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import {
  createTestDatabase,
  describeEachEngine,
  type TestDatabase,
} from '../test-support/engines.js';

describeEachEngine('conversation keys migration', (engine) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  it('copies each member’s current share key, with the key’s maker, and goes down cleanly', async () => {
    database = await createTestDatabase(engine);
    handle = createDatabase(database.target);
    const migrator = new Migrator({
      db: handle.db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
      migrationTableName: 'kysely_migration',
    });
    const before = await migrator.migrateTo('20261125160000-group-notifications');
    expect(before.error).toBeUndefined();

    const at = '2026-11-25T10:00:00.000Z';
    const account = (id: string) => ({
      id,
      handle: id,
      email: null,
      role: 'member' as const,
      kdf: '{}',
      salt_seed: 's',
      auth_public_key: 'a',
      recovery_auth_public_key: 'r',
      master_key_by_passphrase: 'm',
      master_key_by_recovery: 'm',
      public_key_bundle: '{}',
      wrapped_identity_x25519: 'x',
      wrapped_identity_ed25519: 'e',
      created_at: at,
      updated_at: at,
    });
    await handle.db
      .insertInto('accounts')
      .values([account('ada'), account('sam')])
      .execute();
    await handle.db
      .insertInto('conversations')
      .values({
        id: 'c1',
        kind: 'direct',
        context: 'direct',
        context_id: null,
        created_by: 'ada',
        created_at: at,
        closed_at: null,
        key_id: 3,
        key_by: 'sam',
        last_message_at: null,
      })
      .execute();
    await handle.db
      .insertInto('conversation_members')
      .values(
        ['ada', 'sam'].map((id) => ({
          conversation_id: 'c1',
          account_id: id,
          share_key: `key-3-for-${id}`,
          key_id: 3,
          joined_at: at,
          left_at: null,
        })),
      )
      .execute();

    const up = await migrateToLatest(handle.db);
    expect(up.ok).toBe(true);
    expect(
      await handle.db.selectFrom('conversation_keys').selectAll().orderBy('account_id').execute(),
    ).toEqual([
      {
        conversation_id: 'c1',
        account_id: 'ada',
        key_id: 3,
        key_by: 'sam',
        share_key: 'key-3-for-ada',
      },
      {
        conversation_id: 'c1',
        account_id: 'sam',
        key_id: 3,
        key_by: 'sam',
        share_key: 'key-3-for-sam',
      },
    ]);

    const down = await migrator.migrateTo('20261125160000-group-notifications');
    expect(down.error).toBeUndefined();
    const tables = (await handle.db.introspection.getTables()).map((t) => t.name);
    expect(tables).not.toContain('conversation_keys');
    expect(tables).toContain('conversation_members');
  });
});
