// The student record (DOMAIN.md "Student record"): field names, groups as the national form groups them,
// and the key fields that change only through the info-change workflow.
import {
  ATTEND_MODES,
  type CodeList,
  ETHNICITIES,
  GENDERS,
  GUARDIAN_RELATIONS,
  HEALTH_STATES,
  HUKOU_TYPES,
  ID_TYPES,
  OVERSEAS,
  POLITICAL_STATUSES,
  STUDY_FORMS,
  type StudentStatus,
} from './codes';

export type Guardian = {
  name: string;
  /** code of GUARDIAN_RELATIONS */
  relation: string;
  phone: string;
  idNo?: string;
};

export type ArchiveItemState = 'present' | 'missing' | 'notDue';

export type ArchiveItem = {
  state: ArchiveItemState;
  checkedAt?: string;
  checkedBy?: string;
  attachmentId?: string;
  note?: string;
};

export type StudentAid = { grant: boolean; feeWaiver: boolean; lowIncome: boolean };

export type Student = {
  id: string;
  schoolId: string;
  /** org path from the province down to the school, e.g. "/41/4101/410102/S41010201/" */
  orgPath: string;
  // key fields (★)
  name: string;
  gender: string;
  birthDate: string;
  idType: string;
  idNo: string;
  ethnicity: string;
  grade: string;
  classId: string;
  // other fields
  statusNo?: string;
  auxNo?: string;
  schoolNo?: string;
  formerName?: string;
  namePinyin?: string;
  nationality?: string;
  nativePlace?: string;
  birthPlace?: string;
  overseas?: string;
  politicalStatus?: string;
  health?: string;
  hukouType?: string;
  hukouPlace?: string;
  address?: string;
  phone?: string;
  guardians: Guardian[];
  enrolYearMonth?: string;
  enrolMethod?: string;
  attendMode?: string;
  source?: string;
  major?: string;
  schoolingYears?: number;
  studyForm?: string;
  admissionType?: string;
  aid?: StudentAid;
  photoId?: string;
  status: StudentStatus;
  /** paper archive checklist: part id → state (DOMAIN.md "Paper archive") */
  archive: Record<string, ArchiveItem>;
  updatedAt: string;
  updatedBy: string;
};

export type StudentField = Exclude<keyof Student, 'id' | 'schoolId' | 'orgPath' | 'updatedAt' | 'updatedBy'>;

/** Default key-field set (★). A setting: the province's `OrgDoc.settings.keyFields` overrides it (key-fields.ts). */
export const DEFAULT_KEY_FIELDS: readonly StudentField[] = [
  'name',
  'gender',
  'birthDate',
  'idType',
  'idNo',
  'ethnicity',
  'grade',
  'classId',
];

export type FieldKind = 'text' | 'date' | 'yearMonth' | 'code' | 'number' | 'phone';

export type FieldMeta = {
  field: StudentField;
  label: string;
  kind: FieldKind;
  codes?: CodeList;
  required?: boolean;
  maxLength?: number;
  vocationalOnly?: boolean;
};

export type FieldGroup = { title: string; fields: FieldMeta[] };

/** The student page's groups, in the order of the national 学生基本信息表. */
export const STUDENT_FIELD_GROUPS: readonly FieldGroup[] = [
  {
    title: '基本信息',
    fields: [
      { field: 'name', label: '姓名', kind: 'text', required: true, maxLength: 50 },
      { field: 'formerName', label: '曾用名', kind: 'text', maxLength: 50 },
      { field: 'namePinyin', label: '姓名拼音', kind: 'text', maxLength: 100 },
      { field: 'gender', label: '性别', kind: 'code', codes: GENDERS, required: true },
      { field: 'birthDate', label: '出生日期', kind: 'date', required: true },
      { field: 'idType', label: '身份证件类型', kind: 'code', codes: ID_TYPES, required: true },
      { field: 'idNo', label: '身份证件号', kind: 'text', required: true, maxLength: 30 },
      { field: 'ethnicity', label: '民族', kind: 'code', codes: ETHNICITIES, required: true },
      { field: 'nationality', label: '国籍/地区', kind: 'text', maxLength: 30 },
      { field: 'nativePlace', label: '籍贯', kind: 'text', maxLength: 50 },
      { field: 'birthPlace', label: '出生地', kind: 'text', maxLength: 12 },
      { field: 'overseas', label: '港澳台侨外', kind: 'code', codes: OVERSEAS },
      { field: 'politicalStatus', label: '政治面貌', kind: 'code', codes: POLITICAL_STATUSES },
      { field: 'health', label: '健康状况', kind: 'code', codes: HEALTH_STATES },
    ],
  },
  {
    title: '学籍信息',
    fields: [
      { field: 'statusNo', label: '学籍号', kind: 'text', maxLength: 19 },
      { field: 'auxNo', label: '学籍辅号', kind: 'text', maxLength: 30 },
      { field: 'schoolNo', label: '校内学号', kind: 'text', maxLength: 30 },
      { field: 'grade', label: '年级', kind: 'text', required: true, maxLength: 20 },
      { field: 'classId', label: '班级', kind: 'text', required: true, maxLength: 40 },
      { field: 'enrolYearMonth', label: '入学年月', kind: 'yearMonth' },
      { field: 'enrolMethod', label: '入学方式', kind: 'text', maxLength: 20 },
      { field: 'attendMode', label: '就读方式', kind: 'code', codes: ATTEND_MODES },
      { field: 'source', label: '学生来源', kind: 'text', maxLength: 30 },
    ],
  },
  {
    title: '专业信息',
    fields: [
      { field: 'major', label: '专业', kind: 'text', maxLength: 40, vocationalOnly: true },
      { field: 'schoolingYears', label: '学制', kind: 'number', vocationalOnly: true },
      { field: 'studyForm', label: '学习形式', kind: 'code', codes: STUDY_FORMS, vocationalOnly: true },
      { field: 'admissionType', label: '招生类型', kind: 'text', maxLength: 20, vocationalOnly: true },
    ],
  },
  {
    title: '户籍与联系方式',
    fields: [
      { field: 'hukouType', label: '户口性质', kind: 'code', codes: HUKOU_TYPES },
      { field: 'hukouPlace', label: '户口所在地', kind: 'text', maxLength: 100 },
      { field: 'address', label: '现住址', kind: 'text', maxLength: 100 },
      { field: 'phone', label: '联系电话', kind: 'phone' },
    ],
  },
];

export const GUARDIAN_FIELDS = {
  name: '监护人姓名',
  relation: '监护人关系',
  phone: '监护人电话',
  idNo: '监护人证件号',
} as const;

export const GUARDIAN_RELATION_CODES = GUARDIAN_RELATIONS;

export const FIELD_META: ReadonlyMap<StudentField, FieldMeta> = new Map(
  STUDENT_FIELD_GROUPS.flatMap((g) => g.fields.map((f) => [f.field, f] as const)),
);

export function fieldLabel(field: string): string {
  if (field === 'guardians') return '监护人';
  if (field === 'status') return '学籍状态';
  if (field === 'archive') return '纸质档案';
  if (field === 'aid') return '资助信息';
  return FIELD_META.get(field as StudentField)?.label ?? field;
}
