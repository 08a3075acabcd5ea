// Roster import/export in chromium on real IndexedDB (issue 3): a seeded file is previewed as new and
// written; cancel writes nothing; broken rows are named with row, column and reason and come back in
// the error report; an import interrupted by closing the page or killing the browser leaves the roster
// exactly as before; export → re-import shows every row unchanged.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { writeRosterXlsx } from '../../cli/xlsx';
import { TEMPLATE_HEADERS } from '../../shared/domain/template';
import { generateStudents } from '../../shared/seed/roster';
import { BROKEN_CASES, brokenSheet } from '../fixtures/import/broken-rows';
import { FIXTURE_SEEDS } from '../fixtures/import/fixture-seeds';
import {
  choosePreview,
  countStudents,
  hasJournal,
  newProfile,
  openBrowser,
  openImport,
  type Profile,
  progressDone,
  setUpSchool,
  storedStudents,
} from './import-app';
import { unlock } from './pages/lock';

const dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let context: BrowserContext | undefined;
let profile: Profile | undefined;
afterEach(async () => {
  await context?.close().catch(() => {});
  profile?.remove();
  context = undefined;
  profile = undefined;
});

async function start(): Promise<{ page: Page; url: string }> {
  const url = inject('webUrl');
  profile = newProfile();
  context = await openBrowser(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  await setUpSchool(page, url);
  await openImport(page, url);
  return { page, url };
}

/**
 * A seeded roster file. Files added to a school that already has students are a later intake: their
 * 校内学号 carry `schoolNoPrefix`, since a school never gives one 校内学号 to two students.
 */
async function seedFile(name: string, count: number, seed: number, schoolNoPrefix = ''): Promise<string> {
  const path = join(dir, name);
  const students = generateStudents({ count, seed }).map((s) => ({
    ...s,
    schoolNo: `${schoolNoPrefix}${s.schoolNo}`,
  }));
  await writeRosterXlsx(path, students);
  return path;
}

/** The roster's data as stored (RxDB's revision bookkeeping aside), sorted, for exact comparison. */
async function rosterData(page: Page): Promise<string[]> {
  return (await storedStudents(page))
    .map((s) => {
      const { _rev, _meta, ...data } = s as Record<string, unknown>;
      return JSON.stringify(data);
    })
    .sort();
}

async function importFile(page: Page, file: string): Promise<void> {
  await choosePreview(page, file);
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
}

describe('roster import in chromium', () => {
  it('previews a seeded file as all new, writes it on confirm; cancel at the preview writes nothing', async () => {
    const { page, url } = await start();
    const file = await seedFile('seed3000.xlsx', 3000, 7);
    expect(await choosePreview(page, file)).toEqual({
      new: 3000,
      changed: 0,
      needsWorkflow: 0,
      unchanged: 0,
      invalid: 0,
    });
    expect(await countStudents(page)).toBe(0);
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-done').textContent()).toContain('新增 3000 名');
    expect(await countStudents(page)).toBe(3000);
    // every imported student shows the import in its history: lean event, file and row named
    const someone = (await storedStudents(page))[42];
    await page.goto(`${url}#/students/${someone?.id}`);
    await expect.poll(() => page.getByTestId('history').textContent()).toContain('由花名册导入创建');
    expect(await page.getByTestId('history').textContent()).toMatch(/花名册导入：seed3000\.xlsx 第 \d+ 行/);
    await openImport(page, url);

    const more = await seedFile('more.xlsx', 400, 8, '9');
    expect((await choosePreview(page, more)).new).toBe(400);
    await page.getByTestId('import-cancel').click();
    await page.getByTestId('import-preview').waitFor({ state: 'detached' });
    await page.reload();
    await unlock(page);
    await page.getByTestId('import-page').waitFor();
    expect(await countStudents(page)).toBe(3000);
  });

  it('names every broken row with row, column and a Chinese reason, and the error report carries them', async () => {
    const { page } = await start();
    const path = join(dir, 'broken.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    for (const r of brokenSheet(40, 13).rows) ws.addRow(r);
    await wb.xlsx.writeFile(path);
    const counts = await choosePreview(page, path);
    expect(counts.invalid).toBe(BROKEN_CASES.length + 1);
    expect(counts.new).toBe(40 - BROKEN_CASES.length - 1);
    const table = page.getByTestId('preview-errors');
    for (const [i, c] of BROKEN_CASES.entries()) {
      const row = table
        .locator(`tr[data-code="${c.code}"]`)
        .filter({ has: page.locator('td', { hasText: new RegExp(`^${i + 3}$`) }) });
      await expect.poll(() => row.count(), { message: `${c.name} on row ${i + 3}` }).toBeGreaterThan(0);
      expect(await row.first().textContent()).toContain(c.column);
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-error-report').click(),
    ]);
    const reportPath = join(dir, 'report.xlsx');
    await download.saveAs(reportPath);
    const report = new ExcelJS.Workbook();
    await report.xlsx.readFile(reportPath);
    const sheet = report.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual([...TEMPLATE_HEADERS, '原行号', '错误说明']);
    expect(sheet.actualRowCount).toBe(1 + BROKEN_CASES.length + 1);
    const sci = sheet.getRow(4).values as unknown[];
    expect(sci[TEMPLATE_HEADERS.indexOf('身份证件号') + 1]).toBe('4.10105E+17');
    expect(String(sci.at(-1))).toContain('科学计数法');
    // nothing is written for a file with errors until the user confirms the valid rows
    expect(await countStudents(page)).toBe(0);
  });

  it('.xls and .ods saved by LibreOffice import like .xlsx; the student page shows the national groups', async () => {
    const { page, url } = await start();
    const fixtures = join(import.meta.dirname, '../fixtures/import');
    expect(await choosePreview(page, join(fixtures, 'seed-roster.xls'))).toEqual({
      new: 60,
      changed: 0,
      needsWorkflow: 0,
      unchanged: 0,
      invalid: 0,
    });
    expect(await page.getByTestId('import-preview').textContent()).toContain(
      'Excel 97-2003 工作簿（.xls），工作表“花名册”',
    );
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    // the same roster saved as .ods: every student found, nothing differs
    expect(await choosePreview(page, join(fixtures, 'seed-roster.ods'))).toMatchObject({
      unchanged: 60,
      invalid: 0,
    });
    await page.getByTestId('import-cancel').click();
    // a workbook with an instructions sheet first: the roster sheet is read and named
    await choosePreview(page, join(fixtures, 'instructions-first.xls'));
    await expect
      .poll(() => page.getByTestId('import-notices').textContent())
      .toContain('读取了工作表“学生信息”');
    await page.getByTestId('import-cancel').click();

    const seeded = generateStudents(FIXTURE_SEEDS.roster);
    const s = seeded[7];
    const stored = (await storedStudents(page)).find((x) => x.idNo === s?.idNo);
    await page.goto(`${url}#/students/${stored?.id}`);
    const fields = page.getByTestId('student-fields');
    for (const title of ['基本信息', '辅助信息', '学籍基本信息', '联系方式', '扩展信息', '上下学交通方式'])
      await fields.locator('.ant-card-head-title', { hasText: new RegExp(`^${title}$`) }).waitFor();
    // 出生地 by name, its code on the element (and in the tooltip)
    const birthPlace = fields.locator('.xj-division').first();
    expect(await birthPlace.getAttribute('data-code')).toBe(s?.birthPlace);
    expect(await birthPlace.textContent()).toMatch(/^河南省.+[区县市]$/);
    const members = page.getByTestId('members');
    expect(await members.textContent()).toContain(s?.guardians[0]?.employer ?? '?');
    expect(await members.textContent()).toContain('家庭成员1');
  });

  it('R-ONE: a 学籍号 already held by a student in the database is an error on that row', async () => {
    const { page } = await start();
    const [a, b] = generateStudents({ count: 2, seed: 30 });
    if (!a || !b) throw new Error('no students');
    const temp = 'L41010520100101123X';
    const first = join(dir, 'first.xlsx');
    await writeRosterXlsx(first, [{ ...a, statusNo: temp }]);
    await importFile(page, first);
    const second = join(dir, 'second.xlsx');
    await writeRosterXlsx(second, [{ ...b, statusNo: temp }]);
    expect((await choosePreview(page, second)).invalid).toBe(1);
    const row = page.getByTestId('preview-errors').locator('tr[data-code="DUPLICATE_IN_DB"]');
    expect(await row.textContent()).toContain('学籍号');
    expect(await row.textContent()).toContain('R-ONE');
    // the error links to its rule on the 政策规则 page
    await row.locator('a[href="#/rules/R-ONE"]').click();
    await expect
      .poll(() => page.locator('[data-testid="rule-item"][data-rule="R-ONE"]').getAttribute('class'))
      .toContain('xj-rule-active');
  });

  it('export then re-import shows every row unchanged (lossless round trip); the roster exports its filter', async () => {
    const { page, url } = await start();
    await importFile(page, await seedFile('round.xlsx', 2500, 17));
    await page.reload();
    await unlock(page);
    await page.getByTestId('import-page').waitFor();
    // the reopened app counts the stored roster once it has opened (after the 待办 reading): a busy machine
    // takes more than the poll's default second for 2,500 students
    await expect
      .poll(() => page.getByTestId('export-roster').textContent(), { timeout: 60_000 })
      .toContain('导出 2500 名学生');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-roster').click(),
    ]);
    const exported = join(dir, 'exported.xlsx');
    await download.saveAs(exported);
    expect(await choosePreview(page, exported)).toEqual({
      new: 0,
      changed: 0,
      needsWorkflow: 0,
      unchanged: 2500,
      invalid: 0,
    });

    // the roster toolbar exports the current filter: searching one ID number exports that student only
    const one = (await storedStudents(page))[123];
    if (!one) throw new Error('no student');
    await page.goto(`${url}#/roster`);
    await page.getByTestId('roster-search').fill(one.idNo);
    await expect.poll(() => page.getByTestId('roster-count').textContent()).toContain('筛选出 1 人');
    const [filtered] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('roster-export').click(),
    ]);
    const filteredPath = join(dir, 'filtered.xlsx');
    await filtered.saveAs(filteredPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(filteredPath);
    const sheet = wb.worksheets[0];
    expect(sheet?.actualRowCount).toBe(2);
    const idCol = TEMPLATE_HEADERS.indexOf('身份证件号') + 1;
    expect(String(sheet?.getRow(2).getCell(idCol).value)).toBe(one.idNo);
  });

  it('closing the page in the middle of an import leaves the roster exactly as before', async () => {
    const { page, url } = await start();
    await importFile(page, await seedFile('base.xlsx', 1000, 40));
    const before = await rosterData(page);
    await choosePreview(page, await seedFile('big.xlsx', 12_000, 41, '9'));
    await page.getByTestId('import-confirm').click();
    await expect.poll(() => progressDone(page), { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    // the partial write is really in the database when the page goes away
    await expect.poll(() => countStudents(page), { timeout: 60_000, interval: 20 }).toBeGreaterThan(1000);
    await page.close({ runBeforeUnload: false });

    const again = await (context as BrowserContext).newPage();
    await again.goto(`${url}#/import`);
    await unlock(again);
    await again.getByTestId('import-page').waitFor();
    await expect.poll(() => hasJournal(again), { timeout: 30_000 }).toBe(false);
    const after = await rosterData(again);
    expect(after).toEqual(before);
  });

  it('killing the browser in the middle of an import leaves the roster exactly as before', async () => {
    const { page, url } = await start();
    await importFile(page, await seedFile('base2.xlsx', 1000, 50));
    const before = await rosterData(page);
    await choosePreview(page, await seedFile('big2.xlsx', 12_000, 51, '9'));
    await page.getByTestId('import-confirm').click();
    await expect.poll(() => countStudents(page), { timeout: 60_000, interval: 20 }).toBeGreaterThan(1000);
    // SIGKILL every process of this test's chromium (found by its own profile folder), like a crash.
    const pids = execFileSync('pgrep', ['-f', '--', `--user-data-dir=${profile?.dir}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone with its parent
      }
    }
    await context?.close().catch(() => {});
    context = await openBrowser(profile as Profile);
    const reopened = context.pages()[0] ?? (await context.newPage());
    await reopened.goto(`${url}#/import`);
    await unlock(reopened);
    await reopened.getByTestId('import-page').waitFor();
    await expect.poll(() => hasJournal(reopened), { timeout: 30_000 }).toBe(false);
    const after = await rosterData(reopened);
    expect(after).toEqual(before);
  });
});
