// Pieces the administration screens share: the notice when administration cannot be done here (no provincial
// account, offline), labels of orgs and accounts, and the tree of orgs this copy holds.
import { Alert } from 'antd';
import type { ReactNode } from 'react';
import { ORG_KIND_LABELS, OWNERSHIP_LABELS, SCHOOL_LEVEL_LABELS } from '../../../../shared/admin/orgs';
import type { OrgDoc } from '../../../../shared/domain/schemas';
import { ROLE_LABELS, type Role } from '../../../../shared/sync/protocol';
import { href } from '../../app/router';
import type { AdminSession } from './use-admin';
import './admin.css';

/** Administration happens on the provincial server: say why it cannot be done here, or show the screen. */
export function OnlineOnly({ session, children }: { session: AdminSession; children: ReactNode }) {
  if (!session.account)
    return (
      <Alert
        type="info"
        showIcon
        data-testid="admin-no-account"
        title="尚未登录省级平台"
        description={
          <span>
            单位、账号、登录设备和操作记录由省级平台管理，须先<a href={href('/sync')}>登录省级平台</a>。
          </span>
        }
      />
    );
  return (
    <>
      {!session.online || !session.api ? (
        <Alert
          type="warning"
          showIcon
          data-testid="admin-offline"
          title="当前无法连接省级平台"
          description="单位和账号的管理须联网完成（由省级平台校验并记录）；联网后可继续操作。"
          style={{ marginBottom: 8 }}
        />
      ) : null}
      {children}
    </>
  );
}

export const roleLabel = (role: string) => ROLE_LABELS[role as Role] ?? '其他角色';

/** "普通高中 · 公办 · 3 年制 · 省级示范校" */
export function schoolSummary(o: OrgDoc): string {
  if (o.kind !== 'school') return ORG_KIND_LABELS[o.kind];
  return [
    o.level ? SCHOOL_LEVEL_LABELS[o.level] : '学段未登记',
    o.ownership ? OWNERSHIP_LABELS[o.ownership] : null,
    o.schoolingYears ? `${o.schoolingYears} 年制` : null,
    o.provincialModel ? '省级示范校' : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

export type OrgNode = { org: OrgDoc; children: OrgNode[]; schools: number };

const KIND_ORDER = { province: 0, city: 1, county: 2, school: 3 } as const;

/** The orgs as a tree by parent (an org whose parent this copy does not hold is a root), sorted by code. */
export function orgTree(orgs: readonly OrgDoc[]): OrgNode[] {
  const nodes = new Map(orgs.map((o) => [o.id, { org: o, children: [] as OrgNode[], schools: 0 }]));
  const roots: OrgNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.org.parentId ? nodes.get(n.org.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const sort = (list: OrgNode[]): number => {
    list.sort(
      (a, b) => KIND_ORDER[a.org.kind] - KIND_ORDER[b.org.kind] || a.org.id.localeCompare(b.org.id, 'zh-CN'),
    );
    let schools = 0;
    for (const n of list) {
      n.schools = (n.org.kind === 'school' ? 1 : 0) + sort(n.children);
      schools += n.schools;
    }
    return schools;
  };
  sort(roots);
  return roots;
}

export const localDateTime = (iso: string | null | undefined) => {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};
