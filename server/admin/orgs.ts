// Organisations (issue 11): create (one from the form, or a sheet's rows that create or update by id), edit,
// disable and enable — decided by decideOrgWrite (the authority table's `orgs` row and the kinds each role
// administers), validated by validateOrgInput, written as the server in one transaction with a history event
// per org (orgs and their history replicate to every copy in scope) and an audit entry. Pushes of org
// documents are refused (shared/sync/rules.ts): this is the one way an org changes.
import { randomUUID } from 'node:crypto';
import { isSoundId } from '../../shared/admin/accounts';
import { auditDiff } from '../../shared/admin/audit';
import { decideOrgWrite, ORG_KIND_LABELS, type OrgProblem, validateOrgInput } from '../../shared/admin/orgs';
import { decide } from '../../shared/authority/relation';
import type { EventDoc, OrgDoc, OrgKind } from '../../shared/domain/schemas';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { Accounts } from '../auth/accounts';
import type { Db, Sql } from '../store/db';
import { REGISTRY } from '../sync/registry';
import { serverTransaction } from '../sync/store';
import { actorOf, recordAudit } from './audit';
import { AdminError, notFound, type RowProblem } from './errors';

type StoredOrg = OrgDoc & { path: string };

async function loadOrgs(sql: Sql, ids: string[]): Promise<Map<string, StoredOrg>> {
  const list = [...new Set(ids.filter((id) => isSoundId(id, 40)))];
  if (list.length === 0) return new Map();
  const rows = await sql.query<{ data: OrgDoc & { _deleted?: boolean }; org_path: string }>(
    `select data, org_path from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
    [list],
  );
  return new Map(
    rows.map((r) => {
      const { _deleted, ...data } = r.data;
      return [data.id, { ...data, path: r.org_path }];
    }),
  );
}

const readableOrg = (user: SyncUser, org: { path: string }) =>
  decide(user, 'orgs', 'read', { owner: { path: org.path } }).allow;

function event(
  org: OrgDoc,
  user: SyncUser,
  at: string,
  action: string,
  before: object,
  after: object,
): SyncDoc {
  const e: EventDoc = {
    id: `org-${randomUUID()}`,
    schoolId: org.id,
    entity: 'org',
    entityId: org.id,
    action,
    at,
    by: user.id,
    byName: user.displayName.slice(0, 50),
    before: before as Record<string, unknown>,
    after: after as Record<string, unknown>,
  };
  return e as unknown as SyncDoc;
}

/** The stored document, checked against the org schema (the same one every copy validates with). */
function checked(doc: OrgDoc): SyncDoc {
  const orgs = REGISTRY.get('orgs');
  if (orgs && !orgs.validate(doc)) {
    const err = orgs.validate.errors?.[0];
    throw new AdminError(
      400,
      'INVALID',
      `单位信息超出允许的范围（${err?.instancePath || err?.message || '格式'}）`,
    );
  }
  return doc as unknown as SyncDoc;
}

type Planned = {
  index: number;
  doc: OrgDoc;
  before: StoredOrg | null;
  notices: string[];
};

export type OrgWriteResult = { org: OrgDoc; created: boolean; notices: string[] };

/**
 * Creates or updates orgs: the form's one, or a sheet's rows (an id already stored is an update of it, a new
 * id a new org; a row may name as parent an org created by an earlier row). All or nothing: when any row is
 * refused, every refused row is named (index, field, message) and nothing is written.
 */
export async function writeOrgs(
  db: Db,
  channel: string,
  actor: SyncUser,
  inputs: unknown[],
  now: Date,
  o: { mode: 'create' | 'update' | 'upsert'; via?: string; updateId?: string },
): Promise<OrgWriteResult[]> {
  if (inputs.length === 0) throw new AdminError(400, 'BAD_REQUEST', '没有要保存的单位');
  if (inputs.length > 5000) throw new AdminError(400, 'TOO_MANY', '一次最多导入 5000 个单位，请分批导入');
  const raws = inputs.map((i) =>
    typeof i === 'object' && i !== null && !Array.isArray(i) ? (i as Record<string, unknown>) : {},
  );
  const idOf = (r: Record<string, unknown>) => (typeof r.id === 'string' ? r.id.trim() : '');
  const ids = raws.map((r, i) => (o.mode === 'update' && i === 0 ? (o.updateId ?? '') : idOf(r)));
  const stored = await loadOrgs(db, [
    ...ids,
    ...raws.map((r) => (typeof r.parentId === 'string' ? r.parentId : '')),
  ]);
  // Parents of stored orgs, for edits (an edit validates against the org's own parent).
  const parents = await loadOrgs(
    db,
    [...stored.values()].map((x) => x.parentId ?? ''),
  );
  for (const [k, v] of parents) stored.set(k, v);
  const codes = raws
    .map((r) =>
      typeof r.creditCode === 'string' ? r.creditCode.replace(/[\s\u3000-]/g, '').toUpperCase() : '',
    )
    .filter((c) => c.length === 18);
  const holders = new Map<string, { id: string; path: string; name: string }>();
  if (codes.length > 0)
    for (const r of await db.query<{ id: string; name: string; org_path: string; code: string }>(
      `select id, data->>'name' as name, org_path, data->>'creditCode' as code from docs
        where collection = 'orgs' and not deleted and data->>'creditCode' = any($1::text[])`,
      [codes],
    ))
      holders.set(r.code, { id: r.id, path: r.org_path, name: r.name });

  const problems: RowProblem[] = [];
  const planned: Planned[] = [];
  const pending = new Map<string, StoredOrg>();
  const batchCodes = new Map<string, { id: string; name: string; index: number }>();
  const add = (index: number, list: OrgProblem[]) => {
    for (const p of list) problems.push({ index, ...p });
  };
  for (const [index, raw] of raws.entries()) {
    const id = ids[index] as string;
    const existing = stored.get(id) ?? pending.get(id) ?? null;
    const isUpdate = o.mode === 'update' || (o.mode === 'upsert' && existing !== null && !pending.has(id));
    if (o.mode === 'update' && (!existing || !readableOrg(actor, existing))) throw notFound('org');
    if (isUpdate && existing) {
      if (!readableOrg(actor, existing)) {
        add(index, [
          { field: 'id', code: 'NOT_FOUND', message: `找不到单位“${id}”，或它不在您的管辖范围内` },
        ]);
        continue;
      }
      const d = decideOrgWrite(actor, 'update', { kind: existing.kind, path: existing.path });
      if (!d.allow) {
        if (o.mode === 'update') throw new AdminError(403, d.code, d.reason);
        add(index, [{ field: 'id', code: d.code, message: d.reason }]);
        continue;
      }
    }
    const parentId = isUpdate
      ? (existing?.parentId ?? '')
      : typeof raw.parentId === 'string'
        ? raw.parentId.trim()
        : '';
    const parent = pending.get(parentId) ?? stored.get(parentId);
    if (!parent || !readableOrg(actor, parent)) {
      add(index, [
        {
          field: 'parentId',
          code: 'NOT_FOUND',
          message: parentId ? `找不到上级单位“${parentId}”，或它不在您的管辖范围内` : '请选择上级单位',
        },
      ]);
      continue;
    }
    // A new org whose id is taken is told so by validateOrgInput (idTaken), never which org holds it.
    if (!isUpdate) {
      const kind = raw.kind as OrgKind;
      if (kind === 'city' || kind === 'county' || kind === 'school') {
        const d = decideOrgWrite(actor, 'create', { kind, path: `${parent.path}${id || 'new'}/` });
        if (!d.allow) {
          if (raws.length === 1)
            throw new AdminError(d.code === 'OUT_OF_SCOPE' ? 404 : 403, d.code, d.reason, 'parentId');
          add(index, [{ field: 'parentId', code: d.code, message: d.reason }]);
          continue;
        }
      }
    }
    const v = validateOrgInput(raw, {
      parent,
      existing: isUpdate ? existing : null,
      idTaken: (x) => stored.has(x) || pending.has(x),
      creditCodeHolder: (code) => {
        const inBatch = batchCodes.get(code);
        if (inBatch) return { id: inBatch.id, name: `${inBatch.name}（本表第 ${inBatch.index + 1} 个）` };
        const h = holders.get(code);
        return h ? { id: h.id, ...(readableOrg(actor, h) ? { name: h.name } : {}) } : undefined;
      },
    });
    if (!v.ok) {
      add(index, v.problems);
      continue;
    }
    const path = isUpdate && existing ? existing.path : `${parent.path}${v.doc.id}/`;
    const doc: OrgDoc = { ...v.doc, path, updatedAt: now.toISOString(), updatedBy: actor.id };
    if (doc.creditCode) batchCodes.set(doc.creditCode, { id: doc.id, name: doc.name, index });
    if (!isUpdate) pending.set(doc.id, doc);
    planned.push({ index, doc, before: isUpdate ? existing : null, notices: v.notices });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.index - b.index);
    const first = problems[0] as RowProblem;
    if (raws.length === 1)
      throw new AdminError(
        first.code === 'NOT_FOUND' ? 404 : 400,
        first.code,
        first.message,
        first.field,
        problems,
      );
    throw new AdminError(
      400,
      'INVALID_ROWS',
      `有 ${new Set(problems.map((p) => p.index)).size} 行未通过检查，全部未保存`,
      undefined,
      problems,
    );
  }
  const at = now.toISOString();
  return serverTransaction(db, channel, actor.id, async ({ tx, read, write }) => {
    const out: OrgWriteResult[] = [];
    for (const p of planned) {
      // What was checked must still be so under the write lock (another administrator may have been faster).
      const current = await read('orgs', p.doc.id);
      const stale = p.before
        ? !current || String(current.data.updatedAt) !== String(p.before.updatedAt)
        : current !== null;
      if (stale)
        throw new AdminError(
          409,
          'CHANGED',
          `单位“${p.doc.name}”刚被其他管理员修改或登记，请重新打开后再保存`,
        );
      const written = (await write('orgs', checked(p.doc))) as unknown as OrgDoc;
      const beforeDoc = p.before ? stripMeta(p.before) : {};
      const diff = auditDiff(beforeDoc, stripMeta(written));
      const action = p.before ? 'org-update' : 'org-create';
      await write('events', event(written, actor, at, action, diff.before, diff.after));
      await recordAudit(tx, {
        action: p.before ? 'org-update' : 'org-create',
        actor: actorOf(actor),
        target: {
          kind: 'org',
          id: written.id,
          label: written.name,
          orgId: written.id,
          orgPath: written.path,
        },
        before: p.before ? diff.before : undefined,
        after: diff.after,
        via: o.via,
        at: now,
      });
      out.push({ org: written, created: !p.before, notices: p.notices });
    }
    return out;
  });
}

function stripMeta(o: Partial<OrgDoc>): Record<string, unknown> {
  const {
    path: _p,
    updatedAt: _u,
    updatedBy: _b,
    _deleted,
    ...rest
  } = o as Partial<OrgDoc> & { _deleted?: boolean };
  return rest;
}

/**
 * An org closes: it is disabled, never deleted (its records stay), and its accounts are disabled with it
 * (their sessions end). Refused while an org below it is still open, or while a school still has students on
 * its roster (they transfer first). Re-enabling an org does not re-enable its accounts: that is done one by one.
 */
export async function setOrgDisabled(
  db: Db,
  channel: string,
  accounts: Accounts,
  actor: SyncUser,
  id: string,
  disabled: boolean,
  reason: string | undefined,
  now: Date,
): Promise<OrgDoc> {
  const org = (await loadOrgs(db, [id])).get(id);
  if (!org || !readableOrg(actor, org)) throw notFound('org');
  const d = decideOrgWrite(actor, 'update', { kind: org.kind, path: org.path });
  if (!d.allow) throw new AdminError(403, d.code, d.reason);
  if (org.disabled === disabled) return org;
  if (disabled) {
    const [open] = await db.query<{ n: string }>(
      `select count(*)::text as n from docs where collection = 'orgs' and not deleted and data->>'parentId' = $1
         and coalesce((data->>'disabled')::boolean, false) = false`,
      [id],
    );
    if (Number(open?.n ?? 0) > 0)
      throw new AdminError(
        400,
        'HAS_OPEN_CHILDREN',
        `“${org.name}”下还有 ${open?.n} 个未停用的下级单位，请先停用或调整它们`,
      );
    if (org.kind === 'school') {
      const [students] = await db.query<{ n: string }>(
        `select count(*)::text as n from docs where collection = 'students' and school_id = $1 and not deleted
           and data->>'status' in ('enrolled', 'suspended')`,
        [id],
      );
      if (Number(students?.n ?? 0) > 0)
        throw new AdminError(
          400,
          'HAS_STUDENTS',
          `“${org.name}”还有 ${students?.n} 名在籍学生（在校或休学），须先办理转出等学籍异动，才能停用学校`,
        );
    }
  } else {
    const parent = org.parentId ? (await loadOrgs(db, [org.parentId])).get(org.parentId) : undefined;
    if (parent?.disabled)
      throw new AdminError(400, 'PARENT_DISABLED', `上级单位“${parent.name}”已停用，须先恢复上级单位`);
  }
  const text = typeof reason === 'string' ? reason.trim().slice(0, 200) : '';
  const users = await db.query<{ id: string; username: string; display_name: string }>(
    'select id, username, display_name from users where org_id = $1 and not disabled',
    [id],
  );
  const at = now.toISOString();
  return serverTransaction(db, channel, actor.id, async ({ tx, read, write }) => {
    const current = await read('orgs', id);
    if (!current) throw notFound('org');
    const { _deleted, ...data } = current.data as SyncDoc;
    const next = { ...(data as unknown as OrgDoc), disabled, updatedAt: at, updatedBy: actor.id };
    if (!disabled) delete (next as Partial<OrgDoc>).disabled;
    const written = (await write('orgs', checked({ ...next, path: current.orgPath }))) as unknown as OrgDoc;
    const action = disabled ? 'org-disable' : 'org-enable';
    await write(
      'events',
      event(
        written,
        actor,
        at,
        action,
        { disabled: !disabled },
        { disabled, ...(text ? { reason: text } : {}) },
      ),
    );
    await recordAudit(tx, {
      action,
      actor: actorOf(actor),
      target: { kind: 'org', id, label: org.name, orgId: id, orgPath: org.path },
      before: { disabled: !disabled },
      after: {
        disabled,
        ...(text ? { reason: text } : {}),
        ...(disabled ? { accountsDisabled: users.length } : {}),
      },
      at: now,
    });
    if (disabled)
      for (const u of users)
        await accounts.setDisabled(u.id, true, {
          tx,
          by: actor.id,
          inTx: (t) =>
            recordAudit(t, {
              action: 'user-disable',
              actor: actorOf(actor),
              target: {
                kind: 'user',
                id: u.id,
                label: `${u.display_name}（${u.username}）`,
                orgId: id,
                orgPath: org.path,
              },
              before: { disabled: false },
              after: { disabled: true, reason: `所属单位“${org.name}”停用` },
              via: '单位停用',
              at: now,
            }),
        });
    return written;
  });
}

export { ORG_KIND_LABELS };
