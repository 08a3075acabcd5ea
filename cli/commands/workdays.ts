// `xueji workdays add <date> <N>`, `workdays between <from> <to>`, `workdays is <date>` (docs/rules.md):
// the bare answer on stdout (`--json` for details), calendar warnings on stderr naming the unknown year.
// `--overrides FILE.json` adds a local override layer ([{date, kind, note}]). Exit 0 answered, 2 bad input.
import {
  addWorkdays,
  type CalendarAnswer,
  type CalendarOverride,
  dayInfo,
  isWorkday,
  LAYER_LABELS,
  makeCalendar,
  type WorkCalendar,
  workdaysBetween,
} from '../../shared/calendar/calendar';
import { dayNumber } from '../../shared/calendar/dates';
import { validateCalendarOverrides } from '../../shared/rules/settings';
import { type CliIo, parseFlags } from '../io';
import { readJsonFile } from './form';

const USAGE = [
  '用法：xueji workdays add <YYYY-MM-DD> <N> [--json]      第 N 个工作日（从次日起算）',
  '      xueji workdays between <起> <止> [--json]          起日之后到止日（含）的工作日数',
  '      xueji workdays is <YYYY-MM-DD> [--json]            是否工作日（是/否）',
  '      以上均可加 --overrides 调整.json（本机临时调整：[{"date","kind":"workday|holiday","note"}]）',
];

function usage(io: CliIo, problem?: string): number {
  if (problem) io.err(problem);
  for (const line of USAGE) io.err(line);
  return 2;
}

function dateArg(value: string | undefined, what: string): string | { problem: string } {
  if (value === undefined) return { problem: `缺少${what}` };
  return dayNumber(value) === null ? { problem: `${what}“${value}”不是有效日期（应为 YYYY-MM-DD）` } : value;
}

async function calendarFrom(flags: Map<string, string>, io: CliIo): Promise<WorkCalendar | null> {
  const file = flags.get('overrides');
  if (file === undefined) return makeCalendar();
  if (file === 'true') {
    io.err('--overrides 后应给出调整文件（JSON）');
    return null;
  }
  const raw = await readJsonFile(file, io);
  if (raw === undefined) return null;
  const v = validateCalendarOverrides(raw, file);
  if (!v.ok) {
    for (const p of v.problems) io.err(`调整文件有误：${p.field}：${p.message}`);
    return null;
  }
  return makeCalendar({ local: v.value as CalendarOverride[] });
}

function warn(io: CliIo, answer: CalendarAnswer<unknown>): void {
  for (const w of answer.warnings) io.err(`警告：${w}`);
}

export async function workdaysCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const [sub, a, b, ...extra] = flags.positional;
  const json = flags.get('json') === 'true';
  if (!sub || !['add', 'between', 'is'].includes(sub))
    return usage(io, sub ? `未知的子命令：${sub}` : undefined);
  if (extra.length > 0) return usage(io, `多余的参数：${extra.join(' ')}`);
  const cal = await calendarFrom(flags, io);
  if (!cal) return 2;

  if (sub === 'add') {
    const date = dateArg(a, '起始日期');
    if (typeof date !== 'string') return usage(io, date.problem);
    if (b === undefined || !/^-?\d{1,4}$/.test(b) || Math.abs(Number(b)) > 2000)
      return usage(io, `工作日数应为 -2000 到 2000 之间的整数，现为“${b ?? '（未给出）'}”`);
    const n = Number(b);
    const r = addWorkdays(cal, date, n);
    io.out(json ? JSON.stringify({ date, workdays: n, due: r.value, ...details(r) }) : r.value);
    warn(io, r);
    return 0;
  }
  if (sub === 'between') {
    const from = dateArg(a, '起日');
    if (typeof from !== 'string') return usage(io, from.problem);
    const to = dateArg(b, '止日');
    if (typeof to !== 'string') return usage(io, to.problem);
    const r = workdaysBetween(cal, from, to);
    io.out(json ? JSON.stringify({ from, to, workdays: r.value, ...details(r) }) : String(r.value));
    warn(io, r);
    return 0;
  }
  const date = dateArg(a, '日期');
  if (typeof date !== 'string') return usage(io, date.problem);
  if (b !== undefined) return usage(io, `多余的参数：${b}`);
  const r = isWorkday(cal, date);
  const info = dayInfo(cal, date);
  io.out(
    json
      ? JSON.stringify({
          date,
          workday: r.value,
          kind: info.kind,
          ...(info.note ? { note: info.note } : {}),
          ...(info.layer ? { source: LAYER_LABELS[info.layer] } : {}),
          ...details(r),
        })
      : r.value
        ? '是'
        : '否',
  );
  warn(io, r);
  return 0;
}

function details(r: CalendarAnswer<unknown>) {
  return { uncertain: r.uncertain, unknownYears: r.unknownYears, warnings: r.warnings };
}
