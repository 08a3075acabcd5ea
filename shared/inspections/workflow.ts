// Who may write which inspection record at which step (issue 14). The authority table admits the parties of
// a record (its bureau, its inspectors, the inspected school); this is what each of them may do — the
// server runs it on every pushed row of `inspections` with the facts it holds (the register of accounts
// and schools, the stored parent inspection, the rosters of the visit packs it built), and the app's
// commands run the same steps before they write (plan.ts, visit.ts), so a record the app would refuse is
// refused on the server with the same words.
//   plan       bureau: draft freely against the register; published: fixed (the public list stands)
//   template   bureau: a version is created once (revisions are new versions)
//   inspection made by the server when the plan is published; its inspectors fill the visit until it is
//              signed (已签字, fixed); the bureau records the publication of the results (R-PUBLISH-20)
//   report     an inspector or the bureau drafts and serves it; the school signs for it
//   followUp   an inspector or the bureau opens it; the school answers with evidence; they close it
//   selfCheck  the school's own, on a template

import { chinaDate } from '../calendar/china';
import { isYmd } from '../calendar/dates';
import type { ArchiveItemState } from '../domain/student';
import { inspectionReportForm } from '../forms/defs/inspection-report';
import { FormDataError } from '../forms/shape';
import { valueEqual } from '../sync/equal';
import type { SyncUser } from '../sync/protocol';
import type { RuleRefusal } from '../sync/rules';
import { checklistProblems } from './checklist';
import { type DrawRegister, planProblems } from './plan';
import {
  type FollowUpDoc,
  type InspectionDoc,
  type InspectionRecord,
  idFitsKind,
  type PlanDoc,
  type ReportDoc,
  reportIdOf,
  type SelfCheckDoc,
  type TemplateDoc,
  templateDocIdOf,
} from './records';
import { type ChecklistTemplate, templateProblems } from './templates';
import { filledChecklist, sampleVerifies, visitProblems } from './visit';

export type WriteFacts = {
  /** the register of the plan's bureau (plans) */
  register?: DrawRegister;
  /** the templates a plan may name: the shipped ones and the bureau's own versions */
  templates?: readonly ChecklistTemplate[];
  /** the stored parent inspection (reports, follow-ups) */
  parent?: InspectionDoc | null;
  /** the visit packs the server built for this inspection: roster ids and claimed archive states */
  packs?: ReadonlyMap<
    string,
    { rosterIds: readonly string[]; claims: Readonly<Record<string, Record<string, ArchiveItemState>>> }
  >;
  /** R-INSP-2's setting (default 2) */
  inspectorsMin?: number;
};

export type InspectionWrite = {
  user: Pick<SyncUser, 'id' | 'role' | 'orgId'>;
  before: InspectionRecord | null;
  after: InspectionRecord;
  facts: WriteFacts;
};

const refuse = (reason: string, field?: string, code = 'WORKFLOW'): RuleRefusal => ({
  code,
  reason,
  ...(field ? { field } : {}),
});

const STAMPS = ['updatedAt', 'updatedBy'];

/** Fields that differ between two records (bookkeeping of RxDB ignored). */
function changed(before: object | null, after: object): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => !k.startsWith('_') && !valueEqual(b[k], a[k]),
  );
}

function onlyFields(
  before: object | null,
  after: object,
  allowed: readonly string[],
  who: string,
): RuleRefusal | null {
  const extra = changed(before, after).filter((f) => !allowed.includes(f) && !STAMPS.includes(f));
  return extra.length > 0
    ? refuse(`${who}不能修改这些内容：${extra.slice(0, 5).join('、')}`, extra[0])
    : null;
}

function stampsOf(w: InspectionWrite): RuleRefusal | null {
  const a = w.after;
  // R-WHO: every write names its writer.
  if (a.updatedBy !== w.user.id) return refuse('检查记录的修改人应为本人（R-WHO）', 'updatedBy', 'INVALID');
  if (!w.before) {
    if (a.createdBy !== w.user.id) return refuse('检查记录的创建人应为本人（R-WHO）', 'createdBy', 'INVALID');
  } else if (a.createdAt !== w.before.createdAt || a.createdBy !== w.before.createdBy)
    return refuse('检查记录的创建人和创建时间不能修改（R-WHO）', 'createdBy', 'INVALID');
  return null;
}

