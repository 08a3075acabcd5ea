// The drawing kit every form uses: A4 pages with a header band (QR code) and footer (record number and
// "第 x 页 共 y 页"), a bold title, ruled tables whose cells grow with their text, page breaks that repeat
// the table header, and opinion cells with a signature line and a seal box of real size.

export const MM = 72 / 25.4;
export const A4 = { width: 595.28, height: 841.89 } as const;

export const FONT_BODY = 'xueji-body';
export const FONT_BOLD = 'xueji-bold';

export type Orientation = 'portrait' | 'landscape';

/** Body text: 五号 (10.5 pt) like the paper forms offices use; titles 小二 (18 pt) bold. */
export const SIZE = { body: 10.5, small: 9, tiny: 7.5, title: 18, subtitle: 12 } as const;
const LINE_GAP = 2;
const PAD_X = 4;
const PAD_Y = 3;
export const ROW_HEIGHT = 7.5 * MM;
/** A round official seal is about 42 mm across; the box leaves a little room around it. */
export const SEAL_BOX = 45 * MM;
export const QR_SIZE = 20 * MM;

export type Align = 'left' | 'center' | 'right';

export type Cell = {
  text?: string;
  /** width in points; use `cols()` to share the content width */
  width: number;
  bold?: boolean;
  align?: Align;
  valign?: 'top' | 'middle';
  /** a label cell: light grey background */
  shade?: boolean;
  size?: number;
  /** custom content: its height for a given width, and how to draw it into the cell box */
  custom?: { height(width: number): number; draw(x: number, y: number, width: number, height: number): void };
};

export type Column = { title: string; weight: number; align?: Align };

