import { describe, expect, it } from 'vitest';
import {
  BROWSER_ARCHIVE_FOLDER_MESSAGE,
  bridge,
  checkBytes,
  createBrowserBridge,
  downloadName,
  importKindOf,
  isXuejiBridge,
  selectBridge,
} from './bridge';

const PDF = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');

describe('downloadName', () => {
  it('keeps Chinese names and ensures the extension', () => {
    expect(downloadName('学籍档案目录-欧阳䶮', 'pdf')).toBe('学籍档案目录-欧阳䶮.pdf');
    expect(downloadName('花名册.XLSX', 'xlsx')).toBe('花名册.XLSX');
    expect(downloadName('report.pdf.exe', '.pdf')).toBe('report.pdf.exe.pdf');
  });

  it('replaces separators and control characters, trims dots, never returns an empty name', () => {
    expect(downloadName('../../etc/passwd', 'pdf')).toBe('_.._etc_passwd.pdf');
    expect(downloadName('a:b*c?\u0000', 'csv')).toBe('a_b_c__.csv');
    expect(downloadName('...', 'pdf')).toBe('学籍文件.pdf');
  });
});

describe('checkBytes', () => {
  it('accepts a PDF and refuses what is not one, in Chinese', () => {
    expect(checkBytes(PDF, 'PDF 内容', true)).toBeNull();
    expect(checkBytes(new TextEncoder().encode('<html>'), 'PDF 内容', true)?.message).toContain(
      '不是 PDF 文件',
    );
    expect(checkBytes(new Uint8Array(), 'PDF 内容', true)?.message).toBe('PDF 内容为空。');
    expect(checkBytes('JVBERi0=', '文件内容', false)?.message).toBe('文件内容不是二进制数据。');
    expect(checkBytes(new Uint8Array([1]), '文件内容', false)).toBeNull();
  });
});

describe('importKindOf', () => {
  it('reads the kind from the extension, case-insensitively, only among the allowed kinds', () => {
    expect(importKindOf('花名册.XLSX', ['xlsx', 'csv'])).toBe('xlsx');
    expect(importKindOf('roster.csv', ['xlsx'])).toBeNull();
    expect(importKindOf('csv', ['csv'])).toBeNull();
    expect(importKindOf('roster.xls', ['xlsx', 'csv'])).toBeNull();
  });
});

describe('selectBridge', () => {
  const electronLike = {
    host: 'electron',
    getAppInfo: async () => ({}),
    savePdf: async () => ({}),
    previewPdf: async () => ({}),
    printPdf: async () => ({}),
    openFile: async () => ({}),
    saveFile: async () => ({}),
    openArchiveFolder: async () => ({}),
    setServerOrigin: async () => ({}),
  };

  it('uses window.xueji when the preload exposed it', () => {
    expect(selectBridge({ xueji: electronLike })).toBe(electronLike);
  });

  it('ignores a half-made window.xueji and falls back to the browser', () => {
    expect(isXuejiBridge({ host: 'electron', savePdf: () => undefined })).toBe(false);
    expect(selectBridge({ xueji: { host: 'electron' } })).toBeNull(); // no document in Node
  });

  it('an older preload without setServerOrigin is not taken for the bridge', () => {
    const { setServerOrigin: _s, ...older } = electronLike;
    expect(isXuejiBridge(older)).toBe(false);
  });

  it('the browser build needs nothing to reach the server chosen at login (never a reload)', async () => {
    expect(await bridge.setServerOrigin({ origin: 'http://192.168.1.10:8787' })).toEqual({
      ok: true,
      value: { origin: 'http://192.168.1.10:8787', changed: false },
    });
    expect(await bridge.setServerOrigin(null as never)).toMatchObject({
      ok: false,
      reason: 'invalid-argument',
    });
  });

  it('in Node (no window) the exported bridge answers "unavailable" in Chinese instead of throwing', async () => {
    expect(bridge.host).toBe('browser');
    const r = await bridge.savePdf({ schoolName: '一中', fileName: 'a', bytes: PDF });
    expect(r).toMatchObject({
      ok: false,
      reason: 'unavailable',
      message: expect.stringContaining('无法使用'),
    });
    expect((await bridge.getAppInfo()).version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('browser bridge without a DOM round trip', () => {
  // Only the calls that refuse before touching the DOM: the DOM flows run in real chromium
  // (bridge.chromium.test.ts).
  const env = {
    document: {} as Document,
    open: () => null,
    createObjectURL: () => 'blob:x',
    revokeObjectURL: () => undefined,
    setTimeout: () => undefined,
  };
  const b = createBrowserBridge(env);

  it('cannot open the archive folder, and says why in Chinese', async () => {
    expect(await b.openArchiveFolder({ schoolName: '一中' })).toEqual({
      ok: false,
      reason: 'unavailable',
      message: BROWSER_ARCHIVE_FOLDER_MESSAGE,
    });
  });

  it('refuses bad input exactly like the Electron side', async () => {
    expect(
      await b.savePdf({ schoolName: '一中', fileName: 'a', bytes: new Uint8Array([1, 2]) }),
    ).toMatchObject({
      reason: 'invalid-argument',
    });
    expect(await b.saveFile({ suggestedName: 'a', kind: 'exe' as never, bytes: PDF })).toMatchObject({
      message: '不支持的导出类型“exe”。',
    });
    expect(await b.printPdf({ bytes: new Uint8Array() })).toMatchObject({ message: 'PDF 内容为空。' });
  });

  it('reports a blocked pop-up instead of pretending to print', async () => {
    expect(await b.printPdf({ bytes: PDF })).toMatchObject({
      ok: false,
      reason: 'unavailable',
      message: expect.stringContaining('弹出窗口'),
    });
  });
});
