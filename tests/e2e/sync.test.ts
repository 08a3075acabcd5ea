// Sync in the web app (issue 5), in Debian's chromium with real IndexedDB against a real provincial server
// started as a user would (`xueji server --demo`): first sync of a school, two browser profiles of one
// school editing one student while one is offline, the conflict inbox, scope, and an invalidated login.
// Every step counts what arrived on each side.
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SyncDoc } from '../../shared/sync/protocol';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../support/chromium';
import { login, pullAll } from '../support/server-api';
import { type DemoAccount, SyncApp, startDemoServer } from './pages/sync-app';

const SHOTS = process.env.XUEJI_SHOTS ?? '/tmp/xueji-shots';
const SCHOOL = 'S41010501';
let server: Awaited<ReturnType<typeof startDemoServer>>;
let browser: Browser;
const apps: SyncApp[] = [];

const tokenOf = async (account: DemoAccount, deviceId: string) =>
  (await login(server.url, account, deviceId)).token;

async function api<T>(path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

function account(orgId: string): DemoAccount {
  const a = server.accounts.find((x) => x.orgId === orgId && x.role === 'schoolAdmin');
  if (!a) throw new Error(`no admin for ${orgId}`);
  return a;
}

async function profile(): Promise<SyncApp> {
  const context = await deskContext(browser);
  const app = await SyncApp.open(context, inject('webUrl'));
  apps.push(app);
  return app;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startDemoServer();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('sync in chromium against `xueji server --demo`', () => {
  it('two profiles of one school: first sync, offline edits merge, same-field edit → conflict inbox → resolved', async () => {
    const admin = account(SCHOOL);
    const serverToken = await tokenOf(admin, 'e2e-observer-device');
    const serverStudents = (await pullAll(server.url, serverToken, 'students')).filter((d) => !d._deleted);
    expect(serverStudents.length).toBe(320);

    // Profile A: first start → 从省级平台登录 → the school is downloaded and becomes this machine's school.
    const a = await profile();
    await a.page.getByTestId('login-form').waitFor();
    await a.shot(`${SHOTS}/sync-login-setup.png`);
    await a.login(server.url, admin);
    await a.openRoster();
    await a.count.waitFor({ timeout: 120_000 });
    await expect.poll(() => a.count.textContent(), { timeout: 60_000 }).toBe('共 320 人');
    expect(await a.page.getByTestId('school-name').textContent()).toBe(admin.orgName);
    await expect.poll(() => a.syncState.textContent(), { timeout: 30_000 }).toMatch(/^已同步 \d\d:\d\d$/);
    await a.shot(`${SHOTS}/sync-header-synced.png`, a.page.locator('.xj-header'));

    // Scope: another school's students never arrive (searching their ID numbers finds nobody).
    const other = account('S41010502');
    const otherStudents = await pullAll(server.url, await tokenOf(other, 'e2e-observer-b'), 'students');
    expect(otherStudents.length).toBeGreaterThan(0);
    expect(otherStudents.every((s) => s.schoolId === 'S41010502')).toBe(true);
    await a.page.getByTestId('roster-search').fill(String(otherStudents[0]?.idNo));
    await expect.poll(() => a.count.textContent()).toBe('筛选出 0 人 / 共 320 人');
    await a.page.getByTestId('roster-search').fill('');

    // Profile B: the same school on a second machine.
    const b = await profile();
    await b.login(server.url, admin);
    await b.openRoster();
    await expect.poll(() => b.count.textContent(), { timeout: 120_000 }).toBe('共 320 人');

    const target = serverStudents.find((s) => s.status === 'enrolled') as SyncDoc;
    await a.openStudent(String(target.id));
    await b.openStudent(String(target.id));

    // B offline edits the address; A online edits the phone.
    await b.setOffline(true);
    await expect.poll(() => b.syncState.textContent()).toMatch(/^离线/);
    await b.edit({ 现住址: '郑州市金水区经三路 15 号' });
    await expect.poll(() => b.syncState.textContent()).toBe('离线（1 项待上传）');
    await a.edit({ 联系电话: '13600000001' });
    await expect.poll(() => a.syncState.textContent(), { timeout: 30_000 }).toMatch(/^已同步/);
    await b.goto('/sync');
    expect(await b.page.getByTestId('pending-students').textContent()).toBe('1');
    await b.shot(`${SHOTS}/sync-panel-offline.png`);
    await b.shot(`${SHOTS}/sync-header-offline.png`, b.page.locator('.xj-header'));
    // Nothing of B's arrived yet on the server; A's phone did.
    let master = (await pullAll(server.url, serverToken, 'students')).find((d) => d.id === target.id);
    expect([master?.phone, master?.address]).toEqual(['13600000001', target.address]);

    await b.setOffline(false);
    await b.openStudent(String(target.id));
    for (const app of [a, b]) {
      await expect.poll(() => app.field('联系电话').textContent(), { timeout: 30_000 }).toBe('13600000001');
      await expect
        .poll(() => app.field('现住址').textContent(), { timeout: 30_000 })
        .toBe('郑州市金水区经三路 15 号');
    }
    master = (await pullAll(server.url, serverToken, 'students')).find((d) => d.id === target.id);
    expect([master?.phone, master?.address]).toEqual(['13600000001', '郑州市金水区经三路 15 号']);
    await expect.poll(() => b.syncState.textContent(), { timeout: 30_000 }).toMatch(/^已同步/);
    await b.goto('/sync');
    await b.page.getByText('本机的修改都已上传').waitFor();
    await b.shot(`${SHOTS}/sync-panel-synced.png`);

    // Same field: A offline sets the phone, B online sets it differently → A's inbox.
    await a.setOffline(true);
    await expect.poll(() => a.syncState.textContent()).toMatch(/^离线/);
    await a.edit({ 联系电话: '13600000002' });
    await b.openStudent(String(target.id));
    await b.edit({ 联系电话: '13600000003' });
    await expect.poll(() => b.syncState.textContent(), { timeout: 30_000 }).toMatch(/^已同步/);
    await a.setOffline(false);
    await a.goto('/conflicts');
    const row = a.page.locator('.xj-conflict-row');
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await row.getByTestId('conflict-field').textContent()).toBe('联系电话');
    expect(await row.getByTestId('conflict-mine').textContent()).toBe('13600000002');
    expect(await row.getByTestId('conflict-theirs').textContent()).toBe('13600000003');
    expect(await row.getByTestId('conflict-mine-heading').textContent()).toBe('本机的值');
    await a.shot(`${SHOTS}/sync-conflict-inbox.png`);
    // The issue replicates to B, whose value reached the server first: there 本机的值 is B's own value
    // (it showed A's before), the other one came from A, and "keep mine" keeps B's.
    await b.goto('/conflicts');
    const rowB = b.page.locator('.xj-conflict-row');
    await expect.poll(() => rowB.count(), { timeout: 30_000 }).toBe(1);
    expect(await rowB.getByTestId('conflict-mine').textContent()).toBe('13600000003');
    expect(await rowB.getByTestId('conflict-mine-heading').textContent()).toBe('本机的值（已在服务器）');
    expect(await rowB.getByTestId('conflict-theirs').textContent()).toBe('13600000002');
    expect(await rowB.getByTestId('conflict-theirs-heading').textContent()).toBe('另一台设备的值（后上传）');
    expect(await rowB.getByTestId('keep-mine').textContent()).toBe('保留本机的值');
    expect(await rowB.getByTestId('keep-theirs').textContent()).toBe('改用另一台设备的值');
    await b.shot(`${SHOTS}/sync-conflict-inbox-first-device.png`);
    // The record keeps the server's value until a person decides; the conflict shows on the record.
    await a.openStudent(String(target.id));
    await expect.poll(() => a.field('联系电话').textContent()).toBe('13600000003');
    await a.page.getByTestId('record-conflict').waitFor();

    await a.goto('/conflicts');
    await row.getByTestId('keep-mine').click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    await b.openStudent(String(target.id));
    await expect.poll(() => b.field('联系电话').textContent(), { timeout: 30_000 }).toBe('13600000002');
    master = (await pullAll(server.url, serverToken, 'students')).find((d) => d.id === target.id);
    expect(master?.phone).toBe('13600000002');
    const events = await pullAll(server.url, serverToken, 'events');
    expect(events.filter((e) => e.entityId === target.id && e.action === 'conflict.resolve')).toHaveLength(1);
    const issues = await pullAll(server.url, serverToken, 'syncIssues');
    expect(issues.filter((i) => i.kind === 'conflict' && i.docId === target.id).map((i) => i.status)).toEqual(
      ['resolved'],
    );
    // The resolution is in the student's history on B too.
    await expect
      .poll(() => b.page.getByTestId('history').textContent(), { timeout: 30_000 })
      .toContain('处理同步冲突');

    // 退出登录 locks the window (R-SECURE); the local password — this profile's is its login's — opens it
    // again, and the login form offers the same server again (it used to reset to 127.0.0.1:8787).
    await a.goto('/sync');
    await a.page.getByRole('button', { name: '退出登录（保留本机数据）' }).click();
    await a.page.locator('.ant-popconfirm .ant-btn-primary').click();
    await a.page.getByTestId('unlock-screen').waitFor();
    expect(await a.page.content()).not.toContain(String(target.idNo));
    await a.unlock(admin.password);
    await a.page.getByTestId('unlock-screen').waitFor({ state: 'detached' });
    // the unlock opens on 待办 while the kept copy holds work for this school (R-DAILY): back to 同步
    await a.nav('同步');
    const form = a.page.getByTestId('login-form');
    await form.waitFor();
    expect(await form.getByLabel('省级平台服务器地址').inputValue()).toBe(server.url);
    expect(await form.getByLabel('用户名').inputValue()).toBe(admin.username);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('a student that came from the server: editing only the phone saves 1 change, no phantom 监护人 X → X', async () => {
    const admin = account('S41010502');
    const d = await profile();
    await d.login(server.url, admin);
    await d.openRoster();
    await d.count.waitFor({ timeout: 120_000 });
    const t = await tokenOf(admin, 'e2e-observer-phantom');
    const students = (await pullAll(server.url, t, 'students')).filter((x) => !x._deleted);
    const target = students.find((x) => Array.isArray(x.guardians) && x.guardians.length > 0) as SyncDoc;
    // the server's copy has its members' keys in jsonb order, not in the order the app writes them
    const keys = Object.keys((target.guardians as Record<string, unknown>[])[0] ?? {});
    expect(keys).toEqual([...keys].sort((x, y) => x.length - y.length || (x < y ? -1 : 1)));
    expect(keys[0]).not.toBe('name'); // the app (and the form) write a member as {name, relation, …}
    await expect.poll(() => d.count.textContent(), { timeout: 60_000 }).toMatch(/^共 \d+ 人$/);
    await d.openStudent(String(target.id));
    await d.edit({ 联系电话: '13700000009' });
    await d.page.getByText('已保存 1 项修改').waitFor();
    const history = await d.page.getByTestId('history').textContent();
    expect(history).toContain(`联系电话：${target.phone} → 13700000009`);
    expect(history).not.toContain('家庭成员或监护人：');
    await expect.poll(() => d.syncState.textContent(), { timeout: 30_000 }).toMatch(/^已同步/);
    // and the event the server received names the phone only
    const events = (await pullAll(server.url, t, 'events')).filter(
      (e) => e.entityId === target.id && e.action === 'student-update',
    );
    expect(events.map((e) => Object.keys(e.after as object))).toEqual([['phone']]);
    expect(d.errors).toEqual([]);
  });

  it('a login the server no longer accepts → 登录已过期; local unlock and offline work go on', async () => {
    const admin = account('S41012201');
    let c = await profile();
    await c.login(server.url, admin);
    await c.openRoster();
    await expect.poll(() => c.count.textContent(), { timeout: 120_000 }).toBe('共 280 人');
    // The admin revokes this browser's device from another machine (R-SECURE): its access and refresh
    // tokens are refused from now on, as an expired or forged token would be.
    const t = await tokenOf(admin, 'e2e-admin-console');
    const { devices } = await api<{ devices: { id: string; deviceId: string }[] }>('/api/devices', t);
    const browserDevice = devices.find((d) => d.deviceId.startsWith('web-'));
    expect(browserDevice).toBeDefined();
    await api(`/api/devices/${browserDevice?.id}/revoke`, t, {});

    const students = await pullAll(server.url, t, 'students');
    const target = students[0] as SyncDoc;
    await c.openStudent(String(target.id));
    await c.edit({ 联系电话: '13500000005' });
    await expect.poll(() => c.syncState.textContent(), { timeout: 30_000 }).toBe('登录已过期');
    await c.shot(`${SHOTS}/sync-header-expired.png`, c.page.locator('.xj-header'));

    // Reopening the app (a new window of the same profile; the unlock lasts for one window): local
    // unlock with the last good login's password, checked against its salted hash, offline-capable.
    await c.page.close();
    const errors = c.errors;
    c = await SyncApp.open(c.context, inject('webUrl'));
    c.errors.push(...errors);
    await c.page.getByTestId('unlock-screen').waitFor();
    await c.shot(`${SHOTS}/sync-unlock.png`);
    await c.unlock('wrong-password-1');
    await c.page.getByText('密码不正确').waitFor();
    await c.unlock(admin.password);
    await c.openStudent(String(target.id));
    expect(await c.field('联系电话').textContent()).toBe('13500000005');
    await c.edit({ 现住址: '郑州市中牟县青年路 2 号' });
    await c.goto('/sync');
    await c.page.getByTestId('relogin').waitFor();
    // one student edited twice, and the two history events of those edits
    await expect.poll(() => c.page.getByTestId('pending-students').textContent()).toBe('1');
    await expect.poll(() => c.page.getByTestId('pending-events').textContent()).toBe('2');
    expect(await c.syncState.textContent()).toBe('登录已过期');
    // A fresh login is refused for a revoked device, with the server's Chinese reason.
    await c.page.getByTestId('relogin').getByLabel('密码').fill(admin.password);
    await c.page.getByTestId('relogin').getByTestId('login-submit').click();
    await c.page.getByText('此设备已被管理员停用').first().waitFor();
    await c.shot(`${SHOTS}/sync-panel-expired.png`);
    // Nothing arrived on the server from the revoked device.
    const after = (await pullAll(server.url, t, 'students')).find((d) => d.id === target.id);
    expect(after?.phone).toBe(target.phone);
    expect(c.errors).toEqual([]);
  });
});
