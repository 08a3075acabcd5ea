// Login hardening and sessions (issue 8, findings 4, 5 and 9) against the real server on PGlite and
// PostgreSQL: the lockout counted atomically in the database, rate limits, no username enumeration, no
// lockout weapon, a password change that ends every other session, revocation that closes open streams
// (across instances on PostgreSQL), one-use stream tickets, strict token checks, no secret in the log.
import { Writable } from 'node:stream';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, type XuejiServer } from '../app';
import { createUser, DEFAULT_AUTH_SETTINGS } from '../auth/accounts';
import { openDb } from '../store/db';
import {
  BACKENDS,
  type Backend,
  dropSchema,
  login,
  makeEnv,
  PASSWORD,
  PG_URL,
  type TestEnv,
} from './helpers';

type Answer = { status: number; body: { error?: string; message?: string; token?: string }; retry?: string };

function client(app: XuejiServer) {
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    o: { payload?: object; token?: string; ip?: string } = {},
  ): Promise<Answer> => {
    const res = await app.inject({
      method,
      url,
      payload: o.payload,
      remoteAddress: o.ip ?? '127.0.0.1',
      headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
    });
    let body: Answer['body'] = {};
    try {
      body = res.json();
    } catch {
      body = {};
    }
    const retry = res.headers['retry-after'];
    return { status: res.statusCode, body, retry: retry === undefined ? undefined : String(retry) };
  };
  return {
    call,
    login: (username: string, password: string, deviceId: string, ip?: string) =>
      call('POST', '/api/auth/login', { payload: { username, password, deviceId }, ip }),
    refresh: (refreshToken: string, ip?: string) =>
      call('POST', '/api/auth/refresh', { payload: { refreshToken }, ip }),
    pull: (token: string) => call('GET', '/api/sync/students/pull?limit=1', { token }),
    ticket: async (token: string) => {
      const a = await call('POST', '/api/sync/stream-ticket', { token });
      if (a.status !== 200) throw new Error(`ticket: ${a.status} ${JSON.stringify(a.body)}`);
      return (a.body as { ticket: string }).ticket;
    },
  };
}

