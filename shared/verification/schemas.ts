// The collections of routine verification (HN 三.4, 三.5, 四; DOMAIN.md "Routine verification"):
// `verifications` holds tasks and, per student per term, the results of every task with the consequences
// the server found (by `kind`, so the app keeps ≤ 11 collections: DESIGN.md pitfall); `leaves` holds
// 请假/销假 and recorded absences; `appeals` holds 申诉 and their decisions. Plain data, shared by the
// renderer (RxDB), the server (its input check) and the tests.
import type { JsonSchema } from '../domain/json-schema';

const str = (maxLength: number) => ({ type: 'string', maxLength });
const ISO_TIME = { type: 'string', maxLength: 32 };
const YMD = { type: 'string', maxLength: 10 };

/** 省教育厅 / 教育局 (city or county) / the school itself (联调测试, HN 三.3: never counts for R-MISS-2-4). */
export type TaskIssuer = 'province' | 'bureau' | 'school';

/** The registered campus a task checks against (HN 三.4 "在省教育厅备案注册的办学地址范围内"). */
export type Fence = { lat: number; lng: number; radiusM: number };

/** Which students a task calls: schools, optionally some grades or classes of them. */
export type TaskScope = { schoolIds: string[]; grades?: string[]; classIds?: string[] };

export type VerificationTaskDoc = {
  id: string;
  kind: 'task';
  /** the issuing org (province, bureau or school): the task belongs to it */
  schoolId: string;
  orgPath: string;
  /** the default term key of the window's last day (sorting and filtering only) */
  termKey: string;
  issuer: TaskIssuer;
  issuerName: string;
  name: string;
  reason?: string;
  /** the window, ISO instants (UTC, as Date.toISOString writes them) */
  start: string;
  end: string;
  scope: TaskScope;
  /** per school in scope: its registered campus when the task was published */
  fences: Record<string, Fence>;
  /** 联调测试: a school's own roll call (HN 三.3) */
  test?: boolean;
  status: 'published' | 'cancelled';
  cancelReason?: string;
  cancelledAt?: string;
  createdAt: string;
  createdBy: string;
  createdByName?: string;
  updatedAt: string;
  updatedBy: string;
};

/**
 * A student's result of one task. pending: called, no attempt yet; failed: attempts, none passed (the
 * window still open); passed; missed: the window closed without a pass; exempt: approved leave during
 * the window (R-LEAVE-EXEMPT); appealUpheld: missed, and an appeal about it was upheld (R-APPEAL).
 */
export type ResultState = 'pending' | 'failed' | 'passed' | 'missed' | 'exempt' | 'appealUpheld';

export type TaskResult = {
  s: ResultState;
  /** the time of the pass, or of the last attempt */
  at?: string;
  /** attempts so far */
  n?: number;
  /** why the last failed attempt failed (CHECKIN_REASONS) */
  code?: string;
  /** distance of the last attempt from the campus, metres */
  d?: number;
};

export type ActionState = 'open' | 'done' | 'void';

/** A consequence the server found for the student (R-MISS-2-4, R-AID-STOP, R-LEAVE-15, R-ABSENT-3M). */
export type VerificationAction = {
  /** the rule and what triggered it, e.g. "R-MISS-2-4:vt-…" — one action per trigger */
  key: string;
  rule: string;
  message: string;
  due?: string;
  dueUncertain?: boolean;
  since: string;
  state: ActionState;
  /** done: how it was handled; void: why it no longer applies */
  closedAt?: string;
  closedHow?: string;
  /** the student's status and study form when the action was raised: what an upheld appeal restores */
  before?: { status?: string; studyForm?: string };
  /** … and when it was handled (an appeal restores only while the student is still in this state) */
  after?: { status?: string; studyForm?: string };
  /** the tasks whose misses made the condition */
  taskIds?: string[];
  /** an upheld appeal restored the state of `before` (R-APPEAL) */
  restoredAt?: string;
};

/** R-ESCALATE (HN 四.1): after a change made because of R-MISS-2-4, further changes need the province. */
export type Escalation = { since: string; rule: string; reason: string };

/** R-AID-STOP: the school's aid office has submitted the withdrawal (or found nothing left to withdraw). */
export type AidWithdrawal = {
  state: 'submitted' | 'notNeeded';
  at: string;
  by: string;
  byName?: string;
  note?: string;
};

