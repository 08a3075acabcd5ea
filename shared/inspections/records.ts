// The records of the `inspections` collection (issue 14), one lifecycle grouped by `kind` (DESIGN.md "Local
// database"): a bureau's 抽查计划 (the draw's inputs, result and public list), its own checklist templates,
// an inspection per drawn school (the on-site record), its 检查报告, its follow-ups (整改事项) and a school's
// self-check. Who sees them is the authority table (`inspections`, and `…@inspections` for their history,
// evidence and conflicts); what each party may write at which step is workflow.ts; scope.ts says whom a
// record concerns. Ids are short and, where one record follows from another, derived from it.
import type { ArchiveItemState } from '../domain/student';
import type { CheckFinding, EvidenceRef } from './checklist';
import type { DrawResult } from './draw';
import type { DrawInspector, DrawMatter, DrawObject, DrawSize } from './draw-input';
import { sha256Hex } from './draw-random';
import type { StudentSample } from './sample';
import type { ChecklistTemplate, TemplateRef } from './templates';

export type InspectionKind = 'plan' | 'template' | 'inspection' | 'report' | 'followUp' | 'selfCheck';

export const INSPECTION_KIND_LABELS: Record<InspectionKind, string> = {
  plan: '抽查计划',
  template: '检查清单模板',
  inspection: '实地核查',
  report: '检查报告',
  followUp: '整改事项',
  selfCheck: '学校自查',
};

type Stamps = { createdAt: string; createdBy: string; updatedAt: string; updatedBy: string };

type Base = Stamps & {
  id: string;
  kind: InspectionKind;
  /**
   * The org the record is kept under (its history and attachments name it): the inspected school for an
   * inspection, its report and follow-ups and for a self-check; the bureau for a plan or a template.
   */
  schoolId: string;
  /** the bureau that runs the inspection (the school itself for a self-check) */
  bureauId: string;
  /** org path of `schoolId` */
  orgPath: string;
  /** Chinese, for lists and messages */
  title: string;
};

// ---- plan ---------------------------------------------------------------------------------------------

export type PlanStatus = 'draft' | 'published';

export type PlanDoc = Base & {
  kind: 'plan';
  status: PlanStatus;
  matter: DrawMatter;
  /** 一单两库: the objects (the bureau's schools, with risk weights) and the inspector pool as drawn from */
  inputs: {
    objects: DrawObject[];
    inspectors: (DrawInspector & { enforcementId: string | null; conflicts: string[] })[];
    size: DrawSize;
    perObject: number;
  };
  /** the seed as typed (a text; "42" and 42 draw alike) */
  seed?: string;
  /** the draw's result, re-run by the server on every write (verifyDraw) */
  draw?: DrawResult;
  /** YYYY-MM-DD of the draw (the public list's date) */
  drawDate?: string;
  drawnAt?: string;
  drawnBy?: string;
  /** the checklist template each drawn school is inspected with, by school type */
  templates: { vocational: TemplateRef; k12: TemplateRef };
  /** 一公开: set when the bureau publishes; the public list is publishDraw(draw, inputs, drawDate) */
  publishedAt?: string;
  publishedBy?: string;
  /** planned visit window, YYYY-MM-DD */
  visitFrom?: string;
  visitTo?: string;
};

// ---- template -----------------------------------------------------------------------------------------

export type TemplateDoc = Base & { kind: 'template'; status: 'active'; template: ChecklistTemplate };

// ---- inspection (the on-site record) ------------------------------------------------------------------

export type InspectionStatus = 'assigned' | 'onSite' | 'recorded' | 'published';

export const INSPECTION_STATUS_LABELS: Record<InspectionStatus, string> = {
  assigned: '待检查',
  onSite: '检查中',
  recorded: '已签字',
  published: '已公开',
};

export type AssignedInspector = { userId: string; name: string; enforcementId: string };

/** An inspector present on site: showed the enforcement ID and confirmed no conflict (R-INSP-2, -RECUSE). */
export type Presence = {
  name: string;
  enforcementId: string;
  noConflict: boolean;
  confirmedAt: string;
};

export type FilledCheck = { finding: CheckFinding | null; notes: string; evidence: EvidenceRef[] };

/** Per part of a sampled student's folder: what the paper shows ('present' / 'missing' / 'notDue'). */
export type SampleCheck = {
  name: string;
  grade: string;
  classId: string;
  schoolNo?: string;
  /** what the school's checklist claims, as the visit pack held it */
  claimed: Record<string, ArchiveItemState>;
  /** what the inspector found in the folder, part by part (a part not yet looked at is absent) */
  found: Record<string, ArchiveItemState>;
  note?: string;
  checkedAt?: string;
};

export type DuplicateCheck = {
  checkedAt: string;
  /** when the visit pack the check read was built */
  packBuiltAt: string;
  students: number;
  /** pairs of this school's active records with one ID number */
  within: number;
  /** this school's active records whose ID number is also active at another school */
  elsewhere: number;
  /** records whose ID number fails its check digit or disagrees with the birth date */
  invalid: number;
  /** ID numbers typed from papers on site and what the index said (never the number itself) */
  lookups: { at: string; result: string }[];
  note?: string;
};

export type Signature = {
  role: 'inspector' | 'schoolHead';
  name: string;
  /** the inspector's user id (absent for the school's head) */
  userId?: string;
  /** SHA-256 of the PNG drawn on screen: an attachment of this inspection */
  sha256: string;
  signedAt: string;
};

