// The shapes every rule shares: levels, findings, sources, and the facts the checks take as plain data
// (so the app, the server, the CLI, the workflows, verification and the inspection draw call the same
// functions with whatever records they hold).
import type { Ymd } from '../calendar/dates';
import type { SchoolLevel, SchoolOwnership } from '../domain/schemas';

/**
 * refuse: not allowed. warn: allowed only with a written reason (the regulations' "原则上").
 * action: someone must do something by a due date. info: a note (an exemption, where a rule applies).
 */
export type RuleLevel = 'refuse' | 'warn' | 'action' | 'info';

export const LEVEL_LABELS: Record<RuleLevel, string> = {
  refuse: '不允许',
  warn: '原则上不允许（须书面说明理由）',
  action: '须在期限内办理',
  info: '提示',
};

/** One decision of a rule about a case, in the shape `xueji rules check` prints. */
export type Finding = {
  rule: string;
  level: RuleLevel;
  /** Chinese, names the rule's ID and its meaning, the records and dates concerned */
  message: string;
  /** YYYY-MM-DD: the last day to act (action findings) */
  due?: Ymd;
  /** the due date lies in a year whose holiday schedule is not loaded (weekends-only count) */
  dueUncertain?: boolean;
};

export type CheckResult = {
  /** false when any finding refuses */
  allowed: boolean;
  findings: Finding[];
  /** calendar warnings (unknown years) of the dates the findings carry */
  warnings: string[];
};

export function result(findings: Finding[], warnings: readonly string[] = []): CheckResult {
  return {
    allowed: !findings.some((f) => f.level === 'refuse'),
    findings,
    warnings: [...new Set([...warnings])],
  };
}

/** A school as the rules see it (OrgDoc attributes; schoolFactsFromOrgs builds it from the org tree). */
export type SchoolFacts = {
  id: string;
  name?: string;
  level?: SchoolLevel;
  ownership?: SchoolOwnership;
  /** 省级示范高中 */
  provincialModel?: boolean;
  /** 招生区域 */
  enrolmentZone?: string;
  /** the city (市) the school belongs to: R-TX-GRADES applies within one city */
  cityId?: string;
  countyId?: string;
  /** years of study: the final grade (default by level: 小学 6, 初中 3, 普通高中 3, 中职 3) */
  years?: number;
};

export type StudyForm = 'fullTime' | 'partTime';

/** This term's aid of the student (R-AID-STOP): 国家助学金 / 免学费, and whether it was paid out. */
export type AidFact = { kind: 'grant' | 'feeWaiver'; paid: boolean };

export type StudentFacts = {
  schoolId: string;
  name?: string;
  /** year of study: 1 = the school's starting grade, `years` = its final grade */
  year?: number;
  studyForm?: StudyForm;
  /** 弹性学习 (R-FLEX) */
  flexible?: boolean;
  /** StudentStatus code: enrolled, suspended, … */
  status?: string;
  /** a change made because of R-MISS-2-4 has been completed for this student (R-ESCALATE) */
  changedForVerification?: boolean;
  /** the status before that change, restored by an upheld appeal (R-APPEAL) */
  statusBeforeChange?: string;
  aid?: readonly AidFact[];
};

/** The change types the rules know (the status-change form's codes plus graduation and info changes). */
export const RULE_CHANGE_TYPES = {
  transfer: '转学',
  majorChange: '转专业',
  repeat: '留级',
  skip: '跳级',
  suspension: '休学',
  resumption: '复学',
  withdrawal: '退学',
  cancellation: '注销',
  death: '死亡',
  abroad: '出国(境)',
  studyFormChange: '学习形式变更',
  restore: '恢复学籍',
  infoChange: '基本信息变更',
  graduation: '毕业',
  enrolment: '新生注册',
} as const;

export type RuleChangeType = keyof typeof RULE_CHANGE_TYPES;

export type ChangeFacts = {
  type: RuleChangeType;
  /** the receiving school of a transfer */
  toSchoolId?: string;
  /** the day the application was made (YYYY-MM-DD) */
  appliedOn: Ymd;
  /** the day it was completed, when it is */
  doneOn?: Ymd;
};

export type TermFacts = { start: Ymd; end: Ymd; name?: string };

export type TaskIssuer = 'province' | 'bureau' | 'school';

export type TaskFact = {
  id: string;
  issuer: TaskIssuer;
  start: Ymd;
  end: Ymd;
  name?: string;
  /** the window has ended (its closing instant passed), even when that was earlier on `end`'s own day */
  closed?: boolean;
};
export type CheckinFact = { task: string; result: 'pass' | 'fail' };
export type LeaveFact = {
  from: Ymd;
  to: Ymd;
  status: 'approved' | 'pending' | 'rejected' | 'cancelled';
  /** 销假: the day the student returned, when before `to` */
  returnedOn?: Ymd;
  /** the day the leave was approved: a leave approved after a window ended does not excuse that miss */
  approvedOn?: Ymd;
};
export type AppealFact = { task: string; upheld?: boolean };
/** A stretch the student was absent without completing leave procedures (R-ABSENT-3M); `to` open = still absent. */
export type AbsenceFact = { from: Ymd; to?: Ymd };

export type InspectorFacts = {
  id: string;
  name?: string;
  /** 执法证号 (null or empty: none; the draw's register uses null) */
  enforcementId?: string | null;
  /** ids of the objects (schools) the inspector has a conflict of interest with */
  conflicts?: readonly string[];
};

export type InspectionFacts = {
  /** the inspected object (school id) */
  schoolId: string;
  /** the check's (first) day */
  date: Ymd;
  endDate?: Ymd;
  inspectors: readonly InspectorFacts[];
  reportedOn?: Ymd;
  publishedOn?: Ymd;
};
