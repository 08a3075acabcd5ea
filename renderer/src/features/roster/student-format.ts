// How stored values read on screen and in the history: code names, 年月, 学制.
import dayjs from 'dayjs';
import { ARCHIVE_STATE_LABELS } from '../../../../shared/archive/checklist';
import { K12_ARCHIVE_PARTS, VOCATIONAL_ARCHIVE_PARTS } from '../../../../shared/domain/archive';
import { GUARDIAN_RELATIONS, nameOf, STUDENT_STATUSES } from '../../../../shared/domain/codes';
import { divisionLabel } from '../../../../shared/domain/divisions';
import {
  type ArchiveItem,
  FIELD_META,
  fieldLabel,
  type Guardian,
  type StudentAid,
  type StudentField,
} from '../../../../shared/domain/student';

const ARCHIVE_PART_TITLES = new Map(
  [...VOCATIONAL_ARCHIVE_PARTS, ...K12_ARCHIVE_PARTS].map((p) => [p.id, p.title]),
);

/** A history field's label: student fields by their label, paper-archive parts ("archive.<id>") by title. */
export function historyFieldLabel(field: string): string {
  if (field.startsWith('archive.')) {
    const id = field.slice('archive.'.length);
    return `纸质档案·${ARCHIVE_PART_TITLES.get(id) ?? id}`;
  }
  return fieldLabel(field);
}

export function displayValue(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (field.startsWith('archive.')) {
    const item = value as ArchiveItem;
    return item.state ? ARCHIVE_STATE_LABELS[item.state] : '';
  }
  if (field === 'status') return STUDENT_STATUSES[value as keyof typeof STUDENT_STATUSES] ?? String(value);
  if (field === 'guardians')
    return (value as Guardian[])
      .map((g) => `${g.name}（${nameOf(GUARDIAN_RELATIONS, g.relation)}，${g.phone}）`)
      .join('；');
  if (field === 'aid') {
    const aid = value as StudentAid;
    const parts = [aid.grant && '国家助学金', aid.feeWaiver && '免学费', aid.lowIncome && '低保'].filter(
      Boolean,
    );
    return parts.length ? parts.join('、') : '无';
  }
  const meta = FIELD_META.get(field as StudentField);
  if (meta?.kind === 'code' && meta.codes) return nameOf(meta.codes, String(value));
  if (meta?.kind === 'yearMonth') return `${String(value).slice(0, 4)}年${String(value).slice(4)}月`;
  if (meta?.kind === 'number' && field === 'schoolingYears') return `${value} 年`;
  if (meta?.kind === 'decimal' && field === 'commuteKm') return `${value} 公里`;
  if (meta?.kind === 'division') return divisionLabel(String(value));
  return String(value);
}

/** An ISO instant in the machine's local time, as the registrar reads it. */
export function localTime(iso: string): string {
  return dayjs(iso).format('YYYY-MM-DD HH:mm:ss');
}
