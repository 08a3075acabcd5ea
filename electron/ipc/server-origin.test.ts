// setServerOrigin: the provincial server chosen at login becomes the one origin the Electron shell lets
// the app reach (CSP connect-src, request filter). Hostile origins are refused by the argument check; the
// handler runs on a real temp disk with Electron mocked (fake ShellDeps); the live effect on CSP and the
// request filter of the real main bundle is checked in bundle.test.ts.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCsp, parseCsp } from '../csp';
import { isAllowedRequest } from '../harden';
import { resolveShellConfig, SHELL_SETTINGS_FILE } from '../shell-config';
import { CHANNELS } from './channels';
import { createHandlers, type ShellDeps } from './handlers';
import { registerIpcHandlers, type SenderEvent } from './register';
import { parseSetServerOriginRequest } from './validate';

describe('parseSetServerOriginRequest: hostile origins are refused with a Chinese message', () => {
  it.each([
    ['https://xueji.jyt.henan.gov.cn', 'https://xueji.jyt.henan.gov.cn'],
    ['https://xueji.jyt.henan.gov.cn/', 'https://xueji.jyt.henan.gov.cn'],
    ['https://XUEJI.example.edu.cn:8443', 'https://xueji.example.edu.cn:8443'],
    ['http://localhost:8787', 'http://localhost:8787'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
  ])('accepts %s → %s', (origin, expected) => {
    expect(parseSetServerOriginRequest({ origin })).toEqual({ ok: true, value: { origin: expected } });
  });

  it.each([
    ['user info', 'https://evil.com@xueji.example.edu.cn'],
    ['user and password', 'https://a:b@xueji.example.edu.cn'],
    ['a path', 'https://xueji.example.edu.cn/api'],
    ['a query', 'https://xueji.example.edu.cn/?x=1'],
    ['a fragment', 'https://xueji.example.edu.cn/#a'],
    ['javascript:', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['ftp:', 'ftp://xueji.example.edu.cn'],
    ['ws:', 'ws://xueji.example.edu.cn'],
    ['app: (our own scheme)', 'app://xueji'],
    ['chrome-extension:', 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai'],
    ['plain http to a LAN host', 'http://192.168.1.10:8787'],
    ['a leading space', ' https://xueji.example.edu.cn'],
    ['a trailing space', 'https://xueji.example.edu.cn '],
    ['a newline', 'https://xueji.example.edu.cn\n'],
    ['a tab inside', 'https://xueji.exa\tmple.edu.cn'],
    ['a CSP separator', "https://xueji.example.edu.cn; script-src 'unsafe-inline'"],
    ['a second source', 'https://xueji.example.edu.cn https://evil.com'],
    ['a wildcard', 'https://*.example.edu.cn'],
    ['a trailing-dot host', 'https://xueji.example.edu.cn.'],
    ['no host', 'https://'],
    ['empty', ''],
    ['too long', `https://${'a'.repeat(300)}.cn`],
  ])('refuses %s', (_what, origin) => {
    const r = parseSetServerOriginRequest({ origin });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('invalid-argument');
      expect(r.message).toContain('不能用于桌面版');
    }
  });

  it.each([
    [null],
    [undefined],
    ['https://xueji.example.edu.cn'],
    [{ origin: 42 }],
    [{ origin: ['https://xueji.example.edu.cn'] }],
    [{}],
  ])('refuses a malformed argument %j', (arg) => {
    expect(parseSetServerOriginRequest(arg)).toMatchObject({
      ok: false,
      reason: 'invalid-argument',
      message: '省级平台地址的参数无效。',
    });
  });
});

describe('setServerOrigin handler on a real temp disk (Electron mocked: fake ShellDeps, fake ipcMain)', () => {
  let base: string;
  let live: string | null;
  const userData = () => path.join(base, 'userData');
  const settingsFile = () => path.join(userData(), SHELL_SETTINGS_FILE);

  function deps(): ShellDeps {
    const unused = () => {
      throw new Error('not used by this handler');
    };
    return {
      appInfo: unused,
      documentsDir: () => path.join(base, 'Documents'),
      tempDir: () => path.join(base, 'tmp'),
      showOpenDialog: unused,
      showSaveDialog: unused,
      openPath: unused,
      printPdfFile: unused,
      showPdfWindow: unused,
      userDataDir: userData,
      currentServerOrigin: () => live,
      applyServerOrigin: (origin) => {
        live = origin;
      },
    };
  }
  const set = (arg: unknown) => createHandlers(deps())[CHANNELS.serverSetOrigin](arg);

  beforeEach(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'xueji-origin-'));
    live = null;
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('persists the origin, applies it live, and the next start reads the same origin', async () => {
    expect(await set({ origin: 'https://xueji.example.edu.cn/' })).toEqual({
      ok: true,
      value: { origin: 'https://xueji.example.edu.cn', changed: true },
    });
    expect(live).toBe('https://xueji.example.edu.cn');
    const text = await readFile(settingsFile(), 'utf8');
    expect(JSON.parse(text)).toEqual({ serverOrigin: 'https://xueji.example.edu.cn' });
    expect(resolveShellConfig({ env: {}, settingsText: text })).toEqual({
      serverOrigin: 'https://xueji.example.edu.cn',
      warnings: [],
    });
    // What main.ts builds from the live config: exactly that origin, nothing wider.
    expect(parseCsp(buildCsp({ serverOrigin: live })).get('connect-src')).toEqual([
      "'self'",
      'https://xueji.example.edu.cn',
    ]);
    expect(isAllowedRequest('https://xueji.example.edu.cn/api/sync/stream', live)).toBe(true);
    expect(isAllowedRequest('https://evil.com/', live)).toBe(false);
    // No temp files left beside it.
    expect(await readdir(userData())).toEqual([SHELL_SETTINGS_FILE]);
    // The same origin again: nothing changed, the window need not reload.
    expect(await set({ origin: 'https://xueji.example.edu.cn' })).toEqual({
      ok: true,
      value: { origin: 'https://xueji.example.edu.cn', changed: false },
    });
  });

  it('keeps the other keys of an existing settings file; replaces a broken one', async () => {
    await set({ origin: 'http://127.0.0.1:8787' });
    await writeFile(settingsFile(), JSON.stringify({ serverOrigin: 'http://127.0.0.1:8787', zoom: 1.25 }));
    expect(await set({ origin: 'https://b.example.edu.cn' })).toMatchObject({ ok: true });
    expect(JSON.parse(await readFile(settingsFile(), 'utf8'))).toEqual({
      serverOrigin: 'https://b.example.edu.cn',
      zoom: 1.25,
    });
    await writeFile(settingsFile(), '{ not json');
    expect(await set({ origin: 'https://c.example.edu.cn' })).toMatchObject({ ok: true });
    expect(JSON.parse(await readFile(settingsFile(), 'utf8'))).toEqual({
      serverOrigin: 'https://c.example.edu.cn',
    });
  });

  it('a hostile origin changes nothing: no file, no live change', async () => {
    await set({ origin: 'https://a.example.edu.cn' });
    const before = await readFile(settingsFile(), 'utf8');
    for (const origin of [
      'javascript:alert(1)',
      'https://x@a.example.edu.cn',
      'file:///etc/passwd',
      ' https://b.cn',
    ]) {
      expect(await set({ origin })).toMatchObject({ ok: false, reason: 'invalid-argument' });
    }
    expect(live).toBe('https://a.example.edu.cn');
    expect(await readFile(settingsFile(), 'utf8')).toBe(before);
  });

  it('an unwritable settings folder: a readable io-error, the live origin unchanged', async () => {
    await writeFile(path.join(base, 'userData'), 'a file where the folder should be');
    const r = await set({ origin: 'https://a.example.edu.cn' });
    expect(r).toMatchObject({ ok: false, reason: 'io-error' });
    expect((r as { message: string }).message).toContain('无法保存省级平台地址');
    expect(live).toBeNull();
  });

  it('through the registered channel only the app frame may call it', async () => {
    const listeners = new Map<string, (event: SenderEvent, ...args: unknown[]) => unknown>();
    registerIpcHandlers(
      { handle: (c, l) => void listeners.set(c, l) },
      createHandlers(deps()),
      () => undefined,
    );
    const call = (url: string, parent: unknown = null) =>
      listeners.get(CHANNELS.serverSetOrigin)?.(
        { senderFrame: { url, parent } },
        { origin: 'https://xueji.example.edu.cn' },
      );
    expect(await call('https://evil.com/')).toMatchObject({ reason: 'not-trusted' });
    expect(await call('app://xueji/index.html', {})).toMatchObject({ reason: 'not-trusted' });
    expect(live).toBeNull();
    expect(await call('app://xueji/index.html')).toMatchObject({ ok: true });
    expect(live).toBe('https://xueji.example.edu.cn');
  });
});
