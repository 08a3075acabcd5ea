// The IPC handlers against a real temporary disk. Electron's dialogs, shell.openPath and printing cannot
// run here (no Electron binary), so those parts are fakes — hence "(Electron mocked)" in the names.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeResult, OpenedFile, PrintOutcome, SavedFile, SavedPdf } from '../../shared/bridge';
import { CHANNEL_ALLOW_LIST, CHANNELS } from './channels';
import { ARCHIVE_FOLDER_NAME, createHandlers, type PrintResult, type ShellDeps } from './handlers';

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const XLSX = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]);

type Calls = {
  open: unknown[];
  save: unknown[];
  openPath: string[];
  print: { file: string; bytes: Buffer; title: string }[];
  preview: { file: string; bytes: Buffer; title: string; close: () => void }[];
};

function fakeDeps(base: string, overrides: Partial<ShellDeps> = {}): { deps: ShellDeps; calls: Calls } {
  const calls: Calls = { open: [], save: [], openPath: [], print: [], preview: [] };
  const deps: ShellDeps = {
    appInfo: () => ({
      host: 'electron',
      version: '0.1.0',
      platform: 'linux',
      userDataPath: path.join(base, 'userData'),
      electronVersion: '41.7.1',
      chromeVersion: '146.0.0.0',
    }),
    documentsDir: () => path.join(base, 'Documents'),
    tempDir: () => path.join(base, 'tmp'),
    userDataDir: () => path.join(base, 'userData'),
    currentServerOrigin: () => null,
    applyServerOrigin: () => undefined,
    showOpenDialog: async (o) => {
      calls.open.push(o);
      return { canceled: true, filePaths: [] };
    },
    showSaveDialog: async (o) => {
      calls.save.push(o);
      return { canceled: true };
    },
    openPath: async (p) => {
      calls.openPath.push(p);
      return '';
    },
    printPdfFile: async (file, title): Promise<PrintResult> => {
      calls.print.push({ file, bytes: await readFile(file), title });
      return { success: true };
    },
    showPdfWindow: async (file, title) => {
      let close: () => void = () => undefined;
      const closed = new Promise<void>((resolve) => {
        close = resolve;
      });
      calls.preview.push({ file, bytes: await readFile(file), title, close });
      return { closed };
    },
    ...overrides,
  };
  return { deps, calls };
}

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'xueji-ipc-'));
  await mkdir(path.join(base, 'Documents'), { recursive: true });
  await mkdir(path.join(base, 'tmp'), { recursive: true });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const archive = () => path.join(base, 'Documents', ARCHIVE_FOLDER_NAME);

describe('handler table', () => {
  it('has exactly one handler per allow-listed channel', () => {
    const { deps } = fakeDeps('/nowhere');
    expect(Object.keys(createHandlers(deps)).sort()).toEqual([...CHANNEL_ALLOW_LIST].sort());
  });
});

describe('app:info (Electron mocked)', () => {
  it('reports version, platform, userData and the archive root', async () => {
    const { deps } = fakeDeps(base);
    const info = await createHandlers(deps)[CHANNELS.appInfo](undefined);
    expect(info).toMatchObject({
      host: 'electron',
      version: '0.1.0',
      platform: 'linux',
      userDataPath: path.join(base, 'userData'),
      archiveRoot: archive(),
    });
  });
});

