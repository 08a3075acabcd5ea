// Inspection records for tests (shared/inspections, server and e2e tests): a city's register of schools and
// inspectors (one with a declared conflict), a drawn plan, an assigned inspection, its visit pack and a
// visit taken step by step as the on-site screens do.

import { buildVisitPack } from '../../shared/inspections/pack';
import {
  changePlan,
  type DrawRegister,
  drawPlan,
  inspectionsOfPlan,
  newPlan,
} from '../../shared/inspections/plan';
import type { InspectionDoc, PlanDoc } from '../../shared/inspections/records';
import { planIdOf } from '../../shared/inspections/records';
import { BUILT_IN_TEMPLATES } from '../../shared/inspections/templates';
import {
  checkSamplePart,
  confirmPresence,
  drawVisitSample,
  keepEvidence,
  runDuplicateCheck,
  SCHOOL_HEAD,
  setFinding,
  setRecordText,
  sign,
} from '../../shared/inspections/visit';
import type { WriteFacts } from '../../shared/inspections/workflow';
import { generateStudents } from '../../shared/seed/roster';

export const AT = '2026-09-24T09:00:00.000Z';
export const SHA = (n: number) => n.toString(16).padStart(64, 'a');
export const register: DrawRegister = {
  bureau: { id: '4101', name: '郑州市教育局', path: '/41/4101/' },
  inspectors: [
    { id: 'i1', name: '王督学', enforcementId: '豫教执 4101-0001', conflicts: ['S1'] },
    { id: 'i2', name: '李督学', enforcementId: '豫教执 4101-0002', conflicts: [] },
    { id: 'i3', name: '张督学', enforcementId: '豫教执 4101-0003', conflicts: [] },
    { id: 'i4', name: '无证人员', enforcementId: null, conflicts: [] },
  ],
  schools: [
    { id: 'S1', name: '金水区职业中专', schoolType: 'vocational', path: '/41/4101/410105/S1/' },
    { id: 'S2', name: '金水区第七十六中学', schoolType: 'k12', path: '/41/4101/410105/S2/' },
    { id: 'S3', name: '中牟县职业教育中心', schoolType: 'vocational', path: '/41/4101/410122/S3/' },
    { id: 'S4', name: '中牟县第一初级中学', schoolType: 'k12', path: '/41/4101/410122/S4/' },
  ],
};
export const bureau = { id: 'b1', role: 'bureau' as const, orgId: '4101' };
export const facts = { register, templates: BUILT_IN_TEMPLATES } satisfies WriteFacts;

export function drawnPlan(seed = '2026-秋季-学籍抽查'): PlanDoc {
  const p = newPlan({
    id: planIdOf('x'),
    register,
    matter: { id: 'XJ-2026-01', name: '2026年秋季学籍管理随机抽查' },
    at: AT,
    by: 'b1',
  });
  const changed = changePlan(p, { size: { count: 4 }, seed }, register, { at: AT, by: 'b1' });
  if (!changed.ok) throw new Error(JSON.stringify(changed.problems));
  const drawn = drawPlan(changed.value, { at: AT, by: 'b1', date: '2026-09-20' });
  if (!drawn.ok) throw new Error(JSON.stringify(drawn.problems));
  return drawn.value;
}

export function assigned(): InspectionDoc {
  const plan = drawnPlan();
  const all = inspectionsOfPlan(plan, { register, templates: BUILT_IN_TEMPLATES, at: AT, by: 'b1' });
  const doc = all.find((d) => d.schoolId === 'S3') as InspectionDoc;
  return doc;
}

export function packFor(doc: InspectionDoc) {
  const students = generateStudents({
    count: 40,
    seed: 5,
    schoolId: doc.schoolId,
    orgPath: doc.orgPath,
    schoolType: 'vocational',
  });
  return buildVisitPack({
    inspectionId: doc.id,
    builtAt: AT,
    builtBy: 'i2',
    school: {
      id: 'S3',
      kind: 'school',
      name: '中牟县职业教育中心',
      path: doc.orgPath,
      schoolType: 'vocational',
      updatedAt: AT,
    },
    students,
    events: [],
    elsewhere: new Map([[students[3]?.id as string, '金水区职业中专']]),
    key: 'ab'.repeat(32),
  });
}

/** A visit taken step by step as the on-site screens do. */
export function fullVisit() {
  let doc = assigned();
  const pack = packFor(doc);
  const step = (r: ReturnType<typeof setFinding>) => {
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    doc = r.value;
  };
  for (const i of doc.inspectors)
    step(
      confirmPresence(doc, { userId: i.userId, enforcementId: i.enforcementId, noConflict: true, at: AT }),
    );
  for (const item of doc.template.items)
    step(
      setFinding(
        doc,
        item.id,
        item.id === 'voc-2'
          ? { finding: 'nonConforming', notes: '抽查档案缺少成绩单' }
          : { finding: 'conforming' },
      ),
    );
  step(
    keepEvidence(doc, 'voc-1', {
      kind: 'photo',
      sha256: SHA(1),
      name: '学籍管理制度.jpg',
      mime: 'image/jpeg',
      size: 1000,
      capturedAt: AT,
      capturedBy: doc.inspectors[0]?.userId ?? '',
    }),
  );
  step(drawVisitSample(doc, pack, 3, '20260924', AT, 'i2'));
  for (const id of doc.sample?.students ?? [])
    for (const part of Object.keys(pack.students.find((s) => s.id === id)?.archive ?? {}))
      step(checkSamplePart(doc, id, part, part === 'courseGrades' ? 'missing' : 'present', AT));
  step(runDuplicateCheck(doc, pack, AT));
  step(setRecordText(doc, { problems: '档案缺成绩单', handling: '一个月内补齐', schoolHead: '赵校长' }));
  for (const i of doc.inspectors) step(sign(doc, { key: i.userId, sha256: SHA(2), at: AT }));
  step(sign(doc, { key: SCHOOL_HEAD, sha256: SHA(3), at: AT }));
  return { doc, pack };
}
