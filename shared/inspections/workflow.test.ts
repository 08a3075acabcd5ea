import { describe, expect, it } from 'vitest';
import {
  AT,
  assigned,
  bureau,
  drawnPlan,
  facts,
  fullVisit,
  packFor,
} from '../../tests/support/inspection-fixtures';
import { generateStudents } from '../seed/roster';
import { idHashOf, lookupIdNumber, lookupResultText } from './pack';
import { drawPlan, planProblems, planPublication, publishPlan } from './plan';
import type { FollowUpDoc, InspectionDoc, PlanDoc, ReportDoc } from './records';
import { followUpIdOf, reportIdOf } from './records';
import { archiveDifferences, completeVisit, confirmPresence, drawVisitSample, visitProblems } from './visit';
import { inspectionWriteProblem, type WriteFacts } from './workflow';

describe('plans: the server re-checks every plan against its own register (issue 14)', () => {
  it('a fresh plan takes only inspectors with an enforcement ID (R-INSP-2), and draws K = 2 per school', () => {
    const plan = drawnPlan();
    expect(plan.inputs.inspectors.map((i) => i.id)).toEqual(['i1', 'i2', 'i3']);
    expect(plan.draw?.draws).toHaveLength(4);
    for (const d of plan.draw?.draws ?? []) expect(d.inspectors).toHaveLength(2);
    expect(planProblems(plan, facts)).toEqual([]);
    expect(inspectionWriteProblem({ user: bureau, before: null, after: plan, facts })).toBeNull();
  });
  it('R-INSP-RECUSE: an inspector with a declared conflict is never drawn for that school, over 200 seeds', () => {
    for (let s = 0; s < 200; s++) {
      const plan = drawnPlan(`seed-${s}`);
      const s1 = plan.draw?.draws.find((d) => d.object === 'S1');
      expect(s1?.inspectors).not.toContain('i1');
    }
  });
  it('a draw that does not verify is refused (changed assignment, swapped order, another seed)', () => {
    const plan = drawnPlan();
    const draws = plan.draw?.draws ?? [];
    const tampered: PlanDoc = {
      ...plan,
      draw: { ...(plan.draw as NonNullable<PlanDoc['draw']>), draws: [...draws].reverse() },
    };
    const r = inspectionWriteProblem({ user: bureau, before: null, after: tampered, facts });
    expect(r?.code).toBe('INVALID');
    expect(r?.reason).toContain('抽取结果未通过复核');
    const reseeded = { ...plan, seed: 'another' };
    expect(inspectionWriteProblem({ user: bureau, before: null, after: reseeded, facts })?.reason).toContain(
      '随机种子',
    );
  });
  it('R-INSP-RECUSE: a plan that leaves out an inspector’s declared conflict is refused, even if its draw verifies', () => {
    const plan = drawnPlan();
    const inputs = {
      ...plan.inputs,
      inspectors: plan.inputs.inspectors.map((i) => ({ ...i, conflicts: [] })),
    };
    const forged = drawPlan({ ...plan, inputs }, { at: AT, by: 'b1', date: '2026-09-20' });
    if (!forged.ok) throw new Error('draw');
    const r = inspectionWriteProblem({ user: bureau, before: null, after: forged.value, facts });
    expect(r?.reason).toContain('R-INSP-RECUSE');
    expect(r?.reason).toContain('王督学');
    expect(r?.reason).toContain('金水区职业中专');
  });
  it('a drawn inspector assigned to a school they declared a conflict with is refused', () => {
    const plan = drawnPlan();
    const draws = (plan.draw?.draws ?? []).map((d) =>
      d.object === 'S1' ? { ...d, inspectors: ['i1', 'i2'] } : d,
    );
    const after = { ...plan, draw: { ...(plan.draw as NonNullable<PlanDoc['draw']>), draws } };
    const r = inspectionWriteProblem({ user: bureau, before: null, after, facts });
    expect(r?.reason).toMatch(/R-INSP-RECUSE|未通过复核/);
  });
  it('names and enforcement IDs come from the register; a school outside the area is refused', () => {
    const plan = drawnPlan();
    const renamed = {
      ...plan,
      inputs: {
        ...plan.inputs,
        inspectors: plan.inputs.inspectors.map((i) =>
          i.id === 'i2' ? { ...i, enforcementId: '伪造-9999' } : i,
        ),
      },
    };
    expect(planProblems(renamed, facts)[0]?.message).toContain('执法证号与名录不符');
    const outside = {
      ...plan,
      inputs: {
        ...plan.inputs,
        objects: [...plan.inputs.objects, { id: 'SX', name: '外市学校', weight: 1 }],
      },
    };
    expect(planProblems(outside, facts).some((p) => p.message.includes('不是本局辖区内的学校'))).toBe(true);
  });
  it('only the plan’s own bureau writes it; a published plan is fixed; its public list is the draw', () => {
    const plan = drawnPlan();
    expect(
      inspectionWriteProblem({ user: { ...bureau, orgId: '4103' }, before: null, after: plan, facts })?.code,
    ).toBe('WORKFLOW');
    expect(
      inspectionWriteProblem({
        user: { id: 'x', role: 'schoolAdmin', orgId: 'S1' },
        before: null,
        after: { ...plan, updatedBy: 'x', createdBy: 'x' },
        facts,
      })?.code,
    ).toBe('WORKFLOW');
    const published = publishPlan(plan, { at: AT, by: 'b1' });
    if (!published.ok) throw new Error('publish');
    expect(inspectionWriteProblem({ user: bureau, before: plan, after: published.value, facts })).toBeNull();
    const again = { ...published.value, visitTo: '2026-10-30' };
    expect(inspectionWriteProblem({ user: bureau, before: published.value, after: again, facts })?.code).toBe(
      'WORKFLOW',
    );
    const pub = planPublication(published.value);
    expect(pub.ok && pub.value.rows.map((r) => r.object.id)).toEqual(plan.draw?.draws.map((d) => d.object));
    // 一公开: names are public, enforcement IDs and conflicts are not.
    expect(JSON.stringify(pub)).not.toContain('豫教执');
  });
});

