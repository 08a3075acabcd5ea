// The text of each page of a PDF, as a reader (a person, a screen reader, a search) gets it: pdfjs-dist,
// Mozilla's PDF.js, in pure JavaScript, because a user's machine has no poppler. Its "legacy" build is
// the one meant for Node.
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

export class PdfTextError extends Error {
  override name = 'PdfTextError';
}

type TextItem = { str?: string; hasEOL?: boolean };

export type PdfContent = {
  /** one string per page */
  pages: string[];
  /** the document information dictionary, custom keys (XuejiForm …) included */
  info: Record<string, string>;
};

/**
 * The pages' text and the document information of a PDF. A page whose content cannot be parsed gives ''
 * (a page that reads as nothing is a difference for verify-form to name); a file that is not a PDF at
 * all throws PdfTextError. pdfjs also reads files rewritten with object streams (qpdf, Ghostscript),
 * whose /Info the small reader of shared/forms/pdf-info.ts refuses.
 */
export async function readPdfContent(bytes: Uint8Array): Promise<PdfContent> {
  let pdf: PDFDocumentProxy;
  try {
    pdf = await getDocument({
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
    }).promise;
  } catch (error) {
    throw new PdfTextError(`无法读取 PDF 的页面：${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const info: Record<string, string> = {};
    try {
      const meta = await pdf.getMetadata();
      const raw = (meta.info ?? {}) as Record<string, unknown>;
      const custom = (raw.Custom ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries({ ...raw, ...custom })) if (typeof v === 'string') info[k] = v;
    } catch {
      // no readable /Info: the caller says the stamp is missing
    }
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      try {
        const page = await pdf.getPage(n);
        const content = await page.getTextContent();
        pages.push(
          (content.items as TextItem[]).map((i) => `${i.str ?? ''}${i.hasEOL ? '\n' : ''}`).join(''),
        );
      } catch {
        pages.push('');
      }
    }
    return { pages, info };
  } finally {
    await pdf.destroy();
  }
}

/** The text of each page (see readPdfContent). */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  return (await readPdfContent(bytes)).pages;
}