/** The server's record of each visit pack it built (the sample's roster is checked against it). */
export type PackStamp = { builtAt: string; builtBy: string; rosterHash: string; rosterSize: number };

export type InspectionDoc = Base & {
  kind: 'inspection';
  status: InspectionStatus;
  planId: string;
  matter: DrawMatter;
  schoolName: string;
  bureauName: string;
  inspectors: AssignedInspector[];
  /** the template version used, kept whole: the record always shows the items as they were */
  template: ChecklistTemplate;
  drawDate: string;
  packs?: PackStamp[];
  startedAt?: string;
  endedAt?: string;
  /** by inspector user id */
  present?: Record<string, Presence>;
  /** by template item id */
  checks?: Record<string, FilledCheck>;
  sample?: StudentSample & { drawnAt: string; drawnBy: string };
  /** by student id */
  sampleChecks?: Record<string, SampleCheck>;
  duplicates?: DuplicateCheck;
  problems?: string;
  handling?: string;
  schoolHead?: string;
  /** by signer key: the inspector's user id, or "schoolHead" */
  signatures?: Record<string, Signature>;
  recordedAt?: string;
  recordedBy?: string;
  /** R-PUBLISH-20: when and where the results were made public */
  publication?: { on: string; where: string; by: string; at: string };
};

// ---- report -------------------------------------------------------------------------------------------

export type ReportStatus = 'draft' | 'issued' | 'received';

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  draft: '草稿',
  issued: '已送达',
  received: '学校已签收',
};

export type ReportDoc = Base & {
  kind: 'report';
  status: ReportStatus;
  inspectionId: string;
  docNo?: string;
  issuer: string;
  schoolName: string;
  inspectionDate: string;
  inspectionEndDate?: string;
  reportDate: string;
  /** the inspectors' names as the report lists them */
  inspectorNames: string[];
  content: string;
  situation: string;
  evaluation: string;
  suggestions: string;
  issuedAt?: string;
  issuedBy?: string;
  receivedAt?: string;
  receivedBy?: string;
  receivedByName?: string;
};

// ---- follow-up (整改事项) ---------------------------------------------------------------------------------

export type FollowUpStatus = 'open' | 'answered' | 'closed';

export const FOLLOW_UP_STATUS_LABELS: Record<FollowUpStatus, string> = {
  open: '待整改',
  answered: '已回复',
  closed: '已销号',
};

export type FollowUpAnswer = {
  text: string;
  evidence: EvidenceRef[];
  at: string;
  by: string;
  byName: string;
};

export type FollowUpReview = {
  decision: 'close' | 'reopen';
  note: string;
  at: string;
  by: string;
  byName: string;
};

export type FollowUpDoc = Base & {
  kind: 'followUp';
  status: FollowUpStatus;
  inspectionId: string;
  itemId: string;
  itemNo: string;
  itemTitle: string;
  problem: string;
  requirement: string;
  /** YYYY-MM-DD by which the school answers (optional) */
  dueDate?: string;
  answers: FollowUpAnswer[];
  reviews: FollowUpReview[];
};

// ---- self-check ---------------------------------------------------------------------------------------

export type SelfCheckDoc = Base & {
  kind: 'selfCheck';
  status: 'open' | 'done';
  template: ChecklistTemplate;
  checks: Record<string, FilledCheck>;
  /** what the app found in the school's own data when the check was run (selfcheck.ts) */
  findings?: {
    computedAt: string;
    students: number;
    archiveGaps: number;
    incompleteFolders: number;
    lateChanges: number;
    duplicates: number;
    invalidIds: number;
  };
  doneAt?: string;
};

export type InspectionRecord = PlanDoc | TemplateDoc | InspectionDoc | ReportDoc | FollowUpDoc | SelfCheckDoc;

// ---- ids ----------------------------------------------------------------------------------------------

const short = (text: string) => sha256Hex(text).slice(0, 16);

/** A new plan's id from a fresh random id of the app. */
export const planIdOf = (random: string) => `P${short(`plan|${random}`)}`;
/** The inspection of one drawn school of a plan: the same on every server and in every test. */
export const inspectionIdOf = (planId: string, schoolId: string) => `I${short(`${planId}|${schoolId}`)}`;
/** One report per inspection. */
export const reportIdOf = (inspectionId: string) => `R${short(`report|${inspectionId}`)}`;
/** The follow-up the server opens for a non-conforming item of an inspection. */
export const followUpIdOf = (inspectionId: string, itemId: string) =>
  `F${short(`${inspectionId}|${itemId}`)}`;
/** A bureau's template version as a record. */
export const templateDocIdOf = (ref: { id: string; version: number }) =>
  `T${short(`${ref.id}@${ref.version}`)}`;
export const selfCheckIdOf = (random: string) => `C${short(`self|${random}`)}`;

export const ID_PREFIX: Record<InspectionKind, string> = {
  plan: 'P',
  template: 'T',
  inspection: 'I',
  report: 'R',
  followUp: 'F',
  selfCheck: 'C',
};

/** Does the id have its kind's form (a letter and 16 hex digits)? */
export function idFitsKind(id: string, kind: InspectionKind): boolean {
  return new RegExp(`^${ID_PREFIX[kind]}[0-9a-f]{16}$`).test(id);
}
