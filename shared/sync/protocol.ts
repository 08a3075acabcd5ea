// The replication protocol spoken between any client and the provincial server (docs/sync-api.md).
// It keeps RxDB's shapes (pull with a checkpoint, push with assumedMasterState) so RxDB's
// replicateRxCollection, or any other client, can speak it with plain fetch.

export type Role = 'province' | 'bureau' | 'schoolAdmin' | 'counselor' | 'inspector';

export const ROLE_LABELS: Record<Role, string> = {
  province: '省教育厅',
  bureau: '教育局',
  schoolAdmin: '学校学籍管理员',
  counselor: '辅导员/班主任',
  inspector: '督查人员',
};

/** The user as the server returns it at login and as scope checks see it. */
export type SyncUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgId: string;
  orgName: string;
  /** org path of the user's org, slash-terminated, e.g. "/41/4101/" */
  orgPath: string;
  /** counselor: the classes they hold (classId values of their school) */
  classIds: string[];
  /** inspector: 执法证号 */
  enforcementId?: string;
};

/**
 * A pull checkpoint: the server-assigned write sequence of the last document delivered.
 * Sequences are integers compared numerically (DESIGN.md pitfall: text ordering skips documents).
 */
export type SyncCheckpoint = { seq: number };

/** Every replicated document carries RxDB's deletion flag. */
export type SyncDoc = Record<string, unknown> & { _deleted?: boolean };

export type PullResponse<T = SyncDoc> = { documents: T[]; checkpoint: SyncCheckpoint | null };

export type PushRow<T = SyncDoc> = { assumedMasterState?: T | null; newDocumentState: T };

/**
 * Why the server did not take a pushed row. The master state returned for a refused row carries
 * it as `_refusal`, and the same refusal is stored as a `syncIssues` document of kind "refusal"
 * that the user pulls and the app shows on the record.
 */
export type Refusal = {
  /** stable machine code, e.g. OUT_OF_SCOPE, ROLE, KEY_FIELD, STATUS_FIELD, INVALID, R-ONE */
  code: string;
  /** readable Chinese message naming the record and the field */
  reason: string;
  field?: string;
  /** id of the syncIssues document that records this refusal */
  issueId: string;
};

/** The field name under which a refused row's master state carries its refusal. */
export const REFUSAL_FIELD = '_refusal';

/** Errors of the HTTP API: `{ "error": code, "message": Chinese text }`. */
export type ApiError = { error: string; message: string };

/** Typed sync failures a client maps to UI states (STYLE: typed sync errors). */
export type SyncErrorKind = 'network' | 'unauthorized' | 'forbidden' | 'passwordChange' | 'server';

export const SYNC_ERROR_MESSAGES: Record<SyncErrorKind, string> = {
  network: '无法连接服务器，修改已保存在本机，联网后自动同步',
  unauthorized: '登录已过期，请重新登录后继续同步',
  forbidden: '没有权限同步该数据',
  passwordChange: '密码已到期，请先修改密码再同步',
  server: '服务器出错，稍后自动重试',
};

/** Maps an HTTP status (0 = no response) to the typed sync error. */
export function syncErrorKind(status: number, code?: string): SyncErrorKind {
  if (status === 0) return 'network';
  if (status === 401) return 'unauthorized';
  if (status === 403) return code === 'PASSWORD_CHANGE_REQUIRED' ? 'passwordChange' : 'forbidden';
  return 'server';
}

/**
 * Parses the `checkpoint` query parameter strictly: absent, empty or `null` → from the beginning;
 * otherwise exactly `{"seq": n}` with n a non-negative safe integer. Anything else (`{"seq":true}`,
 * `{"seq":"1"}`, `{"seq":1,"x":0}`, `[1]`) is invalid: a checkpoint is never guessed.
 */
export function parseCheckpoint(raw: string | undefined | null): SyncCheckpoint | null | 'invalid' {
  if (raw === undefined || raw === null || raw === '' || raw === 'null') return null;
  if (raw.length > 64) return 'invalid';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'invalid';
  }
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'invalid';
  const keys = Object.keys(value);
  const seq = (value as { seq?: unknown }).seq;
  if (keys.length !== 1 || keys[0] !== 'seq' || typeof seq !== 'number') return 'invalid';
  return Number.isSafeInteger(seq) && seq >= 0 ? { seq } : 'invalid';
}

/** Parses a pull's `limit`: digits only, 1…max; absent → the default. */
export function parseLimit(raw: string | undefined, fallback: number, max: number): number | 'invalid' {
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d{0,6}$/.test(raw)) return 'invalid';
  const n = Number(raw);
  return n <= max ? n : 'invalid';
}

/** The most schools one pull may name (`schools=`). */
export const MAX_PULL_SCHOOLS = 5000;

/**
 * Parses a pull's `schools` parameter (a city's or the province's schools held offline): absent → null
 * (the whole scope); empty → no school; otherwise comma-separated org ids (letters, digits, `_.-`, at
 * most 40 each, at most MAX_PULL_SCHOOLS).
 */
export function parseSchools(raw: string | undefined): string[] | null | 'invalid' {
  if (raw === undefined) return null;
  if (raw === '') return [];
  const ids = raw.split(',');
  if (ids.length > MAX_PULL_SCHOOLS) return 'invalid';
  return ids.every((id) => /^[\w.-]{1,40}$/.test(id)) ? [...new Set(ids)] : 'invalid';
}

/** One school's figures in GET /api/orgs/stats (server/orgs/stats.ts). */
export type SchoolStats = {
  id: string;
  name: string;
  /** the server's path of the school (its place in the tree) */
  path: string;
  parentId: string | null;
  schoolType: 'vocational' | 'k12' | null;
  /** student records of the school, every status */
  students: number;
  /** 在校 and 休学 (on the school's roster) */
  onRoster: number;
  /** folders counted (on the roster or graduated) and those with every due part present */
  archive: { folders: number; complete: number };
  /** records of the school (students, their history, attachment records, sync issues), JSON bytes */
  bytes: number;
  /** the latest pull or push of any device of the school's users; null: never */
  lastSyncAt: string | null;
  /** the latest push (an upload of changes) */
  lastPushAt: string | null;
  /** requests waiting for a decision: filled by the workflow issue; null = not counted yet */
  pendingApprovals: number | null;
};

export type AreaStats = { orgId: string; at: string; schools: SchoolStats[] };
