// Inspection commands (issue 14): the bureau's plan (draw, publish), the inspector's visit step by step, the
// report and the follow-ups. Every decision is a function of shared/inspections (plan.ts, visit.ts,
// print.ts), which the server runs again on every pushed row (workflow.ts); each step is written to the
// local database at once with its event (R-WHO), so a visit survives sleep, a closed app or a crash, and
// goes on with the network off. Evidence bytes (photos, recordings, signatures) go to the file store and
// an attachment record of the inspection (entity "inspection"): the attachment queue uploads them later.

import { chinaDate } from '../../../../shared/calendar/china';
import { refuse } from '../../../../shared/commands/types';
import {
  ATTACHMENT_MAX_BYTES,
  attachmentProblem,
  evidenceRecordId,
} from '../../../../shared/domain/attachment-types';
import { type AttachmentDoc, clipJson, type EventDoc } from '../../../../shared/domain/schemas';
import type { ArchiveItemState } from '../../../../shared/domain/student';
import {
  type CheckFinding,
  type EvidenceRef,
  type FileEvidence,
  recordFinding,
} from '../../../../shared/inspections/checklist';
import type { InputProblem, Parsed } from '../../../../shared/inspections/draw-input';
import type { VisitPack } from '../../../../shared/inspections/pack';
import {
  changePlan,
  type DrawRegister,
  drawPlan,
  newPlan,
  type PlanChange,
  publishPlan,
} from '../../../../shared/inspections/plan';
import { draftReport } from '../../../../shared/inspections/print';
import {
  type FollowUpDoc,
  type InspectionDoc,
  type InspectionRecord,
  type PlanDoc,
  planIdOf,
  type ReportDoc,
  reportIdOf,
  type SelfCheckDoc,
} from '../../../../shared/inspections/records';
import { newSelfCheck, type SelfCheckResult } from '../../../../shared/inspections/selfcheck';
import type { ChecklistTemplate } from '../../../../shared/inspections/templates';
import {
  checkSamplePart,
  completeVisit,
  confirmPresence,
  drawVisitSample,
  filledChecklist,
  keepEvidence,
  recordLookup,
  runDuplicateCheck,
  setFinding,
  setRecordText,
  setSampleNote,
  sign,
  startVisit,
} from '../../../../shared/inspections/visit';
import { reportFormProblem } from '../../../../shared/inspections/workflow';
import { putBlob } from '../attachment-store';
import type { CommandContext } from '../command-context';

/** The local document holding an inspection's visit pack (downloaded before the visit, read offline). */
export const packDocId = (inspectionId: string) => `visit-pack-${inspectionId}`;
/** The local document holding the bureau's draw register (the last one fetched). */
export const REGISTER_DOC = 'draw-register';

/** Who acts: the provincial account's user id (the server checks updatedBy against it, R-WHO). */
function who(ctx: CommandContext): { id: string; name: string } {
  return { id: ctx.installation?.user?.id ?? ctx.env.actor.id, name: ctx.env.actor.name };
}

const fail = (problems: InputProblem[]) =>
  refuse(...problems.map((p) => ({ field: p.field, code: 'INSPECTION', message: p.message })));

/** Writes an inspection record changed by `step` with its event; refused steps write nothing. */
async function change<T extends InspectionRecord>(
  ctx: CommandContext,
  id: string,
  kind: T['kind'],
  action: string,
  step: (current: T, at: string, by: { id: string; name: string }) => Parsed<T>,
) {
  const doc = await ctx.db.inspections.findOne(id).exec();
  if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该检查记录' });
  const actor = who(ctx);
  const at = ctx.env.now();
  let outcome: Parsed<T> | null = null;
  let before: T | null = null;
  if (doc.kind !== kind) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该检查记录' });
  await doc.incrementalModify((current) => {
    before = current as unknown as T;
    outcome = step(current as unknown as T, at, actor);
    if (!outcome.ok) return current;
    return { ...outcome.value, updatedAt: at, updatedBy: actor.id } as InspectionRecord;
  });
  const done = outcome as Parsed<T> | null;
  const prior = before as T | null;
  if (!done || !prior) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该检查记录' });
  if (!done.ok) return fail(done.problems);
  await writeEvent(ctx, prior, done.value, action, actor, at);
  return { ok: true as const };
}

