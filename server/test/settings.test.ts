// Settings endpoints on PGlite and PostgreSQL: the province sets rule settings, key fields and calendar
// overrides; a bureau sets term dates of its own org or its schools; every other role is refused. Changes
// are validated with the shared functions, written as org documents (so they reach every copy by sync) and
// recorded (events + doc_history), and nothing is written when a request is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDoc, OrgDoc } from '../../shared/domain/schemas';
import { BACKENDS, dropSchema, login, makeEnv, pullAll, pushRows, serverDoc, type TestEnv } from './helpers';

describe.each(BACKENDS)('settings on %s', (backend) => {
  let env: TestEnv;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    env = await makeEnv(backend, { students: 2 });
    env.now.value = new Date('2026-11-02T08:00:00Z');
    for (const u of ['prov', 'cityA', 'countyA', 'adminA', 'adminC', 'teacherA', 'inspA'])
      tokens[u] = (await login(env.app, u)).token;
  }, 120_000);
  afterAll(async () => {
    await env.close();
    if (env.schema) await dropSchema(env.schema);
  });

  const call = (user: string | null, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    env.app.inject({
      method,
      url,
      headers: user ? { authorization: `Bearer ${tokens[user]}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const org = async (id: string) =>
    (await serverDoc(env.app, id, 'orgs')) as unknown as OrgDoc & { seq: number };

  it('the province sets rule settings; a school pulls them with its org tree and reads who set them', async () => {
    const r = await call('prov', 'PUT', '/api/settings/rules', {
      values: { leaveLimitDays: 20, reportWorkdays: 12 },
    });
    expect(r.statusCode).toBe(200);
    const province = await org('41');
    expect(province.settings).toMatchObject({
      rules: { leaveLimitDays: 20, reportWorkdays: 12 },
      updatedAt: '2026-11-02T08:00:00.000Z',
    });
    expect(province.settings?.updatedBy).toBeTruthy();
    const admin = await login(env.app, 'adminA');
    const pulled = (await pullAll(env.app, admin.token, 'orgs')).docs.find(
      (d) => d.id === '41',
    ) as unknown as OrgDoc;
    expect(pulled.settings?.rules).toEqual({ leaveLimitDays: 20, reportWorkdays: 12 });
    const eff = (await call('adminA', 'GET', '/api/settings/effective')).json();
    expect(eff.settings.rules.leaveLimitDays).toMatchObject({
      value: 20,
      source: { orgId: '41', orgName: '测试省' },
    });
    expect(eff.settings.rules.missTotal).toEqual({ value: 4, source: null });
    // a merge: one value changed, one removed (back to the default), the other kept
    expect(
      (
        await call('prov', 'PUT', '/api/settings/rules', {
          values: { leaveLimitDays: 18, reportWorkdays: null },
        })
      ).statusCode,
    ).toBe(200);
    expect((await org('41')).settings?.rules).toEqual({ leaveLimitDays: 18 });
  });

  it('records who changed what from what (events for the province, doc_history on the server)', async () => {
    const events = (await pullAll(env.app, tokens.prov as string, 'events')).docs as unknown as EventDoc[];
    const mine = events.filter((e) => e.action === 'settings-rules');
    expect(mine.map((e) => [e.before, e.after])).toEqual([
      [{ rules: {} }, { rules: { leaveLimitDays: 20, reportWorkdays: 12 } }],
      [{ rules: { leaveLimitDays: 20, reportWorkdays: 12 } }, { rules: { leaveLimitDays: 18 } }],
    ]);
    expect(mine[0]).toMatchObject({ entity: 'org', entityId: '41', schoolId: '41', byName: 'prov' });
    // a school does not see the province's own records
    const schoolEvents = (await pullAll(env.app, tokens.adminA as string, 'events'))
      .docs as unknown as EventDoc[];
    expect(schoolEvents.filter((e) => e.action.startsWith('settings-'))).toEqual([]);
    const [history] = await env.app.db.query<{ n: string }>(
      `select count(*)::text as n from doc_history h join users u on u.id = h.written_by
        where h.collection = 'orgs' and h.id = '41' and u.username = 'prov'`,
    );
    expect(Number(history?.n)).toBe(2);
  });

  it('refuses invalid values with the field named, and writes nothing', async () => {
    const before = await org('41');
    for (const [values, field] of [
      [{ leaveLimitDays: 0 }, 'values.leaveLimitDays'],
      [{ leaveLimit: 3 }, 'values.leaveLimit'],
      [{ graduationDeadline: '6月30日' }, 'values.graduationDeadline'],
      [{ missConsecutive: 9 }, 'values.missConsecutive'],
    ] as const) {
      const r = await call('prov', 'PUT', '/api/settings/rules', { values });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ error: 'INVALID_SETTING', field });
      expect(r.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await call('prov', 'PUT', '/api/settings/rules', { nope: 1 })).statusCode).toBe(400);
    expect((await org('41')).seq).toBe(before.seq);
  });

  it('key fields and calendar overrides: validated, then published on the province document', async () => {
    expect(
      (await call('prov', 'PUT', '/api/settings/key-fields', { keyFields: ['name', 'idNo', 'shoe'] })).json(),
    ).toMatchObject({
      field: 'keyFields[2]',
    });
    expect(
      (await call('prov', 'PUT', '/api/settings/key-fields', { keyFields: ['name', 'idNo', 'birthDate'] }))
        .statusCode,
    ).toBe(200);
    const bad = await call('prov', 'PUT', '/api/settings/calendar', {
      overrides: [{ date: '2027-02-30', kind: 'holiday' }],
    });
    expect(bad.json()).toMatchObject({ error: 'INVALID_SETTING', field: 'overrides[0].date' });
    const overrides = [
      { date: '2027-01-01', kind: 'holiday', note: '国办发明电 2027 元旦' },
      { date: '2027-01-04', kind: 'workday', note: '调休上班' },
    ];
    expect((await call('prov', 'PUT', '/api/settings/calendar', { overrides })).statusCode).toBe(200);
    const s = (await org('41')).settings;
    expect(s?.keyFields).toEqual(['name', 'idNo', 'birthDate']);
    expect(s?.calendar).toEqual(overrides);
    expect(s?.rules).toEqual({ leaveLimitDays: 18 });
    const eff = (await call('countyA', 'GET', '/api/settings/effective')).json();
    expect(eff.settings.calendar.map((c: { date: string }) => c.date)).toEqual(['2027-01-01', '2027-01-04']);
  });

  it.each(['cityA', 'countyA', 'adminA', 'teacherA', 'inspA'])(
    'refuses %s for rule settings, key fields and the calendar (default deny)',
    async (user) => {
      for (const [url, payload] of [
        ['/api/settings/rules', { values: { leaveLimitDays: 30 } }],
        ['/api/settings/key-fields', { keyFields: ['name'] }],
        ['/api/settings/calendar', { overrides: [] }],
      ] as const) {
        const r = await call(user, 'PUT', url, payload);
        expect(r.statusCode).toBe(403);
        expect(r.json().error).toBe('ROLE');
      }
      expect((await org('41')).settings?.rules).toEqual({ leaveLimitDays: 18 });
    },
  );

  it('a bureau sets term dates on its own org and on its schools only', async () => {
    const term = { start: '2026-09-01', end: '2027-01-22', name: '2026—2027学年第一学期' };
    expect((await call('countyA', 'PUT', '/api/settings/term/410101', term)).statusCode).toBe(200);
    expect(
      (await call('countyA', 'PUT', '/api/settings/term/SA', { start: '2026-08-31', end: '2027-01-20' }))
        .statusCode,
    ).toBe(200);
    expect((await call('cityA', 'PUT', '/api/settings/term/SB', term)).statusCode).toBe(200);
    // not another city's school, not the bureau above, not a county by a city (only schools below it)
    for (const [user, id] of [
      ['countyA', 'SC'],
      ['countyA', '4101'],
      ['cityA', '410101'],
      ['countyA', 'nope'],
    ] as const) {
      const r = await call(user, 'PUT', `/api/settings/term/${id}`, term);
      expect(r.statusCode, `${user} → ${id}`).toBe(404);
      expect(r.json().message).toContain('不是本局所属的学校');
    }
    expect((await org('SC')).term).toBeUndefined();
    for (const user of ['prov', 'adminA', 'teacherA', 'inspA'])
      expect((await call(user, 'PUT', '/api/settings/term/SA', term)).statusCode, user).toBe(403);
    const bad = await call('countyA', 'PUT', '/api/settings/term/SA', {
      start: '2026-09-01',
      end: '2026-08-01',
    });
    expect(bad.json()).toMatchObject({ error: 'INVALID_SETTING', field: 'term.end' });
    expect((await org('SA')).term).toEqual({ start: '2026-08-31', end: '2027-01-20' });
    // the school's own term wins over the county's default; the other school takes the default
    const a = (await call('adminA', 'GET', '/api/settings/effective')).json();
    expect(a.settings.term).toMatchObject({ value: { start: '2026-08-31' }, source: { orgId: 'SA' } });
    expect((await call('countyA', 'DELETE', '/api/settings/term/SA')).statusCode).toBe(200);
    const after = (await call('adminA', 'GET', '/api/settings/effective')).json();
    expect(after.settings.term).toMatchObject({
      value: term,
      source: { orgId: '410101', orgName: '甲县教育局' },
    });
    const events = (await pullAll(env.app, tokens.adminA as string, 'events')).docs as unknown as EventDoc[];
    expect(events.filter((e) => e.action === 'settings-term').map((e) => e.after)).toEqual([
      { term: { start: '2026-08-31', end: '2027-01-20' } },
      { term: null },
    ]);
  });

  it('reads effective settings only on the user’s own path', async () => {
    expect((await call('adminC', 'GET', '/api/settings/effective?orgId=SA')).statusCode).toBe(404);
    expect((await call('adminA', 'GET', '/api/settings/effective?orgId=SB')).statusCode).toBe(404);
    expect((await call('adminA', 'GET', '/api/settings/effective?orgId=41')).statusCode).toBe(200);
    expect((await call('cityA', 'GET', '/api/settings/effective?orgId=SA')).statusCode).toBe(200);
    expect((await call(null, 'GET', '/api/settings/effective')).statusCode).toBe(401);
    expect((await call(null, 'PUT', '/api/settings/rules', { values: {} })).statusCode).toBe(401);
  });

  it('a pushed org document cannot change settings or term dates', async () => {
    const current = (await serverDoc(env.app, 'SA', 'orgs')) as Record<string, unknown>;
    const { seq, ...master } = current;
    const r = await pushRows(
      env.app,
      tokens.cityA as string,
      [
        {
          assumedMasterState: master,
          newDocumentState: { ...master, term: { start: '2026-10-01', end: '2027-01-01' } },
        },
      ],
      'orgs',
    );
    expect(r.status).toBe(200);
    expect((r.body[0] as { _refusal?: { code: string } })._refusal?.code).toBe('SETTINGS');
    const p = (await serverDoc(env.app, '41', 'orgs')) as Record<string, unknown>;
    const { seq: _s, ...pm } = p;
    const r2 = await pushRows(
      env.app,
      tokens.cityA as string,
      [{ assumedMasterState: pm, newDocumentState: { ...pm, settings: { rules: { leaveLimitDays: 99 } } } }],
      'orgs',
    );
    expect((r2.body[0] as { _refusal?: { code: string } })._refusal?.code).toMatch(/SETTINGS|OUT_OF_SCOPE/);
    expect((await org('41')).settings?.rules).toEqual({ leaveLimitDays: 18 });
    expect((await org('SA')).term).toBeUndefined();
  });

  it('concurrent changes of different settings both survive (read and write under one lock)', async () => {
    const results = await Promise.all([
      call('prov', 'PUT', '/api/settings/rules', { values: { missTotal: 5 } }),
      call('prov', 'PUT', '/api/settings/rules', { values: { publishWorkdays: 25 } }),
      call('prov', 'PUT', '/api/settings/key-fields', { keyFields: ['name', 'idNo'] }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const s = (await org('41')).settings;
    expect(s?.rules).toEqual({ leaveLimitDays: 18, missTotal: 5, publishWorkdays: 25 });
    expect(s?.keyFields).toEqual(['name', 'idNo']);
  });
});
