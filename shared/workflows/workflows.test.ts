// The workflow definitions, per type, on a province in memory (world.test-support.ts does what the server
// does with a pushed request): each type from draft to approval and what approval does to the student;
// the four-party transfer across counties; the rules (R-TX-*, R-FLEX, R-ONE, R-1WEEK, R-GRAD-JUNE,
// R-ESCALATE); every refusal of issue 12; deadlines across the 2026 National Day holidays; the inbox.
import { beforeEach, describe, expect, it } from 'vitest';
import { wfOrgDocs, wfStudents } from '../../tests/fixtures/workflows';
import { makeCalendar } from '../calendar/calendar';
import { infoChangeForm } from '../forms/defs/info-change';
import { statusChangeForm } from '../forms/defs/status-change';
import { collectInbox } from '../inbox/types';
import { withDefaults } from '../rules/settings';
import { applyApproval } from './apply';
import { editDraft, withDecision, withFiling, withWithdrawal } from './build';
import { isLowerGrade, yearOfStudy } from './checks';
import { stepDue } from './deadline';
import { decideTransition } from './decide';
import { DEFINITIONS } from './definitions';
import { infoChangeFormData, statusChangeFormData } from './forms';
import { changeRequestInbox } from './inbox';
import { mergeChangeRequest } from './merge';
import { changeRoster, rosterEntriesOf } from './roster';
import { deriveState } from './state';
import type { ChangeRequestDoc, ChangeType } from './types';
import { proof, World } from './world.test-support';

let w: World;
beforeEach(() => {
  w = new World(wfOrgDocs(), [
    ...wfStudents('H1', 12, 11),
    ...wfStudents('H2', 12, 12),
    ...wfStudents('H3', 6, 13),
    ...wfStudents('H4', 6, 14),
    ...wfStudents('V1', 12, 15),
    ...wfStudents('V2', 6, 16),
    ...wfStudents('J1', 9, 17),
    ...wfStudents('P1', 12, 18),
    ...wfStudents('J2', 6, 19),
  ]);
});

const ok = <T extends { ok: boolean }>(r: T): T & { ok: true } => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
  return r as T & { ok: true };
};

const APPLICANT = { name: '王志刚', relation: '父亲', phone: '13803712345' };

/** A transfer-in of `student` into `toSchool`, as the receiving school enters it after the R-ONE lookup. */
function transferDraft(
  toSchool: string,
  studentId: string,
  details = { toGrade: '高二', toClass: '高二(1)班' },
) {
  const s = w.students.get(studentId);
  if (!s) throw new Error(studentId);
  return w.draft({
    schoolId: toSchool,
    type: 'transfer',
    transferIn: {
      student: {
        name: s.name,
        gender: s.gender,
        idNo: s.idNo,
        grade: details.toGrade,
        classId: details.toClass,
      },
      fromSchoolId: s.schoolId,
      fromSchoolName: w.school(s.schoolId).name,
    },
    details,
    reason: '父母工作调动，户籍随迁',
    applicant: APPLICANT,
    proofs: [proof('application'), proof('hukouMove')],
  });
}

