// A province set up from zero (issue 11, "Done means"), in Debian's chromium against `xueji server` on a
// fresh PGlite folder without demo data: `xueji admin init` creates the province and its first
// administrator; in the web app the administrator changes the initial password, creates a city, a county
// and a school with its attributes, and a school admin whose initial-password slip is printed (the PDF read
// back with pdftotext); the school admin logs in on another profile, changes the password, imports a
// roster and creates a counselor with two classes; the counselor logs in and sees only those two classes.
// Then the school admin resets the counselor's password, which ends the counselor's session at once, and
// the province reads every one of these writes in 操作记录. Screens are photographed at 1366×768 on the way.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeRosterXlsx } from '../../cli/xlsx';
import { demoCreditCode } from '../../server/demo/seed';
import { generateStudents } from '../../shared/seed/roster';
import {
  type ServerProcess,
  startServerProcess,
  stopServerProcess,
} from '../integration/support/server-process';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { PrintPanel } from './pages/print-panel';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const BIN = resolve(import.meta.dirname, '../../bin/xueji.mjs');
const SCHOOL = { id: '3641000101', name: '郑州市金水区职业中等专业学校' };
const ADMIN = { username: 'henan.admin', password: 'Init-Passw0rd-41', renewed: 'Henan-Admin-2026' };
const REGISTRAR_PASSWORD = 'Registrar-2026a';
const COUNSELOR_PASSWORD = 'Counselor-2026a';

let dir: string;
let server: ServerProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-zero-'));
  writeFileSync(join(dir, 'pw'), `${ADMIN.password}\n`, { mode: 0o600 });
  const init = execFileSync(
    process.execPath,
    [
      BIN,
      'admin',
      'init',
      '--data',
      join(dir, 'data'),
      '--province-code',
      '41',
      '--province-name',
      '河南省',
      '--username',
      ADMIN.username,
      '--password-file',
      join(dir, 'pw'),
    ],
    { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } },
  );
  expect(init).toContain('已创建首个省级管理员：henan.admin');
  server = await startServerProcess({ dataDir: join(dir, 'data'), demo: false });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  if (server) await stopServerProcess(server);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** A fresh profile (its own IndexedDB), as another person's computer. */
async function profile(): Promise<Page> {
  const context = await deskContext(browser, { locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(inject('webUrl'));
  return page;
}

/** The setup page's 从省级平台登录, then the password change the server asks for at a first login. */
async function firstLogin(page: Page, username: string, initial: string, renewed: string): Promise<void> {
  const form = page.getByTestId('login-form');
  await form.getByLabel('省级平台服务器地址').fill(server.url);
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(initial);
  await form.getByTestId('login-submit').click();
  const change = page.getByTestId('password-form');
  await change.waitFor({ timeout: 60_000 });
  await change.getByLabel('原密码').fill(initial);
  await change.getByLabel('新密码', { exact: true }).fill(renewed);
  await change.getByLabel('再次输入新密码').fill(renewed);
  await change.getByRole('button', { name: '修改密码' }).click();
  await page.getByTestId('side-nav').waitFor({ timeout: 120_000 });
}

const go = (page: Page, path: string) =>
  page.evaluate((p) => {
    window.location.hash = p;
  }, path);

/** Chooses an option of an antd select by its label. */
async function pick(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}

/** Chooses an org in the account form's tree select. */
async function pickOrg(page: Page, name: string): Promise<void> {
  await page.getByTestId('account-form-org').click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: name })
    .first()
    .click();
}

/** The input of an antd InputNumber (its test id sits on the input or on its wrapper). */
const numberInput = (page: Page, testId: string) =>
  page.locator(`[data-testid="${testId}"]`).locator('xpath=self::input | .//input').first();

