// Routine verification figures (issue 13): a burst of 20,000 phones of one task checking in within a
// minute — check-ins accepted per second (`checkin.burst.perSec`, goal ≥ 2,000/s on PostgreSQL) and the
// 95th percentile of their latency (`checkin.burst.p95Ms`, goal ≤ 200 ms). The server runs in this
// process on PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set (a fresh schema), else PGlite; its
// check-in limits are raised for one address (all phones come from 127.0.0.1). Accounts are issued and
// the phones signed in before the clock starts; then every phone sends one check-in (90 % inside the
// campus), 64 in flight at a time, until all are in or the minute is over. The phones run in a worker
// thread of their own (bench/support/checkin-phones.mjs): they are not the server and their HTTP client
// must not take the server's event loop; the load average while the bench ran is a figure beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../../server/app';
import { createUser } from '../../server/auth/accounts';
import { demoOrgDocs } from '../../server/demo/seed';
import { DEMO_CAMPUSES } from '../../server/demo/verification';
import { openDb } from '../../server/store/db';
import { writeAsServer } from '../../server/sync/store';
import { publishTask, underLock } from '../../server/verification/service';
import { generateStudents } from '../../shared/seed/roster';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import { newTask } from '../../shared/verification/task';

const N = 20_000;
const SCHOOL = 'S41010501';
const PASSWORD = 'BenchPassw0rd';
const IN_FLIGHT = 64;
const log = (m: string) => process.stderr.write(`  verification: ${m}\n`);

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function pool<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>, until = Infinity) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (;;) {
        const x = items[next++];
        if (x === undefined || performance.now() > until) return;
        await fn(x);
      }
    }),
  );
}

export async function run(): Promise<Record<string, number | string>> {
  const databaseUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
  const schema = databaseUrl ? `bench_verif_${Date.now()}` : undefined;
  const dir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'xueji-bench-verif-'));
  const db = await openDb({ databaseUrl, schema, dataDir: dir });
  const app = await buildApp({
    db,
    schema,
    logger: false,
    auth: { loginPerMinutePerAddress: 100_000, loginPerMinutePerAccount: 1000 },
    verification: {
      limits: {
        loginPerMinutePerAddress: 100_000,
        checkinsPerMinutePerStudent: 100,
        requestsPerMinutePerStudent: 100,
      },
    },
  });
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('[::1]', '127.0.0.1');
  const figures: Record<string, number | string> = {};
  try {
    const orgs = demoOrgDocs().map((o) => (DEMO_CAMPUSES[o.id] ? { ...o, campus: DEMO_CAMPUSES[o.id] } : o));
    await writeAsServer(db, 'orgs', orgs as unknown as SyncDoc[], app.channel);
    const school = orgs.find((o) => o.id === SCHOOL);
    const bureau = orgs.find((o) => o.id === '410105');
    if (!school || !bureau) throw new Error('demo orgs');
    log(`seeding ${N} students`);
    const students = generateStudents({ count: N, seed: 13_000, schoolId: SCHOOL, orgPath: school.path }).map(
      (s) => ({ ...s, studyForm: '1' }),
    );
    await writeAsServer(db, 'students', students as unknown as SyncDoc[], app.channel);
    await createUser(
      db,
      { username: 'bench', displayName: 'bench', password: PASSWORD, role: 'schoolAdmin', orgId: SCHOOL },
      new Date(),
    );
    const now = Date.now();
    const issuer: SyncUser = {
      id: 'bench-bureau',
      username: 'bench-bureau',
      displayName: '金水区教育局',
      role: 'bureau',
      orgId: bureau.id,
      orgName: bureau.name,
      orgPath: bureau.path,
      classIds: [],
    };
    const task = newTask({
      id: 'vt-bench',
      user: issuer,
      issuerName: bureau.name,
      name: '压力测试核验',
      start: new Date(now - 60_000).toISOString(),
      end: new Date(now + 3 * 3600_000).toISOString(),
      scope: { schoolIds: [SCHOOL] },
      org: (id) => orgs.find((o) => o.id === id),
      orgPath: bureau.path,
      now: new Date(now).toISOString(),
    });
    await writeAsServer(db, 'verifications', [task as unknown as SyncDoc], app.channel);
    const rolled = await underLock(db, app.channel, (tx, notices) =>
      publishTask(tx, task, new Date(), notices),
    );
    log(`task rolled: ${rolled.called} called`);
    const admin = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: PASSWORD, deviceId: 'bench-admin' }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const issued = await fetch(`${url}/api/verification/student-accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: '{}',
    }).then((r) => r.json() as Promise<{ accounts: { login: string; code: string; studentId: string }[] }>);
    log(`signing in ${issued.accounts.length} phones`);
    const tokens: string[] = [];
    await pool(issued.accounts, 32, async (a) => {
      const r = await fetch(`${url}/api/checkin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: a.login, code: a.code }),
      });
      if (r.status === 200) tokens.push(((await r.json()) as { token: string }).token);
    });
    const fence = task.fences[SCHOOL];
    if (!fence) throw new Error('no fence');
    log(`burst: ${tokens.length} check-ins, ${IN_FLIGHT} in flight (phones in a worker thread)`);
    const burst = await new Promise<{
      accepted: number;
      latencies: number[];
      seconds: number;
      statuses: Record<string, number>;
    }>((resolve, reject) => {
      const worker = new Worker(new URL('../support/checkin-phones.mjs', import.meta.url), {
        workerData: { url, taskId: 'vt-bench', tokens, fence, inFlight: IN_FLIGHT, seconds: 60 },
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const { accepted, latencies, seconds } = burst;
    figures['checkin.burst.perSec'] = round(accepted / seconds, 0);
    figures['checkin.burst.p95Ms'] = round(pct(latencies, 95));
    figures['checkin.burst.p50Ms'] = round(pct(latencies, 50));
    figures['checkin.burst.accepted'] = accepted;
    figures['checkin.burst.db'] = databaseUrl ? 'postgresql' : 'pglite';
    figures['checkin.burst.loadavg1'] = round(loadavg()[0] ?? 0, 2);
    log(`${accepted} accepted in ${seconds.toFixed(1)} s (answers ${JSON.stringify(burst.statuses)})`);
  } finally {
    await app.close();
    if (schema && databaseUrl)
      await db.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
