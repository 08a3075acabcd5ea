// The scope of every row the server stores, computed by the server from its own tables and never taken
// from the client (issue 8 "Records with several parties"): a student belongs to its school and class; an
// org to its place in the tree; a history event, an attachment and a conflict take the scope of the
// record they belong to; a refusal belongs to the person whose push was refused (and their org).
import { type RowScope, scopeKeys } from '../../shared/authority/relation';
import { effectiveKeyFields } from '../../shared/domain/key-fields';
import type { OrgDoc } from '../../shared/domain/schemas';
import { inspectionScope } from '../../shared/inspections/scope';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { RuleRefusal } from '../../shared/sync/rules';
import type { Sql } from '../store/db';

export type OrgRef = { id: string; path: string; name: string; kind: string; settings?: OrgDoc['settings'] };

/** A stored row as the push and the effects see it. */
export type StoredRow = { id: string; data: SyncDoc; scope: RowScope; schoolId: string | null };

/** Which collection an `entity` of an event or attachment names. */
export const ENTITY_COLLECTIONS: Readonly<Record<string, string>> = {
  student: 'students',
  org: 'orgs',
  changeRequest: 'changeRequests',
  leave: 'leaves',
  verification: 'verifications',
  appeal: 'appeals',
  inspection: 'inspections',
};

/** The entity name of a collection's records (the inverse of ENTITY_COLLECTIONS). */
export function entityOfCollection(collection: string): string | undefined {
  return Object.entries(ENTITY_COLLECTIONS).find(([, c]) => c === collection)?.[0];
}

/** Collections whose rows hang off another record and take its scope. */
export const DEPENDENT_COLLECTIONS: readonly string[] = ['events', 'attachments', 'syncIssues'];

/**
 * Collections whose records' dependents are decided by their own table entries (`events@inspections`, …):
 * an inspection's history, evidence and conflicts reach the inspection's parties, not everyone who reads
 * history or attachments of that school (RowScope.via).
 */
export const VIA_COLLECTIONS: readonly string[] = ['inspections'];

/** The scope a dependent of a record of `parentCollection` takes. */
export function dependentScope(parentCollection: string, scope: RowScope): RowScope {
  return VIA_COLLECTIONS.includes(parentCollection) ? { ...scope, via: parentCollection } : scope;
}

/**
 * Collections whose rows are about one student (field `studentId`) and take that student's scope: leaves,
 * appeals and the verification records (a task, kind "task", belongs to its issuer instead).
 */
export const STUDENT_COLLECTIONS: readonly string[] = ['leaves', 'appeals', 'verifications'];

const isStudentRow = (collection: string, doc: SyncDoc) =>
  STUDENT_COLLECTIONS.includes(collection) && !(collection === 'verifications' && doc.kind === 'task');

export type ScopeResult =
  /** scope null: the row's org does not exist on the server */
  { scope: RowScope | null; problem?: RuleRefusal };

/** A refusal is readable by the person whose push was refused, and by their org. */
export function refusalScope(user: Pick<SyncUser, 'id' | 'orgPath'>): RowScope {
  return { owner: { path: user.orgPath }, users: [user.id] };
}

export function ownerPath(scope: RowScope | null): string {
  return scope?.owner?.path ?? '/';
}

