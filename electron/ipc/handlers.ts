// What each IPC message does. Electron's pieces (dialogs, shell, printing, well-known folders) come in
// through `ShellDeps`, so the logic runs in Node tests with a fake of those parts and a real disk.
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import type {
  AppInfo,
  BridgeFailure,
  BridgeResult,
  ExportFileKind,
  ImportFileKind,
  OpenedFile,
  OpenedFolder,
  PdfPreview,
  PrintOutcome,
  SavedFile,
  SavedPdf,
  ServerOriginSet,
} from '../../shared/bridge';
import { BRIDGE_MAX_FILE_BYTES } from '../../shared/bridge';
import { numberedName, sanitiseFileName, sanitiseSegment, sanitiseSubPath } from '../file-name';
import { SHELL_SETTINGS_FILE } from '../shell-config';
import type { Channel } from './channels';
import { CHANNELS } from './channels';
import {
  parseOpenArchiveFolderRequest,
  parseOpenFileRequest,
  parsePrintPdfRequest,
  parseSaveFileRequest,
  parseSavePdfRequest,
  parseSetServerOriginRequest,
} from './validate';

/** The archive root's folder name under the user's documents. */
export const ARCHIVE_FOLDER_NAME = '学籍档案';

export type FileFilter = { name: string; extensions: string[] };

export type PrintResult = { success: true } | { success: false; cancelled: boolean; failureReason: string };

/** The parts of Electron the handlers need (app paths, dialogs, shell, printing). */
export type ShellDeps = {
  appInfo(): Omit<AppInfo, 'archiveRoot'>;
  /** app.getPath('documents') */
  documentsDir(): string;
  /** app.getPath('temp') */
  tempDir(): string;
  showOpenDialog(options: {
    title: string;
    filters: FileFilter[];
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: {
    title: string;
    defaultPath: string;
    filters: FileFilter[];
  }): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  /** shell.openPath: resolves to '' on success, else an error message */
  openPath(folder: string): Promise<string>;
  /** open a PDF file in a hidden window and show the system print dialog */
  printPdfFile(filePath: string, title: string): Promise<PrintResult>;
  /** show a PDF file in a viewer window; `closed` settles when the user closes it */
  showPdfWindow(filePath: string, title: string): Promise<{ closed: Promise<void> }>;
  /** app.getPath('userData'): where shell-settings.json lives */
  userDataDir(): string;
  /** the provincial server origin the shell allows now (CSP connect-src, request filter) */
  currentServerOrigin(): string | null;
  /** make the shell allow `origin` from now on (main.ts updates its live config) */
  applyServerOrigin(origin: string): void;
};

const ioError = (message: string): BridgeFailure => ({ ok: false, reason: 'io-error', message });
const cancelled = (message: string): BridgeFailure => ({ ok: false, reason: 'cancelled', message });

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return '没有写入权限';
    case 'ENOSPC':
      return '磁盘空间不足';
    case 'EROFS':
      return '磁盘为只读';
    case 'ENOENT':
      return '文件或文件夹不存在';
    case 'EBUSY':
      return '文件正被其他程序占用';
    default:
      return e?.message ?? String(error);
  }
}

