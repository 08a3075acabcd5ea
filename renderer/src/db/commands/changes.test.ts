// The app's change-request commands on RxDB's memory storage (real RxDB, dev-mode and ajv on): each act is
// built by shared/workflows and decided by decideTransition on this copy before it is stored — the same
// decision the server makes on the push — so a refusal names its rule here first (issue 12).
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { INBOX_PROVIDERS } from '../../../../shared/inbox/providers';
import { collectInbox } from '../../../../shared/inbox/types';
import type { SyncUser } from '../../../../shared/sync/protocol';
import type { ChangeRequestDoc } from '../../../../shared/workflows';
import { sendTo } from '../commands';
import { createXuejiDatabase, type XuejiDatabase } from '../database';

let db: XuejiDatabase | undefined;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

const NOW = '2026-10-12T02:00:00.000Z';
let n = 0;
// request ids take 8 hex digits of a new id: random ones, as in the app
const env = { now: () => NOW, newId: () => crypto.randomUUID() };

async function school() {
  db = await createXuejiDatabase({ name: `changes-${Date.now()}-${n++}`, storage: getRxStorageMemory() });
  await sendTo(db, 'demo-load', {
    students: 8,
    seed: 7,
    schoolType: 'vocational',
    operatorName: '王老师',
    localPassword: 'xueji2026',
    localPasswordConfirm: 'xueji2026',
  });
  const ctx = await import('../command-context').then((m) => m.commandContext(db as XuejiDatabase));
  const context = { env: { ...ctx.env, ...env } };
  const student = (await db.students.find({ selector: { status: 'enrolled' } }).exec())[0]?.toJSON();
  if (!student) throw new Error('no student');
  return { db, context, student };
}

