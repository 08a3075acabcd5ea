// 学籍异动审批表 (DOMAIN.md "Status changes", "Printed forms"): one layout per change type — its own detail
// rows and one opinion + seal cell per approval step: four for a transfer (YQ 二(四): receiving school →
// receiving bureau → sending school → sending bureau), school + bureau for the others (YQ 二(四)(五)).
import { formatDateCn } from '../layout';
import type { FormDefinition } from '../render';
import { bool, date, FormDataError, list, object, oneOf, optional, text } from '../shape';
import { applicantRow, numbered, opinion, proofs, recordFields, student, studentRows } from './common';

export const STATUS_CHANGE_TYPES = {
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
  graduation: '毕业',
  enrolment: '新生注册',
} as const;

export type StatusChangeType = keyof typeof STATUS_CHANGE_TYPES;

type Detail = { key: string; label: string; kind?: 'date'; required?: boolean };

/** The type-specific rows of each layout. */
export const STATUS_CHANGE_DETAILS: Record<StatusChangeType, readonly Detail[]> = {
  transfer: [
    { key: 'fromSchool', label: '转出学校', required: true },
    { key: 'fromBureau', label: '转出地教育行政部门', required: true },
    { key: 'toSchool', label: '转入学校', required: true },
    { key: 'toBureau', label: '转入地教育行政部门', required: true },
    { key: 'toGrade', label: '转入年级', required: true },
    { key: 'toClass', label: '转入班级' },
  ],
  majorChange: [
    { key: 'fromMajor', label: '原专业', required: true },
    { key: 'toMajor', label: '转入专业', required: true },
    { key: 'effectiveDate', label: '生效日期', kind: 'date', required: true },
  ],
  repeat: [
    { key: 'fromGrade', label: '原年级', required: true },
    { key: 'toGrade', label: '留级后年级', required: true },
    { key: 'toClass', label: '编入班级' },
  ],
  skip: [
    { key: 'fromGrade', label: '原年级', required: true },
    { key: 'toGrade', label: '跳级后年级', required: true },
    { key: 'toClass', label: '编入班级' },
  ],
  suspension: [
    { key: 'startDate', label: '休学开始日期', kind: 'date', required: true },
    { key: 'endDate', label: '休学截止日期', kind: 'date', required: true },
  ],
  resumption: [
    { key: 'resumeDate', label: '复学日期', kind: 'date', required: true },
    { key: 'toGrade', label: '复学年级', required: true },
    { key: 'toClass', label: '复学班级' },
    { key: 'newAuxNo', label: '新学籍辅号' },
  ],
  withdrawal: [{ key: 'leaveDate', label: '退学日期', kind: 'date', required: true }],
  cancellation: [{ key: 'cancelDate', label: '注销日期', kind: 'date', required: true }],
  death: [{ key: 'deathDate', label: '死亡日期', kind: 'date', required: true }],
  abroad: [
    { key: 'destination', label: '前往国家或地区', required: true },
    { key: 'leaveDate', label: '出境日期', kind: 'date', required: true },
  ],
  studyFormChange: [
    { key: 'fromForm', label: '原学习形式', required: true },
    { key: 'toForm', label: '变更后学习形式', required: true },
    { key: 'effectiveDate', label: '生效日期', kind: 'date', required: true },
  ],
  restore: [
    { key: 'appealNo', label: '申诉决定文号', required: true },
    { key: 'restoredStatus', label: '恢复后学籍状态', required: true },
  ],
  graduation: [{ key: 'graduationDate', label: '毕业日期', kind: 'date', required: true }],
  enrolment: [{ key: 'enrolDate', label: '入学日期', kind: 'date', required: true }],
};

/**
 * The approval steps, in order, whose opinion + seal cells the form carries (a request passes its own
 * route's titles as `steps`: K-9 graduation has the school's cell only, 高中 graduation the city's).
 */
