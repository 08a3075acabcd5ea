// Step 4 of the roster import, the pure half: what a confirm writes. New students, the non-key changes
// of existing ones, and one history event per student written (R-WHO). The renderer's `roster-import`
// command writes the plan all-or-nothing.
import { emptyArchive } from '../domain/archive';
import { namePinyin } from '../domain/names';
import type { EventDoc, SchoolType } from '../domain/schemas';
import type { Guardian, Student } from '../domain/student';
import type { ImportPreview } from './preview';
import type { ImportRecord } from './types';

export type ImportContext = {
  schoolId: string;
  orgPath: string;
  schoolType: SchoolType;
  /** ISO time of the confirm */
  at: string;
  /** user id (R-WHO) */
  by: string;
  byName?: string;
  /** the file's name, recorded in every event */
  fileName: string;
  newId: () => string;
};

export type StudentUpdate = { before: Student; after: Student };

export type ImportPlan = {
  inserts: Student[];
  updates: StudentUpdate[];
  events: EventDoc[];
};

/** The family members a new student gets from a row: the filled members, in template order. */
function membersOf(record: ImportRecord): Guardian[] {
  return (record.members ?? []).filter((m): m is Partial<Guardian> => m !== undefined) as Guardian[];
}

/** A new student from a valid row: status 在校, an empty paper-archive checklist for the school type. */
export function newStudentFromRecord(
  record: ImportRecord,
  ctx: ImportContext,
  pinyinOf: (name: string) => string = namePinyin,
): Student {
  const { members: _members, ...fields } = record;
  const student: Student = {
    ...fields,
    id: ctx.newId(),
    schoolId: ctx.schoolId,
    orgPath: ctx.orgPath,
    // 姓名拼音 from the file when it has the column, else made from the name
    namePinyin: record.namePinyin ?? pinyinOf(record.name),
    guardians: membersOf(record),
    status: 'enrolled',
    archive: emptyArchive(ctx.schoolType),
    updatedAt: ctx.at,
    updatedBy: ctx.by,
  };
  return student;
}

/**
 * An existing student with what a row changes: the filled cells overwrite (a blank cell keeps the stored
 * value, data is never lost), except the locked fields (key fields, a registered 学籍号). Family member i
 * of the file updates stored member i field by field; members beyond the file's two are kept.
 */
export function mergeRecord(student: Student, record: ImportRecord, locked: ReadonlySet<string>): Student {
  const out: Record<string, unknown> = { ...plainStudent(student) };
  for (const [field, value] of Object.entries(record)) {
    if (field === 'members' || value === undefined || locked.has(field)) continue;
    out[field] = value;
  }
  if (record.members?.some((m) => m !== undefined)) {
    const members = student.guardians.map((g) => ({ ...g }));
    record.members.forEach((m, i) => {
      if (!m) return;
      const current = members[i] ?? ({ name: '', relation: '', phone: '' } as Guardian);
      for (const [k, v] of Object.entries(m))
        if (v !== undefined && v !== '') (current as Record<string, unknown>)[k] = v;
      members[i] = current;
    });
    out.guardians = members.filter((m) => m !== undefined);
  }
  return out as Student;
}

/** Strips storage fields (_rev, _meta, _attachments, _deleted) from a document read from the database. */
export function plainStudent(doc: Student): Student {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out as Student;
}

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