/** The refusal of one pushed inspection record, or null when this user may write it. */
export function inspectionWriteProblem(w: InspectionWrite): RuleRefusal | null {
  if ((w.after as { _deleted?: boolean })._deleted === true)
    return refuse('检查记录不能删除', '_deleted', 'WORKFLOW');
  if (w.after.kind === 'inspection' && !w.before)
    return refuse('实地核查记录在抽查计划公示时由系统生成，不能另行新增', 'kind', 'WORKFLOW');
  const stamps = stampsOf(w);
  if (stamps) return stamps;
  if (!w.before && !idFitsKind(w.after.id, w.after.kind))
    return refuse('检查记录的编号格式不对', 'id', 'INVALID');
  switch (w.after.kind) {
    case 'plan':
      return planWrite(w as InspectionWrite & { after: PlanDoc; before: PlanDoc | null });
    case 'template':
      return templateWrite(w as InspectionWrite & { after: TemplateDoc; before: TemplateDoc | null });
    case 'inspection':
      return visitWrite(w as InspectionWrite & { after: InspectionDoc; before: InspectionDoc | null });
    case 'report':
      return reportWrite(w as InspectionWrite & { after: ReportDoc; before: ReportDoc | null });
    case 'followUp':
      return followUpWrite(w as InspectionWrite & { after: FollowUpDoc; before: FollowUpDoc | null });
    case 'selfCheck':
      return selfCheckWrite(w as InspectionWrite & { after: SelfCheckDoc; before: SelfCheckDoc | null });
    default:
      return refuse('检查记录的类别不是允许的取值', 'kind', 'INVALID');
  }
}

const isBureauOf = (u: InspectionWrite['user'], bureauId: string) =>
  u.role === 'bureau' && u.orgId === bureauId;

// ---- plan -------------------------------------------------------------------------------------------

function planWrite(w: InspectionWrite & { after: PlanDoc; before: PlanDoc | null }): RuleRefusal | null {
  const { after, before, user } = w;
  if (!isBureauOf(user, after.bureauId))
    return refuse('抽查计划由教育局制定，并由制定它的教育局修改', 'kind', 'WORKFLOW');
  if (after.status !== 'draft' && after.status !== 'published')
    return refuse('抽查计划的状态不对', 'status', 'INVALID');
  if (before?.status === 'published')
    return refuse(`抽查计划“${before.title}”已公示，抽取结果和输入不能再修改`, 'status', 'WORKFLOW');
  if (!w.facts.register || !w.facts.templates)
    return refuse('服务器未能读取本局的执法检查人员名录', 'inputs');
  const problems = planProblems(after, { register: w.facts.register, templates: w.facts.templates });
  const first = problems[0];
  if (first) return refuse(first.message, first.field, 'INVALID');
  if (after.status === 'published') {
    if (!after.draw) return refuse('尚未抽取的计划不能公示', 'draw');
    if (after.publishedBy !== user.id || !after.publishedAt)
      return refuse('公示人和公示时间应为本人、本次', 'publishedBy', 'INVALID');
  }
  return null;
}

// ---- template ---------------------------------------------------------------------------------------

function templateWrite(
  w: InspectionWrite & { after: TemplateDoc; before: TemplateDoc | null },
): RuleRefusal | null {
  const { after, before, user } = w;
  if (!isBureauOf(user, after.bureauId)) return refuse('检查清单模板由教育局制定', 'kind', 'WORKFLOW');
  if (before) return refuse(`模板“${before.title}”发布后不可修改，请另出新版本`, 'template', 'WORKFLOW');
  if (after.status !== 'active') return refuse('模板的状态不对', 'status', 'INVALID');
  const p = templateProblems(after.template)[0];
  if (p) return refuse(p.message, `template.${p.field}`, 'INVALID');
  if (after.template.owner !== after.bureauId)
    return refuse('模板的所属单位应为本局', 'template.owner', 'INVALID');
  if (after.id !== templateDocIdOf(after.template))
    return refuse('模板记录的编号与模板版本不符', 'id', 'INVALID');
  return null;
}

// ---- inspection -------------------------------------------------------------------------------------

const VISIT_FIELDS = [
  'status',
  'startedAt',
  'endedAt',
  'present',
  'checks',
  'sample',
  'sampleChecks',
  'duplicates',
  'problems',
  'handling',
  'schoolHead',
  'signatures',
  'recordedAt',
  'recordedBy',
];
// A visit done wholly offline reaches the server as one push: assigned → recorded at once.
const NEXT_STATUS: Record<string, readonly string[]> = {
  assigned: ['assigned', 'onSite', 'recorded'],
  onSite: ['onSite', 'recorded'],
};

