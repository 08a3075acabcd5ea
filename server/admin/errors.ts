// The refusals of the administration API: HTTP status, a stable code, a Chinese message naming the field,
// and for a batch (a sheet import) every refused row — nothing of a refused batch is written.
export type RowProblem = { index: number; field: string; code: string; message: string };

export class AdminError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly rows?: RowProblem[],
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      error: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.rows ? { rows: this.rows } : {}),
    };
  }
}

/** The one answer for an account or org that does not exist or that the caller may not read (no enumeration). */
export const ACCOUNT_NOT_FOUND = '找不到该账号，或它不在您的管辖范围内';
export const ORG_NOT_FOUND = '找不到该单位，或它不在您的管辖范围内';

export const notFound = (what: 'account' | 'org') =>
  new AdminError(404, 'NOT_FOUND', what === 'account' ? ACCOUNT_NOT_FOUND : ORG_NOT_FOUND);
