// JSON schemas of the local (RxDB) and server collections. They are plain data so that the renderer,
// the server and the tests share one definition (STYLE rule 5: schemas grow additively; bump `version`
// and add `migrationStrategies[version]` with a fixture of the old version in the tests).

import { appealSchema, leaveSchema, verificationSchema } from '../verification/schemas';
import { inspectionSchema } from './inspection-schema';
import type { JsonSchema } from './json-schema';

export type { JsonSchema } from './json-schema';

/** A migration turns a document of version n-1 into version n; it is pure. */
export type Migration = (oldDoc: Record<string, unknown>) => Record<string, unknown>;

/** For a version that only adds optional fields or bounds: every old document is valid as it is. */
const unchanged: Migration = (doc) => doc;

/**
 * syncIssues v2 adds `mineDevice`. A v1 issue does not say which device found it, so it stays without
 * one: the inbox then names the two values by where they are (服务器 / 发现冲突的设备), not as 本机.
 */
const syncIssueWithoutDevice: Migration = (doc) => doc;

export type CollectionSpec = {
  schema: JsonSchema;
  migrationStrategies: Record<number, Migration>;
};

const str = (maxLength?: number) => (maxLength ? { type: 'string', maxLength } : { type: 'string' });
const ISO_TIME = { type: 'string', maxLength: 32 };

/** Bounds of a free JSON value inside a document (a field's value in a history event or a conflict). */
export const JSON_VALUE_BOUNDS = { depth: 4, maxLength: 2000, maxItems: 100, maxProperties: 100 } as const;

/**
 * Any JSON value, bounded (issue 8: no `{}` left open): strings, arrays and objects have a maximum size
 * and nesting stops at `depth` levels (the innermost level holds scalars only).
 */
export function boundedJsonSchema(depth: number = JSON_VALUE_BOUNDS.depth): Record<string, unknown> {
  const { maxLength, maxItems, maxProperties } = JSON_VALUE_BOUNDS;
  const scalars = [{ type: 'string', maxLength }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }];
  // One branch per type (ajv's strict mode, which RxDB's validator uses, refuses union types).
  if (depth <= 1) return { anyOf: scalars };
  const inner = boundedJsonSchema(depth - 1);
  return {
    anyOf: [
      ...scalars,
      { type: 'array', maxItems, items: inner },
      { type: 'object', maxProperties, additionalProperties: inner },
    ],
  };
}

/** A map of field name → bounded value (the before/after of an event, a refused state). */
const fieldMap = (maxProperties: number) => ({
  type: 'object',
  maxProperties,
  additionalProperties: boundedJsonSchema(),
});

/**
 * Clips a value to `boundedJsonSchema` (the migration of documents written before the bounds): long
 * strings are cut, long lists and maps shortened, what lies deeper than the bounds becomes null.
 */
export function clipJson(value: unknown, depth: number = JSON_VALUE_BOUNDS.depth): unknown {
  const { maxLength, maxItems, maxProperties } = JSON_VALUE_BOUNDS;
  if (typeof value === 'string') return value.slice(0, maxLength);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth <= 1 || typeof value !== 'object') return null;
  if (Array.isArray(value)) return value.slice(0, maxItems).map((v) => clipJson(v, depth - 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .slice(0, maxProperties)
      .map(([k, v]) => [k, clipJson(v, depth - 1)]),
  );
}

const clipMap = (value: unknown, maxProperties: number): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .slice(0, maxProperties)
          .map(([k, v]) => [k, clipJson(v)]),
      )
    : {};

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
  version: 2,
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
      maxItems: 10,
      items: {
        type: 'object',
        // v2: the national table's 12 fields of a family member
        properties: {
          name: str(50),
          relation: str(2),
          relationNote: str(20),
          address: str(100),
          hukouPlace: str(100),
          phone: str(20),
          isGuardian: str(1),
          idType: str(1),
          idNo: str(30),
          ethnicity: str(2),
          employer: str(60),
          position: str(30),
        },
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
    // v2: the rest of the national K-12 table (DOMAIN.md "The national basic-information table")
    idValidity: str(30),
    specialty: str(100),
    classNo: str(10),
    mailAddress: str(100),
    homeAddress: str(100),
    postcode: str(6),
    email: str(100),
    homepage: str(200),
    onlyChild: str(1),
    preschool: str(1),
    leftBehind: str(1),
    migrantChild: str(1),
    orphan: str(1),
    martyrChild: str(1),
    inclusiveStudy: str(1),
    disability: str(1),
    commuteKm: { type: 'number', minimum: 0, maximum: 500 },
    commuteMode: str(1),
    schoolBus: str(1),
    govFundedPlace: str(1),
    needsAid: str(1),
    oneSubsidy: str(1),
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
    archive: { type: 'object', maxProperties: 20, additionalProperties: archiveItem },
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
  version: 2,
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
    before: fieldMap(200),
    after: fieldMap(200),
  },
  required: ['id', 'schoolId', 'entity', 'entityId', 'action', 'at', 'by', 'before', 'after'],
  indexes: [['entityId', 'at']],
};