function visitWrite(
  w: InspectionWrite & { after: InspectionDoc; before: InspectionDoc | null },
): RuleRefusal | null {
  const { after, before, user } = w;
  if (!before) return refuse('实地核查记录在抽查计划公示时由系统生成，不能另行新增', 'kind', 'WORKFLOW');
  if (user.role === 'inspector' && before.inspectors.some((i) => i.userId === user.id)) {
    if (before.status === 'recorded' || before.status === 'published')
      return refuse('检查情况记录已签字确认，不能再修改', 'status', 'WORKFLOW');
    const fields = onlyFields(before, after, VISIT_FIELDS, '检查人员');
    if (fields) return fields;
    if (!NEXT_STATUS[before.status]?.includes(after.status))
      return refuse(`检查状态不能由“${before.status}”改为“${after.status}”`, 'status');
    if (!valueEqual(before.sample, after.sample)) {
      if (before.sample) return refuse('抽查学生已抽取，不能重抽', 'sample', 'WORKFLOW');
      const pack = after.sample ? w.facts.packs?.get(after.sample.rosterHash) : undefined;
      if (!pack || !sampleVerifies(after, pack.rosterIds))
        return refuse(
          '抽查学生名单不是所记随机种子对服务器所发检查资料中花名册的抽取结果',
          'sample',
          'INVALID',
        );
    }
    if (!valueEqual(before.sampleChecks, after.sampleChecks) && after.sample) {
      const pack = w.facts.packs?.get(after.sample.rosterHash);
      for (const [id, c] of Object.entries(after.sampleChecks ?? {})) {
        const claims = pack?.claims[id];
        if (!claims || !valueEqual(claims, c.claimed))
          return refuse(
            `抽查学生${c.name}的“学校登记情况”与服务器所发检查资料不符`,
            `sampleChecks.${id}`,
            'INVALID',
          );
      }
    }
    const complete = after.status === 'recorded';
    const problem = visitProblems(after, { complete, inspectorsMin: w.facts.inspectorsMin })[0];
    if (problem) return refuse(problem.message, problem.field, 'INVALID');
    if (complete && (after.recordedBy !== user.id || !after.recordedAt))
      return refuse('签字确认人应为本人', 'recordedBy', 'INVALID');
    return null;
  }
  if (isBureauOf(user, before.bureauId)) {
    const fields = onlyFields(before, after, ['publication', 'status'], '检查单位');
    if (fields) return fields;
    if (!valueEqual(before.publication, after.publication) || before.status !== after.status) {
      if (before.status !== 'recorded' || after.status !== 'published' || !after.publication)
        return refuse('检查情况记录签字确认后，才能登记结果公开', 'publication');
      const p = after.publication;
      if (!isYmd(p.on)) return refuse('公开日期应为 YYYY-MM-DD', 'publication.on', 'INVALID');
      if (before.endedAt && p.on < chinaDate(before.endedAt))
        return refuse('公开日期早于检查结束日期', 'publication.on', 'INVALID');
      if (!p.where.trim())
        return refuse('请填写公开的方式或网址（R-PUBLISH-20）', 'publication.where', 'INVALID');
      if (p.by !== user.id) return refuse('登记人应为本人', 'publication.by', 'INVALID');
    }
    return null;
  }
  return refuse(
    '被检查学校不能修改检查记录；对检查结果有异议，请在整改事项中回复或向检查单位反映',
    'status',
    'WORKFLOW',
  );
}

// ---- report -----------------------------------------------------------------------------------------

const REPORT_TEXT = [
  'docNo',
  'issuer',
  'schoolName',
  'inspectionDate',
  'inspectionEndDate',
  'reportDate',
  'inspectorNames',
  'content',
  'situation',
  'evaluation',
  'suggestions',
  'title',
  'status',
  'issuedAt',
  'issuedBy',
];

