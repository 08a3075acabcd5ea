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
import { chinaDate } from '../../shared/calendar/china';
import { settled } from '../support/animations';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
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
  const context = await deskContext(browser);
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

  it('one click from an R-MISS-2-4 action in 待办 into the study-form request, pre-filled; submitted, it is in 待办', async () => {
    const admin = account(`${SCHOOL.toLowerCase()}.admin`);
    const adminToken = (await login(server.url, admin, 'e2e-observer-prefill')).token;
    const records = await pullAll(server.url, adminToken, 'verifications');
    // the students the demo has with an open R-MISS-2-4 action (the appellant's is gone after the appeal)
    const withAction = records.filter(
      (d) =>
        d.kind === 'record' &&
        ((d.actions ?? []) as { rule: string; state: string }[]).some(
          (a) => a.rule === 'R-MISS-2-4' && a.state === 'open',
        ),
    );
    expect(withAction.length).toBeGreaterThan(1);
    const [first, second] = withAction as [(typeof withAction)[0], (typeof withAction)[0]];
    const action = (
      (first.actions ?? []) as { rule: string; due: string; state: string; message: string }[]
    ).find((a) => a.rule === 'R-MISS-2-4' && a.state === 'open');
    const s = await profile();
    await s.login(server.url, admin);
    // the app opens on 待办 (the demo school's consequences wait there); the roster is one step away
    await s.openRoster();
    await expect.poll(() => s.count.textContent(), { timeout: 120_000 }).toMatch(/^共 \d+ 人$/);
    await s.goto('/inbox');
    const item = s.page
      .getByTestId('inbox-waiting')
      .locator('tr', { hasText: `核验未通过的处理（转为非全日制或申请休学、退学）：${first.studentName}` });
    await item.waitFor({ timeout: 120_000 });
    expect(await item.getByTestId('inbox-item-link').allTextContents()).toEqual([
      '转为非全日制',
      '申请休学',
      '申请退学',
    ]);
    await shot(s, `${SHOTS}/verification-inbox-actions.png`);
    await item.getByTestId('inbox-item-link').filter({ hasText: '转为非全日制' }).click();

    // the request's form: type, student, reason, the study form and its date already filled
    await s.page.getByTestId('change-prefilled').waitFor();
    expect(await s.page.getByTestId('change-new').locator('h4').textContent()).toBe('学籍异动：学习形式变更');
    expect(await s.page.getByTestId('change-students').textContent()).toContain(String(first.studentName));
    const reason = await s.page.getByTestId('change-reason').inputValue();
    expect(reason).toContain('常态化核验结果处理（R-MISS-2-4，HN 四.1');
    expect(reason).toContain(`须在 ${action?.due} 前办理`);
    // the finding in the rule engine's words (names the misses and the last day)
    expect(reason).toContain(String(action?.message));
    await shot(s, `${SHOTS}/verification-prefilled-request.png`);
    const formItem = s.page.locator('.ant-form-item', { hasText: '变更后学习形式' });
    expect(await formItem.textContent(), await formItem.innerHTML()).toContain('非全日制');
    const today = chinaDate(Date.now());
    expect(await s.page.getByTestId('detail-effectiveDate').inputValue()).toBe(today);
    expect(await s.page.getByTestId('change-prefilled').textContent()).toContain(`办理期限 ${action?.due}`);
    await shot(s, `${SHOTS}/verification-prefilled-request.png`);

    // the registrar adds the applicant and the signed application, and submits
    await s.page.getByTestId('applicant-name').fill(String(first.studentName));
    await s.page.getByTestId('draft-save').click();
    await s.page.waitForURL(/#\/changes\/CR-/, { timeout: 60_000 });
    const id = decodeURIComponent((await s.page.evaluate(() => window.location.hash)).split('/').pop() ?? '');
    const proofs = s.page.getByTestId('request-proofs');
    await proofs.locator('input[type=file]').setInputFiles({
      name: '学习形式变更申请.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
      ),
    });
    await proofs.getByText('学习形式变更申请.pdf').waitFor({ timeout: 30_000 });
    await s.page.getByTestId('submit-check').click();
    const checked = s.page.getByTestId('submit-findings').or(s.page.getByTestId('submit-refusal'));
    await checked.first().waitFor();
    expect(
      await s.page.getByTestId('submit-refusal').count(),
      (await checked.first().textContent()) ?? '',
    ).toBe(0);
    await s.page.getByTestId('submit-request').click();
    await s.page.getByTestId('submit-panel').waitFor({ state: 'detached', timeout: 30_000 });
    await expect
      .poll(
        async () =>
          (await pullAll(server.url, adminToken, 'changeRequests')).find((d) => d.id === id) as
            | { status?: string; type?: string; details?: Record<string, string>; reason?: string }
            | undefined,
        { timeout: 120_000 },
      )
      .toMatchObject({ status: 'submitted', type: 'studyFormChange', details: { toForm: '2' }, reason });
    await s.goto('/inbox');
    const started = s.page
      .getByTestId('inbox-started')
      .locator('tr', { hasText: String(first.studentName) })
      .filter({ hasText: '学习形式变更' });
    await started.first().waitFor({ timeout: 60_000 });
    await shot(s, `${SHOTS}/verification-inbox-request.png`);

    // the student page of another student: the action with its three requests, 休学 pre-filled as well
    await s.goto(`/students/${encodeURIComponent(String(second.studentId))}`);
    const card = s.page.getByTestId('student-verification-actions');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toContain('R-MISS-2-4');
    await shot(s, `${SHOTS}/verification-student-actions.png`);
    await card.getByTestId('action-request-suspension').click();
    await s.page.getByTestId('change-prefilled').waitFor();
    expect(await s.page.getByTestId('change-new').locator('h4').textContent()).toBe('学籍异动：休学');
    expect(await s.page.getByTestId('detail-startDate').inputValue()).toBe(today);
    expect(await s.page.getByTestId('change-reason').inputValue()).toContain('R-MISS-2-4');
    expect(s.errors).toEqual([]);
  }, 600_000);
});