export type OrgKind = 'province' | 'city' | 'county' | 'school';
export type SchoolType = 'vocational' | 'k12';
/** 学段 (the rules read it, e.g. R-TX-4NO): 小学, 初中, 普通高中, 中职 */
export type SchoolLevel = 'primary' | 'junior' | 'senior' | 'vocational';
/** 办学性质: 公办 / 民办 */
export type SchoolOwnership = 'public' | 'private';

/** The registered campus: the geofence of routine verification (HN 三.4). */
export type Campus = { lat: number; lng: number; radiusM: number; address?: string };

/** A term (学期) as a school or its bureau sets it. */
export type TermDates = { start: string; end: string; name?: string };

/** A published correction of the State Council working-day calendar (shared/calendar). */
export type CalendarOverride = { date: string; kind: 'workday' | 'holiday'; note?: string };

/**
 * Settings an org publishes to everything below it (DOMAIN.md: limits, deadlines, the key-field set,
 * term dates are settings). The province sets rule settings, the key-field set and calendar overrides;
 * a bureau or a school sets term dates (`OrgDoc.term`). The server writes them; every copy pulls them
 * with the org tree, and the effective value is the nearest one on the path from the school upwards.
 */
export type OrgSettings = {
  /** rule settings by name (shared/rules): numbers, strings, booleans or lists of strings */
  rules?: Record<string, unknown>;
  /** the key-field set (★): changing one needs an approved info change */
  keyFields?: readonly string[];
  calendar?: readonly CalendarOverride[];
  updatedAt?: string;
  updatedBy?: string;
};

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
  level?: SchoolLevel;
  ownership?: SchoolOwnership;
  /** 省级示范校 (R-TX-4NO) */
  provincialModel?: boolean;
  /** 招生片区 (R-TX-4NO: no transfers within one zone) */
  enrolmentZone?: string;
  /** 学制: years of study of the school (its final grade) */
  schoolingYears?: number;
  campus?: Campus;
  term?: TermDates;
  settings?: OrgSettings;
  /** an org that no longer operates keeps its records; it takes no new ones */
  disabled?: boolean;
  updatedAt: string;
  updatedBy?: string;
};

export const orgSchema: JsonSchema = {
  title: 'orgs',
  version: 1,
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
    level: { type: 'string', enum: ['primary', 'junior', 'senior', 'vocational'] },
    ownership: { type: 'string', enum: ['public', 'private'] },
    provincialModel: { type: 'boolean' },
    enrolmentZone: str(40),
    schoolingYears: { type: 'integer', minimum: 1, maximum: 12 },
    campus: {
      type: 'object',
      properties: {
        lat: { type: 'number', minimum: -90, maximum: 90 },
        lng: { type: 'number', minimum: -180, maximum: 180 },
        radiusM: { type: 'integer', minimum: 10, maximum: 100000 },
        address: str(200),
      },
      required: ['lat', 'lng', 'radiusM'],
    },
    term: {
      type: 'object',
      properties: { start: str(10), end: str(10), name: str(40) },
      required: ['start', 'end'],
    },
    settings: {
      type: 'object',
      properties: {
        rules: { type: 'object', maxProperties: 100 },
        keyFields: { type: 'array', maxItems: 40, items: str(40) },
        calendar: {
          type: 'array',
          maxItems: 2000,
          items: {
            type: 'object',
            properties: {
              date: str(10),
              kind: { type: 'string', enum: ['workday', 'holiday'] },
              note: str(200),
            },
            required: ['date', 'kind'],
          },
        },
        updatedAt: ISO_TIME,
        updatedBy: str(64),
      },
    },
    disabled: { type: 'boolean' },
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: ['id', 'kind', 'name', 'path', 'updatedAt'],
};

