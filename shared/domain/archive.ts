// Paper archive parts (DOMAIN.md "Paper archive"; YQ 中职 inspection item 2 for the six vocational parts).
import type { SchoolType } from './schemas';
import type { ArchiveItem } from './student';

export type ArchivePart = {
  id: string;
  title: string;
  /** due only at graduation (毕业生信息登记表) */
  dueAtGraduation?: boolean;
};

export const VOCATIONAL_ARCHIVE_PARTS: readonly ArchivePart[] = [
  { id: 'basicInfo', title: '基本信息' },
  { id: 'moralEvaluation', title: '思想品德评价' },
  { id: 'courseGrades', title: '公共基础课程和专业技能课程成绩' },
  { id: 'aidRecords', title: '享受国家助学金和学费减免信息' },
  { id: 'rewardsPunishments', title: '在校期间奖惩材料' },
  { id: 'graduateForm', title: '毕业生信息登记表', dueAtGraduation: true },
];

export const K12_ARCHIVE_PARTS: readonly ArchivePart[] = [
  { id: 'statusRecord', title: '学籍基础信息表及变更记录' },
  { id: 'proofs', title: '证明材料' },
  { id: 'qualityEvaluation', title: '综合素质评价' },
  { id: 'physicalHealth', title: '体质健康' },
  { id: 'awards', title: '获奖' },
  { id: 'aid', title: '资助' },
  { id: 'other', title: '其他' },
];

export function archivePartsFor(schoolType: SchoolType): readonly ArchivePart[] {
  return schoolType === 'vocational' ? VOCATIONAL_ARCHIVE_PARTS : K12_ARCHIVE_PARTS;
}

/**
 * Where a signed form about a student's record goes in the paper archive (YQ 二(五): "纸质证明材料保存到
 * 学生纸质档案"): the 学籍异动审批表, the 学生基本信息变更申请表 and the yearly 学生基本信息确认表 are filed
 * with the record's basic information — 基本信息 (vocational), 学籍基础信息表及变更记录 (K-12).
 */
export function recordFormPart(schoolType: SchoolType): ArchivePart {
  return archivePartsFor(schoolType)[0] as ArchivePart;
}

/** A fresh checklist: every part missing, except those due only at graduation. */
export function emptyArchive(schoolType: SchoolType): Record<string, ArchiveItem> {
  const out: Record<string, ArchiveItem> = {};
  for (const p of archivePartsFor(schoolType))
    out[p.id] = { state: p.dueAtGraduation ? 'notDue' : 'missing' };
  return out;
}
