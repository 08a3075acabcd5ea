// File and folder names for the archive folder and exports. School names and form titles come from
// users and data; they must never climb out of the archive folder or produce a name Windows refuses.

const MAX_SEGMENT_CHARS = 100;

// Windows reserves these device names with or without an extension (CON, con.pdf, COM1.txt …).
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

// Characters Windows forbids in names, both slashes, and control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;

// Invisible or direction-changing characters that make a name look like something else (e.g. RLO).
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export type SanitisedName = { ok: true; name: string } | { ok: false; message: string };

/**
 * Turn a user-supplied name into one safe path segment: forbidden characters become "_", leading and
 * trailing spaces and dots go, Windows device names get a "_" prefix, length is capped (by code points,
 * so a Chinese name is never cut inside a surrogate pair). A name with nothing left is refused.
 */
export function sanitiseSegment(raw: unknown, what = '文件名'): SanitisedName {
  if (typeof raw !== 'string') return { ok: false, message: `${what}缺失。` };
  let name = raw.normalize('NFC').replace(INVISIBLE, '').replace(FORBIDDEN, '_');
  name = name.replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  if (name === '' || /^_+$/.test(name))
    return { ok: false, message: `${what}“${raw}”无效：去掉不允许的字符后为空。` };
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  const chars = Array.from(name);
  if (chars.length > MAX_SEGMENT_CHARS)
    name = chars
      .slice(0, MAX_SEGMENT_CHARS)
      .join('')
      .replace(/[\s.]+$/, '');
  return { ok: true, name };
}

/**
 * A file name with a fixed extension: "学籍档案目录 张三" → "学籍档案目录 张三.pdf". The extension is
 * appended when missing (case-insensitive), so "a.PDF" stays "a.PDF" and "a.pdf.exe" becomes "a.pdf.exe.pdf".
 */
export function sanitiseFileName(raw: unknown, extension: string): SanitisedName {
  const ext = extension.replace(/^\./, '').toLowerCase();
  const base = sanitiseSegment(raw, '文件名');
  if (!base.ok) return base;
  let name = base.name;
  if (!name.toLowerCase().endsWith(`.${ext}`)) {
    const chars = Array.from(name);
    const room = MAX_SEGMENT_CHARS - ext.length - 1;
    if (chars.length > room)
      name = chars
        .slice(0, room)
        .join('')
        .replace(/[\s.]+$/, '');
    name = `${name}.${ext}`;
  }
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  return { ok: true, name };
}

/** A '/'-separated sub path of at most `maxDepth` sanitised segments ("学籍异动/2025" → ["学籍异动","2025"]). */
export function sanitiseSubPath(
  raw: unknown,
  maxDepth = 3,
): { ok: true; segments: string[] } | { ok: false; message: string } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, segments: [] };
  if (typeof raw !== 'string') return { ok: false, message: '子文件夹名称无效。' };
  const parts = raw.split(/[/\\]/).filter((p) => p.trim() !== '');
  if (parts.length > maxDepth)
    return { ok: false, message: `子文件夹“${raw}”层级过多（最多 ${maxDepth} 级）。` };
  const segments: string[] = [];
  for (const part of parts) {
    const s = sanitiseSegment(part, '子文件夹名称');
    if (!s.ok) return s;
    segments.push(s.name);
  }
  return { ok: true, segments };
}

/** "名册.pdf" → "名册 (2).pdf": the n-th alternative when a file of that name exists (never overwrite). */
export function numberedName(fileName: string, n: number): string {
  if (n <= 1) return fileName;
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return `${fileName} (${n})`;
  return `${fileName.slice(0, dot)} (${n})${fileName.slice(dot)}`;
}
