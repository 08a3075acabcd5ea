// Test servers on real databases: PGlite (in memory or in a folder) and the real PostgreSQL at
// $TEST_DATABASE_URL, each test file in a fresh schema. No mocks: requests go through fastify.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateStudents } from '../../shared/seed/roster';
import type { PullResponse, PushRow, SyncDoc } from '../../shared/sync/protocol';
import { type AppOptions, buildApp, type XuejiServer } from '../app';
import { type AuthSettings, createUser } from '../auth/accounts';
import { openDb } from '../store/db';
import { writeAsServer } from '../sync/store';

export const PG_URL = process.env.TEST_DATABASE_URL;
export const PG_SKIP_REASON =
  'TEST_DATABASE_URL is not set: PostgreSQL variant skipped (CI sets it via .ci/postgres.sh)';
if (!PG_URL) console.warn(PG_SKIP_REASON);

export type Backend = 'pglite' | 'postgres';
/** The backends to run: PGlite always, PostgreSQL when $TEST_DATABASE_URL is set. */
export const BACKENDS: Backend[] = PG_URL ? ['pglite', 'postgres'] : ['pglite'];
/** Both backends, for suites that report the PostgreSQL variant as skipped (with its reason) when absent. */
export const ALL_BACKENDS: Backend[] = ['pglite', 'postgres'];

