// 新增学生 in chromium (issue 9): a student added by hand on a demo school, with the same checks as the
// import and the student page — a wrong check digit, an ID number that already has a record (R-ONE), a
// 校内学号 already taken — each named on its field, nothing written until all are right; then the new
// student is on the roster, searchable, with its history entry (R-WHO), and still there after a reload.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { generateStudents } from '../../shared/seed/roster';
import { settled } from '../support/animations';
import { storedDocs } from './import-app';
import { RosterApp } from './pages/roster-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
let app: RosterApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const card = (page: Page, title: string) => page.locator('.ant-card', { hasText: title });

async function choose(scope: Locator, label: string, text: string): Promise<void> {
  const box = scope.getByLabel(label, { exact: true });
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

describe('新增学生 (a student added by hand)', () => {
  it('checks like the import, refuses R-ONE and a taken 校内学号, then writes the student and its event', async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await RosterApp.open(inject('webUrl'));
    await app.loadDemo('200');
    const page = app.page;
    const demo = generateStudents({ count: 200, seed: 2026, schoolType: 'vocational' });
    const taken = demo[7];
    const [fresh] = generateStudents({ count: 1, seed: 424242, schoolType: 'vocational' });
    if (!taken || !fresh) throw new Error('no seed students');
    expect(demo.some((s) => s.idNo === fresh.idNo)).toBe(false);

    await page.getByTestId('student-new').click();
    await page.getByTestId('student-create').waitFor();
    const basic = card(page, '基本信息');
    const status = card(page, '学籍基本信息');
    await basic.getByLabel('姓名', { exact: true }).fill(fresh.name);
    await choose(basic, '性别', fresh.gender === '1' ? '男' : '女');
    await basic.getByLabel('出生日期', { exact: true }).fill(fresh.birthDate);
    await choose(basic, '身份证件类型', '居民身份证');
    const wrongCheck = `${fresh.idNo.slice(0, 17)}${fresh.idNo.endsWith('0') ? '1' : '0'}`;
    await basic.getByLabel('身份证件号', { exact: true }).fill(wrongCheck);
    await choose(basic, '民族', '汉族');
    await status.getByLabel('年级', { exact: true }).fill(taken.grade);
    await status.getByLabel('班级', { exact: true }).fill(taken.classId);
    await status.getByLabel('校内学号', { exact: true }).fill(String(taken.schoolNo));
    const guardian = card(page, '监护人（至少一位）');
    await guardian.getByLabel('姓名', { exact: true }).fill('王建军');
    await guardian.getByLabel('电话', { exact: true }).fill('13900002222');
    await card(page, '新增原因').getByRole('textbox').fill('插班生');

    // 1. a wrong check digit and a taken 校内学号: both named, nothing written
    await page.getByTestId('student-create-save').click();
    const errors = page.getByTestId('student-create-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('校验');
    expect(await errors.textContent()).toContain(`校内学号 ${taken.schoolNo} 已由“${taken.name}”`);
    await settled(page);
    await page.screenshot({ path: join(SHOTS, 'student-create-errors.png') });

    // 2. R-ONE: the ID number of a student already on the roster
    await basic.getByLabel('身份证件号', { exact: true }).fill(taken.idNo);
    await basic.getByLabel('出生日期', { exact: true }).fill(taken.birthDate);
    await choose(basic, '性别', taken.gender === '1' ? '男' : '女');
    await status.getByLabel('校内学号', { exact: true }).fill('20269901');
    await page.getByTestId('student-create-save').click();
    await expect.poll(() => errors.textContent()).toContain('R-ONE 一人一籍');
    expect(await errors.textContent()).toContain(taken.name);
    expect((await storedDocs(page, 'students')).length).toBe(200);

    // 3. all right: saved, the student page opens with the history entry
    await basic.getByLabel('身份证件号', { exact: true }).fill(fresh.idNo);
    await basic.getByLabel('出生日期', { exact: true }).fill(fresh.birthDate);
    await choose(basic, '性别', fresh.gender === '1' ? '男' : '女');
    await page.getByTestId('student-create-save').click();
    await page.getByTestId('student-name').filter({ hasText: fresh.name }).waitFor();
    await expect.poll(() => app?.history.textContent()).toContain('新增学生');
    expect(await app.history.textContent()).toContain('插班生');
    expect(await app.field('身份证件号').textContent()).toBe(fresh.idNo);
    const stored = await storedDocs<{ idNo: string; status: string; guardians: unknown[] }>(page, 'students');
    expect(stored).toHaveLength(201);
    expect(stored.find((s) => s.idNo === fresh.idNo)).toMatchObject({ status: 'enrolled' });
    const events = await storedDocs<{ action: string; byName: string }>(page, 'events');
    expect(events.filter((e) => e.action === 'student-create')).toEqual([
      expect.objectContaining({ byName: '演示管理员' }),
    ]);

    // on the roster, found by its name; still there after a reload (and the lock)
    await page.evaluate(() => {
      window.location.hash = '/roster';
    });
    await app.search(fresh.name);
    await expect.poll(() => app?.count.textContent()).toBe('筛选出 1 人 / 共 201 人');
    await app.reload();
    await app.search(fresh.idNo.slice(-8));
    await expect.poll(() => app?.count.textContent()).toBe('筛选出 1 人 / 共 201 人');
    expect(app.errors).toEqual([]);
  });
});
