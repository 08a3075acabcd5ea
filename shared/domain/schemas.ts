// JSON schemas of the local (RxDB) and server collections. They are plain data so that the renderer,
// the server and the tests share one definition (STYLE rule 5: schemas grow additively; bump `version`
// and add `migrationStrategies[version]` with a fixture of the old version in the tests).

export type JsonSchema = {
  title?: string;
  description?: string;
  version: number;
  primaryKey: string;
  type: 'object';
  properties: Record<string, unknown>;
  required: string[];
  indexes?: (string | string[])[];
  additionalProperties?: boolean;
};

/** A migration turns a document of version n-1 into version n; it is pure. */
export type Migration = (oldDoc: Record<string, unknown>) => Record<string, unknown>;

export type CollectionSpec = {
  schema: JsonSchema;
  migrationStrategies: Record<number, Migration>;
};

const str = (maxLength?: number) => (maxLength ? { type: 'string', maxLength } : { type: 'string' });
const ISO_TIME = { type: 'string', maxLength: 32 };

const archiveItem = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: ['present', 'missing', 'notDue'] },
    checkedAt: ISO_TIME,
    checkedBy: str(64),
    attachmentId: str(80),
    note: str(500),
  },
  required: ['state'],
};

export const studentSchema: JsonSchema = {
  title: 'students',
  description: 'A student status record with the paper-archive checklist (DOMAIN.md)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(64),
    schoolId: str(40),
    orgPath: str(120),
    name: str(50),
    gender: str(1),
    birthDate: str(10),
    idType: str(1),
    idNo: str(30),
    ethnicity: str(2),
    grade: str(20),
    classId: str(40),
    statusNo: str(19),
    auxNo: str(30),
    schoolNo: str(30),
    formerName: str(50),
    namePinyin: str(100),
    nationality: str(30),
    nativePlace: str(50),
    birthPlace: str(12),
    overseas: str(1),
    politicalStatus: str(2),
    health: str(2),
    hukouType: str(1),
    hukouPlace: str(100),
    address: str(100),
    phone: str(20),
    guardians: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: str(50), relation: str(2), phone: str(20), idNo: str(30) },
        required: ['name', 'relation', 'phone'],
      },
    },
    enrolYearMonth: str(6),
    enrolMethod: str(20),
    attendMode: str(1),
    source: str(30),
    major: str(40),
    schoolingYears: { type: 'integer', minimum: 0, maximum: 12 },
    studyForm: str(1),
    admissionType: str(20),
    aid: {
      type: 'object',
      properties: {
        grant: { type: 'boolean' },
        feeWaiver: { type: 'boolean' },
        lowIncome: { type: 'boolean' },
      },
    },
    photoId: str(80),
    status: {
      type: 'string',
      maxLength: 20,
      enum: [
        'enrolled',
        'suspended',
        'withdrawn',
        'transferredOut',
        'graduated',
        'deceased',
        'abroad',
        'cancelled',
      ],
    },
    archive: { type: 'object', additionalProperties: archiveItem },
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: [
    'id',
    'schoolId',
    'orgPath',
    'name',
    'gender',
    'birthDate',
    'idType',
    'idNo',
    'ethnicity',
    'grade',
    'classId',
    'guardians',
    'status',
    'archive',
    'updatedAt',
    'updatedBy',
  ],
  indexes: ['idNo', ['grade', 'classId'], 'status'],
};

/** The history/audit log: every change to a record is an event (who, when, before, after; R-WHO). */
export type EventDoc = {
  id: string;
  schoolId: string;
  entity: 'student' | 'changeRequest' | 'leave' | 'verification' | 'appeal' | 'inspection' | 'org';
  entityId: string;
  action: string;
  at: string;
  by: string;
  byName?: string;
  reason?: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
};

export const eventSchema: JsonSchema = {
  title: 'events',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(64),
    schoolId: str(40),
    entity: str(20),
    entityId: str(64),
    action: str(40),
    at: ISO_TIME,
    by: str(64),
    byName: str(50),
    reason: str(500),
    before: { type: 'object' },
    after: { type: 'object' },
  },
  required: ['id', 'schoolId', 'entity', 'entityId', 'action', 'at', 'by', 'before', 'after'],
  indexes: [['entityId', 'at']],
};

export type OrgKind = 'province' | 'city' | 'county' | 'school';
export type SchoolType = 'vocational' | 'k12';

export type OrgDoc = {
  id: string;
  kind: OrgKind;
  name: string;
  parentId?: string;
  /** ids from the root down to this org, slash-separated and slash-terminated */
  path: string;
  schoolType?: SchoolType;
  /** 统一社会信用代码 */
  creditCode?: string;
  address?: string;
  /** 校长 / 负责人 */
  head?: string;
  updatedAt: string;
};

export const orgSchema: JsonSchema = {
  title: 'orgs',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(40),
    kind: { type: 'string', enum: ['province', 'city', 'county', 'school'] },
    name: str(100),
    parentId: str(40),
    path: str(200),
    schoolType: { type: 'string', enum: ['vocational', 'k12'] },
    creditCode: str(18),
    address: str(200),
    head: str(50),
    updatedAt: ISO_TIME,
  },
  required: ['id', 'kind', 'name', 'path', 'updatedAt'],
};

export const COLLECTIONS = {
  students: { schema: studentSchema, migrationStrategies: {} },
  events: { schema: eventSchema, migrationStrategies: {} },
  orgs: { schema: orgSchema, migrationStrategies: {} },
} satisfies Record<string, CollectionSpec>;

export type CollectionName = keyof typeof COLLECTIONS;