async function saveOrg(page: Page, name: string): Promise<void> {
  await page.getByTestId('org-form-save').click();
  await page.getByText(`已新设“${name}”`).waitFor({ timeout: 60_000 });
  await page.getByTestId('org-form').waitFor({ state: 'detached' });
  // the new org is selected at once, below its parent
  await expect.poll(() => page.getByTestId('org-title').textContent()).toBe(name);
}

async function writeSheet(file: string, rows: (string | number)[][]): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  for (const r of rows) sheet.addRow(r);
  await book.xlsx.writeFile(file);
}

/** Chooses a sheet in the open sheet import and waits for its preview. */
async function chooseSheet(page: Page, file: string): Promise<string> {
  const dialog = page.getByTestId('sheet-import');
  await dialog.waitFor();
  await dialog.locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('sheet-counts').waitFor({ timeout: 60_000 });
  return (await page.getByTestId('sheet-counts').textContent()) ?? '';
}

/** The slip of the account just opened: the password shown once, and the printed PDF read back. */
async function slip(page: Page, shot: string): Promise<{ password: string; text: string }> {
  const dialog = page.getByTestId('slip-dialog');
  await dialog.waitFor({ timeout: 60_000 });
  const password = (await page.getByTestId('slip-password').textContent())?.trim() ?? '';
  await page.screenshot({ path: `${SHOTS}/${shot}-dialog.png` });
  await page.getByTestId('slip-print').click();
  const panel = new PrintPanel(page);
  await panel.waitForPdf();
  const pdf = join(dir, `${shot}.pdf`);
  writeFileSync(pdf, await panel.frameBytes());
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf, `${SHOTS}/${shot}-pdf`]);
  await panel.pdfShown();
  await page.screenshot({ path: `${SHOTS}/${shot}-preview.png` });
  await panel.closePreview();
  await page.getByTestId('slip-close').click();
  await dialog.waitFor({ state: 'detached' });
  return { password, text };
}

const roster = generateStudents({ count: 150, seed: 41, schoolId: SCHOOL.id });
const classes = [...new Set(roster.map((s) => s.classId))].sort();
const [classA, classB] = classes as [string, string];
const inTwo = roster.filter((s) => s.classId === classA || s.classId === classB).length;

