// `xueji verify-form FILE.pdf --data FILE.json`: does this printed form match that record? Recomputes the
// content hash from the data and compares it with the record ID and hash in the PDF's metadata (the same
// ones its QR codes carry). Exit 0 match, 1 mismatch, 2 unreadable.
import { readFile } from 'node:fs/promises';
import {
  contentHash,
  FormDataError,
  formById,
  PdfReadError,
  readPdfInfo,
  stampFromInfo,
  validateFormData,
} from '../../shared/forms/index';
import { type CliIo, parseFlags } from '../io';
import { readJsonFile } from './form';

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
  let stamp: ReturnType<typeof stampFromInfo>;
  try {
    stamp = stampFromInfo(readPdfInfo(bytes));
  } catch (error) {
    if (error instanceof PdfReadError) {
      io.err(`无法读取 ${pdfPath}：${error.message}`);
      return 2;
    }
    throw error;
  }
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
  let hash: string;
  let recordId: string;
  try {
    const valid = validateFormData(def, data);
    hash = contentHash(def.id, valid);
    recordId = valid.recordId;
  } catch (error) {
    if (error instanceof FormDataError) {
      io.out(
        `不一致：PDF 是《${def.title}》（记录 ${stamp.recordId}），数据文件不是这张表的有效数据（${error.message}）`,
      );
      return 1;
    }
    throw error;
  }
  if (recordId !== stamp.recordId) {
    io.out(`不一致：PDF 是记录 ${stamp.recordId} 的《${def.title}》，数据文件是记录 ${recordId}`);
    return 1;
  }
  if (hash !== stamp.hash) {
    io.out(
      `不一致：PDF《${def.title}》（记录 ${recordId}）打印的内容与数据文件不同，可能数据已改动或纸质件不是这一版`,
    );
    io.out(`  PDF 内容校验码：${stamp.hash}`);
    io.out(`  数据内容校验码：${hash}`);
    return 1;
  }
  io.out(`一致：PDF《${def.title}》与记录 ${recordId} 的数据相符（内容校验码 ${hash.slice(0, 16)}…）`);
  return 0;
}
