// Page model for the import/export and paper-archive end-to-end tests: the production web build served
// by vite preview, driven in Debian's chromium with a persistent profile (so IndexedDB survives a killed
// browser, which is what the interrupted-import test needs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { BROWSER_WAIT_MS, CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { E2E_PASSWORD } from './pages/lock';

const configFile = fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url));

export type WebApp = { url: string; outDir: string; close(): Promise<void> };

/** Builds the renderer for production into a temp folder and serves it on a free port. */
export async function serveWebBuild(options: { minify?: boolean } = {}): Promise<WebApp> {
  const outDir = mkdtempSync(join(tmpdir(), 'xueji-e2e-dist-'));
  await build({
    configFile,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, minify: options.minify ?? true },
  });
  const server: PreviewServer = await preview({
    configFile,
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', open: false },
  });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    outDir,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export type Profile = { dir: string; remove(): void };

export function newProfile(): Profile {
  const dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-profile-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A chromium with a persistent profile; `context.close()` or killing its process ends it. */
export async function openBrowser(profile: Profile): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  return context;
}

/** First start: creates the school profile through the setup form. */
export async function setUpSchool(page: Page, url: string, operator = '李老师'): Promise<void> {
  await page.goto(url);
  await page.getByLabel('学校名称').fill('郑州市金水区职业中等专业学校');
  await page.getByLabel('学校标识码').fill('4101050001');
  await page.getByLabel('所在区县').fill('金水区');
  await page.getByLabel('区县行政区划代码').fill('410105');
  await page.getByLabel('学籍管理员姓名').fill(operator);
  const form = page.locator('form').filter({ hasText: '建立学校档案' });
  await form.getByTestId('setup-password').fill(E2E_PASSWORD);
  await form.getByTestId('setup-password-confirm').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: '建立学校档案' }).click();
  await page.getByTestId('school-name').waitFor();
}

/** Counts documents straight from the app's IndexedDB through RxDB's Dexie tables (not through the UI). */
export async function countStudents(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '');
    const name = names.find((n) => /^rxdb-dexie-xueji--\d+--students$/.test(n));
    if (!name) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const store = db.transaction('docs', 'readonly').objectStore('docs');
    const all = await new Promise<{ _deleted?: boolean | string | number }[]>((resolve, reject) => {
      const r = store.getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    // RxDB's Dexie storage keeps deleted documents as tombstones with a _deleted flag ('1' / true / 1)
    return all.filter((d) => !(d._deleted === true || d._deleted === '1' || d._deleted === 1)).length;
  });
}

export async function openImport(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#/import`);
  await page.getByTestId('import-page').waitFor({ timeout: 120_000 });
}

/** Chooses a file and waits for the preview. */
export async function choosePreview(page: Page, file: string): Promise<Record<string, number>> {
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor({ timeout: 120_000 });
  return previewCounts(page);
}

export async function previewCounts(page: Page): Promise<Record<string, number>> {
  const tags = page.getByTestId('preview-counts').locator('[data-kind]');
  const out: Record<string, number> = {};
  for (const t of await tags.all())
    out[(await t.getAttribute('data-kind')) ?? ''] = Number(await t.getAttribute('data-count'));
  return out;
}

/** The import progress as the modal shows it: "写入学生：2000 / 12000…". */
export async function progressDone(page: Page): Promise<number> {
  const text =
    (await page
      .getByTestId('import-progress')
      .textContent()
      .catch(() => '')) ?? '';
  const m = text.match(/(\d+) \/ (\d+)/);
  return m ? Number(m[1]) : -1;
}

/** Students straight from IndexedDB (RxDB's Dexie table), not through the UI. */
export async function storedStudents(page: Page): Promise<
  {
    id: string;
    idNo: string;
    status: string;
    grade: string;
    classId: string;
    archive: Record<string, { state: string }>;
  }[]
> {
  return storedDocs(page, 'students');
}

/** The live documents of one collection, read straight from IndexedDB (not through the app). */
export async function storedDocs<T = Record<string, unknown>>(page: Page, collection: string): Promise<T[]> {
  return page.evaluate(async (collection) => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '');
    const pattern = new RegExp(`^rxdb-dexie-xueji--\\d+--${collection}$`);
    const name = names.find((n) => pattern.test(n));
    if (!name) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const r = db.transaction('docs', 'readonly').objectStore('docs').getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return all.filter((d) => !(d._deleted === true || d._deleted === '1' || d._deleted === 1)) as never;
  }, collection);
}

/** Whether an unfinished import journal (RxDB local document) exists. */
export async function hasJournal(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '');
    for (const name of names.filter((n) => n.startsWith('rxdb-dexie-xueji') && n.includes('local'))) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      if (!db.objectStoreNames.contains('docs')) {
        db.close();
        continue;
      }
      const all = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const r = db.transaction('docs', 'readonly').objectStore('docs').getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      db.close();
      if (all.some((d) => d.id === 'import-journal' && !(d._deleted === true || d._deleted === '1')))
        return true;
    }
    return false;
  });
}
