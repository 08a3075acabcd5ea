// Issue 12 in the web app against `xueji server --demo` (its own process, real PGlite), Debian's chromium
// with real IndexedDB, one browser profile per login — what tests/e2e/workflows.test.ts leaves out:
// - a request submitted offline stays on the machine as 待上传 and reaches the server on reconnect; the
//   county opens on 待办 with it and decides with the whole picture: the student's record and history,
//   the proofs opened in the app (a scan image and a PDF), the rule findings;
// - the other county of a transfer opens the demo transfer's proof (the server allows every party);
// - the printed 学籍异动审批表 of a transfer read back with pdftotext: the four steps' opinion and seal cells
//   with the parties' names, the student, and the QR (decoded from the page image; `xueji verify-form`
//   on the PDF exits 0);
// - the 学籍变动名册 exported to Excel and read back with exceljs: the term's rows;
// - the yearly 学生基本信息确认表: printed for a class (one page per student), the signed sheets marked
//   filed (the archive part ticked on the server), a correction from the sheet started as 信息变更.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dayjs from 'dayjs';
import ExcelJS from 'exceljs';
import jsQR from 'jsqr';
import { type Browser, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPdf } from '../../server/demo/changes';
import { chinaDate } from '../../shared/calendar/china';
import { recordFormPart } from '../../shared/domain/archive';
import type { Student } from '../../shared/domain/student';
import type { SyncDoc } from '../../shared/sync/protocol';
import {
  type ChangeRequestDoc,
  changeRoster,
  recentTerms,
  statusChangeFormData,
} from '../../shared/workflows';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { login, pullAll } from '../support/server-api';
import { PrintPanel } from './pages/print-panel';
import { type DemoAccount, SyncApp, startDemoServer } from './pages/sync-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const BIN = fileURLToPath(new URL('../../bin/xueji.mjs', import.meta.url));
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

async function desk(username: string): Promise<SyncApp> {
  const context = await deskContext(browser, { acceptDownloads: true });
  const app = await SyncApp.open(context, inject('webUrl'));
  await app.page.getByTestId('login-form').waitFor({ timeout: 60_000 });
  await app.login(server.url, account(username));
  await app.opened();
  return app;
}

