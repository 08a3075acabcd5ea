// The authorisation matrix (issue 8), generated from the authority table: every role × collection ×
// operation × relation that can be built here is checked against the real server on PGlite and on
// PostgreSQL, through pull, push (the answer's contents included), the live stream, attachment bytes,
// the device list and the administration API (organisations are written only there: a pushed org is refused). Each cell is its own test, named like `counselor × students × read × otherClass →
// deny (pull)`. The expected decision comes from the table (shared/authority) applied to the scope this
// test placed each record in — not from the server's own scope computation.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideOrgWrite } from '../../shared/admin/orgs';
import { decideWrite } from '../../shared/authority/fields';
import {
  type AuthDecision,
  type AuthUser,
  decide,
  entryName,
  type RowScope,
  relationsOf,
} from '../../shared/authority/relation';
import { AUTHORITY, NOT_REPLICATED, OPERATIONS, type Operation, ROLES } from '../../shared/authority/table';
import { attachmentRecordId, evidenceRecordId } from '../../shared/domain/attachment-types';
import { DEFAULT_KEY_FIELDS } from '../../shared/domain/student';
import { followUpIdOf, reportIdOf, selfCheckIdOf, templateDocIdOf } from '../../shared/inspections/records';
import {
  BUILT_IN_TEMPLATES,
  builtInTemplateFor,
  copyTemplate,
  templateRef,
  VOCATIONAL_TEMPLATE,
} from '../../shared/inspections/templates';
import { generateStudents } from '../../shared/seed/roster';
import { canonicalJson } from '../../shared/sync/equal';
import { DEFAULT_SYNC_LIMITS } from '../../shared/sync/limits';
import { REFUSAL_FIELD, type Role, type SyncDoc } from '../../shared/sync/protocol';
import { definitionOf } from '../../shared/workflows/definitions';
import { resolveRoute } from '../../shared/workflows/route';
import type { ChangeRequestDoc } from '../../shared/workflows/types';
import { createUser } from '../auth/accounts';
import { demoCreditCode } from '../demo/seed';
import { attemptedOf, writeAsServer } from '../sync/store';
import { BACKENDS, dropSchema, makeEnv, PASSWORD, pullAll, pushRows, type TestEnv } from './helpers';

const AT = '2026-09-01T08:00:00.000Z';
const C1 = '2024级1班';
const C2 = '2024级2班';
const ORGS = [
  { id: '41', kind: 'province', name: '测试省教育厅' },
  { id: '4101', kind: 'city', name: '甲市教育局', parentId: '41' },
  { id: '4102', kind: 'city', name: '乙市教育局', parentId: '41' },
  { id: '410101', kind: 'county', name: '甲一县教育局', parentId: '4101' },
  { id: '410102', kind: 'county', name: '甲二县教育局', parentId: '4101' },
  // SA and SB are vocational with a registered campus: routine verification's tasks need both.
  {
    id: 'SA',
    kind: 'school',
    name: '甲一县第一中学',
    parentId: '410101',
    ...schoolAttributes('vocational', 1),
    campus: { lat: 34.7, lng: 113.6, radiusM: 500 },
  },
  {
    id: 'SB',
    kind: 'school',
    name: '甲一县职业中专',
    parentId: '410101',
    ...schoolAttributes('vocational', 2),
    campus: { lat: 34.8, lng: 113.7, radiusM: 500 },
  },
  { id: 'SD', kind: 'school', name: '甲二县第一中学', parentId: '410102', ...schoolAttributes('k12', 3) },
  { id: 'SC', kind: 'school', name: '乙市第二中学', parentId: '4102', ...schoolAttributes('k12', 4) },
];
/** What the administration API requires of a school (shared/admin/orgs.ts), so edits of these schools validate. */
function schoolAttributes(type: 'k12' | 'vocational', n: number) {
  return {
    schoolType: type,
    level: type === 'k12' ? 'junior' : 'vocational',
    ownership: 'public',
    schoolingYears: 3,
    creditCode: demoCreditCode('public', '410101', 40_000_000 + n),
  };
}
const PATH: Record<string, string> = {};
for (const o of ORGS) PATH[o.id] = `${o.parentId ? PATH[o.parentId] : '/'}${o.id}/`;
const ORG_DOCS: SyncDoc[] = ORGS.map((o) => ({ ...o, path: PATH[o.id], updatedAt: AT }));

type Person = { id: string; label: string; role: Role; orgId: string; classIds: string[] };
const person = (id: string, label: string, role: Role, orgId: string, classIds: string[] = []): Person => ({
  id,
  label,
  role,
  orgId,
  classIds,
});
/** The users under test: every role, bureaus at two levels. */
const SUBJECTS: Person[] = [
  person('m.prov', 'province', 'province', '41'),
  person('m.city', 'bureau(city)', 'bureau', '4101'),
  person('m.county', 'bureau(county)', 'bureau', '410101'),
  person('m.insp', 'inspector', 'inspector', '4101'),
  person('m.admin', 'schoolAdmin', 'schoolAdmin', 'SA'),
  person('m.teacher', 'counselor', 'counselor', 'SA', [C1]),
];
/** Other people whose records and devices sit in every relation to the subjects. */
const HELPERS: Person[] = [
  person('h.adminA2', 'h', 'schoolAdmin', 'SA'),
  person('h.teacherA2', 'h', 'counselor', 'SA', [C2]),
  person('h.adminB', 'h', 'schoolAdmin', 'SB'),
  person('h.adminD', 'h', 'schoolAdmin', 'SD'),
  person('h.adminC', 'h', 'schoolAdmin', 'SC'),
  person('h.county2', 'h', 'bureau', '410102'),
  person('h.cityB', 'h', 'bureau', '4102'),
  person('h.prov2', 'h', 'province', '41'),
  // inspectors drawn with the subject (h.insp2) and for the county's own inspection (h.insp3)
  person('h.insp2', 'h', 'inspector', '4101'),
  person('h.insp3', 'h', 'inspector', '410101'),
];
const PEOPLE = [...SUBJECTS, ...HELPERS];
const UPLOADER: Record<string, string> = { SA: 'h.adminA2', SB: 'h.adminB', SD: 'h.adminD', SC: 'h.adminC' };
const authUser = (p: Person): AuthUser => ({
  id: p.id,
  role: p.role,
  orgPath: PATH[p.orgId] ?? '/',
  classIds: p.classIds,
});

/** Where class-scoped records are placed: every relation of a school user, and of a bureau. */
const PLACES = [
  { key: 'SA.1', school: 'SA', classId: C1 },
  { key: 'SA.2', school: 'SA', classId: C2 },
  { key: 'SB.1', school: 'SB', classId: C1 },
  { key: 'SD.1', school: 'SD', classId: C1 },
  { key: 'SC.1', school: 'SC', classId: C1 },
];
const inPlace = (p: (typeof PLACES)[number]): RowScope => ({
  owner: { path: PATH[p.school] ?? '', classId: p.classId },
});
const atOrg = (id: string): RowScope => ({ owner: { path: PATH[id] ?? '' } });

const tagOfId = (id: string) => id.replace(/\W/g, '');

/** A record this test placed, with the scope it placed it in. */
type Placed = { collection: string; id: string; scope: RowScope; sha?: string };

// ---- the documents --------------------------------------------------------------------------------

