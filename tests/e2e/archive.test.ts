// Paper-archive checklist in chromium, offline, keyboard only (issue 3): going through folders with
// ↑/↓, 1–6 and Enter, type-to-jump, history entries; the school-wide missing count equals a direct count
// of the stored documents after random edits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { writeRosterXlsx } from '../../cli/xlsx';
import { VOCATIONAL_ARCHIVE_PARTS } from '../../shared/domain/archive';
import { createRandom } from '../../shared/seed/random';
import { generateStudents } from '../../shared/seed/roster';
import {
  choosePreview,
  newProfile,
  openBrowser,
  openImport,
  type Profile,
  setUpSchool,
  storedDocs,
  storedStudents,
} from './import-app';

const dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let context: BrowserContext | undefined;
let profile: Profile | undefined;
afterEach(async () => {
  await context?.close().catch(() => {});
  profile?.remove();
});

/** Direct count from IndexedDB: due parts (graduate form only after graduation) not present. */
async function directMissing(page: Page): Promise<number> {
  let n = 0;
  for (const s of await storedStudents(page))
    for (const p of VOCATIONAL_ARCHIVE_PARTS) {
      const due = !p.dueAtGraduation || s.status === 'graduated';
      if (due && s.archive[p.id]?.state !== 'present') n++;
    }
  return n;
}

const focusedFolder = (page: Page) => page.locator('[data-testid="archive-folder"][data-focused="true"]');

describe('paper archive in chromium, keyboard only and offline', () => {
  it('marks folders with the keyboard; missing count equals a direct count after random edits', async () => {
    const url = inject('webUrl');
    profile = newProfile();
    context = await openBrowser(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await setUpSchool(page, url, '王老师');
    await openImport(page, url);
    const students = generateStudents({ count: 1200, seed: 61 });
    const file = join(dir, 'roster.xlsx');
    await writeRosterXlsx(file, students);
    await choosePreview(page, file);
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });

    await context.setOffline(true);
    await page.goto(`${url}#/archive`);
    const list = page.getByTestId('archive-list');
    await page.getByTestId('archive-folder').first().waitFor();
    // imported students start with every due part missing: 1200 × 5
    await expect.poll(() => page.getByTestId('archive-missing-count').textContent()).toBe('6000');
    await list.focus();

    // Enter: all present and next; the first folder becomes complete, the cursor moves to the second
    const firstId = await focusedFolder(page).getAttribute('data-student-id');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedFolder(page).getAttribute('data-student-id')).not.toBe(firstId);
    await expect
      .poll(() => page.locator(`[data-student-id="${firstId}"]`).getAttribute('data-missing'))
      .toBe('0');
    // 2 toggles part 2 of the focused folder
    await page.keyboard.press('2');
    await expect.poll(() => focusedFolder(page).getAttribute('data-missing')).toBe('4');

    // random keyboard session (seeded)
    const rnd = createRandom(5);
    const keys = [
      'ArrowDown',
      'ArrowDown',
      'ArrowUp',
      'Enter',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      'PageDown',
      'End',
      'Home',
    ];
    // Every Enter and digit press on a focused folder is one archive-mark with one event (toggles always
    // change a part; "all present" always stamps the check): the session has ended when all are stored.
    const marks = async () =>
      (await storedDocs<{ action: string }>(page, 'events')).filter((e) => e.action === 'archive-mark')
        .length;
    const marksBefore = await marks();
    let pressedMarks = 0;
    for (let i = 0; i < 60; i++) {
      const key = rnd.pick(keys);
      if (key === 'Enter' || /^\d$/.test(key)) pressedMarks++;
      await page.keyboard.press(key);
    }
    await expect.poll(marks, { timeout: 30_000 }).toBe(marksBefore + pressedMarks);
    const direct = await directMissing(page);
    expect(direct).toBeLessThan(6000);
    await expect.poll(() => page.getByTestId('archive-missing-count').textContent()).toBe(String(direct));
    const classSum = await page
      .locator('[data-testid="archive-classes"] [data-missing]')
      .evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-missing')), 0));
    expect(classSum).toBe(direct);

    // type-to-jump by 学号: "/" focuses the box, Enter returns to the list on the found folder
    const target = students[700];
    if (!target?.schoolNo) throw new Error('no target');
    await page.keyboard.press('/');
    await page.keyboard.type(target.schoolNo);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedFolder(page).textContent()).toContain(target.name);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('archive-history').textContent()).toContain('王老师');

    // the missing list tab shows the same count
    await page.getByRole('tab', { name: /缺件清单/ }).click();
    await page.getByTestId('archive-missing-list').waitFor();
    expect(await page.getByRole('tab', { name: /缺件清单/ }).textContent()).toContain(
      String(await directMissing(page)),
    );
    await page.screenshot({ path: join(dir, 'archive-missing.png') });
  });
});
