// Replication through the real fastify app on PGlite and PostgreSQL: scope, refusals, idempotency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSAL_FIELD, type Refusal, type SyncDoc } from '../../shared/sync/protocol';
import {
  ALL_BACKENDS,
  dropSchema,
  login,
  makeEnv,
  PG_SKIP_REASON,
  PG_URL,
  pullAll,
  pushRows,
  serverDoc,
  type TestEnv,
} from './helpers';

function refusalOf(doc: SyncDoc | undefined): Refusal {
  const r = doc?.[REFUSAL_FIELD] as Refusal | undefined;
  if (!r) throw new Error('expected a refusal');
  return r;
}

// Both backends always appear in the report: without $TEST_DATABASE_URL every test of the PostgreSQL
// suite is reported as skipped (not replaced by an empty passing test), the reason in the suite's name.
for (const backend of ALL_BACKENDS) {
  const skipped = backend === 'postgres' && PG_URL === undefined;
  describe.skipIf(skipped)(`sync on ${backend}${skipped ? ` — skipped: ${PG_SKIP_REASON}` : ''}`, () => {
    let env: TestEnv;
    beforeAll(async () => {
      env = await makeEnv(backend, { students: 50 });
    });
    afterAll(async () => {
      await env.close();
      if (env.schema) await dropSchema(env.schema);
    });

    it('a school never receives another school’s rows; a bureau above both sees both', async () => {
      const a = await login(env.app, 'adminA');
      const b = await login(env.app, 'adminB');
      const county = await login(env.app, 'countyA');
      const prov = await login(env.app, 'prov');
      const pa = await pullAll(env.app, a.token, 'students', 7);
      const pb = await pullAll(env.app, b.token);
      const pc = await pullAll(env.app, county.token, 'students', 13);
      const pp = await pullAll(env.app, prov.token, 'students', 1000);
      expect(pa.docs).toHaveLength(50);
      expect(new Set(pa.docs.map((d) => d.schoolId))).toEqual(new Set(['SA']));
      expect(pb.docs).toHaveLength(50);
      expect(new Set(pb.docs.map((d) => d.schoolId))).toEqual(new Set(['SB']));
      expect(pc.docs).toHaveLength(100);
      expect(new Set(pc.docs.map((d) => d.schoolId))).toEqual(new Set(['SA', 'SB']));
      expect(pp.docs).toHaveLength(150);
      // every document exactly once, in numeric checkpoint order across page boundaries
      expect(new Set(pc.docs.map((d) => d.id)).size).toBe(100);
      expect(pa.docs.every((d) => d._deleted === false)).toBe(true);
    });

    it('orgs: a school pulls its own org and the ones above it, not its neighbours', async () => {
      const a = await login(env.app, 'adminA');
      const orgs = await pullAll(env.app, a.token, 'orgs');
      expect(orgs.docs.map((d) => d.id).sort()).toEqual(['41', '4101', '410101', 'SA']);
    });

    it('a counselor receives only their own classes', async () => {
      const t = await login(env.app, 'teacherA');
      const { docs } = await pullAll(env.app, t.token);
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.length).toBeLessThan(50);
      expect(new Set(docs.map((d) => d.classId)).size).toBe(1);
    });

    it('an unauthenticated pull, a forged token and an expired token get 401', async () => {
      const none = await env.app.inject({ method: 'GET', url: '/api/sync/students/pull' });
      expect(none.statusCode).toBe(401);
      expect(none.json().message).toContain('请重新登录');
      const a = await login(env.app, 'adminA');
      const [h, p] = a.token.split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
      const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'province' })).toString(
        'base64url',
      );
      const forged = await env.app.inject({
        method: 'GET',
        url: '/api/sync/students/pull',
        headers: { authorization: `Bearer ${h}.${forgedPayload}.${a.token.split('.')[2]}` },
      });
      expect(forged.statusCode).toBe(401);
      const saved = env.now.value;
      env.now.value = new Date(saved.getTime() + 16 * 60_000);
      try {
        const expired = await env.app.inject({
          method: 'GET',
          url: '/api/sync/students/pull',
          headers: { authorization: `Bearer ${a.token}` },
        });
        expect(expired.statusCode).toBe(401);
      } finally {
        env.now.value = saved;
      }
    });

    it('a push by school B of a row of school A is refused, the row unchanged, the refusal readable', async () => {
      const a = await login(env.app, 'adminA');
      const b = await login(env.app, 'adminB');
      const [target] = (await pullAll(env.app, a.token)).docs;
      const before = await serverDoc(env.app, String(target?.id));
      const attempt = { ...target, phone: '13900000000', updatedBy: 'adminB' } as SyncDoc;
      const res = await pushRows(env.app, b.token, [
        { assumedMasterState: target, newDocumentState: attempt },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      const returned = res.body[0] as SyncDoc & { _refusal: Refusal };
      expect(returned[REFUSAL_FIELD].code).toBe('OUT_OF_SCOPE');
      expect(returned._refusal.reason).toContain('管辖范围');
      // school B learns nothing of A's row: it gets its own attempt back as a tombstone
      expect(returned._deleted).toBe(true);
      expect(returned.phone).toBe('13900000000');
      const after = await serverDoc(env.app, String(target?.id));
      expect(after).toEqual(before);
      // the refusal reaches school B as a syncIssues record it pulls
      const issues = (await pullAll(env.app, b.token, 'syncIssues')).docs;
      const issue = issues.find((i) => i.id === returned._refusal.issueId);
      expect(issue).toMatchObject({
        kind: 'refusal',
        code: 'OUT_OF_SCOPE',
        docId: target?.id,
        status: 'open',
      });
      // and school A does not see B's attempt
      const issuesA = (await pullAll(env.app, a.token, 'syncIssues')).docs;
      expect(issuesA.find((i) => i.id === returned._refusal.issueId)).toBeUndefined();
    });

    it('a counselor cannot push a workflow decision (status) nor a key field; a plain field goes through', async () => {
      const t = await login(env.app, 'teacherA');
      const [s] = (await pullAll(env.app, t.token)).docs as SyncDoc[];
      if (!s) throw new Error('no student');
      const status = await pushRows(env.app, t.token, [
        { assumedMasterState: s, newDocumentState: { ...s, status: 'withdrawn' } },
      ]);
      const refusal = refusalOf(status.body[0]);
      expect(refusal.code).toBe('STATUS_FIELD');
      expect(refusal.reason).toContain('学籍异动须经审批');
      expect(status.body[0]?.status).toBe('enrolled');
      const key = await pushRows(env.app, t.token, [
        { assumedMasterState: s, newDocumentState: { ...s, name: '改名' } },
      ]);
      expect(refusalOf(key.body[0]).code).toBe('KEY_FIELD');
      const ok = await pushRows(env.app, t.token, [
        { assumedMasterState: s, newDocumentState: { ...s, address: '河南省郑州市金水区新地址1号' } },
      ]);
      expect(ok.body).toEqual([]);
      expect((await serverDoc(env.app, String(s.id)))?.address).toBe('河南省郑州市金水区新地址1号');
      expect((await serverDoc(env.app, String(s.id)))?.status).toBe('enrolled');
    });

    it('status is changed by no one directly, the county bureau included; invalid data is refused with the field named', async () => {
      const county = await login(env.app, 'countyA');
      const [s] = (await pullAll(env.app, county.token)).docs.filter((d) => d.schoolId === 'SB');
      if (!s) throw new Error('no student');
      const direct = await pushRows(env.app, county.token, [
        { assumedMasterState: s, newDocumentState: { ...s, status: 'suspended' } },
      ]);
      expect(refusalOf(direct.body[0]).code).toBe('STATUS_FIELD');
      expect(refusalOf(direct.body[0]).reason).toContain('学籍异动须经审批');
      expect((await serverDoc(env.app, String(s.id)))?.status).toBe('enrolled');
      const admin = await login(env.app, 'adminB');
      const cur = (await serverDoc(env.app, String(s.id))) as SyncDoc;
      const { seq: _seq, ...master } = cur;
      const bad = await pushRows(env.app, admin.token, [
        { assumedMasterState: master, newDocumentState: { ...master, phone: '12345' } },
      ]);
      const refusal = refusalOf(bad.body[0]);
      expect(refusal.code).toBe('INVALID');
      expect(refusal.reason).toContain('联系电话');
      expect(refusal.field).toBe('phone');
    });

    it('push is idempotent: a retried batch changes nothing twice and equal states get no new sequence', async () => {
      const a = await login(env.app, 'adminA');
      const docs = (await pullAll(env.app, a.token)).docs.slice(-3);
      const [top] = await env.app.db.query<{ n: string }>(`select max(seq)::text as n from doc_history`);
      const rows = docs.map((d) => ({
        assumedMasterState: d,
        newDocumentState: { ...d, address: `重试地址${String(d.id).slice(0, 4)}号` },
      }));
      const first = await pushRows(env.app, a.token, rows);
      expect(first.body).toEqual([]);
      const seqs = await Promise.all(docs.map(async (d) => (await serverDoc(env.app, String(d.id)))?.seq));
      const again = await pushRows(env.app, a.token, rows);
      expect(again.body).toEqual([]);
      const seqs2 = await Promise.all(docs.map(async (d) => (await serverDoc(env.app, String(d.id)))?.seq));
      expect(seqs2).toEqual(seqs);
      const [hist] = await env.app.db.query<{ n: string }>(
        `select count(*)::text as n from doc_history where id = any($1::text[]) and seq > $2`,
        [docs.map((d) => String(d.id)), Number(top?.n)],
      );
      expect(Number(hist?.n)).toBe(3);
      // a refused row retried records one refusal, not two
      const b = await login(env.app, 'adminB');
      const refusedRow = [
        { assumedMasterState: docs[0], newDocumentState: { ...docs[0], address: 'B改' } as SyncDoc },
      ];
      const r1 = await pushRows(env.app, b.token, refusedRow);
      const r2 = await pushRows(env.app, b.token, refusedRow);
      expect(refusalOf(r1.body[0]).issueId).toBe(refusalOf(r2.body[0]).issueId);
    });

    it('a stale assumed master gets the current master back (conflict), unchanged', async () => {
      const a = await login(env.app, 'adminA');
      const [d] = (await pullAll(env.app, a.token)).docs;
      if (!d) throw new Error('no doc');
      await pushRows(env.app, a.token, [
        { assumedMasterState: d, newDocumentState: { ...d, address: '第一台设备的地址' } },
      ]);
      const res = await pushRows(env.app, a.token, [
        { assumedMasterState: d, newDocumentState: { ...d, phone: '13811112222' } },
      ]);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]?.address).toBe('第一台设备的地址');
      expect(res.body[0]?.phone).toBe(d.phone);
      expect(res.body[0]?._refusal).toBeUndefined();
    });

    it('R-ONE: the same ID number cannot get a second active record in another school', async () => {
      const a = await login(env.app, 'adminA');
      const c = await login(env.app, 'adminC');
      const [d] = (await pullAll(env.app, a.token)).docs;
      const dup = {
        ...d,
        id: 'dup-of-a-0001',
        schoolId: 'SC',
        orgPath: '/41/4102/SC/',
        updatedBy: 'adminC',
      } as SyncDoc;
      const res = await pushRows(env.app, c.token, [{ newDocumentState: dup }]);
      const refusal = refusalOf(res.body[0]);
      expect(refusal.code).toBe('R-ONE');
      expect(refusal.reason).toContain('R-ONE');
      expect(refusal.reason).toContain('甲县第一中学');
      expect(await serverDoc(env.app, 'dup-of-a-0001')).toBeUndefined();
    });

    it('pull rejects a malformed checkpoint and an unknown collection in Chinese', async () => {
      const a = await login(env.app, 'adminA');
      const h = { authorization: `Bearer ${a.token}` };
      const bad = await env.app.inject({
        method: 'GET',
        url: '/api/sync/students/pull?checkpoint=abc',
        headers: h,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toContain('checkpoint');
      const unknown = await env.app.inject({ method: 'GET', url: '/api/sync/nothing/pull', headers: h });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().message).toContain('未知的数据集合');
    });
  });
}
