// Change requests through the real fastify app on PGlite and PostgreSQL (issue 12 "On the server"): the
// four-party transfer between schools of two counties with the student's roster move, history and scans
// on both sides, the sending school losing the student from its copy; every refusal by a crafted push —
// a school approving its own request, a skipped step, the wrong role or org, an edit of a submitted or
// decided request, a second open request, rule refusals — each with the rule and a Chinese reason on the
// request; two bureau users deciding one step; who can read a request at all.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentRecordId } from '../../shared/domain/attachment-types';
import type { EventDoc, SyncIssueDoc } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import { REFUSAL_FIELD, type Refusal, type SyncDoc } from '../../shared/sync/protocol';
import {
  editDraft,
  newDraft,
  withDecision,
  withFiling,
  withSubmission,
  withWithdrawal,
} from '../../shared/workflows/build';
import { mergeChangeRequest } from '../../shared/workflows/merge';
import type { ChangeRequestDoc, WorkflowActor } from '../../shared/workflows/types';
import { wfOrgDocs, wfStudents } from '../../tests/fixtures/workflows';
import { createUser } from '../auth/accounts';
import { writeAsServer } from '../sync/store';
import {
  ALL_BACKENDS,
  dropSchema,
  makeEnv,
  PASSWORD,
  PG_SKIP_REASON,
  PG_URL,
  pullAll,
  pushRows,
  serverDoc,
  type TestEnv,
} from './helpers';

const ORGS = wfOrgDocs();
const org = (id: string) => ORGS.find((o) => o.id === id) as (typeof ORGS)[number];
const STUDENTS = [
  ...wfStudents('H1', 12, 21),
  ...wfStudents('H2', 12, 22),
  ...wfStudents('H3', 6, 23),
  ...wfStudents('V1', 6, 24),
];
const USERS: [string, WorkflowActor['role'], string, object?][] = [
  ['h1.admin', 'schoolAdmin', 'H1'],
  ['h2.admin', 'schoolAdmin', 'H2'],
  ['h3.admin', 'schoolAdmin', 'H3'],
  ['v1.admin', 'schoolAdmin', 'V1'],
  ['jinshui.a', 'bureau', '410105'],
  ['jinshui.b', 'bureau', '410105'],
  ['zhongmou', 'bureau', '410122'],
  ['jianxi', 'bureau', '410305'],
  ['zz.city', 'bureau', '4101'],
  ['prov', 'province', '41'],
  ['h1.teacher', 'counselor', 'H1', { classIds: ['高二(1)班'] }],
  ['h1.teacher2', 'counselor', 'H1', { classIds: ['高二(2)班'] }],
  ['h2.teacher', 'counselor', 'H2', { classIds: ['高二(3)班'] }],
  ['insp', 'inspector', '4101', { enforcementId: '豫教执 4101-0009' }],
];

type Session = { token: string; actor: WorkflowActor };

const APPLICANT = { name: '王志刚', relation: '父亲', phone: '13803712345' };

function refusalOf(doc: SyncDoc | undefined): Refusal {
  const r = doc?.[REFUSAL_FIELD] as Refusal | undefined;
  if (!r) throw new Error(`expected a refusal, got ${JSON.stringify(doc)?.slice(0, 300)}`);
  return r;
}

