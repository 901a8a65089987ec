import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import type { DatabaseTarget } from '../config.js';
import type { Engine } from '../db/database.js';
import { createPostgresDatabase } from './postgres.js';

export const engines: readonly Engine[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  readonly target: DatabaseTarget;
  /** A DATABASE_URL string for the same database (for child processes). */
  readonly url: string;
  readonly drop: () => Promise<void>;
}

/** A new, empty database of the given engine; `drop()` removes it. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tend-test-'));
    const file = join(dir, 'tend.db');
    return {
      target: { engine, file },
      url: `sqlite:${file}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const created = await createPostgresDatabase();
  return { target: { engine, url: created.url }, url: created.url, drop: created.drop };
}

/**
 * Declares the same suite once per database engine. The PostgreSQL variant is skipped (with the
 * one line printed by the global setup) only outside CI and only when PostgreSQL is unreachable.
 */
export function describeEachEngine(name: string, fn: (engine: Engine) => void): void {
  for (const engine of engines) {
    const skip = engine === 'postgres' && !inject('postgresAvailable');
    describe.skipIf(skip)(`${name} [${engine}]`, () => fn(engine));
  }
}