/**
 * The sync inbox (shared/sync): conflicts a person must resolve (same field edited on two devices, or
 * a status/workflow field edited during a conflict) and refusals of pushed rows by the server, each
 * shown on its record. Conflicts are written by clients, refusals by the server; both replicate.
 */
export type SyncIssueDoc = {
  id: string;
  kind: 'conflict' | 'refusal';
  /** collection and id of the record the issue is about ("collection" is reserved by RxDB) */
  docCollection: string;
  docId: string;
  schoolId: string;
  orgPath: string;
  /** short Chinese title of the record, e.g. the student's name */
  docTitle?: string;
  /** dotted field path, e.g. "phone" or "archive.basicInfo" */
  field?: string;
  fieldLabel?: string;
  /** conflict: the common ancestor, this device's value and the server's value */
  base?: unknown;
  mine?: unknown;
  theirs?: unknown;
  mineBy?: string;
  mineAt?: string;
  /**
   * the device whose value is `mine`: the one that pushed second and found the conflict. The issue
   * replicates to every device of the school, so "this device's value" depends on who reads it
   * (shared/sync/conflicts.ts conflictSides). Absent on issues of version 1.
   */
  mineDevice?: string;
  theirsBy?: string;
  theirsAt?: string;
  /** refusal: machine code and the Chinese reason; the refused document state is kept in `attempted` */
  code?: string;
  reason?: string;
  attempted?: Record<string, unknown>;
  status: 'open' | 'resolved' | 'dismissed';
  /** resolution: 'mine' | 'theirs' | 'other' and the value applied (the resolution is a recorded edit) */
  resolution?: string;
  resolvedValue?: unknown;
  resolvedBy?: string;
  resolvedAt?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

export const syncIssueSchema: JsonSchema = {
  title: 'syncIssues',
  description: 'Conflict inbox and server refusals (shared/sync, docs/sync-api.md)',
  version: 3,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(80),
    kind: { type: 'string', enum: ['conflict', 'refusal'], maxLength: 10 },
    docCollection: str(40),
    docId: str(80),
    schoolId: str(40),
    orgPath: str(120),
    docTitle: str(100),
    field: str(80),
    fieldLabel: str(50),
    base: boundedJsonSchema(),
    mine: boundedJsonSchema(),
    theirs: boundedJsonSchema(),
    mineBy: str(64),
    mineAt: ISO_TIME,
    mineDevice: str(80),
    theirsBy: str(64),
    theirsAt: ISO_TIME,
    code: str(40),
    reason: str(500),
    attempted: fieldMap(200),
    status: { type: 'string', enum: ['open', 'resolved', 'dismissed'], maxLength: 10 },
    resolution: str(10),
    resolvedValue: boundedJsonSchema(),
    resolvedBy: str(64),
    resolvedAt: ISO_TIME,
    createdAt: ISO_TIME,
    createdBy: str(64),
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: [
    'id',
    'kind',
    'docCollection',
    'docId',
    'schoolId',
    'orgPath',
    'status',
    'createdAt',
    'createdBy',
    'updatedAt',
    'updatedBy',
  ],
  indexes: ['docId', 'status'],
};

/**
 * Attachment metadata (scans, photos, audio). The bytes are content-addressed by SHA-256 and move
 * through their own resumable endpoints (docs/sync-api.md "Attachments"), never inside documents.
 */
export type AttachmentDoc = {
  /** the SHA-256 of the bytes, hex; one document per school and content */
  id: string;
  sha256: string;
  schoolId: string;
  orgPath: string;
  name: string;
  mime: string;
  size: number;
  /** what it belongs to, e.g. entity "student" + the student's id */
  entity: string;
  entityId: string;
  kind: 'scan' | 'photo' | 'audio' | 'video' | 'other';
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

export const attachmentSchema: JsonSchema = {
  title: 'attachments',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(120),
    sha256: str(64),
    schoolId: str(40),
    orgPath: str(120),
    name: str(200),
    mime: str(100),
    size: { type: 'integer', minimum: 0, maximum: 1073741824 },
    entity: str(20),
    entityId: str(80),
    kind: { type: 'string', enum: ['scan', 'photo', 'audio', 'video', 'other'], maxLength: 10 },
    createdAt: ISO_TIME,
    createdBy: str(64),
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: [
    'id',
    'sha256',
    'schoolId',
    'orgPath',
    'name',
    'mime',
    'size',
    'entity',
    'entityId',
    'kind',
    'createdAt',
    'createdBy',
    'updatedAt',
    'updatedBy',
  ],
  indexes: ['entityId'],
};

/**
 * Status and info changes (shared/workflows): one document per request, replicated to every party of
 * it (both schools and both bureaus of a transfer). Its status and step are derived from its decisions
 * (shared/workflows/state.ts); the server fills the route, the findings and what approval did.
 */
const snapshotSchema = {
  type: 'object',
  properties: {
    id: str(64),
    name: str(50),
    gender: str(1),
    birthDate: str(10),
    idType: str(1),
    idNo: str(30),
    statusNo: str(19),
    auxNo: str(30),
    grade: str(20),
    classId: str(40),
    major: str(40),
    studyForm: str(1),
    enrolYearMonth: str(6),
    status: str(20),
    schoolId: str(40),
    schoolName: str(100),
  },
  required: ['name', 'gender', 'idNo', 'grade', 'classId'],
};

const decisionSchema = {
  type: 'object',
  properties: {
    id: str(64),
    step: { type: 'integer', minimum: 0, maximum: 10 },
    decision: { type: 'string', enum: ['approve', 'reject'], maxLength: 10 },
    opinion: str(500),
    by: str(64),
    byName: str(50),
    orgId: str(40),
    orgName: str(100),
    at: ISO_TIME,
    late: { type: 'boolean' },
  },
  required: ['id', 'step', 'decision', 'opinion', 'by', 'byName', 'orgId', 'orgName', 'at'],
};

const stampSchema = {
  type: 'object',
  properties: { at: ISO_TIME, by: str(64), byName: str(50) },
  required: ['at', 'by', 'byName'],
};

export const changeRequestSchema: JsonSchema = {
  title: 'changeRequests',
  description: 'Status changes, info changes, enrolment and graduation (shared/workflows)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(64),
    type: {
      type: 'string',
      maxLength: 20,
      enum: [
        'enrolment',
        'graduation',
        'transfer',
        'majorChange',
        'repeat',
        'skip',
        'suspension',
        'resumption',
        'withdrawal',
        'cancellation',
        'death',
        'abroad',
        'studyFormChange',
        'restore',
        'infoChange',
      ],
    },
    schoolId: str(40),
    orgPath: str(120),
    studentIds: { type: 'array', maxItems: 100, items: str(64) },
    students: { type: 'array', maxItems: 100, items: snapshotSchema },
    fromSchoolId: str(40),
    fromSchoolName: str(100),
    details: { type: 'object', maxProperties: 20, additionalProperties: str(200) },
    items: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        properties: { field: str(40), before: str(200), after: str(200), reason: str(300) },
        required: ['field', 'before', 'after', 'reason'],
      },
    },
    reason: str(500),
    applicant: {
      type: 'object',
      properties: { name: str(50), relation: str(20), phone: str(20) },
      required: ['name'],
    },
    appliedOn: str(10),
    proofs: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        properties: { kind: str(30), name: str(200), attachmentId: str(120) },
        required: ['kind', 'name'],
      },
    },
    warnReasons: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: { rule: str(20), reason: str(500) },
        required: ['rule', 'reason'],
      },
    },
    basis: { type: 'object', properties: { rule: str(20), note: str(200) }, required: ['rule'] },
    escalated: { type: 'boolean' },
    route: {
      type: 'array',
      maxItems: 6,
      items: {
        type: 'object',
        properties: {
          level: { type: 'string', enum: ['school', 'county', 'city', 'province'], maxLength: 10 },
          side: { type: 'string', enum: ['own', 'other'], maxLength: 10 },
          role: { type: 'string', enum: ['schoolAdmin', 'bureau', 'province'], maxLength: 20 },
          orgId: str(40),
          orgName: str(100),
          title: str(60),
        },
        required: ['level', 'side', 'role', 'orgId', 'orgName', 'title'],
      },
    },
    decisions: { type: 'array', maxItems: 30, items: decisionSchema },
    withdrawn: {
      type: 'object',
      properties: { ...stampSchema.properties, reason: str(500) },
      required: ['at', 'by', 'byName', 'reason'],
    },
    status: {
      type: 'string',
      maxLength: 10,
      enum: ['draft', 'submitted', 'approved', 'rejected', 'withdrawn'],
    },
    step: { type: 'integer', minimum: 0, maximum: 10 },
    findings: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          rule: str(20),
          level: { type: 'string', enum: ['refuse', 'warn', 'action', 'info'], maxLength: 10 },
          message: str(500),
          due: str(10),
          dueUncertain: { type: 'boolean' },
        },
        required: ['rule', 'level', 'message'],
      },
    },
    applied: {
      type: 'object',
      properties: {
        at: ISO_TIME,
        on: str(10),
        changes: {
          type: 'array',
          maxItems: 100,
          items: {
            type: 'object',
            properties: { studentId: str(64), before: fieldMap(20), after: fieldMap(20) },
            required: ['studentId', 'before', 'after'],
          },
        },
      },
      required: ['at', 'on', 'changes'],
    },
    filed: stampSchema,
    createdAt: ISO_TIME,
    createdBy: str(64),
    createdByName: str(50),
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: [
    'id',
    'type',
    'schoolId',
    'orgPath',
    'studentIds',
    'students',
    'details',
    'reason',
    'applicant',
    'appliedOn',
    'proofs',
    'route',
    'decisions',
    'status',
    'step',
    'createdAt',
    'createdBy',
    'updatedAt',
    'updatedBy',
  ],
  indexes: ['status', 'updatedAt'],
};

