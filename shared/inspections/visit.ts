// On site (YQ 总述 二; DOMAIN.md "Inspections" steps 3–4): the steps an inspector takes in the school, as
// pure functions of the inspection record. The app's commands call them and write the result to the local
// database at every step (nothing is lost if the laptop sleeps or the app is killed); the server runs
// visitProblems on every pushed record (workflow.ts), so a record the app would refuse is refused there too.
//   presence   — each drawn inspector shows the 执法证号 and confirms no conflict (R-INSP-2, R-INSP-RECUSE)
//   checks     — per item 符合 / 不符合 / 不适用, notes and evidence (R-INSP-TRACE), on checklist.ts
//   sample     — students drawn with a recorded seed (sample.ts), their folders checked part by part
//   duplicates — the R-ONE index of the visit pack (pack.ts)
//   signatures — the inspectors and the school's head sign on screen; then the record is complete.
import { archivePartsFor } from '../domain/archive';
import type { ArchiveItemState } from '../domain/student';
import { ruleName } from '../rules/ids';
import {
  addEvidence,
  CHECK_FINDINGS,
  type CheckFinding,
  checklistProblems,
  type EvidenceRef,
  evidenceList,
  type FilledChecklist,
  recordChecks,
  recordFinding,
} from './checklist';
import type { InputProblem, Parsed } from './draw-input';
import { duplicatesWithin, type VisitPack } from './pack';
import type { DuplicateCheck, FilledCheck, InspectionDoc, SampleCheck, Signature } from './records';
import { drawSampleStudents, verifySampleStudents } from './sample';
import { templateRef } from './templates';

export const SCHOOL_HEAD = 'schoolHead';

const bad = <T>(field: string, message: string): Parsed<T> => ({ ok: false, problems: [{ field, message }] });

/** The checks of a record as the checklist functions take them (items not yet touched: unchecked). */
export function filledChecklist(doc: Pick<InspectionDoc, 'template' | 'checks'>): FilledChecklist {
  return {
    template: templateRef(doc.template),
    items: doc.template.items.map((i) => {
      const c = doc.checks?.[i.id];
      return {
        itemId: i.id,
        finding: c?.finding ?? null,
        notes: c?.notes ?? '',
        evidence: c?.evidence ?? [],
      };
    }),
  };
}

function checksOf(c: FilledChecklist): Record<string, FilledCheck> {
  return Object.fromEntries(
    c.items.map((i) => [i.itemId, { finding: i.finding, notes: i.notes, evidence: i.evidence }]),
  );
}

function open(doc: InspectionDoc): InputProblem | null {
  if (doc.status === 'recorded' || doc.status === 'published')
    return { field: 'status', message: '检查情况记录已签字确认，不能再修改' };
  return null;
}

/** Starts the visit: the time the inspectors arrived (first step on site). */
export function startVisit(doc: InspectionDoc, at: string): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  if (doc.status === 'onSite') return { ok: true, value: doc };
  return { ok: true, value: { ...doc, status: 'onSite', startedAt: doc.startedAt ?? at } };
}

// R-INSP-2 (YQ 总述 二): "实地核查人员不得少于两人，并应当出示执法证件"; R-INSP-RECUSE: "与检查对象有利害
// 关系的，应依法回避". An inspector is present only after showing the ID drawn for them and confirming that
// they have no conflict with this school.
export function confirmPresence(
  doc: InspectionDoc,
  p: { userId: string; enforcementId: string; noConflict: boolean; at: string },
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  const assigned = doc.inspectors.find((i) => i.userId === p.userId);
  if (!assigned) return bad('userId', '此人不是本次抽取的检查人员，不能作为检查人员签到');
  if (p.enforcementId.replace(/\s+/g, '') !== assigned.enforcementId.replace(/\s+/g, ''))
    return bad(
      'enforcementId',
      `${assigned.name}出示的执法证号与抽取名单上的“${assigned.enforcementId}”不符（${ruleName('R-INSP-2')}：应当出示执法证件）`,
    );
  if (!p.noConflict)
    return bad(
      'noConflict',
      `${assigned.name}与${doc.schoolName}有利害关系的，应依法回避，不能参加本次检查（${ruleName('R-INSP-RECUSE')}，YQ 总述 二）`,
    );
  const present = {
    ...(doc.present ?? {}),
    [p.userId]: {
      name: assigned.name,
      enforcementId: assigned.enforcementId,
      noConflict: true,
      confirmedAt: p.at,
    },
  };
  const started = startVisit(doc, p.at);
  return started.ok ? { ok: true, value: { ...started.value, present } } : started;
}

