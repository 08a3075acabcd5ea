// A bureau's 抽查计划 (issue 14 "The random draw"; DOMAIN.md "Inspections" step 1): it picks the matter,
// the objects (its schools, with risk weights), the inspector pool (its inspector accounts with their
// 执法证号 and declared conflicts), a ratio or a count, K ≥ 2 per object (R-INSP-2) and a seed; the app draws
// (draw.ts), the bureau publishes (一公开), and each drawn school becomes an inspection assigned to its
// inspectors (inspectionsOfPlan, run by the server in the same transaction as the publication). The
// server re-checks every plan it accepts against its own register of accounts and schools (planProblems):
// a client's draw, inputs or public list are never trusted.
import { isYmd } from '../calendar/dates';
import type { SchoolType } from '../domain/schemas';
import { checkDrawRules, drawInspection, verifyDraw } from './draw';
import type { DrawInputs, DrawMatter, DrawSize, InputProblem, Parsed } from './draw-input';
import { type DrawPublication, publishDraw } from './draw-publication';
import { type AssignedInspector, type InspectionDoc, inspectionIdOf, type PlanDoc } from './records';
import { BUILT_IN_TEMPLATES, type ChecklistTemplate, findTemplate, templateRef } from './templates';

/** An inspector account of the bureau's area as the server knows it (the register of enforcement staff). */
export type RegisterInspector = {
  /** the account's user id */
  id: string;
  name: string;
  enforcementId: string | null;
  /** school ids the inspector declared a conflict of interest with (R-INSP-RECUSE) */
  conflicts: readonly string[];
};

/** A school of the bureau's area (the register of inspection objects). */
export type RegisterSchool = { id: string; name: string; schoolType: SchoolType; path: string };

export type DrawRegister = {
  bureau: { id: string; name: string; path: string };
  inspectors: readonly RegisterInspector[];
  schools: readonly RegisterSchool[];
};

const bad = <T>(field: string, message: string): Parsed<T> => ({ ok: false, problems: [{ field, message }] });

/** A new plan of a bureau: every school at weight 1, every inspector with an enforcement ID, 20 %, K = 2. */
export function newPlan(o: {
  id: string;
  register: DrawRegister;
  matter: DrawMatter;
  at: string;
  by: string;
}): PlanDoc {
  const r = o.register;
  const [voc, k12] = [BUILT_IN_TEMPLATES[0], BUILT_IN_TEMPLATES[1]] as [ChecklistTemplate, ChecklistTemplate];
  return {
    id: o.id,
    kind: 'plan',
    schoolId: r.bureau.id,
    bureauId: r.bureau.id,
    orgPath: r.bureau.path,
    title: o.matter.name,
    status: 'draft',
    matter: o.matter,
    inputs: {
      objects: r.schools.map((s) => ({ id: s.id, name: s.name, weight: 1 })),
      inspectors: r.inspectors
        .filter((i) => i.enforcementId?.trim())
        .map((i) => ({
          id: i.id,
          name: i.name,
          enforcementId: i.enforcementId,
          conflicts: [...i.conflicts],
        })),
      size: { ratio: 0.2 },
      perObject: 2,
    },
    templates: { vocational: templateRef(voc), k12: templateRef(k12) },
    createdAt: o.at,
    createdBy: o.by,
    updatedAt: o.at,
    updatedBy: o.by,
  };
}

export type PlanChange = {
  matter?: DrawMatter;
  /** the objects chosen from the register, with risk weights */
  objects?: { id: string; weight: number }[];
  /** the inspector ids chosen from the register */
  inspectors?: string[];
  size?: DrawSize;
  perObject?: number;
  seed?: string;
  visitFrom?: string;
  visitTo?: string;
  templates?: PlanDoc['templates'];
};

/**
 * Changes the inputs of a draft plan from the register (names, enforcement IDs and conflicts always come
 * from the register, never typed); a changed input drops an earlier draw, which no longer fits.
 */
