// `xueji simulate-checkins --server URL --task ID --pass-rate 0.9 --seed S --user ADMIN --password PW`:
// plays the students' phones of one school for demos and tests, through the documented check-in API only
// (docs/checkin-api.md). It signs in to the sync API as the school admin, issues the phone accounts of the
// school's students (the codes are in that answer only — so it is for demo and test servers: on a real one
// it would replace the codes the students hold), signs each student in, and sends one check-in per
// student the task calls: inside the campus with probability --pass-rate, else 2–5 km away. The same seed
// sends the same students to the same places. Exit 0 done, 2 bad input or refused.
import { type CliIo, parseFlags } from '../io';

const USAGE =
  '用法：xueji simulate-checkins --server URL --task 任务编号 [--pass-rate 0.9] [--seed 1] --user 学校管理员 --password 密码 [--concurrency 50] [--json]';

/** A small seeded generator (mulberry32): the same seed, the same phones. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A point `m` metres from a centre, in direction `bearing` (radians). */
function offset(c: { lat: number; lng: number }, m: number, bearing: number) {
  const dLat = (m * Math.cos(bearing)) / 111_320;
  const dLng = (m * Math.sin(bearing)) / (111_320 * Math.cos((c.lat * Math.PI) / 180));
  return { lat: c.lat + dLat, lng: c.lng + dLng };
}

export type SimulationResult = {
  students: number;
  called: number;
  sent: number;
  passed: number;
  failed: number;
  alreadyPassed: number;
  notCalled: number;
  errors: number;
};

type Fetch = typeof fetch;

async function call(
  f: Fetch,
  url: string,
  init: { method?: string; token?: string; body?: unknown },
): Promise<{ status: number; json: Record<string, unknown> }> {
  for (let attempt = 0; ; attempt++) {
    const res = await f(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    // The API's own rate limits: wait as told and try again.
    if (res.status === 429 && attempt < 20) {
      const wait = Number(res.headers.get('retry-after') ?? '1');
      await new Promise((r) => setTimeout(r, Math.max(1, wait) * 1000));
      continue;
    }
    return { status: res.status, json };
  }
}

export async function simulateCheckins(o: {
  server: string;
  taskId: string;
  passRate: number;
  seed: number;
  user: string;
  password: string;
  concurrency?: number;
  fetch?: Fetch;
}): Promise<SimulationResult> {
  const f = o.fetch ?? fetch;
  const base = o.server.replace(/\/+$/, '');
  const admin = await call(f, `${base}/api/auth/login`, {
    body: { username: o.user, password: o.password, deviceId: 'checkin-simulator' },
  });
  if (admin.status !== 200)
    throw new Error(`学校管理员登录失败：${String(admin.json.message ?? admin.status)}`);
  const issued = await call(f, `${base}/api/verification/student-accounts`, {
    token: String(admin.json.token),
    body: {},
  });
  if (issued.status !== 200)
    throw new Error(`签发学生账号失败：${String(issued.json.message ?? issued.status)}`);
  const accounts = (issued.json.accounts as { studentId: string; login: string; code: string }[]).sort(
    (a, b) => a.studentId.localeCompare(b.studentId),
  );
  const rnd = seeded(o.seed);
  // Each student's fate drawn up front in a fixed order, so concurrency does not change the outcome.
  const plan = accounts.map((a) => ({
    a,
    pass: rnd() < o.passRate,
    r: rnd(),
    bearing: rnd() * 2 * Math.PI,
  }));
  const out: SimulationResult = {
    students: accounts.length,
    called: 0,
    sent: 0,
    passed: 0,
    failed: 0,
    alreadyPassed: 0,
    notCalled: 0,
    errors: 0,
  };
  let next = 0;
  const worker = async () => {
    for (;;) {
      const p = plan[next++];
      if (!p) return;
      const login = await call(f, `${base}/api/checkin/login`, {
        body: { login: p.a.login, code: p.a.code },
      });
      if (login.status !== 200) {
        out.errors++;
        continue;
      }
      const token = String(login.json.token);
      const tasks = await call(f, `${base}/api/checkin/tasks`, { token });
      const task = (
        tasks.json.tasks as
          | { id: string; fence?: { lat: number; lng: number; radiusM: number }; result: { state: string } }[]
          | undefined
      )?.find((t) => t.id === o.taskId);
      if (!task?.fence) {
        out.notCalled++;
        continue;
      }
      out.called++;
      if (task.result.state === 'passed') {
        out.alreadyPassed++;
        continue;
      }
      const where = p.pass
        ? offset(task.fence, p.r * task.fence.radiusM * 0.5, p.bearing)
        : offset(task.fence, 2000 + p.r * 3000, p.bearing);
      const res = await call(f, `${base}/api/checkin/tasks/${encodeURIComponent(o.taskId)}/checkins`, {
        token,
        body: { checkinId: `sim-${o.seed}-${p.a.studentId}`.slice(0, 64), ...where, accuracy: 20 },
      });
      out.sent++;
      const attempt = res.json.attempt as { outcome?: string } | undefined;
      if (res.status >= 400) out.errors++;
      else if (attempt?.outcome === 'pass') out.passed++;
      else out.failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 50) }, worker));
  return out;
}

export async function simulateCheckinsCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const server = flags.get('server');
  const taskId = flags.get('task');
  const user = flags.get('user') ?? process.env.XUEJI_USER;
  const password = flags.get('password') ?? process.env.XUEJI_PASSWORD;
  const passRate = Number(flags.get('pass-rate') ?? '0.9');
  const seed = Number(flags.get('seed') ?? '1');
  const concurrency = Number(flags.get('concurrency') ?? '50');
  const problem = !server
    ? '缺少 --server（省级平台地址）'
    : !taskId
      ? '缺少 --task（核验任务编号）'
      : !user || !password
        ? '缺少 --user 和 --password（学校学籍管理员账号，或环境变量 XUEJI_USER、XUEJI_PASSWORD）'
        : !(passRate >= 0 && passRate <= 1)
          ? '--pass-rate 应为 0 到 1 之间的小数'
          : !Number.isInteger(seed)
            ? '--seed 应为整数'
            : !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 500)
              ? '--concurrency 应为 1 到 500 的整数'
              : null;
  if (problem || !server || !taskId || !user || !password) {
    io.err(problem ?? USAGE);
    io.err(USAGE);
    return 2;
  }
  const r = await simulateCheckins({ server, taskId, passRate, seed, user, password, concurrency });
  if (flags.get('json') === 'true') io.out(JSON.stringify(r));
  else
    io.out(
      `学生 ${r.students} 人，本次核验范围内 ${r.called} 人：发送 ${r.sent} 次，通过 ${r.passed}，未通过 ${r.failed}，此前已通过 ${r.alreadyPassed}；不在范围内 ${r.notCalled} 人；出错 ${r.errors} 次`,
    );
  return r.errors > 0 ? 2 : 0;
}
