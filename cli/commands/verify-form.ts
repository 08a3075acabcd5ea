// `xueji verify-form FILE.pdf --data FILE.json`: does this printed form say what that record says?
// Two checks: the record ID and content hash the PDF carries (its metadata, the same its QR codes carry)
// against the data, and — what a person reads — the text on every page against the text the record puts
// there (the form re-rendered from the data, compared by shared/forms/verify.ts), naming each difference.
// A PDF re-saved by another tool without changes still verifies. Exit 0 match, 1 mismatch, 2 unreadable.
import { readFile } from 'node:fs/promises';
import {
  contentHash,
  FormDataError,
  type FormStamp,
  formById,
  PdfReadError,
  readPdfInfo,
  renderForm,
  stampFromInfo,
  validateFormData,
  verifyFormText,
} from '../../shared/forms/index';
import { type CliIo, parseFlags } from '../io';
import { PdfTextError, readPdfContent } from '../pdf-text';
import { loadFormFonts, readJsonFile } from './form';

export async function verifyFormCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const [pdfPath] = flags.positional;
  const dataPath = flags.get('data');
  if (!pdfPath || !dataPath) {
    io.err('用法：xueji verify-form 表单.pdf --data 数据.json');
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(pdfPath);
  } catch (error) {
    io.err(`无法读取 PDF 文件 ${pdfPath}：${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return 2;
  }
  let stamp: FormStamp | undefined;
  try {
    stamp = stampFromInfo(readPdfInfo(bytes));
  } catch (error) {
    if (!(error instanceof PdfReadError)) throw error;
    if (!String.fromCharCode(...bytes.subarray(0, 5)).startsWith('%PDF')) {
      io.err(`无法读取 ${pdfPath}：${error.message}`);
      return 2;
    }
  }
  let content: Awaited<ReturnType<typeof readPdfContent>>;
  try {
    content = await readPdfContent(bytes);
  } catch (error) {
    if (error instanceof PdfTextError) {
      io.err(`无法读取 ${pdfPath}：${error.message}`);
      return 2;
    }
    throw error;
  }
  // A tool that rewrote the file (object streams) hides /Info from the small reader; pdfjs still reads it.
  stamp ??= stampFromInfo(content.info);
  if (!stamp) {
    io.err(`${pdfPath} 中没有学籍桌面端的表单标记（记录编号和内容校验码），无法核验`);
    return 2;
  }
  const def = formById(stamp.formId);
  if (!def) {
    io.err(`${pdfPath} 标明的表单类型“${stamp.formId}”本软件不认识`);
    return 2;
  }
  const data = await readJsonFile(dataPath, io);
  if (data === undefined) return 2;
  let valid: ReturnType<typeof validateFormData>;
  try {
    valid = validateFormData(def, data);
  } catch (error) {
    if (error instanceof FormDataError) {
      io.out(
        `不一致：PDF 是《${def.title}》（记录 ${stamp.recordId}），数据文件不是这张表的有效数据（${error.message}）`,
      );
      return 1;
    }
    throw error;
  }
  const hash = contentHash(def.id, valid);
  if (valid.recordId !== stamp.recordId) {
    io.out(`不一致：PDF 是记录 ${stamp.recordId} 的《${def.title}》，数据文件是记录 ${valid.recordId}`);
    return 1;
  }
  // What a person reads: the text the record puts on each page against the PDF's pages.
  const expected = await renderForm(def, valid, await loadFormFonts(), { clock: () => new Date(0) });
  const text = verifyFormText(expected.pageTexts, content.pages);
  if (hash !== stamp.hash || !text.match) {
    io.out(
      hash !== stamp.hash
        ? `不一致：PDF《${def.title}》（记录 ${valid.recordId}）打印的内容与数据文件不同，可能数据已改动或纸质件不是这一版`
        : `不一致：PDF《${def.title}》（记录 ${valid.recordId}）页面上的文字与记录不同：PDF 中的校验码与记录相符，但页面内容被改动过或已损坏`,
    );
    for (const d of text.differences) io.out(`  ${d.message}`);
    if (hash !== stamp.hash) {
      io.out(`  PDF 内容校验码：${stamp.hash}`);
      io.out(`  数据内容校验码：${hash}`);
    }
    return 1;
  }
  io.out(
    `一致：PDF《${def.title}》与记录 ${valid.recordId} 的数据相符：${content.pages.length} 页的文字与记录一致，内容校验码 ${hash.slice(0, 16)}…`,
  );
  return 0;
}