/** The report as the 检查报告 form checks it (every field named on a problem). */
export function reportFormProblem(r: ReportDoc): { field: string; message: string } | null {
  try {
    inspectionReportForm.shape(
      {
        recordId: r.id,
        ...(r.docNo ? { docNo: r.docNo } : {}),
        schoolName: r.schoolName,
        issuer: r.issuer,
        inspectionDate: r.inspectionDate,
        ...(r.inspectionEndDate ? { inspectionEndDate: r.inspectionEndDate } : {}),
        reportDate: r.reportDate,
        inspectors: r.inspectorNames,
        content: r.content,
        situation: r.situation,
        evaluation: r.evaluation,
        suggestions: r.suggestions,
      },
      '',
    );
    return null;
  } catch (e) {
    if (e instanceof FormDataError) {
      // The form's message names the data path; a person reads the label and what is wrong.
      const detail = e.message.slice(`数据有误：字段 ${e.field}（${e.label}）`.length);
      return { field: e.field || 'content', message: `“${e.label}”${detail}` };
    }
    throw e;
  }
}

function reportWrite(
  w: InspectionWrite & { after: ReportDoc; before: ReportDoc | null },
): RuleRefusal | null {
  const { after, before, user } = w;
  const parent = w.facts.parent;
  if (!parent) return refuse('所属的实地核查记录不存在', 'inspectionId', 'INVALID');
  const writer =
    (user.role === 'inspector' && parent.inspectors.some((i) => i.userId === user.id)) ||
    isBureauOf(user, parent.bureauId);
  if (!before) {
    if (after.id !== reportIdOf(parent.id)) return refuse('一次检查只有一份检查报告', 'id', 'INVALID');
    if (after.inspectionId !== parent.id) return refuse('检查报告所属的检查不对', 'inspectionId', 'INVALID');
  }
  if (parent.status !== 'recorded' && parent.status !== 'published')
    return refuse('检查情况记录签字确认后才能出具检查报告', 'inspectionId');
  if (user.role === 'schoolAdmin') {
    if (before?.status !== 'issued' || after.status !== 'received')
      return refuse('被检查学校只能签收已送达的检查报告', 'status', 'WORKFLOW');
    const fields = onlyFields(
      before,
      after,
      ['status', 'receivedAt', 'receivedBy', 'receivedByName'],
      '被检查学校',
    );
    if (fields) return fields;
    if (after.receivedBy !== user.id || !after.receivedAt)
      return refuse('签收人应为本人', 'receivedBy', 'INVALID');
    return null;
  }
  if (!writer) return refuse('检查报告由本次检查的检查人员或检查单位出具', 'kind', 'WORKFLOW');
  if (before && before.status !== 'draft') return refuse('检查报告已送达，不能再修改', 'status', 'WORKFLOW');
  const fields = onlyFields(
    before,
    after,
    [
      ...REPORT_TEXT,
      'id',
      'kind',
      'inspectionId',
      'schoolId',
      'bureauId',
      'orgPath',
      'createdAt',
      'createdBy',
    ],
    '检查人员',
  );
  if (fields) return fields;
  if (after.status === 'draft') return null;
  if (after.status !== 'issued') return refuse('检查报告只能先保存草稿，再送达', 'status');
  const problem = reportFormProblem(after);
  if (problem) return refuse(`检查报告：${problem.message}`, problem.field, 'INVALID');
  // Days are Beijing days, as the report's draft wrote them (print.ts): an inspection that ended after
  // 16:00 UTC ended on the next Beijing date.
  if (
    parent.endedAt &&
    after.inspectionDate !== chinaDate(parent.endedAt) &&
    after.inspectionEndDate !== chinaDate(parent.endedAt)
  )
    return refuse('检查报告的检查日期与检查情况记录不符', 'inspectionDate', 'INVALID');
  if (after.issuedBy !== user.id || !after.issuedAt) return refuse('送达人应为本人', 'issuedBy', 'INVALID');
  return null;
}

// ---- follow-up --------------------------------------------------------------------------------------

