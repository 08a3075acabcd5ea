// `xueji validate FILE [--json]`: steps 1–2 of the roster import (read cells as text, validate each
// row, duplicates inside the file) without a database. Exit 0 all valid, 1 any row invalid or a
// required column missing, 2 the file itself cannot be read.
import { parseRosterSheet, summarize } from '../../shared/import/parse';
import { UnreadableFileError } from '../../shared/import/read';
import type { ImportError } from '../../shared/import/types';
import { type CliIo, parseFlags } from '../io';
import { readRosterFile } from '../xlsx';

/** Display width in a terminal: CJK and full-width characters take two cells. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

function pad(text: string, w: number): string {
  return text + ' '.repeat(Math.max(0, w - width(text)));
}

export function errorTable(errors: readonly ImportError[]): string[] {
  const head = ['行', '列', '代码', '原因'];
  const body = errors.map((e) => [String(e.row), e.column, e.code, e.message]);
  const widths = [0, 1, 2].map((i) => Math.max(width(head[i] ?? ''), ...body.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 3 ? pad(c, widths[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w)).concat('----')), ...body.map(line)];
}

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const file = flags.positional[0];
  const json = flags.get('json') === 'true';
  if (!file) {
    io.err('用法：xueji validate 文件.xlsx|文件.csv [--json]');
    return 2;
  }
  let read: Awaited<ReturnType<typeof readRosterFile>>;
  try {
    read = await readRosterFile(file);
  } catch (error) {
    io.err(`无法读取文件：${error instanceof UnreadableFileError ? error.message : String(error)}`);
    return 2;
  }
  if (read.rows.every((r) => r.every((c) => c === null || String(c).trim() === ''))) {
    io.err(`无法读取文件：${file} 是空的，没有表头也没有数据`);
    return 2;
  }
  const sheet = parseRosterSheet(read.rows, { encoding: read.encoding });
  const summary = summarize(sheet);
  const failed = sheet.blocked || summary.valid < summary.rows;
  if (json) {
    io.out(JSON.stringify({ rows: summary.rows, valid: summary.valid, errors: summary.errors }));
    return failed ? 1 : 0;
  }
  io.out(`文件：${file}（${read.encoding === 'xlsx' ? 'Excel 工作簿' : `CSV，编码 ${read.encoding}`}）`);
  io.out(
    `数据行 ${summary.rows} 行，有效 ${summary.valid} 行，无效 ${summary.rows - summary.valid} 行，问题 ${summary.errors.length} 条`,
  );
  if (summary.errors.length > 0) for (const line of errorTable(summary.errors)) io.out(line);
  else io.out('全部通过校验。');
  return failed ? 1 : 0;
}
