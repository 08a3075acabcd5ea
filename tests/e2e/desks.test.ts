// Every party at its own desk (issue 11): each role of `xueji server --demo` logs into the web app and sees
// its home, its navigation (from the authority table) and only the records it may see — the province, a
// city bureau, a county bureau, a school's registrar, a counselor and an inspector. Each home is
// photographed at 1366×768. Debian's chromium, real IndexedDB, the server in its own process.
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ORGS } from '../../server/demo/seed';
import { ON_ROSTER_STATUSES } from '../../shared/domain/codes';
import type { SyncDoc } from '../../shared/sync/protocol';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { login, pullAll } from '../support/server-api';
import { type DemoAccount, SyncApp, startDemoServer } from './pages/sync-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const ON_ROSTER = new Set<string>(ON_ROSTER_STATUSES);
let server: Awaited<ReturnType<typeof startDemoServer>>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startDemoServer();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function account(username: string): DemoAccount {
  const a = server.accounts.find((x) => x.username === username);
  if (!a) throw new Error(`demo account ${username}`);
  return a;
}

/** What the server gives this account (the truth the desk is compared with). */
async function students(a: DemoAccount): Promise<SyncDoc[]> {
  const { token } = await login(server.url, a, `e2e-desks-observer-${a.username}`);
  // a student who left the area (the demo's approved transfer) comes as a tombstone: not theirs any more
  return (await pullAll(server.url, token, 'students')).filter((d) => d._deleted !== true);
}

/** A fresh browser profile (an installation) that logs in from the setup page. */
async function desk(a: DemoAccount): Promise<SyncApp> {
  const context = await deskContext(browser);
  const app = await SyncApp.open(context, inject('webUrl'));
  await app.page.getByTestId('login-form').waitFor();
  await app.login(server.url, a);
  return app;
}

async function navLabels(app: SyncApp): Promise<string[]> {
  return app.page.getByTestId('side-nav').locator('.ant-menu-title-content').allTextContents();
}

/** The school names in the 学校 list. */
async function schoolNames(app: SyncApp): Promise<string[]> {
  return (await app.page.getByTestId('school-link').allTextContents()).sort();
}

/** What an area desk's navigation holds (待办 first; the workflows' and administration's screens beside). */
const AREA_NAV = ['学校', '学生查找', '政策规则', '同步', '本机设置'];
function expectAreaNav(nav: string[]): void {
  expect(nav[0]).toMatch(/^待办/);
  expect(nav[1]).toBe('学校');
  expect(nav).toEqual(expect.arrayContaining(AREA_NAV));
  for (const school of ['花名册', '导入导出', '纸质档案']) expect(nav).not.toContain(school);
}
/** The first screen after 待办 (which carries its count). */
const firstScreen = (nav: string[]) => nav.find((l) => !/^待办/.test(l));
/** The schools of a city of the demo province, sorted as schoolNames() sorts. */
const schoolsOfCity = (city: string) => {
  const counties = new Set(DEMO_ORGS.filter((o) => o.parentId === city).map((o) => o.id));
  return DEMO_ORGS.filter((o) => o.kind === 'school' && counties.has(o.parentId ?? ''))
    .map((o) => o.name)
    .sort();
};
const ALL_SCHOOLS = DEMO_ORGS.filter((o) => o.kind === 'school').length;

/** Types into 学生查找 and waits until the count line says `found` students were found. */
async function search(app: SyncApp, text: string, found: number): Promise<void> {
  await app.goto('/search');
  await app.page.getByTestId('area-search-input').fill(text);
  await expect
    .poll(() => app.page.getByTestId('area-search-count').textContent(), { timeout: 30_000 })
    .toMatch(new RegExp(`^找到 ${found.toLocaleString('zh-CN')} 人 / 本机共`));
}

