// Transfers (转学) and the other changes the transfer rules of YQ restrict: R-TX-WINDOW, R-TX-GRADES,
// R-TX-4NO (each of its four clauses), R-FLEX. Pure: schools, student and dates in; findings out.
import { addMonths, type Ymd } from '../../calendar/dates';
import type { SchoolLevel } from '../../domain/schemas';
import { ruleName } from '../ids';
import type { RuleSettings } from '../settings';
import type { ChangeFacts, Finding, RuleChangeType, SchoolFacts, StudentFacts, TermFacts } from '../types';

export const LEVEL_NAMES: Record<SchoolLevel, string> = {
  primary: '小学',
  junior: '初中',
  senior: '普通高中',
  vocational: '中职',
};

/** Years of study when the school does not say (小学 6, 初中 3, 普通高中 3, 中职 3). */
export const DEFAULT_YEARS: Record<SchoolLevel, number> = { primary: 6, junior: 3, senior: 3, vocational: 3 };

const nameOf = (s: SchoolFacts) => s.name ?? s.id;

/**
 * R-TX-WINDOW (YQ 二(四), 四(二)): "转学办理时间为每学期开学前后一个月之内"; "原则上学期中不得转学".
 * The window runs from one month (the setting) before the term's first day to one month after it, both
 * days included. A transfer applied for outside it is refused.
 */
export function checkTransferWindow(appliedOn: Ymd, term: TermFacts, s: RuleSettings): Finding[] {
  const months = s.transferWindowMonths;
  const first = addMonths(term.start, -months);
  const last = addMonths(term.start, months);
  if (appliedOn >= first && appliedOn <= last) return [];
  const midTerm = appliedOn > last && appliedOn <= term.end;
  return [
    {
      rule: 'R-TX-WINDOW',
      level: 'refuse',
      message:
        `${ruleName('R-TX-WINDOW')}：本学期 ${term.start} 开学，转学只能在 ${first} 至 ${last} 之间办理，` +
        `申请日期 ${appliedOn} 不在此期间${midTerm ? '（学期中原则上不得转学）' : ''}`,
    },
  ];
}

/** Same city (市): by city id, else by the first four digits of the county code; unknown counts as same. */
export function sameCity(a: SchoolFacts, b: SchoolFacts): boolean {
  const city = (s: SchoolFacts) => s.cityId ?? (s.countyId ? s.countyId.slice(0, 4) : undefined);
  const ca = city(a);
  const cb = city(b);
  return ca === undefined || cb === undefined || ca === cb;
}

/**
 * R-TX-GRADES (YQ 四(二)): "本市内中小学起始年级与毕业年级不得转学". For 小学, 初中 and 普通高中 students
 * moving between schools of one city: not in the school's first year of study nor in its last.
 */
export function checkTransferGrades(from: SchoolFacts, to: SchoolFacts, student: StudentFacts): Finding[] {
  const level = from.level;
  if (!level || level === 'vocational' || student.year === undefined || !sameCity(from, to)) return [];
  const years = from.years ?? DEFAULT_YEARS[level];
  const which = student.year === 1 ? '起始年级' : student.year === years ? '毕业年级' : null;
  if (!which) return [];
  return [
    {
      rule: 'R-TX-GRADES',
      level: 'refuse',
      message: `${ruleName('R-TX-GRADES')}：本市内中小学${which}不得转学（${nameOf(from)}为${LEVEL_NAMES[level]}，${years} 年制，该生在第 ${student.year} 学年）`,
    },
  ];
}

/**
 * R-TX-4NO (YQ 四(二)): the four refusals for transfers into a 普通高中, each its own finding:
 * 民办→公办; 一般→省级示范; within one 招生区域; from a 中等职业学校.
 */
export function checkTransfer4No(from: SchoolFacts, to: SchoolFacts): Finding[] {
  if (to.level !== 'senior') return [];
  const out: Finding[] = [];
  const refuse = (clause: string, detail: string) =>
    out.push({
      rule: 'R-TX-4NO',
      level: 'refuse',
      message: `${ruleName('R-TX-4NO')}：${clause}（${detail}）`,
    });
  if (from.level === 'vocational') {
    refuse(
      '普通高中不得接收中等职业教育学校学生转入',
      `${nameOf(from)}是中等职业学校，${nameOf(to)}是普通高中`,
    );
    return out;
  }
  if (from.level !== 'senior') return out;
  if (from.ownership === 'private' && to.ownership === 'public')
    refuse('民办高中不能转入公办高中', `${nameOf(from)}为民办，${nameOf(to)}为公办`);
  if (!from.provincialModel && to.provincialModel === true)
    refuse('一般普通高中不能转入省级示范高中', `${nameOf(to)}是省级示范高中，${nameOf(from)}不是`);
  if (from.enrolmentZone && from.enrolmentZone === to.enrolmentZone)
    refuse('同一招生区域普通高中之间不能转学', `两校同属招生区域“${from.enrolmentZone}”`);
  return out;
}

const FLEX_TYPES: readonly RuleChangeType[] = ['transfer', 'majorChange', 'suspension'];

/**
 * R-FLEX (YQ 中职 二(五)): "采用弹性学习形式的学生,原则上不予转学、转专业或休学" — allowed only with a
 * written reason.
 */
export function checkFlexible(student: StudentFacts, type: RuleChangeType): Finding[] {
  if (!student.flexible || !FLEX_TYPES.includes(type)) return [];
  const what = { transfer: '转学', majorChange: '转专业', suspension: '休学' }[type as 'transfer'];
  return [
    {
      rule: 'R-FLEX',
      level: 'warn',
      message: `${ruleName('R-FLEX')}：该生采用弹性学习形式，原则上不予${what}；如确需办理，须书面说明理由`,
    },
  ];
}

export type TransferFacts = {
  from: SchoolFacts;
  to: SchoolFacts;
  student: StudentFacts;
  change: ChangeFacts;
  term: TermFacts;
};

/** Every transfer rule, in the order the regulation states them. */
export function checkTransfer(f: TransferFacts, s: RuleSettings): Finding[] {
  return [
    ...checkTransferWindow(f.change.appliedOn, f.term, s),
    ...checkTransferGrades(f.from, f.to, f.student),
    ...checkTransfer4No(f.from, f.to),
    ...checkFlexible(f.student, 'transfer'),
  ];
}