/** Sets an item's finding and/or notes. */
export function setFinding(
  doc: InspectionDoc,
  itemId: string,
  change: { finding?: CheckFinding | null; notes?: string },
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  const next = recordFinding(filledChecklist(doc), itemId, change);
  return next.ok ? { ok: true, value: { ...doc, checks: checksOf(next.value) } } : next;
}

/** Keeps a trace on an item (R-INSP-TRACE): a photo, a recording or a text. */
export function keepEvidence(
  doc: InspectionDoc,
  itemId: string,
  evidence: EvidenceRef,
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  const next = addEvidence(filledChecklist(doc), itemId, evidence);
  return next.ok ? { ok: true, value: { ...doc, checks: checksOf(next.value) } } : next;
}

/**
 * Draws the sample students from the visit pack's roster with a recorded seed. Once drawn it stays: a
 * second draw would let the sample be chosen.
 */
export function drawVisitSample(
  doc: InspectionDoc,
  pack: Pick<VisitPack, 'students' | 'rosterHash'>,
  n: number,
  seed: string,
  at: string,
  by: string,
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  if (doc.sample)
    return bad(
      'sample',
      `抽查学生已于 ${doc.sample.drawnAt.slice(0, 16).replace('T', ' ')} 抽取（随机种子“${doc.sample.seed}”），不能重抽`,
    );
  const drawn = drawSampleStudents(
    pack.students.map((s) => s.id),
    n,
    seed,
  );
  if (!drawn.ok) return drawn;
  const byId = new Map(pack.students.map((s) => [s.id, s]));
  const sampleChecks: Record<string, SampleCheck> = {};
  for (const id of drawn.value.students) {
    const s = byId.get(id);
    if (!s) continue;
    sampleChecks[id] = {
      name: s.name,
      grade: s.grade,
      classId: s.classId,
      ...(s.schoolNo ? { schoolNo: s.schoolNo } : {}),
      claimed: Object.fromEntries(Object.entries(s.archive).map(([k, v]) => [k, v.state])),
      found: {},
    };
  }
  return {
    ok: true,
    value: { ...doc, sample: { ...drawn.value, seed, drawnAt: at, drawnBy: by }, sampleChecks },
  };
}

/** Records what one part of a sampled student's folder shows. */
export function checkSamplePart(
  doc: InspectionDoc,
  studentId: string,
  partId: string,
  state: ArchiveItemState | null,
  at: string,
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  const check = doc.sampleChecks?.[studentId];
  if (!check) return bad('studentId', '该学生不在本次抽查名单中');
  const part = archivePartsFor(doc.template.schoolType).find((p) => p.id === partId);
  if (!part) return bad('partId', '档案清单中没有这一项');
  const found = { ...check.found };
  if (state === null) delete found[partId];
  else found[partId] = state;
  return {
    ok: true,
    value: { ...doc, sampleChecks: { ...doc.sampleChecks, [studentId]: { ...check, found, checkedAt: at } } },
  };
}

export function setSampleNote(doc: InspectionDoc, studentId: string, note: string): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  const check = doc.sampleChecks?.[studentId];
  if (!check) return bad('studentId', '该学生不在本次抽查名单中');
  if (note.length > 500) return bad('note', `备注不能超过 500 个字（现有 ${note.length} 个）`);
  return {
    ok: true,
    value: { ...doc, sampleChecks: { ...doc.sampleChecks, [studentId]: { ...check, note } } },
  };
}

export type ArchiveDifference = {
  studentId: string;
  name: string;
  partId: string;
  part: string;
  claimed: ArchiveItemState;
  found: ArchiveItemState;
  /** Chinese: 登记已归档但档案袋中没有 / 档案袋中有但未登记 / … */
  text: string;
};

const STATE_TEXT: Record<ArchiveItemState, string> = { present: '有', missing: '缺', notDue: '未到期' };

