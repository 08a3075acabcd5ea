// Reads the document information dictionary (/Info) of a PDF without a PDF library: enough for the forms
// we write (pdfkit puts each Info value in its own indirect object, text as literal strings, UTF-16BE with
// a byte-order mark when not ASCII) and for the usual variants (direct values, hex strings). A PDF rewritten
// with compressed object streams is reported as unreadable rather than guessed at.

export class PdfReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfReadError';
  }
}

const latin1 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
};

/** Decodes the raw bytes of a PDF text string: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding≈latin1. */
function decodeTextString(raw: string): string {
  if (raw.charCodeAt(0) === 0xfe && raw.charCodeAt(1) === 0xff) {
    let s = '';
    for (let i = 2; i + 1 < raw.length; i += 2)
      s += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return s;
  }
  if (raw.startsWith('\xef\xbb\xbf')) {
    const bytes = Uint8Array.from(raw.slice(3), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }
  return raw;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '(': '(',
  ')': ')',
  '\\': '\\',
};

/** Parses a literal string starting at `src[start] === '('`; returns the raw bytes and the end index. */
function parseLiteral(src: string, start: number): { raw: string; end: number } {
  let depth = 0;
  let out = '';
  for (let i = start; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (n in ESCAPES) {
        out += ESCAPES[n];
        i++;
      } else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4)) as RegExpExecArray;
        out += String.fromCharCode(Number.parseInt(m[0], 8) & 0xff);
        i += m[0].length;
      } else if (n === '\r' || n === '\n') {
        i += n === '\r' && src[i + 2] === '\n' ? 2 : 1;
      } else {
        out += n;
        i++;
      }
    } else if (c === '(') {
      if (depth > 0) out += c;
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return { raw: out, end: i + 1 };
      out += c;
    } else if (depth > 0) out += c;
  }
  throw new PdfReadError('PDF 中的字符串没有结束');
}

function parseValue(src: string, at: number, body: string): string | undefined {
  let i = at;
  while (/\s/.test(src[i] ?? '')) i++;
  const c = src[i];
  if (c === '(') return decodeTextString(parseLiteral(src, i).raw);
  if (c === '<' && src[i + 1] !== '<') {
    const end = src.indexOf('>', i);
    const hex = src.slice(i + 1, end).replace(/\s+/g, '');
    let raw = '';
    for (let k = 0; k < hex.length; k += 2)
      raw += String.fromCharCode(Number.parseInt(hex.slice(k, k + 2).padEnd(2, '0'), 16));
    return decodeTextString(raw);
  }
  const ref = /^(\d+)\s+(\d+)\s+R/.exec(src.slice(i, i + 32));
  if (ref) {
    const obj = findObject(body, Number(ref[1]), Number(ref[2]));
    return obj === undefined ? undefined : parseValue(obj, 0, body);
  }
  return undefined;
}

function findObject(body: string, num: number, gen: number): string | undefined {
  const re = new RegExp(`(?:^|[\\r\\n\\s])${num}\\s+${gen}\\s+obj\\b`, 'g');
  let last: RegExpExecArray | null = null;
  // The last definition wins (incremental updates append newer versions).
  for (let m = re.exec(body); m; m = re.exec(body)) last = m;
  if (!last) return undefined;
  const start = last.index + last[0].length;
  const end = body.indexOf('endobj', start);
  return body.slice(start, end < 0 ? undefined : end);
}

/** The /Info entries of a PDF as text (dates stay in PDF form, e.g. "D:20260301000000Z"). */
export function readPdfInfo(bytes: Uint8Array): Record<string, string> {
  const body = latin1(bytes);
  if (!body.startsWith('%PDF-')) throw new PdfReadError('不是 PDF 文件（文件头不是 %PDF-）');
  const infoRefs = [...body.matchAll(/\/Info\s+(\d+)\s+(\d+)\s+R/g)];
  const last = infoRefs.at(-1);
  if (!last) throw new PdfReadError('PDF 中没有文档信息（/Info），可能被其他软件重新保存过');
  const dict = findObject(body, Number(last[1]), Number(last[2]));
  if (dict === undefined) throw new PdfReadError('PDF 的文档信息对象缺失或被压缩，无法读取');
  const open = dict.indexOf('<<');
  if (open < 0) throw new PdfReadError('PDF 的文档信息不是字典');
  const info: Record<string, string> = {};
  const keyRe = /\/([A-Za-z0-9_.#-]+)/g;
  keyRe.lastIndex = open + 2;
  for (let m = keyRe.exec(dict); m; m = keyRe.exec(dict)) {
    const key = (m[1] as string).replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) =>
      String.fromCharCode(Number.parseInt(h, 16)),
    );
    const valueAt = m.index + m[0].length;
    const value = parseValue(dict, valueAt, body);
    if (value !== undefined) info[key] = value;
    // Skip past the value so names inside it are not read as keys.
    let i = valueAt;
    while (/\s/.test(dict[i] ?? '')) i++;
    if (dict[i] === '(') keyRe.lastIndex = parseLiteral(dict, i).end;
    else if (dict[i] === '<') keyRe.lastIndex = dict.indexOf('>', i) + 1;
    else if (dict[i] === '/') {
      const name = /^\/[^\s/<>[\]()]*/.exec(dict.slice(i)) as RegExpExecArray;
      keyRe.lastIndex = i + name[0].length;
    } else {
      const ref = /^\d+\s+\d+\s+R/.exec(dict.slice(i, i + 32));
      if (ref) keyRe.lastIndex = i + ref[0].length;
    }
    if (dict.slice(keyRe.lastIndex).trimStart().startsWith('>>')) break;
  }
  return info;
}
