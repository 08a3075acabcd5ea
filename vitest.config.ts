import { defineConfig } from 'vitest/config';

// One runner for everything (`npm test`): unit tests beside the code, integration tests of the server,
// and end-to-end tests that drive the built web app in Debian's chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'cli/**/*.test.ts',
            'electron/**/*.test.ts',
            'renderer/src/**/*.test.ts',
            'server/**/*.test.ts',
            'tests/integration/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 60_000,
          // Server tests start PGlite and hash passwords in beforeAll: on a busy 2-core machine that
          // passes vitest's 10 s default (the common brief: hooks around real servers ≥ 60 s).
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
