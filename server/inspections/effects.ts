// Side effects of accepted inspection records, in the pushed row's transaction (server/sync/effects.ts):
// - a plan published (一公开): each drawn school becomes an inspection assigned to its inspectors, with the
//   plan's template kept whole, and an event per inspection records who assigned it (R-WHO);
// - an inspection signed (已签字): every item found 不符合 becomes a follow-up (整改事项) on the school's
//   inbox, its problem the item's notes and its requirement the record's 处理意见及整改要求.
// Either all of it is written with the row, or (an effect throws) none of it and the row is refused.
import type { EventDoc } from '../../shared/domain/schemas';
import { inspectionsOfPlan } from '../../shared/inspections/plan';
import {
  type FollowUpDoc,
  followUpIdOf,
  type InspectionDoc,
  type PlanDoc,
} from '../../shared/inspections/records';
import { visitScope } from '../../shared/inspections/scope';
import type { SyncDoc } from '../../shared/sync/protocol';
import type { Effect, EffectContext } from '../sync/effects';
import { dependentScope } from '../sync/scope';
import { drawRegister, templatesOf } from './facts';

const asDoc = (d: object) => ({ ...d, _deleted: false }) as unknown as SyncDoc;

function eventOf(
  ctx: EffectContext,
  doc: { id: string; schoolId: string },
  action: string,
  after: Record<string, unknown>,
  at: string,
): EventDoc {
  return {
    id: `E${doc.id.slice(1)}-${action}`.slice(0, 64),
    schoolId: doc.schoolId,
    entity: 'inspection',
    entityId: doc.id,
    action,
    at,
    by: ctx.user.id,
    byName: ctx.user.displayName.slice(0, 50),
    before: {},
    after,
  };
}

export const openInspectionsOnPublish: Effect = {
  name: 'inspections-open-on-publish',
  collections: ['inspections'],
  async run(ctx) {
    const plan = ctx.after.data as unknown as PlanDoc;
    if (plan.kind !== 'plan' || plan.status !== 'published') return;
    if ((ctx.before?.data as unknown as PlanDoc | undefined)?.status === 'published') return;
    const register = await drawRegister(ctx.tx, plan.bureauId);
    if (!register) throw new Error('publish: no register');
    const templates = await templatesOf(ctx.tx, plan.bureauId);
    const at = ctx.now().toISOString();
    const docs = inspectionsOfPlan(plan, { register, templates, at, by: ctx.user.id });
    if (docs.length !== plan.draw?.draws.length) throw new Error('publish: a drawn school has no inspection');
    const schools = new Map(register.schools.map((s) => [s.id, s]));
    for (const doc of docs) {
      const path = schools.get(doc.schoolId)?.path as string;
      const scope = visitScope(
        register.bureau.path,
        path,
        doc.inspectors.map((i) => i.userId),
      );
      await ctx.write('inspections', asDoc(doc), scope);
      const event = eventOf(
        ctx,
        doc,
        'inspection-assign',
        { status: 'assigned', inspectors: doc.inspectors.map((i) => i.name).join('、'), planId: plan.id },
        at,
      );
      await ctx.write('events', asDoc(event), dependentScope('inspections', scope));
    }
  },
};

export const openFollowUpsOnRecord: Effect = {
  name: 'inspections-follow-ups-on-record',
  collections: ['inspections'],
  async run(ctx) {
    const doc = ctx.after.data as unknown as InspectionDoc;
    if (doc.kind !== 'inspection' || doc.status !== 'recorded') return;
    if ((ctx.before?.data as unknown as InspectionDoc | undefined)?.status !== 'onSite') return;
    const at = ctx.now().toISOString();
    for (const item of doc.template.items) {
      const check = doc.checks?.[item.id];
      if (check?.finding !== 'nonConforming') continue;
      const followUp: FollowUpDoc = {
        id: followUpIdOf(doc.id, item.id),
        kind: 'followUp',
        schoolId: doc.schoolId,
        bureauId: doc.bureauId,
        orgPath: doc.orgPath,
        title: `${item.no}${item.title}`.slice(0, 200),
        status: 'open',
        inspectionId: doc.id,
        itemId: item.id,
        itemNo: item.no,
        itemTitle: item.title,
        problem: check.notes.slice(0, 1000),
        requirement: (doc.handling ?? '').slice(0, 1000),
        answers: [],
        reviews: [],
        createdAt: at,
        createdBy: ctx.user.id,
        updatedAt: at,
        updatedBy: ctx.user.id,
      };
      await ctx.write('inspections', asDoc(followUp), ctx.after.scope);
    }
  },
};

export const INSPECTION_EFFECTS: readonly Effect[] = [openInspectionsOnPublish, openFollowUpsOnRecord];
