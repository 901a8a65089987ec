import type { Kysely } from 'kysely';

// Mutual aid (docs/AID.md, "Tables"): filled in by the aid capability.
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
