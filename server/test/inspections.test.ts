// Inspections against the real server on PGlite and PostgreSQL (issue 14 "Tests"): a plan whose draw does
// not verify is refused; an inspector drawn for a school they declared a conflict with is refused; the
// publication opens one inspection per drawn school; an inspection (and its history and evidence) is seen
// by its bureau, its drawn inspectors and the inspected school only — in pulls, push answers, attachment
// bytes and the visit pack; the visit is filled, signed and becomes follow-ups that flow school ↔ inspector;
// the report reaches the school when it is served.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentRecordId, evidenceRecordId } from '../../shared/domain/attachment-types';
import type { VisitPack } from '../../shared/inspections/pack';
import { changePlan, type DrawRegister, drawPlan, newPlan, publishPlan } from '../../shared/inspections/plan';
import {
  type FollowUpDoc,
  type InspectionDoc,
  type PlanDoc,
  planIdOf,
  type ReportDoc,
  reportIdOf,
} from '../../shared/inspections/records';
import {
  checkSamplePart,
  completeVisit,
  confirmPresence,
  drawVisitSample,
  keepEvidence,
  runDuplicateCheck,
  SCHOOL_HEAD,
  setFinding,
  setRecordText,
  sign,
} from '../../shared/inspections/visit';
import { generateStudents } from '../../shared/seed/roster';
import { REFUSAL_FIELD, type Role, type SyncDoc } from '../../shared/sync/protocol';
import { createUser } from '../auth/accounts';
import { writeAsServer } from '../sync/store';
import {
  BACKENDS,
  dropSchema,
  login,
  makeEnv,
  PASSWORD,
  pullAll,
  pushRows,
  serverDoc,
  type TestEnv,
} from './helpers';

const AT = '2026-09-24T01:00:00.000Z';
const ORGS = [
  { id: '41', kind: 'province', name: '测试省教育厅' },
  { id: '4101', kind: 'city', name: '甲市教育局', parentId: '41' },
  { id: '4102', kind: 'city', name: '乙市教育局', parentId: '41' },
  { id: '410101', kind: 'county', name: '甲一县教育局', parentId: '4101' },
  { id: '410102', kind: 'county', name: '甲二县教育局', parentId: '4101' },
  { id: 'S1', kind: 'school', name: '甲一县职业中专', parentId: '410101', schoolType: 'vocational' },
  { id: 'S2', kind: 'school', name: '甲一县第一中学', parentId: '410101', schoolType: 'k12' },
  { id: 'S3', kind: 'school', name: '甲二县职业教育中心', parentId: '410102', schoolType: 'vocational' },
  { id: 'S4', kind: 'school', name: '甲二县第二中学', parentId: '410102', schoolType: 'k12' },
  { id: 'S9', kind: 'school', name: '乙市第九中学', parentId: '4102', schoolType: 'k12' },
];
const PATH: Record<string, string> = {};
for (const o of ORGS) PATH[o.id] = `${o.parentId ? PATH[o.parentId] : '/'}${o.id}/`;

type Person = {
  id: string;
  role: Role;
  org: string;
  enforcementId?: string;
  conflicts?: string[];
  classIds?: string[];
};
const PEOPLE: Person[] = [
  { id: 'city', role: 'bureau', org: '4101' },
  { id: 'cityB', role: 'bureau', org: '4102' },
  { id: 'county', role: 'bureau', org: '410101' },
  { id: 'prov', role: 'province', org: '41' },
  { id: 'i1', role: 'inspector', org: '4101', enforcementId: '执法-0001', conflicts: ['S1'] },
  { id: 'i2', role: 'inspector', org: '4101', enforcementId: '执法-0002' },
  { id: 'i3', role: 'inspector', org: '4101', enforcementId: '执法-0003' },
  { id: 'iB', role: 'inspector', org: '4102', enforcementId: '执法-0201' },
  ...['S1', 'S2', 'S3', 'S4', 'S9'].map((s) => ({ id: `a${s}`, role: 'schoolAdmin' as const, org: s })),
  { id: 'tS1', role: 'counselor', org: 'S1', classIds: ['1班'] },
];
/** The refusal of the first row of a push answer (empty when the row was taken). */
const refusalOf = (r: { body: SyncDoc[] }) =>
  (r.body[0]?.[REFUSAL_FIELD] ?? {}) as { code?: string; reason?: string };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const clean = (d: SyncDoc | undefined): SyncDoc => {
  const { seq: _s, ...rest } = (d ?? {}) as SyncDoc & { seq?: number };
  return { ...rest, _deleted: rest._deleted === true };
};