export type TermRef = { start: string; end: string; name?: string };

export type VerificationRecordDoc = {
  /** `vr:<studentId>:<termKey>` */
  id: string;
  kind: 'record';
  schoolId: string;
  orgPath: string;
  classId?: string;
  grade?: string;
  studentId: string;
  studentName?: string;
  termKey: string;
  term: TermRef;
  results: Record<string, TaskResult>;
  actions?: VerificationAction[];
  escalated?: Escalation;
  aidWithdrawal?: AidWithdrawal;
  updatedAt: string;
  updatedBy: string;
};

export type VerificationDoc = VerificationTaskDoc | VerificationRecordDoc;

export type LeaveStatus = 'pending' | 'approved' | 'rejected' | 'cancelled' | 'recorded';

/**
 * 请假 (kind leave: requested on the phone or entered by a counselor, approved by a counselor or the
 * school admin, ended by 销假) or an absence without leave the school recorded (kind absence, R-ABSENT-3M).
 */
export type LeaveDoc = {
  id: string;
  kind: 'leave' | 'absence';
  schoolId: string;
  orgPath: string;
  classId?: string;
  studentId: string;
  studentName?: string;
  from: string;
  /** the last day of leave; an absence still going on has none */
  to?: string;
  reason?: string;
  status: LeaveStatus;
  /** 销假: the day the student was back (the leave ends the day before) */
  returnedOn?: string;
  via: 'phone' | 'desk';
  requestedAt: string;
  requestedBy: string;
  requestedByName?: string;
  decidedAt?: string;
  decidedBy?: string;
  decidedByName?: string;
  opinion?: string;
  returnedAt?: string;
  returnedBy?: string;
  updatedAt: string;
  updatedBy: string;
};

export type AppealStatus = 'submitted' | 'upheld' | 'rejected' | 'withdrawn';

/** 申诉 (HN 四.2) of a student (phone) or a school about results (and the consequence they caused). */
export type AppealDoc = {
  id: string;
  schoolId: string;
  orgPath: string;
  classId?: string;
  studentId: string;
  studentName?: string;
  /** the results appealed against */
  taskIds: string[];
  /** the consequence contested, when the appeal is about one (e.g. R-MISS-2-4) */
  rule?: string;
  reason: string;
  via: 'phone' | 'school';
  status: AppealStatus;
  submittedAt: string;
  submittedBy: string;
  submittedByName?: string;
  decidedAt?: string;
  decidedBy?: string;
  decidedByName?: string;
  decidedOrgId?: string;
  decidedOrgName?: string;
  opinion?: string;
  updatedAt: string;
  updatedBy: string;
};

const fence = {
  type: 'object',
  properties: {
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lng: { type: 'number', minimum: -180, maximum: 180 },
    radiusM: { type: 'integer', minimum: 10, maximum: 100000 },
  },
  required: ['lat', 'lng', 'radiusM'],
};

const RESULT_STATES: ResultState[] = ['pending', 'failed', 'passed', 'missed', 'exempt', 'appealUpheld'];

