// The administration API (issue 11; docs/sync-api.md "Administration"): organisations, accounts, the
// inspector register and the audit list. Every route needs a signed-in user whose password is not due
// (requireSync), decides with the authority table and shared/admin, and answers refusals as
// `{ error, message, field?, rows? }` in Chinese — never a stack trace, never a record outside the caller's area.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AUDIT_ACTIONS } from '../../shared/admin/audit';
import { ROLES } from '../../shared/authority/table';
import type { Accounts } from '../auth/accounts';
import { authOf } from '../request';
import type { Db } from '../store/db';
import { listAudit } from './audit';
import { AdminError } from './errors';
import { setOrgDisabled, writeOrgs } from './orgs';
import {
  createAccounts,
  getAccount,
  inspectorPool,
  listAccounts,
  resetAccountPassword,
  setAccountDisabled,
  updateAccount,
} from './users';

type Options = {
  db: Db;
  channel: string;
  accounts: Accounts;
  requireAuth: (request: FastifyRequest) => Promise<void>;
  now: () => Date;
};

function objectBody(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new AdminError(400, 'BAD_REQUEST', '请求内容应为 JSON 对象');
  return b as Record<string, unknown>;
}

function listBody(request: FastifyRequest, key: 'users' | 'orgs'): unknown[] {
  const list = objectBody(request)[key];
  if (!Array.isArray(list)) throw new AdminError(400, 'BAD_REQUEST', `请求内容应为 {"${key}": [...]}`, key);
  return list;
}

/** offset/limit of a list: digits only, bounded. */
function paging(q: Record<string, unknown>, max = 500): { offset: number; limit: number } {
  const num = (v: unknown, fallback: number, hi: number, name: string) => {
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !/^\d{1,7}$/.test(v) || Number(v) > hi)
      throw new AdminError(400, 'BAD_QUERY', `${name} 应为 0 到 ${hi} 之间的整数`, name);
    return Number(v);
  };
  return {
    offset: num(q.offset, 0, 10_000_000, 'offset'),
    limit: Math.max(1, num(q.limit, 100, max, 'limit')),
  };
}

const shortText = (v: unknown, name: string, max = 100): string | undefined => {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max)
    throw new AdminError(400, 'BAD_QUERY', `${name} 应为不超过 ${max} 字的文字`, name);
  return v;
};

export function registerAdminRoutes(app: FastifyInstance, o: Options): void {
  const guard =
    <T>(fn: (request: FastifyRequest, reply: FastifyReply) => Promise<T>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await fn(request, reply);
      } catch (e) {
        if (e instanceof AdminError) return reply.code(e.status).send(e.body());
        throw e;
      }
    };
  const pre = { preHandler: o.requireAuth };
  const idParam = (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    return id;
  };

  // ---- accounts ---------------------------------------------------------------------------------
  app.get(
    '/api/admin/users',
    pre,
    guard(async (request) => {
      const q = (request.query ?? {}) as Record<string, unknown>;
      const role = shortText(q.role, 'role', 20);
      if (role && !(ROLES as readonly string[]).includes(role))
        throw new AdminError(400, 'BAD_QUERY', `没有名为“${role}”的角色`, 'role');
      const disabled = q.disabled === 'true' ? true : q.disabled === 'false' ? false : undefined;
      return listAccounts(o.db, authOf(request).user, {
        orgId: shortText(q.orgId, 'orgId', 40),
        role,
        q: shortText(q.q, 'q', 50),
        disabled,
        ...paging(q),
      });
    }),
  );
  app.get(
    '/api/admin/users/:id',
    pre,
    guard(async (request) => ({ user: await getAccount(o.db, authOf(request).user, idParam(request)) })),
  );
  app.post(
    '/api/admin/users',
    pre,
    guard(async (request, reply) => {
      const [created] = await createAccounts(o.db, authOf(request).user, [objectBody(request)], o.now());
      reply.code(201);
      return created;
    }),
  );
  app.post(
    '/api/admin/users/batch',
    { ...pre, bodyLimit: 4 * 1024 * 1024 },
    guard(async (request, reply) => {
      const users = await createAccounts(
        o.db,
        authOf(request).user,
        listBody(request, 'users'),
        o.now(),
        '表格导入',
      );
      reply.code(201);
      return { users };
    }),
  );
  app.put(
    '/api/admin/users/:id',
    pre,
    guard(async (request) =>
      updateAccount(o.db, authOf(request).user, idParam(request), objectBody(request), o.now()),
    ),
  );
  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    app.post(
      `/api/admin/users/:id/${path}`,
      pre,
      guard(async (request) => ({
        user: await setAccountDisabled(
          o.db,
          o.accounts,
          authOf(request).user,
          idParam(request),
          disabled,
          o.now(),
        ),
      })),
    );
  app.post(
    '/api/admin/users/:id/reset-password',
    pre,
    guard(async (request) =>
      resetAccountPassword(o.db, o.accounts, authOf(request).user, idParam(request), o.now()),
    ),
  );
  // The register of enforcement staff for the 双随机 draw (issue 14 reads it).
  app.get(
    '/api/admin/inspectors',
    pre,
    guard(async (request) => ({ inspectors: await inspectorPool(o.db, authOf(request).user) })),
  );

  // ---- organisations ----------------------------------------------------------------------------
  app.post(
    '/api/admin/orgs',
    pre,
    guard(async (request, reply) => {
      const [result] = await writeOrgs(
        o.db,
        o.channel,
        authOf(request).user,
        [objectBody(request)],
        o.now(),
        {
          mode: 'create',
        },
      );
      reply.code(201);
      return result;
    }),
  );
  app.post(
    '/api/admin/orgs/batch',
    { ...pre, bodyLimit: 8 * 1024 * 1024 },
    guard(async (request) => ({
      orgs: await writeOrgs(o.db, o.channel, authOf(request).user, listBody(request, 'orgs'), o.now(), {
        mode: 'upsert',
        via: '表格导入',
      }),
    })),
  );
  app.put(
    '/api/admin/orgs/:id',
    pre,
    guard(async (request) => {
      const [result] = await writeOrgs(
        o.db,
        o.channel,
        authOf(request).user,
        [objectBody(request)],
        o.now(),
        {
          mode: 'update',
          updateId: idParam(request),
        },
      );
      return result;
    }),
  );
  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    app.post(
      `/api/admin/orgs/:id/${path}`,
      pre,
      guard(async (request) => {
        const b = (request.body ?? {}) as Record<string, unknown>;
        return {
          org: await setOrgDisabled(
            o.db,
            o.channel,
            o.accounts,
            authOf(request).user,
            idParam(request),
            disabled,
            shortText(b.reason, 'reason', 200),
            o.now(),
          ),
        };
      }),
    );

  // ---- the audit list ---------------------------------------------------------------------------
  app.get(
    '/api/admin/audit',
    pre,
    guard(async (request) => {
      const q = (request.query ?? {}) as Record<string, unknown>;
      const action = shortText(q.action, 'action', 40);
      if (action && !(action in AUDIT_ACTIONS))
        throw new AdminError(400, 'BAD_QUERY', `没有名为“${action}”的操作类别`, 'action');
      const targetKind = shortText(q.targetKind, 'targetKind', 20);
      if (targetKind && !['org', 'user', 'device', 'settings'].includes(targetKind))
        throw new AdminError(400, 'BAD_QUERY', '对象类别应为 org、user、device 或 settings', 'targetKind');
      return listAudit(o.db, authOf(request).user, {
        ...paging(q, 200),
        action,
        targetKind,
        targetId: shortText(q.targetId, 'targetId', 100),
      });
    }),
  );
}
