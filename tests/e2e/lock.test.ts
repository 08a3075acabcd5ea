// The local lock in chromium (R-SECURE; issue 9): a demo profile gets its local password at setup; the app
// opens locked after a reload, and then nothing of the roster is in the page — not hidden behind an
// overlay, not in the DOM at all; a wrong password is refused; it locks itself after the idle time (a
// setting, 10 minutes by default; the test owns the page's clock) and from the header's 锁定.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateStudents } from '../../shared/seed/roster';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { E2E_PASSWORD, unlock } from './pages/lock';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

/** Nothing of any student in the page: no name, ID number or 学籍号 in the DOM, no roster rows. */
async function nothingOfTheRoster(page: Page, students: { name: string; idNo: string }[]): Promise<void> {
  const html = await page.content();
  for (const s of students) {
    expect(html).not.toContain(s.idNo);
    expect(html).not.toContain(s.name);
  }
  expect(await page.getByTestId('roster-row').count()).toBe(0);
  await page.getByTestId('unlock-screen').waitFor();
}

describe('local lock (R-SECURE)', () => {
  it('locks on start, after the idle time and from the header; unlocks only with the local password', async () => {
    context = await deskContext(browser);
    // The page's timers and Date are the test's: the idle minutes pass with fastForward, not by waiting.
    await context.clock.install();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(inject('webUrl'));

    // Setup: the demo school needs a local password, typed twice alike.
    const demo = page.locator('.xj-demo-form');
    await demo.getByTestId('demo-size').getByText('200', { exact: true }).click();
    await demo.getByTestId('setup-password').fill(E2E_PASSWORD);
    await demo.getByTestId('setup-password-confirm').fill('something-else-1');
    await demo.getByTestId('demo-load').click();
    await demo.getByText('两次输入的本机密码不一致').waitFor();
    await demo.getByTestId('setup-password-confirm').fill(E2E_PASSWORD);
    await demo.getByTestId('demo-load').click();
    await page.getByTestId('roster-row').first().waitFor({ timeout: 120_000 });
    // the first rows as the roster shows them: name, ID number and the record behind the link
    const visible = await page.getByTestId('roster-row').evaluateAll((rows) =>
      rows.slice(0, 5).map((r) => ({
        id: decodeURIComponent((r.getAttribute('href') ?? '').replace('#/students/', '')),
        name: r.children[1]?.textContent ?? '',
        idNo: r.children[4]?.textContent ?? '',
      })),
    );
    const demo200 = generateStudents({ count: 200, seed: 2026, schoolType: 'vocational' });
    for (const v of visible)
      expect(demo200.some((s) => s.id === v.id && s.idNo === v.idNo && s.name === v.name)).toBe(true);
    expect(await page.content()).toContain(visible[0]?.idNo);

    // Start (a reload): locked, and the roster is not in the page at all.
    await page.reload();
    await nothingOfTheRoster(page, visible);
    expect(await page.title()).toBe('学籍桌面端 · 已锁定');
    await page.screenshot({ path: join(SHOTS, 'lock-screen.png') });
    await page.getByTestId('unlock-password').fill('wrong-password-9');
    await page.getByTestId('unlock-submit').click();
    await page.getByText('本机密码不正确').waitFor();
    await nothingOfTheRoster(page, visible);
    await unlock(page);
    await page.getByTestId('roster-row').first().waitFor();

    // Idle: 9 minutes of nothing keep it open; activity re-arms the timer; 10 minutes of nothing lock.
    await page.clock.fastForward('09:00');
    expect(await page.getByTestId('unlock-screen').count()).toBe(0);
    await page.mouse.move(400, 300);
    await page.mouse.move(420, 320);
    await page.clock.fastForward('09:30');
    expect(await page.getByTestId('unlock-screen').count()).toBe(0);
    await page.clock.fastForward('01:00');
    await nothingOfTheRoster(page, visible);
    await unlock(page);

    // The idle time is a setting: 本机设置 → 5 minutes; then 5 minutes of nothing lock.
    await page.evaluate(() => {
      window.location.hash = '/settings';
    });
    await page.getByTestId('settings-page').waitFor();
    await page.getByTestId('idle-minutes').fill('5');
    await page.getByTestId('idle-save').click();
    await page.getByText('已保存：无操作 5 分钟后自动锁定').waitFor();
    await page.screenshot({ path: join(SHOTS, 'lock-settings.png') });
    await page.clock.fastForward('05:01');
    await nothingOfTheRoster(page, visible);
    await unlock(page);
    await page.getByTestId('settings-page').waitFor();

    // 锁定 in the header locks at once; a student page open behind it is gone from the page too.
    await page.evaluate((id) => {
      window.location.hash = `/students/${id}`;
    }, visible[1]?.id);
    await page.getByTestId('student-name').waitFor();
    await page.getByTestId('header-lock').click();
    await nothingOfTheRoster(page, visible);
    await unlock(page);
    await page.getByTestId('student-name').waitFor();
    expect(await page.getByTestId('student-name').textContent()).toBe(visible[1]?.name);
    expect(errors).toEqual([]);
    await context.close();
  });
});
