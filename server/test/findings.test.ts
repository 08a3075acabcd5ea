// Regression tests for the numbered findings of issue 8 in the authority part (1, 2, 3, 6, 7, 8 and the
// counselor, device and sync-issue items of 9), each named by its finding, on PGlite and PostgreSQL; and
// for the mechanisms built with them (the key-field setting, side effects in one transaction, re-scoping,
// the scope backfill). Each of these failed on the server as it was before the authority work.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStudents } from '../../shared/seed/roster';
import { REFUSAL_FIELD, type Refusal, type SyncDoc } from '../../shared/sync/protocol';
import { backfillScopes } from '../sync/backfill';
import { type Effect, rescopeDependents } from '../sync/effects';
import { writeAsServer } from '../sync/store';
import {
  attachmentRecord,
  BACKENDS,
  dropSchema,
  login,
  makeEnv,
  ORGS,
  PATHS,
  pullAll,
  pushRows,
  serverDoc,
  type TestEnv,
} from './helpers';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const refusalOf = (doc: SyncDoc | undefined): Refusal => {
  const r = doc?.[REFUSAL_FIELD] as Refusal | undefined;
  if (!r) throw new Error(`expected a refusal, got ${JSON.stringify(doc)?.slice(0, 200)}`);
  return r;
};
const strip = ({ seq: _s, ...d }: SyncDoc & { seq?: number }) => d as SyncDoc;