function followUpWrite(
  w: InspectionWrite & { after: FollowUpDoc; before: FollowUpDoc | null },
): RuleRefusal | null {
  const { after, before, user } = w;
  const parent = w.facts.parent;
  if (!parent) return refuse('所属的实地核查记录不存在', 'inspectionId', 'INVALID');
  const reviewer =
    (user.role === 'inspector' && parent.inspectors.some((i) => i.userId === user.id)) ||
    isBureauOf(user, parent.bureauId);
  const school = user.role === 'schoolAdmin' && user.orgId === parent.schoolId;
  if (!before) {
    if (!reviewer) return refuse('整改事项由检查人员或检查单位提出', 'kind', 'WORKFLOW');
    if (parent.status !== 'recorded' && parent.status !== 'published')
      return refuse('检查情况记录签字确认后才能提出整改事项', 'inspectionId');
    const item = parent.template.items.find((i) => i.id === after.itemId);
    if (!item || item.no !== after.itemNo || item.title !== after.itemTitle)
      return refuse('整改事项所属的检查项目不在本次检查的清单中', 'itemId', 'INVALID');
    if (after.status !== 'open' || after.answers.length > 0 || after.reviews.length > 0)
      return refuse('新提出的整改事项应为“待整改”', 'status', 'INVALID');
    if (!after.problem.trim()) return refuse('请写明发现的问题', 'problem', 'INVALID');
    if (after.dueDate !== undefined && !isYmd(after.dueDate))
      return refuse('整改期限应为 YYYY-MM-DD', 'dueDate', 'INVALID');
    return null;
  }
  if (before.status === 'closed') return refuse('整改事项已销号，不能再修改', 'status', 'WORKFLOW');
  const appended = <T>(b: readonly T[], a: readonly T[]) =>
    a.length >= b.length && b.every((x, i) => valueEqual(x, a[i]));
  if (school) {
    const fields = onlyFields(before, after, ['answers', 'status'], '被检查学校');
    if (fields) return fields;
    if (!appended(before.answers, after.answers) || after.answers.length === before.answers.length)
      return refuse('学校只能追加整改回复，已提交的回复不能改动', 'answers');
    for (const a of after.answers.slice(before.answers.length)) {
      if (a.by !== user.id) return refuse('回复人应为本人', 'answers', 'INVALID');
      if (!a.text.trim() && a.evidence.length === 0)
        return refuse('整改回复须有文字说明或证明材料', 'answers', 'INVALID');
    }
    if (after.status !== 'answered') return refuse('提交回复后整改事项应为“已回复”', 'status', 'INVALID');
    return null;
  }
  if (!reviewer) return refuse('整改事项由检查人员或检查单位审核', 'status', 'WORKFLOW');
  const fields = onlyFields(
    before,
    after,
    ['reviews', 'status', 'problem', 'requirement', 'dueDate'],
    '检查人员',
  );
  if (fields) return fields;
  if (
    ['problem', 'requirement', 'dueDate'].some((f) => changed(before, after).includes(f)) &&
    before.answers.length > 0
  )
    return refuse('学校已回复的整改事项，其问题和要求不能再改', 'problem');
  if (!appended(before.reviews, after.reviews)) return refuse('已作出的审核意见不能改动', 'reviews');
  const added = after.reviews.slice(before.reviews.length);
  if (added.length > 1) return refuse('一次只能作出一条审核意见', 'reviews');
  const review = added[0];
  if (review) {
    if (review.by !== user.id) return refuse('审核人应为本人', 'reviews', 'INVALID');
    const want = review.decision === 'close' ? 'closed' : 'open';
    if (after.status !== want)
      return refuse(
        `审核意见为“${review.decision === 'close' ? '销号' : '退回'}”，状态应随之改变`,
        'status',
        'INVALID',
      );
    if (review.decision === 'reopen' && !review.note.trim())
      return refuse('退回整改须写明理由', 'reviews', 'INVALID');
  } else if (after.status !== before.status) return refuse('整改事项的状态随审核意见改变', 'status');
  return null;
}

// ---- self-check -------------------------------------------------------------------------------------

function selfCheckWrite(
  w: InspectionWrite & { after: SelfCheckDoc; before: SelfCheckDoc | null },
): RuleRefusal | null {
  const { after, before, user } = w;
  if (!(user.role === 'schoolAdmin' && user.orgId === after.schoolId))
    return refuse('学校自查由学校本身进行', 'kind', 'WORKFLOW');
  if (before?.status === 'done')
    return refuse('自查已完成，不能再修改；可另行开始一次自查', 'status', 'WORKFLOW');
  if (before && !valueEqual(before.template, after.template))
    return refuse('自查所用的模板不能更换', 'template');
  if (after.status !== 'open' && after.status !== 'done')
    return refuse('自查的状态不对', 'status', 'INVALID');
  const t = templateProblems(after.template)[0];
  if (t) return refuse(t.message, `template.${t.field}`, 'INVALID');
  const c = checklistProblems(filledChecklist(after), after.template, { complete: false })[0];
  if (c) return refuse(c.message, c.field, 'INVALID');
  for (const id of Object.keys(after.checks))
    if (!after.template.items.some((i) => i.id === id))
      return refuse('自查项目不在模板中', `checks.${id}`, 'INVALID');
  return null;
}
