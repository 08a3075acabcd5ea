// The typed bridge between the renderer and its host (Electron main process, or the browser).
// Pure types: the Electron preload implements it over IPC (one method per message, never a generic
// send(channel)); renderer/src/bridge.ts implements the same contract with web APIs as a fallback.

/** Why a bridge call did not do what was asked. Every failure carries a Chinese `message` for the user. */
export type BridgeFailureReason =
  /** the user closed a dialog without choosing */
  | 'cancelled'
  /** this host cannot do it (e.g. open a folder from the browser build) */
  | 'unavailable'
  /** the arguments were refused (not a PDF, empty name, too large …) */
  | 'invalid-argument'
  /** the disk or the printer said no */
  | 'io-error'
  /** the call came from a frame that is not our app */
  | 'not-trusted';

export type BridgeFailure = { ok: false; reason: BridgeFailureReason; message: string };
export type BridgeResult<T> = { ok: true; value: T } | BridgeFailure;

export type HostKind = 'electron' | 'browser';

export type AppInfo = {
  host: HostKind;
  /** the app version from package.json */
  version: string;
  /** process.platform in Electron ('win32', 'linux', 'darwin'); 'web' in the browser build */
  platform: string;
  /** Electron's userData folder; null in the browser build */
  userDataPath: string | null;
  /** the root of the per-school archive folders (<Documents>/学籍档案); null in the browser build */
  archiveRoot: string | null;
  /** the Electron/Chromium versions, when running in Electron */
  electronVersion: string | null;
  chromeVersion: string | null;
};

export type SavePdfRequest = {
  /** the school's name: the archive folder is <Documents>/学籍档案/<schoolName>/ */
  schoolName: string;
  /** optional sub folder(s) under the school folder, '/'-separated, at most 3 levels (e.g. "学籍异动/2025") */
  subFolder?: string;
  /** the file name; ".pdf" is added when missing; unsafe characters are replaced */
  fileName: string;
  /** the PDF bytes (must start with "%PDF-") */
  bytes: Uint8Array;
};

export type SavedPdf = {
  /** the absolute path written (Electron); null in the browser, where the browser picks the folder */
  path: string | null;
  /** the file name actually used (after sanitising, and " (2)" etc. when a file of that name existed) */
  fileName: string;
};

export type PrintPdfRequest = {
  bytes: Uint8Array;
  /** shown as the print job / window title */
  title?: string;
};

export type PrintOutcome = {
  /** true when the system print dialog was confirmed (Electron); in the browser the dialog's result is unknown */
  printed: boolean | null;
};

export type PreviewPdfRequest = {
  bytes: Uint8Array;
  /** the preview window's title, e.g. "学籍异动审批表 · 张三" */
  title?: string;
};

export type PdfPreview = {
  /** the real PDF is shown in Chromium's viewer (its own window in Electron, a new tab in the browser) */
  opened: true;
};

export type ImportFileKind = 'xlsx' | 'csv';

export type OpenFileRequest = {
  /** dialog title, e.g. "选择花名册文件" */
  title?: string;
  /** which kinds may be chosen; default both */
  kinds?: ImportFileKind[];
};

export type OpenedFile = {
  /** the base name of the chosen file */
  name: string;
  kind: ImportFileKind;
  bytes: Uint8Array;
};

export type ExportFileKind = 'xlsx' | 'csv' | 'pdf' | 'json' | 'zip';

export type SaveFileRequest = {
  /** proposed file name, e.g. "花名册-2025.xlsx"; the extension of `kind` is added when missing */
  suggestedName: string;
  kind: ExportFileKind;
  bytes: Uint8Array;
  /** dialog title, e.g. "导出花名册" */
  title?: string;
};

export type SavedFile = {
  /** the absolute path written (Electron); null in the browser */
  path: string | null;
  fileName: string;
};

export type OpenArchiveFolderRequest = { schoolName: string };

export type OpenedFolder = { path: string };

export type SetServerOriginRequest = {
  /** the provincial server's origin the person chose at login, e.g. "https://xueji.jyt.henan.gov.cn" */
  origin: string;
};

export type ServerOriginSet = {
  /** the origin the host now lets the app connect to (Electron: CSP connect-src and its request filter) */
  origin: string;
  /**
   * true when it differs from the one before. A page's CSP is fixed when the page loads, so the Electron
   * window must reload before it can reach the new origin; the browser build never needs to (false).
   */
  changed: boolean;
};

/** The one object the renderer talks to its host through (window.xueji in Electron). */
export type XuejiBridge = {
  readonly host: HostKind;
  getAppInfo(): Promise<AppInfo>;
  /** save a PDF into the school's archive folder (Electron) or download it (browser) */
  savePdf(request: SavePdfRequest): Promise<BridgeResult<SavedPdf>>;
  /**
   * show the real PDF in Chromium's PDF viewer (zoom, page through, print, save) in a window of its own.
   * The in-app print preview frames the same PDF from a blob: URL (the CSP's frame-src allows blob: only);
   * this opens it apart, e.g. on a second screen.
   */
  previewPdf(request: PreviewPdfRequest): Promise<BridgeResult<PdfPreview>>;
  /** print a PDF through the system print dialog */
  printPdf(request: PrintPdfRequest): Promise<BridgeResult<PrintOutcome>>;
  /** let the user pick an .xlsx/.csv roster and return its bytes */
  openFile(request?: OpenFileRequest): Promise<BridgeResult<OpenedFile>>;
  /** let the user pick where to save an export (Electron) or download it (browser) */
  saveFile(request: SaveFileRequest): Promise<BridgeResult<SavedFile>>;
  /** open the school's archive folder in the system file manager (Electron only) */
  openArchiveFolder(request: OpenArchiveFolderRequest): Promise<BridgeResult<OpenedFolder>>;
  /**
   * allow the provincial server chosen at login (Electron: validated, kept in shell-settings.json, applied
   * to the CSP and the request filter at once); the browser build needs nothing and says so
   */
  setServerOrigin(request: SetServerOriginRequest): Promise<BridgeResult<ServerOriginSet>>;
};

/** The largest file the bridge moves in one call (bytes). */
export const BRIDGE_MAX_FILE_BYTES = 200 * 1024 * 1024;
