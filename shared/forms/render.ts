// Renders forms to PDF bytes: validate every record first, draw each record from a new page, then stamp
// every page with the record's QR code (record ID + content hash), its page number within the record and
// the record number. Pure: the fonts and the clock come in as arguments.
import PDFDocument from 'pdfkit';
import { contentHash, qrPayload } from './canonical';
import { findMissingCharacters, fontCoverage, type GlyphCoverage, type MissingCharacter } from './glyphs';
import { FONT_BODY, FONT_BOLD, FormWriter, MM, type Orientation, QR_SIZE, SIZE } from './layout';
import { drawQr, qrMatrix } from './qr';
import { type Check, FormDataError } from './shape';

export type FormFonts = { regular: Uint8Array; bold: Uint8Array };

/** Every form's data carries the ID of the record it prints and, optionally, the print date. */
export type FormDataBase = { recordId: string; printedAt?: string };

export type FormDefinition<T extends FormDataBase = FormDataBase> = {
  id: string;
  title: string;
  orientation: Orientation;
  shape: Check<T>;
  draw(writer: FormWriter, data: T): void;
};

export type RenderOptions = {
  /** the clock for the PDF's creation date when the data has no printedAt */
  clock: () => Date;
  onProgress?: (done: number, total: number) => void;
  /** batch printing: checked between records; an aborted render throws FormRenderCancelled */
  signal?: { readonly aborted: boolean };
};

export type RenderedSection = { recordId: string; hash: string; firstPage: number; pageCount: number };

export type RenderedForm = {
  formId: string;
  bytes: Uint8Array;
  pageCount: number;
  sections: RenderedSection[];
  /** characters no shipped font has: the caller must warn before printing (never a silent empty box) */
  missing: MissingCharacter[];
  /** the strings drawn on each page, in drawing order (what verify-form compares a PDF's text with) */
  pageTexts: string[][];
};

export class FormRenderCancelled extends Error {
  constructor() {
    super('已取消打印');
    this.name = 'FormRenderCancelled';
  }
}

// Parsing a 14 MB CJK TTF is the costly part of a form: each font buffer is parsed once by fontkit and the
// parsed font is handed to every document (pdfkit 0.20 accepts a fontkit font object as a font source).
const parsedCache = new WeakMap<Uint8Array, GlyphCoverage>();

function parsed(bytes: Uint8Array): GlyphCoverage {
  let font = parsedCache.get(bytes);
  if (!font) {
    font = fontCoverage(bytes);
    parsedCache.set(bytes, font);
  }
  return font;
}

/** Glyph coverage of the shipped fonts, parsed once per font buffer. */
export function fontsCoverage(fonts: FormFonts): GlyphCoverage[] {
  return [parsed(fonts.regular), parsed(fonts.bold)];
}

/** Validates raw data for a form; throws FormDataError naming the field. */
export function validateFormData<T extends FormDataBase>(def: FormDefinition<T>, raw: unknown, path = ''): T {
  return def.shape(raw, path);
}

export function renderForm<T extends FormDataBase>(
  def: FormDefinition<T>,
  raw: unknown,
  fonts: FormFonts,
  options: RenderOptions,
): Promise<RenderedForm> {
  return renderForms(def, [raw], fonts, options);
}

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Several records of one form in one PDF (batch printing), each starting on its own page. */
export async function renderForms<T extends FormDataBase>(
  def: FormDefinition<T>,
  raws: readonly unknown[],
  fonts: FormFonts,
  options: RenderOptions,
): Promise<RenderedForm> {
  if (raws.length === 0) throw new FormDataError('（根）', '打印数据', '没有要打印的记录');
  const batch = raws.length > 1;
  const records = raws.map((r, i) => validateFormData(def, r, batch ? `[${i}]` : ''));
  const hashes = records.map((d) => contentHash(def.id, d));
  const missing = findMissingCharacters(batch ? records : records[0], fontsCoverage(fonts));
  const first = records[0] as T;
  const single = !batch;
  const info: Record<string, unknown> = {
    Title: batch ? `${def.title}（${records.length} 份）` : def.title,
    Subject: single ? `${def.title} ${first.recordId}` : `${def.title} 批量打印`,
    Keywords: single
      ? `xueji-form=${def.id}; record=${first.recordId}; sha256=${hashes[0]}`
      : `xueji-form=${def.id}`,
    Creator: 'Xueji Desk 学籍桌面端',
    Producer: 'Xueji Desk forms (pdfkit)',
    CreationDate: first.printedAt ? toDate(first.printedAt) : options.clock(),
    XuejiForm: def.id,
  };
  if (single) {
    info.XuejiRecord = first.recordId;
    info.XuejiHash = hashes[0];
  } else info.XuejiRecords = String(records.length);

  const doc = new PDFDocument({
    size: 'A4',
    layout: def.orientation,
    margin: 0,
    bufferPages: true,
    autoFirstPage: false,
    compress: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: info as PDFKit.DocumentInfo,
    // No default font: pdfkit opens Helvetica otherwise, and its browser build (the renderer's print
    // worker) has no standard fonts registered ("Standard font "Helvetica" is not registered"). Every
    // text call of FormWriter selects one of the two registered fonts first.
    font: null as unknown as string,
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont(FONT_BODY, parsed(fonts.regular) as unknown as Uint8Array);
  doc.registerFont(FONT_BOLD, parsed(fonts.bold) as unknown as Uint8Array);
  doc.font(FONT_BODY);

  const writer = new FormWriter(doc, def.orientation);
  const sections: RenderedSection[] = [];
  const interactive = options.onProgress !== undefined || options.signal !== undefined;
  for (let i = 0; i < records.length; i++) {
    if (options.signal?.aborted) throw new FormRenderCancelled();
    const firstPage = doc.bufferedPageRange().count;
    writer.addPage();
    def.draw(writer, records[i] as T);
    sections.push({
      recordId: (records[i] as T).recordId,
      hash: hashes[i] as string,
      firstPage,
      pageCount: doc.bufferedPageRange().count - firstPage,
    });
    options.onProgress?.(i + 1, records.length);
    // Let a worker see its cancel message and the UI repaint between records.
    if (interactive && i % 10 === 9) await new Promise((r) => setTimeout(r, 0));
  }
  for (const s of sections) stampSection(writer, def.id, s);
  const pageCount = doc.bufferedPageRange().count;
  doc.end();
  await ended;
  let size = 0;
  for (const c of chunks) size += c.length;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { formId: def.id, bytes, pageCount, sections, missing, pageTexts: writer.pageTexts };
}

function stampSection(w: FormWriter, formId: string, s: RenderedSection): void {
  const { doc } = w;
  const matrix = qrMatrix(qrPayload(formId, s.recordId, s.hash));
  const footY = w.pageHeight - 13 * MM;
  for (let p = 0; p < s.pageCount; p++) {
    w.switchToPage(s.firstPage + p);
    drawQr(doc, matrix, w.pageWidth - w.left - QR_SIZE + 2 * MM, 7 * MM, QR_SIZE);
    w.text(`第 ${p + 1} 页 共 ${s.pageCount} 页`, w.left, footY, w.width, {
      size: SIZE.small,
      align: 'center',
    });
    w.text(`记录编号：${s.recordId}`, w.left, footY, w.width / 2, { size: SIZE.tiny, color: '#404040' });
    w.text(`内容校验码：${s.hash.slice(0, 16)}`, w.left + w.width / 2, footY, w.width / 2, {
      size: SIZE.tiny,
      align: 'right',
      color: '#404040',
    });
  }
}
