// One data-driven definition per change type (issue 12 "Workflow definitions"): which schools may start
// it, from which student statuses, the fields it asks for, the proofs it needs, who decides at which
// level (its route), and its deadline rule. What approval does to the student is apply.ts; the checks
// at submission and at each decision are checks.ts. Sources are cited per type.

import type { StudentStatus } from '../domain/codes';
import type { SchoolLevel, SchoolType } from '../domain/schemas';
import type { ChangeType, ProofKind, StepLevel } from './types';

export type DetailKind = 'text' | 'date' | 'grade' | 'class' | 'major' | 'studyForm' | 'request';

export type DetailDef = {
  key: string;
  label: string;
  kind: DetailKind;
  required?: boolean;
  max?: number;
  /** shown under the field */
  hint?: string;
};

/** At least one proof of one of these kinds. */
export type ProofRule = { anyOf: readonly ProofKind[] };

export type RouteSpecStep = { level: StepLevel; side: 'own' | 'other'; title: string };

export type DeadlineKind = 'oneWeek' | 'graduation' | 'transferStep';

export type ChangeDefinition = {
  type: ChangeType;
  label: string;
  /** where the regulation says how it is done */
  source: string;
  /** the printed form: 学籍异动审批表 or 学生基本信息变更申请表 */
  form: 'status-change' | 'info-change';
  /** several students in one request (a class's graduation or new students) */
  batch: boolean;
  /** the school levels that may start it (absent: every school) */
  levels?: readonly SchoolLevel[];
  /** the statuses a student may have for it */
  from: readonly StudentStatus[];
  fields: readonly DetailDef[];
  proofs: readonly ProofRule[];
  /** the steps for a school of this level (before R-ESCALATE adds the province) */
  route(level: SchoolLevel | undefined): readonly RouteSpecStep[];
  /** the deadline rule of the steps (R-1WEEK only for the types and levels it names) */
  deadline?: DeadlineKind;
  /** the change roster (变动名册) lists it under this type (a transfer: 转入 and 转出) */
  roster: boolean;
  /** a short hint of what approval does, for the screen */
  effect: string;
};

const SCHOOL: RouteSpecStep = { level: 'school', side: 'own', title: '学校意见' };
const BUREAU: RouteSpecStep = { level: 'county', side: 'own', title: '教育行政部门意见' };
const CITY: RouteSpecStep = { level: 'city', side: 'own', title: '市级教育行政部门意见' };
/** R-ESCALATE (HN 四.1): appended to the route of every further change of an escalated student. */
export const PROVINCE_STEP: RouteSpecStep = {
  level: 'province',
  side: 'own',
  title: '省级教育行政部门意见（R-ESCALATE）',
};

const SCHOOL_AND_BUREAU = () => [SCHOOL, BUREAU];

const ACTIVE: readonly StudentStatus[] = ['enrolled', 'suspended'];

const date = (key: string, label: string, required = true): DetailDef => ({
  key,
  label,
  kind: 'date',
  required,
});
const TO_GRADE: DetailDef = { key: 'toGrade', label: '年级', kind: 'grade', required: true, max: 20 };
const TO_CLASS: DetailDef = { key: 'toClass', label: '班级', kind: 'class', required: true, max: 40 };

