// The record of administrative writes (R-WHO, YQ 四(三): 谁采集、谁录入、谁审核、谁负责): who did what to
// which organisation, account, device or setting, when, and the values before and after — never a password
// or its hash. The server writes an entry in the same transaction as the change; the audit list shows them
// to the level above (the authority table's `adminAudit` row).
import type { RowScope } from '../authority/relation';
import type { Role } from '../sync/protocol';

export const AUDIT_ACTIONS = {
  'admin-init': '初始化部署（创建省级单位和首个管理员）',
  'org-create': '新设单位',
  'org-update': '修改单位信息',
  'org-disable': '停用单位',
  'org-enable': '恢复启用单位',
  'user-create': '开设账号',
  'user-update': '修改账号',
  'user-disable': '停用账号',
  'user-enable': '恢复启用账号',
  'user-reset-password': '重置密码',
  'device-revoke': '停用登录设备',
  'settings-rules': '修改规则设置',
  'settings-key-fields': '修改关键字段',
  'settings-calendar': '修改工作日调整',
  'settings-term': '设置学期日期',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export type AuditTargetKind = 'org' | 'user' | 'device' | 'settings';

export const AUDIT_TARGET_LABELS: Record<AuditTargetKind, string> = {
  org: '单位',
  user: '账号',
  device: '设备',
  settings: '设置',
};

/** One entry as the audit API returns it. */
export type AuditEntry = {
  id: number;
  at: string;
  action: AuditAction;
  /** who acted: an account, or the operator's command line (`xueji admin …`) */
  actor: { id: string; name: string; role: Role | 'operator'; orgId: string; orgName: string };
  target: { kind: AuditTargetKind; id: string; label: string; orgId: string; orgName: string };
  /** the values before and after (changed fields only for edits); never secrets */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** how it was done, e.g. "表格导入" or "命令行" */
  via: string | null;
};

/** Keys that never enter an audit entry, at any depth: what would let someone log in or sign tokens. */
const SECRET_KEYS = /password|secret|token|hash|credential/i;

/** A value for an audit entry: secrets dropped, bounded in depth and size. */
export function auditValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.slice(0, 500);
  if (depth >= 4 || typeof value !== 'object') return null;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => auditValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 100)) {
    if (SECRET_KEYS.test(k) || v === undefined) continue;
    out[k] = auditValue(v, depth + 1);
  }
  return out;
}

/**
 * The fields that differ between two states (the entry of an edit shows what changed, not everything), with
 * secrets removed.
 */
export function auditDiff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (SECRET_KEYS.test(k) || k === 'updatedAt' || k === 'updatedBy') continue;
    if (JSON.stringify(before[k] ?? null) === JSON.stringify(after[k] ?? null)) continue;
    b[k] = auditValue(before[k] ?? null);
    a[k] = auditValue(after[k] ?? null);
  }
  return { before: b, after: a };
}

/**
 * The scope of an entry: it belongs to the org of whoever acted, and the org acted on is another party, so
 * a county sees its own and its schools' entries and what the levels above did to it (the table's grants).
 */
export function auditScope(actorOrgPath: string, targetOrgPath: string): RowScope {
  return {
    owner: { path: actorOrgPath },
    ...(targetOrgPath && targetOrgPath !== actorOrgPath ? { parties: [{ path: targetOrgPath }] } : {}),
  };
}
