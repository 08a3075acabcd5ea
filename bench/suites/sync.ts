// Sync figures (issue 5): initial pull of a 20,000-student school into a fresh RxDB client (memory
// storage, Node) over HTTP from the PGlite server, beside the same 20,000 documents replicated by
// PouchDB from pouchdb-server --in-memory; edit propagation A → server → B through the stream; pull
// latency with 200 clients polling at once. All traffic on 127.0.0.1; every loop is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxCollection } from 'rxdb';
import { createUser } from '../../server/auth/accounts';
import { demoOrgDocs } from '../../server/demo/seed';
import { startServer } from '../../server/main';
import { writeAsServer } from '../../server/sync/store';
import { generateStudents } from '../../shared/seed/roster';
import type { SyncDoc } from '../../shared/sync/protocol';
import { createSyncClient } from '../../tests/integration/support/rx-client';
import { startServerProcess, stopServerProcess } from '../../tests/integration/support/server-process';
import { login } from '../../tests/support/server-api';

const require = createRequire(import.meta.url);
const N = 20_000;
const SCHOOL = 'S41010501';
const PASSWORD = 'BenchPassw0rd';
const BENCH_USER = { username: 'bench', password: PASSWORD };
const log = (m: string) => process.stderr.write(`  sync: ${m}\n`);
const BENCH_LIMITS = { loginPerMinutePerAddress: 1000, loginPerMinutePerAccount: 1000 };

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * CPU seconds a process has used (user + system, from /proc; null where there is none). Beside the wall
 * times: on a machine shared with other work the wall time of a stage swings with the load, its CPU time
 * much less, so a regression shows in these figures first (issue 8).
 */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
const ownCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

