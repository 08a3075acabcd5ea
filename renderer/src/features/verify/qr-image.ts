// Reading a form's QR code from a picture (a photo or a scan of the paper) or from camera frames, with
// jsqr (pure JavaScript: it runs under the app's CSP, which allows no WebAssembly). A whole A4 page holds
// the code small in its top-right corner: when the full picture gives nothing, that corner is read again
// enlarged.
import jsQR from 'jsqr';

function decode(canvas: HTMLCanvasElement): string | null {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

function draw(
  source: CanvasImageSource,
  sx: number,
  sy: number,
  sw: number,
  sh: number,
  scale: number,
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(sw * scale));
  canvas.height = Math.max(1, Math.round(sh * scale));
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, sx, sy, sw, sh, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** The QR text in a picture of width × height, or null when none is found. */
export function readQr(source: CanvasImageSource, width: number, height: number): string | null {
  // large photos are read at most 2000 px wide (jsqr's time grows with the pixels)
  const fit = Math.min(1, 2000 / Math.max(width, height));
  const whole = decode(draw(source, 0, 0, width, height, fit));
  if (whole) return whole;
  const w = width * 0.4;
  const h = height * 0.3;
  return decode(draw(source, width - w, 0, w, h, Math.min(3, 1200 / w)));
}

/** Reads the QR code of a chosen picture file. */
export async function readQrFromFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return readQr(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}