/** The fields a step changed, before and after (R-WHO). */
async function writeEvent(
  ctx: CommandContext,
  before: InspectionRecord | null,
  after: InspectionRecord,
  action: string,
  actor: { id: string; name: string },
  at: string,
) {
  // The changed fields; a changed map (checks, presence, signatures, the sample's folders) one level
  // deeper ("checks.voc-1"), each value clipped to the bounds of an event's values.
  const diff = (b: Record<string, unknown>, a: Record<string, unknown>, prefix: string, depth: number) => {
    const out: [string, unknown, unknown][] = [];
    for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (depth === 0 && (k.startsWith('_') || k === 'updatedAt' || k === 'updatedBy')) continue;
      const [x, y] = [b[k], a[k]];
      if (JSON.stringify(x) === JSON.stringify(y)) continue;
      const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
      if (depth === 0 && (isMap(x) || x === undefined) && isMap(y) && k !== 'sample')
        out.push(...diff((x ?? {}) as Record<string, unknown>, y as Record<string, unknown>, `${k}.`, 1));
      else out.push([`${prefix}${k}`, x ?? null, y ?? null]);
    }
    return out;
  };
  const changes = diff(
    (before ?? {}) as Record<string, unknown>,
    after as Record<string, unknown>,
    '',
    0,
  ).slice(0, 60);
  const event: EventDoc = {
    id: ctx.env.newId(),
    schoolId: after.schoolId,
    entity: 'inspection',
    entityId: after.id,
    action,
    at,
    by: actor.id,
    byName: actor.name,
    before: Object.fromEntries(changes.map(([k, x]) => [k, clipJson(x)])),
    after: Object.fromEntries(changes.map(([k, , y]) => [k, clipJson(y)])),
  };
  await ctx.db.events.insert(event);
}

/** Keeps bytes as evidence of an inspection record: the file store and an attachment record. */
async function keepBytes(
  ctx: CommandContext,
  record: InspectionRecord,
  file: { name: string; mime: string; bytes: ArrayBuffer; kind: FileEvidence['kind'] },
): Promise<{ ok: true; evidence: FileEvidence } | ReturnType<typeof refuse>> {
  const problem = attachmentProblem({
    name: file.name,
    mime: file.mime,
    size: file.bytes.byteLength,
    kind: file.kind === 'photo' ? 'photo' : file.kind === 'audio' ? 'audio' : file.kind,
  });
  if (problem) return refuse({ field: 'file', code: 'EVIDENCE_FILE', message: problem.message });
  if (file.bytes.byteLength > ATTACHMENT_MAX_BYTES)
    return refuse({ field: 'file', code: 'EVIDENCE_FILE', message: `“${file.name}”过大，不能留存` });
  const sha256 = await putBlob(file.bytes, file.mime);
  const at = ctx.env.now();
  const actor = who(ctx);
  const meta: AttachmentDoc = {
    id: evidenceRecordId(record.id, sha256),
    sha256,
    schoolId: record.schoolId,
    orgPath: record.orgPath,
    name: file.name.slice(0, 200),
    mime: file.mime,
    size: file.bytes.byteLength,
    entity: 'inspection',
    entityId: record.id,
    kind: file.kind === 'scan' ? 'scan' : file.kind,
    createdAt: at,
    createdBy: actor.id,
    updatedAt: at,
    updatedBy: actor.id,
  };
  if (!(await ctx.db.attachments.findOne(meta.id).exec())) await ctx.db.attachments.insert(meta);
  return {
    ok: true,
    evidence: {
      kind: file.kind,
      sha256,
      name: meta.name,
      mime: file.mime,
      size: meta.size,
      capturedAt: at,
      capturedBy: actor.id,
    },
  };
}

async function readPack(ctx: CommandContext, inspectionId: string): Promise<VisitPack | null> {
  const local = await ctx.db.getLocal<VisitPack>(packDocId(inspectionId));
  return local ? (local.toJSON().data as VisitPack) : null;
}