describe('on site: presence, checks, sample, duplicates, signatures (R-INSP-2, R-INSP-RECUSE, R-INSP-TRACE)', () => {
  it('R-INSP-2: an inspector presents the enforcement ID drawn for them; another number is refused', () => {
    const doc = assigned();
    const i = doc.inspectors[0];
    if (!i) throw new Error('no inspector');
    const r = confirmPresence(doc, {
      userId: i.userId,
      enforcementId: '豫教执 0000',
      noConflict: true,
      at: AT,
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]?.message).toContain('执法证号');
  });
  it('R-INSP-RECUSE: an inspector who has a conflict cannot sign in', () => {
    const doc = assigned();
    const i = doc.inspectors[0];
    if (!i) throw new Error('no inspector');
    const r = confirmPresence(doc, {
      userId: i.userId,
      enforcementId: i.enforcementId,
      noConflict: false,
      at: AT,
    });
    expect(!r.ok && r.problems[0]?.message).toContain('R-INSP-RECUSE');
  });
  it('a complete visit signs; the sample is what its seed gives; the differences are listed', () => {
    const { doc } = fullVisit();
    const done = completeVisit(doc, { at: '2026-09-24T16:00:00.000Z', by: 'i2' });
    expect(done.ok && done.value.status).toBe('recorded');
    const diffs = archiveDifferences(doc);
    expect(diffs.length).toBeGreaterThan(0);
    expect(diffs.every((d) => d.part.length > 0 && d.text.includes('“'))).toBe(true);
  });
  it('R-INSP-2: one inspector present is not enough to sign', () => {
    let doc = assigned();
    const i = doc.inspectors[0];
    if (!i) throw new Error('no inspector');
    const r = confirmPresence(doc, {
      userId: i.userId,
      enforcementId: i.enforcementId,
      noConflict: true,
      at: AT,
    });
    if (!r.ok) throw new Error('presence');
    doc = r.value;
    const problems = visitProblems(doc, { complete: true }).map((p) => p.message);
    expect(problems.some((m) => m.includes('R-INSP-2'))).toBe(true);
  });
  it('R-INSP-TRACE: a record without any trace is not complete', () => {
    const { doc } = fullVisit();
    const bare = {
      ...doc,
      checks: Object.fromEntries(
        Object.entries(doc.checks ?? {}).map(([k, c]) => [k, { ...c, evidence: [] }]),
      ),
    };
    expect(visitProblems(bare, { complete: true }).some((p) => p.message.includes('R-INSP-TRACE'))).toBe(
      true,
    );
  });
  it('a drawn sample cannot be drawn again (the sample is not chosen)', () => {
    const { doc, pack } = fullVisit();
    const again = drawVisitSample(doc, pack, 3, 'other', AT, 'i2');
    expect(!again.ok && again.problems[0]?.message).toContain('不能重抽');
  });
  it('the R-ONE index: an ID number typed on site is found by its keyed hash; the record keeps no number', () => {
    const doc = assigned();
    const students = generateStudents({
      count: 40,
      seed: 5,
      schoolId: 'S3',
      orgPath: doc.orgPath,
      schoolType: 'vocational',
    });
    const pack = packFor(doc);
    const s = students[3];
    if (!s) throw new Error('no student');
    expect(pack.duplicates.entries.find((e) => e.studentId === s.id)?.idHash).toBe(
      idHashOf(pack.duplicates.key, s.idNo),
    );
    const text = lookupResultText(lookupIdNumber(pack, s.idNo.toLowerCase()));
    expect(text).toContain(s.name);
    expect(text).toContain('金水区职业中专');
    expect(text).not.toContain(s.idNo);
    expect(JSON.stringify(pack)).not.toContain(s.idNo);
    expect(JSON.stringify(pack)).not.toContain(s.guardians[0]?.phone ?? '∅');
  });
});