/** events v2: the values of before/after are bounded JSON (clipped when an old event exceeds them). */
export const boundEventValues: Migration = (doc) => ({
  ...doc,
  before: clipMap(doc.before, 200),
  after: clipMap(doc.after, 200),
});

/** syncIssues v3: base/mine/theirs/resolvedValue and the refused state are bounded JSON. */
export const boundIssueValues: Migration = (doc) => {
  const out: Record<string, unknown> = { ...doc };
  for (const k of ['base', 'mine', 'theirs', 'resolvedValue'])
    if (k in doc && doc[k] !== undefined) out[k] = clipJson(doc[k]);
  if (doc.attempted !== undefined) out.attempted = clipMap(doc.attempted, 200);
  return out;
};

const NATIONALITY_NAMES: Record<string, string> = {
  中国: 'CHN',
  中华人民共和国: 'CHN',
  香港: 'HKG',
  中国香港: 'HKG',
  澳门: 'MAC',
  中国澳门: 'MAC',
  台湾: 'TWN',
  中国台湾: 'TWN',
};
const ENROL_METHOD_NAMES: Record<string, string> = {
  就近入学: '11',
  统一招生考试: '21',
  普通入学: '21',
  '统一招生考试/普通入学': '21',
  体育特招: '22',
  艺术特招: '23',
};

