// Page model of the sync screens: the setup page's "从省级平台登录", the header state, the sync panel,
// the conflict inbox, the local unlock and the student page's fields.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import type { DemoAccount } from '../../../server/demo/seed';
import {
  demoAccounts,
  startServerProcess,
  stopServerProcess,
} from '../../integration/support/server-process';

export type { DemoAccount };

/**
 * `xueji server --demo --data <tmp>` as a user starts it, as its own process; stopped with SIGTERM. The
 * folder starts as a copy of the e2e run's seeded demo province (global-setup.ts), so the server opens
 * it as a second start does: the same province for every file, each file's own copy to change.
 */
export async function startDemoServer(): Promise<{
  url: string;
  accounts: DemoAccount[];
  /** what the server process printed (its warnings and errors), for a failure's message */
  output(): string;
  stop(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-server-'));
  cpSync(inject('demoTemplate'), dir, { recursive: true });
  const server = await startServerProcess({ dataDir: dir });
  return {
    url: server.url,
    accounts: demoAccounts(dir),
    output: server.output,
    async stop() {
      await stopServerProcess(server);
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

  /**
   * Waits until the app has opened after a login, a start or an unlock — on 待办 while something waits for
   * this user (R-DAILY), else on the screen it was opened at or the desk's home — and gives that path.
   * The navigation is shown only then, so a test's next step is not overtaken by the opening.
   */
  async opened(): Promise<string> {
    await this.page.getByTestId('side-nav').waitFor({ timeout: 180_000 });
    return this.page.evaluate(() => decodeURI(window.location.hash.replace(/^#/, '')));
  }

  /** Opens a screen from the side navigation by its title (待办 carries its count after the title). */
  async nav(title: string): Promise<void> {
    await this.opened();
    await this.page
      .getByTestId('side-nav')
      .locator('.ant-menu-title-content')
      .filter({ hasText: title === '待办' ? /^待办/ : new RegExp(`^${title}$`) })
      .click();
  }

  /** Steps to the desk's home from the navigation (its first entry after 待办), wherever the app opened. */
  async home(): Promise<void> {
    await this.opened();
    const titles = await this.page
      .getByTestId('side-nav')
      .locator('.ant-menu-title-content')
      .allTextContents();
    const home = titles.find((t) => !t.startsWith('待办'));
    if (!home) throw new Error(`no home in the navigation: ${titles.join(', ')}`);
    await this.nav(home);
  }

  /** Steps off 待办 (where a desk with waiting work opens) to the roster: 花名册 in the navigation. */
  async openRoster(): Promise<void> {
    await this.nav('花名册');
  }

  /** Goes to an address inside the app once it has opened (the opening would otherwise overtake it). */
  async goto(path: string): Promise<void> {
    await this.opened();
    await this.page.evaluate((p) => {
      window.location.hash = p;
    }, path);
  }

  async openStudent(id: string): Promise<void> {
    await this.goto(`/students/${id}`);
    await this.page.getByTestId('student-name').waitFor();
  }

  field(label: string): Locator {
    // the student's own fields (the family members' tables below have labels of the same names)
    return this.page
      .getByTestId('student-fields')
      .locator('.ant-descriptions-item-label', { hasText: label })
      .locator('xpath=following-sibling::td[1]')
      .first();
  }

  async edit(values: Record<string, string>): Promise<void> {
    await this.page.getByTestId('student-edit').click();
    for (const [label, value] of Object.entries(values))
      await this.page.getByTestId('student-fields').getByLabel(label, { exact: true }).fill(value);
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
