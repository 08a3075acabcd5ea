// The conflict handler of change requests (STYLE rule 4: no last-writer-wins on workflow fields). A push
// meets another master state when someone else decided, withdrew, filed or edited meanwhile. The server's
// state stands; this device's own decision, withdrawal or filing is added to it (the server then decides:
// a decision of a step someone decided first is kept, marked late — two bureau users deciding one step
// offline, the first to reach the server decides and the other sees who did, nothing lost); edits of a
// draft merge field by field, and the same field edited on both sides goes to the conflict inbox.
import type { SyncIssueDoc } from '../domain/schemas';
import {
  type ConflictContext,
  type ConflictInput,
  conflictIssueId,
  type MergeResult,
} from '../sync/conflicts';
import { docEqual, syncState, valueEqual } from '../sync/equal';
import { REFUSAL_FIELD, type SyncDoc } from '../sync/protocol';
import { docTitle } from '../sync/rules';
import { withDerived } from './state';
import type { ChangeRequestDoc } from './types';

/** Fields that are not a draft's content (workflow, server-computed, identity, stamps). */
const NOT_CONTENT = new Set([
  'id',
  '_deleted',
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
  'createdAt',
  'createdBy',
  'type',
  'schoolId',
  'orgPath',
]);

const FIELD_LABELS: Record<string, string> = {
  studentIds: '学生',
  students: '学生信息',
  fromSchoolId: '转出学校',
  fromSchoolName: '转出学校',
  details: '异动信息',
  items: '变更项目',
  reason: '原因',
  applicant: '申请人',
  appliedOn: '申请日期',
  proofs: '证明材料',
  warnReasons: '书面说明理由',
  basis: '申请依据',
};

export function mergeChangeRequest(input: ConflictInput, ctx: ConflictContext): MergeResult {
  const real = syncState(input.realMasterState as Record<string, unknown>) as unknown as ChangeRequestDoc;
  const mine = syncState(input.newDocumentState as Record<string, unknown>) as unknown as ChangeRequestDoc;
  if (input.realMasterState[REFUSAL_FIELD] !== undefined || docEqual(real as never, mine as never))
    return { document: real as unknown as SyncDoc, issues: [] };
  const base = input.assumedMasterState
    ? (syncState(input.assumedMasterState as Record<string, unknown>) as unknown as ChangeRequestDoc)
    : undefined;
  const merged: Record<string, unknown> = { ...real };
  const conflicts: { field: string; base: unknown; mine: unknown; theirs: unknown }[] = [];
  const editable = real.status === 'draft';
  const r = real as unknown as Record<string, unknown>;
  const m = mine as unknown as Record<string, unknown>;
  const b = base as unknown as Record<string, unknown> | undefined;
  for (const key of new Set([...Object.keys(r), ...Object.keys(m)])) {
    if (NOT_CONTENT.has(key)) continue;
    const mv = m[key];
    const tv = r[key];
    if (valueEqual(mv, tv)) continue;
    const bv = b?.[key];
    // Only this device changed it, and the server's copy is still a draft: this device's value.
    if (b && valueEqual(tv, bv) && editable) {
      if (mv === undefined) delete merged[key];
      else merged[key] = mv;
      continue;
    }
    // Only the server's side changed it (or nobody knows the base): the server's value stays.
    if (b && valueEqual(mv, bv)) continue;
    conflicts.push({ field: key, base: bv ?? null, mine: mv ?? null, theirs: tv ?? null });
  }
  // This device's own acts, added to the server's state (the server checks each of them again).
  const known = new Set(real.decisions.map((d) => d.id));
  const fresh = mine.decisions.filter((d) => !known.has(d.id));
  const decisions = [...real.decisions, ...fresh];
  const final = real.status === 'approved' || real.status === 'rejected' || real.status === 'withdrawn';
  if (!real.withdrawn && mine.withdrawn && !final && fresh.length === 0) merged.withdrawn = mine.withdrawn;
  if (!real.filed && mine.filed && real.status === 'approved') merged.filed = mine.filed;
  if (fresh.length > 0 || merged.withdrawn !== real.withdrawn || merged.filed !== real.filed) {
    merged.updatedAt = mine.updatedAt;
    merged.updatedBy = mine.updatedBy;
  }
  const next = withDerived({ ...(merged as unknown as ChangeRequestDoc), decisions });
  const document = (docEqual(next as never, real as never)
    ? real
    : { ...next, _deleted: false }) as unknown as SyncDoc;
  const issues: SyncIssueDoc[] = conflicts.map((c) => ({
    id: conflictIssueId('changeRequests', real.id, c.field, c.mine, c.theirs),
    kind: 'conflict',
    docCollection: 'changeRequests',
    docId: real.id,
    schoolId: real.schoolId,
    orgPath: real.orgPath,
    docTitle: docTitle('changeRequests', real as unknown as SyncDoc).slice(0, 100),
    field: c.field,
    fieldLabel: FIELD_LABELS[c.field] ?? c.field,
    base: c.base,
    mine: c.mine,
    theirs: c.theirs,
    mineBy: mine.updatedBy,
    mineAt: mine.updatedAt,
    ...(ctx.device ? { mineDevice: ctx.device.slice(0, 80) } : {}),
    theirsBy: real.updatedBy,
    theirsAt: real.updatedAt,
    status: 'open',
    createdAt: ctx.now,
    createdBy: ctx.by,
    updatedAt: ctx.now,
    updatedBy: ctx.by,
  }));
  return { document, issues };
}