let seed = 100;
function student(id: string, school: string, classId: string): SyncDoc {
  const [s] = generateStudents({ count: 1, seed: seed++, schoolId: school, orgPath: PATH[school] ?? '' });
  return { ...(s as unknown as SyncDoc), id, classId, grade: '2024级' };
}
const event = (id: string, school: string, entity: string, entityId: string): SyncDoc => ({
  id,
  schoolId: school,
  entity,
  entityId,
  action: 'student-update',
  at: AT,
  by: 'seed',
  before: { phone: '13900000000' },
  after: { phone: '13912345678' },
});
const conflict = (id: string, school: string, docId: string): SyncDoc => ({
  id,
  kind: 'conflict',
  docCollection: 'students',
  docId,
  schoolId: school,
  orgPath: PATH[school],
  field: 'phone',
  fieldLabel: '联系电话',
  base: '1',
  mine: '2',
  theirs: '3',
  status: 'open',
  createdAt: AT,
  createdBy: 'seed',
  updatedAt: AT,
  updatedBy: 'seed',
});
const refusalIssue = (id: string, p: Person): SyncDoc => ({
  id,
  kind: 'refusal',
  docCollection: 'students',
  docId: `x-${id}`,
  schoolId: p.orgId,
  orgPath: PATH[p.orgId],
  code: 'STATUS_FIELD',
  reason: '学籍异动须经审批',
  attempted: { id: `x-${id}` },
  status: 'open',
  createdAt: AT,
  createdBy: p.id,
  updatedAt: AT,
  updatedBy: 'server',
});
function attachment(school: string, sha: string, entity: string, entityId: string, size: number): SyncDoc {
  return {
    id: attachmentRecordId(school, sha),
    sha256: sha,
    schoolId: school,
    orgPath: PATH[school],
    name: '入学登记表.png',
    mime: 'image/png',
    size,
    entity,
    entityId,
    kind: 'scan',
    createdAt: AT,
    createdBy: 'seed',
    updatedAt: AT,
    updatedBy: 'seed',
  };
}
const bytesFor = (label: string) => Buffer.from(`扫描件内容 ${label} ${'x'.repeat(64)}`);
const shaOf = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// Routine verification: tasks of several issuers (their schools are parties), a term record, a leave and
// per subject an appeal about a task that subject's org issued (a decision is made once: each subject
// decides its own appeal, so every allowed decision is a valid one).
const FENCES = { SA: { lat: 34.7, lng: 113.6, radiusM: 500 }, SB: { lat: 34.8, lng: 113.7, radiusM: 500 } };
const ISSUER_OF: Record<string, string> = {
  province: 'province',
  city: 'bureau',
  county: 'bureau',
  school: 'school',
};
function vTask(id: string, org: string, schools: string[], start: string, end: string, by = 'seed'): SyncDoc {
  const kind = ORGS.find((o) => o.id === org)?.kind ?? 'school';
  return {
    id,
    kind: 'task',
    schoolId: org,
    orgPath: PATH[org],
    termKey: '2026-08-01',
    issuer: ISSUER_OF[kind],
    issuerName: org,
    name: `核验 ${id}`,
    start,
    end,
    scope: { schoolIds: schools },
    fences: Object.fromEntries(schools.map((x) => [x, FENCES[x as keyof typeof FENCES]])),
    ...(kind === 'school' ? { test: true } : {}),
    status: 'published',
    createdAt: AT,
    createdBy: by,
    updatedAt: AT,
    updatedBy: by,
  };
}
/** Past tasks of the seed (their windows closed before the test's clock, 2026-09-01 08:00Z). */
const PAST = ['2026-08-20T00:00:00.000Z', '2026-08-20T10:00:00.000Z'] as const;
const V_TASKS = [
  { id: 'mt-41', org: '41', schools: ['SA', 'SB'] },
  { id: 'mt-4101', org: '4101', schools: ['SB'] },
  { id: 'mt-410101', org: '410101', schools: ['SA', 'SB'] },
  { id: 'mt-SA', org: 'SA', schools: ['SA'] },
  { id: 'mt-4102', org: '4102', schools: ['SC'] },
  // the task the appeals of the create plan are about (no placed appeal names it)
  { id: 'mt-create', org: '410101', schools: ['SA', 'SB'] },
];
const taskScope = (org: string, schools: string[]): RowScope => ({
  owner: { path: PATH[org] ?? '' },
  parties: schools.map((x) => ({ path: PATH[x] ?? '' })),
});
const vRecord = (p: (typeof PLACES)[number]): SyncDoc => ({
  id: `vr-${p.key}`,
  kind: 'record',
  schoolId: p.school,
  orgPath: PATH[p.school],
  classId: p.classId,
  studentId: `st-${p.key}`,
  studentName: '学生',
  termKey: '2026-08-01',
  term: { start: '2026-08-01', end: '2027-01-31' },
  results: {
    'mt-41': { s: 'missed' },
    'mt-4101': { s: 'missed' },
    'mt-410101': { s: 'missed' },
    'mt-create': { s: 'missed' },
  },
  updatedAt: AT,
  updatedBy: 'server',
});
function vLeave(id: string, p: (typeof PLACES)[number], by: string, from: string): SyncDoc {
  return {
    id,
    kind: 'leave',
    schoolId: p.school,
    orgPath: PATH[p.school],
    classId: p.classId,
    studentId: `st-${p.key}`,
    from,
    to: from,
    reason: '病假',
    status: 'pending',
    via: 'desk',
    requestedAt: AT,
    requestedBy: by,
    updatedAt: AT,
    updatedBy: by,
  };
}
/** The task a subject decides appeals about: one its own org issued (the province's for the others). */
const DECIDES: Record<string, string> = { 'm.city': 'mt-4101', 'm.county': 'mt-410101' };
function vAppeal(id: string, p: (typeof PLACES)[number], taskId: string, by = 'seed'): SyncDoc {
  return {
    id,
    schoolId: p.school,
    orgPath: PATH[p.school],
    classId: p.classId,
    studentId: `st-${p.key}`,
    taskIds: [taskId],
    reason: '当天在校',
    via: 'school',
    status: 'submitted',
    submittedAt: AT,
    submittedBy: by,
    updatedAt: AT,
    updatedBy: by,
  };
}

/** Equal as stored documents (jsonb orders keys its own way). */
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
/** What a refused, unreadable row's answer echoes: the writer's own attempt, bounded, as a tombstone. */
const echo = (collection: string, attempt: SyncDoc): SyncDoc => ({
  ...attemptedOf(collection, attempt, DEFAULT_SYNC_LIMITS),
  id: attempt.id,
  _deleted: true,
});

/** A stamp of its own for every change (a change equal to the master would be no change at all). */
const stampOf = (n: number) => new Date(Date.UTC(2026, 8, 2, 2, 0, 0, n)).toISOString();

/** How each operation changes a record of each collection (a unique value per subject). */
function change(collection: string, op: Operation, master: SyncDoc, who: Person, n: number): SyncDoc | null {
  const tag = who.id.replace(/\W/g, '');
  switch (`${collection}.${op}`) {
    case 'students.update':
      return { ...master, address: `河南省测试路${n}号${tag}` };
    case 'students.updateKey':
      return { ...master, name: `${String(master.name).slice(0, 3)}${'甲乙丙丁戊己'[n % 6]}` };
    case 'students.updateWorkflow':
      return {
        ...master,
        status: ['suspended', 'withdrawn', 'graduated', 'abroad', 'cancelled', 'deceased'][n % 6],
      };
    case 'events.update':
      return { ...master, reason: `改写历史 ${tag}` };
    case 'attachments.update':
      return { ...master, name: `扫描件-${tag}.png` };
    case 'attachments.updateKey':
      return { ...master, size: Number(master.size) + n + 1 };
    case 'attachments.updateWorkflow':
      return { ...master, orgPath: `/x/${tag}/` };
    case 'syncIssues.update':
      return { ...master, resolvedBy: tag, updatedAt: `2026-09-0${(n % 8) + 2}T00:00:00Z` };
    case 'syncIssues.updateKey':
      return { ...master, mine: `值${tag}` };
    case 'orgs.update':
      return { ...master, address: `测试地址${tag}` };
    // A request's content is edited while it is a draft (its school only); a submitted one is touched by
    // a workflow field (the stamp), which the workflow accepts from anyone the table lets act on it.
    case 'changeRequests.update':
      return master.status === 'draft'
        ? { ...master, reason: `修改原因 ${tag}`, updatedAt: `2026-09-0${(n % 8) + 2}T01:00:00Z` }
        : null;
    case 'changeRequests.updateWorkflow':
      return master.status === 'draft' ? null : { ...master, updatedAt: stampOf(n) };
    case 'changeRequests.updateKey':
      return { ...master, type: 'withdrawal' };
    case 'orgs.updateWorkflow':
      return { ...master, settings: { updatedAt: tag } };
    case 'inspections.update': {
      const field = {
        plan: 'visitTo',
        inspection: 'problems',
        report: 'content',
        followUp: 'requirement',
        selfCheck: 'title',
      }[String(master.kind)];
      const value =
        field === 'visitTo' ? `2026-10-${String((n % 28) + 1).padStart(2, '0')}` : `修改${tag}${n}`;
      return {
        ...master,
        [field ?? 'title']: value,
        updatedBy: who.id,
        updatedAt: `2026-09-03T00:00:00.${String(n % 1000).padStart(3, '0')}Z`,
      };
    }
    case 'inspections.updateWorkflow':
      return { ...master, schoolId: 'SC', updatedBy: who.id };
    // routine verification: a stamp is the ordinary change every content rule lets through
    case 'verifications.update':
    case 'leaves.update':
    case 'appeals.update':
      return { ...master, updatedAt: `2026-09-0${(n % 8) + 2}T00:00:00.000Z`, updatedBy: who.id };
    case 'verifications.updateKey':
      return master.kind === 'task'
        ? { ...master, name: `改名${tag}` }
        : { ...master, studentName: `改名${tag}` };
    case 'verifications.updateWorkflow':
      // results (and consequences) are the server's: on a record, and on a task that has none
      return { ...master, results: { forged: { s: 'passed' } } };
    case 'leaves.updateKey':
      return { ...master, from: '2026-08-30' };
    case 'appeals.updateKey':
      return { ...master, reason: `改写 ${tag}` };
    case 'appeals.updateWorkflow': {
      // each subject decides (or, for the school, withdraws) only the appeal placed for it
      if (!String(master.id).endsWith(`-${tag}`)) return null;
      if (who.role === 'schoolAdmin') return { ...master, status: 'withdrawn', updatedBy: who.id };
      return {
        ...master,
        status: 'rejected',
        decidedAt: '2026-09-01T09:00:00.000Z',
        decidedBy: who.id,
        decidedOrgId: who.orgId,
        opinion: '经核实，核验结果无误',
        updatedBy: who.id,
      };
    }
    default:
      return op === 'delete' ? { ...master, _deleted: true } : null;
  }
}

