import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two projects share one run, so `npm test` ends with a single total line:
// - unit: unit tests beside the code and the API integration tests (SQLite and PostgreSQL);
// - e2e:  browser journeys in Debian's Chromium against the built server, one file at a time.
export default defineConfig({
  // The web app's alias for shared core code, so its unit tests import it the same way.
  resolve: { alias: { $core: fileURLToPath(new URL('./core/src', import.meta.url)) } },
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'core/**/*.test.ts',
            'server/**/*.test.ts',
            'web/src/**/*.test.ts',
            'scripts/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          environment: 'node',
          globalSetup: ['./server/test-support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./server/test-support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
