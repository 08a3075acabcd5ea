// Accounts (issue 11): list, create (one or a sheet's worth), edit, disable, enable and reset the password, each
// decided by the authority table's `users` row and the level rule of shared/admin/accounts.ts, validated by
// validateAccountInput, and recorded in the audit in the same transaction. Initial passwords are made here,
// returned once for the slip, and never stored or logged (only their argon2 hash).
import { randomBytes } from 'node:crypto';
import {
  ACCOUNT_EDITABLE_FIELDS,
  type AccountOrg,
  type AccountView,
  accountScope,
  decideAccountWrite,
  isSoundId,
  type NormalizedAccount,
  validateAccountInput,
} from '../../shared/admin/accounts';
import { auditDiff } from '../../shared/admin/audit';
import { decide } from '../../shared/authority/relation';
import type { OrgDoc, OrgKind } from '../../shared/domain/schemas';
import type { DrawInspector } from '../../shared/inspections/draw-input';
import type { Role, SyncUser } from '../../shared/sync/protocol';
import { initialPassword } from '../../shared/validate/password';
import { type Accounts, createUser, escapeLike, hashPassword } from '../auth/accounts';
import type { Db, Sql } from '../store/db';
import { actorOf, recordAudit } from './audit';
import { AdminError, notFound, type RowProblem } from './errors';

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  org_id: string;
  class_ids: string[];
  enforcement_id: string | null;
  conflict_school_ids: string[];
  disabled: boolean;
  must_change_password: boolean;
  password_changed_at: Date | string;
  created_at: Date | string;
  created_by: string | null;
  org_path: string | null;
  org_name: string | null;
  org_kind: OrgKind | null;
  last_seen_at: Date | string | null;
};

const USER_COLUMNS = `u.id, u.username, u.display_name, u.role, u.org_id, u.class_ids, u.enforcement_id,
  u.conflict_school_ids, u.disabled, u.must_change_password, u.password_changed_at, u.created_at, u.created_by,
  o.org_path, o.data->>'name' as org_name, o.data->>'kind' as org_kind,
  (select max(d.last_seen_at) from devices d where d.user_id = u.id) as last_seen_at`;
const USER_FROM = `from users u left join docs o on o.collection = 'orgs' and o.id = u.org_id`;

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function view(r: UserRow): AccountView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    orgId: r.org_id,
    orgName: r.org_name ?? r.org_id,
    orgPath: r.org_path ?? `/${r.org_id}/`,
    classIds: Array.isArray(r.class_ids) ? r.class_ids : [],
    enforcementId: r.enforcement_id,
    conflicts: Array.isArray(r.conflict_school_ids) ? r.conflict_school_ids : [],
    disabled: r.disabled,
    mustChangePassword: r.must_change_password,
    passwordChangedAt: iso(r.password_changed_at) ?? '',
    createdAt: iso(r.created_at) ?? '',
    createdBy: r.created_by,
    lastSeenAt: iso(r.last_seen_at),
  };
}

/** What the audit keeps of an account: its view without timestamps that change on their own. */
function auditView(a: AccountView): Record<string, unknown> {
  return {
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    orgId: a.orgId,
    classIds: a.classIds,
    enforcementId: a.enforcementId,
    conflicts: a.conflicts,
    disabled: a.disabled,
  };
}

async function loadRow(sql: Sql, id: string): Promise<UserRow | undefined> {
  const [r] = await sql.query<UserRow>(`select ${USER_COLUMNS} ${USER_FROM} where u.id = $1`, [id]);
  return r;
}

/** An account the actor may read, or 404 (the same whether it does not exist or lies outside their area). */
async function readable(sql: Sql, actor: SyncUser, id: string): Promise<UserRow & { org_path: string }> {
  // PostgreSQL refuses NUL: an id with a control character is simply not found.
  const r = isSoundId(id) ? await loadRow(sql, id) : undefined;
  if (!r?.org_path || !decide(actor, 'users', 'read', accountScope({ id: r.id, orgPath: r.org_path })).allow)
    throw notFound('account');
  return r as UserRow & { org_path: string };
}

async function loadOrg(sql: Sql, id: unknown): Promise<(AccountOrg & { doc: OrgDoc }) | undefined> {
  if (!isSoundId(id, 40)) return undefined;
  const [r] = await sql.query<{ data: OrgDoc; org_path: string }>(
    `select data, org_path from docs where collection = 'orgs' and id = $1 and not deleted`,
    [id],
  );
  return r
    ? {
        id: r.data.id,
        kind: r.data.kind,
        name: r.data.name,
        path: r.org_path,
        disabled: r.data.disabled === true,
        doc: r.data,
      }
    : undefined;
}

