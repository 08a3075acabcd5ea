// Argument checks for every IPC message. The renderer is our code, but a compromised renderer is
// exactly what the sandbox is for: the main process trusts no argument it did not check.
import {
  BRIDGE_MAX_FILE_BYTES,
  type BridgeFailure,
  type ExportFileKind,
  type ImportFileKind,
  type OpenArchiveFolderRequest,
  type OpenFileRequest,
  type PrintPdfRequest,
  type SaveFileRequest,
  type SavePdfRequest,
  type SetServerOriginRequest,
} from '../../shared/bridge';
import { normaliseServerOrigin } from '../trusted-url';

export type Parsed<T> = { ok: true; value: T } | BridgeFailure;

const invalid = (message: string): BridgeFailure => ({ ok: false, reason: 'invalid-argument', message });

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Bytes arrive over IPC as a Uint8Array (or a Node Buffer, which is one); anything else is refused. */
export function toBytes(x: unknown, what: string): Parsed<Uint8Array> {
  if (!(x instanceof Uint8Array)) return invalid(`${what}不是二进制数据。`);
  if (x.byteLength === 0) return invalid(`${what}为空。`);
  if (x.byteLength > BRIDGE_MAX_FILE_BYTES) {
    return invalid(
      `${what}过大（${Math.ceil(x.byteLength / 1048576)} MB，上限 ${BRIDGE_MAX_FILE_BYTES / 1048576} MB）。`,
    );
  }
  return { ok: true, value: x };
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

export function isPdf(bytes: Uint8Array): boolean {
  return PDF_MAGIC.every((b, i) => bytes[i] === b);
}

function optionalText(x: unknown, what: string, max = 200): Parsed<string | undefined> {
  if (x === undefined || x === null) return { ok: true, value: undefined };
  if (typeof x !== 'string' || x.length > max) return invalid(`${what}无效。`);
  return { ok: true, value: x };
}

function requiredText(x: unknown, what: string, max = 200): Parsed<string> {
  if (typeof x !== 'string' || x.trim() === '') return invalid(`${what}不能为空。`);
  if (x.length > max) return invalid(`${what}过长（最多 ${max} 个字符）。`);
  return { ok: true, value: x };
}

/**
 * The origin of the provincial server, as the login form chose it: a clean https origin (http only for
 * this machine's own demo server), no path, user info, query or whitespace. The same check as the shell's
 * settings file (shell-config.ts), so nothing the renderer sends can widen the CSP beyond one origin.
 */
export function parseSetServerOriginRequest(x: unknown): Parsed<SetServerOriginRequest> {
  if (!isRecord(x) || typeof x.origin !== 'string') return invalid('省级平台地址的参数无效。');
  const shown = x.origin.length > 80 ? `${x.origin.slice(0, 80)}…` : x.origin;
  const origin = x.origin.length <= 300 ? normaliseServerOrigin(x.origin) : null;
  if (!origin)
    return invalid(
      `省级平台地址“${shown}”不能用于桌面版：须为 https:// 开头的站点地址，不含路径、用户名、密码或空格（本机演示服务器可用 http://localhost 或 http://127.0.0.1）。`,
    );
  return { ok: true, value: { origin } };
}

export function parsePdfBytes(x: unknown): Parsed<Uint8Array> {
  const bytes = toBytes(x, 'PDF 内容');
  if (!bytes.ok) return bytes;
  if (!isPdf(bytes.value)) return invalid('PDF 内容无效：不是 PDF 文件（缺少 %PDF- 文件头）。');
  return bytes;
}

export function parseSavePdfRequest(x: unknown): Parsed<SavePdfRequest> {
  if (!isRecord(x)) return invalid('保存 PDF 的参数无效。');
  const schoolName = requiredText(x.schoolName, '学校名称');
  if (!schoolName.ok) return schoolName;
  const fileName = requiredText(x.fileName, '文件名');
  if (!fileName.ok) return fileName;
  const subFolder = optionalText(x.subFolder, '子文件夹名称');
  if (!subFolder.ok) return subFolder;
  const bytes = parsePdfBytes(x.bytes);
  if (!bytes.ok) return bytes;
  return {
    ok: true,
    value: {
      schoolName: schoolName.value,
      fileName: fileName.value,
      bytes: bytes.value,
      ...(subFolder.value ? { subFolder: subFolder.value } : {}),
    },
  };
}

export function parsePrintPdfRequest(x: unknown): Parsed<PrintPdfRequest> {
  if (!isRecord(x)) return invalid('打印的参数无效。');
  const title = optionalText(x.title, '打印标题');
  if (!title.ok) return title;
  const bytes = parsePdfBytes(x.bytes);
  if (!bytes.ok) return bytes;
  return { ok: true, value: { bytes: bytes.value, ...(title.value ? { title: title.value } : {}) } };
}

const IMPORT_KINDS: readonly ImportFileKind[] = ['xlsx', 'csv'];
const EXPORT_KINDS: readonly ExportFileKind[] = ['xlsx', 'csv', 'pdf', 'json', 'zip'];

export function parseOpenFileRequest(
  x: unknown,
): Parsed<Required<Pick<OpenFileRequest, 'kinds'>> & OpenFileRequest> {
  if (x === undefined || x === null) return { ok: true, value: { kinds: [...IMPORT_KINDS] } };
  if (!isRecord(x)) return invalid('打开文件的参数无效。');
  const title = optionalText(x.title, '对话框标题');
  if (!title.ok) return title;
  let kinds: ImportFileKind[] = [...IMPORT_KINDS];
  if (x.kinds !== undefined) {
    if (!Array.isArray(x.kinds) || x.kinds.length === 0) return invalid('可选文件类型无效。');
    for (const k of x.kinds) {
      if (!IMPORT_KINDS.includes(k as ImportFileKind))
        return invalid(`不支持的文件类型“${String(k)}”（只能是 xlsx 或 csv）。`);
    }
    kinds = [...new Set(x.kinds as ImportFileKind[])];
  }
  return { ok: true, value: { kinds, ...(title.value ? { title: title.value } : {}) } };
}

export function parseSaveFileRequest(x: unknown): Parsed<SaveFileRequest> {
  if (!isRecord(x)) return invalid('保存文件的参数无效。');
  const suggestedName = requiredText(x.suggestedName, '文件名');
  if (!suggestedName.ok) return suggestedName;
  if (!EXPORT_KINDS.includes(x.kind as ExportFileKind))
    return invalid(`不支持的导出类型“${String(x.kind)}”。`);
  const title = optionalText(x.title, '对话框标题');
  if (!title.ok) return title;
  const bytes = toBytes(x.bytes, '文件内容');
  if (!bytes.ok) return bytes;
  if (x.kind === 'pdf' && !isPdf(bytes.value))
    return invalid('PDF 内容无效：不是 PDF 文件（缺少 %PDF- 文件头）。');
  return {
    ok: true,
    value: {
      suggestedName: suggestedName.value,
      kind: x.kind as ExportFileKind,
      bytes: bytes.value,
      ...(title.value ? { title: title.value } : {}),
    },
  };
}

export function parseOpenArchiveFolderRequest(x: unknown): Parsed<OpenArchiveFolderRequest> {
  if (!isRecord(x)) return invalid('打开档案文件夹的参数无效。');
  const schoolName = requiredText(x.schoolName, '学校名称');
  if (!schoolName.ok) return schoolName;
  return { ok: true, value: { schoolName: schoolName.value } };
}
