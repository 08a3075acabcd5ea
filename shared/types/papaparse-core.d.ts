// The part of papaparse's API the pure core uses (see pdfkit-core.d.ts for why @types/papaparse is not loaded).
declare module 'papaparse' {
  type ParseError = { type: string; code: string; message: string; row?: number };
  type ParseResult<T> = { data: T[]; errors: ParseError[] };
  const Papa: { parse<T>(text: string, config?: { skipEmptyLines?: boolean | 'greedy' }): ParseResult<T> };
  export default Papa;
}