export function approvalSteps(
  type: StatusChangeType,
  escalated: boolean,
  given?: readonly string[],
): string[] {
  if (given && given.length > 0) return [...given];
  const steps =
    type === 'transfer'
      ? ['转入学校意见', '转入地教育行政部门意见', '转出学校意见', '转出地教育行政部门意见']
      : ['学校意见', '教育行政部门意见'];
  // R-ESCALATE (HN 四.1): after an R-MISS-2-4 change, any further change needs approval up to the province.
  if (escalated) steps.push('省级教育行政部门意见（R-ESCALATE）');
  return steps;
}

const baseShape = object('学籍异动审批表', {
  ...recordFields,
  schoolName: text('学校名称', { max: 60 }),
  changeType: oneOf('异动类型', STATUS_CHANGE_TYPES),
  applyDate: date('申请日期'),
  student,
  reason: text('异动原因', { max: 1000 }),
  details: optional(object('异动信息', {})),
  proofs,
  applicant: object('申请人', {
    name: text('申请人姓名', { max: 50 }),
    relation: optional(text('与学生关系', { max: 10 })),
    phone: optional(text('联系电话', { max: 20 })),
  }),
  escalated: optional(bool('是否需报省级审批')),
  steps: optional(list('审批环节', text('审批环节', { max: 40 }), { min: 1, max: 6 })),
  opinions: optional(list('审批意见', opinion, { max: 6 })),
});

export type StatusChangeData = Omit<ReturnType<typeof baseShape>, 'details'> & {
  details: Record<string, string>;
};

function shape(raw: unknown, path: string): StatusChangeData {
  const base = baseShape(raw, path);
  const src = ((raw as Record<string, unknown>).details ?? {}) as Record<string, unknown>;
  if (typeof src !== 'object' || src === null || Array.isArray(src))
    throw new FormDataError(`${path ? `${path}.` : ''}details`, '异动信息', '应为对象');
  const details: Record<string, string> = {};
  for (const d of STATUS_CHANGE_DETAILS[base.changeType]) {
    const p = `${path ? `${path}.` : ''}details.${d.key}`;
    const check = d.kind === 'date' ? date(d.label) : text(d.label, { max: 100 });
    const value = d.required ? check(src[d.key], p) : optional(check)(src[d.key], p);
    if (value !== undefined) details[d.key] = value;
  }
  const steps = approvalSteps(base.changeType, base.escalated ?? false, base.steps);
  if ((base.opinions?.length ?? 0) > steps.length)
    throw new FormDataError(
      `${path ? `${path}.` : ''}opinions`,
      '审批意见',
      `${STATUS_CHANGE_TYPES[base.changeType]}只有 ${steps.length} 个审批环节`,
    );
  return { ...base, details };
}

export const statusChangeForm: FormDefinition<StatusChangeData> = {
  id: 'status-change',
  title: '学籍异动审批表',
  orientation: 'portrait',
  shape: Object.assign(shape, { label: '学籍异动审批表' }),
  draw(w, d) {
    const typeName = STATUS_CHANGE_TYPES[d.changeType];
    w.title(`${this.title}（${typeName}）`);
    w.line(`学校名称：${d.schoolName}`, `申请日期：${formatDateCn(d.applyDate)}`);
    studentRows(w, d.student);
    const detailPairs: [string, string][] = [['异动类型', typeName]];
    for (const det of STATUS_CHANGE_DETAILS[d.changeType]) {
      const v = d.details[det.key];
      if (v !== undefined) detailPairs.push([det.label, det.kind === 'date' ? formatDateCn(v) : v]);
      else if (det.required !== true) detailPairs.push([det.label, '']);
    }
    w.fields(detailPairs, 2, 1.3, 1.7);
    const [lw, vw] = w.cols([1, 5]) as [number, number];
    w.row([
      { text: '异动原因', width: lw, bold: true, align: 'center', shade: true },
      { text: d.reason, width: vw },
    ]);
    w.row([
      { text: '证明材料', width: lw, bold: true, align: 'center', shade: true },
      { text: numbered(d.proofs), width: vw },
    ]);
    applicantRow(w, d.applicant, d.applyDate);
    const steps = approvalSteps(d.changeType, d.escalated ?? false, d.steps);
    w.opinions(
      steps.map((title, i) => ({ title, ...d.opinions?.[i] })),
      2,
    );
  },
};
