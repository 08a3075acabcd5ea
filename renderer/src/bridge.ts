// The renderer's door to its host. In Electron the preload puts the typed bridge on window.xueji (one
// method per IPC message); in any other Chromium the same contract is met with web APIs, so every screen
// calls `bridge.savePdf(…)` and never asks where it runs (DESIGN.md: the renderer is a complete app).
import { version as appVersion } from '../../package.json';
import type {
  AppInfo,
  BridgeFailure,
  BridgeResult,
  ExportFileKind,
  ImportFileKind,
  OpenArchiveFolderRequest,
  OpenedFile,
  OpenedFolder,
  OpenFileRequest,
  PdfPreview,
  PreviewPdfRequest,
  PrintOutcome,
  PrintPdfRequest,
  SavedFile,
  SavedPdf,
  SaveFileRequest,
  SavePdfRequest,
  ServerOriginSet,
  SetServerOriginRequest,
  XuejiBridge,
} from '../../shared/bridge';
import { BRIDGE_MAX_FILE_BYTES } from '../../shared/bridge';

export type {
  AppInfo,
  BridgeFailure,
  BridgeResult,
  OpenedFile,
  PdfPreview,
  PrintOutcome,
  SavedFile,
  SavedPdf,
  XuejiBridge,
} from '../../shared/bridge';

/** What a browser can say about its host: no user-data folder, no archive folder, no Electron. */
const BROWSER_APP_INFO: AppInfo = {
  host: 'browser',
  version: appVersion,
  platform: 'web',
  userDataPath: null,
  archiveRoot: null,
  electronVersion: null,
  chromeVersion: null,
};

const MIME: Record<ExportFileKind | ImportFileKind, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  zip: 'application/zip',
};

const fail = (reason: BridgeFailure['reason'], message: string): BridgeFailure => ({
  ok: false,
  reason,
  message,
});

// Characters no desktop file system accepts; the browser would replace them anyway, but the name we
// report back must be the one the user will find in the downloads folder.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const UNSAFE_NAME = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;

