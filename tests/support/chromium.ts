// Debian's chromium as every browser test and benchmark drives it (playwright-core): the package's
// binary, and the flags this machine's closed network needs (without the background-networking ones
// chromium keeps dialling Google's hosts and its connections are refused, many at a time).
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * How long a browser test's step waits for its condition (a locator to appear, a click to land, a
 * download): Playwright's default of 30 s failed an inspection e2e on a busy 2-core machine (issue 9:
 * a clean-clone CI while another `npm test` ran). Each wait still ends as soon as its condition holds.
 */
export const BROWSER_WAIT_MS = 120_000;

/** A browser context as the e2e tests drive the app: the office screen's 1366×768 and BROWSER_WAIT_MS. */
export async function deskContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, ...options });
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  return context;
}