describe('the four-party transfer between schools of two counties (YQ 二(四))', () => {
  it('receiving school → receiving bureau → sending school → sending bureau; the student moves', () => {
    const s = w.student('H1', (x) => x.grade === '高二');
    const d = transferDraft('H2', s.id);
    expect(d.status).toBe('draft');
    const sub = ok(w.submit(d));
    expect(sub.doc.status).toBe('submitted');
    expect(sub.doc.step).toBe(1);
    expect(sub.doc.route.map((r) => `${r.title}:${r.orgId}`)).toEqual([
      '转入学校意见:H2',
      '转入地教育行政部门意见:410122',
      '转出学校意见:H1',
      '转出地教育行政部门意见:410105',
    ]);
    // the server resolved the student from the registry and filled the snapshot from the sending school
    expect(sub.doc.studentIds).toEqual([s.id]);
    expect(sub.doc.students[0]).toMatchObject({
      statusNo: s.statusNo,
      grade: '高二',
      schoolName: w.school('H1').name,
    });
    ok(w.decide(d.id, w.actor('bureau', '410122')));
    ok(w.decide(d.id, w.actor('schoolAdmin', 'H1')));
    expect(w.get(d.id).status).toBe('submitted');
    expect(w.students.get(s.id)?.schoolId).toBe('H1');
    const last = ok(w.decide(d.id, w.actor('bureau', '410105'), 'approve', '同意转出'));
    expect(last.doc.status).toBe('approved');
    expect(last.doc.step).toBe(4);
    const moved = w.students.get(s.id);
    expect(moved).toMatchObject({
      schoolId: 'H2',
      orgPath: w.school('H2').path,
      grade: '高二',
      classId: '高二(1)班',
    });
    expect(moved?.archive).toEqual(s.archive);
    expect(last.doc.applied?.changes[0]?.before).toMatchObject({ schoolId: 'H1', classId: s.classId });
    // the change rosters of both schools
    const entries = rosterEntriesOf(last.doc);
    expect(entries.map((e) => `${e.schoolId}:${e.changeType}`)).toEqual(['H2:transferIn', 'H1:transferOut']);
  });

  it('a rejection at the third step ends it with the reason; the student stays', () => {
    const s = w.student('H1', (x) => x.grade === '高二');
    const d = transferDraft('H2', s.id);
    ok(w.submit(d));
    ok(w.decide(d.id, w.actor('bureau', '410122')));
    const r = ok(
      w.decide(d.id, w.actor('schoolAdmin', 'H1'), 'reject', '该生本学期仍在本校就读，家长未提出转出'),
    );
    expect(r.doc.status).toBe('rejected');
    expect(w.students.get(s.id)?.schoolId).toBe('H1');
    // nothing more can be decided: the sending bureau's step is never reached
    expect(w.decide(d.id, w.actor('bureau', '410105')).ok).toBe(false);
    expect(w.get(d.id).status).toBe('rejected');
  });

  it('R-TX-WINDOW refuses a transfer outside one month around term start, mid-term named', () => {
    w.now = '2026-10-20T02:00:00.000Z';
    const s = w.student('H1', (x) => x.grade === '高二');
    const r = w.submit(transferDraft('H2', s.id));
    expect(r).toMatchObject({ ok: false, code: 'R-TX-WINDOW' });
    if (!r.ok) expect(r.reason).toContain('学期中原则上不得转学');
    // the school's work is kept as a draft
    if (!r.ok) expect(r.draft?.status).toBe('draft');
  });

  it('R-TX-GRADES refuses the first and the final grade within one city; another city is fine', () => {
    const first = w.student('H1', (x) => x.grade === '高一');
    expect(w.submit(transferDraft('H2', first.id, { toGrade: '高一', toClass: '高一(1)班' }))).toMatchObject({
      ok: false,
      code: 'R-TX-GRADES',
    });
    const last = w.student('H1', (x) => x.grade === '高三');
    expect(w.submit(transferDraft('H2', last.id, { toGrade: '高三', toClass: '高三(1)班' }))).toMatchObject({
      ok: false,
      code: 'R-TX-GRADES',
    });
    const j = w.student('J2', (x) => x.grade === '七年级');
    const r = w.submit(
      w.draft({
        schoolId: 'J1',
        type: 'transfer',
        transferIn: {
          student: { name: j.name, gender: j.gender, idNo: j.idNo, grade: '七年级', classId: '七年级(1)班' },
          fromSchoolId: 'J2',
          fromSchoolName: '洛阳市直属实验中学',
        },
        details: { toGrade: '七年级', toClass: '七年级(1)班' },
        reason: '随父母迁居郑州',
        applicant: APPLICANT,
        proofs: [proof('application'), proof('jobMove')],
      }),
    );
    expect(r.ok).toBe(true);
    // a school directly under a city: its bureau step is the city
    if (r.ok) expect(r.doc.route.map((x) => x.orgId)).toEqual(['J1', '410105', 'J2', '4103']);
  });

  it.each([
    ['H3', 'H1', '民办高中不能转入公办高中'],
    ['H2', 'H4', '一般普通高中不能转入省级示范高中'],
    ['H3', 'H1', '同一招生区域普通高中之间不能转学'],
  ])('R-TX-4NO: %s → %s refused (%s)', (from, to, clause) => {
    const s = w.student(from, (x) => x.grade === '高二');
    const r = w.submit(transferDraft(to, s.id));
    expect(r).toMatchObject({ ok: false, code: 'R-TX-4NO' });
    if (!r.ok) expect(r.reason).toContain(clause.slice(0, 6));
  });

  it('R-TX-4NO: a 普通高中 does not take a vocational student', () => {
    const s = w.student('V1');
    const r = w.submit(transferDraft('H1', s.id));
    expect(r).toMatchObject({ ok: false, code: 'R-TX-4NO' });
    if (!r.ok) expect(r.reason).toContain('中等职业教育学校');
  });

  it('R-ONE: a transfer-in names the school the ID number is registered at, else it is refused', () => {
    const s = w.student('H1', (x) => x.grade === '高二');
    const d = transferDraft('H2', s.id);
    const wrong = { ...d, fromSchoolId: 'H3', fromSchoolName: w.school('H3').name };
    ok(w.push(w.actor('schoolAdmin', 'H2'), editDraft(wrong, {}, w.actor('schoolAdmin', 'H2'), w.clock())));
    expect(w.submit(wrong)).toMatchObject({ ok: false, code: 'R-ONE' });
  });

  it('R-FLEX: a flexible-study vocational student transfers only with a written reason', () => {
    const s = w.student('V1');
    w.students.set(s.id, { ...s, studyForm: '2', grade: '2025级' });
    const base = transferDraft('V2', s.id, { toGrade: '2025级', toClass: '数控2501班' });
    const r = w.submit(base);
    expect(r).toMatchObject({ ok: false, code: 'R-FLEX' });
    const admin = w.actor('schoolAdmin', 'V2');
    ok(
      w.push(
        admin,
        editDraft(
          w.get(base.id),
          { warnReasons: [{ rule: 'R-FLEX', reason: '全家迁居中牟，原校无法继续就读' }] },
          admin,
          w.clock(),
        ),
      ),
    );
    const again = ok(w.submit(w.get(base.id)));
    expect(again.doc.findings?.find((f) => f.rule === 'R-FLEX')?.level).toBe('warn');
  });
});