describe.each(BACKENDS)('issue 8 findings on %s', (backend) => {
  let env: TestEnv;
  const put = (token: string, hash: string, body: Buffer, range: string, schoolId: string) =>
    env.app.inject({
      method: 'PUT',
      url: `/api/attachments/${hash}?schoolId=${schoolId}&mime=image/jpeg`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/octet-stream',
        'content-range': range,
      },
      payload: body,
    });
  const fetchBytes = (token: string, hash: string, method: 'GET' | 'HEAD' = 'GET') =>
    env.app.inject({
      method,
      url: `/api/attachments/${hash}`,
      headers: { authorization: `Bearer ${token}` },
    });
  const first = async (token: string) => (await pullAll(env.app, token)).docs[0] as SyncDoc;

  beforeAll(async () => {
    env = await makeEnv(backend, {
      students: 50,
      auth: { loginPerMinutePerAddress: 10_000, loginPerMinutePerAccount: 1000 },
      app: { registry: { checks: 3, windowMinutes: 60 } },
    });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    if (env?.schema) await dropSchema(env.schema);
  }, 60_000);

  it('finding 1: a hash is no capability — a 1-byte PUT of another school’s hash owns nothing, GET stays 404, and no answer tells whether the content exists elsewhere', async () => {
    const a = await login(env.app, 'adminA');
    const c = await login(env.app, 'adminC');
    const scan = Buffer.alloc(300, 7);
    const hash = sha(scan);
    expect((await put(a.token, hash, scan, 'bytes 0-299/300', 'SA')).statusCode).toBe(201);
    const sa = await first(a.token);
    expect(
      (
        await pushRows(
          env.app,
          a.token,
          [{ newDocumentState: attachmentRecord(hash, 'SA', String(sa.id), 300) }],
          'attachments',
        )
      ).body,
    ).toEqual([]);
    expect((await fetchBytes(a.token, hash)).statusCode).toBe(200);

    // The old attack: one byte to the other school's hash.
    const attack = await put(c.token, hash, Buffer.from([1]), 'bytes 0-0/1', 'SC');
    expect(attack.statusCode).toBe(422);
    expect(attack.json()).not.toHaveProperty('complete');
    expect((await fetchBytes(c.token, hash)).statusCode).toBe(404);
    expect((await fetchBytes(c.token, hash, 'HEAD')).statusCode).toBe(404);
    // A record of its own naming the hash gives no bytes either.
    const sc = await first(c.token);
    expect(
      (
        await pushRows(
          env.app,
          c.token,
          [{ newDocumentState: attachmentRecord(hash, 'SC', String(sc.id), 300) }],
          'attachments',
        )
      ).body,
    ).toEqual([]);
    expect((await fetchBytes(c.token, hash)).statusCode).toBe(404);

    // The same answers for content that exists in another school and content that exists nowhere.
    const other = Buffer.alloc(300, 9);
    const nowhere = sha(other);
    const norm = (r: { statusCode: number; body: string; headers: Record<string, unknown> }, h: string) => ({
      status: r.statusCode,
      body: r.body.replaceAll(h, '<sha>'),
      offset: r.headers['upload-offset'],
      complete: r.headers['x-complete'],
    });
    const headNowhere = await fetchBytes(c.token, nowhere, 'HEAD');
    const headElsewhere = await fetchBytes(c.token, hash, 'HEAD');
    expect(norm(headElsewhere, hash)).toEqual(norm(headNowhere, nowhere));
    const partElsewhere = await put(c.token, hash, scan.subarray(0, 100), 'bytes 0-99/300', 'SC');
    const partNowhere = await put(c.token, nowhere, other.subarray(0, 100), 'bytes 0-99/300', 'SC');
    expect(norm(partElsewhere, hash)).toEqual(norm(partNowhere, nowhere));
    const doneElsewhere = await put(c.token, hash, scan.subarray(100), 'bytes 100-299/300', 'SC');
    const doneNowhere = await put(c.token, nowhere, other.subarray(100), 'bytes 100-299/300', 'SC');
    expect(norm(doneElsewhere, hash)).toEqual(norm(doneNowhere, nowhere));
    expect(doneElsewhere.statusCode).toBe(201);
    // Having uploaded every byte (hash checked), school C now owns the content: its own record reads it.
    expect((await fetchBytes(c.token, hash)).statusCode).toBe(200);
  });

  it('finding 2: R-ONE is no oracle — a duplicate ID number is refused without the other child’s name, the school only with the matching name; checks are limited and recorded; refused creates are not stored', async () => {
    const a = await login(env.app, 'adminA');
    const c = await login(env.app, 'adminC');
    const target = await first(a.token);
    // The same child (ID number, birth date, gender) registered again at school C.
    const dup = (id: string, name: string): SyncDoc => ({
      ...target,
      id,
      schoolId: 'SC',
      orgPath: PATHS.SC,
      name,
    });
    const guessed = await pushRows(env.app, c.token, [{ newDocumentState: dup('dup-guess-1', '王小明') }]);
    const r1 = refusalOf(guessed.body[0]);
    expect(r1.code).toBe('R-ONE');
    expect(r1.reason).toBe('R-ONE 一人一籍（YQ 四(一)）：该身份证件号已在其他学校注册学籍，不能重复建籍');
    expect(JSON.stringify(guessed.body)).not.toContain(String(target.name));
    expect(JSON.stringify(guessed.body)).not.toContain('甲县第一中学');
    const named = await pushRows(env.app, c.token, [
      { newDocumentState: dup('dup-named-1', String(target.name)) },
    ]);
    expect(refusalOf(named.body[0]).reason).toContain('已在“甲县第一中学”注册学籍');
    expect(await serverDoc(env.app, 'dup-guess-1')).toBeUndefined();
    expect(await serverDoc(env.app, 'dup-named-1')).toBeUndefined();
    // The explicit lookup of a receiving school: the third check of the window.
    const lookup = (token: string, body: object) =>
      env.app.inject({
        method: 'POST',
        url: '/api/registry/lookup',
        headers: { authorization: `Bearer ${token}` },
        payload: body,
      });
    const l1 = await lookup(c.token, { idNo: target.idNo, name: '李四' });
    expect(l1.json()).toEqual({ registered: true });
    // Past the limit every check is refused without looking: a miss and a hit answer the same.
    const [fresh] = generateStudents({ count: 1, seed: 902, schoolId: 'SC', orgPath: PATHS.SC });
    const batch = await pushRows(env.app, c.token, [
      { newDocumentState: { ...(fresh as unknown as SyncDoc), id: 'miss-after-limit' } },
      { newDocumentState: dup('hit-after-limit', '王小明') },
    ]);
    expect(batch.body.map((d) => refusalOf(d).code)).toEqual(['R-ONE-LIMIT', 'R-ONE-LIMIT']);
    expect(await serverDoc(env.app, 'miss-after-limit')).toBeUndefined();
    const limited = await lookup(c.token, { idNo: target.idNo, name: String(target.name) });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().message).toContain('查询次数过多');
    // Recorded (R-WHO): who, when, a keyed hash of the number (never the number), the result.
    const rows = await env.app.db.query<{ user_id: string; id_hash: string; result: string; via: string }>(
      `select r.user_id, r.id_hash, r.result, r.via from registry_checks r join users u on u.id = r.user_id
        where u.username = 'adminC' order by r.id`,
    );
    expect(rows.map((r) => `${r.via}:${r.result}`)).toEqual([
      'push:registered',
      'push:registeredNamed',
      'lookup:registered',
      'push:limited',
      'push:limited',
      'lookup:limited',
    ]);
    expect(
      rows.every((r) => /^[0-9a-f]{64}$/.test(r.id_hash) && !r.id_hash.includes(String(target.idNo))),
    ).toBe(true);
    // An hour later the window is free again; the school is named for the matching name.
    env.now.value = new Date(env.now.value.getTime() + 61 * 60_000);
    const later = await login(env.app, 'adminC');
    const again = await lookup(later.token, { idNo: target.idNo, name: String(target.name) });
    expect(again.json()).toEqual({ registered: true, school: { id: 'SA', name: '甲县第一中学' } });
    expect((await lookup(later.token, { idNo: '110101200001011234', name: '某某' })).json()).toEqual({
      registered: false,
    });
    // Counselors do not look numbers up.
    const t = await login(env.app, 'teacherA');
    expect((await lookup(t.token, { idNo: target.idNo, name: 'x' })).statusCode).toBe(403);
  });

  it('finding 3: a counselor reads nothing of other classes — not in push answers, not in pulls of events, attachments and sync issues, not as attachment bytes', async () => {
    const a = await login(env.app, 'adminA');
    const t = await login(env.app, 'teacherA');
    const all = (await pullAll(env.app, a.token)).docs;
    const mine = (await pullAll(env.app, t.token)).docs;
    const myClass = String(mine[0]?.classId);
    const other = all.find((d) => d.classId !== myClass) as SyncDoc;
    const own = mine[0] as SyncDoc;
    // The old attack: an empty push naming another class's student.
    const probe = await pushRows(env.app, t.token, [
      { assumedMasterState: { id: other.id }, newDocumentState: { id: other.id } },
    ]);
    expect(probe.body).toHaveLength(1);
    const { [REFUSAL_FIELD]: refusal, ...answer } = probe.body[0] as SyncDoc;
    expect(answer).toEqual({ id: other.id, _deleted: true });
    expect((refusal as Refusal).code).toBe('OUT_OF_SCOPE');
    expect(JSON.stringify(probe.body)).not.toContain(String(other.name));
    // Dependent records take their student's scope.
    const stamp = '2026-09-01T09:00:00.000Z';
    const event = (s: SyncDoc): SyncDoc => ({
      id: `ev-f3-${String(s.id)}`,
      schoolId: 'SA',
      entity: 'student',
      entityId: s.id,
      action: 'student-update',
      at: stamp,
      by: 'adminA',
      before: { phone: '1' },
      after: { phone: '2' },
    });
    const issue = (s: SyncDoc): SyncDoc => ({
      id: `cf-f3-${String(s.id)}`,
      kind: 'conflict',
      docCollection: 'students',
      docId: s.id,
      schoolId: 'SA',
      orgPath: PATHS.SA,
      field: 'phone',
      base: '1',
      mine: '2',
      theirs: '3',
      status: 'open',
      createdAt: stamp,
      createdBy: 'adminA',
      updatedAt: stamp,
      updatedBy: 'adminA',
    });
    const scans = [own, other].map((s, i) => Buffer.from(`班级扫描件 ${i} ${String(s.id)}`));
    for (const [i, s] of [own, other].entries()) {
      const bytes = scans[i] as Buffer;
      expect(
        (await put(a.token, sha(bytes), bytes, `bytes 0-${bytes.length - 1}/${bytes.length}`, 'SA'))
          .statusCode,
      ).toBe(201);
      expect(
        (
          await pushRows(
            env.app,
            a.token,
            [{ newDocumentState: attachmentRecord(sha(bytes), 'SA', String(s.id), bytes.length) }],
            'attachments',
          )
        ).body,
      ).toEqual([]);
      expect((await pushRows(env.app, a.token, [{ newDocumentState: event(s) }], 'events')).body).toEqual([]);
      expect((await pushRows(env.app, a.token, [{ newDocumentState: issue(s) }], 'syncIssues')).body).toEqual(
        [],
      );
    }
    for (const collection of ['events', 'attachments', 'syncIssues']) {
      const pulled = (await pullAll(env.app, t.token, collection)).docs;
      // (The counselor's own refusal of the probe above names the other student: it is theirs to read.)
      const about = (d: SyncDoc) => (d.kind === 'refusal' ? '' : String(d.entityId ?? d.docId));
      expect(
        pulled.some((d) => about(d) === own.id),
        collection,
      ).toBe(true);
      expect(
        pulled.some((d) => about(d) === other.id),
        collection,
      ).toBe(false);
    }
    expect((await fetchBytes(t.token, sha(scans[0] as Buffer))).statusCode).toBe(200);
    expect((await fetchBytes(t.token, sha(scans[1] as Buffer))).statusCode).toBe(404);
  });

  it('finding 6: one bad row does not block a device — NUL, a lone surrogate, deep nesting and a wrong type are refused on their row, naming the field in Chinese; the good row is applied; no 500, also when retried', async () => {
    const a = await login(env.app, 'adminB');
    const docs = (await pullAll(env.app, a.token)).docs.slice(0, 5);
    const DEEP = '"__deep__"';
    const bad = [
      { ...docs[0], address: '河南省\u0000郑州市' },
      { ...docs[1], address: '住址😀'.slice(0, 3) },
      { ...docs[2], archive: '__deep__' },
      { ...docs[3], schoolingYears: 'three' },
      { ...docs[4], address: '河南省郑州市金水区好地址9号' },
    ];
    // 100,000 levels of nesting, written out by hand (JSON.stringify itself cannot go that deep).
    const body = JSON.stringify(
      bad.map((d, i) => ({ assumedMasterState: docs[i], newDocumentState: d })),
    ).replace(DEEP, `${'{"x":'.repeat(100_000)}"底"${'}'.repeat(100_000)}`);
    const send = () =>
      env.app.inject({
        method: 'POST',
        url: '/api/sync/students/push',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
        payload: body,
      });
    const res = await send();
    expect(res.statusCode).toBe(200);
    const answers = res.json() as SyncDoc[];
    expect(answers).toHaveLength(4);
    const byId = (i: number) => refusalOf(answers.find((d) => d.id === docs[i]?.id));
    expect(byId(0)).toMatchObject({ code: 'INVALID', field: 'address' });
    expect(byId(0).reason).toContain('“现住址”含有不可见的控制字符（U+0000）');
    expect(byId(1)).toMatchObject({ code: 'INVALID', field: 'address' });
    expect(byId(1).reason).toContain('残缺的字符');
    expect(byId(2).reason).toContain('嵌套层数过多');
    expect(byId(3)).toMatchObject({ code: 'INVALID', field: 'schoolingYears' });
    expect(byId(3).reason).toContain('学制');
    expect((await serverDoc(env.app, String(docs[4]?.id)))?.address).toBe('河南省郑州市金水区好地址9号');
    for (const i of [0, 1, 2, 3])
      expect(strip((await serverDoc(env.app, String(docs[i]?.id))) as SyncDoc)).toEqual(docs[i]);
    // The retry (RxDB resends a batch it got no answer for) answers the same and files nothing twice.
    const [count] = await env.app.db.query<{ n: string }>(
      `select count(*)::text as n from docs where collection = 'syncIssues'`,
    );
    const again = await send();
    expect(again.statusCode).toBe(200);
    expect((again.json() as SyncDoc[]).map((d) => refusalOf(d).issueId)).toEqual(
      answers.map((d) => refusalOf(d).issueId),
    );
    const [count2] = await env.app.db.query<{ n: string }>(
      `select count(*)::text as n from docs where collection = 'syncIssues'`,
    );
    expect(count2?.n).toBe(count?.n);
  });

  it('finding 7: size limits — a field outside the schema and a document over 64 KB are refused on their row and never stored (the refusal keeps no copy of the bulk); a push over 8 MB is refused whole', async () => {
    const a = await login(env.app, 'adminB');
    const [d1, d2] = (await pullAll(env.app, a.token)).docs;
    const huge = { ...d1, notes: '大'.repeat((5 * 1024 * 1024) / 3) } as SyncDoc;
    const extra = { ...d2, foo: 1 } as SyncDoc;
    const res = await pushRows(env.app, a.token, [
      { assumedMasterState: d1, newDocumentState: huge },
      { assumedMasterState: d2, newDocumentState: extra },
    ]);
    expect(res.status).toBe(200);
    expect(refusalOf(res.body[0])).toMatchObject({ code: 'INVALID', field: 'notes' });
    expect(refusalOf(res.body[0]).reason).toContain('记录过大（超过 64 KB 上限）');
    expect(refusalOf(res.body[1])).toMatchObject({ code: 'INVALID', field: 'foo' });
    expect(refusalOf(res.body[1]).reason).toContain('含有不属于该记录的字段“foo”');
    expect((await serverDoc(env.app, String(d1?.id)))?.notes).toBeUndefined();
    const [issue] = await env.app.db.query<{ n: number }>(
      `select octet_length(data::text) as n from docs where collection = 'syncIssues' and id = $1`,
      [refusalOf(res.body[0]).issueId],
    );
    expect(Number(issue?.n)).toBeLessThan(64 * 1024);
    const event: SyncDoc = {
      id: 'ev-30mb',
      schoolId: 'SB',
      entity: 'student',
      entityId: d1?.id,
      action: 'x',
      at: 'now',
      by: 'adminB',
      before: {},
      after: { blob: 'x'.repeat(30 * 1024 * 1024) },
    };
    const big = await env.app.inject({
      method: 'POST',
      url: '/api/sync/events/push',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify([{ newDocumentState: event }]),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toBe('一次推送的内容过大（上限 8 MB），请分批推送');
    expect(await serverDoc(env.app, 'ev-30mb', 'events')).toBeUndefined();
  });

  it('finding 8: one school cannot wreck another’s upload of the same hash — each uploader’s partial upload is its own', async () => {
    const a = await login(env.app, 'adminA');
    const c = await login(env.app, 'adminC');
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 13) % 256));
    const hash = sha(bytes);
    expect((await put(a.token, hash, bytes.subarray(0, 100), 'bytes 0-99/300', 'SA')).statusCode).toBe(202);
    // School C sends garbage for the same hash: it lands in C's own upload (a gap, then a failed hash).
    expect((await put(c.token, hash, Buffer.alloc(100, 0xee), 'bytes 100-199/300', 'SC')).statusCode).toBe(
      409,
    );
    expect((await put(c.token, hash, Buffer.alloc(300, 0xee), 'bytes 0-299/300', 'SC')).statusCode).toBe(422);
    const head = await fetchBytes(a.token, hash, 'HEAD');
    expect(head.headers['upload-offset']).toBe('100');
    expect((await put(a.token, hash, bytes.subarray(100), 'bytes 100-299/300', 'SA')).statusCode).toBe(201);
    const sa = await first(a.token);
    await pushRows(
      env.app,
      a.token,
      [{ newDocumentState: attachmentRecord(hash, 'SA', String(sa.id), 300) }],
      'attachments',
    );
    const got = await fetchBytes(a.token, hash);
    expect(Buffer.compare(got.rawPayload, bytes)).toBe(0);
  });

  it('finding 9: a counselor lists only their own devices; IP addresses are shown only of one’s own devices', async () => {
    await login(env.app, 'teacherA', 'dev-teacher-second');
    const t = await login(env.app, 'teacherA');
    const a = await login(env.app, 'adminA');
    const list = async (token: string) =>
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/devices',
          headers: { authorization: `Bearer ${token}` },
        })
      ).json().devices as { username: string; ip: string | null }[];
    const teacherSees = await list(t.token);
    expect(new Set(teacherSees.map((d) => d.username))).toEqual(new Set(['teacherA']));
    expect(teacherSees.length).toBeGreaterThanOrEqual(2);
    expect(teacherSees.every((d) => d.ip !== null)).toBe(true);
    const adminSees = await list(a.token);
    expect(adminSees.some((d) => d.username === 'teacherA')).toBe(true);
    expect(adminSees.filter((d) => d.username !== 'adminA').every((d) => d.ip === null)).toBe(true);
    expect(adminSees.filter((d) => d.username === 'adminA').every((d) => d.ip !== null)).toBe(true);
    expect(adminSees.some((d) => d.username === 'adminB')).toBe(false);
  });

  it('finding 9: a counselor cannot resolve the sync issues of other classes (nor read them); their own class’s they can', async () => {
    const t = await login(env.app, 'teacherA');
    const a = await login(env.app, 'adminA');
    const mine = (await pullAll(env.app, t.token)).docs;
    const other = (await pullAll(env.app, a.token)).docs.find(
      (d) => d.classId !== mine[0]?.classId,
    ) as SyncDoc;
    const issue = (s: SyncDoc, id: string): SyncDoc => ({
      id,
      kind: 'conflict',
      docCollection: 'students',
      docId: s.id,
      schoolId: 'SA',
      orgPath: PATHS.SA,
      field: 'address',
      base: 'a',
      mine: 'b',
      theirs: 'c',
      status: 'open',
      createdAt: 'x',
      createdBy: 'adminA',
      updatedAt: 'x',
      updatedBy: 'adminA',
    });
    const foreign = issue(other, 'cf-f9-other');
    const own = issue(mine[0] as SyncDoc, 'cf-f9-own');
    expect(
      (
        await pushRows(
          env.app,
          a.token,
          [{ newDocumentState: foreign }, { newDocumentState: own }],
          'syncIssues',
        )
      ).body,
    ).toEqual([]);
    const resolve = (d: SyncDoc) => ({
      ...d,
      status: 'resolved',
      resolution: 'theirs',
      resolvedBy: 'teacherA',
      resolvedAt: 'y',
      updatedAt: 'y',
    });
    const res = await pushRows(
      env.app,
      t.token,
      [
        { assumedMasterState: foreign, newDocumentState: resolve(foreign) },
        { assumedMasterState: own, newDocumentState: resolve(own) },
      ],
      'syncIssues',
    );
    expect(res.body).toHaveLength(1);
    expect(refusalOf(res.body[0]).code).toBe('OUT_OF_SCOPE');
    // The answer is the counselor's own attempt as a tombstone, nothing of the stored issue.
    const { [REFUSAL_FIELD]: _r, ...answer } = res.body[0] as SyncDoc;
    expect(answer).toEqual({ ...resolve(foreign), _deleted: true });
    expect((await serverDoc(env.app, 'cf-f9-other', 'syncIssues'))?.status).toBe('open');
    expect((await serverDoc(env.app, 'cf-f9-own', 'syncIssues'))?.status).toBe('resolved');
  });

  it('finding 9: checkpoints are strict — {"seq":true}, {"seq":"1"}, extra keys and non-numbers are 400', async () => {
    const a = await login(env.app, 'adminA');
    for (const cp of ['{"seq":true}', '{"seq":"1"}', '{"seq":1,"x":0}', '[1]', '{"seq":-1}', '{"seq":1.5}']) {
      const res = await env.app.inject({
        method: 'GET',
        url: `/api/sync/students/pull?checkpoint=${encodeURIComponent(cp)}`,
        headers: { authorization: `Bearer ${a.token}` },
      });
      expect(res.statusCode, cp).toBe(400);
      expect(res.json().error).toBe('BAD_CHECKPOINT');
    }
  });

  it('the key-field set is the province’s setting (one copy): the server refuses what it names and allows what it leaves out', async () => {
    const a = await login(env.app, 'adminA');
    const province = ORGS[0] as SyncDoc;
    await writeAsServer(
      env.app.db,
      'orgs',
      [{ ...province, settings: { keyFields: ['idNo', 'address'] } }],
      env.app.channel,
    );
    const [d] = (await pullAll(env.app, a.token)).docs.slice(-1);
    const rename = await pushRows(env.app, a.token, [
      { assumedMasterState: d, newDocumentState: { ...d, name: '改名测试' } },
    ]);
    expect(rename.body).toEqual([]);
    const cur = strip((await serverDoc(env.app, String(d?.id))) as SyncDoc);
    const move = await pushRows(env.app, a.token, [
      { assumedMasterState: cur, newDocumentState: { ...cur, address: '河南省新地址1号' } },
    ]);
    expect(refusalOf(move.body[0])).toMatchObject({ code: 'KEY_FIELD', field: 'address' });
    await writeAsServer(env.app.db, 'orgs', [province], env.app.channel);
  });
});

