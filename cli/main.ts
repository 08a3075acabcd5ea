// The `xueji` command line (package.json bin). Each sub-command lives in commands/<name>.ts.
import { adminCommand } from './commands/admin';
import { drawCommand } from './commands/draw';
import { formCommand } from './commands/form';
import { rulesCommand } from './commands/rules';
import { seedCommand } from './commands/seed';
import { serverCommand } from './commands/server';
import { simulateCheckinsCommand } from './commands/simulate-checkins';
import { validateCommand } from './commands/validate';
import { verifyFormCommand } from './commands/verify-form';
import { workdaysCommand } from './commands/workdays';
import { type CliIo, processIo } from './io';

type Command = { summary: string; run(args: string[], io: CliIo): Promise<number> };

const COMMANDS: Record<string, Command> = {
  admin: {
    summary:
      'admin init --data DIR --province-code 41 --province-name 河南省 --username U --password-file F | admin add-admin … | admin reset-password …   正式部署：建立空的省份和首个省级管理员',
    run: adminCommand,
  },
  draw: {
    summary:
      'draw --objects O.json --inspectors I.json (--ratio R | --count N) --per-object K --seed S | draw --verify RESULT.json --objects … --inspectors …   “双随机”抽取检查对象和检查人员，或核验公示的抽取结果',
    run: drawCommand,
  },
  form: {
    summary: 'form list | form render <表单> --data FILE.json --out FILE.pdf   打印表单（PDF）',
    run: formCommand,
  },
  rules: {
    summary: 'rules list [--json] | rules check --case 案例.json   政策规则：列出全部规则，或检查一个案例',
    run: rulesCommand,
  },
  seed: { summary: 'seed --students N --seed S --out FILE.xlsx   生成确定性的演示花名册', run: seedCommand },
  server: {
    summary:
      'server [--demo] [--data DIR] [--port 8787]   启动同步服务器（无 DATABASE_URL 时用嵌入式 PGlite）',
    run: serverCommand,
  },
  'simulate-checkins': {
    summary:
      'simulate-checkins --server URL --task ID --pass-rate 0.9 --seed S --user 学校管理员 --password 密码   模拟学生手机核验（仅用于演示和测试服务器）',
    run: simulateCheckinsCommand,
  },
  validate: {
    summary: 'validate FILE.xlsx|FILE.csv [--json]   校验花名册文件（不写数据库）',
    run: validateCommand,
  },
  workdays: {
    summary: 'workdays add <日期> <N> | between <起> <止> | is <日期> [--json]   按国务院放假安排计算工作日',
    run: workdaysCommand,
  },
  'verify-form': {
    summary: 'verify-form FILE.pdf --data FILE.json   核验纸质表单与记录是否一致',
    run: verifyFormCommand,
  },
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(name ? `未知命令：${name}` : '用法：xueji <命令> [参数]');
    for (const [n, c] of Object.entries(COMMANDS))
      io.err(`  xueji ${c.summary.startsWith(n) ? c.summary : `${n} ${c.summary}`}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(failureLine(error));
    return 2;
  }
}

/** One Chinese line for an unexpected failure: the message, never a stack trace. */
export function failureLine(error: unknown): string {
  return `出错：${error instanceof Error ? error.message : String(error)}`;
}

type ProcessLike = {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  exit(code: number): never;
};

/**
 * No command prints a stack trace, even for a failure outside its own try (a stream's late error, a
 * rejected promise nobody awaited): such a failure becomes one Chinese line on stderr and exit code 2.
 * A reader that closed the pipe (EPIPE) is not a failure of the command.
 */
export function installProcessGuards(proc: ProcessLike, io: CliIo = processIo): void {
  const fail = (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EPIPE') return proc.exit(0);
    io.err(failureLine(error));
    proc.exit(2);
  };
  proc.on('uncaughtException', fail);
  proc.on('unhandledRejection', fail);
}
