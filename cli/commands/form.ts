// `xueji form list` and `xueji form render <formId> --data FILE.json --out FILE.pdf`.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  FONT_FILES,
  FORMS,
  FormDataError,
  type FormFonts,
  formById,
  missingCharactersMessage,
  renderForm,
  sampleDataPath,
} from '../../shared/forms/index';
import { type CliIo, parseFlags } from '../io';

const require = createRequire(import.meta.url);
let fontsPromise: Promise<FormFonts> | undefined;

/** The shipped Noto Serif SC fonts from node_modules, read once per process. */
export function loadFormFonts(): Promise<FormFonts> {
  fontsPromise ??= (async () => {
    const [regular, bold] = await Promise.all([
      readFile(require.resolve(FONT_FILES.regular)),
      readFile(require.resolve(FONT_FILES.bold)),
    ]);
    return { regular, bold };
  })();
  return fontsPromise;
}

export async function readJsonFile(path: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.err(`无法读取数据文件 ${path}：${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    io.err(`数据文件 ${path} 不是有效的 JSON：${(error as Error).message}`);
    return undefined;
  }
}

export async function formCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const [sub, formId] = flags.positional;
  if (sub === 'list') {
    for (const f of FORMS) io.out(`${f.id} ${sampleDataPath(f.id)} ${f.title}`);
    return 0;
  }
  if (sub !== 'render') {
    io.err('用法：xueji form list | xueji form render <表单> --data 数据.json --out 输出.pdf');
    return 2;
  }
  const def = formId ? formById(formId) : undefined;
  if (!def) {
    io.err(`未知表单：${formId ?? '（未指定）'}；可用的表单：${FORMS.map((f) => f.id).join('、')}`);
    return 2;
  }
  const dataPath = flags.get('data');
  const out = flags.get('out');
  if (!dataPath || !out) {
    io.err('请用 --data 指定数据文件，用 --out 指定输出的 PDF 文件');
    return 2;
  }
  const data = await readJsonFile(dataPath, io);
  if (data === undefined) return 2;
  try {
    const result = await renderForm(def, data, await loadFormFonts(), { clock: () => new Date() });
    if (result.missing.length > 0) io.err(missingCharactersMessage(result.missing));
    await writeFile(out, result.bytes);
    io.out(
      `已生成《${def.title}》：${out}（${result.pageCount} 页，${Math.round(result.bytes.length / 1024)} KB，记录编号 ${result.sections[0]?.recordId}）`,
    );
    return 0;
  } catch (error) {
    if (error instanceof FormDataError) {
      io.err(`${def.title}：${error.message}`);
      return 1;
    }
    throw error;
  }
}