for (const backend of ALL_BACKENDS) {
  const skipped = backend === 'postgres' && PG_URL === undefined;
  describe.skipIf(skipped)(
    `change requests on ${backend}${skipped ? ` — skipped: ${PG_SKIP_REASON}` : ''}`,
    () => {
      let env: TestEnv;
      const s = new Map<string, Session>();
      let n = 0;
      const clock = () => ({
        now: () => env.now.value.toISOString(),
        newId: () => `${(++n).toString(16).padStart(8, '0')}-x`,
      });
      const me = (u: string) => s.get(u) as Session;

      const push = async (u: string, doc: ChangeRequestDoc, assumed?: ChangeRequestDoc | null) => {
        const master =
          assumed === undefined ? ((await serverDoc(env.app, doc.id, 'changeRequests')) ?? null) : assumed;
        if (master) delete (master as Record<string, unknown>).seq;
        const res = await pushRows(
          env.app,
          me(u).token,
          [{ assumedMasterState: master as never, newDocumentState: doc as never }],
          'changeRequests',
        );
        expect(res.status).toBe(200);
        return res.body[0];
      };
      const stored = async (id: string) => {
        const d = (await serverDoc(env.app, id, 'changeRequests')) as unknown as ChangeRequestDoc & {
          seq?: number;
        };
        delete d.seq;
        return d;
      };
      const studentOf = async (id: string) => (await serverDoc(env.app, id)) as unknown as Student;
      const pick = (school: string, grade: string) =>
        STUDENTS.find((x) => x.schoolId === school && x.grade === grade) as Student;
      const issuesOf = async (u: string, docId: string) =>
        (await pullAll(env.app, me(u).token, 'syncIssues')).docs.filter(
          (d) => d.docId === docId && d.kind === 'refusal',
        ) as unknown as SyncIssueDoc[];

      /** A transfer-in draft by the receiving school (after the R-ONE lookup named the sending school). */
      const transferDraft = (to: string, st: Student) =>
        newDraft(
          {
            type: 'transfer',
            school: org(to),
            transferIn: {
              student: { name: st.name, gender: st.gender, idNo: st.idNo, grade: st.grade, classId: '' },
              fromSchoolId: st.schoolId,
              fromSchoolName: org(st.schoolId).name,
            },
            details: { toGrade: st.grade, toClass: `${st.grade}(3)班` },
            reason: '父母工作调动，全家户籍迁入',
            applicant: APPLICANT,
            appliedOn: '2026-09-08',
            proofs: [
              { kind: 'application', name: '转学申请.pdf', attachmentId: `${to}:${'a'.repeat(64)}` },
              { kind: 'hukouMove', name: '户籍迁移证明.jpg', attachmentId: `${to}:${'b'.repeat(64)}` },
            ],
          },
          me(`${to.toLowerCase()}.admin`).actor,
          ORGS,
          clock(),
        );

      beforeAll(async () => {
        env = await makeEnv(backend, {
          seed: false,
          auth: { loginPerMinutePerAddress: 10_000, loginPerMinutePerAccount: 1000 },
          app: { registry: { checks: 1000, windowMinutes: 60 } },
        });
        env.now.value = new Date('2026-09-10T02:00:00.000Z');
        await writeAsServer(env.app.db, 'orgs', ORGS as never, env.app.channel);
        await writeAsServer(env.app.db, 'students', STUDENTS as never, env.app.channel);
        for (const [username, role, orgId, extra] of USERS)
          await createUser(
            env.app.db,
            { username, displayName: `${username}经办人`, password: PASSWORD, role, orgId, ...extra },
            env.now.value,
          );
        for (const [username] of USERS) {
          const res = await env.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username, password: PASSWORD, deviceId: `dev-${username.replace('.', '-')}-01` },
          });
          const body = res.json() as { token: string; user: WorkflowActor & { displayName: string } };
          const u = body.user;
          s.set(username, {
            token: body.token,
            actor: {
              id: u.id,
              name: u.displayName,
              role: u.role,
              orgId: u.orgId,
              orgName: (u as { orgName: string }).orgName,
              orgPath: u.orgPath,
            },
          });
        }
      });
      afterAll(async () => {
        await env.close();
        if (env.schema) await dropSchema(env.schema);
      });

      it('a transfer between schools of two counties: four parties in turn, the student moves with history and scans', async () => {
        const st = STUDENTS.find((x) => x.schoolId === 'H1' && x.classId === '高二(1)班') as Student;
        // history and a scan of the student at the sending school, before the transfer
        const ev: EventDoc = {
          id: 'ev-before-transfer',
          schoolId: 'H1',
          entity: 'student',
          entityId: st.id,
          action: 'student-update',
          at: '2026-09-02T00:00:00.000Z',
          by: me('h1.admin').actor.id,
          before: { phone: '13900000001' },
          after: { phone: '13900000002' },
        };
        expect(
          (await pushRows(env.app, me('h1.admin').token, [{ newDocumentState: ev as never }], 'events')).body,
        ).toEqual([]);
        const draft = transferDraft('H2', st);
        expect(await push('h2.admin', draft, null)).toBeUndefined();
        // a draft is the receiving school's alone
        expect((await pullAll(env.app, me('h1.admin').token, 'changeRequests')).docs).toEqual([]);
        // the receiving school attaches a proof: uploaded bytes and the attachment record of the request
        const bytes = Buffer.from(`%PDF-1.4 户籍迁移证明 ${'x'.repeat(200)}`);
        const sha = createHash('sha256').update(bytes).digest('hex');
        const put = await env.app.inject({
          method: 'PUT',
          url: `/api/attachments/${sha}?schoolId=H2&mime=application/pdf`,
          headers: {
            authorization: `Bearer ${me('h2.admin').token}`,
            'content-type': 'application/octet-stream',
          },
          payload: bytes,
        });
        expect(put.statusCode).toBe(201);
        const record = {
          id: attachmentRecordId('H2', sha),
          sha256: sha,
          schoolId: 'H2',
          orgPath: org('H2').path,
          name: '户籍迁移证明.pdf',
          mime: 'application/pdf',
          size: bytes.length,
          entity: 'changeRequest',
          entityId: draft.id,
          kind: 'scan',
          createdAt: '2026-09-10T02:00:00.000Z',
          createdBy: me('h2.admin').actor.id,
          updatedAt: '2026-09-10T02:00:00.000Z',
          updatedBy: me('h2.admin').actor.id,
        };
        expect(
          (
            await pushRows(
              env.app,
              me('h2.admin').token,
              [{ newDocumentState: record as never }],
              'attachments',
            )
          ).body,
        ).toEqual([]);
        const bytesFor = async (u: string) =>
          (
            await env.app.inject({
              method: 'GET',
              url: `/api/attachments/${sha}`,
              headers: { authorization: `Bearer ${me(u).token}` },
            })
          ).statusCode;
        expect(await bytesFor('h1.admin')).toBe(404);
        expect(
          await push(
            'h2.admin',
            withSubmission(await stored(draft.id), '同意接收', me('h2.admin').actor, clock()),
          ),
        ).toBeUndefined();
        // submitted: the proof is readable by every party of the transfer (both schools, both bureaus, and
        // the city and the province above them), and by nobody else: not a school outside the transfer, not
        // another county, not a counselor — of another class of either school, nor of the student's own class
        // (a request is the registrar's and the bureaus' business, and its scope names no class)
        for (const [u, code] of [
          ['h2.admin', 200],
          ['zhongmou', 200],
          ['h1.admin', 200],
          ['jinshui.a', 200],
          ['zz.city', 200],
          ['prov', 200],
          ['h3.admin', 404],
          ['v1.admin', 404],
          ['jianxi', 404],
          ['h1.teacher2', 404],
          ['h2.teacher', 404],
          ['h1.teacher', 404],
          // an inspector of the city reads no student's files (issue 14: only its inspections' visit packs)
          ['insp', 404],
        ] as const)
          expect([u, await bytesFor(u)]).toEqual([u, code]);
        // … and the proof's attachment record (name, size, hash) reaches the same parties only
        const recordReaders: string[] = [];
        for (const [u] of USERS)
          if (
            (await pullAll(env.app, me(u).token, 'attachments')).docs.some(
              (d) => d.id === record.id && !d._deleted,
            )
          )
            recordReaders.push(u);
        expect(recordReaders.sort()).toEqual(
          ['h1.admin', 'h2.admin', 'jinshui.a', 'jinshui.b', 'prov', 'zhongmou', 'zz.city'].sort(),
        );
        // a refused read names nothing of the file or its school
        const denied = await env.app.inject({
          method: 'GET',
          url: `/api/attachments/${sha}`,
          headers: { authorization: `Bearer ${me('h1.teacher2').token}` },
        });
        expect(denied.body).not.toContain('户籍迁移证明');
        expect(denied.body).not.toContain(org('H2').name);
        let cur = await stored(draft.id);
        expect(cur).toMatchObject({ status: 'submitted', step: 1, studentIds: [st.id] });
        expect(cur.route.map((r) => r.orgId)).toEqual(['H2', '410122', 'H1', '410105']);
        expect(cur.students[0]).toMatchObject({
          statusNo: st.statusNo,
          classId: st.classId,
          schoolName: org('H1').name,
        });
        // every party reads it, nobody else: not an inspector of the city (issue 14: inspectors read no
        // school's requests, only what their inspections' visit packs carry)
        const readers = async () => {
          const out: string[] = [];
          for (const [u] of USERS)
            if (
              (await pullAll(env.app, me(u).token, 'changeRequests')).docs.some(
                (d) => d.id === draft.id && !d._deleted,
              )
            )
              out.push(u);
          return out.sort();
        };
        expect(await readers()).toEqual(
          ['h1.admin', 'h2.admin', 'jinshui.a', 'jinshui.b', 'prov', 'zhongmou', 'zz.city'].sort(),
        );
        for (const [u, step] of [
          ['zhongmou', 1],
          ['h1.admin', 2],
          ['jinshui.a', 3],
        ] as const) {
          cur = await stored(draft.id);
          expect(cur.step).toBe(step);
          expect(await push(u, withDecision(cur, 'approve', '同意', me(u).actor, clock()))).toBeUndefined();
        }
        cur = await stored(draft.id);
        expect(cur.status).toBe('approved');
        expect(cur.applied?.changes[0]).toMatchObject({
          studentId: st.id,
          before: { schoolId: 'H1' },
          after: { schoolId: 'H2' },
        });
        const moved = await studentOf(st.id);
        expect(moved).toMatchObject({
          schoolId: 'H2',
          orgPath: org('H2').path,
          classId: `${st.grade}(3)班`,
          archive: st.archive,
        });
        // the receiving school and its county pull the student; the sending school's copy drops it (tombstone)
        const has = async (u: string, c = 'students', id = st.id) =>
          (await pullAll(env.app, me(u).token, c)).docs
            .filter((d) => d.id === id)
            .map((d) => (d._deleted ? 'gone' : 'here'));
        expect(await has('h2.admin')).toEqual(['here']);
        expect(await has('zhongmou')).toEqual(['here']);
        expect(await has('h1.admin')).toEqual(['gone']);
        expect(await has('jinshui.a')).toEqual(['gone']);
        expect(await has('h1.teacher')).toEqual(['gone']);
        expect(await has('zz.city')).toEqual(['here']);
        // history up to the transfer: both schools; the transfer event itself: both; after it: the receiving only
        expect(await has('h2.admin', 'events', 'ev-before-transfer')).toEqual(['here']);
        expect(await has('h1.admin', 'events', 'ev-before-transfer')).toEqual(['here']);
        const applyEvent = `ev-${draft.id}-${st.id}`.slice(0, 64);
        expect(await has('h1.admin', 'events', applyEvent)).toEqual(['here']);
        const later: EventDoc = {
          ...ev,
          id: 'ev-after-transfer',
          schoolId: 'H2',
          at: '2026-09-11T00:00:00.000Z',
          by: me('h2.admin').actor.id,
        };
        expect(
          (await pushRows(env.app, me('h2.admin').token, [{ newDocumentState: later as never }], 'events'))
            .body,
        ).toEqual([]);
        expect(await has('h2.admin', 'events', 'ev-after-transfer')).toEqual(['here']);
        expect(await has('h1.admin', 'events', 'ev-after-transfer')).toEqual([]);
        // the request's own history: submitted and each decision (R-WHO)
        const reqEvents = (await pullAll(env.app, me('h1.admin').token, 'events')).docs.filter(
          (d) => d.entityId === draft.id,
        );
        expect(reqEvents.map((e) => e.action).sort()).toEqual(
          ['change-approve', 'change-approve', 'change-approve', 'change-create', 'change-submit'].sort(),
        );
        // the sending school can no longer write the student
        const stale = { ...st, phone: '13811112222' };
        const r = await pushRows(env.app, me('h1.admin').token, [
          { assumedMasterState: moved as never, newDocumentState: stale as never },
        ]);
        expect(refusalOf(r.body[0]).code).toBe('OUT_OF_SCOPE');
      });

      it('a rejection at the third step ends the transfer with its reason, visible to every party', async () => {
        const other = STUDENTS.find((x) => x.schoolId === 'H1' && x.classId === '高二(2)班') as Student;
        const d = transferDraft('H2', other);
        await push('h2.admin', d, null);
        await push('h2.admin', withSubmission(await stored(d.id), '同意接收', me('h2.admin').actor, clock()));
        await push(
          'zhongmou',
          withDecision(await stored(d.id), 'approve', '同意', me('zhongmou').actor, clock()),
        );
        expect(
          await push(
            'h1.admin',
            withDecision(await stored(d.id), 'reject', '家长未向本校提出转学', me('h1.admin').actor, clock()),
          ),
        ).toBeUndefined();
        const cur = await stored(d.id);
        expect(cur.status).toBe('rejected');
        expect((await studentOf(other.id)).schoolId).toBe('H1');
        const seen = (await pullAll(env.app, me('jinshui.a').token, 'changeRequests')).docs.find(
          (x) => x.id === d.id,
        ) as unknown as ChangeRequestDoc;
        expect(seen.decisions.at(-1)).toMatchObject({ decision: 'reject', opinion: '家长未向本校提出转学' });
        // nothing more is decided after a rejection
        const after = await push(
          'jinshui.a',
          withDecision(cur, 'approve', '同意', me('jinshui.a').actor, clock()),
        );
        expect(refusalOf(after).code).toMatch(/WRONG_PARTY|WORKFLOW/);
      });

      describe('crafted pushes are refused with the rule and a Chinese reason on the request', () => {
        let req: ChangeRequestDoc;
        beforeAll(async () => {
          const st = pick('H1', '高一');
          const d = newDraft(
            {
              type: 'suspension',
              school: org('H1'),
              students: [st],
              details: { startDate: '2026-09-10', endDate: '2027-01-22' },
              reason: '因病住院',
              applicant: APPLICANT,
              appliedOn: '2026-09-09',
              proofs: [
                { kind: 'signedForm', name: '审批表.pdf', attachmentId: `H1:${'c'.repeat(64)}` },
                { kind: 'medical', name: '诊断证明.pdf', attachmentId: `H1:${'d'.repeat(64)}` },
              ],
            },
            me('h1.admin').actor,
            ORGS,
            clock(),
          );
          await push('h1.admin', d, null);
          await push(
            'h1.admin',
            withSubmission(await stored(d.id), '同意上报', me('h1.admin').actor, clock()),
          );
          req = await stored(d.id);
          expect(req.status).toBe('submitted');
        });

        it('a school approving its own request (SELF_APPROVAL); the refusal is on the request, the state unchanged', async () => {
          const answer = await push(
            'h1.admin',
            withDecision(req, 'approve', '同意', me('h1.admin').actor, clock()),
          );
          const r = refusalOf(answer);
          expect(r).toMatchObject({ code: 'SELF_APPROVAL' });
          expect(r.reason).toContain('学校不能审批本校提交的申请');
          expect(answer?.status).toBe('submitted');
          expect((await stored(req.id)).status).toBe('submitted');
          expect((await studentOf(req.studentIds[0] as string)).status).toBe('enrolled');
          const issues = await issuesOf('h1.admin', req.id);
          expect(issues.some((i) => i.code === 'SELF_APPROVAL' && i.docCollection === 'changeRequests')).toBe(
            true,
          );
        });

        it('a status the decisions do not give, and a decision of a step ahead (STATE, SKIP)', async () => {
          const crafted = { ...req, status: 'approved', step: 2 } as ChangeRequestDoc;
          expect(refusalOf(await push('jinshui.a', crafted)).code).toBe('STATE');
          const next = withDecision(req, 'approve', '同意', me('jinshui.a').actor, clock());
          const ahead = {
            ...next,
            decisions: next.decisions.map((x, i) => (i === 1 ? { ...x, step: 2 } : x)),
          };
          expect(refusalOf(await push('jinshui.a', ahead)).code).toMatch(/SKIP|INVALID/);
          expect((await stored(req.id)).status).toBe('submitted');
        });

        it('the wrong org or role: another county, the city, the province, another school, a counselor, an inspector', async () => {
          for (const u of ['zhongmou', 'zz.city', 'prov']) {
            const r = refusalOf(await push(u, withDecision(req, 'approve', '同意', me(u).actor, clock())));
            expect([u, r.code]).toEqual([u, u === 'zhongmou' ? 'OUT_OF_SCOPE' : 'WRONG_PARTY']);
          }
          for (const u of ['h2.admin', 'h1.teacher', 'insp']) {
            const r = refusalOf(await push(u, withDecision(req, 'approve', '同意', me(u).actor, clock())));
            expect(['OUT_OF_SCOPE', 'ROLE']).toContain(r.code);
          }
          expect((await stored(req.id)).decisions).toHaveLength(1);
        });

        it('an edit of a submitted request (LOCKED), of its type or school (IMMUTABLE), a deletion (DELETE)', async () => {
          expect(
            refusalOf(
              await push('h1.admin', { ...req, reason: '改一下原因', updatedAt: '2026-09-10T03:00:00.000Z' }),
            ).code,
          ).toBe('LOCKED');
          expect(refusalOf(await push('h1.admin', { ...req, type: 'withdrawal' })).code).toBe('IMMUTABLE');
          expect(refusalOf(await push('h1.admin', { ...req, _deleted: true } as never)).code).toBe('DELETE');
        });

        it('a second open request of the same student and type (OPEN_REQUEST), kept as a draft', async () => {
          const st = await studentOf(req.studentIds[0] as string);
          const again = newDraft(
            { ...req, type: 'suspension', school: org('H1'), students: [st] } as never,
            me('h1.admin').actor,
            ORGS,
            clock(),
          );
          const full = {
            ...again,
            details: req.details,
            reason: '重复',
            applicant: APPLICANT,
            proofs: req.proofs,
            appliedOn: req.appliedOn,
          };
          // offline: created and submitted in one push
          const answer = await push(
            'h1.admin',
            withSubmission(full, '同意上报', me('h1.admin').actor, clock()),
            null,
          );
          expect(refusalOf(answer).code).toBe('OPEN_REQUEST');
          expect(answer?.status).toBe('draft');
          expect((await stored(full.id)).status).toBe('draft');
        });

        it('two bureau users deciding one step offline: the first decides, the second is kept and marked late', async () => {
          const a = withDecision(req, 'approve', '同意休学', me('jinshui.a').actor, clock());
          const b = withDecision(req, 'reject', '请补充诊断证明原件', me('jinshui.b').actor, clock());
          expect(await push('jinshui.a', a, req)).toBeUndefined();
          // b's device assumed the old state: the server answers with its state (a conflict, no refusal)
          const conflict = await push('jinshui.b', b, req);
          expect(conflict?.[REFUSAL_FIELD]).toBeUndefined();
          expect(conflict?.status).toBe('approved');
          const merged = mergeChangeRequest(
            {
              assumedMasterState: req as never,
              realMasterState: conflict as never,
              newDocumentState: b as never,
            },
            { collection: 'changeRequests', by: me('jinshui.b').actor.id, now: env.now.value.toISOString() },
          ).document as unknown as ChangeRequestDoc;
          expect(await push('jinshui.b', merged)).toBeUndefined();
          const cur = await stored(req.id);
          expect(cur.status).toBe('approved');
          expect(cur.decisions.map((d) => [d.by, d.decision, d.late === true])).toEqual([
            [me('h1.admin').actor.id, 'approve', false],
            [me('jinshui.a').actor.id, 'approve', false],
            [me('jinshui.b').actor.id, 'reject', true],
          ]);
          expect((await studentOf(req.studentIds[0] as string)).status).toBe('suspended');
          // a decided request: no edit, no withdrawal; the paper copy is filed by its school
          expect(
            refusalOf(await push('h1.admin', withWithdrawal(cur, '撤回', me('h1.admin').actor, clock())))
              .code,
          ).toBe('LOCKED');
          expect(
            refusalOf(await push('jinshui.a', withFiling(cur, me('jinshui.a').actor, clock()))).code,
          ).toMatch(/WRONG_PARTY|ROLE/);
          expect(await push('h1.admin', withFiling(cur, me('h1.admin').actor, clock()))).toBeUndefined();
          expect((await stored(req.id)).filed?.by).toBe(me('h1.admin').actor.id);
        });
      });

      it('rule refusals keep the draft: R-TX-WINDOW, R-TX-4NO, R-ONE (a wrong name names no school)', async () => {
        const st = pick('H3', '高二');
        const d = transferDraft('H1', st);
        await push('h1.admin', d, null);
        const answer = await push(
          'h1.admin',
          withSubmission(await stored(d.id), '同意接收', me('h1.admin').actor, clock()),
        );
        const r = refusalOf(answer);
        expect(r.code).toBe('R-TX-4NO');
        expect(r.reason).toContain('民办高中不能转入公办高中');
        expect(answer?.status).toBe('draft');
        // applied before the window (one month before the term's start on 2026-09-01)
        await push(
          'h1.admin',
          editDraft(await stored(d.id), { appliedOn: '2026-07-20' }, me('h1.admin').actor, clock()),
        );
        const w = refusalOf(
          await push('h1.admin', withSubmission(await stored(d.id), '同意', me('h1.admin').actor, clock())),
        );
        expect(w.code).toBe('R-TX-WINDOW');
        expect(w.reason).toContain('2026-08-01 至 2026-10-01');
        // R-ONE: the name does not match the registered record → refused without naming any school
        const other = pick('H2', '高二');
        const wrong = transferDraft('H1', { ...other, name: '不是这个名字' });
        await push('h1.admin', wrong, null);
        const one = refusalOf(
          await push(
            'h1.admin',
            withSubmission(await stored(wrong.id), '同意', me('h1.admin').actor, clock()),
          ),
        );
        expect(one.code).toBe('R-ONE');
        expect(one.reason).not.toContain(org('H2').name);
      });

      it('an info change of a misspelled name, approved by the bureau: the student’s name and history change', async () => {
        const st = STUDENTS.find((x) => x.schoolId === 'V1') as Student;
        const sha = 'e'.repeat(64);
        const d = newDraft(
          {
            type: 'infoChange',
            school: org('V1'),
            students: [st],
            items: [
              { field: 'name', before: st.name, after: `${st.name.slice(0, 1)}颖瑶`, reason: '按户口簿更正' },
            ],
            reason: '入学登记时姓名录入错误',
            applicant: APPLICANT,
            appliedOn: '2026-09-09',
            proofs: [{ kind: 'idProof', name: '户口簿.jpg', attachmentId: attachmentRecordId('V1', sha) }],
          },
          me('v1.admin').actor,
          ORGS,
          clock(),
        );
        await push('v1.admin', d, null);
        await push(
          'v1.admin',
          withSubmission(await stored(d.id), '经核对户口簿，情况属实', me('v1.admin').actor, clock()),
        );
        expect(
          await push(
            'jinshui.a',
            withDecision(await stored(d.id), 'approve', '同意更正', me('jinshui.a').actor, clock()),
          ),
        ).toBeUndefined();
        expect((await studentOf(st.id)).name).toBe(`${st.name.slice(0, 1)}颖瑶`);
        const events = (await pullAll(env.app, me('v1.admin').token, 'events')).docs.filter(
          (e) => e.entityId === st.id,
        );
        expect(
          events.some(
            (e) =>
              e.action === 'change-apply' &&
              (e.after as { name?: string }).name === `${st.name.slice(0, 1)}颖瑶`,
          ),
        ).toBe(true);
      });
    },
  );
}
