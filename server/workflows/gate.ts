// The server's decision on a pushed change request (issue 12 "On the server"): it gathers what only the
// server knows — the orgs of both schools, the students as stored, their other requests, R-ONE's answer
// for a transfer-in or a new ID number, new 学籍辅号 — and runs the shared decideTransition. The push then
// stores what it returns (route, findings and what approval did filled in by the server) or refuses the
// row with the rule and a Chinese reason; a refused submission is kept as the school's draft.

import { chinaDate } from '../../shared/calendar/china';
import type { OrgDoc } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import type { RegistryLimits } from '../../shared/sync/limits';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import { ACTIVE_STATUSES, type RuleRefusal, rOneRefusal } from '../../shared/sync/rules';
import { needsNewAuxNo } from '../../shared/workflows/apply';
import { refusal, type ServerFacts } from '../../shared/workflows/checks';
import { decideTransition, type TransitionKind } from '../../shared/workflows/decide';
import { buildFacts } from '../../shared/workflows/facts';
import { deriveState } from '../../shared/workflows/state';
import type { ChangeRequestDoc, WorkflowActor, WorkflowRefusal } from '../../shared/workflows/types';
import { registryCheck } from '../registry/registry';
import type { Sql } from '../store/db';

export type GateContext = { tx: Sql; user: SyncUser; now: Date; registry: RegistryLimits };

export type GateResult =
  | { ok: true; doc: SyncDoc; kind: TransitionKind }
  /** `draft`: a refused submission, kept as the school's draft (stored, answered with the refusal) */
  | { ok: false; refusal: RuleRefusal; draft?: SyncDoc };

export function actorOf(user: SyncUser): WorkflowActor {
  return {
    id: user.id,
    name: user.displayName,
    role: user.role,
    orgId: user.orgId,
    orgName: user.orgName,
    orgPath: user.orgPath,
  };
}

const toRule = (r: WorkflowRefusal): RuleRefusal => ({
  code: r.code,
  reason: r.reason,
  ...(r.field ? { field: r.field } : {}),
});

