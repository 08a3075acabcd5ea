// Accounts on PGlite and PostgreSQL: login, refresh rotation, lockout, devices (R-SECURE), password age.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, dropSchema, login, makeEnv, PASSWORD, type TestEnv } from './helpers';

describe.each(BACKENDS)('auth on %s', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeEnv(backend, { students: 5 });
  });
  afterAll(async () => {
    await env.close();
    if (env.schema) await dropSchema(env.schema);
  });
  const post = (url: string, payload: object, token?: string) =>
    env.app.inject({
      method: 'POST',
      url,
      payload,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('login returns token, refresh token and the user with org and role; the device is registered', async () => {
    const res = await post('/api/auth/login', {
      username: 'adminA',
      password: PASSWORD,
      deviceId: 'pc-office-0001',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token.split('.')).toHaveLength(3);
    expect(body.refreshToken.length).toBeGreaterThan(20);
    expect(body.user).toMatchObject({
      username: 'adminA',
      role: 'schoolAdmin',
      orgId: 'SA',
      orgName: '甲县第一中学',
      orgPath: '/41/4101/410101/SA/',
      mustChangePassword: false,
    });
    const me = await env.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.json().deviceId).toBe('pc-office-0001');
  });

  it('refresh rotates: the new pair works, the spent refresh token is refused and ends the device session', async () => {
    const first = await login(env.app, 'adminB', 'pc-b-rotate-01');
    const r1 = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(r1.statusCode).toBe(200);
    const second = r1.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reuse = await post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().message).toContain('重新登录');
    // reuse of a spent token revoked the live one of that device too
    const after = await post('/api/auth/refresh', { refreshToken: second.refreshToken });
    expect(after.statusCode).toBe(401);
  });

  it('five wrong passwords from one address lock that address out of the account for 15 minutes (429, Retry-After)', async () => {
    const bad = () =>
      post('/api/auth/login', { username: 'adminC', password: 'wrong-pass1', deviceId: 'pc-c-lock-0001' });
    const first = await bad();
    expect(first.statusCode).toBe(401);
    expect(first.json().message).toBe('用户名或密码错误');
    for (let i = 0; i < 3; i++) expect((await bad()).statusCode).toBe(401);
    const fifth = await bad();
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toEqual({ error: 'LOCKED', message: '登录失败次数过多，请 15 分钟后再试' });
    expect(fifth.headers['retry-after']).toBe('900');
    const right = await post('/api/auth/login', {
      username: 'adminC',
      password: PASSWORD,
      deviceId: 'pc-c-lock-0001',
    });
    expect(right.statusCode).toBe(429);
    expect(right.json().message).toMatch(/请 1[45] 分钟后再试/);
    const saved = env.now.value;
    env.now.value = new Date(saved.getTime() + 16 * 60_000);
    try {
      const later = await post('/api/auth/login', {
        username: 'adminC',
        password: PASSWORD,
        deviceId: 'pc-c-lock-0001',
      });
      expect(later.statusCode).toBe(200);
    } finally {
      env.now.value = saved;
    }
    const unknown = await post('/api/auth/login', {
      username: 'nobody',
      password: 'x',
      deviceId: 'pc-c-lock-0001',
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().message).toBe('用户名或密码错误');
  });

  it('R-SECURE: an admin lists devices in their scope and revokes one; its tokens stop working', async () => {
    const teacher = await login(env.app, 'teacherA', 'pc-teacher-0001');
    const admin = await login(env.app, 'adminA', 'pc-admin-a-0002');
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/devices',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const devices = list.json().devices as { id: string; deviceId: string; username: string }[];
    const dev = devices.find((d) => d.deviceId === 'pc-teacher-0001');
    expect(dev?.username).toBe('teacherA');
    // another school's admin neither sees nor revokes it
    const other = await login(env.app, 'adminB', 'pc-admin-b-0003');
    const otherList = await env.app.inject({
      method: 'GET',
      url: '/api/devices',
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(
      (otherList.json().devices as { deviceId: string }[]).some((d) => d.deviceId === 'pc-teacher-0001'),
    ).toBe(false);
    expect((await post(`/api/devices/${dev?.id}/revoke`, {}, other.token)).statusCode).toBe(404);
    // the teacher cannot revoke devices at all
    expect((await post(`/api/devices/${dev?.id}/revoke`, {}, teacher.token)).statusCode).toBe(403);
    expect((await post(`/api/devices/${dev?.id}/revoke`, {}, admin.token)).statusCode).toBe(200);
    const pull = await env.app.inject({
      method: 'GET',
      url: '/api/sync/students/pull',
      headers: { authorization: `Bearer ${teacher.token}` },
    });
    expect(pull.statusCode).toBe(401);
    expect(pull.json().message).toContain('停用');
    expect((await post('/api/auth/refresh', { refreshToken: teacher.refreshToken })).statusCode).toBe(401);
    const again = await post('/api/auth/login', {
      username: 'teacherA',
      password: PASSWORD,
      deviceId: 'pc-teacher-0001',
    });
    expect(again.statusCode).toBe(403);
    expect(again.json().message).toContain('此设备已被管理员停用');
  });

  it('R-SECURE: a password past its age must be changed before syncing; the change is checked', async () => {
    const saved = env.now.value;
    env.now.value = new Date(saved.getTime() + 91 * 86_400_000);
    try {
      const res = await post('/api/auth/login', {
        username: 'cityA',
        password: PASSWORD,
        deviceId: 'pc-city-0001',
      });
      expect(res.statusCode).toBe(200);
      const { token, user } = res.json();
      expect(user.mustChangePassword).toBe(true);
      const pull = await env.app.inject({
        method: 'GET',
        url: '/api/sync/students/pull',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(pull.statusCode).toBe(403);
      expect(pull.json().error).toBe('PASSWORD_CHANGE_REQUIRED');
      const weak = await post('/api/auth/password', { oldPassword: PASSWORD, newPassword: 'short' }, token);
      expect(weak.json().message).toBe('新密码至少 8 位');
      const wrongOld = await post(
        '/api/auth/password',
        { oldPassword: 'nope', newPassword: 'NewPassw0rd' },
        token,
      );
      expect(wrongOld.json().message).toBe('原密码不正确');
      const changed = await post(
        '/api/auth/password',
        { oldPassword: PASSWORD, newPassword: 'NewPassw0rd' },
        token,
      );
      expect(changed.statusCode).toBe(200);
      expect(changed.json().user.mustChangePassword).toBe(false);
      const ok = await env.app.inject({
        method: 'GET',
        url: '/api/sync/students/pull',
        headers: { authorization: `Bearer ${changed.json().token}` },
      });
      expect(ok.statusCode).toBe(200);
    } finally {
      env.now.value = saved;
    }
  });

  it('login without deviceId is refused with a Chinese message', async () => {
    const res = await post('/api/auth/login', { username: 'adminA', password: PASSWORD });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('设备标识');
  });
});
