// Fuzz of every endpoint with malformed and oversized input (issue 8 "Bad input"), fixed seeds, thousands
// of cases, on PGlite and PostgreSQL: never a 500, never a stack trace or internal detail in a body,
// nothing half-written (every row of a push is either applied exactly or left exactly as it was), the
// good rows of a mixed batch applied, and the store consistent afterwards.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../../shared/seed/random';
import { docEqual } from '../../shared/sync/equal';
import type { SyncDoc } from '../../shared/sync/protocol';
import { stringProblem } from '../../shared/validate/input';
import { BACKENDS, dropSchema, login, makeEnv, pullAll, serverDoc, type TestEnv } from './helpers';

const SEED = 20261208;

/** Strings a hostile client sends. */
function hostileString(r: Random): string {
  switch (r.int(0, 17)) {
    case 0:
      return '\u0000';
    case 1:
      return `a\u0007b${'\u001b[31m'}`;
    case 2:
      return '住址😀'.slice(0, r.int(1, 3));
    case 3:
      return '\udc00尾';
    case 4:
      return '\u202e名字';
    case 5:
      return 'x'.repeat(r.int(101, 5000));
    case 6:
      return '大'.repeat(r.int(20_000, 40_000));
    case 7:
      return "'; drop table docs; --";
    case 8:
      return '%_\\%';
    case 9:
      return '~u/adminA';
    case 10:
      return '@/41/';
    case 11:
      return '../../SB/~c/1';
    case 12:
      return '__proto__';
    case 13:
      return '';
    case 14:
      return '\uffff';
    case 15:
      return 'constructor';
    default:
      return `正常文字${r.int(0, 99)}`;
  }
}

/** Any JSON value, sometimes deep or wide. */
function hostileValue(r: Random, depth = 0): unknown {
  switch (r.int(0, depth > 3 ? 5 : 9)) {
    case 0:
      return hostileString(r);
    case 1:
      return r.int(-1e9, 1e9) * (r.chance(0.5) ? 1.5 : 1);
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
      return Number.MAX_SAFE_INTEGER * 10;
    case 5:
      return [];
    case 6:
      return Array.from({ length: r.int(0, r.chance(0.1) ? 500 : 4) }, () => hostileValue(r, depth + 1));
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < r.int(0, 5); i++)
        o[r.chance(0.2) ? hostileString(r).slice(0, 300) : `k${i}`] = hostileValue(r, depth + 1);
      return o;
    }
    case 8: {
      let v: unknown = 'd';
      for (let i = 0; i < r.int(5, 40); i++) v = r.chance(0.5) ? [v] : { a: v };
      return v;
    }
    default:
      return { nested: hostileValue(r, depth + 1) };
  }
}

/** A body that is sometimes not even JSON. */
function hostileBody(r: Random): string {
  switch (r.int(0, 7)) {
    case 0:
      return '';
    case 1:
      return '{';
    case 2:
      return '{"__proto__":{"x":1}}';
    case 3:
      return `${'['.repeat(r.int(1000, 200_000))}${']'.repeat(r.int(0, 10))}`;
    case 4:
      return JSON.stringify(hostileValue(r));
    case 5:
      return '\u0000\u0001';
    case 6:
      return '{"constructor":{"prototype":{"x":1}}}';
    default:
      return JSON.stringify({
        username: hostileString(r),
        password: hostileString(r),
        deviceId: hostileString(r),
        idNo: hostileString(r),
        name: hostileString(r),
        refreshToken: hostileString(r),
      });
  }
}

/** Percent-encodes anything, a lone surrogate too (as the invalid UTF-8 a hostile client would send). */
function enc(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return `${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80%FF`;
  }
}

