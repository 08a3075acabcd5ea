// The local lock as the tests meet it (R-SECURE): every profile a test sets up gets this local password,
// and every reload or new window of the app opens on the lock screen.
import type { Page } from 'playwright-core';

export const E2E_PASSWORD = 'xueji-e2e-2026';

/** Fills the setup form's local password (both fields). */
export async function fillSetupPassword(page: Page, password = E2E_PASSWORD): Promise<void> {
  await page.getByTestId('setup-password').fill(password);
  await page.getByTestId('setup-password-confirm').fill(password);
}

/** Unlocks the app on its lock screen and waits until the screens are back. */
export async function unlock(page: Page, password = E2E_PASSWORD): Promise<void> {
  await page.getByTestId('unlock-password').fill(password);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('unlock-screen').waitFor({ state: 'detached' });
}