export function changePlan(
  plan: PlanDoc,
  change: PlanChange,
  register: DrawRegister,
  stamp: { at: string; by: string },
): Parsed<PlanDoc> {
  if (plan.status === 'published') return bad('status', `抽查计划“${plan.title}”已公示，不能再修改`);
  const schools = new Map(register.schools.map((s) => [s.id, s]));
  const people = new Map(register.inspectors.map((p) => [p.id, p]));
  const inputs = { ...plan.inputs };
  if (change.objects) {
    const out: PlanDoc['inputs']['objects'] = [];
    for (const [i, o] of change.objects.entries()) {
      const s = schools.get(o.id);
      if (!s) return bad(`objects[${i}]`, `第 ${i + 1} 个检查对象不是本局辖区内的学校`);
      if (!Number.isInteger(o.weight) || o.weight < 1 || o.weight > 1000)
        return bad(`objects[${i}].weight`, `“${s.name}”的风险权重应为 1 到 1000 的整数，现为 ${o.weight}`);
      out.push({ id: s.id, name: s.name, weight: o.weight });
    }
    inputs.objects = out;
  }
  if (change.inspectors) {
    const out: PlanDoc['inputs']['inspectors'] = [];
    for (const id of change.inspectors) {
      const p = people.get(id);
      if (!p) return bad('inspectors', '所选人员不在本局的执法检查人员名录中');
      out.push({ id: p.id, name: p.name, enforcementId: p.enforcementId, conflicts: [...p.conflicts] });
    }
    inputs.inspectors = out;
  }
  if (change.size) inputs.size = change.size;
  if (change.perObject !== undefined) inputs.perObject = change.perObject;
  for (const f of ['visitFrom', 'visitTo'] as const) {
    const v = change[f];
    if (v !== undefined && v !== '' && !isYmd(v)) return bad(f, '检查日期应为 YYYY-MM-DD');
  }
  const seed = change.seed !== undefined ? change.seed.trim() : plan.seed;
  const drawChanged =
    change.objects !== undefined ||
    change.inspectors !== undefined ||
    change.size !== undefined ||
    change.perObject !== undefined ||
    change.matter !== undefined ||
    seed !== plan.seed;
  const { draw: _d, drawDate: _dd, drawnAt: _da, drawnBy: _db, ...rest } = plan;
  const next: PlanDoc = {
    ...(drawChanged ? rest : plan),
    ...(change.matter ? { matter: change.matter, title: change.matter.name } : {}),
    inputs,
    ...(seed ? { seed } : {}),
    ...(change.visitFrom !== undefined ? { visitFrom: change.visitFrom } : {}),
    ...(change.visitTo !== undefined ? { visitTo: change.visitTo } : {}),
    ...(change.templates ? { templates: change.templates } : {}),
    updatedAt: stamp.at,
    updatedBy: stamp.by,
  };
  if (!seed) delete next.seed;
  return { ok: true, value: next };
}

export function drawInputsOf(plan: Pick<PlanDoc, 'matter' | 'inputs'>): DrawInputs {
  return { matter: plan.matter, ...plan.inputs };
}

/** Runs the draw of a draft plan with its seed; the result is kept with the day it was drawn. */
export function drawPlan(plan: PlanDoc, o: { at: string; by: string; date: string }): Parsed<PlanDoc> {
  if (plan.status === 'published') return bad('status', `抽查计划“${plan.title}”已公示，不能重新抽取`);
  if (!plan.seed) return bad('seed', '请先填写随机种子（公开后任何人可用它复核抽取结果）');
  const outcome = drawInspection(drawInputsOf(plan), plan.seed);
  if (!outcome.ok)
    return {
      ok: false,
      problems:
        outcome.kind === 'impossible'
          ? [{ field: 'inspectors', message: outcome.message }]
          : outcome.problems,
    };
  return {
    ok: true,
    value: {
      ...plan,
      draw: outcome.result,
      drawDate: o.date,
      drawnAt: o.at,
      drawnBy: o.by,
      updatedAt: o.at,
      updatedBy: o.by,
    },
  };
}

/** The public list of a drawn plan (一公开). */
export function planPublication(plan: PlanDoc): Parsed<DrawPublication> {
  if (!plan.draw || !plan.drawDate) return bad('draw', '尚未抽取');
  const p = publishDraw(plan.draw, drawInputsOf(plan), { date: plan.drawDate });
  return p.ok
    ? { ok: true, value: p.publication }
    : { ok: false, problems: p.reasons.map((message) => ({ field: 'draw', message })) };
}

/** Publishes a drawn plan: its draw must be exactly what the seed gives. */
export function publishPlan(plan: PlanDoc, o: { at: string; by: string }): Parsed<PlanDoc> {
  if (plan.status === 'published') return bad('status', '抽查计划已公示');
  const pub = planPublication(plan);
  if (!pub.ok) return pub;
  return {
    ok: true,
    value: {
      ...plan,
      status: 'published',
      publishedAt: o.at,
      publishedBy: o.by,
      updatedAt: o.at,
      updatedBy: o.by,
    },
  };
}

/**
 * What is wrong with a plan against the server's register and the templates it may name. Run by the server
 * on every plan it accepts and by the app before it saves.
 */