/** An open server-sent-events stream read over real HTTP. */
async function openStream(base: string, query: string) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/sync/stream?${query}`, { signal: controller.signal });
  let text = '';
  let ended = false;
  if (res.status === 200 && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    })()
      .catch(() => {})
      .finally(() => {
        ended = true;
      });
  } else {
    ended = true;
    text = await res.text();
  }
  return { status: res.status, text: () => text, ended: () => ended, abort: () => controller.abort() };
}
type Stream = Awaited<ReturnType<typeof openStream>>;

const waitOpen = (s: Stream) =>
  vi.waitFor(() => expect(s.text()).toContain('RESYNC'), { timeout: 30_000, interval: 20 });
const waitEnded = (s: Stream) =>
  vi.waitFor(() => expect(s.ended()).toBe(true), { timeout: 30_000, interval: 20 });

let userSerial = 0;
/** A fresh account of school SA for one test, so counters and sessions of tests stay apart. */
async function freshUser(env: TestEnv, role: 'schoolAdmin' | 'counselor' = 'schoolAdmin') {
  const username = `u${++userSerial}-${role}`;
  const id = await createUser(
    env.app.db,
    { username, displayName: username, password: PASSWORD, role, orgId: 'SA' },
    new Date('2026-09-01T00:00:00Z'),
  );
  return { username, id };
}

describe.each(BACKENDS)('login and sessions on %s', (backend: Backend) => {
  let env: TestEnv;
  let base: string;
  let api: ReturnType<typeof client>;
  const logLines: string[] = [];
  const settings = {
    ...DEFAULT_AUTH_SETTINGS,
    loginPerMinutePerAddress: 1000,
    loginPerMinutePerAccount: 1000,
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    env = await makeEnv(backend, { students: 5, auth: settings, logger: { level: 'info', stream: sink } });
    base = (await env.app.listen({ port: 0, host: '127.0.0.1' })).replace('[::1]', 'localhost');
    api = client(env.app);
  }, 120_000);
  afterAll(async () => {
    await env.close();
    if (env.schema) await dropSchema(env.schema);
  }, 60_000);

  const later = async (minutes: number, fn: () => Promise<void>) => {
    const saved = env.now.value;
    env.now.value = new Date(saved.getTime() + minutes * 60_000);
    try {
      await fn();
    } finally {
      env.now.value = saved;
    }
  };

  // ---- finding 4 --------------------------------------------------------------------------------

  it('finding 4: 64 parallel wrong passwords cannot overtake the lockout; the right one is refused after them', async () => {
    const u = await freshUser(env);
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        api.login(u.username, `wrong-guess-${i}`, 'attacker-device-01', '10.4.0.1'),
      ),
    );
    const statuses = answers.map((a) => a.status);
    // Exactly the threshold's attempts were verified: four answered 401, the fifth locked, the rest were
    // refused before their password was looked at.
    expect(statuses.filter((s) => s === 401)).toHaveLength(settings.lockoutThreshold - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(64 - (settings.lockoutThreshold - 1));
    const right = await api.login(u.username, PASSWORD, 'attacker-device-01', '10.4.0.1');
    expect(right.status).toBe(429);
    expect(right.body.error).toBe('LOCKED');
    expect(Number(right.retry)).toBeGreaterThan(0);
    await later(16, async () => {
      expect((await api.login(u.username, PASSWORD, 'attacker-device-01', '10.4.0.1')).status).toBe(200);
    });
  });

  it('finding 4: 64 parallel wrong old passwords on the password change cannot overtake its lockout either', async () => {
    const u = await freshUser(env);
    const s = await api.login(u.username, PASSWORD, 'pc-pwd-guess-01');
    const token = String(s.body.token);
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        api.call('POST', '/api/auth/password', {
          token,
          payload: { oldPassword: `guess-${i}`, newPassword: 'Another-Passw0rd' },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 400)).toHaveLength(settings.lockoutThreshold - 1);
    expect(answers.every((a) => a.status === 400 || a.status === 429)).toBe(true);
    const right = await api.call('POST', '/api/auth/password', {
      token,
      payload: { oldPassword: PASSWORD, newPassword: 'Another-Passw0rd' },
    });
    expect(right.status).toBe(429);
  });

  it('finding 4: an address that tries many accounts is throttled (password spraying), other addresses are not', async () => {
    const ip = '10.4.0.2';
    let last: Answer | undefined;
    for (let i = 0; i < settings.addressThreshold; i++)
      last = await api.login(`spray-${i}`, 'Spring2026', `spray-device-${i}0`, ip);
    expect(last?.status).toBe(429);
    const victim = await freshUser(env);
    // Even the right password of a real account is refused from that address while it is throttled …
    expect((await api.login(victim.username, PASSWORD, 'pc-victim-00001', ip)).status).toBe(429);
    // … and answered normally from any other.
    expect((await api.login(victim.username, PASSWORD, 'pc-victim-00001', '10.4.0.3')).status).toBe(200);
  });

  it('finding 4: more logins a minute from one address than the limit get 429 with Retry-After and a Chinese message', async () => {
    const env2 = await makeEnv(backend, {
      seed: false,
      auth: { loginPerMinutePerAddress: 10, refreshPerMinutePerAddress: 10 },
    });
    try {
      const api2 = client(env2.app);
      const answers: Answer[] = [];
      for (let i = 0; i < 12; i++)
        answers.push(await api2.login(`flood-${i}`, 'x', 'flood-device-01', '10.4.1.1'));
      expect(answers.slice(0, 10).every((a) => a.status === 401)).toBe(true);
      const limited = answers[10];
      expect(limited?.status).toBe(429);
      expect(limited?.body.error).toBe('RATE_LIMITED');
      expect(limited?.body.message).toMatch(/^请求过于频繁，请 \d+ 秒后再试$/);
      expect(Number(limited?.retry)).toBeGreaterThan(0);
      expect((await api2.login('flood-x', 'x', 'flood-device-01', '10.4.1.2')).status).toBe(401);
      const refreshes: number[] = [];
      for (let i = 0; i < 11; i++) refreshes.push((await api2.refresh(`forged-${i}`, '10.4.1.3')).status);
      expect(refreshes.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(refreshes[10]).toBe(429);
    } finally {
      await env2.close();
      if (env2.schema) await dropSchema(env2.schema);
    }
  });

  it('finding 4: more logins a minute for one account name than the limit get 429, except from its registered devices', async () => {
    const env2 = await makeEnv(backend, { students: 1, auth: { loginPerMinutePerAccount: 3 } });
    try {
      const api2 = client(env2.app);
      expect((await api2.login('adminA', PASSWORD, 'pc-owner-0001', '10.4.2.1')).status).toBe(200);
      const answers: number[] = [];
      for (let i = 0; i < 4; i++)
        answers.push(
          (await api2.login('adminA', 'wrong-pass1', `pc-other-000${i}`, `10.4.2.${10 + i}`)).status,
        );
      expect(answers).toEqual([401, 401, 429, 429]);
      // the owner's registered device is not held up by that limit
      expect((await api2.login('adminA', PASSWORD, 'pc-owner-0001', '10.4.2.1')).status).toBe(200);
    } finally {
      await env2.close();
      if (env2.schema) await dropSchema(env2.schema);
    }
  });

  // ---- finding 9: enumeration and the lockout weapon ---------------------------------------------

  it('finding 9: an unknown user and a wrong password get the same answers, including when locked', async () => {
    const real = await freshUser(env);
    const run = async (username: string, ip: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const a = await api.login(username, 'wrong-pass1', 'pc-enum-000001', ip);
        out.push(JSON.stringify([a.status, a.body, a.retry]));
      }
      return out;
    };
    const forReal = await run(real.username, '10.9.0.1');
    const forNobody = await run('nobody-at-all', '10.9.0.2');
    expect(forNobody).toEqual(forReal);
    expect(forReal[0]).toBe(
      JSON.stringify([401, { error: 'BAD_CREDENTIALS', message: '用户名或密码错误' }, undefined]),
    );
    expect(forReal.at(-1)).toContain('"LOCKED"');
    // The same argon2 work for both: the unknown user is checked against a real hash with the stored
    // hashes' parameters (not a malformed constant that fails fast).
    const [row] = await env.app.db.query<{ password_hash: string }>(
      'select password_hash from users where username = $1',
      [real.username],
    );
    const params = (h: string) => h.split('$').slice(0, 4).join('$');
    expect(params(await env.app.accounts.dummyHash())).toBe(params(String(row?.password_hash)));
  });

  it('finding 9: nobody can lock another person out: the owner’s registered device and refresh keep working', async () => {
    const owner = await freshUser(env);
    const own = await api.login(owner.username, PASSWORD, 'pc-owner-desk-01', '10.9.1.1');
    expect(own.status).toBe(200);
    let refreshToken = String((own.body as { refreshToken?: string }).refreshToken);
    // An attacker fails on purpose from many addresses until the account name itself is locked …
    let attacker: Answer | undefined;
    for (let i = 0; i < settings.accountThreshold + 3; i++)
      attacker = await api.login(owner.username, `guess-${i}`, 'attacker-device-02', `10.9.2.${i}`);
    expect(attacker?.status).toBe(429);
    // … and from the owner's own address (one NAT for the whole school office).
    for (let i = 0; i < settings.lockoutThreshold + 1; i++)
      await api.login(owner.username, `guess-${i}`, 'attacker-device-02', '10.9.1.1');
    // The owner's device still refreshes, and still logs in with the right password.
    const refreshed = await api.refresh(refreshToken, '10.9.1.1');
    expect(refreshed.status).toBe(200);
    refreshToken = String((refreshed.body as { refreshToken?: string }).refreshToken);
    expect((await api.login(owner.username, PASSWORD, 'pc-owner-desk-01', '10.9.1.1')).status).toBe(200);
    // A new device of the owner waits only for the short account-wide lock, not indefinitely.
    expect((await api.login(owner.username, PASSWORD, 'pc-owner-new-001', '10.9.3.1')).status).toBe(429);
    await later(settings.accountLockMinutes + 1, async () => {
      expect((await api.login(owner.username, PASSWORD, 'pc-owner-new-001', '10.9.3.1')).status).toBe(200);
    });
  });

  it('finding 9: a registered device that guesses is locked on its own counter', async () => {
    const u = await freshUser(env);
    expect((await api.login(u.username, PASSWORD, 'pc-own-guess-01', '10.9.4.1')).status).toBe(200);
    const answers: number[] = [];
    for (let i = 0; i < settings.lockoutThreshold + 1; i++)
      answers.push((await api.login(u.username, `guess-${i}`, 'pc-own-guess-01', `10.9.4.${i + 2}`)).status);
    expect(answers.slice(0, settings.lockoutThreshold - 1).every((s) => s === 401)).toBe(true);
    expect(answers.slice(settings.lockoutThreshold - 1).every((s) => s === 429)).toBe(true);
    expect((await api.login(u.username, PASSWORD, 'pc-own-guess-01', '10.9.4.1')).status).toBe(429);
  });

  // ---- finding 5: a password change ends every other session ------------------------------------

  it('finding 5: after a password change the old access and refresh tokens are dead; the caller keeps working with the new pair', async () => {
    const u = await freshUser(env);
    const a = (await api.login(u.username, PASSWORD, 'pc-change-a-001')).body as {
      token: string;
      refreshToken: string;
    };
    const b = (await api.login(u.username, PASSWORD, 'pc-change-b-001')).body as {
      token: string;
      refreshToken: string;
    };
    expect((await api.pull(b.token)).status).toBe(200);
    const changed = await api.call('POST', '/api/auth/password', {
      token: a.token,
      payload: { oldPassword: PASSWORD, newPassword: 'Changed-Passw0rd' },
    });
    expect(changed.status).toBe(200);
    const fresh = changed.body as { token: string; refreshToken: string; user: { username: string } };
    expect(fresh.user.username).toBe(u.username);
    for (const old of [a.token, b.token]) {
      const r = await api.pull(old);
      expect(r.status).toBe(401);
      expect(r.body.message).toBe('未登录或登录已过期，请重新登录');
    }
    expect((await api.refresh(a.refreshToken)).status).toBe(401);
    expect((await api.refresh(b.refreshToken)).status).toBe(401);
    expect((await api.pull(fresh.token)).status).toBe(200);
    const rotated = await api.refresh(fresh.refreshToken);
    expect(rotated.status).toBe(200);
    expect((await api.pull(String(rotated.body.token))).status).toBe(200);
    expect((await api.login(u.username, PASSWORD, 'pc-change-b-001')).status).toBe(401);
    expect((await api.login(u.username, 'Changed-Passw0rd', 'pc-change-b-001')).status).toBe(200);
  });

  it('finding 5: a password reset and a disabled account end every session at once', async () => {
    const u = await freshUser(env);
    const s = (await api.login(u.username, PASSWORD, 'pc-reset-00001')).body as {
      token: string;
      refreshToken: string;
    };
    await env.app.accounts.resetPassword(u.id, 'Reset-Passw0rd1');
    expect((await api.pull(s.token)).status).toBe(401);
    expect((await api.refresh(s.refreshToken)).status).toBe(401);
    const again = await api.login(u.username, 'Reset-Passw0rd1', 'pc-reset-00001');
    expect(again.status).toBe(200);
    expect((again.body as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    const t = again.body as { token: string; refreshToken: string };
    await env.app.accounts.setDisabled(u.id, true);
    expect((await api.call('GET', '/api/auth/me', { token: t.token })).status).toBe(401);
    expect((await api.refresh(t.refreshToken)).status).toBe(401);
    const disabled = await api.login(u.username, 'Reset-Passw0rd1', 'pc-reset-00001', '10.5.0.9');
    expect([disabled.status, disabled.body]).toEqual([
      401,
      { error: 'BAD_CREDENTIALS', message: '用户名或密码错误' },
    ]);
  });

  it('R-SECURE: the password change applies the shared policy (username, old password) before counting anything', async () => {
    const u = await freshUser(env);
    const { token } = (await api.login(u.username, PASSWORD, 'pc-policy-0001')).body as { token: string };
    const tries = [
      [u.username.toUpperCase(), '新密码不能与用户名相同'],
      [PASSWORD, '新密码不能与原密码相同'],
      ['short1', '新密码至少 8 位'],
    ];
    for (const [newPassword, message] of tries) {
      const a = await api.call('POST', '/api/auth/password', {
        token,
        payload: { oldPassword: PASSWORD, newPassword },
      });
      expect([a.status, a.body.message]).toEqual([400, message]);
    }
  });

  // ---- finding 9: streams ---------------------------------------------------------------------------

  it('finding 9: a revoked device’s open stream is closed at once and its ticket opens nothing again', async () => {
    const teacher = await freshUser(env, 'counselor');
    const t = (await api.login(teacher.username, PASSWORD, 'pc-stream-rev-01')).body as { token: string };
    const admin = await login(env.app, 'adminA', 'pc-admin-revoker');
    const ticket = await api.ticket(t.token);
    const stream = await openStream(base, `ticket=${ticket}`);
    expect(stream.status).toBe(200);
    await waitOpen(stream);
    expect(env.app.hub.streamsOf(teacher.id)).toBe(1);
    const devices = await api.call('GET', '/api/devices', { token: admin.token });
    const dev = (devices.body as unknown as { devices: { id: string; deviceId: string }[] }).devices.find(
      (d) => d.deviceId === 'pc-stream-rev-01',
    );
    expect((await api.call('POST', `/api/devices/${dev?.id}/revoke`, { token: admin.token })).status).toBe(
      200,
    );
    await waitEnded(stream);
    expect(env.app.hub.streamsOf(teacher.id)).toBe(0);
    // reconnecting with the same ticket, or asking for a new one, is refused
    const again = await openStream(base, `ticket=${ticket}`);
    expect(again.status).toBe(401);
    expect((await api.call('POST', '/api/sync/stream-ticket', { token: t.token })).status).toBe(401);
  });

  it('finding 9: a password change closes the user’s other streams and keeps the caller’s', async () => {
    const u = await freshUser(env);
    const a = (await api.login(u.username, PASSWORD, 'pc-stream-pw-a1')).body as { token: string };
    const b = (await api.login(u.username, PASSWORD, 'pc-stream-pw-b1')).body as { token: string };
    const sa = await openStream(base, `ticket=${await api.ticket(a.token)}`);
    const sb = await openStream(base, `ticket=${await api.ticket(b.token)}`);
    await Promise.all([waitOpen(sa), waitOpen(sb)]);
    const changed = await api.call('POST', '/api/auth/password', {
      token: a.token,
      payload: { oldPassword: PASSWORD, newPassword: 'Stream-Passw0rd' },
    });
    expect(changed.status).toBe(200);
    await waitEnded(sb);
    expect(sa.ended()).toBe(false);
    expect(env.app.hub.streamsOf(u.id)).toBe(1);
    sa.abort();
  });

  it('finding 9: a disabled user’s streams close', async () => {
    const u = await freshUser(env);
    const a = (await api.login(u.username, PASSWORD, 'pc-stream-dis-01')).body as { token: string };
    const s = await openStream(base, `ticket=${await api.ticket(a.token)}`);
    await waitOpen(s);
    await env.app.accounts.setDisabled(u.id, true);
    await waitEnded(s);
  });

  it('finding 9: a stream ticket is one-use and short-lived; a token in the URL is not accepted', async () => {
    const u = await freshUser(env);
    const a = (await api.login(u.username, PASSWORD, 'pc-ticket-0001')).body as { token: string };
    const ticket = await api.ticket(a.token);
    const first = await openStream(base, `ticket=${ticket}`);
    expect(first.status).toBe(200);
    first.abort();
    expect((await openStream(base, `ticket=${ticket}`)).status).toBe(401);
    const stale = await api.ticket(a.token);
    await later(2, async () => {
      expect((await openStream(base, `ticket=${stale}`)).status).toBe(401);
    });
    expect((await openStream(base, `ticket=${encodeURIComponent('not a ticket')}`)).status).toBe(401);
    const legacy = await openStream(base, `token=${encodeURIComponent(a.token)}`);
    expect(legacy.status).toBe(401);
    // the Authorization header still opens a stream for clients that can send one
    const res = await fetch(`${base}/api/sync/stream`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('a device gets at most 30 stream tickets a minute; spent counters and tickets are pruned', async () => {
    const u = await freshUser(env);
    const { token } = (await api.login(u.username, PASSWORD, 'pc-tickets-many1')).body as { token: string };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await api.call('POST', '/api/sync/stream-ticket', { token })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    const count = async (table: string) =>
      Number((await env.app.db.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]?.n);
    expect(await count('stream_tickets')).toBeGreaterThanOrEqual(30);
    expect(await count('login_throttle')).toBeGreaterThan(0);
    await later(24 * 60, async () => {
      await env.app.accounts.throttle.prune(30);
      expect(await count('stream_tickets')).toBe(0);
      expect(await count('login_throttle')).toBe(0);
    });
  });

  // Skipped on PGlite on purpose: an embedded PGlite belongs to one process, so there is no second server
  // instance on the same database to receive the NOTIFY; the PostgreSQL variant runs it (CI runs both).
  // skip reason: PGlite has no second instance to NOTIFY (the PostgreSQL run covers this cell)
  it.skipIf(backend !== 'postgres')(
    'finding 9: a revocation on one server instance closes the stream held by another (PostgreSQL NOTIFY)',
    async () => {
      const other = await buildApp({
        db: await openDb({ databaseUrl: PG_URL, schema: env.schema }),
        schema: env.schema,
        now: () => env.now.value,
      });
      try {
        const otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
        const u = await freshUser(env, 'counselor');
        const t = (await api.login(u.username, PASSWORD, 'pc-stream-x-0001')).body as { token: string };
        // ticket from instance A, stream on instance B
        const stream = await openStream(otherBase, `ticket=${await api.ticket(t.token)}`);
        await waitOpen(stream);
        expect(other.hub.streamsOf(u.id)).toBe(1);
        const admin = await login(env.app, 'adminA', 'pc-admin-revoker');
        const devices = await api.call('GET', '/api/devices', { token: admin.token });
        const dev = (devices.body as unknown as { devices: { id: string; deviceId: string }[] }).devices.find(
          (d) => d.deviceId === 'pc-stream-x-0001',
        );
        expect(
          (await api.call('POST', `/api/devices/${dev?.id}/revoke`, { token: admin.token })).status,
        ).toBe(200);
        await waitEnded(stream);
        expect(other.hub.streamsOf(u.id)).toBe(0);
      } finally {
        await other.close();
      }
    },
    120_000,
  );

  // ---- finding 9: tokens ------------------------------------------------------------------------------

  it('finding 9: tokens without exp, iss, aud or session, with a wrong audience, alg none, another algorithm or key are refused', async () => {
    const u = await freshUser(env);
    const real = (await api.login(u.username, PASSWORD, 'pc-tokens-0001')).body as { token: string };
    const claims = decodeJwt(real.token) as { sub: string; dev: string; sep: number };
    const [row] = await env.app.db.query<{ value: string }>(
      `select value from server_settings where key = 'jwt_secret'`,
    );
    const key = Buffer.from(String(row?.value), 'base64');
    const iat = Math.floor(env.now.value.getTime() / 1000);
    const make = async (o: {
      omit?: ('exp' | 'iss' | 'aud' | 'sep' | 'typ' | 'iat' | 'jti')[];
      aud?: string;
      alg?: 'HS256' | 'HS512';
      key?: Uint8Array;
      exp?: number;
      iatAt?: number;
    }) => {
      const omit = new Set(o.omit ?? []);
      const jwt = new SignJWT({ dev: claims.dev, ...(omit.has('sep') ? {} : { sep: claims.sep }) })
        .setProtectedHeader({ alg: o.alg ?? 'HS256', ...(omit.has('typ') ? {} : { typ: 'at+jwt' }) })
        .setSubject(claims.sub);
      if (!omit.has('iat')) jwt.setIssuedAt(o.iatAt ?? iat);
      if (!omit.has('jti')) jwt.setJti('t-1');
      if (!omit.has('exp')) jwt.setExpirationTime(o.exp ?? iat + 600);
      if (!omit.has('iss')) jwt.setIssuer('xueji');
      if (!omit.has('aud')) jwt.setAudience(o.aud ?? 'xueji-sync');
      return jwt.sign(o.key ?? key);
    };
    // the control: a token made this way with every claim right is accepted (so refusals below are real)
    expect((await api.pull(await make({}))).status).toBe(200);
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const payload = {
      sub: claims.sub,
      dev: claims.dev,
      sep: claims.sep,
      iss: 'xueji',
      aud: 'xueji-sync',
      iat,
      exp: iat + 600,
      jti: 'x',
    };
    const refused: Record<string, string> = {
      'no exp': await make({ omit: ['exp'] }),
      'no iss': await make({ omit: ['iss'] }),
      'no aud': await make({ omit: ['aud'] }),
      'wrong aud': await make({ aud: 'xueji-admin' }),
      'no session epoch': await make({ omit: ['sep'] }),
      'no typ': await make({ omit: ['typ'] }),
      'no iat': await make({ omit: ['iat'] }),
      'no jti': await make({ omit: ['jti'] }),
      'exp far away, issued long ago': await make({ iatAt: iat - 86_400, exp: iat + 86_400 * 365 }),
      'HS512 with the same key': await make({ alg: 'HS512' }),
      'another key': await make({ key: new Uint8Array(32).fill(7) }),
      'alg none': `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(payload)}.`,
      expired: await make({ iatAt: iat - 600, exp: iat - 60 }),
      'issued an hour from now': await make({ iatAt: iat + 3600, exp: iat + 4000 }),
    };
    for (const [what, token] of Object.entries(refused)) {
      const r = await api.pull(token);
      expect([what, r.status]).toEqual([what, 401]);
    }
  });

  // ---- finding 9: the log ------------------------------------------------------------------------------

  it('finding 9: the server log of a full session contains no token, ticket or password', async () => {
    const u = await freshUser(env);
    const secrets: string[] = [PASSWORD];
    const http = async (method: string, path: string, body?: object, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    };
    const s = await http('POST', '/api/auth/login', {
      username: u.username,
      password: PASSWORD,
      deviceId: 'pc-log-000001',
    });
    expect(s.status).toBe(200);
    let token = String(s.body.token);
    let refreshToken = String(s.body.refreshToken);
    secrets.push(token, refreshToken);
    expect((await http('GET', '/api/auth/me', undefined, token)).status).toBe(200);
    const t = await http('POST', '/api/sync/stream-ticket', undefined, token);
    const ticket = String(t.body.ticket);
    secrets.push(ticket);
    const stream = await openStream(base, `ticket=${ticket}`);
    await waitOpen(stream);
    expect((await http('GET', '/api/sync/students/pull?limit=5', undefined, token)).status).toBe(200);
    const student = (await http('GET', '/api/sync/students/pull?limit=1', undefined, token)).body
      .documents as Record<string, unknown>[];
    const doc = student[0] as Record<string, unknown>;
    expect(
      (
        await http(
          'POST',
          '/api/sync/students/push',
          [{ assumedMasterState: doc, newDocumentState: { ...doc, phone: '13700001111' } }],
          token,
        )
      ).status,
    ).toBe(200);
    const r = await http('POST', '/api/auth/refresh', { refreshToken });
    token = String(r.body.token);
    refreshToken = String(r.body.refreshToken);
    secrets.push(token, refreshToken);
    // a wrong password, then the change of password
    await http('POST', '/api/auth/login', {
      username: u.username,
      password: 'Wrong-Passw0rd',
      deviceId: 'pc-log-000001',
    });
    secrets.push('Wrong-Passw0rd', 'Logged-Passw0rd');
    const changed = await http(
      'POST',
      '/api/auth/password',
      { oldPassword: PASSWORD, newPassword: 'Logged-Passw0rd' },
      token,
    );
    expect(changed.status).toBe(200);
    secrets.push(String(changed.body.token), String(changed.body.refreshToken));
    // an old client that still puts its token in the URL
    const legacy = await openStream(base, `token=${encodeURIComponent(String(changed.body.token))}&x=1`);
    expect(legacy.status).toBe(401);
    stream.abort();
    const log = logLines.join('');
    // the log did record the session (so the test can fail) …
    expect(log).toContain('/api/sync/stream?ticket=[REDACTED]');
    expect(log).toContain('/api/sync/stream?token=[REDACTED]&x=1');
    expect(log).toContain('/api/auth/password');
    // … and none of its secrets, nor anything that looks like a JWT
    for (const secret of secrets)
      expect(log.includes(secret), `secret in log: ${secret.slice(0, 12)}…`).toBe(false);
    expect(log).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
  });
});