describe('the server’s workflow for inspection records', () => {
  const packs = (pack: ReturnType<typeof packFor>) =>
    new Map([
      [
        pack.rosterHash,
        {
          rosterIds: pack.students.map((s) => s.id),
          claims: Object.fromEntries(
            pack.students.map((s) => [
              s.id,
              Object.fromEntries(Object.entries(s.archive).map(([k, v]) => [k, v.state])),
            ]),
          ),
        },
      ],
    ]);
  const inspector = (doc: InspectionDoc) => ({
    id: doc.inspectors[0]?.userId ?? '',
    role: 'inspector' as const,
    orgId: '4101',
  });
  const stamp = <T extends { updatedBy: string }>(d: T, by: string): T => ({ ...d, updatedBy: by });

  it('an inspection is made by the publication only; its own inspectors fill it; a signed record is fixed', () => {
    const before = assigned();
    const { doc, pack } = fullVisit();
    const who = inspector(before);
    expect(
      inspectionWriteProblem({ user: who, before: null, after: stamp(before, who.id), facts: {} })?.code,
    ).toBe('WORKFLOW');
    const f: WriteFacts = { packs: packs(pack) };
    expect(inspectionWriteProblem({ user: who, before, after: stamp(doc, who.id), facts: f })).toBeNull();
    const done = completeVisit(doc, { at: AT, by: who.id });
    if (!done.ok) throw new Error('complete');
    expect(
      inspectionWriteProblem({ user: who, before: doc, after: stamp(done.value, who.id), facts: f }),
    ).toBeNull();
    const edit = { ...done.value, problems: '改写', updatedBy: who.id };
    expect(inspectionWriteProblem({ user: who, before: done.value, after: edit, facts: f })?.code).toBe(
      'WORKFLOW',
    );
    const other = { id: 'i9', role: 'inspector' as const, orgId: '4101' };
    expect(inspectionWriteProblem({ user: other, before, after: stamp(doc, 'i9'), facts: f })?.code).toBe(
      'WORKFLOW',
    );
    const school = { id: 'a1', role: 'schoolAdmin' as const, orgId: before.schoolId };
    expect(inspectionWriteProblem({ user: school, before, after: stamp(doc, 'a1'), facts: f })?.code).toBe(
      'WORKFLOW',
    );
  });
  it('a visit done wholly offline arrives as one push: assigned → signed at once is taken', () => {
    const before = assigned();
    const { doc, pack } = fullVisit();
    const who = inspector(before);
    const done = completeVisit(doc, { at: AT, by: who.id });
    if (!done.ok) throw new Error('complete');
    expect(before.status).toBe('assigned');
    expect(
      inspectionWriteProblem({
        user: who,
        before,
        after: stamp(done.value, who.id),
        facts: { packs: packs(pack) },
      }),
    ).toBeNull();
  });
  it('a sample not drawn from the pack the server built is refused, and so are changed claims', () => {
    const before = assigned();
    const { doc, pack } = fullVisit();
    const who = inspector(before);
    expect(
      inspectionWriteProblem({ user: who, before, after: stamp(doc, who.id), facts: { packs: new Map() } })
        ?.reason,
    ).toContain('抽查学生名单');
    const [first] = doc.sample?.students ?? [];
    const claims = {
      ...doc.sampleChecks,
      [first as string]: {
        ...(doc.sampleChecks?.[first as string] as NonNullable<InspectionDoc['sampleChecks']>[string]),
        claimed: {},
      },
    };
    const r = inspectionWriteProblem({
      user: who,
      before,
      after: stamp({ ...doc, sampleChecks: claims }, who.id),
      facts: { packs: packs(pack) },
    });
    expect(r?.reason).toContain('学校登记情况');
  });
  it('the report: drafted by an inspector, served complete, signed for by the school only', () => {
    const { doc } = fullVisit();
    const done = completeVisit(doc, { at: '2026-09-24T16:00:00.000Z', by: 'i2' });
    if (!done.ok) throw new Error('complete');
    const parent = done.value;
    const who = inspector(parent);
    const draft: ReportDoc = {
      id: reportIdOf(parent.id),
      kind: 'report',
      schoolId: parent.schoolId,
      bureauId: parent.bureauId,
      orgPath: parent.orgPath,
      title: '检查报告',
      status: 'draft',
      inspectionId: parent.id,
      issuer: '郑州市教育局',
      schoolName: parent.schoolName,
      // ended at 2026-09-24T16:00Z: 00:00 on 25 September in Beijing, the day the draft writes (print.ts)
      inspectionDate: '2026-09-25',
      reportDate: '2026-10-09',
      inspectorNames: parent.inspectors.map((i) => i.name),
      content: '学籍管理五个方面',
      situation: '',
      evaluation: '',
      suggestions: '',
      createdAt: AT,
      createdBy: who.id,
      updatedAt: AT,
      updatedBy: who.id,
    };
    expect(inspectionWriteProblem({ user: who, before: null, after: draft, facts: { parent } })).toBeNull();
    const issued = { ...draft, status: 'issued' as const, issuedAt: AT, issuedBy: who.id };
    expect(
      inspectionWriteProblem({ user: who, before: draft, after: issued, facts: { parent } })?.reason,
    ).toContain('检查情况');
    const full = { ...issued, situation: '总体规范', evaluation: '良好', suggestions: '补齐档案' };
    expect(inspectionWriteProblem({ user: who, before: draft, after: full, facts: { parent } })).toBeNull();
    // the UTC date of the end is not the inspection's day (the server refused every report served
    // between 16:00 and 24:00 UTC, that is before 08:00 in Beijing)
    expect(
      inspectionWriteProblem({
        user: who,
        before: draft,
        after: { ...full, inspectionDate: '2026-09-24' },
        facts: { parent },
      })?.reason,
    ).toContain('检查日期与检查情况记录不符');
    const school = { id: 'a1', role: 'schoolAdmin' as const, orgId: parent.schoolId };
    const received = {
      ...full,
      status: 'received' as const,
      receivedAt: AT,
      receivedBy: 'a1',
      receivedByName: '学籍员',
      updatedBy: 'a1',
    };
    expect(
      inspectionWriteProblem({ user: school, before: full, after: received, facts: { parent } }),
    ).toBeNull();
    const rewrite = { ...received, evaluation: '优秀' };
    expect(
      inspectionWriteProblem({ user: school, before: full, after: rewrite, facts: { parent } }),
    ).not.toBeNull();
    expect(
      inspectionWriteProblem({
        user: who,
        before: full,
        after: { ...full, evaluation: '优秀' },
        facts: { parent },
      })?.code,
    ).toBe('WORKFLOW');
  });
  it('follow-ups: the school answers with evidence, the inspector closes or returns them', () => {
    const { doc } = fullVisit();
    const done = completeVisit(doc, { at: AT, by: 'i2' });
    if (!done.ok) throw new Error('complete');
    const parent = done.value;
    const item = parent.template.items[1];
    if (!item) throw new Error('item');
    const open: FollowUpDoc = {
      id: followUpIdOf(parent.id, item.id),
      kind: 'followUp',
      schoolId: parent.schoolId,
      bureauId: parent.bureauId,
      orgPath: parent.orgPath,
      title: item.title,
      status: 'open',
      inspectionId: parent.id,
      itemId: item.id,
      itemNo: item.no,
      itemTitle: item.title,
      problem: '档案缺成绩单',
      requirement: '补齐',
      answers: [],
      reviews: [],
      createdAt: AT,
      createdBy: 'i2',
      updatedAt: AT,
      updatedBy: 'i2',
    };
    const school = { id: 'a1', role: 'schoolAdmin' as const, orgId: parent.schoolId };
    const answered: FollowUpDoc = {
      ...open,
      status: 'answered',
      answers: [{ text: '已补齐', evidence: [], at: AT, by: 'a1', byName: '学籍员' }],
      updatedBy: 'a1',
    };
    expect(
      inspectionWriteProblem({ user: school, before: open, after: answered, facts: { parent } }),
    ).toBeNull();
    const closedBySchool = { ...answered, status: 'closed' as const };
    expect(
      inspectionWriteProblem({ user: school, before: answered, after: closedBySchool, facts: { parent } }),
    ).not.toBeNull();
    const who = { id: parent.inspectors[0]?.userId ?? '', role: 'inspector' as const, orgId: '4101' };
    const closed: FollowUpDoc = {
      ...answered,
      status: 'closed',
      reviews: [{ decision: 'close', note: '已核实', at: AT, by: who.id, byName: '督学' }],
      updatedBy: who.id,
    };
    expect(
      inspectionWriteProblem({ user: who, before: answered, after: closed, facts: { parent } }),
    ).toBeNull();
    expect(
      inspectionWriteProblem({
        user: school,
        before: closed,
        after: { ...closed, updatedBy: 'a1', status: 'answered' },
        facts: { parent },
      })?.code,
    ).toBe('WORKFLOW');
  });
});
