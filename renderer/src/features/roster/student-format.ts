// How stored values read on screen and in the history: code names, 年月, 学制.
import dayjs from 'dayjs';
import { GUARDIAN_RELATIONS, nameOf, STUDENT_STATUSES } from '../../../../shared/domain/codes';
import {
  FIELD_META,
  type Guardian,
  type StudentAid,
  type StudentField,
} from '../../../../shared/domain/student';

export function displayValue(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
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
  return String(value);
}

/** An ISO instant in the machine's local time, as the registrar reads it. */
export function localTime(iso: string): string {
  return dayjs(iso).format('YYYY-MM-DD HH:mm:ss');
}
