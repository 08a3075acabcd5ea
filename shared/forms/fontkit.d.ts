// fontkit ships no type declarations; we use only `create` (the parser pdfkit itself uses).
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
