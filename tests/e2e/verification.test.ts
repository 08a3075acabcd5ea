// Routine verification end to end (issue 13) against `xueji server --demo` in its own process, Debian's
// chromium, real IndexedDB: 金水区教育局 publishes a task in the app; the simulator checks the school's
// students in through the documented check-in API; the school's app shows the live counts; the demo's
// students who missed both upper-level tasks show the R-MISS-2-4 action due 5 working days after the
// second window (the shared calendar); the bureau upholds the school's appeal and the action is gone on
// the school's copy. Screenshots of every verification screen at 1366×768.
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { simulateCheckins } from '../../cli/commands/simulate-checkins';
import { addWorkdays, standardCalendar } from '../../shared/calendar/calendar';
import { chinaDate } from '../../shared/verification/time';
import { settled } from '../support/animations';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { login, pullAll } from '../support/server-api';
import { SyncApp, startDemoServer } from './pages/sync-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const SCHOOL = 'S41010501';
let server: Awaited<ReturnType<typeof startDemoServer>>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startDemoServer();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function profile(): Promise<SyncApp> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  return SyncApp.open(context, inject('webUrl'));
}

/** A screenshot once what the person sees has stopped moving (the page's fade-in, dialogs, charts). */
async function shot(app: SyncApp, path: string): Promise<void> {
  await settled(app.page);
  await app.shot(path);
}

function account(username: string) {
  const a = server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`demo account ${username}`);
  return a;
}

