// 学生基本信息变更申请表 (DOMAIN.md "Printed forms"; YQ 二(五)): the student, the changed fields with before,
// after and reason, the proofs, the guardian's signature, and the school's and the bureau's opinion + seal.
import { fieldLabel } from '../../domain/student';
import { formatDateCn } from '../layout';
import type { FormDefinition } from '../render';
import { date, list, object, optional, text } from '../shape';
import { applicantRow, numbered, opinion, proofs, recordFields, student, studentRows } from './common';

const shape = object('学生基本信息变更申请表', {
  ...recordFields,
  schoolName: text('学校名称', { max: 60 }),
  applyDate: date('申请日期'),
  student,
  items: list(
    '变更项目',
    object('变更项目', {
      field: text('变更项目', { max: 30 }),
      before: optional(text('变更前', { max: 200 })),
      after: text('变更后', { max: 200 }),
      reason: text('变更原因', { max: 300 }),
    }),
    { min: 1, max: 20 },
  ),
  proofs,
  applicant: object('申请人', {
    name: text('申请人姓名', { max: 50 }),
    relation: optional(text('与学生关系', { max: 10 })),
  }),
  schoolOpinion: optional(opinion),
  bureauName: optional(text('教育行政部门名称', { max: 60 })),
  bureauOpinion: optional(opinion),
});

export type InfoChangeData = ReturnType<typeof shape>;

export const infoChangeForm: FormDefinition<InfoChangeData> = {
  id: 'info-change',
  title: '学生基本信息变更申请表',
  orientation: 'portrait',
  shape,
  draw(w, d) {
    w.title(this.title);
    w.line(`学校名称：${d.schoolName}`, `申请日期：${formatDateCn(d.applyDate)}`);
    studentRows(w, d.student);
    w.table(
      [
        { title: '序号', weight: 0.8, align: 'center' },
        { title: '变更项目', weight: 1.6, align: 'center' },
        { title: '变更前', weight: 2.4 },
        { title: '变更后', weight: 2.4 },
        { title: '变更原因', weight: 3 },
      ],
      d.items.map((it, i) => [String(i + 1), fieldLabel(it.field), it.before ?? '', it.after, it.reason]),
    );
    const [lw, vw] = w.cols([1, 5]) as [number, number];
    w.row([
      { text: '证明材料', width: lw, bold: true, align: 'center', shade: true },
      { text: numbered(d.proofs), width: vw },
    ]);
    applicantRow(w, d.applicant, d.applyDate);
    w.opinions(
      [
        { title: `学校意见（${d.schoolName}）`, ...d.schoolOpinion, signerLabel: '校长（签字）' },
        { title: `教育行政部门意见${d.bureauName ? `（${d.bureauName}）` : ''}`, ...d.bureauOpinion },
      ],
      2,
    );
  },
};