export function keysOf(scope: RowScope | null): string[] {
  return scope ? scopeKeys(scope) : [];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Computes scopes for the rows of one request. `preload` fetches in a few queries everything the rows
 * refer to (their orgs, the records events/attachments/conflicts belong to); `scopeOf` then answers per
 * row, and `remember` keeps the cache true after each write of the batch.
 */
export class ScopeResolver {
  readonly orgs = new Map<string, OrgRef>();
  private readonly rows = new Map<string, StoredRow | null>();

  constructor(private readonly sql: Sql) {}

  private async loadOrgs(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => id && !this.orgs.has(id));
    if (missing.length === 0) return;
    const rows = await this.sql.query<{ id: string; org_path: string; data: OrgDoc }>(
      `select id, org_path, data from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
      [missing],
    );
    for (const r of rows)
      this.orgs.set(r.id, {
        id: r.id,
        path: r.org_path,
        name: r.data.name,
        kind: r.data.kind,
        settings: r.data.settings,
      });
  }

  private async loadRows(refs: { collection: string; id: string }[]): Promise<void> {
    const byCollection = new Map<string, Set<string>>();
    for (const r of refs) {
      if (this.rows.has(`${r.collection}|${r.id}`)) continue;
      const set = byCollection.get(r.collection) ?? new Set<string>();
      byCollection.set(r.collection, set);
      set.add(r.id);
    }
    for (const [collection, ids] of byCollection) {
      const found = await this.sql.query<{
        id: string;
        data: SyncDoc;
        scope: RowScope;
        school_id: string | null;
      }>(
        `select id, data, scope, school_id from docs
          where collection = $1 and id = any($2::text[]) and not deleted and scope is not null`,
        [collection, [...ids]],
      );
      for (const id of ids) this.rows.set(`${collection}|${id}`, null);
      for (const r of found)
        this.rows.set(`${collection}|${r.id}`, {
          id: r.id,
          data: r.data,
          scope: r.scope,
          schoolId: r.school_id,
        });
    }
  }

  /** Fetches what the scopes of these rows depend on. */
  async preload(collection: string, docs: SyncDoc[]): Promise<void> {
    const orgIds = new Set<string>();
    const refs: { collection: string; id: string }[] = [];
    for (const d of docs) {
      const school = str(d.schoolId);
      if (school) orgIds.add(school);
      const parent = str(d.parentId);
      if (collection === 'orgs' && parent) orgIds.add(parent);
      const from = str(d.fromSchoolId);
      if (collection === 'changeRequests' && from) orgIds.add(from);
      const entity = str(d.entity);
      const entityId = str(d.entityId);
      if ((collection === 'events' || collection === 'attachments') && entity && entityId) {
        const target = ENTITY_COLLECTIONS[entity];
        if (target) refs.push({ collection: target, id: entityId });
      }
      if (collection === 'syncIssues' && str(d.docCollection) && str(d.docId))
        refs.push({ collection: String(d.docCollection), id: String(d.docId) });
      if (collection === 'inspections') {
        const bureau = str(d.bureauId);
        if (bureau) orgIds.add(bureau);
        const parent = str(d.inspectionId);
        if (parent) refs.push({ collection: 'inspections', id: parent });
      }
      if (isStudentRow(collection, d) && str(d.studentId))
        refs.push({ collection: 'students', id: String(d.studentId) });
      if (collection === 'verifications' && d.kind === 'task') {
        const scope = d.scope as { schoolIds?: unknown } | undefined;
        if (Array.isArray(scope?.schoolIds))
          for (const id of scope.schoolIds.slice(0, 2000)) if (typeof id === 'string') orgIds.add(id);
      }
    }
    await this.loadRows(refs);
    for (const r of refs) {
      const row = this.rows.get(`${r.collection}|${r.id}`);
      if (r.collection === 'orgs' && row) orgIds.add(row.id);
    }
    await this.loadOrgs(orgIds);
    // The province documents carry the key-field set (shared/domain/key-fields.ts).
    const roots = [...this.orgs.values()].map((o) => o.path.split('/')[1] ?? '').filter(Boolean);
    await this.loadOrgs(roots);
  }

  /** After a write in the same batch: later rows see the new state. */
  remember(collection: string, row: StoredRow | null, id: string): void {
    this.rows.set(`${collection}|${id}`, row);
    if (collection === 'orgs' && row)
      this.orgs.set(row.id, {
        id: row.id,
        path: ownerPath(row.scope),
        name: String(row.data.name ?? ''),
        kind: String(row.data.kind ?? ''),
        settings: row.data.settings as OrgDoc['settings'],
      });
  }

  /** The effective key-field set for a row at this org path (its province's setting). */
  keyFieldsFor(path: string): readonly string[] {
    const root = this.orgs.get(path.split('/')[1] ?? '');
    return effectiveKeyFields(root ? [{ kind: root.kind as OrgDoc['kind'], settings: root.settings }] : []);
  }

  /**
   * The scope of one row (after preload). `before` is the stored row when it exists. `asServer`: the
   * server writes the row itself (seeding, backfill), so a refusal's person and org come from the row.
   */
  scopeOf(
    collection: string,
    doc: SyncDoc,
    user: SyncUser,
    before: StoredRow | null,
    asServer = false,
  ): ScopeResult {
    const schoolId = str(doc.schoolId);
    switch (collection) {
      case 'orgs': {
        const id = String(doc.id ?? '');
        const parentId = str(doc.parentId);
        const parent = parentId ? this.orgs.get(parentId) : undefined;
        if (parentId && !parent) return { scope: null };
        const path = parent ? `${parent.path}${id}/` : `/${id}/`;
        if (doc._deleted !== true && str(doc.path) !== path)
          return {
            scope: { owner: { path } },
            problem: {
              code: 'INVALID',
              reason: `单位“${str(doc.name) ?? id}”的单位路径应为 ${path}`,
              field: 'path',
            },
          };
        return { scope: { owner: { path } } };
      }
      case 'students': {
        const school = schoolId ? this.orgs.get(schoolId) : undefined;
        if (!school) return { scope: null };
        const classId = str(doc.classId);
        const scope: RowScope = { owner: classId ? { path: school.path, classId } : { path: school.path } };
        if (school.kind !== 'school')
          return {
            scope,
            problem: { code: 'INVALID', reason: `所属单位“${school.name}”不是学校`, field: 'schoolId' },
          };
        if (doc._deleted !== true && str(doc.orgPath) !== school.path)
          return {
            scope,
            problem: {
              code: 'INVALID',
              reason: `学生记录的单位路径与所属学校不一致（应为 ${school.path}）`,
              field: 'orgPath',
            },
          };
        return { scope };
      }
      case 'inspections': {
        const parentId = str(doc.inspectionId);
        const parent = parentId ? this.rows.get(`inspections|${parentId}`) : undefined;
        return inspectionScope(doc, {
          pathOf: (id) => this.orgs.get(id)?.path,
          parent: parent ? { data: parent.data, scope: parent.scope } : null,
        });
      }
      case 'events':
      case 'attachments': {
        const school = schoolId ? this.orgs.get(schoolId) : undefined;
        if (!school) return { scope: null };
        const entity = str(doc.entity) ?? '';
        const target = ENTITY_COLLECTIONS[entity];
        // The record of a collection with its own dependents' audience (an inspection) is not on the server
        // yet: only its writer reads this row until it arrives and re-scopes it (effects.ts).
        const fallback: RowScope =
          target && VIA_COLLECTIONS.includes(target)
            ? {
                owner: null,
                users: [asServer ? String(doc.createdBy ?? doc.by ?? 'server') : user.id],
                via: target,
              }
            : { owner: { path: school.path } };
        if (!target)
          return {
            scope: fallback,
            problem: {
              code: 'INVALID',
              reason: `所属对象类型“${entity.slice(0, 20)}”不是允许的取值`,
              field: 'entity',
            },
          };
        const row = this.rows.get(`${target}|${String(doc.entityId ?? '')}`);
        // The record it belongs to is not (yet) on the server (pushed by another replication a moment
        // later): the school's scope for now; writing that record re-scopes this one (effects.ts).
        if (!row) return { scope: fallback };
        const rowSchool = target === 'orgs' ? row.id : row.schoolId;
        const scope = dependentScope(target, row.scope);
        if (rowSchool !== schoolId)
          return {
            scope,
            problem: {
              code: 'INVALID',
              reason: `${collection === 'events' ? '修改记录' : '附件'}的所属学校与其所属记录不一致`,
              field: 'schoolId',
            },
          };
        return { scope };
      }
      case 'syncIssues': {
        if (doc.kind === 'refusal') {
          if (before) return { scope: before.scope };
          if (!asServer) return { scope: refusalScope(user) };
          const path = str(doc.orgPath) || '/';
          return { scope: { owner: { path }, users: [String(doc.createdBy ?? '')] } };
        }
        const row = this.rows.get(`${String(doc.docCollection ?? '')}|${String(doc.docId ?? '')}`);
        if (row) return { scope: dependentScope(String(doc.docCollection), row.scope) };
        if (before) return { scope: before.scope };
        return {
          scope: refusalScope(user),
          problem: { code: 'INVALID', reason: '冲突记录所指的记录在服务器上不存在', field: 'docId' },
        };
      }
      case 'verifications':
      case 'leaves':
      case 'appeals': {
        const org = schoolId ? this.orgs.get(schoolId) : undefined;
        if (!org) return { scope: null };
        if (collection === 'verifications' && doc.kind === 'task') {
          // A task belongs to its issuer; the schools it calls are its other parties (they read it).
          const ids = (doc.scope as { schoolIds?: unknown } | undefined)?.schoolIds;
          const parties = (Array.isArray(ids) ? ids : [])
            .map((id) => (typeof id === 'string' ? this.orgs.get(id) : undefined))
            .filter((o): o is OrgRef => o !== undefined && o.kind === 'school')
            .map((o) => ({ path: o.path }));
          const scope: RowScope = { owner: { path: org.path }, ...(parties.length ? { parties } : {}) };
          if (doc._deleted !== true && str(doc.orgPath) !== org.path)
            return {
              scope,
              problem: { code: 'INVALID', reason: `核验任务的单位路径应为 ${org.path}`, field: 'orgPath' },
            };
          return { scope };
        }
        // About one student: the student's scope (school and class), computed from the student's row.
        const fallback: RowScope = { owner: { path: org.path } };
        const student = this.rows.get(`students|${String(doc.studentId ?? '')}`);
        if (!student || student.schoolId !== schoolId)
          return {
            scope: fallback,
            problem: {
              code: 'INVALID',
              reason: `所属学生不在“${org.name}”的花名册中`,
              field: 'studentId',
            },
          };
        if (doc._deleted !== true && str(doc.orgPath) !== org.path)
          return {
            scope: student.scope,
            problem: { code: 'INVALID', reason: `记录的单位路径应为 ${org.path}`, field: 'orgPath' },
          };
        return { scope: student.scope };
      }
      case 'changeRequests': {
        // A request belongs to the school that started it; a submitted transfer also to the sending school
        // (its bureaus read it as the subtree of that party). A draft is the school's alone.
        const school = schoolId ? this.orgs.get(schoolId) : undefined;
        if (!school) return { scope: null };
        const from = str(doc.fromSchoolId);
        const other = from && from !== schoolId ? this.orgs.get(from) : undefined;
        const party =
          doc.type === 'transfer' && doc.status !== 'draft' && other?.kind === 'school' ? other : undefined;
        const scope: RowScope = party
          ? { owner: { path: school.path }, parties: [{ path: party.path }] }
          : { owner: { path: school.path } };
        if (school.kind !== 'school')
          return {
            scope,
            problem: { code: 'INVALID', reason: `所属单位“${school.name}”不是学校`, field: 'schoolId' },
          };
        if (doc._deleted !== true && str(doc.orgPath) !== school.path)
          return {
            scope,
            problem: {
              code: 'INVALID',
              reason: `申请的单位路径与所属学校不一致（应为 ${school.path}）`,
              field: 'orgPath',
            },
          };
        if (doc.type === 'transfer' && doc.status !== 'draft' && from && !party)
          return {
            scope,
            problem: { code: 'INVALID', reason: '转出学校在省级平台上不存在', field: 'fromSchoolId' },
          };
        return { scope };
      }
      default: {
        const school = schoolId ? this.orgs.get(schoolId) : undefined;
        return { scope: school ? { owner: { path: school.path } } : null };
      }
    }
  }
}