export class FormWriter {
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly left = 20 * MM;
  readonly width: number;
  readonly top = 32 * MM;
  readonly bottom: number;
  y: number;
  private repeatHeader: (() => void) | undefined;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly orientation: Orientation,
  ) {
    const portrait = orientation === 'portrait';
    this.pageWidth = portrait ? A4.width : A4.height;
    this.pageHeight = portrait ? A4.height : A4.width;
    this.width = this.pageWidth - 2 * this.left;
    this.bottom = this.pageHeight - 18 * MM;
    this.y = this.top;
  }

  /**
   * Every string drawn, per page in drawing order: what a person reads on the page. verify-form compares
   * it with the text of a PDF to check (shared/forms/verify.ts).
   */
  readonly pageTexts: string[][] = [];
  private page = -1;

  addPage(): void {
    this.doc.addPage({ size: 'A4', layout: this.orientation, margin: 0 });
    this.page = this.doc.bufferedPageRange().count - 1;
    this.pageTexts[this.page] ??= [];
    this.y = this.top;
    this.repeatHeader?.();
  }

  /** Goes back to an earlier page (the stamps are drawn on every page at the end). */
  switchToPage(index: number): void {
    this.doc.switchToPage(index);
    this.page = index;
    this.pageTexts[index] ??= [];
  }

  /** Starts a new page when `height` does not fit below the current position. */
  ensure(height: number): void {
    if (this.y + height > this.bottom + 0.01) this.addPage();
  }

  get remaining(): number {
    return this.bottom - this.y;
  }

  /** Splits the content width (or `total`) by weights. */
  cols(weights: readonly number[], total = this.width): number[] {
    const sum = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => Math.round(((total * w) / sum) * 100) / 100);
    // Rounding must not leave a gap at the right edge.
    widths[widths.length - 1] =
      Math.round((total - widths.slice(0, -1).reduce((a, b) => a + b, 0)) * 100) / 100;
    return widths;
  }

  font(bold: boolean, size: number = SIZE.body): PDFKit.PDFDocument {
    return this.doc.font(bold ? FONT_BOLD : FONT_BODY).fontSize(size);
  }

  textHeight(text: string, width: number, bold = false, size: number = SIZE.body): number {
    if (text === '') return size;
    return this.font(bold, size).heightOfString(text, { width, lineGap: LINE_GAP });
  }

  textWidth(text: string, bold = false, size: number = SIZE.body): number {
    return this.font(bold, size).widthOfString(text);
  }

  /** Draws wrapped text in a box of the given width; returns its height. */
  text(
    text: string,
    x: number,
    y: number,
    width: number,
    opts: { bold?: boolean; size?: number; align?: Align; color?: string } = {},
  ): number {
    const size = opts.size ?? SIZE.body;
    const doc = this.font(opts.bold ?? false, size);
    doc.fillColor(opts.color ?? '#000000');
    doc.text(text, x, y, { width, align: opts.align ?? 'left', lineGap: LINE_GAP });
    this.pageTexts[this.page]?.push(text);
    return this.textHeight(text, width, opts.bold, size);
  }

  /** The form title on the first page of a record: bold, centred in the header band beside the QR code. */
  title(title: string, subtitle?: string): void {
    // Centred on the page but clear of the QR code at the top right; a long title is set smaller.
    const room = this.pageWidth - 2 * (this.left + QR_SIZE);
    const size = Math.max(
      12,
      Math.min(SIZE.title, (SIZE.title * room) / this.textWidth(title, true, SIZE.title)),
    );
    const x = (this.pageWidth - room) / 2;
    this.text(title, x, 13 * MM + (SIZE.title - size) / 2, room, { bold: true, size, align: 'center' });
    if (subtitle) this.text(subtitle, x, 22 * MM, room, { size: SIZE.small, align: 'center' });
  }

  /** A line of text above a table (e.g. "学校（盖章）：…　　填表日期：…"), left and right parts. */
  line(leftText: string, rightText = '', size: number = SIZE.body): void {
    const h =
      this.textHeight(
        leftText || '国',
        this.width - (rightText ? this.textWidth(rightText, false, size) + 12 : 0),
        false,
        size,
      ) + 3;
    this.ensure(h);
    this.text(
      leftText,
      this.left,
      this.y,
      this.width - (rightText ? this.textWidth(rightText, false, size) + 12 : 0),
      { size },
    );
    if (rightText) this.text(rightText, this.left, this.y, this.width, { size, align: 'right' });
    this.y += h;
  }

  gap(points: number): void {
    this.y = Math.min(this.y + points, this.bottom);
  }

  cellHeight(cell: Cell): number {
    const inner = cell.width - 2 * PAD_X;
    const content = cell.custom
      ? cell.custom.height(cell.width)
      : this.textHeight(cell.text ?? '', inner, cell.bold, this.cellTextSize(cell)) + 2 * PAD_Y;
    return content;
  }

  /**
   * The size a cell's text is set in: its own, or a little smaller (down to 85 %) when at its own size the
   * last line would hold a single character — "金教学籍〔2026〕86" over a lone "号" reads as a mistake.
   */
  cellTextSize(cell: Pick<Cell, 'text' | 'width' | 'bold' | 'size'>): number {
    const size = cell.size ?? SIZE.body;
    const text = cell.text ?? '';
    if (text.length < 2 || text.includes('\n')) return size;
    const inner = cell.width - 2 * PAD_X;
    const bold = cell.bold ?? false;
    const lineHeight = this.textHeight('国', inner, bold, size);
    const lines = Math.round(this.textHeight(text, inner, bold, size) / lineHeight);
    if (lines < 2) return size;
    const lastChar = [...text].at(-1) ?? '';
    const total = this.textWidth(text, bold, size);
    // the width left on the last line, if every character were a break opportunity (CJK text)
    const last = total - (lines - 1) * inner;
    if (last > this.textWidth(lastChar, bold, size) * 1.5) return size;
    for (let s = size - 0.25; s >= size * 0.85; s -= 0.25)
      if (Math.round(this.textHeight(text, inner, bold, s) / this.textHeight('国', inner, bold, s)) < lines)
        return s;
    return size;
  }

  /** One ruled row; its height is that of its tallest cell. Breaks the page first when it does not fit. */
  row(cells: readonly Cell[], minHeight: number = ROW_HEIGHT): number {
    const height = Math.max(minHeight, ...cells.map((c) => this.cellHeight(c)));
    this.ensure(height);
    this.drawRow(cells, height);
    return height;
  }

  private drawRow(cells: readonly Cell[], height: number): void {
    const { doc } = this;
    let x = this.left;
    for (const cell of cells) {
      if (cell.shade) doc.save().rect(x, this.y, cell.width, height).fillColor('#f0f0f0').fill().restore();
      doc
        .save()
        .lineWidth(0.75)
        .strokeColor('#000000')
        .rect(x, this.y, cell.width, height)
        .stroke()
        .restore();
      if (cell.custom) cell.custom.draw(x, this.y, cell.width, height);
      else if (cell.text) {
        const inner = cell.width - 2 * PAD_X;
        const size = this.cellTextSize(cell);
        const th = this.textHeight(cell.text, inner, cell.bold, size);
        const ty = cell.valign === 'top' ? this.y + PAD_Y : this.y + (height - th) / 2;
        this.text(cell.text, x + PAD_X, ty, inner, {
          bold: cell.bold ?? false,
          size,
          align: cell.align ?? 'left',
        });
      }
      x += cell.width;
    }
    this.y += height;
  }

  /** label | value | label | value … rows; `perRow` pairs per row, the last value may span. */
  fields(
    pairs: readonly (readonly [string, string])[],
    perRow: 1 | 2 | 3,
    labelWeight = 1,
    valueWeight = 2,
  ): void {
    const weights: number[] = [];
    for (let i = 0; i < perRow; i++) weights.push(labelWeight, valueWeight);
    const w = this.cols(weights);
    for (let i = 0; i < pairs.length; i += perRow) {
      const chunk = pairs.slice(i, i + perRow);
      const cells: Cell[] = [];
      chunk.forEach(([label, value], k) => {
        const isLast = k === chunk.length - 1;
        const valueWidth = isLast ? w.slice(2 * k + 1).reduce((a, b) => a + b, 0) : (w[2 * k + 1] as number);
        cells.push({ text: label, width: w[2 * k] as number, align: 'center', shade: true });
        cells.push({ text: value, width: valueWidth });
      });
      this.row(cells);
    }
  }

  /** A ruled table with a bold header repeated on every page it runs over. */
  table(
    columns: readonly Column[],
    rows: readonly (readonly string[])[],
    opts: { size?: number; numbered?: boolean } = {},
  ): void {
    const size = opts.size ?? SIZE.body;
    const widths = this.cols(columns.map((c) => c.weight));
    const header = () =>
      this.drawRow(
        columns.map((c, i) => ({
          text: c.title,
          width: widths[i] as number,
          bold: true,
          align: 'center',
          shade: true,
          size,
        })),
        Math.max(
          ROW_HEIGHT,
          ...columns.map(
            (c, i) => this.textHeight(c.title, (widths[i] as number) - 2 * PAD_X, true, size) + 2 * PAD_Y,
          ),
        ),
      );
    // The header never stands alone at the foot of a page: keep it with the first row.
    const firstRow = rows[0];
    const firstHeight = firstRow
      ? Math.max(
          ROW_HEIGHT,
          ...firstRow.map(
            (t, i) => this.textHeight(t, (widths[i] as number) - 2 * PAD_X, false, size) + 2 * PAD_Y,
          ),
        )
      : 0;
    this.ensure(ROW_HEIGHT * 1.5 + firstHeight);
    header();
    this.repeatHeader = header;
    try {
      for (const r of rows)
        this.row(
          r.map((t, i) => ({
            text: t,
            width: widths[i] as number,
            align: columns[i]?.align ?? 'left',
            size,
          })),
          Math.min(ROW_HEIGHT, size * 2.2),
        );
    } finally {
      this.repeatHeader = undefined;
    }
  }

  /** A dashed box of real seal size with a grey hint in the middle. */
  sealBox(x: number, y: number, hint = '（盖章）'): void {
    const { doc } = this;
    doc
      .save()
      .lineWidth(0.5)
      .dash(3, { space: 2 })
      .strokeColor('#808080')
      .rect(x, y, SEAL_BOX, SEAL_BOX)
      .stroke()
      .undash()
      .restore();
    this.text(hint, x, y + SEAL_BOX / 2 - SIZE.small / 2 - 1, SEAL_BOX, {
      size: SIZE.small,
      align: 'center',
      color: '#a0a0a0',
    });
  }

  /**
   * An opinion cell of an approval step: the step's title, its opinion (or room to write one), the signer
   * line and the date at the bottom left, the seal box at the bottom right.
   */
  opinionCell(
    o: {
      title: string;
      opinion?: string;
      signerLabel?: string;
      signer?: string;
      date?: string;
      seal?: boolean;
    },
    width: number,
  ): Cell {
    const pad = 2 * MM;
    const seal = o.seal !== false;
    const sideWidth = width - 2 * pad - (seal ? SEAL_BOX + pad : 0);
    const signLines = [
      `${o.signerLabel ?? '负责人（签字）'}：${o.signer ?? ''}`,
      `日期：${o.date ? formatDateCn(o.date) : '　　年　月　日'}`,
    ];
    // Narrow cells (two per row beside a real-size seal) set the signature lines smaller, as much as it
    // takes for each to stay on one line ("日期：　　年　月　日" must not break before 月).
    const widest = Math.max(...signLines.map((l) => this.textWidth(l)));
    const signSize =
      widest <= sideWidth
        ? SIZE.body
        : Math.max(SIZE.tiny, Math.floor((SIZE.body * sideWidth * 0.97 * 4) / widest) / 4);
    const signHeight = signLines.reduce((h, l) => h + this.textHeight(l, sideWidth, false, signSize) + 6, 0);
    // The title, the opinion and the signature lines stand left of the seal box: a cell is hardly taller
    // than the seal itself, so four approval steps fit on one A4 page with the student block.
    const titleHeight = this.textHeight(o.title, sideWidth, true);
    const opinionHeight = o.opinion ? this.textHeight(o.opinion, sideWidth) + 2 : seal ? 0 : 10 * MM;
    const columnHeight = titleHeight + 2 + opinionHeight + 4 + signHeight;
    const inner = Math.max(seal ? SEAL_BOX : 0, columnHeight);
    return {
      width,
      custom: {
        height: () => pad + inner + pad,
        draw: (x, y, _w, h) => {
          this.text(o.title, x + pad, y + pad, sideWidth, { bold: true });
          if (o.opinion) this.text(o.opinion, x + pad, y + pad + titleHeight + 2, sideWidth);
          let ly = y + h - pad - signHeight;
          for (const l of signLines) ly += this.text(l, x + pad, ly, sideWidth, { size: signSize }) + 6;
          if (seal) this.sealBox(x + width - pad - SEAL_BOX, y + (h - SEAL_BOX) / 2);
        },
      },
    };
  }

  /** Opinion cells side by side (`perRow` of them), each row as tall as its tallest cell. */
  opinions(items: Parameters<FormWriter['opinionCell']>[0][], perRow: 1 | 2): void {
    const widths = this.cols(new Array(perRow).fill(1));
    for (let i = 0; i < items.length; i += perRow) {
      const chunk = items.slice(i, i + perRow);
      const cells = chunk.map((o, k) =>
        this.opinionCell(
          o,
          k === chunk.length - 1 ? widths.slice(k).reduce((a, b) => a + b, 0) : (widths[k] as number),
        ),
      );
      this.row(cells);
    }
  }

  /**
   * A block of text with a bold label in a ruled box spanning the width (e.g. 检查情况). Text longer than the
   * page goes on in a "（续）" box on the next page, split between paragraphs.
   */
  paragraphBox(label: string, body: string, minHeight = 14 * MM, labelWeight = 1, bodyWeight = 5): void {
    const [lw, bw] = this.cols([labelWeight, bodyWeight]) as [number, number];
    const paragraphs = body.split(/\n+/).filter((p) => p.trim() !== '');
    const inner = bw - 2 * PAD_X;
    let first = true;
    const emit = (chunk: string[]) => {
      this.row(
        [
          { text: first ? label : `${label}（续）`, width: lw, bold: true, align: 'center', shade: true },
          { text: chunk.join('\n'), width: bw, valign: 'top' },
        ],
        first ? minHeight : ROW_HEIGHT,
      );
      first = false;
    };
    let chunk: string[] = [];
    for (const p of paragraphs) {
      const candidate = [...chunk, p];
      const h = this.textHeight(candidate.join('\n'), inner) + 2 * PAD_Y;
      if (chunk.length > 0 && this.y + h > this.bottom) {
        emit(chunk);
        chunk = [p];
      } else chunk = candidate;
    }
    emit(chunk);
  }
}

export function formatDateCn(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
