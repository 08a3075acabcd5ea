// The record of administrative writes (R-WHO; shared/admin/audit.ts): written in the transaction of the change
// it records, read through GET /api/admin/audit filtered like a pull (the entry's scope keys meet the reader's
// read keys of the authority table's `adminAudit` row).

import {
  type AuditAction,
  type AuditEntry,
  type AuditTargetKind,
  auditScope,
  auditValue,
} from '../../shared/admin/audit';
import { decide, readKeys, scopeKeys } from '../../shared/authority/relation';
import type { Role, SyncUser } from '../../shared/sync/protocol';
import type { Sql } from '../store/db';

/** Who acted: a signed-in user, or the operator at the command line (`xueji admin …`). */
export type AuditActor = {
  id: string;
  name: string;
  role: Role | 'operator';
  orgId: string;
  orgPath: string;
};

export const actorOf = (user: SyncUser): AuditActor => ({
  id: user.id,
  name: user.displayName,
  role: user.role,
  orgId: user.orgId,
  orgPath: user.orgPath,
});

export type AuditRecord = {
  action: AuditAction;
  actor: AuditActor;
  target: { kind: AuditTargetKind; id: string; label: string; orgId: string; orgPath: string };
  before?: unknown;
  after?: unknown;
  via?: string;
  at: Date;
};

/** Writes one entry in the caller's transaction; secrets are dropped from before and after. */
export async function recordAudit(tx: Sql, r: AuditRecord): Promise<void> {
  const scope = auditScope(r.actor.orgPath, r.target.orgPath);
  await tx.query(
    `insert into admin_audit (at, action, actor_id, actor_name, actor_role, actor_org_id, target_kind, target_id,
       target_label, target_org_id, before, after, via, scope, scope_keys)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::jsonb,$12::jsonb,$13,$14::jsonb,$15::text[])`,
    [
      r.at.toISOString(),
      r.action,
      r.actor.id,
      r.actor.name.slice(0, 100),
      r.actor.role,
      r.actor.orgId,
      r.target.kind,
      r.target.id,
      r.target.label.slice(0, 200),
      r.target.orgId,
      r.before === undefined ? null : JSON.stringify(auditValue(r.before)),
      r.after === undefined ? null : JSON.stringify(auditValue(r.after)),
      r.via ?? null,
      JSON.stringify(scope),
      scopeKeys(scope),
    ],
  );
}

export type AuditQuery = {
  offset: number;
  limit: number;
  action?: string;
  targetKind?: string;
  targetId?: string;
};

type AuditRow = {
  id: string;
  at: Date | string;
  action: AuditAction;
  actor_id: string;
  actor_name: string;
  actor_role: Role | 'operator';
  actor_org_id: string;
  target_kind: AuditTargetKind;
  target_id: string;
  target_label: string;
  target_org_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  via: string | null;
  scope: ReturnType<typeof auditScope>;
  total: string;
  actor_org_name: string | null;
  target_org_name: string | null;
};

/** The entries a user may read, newest first, with the total for paging (empty for roles without a grant). */
export async function listAudit(
  sql: Sql,
  user: SyncUser,
  q: AuditQuery,
): Promise<{ entries: AuditEntry[]; total: number }> {
  const keys = readKeys(user, 'adminAudit');
  if (keys.length === 0) return { entries: [], total: 0 };
  const params: unknown[] = [keys, q.limit, q.offset];
  const where = ['a.scope_keys && $1::text[]'];
  if (q.action) {
    params.push(q.action);
    where.push(`a.action = $${params.length}`);
  }
  if (q.targetKind) {
    params.push(q.targetKind);
    where.push(`a.target_kind = $${params.length}`);
  }
  if (q.targetId) {
    params.push(q.targetId);
    where.push(`a.target_id = $${params.length}`);
  }
  const rows = await sql.query<AuditRow>(
    `select a.*, count(*) over ()::text as total, ao.data->>'name' as actor_org_name, t.data->>'name' as target_org_name
       from admin_audit a
       left join docs ao on ao.collection = 'orgs' and ao.id = a.actor_org_id
       left join docs t on t.collection = 'orgs' and t.id = a.target_org_id
      where ${where.join(' and ')}
      order by a.id desc limit $2 offset $3`,
    params,
  );
  const entries: AuditEntry[] = [];
  for (const r of rows) {
    // The keys are the table's decision; decide() once more per row keeps a mistake in one from showing more.
    if (!decide(user, 'adminAudit', 'read', r.scope).allow) continue;
    entries.push({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      action: r.action,
      actor: {
        id: r.actor_id,
        name: r.actor_name,
        role: r.actor_role,
        orgId: r.actor_org_id,
        orgName: r.actor_org_name ?? r.actor_org_id,
      },
      target: {
        kind: r.target_kind,
        id: r.target_id,
        label: r.target_label,
        orgId: r.target_org_id,
        orgName: r.target_org_name ?? r.target_org_id,
      },
      before: r.before,
      after: r.after,
      via: r.via,
    });
  }
  return { entries, total: Number(rows[0]?.total ?? 0) };
}
