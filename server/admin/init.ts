// A real deployment from zero (issue 11; docs/operations.md): `xueji admin init` creates the empty province
// and its first province administrator, who must change the password at first login; it refuses to run on
// a database that already holds an organisation, an account or the demo. The operator's two other commands
// add a province administrator and reset a password (when the only administrator is locked out). Every one
// of them is recorded in the audit as done by the operator at the command line.
import { usernameProblem } from '../../shared/admin/accounts';
import { divisionName } from '../../shared/domain/divisions';
import type { OrgDoc } from '../../shared/domain/schemas';
import type { SyncDoc } from '../../shared/sync/protocol';
import { passwordProblem } from '../../shared/validate/password';
import { Accounts, createUser, DEFAULT_AUTH_SETTINGS, hashPassword } from '../auth/accounts';
import type { Db } from '../store/db';
import { serverTransaction } from '../sync/store';
import { type AuditActor, recordAudit } from './audit';

/** A refusal of an operator command: one Chinese sentence, exit code 1. */
export class OperatorError extends Error {}

export type InitOptions = {
  provinceCode: string;
  /** the province as GB/T 2260 names it (河南省); checked against the code */
  provinceName: string;
  /** the org's own name; default “<province>教育厅” */
  orgName?: string;
  username: string;
  password: string;
  displayName?: string;
  now: Date;
};

const OPERATOR = (orgId: string): AuditActor => ({
  id: 'cli',
  name: '部署运维人员（命令行）',
  role: 'operator',
  orgId,
  orgPath: `/${orgId}/`,
});

function checkCredentials(username: string, password: string): void {
  const u = usernameProblem(username);
  if (u) throw new OperatorError(`--username：${u}`);
  const p = passwordProblem(password, { username });
  if (p) throw new OperatorError(`密码文件中的密码不符合要求：${p.replace(/^新密码/, '密码')}`);
}

/** What the database already holds, said in one sentence (null when it is empty). */
async function alreadyThere(db: Db): Promise<string | null> {
  const [org] = await db.query<{ id: string; name: string; kind: string }>(
    `select id, data->>'name' as name, data->>'kind' as kind from docs where collection = 'orgs' order by org_path limit 1`,
  );
  const [users] = await db.query<{ n: string }>('select count(*)::text as n from users');
  const [demo] = await db.query(`select 1 from server_settings where key = 'demo_seeded'`);
  if (demo)
    return '该数据库存放的是演示省份（xueji server --demo），不能再初始化为正式部署；请换一个空的数据目录或数据库';
  if (org || Number(users?.n ?? 0) > 0)
    return `该数据库已经初始化过${org ? `（已有单位“${org.name}”，代码 ${org.id}）` : ''}，共 ${users?.n ?? 0} 个账号，不能再次初始化。要增加省级管理员，请用 xueji admin add-admin`;
  return null;
}

/** Checks what init is given before any database is opened; returns the province's GB/T 2260 name. */
export function checkInitOptions(
  o: Pick<InitOptions, 'provinceCode' | 'provinceName' | 'username' | 'password'>,
): string {
  if (!/^\d{2}$/.test(o.provinceCode))
    throw new OperatorError('--province-code 应为 2 位省级行政区划代码（如河南 41）');
  const known = divisionName(o.provinceCode);
  if (!known) throw new OperatorError(`--province-code ${o.provinceCode} 不是省级行政区划代码（GB/T 2260）`);
  const name = o.provinceName.trim();
  if (!name || !(known === name || known.startsWith(name)))
    throw new OperatorError(
      `省级行政区划代码 ${o.provinceCode} 是“${known}”，与 --province-name “${name}”不符`,
    );
  checkCredentials(o.username, o.password);
  return known;
}