/**
 * students v2: 国籍/地区 and 入学方式 become codes (CHN; 11–99), as the national table stores them.
 * Values written before as names are turned into their codes; any other value is kept as it was
 * (data is never lost) and shown as written until someone corrects it.
 */
export const studentsV2NationalCodes: Migration = (doc) => {
  const out = { ...doc };
  const nationality = typeof doc.nationality === 'string' ? doc.nationality.trim() : undefined;
  if (nationality && NATIONALITY_NAMES[nationality]) out.nationality = NATIONALITY_NAMES[nationality];
  const method = typeof doc.enrolMethod === 'string' ? doc.enrolMethod.trim() : undefined;
  if (method && ENROL_METHOD_NAMES[method]) out.enrolMethod = ENROL_METHOD_NAMES[method];
  return out;
};

// v1 of every collection bounds its arrays and open objects (the server refuses what exceeds them);
// orgs v1 adds the school attributes the rules read and the settings an org publishes. events v2 and
// syncIssues v3 bound the free values inside them (issue 8).
export const COLLECTIONS = {
  students: { schema: studentSchema, migrationStrategies: { 1: unchanged, 2: studentsV2NationalCodes } },
  events: { schema: eventSchema, migrationStrategies: { 1: unchanged, 2: boundEventValues } },
  orgs: { schema: orgSchema, migrationStrategies: { 1: unchanged } },
  syncIssues: {
    schema: syncIssueSchema,
    migrationStrategies: { 1: unchanged, 2: syncIssueWithoutDevice, 3: boundIssueValues },
  },
  attachments: { schema: attachmentSchema, migrationStrategies: { 1: unchanged } },
  inspections: { schema: inspectionSchema, migrationStrategies: {} },
  // Routine verification (shared/verification): tasks and term records by kind, leaves, appeals.
  verifications: { schema: verificationSchema, migrationStrategies: {} },
  leaves: { schema: leaveSchema, migrationStrategies: {} },
  appeals: { schema: appealSchema, migrationStrategies: {} },
  changeRequests: { schema: changeRequestSchema, migrationStrategies: {} },
} satisfies Record<string, CollectionSpec>;

export type CollectionName = keyof typeof COLLECTIONS;
