// The Electron main process: one locked-down window showing the built renderer through app://xueji/.
// Electron is a thin shell (DESIGN.md principle 4): the window, native dialogs, the archive folder on
// disk and printing. Everything else is the renderer, which also runs in any Chromium.
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { createAppProtocolHandler } from './app-protocol';
import { securityHeaders } from './csp';
import { appNavigationAllowed, hardenWebContents, isAllowedRequest, isPrintViewerUrl } from './harden';
import { createElectronDeps, PRINT_PARTITION } from './ipc/electron-deps';
import { archiveRootOf, createHandlers } from './ipc/handlers';
import { registerIpcHandlers } from './ipc/register';
import { buildMenuTemplate } from './menu';
import { resolveShellConfig, SHELL_SETTINGS_FILE, type ShellConfig } from './shell-config';
import { APP_ENTRY_URL, APP_SCHEME, decidePermission } from './trusted-url';

// Must run before `ready`: app:// behaves like https (standard, secure origin, fetch, IndexedDB).
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);
// Sandbox every renderer, including ones a future change might forget to configure.
app.enableSandbox();

const DIST_DIR = path.join(__dirname, '..', 'dist');
const PRELOAD = path.join(__dirname, 'preload.cjs');

let mainWindow: BrowserWindow | null = null;
let config: ShellConfig = { serverOrigin: null, warnings: [] };

function loadConfig(): ShellConfig {
  let settingsText: string | null = null;
  try {
    settingsText = readFileSync(path.join(app.getPath('userData'), SHELL_SETTINGS_FILE), 'utf8');
  } catch {
    settingsText = null;
  }
  const resolved = resolveShellConfig({ env: process.env, settingsText });
  for (const w of resolved.warnings) console.warn(`[shell] ${w}`);
  return resolved;
}

const headers = () => securityHeaders({ serverOrigin: config.serverOrigin });
const externalOrigins = () => (config.serverOrigin ? [config.serverOrigin] : []);

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: '学籍桌面端',
    backgroundColor: '#f5f7fa',
    // Copied beside main.cjs by scripts/build-electron.mjs (build/ is not packaged).
    icon: path.join(__dirname, 'icon.png'),
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // The spell checker downloads dictionaries from Google: a third-party request.
      spellcheck: false,
      // Chromium's PDF viewer renders the print preview's blob: PDF (isPreviewFrameUrl in harden.ts).
      plugins: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // A missing or broken dist/ must not leave an invisible process behind: show the (error) page anyway.
  win.webContents.once('did-fail-load', () => {
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

function lockDownSessions(): void {
  const app_ = session.defaultSession;
  app_.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(
      decidePermission({
        permission,
        requestingUrl: details.requestingUrl,
        mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
      }),
    ),
  );
  app_.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    decidePermission({
      permission,
      requestingUrl: requestingOrigin,
      mediaTypes: details && 'mediaType' in details && details.mediaType ? [details.mediaType] : undefined,
    }),
  );
  app_.setDevicePermissionHandler(() => false);
  app_.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, config.serverOrigin);
    if (!allowed) console.warn(`[shell] cancelled request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  // CSP and friends on every response, not only those of app:// (which sets them itself).
  app_.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    const ours = headers();
    const lowerOurs = new Set(Object.keys(ours).map((k) => k.toLowerCase()));
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
      if (!lowerOurs.has(k.toLowerCase())) responseHeaders[k] = v;
    }
    for (const [k, v] of Object.entries(ours)) responseHeaders[k] = [v];
    callback({ responseHeaders });
  });
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: DIST_DIR, headers }));

  // The print session shows one local PDF in Chromium's viewer: no permissions, no network.
  const print = session.fromPartition(PRINT_PARTITION);
  print.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  print.setPermissionCheckHandler(() => false);
  print.setDevicePermissionHandler(() => false);
  print.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: /^(https?|wss?|ftp):/i.test(details.url) }),
  );
}

function showAbout(): void {
  const lines = [
    `版本：${app.getVersion()}`,
    `Electron：${process.versions.electron ?? ''}　Chromium：${process.versions.chrome ?? ''}`,
    `学籍档案文件夹：${archiveRootOf({ documentsDir: () => app.getPath('documents') })}`,
    `省级平台：${config.serverOrigin ?? '未配置'}`,
    ...config.warnings,
  ];
  const options = {
    type: 'info' as const,
    title: '关于学籍桌面端',
    message: '学籍桌面端',
    detail: lines.join('\n'),
    buttons: ['确定'],
  };
  void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
}

if (!app.requestSingleInstanceLock()) {
  // A second start (double click on the shortcut again) hands over to the running instance.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    const isPrint = contents.session === session.fromPartition(PRINT_PARTITION);
    hardenWebContents(contents, {
      allowNavigation: isPrint ? isPrintViewerUrl : appNavigationAllowed,
      externalOrigins,
      openExternal: (url) => shell.openExternal(url),
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.whenReady().then(
    () => {
      if (process.platform === 'win32') app.setAppUserModelId('cn.xueji.desk');
      config = loadConfig();
      lockDownSessions();
      registerIpcHandlers(
        ipcMain,
        createHandlers(
          createElectronDeps(() => mainWindow, {
            current: () => config.serverOrigin,
            // headers() and the request filter read `config` on every request: the change is live.
            apply: (origin) => {
              config = { ...config, serverOrigin: origin };
            },
          }),
        ),
      );
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          buildMenuTemplate({
            isMac: process.platform === 'darwin',
            isDev: !app.isPackaged,
            actions: {
              openArchiveRoot: () => {
                const root = archiveRootOf({ documentsDir: () => app.getPath('documents') });
                void fsp
                  .mkdir(root, { recursive: true })
                  .then(() => shell.openPath(root))
                  .then((failure) => {
                    if (failure) dialog.showErrorBox('无法打开学籍档案文件夹', `${root}\n${failure}`);
                  });
              },
              showAbout,
            },
          }),
        ),
      );
      mainWindow = createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
      });
    },
    (error: unknown) => {
      dialog.showErrorBox('学籍桌面端无法启动', String(error));
      app.quit();
    },
  );
}