/** `xueji admin init`: the province org and its first administrator (must change the password at first login). */
export async function initProvince(
  db: Db,
  channel: string,
  o: InitOptions,
): Promise<{ org: OrgDoc; userId: string }> {
  const known = checkInitOptions(o);
  const orgName = (o.orgName?.trim() || `${known}教育厅`).slice(0, 100);
  const there = await alreadyThere(db);
  if (there) throw new OperatorError(there);
  const passwordHash = await hashPassword(o.password);
  const at = o.now.toISOString();
  const org: OrgDoc = {
    id: o.provinceCode,
    kind: 'province',
    name: orgName,
    path: `/${o.provinceCode}/`,
    updatedAt: at,
    updatedBy: 'cli',
  };
  return serverTransaction(db, channel, 'cli', async ({ tx, write }) => {
    // Checked again under the write lock: two operators running init at once create one province.
    const [other] = await tx.query(`select 1 from docs where collection = 'orgs' limit 1`);
    const [user] = await tx.query('select 1 from users limit 1');
    if (other || user) throw new OperatorError('该数据库刚被另一次初始化写入，不能再次初始化');
    await write('orgs', org as unknown as SyncDoc);
    const userId = await createUser(
      tx,
      {
        username: o.username,
        displayName: (o.displayName?.trim() || `${known}学籍管理员`).slice(0, 50),
        password: o.password,
        passwordHash,
        role: 'province',
        orgId: org.id,
        mustChangePassword: true,
        createdBy: 'cli',
      },
      o.now,
    );
    await tx.query(
      `insert into server_settings (key, value) values ('initialized_at', $1) on conflict (key) do nothing`,
      [at],
    );
    await recordAudit(tx, {
      action: 'admin-init',
      actor: OPERATOR(org.id),
      target: { kind: 'org', id: org.id, label: org.name, orgId: org.id, orgPath: org.path },
      after: { org: { id: org.id, name: org.name }, username: o.username, mustChangePassword: true },
      via: '命令行',
      at: o.now,
    });
    return { org, userId };
  });
}

async function province(db: Db): Promise<{ id: string; name: string }> {
  const [p] = await db.query<{ id: string; name: string }>(
    `select id, data->>'name' as name from docs where collection = 'orgs' and data->>'kind' = 'province' and not deleted
      order by id limit 1`,
  );
  if (!p) throw new OperatorError('该数据库尚未初始化：请先运行 xueji admin init');
  return p;
}

/** `xueji admin add-admin`: another province administrator (must change the password at first login). */
export async function addProvinceAdmin(
  db: Db,
  o: { username: string; password: string; displayName: string; now: Date },
): Promise<string> {
  const p = await province(db);
  checkCredentials(o.username, o.password);
  const [taken] = await db.query('select 1 from users where username = $1', [o.username]);
  if (taken) throw new OperatorError(`用户名“${o.username}”已被使用`);
  const name = o.displayName.trim();
  if (!name || name.length > 50) throw new OperatorError('--display-name 应为 1–50 个字');
  const passwordHash = await hashPassword(o.password);
  return db.transaction(async (tx) => {
    const id = await createUser(
      tx,
      {
        username: o.username,
        displayName: name,
        password: o.password,
        passwordHash,
        role: 'province',
        orgId: p.id,
        mustChangePassword: true,
        createdBy: 'cli',
      },
      o.now,
    );
    await recordAudit(tx, {
      action: 'user-create',
      actor: OPERATOR(p.id),
      target: { kind: 'user', id, label: `${name}（${o.username}）`, orgId: p.id, orgPath: `/${p.id}/` },
      after: { username: o.username, displayName: name, role: 'province', orgId: p.id },
      via: '命令行',
      at: o.now,
    });
    return id;
  });
}

/**
 * `xueji admin reset-password`: the operator sets a new password for any account (the only administrator
 * forgot theirs); the account must change it at the next login and every session of it ends now.
 */
export async function operatorResetPassword(
  db: Db,
  channel: string,
  o: { username: string; password: string; now: Date },
): Promise<void> {
  const [u] = await db.query<{ id: string; display_name: string; org_id: string; org_path: string | null }>(
    `select u.id, u.display_name, u.org_id, o.org_path from users u
       left join docs o on o.collection = 'orgs' and o.id = u.org_id where u.username = $1`,
    [o.username],
  );
  if (!u) throw new OperatorError(`没有用户名为“${o.username}”的账号`);
  const p = passwordProblem(o.password, { username: o.username });
  if (p) throw new OperatorError(`密码文件中的密码不符合要求：${p.replace(/^新密码/, '密码')}`);
  const accounts = new Accounts(db, () => o.now, DEFAULT_AUTH_SETTINGS, channel);
  const root = (u.org_path ?? `/${u.org_id}/`).split('/').filter(Boolean)[0] ?? u.org_id;
  await accounts.resetPassword(u.id, o.password, {
    mustChange: true,
    by: 'cli',
    inTx: (tx) =>
      recordAudit(tx, {
        action: 'user-reset-password',
        actor: OPERATOR(root),
        target: {
          kind: 'user',
          id: u.id,
          label: `${u.display_name}（${o.username}）`,
          orgId: u.org_id,
          orgPath: u.org_path ?? `/${u.org_id}/`,
        },
        after: { mustChangePassword: true, sessionsEnded: true },
        via: '命令行',
        at: o.now,
      }),
  });
}