/** Where the folders differ from what the school's checklist claims (the differences listed on site). */
export function archiveDifferences(
  doc: Pick<InspectionDoc, 'sampleChecks' | 'template' | 'sample'>,
): ArchiveDifference[] {
  const parts = archivePartsFor(doc.template.schoolType);
  const out: ArchiveDifference[] = [];
  for (const id of doc.sample?.students ?? []) {
    const c = doc.sampleChecks?.[id];
    if (!c) continue;
    for (const p of parts) {
      const found = c.found[p.id];
      const claimed = c.claimed[p.id] ?? 'missing';
      if (found === undefined || found === claimed) continue;
      const text =
        claimed === 'present' && found !== 'present'
          ? `系统登记“${p.title}”已归档，档案袋中${found === 'missing' ? '没有' : '未见'}`
          : found === 'present' && claimed !== 'present'
            ? `档案袋中有“${p.title}”，系统登记为${STATE_TEXT[claimed]}`
            : `“${p.title}”系统登记为${STATE_TEXT[claimed]}，核查为${STATE_TEXT[found]}`;
      out.push({ studentId: id, name: c.name, partId: p.id, part: p.title, claimed, found, text });
    }
  }
  return out;
}

/** The parts of the sampled folders not looked at yet. */
export function uncheckedSampleParts(
  doc: Pick<InspectionDoc, 'sampleChecks' | 'template' | 'sample'>,
): number {
  const parts = archivePartsFor(doc.template.schoolType);
  let n = 0;
  for (const id of doc.sample?.students ?? []) {
    const c = doc.sampleChecks?.[id];
    for (const p of parts) if (c?.found[p.id] === undefined) n++;
  }
  return n;
}

/** The duplicate-registration check read from the visit pack (R-ONE, YQ 中职 二(四)). */
export function runDuplicateCheck(
  doc: InspectionDoc,
  pack: Pick<VisitPack, 'duplicates' | 'students' | 'builtAt'>,
  at: string,
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  const check: DuplicateCheck = {
    checkedAt: at,
    packBuiltAt: pack.builtAt,
    students: pack.students.length,
    within: duplicatesWithin(pack).length,
    elsewhere: pack.duplicates.entries.filter((e) => e.elsewhere).length,
    invalid: pack.duplicates.invalid.length,
    lookups: doc.duplicates?.lookups ?? [],
    ...(doc.duplicates?.note ? { note: doc.duplicates.note } : {}),
  };
  return { ok: true, value: { ...doc, duplicates: check } };
}

export function recordLookup(doc: InspectionDoc, result: string, at: string): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  if (!doc.duplicates) return bad('duplicates', '请先进行重复注册核查');
  if (doc.duplicates.lookups.length >= 200) return bad('lookups', '证件号查询最多记录 200 次');
  return {
    ok: true,
    value: {
      ...doc,
      duplicates: { ...doc.duplicates, lookups: [...doc.duplicates.lookups, { at, result }] },
    },
  };
}

/** 发现的问题, 处理意见及整改要求 and the school head's name. */
export function setRecordText(
  doc: InspectionDoc,
  change: { problems?: string; handling?: string; schoolHead?: string },
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  for (const [field, max, label] of [
    ['problems', 3000, '发现的问题'],
    ['handling', 3000, '处理意见及整改要求'],
    ['schoolHead', 50, '被检查单位负责人'],
  ] as const) {
    const v = change[field];
    if (v !== undefined && v.length > max)
      return bad(field, `${label}不能超过 ${max} 个字（现有 ${v.length} 个）`);
  }
  const head = change.schoolHead?.trim();
  // A changed head's signature no longer stands for the named person.
  const signatures =
    head !== undefined && head !== doc.schoolHead && doc.signatures?.[SCHOOL_HEAD]
      ? Object.fromEntries(Object.entries(doc.signatures).filter(([k]) => k !== SCHOOL_HEAD))
      : doc.signatures;
  return {
    ok: true,
    value: {
      ...doc,
      ...(change.problems !== undefined ? { problems: change.problems } : {}),
      ...(change.handling !== undefined ? { handling: change.handling } : {}),
      ...(head !== undefined ? { schoolHead: head } : {}),
      ...(signatures ? { signatures } : {}),
    },
  };
}

