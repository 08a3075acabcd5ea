// Rule settings, the key-field set, calendar overrides and term dates (docs/sync-api.md "Settings"). They
// live on org documents, so every copy receives them by sync with its org tree; the server writes them
// (updateAsServer, with an `events` row recording who changed what from what) after validating them with
// the same shared functions the app uses. Who may set what (default deny for everything else):
//   province: rule settings, key fields, calendar overrides — on its own org document;
//   bureau:   term dates — on its own org document (the default of its schools) or on a school below it.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditAction } from '../../shared/admin/audit';
import { mayAct } from '../../shared/authority/table';
import type { EventDoc, OrgDoc, OrgSettings } from '../../shared/domain/schemas';
import {
  effectiveSettings,
  orgChain,
  RULE_SETTING_BY_KEY,
  type SettingProblem,
  validateCalendarOverrides,
  validateKeyFields,
  validateRuleSettings,
  validateTerm,
} from '../../shared/rules/settings';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import { actorOf, recordAudit } from '../admin/audit';
import { authOf } from '../request';
import type { Db } from '../store/db';
import { REGISTRY } from '../sync/registry';
import { updateAsServer } from '../sync/store';

type Options = {
  db: Db;
  channel: string;
  requireAuth: (request: FastifyRequest) => Promise<void>;
  now: () => Date;
};

/** A refusal the route answers with: HTTP status, code, Chinese message, the field concerned. */
class SettingsError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const invalid = (p: SettingProblem | undefined) =>
  new SettingsError(400, 'INVALID_SETTING', p?.message ?? '设置有误', p?.field);

const NOT_FOUND = '找不到该单位，或它不在您的管辖范围内';

function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new SettingsError(400, 'BAD_REQUEST', '请求内容应为 JSON 对象');
  return b as Record<string, unknown>;
}