async function orgsOf(tx: Sql, schoolIds: readonly (string | undefined)[]): Promise<OrgDoc[]> {
  const schools = schoolIds.filter((s): s is string => typeof s === 'string' && s !== '');
  if (schools.length === 0) return [];
  const rows = await tx.query<{ data: OrgDoc }>(
    `select data from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
    [schools],
  );
  const ids = new Set<string>();
  for (const r of rows) for (const id of r.data.path.split('/').filter(Boolean)) ids.add(id);
  const all = await tx.query<{ data: OrgDoc }>(
    `select data from docs where collection = 'orgs' and not deleted and id = any($1::text[])`,
    [[...ids]],
  );
  return all.map((r) => r.data);
}

async function studentsByIds(tx: Sql, ids: readonly string[]): Promise<Student[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<{ data: Student }>(
    `select data from docs where collection = 'students' and not deleted and id = any($1::text[])`,
    [ids],
  );
  return rows.map((r) => r.data);
}

async function requestsOf(
  tx: Sql,
  studentIds: readonly string[],
  exceptId: string,
): Promise<ChangeRequestDoc[]> {
  if (studentIds.length === 0) return [];
  const rows = await tx.query<{ data: ChangeRequestDoc }>(
    `select data from docs where collection = 'changeRequests' and not deleted and id <> $2
       and data->'studentIds' ?| $1::text[]`,
    [studentIds, exceptId],
  );
  return rows.map((r) => r.data);
}

/** Is this push the submission (a draft, or nothing yet, gaining the decision of step 0)? */
function isSubmission(before: ChangeRequestDoc | null, after: ChangeRequestDoc): boolean {
  const wasDraft =
    !before || deriveState(before.route, before.decisions, before.withdrawn).status === 'draft';
  const known = new Set((before?.decisions ?? []).map((d) => d.id));
  return wasDraft && after.decisions.some((d) => !known.has(d.id));
}

const R_ONE = (reason: string, field = 'students'): WorkflowRefusal =>
  refusal('R-ONE', `R-ONE 一人一籍（YQ 四(一)）：${reason}`, field);

/**
 * R-ONE of a transfer (YQ 四(一) "籍随人走"): at submission the receiving school's lookup is checked again
 * (counted and recorded like every R-ONE check: the registry answers only with the matching name); at each
 * decision the record is still the one active record of that number, at the sending school.
 */
async function transferRecord(
  ctx: GateContext,
  before: ChangeRequestDoc | null,
  after: ChangeRequestDoc,
): Promise<ServerFacts['transferRecord']> {
  if (isSubmission(before, after)) {
    const s = after.students[0];
    if (!s?.idNo) return { refusal: refusal('REQUIRED', '请填写转入学生的身份证件号', 'students') };
    const found = await registryCheck(ctx.tx, {
      user: ctx.user,
      idNo: s.idNo,
      name: s.name,
      via: 'push',
      now: ctx.now,
      limits: ctx.registry,
    });
    if (found.kind === 'none')
      return { refusal: R_ONE('该身份证件号没有在籍记录，不需办理转学，可作为新生登记') };
    if (found.kind === 'limited') return { refusal: { ok: false, ...rOneRefusal(found) } };
    if (found.kind === 'visible' && found.schoolId === after.schoolId)
      return { refusal: R_ONE('该生已是本校在籍学生，不需转学', 'fromSchoolId') };
    if (!found.schoolId)
      return { refusal: R_ONE('姓名与该身份证件号的在籍记录不符，请核对学生姓名和证件号后重新查询') };
    if (found.schoolId !== after.fromSchoolId)
      return { refusal: R_ONE('该生的学籍不在所填的转出学校，请重新按姓名和证件号查询', 'fromSchoolId') };
    const rows = await ctx.tx.query<{ data: Student }>(
      `select data from docs where collection = 'students' and not deleted and school_id = $1
         and data->>'idNo' = $2 and data->>'status' = any($3::text[]) limit 2`,
      [found.schoolId, s.idNo.trim().toUpperCase(), ACTIVE_STATUSES],
    );
    const record = rows[0]?.data;
    if (!record || rows.length > 1)
      return { refusal: R_ONE('该身份证件号在转出学校的在籍记录不唯一，请联系教育局核查') };
    return { student: record };
  }
  const id = after.studentIds[0] ?? '';
  const [record] = await studentsByIds(ctx.tx, [id]);
  if (!record) return { refusal: refusal('NOT_FOUND', '申请中的学生记录在省级平台上不存在', 'studentIds') };
  const [other] = await ctx.tx.query<{ n: string }>(
    `select count(*)::text as n from docs where collection = 'students' and not deleted and id <> $1
       and data->>'idNo' = $2 and data->>'status' = any($3::text[])`,
    [record.id, record.idNo, ACTIVE_STATUSES],
  );
  if (Number(other?.n ?? 0) > 0)
    return { refusal: R_ONE('该身份证件号另有在籍记录，请联系教育局核查后再办理') };
  return { student: record };
}

/** R-ONE before an info change of the ID number: the new number has no other active record. */
async function idNoTaken(ctx: GateContext, after: ChangeRequestDoc): Promise<WorkflowRefusal | undefined> {
  const item = after.items?.find((it) => it.field === 'idNo');
  const studentId = after.studentIds[0];
  if (!item?.after || !studentId) return undefined;
  const [s] = await studentsByIds(ctx.tx, [studentId]);
  const found = await registryCheck(ctx.tx, {
    user: ctx.user,
    idNo: item.after,
    name: s?.name ?? '',
    excludeId: studentId,
    via: 'push',
    now: ctx.now,
    limits: ctx.registry,
  });
  if (found.kind === 'none') return undefined;
  const r = rOneRefusal(found);
  return refusal(r.code, r.reason, 'items');
}

/**
 * 学籍辅号 the province assigns (YQ 二(一) "普通高中首次注册按照省厅规定分配学籍辅号"): the province's code, the
 * year, a serial of six digits — the next free one under the write lock every push holds.
 */
async function nextAuxNos(tx: Sql, orgs: readonly OrgDoc[], count: number, year: string): Promise<string[]> {
  const province = orgs.find((o) => o.kind === 'province')?.id ?? '00';
  const prefix = `${province}${year}`;
  const [row] = await tx.query<{ top: string | null }>(
    `select max(data->>'auxNo') as top from docs where collection = 'students'
       and data->>'auxNo' like $1 and length(data->>'auxNo') = $2`,
    [`${prefix}%`, prefix.length + 6],
  );
  const start = Number(row?.top?.slice(prefix.length) ?? 0) || 0;
  return Array.from({ length: count }, (_, i) => `${prefix}${String(start + i + 1).padStart(6, '0')}`);
}

export async function changeRequestGate(
  ctx: GateContext,
  beforeDoc: SyncDoc | null,
  nextDoc: SyncDoc,
): Promise<GateResult> {
  const before = beforeDoc as unknown as ChangeRequestDoc | null;
  const after = nextDoc as unknown as ChangeRequestDoc;
  const actor = actorOf(ctx.user);
  const server: ServerFacts = {};
  const fresh = after.decisions.some((d) => !(before?.decisions ?? []).some((b) => b.id === d.id));
  if (after.type === 'transfer' && fresh) server.transferRecord = await transferRecord(ctx, before, after);
  const record =
    server.transferRecord && 'student' in server.transferRecord ? server.transferRecord.student : null;
  const ids = [
    ...new Set([...(before?.studentIds ?? []), ...after.studentIds, ...(record ? [record.id] : [])]),
  ];
  const orgs = await orgsOf(ctx.tx, [
    after.schoolId,
    after.fromSchoolId,
    before?.fromSchoolId,
    record?.schoolId,
  ]);
  const students = await studentsByIds(ctx.tx, ids);
  const requests = await requestsOf(ctx.tx, ids, after.id);
  const taken = after.type === 'infoChange' && fresh ? await idNoTaken(ctx, after) : undefined;
  const facts = (extra: ServerFacts = {}) =>
    buildFacts({
      schoolId: after.schoolId,
      orgs,
      students,
      requests,
      now: ctx.now.toISOString(),
      server: { ...server, ...extra },
      ...(taken ? { idNoTaken: taken } : {}),
    });
  let r = decideTransition(before, after, actor, facts());
  // What approval does may need new 学籍辅号: assigned now, then the decision is taken with them.
  if (r.ok && r.doc.status === 'approved' && before?.status !== 'approved') {
    const need = students.filter(
      (s) => r.ok && r.doc.studentIds.includes(s.id) && needsNewAuxNo(r.doc, s, { orgs }),
    );
    if (need.length > 0) {
      const numbers = await nextAuxNos(
        ctx.tx,
        orgs,
        need.length,
        chinaDate(ctx.now.toISOString()).slice(0, 4),
      );
      const newAuxNos = Object.fromEntries(need.map((s, i) => [s.id, numbers[i] as string]));
      r = decideTransition(before, after, actor, facts({ newAuxNos }));
    }
  }
  if (r.ok) return { ok: true, doc: r.doc as unknown as SyncDoc, kind: r.kind };
  if (r.draft) {
    const kept = decideTransition(before, r.draft, actor, facts());
    if (kept.ok) return { ok: false, refusal: toRule(r), draft: kept.doc as unknown as SyncDoc };
  }
  return { ok: false, refusal: toRule(r) };
}