describe.each(BACKENDS)('side effects and scopes on %s', (backend) => {
  let env: TestEnv;
  // A test effect: every accepted student writes a history event; the address "boom" then fails.
  const boom: Effect = {
    name: 'test-boom',
    collections: ['students'],
    async run(ctx) {
      await ctx.write(
        'events',
        {
          id: `fx-${ctx.after.id}`,
          schoolId: ctx.after.schoolId,
          entity: 'student',
          entityId: ctx.after.id,
          action: 'effect',
          at: 'x',
          by: ctx.user.id,
          before: {},
          after: { address: ctx.after.data.address },
        },
        ctx.after.scope,
      );
      if (ctx.after.data.address === 'boom') throw new Error('effect failed on purpose');
    },
  };
  beforeAll(async () => {
    env = await makeEnv(backend, {
      students: 12,
      auth: { loginPerMinutePerAddress: 10_000, loginPerMinutePerAccount: 1000 },
      app: { effects: [rescopeDependents, boom] },
    });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    if (env?.schema) await dropSchema(env.schema);
  }, 60_000);

  it('a failing effect rolls back the row and everything its effects wrote, in one transaction; the other rows are applied', async () => {
    const a = await login(env.app, 'adminA');
    const [d1, d2, d3] = (await pullAll(env.app, a.token)).docs;
    const [hist] = await env.app.db.query<{ n: string }>(
      `select count(*)::text as n from doc_history where id = $1`,
      [d2?.id],
    );
    const res = await pushRows(env.app, a.token, [
      { assumedMasterState: d1, newDocumentState: { ...d1, address: '河南省一号路1号' } },
      { assumedMasterState: d2, newDocumentState: { ...d2, address: 'boom' } },
      { assumedMasterState: d3, newDocumentState: { ...d3, address: '河南省三号路3号' } },
    ]);
    expect(res.body).toHaveLength(1);
    expect(refusalOf(res.body[0]).code).toBe('SERVER_ROW');
    expect(refusalOf(res.body[0]).reason).toContain('未作任何修改');
    expect(strip((await serverDoc(env.app, String(d2?.id))) as SyncDoc)).toEqual(d2);
    expect(await serverDoc(env.app, `fx-${String(d2?.id)}`, 'events')).toBeUndefined();
    const [hist2] = await env.app.db.query<{ n: string }>(
      `select count(*)::text as n from doc_history where id = $1`,
      [d2?.id],
    );
    expect(hist2?.n).toBe(hist?.n);
    expect((await serverDoc(env.app, String(d1?.id)))?.address).toBe('河南省一号路1号');
    expect((await serverDoc(env.app, `fx-${String(d1?.id)}`, 'events'))?.after).toEqual({
      address: '河南省一号路1号',
    });
    expect((await serverDoc(env.app, `fx-${String(d3?.id)}`, 'events'))?.after).toEqual({
      address: '河南省三号路3号',
    });
  });

  it('re-scoping: an event pushed before its student has the school’s scope; the student’s arrival moves it into the class with a new sequence, so the class counselor pulls it', async () => {
    const a = await login(env.app, 'adminA');
    const t = await login(env.app, 'teacherA');
    const myClass = String((await pullAll(env.app, t.token)).docs[0]?.classId);
    const before = await pullAll(env.app, t.token, 'events');
    const [fresh] = generateStudents({ count: 1, seed: 4242, schoolId: 'SA', orgPath: PATHS.SA });
    const student = { ...(fresh as unknown as SyncDoc), id: 'late-student', classId: myClass };
    const event: SyncDoc = {
      id: 'early-event',
      schoolId: 'SA',
      entity: 'student',
      entityId: 'late-student',
      action: 'import-create',
      at: 'x',
      by: 'adminA',
      before: {},
      after: {},
    };
    expect((await pushRows(env.app, a.token, [{ newDocumentState: event }], 'events')).body).toEqual([]);
    expect((await pullAll(env.app, t.token, 'events')).docs.some((d) => d.id === 'early-event')).toBe(false);
    const seq1 = (await serverDoc(env.app, 'early-event', 'events'))?.seq ?? 0;
    expect((await pushRows(env.app, a.token, [{ newDocumentState: student }])).body).toEqual([]);
    const seq2 = (await serverDoc(env.app, 'early-event', 'events'))?.seq ?? 0;
    expect(seq2).toBeGreaterThan(seq1);
    // From the counselor's own checkpoint: the event arrives now.
    const q = new URLSearchParams({
      limit: '100',
      checkpoint: JSON.stringify(before.checkpoint ?? { seq: 0 }),
    });
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/sync/events/pull?${q}`,
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect((res.json().documents as SyncDoc[]).some((d) => d.id === 'early-event')).toBe(true);
  });

  it('re-scoping: a student moved to another class by the server takes its history with it, in the same transaction', async () => {
    const t = await login(env.app, 'teacherA');
    const a = await login(env.app, 'adminA');
    const mine = (await pullAll(env.app, t.token)).docs[0] as SyncDoc;
    const otherClass = String(
      (await pullAll(env.app, a.token)).docs.find((d) => d.classId !== mine.classId)?.classId,
    );
    const event: SyncDoc = {
      id: 'ev-move',
      schoolId: 'SA',
      entity: 'student',
      entityId: mine.id,
      action: 'student-update',
      at: 'x',
      by: 'adminA',
      before: { phone: '1' },
      after: { phone: '2' },
    };
    expect((await pushRows(env.app, a.token, [{ newDocumentState: event }], 'events')).body).toEqual([]);
    expect((await pullAll(env.app, t.token, 'events')).docs.some((d) => d.id === 'ev-move')).toBe(true);
    await writeAsServer(
      env.app.db,
      'students',
      [{ ...strip((await serverDoc(env.app, String(mine.id))) as SyncDoc), classId: otherClass }],
      env.app.channel,
    );
    // The counselor of the old class no longer reads it: their pull brings it as a tombstone (doc_exits,
    // migration 10), the state they already held marked deleted, so their copy drops it.
    const after = (await pullAll(env.app, t.token, 'events')).docs.filter((d) => d.id === 'ev-move');
    expect(after).toEqual([
      expect.objectContaining({ id: 'ev-move', _deleted: true, after: { phone: '2' } }),
    ]);
    const [row] = await env.app.db.query<{ scope: unknown }>(
      `select scope from docs where collection = 'events' and id = 'ev-move'`,
    );
    expect(row?.scope).toEqual({ owner: { path: PATHS.SA, classId: otherClass } });
  });

  it('backfill (migration 4): rows stored without a scope get theirs at start, and every pull sees exactly what it saw', async () => {
    const users = ['prov', 'countyA', 'adminA', 'adminC', 'teacherA', 'inspA'];
    const snapshot = async () => {
      const out: Record<string, string[]> = {};
      for (const u of users) {
        const { token } = await login(env.app, u);
        for (const c of ['students', 'events', 'orgs', 'syncIssues', 'attachments'])
          out[`${u}/${c}`] = (await pullAll(env.app, token, c, 1000)).docs.map((d) => String(d.id)).sort();
      }
      return out;
    };
    const seen = await snapshot();
    const [scopes] = await env.app.db.query<{ s: string }>(
      `select string_agg(collection || id || scope::text, '|' order by collection, id) as s from docs`,
    );
    await env.app.db.query(`update docs set scope = null, scope_keys = '{}'`);
    expect(await backfillScopes(env.app.db, 7)).toBeGreaterThan(0);
    expect(await backfillScopes(env.app.db)).toBe(0);
    const [again] = await env.app.db.query<{ s: string }>(
      `select string_agg(collection || id || scope::text, '|' order by collection, id) as s from docs`,
    );
    expect(again?.s).toBe(scopes?.s);
    expect(await snapshot()).toEqual(seen);
  });
});
