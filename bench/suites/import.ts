// Roster import/export figures (issue 3), measured in headless chromium on real IndexedDB with the
// app's own modules (bench/browser/import): validate + write 20,000 rows, peak JS heap, export.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/support/chromium';

const COUNT = Number(process.env.IMPORT_BENCH_COUNT ?? 20_000);
const CHUNK = Number(process.env.IMPORT_BENCH_CHUNK ?? 0) || undefined;

export async function run(): Promise<Record<string, number | string>> {
  const configFile = fileURLToPath(new URL('../browser/import/vite.config.ts', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'xueji-bench-import-'));
  const profile = mkdtempSync(join(tmpdir(), 'xueji-bench-profile-'));
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    configFile,
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', open: false },
  });
  const address = server.httpServer.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.locator('#status', { hasText: 'ready' }).waitFor();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    let peak = 0;
    // heap samples with their wall time; the page notes when each phase starts (window.benchPhases),
    // so the peak per phase goes to stderr afterwards without disturbing the run
    const samples: { at: number; used: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { metrics } = (await cdp.send('Performance.getMetrics')) as {
          metrics: { name: string; value: number }[];
        };
        const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
        peak = Math.max(peak, used);
        samples.push({ at: Date.now(), used });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    process.stderr.write(`bench import: ${COUNT} rows in chromium …\n`);
    const r = await page.evaluate(([n, c]) => window.runImportBench(n, c ?? 2000), [COUNT, CHUNK] as const);
    sampling = false;
    await sampler;
    const phases = await page.evaluate(() => window.benchPhases ?? []);
    const phasePeaks = new Map<string, number>();
    for (const { at, used } of samples) {
      const phase = phases.filter((p) => p.at <= at).at(-1)?.phase ?? '-';
      phasePeaks.set(phase, Math.max(phasePeaks.get(phase) ?? 0, used));
    }
    const mb = (b: number) => Math.round(b / 1024 / 1024);
    process.stderr.write(
      `bench import: peak heap by phase (MB): ${[...phasePeaks].map(([p, b]) => `${p} ${mb(b)}`).join(', ')}\n`,
    );
    const k = COUNT === 20_000 ? '20k' : String(COUNT);
    return {
      [`import.validateCommit${k}.ms`]: Math.round(r.validateCommitMs ?? 0),
      [`import.validate${k}.ms`]: Math.round(r.validateMs ?? 0),
      [`import.commit${k}.ms`]: Math.round(r.commitMs ?? 0),
      [`import.readXlsx${k}.ms`]: Math.round(r.readXlsxMs ?? 0),
      'import.peakMemMb': Math.round((peak / 1024 / 1024) * 10) / 10,
      [`export.${k}.ms`]: Math.round(r.exportMs ?? 0),
      [`import.roundTrip${k}.unchanged`]: r.roundTripUnchanged ?? 0,
      [`import.roundTrip${k}.other`]: r.roundTripOther ?? 0,
    };
  } finally {
    await context.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

declare global {
  interface Window {
    runImportBench: (count: number, chunkSize: number) => Promise<Record<string, number>>;
    benchPhases?: { phase: string; at: number }[];
  }
}
