// What may be attached (scans, photos, audio and video traces) and how big, in one place: the archive
// page's file picker and command, the sync queue, the server's upload endpoint and its check of every
// pushed attachment record read it from here.
import type { AttachmentDoc } from './schemas';

export type AttachmentType = { mime: string; extensions: readonly string[]; label: string };

const IMAGES: readonly AttachmentType[] = [
  { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG 图片' },
  { mime: 'image/png', extensions: ['png'], label: 'PNG 图片' },
  { mime: 'image/webp', extensions: ['webp'], label: 'WebP 图片' },
  { mime: 'image/gif', extensions: ['gif'], label: 'GIF 图片' },
];
const PDF: AttachmentType = { mime: 'application/pdf', extensions: ['pdf'], label: 'PDF 文件' };

/** Allowed types per attachment kind. Scans are images or PDF (the archive's paper parts). */
export const ATTACHMENT_TYPES: Record<AttachmentDoc['kind'], readonly AttachmentType[]> = {
  scan: [...IMAGES, PDF],
  photo: IMAGES,
  // R-INSP-TRACE (YQ 总述 二): on-site traces may be audio or video.
  audio: [
    { mime: 'audio/mpeg', extensions: ['mp3'], label: 'MP3 音频' },
    { mime: 'audio/mp4', extensions: ['m4a'], label: 'M4A 音频' },
    { mime: 'audio/wav', extensions: ['wav'], label: 'WAV 音频' },
    // What the app's own recorder (MediaRecorder) writes in Chromium and Electron.
    { mime: 'audio/webm', extensions: ['webm'], label: 'WebM 音频' },
    { mime: 'audio/ogg', extensions: ['ogg', 'oga'], label: 'Ogg 音频' },
  ],
  video: [
    { mime: 'video/mp4', extensions: ['mp4'], label: 'MP4 视频' },
    { mime: 'video/webm', extensions: ['webm'], label: 'WebM 视频' },
  ],
  other: [...IMAGES, PDF],
};

/** Scan types (the archive page's file picker). */
export const SCAN_TYPES: readonly string[] = ATTACHMENT_TYPES.scan.map((t) => t.mime);
/** Every mime type the server stores bytes of. */
export const ATTACHMENT_MIMES: ReadonlySet<string> = new Set(
  Object.values(ATTACHMENT_TYPES).flatMap((list) => list.map((t) => t.mime)),
);

/** Extensions that name a type: the allowed ones and common executables and documents. */
const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  ...Object.values(ATTACHMENT_TYPES).flatMap((list) => list.flatMap((t) => t.extensions)),
  ...['exe', 'bat', 'cmd', 'com', 'js', 'vbs', 'ps1', 'sh', 'msi', 'html', 'htm', 'svg', 'doc', 'docx'],
  ...['xls', 'xlsx', 'zip', 'rar', '7z', 'txt', 'tif', 'tiff', 'bmp', 'heic'],
]);

/** The size limit of one attachment (a setting; the server may be started with a smaller one). */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

export type AttachmentProblem = { field: 'mime' | 'name' | 'size' | 'kind'; message: string };

/** Why an attachment of this name, type, size and kind is not accepted (null: it is). */
export function attachmentProblem(
  a: { name: string; mime: string; size: number; kind: string },
  maxBytes = ATTACHMENT_MAX_BYTES,
): AttachmentProblem | null {
  const types = ATTACHMENT_TYPES[a.kind as AttachmentDoc['kind']];
  if (!types) return { field: 'kind', message: `附件类别“${a.kind}”不是允许的取值` };
  const type = types.find((t) => t.mime === a.mime);
  if (!type)
    return {
      field: 'mime',
      message: `“${a.name}”的文件类型不允许（只接受${types.map((t) => t.label).join('、')}）`,
    };
  // A name that claims another known type (报告.exe sent as a PDF) is refused; "2024.09.01" claims none.
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(a.name)?.[1]?.toLowerCase();
  if (ext !== undefined && KNOWN_EXTENSIONS.has(ext) && !type.extensions.includes(ext))
    return {
      field: 'name',
      message: `“${a.name}”的扩展名与文件类型不符（${type.label}应为 .${type.extensions.join('/.')}）`,
    };
  if (!Number.isSafeInteger(a.size) || a.size < 1)
    return { field: 'size', message: `“${a.name}”是空文件，不能作为附件` };
  if (a.size > maxBytes)
    return {
      field: 'size',
      message: `“${a.name}”过大（${formatMegabytes(a.size)}），超过 ${formatMegabytes(maxBytes)} 的附件上限。请压缩或分成多个文件后再上传`,
    };
  return null;
}

/** The id of an attachment record: one per school and content, so two schools never collide. */
export function attachmentRecordId(schoolId: string, sha256: string): string {
  return `${schoolId}:${sha256}`;
}

/**
 * The id of an inspection's evidence (entity "inspection": a photo, a recording, a signature, a school's
 * answer to a follow-up): one per record and content, so the school's own scan of the same file (another
 * record, another audience) never stands in for it.
 */
export function evidenceRecordId(entityId: string, sha256: string): string {
  return `${entityId}:${sha256}`;
}

/** The record id an attachment must have: evidence of an inspection record, or the school's own. */
export function expectedAttachmentId(a: {
  schoolId: string;
  entity: string;
  entityId: string;
  sha256: string;
}) {
  return a.entity === 'inspection'
    ? evidenceRecordId(a.entityId, a.sha256)
    : attachmentRecordId(a.schoolId, a.sha256);
}
