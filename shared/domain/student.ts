// The student record (DOMAIN.md "Student record"): field names, groups as the national form groups them,
// and the key fields that change only through the info-change workflow.
import {
  ATTEND_MODES,
  COMMUTE_MODES,
  type CodeList,
  DISABILITY_TYPES,
  ENROL_METHODS,
  ETHNICITIES,
  GENDERS,
  GUARDIAN_RELATIONS,
  HEALTH_STATES,
  HUKOU_TYPES,
  ID_TYPES,
  INCLUSIVE_STUDY,
  LEFT_BEHIND,
  NATIONALITIES,
  OVERSEAS,
  POLITICAL_STATUSES,
  STUDY_FORMS,
  type StudentStatus,
  YES_NO,
} from './codes';

/**
 * A family member or guardian (家庭成员或监护人): the national table asks for two, each with these 12
 * fields. Stored in `guardians` (the field's name since v0); `isGuardian` absent means a guardian, as
 * every member recorded before v2 was one.
 */
export type Guardian = {
  name: string;
  /** code of GUARDIAN_RELATIONS */
  relation: string;
  /** 关系说明 */
  relationNote?: string;
  /** 现住址 */
  address?: string;
  /** 户口所在地: a division code or, as the table allows, the address */
  hukouPlace?: string;
  phone: string;
  /** 是否监护人: YES_NO code */
  isGuardian?: string;
  idType?: string;
  idNo?: string;
  ethnicity?: string;
  /** 工作单位 */
  employer?: string;
  /** 职务 */
  position?: string;
};

export type FamilyMember = Guardian;

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
  // the rest of the national K-12 table (DOMAIN.md "The national basic-information table")
  /** 身份证件有效期: "YYYY-MM-DD至YYYY-MM-DD" or "YYYY-MM-DD至长期" */
  idValidity?: string;
  specialty?: string;
  /** 班内学号 */
  classNo?: string;
  mailAddress?: string;
  homeAddress?: string;
  postcode?: string;
  email?: string;
  homepage?: string;
  /** YES_NO codes */
  onlyChild?: string;
  preschool?: string;
  /** LEFT_BEHIND code */
  leftBehind?: string;
  migrantChild?: string;
  orphan?: string;
  martyrChild?: string;
  /** INCLUSIVE_STUDY code */
  inclusiveStudy?: string;
  /** DISABILITY_TYPES code */
  disability?: string;
  /** 上下学距离 in km */
  commuteKm?: number;
  /** COMMUTE_MODES code */
  commuteMode?: string;
  schoolBus?: string;
  govFundedPlace?: string;
  needsAid?: string;
  oneSubsidy?: string;
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

export type FieldKind =
  | 'text'
  | 'date'
  | 'yearMonth'
  | 'code'
  | 'number'
  | 'decimal'
  | 'phone'
  | 'division'
  | 'email'
  | 'postcode'
  | 'idValidity'
  | 'idNo';

export type FieldMeta = {
  field: StudentField;
  label: string;
  kind: FieldKind;
  codes?: CodeList;
  /** a code outside `codes` that is still valid (国籍/地区: any ISO alpha-3 code) */
  openCode?: (code: string) => boolean;
  required?: boolean;
  maxLength?: number;
  /** a person's name: refused with "?" or U+FFFD (what a GBK round trip leaves) */
  personName?: boolean;
  /** division: a value that is neither a code nor a known name is kept as text (户口所在地 "填写到门牌号") */
  allowText?: boolean;
  /** number/decimal bounds */
  min?: number;
  max?: number;
  vocationalOnly?: boolean;
  /** the national K-12 table's extension fields: shown for a vocational school only when filled */
  k12Only?: boolean;
};

export type FieldGroup = { title: string; fields: FieldMeta[] };

