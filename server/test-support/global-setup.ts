import type { TestProject } from 'vitest/node';
import { postgresAdminUrl, probePostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean;
  }
}

/**
 * Probes PostgreSQL once for the whole run. In CI an unreachable PostgreSQL fails the run;
 * elsewhere the PostgreSQL variants are skipped with one clear line.
 */
export default async function setup(project: TestProject): Promise<void> {
  const problem = await probePostgres();
  if (problem !== undefined) {
    if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
      throw new Error(
        `PostgreSQL is required in CI but ${postgresAdminUrl()} is not reachable: ${problem}`,
      );
    }
    process.stdout.write(
      `PostgreSQL not reachable at ${postgresAdminUrl()} (${problem}); skipping the PostgreSQL variants of the API tests. ` +
        'Start PostgreSQL or set TEST_DATABASE_URL to run them.\n',
    );
  }
  project.provide('postgresAvailable', problem === undefined);
}
