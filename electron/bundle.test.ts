// Builds the real main/preload bundles (scripts/build-electron.mjs) and runs them against a fake
// `electron` module. The Electron binary cannot be downloaded here, so these tests check the wiring —
// which settings the window gets, what is registered, what the handlers answer — not Electron itself.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ALLOW_LIST, CHANNELS } from './ipc/channels';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const nodeRequire = createRequire(import.meta.url);

let base: string;
let out: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'xueji-bundle-'));
  out = path.join(base, 'dist-electron');
  await run(process.execPath, [path.join(root, 'scripts/build-electron.mjs')], {
    cwd: root,
    env: { ...process.env, XUEJI_ELECTRON_OUTDIR: out },
  });
  await mkdir(path.join(base, 'dist'), { recursive: true });
  await writeFile(path.join(base, 'dist', 'index.html'), '<!doctype html><title>学籍桌面端</title>');
}, 60_000);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Run a CommonJS bundle with `require('electron')` answered by `fake`. */
async function runBundle(file: string, fake: unknown): Promise<void> {
  const code = await readFile(file, 'utf8');
  const module = { exports: {} };
  const requireFn = (id: string) => (id === 'electron' ? fake : nodeRequire(id));
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
    requireFn,
    module,
    module.exports,
    path.dirname(file),
    file,
  );
}