/** Write to a temporary file beside the target and fsync it, so a crash never leaves a half-written file. */
async function writeTemp(dir: string, bytes: Uint8Array): Promise<string> {
  const tmp = path.join(dir, `.xueji-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

/**
 * Move a finished temp file to `dir/name`, never overwriting: "名册.pdf", then "名册 (2).pdf" …
 * fs.link fails atomically with EEXIST; where hard links are not supported (FAT, some network shares)
 * copyFile with COPYFILE_EXCL keeps the no-overwrite guarantee.
 */
async function placeWithoutOverwrite(tmp: string, dir: string, name: string): Promise<string> {
  for (let n = 1; n <= 999; n++) {
    const candidate = numberedName(name, n);
    const target = path.join(dir, candidate);
    try {
      try {
        await fs.link(tmp, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw error;
        await fs.copyFile(tmp, target, fsConstants.COPYFILE_EXCL);
      }
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
  }
  throw new Error(`同名文件过多：${name}`);
}

export function archiveRootOf(deps: Pick<ShellDeps, 'documentsDir'>): string {
  return path.join(deps.documentsDir(), ARCHIVE_FOLDER_NAME);
}

const IMPORT_FILTERS: Record<ImportFileKind, FileFilter> = {
  xlsx: { name: 'Excel 工作簿 (*.xlsx)', extensions: ['xlsx'] },
  csv: { name: 'CSV 文件 (*.csv)', extensions: ['csv'] },
};

const EXPORT_FILTERS: Record<ExportFileKind, FileFilter> = {
  xlsx: { name: 'Excel 工作簿 (*.xlsx)', extensions: ['xlsx'] },
  csv: { name: 'CSV 文件 (*.csv)', extensions: ['csv'] },
  pdf: { name: 'PDF 文件 (*.pdf)', extensions: ['pdf'] },
  json: { name: 'JSON 文件 (*.json)', extensions: ['json'] },
  zip: { name: 'ZIP 压缩包 (*.zip)', extensions: ['zip'] },
};

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export type Handlers = { [K in Channel]: (args: unknown) => Promise<unknown> };

export function createHandlers(deps: ShellDeps): Handlers {
  const appInfo = async (): Promise<AppInfo> => ({ ...deps.appInfo(), archiveRoot: archiveRootOf(deps) });

  const savePdf = async (args: unknown): Promise<BridgeResult<SavedPdf>> => {
    const req = parseSavePdfRequest(args);
    if (!req.ok) return req;
    const school = sanitiseSegment(req.value.schoolName, '学校名称');
    if (!school.ok) return { ok: false, reason: 'invalid-argument', message: school.message };
    const sub = sanitiseSubPath(req.value.subFolder);
    if (!sub.ok) return { ok: false, reason: 'invalid-argument', message: sub.message };
    const file = sanitiseFileName(req.value.fileName, 'pdf');
    if (!file.ok) return { ok: false, reason: 'invalid-argument', message: file.message };
    const dir = path.join(archiveRootOf(deps), school.name, ...sub.segments);
    let tmp: string | null = null;
    try {
      await fs.mkdir(dir, { recursive: true });
      tmp = await writeTemp(dir, req.value.bytes);
      const fileName = await placeWithoutOverwrite(tmp, dir, file.name);
      return { ok: true, value: { path: path.join(dir, fileName), fileName } };
    } catch (error) {
      return ioError(`保存 PDF 失败（${dir}）：${describe(error)}。`);
    } finally {
      if (tmp) await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  };

  const printPdf = async (args: unknown): Promise<BridgeResult<PrintOutcome>> => {
    const req = parsePrintPdfRequest(args);
    if (!req.ok) return req;
    let folder: string | null = null;
    try {
      folder = await fs.mkdtemp(path.join(deps.tempDir(), 'xueji-print-'));
      const title = sanitiseFileName(req.value.title ?? '学籍表单', 'pdf');
      const file = path.join(folder, title.ok ? title.name : 'document.pdf');
      await fs.writeFile(file, req.value.bytes);
      const result = await deps.printPdfFile(file, req.value.title ?? '学籍表单');
      if (result.success) return { ok: true, value: { printed: true } };
      if (result.cancelled) return cancelled('已取消打印。');
      return ioError(`打印失败：${result.failureReason}。`);
    } catch (error) {
      return ioError(`打印失败：${describe(error)}。`);
    } finally {
      if (folder) await fs.rm(folder, { recursive: true, force: true }).catch(() => undefined);
    }
  };

  const previewPdf = async (args: unknown): Promise<BridgeResult<PdfPreview>> => {
    const req = parsePrintPdfRequest(args);
    if (!req.ok) return req;
    let folder: string | null = null;
    try {
      folder = await fs.mkdtemp(path.join(deps.tempDir(), 'xueji-preview-'));
      const title = req.value.title ?? '打印预览';
      const safe = sanitiseFileName(title, 'pdf');
      const file = path.join(folder, safe.ok ? safe.name : 'document.pdf');
      await fs.writeFile(file, req.value.bytes);
      const { closed } = await deps.showPdfWindow(file, title);
      // The viewer reads the file while it is open; it goes when the window does.
      const toRemove = folder;
      folder = null;
      void closed.finally(() => fs.rm(toRemove, { recursive: true, force: true }).catch(() => undefined));
      return { ok: true, value: { opened: true } };
    } catch (error) {
      return ioError(`无法打开预览：${describe(error)}。`);
    } finally {
      if (folder) await fs.rm(folder, { recursive: true, force: true }).catch(() => undefined);
    }
  };

  const openFile = async (args: unknown): Promise<BridgeResult<OpenedFile>> => {
    const req = parseOpenFileRequest(args);
    if (!req.ok) return req;
    const { kinds } = req.value;
    const chosen = await deps.showOpenDialog({
      title: req.value.title ?? '选择花名册文件',
      filters:
        kinds.length > 1
          ? [
              { name: '花名册 (*.xlsx, *.csv)', extensions: [...kinds] },
              ...kinds.map((k) => IMPORT_FILTERS[k]),
            ]
          : kinds.map((k) => IMPORT_FILTERS[k]),
    });
    const filePath = chosen.filePaths[0];
    if (chosen.canceled || !filePath) return cancelled('未选择文件。');
    const name = path.basename(filePath);
    const ext = path.extname(name).slice(1).toLowerCase() as ImportFileKind;
    if (!kinds.includes(ext)) {
      return {
        ok: false,
        reason: 'invalid-argument',
        message: `文件“${name}”不是 ${kinds.join(' 或 ')} 文件。`,
      };
    }
    try {
      const st = await fs.stat(filePath);
      if (!st.isFile()) return { ok: false, reason: 'invalid-argument', message: `“${name}”不是文件。` };
      if (st.size === 0) return { ok: false, reason: 'invalid-argument', message: `文件“${name}”是空的。` };
      if (st.size > BRIDGE_MAX_FILE_BYTES) {
        return {
          ok: false,
          reason: 'invalid-argument',
          message: `文件“${name}”过大（上限 ${BRIDGE_MAX_FILE_BYTES / 1048576} MB）。`,
        };
      }
      const buf = await fs.readFile(filePath);
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      if (ext === 'xlsx' && !ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
        return {
          ok: false,
          reason: 'invalid-argument',
          message: `文件“${name}”不是有效的 Excel（.xlsx）文件。`,
        };
      }
      return { ok: true, value: { name, kind: ext, bytes } };
    } catch (error) {
      return ioError(`读取文件“${name}”失败：${describe(error)}。`);
    }
  };

  const saveFile = async (args: unknown): Promise<BridgeResult<SavedFile>> => {
    const req = parseSaveFileRequest(args);
    if (!req.ok) return req;
    const { kind } = req.value;
    const suggested = sanitiseFileName(req.value.suggestedName, kind);
    if (!suggested.ok) return { ok: false, reason: 'invalid-argument', message: suggested.message };
    const chosen = await deps.showSaveDialog({
      title: req.value.title ?? '保存文件',
      defaultPath: path.join(deps.documentsDir(), suggested.name),
      filters: [EXPORT_FILTERS[kind]],
    });
    if (chosen.canceled || !chosen.filePath) return cancelled('未保存：已取消。');
    // The user may have typed a name without the extension; the file must still open in its program.
    let target = chosen.filePath;
    if (path.extname(target).toLowerCase() !== `.${kind}`) target = `${target}.${kind}`;
    const dir = path.dirname(target);
    let tmp: string | null = null;
    try {
      tmp = await writeTemp(dir, req.value.bytes);
      // The dialog already asked before replacing an existing file, so a rename (atomic) is right here.
      await fs.rename(tmp, target);
      tmp = null;
      return { ok: true, value: { path: target, fileName: path.basename(target) } };
    } catch (error) {
      return ioError(`保存文件失败（${target}）：${describe(error)}。`);
    } finally {
      if (tmp) await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  };

  // The server chosen at login: kept in <userData>/shell-settings.json (other keys preserved, written to a
  // temp file and renamed, so a crash never leaves half a file) and applied to the live CSP and filter.
  const setServerOrigin = async (args: unknown): Promise<BridgeResult<ServerOriginSet>> => {
    const parsed = parseSetServerOriginRequest(args);
    if (!parsed.ok) return parsed;
    const { origin } = parsed.value;
    const dir = deps.userDataDir();
    const file = path.join(dir, SHELL_SETTINGS_FILE);
    let settings: Record<string, unknown> = {};
    try {
      const current: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
      if (typeof current === 'object' && current !== null && !Array.isArray(current))
        settings = current as Record<string, unknown>;
    } catch {
      // missing or unreadable: written afresh (resolveShellConfig ignored a broken one anyway)
    }
    const changed = deps.currentServerOrigin() !== origin;
    if (settings.serverOrigin !== origin) {
      let tmp: string | null = null;
      try {
        await fs.mkdir(dir, { recursive: true });
        tmp = await writeTemp(
          dir,
          Buffer.from(`${JSON.stringify({ ...settings, serverOrigin: origin }, null, 2)}\n`),
        );
        await fs.rename(tmp, file);
        tmp = null;
      } catch (error) {
        return ioError(`无法保存省级平台地址（${describe(error)}）：${file}`);
      } finally {
        if (tmp) await fs.rm(tmp, { force: true }).catch(() => undefined);
      }
    }
    deps.applyServerOrigin(origin);
    return { ok: true, value: { origin, changed } };
  };

  const openArchiveFolder = async (args: unknown): Promise<BridgeResult<OpenedFolder>> => {
    const req = parseOpenArchiveFolderRequest(args);
    if (!req.ok) return req;
    const school = sanitiseSegment(req.value.schoolName, '学校名称');
    if (!school.ok) return { ok: false, reason: 'invalid-argument', message: school.message };
    const dir = path.join(archiveRootOf(deps), school.name);
    try {
      await fs.mkdir(dir, { recursive: true });
    } catch (error) {
      return ioError(`无法创建档案文件夹（${dir}）：${describe(error)}。`);
    }
    const failure = await deps.openPath(dir);
    if (failure) return ioError(`无法打开档案文件夹（${dir}）：${failure}。`);
    return { ok: true, value: { path: dir } };
  };

  return {
    [CHANNELS.appInfo]: appInfo,
    [CHANNELS.pdfSave]: savePdf,
    [CHANNELS.pdfPrint]: printPdf,
    [CHANNELS.pdfPreview]: previewPdf,
    [CHANNELS.fileOpen]: openFile,
    [CHANNELS.fileSave]: saveFile,
    [CHANNELS.archiveOpenFolder]: openArchiveFolder,
    [CHANNELS.serverSetOrigin]: setServerOrigin,
  };
}
