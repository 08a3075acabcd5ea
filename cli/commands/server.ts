// `xueji server [--demo] [--data DIR] [--port P] [--host H]`: the provincial sync server. Without
// DATABASE_URL it runs on an embedded PGlite folder (DIR, default ./xueji-server-data).
import { type CliIo, parseFlags } from '../io';

export async function serverCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const port = Number(flags.get('port') ?? '8787');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err('--port 应为 0 到 65535 之间的整数');
    return 2;
  }
  const host = flags.get('host') ?? '127.0.0.1';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = flags.get('data') ?? (databaseUrl ? undefined : 'xueji-server-data');
  const demo = flags.get('demo') === 'true';
  // A PostgreSQL schema to work in (one database, several installations or test runs).
  const schema = flags.get('schema');
  const { startServer, demoAccountsFile } = await import('../../server/main');
  const server = await startServer({
    dataDir,
    databaseUrl,
    schema,
    port,
    host,
    demo,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    // Behind a reverse proxy: its address(es), so that rate limits count clients, not the proxy.
    trustProxy: process.env.XUEJI_TRUST_PROXY || undefined,
  });
  io.out(`学籍同步服务器已启动：${server.url}`);
  io.out(databaseUrl ? '数据库：PostgreSQL（DATABASE_URL）' : `数据库：嵌入式 PGlite，数据目录 ${dataDir}`);
  if (demo && dataDir) {
    const file = demoAccountsFile(dataDir);
    if (server.demoAccounts) io.out(`已创建演示省份，账号与密码见：${file}`);
    else if (file) io.out(`演示数据已存在，账号与密码见：${file}`);
  }
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.out(`收到 ${signal}，正在停止：不再接受新请求，等待进行中的请求完成…`);
      server
        .close()
        .then(() => io.out('服务器已停止，数据库已关闭'))
        .catch((e: unknown) => io.err(`停止时出错：${e instanceof Error ? e.message : String(e)}`))
        .finally(resolveStop);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