export type VisitStep =
  | { kind: 'start' }
  | { kind: 'presence'; userId: string; enforcementId: string; noConflict: boolean }
  | { kind: 'finding'; itemId: string; finding?: CheckFinding | null; notes?: string }
  | { kind: 'text'; itemId: string; text: string }
  | { kind: 'sample'; n: number; seed: string }
  | { kind: 'samplePart'; studentId: string; partId: string; state: ArchiveItemState | null }
  | { kind: 'sampleNote'; studentId: string; note: string }
  | { kind: 'duplicates' }
  | { kind: 'lookup'; result: string }
  | { kind: 'recordText'; problems?: string; handling?: string; schoolHead?: string }
  | { kind: 'complete' };

export const inspectionCommands = {
  /** A school's self-check on a template, with what the app finds in its own data now (selfcheck.ts). */
  async 'selfcheck-start'(
    ctx: CommandContext,
    args: {
      school: { id: string; path: string; name: string };
      template: ChecklistTemplate;
      result: SelfCheckResult;
    },
  ) {
    const actor = who(ctx);
    const at = ctx.env.now();
    const doc = newSelfCheck({ random: ctx.env.newId(), ...args, at, by: actor.id });
    await ctx.db.inspections.insert(doc);
    await writeEvent(ctx, null, doc, 'selfcheck-start', actor, at);
    return { ok: true as const, id: doc.id };
  },

  /** An item of the self-check (符合 / 不符合 / 不适用, notes), or the self-check done. */
  async 'selfcheck-step'(
    ctx: CommandContext,
    args: { id: string; itemId?: string; finding?: CheckFinding | null; notes?: string; done?: boolean },
  ) {
    return change<SelfCheckDoc>(ctx, args.id, 'selfCheck', 'selfcheck-step', (d, at) => {
      if (d.status === 'done')
        return {
          ok: false,
          problems: [{ field: 'status', message: '自查已完成，不能再修改；可另行开始一次自查' }],
        };
      if (args.done) return { ok: true, value: { ...d, status: 'done', doneAt: at } };
      const filled = filledChecklist(d);
      const next = recordFinding(filled, args.itemId ?? '', {
        ...(args.finding !== undefined ? { finding: args.finding } : {}),
        ...(args.notes !== undefined ? { notes: args.notes } : {}),
      });
      if (!next.ok) return next;
      return {
        ok: true,
        value: {
          ...d,
          checks: Object.fromEntries(
            next.value.items.map((i) => [
              i.itemId,
              { finding: i.finding, notes: i.notes, evidence: i.evidence },
            ]),
          ),
        },
      };
    });
  },

  /** Keeps the draw register fetched from the server (the bureau's schools and inspectors). */
  async 'inspection-register-keep'(ctx: CommandContext, args: { register: DrawRegister }) {
    await ctx.db.upsertLocal(REGISTER_DOC, args.register);
    return { ok: true as const };
  },

  /** A new draft plan on the bureau's register. */
  async 'plan-create'(
    ctx: CommandContext,
    args: { register: DrawRegister; matterId: string; matterName: string },
  ) {
    const actor = who(ctx);
    const at = ctx.env.now();
    const matter = { id: args.matterId.trim(), name: args.matterName.trim() };
    if (!matter.id || !matter.name)
      return refuse({ field: 'matter', code: 'INSPECTION', message: '请填写抽查事项的编号和名称' });
    const plan = newPlan({
      id: planIdOf(ctx.env.newId()),
      register: args.register,
      matter,
      at,
      by: actor.id,
    });
    await ctx.db.inspections.insert(plan);
    await writeEvent(ctx, null, plan, 'plan-create', actor, at);
    return { ok: true as const, id: plan.id };
  },

  /** Changes a draft plan's inputs (objects and weights, inspectors, ratio or count, K, seed). */
  async 'plan-change'(ctx: CommandContext, args: { id: string; change: PlanChange; register: DrawRegister }) {
    return change<PlanDoc>(ctx, args.id, 'plan', 'plan-change', (p, at, by) =>
      changePlan(p, args.change, args.register, { at, by: by.id }),
    );
  },

  /** Runs the draw with the plan's seed (the day of the draw is its Beijing day). */
  async 'plan-draw'(ctx: CommandContext, args: { id: string }) {
    return change<PlanDoc>(ctx, args.id, 'plan', 'plan-draw', (p, at, by) =>
      drawPlan(p, { at, by: by.id, date: chinaDate(at) }),
    );
  },

  /** Publishes the draw (一公开); the server then opens one inspection per drawn school. */
  async 'plan-publish'(ctx: CommandContext, args: { id: string }) {
    return change<PlanDoc>(ctx, args.id, 'plan', 'plan-publish', (p, at, by) =>
      publishPlan(p, { at, by: by.id }),
    );
  },

  /** Keeps the visit pack downloaded before the visit (read offline on site). */
  async 'inspection-pack-keep'(ctx: CommandContext, args: { pack: VisitPack }) {
    await ctx.db.upsertLocal(packDocId(args.pack.inspectionId), args.pack);
    return { ok: true as const };
  },

  /** One step of the visit, written at once. */
  async 'inspection-step'(ctx: CommandContext, args: { id: string; step: VisitStep }) {
    const s = args.step;
    const pack = s.kind === 'sample' || s.kind === 'duplicates' ? await readPack(ctx, args.id) : null;
    if ((s.kind === 'sample' || s.kind === 'duplicates') && !pack)
      return refuse({
        field: 'pack',
        code: 'NO_PACK',
        message: '本机还没有下载本次检查的检查资料，请联网后下载',
      });
    return change<InspectionDoc>(ctx, args.id, 'inspection', `inspection-${s.kind}`, (doc, at, by) => {
      switch (s.kind) {
        case 'start':
          return startVisit(doc, at);
        case 'presence':
          return confirmPresence(doc, { ...s, at });
        case 'finding':
          return setFinding(doc, s.itemId, {
            ...(s.finding !== undefined ? { finding: s.finding } : {}),
            ...(s.notes !== undefined ? { notes: s.notes } : {}),
          });
        case 'text': {
          const text = s.text.trim();
          if (!text) return { ok: false, problems: [{ field: 'text', message: '请填写文字记录的内容' }] };
          const evidence: EvidenceRef = { kind: 'text', text, capturedAt: at, capturedBy: by.id };
          return keepEvidence(doc, s.itemId, evidence);
        }
        case 'sample':
          return drawVisitSample(doc, pack as VisitPack, s.n, s.seed, at, by.id);
        case 'samplePart':
          return checkSamplePart(doc, s.studentId, s.partId, s.state, at);
        case 'sampleNote':
          return setSampleNote(doc, s.studentId, s.note);
        case 'duplicates':
          return runDuplicateCheck(doc, pack as VisitPack, at);
        case 'lookup':
          return recordLookup(doc, s.result, at);
        case 'recordText':
          return setRecordText(doc, s);
        case 'complete':
          return completeVisit(doc, { at, by: by.id });
      }
    });
  },

  /** A photo or recording kept on an item (R-INSP-TRACE). */
  async 'inspection-evidence'(
    ctx: CommandContext,
    args: {
      id: string;
      itemId: string;
      kind: 'photo' | 'audio';
      name: string;
      mime: string;
      bytes: ArrayBuffer;
    },
  ) {
    const doc = await ctx.db.inspections.findOne(args.id).exec();
    if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该检查记录' });
    const kept = await keepBytes(ctx, doc.toJSON() as InspectionRecord, args);
    if (!kept.ok) return kept;
    return change<InspectionDoc>(ctx, args.id, 'inspection', 'inspection-evidence', (d) =>
      keepEvidence(d, args.itemId, kept.evidence),
    );
  },

  /** A signature drawn on screen (a JPEG on white) by an inspector (their user id) or the school's head. */
  async 'inspection-sign'(ctx: CommandContext, args: { id: string; key: string; jpeg: ArrayBuffer }) {
    const doc = await ctx.db.inspections.findOne(args.id).exec();
    if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该检查记录' });
    const kept = await keepBytes(ctx, doc.toJSON() as InspectionRecord, {
      name: `签名-${args.key === 'schoolHead' ? '被检查单位负责人' : '检查人员'}.jpg`,
      mime: 'image/jpeg',
      bytes: args.jpeg,
      kind: 'photo',
    });
    if (!kept.ok) return kept;
    return change<InspectionDoc>(ctx, args.id, 'inspection', 'inspection-sign', (d, at) =>
      sign(d, { key: args.key, sha256: kept.evidence.sha256, at }),
    );
  },

  /** The report draft from the signed record (one per inspection). */
  async 'report-draft'(ctx: CommandContext, args: { inspectionId: string; issuer: string }) {
    const doc = await ctx.db.inspections.findOne(args.inspectionId).exec();
    const inspection = doc?.toJSON() as InspectionDoc | undefined;
    if (inspection?.kind !== 'inspection')
      return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该检查记录' });
    const id = reportIdOf(inspection.id);
    if (await ctx.db.inspections.findOne(id).exec()) return { ok: true as const, id };
    const actor = who(ctx);
    const at = ctx.env.now();
    const report = draftReport(inspection, {
      id,
      at,
      by: actor.id,
      today: chinaDate(at),
      issuer: args.issuer,
    });
    await ctx.db.inspections.insert(report);
    await writeEvent(ctx, null, report, 'report-draft', actor, at);
    return { ok: true as const, id };
  },

  /** Edits a report draft, or serves it to the school (status "issued"). */
  async 'report-save'(
    ctx: CommandContext,
    args: {
      id: string;
      fields: Partial<
        Pick<ReportDoc, 'docNo' | 'content' | 'situation' | 'evaluation' | 'suggestions' | 'reportDate'>
      >;
      issue?: boolean;
    },
  ) {
    return change<ReportDoc>(
      ctx,
      args.id,
      'report',
      args.issue ? 'report-issue' : 'report-save',
      (r, at, by) => {
        if (r.status !== 'draft')
          return { ok: false, problems: [{ field: 'status', message: '检查报告已送达学校，不能再修改' }] };
        const next: ReportDoc = { ...r, ...args.fields };
        if (args.issue) {
          const problem = reportFormProblem(next);
          if (problem) return { ok: false, problems: [problem] };
          return { ok: true, value: { ...next, status: 'issued', issuedAt: at, issuedBy: by.id } };
        }
        return { ok: true, value: next };
      },
    );
  },

  /** The school signs for the report it was served. */
  async 'report-receive'(ctx: CommandContext, args: { id: string }) {
    return change<ReportDoc>(ctx, args.id, 'report', 'report-receive', (r, at, by) =>
      r.status !== 'issued'
        ? { ok: false, problems: [{ field: 'status', message: '检查报告尚未送达，或已签收' }] }
        : {
            ok: true,
            value: { ...r, status: 'received', receivedAt: at, receivedBy: by.id, receivedByName: by.name },
          },
    );
  },

  /** The school answers a follow-up with a text and, optionally, a photo or scan. */
  async 'followup-answer'(
    ctx: CommandContext,
    args: { id: string; text: string; file?: { name: string; mime: string; bytes: ArrayBuffer } },
  ) {
    const text = args.text.trim();
    if (!text) return refuse({ field: 'text', code: 'INSPECTION', message: '请填写整改情况' });
    const doc = await ctx.db.inspections.findOne(args.id).exec();
    if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该整改事项' });
    const evidence: EvidenceRef[] = [];
    if (args.file) {
      const kept = await keepBytes(ctx, doc.toJSON() as InspectionRecord, {
        ...args.file,
        kind: args.file.mime === 'application/pdf' ? 'scan' : 'photo',
      });
      if (!kept.ok) return kept;
      evidence.push(kept.evidence);
    }
    return change<FollowUpDoc>(ctx, args.id, 'followUp', 'followup-answer', (f, at, by) =>
      f.status === 'closed'
        ? { ok: false, problems: [{ field: 'status', message: '该整改事项已销号' }] }
        : {
            ok: true,
            value: {
              ...f,
              status: 'answered',
              answers: [...f.answers, { text, evidence, at, by: by.id, byName: by.name }],
            },
          },
    );
  },

  /** The inspector closes a follow-up or sends it back. */
  async 'followup-review'(
    ctx: CommandContext,
    args: { id: string; decision: 'close' | 'reopen'; note: string },
  ) {
    return change<FollowUpDoc>(ctx, args.id, 'followUp', 'followup-review', (f, at, by) =>
      f.status !== 'answered'
        ? { ok: false, problems: [{ field: 'status', message: '学校尚未回复整改情况' }] }
        : {
            ok: true,
            value: {
              ...f,
              status: args.decision === 'close' ? 'closed' : 'open',
              reviews: [
                ...f.reviews,
                { decision: args.decision, note: args.note.trim(), at, by: by.id, byName: by.name },
              ],
            },
          },
    );
  },
};