describe('the refusals of issue 12 (as the server gives them)', () => {
  function submittedSuspension() {
    const s = w.student('H1', (x) => x.grade === '高二');
    const d = w.draft({
      schoolId: 'H1',
      type: 'suspension',
      students: [s],
      details: { startDate: '2026-09-10', endDate: '2027-01-22' },
      reason: '因病需住院治疗',
      applicant: APPLICANT,
      proofs: [proof('signedForm'), proof('medical')],
    });
    return { s, r: ok(w.submit(d)) };
  }

  it('a school cannot approve its own request (SELF_APPROVAL)', () => {
    const { r } = submittedSuspension();
    const admin = w.actor('schoolAdmin', 'H1');
    const crafted = withDecision(r.doc, 'approve', '同意', admin, w.clock());
    expect(crafted.status).toBe('approved');
    expect(w.push(admin, crafted)).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    expect(w.get(r.doc.id).status).toBe('submitted');
  });

  it('a skipped step is refused (SKIP), and so is a status the decisions do not give (STATE)', () => {
    const s = w.student('H1', (x) => x.grade === '高二');
    const d = transferDraft('H2', s.id);
    const sub = ok(w.submit(d));
    const sending = w.actor('bureau', '410105');
    const skip = {
      ...sub.doc,
      decisions: [
        ...sub.doc.decisions,
        { ...withDecision(sub.doc, 'approve', '同意', sending, w.clock()).decisions.at(-1), step: 3 },
      ],
    } as ChangeRequestDoc;
    expect(w.push(sending, skip)).toMatchObject({ ok: false, code: 'SKIP' });
    expect(w.push(w.actor('bureau', '410122'), { ...sub.doc, status: 'approved', step: 4 })).toMatchObject({
      ok: false,
      code: 'STATE',
    });
  });

  it('a decision by the wrong org or role (WRONG_PARTY), by a bureau of another county too', () => {
    const { r } = submittedSuspension();
    for (const a of [
      w.actor('bureau', '410122'),
      w.actor('bureau', '4101'),
      w.actor('province', '41'),
      w.actor('schoolAdmin', 'H2'),
    ])
      expect(w.push(a, withDecision(r.doc, 'approve', '同意', a, w.clock()))).toMatchObject({
        ok: false,
        code: 'WRONG_PARTY',
      });
  });

  it('an edit of a submitted or decided request is refused (LOCKED); identity never changes (IMMUTABLE)', () => {
    const { r } = submittedSuspension();
    const admin = w.actor('schoolAdmin', 'H1');
    expect(w.push(admin, { ...r.doc, reason: '改了原因' })).toMatchObject({ ok: false, code: 'LOCKED' });
    ok(w.decide(r.doc.id, w.actor('bureau', '410105')));
    expect(
      w.push(admin, { ...w.get(r.doc.id), details: { startDate: '2026-09-11', endDate: '2027-01-22' } }),
    ).toMatchObject({
      ok: false,
      code: 'LOCKED',
    });
    expect(w.push(admin, { ...w.get(r.doc.id), type: 'withdrawal' })).toMatchObject({
      ok: false,
      code: 'IMMUTABLE',
    });
    const decided = w.get(r.doc.id);
    const rewritten = {
      ...decided,
      decisions: decided.decisions.map((x, i) => (i === 1 ? { ...x, opinion: '不同意' } : x)),
    };
    expect(w.push(admin, rewritten)).toMatchObject({ ok: false, code: 'IMMUTABLE' });
  });

  it('one open request per student and type (OPEN_REQUEST)', () => {
    const { s } = submittedSuspension();
    const again = w.draft({
      schoolId: 'H1',
      type: 'suspension',
      students: [s],
      details: { startDate: '2026-09-12', endDate: '2027-01-22' },
      reason: '重复提交',
      applicant: APPLICANT,
      proofs: [proof('signedForm'), proof('medical')],
    });
    expect(w.submit(again)).toMatchObject({ ok: false, code: 'OPEN_REQUEST' });
  });

  it('a withdrawn request ends; only its school withdraws it, with a reason', () => {
    const { r } = submittedSuspension();
    const admin = w.actor('schoolAdmin', 'H1');
    const bureau = w.actor('bureau', '410105');
    expect(w.push(bureau, withWithdrawal(r.doc, '撤回', bureau, w.clock()))).toMatchObject({ ok: false });
    expect(w.push(admin, withWithdrawal(r.doc, '', admin, w.clock()))).toMatchObject({
      ok: false,
      code: 'REQUIRED',
    });
    const done = ok(w.push(admin, withWithdrawal(r.doc, '家长决定继续上学', admin, w.clock())));
    expect(done.doc.status).toBe('withdrawn');
    expect(w.push(bureau, withDecision(done.doc, 'approve', '同意', bureau, w.clock()))).toMatchObject({
      ok: false,
    });
  });

  it('two bureau users deciding one step offline: the first to arrive decides, the other is kept, late', () => {
    const { r } = submittedSuspension();
    const a = w.actor('bureau', '410105', 'u-bureau-zhang');
    const b = w.actor('bureau', '410105', 'u-bureau-li');
    const byA = withDecision(r.doc, 'approve', '同意休学', a, w.clock());
    const byB = withDecision(r.doc, 'reject', '证明材料不清晰，请补充', b, w.clock());
    ok(w.push(a, byA));
    // B's device meets A's decision on the server: its conflict handler keeps the server's state and adds B's
    const merged = mergeChangeRequest(
      {
        assumedMasterState: r.doc as never,
        realMasterState: w.get(r.doc.id) as never,
        newDocumentState: byB as never,
      },
      { collection: 'changeRequests', by: b.id, now: w.now },
    ).document as unknown as ChangeRequestDoc;
    expect(merged.status).toBe('approved');
    expect(merged.decisions.at(-1)).toMatchObject({ by: b.id, decision: 'reject', late: true });
    const stored = ok(w.push(b, merged));
    expect(stored.kind).toBe('late');
    expect(stored.doc.status).toBe('approved');
    expect(stored.doc.decisions.map((d) => [d.byName, d.decision, d.late === true])).toEqual([
      ['郑州市金水区第一高级中学经办人', 'approve', false],
      ['金水区教育局经办人', 'approve', false],
      ['金水区教育局经办人', 'reject', true],
    ]);
    expect(w.students.get(r.doc.studentIds[0] as string)?.status).toBe('suspended');
  });

  it('a decision dated in the future is refused; a decision in someone else’s name too', () => {
    const { r } = submittedSuspension();
    const bureau = w.actor('bureau', '410105');
    const d = withDecision(r.doc, 'approve', '同意', bureau, w.clock());
    const future = {
      ...d,
      decisions: d.decisions.map((x, i) => (i === 1 ? { ...x, at: '2027-01-01T00:00:00.000Z' } : x)),
    };
    expect(w.push(bureau, future)).toMatchObject({ ok: false, code: 'INVALID' });
    expect(w.push(w.actor('bureau', '410105', 'someone-else'), d)).toMatchObject({
      ok: false,
      code: 'WORKFLOW',
    });
  });
});