describe('each role at its own desk', () => {
  it('a county bureau holds its whole county: its two schools with figures, their rosters read-only, search across both, offline too', async () => {
    const a = account('jinshui.bureau');
    const theirs = await students(a);
    const schools = new Set(theirs.map((s) => s.schoolId));
    expect([...schools].sort()).toEqual(['S41010501', 'S41010502']);
    const other = (await students(account('zhongmou.bureau')))[0];

    const app = await desk(a);
    // R-DAILY: the county has requests and an appeal waiting, so it opens on 待办 with their count …
    expect(await app.opened()).toBe('/inbox');
    await app.page.getByTestId('inbox-waiting').getByTestId('inbox-item').first().waitFor();
    expect(Number(await app.page.getByTestId('inbox-badge').textContent())).toBeGreaterThan(0);
    await app.shot(`${SHOTS}/desk-county-inbox.png`);
    // … and its home is 学校, first after 待办 in the navigation
    await app.home();
    await app.page.getByTestId('schools-page').waitFor({ timeout: 120_000 });
    expect(await app.page.getByTestId('desk-kind').textContent()).toBe('县区教育局');
    expect(await app.page.getByTestId('school-name').textContent()).toBe('金水区教育局');
    expectAreaNav(await navLabels(app));
    await expect
      .poll(() => app.page.getByTestId('scope-line').textContent(), { timeout: 60_000 })
      .toBe('金水区教育局·辖区 2 所学校·本机保存全辖区数据');
    expect(await schoolNames(app)).toEqual(['郑州市金水区第七十六中学', '郑州市金水区职业中等专业学校']);
    // The county's students all arrive; the list counts those on the roster, school by school.
    const onRoster = theirs.filter((s) => ON_ROSTER.has(String(s.status))).length;
    await expect
      .poll(() => app.page.getByTestId('area-summary').textContent(), { timeout: 120_000 })
      .toContain(`在校学生 ${onRoster.toLocaleString('zh-CN')} 人`);
    await app.shot(`${SHOTS}/desk-county-home.png`);

    // A school's roster, read-only: no 新增学生, the student page's 编辑 disabled.
    const school = theirs.filter((s) => s.schoolId === 'S41010502');
    await app.goto('/schools/S41010502');
    await expect.poll(() => app.count.textContent(), { timeout: 60_000 }).toBe(`共 ${school.length} 人`);
    expect(await app.page.getByTestId('scope-line').textContent()).toContain('只读查看');
    expect(await app.page.getByTestId('student-new').count()).toBe(0);
    await app.shot(`${SHOTS}/desk-county-school.png`);
    await app.openStudent(String(school[0]?.id));
    // 编辑 is disabled, its tooltip giving the authority table's reason
    expect(await app.page.getByTestId('student-edit').isDisabled()).toBe(true);
    expect(await app.page.getByTestId('scope-line').textContent()).toContain('郑州市金水区第七十六中学');
    await app.shot(`${SHOTS}/desk-county-student.png`);

    // Search across the county by ID number and 学籍号 (of the other school); another county's student is
    // not found — it never reached this machine.
    const first = theirs.find((s) => s.schoolId === 'S41010501') as SyncDoc;
    await search(app, String(first.idNo), 1);
    await app.page.getByTestId('area-search-row').first().waitFor();
    expect(await app.page.getByTestId('area-search-row').first().textContent()).toContain(String(first.name));
    await app.shot(`${SHOTS}/desk-county-search.png`);
    // Many hits: the list reads only the rows on screen; scrolled to the end, the last row is number N.
    const numbers = (d: SyncDoc) => [
      String(d.idNo).toLowerCase(),
      String(d.statusNo ?? '')
        .slice(1)
        .toLowerCase(),
      String(d.schoolNo ?? ''),
    ];
    const many = theirs.filter((d) => numbers(d).some((n) => n.includes('2009'))).length;
    expect(many).toBeGreaterThan(40); // more than a screen of rows
    await search(app, '2009', many);
    await app.page.locator('.xj-table-body').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect
      .poll(() => app.page.getByTestId('area-search-row').last().locator('.xj-num').textContent(), {
        timeout: 30_000,
      })
      .toBe(String(many));
    expect(await app.page.getByTestId('area-search-row').last().locator('.xj-name').textContent()).not.toBe(
      '',
    );
    await app.shot(`${SHOTS}/desk-county-search-many.png`);
    await search(app, String(other?.idNo), 0);
    // A school's screen of its own (花名册) is not this desk's: the address alone does not open it.
    await app.goto('/import');
    await app.page.getByText('此页面不在您的工作范围内').waitFor();

    // Offline, the county is all here: the list with its figures, a roster, search.
    await app.setOffline(true);
    await app.goto('/schools');
    await expect
      .poll(() => app.page.getByTestId('area-summary').textContent(), { timeout: 60_000 })
      .toContain(`在校学生 ${onRoster.toLocaleString('zh-CN')} 人`);
    await app.goto('/schools/S41010501');
    await expect
      .poll(() => app.count.textContent(), { timeout: 60_000 })
      .toBe(`共 ${theirs.length - school.length} 人`);
    await search(app, String(school[1]?.idNo), 1);
    await app.setOffline(false);
    expect(app.errors).toEqual([]);
  });

  it('a city bureau sees its counties and schools from the server and keeps a chosen school offline, its size shown first', async () => {
    const a = account('zz.bureau');
    const app = await desk(a);
    await app.home();
    await app.page.getByTestId('schools-page').waitFor({ timeout: 120_000 });
    expect(await app.page.getByTestId('desk-kind').textContent()).toBe('市教育局');
    expectAreaNav(await navLabels(app));
    expect(await schoolNames(app)).toEqual(schoolsOfCity('4101'));
    await app.page.getByText('金水区教育局').first().waitFor();
    await app.page.getByText('中牟县教育局').first().waitFor();
    expect(await app.page.getByText('洛阳').count()).toBe(0);
    // The figures come from the server's statistics while nothing is held here.
    await expect
      .poll(() => app.page.getByTestId('stats-time').textContent(), { timeout: 60_000 })
      .toMatch(/^省级平台统计于/);
    const theirs = await students(a);
    const zm = theirs.filter((s) => s.schoolId === 'S41012202');
    expect(await app.page.getByTestId('scope-line').textContent()).toBe(
      `郑州市教育局·辖区 ${schoolsOfCity('4101').length} 所学校·本机保存选定的学校`,
    );
    await app.shot(`${SHOTS}/desk-city-home.png`);

    const row = app.page.locator('tr', { hasText: '中牟县第一初级中学' });
    await row.getByTestId('school-keep').click();
    const size = app.page.getByTestId('download-size');
    await size.waitFor();
    expect(await size.textContent()).toContain(`约 ${zm.length} 名学生，数据约`);
    const ok = app.page.getByRole('button', { name: '下载并离线保存' });
    await ok.click({ trial: true }); // waits until the dialog stopped moving, for the photograph
    await app.shot(`${SHOTS}/desk-city-keep.png`);
    await ok.click();
    await row.locator('.ant-tag', { hasText: '离线保存' }).waitFor({ timeout: 60_000 });
    await app.goto('/schools/S41012202');
    await expect.poll(() => app.count.textContent(), { timeout: 120_000 }).toBe(`共 ${zm.length} 人`);
    // Only the school kept is on this machine: search finds its students, not those of the others.
    const kept = zm[0] as SyncDoc;
    const notHeld = theirs.find((s) => s.schoolId === 'S41010501') as SyncDoc;
    await search(app, String(kept.idNo), 1);
    await search(app, String(notHeld.idNo), 0);
    // A school not held asks before it downloads.
    await app.goto('/schools/S41010501');
    await app.page.getByTestId('school-not-held').waitFor();
    expect(await app.page.getByTestId('school-not-held').textContent()).toContain('名学生的记录');
    await app.shot(`${SHOTS}/desk-city-not-held.png`);
    expect(app.errors).toEqual([]);
  });

  it('the province sees its cities, counties and every school, and sets the rules of the province', async () => {
    const app = await desk(account('sheng.admin'));
    await app.home();
    await app.page.getByTestId('schools-page').waitFor({ timeout: 120_000 });
    expect(await app.page.getByTestId('desk-kind').textContent()).toBe('省教育厅');
    expectAreaNav(await navLabels(app));
    expect(await schoolNames(app)).toHaveLength(ALL_SCHOOLS);
    for (const name of ['郑州市教育局', '洛阳市教育局', '涧西区教育局'])
      await app.page.getByText(name).first().waitFor();
    await expect
      .poll(() => app.page.getByTestId('area-summary').textContent(), { timeout: 60_000 })
      .toMatch(new RegExp(`^${ALL_SCHOOLS} 所学校 · 在校学生 [1-9]`));
    await app.shot(`${SHOTS}/desk-province-home.png`);

    // The rule settings of the province: changed on the server, back on this copy by sync, with who set them.
    await app.goto('/rules/R-LEAVE-15');
    const rule = app.page.locator('[data-rule="R-LEAVE-15"]');
    await rule.getByTestId('rule-settings-edit').click();
    const input = app.page.getByRole('spinbutton', { name: '每学期累计请假上限' });
    await input.fill('20');
    await app.page.getByTestId('rule-settings-save').click({ trial: true });
    await app.shot(`${SHOTS}/desk-province-rule-edit.png`);
    await app.page.getByTestId('rule-settings-save').click();
    await expect
      .poll(() => rule.locator('[data-setting="leaveLimitDays"]').textContent(), { timeout: 60_000 })
      .toMatch(/^每学期累计请假上限：20 天（河南省教育厅设置/);
    // the other setting of the rule was left as it was: still the regulation's default
    expect(await rule.locator('[data-setting="leaveActionWorkdays"]').textContent()).toContain('（默认值）');
    await app.shot(`${SHOTS}/desk-province-rules.png`);
    expect(app.errors).toEqual([]);
  });

  it("a school's registrar with work waiting opens on 待办 and steps to the school's roster", async () => {
    const a = account('s41010501.admin');
    const theirs = await students(a);
    const app = await desk(a);
    // the demo's verification consequences are due at this school (R-MISS-2-4): 待办 first (R-DAILY)
    expect(await app.opened()).toBe('/inbox');
    await app.page.getByTestId('inbox-waiting').getByTestId('inbox-item').first().waitFor();
    await app.openRoster();
    await expect.poll(() => app.count.textContent(), { timeout: 120_000 }).toBe(`共 ${theirs.length} 人`);
    expect(await app.page.getByTestId('desk-kind').textContent()).toBe('学校学籍管理员');
    const nav = await navLabels(app);
    expect(firstScreen(nav)).toBe('花名册');
    expect(nav).toContain('导入导出');
    expect(nav).not.toContain('学校');
    expect(nav).not.toContain('学生查找');
    expect(await app.page.getByTestId('scope-line').textContent()).toBe(
      '郑州市金水区职业中等专业学校·学校学籍管理员',
    );
    await app.shot(`${SHOTS}/desk-school-home.png`);
    await app.goto('/schools');
    await app.page.getByText('此页面不在您的工作范围内').waitFor();
    expect(app.errors).toEqual([]);
  });

  it('a school with nothing waiting opens on its roster; its 待办 still tells where its requests stand', async () => {
    const a = account('s41010502.admin');
    const theirs = await students(a);
    const app = await desk(a);
    expect(await app.opened()).toBe('/roster');
    await expect.poll(() => app.count.textContent(), { timeout: 120_000 }).toBe(`共 ${theirs.length} 人`);
    expect(await app.page.getByTestId('inbox-badge').count()).toBe(0);
    await app.nav('待办');
    await app.page.getByTestId('inbox-waiting').getByText('没有等待您办理的事项').waitFor();
    await app.page.getByTestId('inbox-started').getByTestId('inbox-item').first().waitFor();
    await app.shot(`${SHOTS}/desk-school-inbox-nothing-waiting.png`);
    expect(app.errors).toEqual([]);
  });

  it('a counselor sees only the classes they hold', async () => {
    const a = account('s41010501.counselor');
    const theirs = await students(a);
    const classes = [...new Set(theirs.map((s) => String(s.classId)))].sort();
    expect(classes).toHaveLength(2);
    const app = await desk(a);
    await app.openRoster();
    await expect.poll(() => app.count.textContent(), { timeout: 120_000 }).toBe(`共 ${theirs.length} 人`);
    expect(await app.page.getByTestId('desk-kind').textContent()).toBe('辅导员/班主任');
    const nav = await navLabels(app);
    expect(firstScreen(nav)).toBe('花名册');
    expect(nav).not.toContain('学校');
    const scope = (await app.page.getByTestId('scope-line').textContent()) ?? '';
    for (const c of classes) expect(scope).toContain(c);
    await app.shot(`${SHOTS}/desk-counselor-home.png`);
    expect(app.errors).toEqual([]);
  });

  it("an inspector's home is its drawn inspections; it reads no student of the area (issue 14)", async () => {
    const a = account('zz.inspector1');
    // what the server gives this inspector: its inspections only (the table's `self`), no student at all
    expect(await students(a)).toEqual([]);
    const token = (await login(server.url, a, 'e2e-observer-desks-insp')).token;
    const mine = (await pullAll(server.url, token, 'inspections')).filter(
      (d) => d.kind === 'inspection' && d._deleted !== true,
    );
    const app = await desk(a);
    await app.home();
    await app.page.getByTestId('inspections-page').waitFor({ timeout: 120_000 });
    expect(await app.page.getByTestId('desk-kind').textContent()).toBe('督查人员');
    const nav = await navLabels(app);
    expect(nav[0]).toMatch(/^待办/);
    expect(firstScreen(nav)).toBe('检查');
    expect(nav).toEqual(expect.arrayContaining(['检查', '政策规则', '同步', '本机设置']));
    // nor a school's leaves, appeals, verification records or change requests (minors' data)
    for (const screen of [
      '学校',
      '学生查找',
      '花名册',
      '导入导出',
      '纸质档案',
      '核验统计',
      '请假',
      '核验申诉',
      '学籍异动',
    ])
      expect(nav).not.toContain(screen);
    const rows = app.page.getByTestId('visit-list').locator('tbody tr.xj-insp-row');
    await expect.poll(() => rows.count(), { timeout: 120_000 }).toBe(mine.length);
    const schools = (await rows.locator('td:first-child').allTextContents()).sort();
    expect(schools).toEqual(mine.map((d) => String(d.schoolName)).sort());
    expect(await app.page.getByTestId('scope-line').textContent()).toContain('本机只保存抽中您的检查');
    await app.shot(`${SHOTS}/desk-inspector-home.png`);
    expect(app.errors).toEqual([]);
  });
});
