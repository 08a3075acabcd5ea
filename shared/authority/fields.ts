// Which operation a change of a record is: the fields of each collection by class (ordinary, key,
// workflow), and the authority decision for a whole pushed row (create, update of which fields, delete).
import { valueEqual } from '../sync/equal';
import type { SyncDoc } from '../sync/protocol';
import { type AuthDecision, type AuthUser, decide, type RowScope } from './relation';
import type { Operation } from './table';

export type FieldClasses = {
  /** fields only an approved request (a workflow decision) may change */
  workflow: readonly string[];
  /** key fields; `'setting'`: the effective key-field set passed in (students) */
  key: readonly string[] | 'setting';
  /** when set, the only ordinary fields: every other field is key (immutable content) */
  ordinary?: readonly string[];
};

const ISSUE_RESOLUTION_FIELDS = [
  'status',
  'resolution',
  'resolvedValue',
  'resolvedBy',
  'resolvedAt',
  'updatedAt',
  'updatedBy',
];

export const FIELD_CLASSES: Readonly<Record<string, FieldClasses>> = {
  // DESIGN.md: status, school, class, grade (and the org path that follows the school) change only
  // through an approved request; key fields (★) through an approved info change.
  students: { workflow: ['status', 'schoolId', 'orgPath', 'classId', 'grade'], key: 'setting' },
  // settings and term dates: through the settings endpoints only (server/settings/routes.ts)
  orgs: { workflow: ['kind', 'parentId', 'path', 'settings', 'term'], key: [] },
  events: { workflow: [], key: [] },
  attachments: { workflow: ['schoolId', 'orgPath', 'entity', 'entityId'], key: ['sha256', 'size', 'mime'] },
  syncIssues: { workflow: [], key: [], ordinary: ISSUE_RESOLUTION_FIELDS },
  // What a record is and whom it concerns is fixed when it is made (the draw decides an inspection's school
  // and inspectors); the steps (status and the rest) are the workflow of shared/inspections/workflow.ts.
  inspections: {
    workflow: ['kind', 'schoolId', 'bureauId', 'orgPath', 'planId', 'inspectionId', 'inspectors'],
    key: [],
  },
  // Routine verification (shared/verification). Results and consequences are the server's; what a task
  // is and whom a record is about never change; the content checks (server/verification) decide the rest.
  verifications: {
    workflow: ['results', 'actions', 'escalated'],
    key: [
      'kind',
      'schoolId',
      'orgPath',
      'termKey',
      'issuer',
      'issuerName',
      'name',
      'reason',
      'start',
      'end',
      'scope',
      'fences',
      'test',
      'createdAt',
      'createdBy',
      'createdByName',
      'classId',
      'grade',
      'studentId',
      'studentName',
      'term',
    ],
  },
  leaves: {
    workflow: [],
    key: ['kind', 'schoolId', 'orgPath', 'classId', 'studentId', 'from', 'via', 'requestedAt', 'requestedBy'],
  },
  appeals: {
    workflow: [
      'status',
      'decidedAt',
      'decidedBy',
      'decidedByName',
      'decidedOrgId',
      'decidedOrgName',
      'opinion',
    ],
    key: [
      'schoolId',
      'orgPath',
      'classId',
      'studentId',
      'studentName',
      'taskIds',
      'rule',
      'reason',
      'via',
      'submittedAt',
      'submittedBy',
      'submittedByName',
    ],
  },
  // A request's decisions, state and server-computed fields are workflow fields (the workflow definition
  // decides each step, server/workflows); its content is ordinary (the school's draft); its type and
  // school never change. The stamps go with a decision too, so they are workflow fields here.
  changeRequests: {
    workflow: [
      'status',
      'step',
      'decisions',
      'withdrawn',
      'filed',
      'route',
      'findings',
      'applied',
      'escalated',
      'updatedAt',
      'updatedBy',
    ],
    key: ['type', 'schoolId', 'orgPath', 'createdAt', 'createdBy'],
  },
};

/** Workflow fields of collections to come (their table rows will name their own). */
const DEFAULT_WORKFLOW = ['status', 'steps', 'decision', 'approvedBy', 'approvedAt'];

export function workflowFieldsOf(collection: string): readonly string[] {
  return FIELD_CLASSES[collection]?.workflow ?? DEFAULT_WORKFLOW;
}

export type ChangedOp = { op: Operation; fields: string[] };

/** The operations a change from `before` to `after` needs, the strictest first (unchanged → []). */
export function changedOperations(
  collection: string,
  before: SyncDoc,
  after: SyncDoc,
  keyFields: readonly string[],
): ChangedOp[] {
  const classes = FIELD_CLASSES[collection] ?? { workflow: DEFAULT_WORKFLOW, key: [] };
  const key = new Set(classes.key === 'setting' ? keyFields : classes.key);
  const workflow = new Set(classes.workflow);
  const ordinary = classes.ordinary ? new Set(classes.ordinary) : null;
  const out: Record<'updateWorkflow' | 'updateKey' | 'update', string[]> = {
    updateWorkflow: [],
    updateKey: [],
    update: [],
  };
  for (const f of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (f.startsWith('_') || valueEqual(before[f], after[f])) continue;
    if (workflow.has(f)) out.updateWorkflow.push(f);
    else if (key.has(f) || (ordinary !== null && !ordinary.has(f))) out.updateKey.push(f);
    else out.update.push(f);
  }
  return (['updateWorkflow', 'updateKey', 'update'] as const)
    .filter((op) => out[op].length > 0)
    .map((op) => ({ op, fields: out[op] }));
}

export type WriteDecision = AuthDecision & { op: Operation; fields: string[] };

/**
 * The authority decision for one pushed row: a create is decided on the scope the row would have; a
 * delete on the scope it has; an update on both (a row may neither be changed where it is, nor be moved
 * where the user may not write), for every class of field it changes.
 */
export function decideWrite(w: {
  user: AuthUser;
  collection: string;
  before: SyncDoc | null;
  after: SyncDoc;
  scopeBefore: RowScope | null;
  scopeAfter: RowScope;
  keyFields: readonly string[];
}): WriteDecision {
  const { user, collection, before, after } = w;
  if (!before) return { ...decide(user, collection, 'create', w.scopeAfter), op: 'create', fields: [] };
  const scopeBefore = w.scopeBefore ?? w.scopeAfter;
  if (after._deleted === true)
    return { ...decide(user, collection, 'delete', scopeBefore), op: 'delete', fields: [] };
  let last: WriteDecision | null = null;
  for (const { op, fields } of changedOperations(collection, before, after, w.keyFields)) {
    for (const scope of [scopeBefore, w.scopeAfter]) {
      const d = decide(user, collection, op, scope);
      if (!d.allow) return { ...d, op, fields };
      last = { ...d, op, fields };
    }
  }
  return last ?? { ...decide(user, collection, 'update', scopeBefore), op: 'update', fields: [] };
}
