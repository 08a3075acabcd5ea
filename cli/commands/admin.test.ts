// `xueji admin init | add-admin | reset-password` on a PGlite folder and on PostgreSQL (DATABASE_URL): a
// province from zero whose first administrator must change the password at first login; never twice on one
// database; Chinese refusals without stack traces (issue 11).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openDb } from '../../server/store/db';
import { ALL_BACKENDS, dropSchema, freshSchema, PG_SKIP_REASON, PG_URL } from '../../server/test/helpers';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'xueji-admin-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const PASSWORD = file('pw', 'Start2026abc\n');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.each(ALL_BACKENDS)('xueji admin on %s', (backend) => {
  const skip = backend === 'postgres' && !PG_URL;
  const schema = freshSchema('cli');
  const data = join(dir, `data-${backend}`);
  // PostgreSQL: DATABASE_URL and a schema of its own; PGlite: the --data folder, as `xueji server --data`.
  const where = backend === 'postgres' ? ['--schema', schema] : ['--data', data];
  const withDb = async <T>(fn: () => Promise<T>): Promise<T> => {
    const before = process.env.DATABASE_URL;
    if (backend === 'postgres') process.env.DATABASE_URL = PG_URL;
    else delete process.env.DATABASE_URL;
    try {
      return await fn();
    } finally {
      if (before === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = before;
    }
  };
  afterAll(async () => {
    if (backend === 'postgres') await dropSchema(schema);
  });
  const init = (...extra: string[]) =>
    withDb(() =>
      cli(
        'admin',
        'init',
        ...where,
        '--province-code',
        '41',
        '--province-name',
        '河南省',
        '--username',
        'sheng.admin',
        '--password-file',
        PASSWORD,
        ...extra,
      ),
    );

  it.skipIf(skip)(
    'creates the province and its first administrator, who must change the password',
    async () => {
      const r = await init();
      expect(r, r.err).toMatchObject({ code: 0 });
      expect(r.out).toContain('已创建省级单位：河南省教育厅（代码 41）');
      expect(r.out).toContain('首次登录时须修改密码');
      const db = await openDb(
        backend === 'postgres' ? { databaseUrl: PG_URL, schema } : { dataDir: join(data, 'pgdata') },
      );
      const app = await buildApp({ db, schema: backend === 'postgres' ? schema : undefined });
      try {
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'sheng.admin', password: 'Start2026abc', deviceId: 'dev-cli-test-01' },
        });
        expect(login.statusCode, login.body).toBe(200);
        expect(login.json().user).toMatchObject({
          role: 'province',
          orgId: '41',
          orgName: '河南省教育厅',
          mustChangePassword: true,
        });
        const pull = await app.inject({
          method: 'GET',
          url: '/api/sync/orgs/pull',
          headers: { authorization: `Bearer ${login.json().token}` },
        });
        expect(pull.json().error).toBe('PASSWORD_CHANGE_REQUIRED');
        const [audit] = await db.query<{ action: string; actor_id: string }>(
          'select action, actor_id from admin_audit',
        );
        expect(audit).toEqual({ action: 'admin-init', actor_id: 'cli' });
        const [students] = await db.query<{ n: string }>(
          `select count(*)::text as n from docs where collection <> 'orgs'`,
        );
        expect(students?.n).toBe('0');
      } finally {
        await app.close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    'refuses to run twice on the same database',
    async () => {
      const r = await init();
      expect(r.code).toBe(1);
      expect(r.err).toContain('已经初始化过（已有单位“河南省教育厅”，代码 41）');
      expect(r.err).not.toMatch(/\n\s+at /);
    },
    60_000,
  );

  it.skipIf(skip)(
    'adds a province administrator and resets a password as the operator',
    async () => {
      const add = await withDb(() =>
        cli(
          'admin',
          'add-admin',
          ...where,
          '--username',
          'sheng.admin2',
          '--display-name',
          '省厅第二管理员',
          '--password-file',
          PASSWORD,
        ),
      );
      expect(add, add.err).toMatchObject({ code: 0 });
      const again = await withDb(() =>
        cli(
          'admin',
          'add-admin',
          ...where,
          '--username',
          'sheng.admin2',
          '--display-name',
          'x',
          '--password-file',
          PASSWORD,
        ),
      );
      expect(again).toMatchObject({ code: 1, err: '用户名“sheng.admin2”已被使用' });
      const reset = await withDb(() =>
        cli(
          'admin',
          'reset-password',
          ...where,
          '--username',
          'sheng.admin',
          '--password-file',
          file('pw2', 'Other2026xyz'),
        ),
      );
      expect(reset, reset.err).toMatchObject({ code: 0 });
      const none = await withDb(() =>
        cli('admin', 'reset-password', ...where, '--username', 'nobody', '--password-file', PASSWORD),
      );
      expect(none).toMatchObject({ code: 1, err: '没有用户名为“nobody”的账号' });
    },
    120_000,
  );

  // Without TEST_DATABASE_URL (a developer's machine without PostgreSQL) the PostgreSQL cases above are
  // skipped; this placeholder names why in the report. CI always sets it (.ci/postgres.sh).
  if (skip) it.skip(`PostgreSQL: ${PG_SKIP_REASON}`, () => {});
});

describe('xueji admin: what it refuses before touching a database', () => {
  const fresh = join(dir, 'fresh');
  const base = ['--data', fresh, '--username', 'sheng.admin', '--password-file', PASSWORD];
  it('a province code that is not one, or a name that does not fit the code (GB/T 2260)', async () => {
    expect(
      await cli('admin', 'init', '--province-code', '99', '--province-name', '河南省', ...base),
    ).toMatchObject({
      code: 1,
      err: '--province-code 99 不是省级行政区划代码（GB/T 2260）',
    });
    expect(
      await cli('admin', 'init', '--province-code', '41', '--province-name', '湖南省', ...base),
    ).toMatchObject({
      code: 1,
      err: '省级行政区划代码 41 是“河南省”，与 --province-name “湖南省”不符',
    });
  });
  it('a weak password, an upper-case username, a missing password file, a missing flag', async () => {
    const weak = await cli(
      'admin',
      'init',
      '--province-code',
      '41',
      '--province-name',
      '河南',
      '--data',
      fresh,
      '--username',
      'sheng.admin',
      '--password-file',
      file('weak', 'abc'),
    );
    expect(weak).toMatchObject({ code: 1 });
    expect(weak.err).toContain('密码至少 8 位');
    const upper = await cli(
      'admin',
      'init',
      '--province-code',
      '41',
      '--province-name',
      '河南省',
      '--data',
      fresh,
      '--username',
      'Sheng',
      '--password-file',
      PASSWORD,
    );
    expect(upper.err).toContain('小写');
    const missing = await cli(
      'admin',
      'init',
      '--province-code',
      '41',
      '--province-name',
      '河南省',
      '--data',
      fresh,
      '--username',
      'a.b',
      '--password-file',
      join(dir, 'nope'),
    );
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toContain('读不到密码文件');
    const flag = await cli('admin', 'init', '--data', fresh, '--password-file', PASSWORD);
    expect(flag.err).toContain('缺少 --province-code');
    expect((await cli('admin', 'drop')).code).toBe(2);
  });
});