/** A download name: unsafe characters → "_", no leading/trailing dots or spaces, the extension ensured. */
export function downloadName(raw: string, extension: string): string {
  const ext = extension.replace(/^\./, '').toLowerCase();
  let name = raw
    .normalize('NFC')
    .replace(UNSAFE_NAME, '_')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (name === '') name = '学籍文件';
  if (!name.toLowerCase().endsWith(`.${ext}`)) name = `${name}.${ext}`;
  return name;
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/** The same argument checks the Electron side makes, so both hosts refuse the same bad input. */
export function checkBytes(bytes: unknown, what: string, mustBePdf: boolean): BridgeFailure | null {
  if (!(bytes instanceof Uint8Array)) return fail('invalid-argument', `${what}不是二进制数据。`);
  if (bytes.byteLength === 0) return fail('invalid-argument', `${what}为空。`);
  if (bytes.byteLength > BRIDGE_MAX_FILE_BYTES) {
    return fail('invalid-argument', `${what}过大（上限 ${BRIDGE_MAX_FILE_BYTES / 1048576} MB）。`);
  }
  if (mustBePdf && !PDF_MAGIC.every((b, i) => bytes[i] === b)) {
    return fail('invalid-argument', 'PDF 内容无效：不是 PDF 文件（缺少 %PDF- 文件头）。');
  }
  return null;
}

/** Which import kind a chosen file is, by its extension; null when it is neither. */
export function importKindOf(fileName: string, allowed: readonly ImportFileKind[]): ImportFileKind | null {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return (allowed as readonly string[]).includes(ext) && fileName.includes('.')
    ? (ext as ImportFileKind)
    : null;
}

export const BROWSER_ARCHIVE_FOLDER_MESSAGE =
  '浏览器版无法打开本地档案文件夹：保存的 PDF 在浏览器的“下载”文件夹中。请使用学籍桌面端以按学校归档。';

/** The web APIs the browser fallback uses; injectable so the flows can be driven in tests. */
export type BrowserEnv = {
  document: Document;
  open: (url: string, target: string) => Window | null;
  createObjectURL: (blob: Blob) => string;
  revokeObjectURL: (url: string) => void;
  setTimeout: (fn: () => void, ms: number) => unknown;
};

// Revoking a blob URL right after click() can cut a large download short in some browsers.
const REVOKE_AFTER_MS = 60_000;

function toBlob(bytes: Uint8Array, type: string): Blob {
  // Copy into a fresh ArrayBuffer-backed view so a SharedArrayBuffer or a subarray never leaks through.
  return new Blob([bytes.slice()], { type });
}

export function createBrowserBridge(env: BrowserEnv): XuejiBridge {
  const download = (bytes: Uint8Array, fileName: string, type: string) => {
    const url = env.createObjectURL(toBlob(bytes, type));
    const a = env.document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.rel = 'noopener';
    a.style.display = 'none';
    env.document.body.appendChild(a);
    a.click();
    a.remove();
    env.setTimeout(() => env.revokeObjectURL(url), REVOKE_AFTER_MS);
  };

  const getAppInfo = async (): Promise<AppInfo> => ({ ...BROWSER_APP_INFO });

  const savePdf = async (request: SavePdfRequest): Promise<BridgeResult<SavedPdf>> => {
    const bad = checkBytes(request?.bytes, 'PDF 内容', true);
    if (bad) return bad;
    if (typeof request.fileName !== 'string' || request.fileName.trim() === '') {
      return fail('invalid-argument', '文件名不能为空。');
    }
    const fileName = downloadName(request.fileName, 'pdf');
    download(request.bytes, fileName, MIME.pdf);
    return { ok: true, value: { path: null, fileName } };
  };

  const POPUP_BLOCKED =
    '浏览器阻止了弹出窗口，无法打开 PDF。请允许本站弹出窗口后重试，或先“保存 PDF”再打开。';

  const previewPdf = async (request: PreviewPdfRequest): Promise<BridgeResult<PdfPreview>> => {
    const bad = checkBytes(request?.bytes, 'PDF 内容', true);
    if (bad) return bad;
    const url = env.createObjectURL(toBlob(request.bytes, MIME.pdf));
    const tab = env.open(url, '_blank');
    if (!tab) {
      env.revokeObjectURL(url);
      return fail('unavailable', POPUP_BLOCKED);
    }
    env.setTimeout(() => env.revokeObjectURL(url), REVOKE_AFTER_MS);
    return { ok: true, value: { opened: true } };
  };

  const printPdf = async (request: PrintPdfRequest): Promise<BridgeResult<PrintOutcome>> => {
    const bad = checkBytes(request?.bytes, 'PDF 内容', true);
    if (bad) return bad;
    // A new tab with Chromium's PDF viewer, then its print dialog. The tab is same-origin (a blob of ours),
    // so print() can be called.
    const url = env.createObjectURL(toBlob(request.bytes, MIME.pdf));
    const tab = env.open(url, '_blank');
    if (!tab) {
      env.revokeObjectURL(url);
      return fail(
        'unavailable',
        '浏览器阻止了弹出窗口，无法打开打印预览。请允许本站弹出窗口后重试，或先“保存 PDF”再打印。',
      );
    }
    const printWhenLoaded = () => {
      try {
        tab.focus();
        tab.print();
      } catch {
        // The viewer is open; the user can still print from its toolbar.
      }
    };
    if (tab.document?.readyState === 'complete') env.setTimeout(printWhenLoaded, 300);
    else tab.addEventListener('load', () => env.setTimeout(printWhenLoaded, 300), { once: true });
    env.setTimeout(() => env.revokeObjectURL(url), REVOKE_AFTER_MS);
    return { ok: true, value: { printed: null } };
  };

  const openFile = (request?: OpenFileRequest): Promise<BridgeResult<OpenedFile>> => {
    const kinds: ImportFileKind[] = request?.kinds?.length ? [...request.kinds] : ['xlsx', 'csv'];
    return new Promise((resolve) => {
      const input = env.document.createElement('input');
      input.type = 'file';
      input.accept = kinds.map((k) => `.${k}`).join(',');
      input.style.display = 'none';
      let settled = false;
      const finish = (result: BridgeResult<OpenedFile>) => {
        if (settled) return;
        settled = true;
        input.remove();
        resolve(result);
      };
      input.addEventListener('cancel', () => finish(fail('cancelled', '未选择文件。')), { once: true });
      input.addEventListener(
        'change',
        () => {
          const file = input.files?.[0];
          if (!file) return finish(fail('cancelled', '未选择文件。'));
          const kind = importKindOf(file.name, kinds);
          if (!kind)
            return finish(fail('invalid-argument', `文件“${file.name}”不是 ${kinds.join(' 或 ')} 文件。`));
          if (file.size === 0) return finish(fail('invalid-argument', `文件“${file.name}”是空的。`));
          if (file.size > BRIDGE_MAX_FILE_BYTES) {
            return finish(
              fail(
                'invalid-argument',
                `文件“${file.name}”过大（上限 ${BRIDGE_MAX_FILE_BYTES / 1048576} MB）。`,
              ),
            );
          }
          file.arrayBuffer().then(
            (buffer) => {
              const bytes = new Uint8Array(buffer);
              if (kind === 'xlsx' && !(bytes[0] === 0x50 && bytes[1] === 0x4b)) {
                return finish(fail('invalid-argument', `文件“${file.name}”不是有效的 Excel（.xlsx）文件。`));
              }
              finish({ ok: true, value: { name: file.name, kind, bytes } });
            },
            (error: unknown) => finish(fail('io-error', `读取文件“${file.name}”失败：${String(error)}`)),
          );
        },
        { once: true },
      );
      env.document.body.appendChild(input);
      input.click();
    });
  };

  const saveFile = async (request: SaveFileRequest): Promise<BridgeResult<SavedFile>> => {
    if (!request || !(request.kind in MIME) || request.kind === undefined) {
      return fail('invalid-argument', `不支持的导出类型“${String(request?.kind)}”。`);
    }
    const bad = checkBytes(request.bytes, '文件内容', request.kind === 'pdf');
    if (bad) return bad;
    if (typeof request.suggestedName !== 'string' || request.suggestedName.trim() === '') {
      return fail('invalid-argument', '文件名不能为空。');
    }
    const fileName = downloadName(request.suggestedName, request.kind);
    download(request.bytes, fileName, MIME[request.kind]);
    return { ok: true, value: { path: null, fileName } };
  };

  const openArchiveFolder = async (_request: OpenArchiveFolderRequest): Promise<BridgeResult<OpenedFolder>> =>
    fail('unavailable', BROWSER_ARCHIVE_FOLDER_MESSAGE);

  return {
    host: 'browser',
    getAppInfo,
    savePdf,
    previewPdf,
    printPdf,
    openFile,
    saveFile,
    openArchiveFolder,
    setServerOrigin: browserServerOrigin,
  };
}

/**
 * The browser build needs nothing to reach the server chosen at login: its page CSP (renderer/index.html)
 * already allows http(s) connections, and the server's CORS decides the rest.
 */
async function browserServerOrigin(request: SetServerOriginRequest): Promise<BridgeResult<ServerOriginSet>> {
  if (typeof request?.origin !== 'string') return fail('invalid-argument', '省级平台地址的参数无效。');
  return { ok: true, value: { origin: request.origin, changed: false } };
}

/** Is `x` the bridge the Electron preload exposed? (A page script cannot fake one past the IPC checks.) */
export function isXuejiBridge(x: unknown): x is XuejiBridge {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Record<string, unknown>;
  return (
    b.host === 'electron' &&
    [
      'getAppInfo',
      'savePdf',
      'previewPdf',
      'printPdf',
      'openFile',
      'saveFile',
      'openArchiveFolder',
      'setServerOrigin',
    ].every((m) => typeof b[m] === 'function')
  );
}

/** window.xueji in Electron, else the browser fallback; null outside a browser (Node tests, the CLI). */
export function selectBridge(
  scope: { xueji?: unknown; document?: Document } & Partial<Window>,
): XuejiBridge | null {
  if (isXuejiBridge(scope.xueji)) return scope.xueji;
  if (!scope.document || typeof scope.open !== 'function') return null;
  return createBrowserBridge({
    document: scope.document,
    open: (url, target) => scope.open?.(url, target) ?? null,
    createObjectURL: (blob) => URL.createObjectURL(blob),
    revokeObjectURL: (url) => URL.revokeObjectURL(url),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
  });
}

function unavailableBridge(): XuejiBridge {
  const no = async () => fail('unavailable', '当前环境没有窗口，无法使用文件和打印功能。');
  return {
    host: 'browser',
    getAppInfo: async () => ({ ...BROWSER_APP_INFO }),
    savePdf: no,
    previewPdf: no,
    printPdf: no,
    openFile: no,
    saveFile: no,
    openArchiveFolder: no,
    setServerOrigin: browserServerOrigin,
  };
}

/** The bridge every screen uses. */
export const bridge: XuejiBridge =
  selectBridge(globalThis as unknown as { xueji?: unknown; document?: Document } & Partial<Window>) ??
  unavailableBridge();
