// Whom an inspection record concerns (issue 14: "visible to its bureau, its inspectors and the inspected
// school, and to no one else"). The server computes every row's scope from its own tables (server/sync/
// scope.ts asks here with the org paths and the stored parent); the authority table's `inspections` entry
// then admits the bureau (owner), the inspectors (users: `self`) and the school (a party).
import type { RowScope } from '../authority/relation';
import type { RuleRefusal } from '../sync/rules';
import type { InspectionDoc } from './records';

export type ScopeFacts = {
  /** the org path of an org id (undefined: no such org on the server) */
  pathOf(orgId: string): string | undefined;
  /** the stored parent inspection of a report or follow-up (null: not on the server) */
  parent?: { data: Record<string, unknown>; scope: RowScope } | null;
};

export type InspectionScope = { scope: RowScope | null; problem?: RuleRefusal };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The scope of the inspection itself: the bureau owns it, the school is a party, the inspectors are users. */
export function visitScope(
  bureauPath: string,
  schoolPath: string,
  inspectorIds: readonly string[],
): RowScope {
  return {
    owner: { path: bureauPath },
    parties: [{ path: schoolPath }],
    users: [...new Set(inspectorIds)].sort(),
  };
}

export function inspectionScope(doc: Record<string, unknown>, facts: ScopeFacts): InspectionScope {
  const kind = str(doc.kind);
  const schoolId = str(doc.schoolId);
  const bureauId = str(doc.bureauId);
  const schoolPath = facts.pathOf(schoolId);
  const bureauPath = facts.pathOf(bureauId);
  const orgPathProblem = (path: string): RuleRefusal | undefined =>
    doc._deleted !== true && str(doc.orgPath) !== path
      ? { code: 'INVALID', reason: `检查记录的单位路径应为 ${path}`, field: 'orgPath' }
      : undefined;
  switch (kind) {
    case 'plan':
    case 'template': {
      if (!bureauPath) return { scope: null };
      const scope: RowScope = { owner: { path: bureauPath } };
      if (schoolId !== bureauId)
        return {
          scope,
          problem: { code: 'INVALID', reason: '抽查计划和模板属于制定它的教育局', field: 'schoolId' },
        };
      return { scope, problem: orgPathProblem(bureauPath) };
    }
    case 'selfCheck': {
      if (!schoolPath) return { scope: null };
      const scope: RowScope = { owner: { path: schoolPath } };
      if (schoolId !== bureauId)
        return { scope, problem: { code: 'INVALID', reason: '学校自查属于学校本身', field: 'bureauId' } };
      return { scope, problem: orgPathProblem(schoolPath) };
    }
    case 'inspection': {
      if (!schoolPath || !bureauPath) return { scope: null };
      const ids = Array.isArray(doc.inspectors)
        ? doc.inspectors.map((i) => str((i as Record<string, unknown> | null)?.userId)).filter(Boolean)
        : [];
      return { scope: visitScope(bureauPath, schoolPath, ids), problem: orgPathProblem(schoolPath) };
    }
    case 'report':
    case 'followUp': {
      if (!schoolPath || !bureauPath) return { scope: null };
      const parent = facts.parent;
      if (parent?.data.kind !== 'inspection')
        return {
          scope: { owner: { path: bureauPath } },
          problem: { code: 'INVALID', reason: '所属的实地核查记录在服务器上不存在', field: 'inspectionId' },
        };
      const p = parent.data as unknown as InspectionDoc;
      // A report reaches the school when it is served (送达), not while it is drafted.
      const scope: RowScope =
        kind === 'report' && doc.status === 'draft' ? { ...parent.scope, parties: [] } : parent.scope;
      if (p.schoolId !== schoolId || p.bureauId !== bureauId)
        return {
          scope,
          problem: { code: 'INVALID', reason: '与所属实地核查记录的学校或检查单位不一致', field: 'schoolId' },
        };
      return { scope, problem: orgPathProblem(schoolPath) };
    }
    default:
      return {
        scope: schoolPath ? { owner: { path: schoolPath } } : null,
        problem: {
          code: 'INVALID',
          reason: `检查记录的类别“${kind.slice(0, 20)}”不是允许的取值`,
          field: 'kind',
        },
      };
  }
}
