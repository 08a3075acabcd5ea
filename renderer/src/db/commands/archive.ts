// Paper-archive commands (纸质档案): marking parts while checking a folder, and attaching a scan. The
// decisions come from shared/archive; each write records an event (R-WHO) like the student page.
import {
  type ArchiveChange,
  markAllPresent,
  markParts,
  togglePart,
} from '../../../../shared/archive/checklist';
import { refuse } from '../../../../shared/commands/types';
import { archivePartsFor } from '../../../../shared/domain/archive';
import {
  ATTACHMENT_MAX_BYTES,
  attachmentProblem,
  attachmentRecordId,
  SCAN_TYPES,
} from '../../../../shared/domain/attachment-types';
import type { AttachmentDoc, EventDoc } from '../../../../shared/domain/schemas';
import type { ArchiveItemState, Student } from '../../../../shared/domain/student';
import { putBlob } from '../attachment-store';
import type { CommandContext } from '../command-context';

export type ArchiveAction =
  | { kind: 'toggle'; partId: string }
  | { kind: 'allPresent' }
  | { kind: 'set'; partId: string; state: ArchiveItemState };

/** Accepted scan types and their size limit: shared/domain/attachment-types.ts (the server checks the same). */
export { SCAN_TYPES };
export const SCAN_MAX_BYTES = ATTACHMENT_MAX_BYTES;

function decide(student: Student, action: ArchiveAction, ctx: CommandContext): ArchiveChange | null {
  const schoolType = ctx.settings?.schoolType ?? 'vocational';
  const at = ctx.env.now();
  const mark = { at, by: ctx.env.actor.name };
  if (action.kind === 'allPresent') return markAllPresent(student, schoolType, mark);
  const part = archivePartsFor(schoolType).find((p) => p.id === action.partId);
  if (!part) return null;
  if (action.kind === 'toggle') return togglePart(student, part, mark);
  return markParts(student, { [part.id]: action.state }, mark);
}

function archiveEvent(
  ctx: CommandContext,
  student: Student,
  change: ArchiveChange,
  action: string,
): EventDoc {
  const prefix = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [`archive.${k}`, v]));
  return {
    id: ctx.env.newId(),
    schoolId: student.schoolId,
    entity: 'student',
    entityId: student.id,
    action,
    at: ctx.env.now(),
    by: ctx.env.actor.id,
    byName: ctx.env.actor.name,
    before: prefix(change.before),
    after: prefix(change.after),
  };
}

async function applyChange(
  ctx: CommandContext,
  studentId: string,
  compute: (current: Student) => ArchiveChange | null,
  action: string,
) {
  const doc = await ctx.db.students.findOne(studentId).exec();
  if (!doc) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该学生，可能已被删除' });
  let change: ArchiveChange | null = null;
  let snapshot: Student | null = null;
  await doc.incrementalModify((current) => {
    change = compute(current);
    snapshot = current;
    if (!change || Object.keys(change.after).length === 0) return current;
    return { ...current, archive: change.archive, updatedAt: ctx.env.now(), updatedBy: ctx.env.actor.id };
  });
  const done = change as ArchiveChange | null;
  const before = snapshot as Student | null;
  if (!done || !before)
    return refuse({ field: 'part', code: 'UNKNOWN_PART', message: '本校档案清单中没有这一项' });
  if (Object.keys(done.after).length === 0) return { ok: true as const, changed: false };
  try {
    await ctx.db.events.insert(archiveEvent(ctx, before, done, action));
  } catch (error) {
    // Nothing is half-written: without its event the mark is taken back (R-WHO).
    await doc.incrementalModify((current) => ({ ...current, archive: before.archive }));
    throw error;
  }
  return { ok: true as const, changed: true };
}

export const archiveCommands = {
  /** Marks parts of one student's paper archive (toggle one part, set one, or all present). */
  async 'archive-mark'(ctx: CommandContext, args: { studentId: string; action: ArchiveAction }) {
    return applyChange(ctx, args.studentId, (s) => decide(s, args.action, ctx), 'archive-mark');
  },

  /** Keeps a scan (image or PDF) of one part: bytes in the file store, metadata in `attachments`. */
  async 'archive-attach'(
    ctx: CommandContext,
    args: { studentId: string; partId: string; name: string; mime: string; bytes: ArrayBuffer },
  ) {
    if (!SCAN_TYPES.includes(args.mime))
      return refuse({
        field: 'file',
        code: 'SCAN_TYPE',
        message: `“${args.name}”不是图片或 PDF，不能作为扫描件`,
      });
    const problem = attachmentProblem({
      name: args.name,
      mime: args.mime,
      size: args.bytes.byteLength,
      kind: 'scan',
    });
    if (problem) return refuse({ field: 'file', code: 'SCAN_FILE', message: problem.message });
    const student = await ctx.db.students.findOne(args.studentId).exec();
    if (!student) return refuse({ field: 'id', code: 'NOT_FOUND', message: '找不到该学生' });
    const sha256 = await putBlob(args.bytes, args.mime);
    const at = ctx.env.now();
    const meta: AttachmentDoc = {
      // One record per school and content: two schools attaching the same file never collide.
      id: attachmentRecordId(student.schoolId, sha256),
      sha256,
      schoolId: student.schoolId,
      orgPath: student.orgPath,
      name: args.name.slice(0, 200),
      mime: args.mime,
      size: args.bytes.byteLength,
      entity: 'student',
      entityId: student.id,
      kind: 'scan',
      createdAt: at,
      createdBy: ctx.env.actor.id,
      updatedAt: at,
      updatedBy: ctx.env.actor.id,
    };
    if (!(await ctx.db.attachments.findOne(meta.id).exec())) await ctx.db.attachments.insert(meta);
    return applyChange(
      ctx,
      args.studentId,
      (current) => {
        const item = current.archive[args.partId];
        const change = markParts(current, {}, { at, by: ctx.env.actor.name });
        const next = {
          ...(item ?? { state: 'present' as const }),
          attachmentId: sha256,
          checkedAt: at,
          checkedBy: ctx.env.actor.name,
        };
        change.archive[args.partId] = next;
        change.before[args.partId] = item ?? null;
        change.after[args.partId] = next;
        return change;
      },
      'archive-attach',
    );
  },
};
