// Area desks on PGlite and PostgreSQL (issue 11): the figures of the schools below a bureau, the
// province or an inspector (GET /api/orgs/stats) — the same archive completeness the app computes, and
// the last sync of each school from its devices' pulls and pushes; a city's or the province's pull of the
// schools it keeps offline (`schools=`), intersected with its scope; and answers compressed on the wire.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFigures } from '../../shared/archive/checklist';
import type { SchoolType } from '../../shared/domain/schemas';
import type { Student } from '../../shared/domain/student';
import type { PullResponse, SchoolStats, SyncDoc } from '../../shared/sync/protocol';
import { writeAsServer } from '../sync/store';
import { BACKENDS, dropSchema, login, makeEnv, pullAll, pushRows, type TestEnv } from './helpers';

describe.each(BACKENDS)('area desks on %s', (backend) => {
  let env: TestEnv;
  // Tokens live 15 minutes on the test's clock: one per user and clock reading.
  const tokens = new Map<string, string>();
  const token = async (user: string) => {
    const key = `${user}|${env.now.value.toISOString()}`;
    if (!tokens.has(key)) tokens.set(key, (await login(env.app, user)).token);
    return tokens.get(key) as string;
  };
  beforeAll(async () => {
    env = await makeEnv(backend, { students: 30 });
  }, 120_000);
  afterAll(async () => {
    await env.close();
    if (env.schema) await dropSchema(env.schema);
  });

  const get = async (user: string, url: string, headers: Record<string, string> = {}) =>
    env.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${await token(user)}`, ...headers },
    });
  const stats = async (user: string) => {
    const r = await get(user, '/api/orgs/stats');
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { schools: SchoolStats[] }).schools;
  };
  const pullIds = async (user: string, query: string, collection = 'students') => {
    const r = await get(user, `/api/sync/${collection}/pull?limit=2000&${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as PullResponse).documents;
  };

  it('lists exactly the schools below the user’s org, with the app’s own archive figures', async () => {
    expect((await stats('countyA')).map((s) => s.id)).toEqual(['SA', 'SB']);
    expect((await stats('cityA')).map((s) => s.id)).toEqual(['SA', 'SB']);
    expect((await stats('inspA')).map((s) => s.id)).toEqual(['SA', 'SB']);
    const all = await stats('prov');
    expect(all.map((s) => s.id)).toEqual(['SA', 'SB', 'SC']);
    const students = (await pullAll(env.app, await token('prov'))).docs as unknown as Student[];
    for (const s of all) {
      const mine = students.filter((x) => x.schoolId === s.id);
      expect(s.students).toBe(30);
      expect(s.onRoster).toBe(mine.filter((x) => x.status === 'enrolled' || x.status === 'suspended').length);
      expect(s.archive).toEqual(archiveFigures(mine, s.schoolType as SchoolType));
      expect(s.bytes).toBeGreaterThan(30 * 1000);
      // the workflow issue fills it: nothing is counted yet, and nothing is made up
      expect(s.pendingApprovals).toBeNull();
    }
    // the figures are not constant: a folder made complete counts at once
    const sb = students.find((x) => x.schoolId === 'SB' && x.status === 'enrolled') as Student;
    const full = Object.fromEntries(
      Object.entries(sb.archive).map(([k, v]) => [k, k === 'graduateForm' ? v : { ...v, state: 'present' }]),
    );
    const before = all.find((s) => s.id === 'SB')?.archive.complete ?? 0;
    const wasComplete = archiveFigures([sb], 'vocational').complete === 1;
    await writeAsServer(
      env.app.db,
      'students',
      [{ ...sb, archive: full } as unknown as SyncDoc],
      env.app.channel,
    );
    const after = (await stats('countyA')).find((s) => s.id === 'SB')?.archive.complete;
    expect(after).toBe(wasComplete ? before : before + 1);
  });

  it('refuses the figures to schools and counselors, and to nobody’s token', async () => {
    for (const u of ['adminA', 'teacherA']) {
      const r = await get(u, '/api/orgs/stats');
      expect(r.statusCode).toBe(403);
      expect(r.json().message).toContain('只有教育局');
    }
    expect((await env.app.inject({ method: 'GET', url: '/api/orgs/stats' })).statusCode).toBe(401);
  });

  it('gives each school the time its users’ devices last pulled or pushed', async () => {
    env.now.value = new Date('2026-09-03T09:00:00Z');
    const before = (await stats('prov')).find((s) => s.id === 'SC');
    await pullIds('adminC', '');
    expect((await stats('prov')).find((s) => s.id === 'SC')?.lastSyncAt).toBe('2026-09-03T09:00:00.000Z');
    expect(before?.lastSyncAt ?? '').not.toBe('2026-09-03T09:00:00.000Z');
    env.now.value = new Date('2026-09-03T10:30:00Z');
    // another device of the school's users (its first pull and push)
    const fresh = await login(env.app, 'adminC', 'dev-adminC-0002');
    const [one] = (await pullAll(env.app, fresh.token)).docs;
    const r = await pushRows(env.app, fresh.token, [
      { assumedMasterState: one, newDocumentState: { ...one, phone: '13800001111' } as SyncDoc },
    ]);
    expect(r.body).toEqual([]);
    const sc = (await stats('prov')).find((s) => s.id === 'SC');
    expect(sc?.lastSyncAt).toBe('2026-09-03T10:30:00.000Z');
    expect(sc?.lastPushAt).toBe('2026-09-03T10:30:00.000Z');
    // a bureau's own pulls say nothing about its schools
    env.now.value = new Date('2026-09-04T10:30:00Z');
    await pullIds('countyA', '');
    expect((await stats('prov')).find((s) => s.id === 'SA')?.lastSyncAt).not.toBe('2026-09-04T10:30:00.000Z');
  });

  it('pulls only the chosen schools of the user’s area (schools=), and the org rows in between', async () => {
    const sa = await pullIds('cityA', 'schools=SA');
    expect(new Set(sa.map((d) => d.schoolId))).toEqual(new Set(['SA']));
    expect(sa).toHaveLength(30);
    // a school outside the area is ignored, not revealed
    expect((await pullIds('cityA', 'schools=SA,SC')).map((d) => d.id).sort()).toEqual(
      sa.map((d) => d.id).sort(),
    );
    expect(await pullIds('cityA', 'schools=SC')).toEqual([]);
    expect(await pullIds('cityA', 'schools=')).toEqual([]);
    // without schools= the whole area, as before
    expect(await pullIds('cityA', '')).toHaveLength(60);
    // the org tree is never narrowed
    expect((await pullIds('cityA', 'schools=', 'orgs')).length).toBe(
      (await pullIds('cityA', '', 'orgs')).length,
    );
    // a county's own history (its term dates) reaches the city whatever schools it keeps
    const put = await env.app.inject({
      method: 'PUT',
      url: '/api/settings/term/410101',
      headers: { authorization: `Bearer ${await token('countyA')}` },
      payload: { start: '2026-09-01', end: '2027-01-22' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const events = await pullIds('cityA', 'schools=', 'events');
    expect(events.map((e) => e.action)).toContain('settings-term');
    // and a counselor's narrowing stays theirs: schools= cannot widen a scope
    const mine = await pullIds('teacherA', '');
    expect((await pullIds('teacherA', 'schools=SA,SB')).length).toBe(mine.length);
  });

  it('refuses a malformed schools list with a Chinese message and writes nothing', async () => {
    for (const bad of ['schools=SA,,SB', 'schools=%27%3B--', `schools=${'x'.repeat(41)}`]) {
      const r = await get('cityA', `/api/sync/students/pull?${bad}`);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ error: 'BAD_SCHOOLS' });
      expect(r.json().message).toContain('学校代码');
    }
  });

  it('compresses pull pages for Node’s fetch (Accept-Encoding sent and decoded), plain for a client that asks so', async () => {
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const res = await fetch(`${url}/api/sync/students/pull?limit=60`, {
      headers: { authorization: `Bearer ${await token('countyA')}` },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const body = (await res.json()) as PullResponse;
    expect(body.documents).toHaveLength(60);
    const plain = await get('countyA', '/api/sync/students/pull?limit=60', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await get('countyA', '/api/sync/students/pull?limit=60', { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    // the figure: ≈ 1,730 bytes per student plain, ≈ 131 gzipped
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
    expect(plain.json()).toEqual(body);
  });
});