describe('change-request commands (RxDB memory storage)', () => {
  it('a suspension draft: the checks refuse it without its proofs (named), then it is submitted to the county', async () => {
    const { db, context, student } = await school();
    const draft = await sendTo(
      db,
      'change-draft',
      {
        type: 'suspension',
        studentIds: [student.id],
        details: { startDate: '2026-10-12', endDate: '2027-04-12' },
        reason: '因病住院治疗',
        applicant: { name: '王父', relation: '父亲' },
        appliedOn: '2026-10-10',
      },
      context,
    );
    if (!draft.ok) throw new Error(JSON.stringify(draft));
    const preview = await sendTo(db, 'change-preview', { id: draft.id, opinion: '同意上报' }, context);
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.errors[0]).toMatchObject({ code: 'PROOF', field: 'proofs' });
    expect(preview.errors[0]?.message).toContain('须上传');
    // nothing was stored by the preview
    expect((await db.changeRequests.findOne(draft.id).exec())?.toJSON().status).toBe('draft');
    const proofs = [
      { kind: 'signedForm' as const, name: '休学审批表.pdf', attachmentId: 'V1:aa' },
      { kind: 'medical' as const, name: '诊断证明.pdf', attachmentId: 'V1:bb' },
    ];
    const saved = await sendTo(db, 'change-save', { id: draft.id, patch: { proofs } }, context);
    expect(saved.ok).toBe(true);
    const submitted = await sendTo(db, 'change-submit', { id: draft.id, opinion: '同意上报' }, context);
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    const stored = (await db.changeRequests.findOne(draft.id).exec())?.toJSON() as ChangeRequestDoc;
    expect(stored).toMatchObject({ status: 'submitted', step: 1 });
    expect(stored.route.map((r) => r.level)).toEqual(['school', 'county']);
    // the school cannot decide the county's step (a crafted decision is refused here as on the server)
    const self = await sendTo(
      db,
      'change-decide',
      { id: draft.id, decision: 'approve', opinion: '同意' },
      context,
    );
    expect(self).toMatchObject({ ok: false, errors: [{ code: 'SELF_APPROVAL' }] });
    // a second suspension of the same student may be drafted, but not submitted while the first is open
    const again = await sendTo(
      db,
      'change-draft',
      {
        type: 'suspension',
        studentIds: [student.id],
        reason: '再次申请',
        appliedOn: '2026-10-11',
        details: { startDate: '2026-10-12', endDate: '2027-04-12' },
        applicant: { name: '王父', relation: '父亲' },
      },
      context,
    );
    if (!again.ok) throw new Error(JSON.stringify(again));
    await sendTo(db, 'change-save', { id: again.id, patch: { proofs } }, context);
    const second = await sendTo(db, 'change-submit', { id: again.id, opinion: '同意上报' }, context);
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.errors[0]?.message).toContain(draft.id);
  });

  it('the inbox lists the school’s draft, overdue the day after its R-1WEEK deadline', async () => {
    const { db, context, student } = await school();
    const draft = await sendTo(
      db,
      'change-draft',
      {
        type: 'suspension',
        studentIds: [student.id],
        reason: '家庭原因',
        appliedOn: '2026-10-09',
        details: { startDate: '2026-10-09', endDate: '2027-01-09' },
      },
      context,
    );
    if (!draft.ok) throw new Error(JSON.stringify(draft));
    const settings = (await db.getLocal<{ schoolId: string }>('settings'))?.toJSON().data;
    const org = (await db.orgs.findOne(settings?.schoolId ?? '').exec())?.toJSON();
    const user: SyncUser = {
      id: context.env.actor.id,
      username: '',
      displayName: '王老师',
      role: 'schoolAdmin',
      orgId: org?.id ?? '',
      orgName: org?.name ?? '',
      orgPath: org?.path ?? '',
      classIds: [],
    };
    const records = {
      changeRequests: (await db.changeRequests.find().exec()).map(
        (d) => d.toJSON() as Record<string, unknown>,
      ),
      orgs: (await db.orgs.find().exec()).map((d) => d.toJSON() as Record<string, unknown>),
    };
    const items = collectInbox(INBOX_PROVIDERS, records, { user, today: '2026-10-19' });
    expect(items).toEqual([
      expect.objectContaining({
        section: 'waiting',
        route: `/changes/${draft.id}`,
        due: expect.objectContaining({ rule: 'R-1WEEK', date: '2026-10-16' }),
        overdue: true,
      }),
    ]);
  });

  it('the yearly 学生基本信息确认表 returned signed: filed per student, ticking the 基本信息 part (YQ 二(五)), an event even when already ticked', async () => {
    const { db, context } = await school();
    const [a, b] = (await db.students.find({ selector: { status: 'enrolled' } }).exec()).map((d) =>
      d.toJSON(),
    );
    if (!a || !b) throw new Error('two students');
    // the demo marks some parts present: start from a missing 基本信息 for the first
    await db.students
      .findOne(a.id)
      .exec()
      .then((d) =>
        d?.incrementalModify((s) => ({ ...s, archive: { ...s.archive, basicInfo: { state: 'missing' } } })),
      );
    const none = await sendTo(db, 'info-confirm-file', { studentIds: [] }, context);
    expect(none.ok).toBe(false);
    const r = await sendTo(db, 'info-confirm-file', { studentIds: [a.id, b.id, 'gone'] }, context);
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.filed).toEqual([a.name, b.name]);
    expect(r.missing).toEqual(['gone']);
    const after = (await db.students.findOne(a.id).exec())?.toJSON();
    expect(after?.archive.basicInfo).toMatchObject({ state: 'present', checkedAt: NOW });
    for (const s of [a, b]) {
      const events = (await db.events.find({ selector: { entityId: s.id } }).exec())
        .map((d) => d.toJSON())
        .filter((e) => e.action === 'info-confirm-file');
      expect(events).toHaveLength(1);
      expect(events[0]?.reason).toBe('2026年度学生基本信息确认表经家长核对签字，已归入纸质档案');
    }
    const ev = (await db.events.find({ selector: { entityId: a.id } }).exec())
      .map((d) => d.toJSON())
      .find((e) => e.action === 'info-confirm-file');
    expect(ev?.after).toEqual({ 'archive.basicInfo': expect.objectContaining({ state: 'present' }) });
  });
});
