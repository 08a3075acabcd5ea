// Runs `xueji server` as a real child process (as a user would), for restart and multi-client tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DemoAccount } from '../../../server/demo/seed';

const BIN = resolve(import.meta.dirname, '../../../bin/xueji.mjs');

export type ServerProcess = { child: ChildProcess; url: string; port: number; output: () => string };

export async function startServerProcess(o: {
  dataDir: string;
  port?: number;
  databaseUrl?: string;
  schema?: string;
  /** create the demo province in a new data folder (default true) */
  demo?: boolean;
}): Promise<ServerProcess> {
  const args = [
    BIN,
    'server',
    ...(o.demo === false ? [] : ['--demo']),
    '--data',
    o.dataDir,
    '--port',
    String(o.port ?? 0),
  ];
  if (o.schema) args.push('--schema', o.schema);
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const url = await new Promise<string>((ok, fail) => {
    // generous: the demo seed (students, accounts, change requests) on a busy 2-core machine
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 180_000);
    const check = () => {
      const m = /已启动：(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { child, url, port: Number(new URL(url).port), output: () => out };
}

export function stopServerProcess(
  p: ServerProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  return new Promise((ok) => {
    if (p.child.exitCode !== null) return ok(p.child.exitCode);
    p.child.once('exit', (code) => ok(code));
    p.child.kill(signal);
  });
}

export function demoAccounts(dataDir: string): DemoAccount[] {
  return JSON.parse(readFileSync(join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
}

export async function httpLogin(url: string, account: DemoAccount, deviceId: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password, deviceId }),
  });
  if (!res.ok) throw new Error(`login ${account.username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; refreshToken: string; user: { id: string } };
}