export function planProblems(
  plan: PlanDoc,
  facts: { register: DrawRegister; templates: readonly ChecklistTemplate[] },
): InputProblem[] {
  const problems: InputProblem[] = [];
  const { register } = facts;
  if (plan.bureauId !== register.bureau.id)
    problems.push({ field: 'bureauId', message: '抽查计划只能由本局制定' });
  if (!plan.matter?.id?.trim() || !plan.matter?.name?.trim())
    problems.push({ field: 'matter', message: '请填写抽查事项（编号和名称）' });
  const schools = new Map(register.schools.map((s) => [s.id, s]));
  plan.inputs.objects.forEach((o, i) => {
    const s = schools.get(o.id);
    if (!s)
      problems.push({ field: `inputs.objects[${i}]`, message: `检查对象“${o.name}”不是本局辖区内的学校` });
    else if (s.name !== o.name)
      problems.push({
        field: `inputs.objects[${i}].name`,
        message: `检查对象的名称应为“${s.name}”（现为“${o.name}”）`,
      });
  });
  const people = new Map(register.inspectors.map((p) => [p.id, p]));
  plan.inputs.inspectors.forEach((p, i) => {
    const r = people.get(p.id);
    const at = `inputs.inspectors[${i}]`;
    if (!r) {
      problems.push({ field: at, message: `“${p.name}”不是本局执法检查人员名录中的人员` });
      return;
    }
    if (r.name !== p.name || (r.enforcementId ?? null) !== (p.enforcementId ?? null))
      problems.push({
        field: `${at}.enforcementId`,
        message: `检查人员“${r.name}”的姓名或执法证号与名录不符（应为 ${r.enforcementId ?? '无执法证号'}）`,
      });
    const missing = r.conflicts.filter((c) => !p.conflicts.includes(c));
    if (missing.length > 0)
      problems.push({
        field: `${at}.conflicts`,
        message: `检查人员“${r.name}”申报的利害关系（${missing.map((c) => schools.get(c)?.name ?? c).join('、')}）未列入抽取输入；R-INSP-RECUSE：实地核查人员与检查对象有利害关系的，应依法回避（YQ 总述 二）`,
      });
  });
  for (const t of ['vocational', 'k12'] as const) {
    const ref = plan.templates?.[t];
    const found = ref ? findTemplate(facts.templates, ref) : undefined;
    if (!found)
      problems.push({
        field: `templates.${t}`,
        message: `${t === 'vocational' ? '中职' : '中小学'}检查清单模板不存在或内容已变`,
      });
    else if (found.schoolType !== t)
      problems.push({
        field: `templates.${t}`,
        message: `模板“${found.title}”不适用于${t === 'vocational' ? '中职学校' : '中小学'}`,
      });
  }
  if (plan.seed !== undefined && plan.draw && String(plan.draw.seed) !== plan.seed)
    problems.push({ field: 'draw.seed', message: '抽取结果的随机种子与计划填写的不同' });
  if (plan.draw) {
    if (!plan.drawDate || !isYmd(plan.drawDate))
      problems.push({ field: 'drawDate', message: '缺少抽取日期（YYYY-MM-DD）' });
    const inputs = drawInputsOf(plan);
    const v = verifyDraw(plan.draw, inputs);
    if (!v.ok)
      problems.push(
        ...v.reasons.map((r) => ({
          field: 'draw',
          message: `抽取结果未通过复核（不是该随机种子对这些输入的结果）：${r}`,
        })),
      );
    for (const violation of checkDrawRules(plan.draw, inputs))
      problems.push({ field: 'draw', message: violation.message });
  }
  if (plan.status === 'published' && !plan.draw)
    problems.push({ field: 'status', message: '尚未抽取的计划不能公示' });
  return problems;
}

/**
 * The inspections a published plan makes: one per drawn school, with its inspectors (names and
 * enforcement IDs from the plan's inputs, which the server checked against the register) and the plan's
 * template for the school's type, kept whole.
 */
export function inspectionsOfPlan(
  plan: PlanDoc,
  facts: {
    register: DrawRegister;
    templates: readonly ChecklistTemplate[];
    at: string;
    by: string;
  },
): InspectionDoc[] {
  if (!plan.draw || !plan.drawDate) return [];
  const schools = new Map(facts.register.schools.map((s) => [s.id, s]));
  const people = new Map(plan.inputs.inspectors.map((p) => [p.id, p]));
  return plan.draw.draws.flatMap((d): InspectionDoc[] => {
    const school = schools.get(d.object);
    if (!school) return [];
    const template = findTemplate(facts.templates, plan.templates[school.schoolType]);
    if (!template) return [];
    const inspectors: AssignedInspector[] = d.inspectors.map((id) => {
      const p = people.get(id);
      return { userId: id, name: p?.name ?? id, enforcementId: p?.enforcementId ?? '' };
    });
    return [
      {
        id: inspectionIdOf(plan.id, school.id),
        kind: 'inspection',
        schoolId: school.id,
        bureauId: plan.bureauId,
        orgPath: school.path,
        title: `${plan.matter.name}：${school.name}`,
        status: 'assigned',
        planId: plan.id,
        matter: plan.matter,
        schoolName: school.name,
        bureauName: facts.register.bureau.name,
        inspectors,
        template,
        drawDate: plan.drawDate as string,
        createdAt: facts.at,
        createdBy: facts.by,
        updatedAt: facts.at,
        updatedBy: facts.by,
      },
    ];
  });
}
