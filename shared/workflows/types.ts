// The shapes of status and info changes (DOMAIN.md "Status changes"; issue 12): a change request is one
// document of the `changeRequests` collection that every party of it replicates. Its workflow state
// (status, the step waiting, which decision counted) is derived from its decisions by `deriveState`
// (state.ts), so the app and the server compute it the same way and a pushed state that does not follow
// from its decisions is refused.
import type { Ymd } from '../calendar/dates';
import type { Finding } from '../rules/types';

/** The change types (the names the rules use, shared/rules/types.ts RULE_CHANGE_TYPES). */
export const CHANGE_TYPES = {
  enrolment: '新生注册',
  graduation: '毕业',
  transfer: '转学',
  majorChange: '转专业',
  repeat: '留级',
  skip: '跳级',
  suspension: '休学',
  resumption: '复学',
  withdrawal: '退学',
  cancellation: '注销',
  death: '死亡',
  abroad: '出国(境)',
  studyFormChange: '学习形式变更',
  restore: '恢复学籍',
  infoChange: '基本信息变更',
} as const;

export type ChangeType = keyof typeof CHANGE_TYPES;

export const CHANGE_TYPE_IDS = Object.keys(CHANGE_TYPES) as ChangeType[];

export function isChangeType(v: unknown): v is ChangeType {
  return typeof v === 'string' && Object.hasOwn(CHANGE_TYPES, v);
}

export const REQUEST_STATUSES = {
  draft: '草稿',
  submitted: '审核中',
  approved: '已通过',
  rejected: '已退回',
  withdrawn: '已撤回',
} as const;

export type RequestStatus = keyof typeof REQUEST_STATUSES;

/** Final states: nothing but filing the paper copy (approved) changes them. */
export const FINAL_STATUSES: readonly RequestStatus[] = ['approved', 'rejected', 'withdrawn'];

/** Who decides a step: the level of the org, which party of a transfer, and the role that acts there. */
export type StepLevel = 'school' | 'county' | 'city' | 'province';

export type RouteStep = {
  level: StepLevel;
  /** 'own': the school of the request and its bureaus; 'other': the sending side of a transfer */
  side: 'own' | 'other';
  role: 'schoolAdmin' | 'bureau' | 'province';
  /** the org that decides; '' while it is not known on this copy (resolved by the server at submission) */
  orgId: string;
  orgName: string;
  /** the opinion cell's title on the form, e.g. 转入学校意见 */
  title: string;
};

export type DecisionValue = 'approve' | 'reject';

export const DECISION_LABELS: Record<DecisionValue, string> = { approve: '同意', reject: '不同意（退回）' };

/** One decision of one step (the submission is the decision of step 0 by the school). */
export type Decision = {
  id: string;
  step: number;
  decision: DecisionValue;
  opinion: string;
  by: string;
  byName: string;
  orgId: string;
  orgName: string;
  /** ISO time the person decided (their machine's clock; the server checks it is not in the future) */
  at: string;
  /**
   * Set (derived) when the step had already been decided when this decision reached the server: kept
   * visibly, not counted — two bureau users deciding one step offline, the first to arrive decides.
   */
  late?: boolean;
};

/** The key data of a student as the request shows and prints it (a snapshot at submission). */
export type StudentSnapshot = {
  id?: string;
  name: string;
  gender: string;
  birthDate?: string;
  idType?: string;
  idNo: string;
  statusNo?: string;
  auxNo?: string;
  grade: string;
  classId: string;
  major?: string;
  studyForm?: string;
  enrolYearMonth?: string;
  status?: string;
  schoolId?: string;
  schoolName?: string;
};

/** One changed field of an info change (基本信息变更): the recorded value, the correct one, why. */
export type ChangeItem = { field: string; before: string; after: string; reason: string };

export const PROOF_KINDS = {
  application: '申请书',
  signedForm: '签字盖章的审批表',
  hukouMove: '户籍迁移证明',
  jobMove: '工作调动证明',
  medical: '医疗诊断证明',
  deathCertificate: '死亡证明',
  abroadProof: '出国（境）证明（护照、签证等）',
  idProof: '户口簿或身份证件',
  birthCertificate: '出生医学证明',
  appealDecision: '申诉决定书',
  enrolmentList: '录取名单',
  graduateList: '毕业生名册',
  other: '其他证明材料',
} as const;

export type ProofKind = keyof typeof PROOF_KINDS;

/** A proof attached to a request: its kind and the attachment record (`school:sha256`) with its name. */
export type Proof = { kind: ProofKind; name: string; attachmentId?: string };

/** A written reason for a finding at level `warn` (R-FLEX: "原则上不予…", allowed with a reason). */
export type WarnReason = { rule: string; reason: string };

/** What approval did to one student: the fields it changed, before and after (a restore reads it). */
export type AppliedChange = {
  studentId: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
};

export type Applied = {
  /** ISO time the server applied it, and its date in China */
  at: string;
  on: Ymd;
  changes: AppliedChange[];
};

export type ChangeRequestDoc = {
  id: string;
  type: ChangeType;
  /** the school that starts the request (a transfer: the receiving school) */
  schoolId: string;
  orgPath: string;
  /** the students concerned (one, or up to BATCH_MAX for a class's graduation or enrolment) */
  studentIds: string[];
  students: StudentSnapshot[];
  /** a transfer: the sending school, as the R-ONE lookup named it */
  fromSchoolId?: string;
  fromSchoolName?: string;
  /** the type's own fields (toGrade, startDate, …): definitions.ts names them */
  details: Record<string, string>;
  /** an info change: the changed fields */
  items?: ChangeItem[];
  reason: string;
  applicant: { name: string; relation?: string; phone?: string };
  /** the day the student or the family applied (R-1WEEK counts from it) */
  appliedOn: Ymd;
  proofs: Proof[];
  warnReasons?: WarnReason[];
  /** why the school starts it, when a rule asks for it (R-MISS-2-4 → the verification consequence) */
  basis?: { rule: string; note?: string };
  /** R-ESCALATE: the province approves too (server-computed at submission) */
  escalated?: boolean;
  /** the steps, resolved to orgs (server-computed at submission; the app shows its own guess before) */
  route: RouteStep[];
  decisions: Decision[];
  withdrawn?: { at: string; by: string; byName: string; reason: string };
  /** derived from route, decisions and withdrawn (state.ts) */
  status: RequestStatus;
  /** derived: the index of the step waiting (= route.length once approved) */
  step: number;
  /** the rule findings of the last check (server-computed at submission and at each decision) */
  findings?: Finding[];
  /** what approval did (server-written) */
  applied?: Applied;
  /** the signed and stamped paper copy is in the student's paper archive (YQ 二(五)) */
  filed?: { at: string; by: string; byName: string };
  createdAt: string;
  createdBy: string;
  createdByName?: string;
  updatedAt: string;
  updatedBy: string;
};

/** How many students one request may carry (a class). */
export const BATCH_MAX = 100;

/** Who acts on a request (the signed-in user as the authority table sees them, with names for R-WHO). */
export type WorkflowActor = {
  id: string;
  name: string;
  role: 'province' | 'bureau' | 'schoolAdmin' | 'counselor' | 'inspector';
  orgId: string;
  orgName: string;
  orgPath: string;
};

/** A refusal of a workflow step: the rule or code, the Chinese reason (naming the rule), the field. */
export type WorkflowRefusal = { ok: false; code: string; reason: string; field?: string };