// ---- change requests (issue 12): a draft, a submitted suspension, transfers with the other school as a party

/** The route the server computes for a request (so the stored state is what the server would store). */
const routeOf = (doc: ChangeRequestDoc) =>
  resolveRoute(definitionOf(doc.type), doc, ORG_DOCS as never, false);

function request(
  id: string,
  school: string,
  type: ChangeRequestDoc['type'],
  o: Partial<ChangeRequestDoc> = {},
): SyncDoc {
  const base: ChangeRequestDoc = {
    id,
    type,
    schoolId: school,
    orgPath: PATH[school] ?? '',
    studentIds: [],
    students: [{ name: '王小明', gender: '1', idNo: '410102200901024562', grade: '2024级', classId: C1 }],
    details: {},
    reason: '测试',
    applicant: { name: '王志刚' },
    appliedOn: '2026-09-01',
    proofs: [],
    route: [],
    decisions: [],
    status: 'draft',
    step: 0,
    createdAt: AT,
    createdBy: 'seed',
    updatedAt: AT,
    updatedBy: 'seed',
    ...o,
  };
  const route = routeOf(base);
  if (base.status === 'draft') return { ...base, route } as unknown as SyncDoc;
  const d0 = {
    id: `${id}-d0`,
    step: 0,
    decision: 'approve' as const,
    opinion: '同意上报',
    by: 'seed',
    byName: '经办人',
    orgId: school,
    orgName: school,
    at: AT,
  };
  return { ...base, route, decisions: [d0], status: 'submitted', step: 1 } as unknown as SyncDoc;
}
const transferFrom = (from: string) => ({
  fromSchoolId: from,
  fromSchoolName: from,
  details: { toGrade: '2024级', toClass: C1 },
});
const REQUESTS = [
  { doc: request('cr-draft-SA', 'SA', 'suspension'), scope: atOrg('SA') },
  { doc: request('cr-sub-SC', 'SC', 'suspension', { status: 'submitted' }), scope: atOrg('SC') },
  {
    doc: request('cr-tx-SA-SD', 'SA', 'transfer', { status: 'submitted', ...transferFrom('SD') }),
    scope: { owner: { path: PATH.SA ?? '' }, parties: [{ path: PATH.SD ?? '' }] },
  },
  {
    doc: request('cr-tx-SD-SA', 'SD', 'transfer', { status: 'submitted', ...transferFrom('SA') }),
    scope: { owner: { path: PATH.SD ?? '' }, parties: [{ path: PATH.SA ?? '' }] },
  },
];
const TRANSFER_SCOPE = REQUESTS[3]?.scope as RowScope;

const ATTACHMENT_PLACES = [
  ...PLACES.map((p) => ({
    key: p.key,
    school: p.school,
    entity: 'student',
    entityId: `st-${p.key}`,
    scope: inPlace(p),
  })),
  { key: 'org-SA', school: 'SA', entity: 'org', entityId: 'SA', scope: atOrg('SA') },
  // a proof of a transfer: readable by both schools and their bureaus (party)
  { key: 'cr-SD', school: 'SD', entity: 'changeRequest', entityId: 'cr-tx-SD-SA', scope: TRANSFER_SCOPE },
];

// ---- inspections (issue 14): a city plan, the city's inspection of SA (the subject inspector drawn), the
// county's inspection of SB, SA's self-check, a follow-up and a draft report of the city's inspection, and
// their dependents — history, evidence and conflicts, each decided by its `…@inspections` entry; records
// whose inspection is not on the server yet are their writer's only (pending).
const INSP_A = `I${'a'.repeat(16)}`;
const INSP_B = `I${'b'.repeat(16)}`;
const PLAN_A = `P${'a'.repeat(16)}`;
const SELF_SA = `C${'a'.repeat(16)}`;
const FOLLOW_A = followUpIdOf(INSP_A, 'voc-1');
const REPORT_A = reportIdOf(INSP_A);
const MISSING = `I${'f'.repeat(16)}`;
const scopeA: RowScope = {
  owner: { path: PATH['4101'] ?? '' },
  parties: [{ path: PATH.SA ?? '' }],
  users: ['h.insp2', 'm.insp'],
};
const scopeB: RowScope = {
  owner: { path: PATH['410101'] ?? '' },
  parties: [{ path: PATH.SB ?? '' }],
  users: ['h.insp3'],
};
const via = (scope: RowScope): RowScope => ({ ...scope, via: 'inspections' });
const pending = (id: string): RowScope => ({ owner: null, users: [id], via: 'inspections' });
const PENDING_WRITERS = ['m.city', 'm.county', 'm.admin', 'm.insp'];
const base = (id: string, kind: string, school: string, bureau: string, by = 'seed') => ({
  id,
  kind,
  schoolId: school,
  bureauId: bureau,
  orgPath: PATH[school],
  title: `${kind} ${id.slice(0, 6)}`,
  createdAt: AT,
  createdBy: by,
  updatedAt: AT,
  updatedBy: by,
});
const visitDoc = (id: string, school: string, bureau: string, inspectors: string[]): SyncDoc => ({
  ...base(id, 'inspection', school, bureau),
  status: 'recorded',
  planId: PLAN_A,
  matter: { id: 'XJ-1', name: '学籍抽查' },
  schoolName: school,
  bureauName: bureau,
  inspectors: inspectors.map((userId) => ({ userId, name: userId, enforcementId: '执法-0001' })),
  template: VOCATIONAL_TEMPLATE,
  drawDate: '2026-09-01',
  endedAt: AT,
});
const INSPECTION_DOCS: SyncDoc[] = [
  {
    ...base(PLAN_A, 'plan', '4101', '4101'),
    status: 'draft',
    matter: { id: 'XJ-1', name: '学籍抽查' },
    inputs: { objects: [], inspectors: [], size: { count: 1 }, perObject: 2 },
    templates: {
      vocational: templateRef(BUILT_IN_TEMPLATES[0] as never),
      k12: templateRef(BUILT_IN_TEMPLATES[1] as never),
    },
  },
  visitDoc(INSP_A, 'SA', '4101', ['m.insp', 'h.insp2']),
  visitDoc(INSP_B, 'SB', '410101', ['h.insp3']),
  {
    ...base(SELF_SA, 'selfCheck', 'SA', 'SA'),
    status: 'open',
    template: builtInTemplateFor('k12'),
    checks: {},
  },
];
const INSPECTION_CHILDREN: SyncDoc[] = [
  {
    ...base(FOLLOW_A, 'followUp', 'SA', '4101'),
    status: 'open',
    inspectionId: INSP_A,
    itemId: 'voc-1',
    itemNo: '（一）',
    itemTitle: VOCATIONAL_TEMPLATE.items[0]?.title,
    problem: '制度不全',
    requirement: '补齐',
    answers: [],
    reviews: [],
  },
  {
    ...base(REPORT_A, 'report', 'SA', '4101'),
    status: 'draft',
    inspectionId: INSP_A,
    issuer: '甲市教育局',
    schoolName: 'SA',
    inspectionDate: '2026-09-01',
    reportDate: '2026-09-02',
    inspectorNames: ['m.insp', 'h.insp2'],
    content: '检查内容',
    situation: '',
    evaluation: '',
    suggestions: '',
  },
];
const INSPECTION_PLACED: Placed[] = [
  { collection: 'inspections', id: PLAN_A, scope: atOrg('4101') },
  { collection: 'inspections', id: INSP_A, scope: scopeA },
  { collection: 'inspections', id: INSP_B, scope: scopeB },
  { collection: 'inspections', id: SELF_SA, scope: atOrg('SA') },
  { collection: 'inspections', id: FOLLOW_A, scope: scopeA },
  { collection: 'inspections', id: REPORT_A, scope: { ...scopeA, parties: [] } },
  { collection: 'events', id: 'ev-insp-A', scope: via(scopeA) },
  { collection: 'events', id: 'ev-insp-B', scope: via(scopeB) },
  { collection: 'events', id: 'ev-self-SA', scope: via(atOrg('SA')) },
  ...PENDING_WRITERS.map((p) => ({ collection: 'events', id: `ev-pend-${p}`, scope: pending(p) })),
  { collection: 'syncIssues', id: 'cf-insp-A', scope: via(scopeA) },
  { collection: 'syncIssues', id: 'cf-self-SA', scope: via(atOrg('SA')) },
  ...PENDING_WRITERS.map((p) => ({ collection: 'attachments', id: `att-pend-${p}`, scope: pending(p) })),
];
/** Evidence with bytes: uploaded by an inspector of the inspection (or the school, for its self-check). */
const EVIDENCE_PLACES = [
  { key: 'ev-A', entityId: INSP_A, school: 'SA', uploader: 'h.insp2', scope: via(scopeA) },
  { key: 'ev-B', entityId: INSP_B, school: 'SB', uploader: 'h.insp3', scope: via(scopeB) },
  { key: 'ev-self', entityId: SELF_SA, school: 'SA', uploader: 'h.adminA2', scope: via(atOrg('SA')) },
];
/** The workflow's own refusals (shared/inspections/workflow.ts): reached only where the table admitted the writer. */
const WORKFLOW_CODES = new Set(['WORKFLOW', 'INVALID']);

