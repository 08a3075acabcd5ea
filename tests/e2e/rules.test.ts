// The 政策规则 page in chromium (production build, real IndexedDB): every rule with its clause, source,
// level and the settings in force; a link to one rule; the unknown-year warning; this machine's calendar
// correction saved through its command and still there after a reload. The page's clock is fixed at
// 2026-12-01 (tests own time), when the 2027 schedule is not yet published.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RULES } from '../../shared/rules/registry';
import { RosterApp } from './pages/roster-app';

let app: RosterApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('政策规则 in chromium', () => {
  it('lists every rule with its clause and settings; links, search, the 2027 warning and a local correction', async () => {
    app = await RosterApp.open(inject('webUrl'), { now: new Date('2026-12-01T09:00:00+08:00') });
    const { page } = app;
    await app.loadDemo('200');
    await page.getByRole('menuitem', { name: '政策规则' }).click();
    await page.getByTestId('rules-page').waitFor();

    const items = page.getByTestId('rule-item');
    await expect.poll(() => items.count()).toBe(RULES.length);
    const missText = await page.locator('[data-testid="rule-item"][data-rule="R-MISS-2-4"]').textContent();
    expect(missText).toContain('连续 2 次或累计 4 次未核验须处理');
    expect(missText).toContain('对于上级教育行政部门发起的学籍核验通知');
    expect(missText).toContain('未核验的处理期限：5 个工作日（默认值）');
    expect(missText).toContain('河南省常态化核验通知 · 四、核验结果应用');
    expect(await page.getByTestId('rules-term').textContent()).toContain('尚未设置');

    // 2027's schedule is not loaded on 2026-12-01
    await expect
      .poll(() => page.getByTestId('rules-unknown-year').textContent())
      .toContain('2027 年放假安排尚未载入，按周末计算，请以正式通知为准');

    // search narrows the list
    await page.getByTestId('rules-search').fill('四不转');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().getAttribute('data-rule')).toBe('R-TX-4NO');

    // a link to one rule shows it highlighted whatever the filter
    await page.evaluate(() => {
      window.location.hash = '#/rules/R-REPORT-10';
    });
    const report = page.locator('[data-testid="rule-item"][data-rule="R-REPORT-10"]');
    await expect.poll(() => report.getAttribute('class')).toContain('xj-rule-active');
    await expect.poll(() => items.count()).toBe(RULES.length);
    expect(await report.isVisible()).toBe(true);

    // this machine's correction for 2027 loads the year, survives a reload
    await page.getByTestId('local-calendar-edit').click();
    const date = page.getByPlaceholder('日期', { exact: true });
    await date.click();
    await date.fill('2027-01-01');
    await page.keyboard.press('Enter');
    await page.getByTestId('local-calendar-note').fill('元旦（待省厅发布）');
    await page.getByTestId('local-calendar-add').click();
    await expect.poll(() => page.getByTestId('local-calendar-rows').textContent()).toContain('2027-01-01');
    await page.getByTestId('local-calendar-save').click();
    await expect.poll(() => page.getByTestId('rules-unknown-year').count()).toBe(0);
    await app.reload();
    await page.getByTestId('rules-page').waitFor();
    await expect.poll(() => page.getByTestId('rules-page').textContent()).toContain('本机临时调整 1 条');
    expect(await page.getByTestId('rules-unknown-year').count()).toBe(0);
    expect(app.errors).toEqual([]);
  });
});
