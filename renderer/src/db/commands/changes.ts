// Status and info changes (学籍异动, 基本信息变更; issue 12): a school's draft, its submission, a step's
// decision, a withdrawal, the filing of the signed paper copy (which ticks the student's paper archive,
// YQ 二(五)), and a proof attached through the attachment queue. Every act is built by shared/workflows
// (build.ts) and passes decideTransition with this copy's facts — the function the server runs on the
// push — so what the app lets through is what the server accepts, and a refusal names its rule here first.
import { markParts } from '../../../../shared/archive/checklist';
import { refuse } from '../../../../shared/commands/types';
import { recordFormPart } from '../../../../shared/domain/archive';
import {
  attachmentProblem,
  attachmentRecordId,
  SCAN_TYPES,
} from '../../../../shared/domain/attachment-types';
import type { AttachmentDoc, EventDoc, OrgDoc } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import type { FieldError } from '../../../../shared/validate/fields';
import {
  buildFacts,
  type ChangeItem,
  type ChangeRequestDoc,
  type ChangeType,
  type DecisionValue,
  type DraftInput,
  decideTransition,
  editDraft,
  newDraft,
  type Proof,
  type ProofKind,
  type StudentSnapshot,
  type WarnReason,
  type WorkflowActor,
  type WorkflowRefusal,
  withDecision,
  withFiling,
  withSubmission,
  withWithdrawal,
} from '../../../../shared/workflows';
import { readAccount } from '../../sync/account';
import { putBlob } from '../attachment-store';
import type { CommandContext } from '../command-context';

/**
 * A signed form about one student's record is in the paper archive: its part (recordFormPart) ticked
 * present, and an event of the filing (R-WHO). `reason` makes the event say which form even when the
 * part was already present (the yearly sheet); without it nothing is written then. Nothing is half
 * written: without its event the tick is taken back.
 */
async function fileRecordForm(
  ctx: CommandContext,
  studentId: string,
  action: string,
  reason?: string,
): Promise<{ name: string; changed: boolean } | null> {
  const doc = await ctx.db.students.findOne(studentId).exec();
  if (!doc) return null;
  const student = doc.toJSON() as Student;
  const part = recordFormPart(ctx.settings?.schoolType ?? 'k12');
  const mark = { at: ctx.env.now(), by: ctx.env.actor.name };
  const change = markParts(student, { [part.id]: 'present' }, mark);
  const changed = Object.keys(change.after).length > 0;
  if (!changed && !reason) return { name: student.name, changed };
  if (changed)
    await doc.incrementalModify((s) => ({
      ...s,
      archive: change.archive,
      updatedAt: mark.at,
      updatedBy: ctx.env.actor.id,
    }));
  const prefix = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [`archive.${k}`, v]));
  const event: EventDoc = {
    id: ctx.env.newId(),
    schoolId: student.schoolId,
    entity: 'student',
    entityId: student.id,
    action,
    at: mark.at,
    by: ctx.env.actor.id,
    byName: ctx.env.actor.name,
    ...(reason ? { reason } : {}),
    before: changed ? prefix(change.before) : {},
    after: changed ? prefix(change.after) : {},
  };
  try {
    await ctx.db.events.insert(event);
  } catch (error) {
    if (changed) await doc.incrementalModify((s) => ({ ...s, archive: student.archive }));
    throw error;
  }
  return { name: student.name, changed };
}

/** Who acts, as the server will see them: the signed-in account, else the user this copy was adopted for. */
export async function workflowActorOf(ctx: CommandContext): Promise<WorkflowActor | null> {
  const account = await readAccount(ctx.db);
  const orgId = account?.user.orgId ?? ctx.orgId;
  if (!orgId) return null;
  const org = (await ctx.db.orgs.findOne(orgId).exec())?.toJSON() as OrgDoc | undefined;
  if (account)
    return {
      id: account.user.id,
      name: account.user.displayName || ctx.env.actor.name,
      role: account.user.role,
      orgId,
      orgName: account.user.orgName || org?.name || '',
      orgPath: account.user.orgPath,
    };
  const adopted = ctx.installation?.user;
  return {
    id: adopted?.id ?? ctx.env.actor.id,
    name: ctx.env.actor.name,
    role: adopted?.role ?? 'schoolAdmin',
    orgId,
    orgName: org?.name ?? '',
    orgPath: adopted?.orgPath ?? org?.path ?? '',
  };
}

const asErrors = (r: WorkflowRefusal): FieldError[] => [
  { field: r.field ?? 'request', code: r.code, message: r.reason },
];

async function allOrgs(ctx: CommandContext): Promise<OrgDoc[]> {
  return (await ctx.db.orgs.find().exec()).map((d) => d.toJSON() as OrgDoc);
}