/** Each type from draft to approval, with what approval does to the student. */
type Case = {
  type: ChangeType;
  school: string;
  pick?: (s: import('../domain/student').Student) => boolean;
  prepare?: (s: import('../domain/student').Student) => import('../domain/student').Student;
  details: Record<string, string>;
  proofs: ChangeRequestDoc['proofs'];
  steps: [string, string][];
  expect: Record<string, unknown>;
};

const CASES: Case[] = [
  {
    type: 'majorChange',
    school: 'V1',
    details: { toMajor: '电子商务', effectiveDate: '2026-09-15' },
    proofs: [proof('application')],
    steps: [['bureau', '410105']],
    expect: { major: '电子商务' },
  },
  {
    type: 'repeat',
    school: 'H1',
    pick: (s) => s.grade === '高二',
    details: { toGrade: '高一', toClass: '高一(2)班' },
    proofs: [proof('application')],
    steps: [['bureau', '410105']],
    expect: { grade: '高一', classId: '高一(2)班' },
  },
  {
    type: 'skip',
    school: 'P1',
    pick: (s) => s.grade === '三年级',
    details: { toGrade: '四年级', toClass: '四年级(1)班' },
    proofs: [proof('application')],
    steps: [['bureau', '410122']],
    expect: { grade: '四年级' },
  },
  {
    type: 'suspension',
    school: 'J1',
    details: { startDate: '2026-09-10', endDate: '2027-07-01' },
    proofs: [proof('signedForm'), proof('medical')],
    steps: [['bureau', '410105']],
    expect: { status: 'suspended' },
  },
  {
    type: 'resumption',
    school: 'H1',
    pick: (s) => s.grade === '高二',
    prepare: (s) => ({ ...s, status: 'suspended', auxNo: 'OLD-AUX' }),
    details: { resumeDate: '2026-09-14', toGrade: '高一', toClass: '高一(1)班' },
    proofs: [proof('signedForm'), proof('application')],
    steps: [['bureau', '410105']],
    expect: { status: 'enrolled', grade: '高一', auxNo: '412026000001' },
  },
  {
    type: 'withdrawal',
    school: 'H2',
    details: { leaveDate: '2026-09-10' },
    proofs: [proof('signedForm'), proof('application')],
    steps: [['bureau', '410122']],
    expect: { status: 'withdrawn' },
  },
  {
    type: 'cancellation',
    school: 'V2',
    details: { cancelDate: '2026-09-10' },
    proofs: [proof('other')],
    steps: [['bureau', '410122']],
    expect: { status: 'cancelled' },
  },
  {
    type: 'death',
    school: 'J2',
    details: { deathDate: '2026-09-05' },
    proofs: [proof('signedForm'), proof('deathCertificate')],
    steps: [['bureau', '4103']],
    expect: { status: 'deceased' },
  },
  {
    type: 'abroad',
    school: 'H4',
    details: { destination: '新加坡', leaveDate: '2026-09-20' },
    proofs: [proof('signedForm'), proof('abroadProof')],
    steps: [['bureau', '410305']],
    expect: { status: 'abroad' },
  },
  {
    type: 'studyFormChange',
    school: 'V1',
    prepare: (s) => ({ ...s, studyForm: '1' }),
    details: { toForm: '2', effectiveDate: '2026-09-15' },
    proofs: [proof('application')],
    steps: [['bureau', '410105']],
    expect: { studyForm: '2' },
  },
  {
    type: 'graduation',
    school: 'J1',
    pick: (s) => s.grade === '九年级',
    details: { graduationDate: '2026-06-30' },
    proofs: [],
    steps: [],
    expect: { status: 'graduated' },
  },
  {
    type: 'graduation',
    school: 'H2',
    pick: (s) => s.grade === '高三',
    details: { graduationDate: '2026-06-30' },
    proofs: [],
    steps: [['bureau', '4101']],
    expect: { status: 'graduated' },
  },
  {
    type: 'enrolment',
    school: 'H4',
    pick: (s) => s.grade === '高一',
    prepare: (s) => ({ ...s, auxNo: undefined }),
    details: { enrolDate: '2026-09-01' },
    proofs: [proof('enrolmentList')],
    steps: [['bureau', '4103']],
    expect: { auxNo: '412026000001' },
  },
  {
    type: 'enrolment',
    school: 'V2',
    details: { enrolDate: '2026-09-01' },
    proofs: [proof('enrolmentList')],
    steps: [],
    expect: { status: 'enrolled' },
  },
];