describe('pdf:save (Electron mocked: documents folder)', () => {
  const save = (deps: ShellDeps, args: unknown) =>
    createHandlers(deps)[CHANNELS.pdfSave](args) as Promise<BridgeResult<SavedPdf>>;

  it('writes the PDF to <Documents>/学籍档案/<school>/<sub folder>/<name>.pdf and returns the path', async () => {
    const { deps } = fakeDeps(base);
    const r = await save(deps, {
      schoolName: '郑州市第一职业中等专业学校',
      subFolder: '学籍档案目录/2025级',
      fileName: '学籍档案目录-张三',
      bytes: PDF,
    });
    const expected = path.join(
      archive(),
      '郑州市第一职业中等专业学校',
      '学籍档案目录',
      '2025级',
      '学籍档案目录-张三.pdf',
    );
    expect(r).toEqual({ ok: true, value: { path: expected, fileName: '学籍档案目录-张三.pdf' } });
    expect(new Uint8Array(await readFile(expected))).toEqual(PDF);
  });

  it('never overwrites: a second save of the same name becomes "… (2).pdf", and no temp file is left', async () => {
    const { deps } = fakeDeps(base);
    const args = { schoolName: '一中', fileName: '变更申请表.pdf', bytes: PDF };
    const first = await save(deps, args);
    const second = await save(deps, { ...args, bytes: new TextEncoder().encode('%PDF-1.7 second') });
    expect(first.ok && first.value.fileName).toBe('变更申请表.pdf');
    expect(second.ok && second.value.fileName).toBe('变更申请表 (2).pdf');
    const files = (await readdir(path.join(archive(), '一中'))).sort();
    expect(files).toEqual(['变更申请表 (2).pdf', '变更申请表.pdf']);
    expect(await readFile(path.join(archive(), '一中', '变更申请表.pdf'), 'utf8')).toContain('trailer');
  });

  it('keeps hostile school, folder and file names inside the archive folder', async () => {
    const { deps } = fakeDeps(base);
    const r = await save(deps, { schoolName: '../../../escape', fileName: '..\\..\\CON', bytes: PDF });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const saved = r.value.path ?? '';
    expect(saved.startsWith(archive() + path.sep)).toBe(true);
    expect(r.value.fileName).toBe('_.._CON.pdf');
    expect(path.relative(archive(), saved)).toBe(path.join('_.._.._escape', '_.._CON.pdf'));
    await expect(readdir(path.join(base, 'escape'))).rejects.toThrow();
  });

  it.each([
    [{ schoolName: '一中', fileName: 'a', bytes: new TextEncoder().encode('<html>not a pdf') }, '不是 PDF'],
    [{ schoolName: '一中', fileName: 'a', bytes: new Uint8Array() }, 'PDF 内容为空'],
    [{ schoolName: '一中', fileName: 'a', bytes: 'JVBERi0=' }, '不是二进制数据'],
    [{ schoolName: '', fileName: 'a', bytes: PDF }, '学校名称不能为空'],
    [{ schoolName: '...', fileName: 'a', bytes: PDF }, '学校名称'],
    [{ schoolName: '一中', fileName: '  ', bytes: PDF }, '文件名不能为空'],
    [{ schoolName: '一中', subFolder: '../..', fileName: 'a', bytes: PDF }, '子文件夹名称'],
    [{ schoolName: '一中', subFolder: 'a/b/c/d', fileName: 'a', bytes: PDF }, '层级过多'],
    [null, '参数无效'],
    ['pdf:save', '参数无效'],
  ])('refuses bad arguments with a Chinese message (%#)', async (args, text) => {
    const { deps } = fakeDeps(base);
    const r = await save(deps, args);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('invalid-argument');
      expect(r.message).toContain(text);
    }
    await expect(readdir(archive())).rejects.toThrow(); // nothing written
  });

  it('reports a disk error in Chinese and leaves no temp file behind', async () => {
    // The archive root exists as a FILE, so the school folder cannot be created.
    await writeFile(archive(), 'not a folder');
    const { deps } = fakeDeps(base);
    const r = await save(deps, { schoolName: '一中', fileName: 'a', bytes: PDF });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('io-error');
      expect(r.message).toMatch(/^保存 PDF 失败/);
    }
  });
});

describe('pdf:print (Electron mocked: hidden print window)', () => {
  const print = (deps: ShellDeps, args: unknown) =>
    createHandlers(deps)[CHANNELS.pdfPrint](args) as Promise<BridgeResult<PrintOutcome>>;

  it('hands the printer a temp copy of exactly these bytes, then deletes it', async () => {
    const { deps, calls } = fakeDeps(base);
    const r = await print(deps, { bytes: PDF, title: '学籍异动审批表 李四' });
    expect(r).toEqual({ ok: true, value: { printed: true } });
    expect(calls.print).toHaveLength(1);
    const job = calls.print[0];
    expect(new Uint8Array(job?.bytes ?? [])).toEqual(PDF);
    expect(job?.title).toBe('学籍异动审批表 李四');
    expect(job?.file.endsWith('学籍异动审批表 李四.pdf')).toBe(true);
    expect(await readdir(path.join(base, 'tmp'))).toEqual([]);
  });

  it('maps a cancelled dialog to "cancelled" and a printer failure to an io-error, cleaning up both times', async () => {
    const cancelled = fakeDeps(base, {
      printPdfFile: async () => ({ success: false, cancelled: true, failureReason: 'cancelled' }),
    });
    expect(await print(cancelled.deps, { bytes: PDF })).toEqual({
      ok: false,
      reason: 'cancelled',
      message: '已取消打印。',
    });
    const failed = fakeDeps(base, {
      printPdfFile: async () => ({ success: false, cancelled: false, failureReason: 'Print job failed' }),
    });
    const r = await print(failed.deps, { bytes: PDF });
    expect(r).toEqual({ ok: false, reason: 'io-error', message: '打印失败：Print job failed。' });
    const thrower = fakeDeps(base, {
      printPdfFile: async () => {
        throw new Error('window crashed');
      },
    });
    expect(await print(thrower.deps, { bytes: PDF })).toMatchObject({ ok: false, reason: 'io-error' });
    expect(await readdir(path.join(base, 'tmp'))).toEqual([]);
  });

  it('refuses bytes that are not a PDF before touching the printer', async () => {
    const { deps, calls } = fakeDeps(base);
    const r = await print(deps, { bytes: new TextEncoder().encode('<script>') });
    expect(r).toMatchObject({ ok: false, reason: 'invalid-argument' });
    expect(calls.print).toHaveLength(0);
  });
});