/** The facts of this copy for one request: its school's settings, the students, their other requests. */
async function factsFor(ctx: CommandContext, req: Pick<ChangeRequestDoc, 'schoolId' | 'studentIds'>) {
  const orgs = await allOrgs(ctx);
  const students = (await ctx.db.students.findByIds(req.studentIds).exec()).values();
  const requests = (
    await ctx.db.changeRequests.find({ selector: { studentIds: { $in: req.studentIds } } }).exec()
  ).map((d) => d.toJSON() as ChangeRequestDoc);
  return {
    orgs,
    facts: buildFacts({
      schoolId: req.schoolId,
      orgs,
      students: [...students].map((d) => d.toJSON() as Student),
      requests,
      now: ctx.env.now(),
    }),
  };
}

/** Checks one act against the workflow and stores its result (the server decides again on the push). */
async function store(ctx: CommandContext, before: ChangeRequestDoc | null, after: ChangeRequestDoc) {
  const actor = await workflowActorOf(ctx);
  if (!actor) return refuse({ field: 'request', code: 'NO_DESK', message: '本机尚未完成初始设置' });
  const { facts } = await factsFor(ctx, after);
  const r = decideTransition(before, after, actor, facts);
  if (!r.ok) return { ok: false as const, errors: asErrors(r), draft: r.draft };
  if (before) {
    const doc = await ctx.db.changeRequests.findOne(before.id).exec();
    if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该申请，可能已被撤回或删除' });
    await doc.incrementalModify(() => r.doc);
  } else await ctx.db.changeRequests.insert(r.doc);
  return { ok: true as const, id: r.doc.id, request: r.doc };
}

async function current(ctx: CommandContext, id: string): Promise<ChangeRequestDoc | null> {
  return ((await ctx.db.changeRequests.findOne(id).exec())?.toJSON() as ChangeRequestDoc | undefined) ?? null;
}

const clockOf = (ctx: CommandContext) => ({ now: ctx.env.now, newId: ctx.env.newId });

const NOT_FOUND = { field: 'id', code: 'NOT_FOUND', message: '找不到该申请，可能尚未同步到本机' };

export type DraftArgs = {
  type: ChangeType;
  studentIds?: string[];
  transferIn?: { student: StudentSnapshot; fromSchoolId: string; fromSchoolName: string };
  details?: Record<string, string>;
  items?: ChangeItem[];
  reason?: string;
  applicant?: ChangeRequestDoc['applicant'];
  appliedOn?: string;
  warnReasons?: WarnReason[];
};

export type DraftPatch = Partial<
  Pick<
    ChangeRequestDoc,
    'details' | 'items' | 'reason' | 'applicant' | 'appliedOn' | 'proofs' | 'warnReasons'
  >
>;

