// The browser fallback of the bridge in real headless chromium (Debian's /usr/bin/chromium through
// playwright-core), under the app's own Content-Security-Policy from renderer/index.html: downloads,
// the file picker and the print tab are the browser's, not fakes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/support/chromium';

const root = path.resolve(import.meta.dirname, '../..');
const ORIGIN = 'http://xueji.test';
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(root, 'renderer/src/bridge.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'XuejiBridgeModule',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  const indexHtml = await readFile(path.join(root, 'renderer/index.html'), 'utf8');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)?.[1];
  expect(csp, 'renderer/index.html carries a CSP meta tag').toBeTruthy();
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <script src="/bridge.js"></script></head><body></body></html>`;

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ acceptDownloads: true });
  await context.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/bridge.js') return route.fulfill({ contentType: 'text/javascript', body: js });
    return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
  });
  page = await context.newPage();
  await page.goto(`${ORIGIN}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('browser bridge in chromium', () => {
  it('is selected when there is no window.xueji', async () => {
    const host = await page.evaluate(
      () =>
        (window as unknown as { XuejiBridgeModule: { bridge: { host: string } } }).XuejiBridgeModule.bridge
          .host,
    );
    expect(host).toBe('browser');
    const info = await page.evaluate(() =>
      (
        window as unknown as { XuejiBridgeModule: { bridge: { getAppInfo(): Promise<unknown> } } }
      ).XuejiBridgeModule.bridge.getAppInfo(),
    );
    expect(info).toMatchObject({ host: 'browser', platform: 'web', userDataPath: null, archiveRoot: null });
  });

  it('savePdf downloads the exact bytes under a clean Chinese file name', async () => {
    const [download, result] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(async () => {
        const { bridge } = (
          window as unknown as { XuejiBridgeModule: { bridge: import('../../shared/bridge').XuejiBridge } }
        ).XuejiBridgeModule;
        const bytes = new TextEncoder().encode('%PDF-1.7\n学籍档案目录\n%%EOF\n');
        return bridge.savePdf({ schoolName: '一中', fileName: '学籍档案目录/欧阳䶮', bytes });
      }),
    ]);
    expect(result).toEqual({ ok: true, value: { path: null, fileName: '学籍档案目录_欧阳䶮.pdf' } });
    expect(download.suggestedFilename()).toBe('学籍档案目录_欧阳䶮.pdf');
    const saved = await readFile((await download.path()) ?? '', 'utf8');
    expect(saved).toBe('%PDF-1.7\n学籍档案目录\n%%EOF\n');
  });

  it('saveFile downloads an export with its extension', async () => {
    const [download, result] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(async () => {
        const { bridge } = (
          window as unknown as { XuejiBridgeModule: { bridge: import('../../shared/bridge').XuejiBridge } }
        ).XuejiBridgeModule;
        return bridge.saveFile({
          suggestedName: '花名册-2025',
          kind: 'csv',
          bytes: new TextEncoder().encode('姓名\n张三\n'),
        });
      }),
    ]);
    expect(result).toMatchObject({ ok: true, value: { fileName: '花名册-2025.csv' } });
    expect(download.suggestedFilename()).toBe('花名册-2025.csv');
    expect(await readFile((await download.path()) ?? '', 'utf8')).toBe('姓名\n张三\n');
  });

  it('openFile returns the picked roster’s bytes, and refuses a wrong kind in Chinese', async () => {
    const pick = async (name: string, buffer: Buffer) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.evaluate(() => {
          const { bridge } = (
            window as unknown as { XuejiBridgeModule: { bridge: import('../../shared/bridge').XuejiBridge } }
          ).XuejiBridgeModule;
          (window as unknown as { pending: unknown }).pending = bridge
            .openFile({ kinds: ['xlsx', 'csv'] })
            .then((r) => (r.ok ? { ...r, value: { ...r.value, bytes: Array.from(r.value.bytes) } } : r));
        }),
      ]);
      expect(chooser.isMultiple()).toBe(false);
      await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer });
      return page.evaluate(() => (window as unknown as { pending: Promise<unknown> }).pending);
    };
    const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 9, 9]);
    expect(await pick('花名册.xlsx', xlsx)).toEqual({
      ok: true,
      value: { name: '花名册.xlsx', kind: 'xlsx', bytes: [...xlsx] },
    });
    expect(await pick('名单.txt', Buffer.from('x'))).toEqual({
      ok: false,
      reason: 'invalid-argument',
      message: '文件“名单.txt”不是 xlsx 或 csv 文件。',
    });
    expect(await pick('假的.xlsx', Buffer.from('plain text'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('不是有效的 Excel'),
    });
  });

  it('previewPdf shows the real PDF in a new tab of our own origin', async () => {
    const [popup, result] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate(async () => {
        const { bridge } = (
          window as unknown as { XuejiBridgeModule: { bridge: import('../../shared/bridge').XuejiBridge } }
        ).XuejiBridgeModule;
        return bridge.previewPdf({ bytes: new TextEncoder().encode('%PDF-1.7\n%%EOF\n'), title: '档案目录' });
      }),
    ]);
    expect(result).toEqual({ ok: true, value: { opened: true } });
    expect(popup.url()).toMatch(/^blob:http:\/\/xueji\.test\//);
    await popup.close();
  });

  it('printPdf opens the PDF in a new tab of our own origin (the CSP forbids frames)', async () => {
    const [popup, result] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate(async () => {
        const { bridge } = (
          window as unknown as { XuejiBridgeModule: { bridge: import('../../shared/bridge').XuejiBridge } }
        ).XuejiBridgeModule;
        return bridge.printPdf({ bytes: new TextEncoder().encode('%PDF-1.7\n%%EOF\n'), title: '变更申请表' });
      }),
    ]);
    expect(result).toEqual({ ok: true, value: { printed: null } });
    expect(popup.url()).toMatch(/^blob:http:\/\/xueji\.test\//);
    await popup.close();
  });
});
