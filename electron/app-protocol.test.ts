import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, mimeTypeFor, resolveAppPath } from './app-protocol';
import { buildCsp } from './csp';

describe('resolveAppPath (POSIX)', () => {
  const root = '/opt/xueji/resources/app.asar/dist';

  it('maps the app URL to files under dist/', () => {
    expect(resolveAppPath(root, 'app://xueji/')).toMatchObject({ kind: 'file', path: `${root}/index.html` });
    expect(resolveAppPath(root, 'app://xueji/assets/index-abc.js')).toMatchObject({
      kind: 'file',
      path: `${root}/assets/index-abc.js`,
    });
    expect(resolveAppPath(root, 'app://xueji/fonts/%E5%AE%8B%E4%BD%93.ttf')).toMatchObject({
      kind: 'file',
      path: `${root}/fonts/宋体.ttf`,
    });
  });

  it('keeps "../" and "%2e%2e/" inside dist/ (the parser folds them at the root)', () => {
    expect(resolveAppPath(root, 'app://xueji/../../etc/passwd')).toMatchObject({
      path: `${root}/etc/passwd`,
    });
    expect(resolveAppPath(root, 'app://xueji/%2e%2e/%2e%2e/etc/passwd')).toMatchObject({
      path: `${root}/etc/passwd`,
    });
    expect(resolveAppPath(root, 'app://xueji/assets/%2E%2E/%2E%2E/%2E%2E/x')).toMatchObject({
      path: `${root}/x`,
    });
  });

  it.each([
    ['encoded slash traversal', 'app://xueji/..%2f..%2f..%2fetc%2fpasswd'],
    ['encoded slash after a folder', 'app://xueji/assets/..%2F..%2F..%2Fsecret'],
    ['encoded backslash traversal', 'app://xueji/..%5c..%5cWindows%5cwin.ini'],
    ['encoded NUL', 'app://xueji/index.html%00.png'],
    ['drive letter', 'app://xueji/C:/Windows/win.ini'],
    ['encoded drive letter', 'app://xueji/C%3A%5CWindows'],
    ['malformed escape', 'app://xueji/%E0%A4%A'],
    ['lone dot segment encoded', 'app://xueji/a/%2e%2fb'],
  ])('forbids %s', (_name, url) => {
    expect(resolveAppPath(root, url).kind).toBe('forbidden');
  });

  it.each([
    'app://evil/index.html',
    'app://xueji:81/index.html',
    'app://u@xueji/index.html',
    'file:///etc/passwd',
    'https://xueji/index.html',
    'app://xueji/\nindex.html',
  ])('forbids anything but our origin: %s', (url) => {
    expect(resolveAppPath(root, url).kind).toBe('forbidden');
  });

  it('double-encoded dots stay a literal (harmless) file name', () => {
    expect(resolveAppPath(root, 'app://xueji/%252e%252e/x')).toMatchObject({
      kind: 'file',
      path: `${root}/%2e%2e/x`,
    });
  });
});

describe('resolveAppPath (Windows paths)', () => {
  const root = 'C:\\Program Files\\学籍桌面端\\resources\\app.asar\\dist';

  it('maps to files under dist\\ and refuses climbing out', () => {
    expect(resolveAppPath(root, 'app://xueji/assets/a.js', path.win32)).toMatchObject({
      kind: 'file',
      path: `${root}\\assets\\a.js`,
    });
    expect(resolveAppPath(root, 'app://xueji/..%5c..%5cx', path.win32).kind).toBe('forbidden');
    expect(resolveAppPath(root, 'app://xueji/..%2f..%2fx', path.win32).kind).toBe('forbidden');
    expect(resolveAppPath(root, 'app://xueji/D:%2fsecret', path.win32).kind).toBe('forbidden');
    expect(resolveAppPath(root, 'app://xueji/%5c%5cserver%5cshare', path.win32).kind).toBe('forbidden');
  });
});

describe('mimeTypeFor', () => {
  it('knows the types a vite build emits', () => {
    expect(mimeTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/x/a.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('createAppProtocolHandler (real files on disk)', () => {
  let base: string;
  let dist: string;
  const csp = buildCsp();
  let handler: (r: Request) => Promise<Response>;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'xueji-proto-'));
    dist = path.join(base, 'dist');
    await mkdir(path.join(dist, 'assets'), { recursive: true });
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>学籍桌面端</title>');
    await writeFile(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(base, 'secret.txt'), 'SECRET');
    handler = createAppProtocolHandler({ root: dist, headers: () => ({ 'Content-Security-Policy': csp }) });
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('serves index.html and assets with their type and the CSP header', async () => {
    const res = await handler(new Request('app://xueji/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(await res.text()).toContain('学籍桌面端');
    const js = await handler(new Request('app://xueji/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
  });

  it('never serves the file beside dist/, however the path is spelled', async () => {
    for (const url of [
      'app://xueji/../secret.txt',
      'app://xueji/%2e%2e/secret.txt',
      'app://xueji/..%2fsecret.txt',
      'app://xueji/assets/..%2f..%2fsecret.txt',
      'app://xueji/..%5csecret.txt',
    ]) {
      const res = await handler(new Request(url));
      const body = await res.text();
      expect(body, url).not.toContain('SECRET');
      expect([403, 404], url).toContain(res.status);
      expect(res.headers.get('content-security-policy'), url).toBe(csp);
    }
  });

  it('answers client-side routes with index.html, missing assets with 404', async () => {
    const route = await handler(new Request('app://xueji/roster/student/42'));
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('学籍桌面端');
    const missing = await handler(new Request('app://xueji/assets/missing.js'));
    expect(missing.status).toBe(404);
  });

  it('refuses other hosts and other methods', async () => {
    expect((await handler(new Request('app://evil/index.html'))).status).toBe(403);
    expect((await handler(new Request('app://xueji/index.html', { method: 'POST', body: 'x' }))).status).toBe(
      405,
    );
  });

  it('never lists a directory: an extension-less path gets the app shell', async () => {
    const res = await handler(new Request('app://xueji/assets/'));
    const body = await res.text();
    expect(body).toContain('<title>学籍桌面端</title>');
    expect(body).not.toContain('app.js');
  });
});
