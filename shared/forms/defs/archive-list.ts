// 学籍档案目录 (DOMAIN.md "Paper archive"): the archive cover with the student's data and the checklist of
// the parts of the paper archive — six for vocational schools (YQ 中职 item 2), seven for K-12 — plus the
// signed change forms filed into it.
import { archivePartsFor } from '../../domain/archive';
import { formatDateCn } from '../layout';
import type { FormDefinition } from '../render';
import { type Check, date, FormDataError, list, object, oneOf, optional, text } from '../shape';
import { recordFields, student, studentRows } from './common';

export const SCHOOL_TYPES = { vocational: '中等职业学校', k12: '中小学' } as const;
export const ARCHIVE_STATES = { present: '已归档', missing: '缺失', notDue: '未到期' } as const;

const archiveItem = object('档案材料', {
  state: oneOf('归档情况', ARCHIVE_STATES),
  checkedAt: optional(text('核查时间', { max: 32 })),
  checkedBy: optional(text('核查人', { max: 64 })),
  note: optional(text('备注', { max: 200 })),
});

const baseShape = object('学籍档案目录', {
  ...recordFields,
  schoolName: text('学校名称', { max: 60 }),
  schoolType: oneOf('学校类型', SCHOOL_TYPES),
  student,
  archive: object('纸质档案', {}),
  filedForms: optional(
    list(
      '归档的异动及变更材料',
      object('归档材料', {
        title: text('材料名称', { max: 60 }),
        date: date('归档日期'),
        recordId: optional(text('记录编号', { max: 64 })),
      }),
      { max: 60 },
    ),
  ),
  keeper: optional(text('档案管理员', { max: 50 })),
});

type ArchiveItemData = ReturnType<typeof archiveItem>;
export type ArchiveListData = Omit<ReturnType<typeof baseShape>, 'archive'> & {
  archive: Record<string, ArchiveItemData>;
};

const shape: Check<ArchiveListData> = Object.assign(
  (raw: unknown, path: string): ArchiveListData => {
    const base = baseShape(raw, path);
    const src = (raw as { archive?: Record<string, unknown> }).archive ?? {};
    const archive: Record<string, ArchiveItemData> = {};
    const at = path ? `${path}.archive` : 'archive';
    for (const part of archivePartsFor(base.schoolType)) {
      if (src[part.id] === undefined)
        throw new FormDataError(`${at}.${part.id}`, part.title, '缺少归档情况（已归档、缺失或未到期）');
      archive[part.id] = archiveItem(src[part.id], `${at}.${part.id}`);
    }
    return { ...base, archive };
  },
  { label: '学籍档案目录' },
);

export const archiveListForm: FormDefinition<ArchiveListData> = {
  id: 'archive-list',
  title: '学籍档案目录',
  orientation: 'portrait',
  shape,
  draw(w, d) {
    w.title(this.title, `${SCHOOL_TYPES[d.schoolType]}学生纸质档案`);
    w.line(`学校名称：${d.schoolName}`, `档案编号：${d.recordId}`);
    studentRows(w, d.student);
    w.gap(4 * 2.8346);
    const parts = archivePartsFor(d.schoolType);
    w.table(
      [
        { title: '序号', weight: 0.7, align: 'center' },
        { title: '档案材料', weight: 4 },
        { title: '归档情况', weight: 1.3, align: 'center' },
        { title: '核查日期', weight: 1.6, align: 'center' },
        { title: '核查人', weight: 1.3, align: 'center' },
        { title: '备注', weight: 2.2 },
      ],
      parts.map((p, i) => {
        const item = d.archive[p.id] as ArchiveItemData;
        const mark = ARCHIVE_STATES[item.state];
        return [
          String(i + 1),
          p.title,
          mark,
          item.checkedAt ? item.checkedAt.slice(0, 10) : '',
          item.checkedBy ?? '',
          item.note ?? '',
        ];
      }),
    );
    const filed = d.filedForms ?? [];
    if (filed.length > 0) {
      w.gap(4 * 2.8346);
      w.line('归档的学籍异动及信息变更材料：');
      w.table(
        [
          { title: '序号', weight: 0.7, align: 'center' },
          { title: '材料名称', weight: 4.6 },
          { title: '记录编号', weight: 2.6, align: 'center' },
          { title: '归档日期', weight: 2, align: 'center' },
        ],
        filed.map((f, i) => [String(i + 1), f.title, f.recordId ?? '', formatDateCn(f.date)]),
      );
    }
    const present = parts.filter((p) => d.archive[p.id]?.state === 'present').length;
    const missing = parts.filter((p) => d.archive[p.id]?.state === 'missing').map((p) => p.title);
    w.gap(4 * 2.8346);
    w.line(
      `应归档 ${parts.filter((p) => d.archive[p.id]?.state !== 'notDue').length} 项，已归档 ${present} 项${missing.length ? `；缺失：${missing.join('、')}` : '。'}`,
    );
    w.gap(6 * 2.8346);
    w.line(`档案管理员（签字）：${d.keeper ?? ''}`, '核查日期：　　年　　月　　日');
  },
};
