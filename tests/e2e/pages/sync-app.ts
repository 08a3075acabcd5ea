// Page model of the sync screens: the setup page's "从省级平台登录", the header state, the sync panel,
// the conflict inbox, the local unlock and the student page's fields.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export type DemoAccount = {
  username: string;
  password: string;
  role: string;
  orgId: string;
  orgName: string;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a !== 'string' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** `xueji server --demo --data <tmp> --port <free>` as a user starts it; stopped with SIGTERM. */
export async function startDemoServer(): Promise<{
  url: string;
  accounts: DemoAccount[];
  stop(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-server-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['bin/xueji.mjs', 'server', '--demo', '--data', dir, '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('学籍同步服务器已启动')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const accounts = JSON.parse(readFileSync(join(dir, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  return {
    url: `http://127.0.0.1:${port}`,
    accounts,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export class SyncApp {
  readonly errors: string[] = [];
  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (e) => this.errors.push(e.message));
  }

  static async open(context: BrowserContext, url: string): Promise<SyncApp> {
    const page = await context.newPage();
    await page.goto(url);
    return new SyncApp(context, page);
  }

  get syncState(): Locator {
    return this.page.getByTestId('sync-state');
  }
  get count(): Locator {
    return this.page.getByTestId('roster-count');
  }

  /** The setup page's third option, or the sync panel's login form. */
  async login(serverUrl: string, account: DemoAccount): Promise<void> {
    const form = this.page.getByTestId('login-form');
    await form.getByLabel('省级平台服务器地址').fill(serverUrl);
    await form.getByLabel('用户名').fill(account.username);
    await form.getByLabel('密码').fill(account.password);
    await form.getByTestId('login-submit').click();
  }

  async goto(path: string): Promise<void> {
    await this.page.evaluate((p) => {
      window.location.hash = p;
    }, path);
  }

  async openStudent(id: string): Promise<void> {
    await this.goto(`/students/${id}`);
    await this.page.getByTestId('student-name').waitFor();
  }

  field(label: string): Locator {
    return this.page
      .locator('.ant-descriptions-item-label', { hasText: label })
      .locator('xpath=following-sibling::td[1]')
      .first();
  }

  async edit(values: Record<string, string>): Promise<void> {
    await this.page.getByTestId('student-edit').click();
    for (const [label, value] of Object.entries(values))
      await this.page.getByLabel(label, { exact: true }).fill(value);
    await this.page.getByTestId('student-save').click();
    await this.page.getByTestId('student-edit').waitFor();
  }

  async setOffline(offline: boolean): Promise<void> {
    await this.context.setOffline(offline);
  }

  async unlock(password: string): Promise<void> {
    await this.page.getByTestId('unlock-password').fill(password);
    await this.page.getByTestId('unlock-submit').click();
  }

  async shot(path: string, locator?: Locator): Promise<void> {
    if (locator) await locator.screenshot({ path });
    else await this.page.screenshot({ path });
  }
}
