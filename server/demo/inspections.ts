// The demo province's inspections (issue 14): 郑州市教育局 has drawn and published a plan over its schools
// (seeded, verifiable like any other), so an inspection exists in several states — assigned to its two
// inspectors, and one already on site (both inspectors present, the first items checked). Called from the
// demo seed after the accounts exist (the register reads the inspector accounts and their 执法证号).

import { chinaDate } from '../../shared/calendar/china';
import { changePlan, drawPlan, inspectionsOfPlan, newPlan, publishPlan } from '../../shared/inspections/plan';
import { type InspectionDoc, planIdOf } from '../../shared/inspections/records';
import { confirmPresence, setFinding } from '../../shared/inspections/visit';
import type { SyncDoc } from '../../shared/sync/protocol';
import { drawRegister, templatesOf } from '../inspections/facts';
import type { Db } from '../store/db';
import { writeAsServer } from '../sync/store';

const BUREAU = '4101';
/**
 * Schools the other walk-throughs and their e2e tests open on: nothing of an inspection waits in their
 * 待办 inbox, so their desk opens on its roster (the demo's first school of each kind keeps nothing waiting).
 */
const WALKTHROUGH_SCHOOLS = new Set(['S41010501', 'S41010502', 'S41012201']);

function must<T>(r: { ok: true; value: T } | { ok: false; problems: { message: string }[] }): T {
  if (!r.ok) throw new Error(`demo inspections: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.value;
}

export async function seedDemoInspections(db: Db, channel: string, now: Date): Promise<void> {
  const register = await drawRegister(db, BUREAU);
  if (!register || register.inspectors.filter((i) => i.enforcementId).length < 2) return;
  const bureauUser = (
    await db.query<{ id: string }>(`select id from users where org_id = $1 and role = 'bureau' limit 1`, [
      BUREAU,
    ])
  )[0]?.id;
  if (!bureauUser) return;
  const at = now.toISOString();
  const stamp = { at, by: bureauUser };
  let plan = newPlan({
    id: planIdOf('demo-2026-autumn'),
    register,
    matter: { id: 'XJ-2026-DEMO', name: '2026年秋季学籍管理随机抽查（演示）' },
    ...stamp,
  });
  const objects = register.schools
    .filter((x) => !WALKTHROUGH_SCHOOLS.has(x.id))
    .map((x) => ({ id: x.id, weight: 1 }));
  plan = must(changePlan(plan, { objects, size: { count: 3 }, seed: '2026-秋季-演示' }, register, stamp));
  plan = must(drawPlan(plan, { ...stamp, date: chinaDate(at) }));
  plan = must(publishPlan(plan, stamp));
  await writeAsServer(db, 'inspections', [plan as unknown as SyncDoc], channel, bureauUser);
  const templates = await templatesOf(db, BUREAU);
  const visits = inspectionsOfPlan(plan, { register, templates, at, by: bureauUser });
  // the first drawn school: its inspectors arrived and checked the first two items
  const [first, ...rest] = visits;
  const onSite: InspectionDoc[] = [];
  if (first) {
    let doc = first;
    for (const i of doc.inspectors)
      doc = must(
        confirmPresence(doc, { userId: i.userId, enforcementId: i.enforcementId, noConflict: true, at }),
      );
    for (const item of doc.template.items.slice(0, 2))
      doc = must(setFinding(doc, item.id, { finding: 'conforming' }));
    onSite.push({ ...doc, updatedBy: doc.inspectors[0]?.userId ?? bureauUser });
  }
  await writeAsServer(db, 'inspections', [...onSite, ...rest] as unknown as SyncDoc[], channel, bureauUser);
}
