// Step 4 of the roster import, the pure half: what a confirm writes. New students, the non-key changes
// of existing ones, and one history event per student written (R-WHO). The renderer's `roster-import`
// command writes the plan all-or-nothing.
import { namePinyin } from '../domain/names';
import type { EventDoc } from '../domain/schemas';
import type { Student } from '../domain/student';
import type { ImportPreview } from './preview';
import { type ImportContext, mergeRecord, newStudentFromRecord, plainStudent } from './record';

export { type ImportContext, mergeRecord, newStudentFromRecord, plainStudent };

export type StudentUpdate = { before: Student; after: Student };

export type ImportPlan = {
  inserts: Student[];
  updates: StudentUpdate[];
  events: EventDoc[];
};

/**
 * The plan of a confirmed preview: key fields of existing students are never written (需走变更流程).
 *
 * History (R-WHO): every student written gets one event naming the file and row in `reason`. An
 * `import-create` event is lean — empty `before`/`after`, the history shows "由花名册导入创建" and the
 * reason — because the created document itself holds the imported values, and repeating ~25 fields in
 * 20,000 events doubled the bytes an import writes. Events written before this change carry the record
 * in `after` and still read the same way. An `import-update` event keeps the changed fields, before and
 * after, like an edit on the student page.
 */
export function buildImportPlan(preview: ImportPreview, ctx: ImportContext): ImportPlan {
  const plan: ImportPlan = { inserts: [], updates: [], events: [] };
  if (preview.sheet.blocked) return plan;
  const reason = (row: number) => `花名册导入：${ctx.fileName} 第 ${row} 行`;
  // Names repeat a lot in a school; pinyin-pro is the costly part of building 20,000 new students.
  const pinyin = new Map<string, string>();
  const pinyinOf = (name: string) => {
    let p = pinyin.get(name);
    if (p === undefined) {
      p = namePinyin(name);
      pinyin.set(name, p);
    }
    return p;
  };
  for (const r of preview.rows) {
    if (r.kind === 'new') {
      const s = newStudentFromRecord(r.record, ctx, pinyinOf);
      plan.inserts.push(s);
      plan.events.push({
        id: ctx.newId(),
        schoolId: ctx.schoolId,
        entity: 'student',
        entityId: s.id,
        action: 'import-create',
        at: ctx.at,
        by: ctx.by,
        ...(ctx.byName ? { byName: ctx.byName } : {}),
        reason: reason(r.row),
        before: {},
        after: {},
      });
    } else if (r.kind === 'changed' || r.kind === 'needsWorkflow') {
      const applied = r.changes.filter((c) => !c.key);
      if (applied.length === 0) continue;
      const before = plainStudent(r.student);
      const locked = new Set(r.changes.filter((c) => c.key).map((c) => c.field));
      const merged = mergeRecord(before, r.record, locked);
      const after: Student = { ...merged, updatedAt: ctx.at, updatedBy: ctx.by };
      const beforeFields: Record<string, unknown> = {};
      const afterFields: Record<string, unknown> = {};
      for (const c of applied) {
        const field = c.field.startsWith('members.') ? 'guardians' : (c.field as keyof Student);
        beforeFields[field] = before[field] ?? null;
        afterFields[field] = after[field] ?? null;
      }
      plan.updates.push({ before, after });
      plan.events.push({
        id: ctx.newId(),
        schoolId: ctx.schoolId,
        entity: 'student',
        entityId: before.id,
        action: 'import-update',
        at: ctx.at,
        by: ctx.by,
        ...(ctx.byName ? { byName: ctx.byName } : {}),
        reason: reason(r.row),
        before: beforeFields,
        after: afterFields,
      });
    }
  }
  return plan;
}