describe.each(CASES.map((c) => [`${DEFINITIONS[c.type].label} at ${c.school}`, c] as const))(
  '%s',
  (_n, c) => {
    it('goes from draft through its route to approval, and approval changes the student', () => {
      let s = w.student(c.school, c.pick);
      if (c.prepare) {
        s = c.prepare(s);
        w.students.set(s.id, s);
      }
      const d = w.draft({
        schoolId: c.school,
        type: c.type,
        students: [s],
        details: c.details,
        reason: `${DEFINITIONS[c.type].label}申请原因`,
        applicant: APPLICANT,
        proofs: c.proofs,
        appliedOn: '2026-09-10',
      });
      const sub = ok(w.submit(d));
      expect(sub.doc.route.slice(1).map((r) => [r.role, r.orgId])).toEqual(c.steps);
      for (const [role, org] of c.steps) ok(w.decide(d.id, w.actor(role as 'bureau', org)));
      const done = w.get(d.id);
      expect(done.status).toBe('approved');
      expect(w.students.get(s.id)).toMatchObject(c.expect);
      // the printed form of the request validates as the forms engine checks it
      for (const data of statusChangeFormData(done, {
        schoolName: w.school(c.school).name,
        printedAt: '2026-09-30',
      }))
        expect(() => statusChangeForm.shape(data, '')).not.toThrow();
    });
  },
);

