// verification.results20k.ms (issue 13): the school's results screen of a task called for 20,000
// students, in headless chromium on real IndexedDB — the same page as the roster figures (bench/browser).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/support/chromium';

const root = fileURLToPath(new URL('../browser', import.meta.url));

export async function run(): Promise<Record<string, number | string>> {
  const outDir = mkdtempSync(join(tmpdir(), 'xueji-bench-'));
  // RxDB pins its own Dexie (rxdb/node_modules/dexie); the floor must use that same Dexie, and two
  // copies in one page refuse to load.
  const dexie = fileURLToPath(
    new URL('../../node_modules/rxdb/node_modules/dexie/dist/dexie.mjs', import.meta.url),
  );
  const config = {
    root,
    resolve: { alias: [{ find: /^dexie$/, replacement: dexie }] },
    base: './',
    configFile: false as const,
    logLevel: 'error' as const,
    mode: 'production',
  };
  process.env.NODE_ENV = 'production';
  await build({ ...config, build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 } });
  const server = await preview({ ...config, build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const address = server.httpServer.address();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    if (!address || typeof address === 'string') throw new Error('bench server has no port');
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`bench: verification page error: ${e.message}\n`));
    await page.goto(`http://127.0.0.1:${address.port}/`);
    await page.waitForFunction(() => 'runVerificationBench' in window);
    process.stderr.write('bench: verification: 20,000 results in chromium …\n');
    const figures = await page.evaluate(() =>
      (
        window as unknown as { runVerificationBench: () => Promise<Record<string, number>> }
      ).runVerificationBench(),
    );
    return { ...figures, 'verification.browser': browser.version() };
  } finally {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
