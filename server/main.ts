// Starting and stopping the server (`xueji server`): open the database (PGlite folder or DATABASE_URL),
// migrate, seed the demo when asked and the folder is new, listen, and shut down gracefully.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildApp, type XuejiServer } from './app';
import type { AuthSettings } from './auth/accounts';
import { type DemoAccount, isSeeded, seedDemo } from './demo/seed';
import { openDb } from './store/db';

export type StartOptions = {
  /** PGlite data folder; ignored when databaseUrl is set */
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  port?: number;
  host?: string;
  demo?: boolean;
  logger?: boolean | object;
  now?: () => Date;
  /** lockout and rate-limit settings (benchmarks raise the per-minute login limits) */
  auth?: Partial<AuthSettings>;
  /** proxy addresses whose X-Forwarded-For is believed (AppOptions.trustProxy) */
  trustProxy?: boolean | string;
};

export type RunningServer = {
  app: XuejiServer;
  url: string;
  demoAccounts?: DemoAccount[];
  close(): Promise<void>;
};

export async function startServer(o: StartOptions): Promise<RunningServer> {
  let dataDir = o.dataDir;
  // The folder holds the PGlite data (without DATABASE_URL) and the demo accounts file.
  if (dataDir) {
    dataDir = resolve(dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const pgliteDir = !o.databaseUrl && dataDir ? join(dataDir, 'pgdata') : undefined;
  const db = await openDb({ databaseUrl: o.databaseUrl, dataDir: pgliteDir, schema: o.schema });
  const app = await buildApp({
    db,
    schema: o.schema,
    logger: o.logger ?? false,
    now: o.now,
    auth: o.auth,
    trustProxy: o.trustProxy,
  });
  let demoAccounts: DemoAccount[] | undefined;
  try {
    if (o.demo && !(await isSeeded(db))) {
      app.log.info('seeding the demo province');
      demoAccounts = await seedDemo(db, app.channel);
      if (dataDir) {
        const file = join(dataDir, 'demo-accounts.json');
        writeFileSync(file, `${JSON.stringify(demoAccounts, null, 2)}\n`, { mode: 0o600 });
      }
    }
    const address = await app.listen({ port: o.port ?? 8787, host: o.host ?? '127.0.0.1' });
    const url = address.replace('[::1]', 'localhost');
    return { app, url, demoAccounts, close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}

export function demoAccountsFile(dataDir: string): string | null {
  const file = join(resolve(dataDir), 'demo-accounts.json');
  return existsSync(file) ? file : null;
}