export const changeCommands = {
  /** A new draft of the school's request for its students (or a transfer-in of a student found by R-ONE). */
  async 'change-draft'(ctx: CommandContext, args: DraftArgs) {
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse({ field: 'request', code: 'NO_DESK', message: '本机尚未完成初始设置' });
    const orgs = await allOrgs(ctx);
    const school = orgs.find((o) => o.id === actor.orgId);
    if (school?.kind !== 'school')
      return refuse({ field: 'schoolId', code: 'WRONG_PARTY', message: '学籍异动由学校的学籍管理员发起' });
    const students = args.studentIds?.length
      ? [...(await ctx.db.students.findByIds(args.studentIds).exec()).values()].map(
          (d) => d.toJSON() as Student,
        )
      : [];
    if (!args.transferIn && students.length === 0)
      return refuse({ field: 'studentIds', code: 'REQUIRED', message: '请选择要办理的学生' });
    const input: DraftInput = {
      type: args.type,
      school,
      students,
      ...(args.transferIn ? { transferIn: args.transferIn } : {}),
      details: args.details ?? {},
      ...(args.items ? { items: args.items } : {}),
      reason: args.reason ?? '',
      applicant: args.applicant ?? { name: '' },
      ...(args.appliedOn ? { appliedOn: args.appliedOn } : {}),
      ...(args.warnReasons?.length ? { warnReasons: args.warnReasons } : {}),
    };
    return store(ctx, null, newDraft(input, actor, orgs, clockOf(ctx)));
  },

  /** Edits a draft's content (a submitted or decided request is locked: the workflow refuses it). */
  async 'change-save'(ctx: CommandContext, args: { id: string; patch: DraftPatch }) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    return store(ctx, before, editDraft(before, args.patch, actor, clockOf(ctx)));
  },

  /** The school submits its draft with its opinion (step 0); the rules run again here and on the server. */
  async 'change-submit'(ctx: CommandContext, args: { id: string; opinion: string; patch?: DraftPatch }) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    const edited = args.patch ? editDraft(before, args.patch, actor, clockOf(ctx)) : before;
    return store(ctx, before, withSubmission(edited, args.opinion, actor, clockOf(ctx)));
  },

  /**
   * The rule checks of a submission, without storing anything (shown before 提交): the findings, or the
   * refusal with its rule — the same decision the submission will get here and on the server.
   */
  async 'change-preview'(ctx: CommandContext, args: { id: string; opinion: string; patch?: DraftPatch }) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    const edited = args.patch ? editDraft(before, args.patch, actor, clockOf(ctx)) : before;
    const { facts } = await factsFor(ctx, edited);
    const r = decideTransition(
      before,
      withSubmission(edited, args.opinion, actor, clockOf(ctx)),
      actor,
      facts,
    );
    if (!r.ok) return { ok: false as const, errors: asErrors(r) };
    return { ok: true as const, findings: r.doc.findings ?? [] };
  },

  /** A decision of the step waiting for this user: approve or reject with an opinion. */
  async 'change-decide'(ctx: CommandContext, args: { id: string; decision: DecisionValue; opinion: string }) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    return store(ctx, before, withDecision(before, args.decision, args.opinion, actor, clockOf(ctx)));
  },

  async 'change-withdraw'(ctx: CommandContext, args: { id: string; reason: string }) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    return store(ctx, before, withWithdrawal(before, args.reason, actor, clockOf(ctx)));
  },

  /**
   * The signed and stamped paper form is in the student's paper archive (YQ 二(五)): the request records
   * it, and the archive part of status records (学籍基础信息表及变更记录 / 基本信息) is ticked present.
   */
  async 'change-file'(ctx: CommandContext, args: { id: string }) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    const r = await store(ctx, before, withFiling(before, actor, clockOf(ctx)));
    if (!r.ok) return r;
    const ticked: string[] = [];
    for (const id of before.studentIds) {
      const filed = await fileRecordForm(ctx, id, 'archive-mark');
      if (filed?.changed) ticked.push(filed.name);
    }
    return { ...r, ticked };
  },

  /**
   * The yearly 学生基本信息确认表 came back checked and signed by the family (issue 12, YQ 二(五)): each
   * student's filing is an event of the year's sheet, and the record-form part of the paper archive is
   * ticked present. Corrections on the sheet are entered as 信息变更 requests (the return screen's link).
   */
  async 'info-confirm-file'(ctx: CommandContext, args: { studentIds: readonly string[] }) {
    if (args.studentIds.length === 0)
      return refuse({ field: 'studentIds', code: 'REQUIRED', message: '请选择已交回确认表的学生' });
    const year = `${ctx.env.now().slice(0, 4)}年度`;
    const filed: string[] = [];
    const missing: string[] = [];
    for (const id of args.studentIds) {
      const r = await fileRecordForm(
        ctx,
        id,
        'info-confirm-file',
        `${year}学生基本信息确认表经家长核对签字，已归入纸质档案`,
      );
      if (r) filed.push(r.name);
      else missing.push(id);
    }
    if (missing.length && filed.length === 0)
      return refuse({ field: 'studentIds', code: 'NOT_FOUND', message: '找不到所选学生，可能已不在本校' });
    return { ok: true as const, filed, missing };
  },

  /** A proof of a draft (scan or file): bytes in the file store, its record for the attachment queue. */
  async 'change-attach'(
    ctx: CommandContext,
    args: { id: string; kind: ProofKind; name: string; mime: string; bytes: ArrayBuffer },
  ) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    if (!SCAN_TYPES.includes(args.mime))
      return refuse({
        field: 'proofs',
        code: 'SCAN_TYPE',
        message: `“${args.name}”不是图片或 PDF，不能作为证明材料`,
      });
    const problem = attachmentProblem({
      name: args.name,
      mime: args.mime,
      size: args.bytes.byteLength,
      kind: 'scan',
    });
    if (problem) return refuse({ field: 'proofs', code: 'SCAN_FILE', message: problem.message });
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    const sha256 = await putBlob(args.bytes, args.mime);
    const at = ctx.env.now();
    const meta: AttachmentDoc = {
      id: attachmentRecordId(before.schoolId, sha256),
      sha256,
      schoolId: before.schoolId,
      orgPath: before.orgPath,
      name: args.name.slice(0, 200),
      mime: args.mime,
      size: args.bytes.byteLength,
      entity: 'changeRequest',
      entityId: before.id,
      kind: 'scan',
      createdAt: at,
      createdBy: actor.id,
      updatedAt: at,
      updatedBy: actor.id,
    };
    if (!(await ctx.db.attachments.findOne(meta.id).exec())) await ctx.db.attachments.insert(meta);
    const proof: Proof = { kind: args.kind, name: meta.name, attachmentId: meta.id };
    // the same file may prove two things (one scan of an application and a certificate): one entry per kind
    const proofs = [
      ...before.proofs.filter((p) => !(p.attachmentId === meta.id && p.kind === args.kind)),
      proof,
    ];
    return store(ctx, before, editDraft(before, { proofs }, actor, clockOf(ctx)));
  },

  /** Removes a proof from a draft (the file stays in the store; nothing is lost). */
  async 'change-detach'(ctx: CommandContext, args: { id: string; attachmentId: string; kind: ProofKind }) {
    const before = await current(ctx, args.id);
    if (!before) return refuse(NOT_FOUND);
    const actor = await workflowActorOf(ctx);
    if (!actor) return refuse(NOT_FOUND);
    const proofs = before.proofs.filter(
      (p) => !(p.attachmentId === args.attachmentId && p.kind === args.kind),
    );
    return store(ctx, before, editDraft(before, { proofs }, actor, clockOf(ctx)));
  },
};