describe('info change (基本信息变更, YQ 二(五))', () => {
  function infoDraft(field: string, after: string) {
    const s = w.student('V1');
    return {
      s,
      d: w.draft({
        schoolId: 'V1',
        type: 'infoChange',
        students: [s],
        items: [{ field, before: String((s as never)[field] ?? ''), after, reason: '按户口簿更正' }],
        reason: '入学登记错误',
        applicant: APPLICANT,
        proofs: [proof('idProof')],
      }),
    };
  }

  it('a misspelled name is corrected after the bureau approves; the form prints before and after', () => {
    const { s, d } = infoDraft('name', '王颖瑶');
    ok(w.submit(d));
    ok(w.decide(d.id, w.actor('bureau', '410105')));
    expect(w.students.get(s.id)?.name).toBe('王颖瑶');
    const data = infoChangeFormData(w.get(d.id), { schoolName: '职专', printedAt: '2026-09-30' });
    expect(data.items[0]).toMatchObject({ field: 'name', before: s.name, after: '王颖瑶' });
    expect(data.bureauOpinion?.opinion).toBe('同意');
    expect(() => infoChangeForm.shape(data, '')).not.toThrow();
  });

  it('refuses a field that is not key (NOT_KEY), a stale before value (STALE) and an invalid after value', () => {
    expect(w.submit(infoDraft('phone', '13900000000').d)).toMatchObject({ ok: false, code: 'NOT_KEY' });
    const { d } = infoDraft('gender', '3');
    expect(w.submit(d)).toMatchObject({ ok: false, code: 'INVALID' });
    const { s, d: n } = infoDraft('name', '王颖瑶');
    w.students.set(s.id, { ...s, name: '另一个名字' });
    expect(w.submit(n)).toMatchObject({ ok: false, code: 'STALE' });
  });

  it('R-ONE before a key-field change: a new ID number of another active record is refused', () => {
    const other = w.student('H1');
    const { d } = infoDraft('idNo', other.idNo);
    const r = w.push(w.actor('schoolAdmin', 'V1'), { ...d });
    expect(r.ok).toBe(true);
    const facts = {
      ...w.facts(d, true),
      idNoTaken: { ok: false as const, code: 'R-ONE', reason: 'R-ONE 一人一籍：已在其他学校注册学籍' },
    };
    const admin = w.actor('schoolAdmin', 'V1');
    const sub = decideTransition(
      w.get(d.id),
      withDecision({ ...w.get(d.id) }, 'approve', '同意上报', admin, w.clock()),
      admin,
      facts,
    );
    expect(sub).toMatchObject({ ok: false });
  });
});