/** Every record of the seed and the scope this test places it in (static: the cells are named from it). */
const PLACED: Placed[] = [
  ...INSPECTION_PLACED,
  ...EVIDENCE_PLACES.map((e) => {
    const sha = shaOf(bytesFor(e.key));
    return { collection: 'attachments', id: evidenceRecordId(e.entityId, sha), scope: e.scope, sha };
  }),
  ...PLACES.flatMap((p) => [
    { collection: 'students', id: `st-${p.key}`, scope: inPlace(p) },
    { collection: 'events', id: `ev-${p.key}`, scope: inPlace(p) },
    { collection: 'syncIssues', id: `cf-${p.key}`, scope: inPlace(p) },
  ]),
  { collection: 'events', id: 'ev-org-SA', scope: atOrg('SA') },
  { collection: 'events', id: 'ev-org-SB', scope: atOrg('SB') },
  // The history of a bureau's and the province's own org documents (settings, term dates).
  ...['41', '4101', '410101'].map((o) => ({ collection: 'events', id: `ev-org-${o}`, scope: atOrg(o) })),
  ...PEOPLE.map((p) => ({
    collection: 'syncIssues',
    id: `rf-${p.id}`,
    scope: { ...atOrg(p.orgId), users: [p.id] },
  })),
  ...ORGS.map((o) => ({ collection: 'orgs', id: o.id, scope: atOrg(o.id) })),
  ...REQUESTS.map((r) => ({ collection: 'changeRequests', id: String(r.doc.id), scope: r.scope })),
  // the history of a transfer request: readable where the request is
  { collection: 'events', id: 'ev-cr-tx', scope: TRANSFER_SCOPE },
  ...ATTACHMENT_PLACES.map((a) => {
    const sha = shaOf(bytesFor(a.key));
    return { collection: 'attachments', id: attachmentRecordId(a.school, sha), scope: a.scope, sha };
  }),
  ...V_TASKS.map((t) => ({ collection: 'verifications', id: t.id, scope: taskScope(t.org, t.schools) })),
  ...PLACES.flatMap((p) => [
    { collection: 'verifications', id: `vr-${p.key}`, scope: inPlace(p) },
    { collection: 'leaves', id: `lv-${p.key}`, scope: inPlace(p) },
    ...SUBJECTS.map((who) => ({
      collection: 'appeals',
      id: `ap-${p.key}-${tagOfId(who.id)}`,
      scope: inPlace(p),
    })),
  ]),
];
const REPLICATED = Object.keys(AUTHORITY).filter((c) => !NOT_REPLICATED.has(c) && !c.includes('@'));
/** Org writes the administration API makes (create, and update of ordinary fields): decided by decideOrgWrite. */
const viaAdminApi = (collection: string, op: Operation) =>
  collection === 'orgs' && (op === 'create' || op === 'update' || op === 'updateWorkflow');
