// Issue 12's "Done means" in the web app against `xueji server --demo` (its own process, real PGlite),
// Debian's chromium with real IndexedDB, one browser profile per login:
// - a transfer between schools of two counties through all four steps with four different logins — the
//   receiving school starts it with the student's name and ID number (R-ONE lookup), attaches its proofs
//   and submits; the receiving county, the sending school and the sending county approve — and the
//   student moves to the receiving school's roster with its history, and leaves the sending school's copy;
// - a misspelled name corrected through 基本信息变更 with the county's approval, the printed 学生基本信息变更
//   申请表 read back with pdftotext, and the filed copy ticking the paper archive;
// - the bureau's 待办 shows the demo's overdue transfer with its working-day deadline (R-TX-WINDOW's
//   10 working days across the 2026 National Day holidays) and how many working days late it is.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addWorkdays, standardCalendar, workdaysBetween } from '../../shared/calendar/calendar';
import { chinaDate } from '../../shared/calendar/china';
import type { Student } from '../../shared/domain/student';
import type { SyncDoc } from '../../shared/sync/protocol';
import type { ChangeRequestDoc } from '../../shared/workflows';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { login, pullAll } from '../support/server-api';
import { PrintPanel } from './pages/print-panel';
import { type DemoAccount, SyncApp, startDemoServer } from './pages/sync-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
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

const account = (username: string): DemoAccount => {
  const a = server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`demo account ${username}`);
  return a;
};

/** A fresh profile logged in as `username`, its first download done (the navigation is shown). */
async function desk(username: string): Promise<SyncApp> {
  const context = await deskContext(browser);
  const app = await SyncApp.open(context, inject('webUrl'));
  await app.page.getByTestId('login-form').waitFor({ timeout: 60_000 });
  await app.login(server.url, account(username));
  await app.page.getByTestId('side-nav').waitFor({ timeout: 180_000 });
  return app;
}

