// QR codes drawn as vector rectangles (no canvas, so the same code runs in Node, the renderer and a worker).
import QRCode from 'qrcode';

export type QrMatrix = { size: number; get(row: number, col: number): boolean };

export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, get: (r, c) => Boolean(modules.get(r, c)) };
}

/** Draws the matrix at (x, y) with side `size` points, a quiet zone included, one rect per dark run. */
export function drawQr(doc: PDFKit.PDFDocument, matrix: QrMatrix, x: number, y: number, size: number): void {
  const quiet = 2;
  const cell = size / (matrix.size + quiet * 2);
  doc.save();
  for (let r = 0; r < matrix.size; r++) {
    let c = 0;
    while (c < matrix.size) {
      if (!matrix.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < matrix.size && matrix.get(r, c)) c++;
      // A hair of overlap avoids white seams between rows in some viewers.
      doc.rect(x + (start + quiet) * cell, y + (r + quiet) * cell, (c - start) * cell, cell + 0.05);
    }
  }
  doc.fillColor('#000000').fill();
  doc.restore();
}
