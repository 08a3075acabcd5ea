// 核验表单 in chromium (issue 9 "Printed forms"): a 学籍档案目录 printed (saved) in the app is rendered to a
// picture with poppler, as a phone photo or a scanner would give it; its QR code read from that picture
// leads to the record it was printed from: "与当前记录一致". After the record changes, the same paper no
// longer matches, and the print log names what differs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { settled } from '../support/animations';
import { PrintPanel } from './pages/print-panel';
import { RosterApp } from './pages/roster-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const work = mkdtempSync(join(tmpdir(), 'xueji-e2e-verify-'));
let app: RosterApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('核验表单: a printed form against today’s record', () => {
  it('scans the QR from the page image: matches; after a change it does not, and says what differs', async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await RosterApp.open(inject('webUrl'));
    await app.loadDemo('200');
    const page = app.page;
    const name = (await app.rows.first().locator('.xj-name').textContent()) ?? '';
    await app.openStudent(name);

    // print: 保存为 PDF (the PDF leaves the app, the print log records it), then a picture of page 1
    const print = new PrintPanel(page);
    await print.printArchiveList();
    await print.waitForPdf();
    const download = await print.save();
    const pdf = join(work, 'archive-list.pdf');
    await download.saveAs(pdf);
    await print.closePreview();
    execFileSync('pdftoppm', [
      '-r',
      '150',
      '-f',
      '1',
      '-l',
      '1',
      '-png',
      '-singlefile',
      pdf,
      join(work, 'page'),
    ]);
    const picture = join(work, 'page.png');

    const verify = async () => {
      await page.evaluate(() => {
        window.location.hash = '/verify';
      });
      await page.getByTestId('verify-page').waitFor();
      await page.getByTestId('verify-file').setInputFiles(picture);
    };
    await verify();
    await page.getByTestId('verify-match').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verify-match').textContent()).toContain('与当前记录一致');
    expect(await page.getByTestId('verify-student').textContent()).toBe(name);
    expect(await page.getByTestId('verify-result').textContent()).toContain('演示管理员');
    await settled(page);
    await page.screenshot({ path: join(SHOTS, 'verify-match.png') });

    // the record changes: 入学年月 is on the form; the paper is no longer the current version
    await page.goBack();
    await page.evaluate(() => {
      window.location.hash = '/roster';
    });
    await app.openStudent(name);
    const before = (await app.field('入学年月').textContent()) ?? '';
    await app.edit({ 入学年月: '202309' });
    await page.getByTestId('student-edit').waitFor();
    await verify();
    await page.getByTestId('verify-mismatch').waitFor({ timeout: 60_000 });
    const diff = page.getByTestId('verify-differences');
    await diff.waitFor();
    const row = diff.locator('tr', { hasText: '入学年月' });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('2023年09月');
    expect(before).not.toContain('2023');
    await settled(page);
    await page.screenshot({ path: join(SHOTS, 'verify-mismatch.png') });

    // a QR text from a form of another system is refused in words
    await page.getByLabel('二维码内容').fill('https://example.com/');
    await page.getByLabel('二维码内容').press('Enter');
    await expect
      .poll(() => page.getByTestId('verify-error').textContent())
      .toContain('不是学籍桌面端打印的表单二维码');
    expect(app.errors).toEqual([]);
  });
});