/** The student page's groups, in the order and with the titles of the national 学生基本信息表. */
export const STUDENT_FIELD_GROUPS: readonly FieldGroup[] = [
  {
    title: '基本信息',
    fields: [
      { field: 'name', label: '姓名', kind: 'text', required: true, maxLength: 50, personName: true },
      { field: 'gender', label: '性别', kind: 'code', codes: GENDERS, required: true },
      { field: 'birthDate', label: '出生日期', kind: 'date', required: true },
      { field: 'birthPlace', label: '出生地', kind: 'division', maxLength: 12 },
      { field: 'nativePlace', label: '籍贯', kind: 'text', maxLength: 50 },
      { field: 'ethnicity', label: '民族', kind: 'code', codes: ETHNICITIES, required: true },
      {
        field: 'nationality',
        label: '国籍/地区',
        kind: 'code',
        codes: NATIONALITIES,
        openCode: (c) => /^[A-Z]{3}$/.test(c),
      },
      { field: 'idType', label: '身份证件类型', kind: 'code', codes: ID_TYPES, required: true },
      { field: 'idNo', label: '身份证件号', kind: 'idNo', required: true, maxLength: 30 },
      { field: 'overseas', label: '港澳台侨外', kind: 'code', codes: OVERSEAS },
      { field: 'politicalStatus', label: '政治面貌', kind: 'code', codes: POLITICAL_STATUSES },
      { field: 'health', label: '健康状况', kind: 'code', codes: HEALTH_STATES },
    ],
  },
  {
    title: '辅助信息',
    fields: [
      { field: 'namePinyin', label: '姓名拼音', kind: 'text', maxLength: 100 },
      { field: 'formerName', label: '曾用名', kind: 'text', maxLength: 50, personName: true },
      { field: 'idValidity', label: '身份证件有效期', kind: 'idValidity', maxLength: 30 },
      { field: 'hukouPlace', label: '户口所在地', kind: 'division', maxLength: 100, allowText: true },
      { field: 'hukouType', label: '户口性质', kind: 'code', codes: HUKOU_TYPES },
      { field: 'specialty', label: '特长', kind: 'text', maxLength: 100 },
    ],
  },
  {
    title: '学籍基本信息',
    fields: [
      { field: 'statusNo', label: '学籍号', kind: 'text', maxLength: 19 },
      { field: 'auxNo', label: '学籍辅号', kind: 'text', maxLength: 30 },
      { field: 'schoolNo', label: '校内学号', kind: 'text', maxLength: 30 },
      { field: 'classNo', label: '班内学号', kind: 'text', maxLength: 10 },
      { field: 'grade', label: '年级', kind: 'text', required: true, maxLength: 20 },
      { field: 'classId', label: '班级', kind: 'text', required: true, maxLength: 40 },
      { field: 'enrolYearMonth', label: '入学年月', kind: 'yearMonth' },
      { field: 'enrolMethod', label: '入学方式', kind: 'code', codes: ENROL_METHODS },
      { field: 'attendMode', label: '就读方式', kind: 'code', codes: ATTEND_MODES },
      { field: 'source', label: '学生来源', kind: 'text', maxLength: 30 },
    ],
  },
  {
    title: '专业信息',
    fields: [
      { field: 'major', label: '专业', kind: 'text', maxLength: 40, vocationalOnly: true },
      { field: 'schoolingYears', label: '学制', kind: 'number', min: 1, max: 12, vocationalOnly: true },
      { field: 'studyForm', label: '学习形式', kind: 'code', codes: STUDY_FORMS, vocationalOnly: true },
      { field: 'admissionType', label: '招生类型', kind: 'text', maxLength: 20, vocationalOnly: true },
    ],
  },
  {
    title: '联系方式',
    fields: [
      { field: 'address', label: '现住址', kind: 'text', maxLength: 100 },
      { field: 'mailAddress', label: '通信地址', kind: 'text', maxLength: 100 },
      { field: 'homeAddress', label: '家庭地址', kind: 'text', maxLength: 100 },
      { field: 'phone', label: '联系电话', kind: 'phone' },
      { field: 'postcode', label: '邮政编码', kind: 'postcode' },
      { field: 'email', label: '电子信箱', kind: 'email', maxLength: 100 },
      { field: 'homepage', label: '主页地址', kind: 'text', maxLength: 200 },
    ],
  },
  {
    title: '扩展信息',
    fields: [
      { field: 'onlyChild', label: '是否独生子女', kind: 'code', codes: YES_NO, k12Only: true },
      { field: 'preschool', label: '是否受过学前教育', kind: 'code', codes: YES_NO, k12Only: true },
      { field: 'leftBehind', label: '是否留守儿童', kind: 'code', codes: LEFT_BEHIND, k12Only: true },
      {
        field: 'migrantChild',
        label: '是否进城务工人员随迁子女',
        kind: 'code',
        codes: YES_NO,
        k12Only: true,
      },
      { field: 'orphan', label: '是否孤儿', kind: 'code', codes: YES_NO, k12Only: true },
      { field: 'martyrChild', label: '是否烈士或优抚子女', kind: 'code', codes: YES_NO, k12Only: true },
      { field: 'inclusiveStudy', label: '随班就读', kind: 'code', codes: INCLUSIVE_STUDY, k12Only: true },
      { field: 'disability', label: '残疾类型', kind: 'code', codes: DISABILITY_TYPES, k12Only: true },
      { field: 'govFundedPlace', label: '是否由政府购买学位', kind: 'code', codes: YES_NO, k12Only: true },
      { field: 'needsAid', label: '是否需要申请资助', kind: 'code', codes: YES_NO, k12Only: true },
      { field: 'oneSubsidy', label: '是否享受一补', kind: 'code', codes: YES_NO, k12Only: true },
    ],
  },
  {
    title: '上下学交通方式',
    fields: [
      { field: 'commuteKm', label: '上下学距离', kind: 'decimal', min: 0, max: 500, k12Only: true },
      { field: 'commuteMode', label: '上下学方式', kind: 'code', codes: COMMUTE_MODES, k12Only: true },
      { field: 'schoolBus', label: '是否需要乘坐校车', kind: 'code', codes: YES_NO, k12Only: true },
    ],
  },
];