/** The classes of a school's roster (a counselor's classes are checked against them: a notice, not an error). */
async function schoolClasses(sql: Sql, schoolId: string): Promise<Set<string>> {
  const rows = await sql.query<{ class_id: string }>(
    `select distinct class_id from docs where collection = 'students' and school_id = $1 and not deleted
       and class_id is not null`,
    [schoolId],
  );
  return new Set(rows.map((r) => r.class_id));
}

/** Of the given ids, the schools in the area below `path` (an inspector's conflicts must be among them). */
async function schoolsIn(sql: Sql, path: string, ids: unknown): Promise<Map<string, string>> {
  const list = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string').slice(0, 500) : [];
  if (list.length === 0) return new Map();
  const rows = await sql.query<{ id: string; name: string }>(
    `select id, data->>'name' as name from docs where collection = 'orgs' and data->>'kind' = 'school'
       and not deleted and id = any($1::text[]) and org_path like $2`,
    [list, `${escapeLike(path)}%`],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type AccountListQuery = {
  orgId?: string;
  role?: string;
  q?: string;
  disabled?: boolean;
  offset: number;
  limit: number;
};

/**
 * The accounts the actor may read (the table's `users` read grants), filtered and paged. A school sees its own
 * staff only; a counselor or inspector only themselves. Filtering by an org outside the area gives nothing.
 */
export async function listAccounts(
  sql: Sql,
  actor: SyncUser,
  q: AccountListQuery,
): Promise<{ users: AccountView[]; total: number }> {
  const params: unknown[] = [`${escapeLike(actor.orgPath)}%`, actor.id];
  const where = ['(o.org_path like $1 or u.id = $2)'];
  if (q.orgId) {
    params.push(q.orgId);
    where.push(`u.org_id = $${params.length}`);
  }
  if (q.role) {
    params.push(q.role);
    where.push(`u.role = $${params.length}`);
  }
  if (q.disabled !== undefined) {
    params.push(q.disabled);
    where.push(`u.disabled = $${params.length}`);
  }
  if (q.q) {
    params.push(`%${escapeLike(q.q)}%`);
    where.push(`(u.username like $${params.length} or u.display_name like $${params.length})`);
  }
  // Reading is decided per row by the table (a school admin's subtree is only their own org, a counselor's
  // nothing but themselves); the SQL narrows to the actor's area first.
  const rows = await sql.query<UserRow>(
    `select ${USER_COLUMNS} ${USER_FROM} where ${where.join(' and ')} order by o.org_path, u.role, u.username`,
    params,
  );
  const visible = rows.filter(
    (r) =>
      r.org_path && decide(actor, 'users', 'read', accountScope({ id: r.id, orgPath: r.org_path })).allow,
  );
  return { users: visible.slice(q.offset, q.offset + q.limit).map(view), total: visible.length };
}

export async function getAccount(sql: Sql, actor: SyncUser, id: string): Promise<AccountView> {
  return view(await readable(sql, actor, id));
}

/** A new account and its initial password (shown once, for the slip). */
export type CreatedAccount = { user: AccountView; initialPassword: string; notices: string[] };

type Prepared = {
  account: NormalizedAccount;
  org: AccountOrg;
  password: string;
  hash: string;
  notices: string[];
};

/**
 * Creates accounts: one from the form, or a sheet's rows — all or nothing. Every row is decided and validated
 * first; when any is refused the answer names every refused row (index, field, message) and nothing is
 * written. Each account must change its initial password at first login (R-SECURE).
 */
export async function createAccounts(
  db: Db,
  actor: SyncUser,
  inputs: unknown[],
  now: Date,
  via?: string,
): Promise<CreatedAccount[]> {
  if (inputs.length === 0) throw new AdminError(400, 'BAD_REQUEST', '没有要开设的账号');
  if (inputs.length > 2000) throw new AdminError(400, 'TOO_MANY', '一次最多开设 2000 个账号，请分批导入');
  const problems: RowProblem[] = [];
  const prepared: (Omit<Prepared, 'password' | 'hash'> | null)[] = [];
  const usernames = new Map<string, number>();
  for (const [index, input] of inputs.entries()) {
    const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const org = await loadOrg(db, raw.orgId);
    if (!org || !decide(actor, 'orgs', 'read', { owner: { path: org.path } }).allow) {
      problems.push({
        index,
        field: 'orgId',
        code: 'NOT_FOUND',
        message: `找不到单位“${String(raw.orgId ?? '')}”，或它不在您的管辖范围内`,
      });
      prepared.push(null);
      continue;
    }
    const role = raw.role as Role;
    if (
      typeof raw.role === 'string' &&
      ['province', 'bureau', 'inspector', 'schoolAdmin', 'counselor'].includes(role)
    ) {
      const d = decideAccountWrite(actor, 'create', { role, orgPath: org.path, orgKind: org.kind });
      if (!d.allow) {
        problems.push({ index, field: 'role', code: d.code, message: d.reason });
        prepared.push(null);
        continue;
      }
    }
    const v = validateAccountInput(input, {
      org,
      knownClasses:
        org.kind === 'school' && role === 'counselor' ? await schoolClasses(db, org.id) : undefined,
      schoolsInArea: role === 'inspector' ? await schoolsIn(db, org.path, raw.conflicts) : undefined,
    });
    if (!v.ok) {
      for (const p of v.problems) problems.push({ index, ...p });
      prepared.push(null);
      continue;
    }
    const first = usernames.get(v.account.username);
    if (first !== undefined) {
      problems.push({
        index,
        field: 'username',
        code: 'DUPLICATE',
        message: `用户名“${v.account.username}”与第 ${first + 1} 个账号重复`,
      });
      prepared.push(null);
      continue;
    }
    usernames.set(v.account.username, index);
    prepared.push({ account: v.account, org, notices: v.notices });
  }
  const taken = new Set(
    (
      await db.query<{ username: string }>('select username from users where username = any($1::text[])', [
        [...usernames.keys()],
      ])
    ).map((r) => r.username),
  );
  for (const [name, index] of usernames)
    if (taken.has(name))
      problems.push({
        index,
        field: 'username',
        code: 'USERNAME_TAKEN',
        message: `用户名“${name}”已被使用，请换一个`,
      });
  if (problems.length > 0) {
    problems.sort((a, b) => a.index - b.index);
    const first = problems[0] as RowProblem;
    if (inputs.length === 1)
      throw new AdminError(
        first.code === 'USERNAME_TAKEN'
          ? 409
          : first.code === 'NOT_FOUND'
            ? 404
            : ['ROLE', 'LEVEL', 'ROLE_ORG', 'SELF', 'OUT_OF_SCOPE'].includes(first.code)
              ? 403
              : 400,
        first.code,
        first.message,
        first.field,
        problems,
      );
    throw new AdminError(
      400,
      'INVALID_ROWS',
      `有 ${new Set(problems.map((p) => p.index)).size} 个账号未通过检查，全部未开设`,
      undefined,
      problems,
    );
  }
  // argon2 outside the transaction (a sheet of 200 accounts takes a few seconds of hashing).
  const ready: Prepared[] = [];
  for (const p of prepared as Omit<Prepared, 'password' | 'hash'>[]) {
    const password = initialPassword(randomBytes(24));
    ready.push({ ...p, password, hash: await hashPassword(password) });
  }
  const ids = await db.transaction(async (tx) => {
    const out: string[] = [];
    for (const p of ready) {
      const a = p.account;
      const id = await createUser(
        tx,
        {
          username: a.username,
          displayName: a.displayName,
          password: p.password,
          passwordHash: p.hash,
          role: a.role,
          orgId: a.orgId,
          classIds: a.classIds,
          enforcementId: a.enforcementId ?? undefined,
          conflicts: a.conflicts,
          mustChangePassword: true,
          createdBy: actor.id,
        },
        now,
      );
      out.push(id);
      await recordAudit(tx, {
        action: 'user-create',
        actor: actorOf(actor),
        target: {
          kind: 'user',
          id,
          label: `${a.displayName}（${a.username}）`,
          orgId: p.org.id,
          orgPath: p.org.path,
        },
        after: { ...a },
        via,
        at: now,
      });
    }
    return out;
  });
  const created: CreatedAccount[] = [];
  for (const [i, id] of ids.entries()) {
    const r = (await loadRow(db, id)) as UserRow;
    created.push({
      user: view(r),
      initialPassword: (ready[i] as Prepared).password,
      notices: (ready[i] as Prepared).notices,
    });
  }
  return created;
}

/** An account the actor may read and change (the level rule), or the refusal. */
async function changeable(sql: Sql, actor: SyncUser, id: string) {
  const r = await readable(sql, actor, id);
  const d = decideAccountWrite(actor, 'update', {
    id: r.id,
    role: r.role,
    orgPath: r.org_path,
    orgKind: (r.org_kind ?? 'school') as OrgKind,
  });
  if (!d.allow) throw new AdminError(403, d.code, d.reason);
  return r;
}

/** Edits an account's name, classes (counselor), enforcement ID and conflicts (inspector). */
export async function updateAccount(
  db: Db,
  actor: SyncUser,
  id: string,
  input: unknown,
  now: Date,
): Promise<{ user: AccountView; notices: string[] }> {
  const r = await changeable(db, actor, id);
  const before = view(r);
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const org = (await loadOrg(db, r.org_id)) as AccountOrg;
  const v = validateAccountInput(input, {
    org,
    existing: before,
    knownClasses: r.role === 'counselor' ? await schoolClasses(db, r.org_id) : undefined,
    schoolsInArea: r.role === 'inspector' ? await schoolsIn(db, r.org_path, raw.conflicts) : undefined,
  });
  if (!v.ok) {
    const first = v.problems[0];
    throw new AdminError(
      first?.code === 'IMMUTABLE' ? 403 : 400,
      first?.code ?? 'INVALID',
      first?.message ?? '账号信息有误',
      first?.field,
    );
  }
  const a = v.account;
  await db.transaction(async (tx) => {
    await tx.query(
      `update users set display_name = $2, class_ids = $3::jsonb, enforcement_id = $4, conflict_school_ids = $5::jsonb,
         updated_at = $6, updated_by = $7 where id = $1`,
      [
        r.id,
        a.displayName,
        JSON.stringify(a.classIds),
        a.enforcementId,
        JSON.stringify(a.conflicts),
        now.toISOString(),
        actor.id,
      ],
    );
    const after = {
      ...before,
      displayName: a.displayName,
      classIds: a.classIds,
      enforcementId: a.enforcementId,
      conflicts: a.conflicts,
    };
    const diff = auditDiff(auditView(before), auditView(after));
    await recordAudit(tx, {
      action: 'user-update',
      actor: actorOf(actor),
      target: {
        kind: 'user',
        id: r.id,
        label: `${a.displayName}（${r.username}）`,
        orgId: r.org_id,
        orgPath: r.org_path,
      },
      before: diff.before,
      after: diff.after,
      at: now,
    });
  });
  return { user: view((await loadRow(db, r.id)) as UserRow), notices: v.notices };
}

/** Disables or re-enables an account; disabling ends every session and stream of it at once. */
export async function setAccountDisabled(
  db: Db,
  accounts: Accounts,
  actor: SyncUser,
  id: string,
  disabled: boolean,
  now: Date,
): Promise<AccountView> {
  const r = await changeable(db, actor, id);
  if (!disabled) {
    const org = await loadOrg(db, r.org_id);
    if (org?.disabled) throw new AdminError(400, 'ORG_DISABLED', `“${org.name}”已停用，其账号不能恢复启用`);
  }
  if (r.disabled !== disabled)
    await accounts.setDisabled(r.id, disabled, {
      by: actor.id,
      inTx: (tx) =>
        recordAudit(tx, {
          action: disabled ? 'user-disable' : 'user-enable',
          actor: actorOf(actor),
          target: {
            kind: 'user',
            id: r.id,
            label: `${r.display_name}（${r.username}）`,
            orgId: r.org_id,
            orgPath: r.org_path,
          },
          before: { disabled: r.disabled },
          after: { disabled },
          at: now,
        }),
    });
  return view((await loadRow(db, r.id)) as UserRow);
}

/**
 * A new initial password (returned once, for the slip): the user must change it at the next login, and every
 * session of theirs ends now (the same way a password change does).
 */
export async function resetAccountPassword(
  db: Db,
  accounts: Accounts,
  actor: SyncUser,
  id: string,
  now: Date,
): Promise<CreatedAccount> {
  const r = await changeable(db, actor, id);
  const password = initialPassword(randomBytes(24));
  await accounts.resetPassword(r.id, password, {
    mustChange: true,
    by: actor.id,
    inTx: (tx) =>
      recordAudit(tx, {
        action: 'user-reset-password',
        actor: actorOf(actor),
        target: {
          kind: 'user',
          id: r.id,
          label: `${r.display_name}（${r.username}）`,
          orgId: r.org_id,
          orgPath: r.org_path,
        },
        after: { mustChangePassword: true, sessionsEnded: true },
        at: now,
      }),
  });
  return { user: view((await loadRow(db, r.id)) as UserRow), initialPassword: password, notices: [] };
}

/**
 * The register of enforcement staff for the 双随机 draw (一单两库: 执法检查人员名录库): the enabled inspector
 * accounts the actor may read, with their 执法证号 and declared conflicts (R-INSP-2, R-INSP-RECUSE), in the
 * shape of the draw's input (shared/inspections/draw-input.ts).
 */
export async function inspectorPool(sql: Sql, actor: SyncUser): Promise<DrawInspector[]> {
  const { users } = await listAccounts(sql, actor, {
    role: 'inspector',
    disabled: false,
    offset: 0,
    limit: 100_000,
  });
  return users
    .filter((u) => u.id !== actor.id || actor.role === 'inspector')
    .map((u) => ({ id: u.id, name: u.displayName, enforcementId: u.enforcementId, conflicts: u.conflicts }));
}

export { ACCOUNT_EDITABLE_FIELDS };