/** A signature drawn on screen, stored as a PNG attachment (its SHA-256 here). */
export function sign(
  doc: InspectionDoc,
  signer: { key: string; sha256: string; at: string },
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  if (!/^[0-9a-f]{64}$/.test(signer.sha256)) return bad('sha256', '签名图片的内容校验码不对');
  let signature: Signature;
  if (signer.key === SCHOOL_HEAD) {
    if (!doc.schoolHead?.trim()) return bad('schoolHead', '请先填写被检查单位负责人的姓名');
    signature = { role: 'schoolHead', name: doc.schoolHead, sha256: signer.sha256, signedAt: signer.at };
  } else {
    const p = doc.present?.[signer.key];
    if (!p) return bad('signer', '只有已出示执法证件并签到的检查人员才能签字');
    signature = {
      role: 'inspector',
      name: p.name,
      userId: signer.key,
      sha256: signer.sha256,
      signedAt: signer.at,
    };
  }
  return { ok: true, value: { ...doc, signatures: { ...(doc.signatures ?? {}), [signer.key]: signature } } };
}

/**
 * What stands between the record and its signing (complete: false — only what is wrong now). The server
 * refuses a record that becomes 已签字 with any of these (workflow.ts).
 */
export function visitProblems(
  doc: InspectionDoc,
  options: { complete: boolean; inspectorsMin?: number },
): InputProblem[] {
  const problems: InputProblem[] = [];
  const min = options.inspectorsMin ?? 2;
  const assigned = new Map(doc.inspectors.map((i) => [i.userId, i]));
  for (const [userId, p] of Object.entries(doc.present ?? {})) {
    const a = assigned.get(userId);
    if (!a) problems.push({ field: `present.${userId}`, message: '签到人员不是本次抽取的检查人员' });
    else if (p.enforcementId !== a.enforcementId || p.name !== a.name)
      problems.push({ field: `present.${userId}`, message: `${a.name}的签到信息与抽取名单不符` });
    if (p.noConflict !== true)
      problems.push({
        field: `present.${userId}`,
        message: `${p.name}未确认与检查对象无利害关系（${ruleName('R-INSP-RECUSE')}）`,
      });
  }
  const checklist = filledChecklist(doc);
  for (const id of Object.keys(doc.checks ?? {}))
    if (!doc.template.items.some((i) => i.id === id))
      problems.push({
        field: `checks.${id}`,
        message: `检查项目“${id.slice(0, 40)}”不在本次检查所用的模板中`,
      });
  problems.push(...checklistProblems(checklist, doc.template, { complete: options.complete }));
  const sampleIds = new Set(doc.sample?.students ?? []);
  for (const id of Object.keys(doc.sampleChecks ?? {}))
    if (!sampleIds.has(id))
      problems.push({ field: `sampleChecks.${id}`, message: '核查的档案不属于抽查学生' });
  for (const [key, s] of Object.entries(doc.signatures ?? {})) {
    if (key === SCHOOL_HEAD) {
      if (s.role !== 'schoolHead' || s.name !== doc.schoolHead)
        problems.push({ field: 'signatures.schoolHead', message: '被检查单位负责人的签字与所填姓名不符' });
    } else if (
      s.role !== 'inspector' ||
      s.userId !== key ||
      !doc.present?.[key] ||
      s.name !== doc.present[key]?.name
    )
      problems.push({ field: `signatures.${key}`, message: '签字人不是已签到的检查人员' });
    if (!/^[0-9a-f]{64}$/.test(s.sha256))
      problems.push({ field: `signatures.${key}`, message: '签名图片的内容校验码不对' });
  }
  if (!options.complete) return problems;
  const present = Object.entries(doc.present ?? {}).filter(([id, p]) => p.noConflict && assigned.has(id));
  if (present.length < min)
    problems.push({
      field: 'present',
      message: `只有 ${present.length} 名检查人员出示执法证件签到；${ruleName('R-INSP-2')}：实地核查人员不得少于 ${min} 人，并应当出示执法证件（YQ 总述 二）`,
    });
  for (const [id, p] of present)
    if (!doc.signatures?.[id])
      problems.push({ field: `signatures.${id}`, message: `检查人员${p.name}还没有签字` });
  if (!doc.schoolHead?.trim())
    problems.push({ field: 'schoolHead', message: '请填写被检查单位负责人的姓名' });
  else if (!doc.signatures?.[SCHOOL_HEAD])
    problems.push({ field: 'signatures.schoolHead', message: `被检查单位负责人${doc.schoolHead}还没有签字` });
  if (!doc.startedAt) problems.push({ field: 'startedAt', message: '缺少检查开始时间' });
  if (!doc.endedAt) problems.push({ field: 'endedAt', message: '缺少检查结束时间' });
  // The archive item is checked on sampled folders (its method: 抽查学生纸质档案).
  for (const item of doc.template.items) {
    if (!item.assists.includes('archiveSample')) continue;
    const finding = doc.checks?.[item.id]?.finding;
    if (finding === 'notApplicable' || finding === null || finding === undefined) continue;
    if (!doc.sample)
      problems.push({
        field: 'sample',
        message: `检查项目${item.no}“${item.title}”须抽查学生纸质档案，请先抽取学生`,
      });
    else {
      const left = uncheckedSampleParts(doc);
      if (left > 0) problems.push({ field: 'sampleChecks', message: `抽查学生的档案还有 ${left} 项未核对` });
    }
  }
  for (const item of doc.template.items) {
    if (!item.assists.includes('duplicateCheck')) continue;
    const finding = doc.checks?.[item.id]?.finding;
    if (finding && finding !== 'notApplicable' && !doc.duplicates)
      problems.push({ field: 'duplicates', message: `检查项目${item.no}“${item.title}”须进行重复注册核查` });
  }
  return problems;
}