export const verificationSchema: JsonSchema = {
  title: 'verifications',
  description: 'Routine verification: tasks, and per student per term their results (kind)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(120),
    kind: { type: 'string', enum: ['task', 'record'], maxLength: 10 },
    schoolId: str(40),
    orgPath: str(120),
    termKey: str(20),
    // task
    issuer: { type: 'string', enum: ['province', 'bureau', 'school'] },
    issuerName: str(100),
    name: str(100),
    reason: str(500),
    start: ISO_TIME,
    end: ISO_TIME,
    scope: {
      type: 'object',
      properties: {
        schoolIds: { type: 'array', maxItems: 2000, items: str(40) },
        grades: { type: 'array', maxItems: 20, items: str(20) },
        classIds: { type: 'array', maxItems: 500, items: str(40) },
      },
      required: ['schoolIds'],
    },
    fences: { type: 'object', maxProperties: 2000, additionalProperties: fence },
    test: { type: 'boolean' },
    status: { type: 'string', enum: ['published', 'cancelled'] },
    cancelReason: str(200),
    cancelledAt: ISO_TIME,
    createdAt: ISO_TIME,
    createdBy: str(64),
    createdByName: str(50),
    // record
    classId: str(40),
    grade: str(20),
    studentId: str(64),
    studentName: str(50),
    term: {
      type: 'object',
      properties: { start: YMD, end: YMD, name: str(40) },
      required: ['start', 'end'],
    },
    results: {
      type: 'object',
      maxProperties: 200,
      additionalProperties: {
        type: 'object',
        properties: {
          s: { type: 'string', enum: RESULT_STATES },
          at: ISO_TIME,
          n: { type: 'integer', minimum: 0, maximum: 100000 },
          code: str(20),
          d: { type: 'number', minimum: 0, maximum: 100000000 },
        },
        required: ['s'],
      },
    },
    actions: {
      type: 'array',
      maxItems: 40,
      items: {
        type: 'object',
        properties: {
          key: str(140),
          rule: str(20),
          message: str(1000),
          due: YMD,
          dueUncertain: { type: 'boolean' },
          since: ISO_TIME,
          state: { type: 'string', enum: ['open', 'done', 'void'] },
          closedAt: ISO_TIME,
          closedHow: str(200),
          before: {
            type: 'object',
            properties: { status: str(20), studyForm: str(1) },
          },
          after: {
            type: 'object',
            properties: { status: str(20), studyForm: str(1) },
          },
          taskIds: { type: 'array', maxItems: 50, items: str(120) },
          restoredAt: ISO_TIME,
        },
        required: ['key', 'rule', 'message', 'since', 'state'],
      },
    },
    escalated: {
      type: 'object',
      properties: { since: ISO_TIME, rule: str(20), reason: str(500) },
      required: ['since', 'rule', 'reason'],
    },
    aidWithdrawal: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: ['submitted', 'notNeeded'] },
        at: ISO_TIME,
        by: str(64),
        byName: str(50),
        note: str(200),
      },
      required: ['state', 'at', 'by'],
    },
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: ['id', 'kind', 'schoolId', 'orgPath', 'termKey', 'updatedAt', 'updatedBy'],
  indexes: [['kind', 'termKey']],
};

export const leaveSchema: JsonSchema = {
  title: 'leaves',
  description: '请假/销假 and recorded absences of students (HN 三.5)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(80),
    kind: { type: 'string', enum: ['leave', 'absence'], maxLength: 10 },
    schoolId: str(40),
    orgPath: str(120),
    classId: str(40),
    studentId: str(64),
    studentName: str(50),
    from: YMD,
    to: YMD,
    reason: str(200),
    status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'cancelled', 'recorded'] },
    returnedOn: YMD,
    via: { type: 'string', enum: ['phone', 'desk'] },
    requestedAt: ISO_TIME,
    requestedBy: str(64),
    requestedByName: str(50),
    decidedAt: ISO_TIME,
    decidedBy: str(64),
    decidedByName: str(50),
    opinion: str(200),
    returnedAt: ISO_TIME,
    returnedBy: str(64),
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: [
    'id',
    'kind',
    'schoolId',
    'orgPath',
    'studentId',
    'from',
    'status',
    'via',
    'requestedAt',
    'requestedBy',
    'updatedAt',
    'updatedBy',
  ],
  indexes: ['studentId'],
};

export const appealSchema: JsonSchema = {
  title: 'appeals',
  description: '申诉 about verification results and their consequences (HN 四.2)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(80),
    schoolId: str(40),
    orgPath: str(120),
    classId: str(40),
    studentId: str(64),
    studentName: str(50),
    taskIds: { type: 'array', minItems: 1, maxItems: 20, items: str(120) },
    rule: str(20),
    reason: str(500),
    via: { type: 'string', enum: ['phone', 'school'] },
    status: { type: 'string', enum: ['submitted', 'upheld', 'rejected', 'withdrawn'] },
    submittedAt: ISO_TIME,
    submittedBy: str(64),
    submittedByName: str(50),
    decidedAt: ISO_TIME,
    decidedBy: str(64),
    decidedByName: str(50),
    decidedOrgId: str(40),
    decidedOrgName: str(100),
    opinion: str(500),
    updatedAt: ISO_TIME,
    updatedBy: str(64),
  },
  required: [
    'id',
    'schoolId',
    'orgPath',
    'studentId',
    'taskIds',
    'reason',
    'via',
    'status',
    'submittedAt',
    'submittedBy',
    'updatedAt',
    'updatedBy',
  ],
  indexes: ['studentId'],
};
