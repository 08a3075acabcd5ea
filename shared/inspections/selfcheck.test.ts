import { describe, expect, it } from 'vitest';
import type { EventDoc } from '../domain/schemas';
import { generateStudents } from '../seed/roster';
import { newSelfCheck, selfCheckFindings } from './selfcheck';
import { VOCATIONAL_TEMPLATE } from './templates';
import { inspectionWriteProblem } from './workflow';

const AT = '2026-09-20T02:00:00.000Z';

describe('school self-check: what an inspector would find in the school’s own data', () => {
  const students = generateStudents({
    count: 30,
    seed: 9,
    schoolId: 'S1',
    orgPath: '/41/S1/',
    schoolType: 'vocational',
  });
  const [a, b, c] = students;
  if (!a || !b || !c) throw new Error('students');
  // b shares a's ID number (R-ONE within the school); c's number fails its check digit.
  const twin = { ...b, idNo: a.idNo };
  const bad = { ...c, idNo: `${c.idNo.slice(0, 17)}${c.idNo.endsWith('1') ? '2' : '1'}` };
  const event = (at: string, effectiveOn: string): EventDoc => ({
    id: `e-${at}`,
    schoolId: 'S1',
    entity: 'student',
    entityId: a.id,
    action: 'change-apply',
    at,
    by: 'server',
    before: { status: 'enrolled' },
    after: { status: 'suspended', effectiveOn },
  });
  const result = selfCheckFindings({
    students: [a, twin, bad, ...students.slice(3)],
    events: [
      event('2026-09-15T02:00:00.000Z', '2026-09-01'),
      event('2026-09-05T02:00:00.000Z', '2026-09-03'),
    ],
    schoolType: 'vocational',
    changeDeadlineDays: 7,
  });
  it('R-ONE: one ID number on two active records is found, named by the students and the number’s last digits only', () => {
    expect(result.duplicates).toHaveLength(1);
    expect(result.byAssist.duplicateCheck.lines.join('')).toContain(a.name);
    expect(result.byAssist.duplicateCheck.lines.join('')).not.toContain(a.idNo);
  });
  it('an ID number whose check digit fails is found', () => {
    expect(result.invalid.map((i) => i.name)).toEqual([`${c.name}（${c.grade}${c.classId}）`]);
  });
  it('R-1WEEK: a change entered 14 days after it took effect is late; one entered in 2 days is not', () => {
    expect(result.late.map((e) => e.days)).toEqual([14]);
    expect(result.byAssist.changeRoster.lines[0]).toContain('晚 14 天');
  });
  it('archive gaps by folder; the self-check record is the school’s own and passes the server’s workflow', () => {
    expect(result.incompleteFolders).toBeGreaterThan(0);
    const doc = newSelfCheck({
      random: 'r1',
      school: { id: 'S1', path: '/41/S1/', name: '职业中专' },
      template: VOCATIONAL_TEMPLATE,
      result,
      at: AT,
      by: 'admin',
    });
    expect(doc.findings?.duplicates).toBe(1);
    const school = { id: 'admin', role: 'schoolAdmin' as const, orgId: 'S1' };
    expect(inspectionWriteProblem({ user: school, before: null, after: doc, facts: {} })).toBeNull();
    const other = { id: 'admin', role: 'schoolAdmin' as const, orgId: 'S2' };
    expect(inspectionWriteProblem({ user: other, before: null, after: doc, facts: {} })?.code).toBe(
      'WORKFLOW',
    );
  });
});
