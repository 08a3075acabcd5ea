// The sync state as the screens see it, and its header label. Pure, so the mapping from typed errors to
// UI states is tested without a browser.
import type { SyncErrorKind } from '../../../shared/sync/protocol';

export type SyncPhase =
  | 'never' // no account: this machine has never logged in to a provincial server
  | 'starting'
  | 'syncing'
  | 'synced'
  | 'offline' // no network, or the server cannot be reached
  | 'expired' // the login has expired and cannot be refreshed
  | 'passwordChange'
  | 'forbidden'
  | 'error'; // the server answered with an error; retried later

/** Collections whose pending uploads the header counts (every edit also carries its history event). */
export const HEADER_COUNTED = ['students', 'syncIssues', 'attachments'] as const;

export const COLLECTION_LABELS: Record<string, string> = {
  students: '学生信息',
  events: '修改记录',
  orgs: '单位信息',
  syncIssues: '冲突与退回',
  attachments: '附件信息',
};

export type SyncProgress = {
  /** the first full download of the school is running */
  initial: boolean;
  /** documents received in this run, by collection */
  pulled: Record<string, number>;
  /** the server's total when it offers one (it does not yet: the bar then counts documents so far) */
  total: number | null;
};

export type SyncStatus = {
  phase: SyncPhase;
  serverUrl: string | null;
  user: { username: string; displayName: string; role: string; orgName: string } | null;
  online: boolean;
  lastSyncAt: string | null;
  pending: Record<string, number>;
  error: { kind: SyncErrorKind; message: string; at: string } | null;
  progress: SyncProgress;
};

export const NEVER: SyncStatus = {
  phase: 'never',
  serverUrl: null,
  user: null,
  online: true,
  lastSyncAt: null,
  pending: {},
  error: null,
  progress: { initial: false, pulled: {}, total: null },
};

export function pendingTotal(pending: Record<string, number>, only?: readonly string[]): number {
  return Object.entries(pending)
    .filter(([c]) => !only || only.includes(c))
    .reduce((n, [, v]) => n + v, 0);
}

export function phaseOfError(kind: SyncErrorKind): SyncPhase {
  switch (kind) {
    case 'network':
      return 'offline';
    case 'unauthorized':
      return 'expired';
    case 'passwordChange':
      return 'passwordChange';
    case 'forbidden':
      return 'forbidden';
    case 'server':
      return 'error';
  }
}

/** HH:mm in the machine's local time. */
export function clock(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export type HeaderState = { label: string; tone: 'default' | 'processing' | 'success' | 'warning' | 'error' };

export function headerState(s: SyncStatus): HeaderState {
  const n = pendingTotal(s.pending, HEADER_COUNTED);
  switch (s.phase) {
    case 'never':
      return { label: '未连接省级平台', tone: 'default' };
    case 'starting':
    case 'syncing':
      return { label: '同步中…', tone: 'processing' };
    case 'synced':
      return s.lastSyncAt
        ? { label: `已同步 ${clock(s.lastSyncAt)}`, tone: 'success' }
        : { label: '同步中…', tone: 'processing' };
    case 'offline':
      return { label: n > 0 ? `离线（${n} 项待上传）` : '离线', tone: 'warning' };
    case 'expired':
      return { label: '登录已过期', tone: 'error' };
    case 'passwordChange':
      return { label: '密码已到期', tone: 'error' };
    case 'forbidden':
      return { label: '无同步权限', tone: 'error' };
    case 'error':
      return { label: '同步出错', tone: 'error' };
  }
}
