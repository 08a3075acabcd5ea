// County figures (issue 11), in headless chromium on real IndexedDB (a persistent profile on disk) with
// the app's own sync engine and area store (bench/browser/county): a county bureau's first sync of
// 200,000 students in 100 schools from the server in its own process on loopback (sync.county200k.s), the
// bytes that crossed the wire per student (counted by a TCP relay between browser and server:
// sync.wireBytesPerStudent), the renderer's JS heap once the county is loaded into the bureau's screens
// (renderer.heap200k.mb, after a garbage collection) and search as you type across the county
// (roster.search200k.p95Ms: the query, its count and the first page of 50, as the search screen reads
// them; listAllP95Ms: every hit's id as a list, for comparison). XUEJI_BENCH_COUNTY=N runs with N students instead (the figures' names keep
// "200k"; county.students says how many there were). XUEJI_BENCH_DATABASE_URL runs the server on that
// PostgreSQL (a fresh schema) instead of PGlite.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { buildApp } from '../../server/app';
import { createUser } from '../../server/auth/accounts';
import { openDb } from '../../server/store/db';
import { writeAsServer } from '../../server/sync/store';
import type { OrgDoc } from '../../shared/domain/schemas';
import { generateStudents } from '../../shared/seed/roster';
import type { SyncDoc } from '../../shared/sync/protocol';
import { startServerProcess, stopServerProcess } from '../../tests/integration/support/server-process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/support/chromium';

const STUDENTS = Number(process.env.XUEJI_BENCH_COUNTY ?? 200_000);
const SCHOOLS = 100;
const PASSWORD = 'BenchPassw0rd';
const COUNTY = { id: '410105', path: '/41/4101/410105/' };
const log = (m: string) => process.stderr.write(`  county: ${m}\n`);

/** The county's org tree: province, city, county and its schools (a third of them vocational). */
function countyOrgs(): OrgDoc[] {
  const at = '2026-09-01T08:00:00.000+08:00';
  const orgs: OrgDoc[] = [
    { id: '41', kind: 'province', name: '河南省教育厅', path: '/41/', updatedAt: at },
    { id: '4101', kind: 'city', name: '郑州市教育局', parentId: '41', path: '/41/4101/', updatedAt: at },
    {
      id: COUNTY.id,
      kind: 'county',
      name: '金水区教育局',
      parentId: '4101',
      path: COUNTY.path,
      updatedAt: at,
    },
  ];
  for (let i = 1; i <= SCHOOLS; i++) {
    const id = `S410105${String(i).padStart(3, '0')}`;
    orgs.push({
      id,
      kind: 'school',
      name: `金水区第${i}学校`,
      parentId: COUNTY.id,
      path: `${COUNTY.path}${id}/`,
      schoolType: i % 3 === 0 ? 'vocational' : 'k12',
      updatedAt: at,
    });
  }
  return orgs;
}

