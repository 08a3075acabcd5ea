// Attachment bytes in the web app (issue 5), in Debian's chromium against `xueji server --demo`: profile A
// attaches a scan while offline (the sync panel's queue shows it with name, size and progress), it goes up
// when A is online again; profile B of the same school, which received only the metadata, opens the scan
// and the bytes are downloaded on demand. Bytes are compared by SHA-256 on the server and in B's IndexedDB.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { login } from '../support/server-api';
import { SyncApp, startDemoServer } from './pages/sync-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const SCHOOL = 'S41010501';
let server: Awaited<ReturnType<typeof startDemoServer>>;
let browser: Browser;

/** A real PNG "scan" with deterministic noise, so its bytes are not trivially compressible. */
function scanPng(): Buffer {
  const png = new PNG({ width: 600, height: 400 });
  let x = 12345;
  for (let i = 0; i < png.data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    png.data[i] = i % 4 === 3 ? 255 : x >>> 24;
  }
  return PNG.sync.write(png);
}

async function profile(): Promise<SyncApp> {
  const context = await deskContext(browser);
  return SyncApp.open(context, inject('webUrl'));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startDemoServer();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('attachment bytes in chromium against `xueji server --demo`', () => {
  it('a scan attached offline on profile A is queued, uploaded when online, and opens on profile B', async () => {
    const admin = server.accounts.find((x) => x.orgId === SCHOOL && x.role === 'schoolAdmin');
    if (!admin) throw new Error('no school admin');
    const bytes = scanPng();
    const hash = createHash('sha256').update(bytes).digest('hex');

    const a = await profile();
    await a.login(server.url, admin);
    await a.openRoster();
    await expect.poll(() => a.count.textContent(), { timeout: 120_000 }).toBe('共 320 人');
    await expect.poll(() => a.syncState.textContent(), { timeout: 30_000 }).toMatch(/^已同步/);

    // Offline, attach a scan to the first folder's first part.
    await a.goto('/archive');
    const detail = a.page.getByTestId('archive-detail');
    await detail.waitFor();
    const studentTitle = (await detail.locator('h5').textContent()) ?? '';
    const attach = detail.locator('[data-testid^="attach-"]').first();
    const partId = ((await attach.getAttribute('data-testid')) ?? '').slice('attach-'.length);
    await a.setOffline(true);
    const [chooser] = await Promise.all([a.page.waitForEvent('filechooser'), attach.click()]);
    await chooser.setFiles({ name: '入学登记表扫描件.png', mimeType: 'image/png', buffer: bytes });
    await detail.locator(`tr[data-part="${partId}"]`).getByText('查看扫描件').waitFor();

    // The queue in the sync panel: the file waits with its name and size.
    await a.goto('/sync');
    const queue = a.page.getByTestId('attachment-queue');
    const row = queue.getByTestId(`attachment-${hash.slice(0, 12)}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('入学登记表扫描件.png');
    expect(await queue.textContent()).toContain(`${(bytes.length / 1024).toFixed(1)} KB`);
    expect(await queue.textContent()).toContain('1 个待上传');
    await a.shot(`${SHOTS}/sync-panel-attachment-queue.png`);

    const token = (await login(server.url, admin, 'e2e-observer-att')).token;
    const head = async () =>
      (
        await fetch(`${server.url}/api/attachments/${hash}`, {
          method: 'HEAD',
          headers: { authorization: `Bearer ${token}` },
        })
      ).headers.get('x-complete');
    expect(await head()).toBeNull();

    // Online: it goes up by itself and leaves the queue.
    await a.setOffline(false);
    await expect.poll(head, { timeout: 30_000 }).toBe('1');
    await queue.getByText(/扫描件都已上传/).waitFor({ timeout: 30_000 });
    const onServer = await fetch(`${server.url}/api/attachments/${hash}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(onServer.headers.get('content-type')).toBe('image/png');
    expect(
      createHash('sha256')
        .update(Buffer.from(await onServer.arrayBuffer()))
        .digest('hex'),
    ).toBe(hash);
    await expect.poll(() => a.syncState.textContent(), { timeout: 30_000 }).toMatch(/^已同步/);

    // Profile B: same school; the metadata and the student's part arrive, the bytes only when opened.
    const b = await profile();
    await b.login(server.url, admin);
    await b.openRoster();
    await expect.poll(() => b.count.textContent(), { timeout: 120_000 }).toBe('共 320 人');
    const storedOnB = () =>
      b.page.evaluate(
        (sha) =>
          new Promise<string | null>((resolve, reject) => {
            const req = indexedDB.open('xueji-files');
            req.onerror = () => reject(req.error);
            req.onsuccess = () => {
              const db = req.result;
              if (!db.objectStoreNames.contains('blobs')) return resolve(null);
              const get = db.transaction('blobs').objectStore('blobs').get(sha);
              get.onsuccess = async () => {
                const blob = get.result?.bytes as Blob | undefined;
                if (!blob) return resolve(null);
                const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
                resolve([...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join(''));
              };
            };
          }),
        hash,
      );
    await b.goto('/archive');
    const bDetail = b.page.getByTestId('archive-detail');
    await bDetail.waitFor();
    expect(await bDetail.locator('h5').textContent()).toBe(studentTitle);
    const viewButton = bDetail.locator(`tr[data-part="${partId}"]`).getByText('查看扫描件');
    await viewButton.waitFor({ timeout: 30_000 });
    expect(await storedOnB()).toBeNull();
    const popups: string[] = [];
    b.context.on('page', (p) => popups.push(p.url()));
    await b.shot(`${SHOTS}/archive-before-open.png`);
    // a real click: the button must be visible inside the detail column at 1366×768
    await viewButton.click();
    await expect.poll(storedOnB, { timeout: 30_000 }).toBe(hash);
    await b.shot(`${SHOTS}/archive-scan-downloaded.png`);
    await expect.poll(() => popups.length, { timeout: 10_000 }).toBe(1);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
