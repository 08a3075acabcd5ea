// Pieces shared by several forms: the student block, opinion data and the change types.
import { GENDERS, ID_TYPES } from '../../domain/codes';
import { checkIdNumber } from '../../validate/id-number';
import { type FormWriter, formatDateCn } from '../layout';
import { type Check, date, FormDataError, list, object, oneOf, optional, text } from '../shape';

export const recordFields = {
  recordId: text('记录编号', { max: 64 }),
  printedAt: optional(date('打印日期')),
};

const STATUS_NO = /^[GLJ]\d{17}[\dX]$/;

/** The student block: a subset of the Student record (shared/domain/student.ts), so a Student can be passed as is. */
const studentBase = object('学生', {
  name: text('姓名', { max: 50 }),
  gender: oneOf('性别', GENDERS),
  birthDate: optional(date('出生日期')),
  idType: optional(oneOf('身份证件类型', ID_TYPES)),
  idNo: text('身份证件号', { max: 30 }),
  statusNo: optional(text('学籍号', { max: 19, pattern: STATUS_NO, patternHint: '应为 G/L/J 加 18 位' })),
  grade: text('年级', { max: 20 }),
  classId: text('班级', { max: 40 }),
  major: optional(text('专业', { max: 40 })),
  enrolYearMonth: optional(
    text('入学年月', { max: 6, pattern: /^\d{4}(0[1-9]|1[0-2])$/, patternHint: '应为 YYYYMM' }),
  ),
});

export type StudentBlock = ReturnType<typeof studentBase>;

export const student: Check<StudentBlock> = Object.assign(
  (v: unknown, path: string) => {
    const s = studentBase(v, path);
    if ((s.idType ?? '1') === '1') {
      const problem = checkIdNumber(s.idNo);
      if (problem) throw new FormDataError(`${path}.idNo`, '身份证件号', `有误：${problem.message}`);
    }
    return s;
  },
  { label: '学生' },
);

export const opinion = object('审批意见', {
  opinion: optional(text('意见', { max: 500 })),
  signer: optional(text('签字人', { max: 50 })),
  date: optional(date('日期')),
});

export type Opinion = ReturnType<typeof opinion>;

export const proofs = list('证明材料', text('证明材料', { max: 100 }), { max: 20 });

export const gender = (code: string) => GENDERS[code] ?? code;

export function studentRows(w: FormWriter, s: StudentBlock, schoolName?: string): void {
  const pairs: [string, string][] = [
    ['姓名', s.name],
    ['性别', gender(s.gender)],
    ['学籍号', s.statusNo ?? ''],
    [ID_TYPES[s.idType ?? '1'] === '居民身份证' ? '身份证号' : '证件号码', s.idNo],
    ['年级', s.grade],
    ['班级', s.classId],
  ];
  if (s.birthDate) pairs.push(['出生日期', s.birthDate]);
  if (s.major) pairs.push(['专业', s.major]);
  if (s.enrolYearMonth)
    pairs.push(['入学年月', `${s.enrolYearMonth.slice(0, 4)}年${Number(s.enrolYearMonth.slice(4))}月`]);
  if (schoolName) w.fields([['学校名称', schoolName]], 1, 1, 5);
  w.fields(pairs, 2, 1.3, 1.7);
}

export const numbered = (items: readonly string[]) =>
  items.length === 0 ? '无' : items.map((p, i) => `${i + 1}. ${p}`).join('\n');

/** 申请人 | name (relation, phone) | 签字 | (blank) | 日期 | date: the applicant signs on paper. */
export function applicantRow(
  w: FormWriter,
  a: { name: string; relation?: string; phone?: string },
  applyDate: string,
): void {
  const widths = w.cols([0.9, 2, 1.5, 1.2, 0.6, 1.3]);
  const who = `${a.name}${a.relation ? `（${a.relation}）` : ''}${a.phone ? `\n${a.phone}` : ''}`;
  const labels = ['申请人', who, '学生或监护人签字', '', '日期', formatDateCn(applyDate)];
  w.row(
    labels.map((t, i) => ({
      text: t,
      width: widths[i] as number,
      shade: i % 2 === 0,
      bold: i === 0,
      align: i % 2 === 0 ? 'center' : 'left',
    })),
    11 * 2.834645669,
  );
}