/** The decision a cell expects: the table's, and for org writes the table plus the kinds each role administers. */
function expected(who: Person, collection: string, op: Operation, scope: RowScope): AuthDecision {
  const u = authUser(who);
  if (collection === 'orgs' && (op === 'create' || op === 'update')) {
    const path = scope.owner?.path ?? '';
    const org = ORGS.find((o) => PATH[o.id] === path);
    return decideOrgWrite(u, op, { kind: (org?.kind ?? 'school') as 'school', path });
  }
  return decide(u, collection, op, scope);
}
const tagOf = (p: Person) => tagOfId(p.id);
const putScope = (who: Person, school: string): RowScope => ({
  owner:
    who.role === 'counselor' && school === who.orgId
      ? { path: PATH[school] ?? '', classId: who.classIds[0] }
      : { path: PATH[school] ?? '' },
});
const createPlan = (who: Person): Record<string, { doc: SyncDoc; scope: RowScope }[]> => {
  const tag = tagOf(who);
  return {
    students: PLACES.map((p) => ({
      doc: student(`new-${tag}-${p.key}`, p.school, p.classId),
      scope: inPlace(p),
    })),
    events: [
      ...PLACES.map((p) => ({
        doc: event(`new-${tag}-${p.key}`, p.school, 'student', `st-${p.key}`),
        scope: inPlace(p),
      })),
      { doc: event(`new-${tag}-insA`, 'SA', 'inspection', INSP_A), scope: via(scopeA) },
      { doc: event(`new-${tag}-insB`, 'SB', 'inspection', INSP_B), scope: via(scopeB) },
      { doc: event(`new-${tag}-self`, 'SA', 'inspection', SELF_SA), scope: via(atOrg('SA')) },
      { doc: event(`new-${tag}-pend`, 'SA', 'inspection', MISSING), scope: pending(who.id) },
    ],
    syncIssues: [
      ...PLACES.map((p) => ({
        doc: conflict(`new-${tag}-${p.key}`, p.school, `st-${p.key}`),
        scope: inPlace(p),
      })),
      {
        doc: { ...conflict(`new-${tag}-insA`, 'SA', INSP_A), docCollection: 'inspections' },
        scope: via(scopeA),
      },
      {
        doc: { ...conflict(`new-${tag}-insB`, 'SB', INSP_B), docCollection: 'inspections' },
        scope: via(scopeB),
      },
      {
        doc: { ...conflict(`new-${tag}-self`, 'SA', SELF_SA), docCollection: 'inspections' },
        scope: via(atOrg('SA')),
      },
    ],
    attachments: [
      ...PLACES.map((p) => ({
        doc: attachment(p.school, shaOf(bytesFor(`new-${tag}-${p.key}`)), 'student', `st-${p.key}`, 1000),
        scope: inPlace(p),
      })),
      ...[
        { key: 'A', entityId: INSP_A, school: 'SA', scope: via(scopeA) },
        { key: 'B', entityId: INSP_B, school: 'SB', scope: via(scopeB) },
        { key: 'self', entityId: SELF_SA, school: 'SA', scope: via(atOrg('SA')) },
        { key: 'pend', entityId: MISSING, school: 'SA', scope: pending(who.id) },
      ].map((e) => {
        const sha = shaOf(bytesFor(`new-${tag}-ev-${e.key}`));
        return {
          doc: {
            ...attachment(e.school, sha, 'inspection', e.entityId, 1000),
            id: evidenceRecordId(e.entityId, sha),
            kind: 'photo',
          },
          scope: e.scope,
        };
      }),
    ],
    inspections: [
      ...['4101', '410101'].map((org) => {
        const copy = copyTemplate(VOCATIONAL_TEMPLATE, { id: `t-${tag.toLowerCase()}-${org}`, owner: org });
        if (!copy.ok) throw new Error('template');
        return {
          doc: {
            ...base(templateDocIdOf(copy.value), 'template', org, org, who.id),
            status: 'active',
            template: copy.value,
          },
          scope: atOrg(org),
        };
      }),
      ...['SA', 'SB'].map((school) => ({
        doc: {
          ...base(selfCheckIdOf(`${tag}-${school}`), 'selfCheck', school, school, who.id),
          status: 'open',
          template: builtInTemplateFor('k12'),
          checks: {},
        },
        scope: atOrg(school),
      })),
      {
        doc: {
          ...base(followUpIdOf(INSP_A, tag), 'followUp', 'SA', '4101', who.id),
          status: 'open',
          inspectionId: INSP_A,
          itemId: 'voc-1',
          itemNo: '（一）',
          itemTitle: VOCATIONAL_TEMPLATE.items[0]?.title,
          problem: `问题${tag}`,
          requirement: '整改',
          answers: [],
          reviews: [],
        },
        scope: scopeA,
      },
    ],
    // a task in the name of every org (allowed only in one's own); SA's own is its test roll call
    verifications: ORGS.map((o) => {
      const schools = o.id === 'SA' ? ['SA'] : ['SB'];
      return {
        doc: vTask(
          `new-${tag}-${o.id}`,
          o.id,
          schools,
          '2026-09-02T00:00:00.000Z',
          '2026-09-02T10:00:00.000Z',
          who.id,
        ),
        scope: taskScope(o.id, schools),
      };
    }),
    // one day per subject: two subjects' leaves of one student never overlap
    leaves: PLACES.map((p) => ({
      doc: vLeave(
        `new-${tag}-${p.key}`,
        p,
        who.id,
        `2026-09-${String(3 + SUBJECTS.indexOf(who)).padStart(2, '0')}`,
      ),
      scope: inPlace(p),
    })),
    appeals: PLACES.map((p) => ({
      doc: vAppeal(`new-${tag}-${p.key}`, p, 'mt-create', who.id),
      scope: inPlace(p),
    })),
    changeRequests: ['SA', 'SB', 'SD', 'SC'].map((school) => ({
      doc: request(`new-${tag}-${school}`, school, 'suspension', { createdBy: who.id, updatedBy: who.id }),
      scope: atOrg(school),
    })),
    // Through the administration API: a school with the attributes it requires, under every org that may
    // have schools (a 学校标识码 per subject and parent).
    orgs: ORGS.filter((o) => o.kind !== 'school').map((o, j) => {
      const id = `3441${String(SUBJECTS.indexOf(who) * 100 + j).padStart(6, '0')}`;
      return {
        doc: {
          id,
          kind: 'school',
          name: `新学校${id}${tag}`,
          parentId: o.id,
          level: 'senior',
          ownership: 'public',
          schoolingYears: 3,
          creditCode: demoCreditCode('public', '410101', 41_000_000 + Number(id.slice(4))),
        },
        scope: { owner: { path: `${PATH[o.id]}${id}/` } },
      };
    }),
  };
};

// ---- cells ----------------------------------------------------------------------------------------

/** What a placed record is before the test runs (the operations a change request admits depend on its state). */
const staticDoc = (r: Placed): SyncDoc =>
  r.collection === 'changeRequests' ? ((REQUESTS.find((x) => x.doc.id === r.id)?.doc ?? {}) as SyncDoc) : {};

/** The name of a cell: who × collection × operation × relations → decision (path). */
function cellName(who: Person, collection: string, op: Operation, scope: RowScope, path: string): string {
  const u = authUser(who);
  const d = path === 'admin API' ? expected(who, collection, op, scope) : decide(u, collection, op, scope);
  const allow = path === 'push refused' ? false : d.allow;
  return `${who.label} × ${entryName(collection, scope)} × ${op} × ${relationsOf(u, scope).join('+')} → ${allow ? 'allow' : 'deny'} (${path})`;
}

/** Every cell this matrix checks, named before anything runs (vitest needs the names up front). */
const CELL_NAMES: string[] = [
  ...new Set(
    SUBJECTS.flatMap((who) => [
      ...PLACED.flatMap((r) => [
        cellName(who, r.collection, 'read', r.scope, 'pull'),
        cellName(who, r.collection, 'read', r.scope, 'stream'),
        cellName(who, r.collection, 'read', r.scope, 'push answer'),
        ...(r.sha ? [cellName(who, r.collection, 'read', r.scope, 'bytes GET/HEAD')] : []),
        ...OPERATIONS.filter(
          (op) => op !== 'read' && op !== 'create' && change(r.collection, op, staticDoc(r), who, 0),
        ).map((op) =>
          cellName(who, r.collection, op, r.scope, viaAdminApi(r.collection, op) ? 'admin API' : 'push'),
        ),
      ]),
      ...Object.entries(createPlan(who)).flatMap(([c, list]) =>
        list.map((x) => cellName(who, c, 'create', x.scope, viaAdminApi(c, 'create') ? 'admin API' : 'push')),
      ),
      // Every pushed org document is refused, whoever pushes it (ADMIN_API): orgs change through the API only.
      ...ORGS.map((o) => cellName(who, 'orgs', 'update', atOrg(o.id), 'push refused')),
      ...['SA', 'SB', 'SD', 'SC'].map((school) =>
        cellName(who, 'attachments', 'create', putScope(who, school), 'bytes PUT'),
      ),
      cellName(who, 'attachments', 'create', via(scopeB), 'bytes PUT'),
      ...PEOPLE.flatMap((p) => [
        cellName(who, 'devices', 'read', { ...atOrg(p.orgId), users: [p.id] }, 'device list'),
        cellName(who, 'devices', 'update', { ...atOrg(p.orgId), users: [p.id] }, 'revoke'),
      ]),
    ]),
  ),
];

type Check = { pass: boolean; detail: string };
type Cell = {
  name: string;
  role: Role;
  collection: string;
  op: Operation;
  relations: string[];
  allow: boolean;
  checks: Check[];
};

