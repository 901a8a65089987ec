import { sql, type Kysely } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../db/database.js';
import { down, up } from '../../db/migrations/20261125120000-group-threads.js';
import { migrateToLatest } from '../../db/migrate.js';
import {
  createTestDatabase,
  describeEachEngine,
  type TestDatabase,
} from '../../test-support/engines.js';

const tables = ['group_threads', 'group_posts', 'group_post_reactions', 'group_mentions'];

describeEachEngine('group threads migration', (engine) => {
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
            WHERE name LIKE 'group_threads%' OR name LIKE 'group_post%'
               OR name LIKE 'group_mentions%'`.execute(handle.db)
        : await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables
            WHERE schemaname = current_schema()
              AND (tablename LIKE 'group_threads%' OR tablename LIKE 'group_post%'
                   OR tablename LIKE 'group_mentions%')`.execute(handle.db);
    return rows.rows.map((r) => r.name);
  }

  it('goes down and up again, search and all', async () => {
    database = await createTestDatabase(engine);
    handle = createDatabase(database.target);
    const migrated = await migrateToLatest(handle.db);
    expect(migrated.ok).toBe(true);
    for (const table of tables) expect(await existing()).toContain(table);

    await down(handle.db as unknown as Kysely<unknown>);
    expect(await existing()).toEqual([]);

    await up(handle.db as unknown as Kysely<unknown>);
    for (const table of tables) expect(await existing()).toContain(table);
    // Search is maintained on insert: a post written after `up` is found by its words.
    const at = new Date().toISOString();
    await handle.db
      .insertInto('accounts')
      .values({
        id: 'acc',
        handle: 'ada',
        email: null,
        role: 'member',
        kdf: '{}',
        salt_seed: 's',
        auth_public_key: 'k',
        recovery_auth_public_key: 'k',
        master_key_by_passphrase: 'k',
        master_key_by_recovery: 'k',
        public_key_bundle: '{}',
        wrapped_identity_x25519: 'k',
        wrapped_identity_ed25519: 'k',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await handle.db
      .insertInto('groups')
      .values({
        id: 'g',
        slug: 'g-g-g',
        name: 'G',
        description: 'G',
        topics: '[]',
        languages: '["en"]',
        format: 'online',
        area: null,
        visibility: 'public',
        join_questions: '[]',
        agreement_version: 1,
        created_by: 'acc',
        created_at: at,
        updated_at: at,
        archived_at: null,
      })
      .execute();
    const common = { group_id: 'g', author_id: 'acc', posted_as: null, content_warning: null };
    const hidden = { hidden_at: null, hidden_by: null, created_at: at };
    await handle.db
      .insertInto('group_threads')
      .values({
        ...common,
        ...hidden,
        id: 't',
        title: 'Evening walks',
        first_post_id: 'p',
        locked_at: null,
        locked_by: null,
        updated_at: at,
        last_post_at: at,
      })
      .execute();
    await handle.db
      .insertInto('group_posts')
      .values({
        ...common,
        ...hidden,
        id: 'p',
        thread_id: 't',
        body: 'A quiet lantern',
        edited_at: null,
        deleted_at: null,
      })
      .execute();
    const found =
      engine === 'sqlite'
        ? await sql<{ n: number }>`SELECT count(*) AS n FROM group_posts_fts
            WHERE group_posts_fts MATCH 'lantern'`.execute(handle.db)
        : await sql<{ n: number }>`SELECT count(*) AS n FROM group_posts
            WHERE search @@ to_tsquery('simple', 'lantern')`.execute(handle.db);
    expect(Number(found.rows[0]!.n)).toBe(1);
  });
});
