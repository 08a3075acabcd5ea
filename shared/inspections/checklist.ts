// A filled checklist: one inspection's findings on the items of one template version (kept by reference with
// the template's content hash, so the record always shows the items as they were). Per item the finding
// (符合 / 不符合 / 不适用, or not yet checked), notes and evidence: files (photo, audio, video, scan) by the
// SHA-256 of their bytes, which move through the attachment queue, or a text. The on-site screens fill it
// through these pure steps; the printed 检查情况记录表 takes its rows from recordChecks.
import { CHECK_FINDINGS } from '../forms/defs/inspection-record';
import type { InputProblem, Parsed } from './draw-input';
import { type ChecklistTemplate, type TemplateRef, templateRef } from './templates';

export type CheckFinding = keyof typeof CHECK_FINDINGS;
export { CHECK_FINDINGS };

export type FileEvidence = {
  kind: 'photo' | 'audio' | 'video' | 'scan';
  /** SHA-256 of the bytes, hex: the attachment's content address */
  sha256: string;
  name: string;
  mime: string;
  size: number;
  /** ISO time and user id: who kept this trace, when (R-WHO) */
  capturedAt: string;
  capturedBy: string;
};
export type TextEvidence = { kind: 'text'; text: string; capturedAt: string; capturedBy: string };
export type EvidenceRef = FileEvidence | TextEvidence;

export type FilledItem = {
  itemId: string;
  /** null: not checked yet */
  finding: CheckFinding | null;
  notes: string;
  evidence: EvidenceRef[];
};

export type FilledChecklist = { template: TemplateRef; items: FilledItem[] };

export const CHECKLIST_LIMITS = { notes: 500, evidencePerItem: 50, text: 2000, name: 200 } as const;

const EVIDENCE_KINDS: Record<EvidenceRef['kind'], string> = {
  photo: '照片',
  audio: '录音',
  video: '录像',
  scan: '扫描件',
  text: '文字记录',
};

/** A new checklist on a template: every item not checked yet, no notes, no evidence. */
export function startChecklist(template: ChecklistTemplate): FilledChecklist {
  return {
    template: templateRef(template),
    items: template.items.map((i) => ({ itemId: i.id, finding: null, notes: '', evidence: [] })),
  };
}

function updateItem(
  c: FilledChecklist,
  itemId: string,
  change: (item: FilledItem) => FilledItem | InputProblem,
): Parsed<FilledChecklist> {
  const index = c.items.findIndex((i) => i.itemId === itemId);
  const item = c.items[index];
  if (!item)
    return { ok: false, problems: [{ field: 'itemId', message: `检查清单中没有检查项目“${itemId}”` }] };
  const next = change(item);
  if ('message' in next) return { ok: false, problems: [next] };
  return { ok: true, value: { ...c, items: c.items.map((i, k) => (k === index ? next : i)) } };
}

/** Sets an item's finding and/or notes. */
export function recordFinding(
  c: FilledChecklist,
  itemId: string,
  change: { finding?: CheckFinding | null; notes?: string },
): Parsed<FilledChecklist> {
  return updateItem(c, itemId, (item) => {
    if (
      change.finding !== undefined &&
      change.finding !== null &&
      !Object.hasOwn(CHECK_FINDINGS, change.finding)
    )
      return { field: 'finding', message: `核查情况只能是 ${Object.values(CHECK_FINDINGS).join('、')} 之一` };
    const notes = change.notes ?? item.notes;
    if (notes.length > CHECKLIST_LIMITS.notes)
      return {
        field: 'notes',
        message: `说明不能超过 ${CHECKLIST_LIMITS.notes} 个字（现有 ${notes.length} 个）`,
      };
    return { ...item, finding: change.finding === undefined ? item.finding : change.finding, notes };
  });
}

function evidenceProblem(e: EvidenceRef, field: string): InputProblem | null {
  if (!Object.hasOwn(EVIDENCE_KINDS, e.kind))
    return { field, message: '证据类型只能是照片、录音、录像、扫描件或文字记录' };
  if (!e.capturedBy || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(e.capturedAt))
    return { field, message: `${EVIDENCE_KINDS[e.kind]}缺少留存人或留存时间` };
  if (e.kind === 'text') {
    if (e.text.trim() === '') return { field, message: '文字记录不能为空' };
    if (e.text.length > CHECKLIST_LIMITS.text)
      return { field, message: `文字记录不能超过 ${CHECKLIST_LIMITS.text} 个字（现有 ${e.text.length} 个）` };
    return null;
  }
  if (!/^[0-9a-f]{64}$/.test(e.sha256))
    return { field, message: `${EVIDENCE_KINDS[e.kind]}“${e.name}”的内容校验码不对` };
  if (!e.name || e.name.length > CHECKLIST_LIMITS.name)
    return { field, message: `${EVIDENCE_KINDS[e.kind]}的文件名不对` };
  if (!Number.isInteger(e.size) || e.size <= 0)
    return { field, message: `${EVIDENCE_KINDS[e.kind]}“${e.name}”是空文件` };
  return null;
}