describe('restore (恢复学籍, R-APPEAL) and R-ESCALATE', () => {
  it('a change made because of R-MISS-2-4 escalates the next one to the province; a restore re-applies the earlier state', () => {
    const s = w.student('V1', (x) => x.studyForm !== '2');
    w.students.set(s.id, { ...s, studyForm: '1' });
    const change = w.draft({
      schoolId: 'V1',
      type: 'studyFormChange',
      students: [w.students.get(s.id) as never],
      details: { toForm: '2', effectiveDate: '2026-09-15' },
      reason: '连续两次未完成学籍核验（R-MISS-2-4）',
      applicant: APPLICANT,
      proofs: [proof('other')],
      basis: { rule: 'R-MISS-2-4' },
    });
    ok(w.submit(change));
    ok(w.decide(change.id, w.actor('bureau', '410105')));
    expect(w.students.get(s.id)?.studyForm).toBe('2');
    const restore = w.draft({
      schoolId: 'V1',
      type: 'restore',
      students: [w.students.get(s.id) as never],
      details: { restoreOf: change.id, appealNo: '豫教职成申〔2026〕12号' },
      reason: '申诉通过，恢复原学籍状态',
      applicant: APPLICANT,
      proofs: [proof('appealDecision')],
    });
    const sub = ok(w.submit(restore));
    expect(sub.doc.escalated).toBe(true);
    expect(sub.doc.route.map((r) => r.level)).toEqual(['school', 'county', 'province']);
    expect(sub.doc.findings?.some((f) => f.rule === 'R-ESCALATE')).toBe(true);
    ok(w.decide(restore.id, w.actor('bureau', '410105')));
    expect(w.get(restore.id).status).toBe('submitted');
    expect(w.decide(restore.id, w.actor('bureau', '4101'))).toMatchObject({ ok: false, code: 'WRONG_PARTY' });
    ok(w.decide(restore.id, w.actor('province', '41')));
    expect(w.students.get(s.id)?.studyForm).toBe('1');
  });
});

describe('deadlines (R-1WEEK, R-GRAD-JUNE, the transfer parties) and the inbox (R-DAILY)', () => {
  const cal = makeCalendar();
  const settings = withDefaults();

  it('a transfer party has 10 working days from the day after: across the 2026 National Day holidays', () => {
    w.now = '2026-09-24T02:00:00.000Z';
    const s = w.student('H1', (x) => x.grade === '高二');
    const d = transferDraft('H2', s.id);
    const sub = ok(w.submit(d));
    const due = stepDue(sub.doc, { calendar: cal, settings, orgs: w.orgs });
    // 9-24 (Thu) + 10 working days: (9-25 … 9-27 中秋 off) 9-28, 9-29, 9-30, (10-1 … 10-7 国庆 off), 10-8, 10-9,
    // 10-10 (Sat, 调休上班), 10-12, 10-13, 10-14, 10-15
    expect(due).toMatchObject({ date: '2026-10-15', rule: 'R-TX-WINDOW' });
    const inbox = (today: string) =>
      collectInbox(
        [changeRequestInbox],
        { changeRequests: [w.get(d.id)] as never, orgs: w.orgs as never },
        {
          user: {
            id: 'b',
            username: 'b',
            displayName: 'b',
            role: 'bureau',
            orgId: '410122',
            orgName: '中牟县教育局',
            orgPath: '/41/4101/410122/',
            classIds: [],
          },
          today,
        },
      );
    expect(inbox('2026-10-15')[0]).toMatchObject({
      section: 'waiting',
      overdue: false,
      due: { date: '2026-10-15', rule: 'R-TX-WINDOW' },
    });
    expect(inbox('2026-10-16')[0]).toMatchObject({ section: 'waiting', overdue: true });
  });

  it('R-1WEEK: a suspension is due a calendar week after the application; the school sees it as started', () => {
    const s = w.student('H1');
    const d = w.draft({
      schoolId: 'H1',
      type: 'suspension',
      students: [s],
      details: { startDate: '2026-09-10', endDate: '2027-01-22' },
      reason: '因病',
      applicant: APPLICANT,
      proofs: [proof('signedForm'), proof('medical')],
      appliedOn: '2026-09-08',
    });
    const sub = ok(w.submit(d));
    expect(stepDue(sub.doc, { calendar: cal, settings, orgs: w.orgs })).toMatchObject({
      date: '2026-09-15',
      rule: 'R-1WEEK',
    });
    const admin = {
      id: 'a',
      username: 'a',
      displayName: 'a',
      role: 'schoolAdmin' as const,
      orgId: 'H1',
      orgName: 'x',
      orgPath: '/41/4101/410105/H1/',
      classIds: [],
    };
    const items = collectInbox(
      [changeRequestInbox],
      { changeRequests: [sub.doc] as never, orgs: w.orgs as never },
      { user: admin, today: '2026-09-16' },
    );
    expect(items).toEqual([
      expect.objectContaining({
        section: 'started',
        overdue: true,
        due: { date: '2026-09-15', rule: 'R-1WEEK' },
      }),
    ]);
  });

  it('R-1WEEK applies to a withdrawal only at a 普通高中; R-GRAD-JUNE dates graduation', () => {
    const mk = (type: ChangeType, schoolId: string) =>
      ({
        type,
        schoolId,
        appliedOn: '2026-05-10',
        status: 'submitted',
        route: [],
        decisions: [],
        step: 1,
      }) as unknown as ChangeRequestDoc;
    const f = { calendar: cal, settings, orgs: w.orgs };
    expect(stepDue(mk('withdrawal', 'H1'), f)?.rule).toBe('R-1WEEK');
    expect(stepDue(mk('withdrawal', 'J1'), f)).toBeUndefined();
    expect(stepDue(mk('graduation', 'H2'), f)).toMatchObject({ date: '2026-06-30', rule: 'R-GRAD-JUNE' });
  });
});