describe.each(BACKENDS)('authorisation matrix on %s', (backend) => {
  let env: TestEnv;
  const tokens = new Map<string, string>();
  const placed = PLACED;
  const cells = new Map<string, Cell>();
  type Stream = { seen: { collection: string; seq: number }[]; waiters: (() => void)[]; close(): void };
  const streams = new Map<string, Stream>();
  /** Resolves once the stream has seen a notice of `collection` with `seq` (event-driven, no sleeping). */
  const noticed = (stream: Stream, collection: string, seq: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${collection} notice ${seq}`)), 60_000);
      const check = () => {
        if (!stream.seen.some((n) => n.collection === collection && n.seq === seq)) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      if (!check()) stream.waiters.push(() => void (check() || stream.waiters.push(() => void check())));
    });

  const record = (
    who: Person,
    collection: string,
    op: Operation,
    scope: RowScope,
    path: string,
    check: Check,
  ) => {
    const u = authUser(who);
    const relations = relationsOf(u, scope);
    const d =
      path === 'admin API'
        ? expected(who, collection, op, scope)
        : path === 'push refused'
          ? { ...decide(u, collection, op, scope), allow: false }
          : decide(u, collection, op, scope);
    const name = cellName(who, collection, op, scope, path);
    const cell =
      cells.get(name) ??
      ({
        name,
        role: who.role,
        collection: entryName(collection, scope),
        op,
        relations,
        allow: d.allow,
        checks: [],
      } satisfies Cell);
    cells.set(name, cell);
    cell.checks.push(check);
    return d.allow;
  };
  const token = (p: Person) => {
    const t = tokens.get(p.id);
    if (!t) throw new Error(`no token for ${p.id}`);
    return t;
  };
  const master = async (collection: string, id: string): Promise<SyncDoc | undefined> => {
    const [row] = await env.app.db.query<{ data: SyncDoc }>(
      'select data from docs where collection = $1 and id = $2',
      [collection, id],
    );
    return row ? { ...row.data, _deleted: row.data._deleted === true } : undefined;
  };
  const http = (
    method: string,
    path: string,
    who: Person,
    body?: Buffer,
    headers: Record<string, string> = {},
  ) =>
    env.app.inject({
      method: method as 'GET',
      url: path,
      headers: { authorization: `Bearer ${token(who)}`, ...headers },
      payload: body,
    });

  beforeAll(async () => {
    // Every person logs in several times from one test address: the per-minute login limits are raised.
    env = await makeEnv(backend, {
      seed: false,
      auth: { loginPerMinutePerAddress: 10_000, loginPerMinutePerAccount: 1000 },
    });
    const { app } = env;
    await writeAsServer(app.db, 'orgs', ORG_DOCS, app.channel);
    for (const p of PEOPLE)
      await createUser(
        app.db,
        {
          id: p.id,
          username: p.id,
          displayName: p.id,
          password: PASSWORD,
          role: p.role,
          orgId: p.orgId,
          classIds: p.classIds,
          ...(p.role === 'inspector' ? { enforcementId: '执法-0001' } : {}),
        },
        new Date(AT),
      );
    for (const p of PEOPLE) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: p.id, password: PASSWORD, deviceId: `dev-${p.id.replace('.', '-')}-main` },
        headers: { 'x-forwarded-for': '10.0.0.1' },
      });
      if (res.statusCode !== 200) throw new Error(`login ${p.id}: ${res.body}`);
      tokens.set(p.id, (res.json() as { token: string }).token);
    }
    // Records in every place: a student, its history event, its conflict; events of an org; refusals.
    const students = PLACES.map((p) => student(`st-${p.key}`, p.school, p.classId));
    await writeAsServer(app.db, 'students', students, app.channel);
    const events = [
      ...PLACES.map((p) => event(`ev-${p.key}`, p.school, 'student', `st-${p.key}`)),
      event('ev-org-SA', 'SA', 'org', 'SA'),
      event('ev-org-SB', 'SB', 'org', 'SB'),
      ...['41', '4101', '410101'].map((o) => event(`ev-org-${o}`, o, 'org', o)),
    ];
    await writeAsServer(
      app.db,
      'changeRequests',
      REQUESTS.map((r) => r.doc),
      app.channel,
    );
    events.push(event('ev-cr-tx', 'SD', 'changeRequest', 'cr-tx-SD-SA'));
    await writeAsServer(app.db, 'events', events, app.channel);
    await writeAsServer(
      app.db,
      'syncIssues',
      [
        ...PLACES.map((p) => conflict(`cf-${p.key}`, p.school, `st-${p.key}`)),
        ...PEOPLE.map((p) => refusalIssue(`rf-${p.id}`, p)),
      ],
      app.channel,
    );
    // Inspection records, their children (follow-up, report) and their dependents.
    await writeAsServer(app.db, 'inspections', INSPECTION_DOCS, app.channel);
    await writeAsServer(app.db, 'inspections', INSPECTION_CHILDREN, app.channel);
    await writeAsServer(
      app.db,
      'events',
      [
        event('ev-insp-A', 'SA', 'inspection', INSP_A),
        event('ev-insp-B', 'SB', 'inspection', INSP_B),
        event('ev-self-SA', 'SA', 'inspection', SELF_SA),
        ...PENDING_WRITERS.map((p) => ({ ...event(`ev-pend-${p}`, 'SA', 'inspection', MISSING), by: p })),
      ],
      app.channel,
    );
    await writeAsServer(
      app.db,
      'syncIssues',
      [
        { ...conflict('cf-insp-A', 'SA', INSP_A), docCollection: 'inspections' },
        { ...conflict('cf-self-SA', 'SA', SELF_SA), docCollection: 'inspections' },
      ],
      app.channel,
    );
    await writeAsServer(
      app.db,
      'attachments',
      PENDING_WRITERS.map((p) => ({
        ...attachment('SA', shaOf(bytesFor(`pend-${p}`)), 'inspection', MISSING, 100),
        id: `att-pend-${p}`,
        kind: 'photo',
        createdBy: p,
      })),
      app.channel,
    );
    for (const e of EVIDENCE_PLACES) {
      const uploader = PEOPLE.find((p) => p.id === e.uploader) as Person;
      const bytes = bytesFor(e.key);
      const sha = shaOf(bytes);
      const put = await http(
        'PUT',
        `/api/attachments/${sha}?schoolId=${e.school}&mime=image/png&inspection=${e.entityId}`,
        uploader,
        bytes,
        { 'content-type': 'application/octet-stream' },
      );
      if (put.statusCode !== 201) throw new Error(`upload ${e.key}: ${put.statusCode} ${put.body}`);
      const doc = {
        ...attachment(e.school, sha, 'inspection', e.entityId, bytes.length),
        id: evidenceRecordId(e.entityId, sha),
        kind: 'photo',
      };
      const res = await pushRows(app, token(uploader), [{ newDocumentState: doc }], 'attachments');
      if (res.body.length > 0) throw new Error(`evidence ${e.key}: ${JSON.stringify(res.body)}`);
    }
    // Routine verification: tasks, records, leaves, appeals (written by the server, as the seed).
    await writeAsServer(
      app.db,
      'verifications',
      [...V_TASKS.map((t) => vTask(t.id, t.org, t.schools, PAST[0], PAST[1])), ...PLACES.map(vRecord)],
      app.channel,
    );
    await writeAsServer(
      app.db,
      'leaves',
      PLACES.map((p) => vLeave(`lv-${p.key}`, p, 'seed', '2026-10-01')),
      app.channel,
    );
    await writeAsServer(
      app.db,
      'appeals',
      PLACES.flatMap((p) =>
        SUBJECTS.map((who) => vAppeal(`ap-${p.key}-${tagOfId(who.id)}`, p, DECIDES[who.id] ?? 'mt-41')),
      ),
      app.channel,
    );
    // Attachments: uploaded in full and recorded by an admin of their school (the only way to own bytes).
    for (const a of ATTACHMENT_PLACES) {
      const uploader = PEOPLE.find((p) => p.id === UPLOADER[a.school]) as Person;
      const bytes = bytesFor(a.key);
      const sha = shaOf(bytes);
      const put = await http(
        'PUT',
        `/api/attachments/${sha}?schoolId=${a.school}&mime=image/png`,
        uploader,
        bytes,
        {
          'content-type': 'application/octet-stream',
        },
      );
      if (put.statusCode !== 201) throw new Error(`upload ${a.key}: ${put.statusCode} ${put.body}`);
      const doc = attachment(a.school, sha, a.entity, a.entityId, bytes.length);
      const res = await pushRows(app, token(uploader), [{ newDocumentState: doc }], 'attachments');
      if (res.body.length > 0) throw new Error(`attachment ${a.key}: ${JSON.stringify(res.body)}`);
    }

    // ---- read: pull --------------------------------------------------------------------------------
    for (const who of SUBJECTS)
      for (const collection of REPLICATED) {
        const pulled = new Set(
          (await pullAll(app, token(who), collection, 500)).docs.map((d) => String(d.id)),
        );
        for (const row of placed.filter((r) => r.collection === collection)) {
          const expected = decide(authUser(who), collection, 'read', row.scope).allow;
          record(who, collection, 'read', row.scope, 'pull', {
            pass: pulled.has(row.id) === expected,
            detail: `${row.id} ${pulled.has(row.id) ? 'pulled' : 'not pulled'}`,
          });
        }
      }

    // ---- read: the live stream -----------------------------------------------------------------------
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    for (const who of SUBJECTS) {
      const seen: { collection: string; seq: number }[] = [];
      const waiters: (() => void)[] = [];
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/api/sync/stream',
        headers: { authorization: `Bearer ${token(who)}` },
      });
      await new Promise<void>((ready, fail) => {
        req.on('response', (res) => {
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
              const line = buffer.slice(0, i);
              buffer = buffer.slice(i + 2);
              if (line.startsWith('data: {')) {
                seen.push(JSON.parse(line.slice(6)) as { collection: string; seq: number });
                for (const w of waiters.splice(0)) w();
              }
              if (line.startsWith('data: "RESYNC"')) ready();
            }
          });
        });
        req.on('error', fail);
        req.end();
      });
      streams.set(who.id, { seen, waiters, close: () => req.destroy() });
    }
    const lastSeq = async () =>
      Number((await app.db.query<{ s: string }>('select max(seq)::text as s from docs'))[0]?.s ?? 0);
    const barrierDoc = ORG_DOCS[0] as SyncDoc;
    for (const row of placed) {
      const m = (await master(row.collection, row.id)) as SyncDoc;
      const stamp = `2026-09-02T00:00:00.${String(placed.indexOf(row)).padStart(3, '0')}Z`;
      // A change within each collection's schema (events have no updatedAt).
      const changed =
        row.collection === 'events' ? { ...m, reason: `更正 ${stamp}` } : { ...m, updatedAt: stamp };
      await writeAsServer(app.db, row.collection, [changed], app.channel);
      const seq = await lastSeq();
      // A barrier every subject may read (the province's own org document): once it arrived on every
      // stream, every earlier notice has too (NOTIFY keeps commit order).
      await writeAsServer(app.db, 'orgs', [{ ...barrierDoc, updatedAt: `barrier-${seq}` }], app.channel);
      const barrier = await lastSeq();
      await Promise.all(SUBJECTS.map((s) => noticed(streams.get(s.id) as Stream, 'orgs', barrier)));
      for (const who of SUBJECTS) {
        const got =
          streams.get(who.id)?.seen.some((n) => n.collection === row.collection && n.seq === seq) === true;
        const expected = decide(authUser(who), row.collection, 'read', row.scope).allow;
        record(who, row.collection, 'read', row.scope, 'stream', {
          pass: got === expected,
          detail: `${row.id} notice ${got}`,
        });
      }
    }
    for (const s of streams.values()) s.close();

    // ---- read: attachment bytes --------------------------------------------------------------------
    for (const who of SUBJECTS)
      for (const row of placed.filter((r) => r.sha)) {
        const expected = decide(authUser(who), 'attachments', 'read', row.scope).allow;
        const get = await http('GET', `/api/attachments/${row.sha}`, who);
        const head = await http('HEAD', `/api/attachments/${row.sha}`, who);
        const got = get.statusCode === 200 && head.headers['x-complete'] === '1';
        const none = get.statusCode === 404 && head.statusCode === 404;
        record(who, 'attachments', 'read', row.scope, 'bytes GET/HEAD', {
          pass: expected ? got && shaOf(get.rawPayload) === row.sha : none,
          detail: `${row.id} GET ${get.statusCode} HEAD ${head.statusCode}`,
        });
      }

    // ---- read: push answers (a stale assumed master) -----------------------------------------------
    for (const who of SUBJECTS)
      for (const collection of REPLICATED) {
        const rows = placed.filter((r) => r.collection === collection);
        const masters = await Promise.all(rows.map((r) => master(collection, r.id)));
        const attempts = masters.map((m, i) => ({ ...(m as SyncDoc), updatedBy: `attempt-${who.id}-${i}` }));
        const res = await pushRows(
          app,
          token(who),
          attempts.map((a) => ({ assumedMasterState: { ...a, updatedAt: 'stale' }, newDocumentState: a })),
          collection,
        );
        rows.forEach((row, i) => {
          const expected = decide(authUser(who), collection, 'read', row.scope).allow;
          const answer = res.body.find((d) => d.id === row.id);
          const { [REFUSAL_FIELD]: refusal, ...rest } = answer ?? {};
          // Readable: the conflict answer is the master itself. Unreadable: only the user's own attempt comes
          // back, as a tombstone with the refusal — nothing of the master.
          const pass = expected
            ? refusal === undefined && same(rest, masters[i])
            : refusal !== undefined && same(rest, echo(collection, attempts[i] as SyncDoc));
          record(who, collection, 'read', row.scope, 'push answer', {
            pass,
            detail: `${row.id}: ${JSON.stringify(answer).slice(0, 200)}`,
          });
        });
      }

    // ---- writes: push, one batch per subject, collection and operation ------------------------------
    let n = 0;
    for (const who of SUBJECTS)
      for (const collection of REPLICATED)
        for (const op of OPERATIONS.filter((o) => o !== 'read' && o !== 'create')) {
          const rows = placed.filter((r) => r.collection === collection);
          const plan: { row: Placed; before: SyncDoc; after: SyncDoc }[] = [];
          for (const row of rows) {
            const before = (await master(collection, row.id)) as SyncDoc;
            const after = change(collection, op, before, who, n++);
            if (after) plan.push({ row, before, after });
          }
          if (plan.length === 0) continue;
          if (viaAdminApi(collection, op)) {
            // Org edits go through the administration API: the changed fields as the body.
            for (const p of plan) {
              const body = Object.fromEntries(
                Object.entries(p.after).filter(([k, v]) => !same(v, p.before[k]) && !k.startsWith('_')),
              );
              const res = await http(
                'PUT',
                `/api/admin/orgs/${p.row.id}`,
                who,
                Buffer.from(JSON.stringify(body)),
                {
                  'content-type': 'application/json',
                },
              );
              const now = await master(collection, p.row.id);
              const d = expected(who, collection, op, p.row.scope);
              const pass = d.allow
                ? res.statusCode === 200 && Object.entries(body).every(([k, v]) => same(now?.[k], v))
                : res.statusCode >= 400 && res.statusCode < 500 && same(now, p.before);
              record(who, collection, op, p.row.scope, 'admin API', {
                pass,
                detail: `${p.row.id}: ${res.statusCode} ${res.body.slice(0, 160)}`,
              });
            }
            continue;
          }
          const res = await pushRows(
            app,
            token(who),
            plan.map((p) => ({ assumedMasterState: p.before, newDocumentState: p.after })),
            collection,
          );
          for (const p of plan) {
            // The changes keep every record where it is (none moves it to another school or class).
            const scopeAfter = p.row.scope;
            const d = decideWrite({
              user: authUser(who),
              collection,
              before: p.before,
              after: p.after,
              scopeBefore: p.row.scope,
              scopeAfter,
              keyFields: DEFAULT_KEY_FIELDS,
            });
            const answer = res.body.find((x) => x.id === p.row.id);
            const now = await master(collection, p.row.id);
            const refusal = answer?.[REFUSAL_FIELD] as { code?: string } | undefined;
            const readable = decide(authUser(who), collection, 'read', p.row.scope).allow;
            const { [REFUSAL_FIELD]: _r, ...rest } = answer ?? {};
            // Inspections: where the table admits the writer, the workflow may still refuse that step
            // (shared/inspections/workflow.ts, its own codes); where the table refuses, the workflow is never asked.
            const workflow = collection === 'inspections' && WORKFLOW_CODES.has(String(refusal?.code));
            const pass = d.allow
              ? (answer === undefined && same(now, { ...p.after, _deleted: p.after._deleted === true })) ||
                (workflow && same(now, p.before) && same(rest, p.before))
              : refusal !== undefined &&
                refusal.code !== 'INVALID' &&
                refusal.code !== 'WORKFLOW' &&
                same(now, p.before) &&
                same(rest, readable ? p.before : echo(collection, p.after));
            record(who, collection, op, p.row.scope, 'push', {
              pass,
              detail: `${p.row.id}: ${refusal?.code ?? 'accepted'} ${JSON.stringify(answer ?? null).slice(0, 160)}`,
            });
          }
        }

    // ---- orgs: a push is refused whoever pushes it, the org left as it was -------------------------------
    for (const who of SUBJECTS) {
      const rows = await Promise.all(ORGS.map((o) => master('orgs', o.id)));
      const res = await pushRows(
        app,
        token(who),
        rows.map((m) => ({
          assumedMasterState: m,
          newDocumentState: { ...(m as SyncDoc), head: `推送-${who.id}` },
        })),
        'orgs',
      );
      for (const [i, o] of ORGS.entries()) {
        const answer = res.body.find((x) => x.id === o.id);
        const now = await master('orgs', o.id);
        record(who, 'orgs', 'update', atOrg(o.id), 'push refused', {
          pass: answer?.[REFUSAL_FIELD] !== undefined && same(now, rows[i]),
          detail: `${o.id}: ${JSON.stringify(answer?.[REFUSAL_FIELD] ?? null)}`,
        });
      }
    }

    // ---- create: push new records into every place (orgs: through the administration API) -------------
    for (const who of SUBJECTS) {
      for (const [collection, list] of Object.entries(createPlan(who))) {
        if (viaAdminApi(collection, 'create')) {
          for (const c of list) {
            const res = await http('POST', '/api/admin/orgs', who, Buffer.from(JSON.stringify(c.doc)), {
              'content-type': 'application/json',
            });
            const stored = await master(collection, String(c.doc.id));
            const allow = expected(who, collection, 'create', c.scope).allow;
            record(who, collection, 'create', c.scope, 'admin API', {
              pass: allow
                ? res.statusCode === 201 && stored !== undefined
                : res.statusCode >= 400 && res.statusCode < 500 && stored === undefined,
              detail: `${String(c.doc.id)}: ${res.statusCode} ${res.body.slice(0, 160)}`,
            });
          }
          continue;
        }
        const res = await pushRows(
          app,
          token(who),
          list.map((c) => ({ newDocumentState: c.doc })),
          collection,
        );
        for (const c of list) {
          const expected = decide(authUser(who), collection, 'create', c.scope).allow;
          const answer = res.body.find((x) => x.id === c.doc.id);
          const refusal = answer?.[REFUSAL_FIELD] as { code?: string } | undefined;
          const stored = await master(collection, String(c.doc.id));
          const { [REFUSAL_FIELD]: _r, ...rest } = answer ?? {};
          const workflow = collection === 'inspections' && WORKFLOW_CODES.has(String(refusal?.code));
          const pass = expected
            ? (answer === undefined && stored !== undefined) || (workflow && stored === undefined)
            : refusal !== undefined &&
              refusal.code !== 'INVALID' &&
              refusal.code !== 'WORKFLOW' &&
              stored === undefined &&
              same(rest, echo(collection, c.doc));
          record(who, collection, 'create', c.scope, 'push', {
            pass,
            detail: `${String(c.doc.id)}: ${refusal?.code ?? (stored ? 'stored' : 'not stored')}`,
          });
        }
      }
    }

    // ---- create: attachment bytes (who may upload for which school) ----------------------------------
    for (const who of SUBJECTS)
      for (const school of ['SA', 'SB', 'SD', 'SC']) {
        const bytes = bytesFor(`put-${who.id}-${school}`);
        const scope = putScope(who, school);
        const res = await http(
          'PUT',
          `/api/attachments/${shaOf(bytes)}?schoolId=${school}&mime=image/png`,
          who,
          bytes,
          {
            'content-type': 'application/octet-stream',
          },
        );
        const expected = decide(authUser(who), 'attachments', 'create', scope).allow;
        record(who, 'attachments', 'create', scope, 'bytes PUT', {
          pass: expected ? res.statusCode === 201 : res.statusCode === 403,
          detail: `${school}: ${res.statusCode}`,
        });
      }

    // ---- create: evidence bytes of an inspection (?inspection=): its parties only ---------------------
    for (const who of SUBJECTS) {
      const bytes = bytesFor(`put-ev-${who.id}`);
      const res = await http(
        'PUT',
        `/api/attachments/${shaOf(bytes)}?schoolId=SB&mime=image/png&inspection=${INSP_B}`,
        who,
        bytes,
        { 'content-type': 'application/octet-stream' },
      );
      const expected = decide(authUser(who), 'attachments', 'create', via(scopeB)).allow;
      record(who, 'attachments', 'create', via(scopeB), 'bytes PUT', {
        pass: expected ? res.statusCode === 201 : res.statusCode === 403,
        detail: `${INSP_B}: ${res.statusCode}`,
      });
    }

    // ---- devices: the list, and revocation --------------------------------------------------------
    for (const who of SUBJECTS) {
      const res = await http('GET', '/api/devices', who);
      const list = (res.json() as { devices: { userId: string; ip: string | null }[] }).devices;
      for (const p of PEOPLE) {
        const scope: RowScope = { ...atOrg(p.orgId), users: [p.id] };
        const d = decide(authUser(who), 'devices', 'read', scope);
        const shown = list.filter((x) => x.userId === p.id);
        const pass = d.allow
          ? shown.length > 0 && shown.every((x) => (d.relation === 'self' ? x.ip !== null : x.ip === null))
          : shown.length === 0;
        record(who, 'devices', 'read', scope, 'device list', {
          pass,
          detail: `${p.id}: ${JSON.stringify(shown)}`,
        });
      }
    }
    for (const who of SUBJECTS)
      for (const p of PEOPLE) {
        const deviceId = `victim-${who.id}-${p.id}`.replace(/[^\w.:-]/g, '-');
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: p.id, password: PASSWORD, deviceId },
          headers: { 'x-forwarded-for': '10.0.0.2' },
        });
        if (login.statusCode !== 200) throw new Error(`victim login ${p.id}: ${login.body}`);
        const [row] = await app.db.query<{ id: string }>(
          'select id from devices where user_id = $1 and device_id = $2',
          [p.id, deviceId],
        );
        const res = await http('POST', `/api/devices/${row?.id}/revoke`, who);
        const [after] = await app.db.query<{ revoked: boolean }>(
          'select revoked_at is not null as revoked from devices where id = $1',
          [row?.id],
        );
        const scope: RowScope = { ...atOrg(p.orgId), users: [p.id] };
        const expected = decide(authUser(who), 'devices', 'update', scope).allow;
        record(who, 'devices', 'update', scope, 'revoke', {
          pass: expected
            ? res.statusCode === 200 && after?.revoked === true
            : res.statusCode >= 400 && after?.revoked === false,
          detail: `${p.id}: ${res.statusCode}`,
        });
      }
  }, 600_000);

  afterAll(async () => {
    for (const s of streams.values()) s.close();
    await env?.close();
    if (env?.schema) await dropSchema(env.schema);
  }, 60_000);

  it('coverage: every grant of the table, `party` included, is exercised as an allowed cell', () => {
    const missing: string[] = [];
    // users and adminAudit have their own generated cells in admin.test.ts.
    for (const [collection, entry] of Object.entries(AUTHORITY).filter(
      ([c]) => c === 'devices' || !NOT_REPLICATED.has(c),
    ))
      for (const op of OPERATIONS)
        for (const role of ROLES)
          for (const relation of entry.ops[op]?.[role] ?? [])
            if (
              ![...cells.values()].some(
                (c) =>
                  c.role === role &&
                  c.collection === collection &&
                  c.op === op &&
                  c.allow &&
                  c.relations[0] === relation,
              )
            )
              missing.push(`${role} × ${collection} × ${op} × ${relation}`);
    expect(missing).toEqual([]);
    const seen = new Set([...cells.values()].map((c) => `${c.name.split(' → ')[0]}`));
    console.info(
      `authorisation matrix on ${backend}: ${cells.size} cells (by path), ${seen.size} role × collection × operation × relation cells`,
    );
  });

  // One named test per cell, so a failure says which.
  it.each(CELL_NAMES)('%s', (name) => {
    const cell = cells.get(name);
    expect(cell, `${name}: not checked`).toBeDefined();
    expect(
      cell?.checks.filter((x) => !x.pass).map((x) => x.detail),
      name,
    ).toEqual([]);
  });
});
