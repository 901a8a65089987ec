// A second Tend instance, for the migration-lock test: `node --import tsx migrate-child.ts URL [hold]`.
// With `hold`, it migrates with a last migration that prints "holding" and waits for a line on
// stdin before finishing, so the test can start another instance while this one holds the lock.
import { createInterface } from 'node:readline';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { parseDatabaseUrl } from '../config.js';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';

const [url, mode] = process.argv.slice(2);
const target = parseDatabaseUrl(url, '.');
if (!target.ok) throw new Error(target.error);
const handle = createDatabase(target.value);

if (mode === 'hold') {
  const names = Object.keys(migrations).sort();
  const last = names.at(-1) ?? '';
  const slow: Record<string, Migration> = {
    ...migrations,
    [last]: {
      up: async (db: Kysely<unknown>) => {
        await migrations[last]?.up(db);
        process.stdout.write('holding\n');
        const lines = createInterface({ input: process.stdin });
        await new Promise<void>((res) => lines.once('line', () => res()));
        lines.close();
      },
    },
  };
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: () => Promise.resolve(slow) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  process.stdout.write(
    JSON.stringify(
      error === undefined
        ? { ok: true, value: { applied: results.map((r) => r.migrationName) } }
        : { ok: false, error: error instanceof Error ? error.message : JSON.stringify(error) },
    ) + '\n',
  );
} else {
  process.stdout.write(JSON.stringify(await migrateToLatest(handle.db)) + '\n');
}
await handle.close();
