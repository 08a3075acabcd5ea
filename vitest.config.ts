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
          // Real servers (PGlite, PostgreSQL, `xueji server` processes) start in hooks; on a busy 2-core
          // CI machine that took more than vitest's default 10 s. Generous, not tight: speed is measured
          // by `npm run bench`, never by a timeout.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          teardownTimeout: 60_000,
          // expect.poll waits for a condition; its default 1 s gave up under load (awaiting, not sleeping).
          expect: { poll: { timeout: 30_000 } },
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
          // expect.poll waits for a screen to settle; its default 1 s failed a clean-clone run on a busy
          // machine (the roster's export count after a reload). A condition, not a sleep: it ends when met.
          expect: { poll: { timeout: 60_000 } },
        },
      },
    ],
  },
});
