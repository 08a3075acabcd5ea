// Page model of the roster screens: first-start setup, the roster, the student page.
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, deskContext } from '../../support/chromium';
import { E2E_PASSWORD, unlock } from './lock';

export class RosterApp {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    readonly errors: string[],
  ) {}

  /**
   * A fresh browser context (empty IndexedDB) on the served web build, 1366×768 like a school PC;
   * `now` sets the page's clock (it runs on from there), so tests own the date the app sees.
   */
  static async open(url: string, options: { now?: Date } = {}): Promise<RosterApp> {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await deskContext(browser);
    const page = await context.newPage();
    if (options.now) await page.clock.setSystemTime(options.now);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    return new RosterApp(browser, page, errors);
  }

  close(): Promise<void> {
    return this.browser.close();
  }

  // first start
  async loadDemo(students: string, password = E2E_PASSWORD): Promise<void> {
    await this.page.getByTestId('demo-size').getByText(students, { exact: true }).click();
    await this.page.locator('.xj-demo-form').getByTestId('setup-password').fill(password);
    await this.page.locator('.xj-demo-form').getByTestId('setup-password-confirm').fill(password);
    await this.page.getByTestId('demo-load').click();
    await this.rows.first().waitFor({ timeout: 120_000 });
  }

  async fillProfile(values: Record<string, string>, password = E2E_PASSWORD): Promise<void> {
    for (const [label, value] of Object.entries(values))
      await this.page.getByLabel(label, { exact: true }).fill(value);
    const form = this.page.locator('form').filter({ hasText: '建立学校档案' });
    await form.getByTestId('setup-password').fill(password);
    await form.getByTestId('setup-password-confirm').fill(password);
    await this.page.getByRole('button', { name: '建立学校档案' }).click();
  }

  fieldError(text: string): Locator {
    return this.page.locator('.ant-form-item-explain-error', { hasText: text });
  }

  // header
  get schoolName(): Locator {
    return this.page.getByTestId('school-name');
  }
  get syncState(): Locator {
    return this.page.getByTestId('sync-state');
  }

  // roster
  get rows(): Locator {
    return this.page.getByTestId('roster-row');
  }
  get count(): Locator {
    return this.page.getByTestId('roster-count');
  }
  async search(text: string): Promise<void> {
    const box = this.page.getByTestId('roster-search');
    await box.fill('');
    await box.pressSequentially(text, { delay: 40 });
  }
  async openStudent(name: string): Promise<void> {
    await this.rows.filter({ hasText: name }).first().click();
    await this.page.getByTestId('student-name').filter({ hasText: name }).waitFor();
  }

  // student page
  field(label: string): Locator {
    // the student's own fields (the family members' tables below have labels of the same names)
    return this.page
      .getByTestId('student-fields')
      .locator('.ant-descriptions-item-label', { hasText: label })
      .locator('xpath=following-sibling::td[1]');
  }
  async edit(values: Record<string, string>): Promise<void> {
    if (await this.page.getByTestId('student-edit').isVisible())
      await this.page.getByTestId('student-edit').click();
    for (const [label, value] of Object.entries(values))
      await this.page.getByTestId('student-fields').getByLabel(label, { exact: true }).fill(value);
    await this.page.getByTestId('student-save').click();
  }
  get history(): Locator {
    return this.page.getByTestId('history');
  }

  /** Reloads the page: the app opens locked (R-SECURE) and is unlocked with the local password. */
  async reload(): Promise<void> {
    await this.page.reload();
    await unlock(this.page);
  }
}