/** Adds a trace (R-INSP-TRACE) to an item; the same file twice on one item is kept once. */
export function addEvidence(
  c: FilledChecklist,
  itemId: string,
  evidence: EvidenceRef,
): Parsed<FilledChecklist> {
  return updateItem(c, itemId, (item) => {
    const problem = evidenceProblem(evidence, 'evidence');
    if (problem) return problem;
    if (
      evidence.kind !== 'text' &&
      item.evidence.some((e) => e.kind !== 'text' && e.sha256 === evidence.sha256)
    )
      return item;
    if (item.evidence.length >= CHECKLIST_LIMITS.evidencePerItem)
      return {
        field: 'evidence',
        message: `每个检查项目最多留存 ${CHECKLIST_LIMITS.evidencePerItem} 项证据`,
      };
    return { ...item, evidence: [...item.evidence, evidence] };
  });
}

/**
 * What is wrong with a checklist against its template: a different template version, missing, extra or
 * repeated items, bad values; with `complete`, also items not checked, 不符合 without notes, and no trace
 * at all (R-INSP-TRACE).
 */
export function checklistProblems(
  c: FilledChecklist,
  template: ChecklistTemplate,
  options: { complete: boolean },
): InputProblem[] {
  const problems: InputProblem[] = [];
  const ref = templateRef(template);
  if (c.template.id !== ref.id || c.template.version !== ref.version || c.template.hash !== ref.hash)
    problems.push({
      field: 'template',
      message: `检查清单填的是模板 ${c.template.id} 第 ${c.template.version} 版，与“${template.title}”（${ref.id} 第 ${ref.version} 版）的内容不符`,
    });
  const byId = new Map(template.items.map((i) => [i.id, i]));
  const seen = new Set<string>();
  c.items.forEach((item, k) => {
    const def = byId.get(item.itemId);
    const at = def ? `检查项目${def.no}“${def.title}”` : `检查项目“${item.itemId}”`;
    if (!def) problems.push({ field: `items[${k}]`, message: `${at}不在模板中` });
    if (seen.has(item.itemId)) problems.push({ field: `items[${k}]`, message: `${at}重复` });
    seen.add(item.itemId);
    if (item.finding !== null && !Object.hasOwn(CHECK_FINDINGS, item.finding))
      problems.push({ field: `items[${k}].finding`, message: `${at}的核查情况“${item.finding}”不对` });
    if (item.notes.length > CHECKLIST_LIMITS.notes)
      problems.push({
        field: `items[${k}].notes`,
        message: `${at}的说明超过 ${CHECKLIST_LIMITS.notes} 个字`,
      });
    item.evidence.forEach((e, j) => {
      const p = evidenceProblem(e, `items[${k}].evidence[${j}]`);
      if (p) problems.push({ ...p, message: `${at}：${p.message}` });
    });
    if (options.complete && def) {
      if (item.finding === null)
        problems.push({ field: `items[${k}].finding`, message: `${at}还没有填写核查情况` });
      if (item.finding === 'nonConforming' && item.notes.trim() === '')
        problems.push({ field: `items[${k}].notes`, message: `${at}为“不符合”，须在说明中写明发现的问题` });
    }
  });
  for (const [id, def] of byId)
    if (!seen.has(id))
      problems.push({ field: 'items', message: `检查清单缺少检查项目${def.no}“${def.title}”` });
  // R-INSP-TRACE (YQ 总述 二): traces of the check are kept as text, audio or images.
  if (options.complete && c.items.every((i) => i.evidence.length === 0))
    problems.push({
      field: 'evidence',
      message:
        '没有留存任何核查痕迹；R-INSP-TRACE：在核查中应注意通过文字、音频或影像等方式留存核查痕迹，确保责任可追溯（YQ 总述 二）',
    });
  return problems;
}

/** The rows of the 检查情况记录表 (`checks` of the inspection-record form), in the template's order. */
export function recordChecks(
  c: FilledChecklist,
  template: ChecklistTemplate,
): { item: string; method: string; finding: CheckFinding; note?: string }[] {
  const filled = new Map(c.items.map((i) => [i.itemId, i]));
  return template.items.flatMap((def) => {
    const item = filled.get(def.id);
    if (!item || item.finding === null) return [];
    const note = item.notes.trim();
    return [{ item: def.title, method: def.method, finding: item.finding, ...(note ? { note } : {}) }];
  });
}

/** The evidence list of a record: every trace with its item, in the template's order. */
export function evidenceList(
  c: FilledChecklist,
  template: ChecklistTemplate,
): { itemNo: string; itemTitle: string; kind: string; label: string; capturedAt: string }[] {
  const filled = new Map(c.items.map((i) => [i.itemId, i]));
  return template.items.flatMap((def) =>
    (filled.get(def.id)?.evidence ?? []).map((e) => ({
      itemNo: def.no,
      itemTitle: def.title,
      kind: EVIDENCE_KINDS[e.kind],
      label: e.kind === 'text' ? e.text.slice(0, 40) : e.name,
      capturedAt: e.capturedAt,
    })),
  );
}
