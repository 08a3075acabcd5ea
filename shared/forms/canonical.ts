// The content hash printed in every page's QR code and stored in the PDF metadata: SHA-256 of a canonical
// JSON of the form id and its validated data (keys sorted, no whitespace), so the same record always gives
// the same hash wherever it is rendered (renderer, main process, CLI) and `xueji verify-form` can recompute it.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function contentHash(formId: string, data: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson({ form: formId, data }))));
}

/** The text of the QR code on every page: a fixed prefix, the form, the record ID and the content hash. */
export function qrPayload(formId: string, recordId: string, hash: string): string {
  return `XUEJI1|${formId}|${recordId}|${hash}`;
}