describe('pdf:preview (Electron mocked: viewer window)', () => {
  const preview = (deps: ShellDeps, args: unknown) =>
    createHandlers(deps)[CHANNELS.pdfPreview](args) as Promise<BridgeResult<{ opened: true }>>;

  it('shows a temp copy of the PDF and deletes it only when the window closes', async () => {
    const { deps, calls } = fakeDeps(base);
    expect(await preview(deps, { bytes: PDF, title: '学籍档案目录 · 张三' })).toEqual({
      ok: true,
      value: { opened: true },
    });
    const shown = calls.preview[0];
    expect(new Uint8Array(shown?.bytes ?? [])).toEqual(PDF);
    expect(shown?.title).toBe('学籍档案目录 · 张三');
    expect(await readdir(path.join(base, 'tmp'))).toHaveLength(1); // still open: the viewer reads it
    shown?.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await readdir(path.join(base, 'tmp'))).toEqual([]);
  });

  it('cleans up when the window cannot be opened, and refuses non-PDF bytes', async () => {
    const { deps } = fakeDeps(base, {
      showPdfWindow: async () => {
        throw new Error('ERR_FILE_NOT_FOUND');
      },
    });
    expect(await preview(deps, { bytes: PDF })).toMatchObject({
      ok: false,
      reason: 'io-error',
      message: expect.stringContaining('无法打开预览'),
    });
    expect(await readdir(path.join(base, 'tmp'))).toEqual([]);
    expect(await preview(deps, { bytes: new Uint8Array([1]) })).toMatchObject({
      ok: false,
      reason: 'invalid-argument',
    });
  });
});

describe('file:open (Electron mocked: open dialog)', () => {
  const open = (deps: ShellDeps, args?: unknown) =>
    createHandlers(deps)[CHANNELS.fileOpen](args) as Promise<BridgeResult<OpenedFile>>;

  it('returns the chosen roster’s name, kind and bytes', async () => {
    const file = path.join(base, '花名册.xlsx');
    await writeFile(file, XLSX);
    const { deps, calls } = fakeDeps(base, {
      showOpenDialog: async (o) => {
        calls.open.push(o);
        return { canceled: false, filePaths: [file] };
      },
    });
    const r = await open(deps, { title: '导入花名册' });
    expect(r).toEqual({ ok: true, value: { name: '花名册.xlsx', kind: 'xlsx', bytes: XLSX } });
    expect(calls.open[0]).toMatchObject({
      title: '导入花名册',
      filters: [
        { name: '花名册 (*.xlsx, *.csv)', extensions: ['xlsx', 'csv'] },
        { extensions: ['xlsx'] },
        { extensions: ['csv'] },
      ],
    });
  });

  it('reads CSV, and offers only the kinds asked for', async () => {
    const file = path.join(base, 'roster.CSV');
    await writeFile(file, '姓名,身份证件号\n张三,110101200501011234\n');
    const { deps, calls } = fakeDeps(base, {
      showOpenDialog: async (o) => {
        calls.open.push(o);
        return { canceled: false, filePaths: [file] };
      },
    });
    const r = await open(deps, { kinds: ['csv'] });
    expect(r.ok && r.value.kind).toBe('csv');
    expect(r.ok && new TextDecoder().decode(r.value.bytes)).toContain('张三');
    expect(calls.open[0]).toMatchObject({ filters: [{ extensions: ['csv'] }] });
  });

  it('cancel, wrong kind, empty file, fake xlsx and a folder each get their own Chinese message', async () => {
    const cancelled = fakeDeps(base);
    expect(await open(cancelled.deps)).toEqual({ ok: false, reason: 'cancelled', message: '未选择文件。' });

    const pick = (p: string) =>
      fakeDeps(base, { showOpenDialog: async () => ({ canceled: false, filePaths: [p] }) }).deps;
    await writeFile(path.join(base, 'a.txt'), 'x');
    expect(await open(pick(path.join(base, 'a.txt')))).toMatchObject({
      ok: false,
      message: expect.stringContaining('不是 xlsx 或 csv 文件'),
    });
    await writeFile(path.join(base, 'empty.csv'), '');
    expect(await open(pick(path.join(base, 'empty.csv')))).toMatchObject({
      ok: false,
      message: '文件“empty.csv”是空的。',
    });
    await writeFile(path.join(base, 'fake.xlsx'), 'this is text');
    expect(await open(pick(path.join(base, 'fake.xlsx')))).toMatchObject({
      ok: false,
      message: expect.stringContaining('不是有效的 Excel'),
    });
    await mkdir(path.join(base, 'dir.csv'));
    expect(await open(pick(path.join(base, 'dir.csv')))).toMatchObject({
      ok: false,
      message: '“dir.csv”不是文件。',
    });
    expect(await open(pick(path.join(base, 'gone.csv')))).toMatchObject({ ok: false, reason: 'io-error' });
  });

  it('refuses unknown kinds in the request', async () => {
    const { deps } = fakeDeps(base);
    expect(await open(deps, { kinds: ['exe'] })).toMatchObject({ ok: false, reason: 'invalid-argument' });
    expect(await open(deps, { kinds: [] })).toMatchObject({ ok: false, reason: 'invalid-argument' });
  });
});

