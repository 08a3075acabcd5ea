// The part of pdfkit's API that the pure core (shared/forms) draws with. shared/tsconfig.json maps
// `pdfkit` here instead of @types/pdfkit, whose `/// <reference types="node" />` would bring Node's
// globals (Buffer, process) into shared/ and let the compiler miss an impure use. The root tsconfig
// still checks the same files against @types/pdfkit, so both declarations must fit the calls.
declare namespace PDFKit {
  type DocumentInfo = Record<string, string | Date | undefined>;
  type TextOptions = { width?: number; align?: 'left' | 'center' | 'right' | 'justify'; lineGap?: number };
  type PageOptions = { size?: string; layout?: 'portrait' | 'landscape'; margin?: number };
  type DocumentOptions = PageOptions & {
    bufferPages?: boolean;
    autoFirstPage?: boolean;
    compress?: boolean;
    lang?: string;
    displayTitle?: boolean;
    info?: DocumentInfo;
    font?: string;
  };
  interface PDFDocument {
    addPage(options?: PageOptions): this;
    font(name: string): this;
    fontSize(size: number): this;
    registerFont(name: string, source: Uint8Array | ArrayBuffer | string): this;
    text(text: string, x?: number, y?: number, options?: TextOptions): this;
    widthOfString(text: string, options?: TextOptions): number;
    heightOfString(text: string, options?: TextOptions): number;
    fillColor(color: string): this;
    strokeColor(color: string): this;
    lineWidth(width: number): this;
    rect(x: number, y: number, w: number, h: number): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    dash(length: number, options?: { space?: number }): this;
    undash(): this;
    fill(color?: string): this;
    stroke(color?: string): this;
    save(): this;
    restore(): this;
    image(
      src: Uint8Array | ArrayBuffer | string,
      x?: number,
      y?: number,
      options?: {
        fit?: [number, number];
        width?: number;
        height?: number;
        align?: 'center' | 'right';
        valign?: 'center' | 'bottom';
      },
    ): this;
    bufferedPageRange(): { start: number; count: number };
    switchToPage(n: number): this;
    on(event: 'data', listener: (chunk: Uint8Array) => void): this;
    on(event: 'end', listener: () => void): this;
    end(): void;
  }
}

declare module 'pdfkit' {
  const PDFDocument: new (options?: PDFKit.DocumentOptions) => PDFKit.PDFDocument;
  export default PDFDocument;
}