export type MemberField = keyof Guardian;

export type MemberFieldMeta = {
  field: MemberField;
  label: string;
  kind: FieldKind;
  codes?: CodeList;
  required?: boolean;
  maxLength?: number;
  personName?: boolean;
  allowText?: boolean;
};

/** The 12 fields of a family member, in the national table's order (★ = required there and here). */
export const MEMBER_FIELDS: readonly MemberFieldMeta[] = [
  { field: 'name', label: '姓名', kind: 'text', required: true, maxLength: 50, personName: true },
  { field: 'relation', label: '关系', kind: 'code', codes: GUARDIAN_RELATIONS, required: true },
  { field: 'relationNote', label: '关系说明', kind: 'text', maxLength: 20 },
  { field: 'address', label: '现住址', kind: 'text', maxLength: 100 },
  { field: 'hukouPlace', label: '户口所在地', kind: 'division', maxLength: 100, allowText: true },
  { field: 'phone', label: '联系电话', kind: 'phone', required: true },
  { field: 'isGuardian', label: '是否监护人', kind: 'code', codes: YES_NO },
  { field: 'idType', label: '身份证件类型', kind: 'code', codes: ID_TYPES },
  { field: 'idNo', label: '身份证件号', kind: 'idNo', maxLength: 30 },
  { field: 'ethnicity', label: '民族', kind: 'code', codes: ETHNICITIES },
  { field: 'employer', label: '工作单位', kind: 'text', maxLength: 60 },
  { field: 'position', label: '职务', kind: 'text', maxLength: 30 },
];

export const MEMBER_FIELD_META: ReadonlyMap<MemberField, MemberFieldMeta> = new Map(
  MEMBER_FIELDS.map((f) => [f.field, f] as const),
);

/** How many family members the national table (and the template) carries. */
export const TEMPLATE_MEMBERS = 2;

export const GUARDIAN_RELATION_CODES = GUARDIAN_RELATIONS;

export const FIELD_META: ReadonlyMap<StudentField, FieldMeta> = new Map(
  STUDENT_FIELD_GROUPS.flatMap((g) => g.fields.map((f) => [f.field, f] as const)),
);

export function fieldLabel(field: string): string {
  if (field === 'guardians') return '家庭成员或监护人';
  const member = /^guardians\.(\d+)\.(\w+)$/.exec(field);
  if (member) {
    const sub = MEMBER_FIELD_META.get(member[2] as MemberField);
    return `家庭成员${Number(member[1]) + 1}${sub?.label ?? member[2]}`;
  }
  if (field === 'status') return '学籍状态';
  if (field === 'archive') return '纸质档案';
  if (field === 'aid') return '资助信息';
  return FIELD_META.get(field as StudentField)?.label ?? field;
}
