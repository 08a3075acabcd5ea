// Roster figures at 20,000 students, taken in headless chromium on real IndexedDB: builds
// bench/browser/ with Vite (production mode: no RxDB dev-mode, no validation), serves it, runs it.
import { withBenchPage } from '../support/browser-page';

export async function run(): Promise<Record<string, number | string>> {
  return withBenchPage('roster', 'runRosterBench', async (page, browser) => {
    process.stderr.write('bench: roster: 20,000 students in chromium …\n');
    const figures = await page.evaluate(() =>
      (window as unknown as { runRosterBench: () => Promise<Record<string, number>> }).runRosterBench(),
    );
    const ratio =
      (figures['roster.insert20k.ms'] ?? Number.NaN) / (figures['roster.insert20k.floorMs'] ?? Number.NaN);
    figures['roster.insert20k.ratio'] = Math.round(ratio * 100) / 100;
    return { ...figures, 'roster.browser': browser.version() };
  });
}
