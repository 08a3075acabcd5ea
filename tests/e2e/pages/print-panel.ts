// Page model of printing: 打印档案目录 on the student page, the print preview (the real PDF in an iframe),
// and 批量打印档案目录 on the roster with its progress bar and cancel.
import type { Download, Locator, Page } from 'playwright-core';

export class PrintPanel {
  constructor(readonly page: Page) {}

  // single form
  async printArchiveList(): Promise<void> {
    await this.page.getByTestId('print-archive-list').click();
  }

  // preview
  get preview(): Locator {
    return this.page.getByTestId('print-preview');
  }
  get frame(): Locator {
    return this.page.getByTestId('print-preview-frame');
  }
  get meta(): Locator {
    return this.page.getByTestId('print-preview-meta');
  }
  get missingWarning(): Locator {
    return this.page.getByTestId('print-missing-warning');
  }
  get missingConfirm(): Locator {
    return this.page.getByTestId('print-missing-confirm');
  }
  async waitForPdf(timeout = 120_000): Promise<void> {
    await this.frame.waitFor({ timeout });
  }
  /** The preview's PDF frame has loaded its document (for a screenshot of the page as shown). */
  async pdfShown(timeout = 60_000): Promise<void> {
    const frame = await (await this.frame.elementHandle({ timeout }))?.contentFrame();
    await frame?.waitForLoadState('load', { timeout });
  }
  /**
   * The bytes behind the preview iframe's blob: URL. Test-side read: the app's CSP (connect-src) rightly
   * keeps the page itself from fetching blob: URLs, so the bytes are read from the app's print worker, a
   * same-origin context that can resolve the page's blob URLs.
   */
  async frameBytes(): Promise<Buffer> {
    const src = await this.frame.getAttribute('src');
    if (!src?.startsWith('blob:')) throw new Error(`preview iframe src is not a blob URL: ${src}`);
    const worker = this.page.workers().find((w) => w.url().includes('print-worker'));
    if (!worker) throw new Error('the print worker is not running');
    const base64 = await worker.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    }, src);
    return Buffer.from(base64, 'base64');
  }
  async answerMissing(goAhead: boolean): Promise<void> {
    await this.page.getByTestId(goAhead ? 'print-missing-go' : 'print-missing-back').click();
    await this.missingConfirm.waitFor({ state: 'detached' });
  }
  /** 保存为 PDF; in the browser build the PDF is downloaded. */
  async save(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('print-save').click();
    return download;
  }
  async clickPrint(): Promise<void> {
    await this.page.getByTestId('print-print').click();
  }
  async closePreview(): Promise<void> {
    await this.page.getByTestId('print-close').click();
    await this.preview.waitFor({ state: 'detached' });
  }

  // batch
  async openBatch(): Promise<void> {
    await this.page.getByTestId('batch-print').click();
    await this.page.getByTestId('batch-start').waitFor();
  }
  async chooseScope(label: '整个班级' | '整个年级' | '花名册当前列表'): Promise<void> {
    await this.page.getByTestId('batch-scope').getByText(label).click();
  }
  get startButton(): Locator {
    return this.page.getByTestId('batch-start');
  }
  get progress(): Locator {
    return this.page.getByTestId('batch-progress');
  }
  async doneCount(): Promise<number> {
    const text = await this.page.getByTestId('batch-done').textContent();
    return Number((text ?? '0').replace(/,/g, ''));
  }
  async cancelBatch(): Promise<void> {
    await this.page.getByTestId('batch-cancel').click();
  }
  get notice(): Locator {
    return this.page.getByTestId('batch-notice');
  }
}