describe.each(BACKENDS)('inspections on %s', (backend) => {
  let env: TestEnv;
  const token = new Map<string, string>();
  let register: DrawRegister;
  let plan: PlanDoc;
  const t = (id: string) => token.get(id) as string;
  const push = (who: string, docs: { before?: SyncDoc; after: SyncDoc }[], collection = 'inspections') =>
    pushRows(
      env.app,
      t(who),
      docs.map((d) => ({ assumedMasterState: d.before ?? null, newDocumentState: d.after })),
      collection,
    );
  const pulled = async (who: string, collection = 'inspections') =>
    (await pullAll(env.app, t(who), collection, 500)).docs;
  const ids = async (who: string, collection = 'inspections') =>
    (await pulled(who, collection)).map((d) => String(d.id)).sort();
  const inspections = async () =>
    (
      await env.app.db.query<{ data: InspectionDoc }>(
        `select data from docs where collection = 'inspections' and data->>'kind' = 'inspection'`,
      )
    ).map((r) => r.data);

  beforeAll(async () => {
    env = await makeEnv(backend, {
      seed: false,
      auth: { loginPerMinutePerAddress: 1000, loginPerMinutePerAccount: 1000 },
    });
    const app = env.app;
    await writeAsServer(
      app.db,
      'orgs',
      ORGS.map((o) => ({ ...o, path: PATH[o.id], updatedAt: AT })),
      app.channel,
    );
    let seed = 40;
    for (const s of ['S1', 'S2', 'S3', 'S4', 'S9'])
      await writeAsServer(
        app.db,
        'students',
        generateStudents({
          count: 30,
          seed: seed++,
          schoolId: s,
          orgPath: PATH[s] ?? '',
          schoolType: s === 'S1' || s === 'S3' ? 'vocational' : 'k12',
        }) as unknown as SyncDoc[],
        app.channel,
      );
    for (const p of PEOPLE) {
      await createUser(
        app.db,
        {
          id: p.id,
          username: p.id,
          displayName: `${p.id}姓名`,
          password: PASSWORD,
          role: p.role,
          orgId: p.org,
          classIds: p.classIds ?? [],
          ...(p.enforcementId ? { enforcementId: p.enforcementId } : {}),
        },
        new Date(AT),
      );
      if (p.conflicts)
        await app.db.query('update users set conflict_school_ids = $2::jsonb where id = $1', [
          p.id,
          JSON.stringify(p.conflicts),
        ]);
      token.set(p.id, (await login(app, p.id)).token);
    }
  }, 120_000);

  afterAll(async () => {
    await env?.close();
    if (env?.schema) await dropSchema(env.schema);
  }, 60_000);

  it('the draw register goes to the bureau only: its schools and its area’s inspectors with their conflicts', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/inspections/register',
      headers: { authorization: `Bearer ${t('city')}` },
    });
    expect(res.statusCode).toBe(200);
    register = res.json() as DrawRegister;
    expect(register.schools.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(register.inspectors.map((i) => i.id)).toEqual(['i1', 'i2', 'i3']);
    expect(register.inspectors.find((i) => i.id === 'i1')?.conflicts).toEqual(['S1']);
    for (const who of ['i1', 'aS1', 'tS1']) {
      const r = await env.app.inject({
        method: 'GET',
        url: '/api/inspections/register',
        headers: { authorization: `Bearer ${t(who)}` },
      });
      expect(r.statusCode, who).toBe(403);
      expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('a plan whose draw does not verify is refused; one that hides a declared conflict is refused (R-INSP-RECUSE)', async () => {
    const fresh = newPlan({
      id: planIdOf('server-test'),
      register,
      matter: { id: 'XJ-2026-09', name: '2026年秋季学籍管理随机抽查' },
      at: AT,
      by: 'city',
    });
    const changed = changePlan(fresh, { size: { count: 3 }, seed: '甲市-2026-09-20' }, register, {
      at: AT,
      by: 'city',
    });
    if (!changed.ok) throw new Error('change');
    const drawn = drawPlan(changed.value, { at: AT, by: 'city', date: '2026-09-20' });
    if (!drawn.ok) throw new Error('draw');
    plan = drawn.value;
    const draws = plan.draw?.draws ?? [];
    const tampered = {
      ...plan,
      draw: {
        ...(plan.draw as NonNullable<PlanDoc['draw']>),
        draws: draws
          .map((d, i) => (i === 0 ? { ...d, inspectors: [...d.inspectors].reverse().concat() } : d))
          .reverse(),
      },
    };
    const bad = await push('city', [{ after: tampered as unknown as SyncDoc }]);
    expect(bad.body).toHaveLength(1);
    const refusal = bad.body[0]?.[REFUSAL_FIELD] as { code: string; reason: string };
    expect(refusal.code).toBe('INVALID');
    expect(refusal.reason).toContain('抽取结果未通过复核');
    // The same draw re-run on inputs without i1's declared conflict verifies by itself, but not against the register.
    const hidden = drawPlan(
      {
        ...plan,
        inputs: { ...plan.inputs, inspectors: plan.inputs.inspectors.map((i) => ({ ...i, conflicts: [] })) },
      },
      { at: AT, by: 'city', date: '2026-09-20' },
    );
    if (!hidden.ok) throw new Error('draw');
    const recuse = await push('city', [{ after: hidden.value as unknown as SyncDoc }]);
    expect(refusalOf(recuse).reason).toContain('R-INSP-RECUSE');
    // i1 forced onto S1 (its conflict) is refused whatever the draw says.
    const s1 = {
      ...plan,
      draw: {
        ...(plan.draw as NonNullable<PlanDoc['draw']>),
        draws: [
          { object: 'S1', inspectors: ['i1', 'i2'] },
          ...draws.filter((d) => d.object !== 'S1').slice(0, 2),
        ],
      },
    };
    const forced = await push('city', [{ after: s1 as unknown as SyncDoc }]);
    expect(refusalOf(forced).reason).toMatch(/R-INSP-RECUSE|未通过复核/);
    // Only the plan's own bureau: a school or another city cannot write it.
    const school = await push('aS1', [
      { after: { ...plan, updatedBy: 'aS1', createdBy: 'aS1' } as unknown as SyncDoc },
    ]);
    expect(school.body[0]?.[REFUSAL_FIELD]).toBeDefined();
    expect(await serverDoc(env.app, plan.id, 'inspections')).toBeUndefined();
    const ok = await push('city', [{ after: plan as unknown as SyncDoc }]);
    expect(ok.body).toEqual([]);
  });

  it('the publication opens one inspection per drawn school, assigned to its inspectors, in one transaction', async () => {
    const published = publishPlan(plan, { at: AT, by: 'city' });
    if (!published.ok) throw new Error('publish');
    const res = await push('city', [
      {
        before: clean(await serverDoc(env.app, plan.id, 'inspections')),
        after: published.value as unknown as SyncDoc,
      },
    ]);
    expect(res.body).toEqual([]);
    const list = await inspections();
    expect(list.map((d) => d.schoolId).sort()).toEqual(
      [...(plan.draw?.draws.map((d) => d.object) ?? [])].sort(),
    );
    for (const d of list) {
      expect(d.inspectors).toHaveLength(2);
      if (d.schoolId === 'S1') expect(d.inspectors.map((i) => i.userId)).not.toContain('i1');
      expect(d.template.schoolType).toBe(register.schools.find((s) => s.id === d.schoolId)?.schoolType);
    }
    // Published: fixed.
    const again = await push('city', [
      {
        before: clean(await serverDoc(env.app, plan.id, 'inspections')),
        after: { ...published.value, visitTo: '2026-10-31' } as unknown as SyncDoc,
      },
    ]);
    expect(refusalOf(again).code).toBe('WORKFLOW');
  });

  it('an inspection is seen by its bureau, its inspectors and the inspected school, and no one else (pull)', async () => {
    const list = await inspections();
    const all = list.map((d) => d.id);
    expect(await ids('city')).toEqual([...all, plan.id].sort());
    for (const i of ['i1', 'i2', 'i3'])
      expect(await ids(i), i).toEqual(
        list
          .filter((d) => d.inspectors.some((x) => x.userId === i))
          .map((d) => d.id)
          .sort(),
      );
    for (const s of ['S1', 'S2', 'S3', 'S4'])
      expect(await ids(`a${s}`), s).toEqual(list.filter((d) => d.schoolId === s).map((d) => d.id));
    for (const who of ['cityB', 'county', 'prov', 'iB', 'aS9', 'tS1'])
      expect(await ids(who), who).toEqual([]);
    // The history of an inspection (who assigned it) reaches exactly the same people.
    const events = async (who: string) =>
      (await pulled(who, 'events'))
        .filter((e) => e.entity === 'inspection')
        .map((e) => String(e.entityId))
        .sort();
    expect(await events('city')).toEqual([...all].sort());
    for (const who of ['county', 'prov', 'cityB', 'tS1']) expect(await events(who), who).toEqual([]);
    for (const s of ['S1', 'S2', 'S3', 'S4'])
      expect(await events(`a${s}`), s).toEqual(list.filter((d) => d.schoolId === s).map((d) => d.id));
  });

  it('inspectors read no students, student history or scans of any school', async () => {
    // A student of S1 with a history event and a scan (the school keeps them; its bureau reads them).
    const [student] = await pulled('aS1', 'students');
    if (!student) throw new Error('S1 has no students');
    const scanSha = sha(Buffer.from('学籍卡扫描件'));
    const history: SyncDoc = {
      id: 'ev-student-history',
      schoolId: 'S1',
      entity: 'student',
      entityId: String(student.id),
      action: 'update',
      at: AT,
      by: 'aS1',
      byName: 'aS1姓名',
      before: { phone: '13800000000' },
      after: { phone: '13900000000' },
    };
    const scan: SyncDoc = {
      id: attachmentRecordId('S1', scanSha),
      sha256: scanSha,
      schoolId: 'S1',
      orgPath: PATH.S1 ?? '',
      name: '学籍卡.pdf',
      mime: 'application/pdf',
      size: 12,
      entity: 'student',
      entityId: String(student.id),
      kind: 'scan',
      createdAt: AT,
      createdBy: 'aS1',
      updatedAt: AT,
      updatedBy: 'aS1',
    };
    expect((await push('aS1', [{ after: history }], 'events')).body).toEqual([]);
    expect((await push('aS1', [{ after: scan }], 'attachments')).body).toEqual([]);
    const about = async (who: string) => ({
      students: (await pulled(who, 'students')).length,
      events: (await pulled(who, 'events')).filter((d) => d.entity !== 'inspection').map((d) => d.id),
      attachments: (await pulled(who, 'attachments'))
        .filter((d) => d.entity !== 'inspection')
        .map((d) => d.id),
    });
    // The city's bureau reads them (so they are there to be read) ...
    const city = await about('city');
    expect(city.students).toBeGreaterThan(0);
    expect(city.events).toContain(history.id);
    expect(city.attachments).toContain(scan.id);
    // ... and no inspector of its area does, drawn or not, nor one of another city.
    for (const who of ['i1', 'i2', 'i3', 'iB'])
      expect(await about(who), who).toEqual({ students: 0, events: [], attachments: [] });
  });

  let visit: InspectionDoc;
  let pack: VisitPack;
  it('the visit pack goes to the drawn inspectors only, and carries no ID number, birth date or family', async () => {
    visit = (await inspections()).find((d) => d.inspectors.some((i) => i.userId === 'i2')) as InspectionDoc;
    const url = `/api/inspections/${visit.id}/pack`;
    const other = (await inspections()).find((d) => !d.inspectors.some((i) => i.userId === 'i3'));
    for (const [who, status] of [
      ['city', 403],
      [`a${visit.schoolId}`, 403],
      ['iB', 404],
      ['aS9', 404],
    ] as const) {
      const r = await env.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t(who)}` } });
      expect(r.statusCode, who).toBe(status);
    }
    if (other) {
      const r = await env.app.inject({
        method: 'POST',
        url: `/api/inspections/${other.id}/pack`,
        headers: { authorization: `Bearer ${t('i3')}` },
      });
      expect(r.statusCode).toBe(404);
    }
    const res = await env.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${t('i2')}` },
    });
    expect(res.statusCode).toBe(200);
    pack = res.json() as VisitPack;
    expect(pack.students.length).toBeGreaterThan(20);
    const [student] = await env.app.db.query<{ data: { idNo: string; birthDate: string; phone?: string } }>(
      `select data from docs where collection = 'students' and school_id = $1 limit 1`,
      [visit.schoolId],
    );
    expect(res.body).not.toContain(student?.data.idNo);
    expect(res.body).not.toContain('guardians');
    expect(res.body).not.toContain('birthDate');
    const stored = (await serverDoc(env.app, visit.id, 'inspections')) as unknown as InspectionDoc;
    expect(stored.packs?.[0]?.rosterHash).toBe(pack.rosterHash);
  });

  it('the visit is filled by its inspectors, with evidence the bureau and the school can read and others cannot', async () => {
    let doc = clean(await serverDoc(env.app, visit.id, 'inspections')) as unknown as InspectionDoc;
    const step = (r: { ok: boolean; value?: InspectionDoc; problems?: unknown }) => {
      if (!r.ok || !r.value) throw new Error(JSON.stringify(r.problems));
      doc = r.value;
    };
    for (const i of doc.inspectors)
      step(
        confirmPresence(doc, { userId: i.userId, enforcementId: i.enforcementId, noConflict: true, at: AT }),
      );
    const bytes = Buffer.from(`现场照片 ${visit.id} ${'x'.repeat(100)}`);
    const photo = sha(bytes);
    const upload = (who: string, query = `&inspection=${visit.id}`) =>
      env.app.inject({
        method: 'PUT',
        url: `/api/attachments/${photo}?schoolId=${visit.schoolId}&mime=image/jpeg${query}`,
        headers: { authorization: `Bearer ${t(who)}`, 'content-type': 'application/octet-stream' },
        payload: bytes,
      });
    // Only with the inspection named, and only by its own inspectors.
    expect((await upload('i2', '')).statusCode).toBe(403);
    const other = (await inspections()).find((d) => !d.inspectors.some((i) => i.userId === 'i2'));
    if (other) expect((await upload('i2', `&inspection=${other.id}`)).statusCode).toBe(403);
    expect((await upload('i2')).statusCode).toBe(201);
    for (const item of doc.template.items)
      step(
        setFinding(
          doc,
          item.id,
          item.no === '（二）' || item.no === '二（一）'
            ? { finding: 'nonConforming', notes: '抽查档案缺少材料' }
            : { finding: 'conforming' },
        ),
      );
    const item = doc.template.items[0]?.id as string;
    step(
      keepEvidence(doc, item, {
        kind: 'photo',
        sha256: photo,
        name: '学籍管理制度.jpg',
        mime: 'image/jpeg',
        size: bytes.length,
        capturedAt: AT,
        capturedBy: 'i2',
      }),
    );
    const record = {
      id: evidenceRecordId(visit.id, photo),
      sha256: photo,
      schoolId: visit.schoolId,
      orgPath: visit.orgPath,
      name: '学籍管理制度.jpg',
      mime: 'image/jpeg',
      size: bytes.length,
      entity: 'inspection',
      entityId: visit.id,
      kind: 'photo',
      createdAt: AT,
      createdBy: 'i2',
      updatedAt: AT,
      updatedBy: 'i2',
    };
    expect((await push('i2', [{ after: record }], 'attachments')).body).toEqual([]);
    const before = clean(await serverDoc(env.app, visit.id, 'inspections'));
    const res = await push('i2', [{ before, after: { ...doc, updatedBy: 'i2' } as unknown as SyncDoc }]);
    expect(res.body).toEqual([]);
    const get = async (who: string) =>
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/attachments/${photo}`,
          headers: { authorization: `Bearer ${t(who)}` },
        })
      ).statusCode;
    expect(await get('city')).toBe(200);
    expect(await get(`a${visit.schoolId}`)).toBe(200);
    for (const who of ['county', 'prov', 'cityB', 'iB', 'aS9', 'tS1']) expect(await get(who), who).toBe(404);
    const outsider = ['i1', 'i3'].find((i) => !visit.inspectors.some((x) => x.userId === i));
    if (outsider) expect(await get(outsider)).toBe(404);
    const attachmentIds = async (who: string) => (await pulled(who, 'attachments')).map((d) => String(d.id));
    expect(await attachmentIds('city')).toContain(record.id);
    expect(await attachmentIds(`a${visit.schoolId}`)).toContain(record.id);
    expect(await attachmentIds('county')).not.toContain(record.id);
  });

  it('a sample not drawn from the pack the server built is refused; one that is drawn from it is kept', async () => {
    const before = clean(await serverDoc(env.app, visit.id, 'inspections'));
    const doc = before as unknown as InspectionDoc;
    const forged = drawVisitSample(
      doc,
      { ...pack, students: pack.students.slice(5), rosterHash: pack.rosterHash },
      3,
      '42',
      AT,
      'i2',
    );
    if (!forged.ok) throw new Error('draw');
    const refused = await push('i2', [
      { before, after: { ...forged.value, updatedBy: 'i2' } as unknown as SyncDoc },
    ]);
    expect(refusalOf(refused).reason).toContain('抽查学生名单');
    const drawn = drawVisitSample(doc, pack, 3, '42', AT, 'i2');
    if (!drawn.ok) throw new Error('draw');
    let next = drawn.value;
    for (const id of next.sample?.students ?? [])
      for (const part of Object.keys(pack.students.find((s) => s.id === id)?.archive ?? {})) {
        const r = checkSamplePart(next, id, part, 'present', AT);
        if (r.ok) next = r.value;
      }
    const dup = runDuplicateCheck(next, pack, AT);
    if (!dup.ok) throw new Error('dup');
    const ok = await push('i2', [{ before, after: { ...dup.value, updatedBy: 'i2' } as unknown as SyncDoc }]);
    expect(ok.body).toEqual([]);
  });

  it('signed: the record is fixed, its 不符合 items become follow-ups; the school answers, the inspector closes', async () => {
    let doc = clean(await serverDoc(env.app, visit.id, 'inspections')) as unknown as InspectionDoc;
    const before = doc as unknown as SyncDoc;
    const step = (r: { ok: boolean; value?: InspectionDoc; problems?: unknown }) => {
      if (!r.ok || !r.value) throw new Error(JSON.stringify(r.problems));
      doc = r.value;
    };
    step(setRecordText(doc, { problems: '档案缺材料', handling: '一个月内补齐', schoolHead: '赵校长' }));
    for (const i of doc.inspectors) step(sign(doc, { key: i.userId, sha256: 'b'.repeat(64), at: AT }));
    step(sign(doc, { key: SCHOOL_HEAD, sha256: 'c'.repeat(64), at: AT }));
    step(completeVisit(doc, { at: '2026-09-24T08:00:00.000Z', by: 'i2' }));
    const res = await push('i2', [{ before, after: { ...doc, updatedBy: 'i2' } as unknown as SyncDoc }]);
    expect(res.body).toEqual([]);
    const signed = clean(await serverDoc(env.app, visit.id, 'inspections'));
    const edit = await push('i2', [
      { before: signed, after: { ...signed, problems: '改写', updatedBy: 'i2' } },
    ]);
    expect(refusalOf(edit).code).toBe('WORKFLOW');
    const school = `a${visit.schoolId}`;
    const followUps = (await pulled(school)).filter((d) => d.kind === 'followUp') as unknown as FollowUpDoc[];
    expect(followUps.length).toBeGreaterThan(0);
    expect(followUps[0]?.problem).toBe('抽查档案缺少材料');
    for (const who of ['county', 'prov', 'aS9'])
      expect(
        (await pulled(who)).filter((d) => d.kind === 'followUp'),
        who,
      ).toEqual([]);
    const f = followUps[0] as FollowUpDoc;
    const answered: FollowUpDoc = {
      ...f,
      status: 'answered',
      answers: [{ text: '已补齐全部材料', evidence: [], at: AT, by: school, byName: '学籍员' }],
      updatedBy: school,
    };
    const closeBySchool = await push(school, [
      { before: f as unknown as SyncDoc, after: { ...answered, status: 'closed' } as unknown as SyncDoc },
    ]);
    expect(closeBySchool.body[0]?.[REFUSAL_FIELD]).toBeDefined();
    expect(
      (await push(school, [{ before: f as unknown as SyncDoc, after: answered as unknown as SyncDoc }])).body,
    ).toEqual([]);
    const closed: FollowUpDoc = {
      ...answered,
      status: 'closed',
      reviews: [{ decision: 'close', note: '已核实整改', at: AT, by: 'i2', byName: '督学' }],
      updatedBy: 'i2',
    };
    expect(
      (
        await push('i2', [
          {
            before: clean(await serverDoc(env.app, f.id, 'inspections')),
            after: closed as unknown as SyncDoc,
          },
        ])
      ).body,
    ).toEqual([]);
  });

  it('the report reaches the school when it is served, and the school signs for it', async () => {
    const parent = clean(await serverDoc(env.app, visit.id, 'inspections')) as unknown as InspectionDoc;
    const school = `a${visit.schoolId}`;
    const draft: ReportDoc = {
      id: reportIdOf(parent.id),
      kind: 'report',
      schoolId: parent.schoolId,
      bureauId: parent.bureauId,
      orgPath: parent.orgPath,
      title: `检查报告：${parent.schoolName}`,
      status: 'draft',
      inspectionId: parent.id,
      issuer: '甲市教育局',
      schoolName: parent.schoolName,
      inspectionDate: '2026-09-24',
      reportDate: '2026-10-09',
      inspectorNames: parent.inspectors.map((i) => i.name),
      content: '学籍管理工作',
      situation: '总体规范',
      evaluation: '良好',
      suggestions: '补齐档案',
      createdAt: AT,
      createdBy: 'i2',
      updatedAt: AT,
      updatedBy: 'i2',
    };
    expect((await push('i2', [{ after: draft as unknown as SyncDoc }])).body).toEqual([]);
    expect((await ids(school)).includes(draft.id)).toBe(false);
    expect((await ids('city')).includes(draft.id)).toBe(true);
    const issued = { ...draft, status: 'issued' as const, issuedAt: AT, issuedBy: 'i2' };
    expect(
      (
        await push('i2', [
          {
            before: clean(await serverDoc(env.app, draft.id, 'inspections')),
            after: issued as unknown as SyncDoc,
          },
        ])
      ).body,
    ).toEqual([]);
    expect((await ids(school)).includes(draft.id)).toBe(true);
    const received = {
      ...issued,
      status: 'received' as const,
      receivedAt: AT,
      receivedBy: school,
      receivedByName: '学籍员',
      updatedBy: school,
    };
    expect(
      (
        await push(school, [
          {
            before: clean(await serverDoc(env.app, draft.id, 'inspections')),
            after: received as unknown as SyncDoc,
          },
        ])
      ).body,
    ).toEqual([]);
  });

  it('a push answer never shows an inspection to someone outside it', async () => {
    const master = clean(await serverDoc(env.app, visit.id, 'inspections'));
    for (const who of ['county', 'aS9', 'iB', 'tS1']) {
      // The attacker knows the id only; the answer must not fill in the master's contents.
      const attempt = {
        id: master.id,
        kind: 'inspection',
        problems: '篡改',
        updatedBy: who,
        _deleted: false,
      };
      const res = await push(who, [{ before: { id: master.id, updatedAt: 'stale' }, after: attempt }]);
      const answer = res.body[0] as SyncDoc;
      expect(answer[REFUSAL_FIELD], who).toBeDefined();
      expect(answer.problems, who).toBe('篡改');
      expect(answer._deleted, who).toBe(true);
      expect(JSON.stringify(answer), who).not.toContain('赵校长');
    }
    // A school cannot make an inspection of its own, nor a bureau for a school outside its area.
    const fake = {
      ...master,
      id: 'I0123456789abcdef',
      status: 'assigned',
      updatedBy: 'aS9',
      createdBy: 'aS9',
      schoolId: 'S9',
      orgPath: PATH.S9,
    };
    const r = await push('aS9', [{ after: fake }]);
    expect(refusalOf(r).code).not.toBe('OK');
    expect(await serverDoc(env.app, 'I0123456789abcdef', 'inspections')).toBeUndefined();
  });
});