describe('a province from zero', () => {
  let province: Page;
  let registrar: Page;
  let counselor: Page;
  let registrarSlip: { password: string; text: string };
  let counselorSlip: { password: string; text: string };

  it('the first administrator changes the initial password and creates a city, a county and a school', async () => {
    province = await profile();
    await firstLogin(province, ADMIN.username, ADMIN.password, ADMIN.renewed);
    expect(await province.getByTestId('desk-kind').textContent()).toBe('省教育厅');

    await go(province, '/admin/orgs');
    await province.getByTestId('orgs-page').waitFor();
    await province.getByTestId('org-new-child').click();
    await pick(province, 'org-form-kind', '市级教育局');
    await province.getByTestId('org-form-id').fill('4101');
    await province.getByTestId('org-form-name').fill('郑州市教育局');
    await saveOrg(province, '郑州市教育局');

    await province.getByTestId('org-new-child').click();
    await pick(province, 'org-form-kind', '县（区）教育局');
    await province.getByTestId('org-form-id').fill('410105');
    await province.getByTestId('org-form-name').fill('郑州市金水区教育局');
    await saveOrg(province, '郑州市金水区教育局');

    // The school, with the attributes the rules read; a wrong credit code is refused by its check digit.
    await province.getByTestId('org-new-child').click();
    await province.getByTestId('org-form-id').fill(SCHOOL.id);
    await province.getByTestId('org-form-name').fill(SCHOOL.name);
    await pick(province, 'org-form-level', '中职');
    await pick(province, 'org-form-ownership', '公办');
    await numberInput(province, 'org-form-years').fill('3');
    const code = demoCreditCode('public', '410105', 101);
    const wrong = `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`;
    await province.getByTestId('org-form-credit').fill(wrong);
    await province.getByTestId('org-form-head').fill('王建国');
    await province.getByTestId('org-form-address').fill('郑州市金水区文化路 80 号');
    await numberInput(province, 'org-form-lat').fill('34.7806');
    await numberInput(province, 'org-form-lng').fill('113.6623');
    await numberInput(province, 'org-form-radius').fill('300');
    await province.getByTestId('org-form-save').click();
    await province
      .getByText(/校验码/)
      .first()
      .waitFor();
    await province.screenshot({ path: `${SHOTS}/admin-org-form-school.png` });
    await province.getByTestId('org-form-credit').fill(code);
    await saveOrg(province, SCHOOL.name);
    const details = await province.getByTestId('org-details').textContent();
    expect(details).toContain(code);
    expect(details).toContain('中职');
    expect(details).toContain('王建国');
    // the tree shows the new school where it was made
    await province.getByTestId(`org-node-${SCHOOL.id}`).waitFor();
    await province.screenshot({ path: `${SHOTS}/admin-orgs.png` });
  });

  it('the administrator opens the school admin account and prints its slip', async () => {
    await go(province, '/admin/accounts');
    await province.getByTestId('accounts-page').waitFor();
    await province.getByTestId('accounts-new').click();
    await province.getByTestId('account-form').waitFor();
    await pickOrg(province, SCHOOL.name);
    await pick(province, 'account-form-role', '学校学籍管理员');
    await province.getByTestId('account-form-username').fill('s3641000101.admin');
    await province.getByTestId('account-form-name').fill('李晓红');
    await province.screenshot({ path: `${SHOTS}/admin-account-form.png` });
    await province.getByTestId('account-form-save').click();
    registrarSlip = await slip(province, 'admin-slip-registrar');
    expect(registrarSlip.password).toMatch(/^\S{10,}$/);
    expect(registrarSlip.text).toContain('学籍管理系统账号开通通知单');
    expect(registrarSlip.text).toContain(SCHOOL.name);
    expect(registrarSlip.text).toContain('s3641000101.admin');
    expect(registrarSlip.text).toContain('学校学籍管理员');
    // the password is printed spaced in groups for reading aloud; its characters are all there
    expect(registrarSlip.text.replace(/\s/g, '')).toContain(registrarSlip.password);
    await province.getByTestId('account-s3641000101.admin').waitFor();
    await province.screenshot({ path: `${SHOTS}/admin-accounts.png` });
  });

  it('the administrator imports a sheet of schools and one of accounts: preview, row errors, slips', async () => {
    await go(province, '/admin/orgs');
    await province.getByTestId('orgs-import').click();
    const orgFile = join(dir, '单位表.xlsx');
    const wrong = demoCreditCode('public', '410105', 203);
    await writeSheet(orgFile, [
      [
        '单位代码',
        '单位类别',
        '上级单位代码',
        '单位名称',
        '统一社会信用代码',
        '学段',
        '办学性质',
        '省级示范校',
        '招生片区',
        '学制',
        '校长',
      ],
      [
        '3441000201',
        '学校',
        '410105',
        '郑州市第四十七中学',
        demoCreditCode('public', '410105', 201),
        '普通高中',
        '公办',
        '是',
        '金水片区',
        3,
        '刘明',
      ],
      [
        '3141000202',
        '学校',
        '410105',
        '郑州市金水区外国语中学',
        demoCreditCode('private', '410105', 202),
        '初中',
        '民办',
        '否',
        '',
        3,
        '孙红',
      ],
      [
        '3441000203',
        '学校',
        '410105',
        '郑州市第八中学',
        `${wrong.slice(0, 17)}${wrong[17] === '0' ? '1' : '0'}`,
        '普通高中',
        '公办',
        '否',
        '金水片区',
        3,
        '周强',
      ],
    ]);
    const counts = await chooseSheet(province, orgFile);
    expect(counts).toContain('新增 2');
    expect(counts).toContain('有错误 1');
    expect(await province.getByTestId('sheet-import').textContent()).toContain('校验码');
    await province.screenshot({ path: `${SHOTS}/admin-orgs-import.png` });
    await province.getByTestId('sheet-confirm').click();
    await province.getByTestId('sheet-result').waitFor({ timeout: 60_000 });
    await province.keyboard.press('Escape');
    await province.getByTestId('org-node-3441000201').waitFor({ timeout: 60_000 });
    await province.getByTestId('org-node-3141000202').waitFor();
    expect(await province.getByTestId('org-node-3441000203').count()).toBe(0);

    await go(province, '/admin/accounts');
    await province.getByTestId('accounts-import').click();
    const accountFile = join(dir, '账号表.xlsx');
    await writeSheet(accountFile, [
      ['用户名', '姓名', '角色', '所属单位代码', '所带班级', '执法证号', '申报回避学校代码'],
      ['jinshui.bureau2', '陈科长', '教育局', '410105', '', '', ''],
      ['jinshui.inspector', '吴督学', '督查人员', '410105', '', '豫教执 410105001', '3441000201'],
      ['henan.admin2', '郭处长', '省级管理员', '41', '', '', ''],
    ]);
    const accountCounts = await chooseSheet(province, accountFile);
    expect(accountCounts).toContain('新开设 2');
    expect(accountCounts).toContain('有错误 1');
    await province.screenshot({ path: `${SHOTS}/admin-accounts-import.png` });
    await province.getByTestId('sheet-confirm').click();
    // the slips of the new accounts, one page each
    await province.getByTestId('slip-table').waitFor({ timeout: 60_000 });
    await province.screenshot({ path: `${SHOTS}/admin-slips-batch.png` });
    await province.getByTestId('slip-print').click();
    const panel = new PrintPanel(province);
    await panel.waitForPdf();
    const pdf = join(dir, 'slips.pdf');
    writeFileSync(pdf, await panel.frameBytes());
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('jinshui.bureau2');
    expect(text).toContain('jinshui.inspector');
    expect(text).toContain('豫教执 410105001');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+2\n/);
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, `${SHOTS}/admin-slips-batch-pdf`]);
    await panel.closePreview();
    await province.getByTestId('slip-close').click();
    await province.getByTestId('account-jinshui.inspector').waitFor();
  });

  it('the school admin logs in on another profile, imports a roster and opens a counselor with two classes', async () => {
    const file = join(dir, 'roster.xlsx');
    await writeRosterXlsx(file, roster);
    registrar = await profile();
    await firstLogin(registrar, 's3641000101.admin', registrarSlip.password, REGISTRAR_PASSWORD);
    expect(await registrar.getByTestId('school-name').textContent()).toBe(SCHOOL.name);
    await go(registrar, '/import');
    await registrar.getByTestId('import-page').waitFor();
    await registrar.getByTestId('import-file').setInputFiles(file);
    await registrar.getByTestId('import-preview').waitFor({ timeout: 120_000 });
    await registrar.getByTestId('import-confirm').click();
    await registrar.getByTestId('import-done').waitFor({ timeout: 120_000 });
    await go(registrar, '/roster');
    await expect
      .poll(() => registrar.getByTestId('roster-count').textContent(), { timeout: 60_000 })
      .toBe(`共 ${roster.length} 人`);
    // every student reaches the server before the counselor looks
    await expect
      .poll(() => registrar.getByTestId('sync-state').textContent(), { timeout: 120_000 })
      .toMatch(/^已同步/);

    await go(registrar, '/admin/accounts');
    await registrar.getByTestId('accounts-page').waitFor();
    await registrar.getByTestId('accounts-new').click();
    await registrar.getByTestId('account-form').waitFor();
    await pick(registrar, 'account-form-role', '辅导员/班主任');
    await registrar.getByTestId('account-form-username').fill('s3641000101.zhao');
    await registrar.getByTestId('account-form-name').fill('赵老师');
    await registrar.getByTestId('account-form-classes').click();
    for (const c of [classA, classB])
      await registrar.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${c}"]`).click();
    await registrar.locator('.ant-modal-title', { hasText: '开设账号' }).click();
    await registrar.screenshot({ path: `${SHOTS}/admin-account-form-counselor.png` });
    await registrar.getByTestId('account-form-save').click();
    counselorSlip = await slip(registrar, 'admin-slip-counselor');
    expect(counselorSlip.text).toContain('辅导员/班主任');
    expect(counselorSlip.text).toContain(classA);
    expect(counselorSlip.text).toContain(classB);
    // a school admin sees its own staff only
    await registrar.getByTestId('account-s3641000101.zhao').waitFor();
    expect(await registrar.getByTestId('accounts-table').textContent()).not.toContain('henan.admin');
    await registrar.screenshot({ path: `${SHOTS}/admin-accounts-school.png` });
  });

  it('the counselor logs in and sees only those two classes', async () => {
    counselor = await profile();
    await firstLogin(counselor, 's3641000101.zhao', counselorSlip.password, COUNSELOR_PASSWORD);
    await expect
      .poll(() => counselor.getByTestId('roster-count').textContent(), { timeout: 120_000 })
      .toBe(`共 ${inTwo} 人`);
    expect(inTwo).toBeLessThan(roster.length);
    await counselor.screenshot({ path: `${SHOTS}/admin-counselor-roster.png` });
    // no administration for a counselor: the address of 账号管理 says so
    await go(counselor, '/admin/accounts');
    await counselor.getByText('此页面不在您的工作范围内').waitFor();
  });

  it('a password reset ends the counselor’s session at once; the new slip is printed', async () => {
    await go(registrar, '/admin/accounts');
    await registrar.getByTestId('account-reset-s3641000101.zhao').click();
    await registrar
      .locator('.ant-popover:visible')
      .getByRole('button', { name: /^重\s?置$/ })
      .click();
    const reset = await slip(registrar, 'admin-slip-reset');
    expect(reset.text).toContain('密码重置通知单');
    expect(reset.password).not.toBe(counselorSlip.password);
    // the counselor's browser finds its login ended (the next contact is refused)
    await go(counselor, '/sync');
    await expect
      .poll(() => counselor.getByTestId('sync-state').textContent(), { timeout: 120_000 })
      .toMatch(/登录已过期|重新登录/);
    await counselor.screenshot({ path: `${SHOTS}/admin-counselor-after-reset.png` });
  });

  it('the province reads every administrative write in 操作记录, revokes a device, and sees its account', async () => {
    await go(province, '/admin/audit');
    const audit = province.getByTestId('audit-page');
    await audit.waitFor();
    await expect.poll(() => audit.textContent(), { timeout: 60_000 }).toContain('s3641000101.zhao');
    const text = (await audit.textContent()) ?? '';
    expect(text).toContain(SCHOOL.name);
    expect(text).toContain('郑州市金水区教育局');
    expect(text).toContain('s3641000101.admin');
    expect(text).not.toContain(registrarSlip.password);
    await province.screenshot({ path: `${SHOTS}/admin-audit.png` });
    await go(province, '/admin/devices');
    await province.getByTestId('devices-page').waitFor();
    await province.screenshot({ path: `${SHOTS}/admin-devices.png` });
    // revoking the school admin's device ends the login on that computer
    await province.getByTestId('device-revoke-s3641000101.admin').click();
    await province
      .locator('.ant-popover:visible')
      .getByRole('button', { name: /^停\s?用$/ })
      .click();
    await province.getByText('已停用 s3641000101.admin 的设备').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => registrar.getByTestId('sync-state').textContent(), { timeout: 120_000 })
      .toMatch(/登录已过期|重新登录|设备已停用/);
    await go(province, '/account');
    await province.getByTestId('account-page').waitFor();
    await province.screenshot({ path: `${SHOTS}/admin-account.png` });
    expect(errors).toEqual([]);
  });
});
