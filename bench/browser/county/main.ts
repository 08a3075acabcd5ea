// Runs in headless chromium on real IndexedDB (bench/suites/county.ts builds and drives this page): a
// county bureau's first sync with the app's own sync engine (renderer/src/sync), the area store the
// bureau's screens read (renderer/src/features/bureau), and the search across the county.

import { createXuejiDatabase, type XuejiDatabase } from '../../../renderer/src/db/database';
import { AreaStore } from '../../../renderer/src/features/bureau/area-store';
import { accountFromLogin, type LoginResponse, writeAccount } from '../../../renderer/src/sync/account';
import { makeCredential } from '../../../renderer/src/sync/credentials';
import { SyncEngine } from '../../../renderer/src/sync/engine';
import { pinyinKeys } from '../../../shared/domain/names';
import { createRandom } from '../../../shared/seed/random';
import type { SyncUser } from '../../../shared/sync/protocol';

type Keep = { db?: XuejiDatabase; store?: AreaStore; engine?: SyncEngine };
const keep: Keep = {};
(window as unknown as { benchKeep: Keep }).benchKeep = keep;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Logs in as the county bureau and downloads the county; resolves with the seconds it took. */
async function sync(o: { serverUrl: string; username: string; password: string; students: number }) {
  const res = await fetch(`${o.serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: o.username, password: o.password, deviceId: 'bench-county-0001' }),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  const login = (await res.json()) as LoginResponse;
  const db = await createXuejiDatabase({
    name: `bench-county-${Date.now()}`,
    multiInstance: true,
  });
  keep.db = db;
  const account = accountFromLogin({
    serverUrl: o.serverUrl,
    deviceId: 'bench-county-0001',
    response: login,
    credential: await makeCredential(o.username, o.password),
  });
  await writeAccount(db, account);
  const t0 = performance.now();
  // The live stream is not part of a first download (EventSource would keep the page busy).
  const engine = new SyncEngine(db, account, { eventSource: null });
  keep.engine = engine;
  await engine.start();
  await engine.awaitInitialReplication();
  const seconds = (performance.now() - t0) / 1000;
  const arrived = await db.students.count().exec();
  if (arrived !== o.students)
    throw new Error(`the first sync delivered ${arrived} of ${o.students} students`);
  await engine.stop();
  return { seconds: round(seconds), students: arrived, user: login.user as SyncUser };
}

/** The area store as the bureau's screens open it, its index built; the queries a person types. */
async function area() {
  const db = keep.db as XuejiDatabase;
  let t = performance.now();
  const store = new AreaStore(db);
  keep.store = store;
  await store.whenLoaded();
  const loadMs = performance.now() - t;
  t = performance.now();
  const index = store.index;
  const buildMs = performance.now() - t;
  // 200 queries as typed: growing prefixes of initials, full pinyin, names, ID digits and 学籍号
  const students = [...store.students.values()];
  const rnd = createRandom(99);
  const sessions: string[][] = [];
  let total = 0;
  while (total < 200) {
    const s = rnd.pick(students);
    const k = pinyinKeys(s.name);
    const text = [k.initials, k.full.slice(0, 6), s.name, s.idNo.slice(-6), s.statusNo ?? s.idNo][
      total % 5
    ] as string;
    const session = Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)).slice(0, 200 - total);
    sessions.push(session);
    total += session.length;
  }
  // What the search screen does per keystroke: the query, its count and the first page of rows
  // (AreaSearchPage reads only the rows on screen); and, for comparison, every hit's id as a list.
  const times: number[] = [];
  const listTimes: number[] = [];
  for (const session of sessions) {
    index.query('');
    for (const q of session) {
      let t0 = performance.now();
      const hits = index.query(q);
      hits?.ids(0, 50);
      times.push(performance.now() - t0);
      t0 = performance.now();
      index.search(q);
      listTimes.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  listTimes.sort((a, b) => a - b);
  return {
    loadMs: round(loadMs),
    buildMs: round(buildMs),
    queries: times.length,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    maxMs: round(times.at(-1) ?? Number.NaN),
    listP95Ms: round(percentile(listTimes, 95)),
    held: store.students.size,
  };
}

(window as unknown as { countyBench: { sync: typeof sync; area: typeof area } }).countyBench = { sync, area };
(document.getElementById('status') as HTMLElement).textContent = 'ready';