async function pouchFigure(students: SyncDoc[]): Promise<{ seconds: number; adapter: string }> {
  type Pouch = {
    bulkDocs(docs: object[]): Promise<unknown>;
    replicate: { from(remote: Pouch, o: object): Promise<unknown> };
    info(): Promise<{ doc_count: number }>;
    destroy(): Promise<unknown>;
  };
  type PouchCtor = { new (name: string, o?: object): Pouch; plugin(p: unknown): void };
  const PouchDB = require('pouchdb') as PouchCtor;
  let adapter = 'leveldb';
  try {
    PouchDB.plugin(require('pouchdb-adapter-memory'));
    adapter = 'memory';
  } catch {
    // pouchdb-adapter-memory comes with pouchdb-server; without it the local side is leveldb on disk.
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'xueji-pouch-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      require.resolve('pouchdb-server/bin/pouchdb-server'),
      '--in-memory',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(base)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const remote = new PouchDB(`${base}/students`);
    for (let i = 0; i < students.length; i += 1000)
      await remote.bulkDocs(students.slice(i, i + 1000).map(({ id, ...d }) => ({ _id: String(id), ...d })));
    const local = new PouchDB(
      adapter === 'memory' ? 'students-local' : join(dir, 'local'),
      adapter === 'memory' ? { adapter: 'memory' } : {},
    );
    const t0 = performance.now();
    await local.replicate.from(remote, { batch_size: 500, batches_limit: 10 });
    const seconds = (performance.now() - t0) / 1000;
    const info = await local.info();
    if (info.doc_count !== students.length)
      throw new Error(`PouchDB replicated ${info.doc_count} of ${students.length}`);
    await local.destroy();
    return { seconds, adapter };
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'xueji-bench-sync-'));
  let server = await startServer({ dataDir: dir, port: 0 });
  const figures: Record<string, number | string> = {};
  try {
    const orgs = demoOrgDocs();
    const path = orgs.find((o) => o.id === SCHOOL)?.path ?? '';
    await writeAsServer(server.app.db, 'orgs', orgs as unknown as SyncDoc[], server.app.channel);
    const students = generateStudents({
      count: N,
      seed: 20_000,
      schoolId: SCHOOL,
      orgPath: path,
    }) as unknown as SyncDoc[];
    log(`seeding ${N} students`);
    await writeAsServer(server.app.db, 'students', students, server.app.channel);
    await createUser(
      server.app.db,
      { username: 'bench', displayName: 'bench', password: PASSWORD, role: 'schoolAdmin', orgId: SCHOOL },
      new Date(),
    );

    // 1. initial pull of 20,000 into a fresh RxDB client; median of 3 fresh clients (the machine is shared).
    // The server runs as its own process here, as pouchdb-server does for the PouchDB figure: in one
    // process the server's and the client's work would queue on one thread.
    await server.close();
    const serverProcess = await startServerProcess({ dataDir: dir, demo: false });
    const runs: number[] = [];
    const serverCpu: number[] = [];
    const clientCpu: number[] = [];
    try {
      for (let r = 0; r < 3; r++) {
        const s1 = await login(serverProcess.url, BENCH_USER, `bench-device-initial-${r}`);
        const cpu0 = cpuSeconds(serverProcess.child.pid);
        const own0 = ownCpuSeconds();
        const t0 = performance.now();
        const fresh = await createSyncClient({
          name: `bench-initial-${r}`,
          url: serverProcess.url,
          token: s1.token,
          userId: s1.user.id,
          collections: ['students'],
          live: false,
          // the server's largest page (MAX_PULL_LIMIT): fewest round trips for a first download
          batchSize: 2000,
        });
        await fresh.states.get('students')?.awaitInitialReplication();
        runs.push((performance.now() - t0) / 1000);
        clientCpu.push(ownCpuSeconds() - own0);
        const cpu1 = cpuSeconds(serverProcess.child.pid);
        if (cpu0 !== null && cpu1 !== null) serverCpu.push(cpu1 - cpu0);
        const arrived = await (fresh.db.collections.students as RxCollection).count().exec();
        await fresh.close();
        if (arrived !== N) throw new Error(`initial pull delivered ${arrived} of ${N}`);
        figures['sync.initialPull20k.docs'] = arrived;
      }
    } finally {
      await stopServerProcess(serverProcess);
    }
    // 200 pollers log in one after another from one address: above the per-minute login limits.
    server = await startServer({ dataDir: dir, port: 0, auth: BENCH_LIMITS });
    const initial = pct(runs, 50);
    figures['sync.initialPull20k.s'] = round(initial, 2);
    // CPU of the pull (median of the runs): the server process's, and this process's (the RxDB client)
    if (serverCpu.length > 0) figures['sync.initialPull20k.serverCpuS'] = round(pct(serverCpu, 50), 2);
    figures['sync.initialPull20k.clientCpuS'] = round(pct(clientCpu, 50), 2);
    log(`initial pull ${runs.map((x) => x.toFixed(2)).join(' / ')} s`);

    const pouch = await pouchFigure(students);
    figures['sync.initialPull20k.pouchdbS'] = round(pouch.seconds, 2);
    figures['sync.initialPull20k.pouchdbAdapter'] = pouch.adapter;
    figures['sync.initialPull20k.speedupVsPouch'] = round(pouch.seconds / initial, 1);
    log(`pouchdb ${pouch.seconds.toFixed(2)} s`);

    // 2. propagation: 100 edits on A, each timed until B holds it (via the SSE stream)
    const sa = await login(server.url, BENCH_USER, 'bench-device-a');
    const sb = await login(server.url, BENCH_USER, 'bench-device-b');
    const a = await createSyncClient({
      name: 'bench-a',
      url: server.url,
      token: sa.token,
      userId: sa.user.id,
      collections: ['students'],
      batchSize: 1000,
    });
    const b = await createSyncClient({
      name: 'bench-b',
      url: server.url,
      token: sb.token,
      userId: sb.user.id,
      collections: ['students'],
      batchSize: 1000,
    });
    await Promise.all([a.awaitInSync(), b.awaitInSync()]);
    const ca = a.db.collections.students as RxCollection<SyncDoc>;
    const cb = b.db.collections.students as RxCollection<SyncDoc>;
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const id = String(students[i * 7]?.id);
      const phone = `137${String(10_000_000 + i).padStart(8, '0')}`;
      const seen = new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`edit ${i} did not arrive in 10 s`)), 10_000);
        const sub = cb.findOne(id).$.subscribe((d) => {
          if (d?.get('phone') === phone) {
            clearTimeout(timer);
            sub.unsubscribe();
            ok();
          }
        });
      });
      const doc = await ca.findOne(id).exec();
      const start = performance.now();
      await doc?.incrementalPatch({ phone, updatedAt: new Date().toISOString(), updatedBy: sa.user.id });
      await seen;
      times.push(performance.now() - start);
    }
    await Promise.all([a.close(), b.close()]);
    figures['sync.propagation.p50Ms'] = round(pct(times, 50));
    figures['sync.propagation.p95Ms'] = round(pct(times, 95));
    log(
      `propagation p50 ${figures['sync.propagation.p50Ms']} ms, p95 ${figures['sync.propagation.p95Ms']} ms`,
    );

    // 3. 200 clients polling at once (each from a recent checkpoint), 5 rounds
    const tokens: string[] = [];
    for (let i = 0; i < 200; i++)
      tokens.push((await login(server.url, BENCH_USER, `bench-poller-${String(i).padStart(4, '0')}`)).token);
    const [top] = await server.app.db.query<{ s: string }>('select max(seq)::text as s from docs');
    const recent = JSON.stringify({ seq: Math.max(0, Number(top?.s) - 50) });
    const latencies: number[] = [];
    const pollCpu0 = ownCpuSeconds();
    for (let round_ = 0; round_ < 5; round_++) {
      await Promise.all(
        tokens.map(async (token) => {
          const t = performance.now();
          const res = await fetch(
            `${server.url}/api/sync/students/pull?limit=100&checkpoint=${encodeURIComponent(recent)}`,
            {
              headers: { authorization: `Bearer ${token}` },
            },
          );
          const body = (await res.json()) as { documents: unknown[] };
          if (!res.ok || body.documents.length === 0) throw new Error(`poll failed: ${res.status}`);
          latencies.push(performance.now() - t);
        }),
      );
    }
    // server and pollers share this process: CPU per poll, both sides together
    figures['sync.pull200.cpuMsPerPull'] = round(((ownCpuSeconds() - pollCpu0) * 1000) / latencies.length, 2);
    figures['sync.pull200.p50Ms'] = round(pct(latencies, 50));
    figures['sync.pull200.p95Ms'] = round(pct(latencies, 95));
    log(`pull200 p95 ${figures['sync.pull200.p95Ms']} ms`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