function event(
  org: OrgDoc,
  user: SyncUser,
  at: string,
  action: string,
  before: object,
  after: object,
): SyncDoc {
  const e: EventDoc = {
    id: `settings-${randomUUID()}`,
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

/** The org document as the server stores it; throws when the result would not pass the org schema. */
function checked(doc: OrgDoc): SyncDoc {
  const orgs = REGISTRY.get('orgs');
  if (orgs && !orgs.validate(doc))
    throw new SettingsError(400, 'INVALID_SETTING', '设置超出单位记录允许的范围');
  return doc as unknown as SyncDoc;
}

export function registerSettingsRoutes(app: FastifyInstance, o: Options): void {
  const reply400 = (reply: FastifyReply, e: SettingsError) =>
    reply.code(e.status).send({ error: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) });

  // The path is the server's (org_path), never what a document says about itself.
  const loadOrgs = async (ids: string[]) =>
    (
      await o.db.query<{ data: OrgDoc; org_path: string }>(
        `select data, org_path from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
        [ids],
      )
    ).map((r) => ({ ...r.data, path: r.org_path }));

  /** Runs a settings change on one org and answers with the written document or the refusal. */
  const update = async (
    reply: FastifyReply,
    user: SyncUser,
    orgId: string,
    action: string,
    change: (org: OrgDoc, at: string) => { next: OrgDoc; before: object; after: object },
  ) => {
    const at = o.now().toISOString();
    try {
      const written = await updateAsServer(
        o.db,
        'orgs',
        orgId,
        (current, orgPath) => {
          if (!current || current._deleted || !orgPath) throw new SettingsError(404, 'NOT_FOUND', NOT_FOUND);
          const { _deleted, ...org } = current;
          const c = change({ ...(org as unknown as OrgDoc), path: orgPath }, at);
          return {
            doc: checked({ ...c.next, updatedAt: at, updatedBy: user.id }),
            also: [{ collection: 'events', doc: event(c.next, user, at, action, c.before, c.after) }],
            // Every settings change is an administrative write (R-WHO): its audit entry in the same transaction.
            after: (tx) =>
              recordAudit(tx, {
                action: action as AuditAction,
                actor: actorOf(user),
                target: { kind: 'settings', id: orgId, label: c.next.name, orgId, orgPath },
                before: c.before,
                after: c.after,
                at: new Date(at),
              }),
          };
        },
        o.channel,
        user.id,
      );
      const { _deleted, ...org } = written ?? {};
      return { ok: true, org };
    } catch (e) {
      if (e instanceof SettingsError) return reply400(reply, e);
      throw e;
    }
  };

  const province = (request: FastifyRequest): SyncUser => {
    const user = authOf(request).user;
    if (!mayAct(user.role, 'settingsRules'))
      throw new SettingsError(403, 'ROLE', '只有省教育厅可以修改规则设置、关键字段和工作日调整');
    return user;
  };

  const guard =
    <T>(fn: (request: FastifyRequest, reply: FastifyReply) => Promise<T>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await fn(request, reply);
      } catch (e) {
        if (e instanceof SettingsError) return reply400(reply, e);
        throw e;
      }
    };

  // The settings in force for an org of the user's path (their own org by default): its chain upwards.
  app.get(
    '/api/settings/effective',
    { preHandler: o.requireAuth },
    guard(async (request) => {
      const user = authOf(request).user;
      const q = request.query as Record<string, string | undefined>;
      const orgId = q.orgId ?? user.orgId;
      const [target] = await loadOrgs([orgId]);
      // A user may read the settings of their own org, of orgs below it, and of the orgs above it.
      const path = target?.path;
      if (!target || !path || !(path.startsWith(user.orgPath) || user.orgPath.startsWith(path)))
        throw new SettingsError(404, 'NOT_FOUND', NOT_FOUND);
      const chain = orgChain(await loadOrgs(path.split('/').filter(Boolean)), orgId);
      return { orgId, settings: effectiveSettings(chain) };
    }),
  );

  // Rule settings: a partial map merged into the province's settings.rules; null removes a value.
  app.put(
    '/api/settings/rules',
    { preHandler: o.requireAuth },
    guard(async (request, reply) => {
      const user = province(request);
      const b = body(request);
      const values = b.values;
      if (typeof values !== 'object' || values === null || Array.isArray(values))
        throw new SettingsError(400, 'BAD_REQUEST', '请给出 values：{设置名称: 数值或 null}', 'values');
      const set: Record<string, unknown> = {};
      const unset: string[] = [];
      for (const [k, v] of Object.entries(values)) {
        if (v === null) {
          if (!RULE_SETTING_BY_KEY.has(k))
            throw invalid({ field: `values.${k}`, message: `没有名为“${k}”的规则设置` });
          unset.push(k);
        } else set[k] = v;
      }
      return update(reply, user, user.orgId, 'settings-rules', (org, at) => {
        const before = { ...(org.settings?.rules ?? {}) };
        const merged: Record<string, unknown> = { ...before, ...set };
        for (const k of unset) delete merged[k];
        const v = validateRuleSettings(merged, 'values');
        if (!v.ok) throw invalid(v.problems[0]);
        return {
          next: withSettings(org, { rules: v.value }, user, at),
          before: { rules: before },
          after: { rules: v.value },
        };
      });
    }),
  );

  app.put(
    '/api/settings/key-fields',
    { preHandler: o.requireAuth },
    guard(async (request, reply) => {
      const user = province(request);
      const v = validateKeyFields(body(request).keyFields, 'keyFields');
      if (!v.ok) throw invalid(v.problems[0]);
      return update(reply, user, user.orgId, 'settings-key-fields', (org, at) => ({
        next: withSettings(org, { keyFields: v.value }, user, at),
        before: { keyFields: org.settings?.keyFields ?? null },
        after: { keyFields: v.value },
      }));
    }),
  );

  // Calendar overrides: the province's whole list is replaced (a new year's schedule is entered at once).
  app.put(
    '/api/settings/calendar',
    { preHandler: o.requireAuth },
    guard(async (request, reply) => {
      const user = province(request);
      const v = validateCalendarOverrides(body(request).overrides, 'overrides');
      if (!v.ok) throw invalid(v.problems[0]);
      return update(reply, user, user.orgId, 'settings-calendar', (org, at) => ({
        next: withSettings(org, { calendar: v.value }, user, at),
        before: { calendar: org.settings?.calendar ?? [] },
        after: { calendar: v.value },
      }));
    }),
  );

  // Term dates: a bureau on its own org (the default of its schools) or on a school below it.
  const termTarget = async (request: FastifyRequest): Promise<{ user: SyncUser; orgId: string }> => {
    const user = authOf(request).user;
    if (!mayAct(user.role, 'settingsTerm'))
      throw new SettingsError(403, 'ROLE', '只有教育局可以设置学期日期');
    const { orgId } = request.params as { orgId: string };
    const [target] = await loadOrgs([orgId]);
    const own = target?.id === user.orgId;
    const school = target?.kind === 'school' && target.path.startsWith(user.orgPath);
    if (!target || !(own || school))
      throw new SettingsError(404, 'NOT_FOUND', '找不到该学校，或它不是本局所属的学校');
    return { user, orgId };
  };

  app.put(
    '/api/settings/term/:orgId',
    { preHandler: o.requireAuth },
    guard(async (request, reply) => {
      const { user, orgId } = await termTarget(request);
      const v = validateTerm(body(request), 'term');
      if (!v.ok) throw invalid(v.problems[0]);
      return update(reply, user, orgId, 'settings-term', (org) => ({
        next: { ...org, term: v.value },
        before: { term: org.term ?? null },
        after: { term: v.value },
      }));
    }),
  );

  app.delete(
    '/api/settings/term/:orgId',
    { preHandler: o.requireAuth },
    guard(async (request, reply) => {
      const { user, orgId } = await termTarget(request);
      return update(reply, user, orgId, 'settings-term', (org) => {
        const { term, ...rest } = org;
        return { next: rest, before: { term: term ?? null }, after: { term: null } };
      });
    }),
  );
}

function withSettings(org: OrgDoc, part: Partial<OrgSettings>, user: SyncUser, at: string): OrgDoc {
  if (org.kind !== 'province')
    throw new SettingsError(403, 'ROLE', '规则设置、关键字段和工作日调整只能设在省教育厅的单位记录上');
  return { ...org, settings: { ...org.settings, ...part, updatedAt: at, updatedBy: user.id } };
}