/** A small PDF per proof (its own bytes: one file attached twice is one attachment). */
const pdf = (name: string) =>
  Buffer.from(
    `%PDF-1.4\n% ${name}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );

async function attach(app: SyncApp, kind: string | null, name: string): Promise<void> {
  const proofs = app.page.getByTestId('request-proofs');
  if (kind) {
    await proofs.getByTestId('proof-kind').click();
    await app.page.locator('.ant-select-item-option', { hasText: kind }).first().click();
  }
  await proofs
    .locator('input[type=file]')
    .setInputFiles({ name, mimeType: 'application/pdf', buffer: pdf(name) });
  await proofs.getByText(name).waitFor({ timeout: 30_000 });
}

async function serverRequest(username: string, id: string): Promise<ChangeRequestDoc | undefined> {
  const token = (await login(server.url, account(username), `e2e-observer-${username}`)).token;
  return (await pullAll(server.url, token, 'changeRequests')).find((d) => d.id === id) as
    | ChangeRequestDoc
    | undefined;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + 180_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The party of the step waiting opens the request from its 待办 and approves it. */
async function approveAs(app: SyncApp, id: string, opinion: string, shot: string): Promise<void> {
  await app.goto(`/changes/${id}`);
  const panel = app.page.getByTestId('decide-panel');
  await panel.waitFor({ timeout: 180_000 });
  await panel.getByTestId('decide-opinion').fill(opinion);
  await app.shot(`${SHOTS}/${shot}`);
  await panel.getByTestId('decide-approve').click();
  await panel.waitFor({ state: 'detached', timeout: 30_000 });
}

describe('status and info changes in the app (issue 12)', () => {
  it('a transfer between two counties goes through four logins; the student moves roster with its history', async () => {
    const sending = account('s41012202.admin');
    const sendingToken = (await login(server.url, sending, 'e2e-observer-sending')).token;
    const theirs = (await pullAll(server.url, sendingToken, 'students')) as unknown as Student[];
    const demoRequests = (await pullAll(
      server.url,
      sendingToken,
      'changeRequests',
    )) as unknown as ChangeRequestDoc[];
    const busy = new Set(demoRequests.flatMap((r) => [...r.studentIds, ...r.students.map((s) => s.idNo)]));
    // a grade the demo's transfers went through (R-TX-GRADES refuses a graduating grade)
    const grade = demoRequests.find((r) => r.type === 'transfer')?.students[0]?.grade;
    const student = [...theirs]
      .reverse()
      .find((s) => s.status === 'enrolled' && s.grade === grade && !busy.has(s.id) && !busy.has(s.idNo));
    if (!student) throw new Error('no student to transfer');
    const historyBefore = (await pullAll(server.url, sendingToken, 'events')).filter(
      (e) => e.entityId === student.id,
    ).length;

    // 1. the receiving school (金水区): R-ONE lookup, the draft, its proofs, the checks, 提交
    const school = await desk('s41010502.admin');
    await school.goto('/inbox');
    await school.page.getByTestId('inbox').waitFor();
    await school.shot(`${SHOTS}/wf-inbox-school.png`);
    await school.goto('/transfer-in');
    const tin = school.page.getByTestId('transfer-in');
    await tin.getByTestId('tin-name').fill(student.name);
    await tin.getByTestId('tin-idno').fill(student.idNo);
    await tin.getByTestId('tin-lookup').click();
    await tin.getByTestId('tin-found').waitFor({ timeout: 30_000 });
    expect(await tin.getByTestId('tin-found').textContent()).toContain('中牟县第一初级中学');
    await tin.getByTestId('tin-grade').fill(student.grade);
    await tin.getByTestId('tin-to-grade').fill(student.grade);
    await tin.getByTestId('tin-to-class').fill(student.classId);
    await tin.getByTestId('tin-reason').fill('随父母工作调动迁居金水区');
    await tin.getByTestId('tin-applicant').fill(`${student.name.slice(0, 1)}先生`);
    // applied for in the transfer window of the demo term (R-TX-WINDOW: one month around 2026-09-01)
    const applied = tin.getByTestId('tin-applied-on').locator('xpath=descendant-or-self::input');
    await applied.click();
    await applied.fill('2026-09-20');
    // (Enter would submit the form) a click elsewhere takes the typed date and closes the calendar
    await tin.getByTestId('tin-reason').click();
    expect(await applied.inputValue()).toBe('2026-09-20');
    await school.shot(`${SHOTS}/wf-transfer-in.png`);
    await tin.getByTestId('tin-save').click();
    await school.page.getByTestId('change-page').waitFor({ timeout: 30_000 });
    const id = decodeURIComponent(
      (await school.page.evaluate(() => window.location.hash)).split('/').pop() ?? '',
    );
    expect(id).toMatch(/^CR-/);
    await attach(school, null, '转学申请书.pdf');
    await attach(school, '户籍迁移证明', '户籍迁移证明.pdf');
    await school.page.getByTestId('submit-check').click();
    const checked = school.page.getByTestId('submit-findings').or(school.page.getByTestId('submit-refusal'));
    await checked.first().waitFor();
    expect(
      await school.page.getByTestId('submit-refusal').count(),
      (await checked.first().textContent()) ?? '',
    ).toBe(0);
    await school.shot(`${SHOTS}/wf-transfer-draft.png`);
    await school.page.getByTestId('submit-request').click();
    await school.page.getByTestId('submit-panel').waitFor({ state: 'detached', timeout: 30_000 });
    await until(
      () => serverRequest('jinshui.bureau', id),
      (r) => r?.status === 'submitted',
      'the submission on the server',
    );

    // 2. the receiving county, 3. the sending school, 4. the sending county — each its own login and profile
    const county = await desk('jinshui.bureau');
    // the desk opens on 待办 (R-DAILY: the request waits for it there, with the count in the navigation)
    expect(await county.opened()).toBe('/inbox');
    await county.page
      .getByTestId('inbox-waiting')
      .getByText(student.name)
      .first()
      .waitFor({ timeout: 60_000 });
    await county.shot(`${SHOTS}/wf-inbox-bureau.png`);
    await approveAs(county, id, '同意转入', 'wf-decide-bureau.png');
    await until(
      () => serverRequest('s41012202.admin', id),
      (r) => r?.step === 2,
      'step 2 on the server',
    );
    const sender = await desk('s41012202.admin');
    await approveAs(sender, id, '同意转出', 'wf-decide-sending-school.png');
    await until(
      () => serverRequest('zhongmou.bureau', id),
      (r) => r?.step === 3,
      'step 3 on the server',
    );
    const senderCounty = await desk('zhongmou.bureau');
    await approveAs(senderCounty, id, '同意', 'wf-decide-sending-bureau.png');
    const done = await until(
      () => serverRequest('s41010502.admin', id),
      (r) => r?.status === 'approved',
      'approval',
    );
    expect(done?.decisions.filter((d) => !d.late).map((d) => d.orgName)).toEqual([
      '郑州市金水区第七十六中学',
      '金水区教育局',
      '中牟县第一初级中学',
      '中牟县教育局',
    ]);

    // the student is on the receiving school's roster with its history; the sending school's copy drops it
    const receivingToken = (await login(server.url, account('s41010502.admin'), 'e2e-observer-r')).token;
    const moved = (await pullAll(server.url, receivingToken, 'students')).find((s) => s.id === student.id);
    expect(moved?.schoolId).toBe('S41010502');
    const history = (await pullAll(server.url, receivingToken, 'events')).filter(
      (e) => e.entityId === student.id,
    );
    expect(history.length).toBeGreaterThan(historyBefore);
    await school.goto(`/changes/${id}`);
    await school.page
      .getByTestId('request-status')
      .filter({ hasText: '已通过' })
      .waitFor({ timeout: 120_000 });
    await school.shot(`${SHOTS}/wf-transfer-approved.png`);
    await school.openStudent(student.id);
    expect(await school.page.getByTestId('student-name').textContent()).toBe(student.name);
    await school.shot(`${SHOTS}/wf-student-moved.png`);
    await school.goto('/changes');
    await school.page.getByTestId('change-row').first().waitFor();
    await school.shot(`${SHOTS}/wf-changes-list.png`);
    await school.goto('/change-roster');
    await school.page.getByTestId('change-roster').getByText(student.name).waitFor({ timeout: 60_000 });
    await school.shot(`${SHOTS}/wf-change-roster-school.png`);
    await county.goto('/change-roster');
    await county.page.getByTestId('change-roster').waitFor();
    await county.shot(`${SHOTS}/wf-change-roster-bureau.png`);
    // the sending school's copy drops the student (a tombstone of what it held; nothing of the new state)
    const left = (await pullAll(server.url, sendingToken, 'students')).find((s) => s.id === student.id);
    expect(left === undefined || left._deleted === true).toBe(true);
    await sender.goto(`/students/${student.id}`);
    await sender.page.getByText('找不到该学生').waitFor({ timeout: 120_000 });
    for (const app of [school, county, sender, senderCounty]) expect(app.errors).toEqual([]);
    await county.context.close();
    await sender.context.close();
    await senderCounty.context.close();
    await school.context.close();
  }, 900_000);

  it('a misspelled name is corrected through 基本信息变更 with the county’s approval, printed and filed', async () => {
    const admin = account('s41010502.admin');
    const token = (await login(server.url, admin, 'e2e-observer-info')).token;
    const requests = (await pullAll(server.url, token, 'changeRequests')) as unknown as ChangeRequestDoc[];
    const busy = new Set(requests.flatMap((r) => r.studentIds));
    const student = ((await pullAll(server.url, token, 'students')) as unknown as Student[]).find(
      (s) => s.status === 'enrolled' && !busy.has(s.id),
    ) as Student;
    const corrected = `${student.name.slice(0, -1)}${student.name.endsWith('琳') ? '霖' : '琳'}`;

    const school = await desk('s41010502.admin');
    await school.openStudent(student.id);
    await school.shot(`${SHOTS}/wf-student-page.png`);
    await school.goto(`/students/${student.id}/change/suspension`);
    await school.page.getByTestId('change-new').waitFor();
    await school.shot(`${SHOTS}/wf-suspension-new.png`);
    await school.openStudent(student.id);
    await school.page.getByTestId('student-info-change').click();
    const form = school.page.getByTestId('change-new');
    await form.waitFor();
    await form.getByTestId('item-field').click();
    await school.page.keyboard.type('姓名');
    await school.page
      .locator('.ant-select-item-option', { hasText: /^姓名$/ })
      .first()
      .click();
    await form.getByTestId('item-after').fill(corrected);
    await form.getByTestId('item-reason').fill('录入时错字，以户口簿为准');
    await form.getByTestId('change-reason').fill('学籍登记的姓名与户口簿不一致');
    await form.getByTestId('applicant-name').fill(`${student.name.slice(0, 1)}女士`);
    await school.shot(`${SHOTS}/wf-info-change-new.png`);
    await form.getByTestId('draft-save').click();
    await school.page.getByTestId('change-page').waitFor({ timeout: 30_000 });
    const id = decodeURIComponent(
      (await school.page.evaluate(() => window.location.hash)).split('/').pop() ?? '',
    );
    await attach(school, null, '户口簿.pdf');
    await school.page.getByTestId('submit-request').click();
    await school.page.getByTestId('submit-panel').waitFor({ state: 'detached', timeout: 30_000 });
    await until(
      () => serverRequest('jinshui.bureau', id),
      (r) => r?.status === 'submitted',
      'the info change on the server',
    );

    const county = await desk('jinshui.bureau');
    await approveAs(county, id, '同意更正', 'wf-decide-info-change.png');
    await until(
      () => serverRequest('s41010502.admin', id),
      (r) => r?.status === 'approved',
      'the approval',
    );
    await school.goto(`/changes/${id}`);
    await school.page
      .getByTestId('request-status')
      .filter({ hasText: '已通过' })
      .waitFor({ timeout: 120_000 });

    // the printed 学生基本信息变更申请表, read back
    const print = new PrintPanel(school.page);
    await school.page.getByTestId('request-print').click();
    await print.waitForPdf();
    await print.pdfShown();
    await school.shot(`${SHOTS}/wf-info-change-print.png`);
    const bytes = await print.frameBytes();
    const file = `${SHOTS}/wf-info-change.pdf`;
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('学生基本信息变更申请表');
    expect(text).toContain(student.name);
    expect(text).toContain(corrected);
    expect(text).toContain('同意更正');
    await school.page.getByTestId('print-close').click();

    // the signed copy filed: the paper archive's first part is ticked
    await school.page.getByTestId('request-file').click();
    await school.page.getByTestId('request-file').waitFor({ state: 'detached' });
    await school.shot(`${SHOTS}/wf-info-change-filed.png`);
    const after = await until(
      async () =>
        (await pullAll(server.url, token, 'students')).find((s) => s.id === student.id) as
          | SyncDoc
          | undefined,
      (s) => (s?.archive as Record<string, { state: string }> | undefined)?.statusRecord?.state === 'present',
      'the archive tick on the server',
    );
    expect(after?.name).toBe(corrected);
    expect(school.errors).toEqual([]);
    expect(county.errors).toEqual([]);
    await county.context.close();
    await school.context.close();
  }, 600_000);

  it('the bureau’s 待办 shows the overdue transfer with its working-day deadline and how late it is', async () => {
    // the demo's transfers go from 金水区 to 中牟县: the receiving county is 中牟县
    const token = (await login(server.url, account('zhongmou.bureau'), 'e2e-observer-overdue')).token;
    const requests = (await pullAll(server.url, token, 'changeRequests')) as unknown as ChangeRequestDoc[];
    // the demo's transfer submitted by the receiving school in September, waiting at its county since
    const waiting = requests.find(
      (r) =>
        r.type === 'transfer' &&
        r.status === 'submitted' &&
        r.step === 1 &&
        (r.decisions[0]?.at ?? '') < '2026-10-01',
    );
    if (!waiting) throw new Error('the demo has no transfer waiting at the receiving bureau since September');
    const cal = standardCalendar();
    // 10 working days from the day after the school's submission (R-TX-WINDOW's setting), holidays skipped
    const due = addWorkdays(cal, chinaDate(waiting.decisions[0]?.at ?? ''), 10).value;
    const today = chinaDate(new Date().toISOString());
    const late = workdaysBetween(cal, due, today).value;
    const county = await desk('zhongmou.bureau');
    expect(await county.opened()).toBe('/inbox');
    const row = county.page
      .getByTestId('inbox-waiting')
      .locator('tr', { hasText: waiting.students[0]?.name ?? '' })
      .first();
    await row.waitFor({ timeout: 120_000 });
    expect(await row.getByTestId('inbox-overdue').textContent()).toContain(`已逾期 ${late} 个工作日`);
    expect(await row.textContent()).toContain(due);
    expect(await row.textContent()).toContain('R-TX-WINDOW');
    await county.shot(`${SHOTS}/wf-inbox-overdue.png`);
    expect(await county.page.getByTestId('inbox-badge').textContent()).toMatch(/\d+/);
    expect(county.errors).toEqual([]);
    await county.context.close();
  }, 300_000);
});
