// Typed sync failures (STYLE: typed sync errors, after Actual Budget): every failure of the sync layer
// is one of the kinds of shared/sync/protocol.ts and maps to one UI state with a Chinese message.
import { SYNC_ERROR_MESSAGES, type SyncErrorKind, syncErrorKind } from '../../../shared/sync/protocol';

export class SyncError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    /** HTTP status, 0 when no response arrived */
    readonly status = 0,
    /** the server's error code (`{ "error": code }`), e.g. BAD_CREDENTIALS, LOCKED */
    readonly code = '',
    /** the rest of the server's answer: the field concerned, a refused batch's rows (server/admin) */
    readonly details: {
      field?: string;
      rows?: { index: number; field: string; code: string; message: string }[];
    } = {},
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** Builds the typed error of an HTTP response whose body is the server's `{ error, message }`. */
export function errorOfResponse(status: number, body: unknown): SyncError {
  const b = (body ?? {}) as { error?: unknown; message?: unknown };
  const code = typeof b.error === 'string' ? b.error : '';
  const kind = syncErrorKind(status, code);
  // The server's own Chinese message names the field or the reason; ours is the fallback.
  const message = typeof b.message === 'string' && b.message ? b.message : SYNC_ERROR_MESSAGES[kind];
  const { field, rows } = (body ?? {}) as { field?: unknown; rows?: unknown };
  return new SyncError(kind, message, status, code, {
    ...(typeof field === 'string' ? { field } : {}),
    ...(Array.isArray(rows) ? { rows: rows as NonNullable<SyncError['details']['rows']> } : {}),
  });
}

export function networkError(detail?: string): SyncError {
  return new SyncError(
    'network',
    detail ? `${SYNC_ERROR_MESSAGES.network}（${detail}）` : SYNC_ERROR_MESSAGES.network,
  );
}

export function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  // fetch rejects with a TypeError when no response arrives (offline, refused, CORS, CSP).
  if (error instanceof TypeError || (error instanceof DOMException && error.name === 'AbortError'))
    return networkError();
  return new SyncError(
    'server',
    `${SYNC_ERROR_MESSAGES.server}：${error instanceof Error ? error.message : String(error)}`,
  );
}

/** Messages of the login form: the server's text for known codes, a clear fallback otherwise. */
export function loginErrorMessage(error: SyncError): string {
  switch (error.code) {
    case 'BAD_CREDENTIALS':
    case 'LOCKED':
    case 'RATE_LIMITED':
    case 'DEVICE_REVOKED':
    case 'BAD_REQUEST':
      return error.message;
  }
  if (error.kind === 'network')
    return '无法连接省级平台：请检查服务器地址和网络连接（地址形如 https://xueji.jyj.gov.cn，本机演示为 http://127.0.0.1:8787）';
  return error.message;
}
