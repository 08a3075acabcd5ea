// verification.results20k.ms (issue 13): the school's results screen of a task called for 20,000
// students, in headless chromium on real IndexedDB — the same page as the roster figures (bench/browser).
import { withBenchPage } from '../support/browser-page';

export async function run(): Promise<Record<string, number | string>> {
  return withBenchPage('verification', 'runVerificationBench', async (page, browser) => {
    process.stderr.write('bench: verification: 20,000 results in chromium …\n');
    const figures = await page.evaluate(() =>
      (
        window as unknown as { runVerificationBench: () => Promise<Record<string, number>> }
      ).runVerificationBench(),
    );
    return { ...figures, 'verification.browser': browser.version() };
  });
}