export const DEFINITIONS: Readonly<Record<ChangeType, ChangeDefinition>> = {
  // YQ 二(二): 小学 by the school, reviewed by the county; 初中 and 高中 "经县（区）、市教育部门审核"
  // (初中 the county, 普通高中 the city); vocational new students are registered and reported (中职 二(三)).
  enrolment: {
    type: 'enrolment',
    label: '新生注册',
    source: 'YQ 二(二)、中职 二(三)',
    form: 'status-change',
    batch: true,
    from: ['enrolled'],
    fields: [date('enrolDate', '入学日期')],
    proofs: [{ anyOf: ['enrolmentList'] }],
    route: (level) =>
      level === 'vocational'
        ? [{ ...SCHOOL, title: '学校意见（注册后报教育行政部门）' }]
        : level === 'senior'
          ? [SCHOOL, CITY]
          : [SCHOOL, BUREAU],
    roster: false,
    effect: '新生学籍注册完成；普通高中新生分配学籍辅号',
  },
  // YQ 二(三): "义务教育阶段毕业由学校独立操作，高中毕业生毕业由学校发起经市教育局审核后完成毕业"; R-GRAD-JUNE.
  graduation: {
    type: 'graduation',
    label: '毕业',
    source: 'YQ 二(三)',
    form: 'status-change',
    batch: true,
    from: ['enrolled'],
    fields: [date('graduationDate', '毕业日期')],
    proofs: [],
    route: (level) =>
      level === 'senior' ? [SCHOOL, CITY] : level === 'vocational' ? [SCHOOL, BUREAU] : [SCHOOL],
    deadline: 'graduation',
    roster: false,
    effect: '学籍状态改为“毕业”，纸质档案的毕业生信息登记表到期',
  },
  // YQ 二(四): the receiving school starts it with proofs → its bureau → the sending school → its bureau.
  transfer: {
    type: 'transfer',
    label: '转学',
    source: 'YQ 二(四)、四(二)',
    form: 'status-change',
    batch: false,
    from: ['enrolled'],
    fields: [
      { ...TO_GRADE, label: '转入年级' },
      { ...TO_CLASS, label: '转入班级' },
    ],
    proofs: [{ anyOf: ['application'] }, { anyOf: ['hukouMove', 'jobMove'] }],
    route: () => [
      { level: 'school', side: 'own', title: '转入学校意见' },
      { level: 'county', side: 'own', title: '转入地教育行政部门意见' },
      { level: 'school', side: 'other', title: '转出学校意见' },
      { level: 'county', side: 'other', title: '转出地教育行政部门意见' },
    ],
    deadline: 'transferStep',
    roster: true,
    effect: '学生转入本校花名册（年级、班级按转入填写），历史记录和档案清单随学生转移',
  },
  majorChange: {
    type: 'majorChange',
    label: '转专业',
    source: 'YQ 中职 二(五)',
    form: 'status-change',
    batch: false,
    levels: ['vocational'],
    from: ['enrolled'],
    fields: [
      { key: 'toMajor', label: '转入专业', kind: 'major', required: true, max: 40 },
      date('effectiveDate', '生效日期'),
    ],
    proofs: [{ anyOf: ['application'] }],
    route: SCHOOL_AND_BUREAU,
    roster: true,
    effect: '专业改为转入专业',
  },
  repeat: {
    type: 'repeat',
    label: '留级',
    source: 'YQ 中职 二(三)、二(五)',
    form: 'status-change',
    batch: false,
    from: ['enrolled'],
    fields: [
      { ...TO_GRADE, label: '留级后年级' },
      { ...TO_CLASS, label: '编入班级' },
    ],
    proofs: [{ anyOf: ['application'] }],
    route: SCHOOL_AND_BUREAU,
    roster: true,
    effect: '年级、班级改为留级后的年级和班级',
  },
  skip: {
    type: 'skip',
    label: '跳级',
    source: 'YQ 二(四)',
    form: 'status-change',
    batch: false,
    from: ['enrolled'],
    fields: [
      { ...TO_GRADE, label: '跳级后年级' },
      { ...TO_CLASS, label: '编入班级' },
    ],
    proofs: [{ anyOf: ['application'] }],
    route: SCHOOL_AND_BUREAU,
    roster: true,
    effect: '年级、班级改为跳级后的年级和班级',
  },
  // YQ 二(四): "休学、复学、死亡、出国、高中生退学等填写相关表格后，在电子系统里上传佐证材料（签字盖章后的
  // 审批表、证明材料等），到主管教育局办理有关手续，办理期限为学生提出申请后一周内完成" (R-1WEEK).
  suspension: {
    type: 'suspension',
    label: '休学',
    source: 'YQ 二(四)',
    form: 'status-change',
    batch: false,
    from: ['enrolled'],
    fields: [date('startDate', '休学开始日期'), date('endDate', '休学截止日期')],
    proofs: [{ anyOf: ['signedForm'] }, { anyOf: ['application', 'medical', 'other'] }],
    route: SCHOOL_AND_BUREAU,
    deadline: 'oneWeek',
    roster: true,
    effect: '学籍状态改为“休学”（仍在在校生名册中）',
  },
  resumption: {
    type: 'resumption',
    label: '复学',
    source: 'YQ 二(四)',
    form: 'status-change',
    batch: false,
    from: ['suspended'],
    fields: [
      date('resumeDate', '复学日期'),
      { ...TO_GRADE, label: '复学年级' },
      { ...TO_CLASS, label: '复学班级' },
    ],
    proofs: [{ anyOf: ['signedForm'] }, { anyOf: ['application', 'medical', 'other'] }],
    route: SCHOOL_AND_BUREAU,
    deadline: 'oneWeek',
    roster: true,
    effect: '学籍状态改为“在校”，编入复学年级和班级；普通高中学生退一个年级的，重新分配学籍辅号',
  },
  withdrawal: {
    type: 'withdrawal',
    label: '退学',
    source: 'YQ 二(四)',
    form: 'status-change',
    batch: false,
    from: ACTIVE,
    fields: [date('leaveDate', '退学日期')],
    proofs: [{ anyOf: ['signedForm'] }, { anyOf: ['application', 'other'] }],
    route: SCHOOL_AND_BUREAU,
    // R-1WEEK names 高中生退学 only (oneWeekApplies reads the school's level)
    deadline: 'oneWeek',
    roster: true,
    effect: '学籍状态改为“退学”，学生离开在校生名册',
  },
  cancellation: {
    type: 'cancellation',
    label: '注销',
    source: 'YQ 中职 二(三)、二(五)',
    form: 'status-change',
    batch: false,
    from: ACTIVE,
    fields: [date('cancelDate', '注销日期')],
    proofs: [{ anyOf: ['application', 'other'] }],
    route: SCHOOL_AND_BUREAU,
    roster: true,
    effect: '学籍状态改为“注销”',
  },
  death: {
    type: 'death',
    label: '死亡',
    source: 'YQ 二(四)',
    form: 'status-change',
    batch: false,
    from: ACTIVE,
    fields: [date('deathDate', '死亡日期')],
    proofs: [{ anyOf: ['signedForm'] }, { anyOf: ['deathCertificate'] }],
    route: SCHOOL_AND_BUREAU,
    deadline: 'oneWeek',
    roster: true,
    effect: '学籍状态改为“死亡”',
  },
  abroad: {
    type: 'abroad',
    label: '出国(境)',
    source: 'YQ 二(四)',
    form: 'status-change',
    batch: false,
    from: ACTIVE,
    fields: [
      { key: 'destination', label: '前往国家或地区', kind: 'text', required: true, max: 40 },
      date('leaveDate', '出境日期'),
    ],
    proofs: [{ anyOf: ['signedForm'] }, { anyOf: ['abroadProof'] }],
    route: SCHOOL_AND_BUREAU,
    deadline: 'oneWeek',
    roster: true,
    effect: '学籍状态改为“出国(境)”',
  },
  // HN 四.1: R-MISS-2-4 may lead to "把学生的学习形式变更为非全日制".
  studyFormChange: {
    type: 'studyFormChange',
    label: '学习形式变更',
    source: 'HN 四.1',
    form: 'status-change',
    batch: false,
    levels: ['vocational'],
    from: ['enrolled'],
    fields: [
      { key: 'toForm', label: '变更后学习形式', kind: 'studyForm', required: true },
      date('effectiveDate', '生效日期'),
    ],
    proofs: [{ anyOf: ['application', 'other'] }],
    route: SCHOOL_AND_BUREAU,
    roster: true,
    effect: '学习形式改为变更后的学习形式',
  },
  // HN 四.2 (R-APPEAL): "申诉通过的，恢复原学籍状态" — re-applies the state before an earlier approved change.
  restore: {
    type: 'restore',
    label: '恢复学籍',
    source: 'HN 四.2',
    form: 'status-change',
    batch: false,
    from: ['enrolled', 'suspended', 'withdrawn', 'cancelled', 'abroad', 'deceased', 'graduated'],
    fields: [
      {
        key: 'restoreOf',
        label: '恢复到哪一次异动之前',
        kind: 'request',
        required: true,
        hint: '该生已通过的一次学籍异动（转学除外）；恢复后学籍回到该次异动之前的状态',
      },
      { key: 'appealNo', label: '申诉决定文号', kind: 'text', required: true, max: 40 },
    ],
    proofs: [{ anyOf: ['appealDecision'] }],
    route: SCHOOL_AND_BUREAU,
    roster: true,
    effect: '学籍回到所选异动之前的状态（状态、年级、班级、专业、学习形式）',
  },
  // YQ 二(五): "学生基本信息变更要填写《…学生基本信息变更申请表》，同时将纸质证明材料保存到学生纸质档案"; R-1WEEK.
  infoChange: {
    type: 'infoChange',
    label: '基本信息变更',
    source: 'YQ 二(五)',
    form: 'info-change',
    batch: false,
    from: ['enrolled', 'suspended', 'graduated'],
    fields: [],
    proofs: [{ anyOf: ['idProof', 'birthCertificate', 'other'] }],
    route: SCHOOL_AND_BUREAU,
    deadline: 'oneWeek',
    roster: false,
    effect: '关键字段改为变更后的值',
  },
};

export function definitionOf(type: ChangeType): ChangeDefinition {
  return DEFINITIONS[type];
}

/** The school level the definitions read: OrgDoc.level, else 中职 for a vocational school. */
export function levelOf(school: { level?: SchoolLevel; schoolType?: SchoolType } | undefined) {
  return school?.level ?? (school?.schoolType === 'vocational' ? 'vocational' : undefined);
}

/** May a school of this level start requests of this type. */
export function typeAllowedFor(def: ChangeDefinition, level: SchoolLevel | undefined): boolean {
  return def.levels === undefined || (level !== undefined && def.levels.includes(level));
}

/** The change types a school of this level may start, in the order of the menu. */
export function typesFor(level: SchoolLevel | undefined): ChangeDefinition[] {
  return Object.values(DEFINITIONS).filter((d) => typeAllowedFor(d, level));
}
