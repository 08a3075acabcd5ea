// The administration API on PGlite and PostgreSQL (issue 11): organisations, accounts, password resets,
// disabling, the inspector register and the audit list — what each role may do, and the attacks: a school
// admin creating a bureau user, a county editing another county's school, a counselor creating accounts,
// privilege escalation through an edit, disabling one's superior, enumerating accounts outside one's area,
// writing orgs through sync, mass assignment. Every refusal is checked to have written nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountView, decideAccountWrite } from '../../shared/admin/accounts';
import type { AuditEntry } from '../../shared/admin/audit';
import type { OrgDoc } from '../../shared/domain/schemas';
import { REFUSAL_FIELD, type Role } from '../../shared/sync/protocol';
import { createUser } from '../auth/accounts';
import { demoCreditCode } from '../demo/seed';
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

const NEW_PASSWORD = 'Changed2026x';

describe.each(BACKENDS)('administration API on %s', (backend) => {
  let env: TestEnv;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    env = await makeEnv(backend, {
      students: 60,
      auth: { loginPerMinutePerAddress: 10_000, loginPerMinutePerAccount: 1000 },
    });
    // A second county of the first city, with its bureau; a second county user and a second province user.
    await writeAsServer(
      env.app.db,
      'orgs',
      [
        {
          id: '410102',
          kind: 'county',
          name: '乙县教育局',
          parentId: '4101',
          path: '/41/4101/410102/',
          updatedAt: 'x',
        },
      ],
      env.app.channel,
    );
    const at = new Date('2026-09-01T00:00:00Z');
    for (const [username, role, orgId] of [
      ['countyB', 'bureau', '410102'],
      ['countyA2', 'bureau', '410101'],
      ['prov2', 'province', '41'],
      ['adminA2', 'schoolAdmin', 'SA'],
    ] as [string, Role, string][])
      await createUser(env.app.db, { username, displayName: username, password: PASSWORD, role, orgId }, at);
    for (const r of await env.app.db.query<{ id: string; username: string }>(
      'select id, username from users',
    ))
      ids[r.username] = r.id;
    for (const u of Object.keys(ids)) tokens[u] = (await login(env.app, u, `dev-${u}-main0`)).token;
  }, 180_000);
  afterAll(async () => {
    await env.close();
    if (env.schema) await dropSchema(env.schema);
  });

  const call = (user: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    env.app.inject({
      method,
      url,
      headers: user ? { authorization: `Bearer ${tokens[user] ?? user}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const userRow = async (username: string) =>
    (
      await env.app.db.query<Record<string, unknown>>('select * from users where username = $1', [username])
    )[0];
  const auditCount = async () =>
    Number((await env.app.db.query<{ n: string }>('select count(*)::text as n from admin_audit'))[0]?.n);
  const school = (id: string, parentId: string, extra: Record<string, unknown> = {}) => ({
    id,
    kind: 'school',
    parentId,
    name: `测试学校${id}`,
    level: 'senior',
    ownership: 'public',
    schoolingYears: 3,
    creditCode: demoCreditCode('public', parentId.padEnd(6, '0').slice(0, 6), Number(id.slice(-6))),
    ...extra,
  });

  // ---- organisations ------------------------------------------------------------------------------
  describe('organisations', () => {
    it('the province creates a city, a county under it and a school with its attributes; the county pulls the school', async () => {
      const city = await call('prov', 'POST', '/api/admin/orgs', {
        id: '4103',
        kind: 'city',
        parentId: '41',
        name: '丙市教育局',
      });
      expect(city.statusCode, city.body).toBe(201);
      expect(city.json().org).toMatchObject({ id: '4103', kind: 'city', path: '/41/4103/' });
      const county = await call('prov', 'POST', '/api/admin/orgs', {
        id: '410301',
        kind: 'county',
        parentId: '4103',
        name: '丙一县教育局',
      });
      expect(county.statusCode, county.body).toBe(201);
      const s = await call(
        'prov',
        'POST',
        '/api/admin/orgs',
        school('3441030101', '410301', {
          provincialModel: true,
          enrolmentZone: '丙市第一招生片区',
          head: '王校长',
          address: '丙市丙一县学府路1号',
          campus: { lat: 34.61, lng: 112.45, radiusM: 500 },
          term: { start: '2026-09-01', end: '2027-01-22', name: '2026—2027学年第一学期' },
        }),
      );
      expect(s.statusCode, s.body).toBe(201);
      const doc = (await serverDoc(env.app, '3441030101', 'orgs')) as unknown as OrgDoc;
      expect(doc).toMatchObject({
        path: '/41/4103/410301/3441030101/',
        schoolType: 'k12',
        level: 'senior',
        provincialModel: true,
        campus: { lat: 34.61, lng: 112.45, radiusM: 500 },
      });
      // A bureau user of the new county sees the school through sync (orgs replicate), with its history.
      const created = await call('prov', 'POST', '/api/admin/users', {
        username: 'bingyi.bureau',
        displayName: '丙一县学籍股',
        role: 'bureau',
        orgId: '410301',
      });
      expect(created.statusCode, created.body).toBe(201);
      const { initialPassword } = created.json() as { initialPassword: string };
      const first = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'bingyi.bureau', password: initialPassword, deviceId: 'dev-bingyi-01' },
      });
      expect(first.json().user.mustChangePassword).toBe(true);
      const changed = await env.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { authorization: `Bearer ${first.json().token}` },
        payload: { oldPassword: initialPassword, newPassword: NEW_PASSWORD },
      });
      expect(changed.statusCode, changed.body).toBe(200);
      const token = changed.json().token as string;
      const orgs = (await pullAll(env.app, token, 'orgs')).docs.map((d) => d.id);
      expect(orgs).toContain('3441030101');
      expect(orgs).not.toContain('SA');
      const events = (await pullAll(env.app, token, 'events')).docs;
      expect(events.some((e) => e.entityId === '3441030101' && e.action === 'org-create')).toBe(true);
    });

    it('validates: the credit code’s check digit, a taken code, the parent kind, a model school that is not a high school', async () => {
      const before = await auditCount();
      const bad = await call(
        'prov',
        'POST',
        '/api/admin/orgs',
        school('3441030102', '410301', { creditCode: '12410301416005021A' }),
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'CREDIT_CHECK', field: 'creditCode' });
      expect(bad.json().message).toContain('校验码');
      const taken = (await serverDoc(env.app, '3441030101', 'orgs'))?.creditCode;
      const dup = await call(
        'prov',
        'POST',
        '/api/admin/orgs',
        school('3441030102', '410301', { creditCode: taken }),
      );
      expect(dup.json()).toMatchObject({ error: 'CREDIT_TAKEN' });
      expect(dup.json().message).toContain('测试学校3441030101');
      const under = await call('prov', 'POST', '/api/admin/orgs', school('3441030103', '3441030101'));
      expect(under.json()).toMatchObject({ error: 'PARENT_KIND', field: 'parentId' });
      const model = await call(
        'prov',
        'POST',
        '/api/admin/orgs',
        school('3141030104', '410301', { level: 'junior', provincialModel: true }),
      );
      expect(model.json().error).toBe('MODEL_LEVEL');
      const years = await call(
        'prov',
        'POST',
        '/api/admin/orgs',
        school('2141030105', '410301', { level: 'primary', schoolingYears: 9 }),
      );
      expect(years.json()).toMatchObject({ error: 'SCHOOLING_YEARS', field: 'schoolingYears' });
      const swapped = await call(
        'prov',
        'POST',
        '/api/admin/orgs',
        school('3441030106', '410301', { campus: { lat: 113.6, lng: 34.7, radiusM: 300 } }),
      );
      expect(swapped.json().message).toContain('纬度与经度填反了');
      for (const r of [bad, dup, under, model, years, swapped]) expect(r.statusCode).toBe(400);
      expect(await serverDoc(env.app, '3441030102', 'orgs')).toBeUndefined();
      expect(await auditCount()).toBe(before);
    });

    it('a county bureau creates and edits the schools of its area, not of another county, and no counties', async () => {
      const own = await call('countyA', 'POST', '/api/admin/orgs', school('3441010101', '410101'));
      expect(own.statusCode, own.body).toBe(201);
      const edit = await call('countyA', 'PUT', '/api/admin/orgs/3441010101', {
        head: '李校长',
        enrolmentZone: '甲县片区',
      });
      expect(edit.statusCode, edit.body).toBe(200);
      expect(edit.json().org).toMatchObject({ head: '李校长', enrolmentZone: '甲县片区', level: 'senior' });
      // Another county's school: the same 404 as an org that does not exist (nothing to learn from it).
      const other = await call('countyA', 'PUT', '/api/admin/orgs/SC', { head: '攻击者' });
      const none = await call('countyA', 'PUT', '/api/admin/orgs/NOPE000000', { head: '攻击者' });
      expect(other.statusCode).toBe(404);
      expect(other.json()).toEqual(none.json());
      const sibling = await call('countyB', 'PUT', '/api/admin/orgs/3441010101', { head: '攻击者' });
      expect(sibling.statusCode).toBe(404);
      const into = await call('countyA', 'POST', '/api/admin/orgs', school('3441010201', '410102'));
      expect(into.statusCode).toBe(404);
      const countyMade = await call('cityA', 'POST', '/api/admin/orgs', {
        id: '410109',
        kind: 'county',
        parentId: '4101',
        name: '新县教育局',
      });
      expect(countyMade.statusCode).toBe(403);
      expect(countyMade.json().message).toContain('由省教育厅登记');
      // Its own org, and the org above it: no.
      expect((await call('countyA', 'PUT', '/api/admin/orgs/410101', { address: 'x路' })).statusCode).toBe(
        403,
      );
      expect((await call('countyA', 'PUT', '/api/admin/orgs/4101', { address: 'x路' })).statusCode).toBe(403);
      // School users, inspectors, counselors: no org writes at all.
      for (const u of ['adminA', 'teacherA', 'inspA'])
        expect(
          (await call(u, 'PUT', '/api/admin/orgs/SA', { head: '攻击者' })).statusCode,
        ).toBeGreaterThanOrEqual(403);
      expect(((await serverDoc(env.app, 'SC', 'orgs')) as { head?: string }).head).toBeUndefined();
      expect(await serverDoc(env.app, '3441010201', 'orgs')).toBeUndefined();
    });

    it('the tree is fixed by an edit (no moving, no renaming the id), and settings never come in with org fields', async () => {
      for (const body of [{ parentId: '410102' }, { id: 'OTHER' }, { kind: 'county' }]) {
        const r = await call('cityA', 'PUT', '/api/admin/orgs/3441010101', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
        expect(r.json().error).toBe('FIXED');
      }
      for (const body of [
        { settings: { rules: {} } },
        { path: '/41/' },
        { disabled: true },
        { schoolType: 'vocational' },
      ]) {
        const r = await call('cityA', 'PUT', '/api/admin/orgs/3441010101', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
      }
      const proto = await env.app.inject({
        method: 'PUT',
        url: '/api/admin/orgs/3441010101',
        headers: { authorization: `Bearer ${tokens.cityA}`, 'content-type': 'application/json' },
        payload: '{"__proto__": {"disabled": true}, "head": "x"}',
      });
      expect(proto.statusCode).toBe(400);
      expect(((await serverDoc(env.app, '3441010101', 'orgs')) as unknown as OrgDoc).path).toBe(
        '/41/4101/410101/3441010101/',
      );
    });

    it('an org document pushed through sync is refused, even by a bureau allowed to edit it', async () => {
      const master = (await serverDoc(env.app, '3441010101', 'orgs')) as Record<string, unknown>;
      const { seq: _s, ...doc } = master;
      const r = await pushRows(
        env.app,
        tokens.countyA as string,
        [{ assumedMasterState: doc, newDocumentState: { ...doc, head: '推送改的' } }],
        'orgs',
      );
      expect(r.body[0]?.[REFUSAL_FIELD]).toMatchObject({ code: 'ADMIN_API' });
      const fresh = { ...doc, id: '3441010109', name: '推送新建', path: '/41/4101/410101/3441010109/' };
      const c = await pushRows(env.app, tokens.countyA as string, [{ newDocumentState: fresh }], 'orgs');
      expect(c.body[0]?.[REFUSAL_FIELD]).toMatchObject({ code: 'ADMIN_API' });
      expect(((await serverDoc(env.app, '3441010101', 'orgs')) as { head?: string }).head).toBe('李校长');
      expect(await serverDoc(env.app, '3441010109', 'orgs')).toBeUndefined();
    });

    it('a sheet of orgs: a county and its schools in one batch; one bad row and nothing is written', async () => {
      const rows = [
        { id: '410302', kind: 'county', parentId: '4103', name: '丙二县教育局' },
        school('3441030201', '410302'),
        school('3641030202', '410302', {
          level: 'vocational',
          schoolingYears: 3,
          campus: { lat: 34.6, lng: 112.4, radiusM: 300 },
        }),
      ];
      const broken = [...rows, school('3441030203', '410302', { creditCode: 'NOTACODE' })];
      const r = await call('prov', 'POST', '/api/admin/orgs/batch', { orgs: broken });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ error: 'INVALID_ROWS' });
      expect(r.json().rows).toEqual([expect.objectContaining({ index: 3, field: 'creditCode' })]);
      expect(await serverDoc(env.app, '410302', 'orgs')).toBeUndefined();
      const ok = await call('prov', 'POST', '/api/admin/orgs/batch', { orgs: rows });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().orgs.map((o: { created: boolean }) => o.created)).toEqual([true, true, true]);
      // Again with a change: the known ids are updates.
      const again = await call('prov', 'POST', '/api/admin/orgs/batch', {
        orgs: [{ ...rows[1], head: '新校长' }],
      });
      expect(again.json().orgs[0]).toMatchObject({ created: false, org: { head: '新校长' } });
    });

    it('an org closes: refused while it has students or open orgs below; an empty school is disabled with its accounts', async () => {
      const withStudents = await call('countyA', 'POST', '/api/admin/orgs/SA/disable', { reason: '撤并' });
      expect(withStudents.json().error).toBe('HAS_STUDENTS');
      const withSchools = await call('cityA', 'POST', '/api/admin/orgs/410101/disable', {});
      expect(withSchools.statusCode).toBe(403);
      const provCounty = await call('prov', 'POST', '/api/admin/orgs/410101/disable', {});
      expect(provCounty.json().error).toBe('HAS_OPEN_CHILDREN');
      const admin = await call('countyA', 'POST', '/api/admin/users', {
        username: 'closing.admin',
        displayName: '将停办学校管理员',
        role: 'schoolAdmin',
        orgId: '3441010101',
      });
      expect(admin.statusCode, admin.body).toBe(201);
      const off = await call('countyA', 'POST', '/api/admin/orgs/3441010101/disable', { reason: '学校撤并' });
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json().org.disabled).toBe(true);
      expect((await userRow('closing.admin'))?.disabled).toBe(true);
      const account = await call('countyA', 'POST', '/api/admin/users', {
        username: 'late.admin',
        displayName: '迟到的管理员',
        role: 'schoolAdmin',
        orgId: '3441010101',
      });
      expect(account.json().error).toBe('ORG_DISABLED');
      const on = await call('countyA', 'POST', '/api/admin/orgs/3441010101/enable', {});
      expect(on.json().org.disabled).toBeUndefined();
      // Re-enabling the school does not re-enable its accounts: that is a decision per account.
      expect((await userRow('closing.admin'))?.disabled).toBe(true);
    });
  });

  // ---- accounts -------------------------------------------------------------------------------------
  describe('accounts', () => {
    it('a school admin creates a counselor with two classes, who after changing the password pulls only those classes', async () => {
      const classes = (
        await env.app.db.query<{ class_id: string }>(
          `select distinct class_id from docs where collection = 'students' and school_id = 'SA' order by class_id`,
        )
      ).map((r) => r.class_id);
      expect(classes.length).toBeGreaterThanOrEqual(2);
      const r = await call('adminA', 'POST', '/api/admin/users', {
        username: 'sa.teacher2',
        displayName: '班主任 周老师',
        role: 'counselor',
        orgId: 'SA',
        classIds: classes.slice(0, 2),
      });
      expect(r.statusCode, r.body).toBe(201);
      const { user, initialPassword } = r.json() as { user: AccountView; initialPassword: string };
      expect(user).toMatchObject({
        role: 'counselor',
        mustChangePassword: true,
        classIds: classes.slice(0, 2),
      });
      expect(JSON.stringify(user)).not.toContain(initialPassword);
      expect(JSON.stringify(user)).not.toMatch(/argon2|hash/i);
      const first = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'sa.teacher2', password: initialPassword, deviceId: 'dev-teacher2-01' },
      });
      // Must change first: no sync, no admin call.
      const t0 = first.json().token as string;
      expect(
        (
          await env.app.inject({
            method: 'GET',
            url: '/api/sync/students/pull',
            headers: { authorization: `Bearer ${t0}` },
          })
        ).statusCode,
      ).toBe(403);
      expect((await call(t0, 'GET', '/api/admin/users')).json().error).toBe('PASSWORD_CHANGE_REQUIRED');
      const changed = await env.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { authorization: `Bearer ${t0}` },
        payload: { oldPassword: initialPassword, newPassword: NEW_PASSWORD },
      });
      const students = (await pullAll(env.app, changed.json().token, 'students')).docs;
      expect(students.length).toBeGreaterThan(0);
      expect(new Set(students.map((s) => s.classId))).toEqual(new Set(classes.slice(0, 2)));
      ids['sa.teacher2'] = user.id;
    });

    it('attack: a school admin creates a bureau user, a school admin, an account at another school — refused, nothing written', async () => {
      const before = await auditCount();
      const bureau = await call('adminA', 'POST', '/api/admin/users', {
        username: 'evil.bureau',
        displayName: 'x',
        role: 'bureau',
        orgId: '410101',
      });
      expect(bureau.statusCode).toBe(403);
      const atSchool = await call('adminA', 'POST', '/api/admin/users', {
        username: 'evil.bureau2',
        displayName: 'x',
        role: 'bureau',
        orgId: 'SA',
      });
      expect(atSchool.json().error).toBe('ROLE_ORG');
      const peer = await call('adminA', 'POST', '/api/admin/users', {
        username: 'evil.admin',
        displayName: 'x',
        role: 'schoolAdmin',
        orgId: 'SA',
      });
      expect(peer.json().error).toBe('LEVEL');
      const elsewhere = await call('adminA', 'POST', '/api/admin/users', {
        username: 'evil.teacher',
        displayName: 'x',
        role: 'counselor',
        orgId: 'SB',
        classIds: ['1班'],
      });
      expect(elsewhere.statusCode).toBe(404);
      const province = await call('adminA', 'POST', '/api/admin/users', {
        username: 'evil.prov',
        displayName: 'x',
        role: 'province',
        orgId: '41',
      });
      expect(province.statusCode).toBe(403);
      expect(await userRow('evil.bureau')).toBeUndefined();
      expect(await userRow('evil.teacher')).toBeUndefined();
      expect(await auditCount()).toBe(before);
    });

    it('attack: a counselor and an inspector create accounts — refused', async () => {
      for (const u of ['teacherA', 'inspA']) {
        const r = await call(u, 'POST', '/api/admin/users', {
          username: `evil.${u.toLowerCase()}`,
          displayName: 'x',
          role: 'counselor',
          orgId: 'SA',
          classIds: ['x'],
        });
        expect(r.statusCode, u).toBeGreaterThanOrEqual(403);
        expect(await userRow(`evil.${u.toLowerCase()}`)).toBeUndefined();
      }
    });

    it('attack: privilege escalation through an edit (role, org, username, a password field) — refused', async () => {
      for (const body of [{ role: 'bureau' }, { orgId: '410101' }, { username: 'renamed' }]) {
        const r = await call('countyA', 'PUT', `/api/admin/users/${ids.adminA}`, body);
        expect(r.statusCode, JSON.stringify(body)).toBe(403);
        expect(r.json().error).toBe('IMMUTABLE');
      }
      for (const body of [
        { passwordHash: 'x' },
        { password: 'Abcdef123456' },
        { disabled: false },
        { mustChangePassword: false },
      ]) {
        const r = await call('countyA', 'PUT', `/api/admin/users/${ids.adminA}`, body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
        expect(r.json().error).toBe('UNKNOWN_FIELD');
      }
      // A school admin gives themselves classes, or edits themselves, or a peer: no.
      expect(
        (await call('adminA', 'PUT', `/api/admin/users/${ids.adminA}`, { displayName: '我' })).json().error,
      ).toBe('SELF');
      expect(
        (await call('adminA', 'PUT', `/api/admin/users/${ids.adminA2}`, { displayName: '你' })).json().error,
      ).toBe('LEVEL');
      expect(
        (await call('adminA', 'PUT', `/api/admin/users/${ids.adminA}`, { classIds: ['x'] })).statusCode,
      ).toBe(403);
      const row = await userRow('adminA');
      expect(row).toMatchObject({ role: 'schoolAdmin', org_id: 'SA', display_name: 'adminA' });
    });

    it('attack: disabling or resetting one’s superior, a peer, oneself — refused; the county manages its schools’ admins', async () => {
      const tries: [string, string, number][] = [
        ['adminA', 'countyA', 404],
        ['countyA', 'cityA', 404],
        ['cityA', 'prov', 404],
        ['countyA', 'countyA2', 403],
        ['prov', 'prov2', 403],
        ['countyA', 'countyA', 403],
        ['countyB', 'adminA', 404],
        ['teacherA', 'adminA', 404],
      ];
      for (const [who, target, status] of tries)
        for (const action of ['disable', 'reset-password']) {
          const r = await call(who, 'POST', `/api/admin/users/${ids[target]}/${action}`);
          expect(r.statusCode, `${who} ${action} ${target}`).toBe(status);
        }
      for (const t of ['countyA', 'cityA', 'prov', 'countyA2', 'prov2'])
        expect((await userRow(t))?.disabled).toBe(false);
      // A missing account and one outside the area answer alike.
      const none = await call(
        'countyB',
        'POST',
        '/api/admin/users/00000000-0000-0000-0000-000000000000/disable',
      );
      const out = await call('countyB', 'POST', `/api/admin/users/${ids.adminA}/disable`);
      expect(out.json()).toEqual(none.json());
      // The city (two levels up) and the county (one level up) may.
      expect((await call('cityA', 'POST', `/api/admin/users/${ids.countyA2}/disable`)).statusCode).toBe(200);
      expect((await call('cityA', 'POST', `/api/admin/users/${ids.countyA2}/enable`)).statusCode).toBe(200);
    });

    it('attack: enumerating accounts outside one’s area — a school sees its own staff only', async () => {
      const list = async (u: string, q = '') =>
        ((await call(u, 'GET', `/api/admin/users${q}`)).json() as { users: AccountView[] }).users.map(
          (x) => x.username,
        );
      const school = await list('adminA');
      expect(school).toEqual(expect.arrayContaining(['adminA', 'adminA2', 'teacherA', 'sa.teacher2']));
      expect(school.every((u) => ['adminA', 'adminA2', 'teacherA', 'sa.teacher2'].includes(u))).toBe(true);
      expect(await list('adminA', '?orgId=SB')).toEqual([]);
      expect(await list('adminA', '?q=county')).toEqual([]);
      expect(await list('teacherA')).toEqual(['teacherA']);
      expect(await list('inspA')).toEqual(['inspA']);
      const county = await list('countyA');
      expect(county).toEqual(expect.arrayContaining(['countyA', 'countyA2', 'adminA', 'adminB']));
      expect(county).not.toContain('adminC');
      expect(county).not.toContain('countyB');
      expect(county).not.toContain('cityA');
      const one = await call('adminA', 'GET', `/api/admin/users/${ids.adminB}`);
      expect(one.statusCode).toBe(404);
      expect(one.body).not.toContain('adminB');
      expect((await call('adminA', 'GET', `/api/admin/users/${ids.teacherA}`)).statusCode).toBe(200);
      // Pages are bounded; bad paging is a 400, not a 500.
      for (const q of ['?limit=100000', '?offset=-1', '?limit=abc', '?role=root', `?q=${'x'.repeat(500)}`])
        expect((await call('countyA', 'GET', `/api/admin/users${q}`)).statusCode, q).toBe(400);
    });

    it('inspectors: an enforcement ID is required; conflicts must be schools of the inspector’s area; the draw register reads them', async () => {
      const none = await call('cityA', 'POST', '/api/admin/users', {
        username: 'insp.noid',
        displayName: '无证督学',
        role: 'inspector',
        orgId: '4101',
      });
      expect(none.json()).toMatchObject({ error: 'REQUIRED', field: 'enforcementId' });
      const far = await call('cityA', 'POST', '/api/admin/users', {
        username: 'insp.far',
        displayName: '越界督学',
        role: 'inspector',
        orgId: '4101',
        enforcementId: '豫教执 4101-0099',
        conflicts: ['SC'],
      });
      expect(far.json().error).toBe('CONFLICT_SCHOOL');
      const ok = await call('cityA', 'POST', '/api/admin/users', {
        username: 'insp.li',
        displayName: '李督学',
        role: 'inspector',
        orgId: '4101',
        enforcementId: '豫教执 4101-0002',
        conflicts: ['SA'],
      });
      expect(ok.statusCode, ok.body).toBe(201);
      const pool = (await call('cityA', 'GET', '/api/admin/inspectors')).json().inspectors as {
        name: string;
        conflicts: string[];
        enforcementId: string;
      }[];
      expect(pool).toEqual(
        expect.arrayContaining([
          { id: expect.any(String), name: '李督学', enforcementId: '豫教执 4101-0002', conflicts: ['SA'] },
        ]),
      );
      expect((await call('adminA', 'GET', '/api/admin/inspectors')).json().inspectors).toEqual([]);
      const edit = await call('cityA', 'PUT', `/api/admin/users/${ok.json().user.id}`, {
        conflicts: ['SA', 'SB'],
      });
      expect(edit.json().user.conflicts).toEqual(['SA', 'SB']);
      const adminWithId = await call('countyA', 'PUT', `/api/admin/users/${ids.adminA}`, {
        enforcementId: '豫教执 1',
      });
      expect(adminWithId.json().error).toBe('ROLE_FIELD');
    });

    it('a password reset: every session of the user ends, the new password must be changed at the next login', async () => {
      const victim = await login(env.app, 'adminB', 'dev-adminB-reset');
      const reset = await call('countyA', 'POST', `/api/admin/users/${ids.adminB}/reset-password`);
      expect(reset.statusCode, reset.body).toBe(200);
      const { initialPassword } = reset.json() as { initialPassword: string };
      const old = await env.app.inject({
        method: 'GET',
        url: '/api/sync/students/pull',
        headers: { authorization: `Bearer ${victim.token}` },
      });
      expect(old.statusCode).toBe(401);
      const refresh = await env.app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        payload: { refreshToken: victim.refreshToken },
      });
      expect(refresh.statusCode).toBe(401);
      const oldPassword = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'adminB', password: PASSWORD, deviceId: 'dev-adminB-reset' },
      });
      expect(oldPassword.statusCode).toBe(401);
      const fresh = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'adminB', password: initialPassword, deviceId: 'dev-adminB-reset' },
      });
      expect(fresh.json().user.mustChangePassword).toBe(true);
    });

    it('disabling ends the sessions and refuses the login; enabling lets the user in again', async () => {
      const s = await login(env.app, 'adminA2', 'dev-adminA2-off');
      expect(
        (await call('countyA', 'POST', `/api/admin/users/${ids.adminA2}/disable`)).json().user.disabled,
      ).toBe(true);
      expect(
        (
          await env.app.inject({
            method: 'GET',
            url: '/api/auth/me',
            headers: { authorization: `Bearer ${s.token}` },
          })
        ).statusCode,
      ).toBe(401);
      const refused = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'adminA2', password: PASSWORD, deviceId: 'dev-adminA2-off' },
      });
      expect(refused.json().error).toBe('BAD_CREDENTIALS');
      await call('countyA', 'POST', `/api/admin/users/${ids.adminA2}/enable`);
      expect((await login(env.app, 'adminA2', 'dev-adminA2-off')).token).toBeTruthy();
    });

    it('a sheet of accounts: one bad row and none is opened; then all are, each with its initial password', async () => {
      const rows = [
        {
          username: 'sb.teacher1',
          displayName: '班主任 甲',
          role: 'counselor',
          orgId: 'SB',
          classIds: ['x1班'],
        },
        {
          username: 'sb.teacher2',
          displayName: '班主任 乙',
          role: 'counselor',
          orgId: 'SB',
          classIds: ['x2班'],
        },
      ];
      const bad = await call('countyA', 'POST', '/api/admin/users/batch', {
        users: [
          ...rows,
          { username: 'sb.teacher1', displayName: '重复', role: 'counselor', orgId: 'SB', classIds: ['y'] },
          { username: 'Bad Name', displayName: 'x', role: 'counselor', orgId: 'SB', classIds: ['y'] },
        ],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().rows.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
        [2, 'DUPLICATE'],
        [3, 'USERNAME'],
      ]);
      expect(await userRow('sb.teacher1')).toBeUndefined();
      const ok = await call('countyA', 'POST', '/api/admin/users/batch', { users: rows });
      expect(ok.statusCode, ok.body).toBe(201);
      const made = ok.json().users as { user: AccountView; initialPassword: string; notices: string[] }[];
      expect(made.map((m) => m.user.username)).toEqual(['sb.teacher1', 'sb.teacher2']);
      expect(new Set(made.map((m) => m.initialPassword)).size).toBe(2);
      expect(made[0]?.notices.join('')).toContain('还没有班级');
      const taken = await call('countyA', 'POST', '/api/admin/users', rows[0]);
      expect(taken.statusCode).toBe(409);
    });

    it('the level rule, cell by cell: every subject × role × org is decided as shared/admin says (create)', async () => {
      const orgs = await env.app.db.query<{ id: string; org_path: string; kind: string }>(
        `select id, org_path, data->>'kind' as kind from docs where collection = 'orgs' and id = any($1::text[])`,
        [['41', '4101', '410101', 'SA', 'SB', '4102', 'SC', '410102']],
      );
      const subjects = ['prov', 'cityA', 'countyA', 'inspA', 'adminA', 'teacherA'];
      let n = 0;
      const failures: string[] = [];
      for (const who of subjects) {
        const me = (
          await env.app.inject({
            method: 'GET',
            url: '/api/auth/me',
            headers: { authorization: `Bearer ${tokens[who]}` },
          })
        ).json().user;
        for (const org of orgs)
          for (const role of ['province', 'bureau', 'inspector', 'schoolAdmin', 'counselor'] as Role[]) {
            const username = `m${n++}.cell`;
            const r = await call(who, 'POST', '/api/admin/users', {
              username,
              displayName: '矩阵',
              role,
              orgId: org.id,
              ...(role === 'counselor' ? { classIds: ['矩阵班'] } : {}),
              ...(role === 'inspector' ? { enforcementId: '豫教执 矩阵' } : {}),
            });
            const expected = decideAccountWrite(me, 'create', {
              role,
              orgPath: org.org_path,
              orgKind: org.kind as OrgDoc['kind'],
            }).allow;
            const made = (await userRow(username)) !== undefined;
            if ((r.statusCode === 201) !== expected || made !== expected)
              failures.push(
                `${who} × ${role}@${org.id}: expected ${expected ? 'allow' : 'deny'}, got ${r.statusCode}`,
              );
          }
      }
      expect(failures).toEqual([]);
    });
  });

  // ---- audit ---------------------------------------------------------------------------------------
  describe('audit', () => {
    const entries = async (u: string, q = '?limit=200') =>
      ((await call(u, 'GET', `/api/admin/audit${q}`)).json() as { entries: AuditEntry[] }).entries;

    it('records who, when, what, before and after — never a password', async () => {
      const all = await env.app.db.query<{ before: unknown; after: unknown }>(
        'select before, after from admin_audit',
      );
      expect(all.length).toBeGreaterThan(10);
      const text = JSON.stringify(all);
      expect(text).not.toMatch(/argon2|password_hash|passwordHash|initialPassword/);
      expect(text).not.toContain(PASSWORD);
      const mine = await entries('countyA');
      const reset = mine.find((e) => e.action === 'user-reset-password' && e.target.id === ids.adminB);
      expect(reset).toMatchObject({
        actor: { id: ids.countyA, role: 'bureau', orgId: '410101' },
        target: { kind: 'user', orgId: 'SB' },
      });
      const edit = mine.find((e) => e.action === 'org-update' && e.target.id === '3441010101');
      expect(edit?.before).toMatchObject({ head: null });
      expect(edit?.after).toMatchObject({ head: '李校长' });
    });

    it('is shown to the level above: a county sees its own and its schools’ actions; a school its own; the province all', async () => {
      const school = await entries('adminA');
      expect(school.some((e) => e.action === 'user-create' && e.target.label.includes('sa.teacher2'))).toBe(
        true,
      );
      // What the county did to the school's accounts is the school's to see too (another party).
      expect(school.every((e) => e.actor.orgId === 'SA' || e.target.orgId === 'SA')).toBe(true);
      expect(school.some((e) => e.target.orgId === 'SB')).toBe(false);
      const county = await entries('countyA');
      expect(county.some((e) => e.actor.orgId === 'SA')).toBe(true);
      expect(county.some((e) => e.target.orgId === 'SB')).toBe(true);
      expect(county.some((e) => e.target.orgId === '410301')).toBe(false);
      const otherCity = await entries('countyB');
      expect(otherCity.some((e) => e.target.orgId === 'SA' || e.actor.orgId === '410101')).toBe(false);
      const province = await entries('prov', '?limit=200&targetKind=org');
      expect(province.some((e) => e.target.id === '3441010101')).toBe(true);
      for (const u of ['teacherA', 'inspA']) expect(await entries(u)).toEqual([]);
      expect((await call('prov', 'GET', '/api/admin/audit?action=drop-table')).statusCode).toBe(400);
    });

    it('records settings changes and device revocations too', async () => {
      expect(
        (await call('prov', 'PUT', '/api/settings/rules', { values: { leaveLimitDays: 16 } })).statusCode,
      ).toBe(200);
      const victim = await login(env.app, 'teacherA', 'dev-teacherA-revoke');
      const [device] = await env.app.db.query<{ id: string }>(
        'select id from devices where user_id = $1 and device_id = $2',
        [victim.user.id, 'dev-teacherA-revoke'],
      );
      expect((await call('adminA', 'POST', `/api/devices/${device?.id}/revoke`)).statusCode).toBe(200);
      const province = await entries('prov', '?limit=50');
      expect(province.find((e) => e.action === 'settings-rules')).toMatchObject({
        before: { rules: {} },
        after: { rules: { leaveLimitDays: 16 } },
      });
      expect((await entries('adminA')).find((e) => e.action === 'device-revoke')).toMatchObject({
        target: { kind: 'device', orgId: 'SA' },
      });
    });
  });

  it('no 500 for hostile input on any admin endpoint', async () => {
    const bodies: unknown[] = [
      [],
      'x',
      42,
      null,
      { users: 'x' },
      { orgs: [null, 1, 'x'] },
      { a: '\u0000' },
      { username: 'a'.repeat(10_000) },
    ];
    const routes: [string, string][] = [
      ['POST', '/api/admin/users'],
      ['POST', '/api/admin/users/batch'],
      ['PUT', `/api/admin/users/${ids.adminA}`],
      ['POST', '/api/admin/orgs'],
      ['POST', '/api/admin/orgs/batch'],
      ['PUT', '/api/admin/orgs/SA'],
      ['PUT', '/api/admin/orgs/%00'],
      ['POST', `/api/admin/orgs/${'x'.repeat(300)}/disable`],
      ['POST', '/api/admin/users/%E0%A4%A/reset-password'],
    ];
    for (const [method, url] of routes)
      for (const body of bodies) {
        const r = await env.app.inject({
          method: method as 'POST',
          url,
          headers: { authorization: `Bearer ${tokens.prov}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        expect(
          r.statusCode,
          `${method} ${url} ${JSON.stringify(body).slice(0, 40)}: ${r.body.slice(0, 200)}`,
        ).toBeLessThan(500);
        expect(r.body).not.toMatch(/at .*\.ts:\d+|stack|TypeError/);
      }
    expect((await call(null, 'GET', '/api/admin/users')).statusCode).toBe(401);
  });
});