describe('file:save (Electron mocked: save dialog)', () => {
  const saveFile = (deps: ShellDeps, args: unknown) =>
    createHandlers(deps)[CHANNELS.fileSave](args) as Promise<BridgeResult<SavedFile>>;

  it('proposes a sanitised name in Documents and writes where the user chose', async () => {
    const target = path.join(base, 'out', '花名册导出.xlsx');
    await mkdir(path.dirname(target));
    const { deps, calls } = fakeDeps(base, {
      showSaveDialog: async (o) => {
        calls.save.push(o);
        return { canceled: false, filePath: target };
      },
    });
    const r = await saveFile(deps, {
      suggestedName: '花名册/2025',
      kind: 'xlsx',
      bytes: XLSX,
      title: '导出花名册',
    });
    expect(r).toEqual({ ok: true, value: { path: target, fileName: '花名册导出.xlsx' } });
    expect(calls.save[0]).toMatchObject({
      title: '导出花名册',
      defaultPath: path.join(base, 'Documents', '花名册_2025.xlsx'),
      filters: [{ extensions: ['xlsx'] }],
    });
    expect(new Uint8Array(await readFile(target))).toEqual(XLSX);
    expect(await readdir(path.dirname(target))).toEqual(['花名册导出.xlsx']);
  });

  it('adds the extension when the user typed a name without it', async () => {
    const typed = path.join(base, '导出');
    const { deps } = fakeDeps(base, { showSaveDialog: async () => ({ canceled: false, filePath: typed }) });
    const r = await saveFile(deps, {
      suggestedName: 'x',
      kind: 'csv',
      bytes: new TextEncoder().encode('a,b'),
    });
    expect(r.ok && r.value.path).toBe(`${typed}.csv`);
  });

  it('cancel writes nothing; a non-PDF with kind pdf is refused', async () => {
    const { deps } = fakeDeps(base);
    expect(
      await saveFile(deps, { suggestedName: 'x', kind: 'csv', bytes: new Uint8Array([1]) }),
    ).toMatchObject({
      ok: false,
      reason: 'cancelled',
    });
    expect(
      await saveFile(deps, { suggestedName: 'x', kind: 'pdf', bytes: new Uint8Array([1]) }),
    ).toMatchObject({
      ok: false,
      reason: 'invalid-argument',
    });
    expect(
      await saveFile(deps, { suggestedName: 'x', kind: 'exe', bytes: new Uint8Array([1]) }),
    ).toMatchObject({
      ok: false,
      message: '不支持的导出类型“exe”。',
    });
  });
});

describe('archive:open-folder (Electron mocked: shell.openPath)', () => {
  const openFolder = (deps: ShellDeps, args: unknown) =>
    createHandlers(deps)[CHANNELS.archiveOpenFolder](args) as Promise<BridgeResult<{ path: string }>>;

  it('creates and opens the school’s folder', async () => {
    const { deps, calls } = fakeDeps(base);
    const r = await openFolder(deps, { schoolName: '郑州一中' });
    const dir = path.join(archive(), '郑州一中');
    expect(r).toEqual({ ok: true, value: { path: dir } });
    expect(calls.openPath).toEqual([dir]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports the shell’s error and refuses traversal', async () => {
    const { deps } = fakeDeps(base, { openPath: async () => 'No application is associated' });
    expect(await openFolder(deps, { schoolName: '一中' })).toMatchObject({
      ok: false,
      reason: 'io-error',
      message: expect.stringContaining('No application is associated'),
    });
    const ok = fakeDeps(base);
    const r = await openFolder(ok.deps, { schoolName: '../..' });
    expect(r).toMatchObject({ ok: false, reason: 'invalid-argument' });
    expect(ok.calls.openPath).toEqual([]);
  });
});
