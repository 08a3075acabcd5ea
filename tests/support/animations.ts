// Waiting for what a person sees to stop moving (antd's dialogs zoom in, its masks fade): every finite
// CSS animation or transition in the page has finished. Endless ones (spinners, the active progress
// bar's shimmer) are left out, as they never finish.
import type { Locator, Page } from 'playwright-core';

export async function settled(target: Locator | Page): Promise<void> {
  const page = 'page' in target && typeof target.page === 'function' ? target.page() : (target as Page);
  if (target !== page) await (target as Locator).waitFor();
  await page.evaluate(async () => {
    const finite = document
      .getAnimations()
      .filter(
        (a) =>
          (a.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY) !== Number.POSITIVE_INFINITY,
      );
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  });
}
