import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Runs a trivial query; throws the driver's error when the database does not answer. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** True when the database answers a trivial query. */
export async function databaseAnswers(db: Kysely<Database>): Promise<boolean> {
  return pingDatabase(db).then(
    () => true,
    () => false,
  );
}
