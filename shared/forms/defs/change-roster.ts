// 学籍变动名册 (DOMAIN.md "Status changes"; YQ 中职 item 3): a term's changes of one school, landscape A4 for
// its many columns, the header repeated on every page, the counts per type and the school's seal at the end.

import { GENDERS } from '../../domain/codes';
import { formatDateCn, MM, SEAL_BOX } from '../layout';
import type { FormDefinition } from '../render';
import { date, list, object, oneOf, optional, text } from '../shape';
import { gender as genderName } from './common';

/** The change types of the roster (YQ 中职 item 3 lists 转入, 转出, 留级, 休学, 退学, 注销, 复学, 死亡). */
export const ROSTER_CHANGE_TYPES = {
  transferIn: '转入',
  transferOut: '转出',
  repeat: '留级',
  skip: '跳级',
  suspension: '休学',
  resumption: '复学',
  withdrawal: '退学',
  cancellation: '注销',
  death: '死亡',
  abroad: '出国(境)',
  majorChange: '转专业',
  studyFormChange: '学习形式变更',
  restore: '恢复学籍',
} as const;

const entry = object('异动记录', {
  statusNo: optional(text('学籍号', { max: 19 })),
  name: text('姓名', { max: 50 }),
  gender: oneOf('性别', GENDERS),
  grade: text('年级', { max: 20 }),
  classId: text('班级', { max: 40 }),
  major: optional(text('专业', { max: 40 })),
  changeType: oneOf('异动类型', ROSTER_CHANGE_TYPES),
  changeDate: date('异动日期'),
  reason: text('异动原因', { max: 200 }),
  approvalNo: optional(text('审批编号', { max: 40 })),
  note: optional(text('备注', { max: 100 })),
});

const shape = object('学籍变动名册', {
  recordId: text('记录编号', { max: 64 }),
  printedAt: optional(date('打印日期')),
  schoolName: text('学校名称', { max: 60 }),
  term: text('学期', { max: 40 }),
  entries: list('异动记录', entry, { min: 1, max: 20000 }),
  preparedBy: optional(text('制表人', { max: 50 })),
  reviewedBy: optional(text('审核人', { max: 50 })),
});

export type ChangeRosterData = ReturnType<typeof shape>;

export const changeRosterForm: FormDefinition<ChangeRosterData> = {
  id: 'change-roster',
  title: '学籍变动名册',
  orientation: 'landscape',
  shape,
  draw(w, d) {
    w.title(this.title, d.term);
    w.line(`学校名称：${d.schoolName}`, `共 ${d.entries.length} 人`);
    w.table(
      [
        { title: '序号', weight: 1.0, align: 'center' },
        { title: '学籍号', weight: 3.6 },
        { title: '姓名', weight: 1.4 },
        { title: '性别', weight: 1.0, align: 'center' },
        { title: '年级', weight: 1.3, align: 'center' },
        { title: '班级', weight: 2.5 },
        { title: '专业', weight: 2.1 },
        { title: '异动类型', weight: 1.7, align: 'center' },
        { title: '异动日期', weight: 1.9, align: 'center' },
        { title: '异动原因', weight: 3.3 },
        { title: '审批编号', weight: 3.6 },
        { title: '备注', weight: 1.3 },
      ],
      d.entries.map((e, i) => [
        String(i + 1),
        e.statusNo ?? '',
        e.name,
        genderName(e.gender),
        e.grade,
        e.classId,
        e.major ?? '',
        ROSTER_CHANGE_TYPES[e.changeType],
        e.changeDate,
        e.reason,
        e.approvalNo ?? '',
        e.note ?? '',
      ]),
      { size: 9 },
    );
    const counts = new Map<string, number>();
    for (const e of d.entries) counts.set(e.changeType, (counts.get(e.changeType) ?? 0) + 1);
    const summary = Object.entries(ROSTER_CHANGE_TYPES)
      .filter(([k]) => counts.has(k))
      .map(([k, name]) => `${name} ${counts.get(k)} 人`)
      .join('，');
    // The closing block (summary, signatures and the seal) stays together on the last page.
    w.ensure(SEAL_BOX + 16 * MM);
    w.gap(3 * MM);
    w.line(`本学期学籍异动合计 ${d.entries.length} 人：${summary}。`);
    const y = w.y + 2 * MM;
    w.text(`制表人（签字）：${d.preparedBy ?? ''}`, w.left, y + 6 * MM, w.width / 3);
    w.text(`审核人（签字）：${d.reviewedBy ?? ''}`, w.left + w.width / 3, y + 6 * MM, w.width / 3);
    w.text(
      `学校（盖章）　　${d.printedAt ? formatDateCn(d.printedAt) : '　　年　月　日'}`,
      w.left,
      y + SEAL_BOX - 6 * MM,
      w.width - SEAL_BOX - 4 * MM,
      { align: 'right' },
    );
    w.sealBox(w.left + w.width - SEAL_BOX, y);
    w.y = y + SEAL_BOX;
  },
};