describe('pieces', () => {
  it('derives the state from the decisions: late decisions do not count', () => {
    const route = [{}, {}] as never;
    const d = (id: string, step: number, decision: 'approve' | 'reject' = 'approve') =>
      ({ id, step, decision, opinion: '', by: id, byName: id, orgId: '', orgName: '', at: '' }) as never;
    expect(deriveState(route, [], undefined).status).toBe('draft');
    expect(deriveState(route, [d('a', 0)], undefined)).toMatchObject({ status: 'submitted', step: 1 });
    const r = deriveState(route, [d('a', 0), d('b', 1, 'reject'), d('c', 1)], undefined);
    expect(r.status).toBe('rejected');
    expect(r.decisions.map((x) => x.late === true)).toEqual([false, false, true]);
  });

  it('reads years of study and lower grades', () => {
    expect(yearOfStudy('高一', 'senior', '2026-09-10')).toBe(1);
    expect(yearOfStudy('九年级', 'junior', '2026-09-10')).toBe(3);
    expect(yearOfStudy('2024级', 'vocational', '2026-09-10')).toBe(3);
    expect(yearOfStudy('2024级', 'vocational', '2026-08-10')).toBe(3);
    expect(yearOfStudy('2024级', 'vocational', '2026-06-10')).toBe(2);
    expect(isLowerGrade('高二', '高一')).toBe(true);
    expect(isLowerGrade('2024级', '2025级')).toBe(true);
    expect(isLowerGrade('高一', '高二')).toBe(false);
  });

  it('the change roster of a term lists a school’s entries; applyApproval gives student, event and entry', () => {
    const s = w.student('H1');
    const d = w.draft({
      schoolId: 'H1',
      type: 'suspension',
      students: [s],
      details: { startDate: '2026-09-10', endDate: '2027-01-22' },
      reason: '因病',
      applicant: APPLICANT,
      proofs: [proof('signedForm'), proof('medical')],
    });
    ok(w.submit(d));
    const done = ok(w.decide(d.id, w.actor('bureau', '410105'))).doc;
    expect(changeRoster([done], 'H1', { start: '2026-09-01', end: '2027-01-31' })).toEqual([
      expect.objectContaining({ changeType: 'suspension', name: s.name, changeDate: '2026-09-10' }),
    ]);
    expect(changeRoster([done], 'H1', { start: '2027-02-01', end: '2027-08-31' })).toEqual([]);
    const a = applyApproval(done, s, w.facts(done, true), { id: 'u', name: '张三' });
    expect(a.student.status).toBe('suspended');
    expect(a.events[0]).toMatchObject({
      entity: 'student',
      entityId: s.id,
      action: 'change-apply',
      before: { status: 'enrolled' },
      after: { status: 'suspended' },
    });
    expect(a.rosterEntries[0]?.changeType).toBe('suspension');
  });

  it('files the signed paper copy only after approval, by its school', () => {
    const s = w.student('J1');
    const d = w.draft({
      schoolId: 'J1',
      type: 'graduation',
      students: [s],
      details: { graduationDate: '2026-06-30' },
      reason: '九年级毕业',
      applicant: APPLICANT,
      proofs: [],
    });
    const admin = w.actor('schoolAdmin', 'J1');
    expect(w.push(admin, withFiling(d, admin, w.clock()))).toMatchObject({ ok: false });
    const done = ok(w.submit(d)).doc;
    expect(done.status).toBe('approved');
    ok(w.push(admin, withFiling(done, admin, w.clock())));
    expect(w.get(d.id).filed?.by).toBe(admin.id);
  });
});