export function freshSchema(prefix: string): string {
  return `t_${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  if (!PG_URL) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

export const PASSWORD = 'Passw0rd-test';
export const ORGS = [
  { id: '41', kind: 'province', name: '测试省', updatedAt: 'x' },
  { id: '4101', kind: 'city', name: '甲市教育局', parentId: '41', updatedAt: 'x' },
  { id: '410101', kind: 'county', name: '甲县教育局', parentId: '4101', updatedAt: 'x' },
  { id: 'SA', kind: 'school', name: '甲县第一中学', parentId: '410101', schoolType: 'k12', updatedAt: 'x' },
  {
    id: 'SB',
    kind: 'school',
    name: '甲县职业中专',
    parentId: '410101',
    schoolType: 'vocational',
    updatedAt: 'x',
  },
  { id: '4102', kind: 'city', name: '乙市教育局', parentId: '41', updatedAt: 'x' },
  { id: 'SC', kind: 'school', name: '乙市第二中学', parentId: '4102', schoolType: 'k12', updatedAt: 'x' },
];
export const PATHS: Record<string, string> = {
  SA: '/41/4101/410101/SA/',
  SB: '/41/4101/410101/SB/',
  SC: '/41/4102/SC/',
};

export type TestEnv = {
  app: XuejiServer;
  schema?: string;
  now: { value: Date };
  close(): Promise<void>;
};

export async function makeEnv(
  backend: Backend,
  opts: {
    dataDir?: string;
    schema?: string;
    seed?: boolean;
    students?: number;
    auth?: Partial<AuthSettings>;
    logger?: object;
    /** more options of the app (limits, effects) */
    app?: Partial<Omit<AppOptions, 'db' | 'schema' | 'now'>>;
  } = {},
): Promise<TestEnv> {
  const schema = backend === 'postgres' ? (opts.schema ?? freshSchema('srv')) : undefined;
  const db = await openDb(
    backend === 'postgres' ? { databaseUrl: PG_URL, schema } : { dataDir: opts.dataDir },
  );
  const now = { value: new Date('2026-09-01T08:00:00Z') };
  const app = await buildApp({
    ...opts.app,
    db,
    schema,
    now: () => now.value,
    auth: opts.auth ?? opts.app?.auth,
    logger: opts.logger ?? opts.app?.logger,
  });
  if (opts.seed !== false) await seedSmall(app, opts.students ?? 30);
  return { app, schema, now, close: () => app.close() };
}

/** Orgs, two schools of one county and one school elsewhere, 30 students each, one account per role. */
export async function seedSmall(app: XuejiServer, students: number): Promise<void> {
  await writeAsServer(app.db, 'orgs', ORGS, app.channel);
  let seed = 7;
  for (const id of ['SA', 'SB', 'SC']) {
    const docs = generateStudents({
      count: students,
      seed: seed++,
      schoolId: id,
      orgPath: PATHS[id],
      schoolType: id === 'SB' ? 'vocational' : 'k12',
    });
    await writeAsServer(app.db, 'students', docs as unknown as SyncDoc[], app.channel);
  }
  const [firstClass] = await app.db.query<{ class_id: string }>(
    `select min(class_id) as class_id from docs where collection = 'students' and school_id = 'SA'`,
  );
  const at = new Date('2026-09-01T00:00:00Z');
  const users: [
    string,
    'province' | 'bureau' | 'schoolAdmin' | 'counselor' | 'inspector',
    string,
    object?,
  ][] = [
    ['prov', 'province', '41'],
    ['cityA', 'bureau', '4101'],
    ['countyA', 'bureau', '410101'],
    ['adminA', 'schoolAdmin', 'SA'],
    ['adminB', 'schoolAdmin', 'SB'],
    ['adminC', 'schoolAdmin', 'SC'],
    ['teacherA', 'counselor', 'SA', { classIds: [firstClass?.class_id ?? ''] }],
    ['inspA', 'inspector', '4101', { enforcementId: '执法-0001' }],
  ];
  for (const [username, role, orgId, extra] of users)
    await createUser(
      app.db,
      { username, displayName: username, password: PASSWORD, role, orgId, ...extra },
      at,
    );
}

export async function login(app: XuejiServer, username: string, deviceId = `dev-${username}-0001`) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: PASSWORD, deviceId },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return res.json() as { token: string; refreshToken: string; user: { id: string; orgPath: string } };
}

export async function pullAll(app: XuejiServer, token: string, collection = 'students', limit = 100) {
  const docs: SyncDoc[] = [];
  let checkpoint: unknown = null;
  for (let i = 0; i < 1000; i++) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await app.inject({
      method: 'GET',
      url: `/api/sync/${collection}/pull?${q}`,
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.statusCode !== 200) throw new Error(`pull: ${res.statusCode} ${res.body}`);
    const body = res.json() as PullResponse;
    docs.push(...body.documents);
    if (body.documents.length < limit) return { docs, checkpoint: body.checkpoint ?? checkpoint };
    checkpoint = body.checkpoint;
  }
  throw new Error('pull did not end');
}

export async function pushRows(app: XuejiServer, token: string, rows: PushRow[], collection = 'students') {
  const res = await app.inject({
    method: 'POST',
    url: `/api/sync/${collection}/push`,
    headers: { authorization: `Bearer ${token}` },
    payload: rows,
  });
  return { status: res.statusCode, body: res.json() as SyncDoc[] };
}

export async function serverDoc(app: XuejiServer, id: string, collection = 'students') {
  const [row] = await app.db.query<{ data: SyncDoc; seq: string }>(
    'select data, seq::text as seq from docs where collection = $1 and id = $2',
    [collection, id],
  );
  return row ? ({ ...row.data, seq: Number(row.seq) } as SyncDoc & { seq: number }) : undefined;
}

/** An attachment record as the archive page writes it (id = school:sha256). */
export function attachmentRecord(sha: string, schoolId: string, studentId: string, size: number): SyncDoc {
  const at = '2026-09-01T08:00:00.000Z';
  return {
    id: `${schoolId}:${sha}`,
    sha256: sha,
    schoolId,
    orgPath: '',
    name: '入学登记表.jpg',
    mime: 'image/jpeg',
    size,
    entity: 'student',
    entityId: studentId,
    kind: 'scan',
    createdAt: at,
    createdBy: 'test',
    updatedAt: at,
    updatedBy: 'test',
  };
}