describe('build-electron', () => {
  it('emits CommonJS main and preload; the sandboxed preload requires only electron', async () => {
    const main = await readFile(path.join(out, 'main.cjs'), 'utf8');
    const preload = await readFile(path.join(out, 'preload.cjs'), 'utf8');
    const requires = (s: string) => new Set([...s.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    expect([...requires(preload)]).toEqual(['electron']);
    for (const r of requires(main)) expect(r === 'electron' || r?.startsWith('node:'), r).toBe(true);
    expect(main).not.toMatch(/^import /m);
    expect((await readFile(path.join(out, 'icon.png'))).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('preload bundle (Electron mocked: contextBridge, ipcRenderer)', () => {
  it('exposes one object, window.xueji, with one method per channel and nothing generic', async () => {
    const exposed: [string, Record<string, unknown>][] = [];
    const invoked: [string, unknown[]][] = [];
    await runBundle(path.join(out, 'preload.cjs'), {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]),
      },
      ipcRenderer: {
        invoke: async (channel: string, ...args: unknown[]) => {
          invoked.push([channel, args]);
          return { ok: true, value: null };
        },
        send: () => {
          throw new Error('send must not be used');
        },
      },
    });
    expect(exposed).toHaveLength(1);
    const [key, api] = exposed[0] ?? ['', {}];
    expect(key).toBe('xueji');
    expect(Object.keys(api).sort()).toEqual(
      [
        'host',
        'getAppInfo',
        'savePdf',
        'previewPdf',
        'printPdf',
        'openFile',
        'saveFile',
        'openArchiveFolder',
        'setServerOrigin',
      ].sort(),
    );
    expect(api.host).toBe('electron');
    const bytes = new Uint8Array([0x25]);
    const call = (name: string, arg?: unknown) => (api[name] as (a?: unknown) => Promise<unknown>)(arg);
    await call('getAppInfo');
    await call('savePdf', { schoolName: '一中', fileName: 'a', bytes });
    await call('previewPdf', { bytes });
    await call('printPdf', { bytes });
    await call('openFile');
    await call('saveFile', { suggestedName: 'a', kind: 'csv', bytes });
    await call('openArchiveFolder', { schoolName: '一中' });
    await call('setServerOrigin', { origin: 'https://xueji.example.edu.cn' });
    expect(invoked.map(([c]) => c)).toEqual([
      CHANNELS.appInfo,
      CHANNELS.pdfSave,
      CHANNELS.pdfPreview,
      CHANNELS.pdfPrint,
      CHANNELS.fileOpen,
      CHANNELS.fileSave,
      CHANNELS.archiveOpenFolder,
      CHANNELS.serverSetOrigin,
    ]);
    expect(invoked[7]?.[1]).toEqual([{ origin: 'https://xueji.example.edu.cn' }]);
    expect(invoked.every(([c]) => CHANNEL_ALLOW_LIST.includes(c as never))).toBe(true);
    expect(invoked[4]?.[1]).toEqual([null]);
  });
});

type Listener = (...args: unknown[]) => unknown;

function fakeElectron() {
  const log: string[] = [];
  const appListeners = new Map<string, Listener>();
  const windows: { options: Record<string, unknown>; url?: string }[] = [];
  const ipc = new Map<string, Listener>();
  const protocols = new Map<string, (r: Request) => Promise<Response>>();
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    resolveReady = r;
  });
  const fakeSession = (name: string) => ({
    name,
    handlers: {} as Record<string, Listener>,
    setPermissionRequestHandler(h: Listener) {
      this.handlers.request = h;
    },
    setPermissionCheckHandler(h: Listener) {
      this.handlers.check = h;
    },
    setDevicePermissionHandler(h: Listener) {
      this.handlers.device = h;
    },
    webRequest: {
      before: null as Listener | null,
      headers: null as Listener | null,
      onBeforeRequest(h: Listener) {
        this.before = h;
      },
      onHeadersReceived(h: Listener) {
        this.headers = h;
      },
    },
  });
  const defaultSession = fakeSession('default');
  const printSession = fakeSession('print');
  class BrowserWindow {
    static getAllWindows = () => windows;
    webContents = { once: () => undefined, on: () => undefined };
    constructor(options: Record<string, unknown>) {
      windows.push({ options });
    }
    once() {}
    on() {}
    loadURL(url: string) {
      const w = windows[windows.length - 1];
      if (w) w.url = url;
      return Promise.resolve();
    }
  }
  let menuTemplate: unknown = null;
  const electron = {
    app: {
      isPackaged: true,
      enableSandbox: () => log.push('enableSandbox'),
      requestSingleInstanceLock: () => {
        log.push('singleInstanceLock');
        return true;
      },
      on: (event: string, l: Listener) => void appListeners.set(event, l),
      whenReady: () => ready,
      quit: () => log.push('quit'),
      getPath: (name: string) => path.join(base, 'paths', name),
      getVersion: () => '0.1.0',
      setAppUserModelId: () => undefined,
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) =>
        log.push(`registerSchemes ${JSON.stringify(schemes)}`),
      handle: (scheme: string, h: (r: Request) => Promise<Response>) => void protocols.set(scheme, h),
    },
    session: {
      defaultSession,
      fromPartition: (p: string) => (p === 'xueji-print' ? printSession : fakeSession(p)),
    },
    ipcMain: { handle: (channel: string, l: Listener) => void ipc.set(channel, l) },
    Menu: {
      buildFromTemplate: (t: unknown) => {
        menuTemplate = t;
        return t;
      },
      setApplicationMenu: () => log.push('setApplicationMenu'),
    },
    BrowserWindow,
    dialog: { showErrorBox: (t: string, m: string) => log.push(`error ${t} ${m}`) },
    shell: { openExternal: async () => undefined, openPath: async () => '' },
  };
  return {
    electron,
    log,
    appListeners,
    windows,
    ipc,
    protocols,
    defaultSession,
    printSession,
    menu: () => menuTemplate,
    ready: async () => {
      resolveReady();
      await ready;
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('main bundle (Electron mocked: app, BrowserWindow, session, protocol, ipcMain)', () => {
  it('locks the window down and wires protocol, CSP, permissions, IPC and menu', async () => {
    const fake = fakeElectron();
    await runBundle(path.join(out, 'main.cjs'), fake.electron);

    // Before ready: privileged scheme, sandbox for all, single instance.
    expect(fake.log[0]).toBe(
      'registerSchemes [{"scheme":"app","privileges":{"standard":true,"secure":true,"supportFetchAPI":true,"codeCache":true}}]',
    );
    expect(fake.log).toContain('enableSandbox');
    expect(fake.log).toContain('singleInstanceLock');
    expect(fake.windows).toHaveLength(0);
    expect([...fake.appListeners.keys()]).toEqual(
      expect.arrayContaining(['second-instance', 'web-contents-created', 'window-all-closed']),
    );

    await fake.ready();

    // The window: secure settings, the preload bundle, the app:// entry.
    expect(fake.windows).toHaveLength(1);
    const win = fake.windows[0];
    expect(win?.url).toBe('app://xueji/index.html');
    expect(win?.options.title).toBe('学籍桌面端');
    expect(win?.options.webPreferences).toMatchObject({
      preload: path.join(out, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      plugins: true,
    });

    // IPC: exactly the allow-list, and a foreign sender is refused.
    expect([...fake.ipc.keys()].sort()).toEqual([...CHANNEL_ALLOW_LIST].sort());
    const info = await fake.ipc.get(CHANNELS.appInfo)?.({
      senderFrame: { url: 'app://xueji/index.html', parent: null },
    });
    expect(info).toMatchObject({
      host: 'electron',
      version: '0.1.0',
      archiveRoot: path.join(base, 'paths', 'documents', '学籍档案'),
    });
    expect(
      await fake.ipc.get(CHANNELS.appInfo)?.({ senderFrame: { url: 'https://evil.com/', parent: null } }),
    ).toMatchObject({
      ok: false,
      reason: 'not-trusted',
    });

    // app:// serves dist/ with the CSP header.
    const handler = fake.protocols.get('app');
    const res = await handler?.(new Request('app://xueji/'));
    expect(res?.status).toBe(200);
    expect(await res?.text()).toContain('学籍桌面端');
    expect(res?.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self';/);
    expect((await handler?.(new Request('app://xueji/..%2f..%2fetc%2fpasswd')))?.status).toBe(403);

    // Every other response gets the CSP too, replacing any the server sent.
    let headersOut: Record<string, string[]> = {};
    fake.defaultSession.webRequest.headers?.(
      {
        url: 'https://x/',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] },
      },
      (r: { responseHeaders: Record<string, string[]> }) => {
        headersOut = r.responseHeaders;
      },
    );
    expect(headersOut['Content-Security-Policy']?.[0]).toContain('frame-src blob:;');
    expect(headersOut['content-security-policy']).toBeUndefined();
    expect(headersOut['X-Other']).toEqual(['1']);

    // No remote content: requests leave only for the app itself.
    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      fake.defaultSession.webRequest.before?.({ url }, (r: { cancel: boolean }) => {
        cancel = r.cancel;
      });
      return cancel;
    };
    expect(cancelled('app://xueji/assets/a.js')).toBe(false);
    expect(cancelled('https://rxdb.info/')).toBe(true);

    // The server chosen at login: refused from a foreign frame, refused when hostile, else kept in
    // <userData>/shell-settings.json and applied at once to the request filter and the CSP.
    const chosen = 'https://xueji.example.edu.cn';
    const setOrigin = (url: string, arg: unknown) =>
      fake.ipc.get(CHANNELS.serverSetOrigin)?.({ senderFrame: { url, parent: null } }, arg);
    expect(cancelled(`${chosen}/api/health`)).toBe(true);
    expect(await setOrigin('https://evil.com/', { origin: chosen })).toMatchObject({ reason: 'not-trusted' });
    expect(
      await setOrigin('app://xueji/index.html', { origin: 'https://evil.com@xueji.example.edu.cn' }),
    ).toMatchObject({ ok: false, reason: 'invalid-argument' });
    expect(cancelled(`${chosen}/api/health`)).toBe(true);
    expect(await setOrigin('app://xueji/index.html', { origin: chosen })).toEqual({
      ok: true,
      value: { origin: chosen, changed: true },
    });
    expect(cancelled(`${chosen}/api/health`)).toBe(false);
    expect(cancelled('https://other.example.edu.cn/api/health')).toBe(true);
    let withServer: Record<string, string[]> = {};
    fake.defaultSession.webRequest.headers?.(
      { url: 'app://xueji/', responseHeaders: {} },
      (r: { responseHeaders: Record<string, string[]> }) => {
        withServer = r.responseHeaders;
      },
    );
    expect(withServer['Content-Security-Policy']?.[0]).toContain(`connect-src 'self' ${chosen};`);
    expect(
      JSON.parse(await readFile(path.join(base, 'paths', 'userData', 'shell-settings.json'), 'utf8')),
    ).toEqual({ serverOrigin: chosen });

    // Permissions: denied, except clipboard writes from the app.
    const decide = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      fake.defaultSession.handlers.request?.(
        null,
        permission,
        (g: boolean) => {
          granted = g;
        },
        { requestingUrl },
      );
      return granted;
    };
    expect(decide('media', 'app://xueji/index.html')).toBe(false);
    expect(decide('geolocation', 'app://xueji/index.html')).toBe(false);
    expect(decide('clipboard-sanitized-write', 'app://xueji/index.html')).toBe(true);
    expect(fake.defaultSession.handlers.check?.(null, 'media', 'app://xueji', {})).toBe(false);
    expect(fake.defaultSession.handlers.device?.()).toBe(false);
    let printGranted: boolean | undefined;
    fake.printSession.handlers.request?.(null, 'clipboard-sanitized-write', (g: boolean) => {
      printGranted = g;
    });
    expect(printGranted).toBe(false);

    // Every WebContents created later is hardened.
    const listeners = new Map<string, Listener>();
    let openHandler: Listener | null = null;
    const contents = {
      session: fake.defaultSession,
      on: (e: string, l: Listener) => void listeners.set(e, l),
      setWindowOpenHandler: (h: Listener) => {
        openHandler = h;
      },
    };
    fake.appListeners.get('web-contents-created')?.({}, contents);
    let prevented = false;
    listeners.get('will-navigate')?.({ url: 'https://evil.com/', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect((openHandler as Listener | null)?.({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
    expect(listeners.has('will-attach-webview')).toBe(true);

    // A Chinese menu was installed.
    expect(fake.log).toContain('setApplicationMenu');
    expect((fake.menu() as { label: string }[]).map((m) => m.label)).toEqual([
      '文件',
      '编辑',
      '视图',
      '窗口',
      '帮助',
    ]);
  });

  it('quits at once when another instance holds the lock', async () => {
    const fake = fakeElectron();
    fake.electron.app.requestSingleInstanceLock = () => false;
    await runBundle(path.join(out, 'main.cjs'), fake.electron);
    await fake.ready();
    expect(fake.log).toContain('quit');
    expect(fake.windows).toHaveLength(0);
  });
});
