// `xueji validate FILE [--json]`: steps 1–2 of the roster import (read cells as text, validate each
// row as a new student, duplicates inside the file) without a database. Exit 0 all valid, 1 any row
// invalid or a required column missing, 2 the file itself cannot be read. `--today YYYY-MM-DD` sets the
// day the birth dates are checked against (default: today).
import { parseRosterFile, summarize } from '../../shared/import/parse';
import { formatLabel, UnreadableFileError } from '../../shared/import/read';
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

/** The machine's calendar day: the birth-date rules run against the day of the person at the desk. */
function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const file = flags.positional[0];
  const json = flags.get('json') === 'true';
  if (!file) {
    io.err('用法：xueji validate 文件.xlsx|.xls|.ods|.csv [--json]');
    return 2;
  }
  let read: Awaited<ReturnType<typeof readRosterFile>>;
  try {
    read = await readRosterFile(file);
  } catch (error) {
    io.err(`无法读取文件：${error instanceof UnreadableFileError ? error.message : String(error)}`);
    return 2;
  }
  if (read.sheets.every((s) => s.rows.every((r) => r.every((c) => c === null || String(c).trim() === '')))) {
    io.err(`无法读取文件：${file} 是空的，没有表头也没有数据`);
    return 2;
  }
  const today = flags.get('today') ?? localToday();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    io.err('--today 应为日期 YYYY-MM-DD');
    return 2;
  }
  const sheet = parseRosterFile(read, { today });
  const summary = summarize(sheet);
  const failed = sheet.blocked || summary.valid < summary.rows;
  if (json) {
    io.out(
      JSON.stringify({
        rows: summary.rows,
        valid: summary.valid,
        errors: summary.errors,
        notices: sheet.notices,
        ...(sheet.sheetName !== undefined ? { sheet: sheet.sheetName } : {}),
      }),
    );
    return failed ? 1 : 0;
  }
  io.out(
    `文件：${file}（${formatLabel(read.format)}${sheet.sheetName ? `，工作表“${sheet.sheetName}”` : ''}）`,
  );
  for (const n of sheet.notices) io.out(`提示：${n.message}`);
  io.out(
    `数据行 ${summary.rows} 行，有效 ${summary.valid} 行，无效 ${summary.rows - summary.valid} 行，问题 ${summary.errors.length} 条`,
  );
  if (summary.errors.length > 0) for (const line of errorTable(summary.errors)) io.out(line);
  else io.out('全部通过校验。');
  return failed ? 1 : 0;
}