/** Seeds the county through the server's own write path (scopes and scope keys computed as for any row). */
async function seed(target: { dataDir?: string; databaseUrl?: string; schema?: string }): Promise<void> {
  const db = await openDb(
    target.databaseUrl
      ? { databaseUrl: target.databaseUrl, schema: target.schema }
      : { dataDir: join(target.dataDir as string, 'pgdata') },
  );
  const app = await buildApp({ db, schema: target.schema });
  try {
    const orgs = countyOrgs();
    await writeAsServer(db, 'orgs', orgs as unknown as SyncDoc[], app.channel);
    const perSchool = Math.ceil(STUDENTS / SCHOOLS);
    let written = 0;
    const t0 = Date.now();
    for (const [i, school] of orgs.filter((o) => o.kind === 'school').entries()) {
      const count = Math.min(perSchool, STUDENTS - written);
      if (count <= 0) break;
      const students = generateStudents({
        count,
        seed: 5000 + i,
        schoolId: school.id,
        orgPath: school.path,
        schoolType: school.schoolType,
      });
      await writeAsServer(db, 'students', students as unknown as SyncDoc[], app.channel);
      written += count;
      if ((i + 1) % 10 === 0) log(`seeded ${written} students (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    await createUser(
      db,
      {
        username: 'county.bench',
        displayName: '金水区教育局',
        password: PASSWORD,
        role: 'bureau',
        orgId: COUNTY.id,
      },
      new Date(),
    );
    await db.query('analyze');
  } finally {
    await app.close();
  }
}

/** A TCP relay that counts the bytes the server sends (the wire, headers and compression included). */
async function relay(
  port: number,
): Promise<{ server: Server; port: number; down: () => number; reset(): void }> {
  let down = 0;
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    upstream.on('data', (chunk) => {
      down += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : 0,
    down: () => down,
    reset: () => {
      down = 0;
    },
  };
}

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'xueji-bench-county-'));
  const profile = mkdtempSync(join(tmpdir(), 'xueji-bench-county-profile-'));
  const outDir = mkdtempSync(join(tmpdir(), 'xueji-bench-county-web-'));
  const databaseUrl = process.env.XUEJI_BENCH_DATABASE_URL;
  const schema = databaseUrl ? `bench_county_${randomBytes(4).toString('hex')}` : undefined;
  const figures: Record<string, number | string> = {};
  try {
    log(`seeding ${STUDENTS} students in ${SCHOOLS} schools (${databaseUrl ? 'PostgreSQL' : 'PGlite'})`);
    await seed({ dataDir: dir, databaseUrl, schema });
    const serverProcess = await startServerProcess({ dataDir: dir, demo: false, databaseUrl, schema });
    const wire = await relay(serverProcess.port);
    const configFile = fileURLToPath(new URL('../browser/county/vite.config.ts', import.meta.url));
    process.env.NODE_ENV = 'production';
    await build({ configFile, logLevel: 'error', mode: 'production', build: { outDir, emptyOutDir: true } });
    const web = await preview({
      configFile,
      logLevel: 'error',
      build: { outDir },
      preview: { port: 0, host: '127.0.0.1', open: false },
    });
    const address = web.httpServer.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (e) => process.stderr.write(`bench: county page error: ${e.message}\n`));
      await page.goto(url);
      await page.locator('#status', { hasText: 'ready' }).waitFor();
      page.setDefaultTimeout(30 * 60_000);
      wire.reset();
      log('first sync of the county in chromium …');
      const synced = await page.evaluate(
        (o) =>
          (
            window as never as { countyBench: { sync: (o: object) => Promise<{ seconds: number }> } }
          ).countyBench.sync(o),
        {
          serverUrl: `http://127.0.0.1:${wire.port}`,
          username: 'county.bench',
          password: PASSWORD,
          students: STUDENTS,
        },
      );
      const bytes = wire.down();
      log(`synced in ${synced.seconds} s, ${bytes} bytes down`);
      const found = await page.evaluate(() =>
        (
          window as never as { countyBench: { area: () => Promise<Record<string, number>> } }
        ).countyBench.area(),
      );
      const cdp = await context.newCDPSession(page);
      await cdp.send('HeapProfiler.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
      figures['county.students'] = STUDENTS;
      figures['county.schools'] = SCHOOLS;
      figures['county.server'] = databaseUrl ? 'postgresql' : 'pglite';
      figures['sync.county200k.s'] = synced.seconds;
      figures['sync.wireBytesPerStudent'] = Math.round(bytes / STUDENTS);
      figures['county.areaLoad.ms'] = found.loadMs as number;
      figures['county.searchIndexBuild.ms'] = found.buildMs as number;
      figures['roster.search200k.queries'] = found.queries as number;
      figures['roster.search200k.p50Ms'] = found.p50Ms as number;
      figures['roster.search200k.p95Ms'] = found.p95Ms as number;
      figures['roster.search200k.maxMs'] = found.maxMs as number;
      figures['roster.search200k.listAllP95Ms'] = found.listP95Ms as number;
      figures['renderer.heap200k.mb'] = Math.round(heap.usedSize / 1024 / 1024);
      figures['county.browser'] = context.browser()?.version() ?? 'chromium';
    } finally {
      await context.close();
      await web.close();
      wire.server.close();
      await stopServerProcess(serverProcess);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
    if (databaseUrl && schema) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
  return figures;
}
