// `xueji admin init | add-admin | reset-password`: a real deployment from zero (docs/operations.md). The
// database is the PGlite folder of --data (as `xueji server --data` uses it) or DATABASE_URL. Passwords are
// read from a file (--password-file), never from the command line, which the shell history and `ps` keep.
// Exit 0 done, 1 refused (a Chinese reason), 2 wrong usage.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CliIo, parseFlags } from '../io';

const USAGE = [
  '用法：',
  '  xueji admin init --data 目录 --province-code 41 --province-name 河南省 --username 用户名 --password-file 密码文件',
  '                   [--org-name 河南省教育厅] [--display-name 姓名]',
  '  xueji admin add-admin --data 目录 --username 用户名 --display-name 姓名 --password-file 密码文件',
  '  xueji admin reset-password --data 目录 --username 用户名 --password-file 密码文件',
  '  设置了 DATABASE_URL 时使用该 PostgreSQL 数据库，不需要 --data。',
];

function readPassword(file: string | undefined): string {
  if (!file || file === 'true') throw new UsageError('缺少 --password-file（一个只含密码的文本文件）');
  let text: string;
  try {
    if (statSync(file).size > 4096) throw new UsageError(`密码文件 ${file} 过大：应只含一行密码`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`读不到密码文件 ${file}`);
  }
  // One line: the newline an editor or `echo` adds is not part of the password.
  const password = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(password)) throw new UsageError(`密码文件 ${file} 应只含一行密码`);
  return password;
}

class UsageError extends Error {}

export async function adminCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const flags = parseFlags(rest);
  const value = (name: string): string | undefined => {
    const v = flags.get(name);
    return v === undefined || v === 'true' ? undefined : v;
  };
  const required = (name: string): string => {
    const v = value(name);
    if (!v) throw new UsageError(`缺少 --${name}`);
    return v;
  };
  if (sub !== 'init' && sub !== 'add-admin' && sub !== 'reset-password') {
    io.err(sub ? `未知的子命令：admin ${sub}` : '缺少子命令');
    for (const line of USAGE) io.err(line);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = value('data');
  let input: Record<string, string>;
  try {
    if (!databaseUrl && !dataDir) throw new UsageError('请用 --data 指定数据目录，或设置 DATABASE_URL');
    input =
      sub === 'init'
        ? {
            provinceCode: required('province-code'),
            provinceName: required('province-name'),
            username: required('username'),
            password: readPassword(value('password-file')),
            orgName: value('org-name') ?? '',
            displayName: value('display-name') ?? '',
          }
        : sub === 'add-admin'
          ? {
              username: required('username'),
              displayName: required('display-name'),
              password: readPassword(value('password-file')),
            }
          : { username: required('username'), password: readPassword(value('password-file')) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(e.message);
    for (const line of USAGE) io.err(line);
    return 2;
  }

  const { openDb } = await import('../../server/store/db');
  const { migrate } = await import('../../server/store/migrations');
  const { changeChannel } = await import('../../server/sync/store');
  const admin = await import('../../server/admin/init');
  const schema = value('schema');
  if (sub === 'init')
    try {
      admin.checkInitOptions(input as unknown as Parameters<typeof admin.checkInitOptions>[0]);
    } catch (e) {
      if (!(e instanceof admin.OperatorError)) throw e;
      io.err(e.message);
      return 1;
    }
  let db: Awaited<ReturnType<typeof openDb>>;
  try {
    if (!databaseUrl) mkdirSync(resolve(dataDir as string), { recursive: true });
    db = await openDb(
      databaseUrl ? { databaseUrl, schema } : { dataDir: join(resolve(dataDir as string), 'pgdata'), schema },
    );
    await migrate(db);
  } catch (e) {
    io.err(
      databaseUrl
        ? `无法连接数据库（DATABASE_URL）：${e instanceof Error ? e.message : String(e)}`
        : `无法打开数据目录 ${dataDir}：${e instanceof Error ? e.message : String(e)}（是否有服务器正在使用它？请先停止服务器）`,
    );
    return 1;
  }
  const now = new Date();
  try {
    if (sub === 'init') {
      const { org } = await admin.initProvince(db, changeChannel(schema), {
        provinceCode: input.provinceCode as string,
        provinceName: input.provinceName as string,
        orgName: input.orgName,
        displayName: input.displayName,
        username: input.username as string,
        password: input.password as string,
        now,
      });
      io.out(`已创建省级单位：${org.name}（代码 ${org.id}）`);
      io.out(`已创建首个省级管理员：${input.username}（首次登录时须修改密码）`);
      io.out(
        `下一步：xueji server ${databaseUrl ? '' : `--data ${dataDir} `}--host 0.0.0.0 启动服务器，在应用中选“从省级平台登录”，用该账号登录后建立市、县（区）、学校和账号（见 docs/operations.md）`,
      );
    } else if (sub === 'add-admin') {
      await admin.addProvinceAdmin(db, {
        username: input.username as string,
        displayName: input.displayName as string,
        password: input.password as string,
        now,
      });
      io.out(`已增加省级管理员：${input.username}（首次登录时须修改密码）`);
    } else {
      await admin.operatorResetPassword(db, changeChannel(schema), {
        username: input.username as string,
        password: input.password as string,
        now,
      });
      io.out(`已重置 ${input.username} 的密码：该账号的所有登录已失效，下次登录时须修改密码`);
    }
    return 0;
  } catch (e) {
    if (e instanceof admin.OperatorError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  } finally {
    await db.close();
  }
}
