// The real ShellDeps, made of Electron's app, dialog, shell and BrowserWindow. Kept apart from the
// handlers so those can be tested in Node; this file is only ever loaded inside Electron.
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, shell } from 'electron';
import type { PrintResult, ShellDeps } from './handlers';

/** Printing uses its own in-memory session: no app data, no CSP rewriting, permissions denied in main.ts. */
export const PRINT_PARTITION = 'xueji-print';

/** The windows that show a PDF (print and preview): sandboxed, in their own session, with the PDF viewer. */
const PRINT_WEB_PREFERENCES = {
  partition: PRINT_PARTITION,
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  webSecurity: true,
  // Chromium's built-in PDF viewer is a plugin.
  plugins: true,
  spellcheck: false,
};

const PRINT_LOAD_TIMEOUT_MS = 30_000;
// The PDF viewer finishes loading before its plugin frame has laid out the pages; printing at once
// can yield a blank first sheet on slow machines.
const PRINT_SETTLE_MS = 400;

function printPdfFile(
  filePath: string,
  title: string,
  parent: () => BrowserWindow | null,
): Promise<PrintResult> {
  return new Promise<PrintResult>((resolve) => {
    const win = new BrowserWindow({
      show: false,
      title,
      parent: parent() ?? undefined,
      webPreferences: PRINT_WEB_PREFERENCES,
    });
    let settled = false;
    const finish = (result: PrintResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!win.isDestroyed()) win.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ success: false, cancelled: false, failureReason: '加载 PDF 超时' }),
      PRINT_LOAD_TIMEOUT_MS,
    );
    win.webContents.once('did-fail-load', (_e, _code, description) =>
      finish({ success: false, cancelled: false, failureReason: `无法加载 PDF（${description}）` }),
    );
    win.webContents.once('did-finish-load', () => {
      setTimeout(() => {
        if (win.isDestroyed()) return;
        win.webContents.print({ silent: false, printBackground: true }, (success, failureReason) => {
          if (success) finish({ success: true });
          else
            finish({
              success: false,
              cancelled: failureReason === 'cancelled',
              failureReason: failureReason || '未知原因',
            });
        });
      }, PRINT_SETTLE_MS);
    });
    void win.loadURL(pathToFileURL(filePath).href);
  });
}

/** A visible viewer window for one local PDF (the print preview); resolves once it is loading. */
async function showPdfWindow(
  filePath: string,
  title: string,
  parent: () => BrowserWindow | null,
): Promise<{ closed: Promise<void> }> {
  const win = new BrowserWindow({
    width: 900,
    height: 1000,
    title,
    parent: parent() ?? undefined,
    autoHideMenuBar: true,
    webPreferences: PRINT_WEB_PREFERENCES,
  });
  const closed = new Promise<void>((resolve) => win.once('closed', () => resolve()));
  // The PDF's own title would replace ours ("document.pdf"); keep the form's name in the title bar.
  win.on('page-title-updated', (event) => event.preventDefault());
  await win.loadURL(pathToFileURL(filePath).href);
  return { closed };
}

export function createElectronDeps(
  mainWindow: () => BrowserWindow | null,
  server: { current(): string | null; apply(origin: string): void },
): ShellDeps {
  return {
    appInfo: () => ({
      host: 'electron',
      version: app.getVersion(),
      platform: process.platform,
      userDataPath: app.getPath('userData'),
      electronVersion: process.versions.electron ?? null,
      chromeVersion: process.versions.chrome ?? null,
    }),
    documentsDir: () => app.getPath('documents'),
    tempDir: () => app.getPath('temp'),
    async showOpenDialog({ title, filters }) {
      const win = mainWindow();
      const options = { title, filters, properties: ['openFile' as const] };
      return win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options);
    },
    async showSaveDialog({ title, defaultPath, filters }) {
      const win = mainWindow();
      const options = { title, defaultPath, filters, properties: ['showOverwriteConfirmation' as const] };
      return win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options);
    },
    openPath: (folder) => shell.openPath(folder),
    printPdfFile: (filePath, title) => printPdfFile(filePath, title, mainWindow),
    showPdfWindow: (filePath, title) => showPdfWindow(filePath, title, mainWindow),
    userDataDir: () => app.getPath('userData'),
    currentServerOrigin: () => server.current(),
    applyServerOrigin: (origin) => server.apply(origin),
  };
}
