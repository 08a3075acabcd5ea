// The pages of bench/browser, built for production and opened in headless chromium on real IndexedDB:
// one harness for the suites that measure in the browser (roster, verification).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/support/chromium';

const root = fileURLToPath(new URL('../browser', import.meta.url));

/** Builds bench/browser, opens it, waits for `window[entry]`, and gives the page to `measure`. */
export async function withBenchPage<T>(
  label: string,
  entry: string,
  measure: (page: Page, browser: Browser) => Promise<T>,
): Promise<T> {
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
    page.on('pageerror', (e) => process.stderr.write(`bench: ${label} page error: ${e.message}\n`));
    await page.goto(`http://127.0.0.1:${address.port}/`);
    await page.waitForFunction((name) => name in window, entry);
    return await measure(page, browser);
  } finally {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