/** No stack trace, source path or internal error text in any answer. */
const LEAK =
  /\bat .+\(|\.ts:\d+|node_modules|Error: |TypeError|RangeError|SyntaxError|syntax error|relation "|invalid byte/i;

describe.each(BACKENDS)('fuzz on %s', (backend) => {
  let env: TestEnv;
  const tokens: Record<string, string> = {};
  let cases = 0;
  const statuses = new Map<number, number>();
  const seen = (res: { statusCode: number; body: string }, what: string) => {
    cases++;
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    expect(LEAK.test(res.body), `${what}: ${res.body.slice(0, 300)}`).toBe(false);
  };

  beforeAll(async () => {
    env = await makeEnv(backend, { students: 40, app: { logger: { level: 'error' } } });
    for (const u of ['adminA', 'teacherA', 'countyA', 'adminC', 'inspA'])
      tokens[u] = (await login(env.app, u)).token;
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    if (env?.schema) await dropSchema(env.schema);
  }, 60_000);

  it('push: 1,600 rows in mixed batches — every row applied exactly or left exactly as it was; good rows applied; no 500', async () => {
    const r = createRandom(SEED);
    const a = tokens.adminA as string;
    let good = 0;
    let applied = 0;
    for (let batch = 0; batch < 160; batch++) {
      const docs = (await pullAll(env.app, a, 'students', 500)).docs;
      const picked = Array.from({ length: 10 }, () => r.pick(docs));
      const unique = [...new Map(picked.map((d) => [d.id, d])).values()];
      const rows = unique.map((d, i) => {
        if (i === 0) {
          good++;
          return {
            assumedMasterState: d,
            newDocumentState: { ...d, address: `河南省郑州市模糊测试路${batch}号` },
            good: true,
          };
        }
        const next: SyncDoc = { ...d };
        const field = r.pick([...Object.keys(d), 'extra', '_meta', 'archive', 'guardians', 'id']);
        if (field === 'id' && r.chance(0.5)) next.id = hostileValue(r);
        else next[field] = hostileValue(r);
        if (r.chance(0.2)) next[hostileString(r).slice(0, 200)] = hostileValue(r);
        return {
          assumedMasterState: r.chance(0.8) ? d : hostileValue(r),
          newDocumentState: next,
          good: false,
        };
      });
      const body = JSON.stringify(rows.map(({ good: _g, ...row }) => row));
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/sync/students/push',
        headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' },
        payload: body,
      });
      seen(res, `push batch ${batch}`);
      if (res.statusCode !== 200) continue;
      const answers = res.json() as SyncDoc[];
      for (const row of rows) {
        const id = row.newDocumentState.id;
        // (Ids with control characters cannot even be looked up: the row was refused, as checked above.)
        if (typeof id !== 'string' || stringProblem(id, '', '') !== null) continue;
        const stored = await serverDoc(env.app, id);
        const { seq: _s, ...now } = stored ?? {};
        const before = docs.find((d) => d.id === id) ?? {};
        const wasApplied = docEqual(now, row.newDocumentState);
        const unchanged = docEqual(now, before);
        // Nothing half-written: exactly the pushed state, or exactly the state before.
        expect(wasApplied || unchanged, `row ${id} of batch ${batch}`).toBe(true);
        if (wasApplied && !unchanged) applied++;
        if (row.good)
          expect(wasApplied, `the good row of batch ${batch}: ${JSON.stringify(answers).slice(0, 300)}`).toBe(
            true,
          );
        // A row not applied is answered (refused, or a conflict), unless it was the master already.
        if (!wasApplied)
          expect(
            answers.some((x) => x.id === id),
            `an unapplied row is answered (${id})`,
          ).toBe(true);
      }
    }
    expect(good).toBe(160);
    expect(applied).toBeGreaterThanOrEqual(160);
  }, 600_000);

  it('push to every collection as every role: random documents never give a 500', async () => {
    const r = createRandom(SEED + 1);
    for (let i = 0; i < 600; i++) {
      const collection = r.pick([
        'students',
        'events',
        'orgs',
        'syncIssues',
        'attachments',
        'nope',
        '..%2f',
        '%00',
      ]);
      const who = r.pick(Object.keys(tokens));
      const rows = Array.from({ length: r.int(0, 6) }, () => {
        const doc = r.chance(0.7) ? (hostileValue(r) as SyncDoc) : ({} as SyncDoc);
        const base = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : { v: doc };
        return {
          assumedMasterState: r.chance(0.5) ? null : hostileValue(r),
          newDocumentState: {
            ...base,
            id: r.chance(0.8) ? `fz-${i}-${r.int(0, 9)}` : hostileValue(r),
            schoolId: r.pick(['SA', 'SB', 'SC', '41', 'x']),
            _deleted: r.chance(0.1),
          },
        };
      });
      const res = await env.app.inject({
        method: 'POST',
        url: `/api/sync/${collection}/push`,
        headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
        payload: r.chance(0.1) ? hostileBody(r) : JSON.stringify(r.chance(0.05) ? hostileValue(r) : rows),
      });
      seen(res, `push ${collection} as ${who}`);
    }
  }, 600_000);

  it('pull: hostile checkpoints, limits and collection names are 400 or 404, never 500', async () => {
    const r = createRandom(SEED + 2);
    const checkpoints = [
      '{"seq":true}',
      '{"seq":"1"}',
      '{"seq":1,"x":0}',
      '[1]',
      '{"seq":-1}',
      '{"seq":1e400}',
      '{"seq":9007199254740993}',
      'null',
      '',
      '{"seq":0}',
      '%',
      '{"seq":{"$gt":0}}',
    ];
    for (let i = 0; i < 800; i++) {
      const q = new URLSearchParams();
      if (r.chance(0.8))
        q.set('checkpoint', r.chance(0.6) ? r.pick(checkpoints) : hostileString(r).slice(0, 3000));
      if (r.chance(0.6))
        q.set(
          'limit',
          r.pick([
            '0',
            '1',
            '2000',
            '2001',
            '-5',
            '1.5',
            'abc',
            '1e3',
            String(r.int(1, 3000)),
            hostileString(r).slice(0, 100),
          ]),
        );
      if (r.chance(0.05)) q.append('limit', '5');
      const collection = r.pick([
        'students',
        'events',
        'orgs',
        'syncIssues',
        'attachments',
        'devices',
        'unknown',
        'students%00',
      ]);
      const res = await env.app.inject({
        method: 'GET',
        url: `/api/sync/${collection}/pull?${q}`,
        headers: { authorization: `Bearer ${tokens[r.pick(Object.keys(tokens))]}` },
      });
      seen(res, `pull ${collection} ${q}`);
    }
  }, 600_000);

  it('attachments: hostile hashes, ranges, types, bodies and school ids never give a 500, and leave no half upload readable', async () => {
    const r = createRandom(SEED + 3);
    const completed: { hash: string; token: string }[] = [];
    for (let i = 0; i < 700; i++) {
      // A third of the cases are well-formed uploads, so the hostile ones meet real partial uploads.
      const wellFormed = r.chance(0.33);
      const bytes = Buffer.from(hostileString(r).slice(0, 2000) || 'x');
      const real = createHash('sha256').update(bytes).digest('hex');
      const hash = wellFormed
        ? real
        : r.pick([
            'a'.repeat(64),
            'A'.repeat(64),
            'g'.repeat(64),
            '../../etc/passwd',
            real,
            hostileString(r).slice(0, 100) || 'z',
          ]);
      const method = wellFormed ? 'PUT' : r.pick(['PUT', 'PUT', 'HEAD', 'GET'] as const);
      const range = wellFormed
        ? `bytes 0-${bytes.length - 1}/${bytes.length}`
        : r.pick([
            `bytes 0-${bytes.length - 1}/${bytes.length}`,
            `bytes 5-2/10`,
            `bytes 0-0/0`,
            `bytes 0-${bytes.length - 1}/${99 * 1024 * 1024}`,
            'bytes -1-5/10',
            `bytes 0-99999999999999999999/1`,
            hostileString(r).slice(0, 200),
            '',
          ]);
      const q = new URLSearchParams();
      if (wellFormed) {
        q.set('schoolId', 'SA');
        q.set('mime', 'image/jpeg');
      } else {
        if (r.chance(0.8))
          q.set('schoolId', r.pick(['SA', 'SB', 'SC', '41', 'nope', hostileString(r).slice(0, 100)]));
        if (r.chance(0.8))
          q.set(
            'mime',
            r.pick([
              'image/jpeg',
              'application/pdf',
              'text/html',
              'image/svg+xml',
              hostileString(r).slice(0, 100),
            ]),
          );
      }
      const token = `Bearer ${wellFormed ? tokens.adminA : tokens[r.pick(Object.keys(tokens))]}`;
      const res = await env.app.inject({
        method,
        url: `/api/attachments/${enc(hash)}?${q}`,
        headers: {
          authorization: token,
          'content-type': r.pick(['application/octet-stream', 'application/json', 'text/plain']),
          ...(range ? { 'content-range': range } : {}),
        },
        ...(method === 'PUT' ? { payload: bytes } : {}),
      });
      seen(res, `${method} attachment ${hash.slice(0, 20)} ${range.slice(0, 40)}`);
      if (method === 'PUT' && res.statusCode === 201) completed.push({ hash, token });
    }
    // Uploading bytes makes nothing readable without an attachment record in scope that names them.
    expect(completed.length).toBeGreaterThan(10);
    for (const { hash, token } of completed) {
      const res = await env.app.inject({
        method: 'GET',
        url: `/api/attachments/${hash}`,
        headers: { authorization: token },
      });
      expect(res.statusCode).toBe(404);
    }
  }, 600_000);

  it('auth, devices, registry lookup, stream and unknown routes: hostile bodies and parameters never give a 500', async () => {
    const r = createRandom(SEED + 4);
    const routes = [
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/refresh'],
      ['POST', '/api/auth/password'],
      ['GET', '/api/auth/me'],
      ['GET', '/api/devices'],
      ['POST', '/api/devices/%s/revoke'],
      ['POST', '/api/registry/lookup'],
      ['GET', '/api/health'],
      ['GET', '/api/nothing/%s'],
      ['DELETE', '/api/sync/students/push'],
    ] as const;
    for (let i = 0; i < 900; i++) {
      const [method, path] = r.pick(routes);
      const url = path.replace('%s', enc(hostileString(r).slice(0, 200) || 'x'));
      const auth = r.pick([
        `Bearer ${tokens[r.pick(Object.keys(tokens))]}`,
        'Bearer x.y.z',
        'Basic abc',
        hostileString(r)
          .slice(0, 100)
          .replace(/[^\x20-\x7e]/g, '?'),
        '',
      ]);
      const res = await env.app.inject({
        method,
        url,
        headers: {
          'content-type': r.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']),
          ...(auth ? { authorization: auth } : {}),
        },
        ...(method === 'POST' ? { payload: hostileBody(r) } : {}),
      });
      seen(res, `${method} ${url.slice(0, 60)}`);
    }
  }, 600_000);

  it('afterwards the store is consistent: every row has its scope and keys, and its data is its last recorded write', async () => {
    const [unscoped] = await env.app.db.query<{ n: string }>(
      `select count(*)::text as n from docs where scope is null or cardinality(scope_keys) = 0`,
    );
    expect(Number(unscoped?.n)).toBe(0);
    const [drift] = await env.app.db.query<{ n: string }>(
      `select count(*)::text as n from docs d where d.data <> (
         select h.data from doc_history h where h.collection = d.collection and h.id = d.id order by h.seq desc limit 1)`,
    );
    expect(Number(drift?.n)).toBe(0);
    console.info(
      `fuzz on ${backend}: ${cases} requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(cases).toBeGreaterThan(3000);
  });
});