async function pulled<T>(username: string, collection: string): Promise<T[]> {
  const token = (await login(server.url, account(username), `e2e-observer-${username}`.slice(0, 60))).token;
  return (await pullAll(server.url, token, collection)) as unknown as T[];
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

/** A one-page PDF a viewer opens (each name its own bytes: one file attached twice is one attachment). */
const pdf = (name: string) => demoPdf(name);

async function attach(app: SyncApp, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  const proofs = app.page.getByTestId('request-proofs');
  await proofs.locator('input[type=file]').setInputFiles({ name, mimeType, buffer });
  await proofs.getByText(name).waitFor({ timeout: 30_000 });
}

/** Opens a proof from the request page and says what the viewer shows. */
async function openProof(app: SyncApp, name: string): Promise<'image' | 'pdf'> {
  await app.page
    .getByTestId('request-proofs')
    .locator('li', { hasText: name })
    .getByTestId('proof-open')
    .click();
  const viewer = app.page.getByTestId('proof-viewer');
  const shown = viewer
    .getByTestId('proof-image')
    .or(viewer.getByTestId('proof-pdf'))
    .or(viewer.getByTestId('proof-error'));
  await shown.first().waitFor({ timeout: 60_000 });
  if (await viewer.getByTestId('proof-error').count())
    throw new Error(`the proof did not open: ${await viewer.getByTestId('proof-error').textContent()}`);
  return (await viewer.getByTestId('proof-image').count()) ? 'image' : 'pdf';
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('issue 12 at the desks: offline submission, decisions with the whole picture, forms and rosters', () => {
  it('an info change submitted offline waits as 待上传, reaches the county on reconnect; the county decides seeing record, history and proofs', async () => {
    const requests = await pulled<ChangeRequestDoc>('s41010502.admin', 'changeRequests');
    const busy = new Set(requests.flatMap((r) => r.studentIds));
    const students = await pulled<Student>('s41010502.admin', 'students');
    const student = [...students]
      .reverse()
      .find((s) => s.status === 'enrolled' && !busy.has(s.id)) as Student;
    const corrected = `${student.name.slice(0, -1)}${student.name.endsWith('婷') ? '霆' : '婷'}`;

    const school = await desk('s41010502.admin');
    await school.openStudent(student.id);
    // a scan of the 户口簿 (a PNG of known size: the county's viewer must show those pixels)
    const scan = await school.page.screenshot({ clip: { x: 0, y: 0, width: 120, height: 90 } });
    await school.setOffline(true);
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
    await form.getByTestId('draft-save').click();
    await school.page.getByTestId('change-page').waitFor({ timeout: 30_000 });
    const id = decodeURIComponent(
      (await school.page.evaluate(() => window.location.hash)).split('/').pop() ?? '',
    );
    await attach(school, '户口簿.png', 'image/png', scan);
    await attach(school, '更正申请书.pdf', 'application/pdf', pdf('更正申请书'));
    await school.page.getByTestId('submit-request').click();
    await school.page.getByTestId('submit-panel').waitFor({ state: 'detached', timeout: 30_000 });
    // submitted here, queued: the server knows nothing of it yet
    await school.page.getByTestId('request-queued').waitFor({ timeout: 30_000 });
    expect(await school.page.getByTestId('request-status').textContent()).toContain('审核中');
    await school.shot(`${SHOTS}/wf-offline-queued.png`);
    expect(
      (await pulled<ChangeRequestDoc>('jinshui.bureau', 'changeRequests')).some((r) => r.id === id),
    ).toBe(false);
    // reconnect: it goes up, with its proofs' bytes
    await school.setOffline(false);
    await school.page.getByTestId('request-queued').waitFor({ state: 'detached', timeout: 180_000 });
    const up = await until(
      async () =>
        (await pulled<ChangeRequestDoc>('jinshui.bureau', 'changeRequests')).find((r) => r.id === id),
      (r) => r?.status === 'submitted',
      'the offline submission on the server',
    );
    expect(up?.proofs.map((p) => p.name).sort()).toEqual(['户口簿.png', '更正申请书.pdf']);

    // the county opens on 待办, the request waiting there; the request page has the whole picture
    const county = await desk('jinshui.bureau');
    expect(await county.opened()).toBe('/inbox');
    const item = county.page.getByTestId('inbox-waiting').locator('tr', { hasText: student.name }).first();
    await item.waitFor({ timeout: 120_000 });
    await item.getByTestId('inbox-item').click();
    const panel = county.page.getByTestId('decide-panel');
    await panel.waitFor({ timeout: 60_000 });
    await county.page.getByTestId('change-items').getByText(corrected).waitFor();
    await county.page.getByTestId('request-findings').waitFor();
    // the record this county holds (its school's student) and the history the server gave it
    const held = county.page.getByTestId('request-held');
    await held.waitFor({ timeout: 60_000 });
    expect(await held.textContent()).toContain(student.classId);
    await county.page.getByTestId('request-history').waitFor();
    await county.shot(`${SHOTS}/wf-decide-whole-picture.png`);
    // the proofs, opened in the app from the server (this profile never had the bytes)
    expect(await openProof(county, '户口簿.png')).toBe('image');
    const size = await county.page.getByTestId('proof-image').evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    });
    expect(size).toEqual([120, 90]);
    await county.shot(`${SHOTS}/wf-proof-image.png`);
    await county.page.getByTestId('proof-close').click();
    await county.page.getByTestId('proof-viewer').waitFor({ state: 'detached' });
    expect(await openProof(county, '更正申请书.pdf')).toBe('pdf');
    expect(await county.page.getByTestId('proof-pdf').getAttribute('src')).toMatch(/^blob:/);
    await county.shot(`${SHOTS}/wf-proof-pdf.png`);
    await county.page.getByTestId('proof-close').click();
    await panel.getByTestId('decide-opinion').fill('同意更正');
    await panel.getByTestId('decide-approve').click();
    await panel.waitFor({ state: 'detached', timeout: 30_000 });
    await until(
      async () =>
        (await pulled<ChangeRequestDoc>('s41010502.admin', 'changeRequests')).find((r) => r.id === id),
      (r) => r?.status === 'approved',
      'the approval',
    );
    // the applied change comes back as the student's history on the county's copy
    await county.page
      .getByTestId('request-history')
      .getByText('学籍异动生效')
      .first()
      .waitFor({ timeout: 120_000 });
    for (const app of [school, county]) expect(app.errors).toEqual([]);
    await county.context.close();
    await school.context.close();
  }, 600_000);

  it('the other county of a transfer opens its proof; the student’s history is not on its machine, and it says so', async () => {
    const waiting = (await pulled<ChangeRequestDoc>('zhongmou.bureau', 'changeRequests')).find(
      (r) => r.type === 'transfer' && r.status === 'submitted' && r.step === 1 && r.proofs.length > 0,
    );
    if (!waiting) throw new Error('the demo has no transfer waiting at 中牟县');
    const county = await desk('zhongmou.bureau');
    await county.goto(`/changes/${waiting.id}`);
    await county.page.getByTestId('decide-panel').waitFor({ timeout: 120_000 });
    await county.page.getByTestId('request-history-none').waitFor();
    expect(await openProof(county, waiting.proofs[0]?.name ?? '')).toBe('pdf');
    await county.shot(`${SHOTS}/wf-transfer-proof-other-county.png`);
    expect(county.errors).toEqual([]);
    await county.context.close();
  }, 300_000);

  it('the transfer’s 学籍异动审批表: four opinion and seal cells with the parties, the student and the QR; verify-form exits 0; the 变动名册 to Excel', async () => {
    const requests = await pulled<ChangeRequestDoc>('s41012202.admin', 'changeRequests');
    const done = requests.find((r) => r.type === 'transfer' && r.status === 'approved');
    if (!done) throw new Error('the demo has no approved transfer at 中牟县第一初级中学');
    const school = await desk('s41012202.admin');
    await school.goto(`/changes/${done.id}`);
    await school.page
      .getByTestId('request-status')
      .filter({ hasText: '已通过' })
      .waitFor({ timeout: 120_000 });
    const print = new PrintPanel(school.page);
    await school.page.getByTestId('request-print').click();
    await print.waitForPdf();
    await print.pdfShown();
    await school.shot(`${SHOTS}/wf-transfer-print.png`);
    const file = join(SHOTS, 'wf-transfer-form.pdf');
    writeFileSync(file, await print.frameBytes());
    await school.page.getByTestId('print-close').click();
    const text = pdfText(file);
    expect(text).toContain('学籍异动审批表');
    expect(text).toContain(done.students[0]?.name ?? '?');
    expect(done.route).toHaveLength(4);
    for (const step of done.route) expect(text).toContain(step.orgName);
    for (const d of done.decisions.filter((x) => !x.late && x.opinion)) expect(text).toContain(d.opinion);
    expect(text.match(/（盖章）|盖章/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    execFileSync('pdftoppm', ['-png', '-r', '60', file, join(SHOTS, 'wf-transfer-form-pdf')]);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '150',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      join(SHOTS, 'wf-transfer-qr'),
    ]);
    const png = PNG.sync.read(readFileSync(join(SHOTS, 'wf-transfer-qr.png')));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data ?? '').toContain(done.id);
    // the record it was printed from, as the app made it: verify-form reads the PDF against it
    const [data] = statusChangeFormData(done, {
      schoolName: done.route[0]?.orgName ?? '',
      // the app's print date: this machine's day, as dayjs gives it in the page
      printedAt: dayjs().format('YYYY-MM-DD'),
      requests,
    });
    const dataFile = join(SHOTS, 'wf-transfer-form.json');
    writeFileSync(dataFile, JSON.stringify(data));
    const verified = spawnSync(process.execPath, [BIN, 'verify-form', file, '--data', dataFile], {
      encoding: 'utf8',
    });
    expect(verified.status, `${verified.stdout}${verified.stderr}`).toBe(0);

    // the term's change roster, exported to Excel and read back
    await school.goto('/change-roster');
    await school.page.getByTestId('change-roster').waitFor();
    const term = recentTerms(chinaDate(new Date().toISOString()))[0];
    if (!term) throw new Error('no term');
    const expected = changeRoster(requests, 'S41012202', term);
    expect(expected.length).toBeGreaterThan(0);
    await school.page
      .getByTestId('change-roster')
      .getByText(expected[0]?.name ?? '?')
      .first()
      .waitFor({ timeout: 60_000 });
    await school.shot(`${SHOTS}/wf-change-roster-export.png`);
    const [download] = await Promise.all([
      school.page.waitForEvent('download'),
      school.page.getByTestId('roster-export').click(),
    ]);
    const xlsx = join(SHOTS, 'wf-change-roster.xlsx');
    await download.saveAs(xlsx);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = rows.findIndex((r) => r.includes('姓名') && r.includes('异动类型'));
    expect(header).toBeGreaterThanOrEqual(0);
    const nameCol = rows[header]?.indexOf('姓名') ?? -1;
    const statusNoCol = rows[header]?.indexOf('学籍号') ?? -1;
    const body = rows.slice(header + 1).filter((r) => r[nameCol]);
    expect(body.map((r) => r[nameCol])).toEqual(expected.map((e) => e.name));
    expect(body.map((r) => r[statusNoCol])).toEqual(expected.map((e) => e.statusNo ?? ''));
    const idCol = rows[header]?.indexOf('审批编号') ?? -1;
    expect(body.map((r) => r[idCol])).toEqual(expected.map((e) => e.requestId));
    expect(school.errors).toEqual([]);
    await school.context.close();
  }, 600_000);

  it('the yearly 学生基本信息确认表: printed for a class, the signed sheets filed (archive ticked), a correction started from the sheet', async () => {
    // on the sheet: the students on the roster (在籍 and 休学)
    const students = (await pulled<Student & { _deleted?: boolean }>('s41010502.admin', 'students')).filter(
      (s) => !s._deleted && (s.status === 'enrolled' || s.status === 'suspended'),
    );
    const classId = [...new Set(students.map((s) => s.classId))].sort()[0] as string;
    const inClass = students.filter((s) => s.classId === classId);
    const school = await desk('s41010502.admin');
    // the batch print: one sheet per student of the class, pre-filled
    await school.goto('/changes');
    await school.page.getByTestId('info-confirm-print').click();
    await school.page.getByTestId('info-confirm-print-class').click();
    await school.page
      .locator('.ant-select-item-option', { hasText: `${classId}（` })
      .first()
      .click();
    await school.page.getByRole('button', { name: '生成 PDF' }).click();
    const print = new PrintPanel(school.page);
    await print.waitForPdf();
    await print.pdfShown();
    const file = join(SHOTS, 'wf-info-confirm.pdf');
    writeFileSync(file, await print.frameBytes());
    await school.page.getByTestId('print-close').click();
    const text = pdfText(file);
    // one sheet (its pages numbered from 1) per student of the class, each with the student's name
    expect(text.match(/第1页共\d+页/g)).toHaveLength(inClass.length);
    for (const s of inClass) expect(text).toContain(s.name);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      file,
      join(SHOTS, 'wf-info-confirm-pdf'),
    ]);

    // the sheets come back signed: two marked filed
    await school.page.getByTestId('info-confirm-return-open').click();
    const page = school.page.getByTestId('info-confirm-return');
    await page.waitFor();
    await page.getByTestId('info-confirm-class').click();
    await school.page
      .locator('.ant-select-item-option', { hasText: `${classId}（` })
      .first()
      .click();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(inClass.length);
    const [a, b, c] = [0, 1, 2].map((i) => rows.nth(i));
    if (!a || !b || !c) throw new Error('three rows');
    const nameOf = async (row: typeof a) => (await row.locator('td').nth(2).textContent()) ?? '';
    const filedNames = [await nameOf(a), await nameOf(b)];
    await a.locator('.ant-checkbox-input').check();
    await b.locator('.ant-checkbox-input').check();
    await page.getByTestId('info-confirm-file').click();
    await expect.poll(() => page.getByTestId('info-confirm-filed').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('info-confirm-count').textContent()).toBe(
      `已归档 2 / ${inClass.length} 人`,
    );
    await school.shot(`${SHOTS}/wf-info-confirm-return.png`);
    const part = recordFormPart('k12');
    const ids = inClass.filter((s) => filedNames.includes(s.name)).map((s) => s.id);
    expect(ids).toHaveLength(2);
    await until(
      async () =>
        (await pulled<SyncDoc>('s41010502.admin', 'students')).filter((s) => ids.includes(String(s.id))),
      (list) =>
        list.length === 2 &&
        list.every((s) => (s.archive as Record<string, { state: string }>)[part.id]?.state === 'present'),
      'the archive ticks on the server',
    );
    const events = await pulled<SyncDoc>('s41010502.admin', 'events');
    expect(
      events.filter((e) => e.action === 'info-confirm-file' && ids.includes(String(e.entityId))),
    ).toHaveLength(2);

    // a correction on the third sheet: a 基本信息变更 started from it
    await c.getByTestId('info-confirm-correct').click();
    const form = school.page.getByTestId('change-new');
    await form.waitFor();
    expect(await form.getByTestId('change-reason').inputValue()).toMatch(
      /^家长在\d{4}年度学生基本信息确认表上更正：/,
    );
    await school.shot(`${SHOTS}/wf-info-confirm-correct.png`);
    expect(school.errors).toEqual([]);
    await school.context.close();
  }, 600_000);
});
