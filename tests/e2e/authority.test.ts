// The authority table in the app (issue 8): a counselor who logs in to `xueji server --demo` gets only
// their own classes, may edit those students, and can neither add a student nor import a roster (the
// screens say why, in the table's words); the school admin of the same school may. Debian's chromium, real IndexedDB.
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { login, pullAll } from '../support/server-api';
import { SyncApp, startDemoServer } from './pages/sync-app';

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

async function profile(): Promise<SyncApp> {
  const context = await deskContext(browser);
  return SyncApp.open(context, inject('webUrl'));
}

describe('the authority table in the app', () => {
  it('a counselor syncs only their classes, edits their students, and cannot import; the school admin can', async () => {
    const counselor = server.accounts.find((a) => a.role === 'counselor');
    const admin = server.accounts.find((a) => a.role === 'schoolAdmin' && a.orgId === counselor?.orgId);
    if (!counselor || !admin) throw new Error('demo accounts');
    const theirs = await pullAll(
      server.url,
      (await login(server.url, counselor, 'e2e-observer-c')).token,
      'students',
    );
    const classes = new Set(theirs.map((s) => s.classId));
    expect(classes.size).toBe(2);

    const t = await profile();
    await t.page.getByTestId('login-form').waitFor();
    await t.login(server.url, counselor);
    await t.openRoster();
    await expect.poll(() => t.count.textContent(), { timeout: 120_000 }).toBe(`共 ${theirs.length} 人`);
    // The roster's 新增学生 is disabled, and the page itself gives the reason instead of the form.
    expect(await t.page.getByTestId('student-new').isDisabled()).toBe(true);
    await t.goto('/students/new');
    await t.page.getByText('不能新增学生').waitFor();
    await t.shot(`${SHOTS}/authority-counselor-new-student.png`);
    await t.openStudent(String(theirs[0]?.id));
    expect(await t.page.getByTestId('student-edit').isEnabled()).toBe(true);
    await t.shot(`${SHOTS}/authority-counselor-student.png`);
    await t.goto('/import');
    const choose = t.page.getByRole('button', { name: '选择花名册文件…' });
    await choose.waitFor();
    expect(await choose.isDisabled()).toBe(true);
    await t.page
      .getByText('辅导员/班主任不能新增本人所带班级的学生学籍记录：新生由本校学籍管理员登记或导入')
      .waitFor();
    await t.shot(`${SHOTS}/authority-counselor-import.png`);
    expect(t.errors).toEqual([]);

    const a = await profile();
    await a.login(server.url, admin);
    await a.openRoster();
    await expect.poll(() => a.count.textContent(), { timeout: 120_000 }).toMatch(/^共 \d+ 人$/);
    expect(await a.page.getByTestId('student-new').isEnabled()).toBe(true);
    await a.goto('/import');
    await a.page.getByRole('button', { name: '选择花名册文件…' }).waitFor();
    expect(await a.page.getByRole('button', { name: '选择花名册文件…' }).isEnabled()).toBe(true);
    expect(a.errors).toEqual([]);
  });
});