describe('routine verification in the app', () => {
  it('publish → simulated check-ins → live counts → R-MISS-2-4 due in 5 working days → appeal upheld → action gone', async () => {
    // The bureau publishes a task for its vocational school.
    const b = await profile();
    await b.page.getByTestId('login-form').waitFor();
    await b.login(server.url, account('jinshui.bureau'));
    await b.page.locator('.ant-layout-sider, nav').first().waitFor({ timeout: 120_000 });
    await b.goto('/verification');
    await b.page.getByText('金水区第2次常态化核验').waitFor({ timeout: 120_000 });
    await shot(b, `${SHOTS}/verification-tasks-bureau.png`);
    await b.page.getByTestId('task-new').click();
    await b.page.getByTestId('task-name').fill('金水区第4次常态化核验');
    await b.page.getByTestId('task-schools').click();
    await b.page.getByText('郑州市金水区职业中等专业学校（半径 600 米）').click();
    await b.page.getByTestId('task-name').click();
    await shot(b, `${SHOTS}/verification-publish.png`);
    await b.page.getByTestId('task-publish').click();
    const link = b.page.getByTestId('task-link').filter({ hasText: '金水区第4次常态化核验' });
    await link.waitFor();
    const taskId = decodeURIComponent((await link.getAttribute('href'))?.split('/').pop() ?? '');
    expect(taskId).toMatch(/^vt-/);
    expect(b.errors).toEqual([]);

    // The server has the task and its roll once the push went through; then the phones check in.
    const admin = account(`${SCHOOL.toLowerCase()}.admin`);
    const adminToken = (await login(server.url, admin, 'e2e-observer')).token;
    await expect
      .poll(
        async () =>
          (await pullAll(server.url, adminToken, 'verifications')).filter(
            (d) => d.kind === 'record' && (d.results as Record<string, unknown>)[taskId],
          ).length,
        { timeout: 120_000 },
      )
      .toBeGreaterThan(100);
    const sim = await simulateCheckins({
      server: server.url,
      taskId,
      passRate: 0.9,
      seed: 13,
      user: admin.username,
      password: admin.password,
      concurrency: 8,
    });
    expect(sim.errors).toBe(0);
    expect(sim.passed).toBeGreaterThan(0);
    expect(sim.failed).toBeGreaterThan(0);

    // The school's app shows the counts as the results arrive.
    const s = await profile();
    await s.login(server.url, admin);
    await s.openRoster();
    await expect.poll(() => s.count.textContent(), { timeout: 120_000 }).toMatch(/^共 \d+ 人$/);
    await s.goto(`/verification/tasks/${encodeURIComponent(taskId)}`);
    const counts = s.page.getByTestId('task-counts');
    await expect
      .poll(
        async () => counts.locator('.ant-statistic').nth(1).locator('.ant-statistic-content').textContent(),
        {
          timeout: 120_000,
        },
      )
      .toBe(String(sim.passed));
    await shot(s, `${SHOTS}/verification-task-school.png`);
    await s.goto('/verification');
    await s.page.getByTestId('task-link').first().waitFor();
    await shot(s, `${SHOTS}/verification-tasks-school.png`);

    // R-MISS-2-4: the demo's second bureau task closed two days before the seed; due 5 working days later.
    const tasks = await pullAll(server.url, adminToken, 'verifications');
    const second = tasks.find((d) => d.id === 'vt-demo-2');
    const due = addWorkdays(standardCalendar(), chinaDate(String(second?.end)), 5).value;
    await s.goto('/verification/students');
    const table = s.page.getByTestId('verification-students-table');
    await table.getByTestId('action-due').first().waitFor({ timeout: 60_000 });
    expect(await table.getByTestId('action-due').first().textContent()).toContain(due);
    await shot(s, `${SHOTS}/verification-students.png`);
    // R-VERIFY-TERM: the full-time students with no passed verification this term.
    await s.page.getByText(/^本学期尚未通过核验/).click();
    await s.page.getByTestId('verification-unverified').waitFor();
    await shot(s, `${SHOTS}/verification-unverified.png`);
    await s.page.getByText(/^待处理/).click();
    const appeals = await pullAll(server.url, adminToken, 'appeals');
    const appellant = String(appeals.find((a) => a.id === 'ap-demo-1')?.studentName);
    const rowOf = (app: SyncApp) =>
      app.page.getByTestId('verification-students-table').locator('tr', { hasText: appellant });
    await expect.poll(() => rowOf(s).getByTestId('action').count()).toBeGreaterThan(0);
    await s.goto('/verification/dashboard');
    await s.page.locator('canvas').first().waitFor();
    await shot(s, `${SHOTS}/verification-dashboard-school.png`);
    await s.goto('/leaves');
    await s.page.getByText('病假（附医院证明）').waitFor();
    await shot(s, `${SHOTS}/verification-leaves.png`);

    // The bureau upholds the appeal; the school's copy loses the action (R-APPEAL).
    await b.goto('/appeals');
    await b.page.getByTestId('appeal-uphold').first().waitFor({ timeout: 60_000 });
    await shot(b, `${SHOTS}/verification-appeals-bureau.png`);
    await b.page.getByTestId('appeal-uphold').first().click();
    await b.page.getByTestId('appeal-opinion').fill('企业和班主任证明属实，支持申诉');
    await b.page.getByTestId('appeal-decide-ok').click();
    await b.page
      .getByTestId('appeal-status')
      .filter({ hasText: '已支持' })
      .or(b.page.getByText('企业和班主任证明属实'))
      .first()
      .waitFor();
    await s.goto('/verification/students');
    await s.page.getByTestId('verification-students-table').waitFor();
    await expect.poll(() => rowOf(s).count(), { timeout: 120_000 }).toBe(0);
    await s.goto('/appeals');
    await s.page.getByText('企业和班主任证明属实，支持申诉').waitFor({ timeout: 60_000 });
    await shot(s, `${SHOTS}/verification-appeals-school.png`);
    await b.goto(`/verification/tasks/${encodeURIComponent(taskId)}`);
    await b.page.getByTestId('task-counts').waitFor();
    await shot(b, `${SHOTS}/verification-task-bureau.png`);
    await b.goto('/verification/dashboard');
    await b.page.locator('canvas').first().waitFor();
    await shot(b, `${SHOTS}/verification-dashboard-bureau.png`);
    expect(s.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 600_000);
});
