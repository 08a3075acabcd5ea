// Deadlines and approval paths of status and info changes: R-1WEEK, R-GRAD-JUNE, R-ESCALATE.
import { addDays, dayNumber, diffDays, type Ymd, yearOf } from '../../calendar/dates';
import { ruleName } from '../ids';
import type { RuleSettings } from '../settings';
import {
  type ChangeFacts,
  type Finding,
  RULE_CHANGE_TYPES,
  type RuleChangeType,
  type SchoolFacts,
  type StudentFacts,
} from '../types';

/** R-1WEEK's change types (YQ 二(四): 休学、复学、死亡、出国、高中生退学; 二(五): info changes). */
export function oneWeekApplies(type: RuleChangeType, school: SchoolFacts | undefined): boolean {
  if (type === 'withdrawal') return school?.level === 'senior';
  return ['suspension', 'resumption', 'death', 'abroad', 'infoChange'].includes(type);
}

/**
 * R-1WEEK (YQ 二(四)(五)): "办理期限为学生提出申请后一周内完成" — a calendar count: the application day
 * plus 7 days (the setting) is the last day. Open: an action due then (overdue after); completed late:
 * an info note of the lateness; completed in time: nothing.
 */
export function checkOneWeek(
  change: ChangeFacts,
  school: SchoolFacts | undefined,
  date: Ymd,
  s: RuleSettings,
): Finding[] {
  if (!oneWeekApplies(change.type, school)) return [];
  const due = addDays(change.appliedOn, s.changeDeadlineDays);
  const what = RULE_CHANGE_TYPES[change.type];
  const head = `${ruleName('R-1WEEK')}：${what}申请于 ${change.appliedOn} 提出，应在 ${s.changeDeadlineDays} 天内（${due} 前）办结`;
  if (change.doneOn) {
    if (change.doneOn <= due) return [];
    return [
      {
        rule: 'R-1WEEK',
        level: 'info',
        message: `${head}；实际于 ${change.doneOn} 办结，超过期限 ${diffDays(due, change.doneOn)} 天`,
      },
    ];
  }
  const late = date > due ? `；已逾期 ${diffDays(due, date)} 天` : '';
  return [{ rule: 'R-1WEEK', level: 'action', message: head + late, due }];
}

/**
 * R-GRAD-JUNE (YQ 二(三)): "每年6月底前，必须完成毕业生学籍信息，包括：学习简历、和毕业评语，以及毕业生审核"
 * — a graduation of the year of its application is due on that year's 30 June (the setting's month-day).
 */
export function checkGraduationJune(change: ChangeFacts, date: Ymd, s: RuleSettings): Finding[] {
  if (change.type !== 'graduation') return [];
  const year = yearOf(change.appliedOn);
  const due = `${year}-${s.graduationDeadline}`;
  if (dayNumber(due) === null) return [];
  const head = `${ruleName('R-GRAD-JUNE')}：${year} 届毕业生的学习简历、毕业评语和毕业生审核须在 ${due} 前完成`;
  if (change.doneOn) {
    if (change.doneOn <= due) return [];
    return [
      { rule: 'R-GRAD-JUNE', level: 'info', message: `${head}；实际于 ${change.doneOn} 完成，已超过期限` },
    ];
  }
  const late = date > due ? `；已逾期 ${diffDays(due, date)} 天` : '';
  return [{ rule: 'R-GRAD-JUNE', level: 'action', message: head + late, due }];
}

/**
 * R-ESCALATE (HN 四.1): "因核验未通过而对学生学籍的异动完成后，再次异动该生学籍信息的需要学校逐级提请异动
 * 报告到省教育厅批准". The workflow of a further change adds the province's approval (needsProvinceApproval).
 */
export function needsProvinceApproval(student: StudentFacts): boolean {
  return student.changedForVerification === true;
}

export function checkEscalation(student: StudentFacts, change: ChangeFacts): Finding[] {
  if (!needsProvinceApproval(student)) return [];
  return [
    {
      rule: 'R-ESCALATE',
      level: 'info',
      message: `${ruleName('R-ESCALATE')}：该生曾因核验未通过办理学籍异动，本次${RULE_CHANGE_TYPES[change.type]}须由学校逐级上报，经省教育厅批准`,
    },
  ];
}
