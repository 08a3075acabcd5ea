// The part of qrcode's API the pure core uses (see pdfkit-core.d.ts for why @types/qrcode is not loaded).
declare module 'qrcode' {
  type QRCodeModules = { size: number; get(row: number, col: number): number | boolean };
  const QRCode: {
    create(
      text: string,
      options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' },
    ): { modules: QRCodeModules };
  };
  export default QRCode;
}
