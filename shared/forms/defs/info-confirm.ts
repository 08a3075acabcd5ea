// 学生基本信息确认表 (DOMAIN.md "Printed forms"; the yearly check with families): the student's recorded
// fields, pre-filled, with a column to tick and a column to write the correct value; the family members;
// signatures of the student, the guardian, the class teacher and the school. Corrections come back as
// info changes (基本信息变更); the signed sheet is filed in the paper archive.
import type { FormDefinition } from '../render';
import { list, object, optional, text } from '../shape';
import { recordFields } from './common';

const row = object('登记项目', {
  label: text('项目', { max: 30 }),
  value: optional(text('登记内容', { max: 200 })),
});

const shape = object('学生基本信息确认表', {
  ...recordFields,
  schoolName: text('学校名称', { max: 60 }),
  year: text('核对年度', { max: 20 }),
  student: object('学生', {
    name: text('姓名', { max: 50 }),
    grade: text('年级', { max: 20 }),
    classId: text('班级', { max: 40 }),
  }),
  sections: list(
    '登记信息',
    object('信息分组', {
      title: text('分组', { max: 30 }),
      rows: list('登记项目', row, { min: 1, max: 40 }),
    }),
    {
      min: 1,
      max: 10,
    },
  ),
  members: list(
    '家庭成员',
    object('家庭成员', {
      name: text('姓名', { max: 50 }),
      relation: optional(text('关系', { max: 20 })),
      phone: optional(text('联系电话', { max: 20 })),
      idNo: optional(text('身份证件号', { max: 30 })),
      guardian: optional(text('是否监护人', { max: 4 })),
    }),
    { max: 10 },
  ),
});

export type InfoConfirmData = ReturnType<typeof shape>;

export const infoConfirmForm: FormDefinition<InfoConfirmData> = {
  id: 'info-confirm',
  title: '学生基本信息确认表',
  orientation: 'portrait',
  shape,
  draw(w, d) {
    w.title(this.title, `${d.year} 学籍信息年度核对`);
    w.line(`学校名称：${d.schoolName}`, `${d.student.grade} ${d.student.classId}　姓名：${d.student.name}`);
    w.line(
      '请学生和家长（监护人）逐项核对：正确的在“核对”栏打“√”；有误的在“更正为”栏写明正确内容，并附户口簿、身份证件等证明材料复印件。带 ★ 的关键信息经教育局审批后更正。',
      '',
      9,
    );
    const columns = [
      { title: '项目', weight: 1.7, align: 'center' as const },
      { title: '登记内容', weight: 4 },
      { title: '核对', weight: 0.8, align: 'center' as const },
      { title: '更正为', weight: 3.5 },
    ];
    for (const s of d.sections) {
      w.gap(1.5 * 2.8346);
      w.line(s.title);
      w.table(
        columns,
        s.rows.map((r) => [r.label, r.value ?? '', '', '']),
        { size: 9 },
      );
    }
    w.gap(1.5 * 2.8346);
    w.line('家庭成员或监护人');
    w.table(
      [
        { title: '姓名', weight: 1.4 },
        { title: '关系', weight: 1, align: 'center' },
        { title: '联系电话', weight: 1.8 },
        { title: '身份证件号', weight: 2.6 },
        { title: '监护人', weight: 0.9, align: 'center' },
        { title: '核对', weight: 0.8, align: 'center' },
        { title: '更正为', weight: 2.5 },
      ],
      (d.members.length > 0 ? d.members : [{ name: '' }]).map((m) => [
        m.name,
        m.relation ?? '',
        m.phone ?? '',
        m.idNo ?? '',
        m.guardian ?? '',
        '',
        '',
      ]),
      { size: 9 },
    );
    w.ensure(30 * 2.8346);
    w.gap(5 * 2.8346);
    w.line(
      '学生签字：＿＿＿＿＿＿　　监护人签字：＿＿＿＿＿＿　　与学生关系：＿＿＿＿　　日期：　　年　　月　　日',
    );
    w.gap(4 * 2.8346);
    w.line(
      '班主任核对（签字）：＿＿＿＿＿＿　　学校学籍管理员审核（签字）：＿＿＿＿＿＿　　日期：　　年　　月　　日',
    );
  },
};