/** Ends the visit: the record is signed and complete, and may no longer change. */
export function completeVisit(
  doc: InspectionDoc,
  o: { at: string; by: string; inspectorsMin?: number },
): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  const next: InspectionDoc = { ...doc, endedAt: doc.endedAt ?? o.at };
  const problems = visitProblems(next, { complete: true, inspectorsMin: o.inspectorsMin });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { ...next, status: 'recorded', recordedAt: o.at, recordedBy: o.by } };
}

/** Sets the end time of the visit (before signing). */
export function setEndTime(doc: InspectionDoc, at: string): Parsed<InspectionDoc> {
  const closed = open(doc);
  if (closed) return { ok: false, problems: [closed] };
  if (doc.startedAt && at < doc.startedAt) return bad('endedAt', '结束时间早于开始时间');
  return { ok: true, value: { ...doc, endedAt: at } };
}

/** Is this sample what its seed gives for the roster the server recorded with the pack? */
export function sampleVerifies(doc: Pick<InspectionDoc, 'sample'>, rosterIds: readonly string[]): boolean {
  return doc.sample ? verifySampleStudents(doc.sample, rosterIds) : true;
}

export const FINDING_LABELS = CHECK_FINDINGS;

/** The text 发现的问题 suggests from the findings and the sample (the inspector edits it). */
export function suggestedProblems(doc: InspectionDoc): string {
  const lines: string[] = [];
  for (const item of doc.template.items) {
    const c = doc.checks?.[item.id];
    if (c?.finding === 'nonConforming') lines.push(`${item.no}${item.title}：${c.notes.trim()}`);
  }
  const diffs = archiveDifferences(doc);
  if (diffs.length > 0)
    lines.push(
      `抽查 ${doc.sample?.students.length ?? 0} 名学生的纸质档案，${diffs.length} 处与系统登记不符：${diffs
        .slice(0, 10)
        .map((d) => `${d.name}${d.text}`)
        .join('；')}${diffs.length > 10 ? '等' : ''}`,
    );
  const d = doc.duplicates;
  if (d && (d.within > 0 || d.elsewhere > 0 || d.invalid > 0))
    lines.push(
      `重复注册核查：本校重复 ${d.within} 组，与其他学校重复 ${d.elsewhere} 人，证件号无效 ${d.invalid} 人`,
    );
  return lines.join('\n');
}

/** Evidence of the whole record for its list: every trace and every signature. */
export function recordEvidence(doc: InspectionDoc) {
  return evidenceList(filledChecklist(doc), doc.template);
}

export function recordRows(doc: InspectionDoc) {
  return recordChecks(filledChecklist(doc), doc.template);
}
