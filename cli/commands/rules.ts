// `xueji rules list [--json]` and `xueji rules check [--case] FILE.json [--overrides FILE.json]`
// (docs/rules.md). check prints exactly {"allowed", "findings": [{rule, level, message, due?}]} on stdout,
// calendar warnings on stderr; exit 0 when the case was evaluated (allowed or not), 2 when the case file
// cannot be read or is invalid (a Chinese message naming the field).
import type { CalendarOverride } from '../../shared/calendar/calendar';
import { CaseError, checkOutput, evaluateCase, parseRuleCase } from '../../shared/rules/case';
import { REGULATIONS, RULES, sourceLabel, sourceLong } from '../../shared/rules/registry';
import { RULE_SETTING_BY_KEY, UNIT_LABELS, validateCalendarOverrides } from '../../shared/rules/settings';
import { LEVEL_LABELS } from '../../shared/rules/types';
import { type CliIo, parseFlags } from '../io';
import { readJsonFile } from './form';

const USAGE = [
  '用法：xueji rules list [--json]                     列出全部规则（编号、名称、依据、原文、级别、设置）',
  '      xueji rules check [--case] 案例.json           按规则检查一个案例，输出 {"allowed","findings"}',
];

/** The registry as `rules list --json` prints it. */
export function rulesJson() {
  return RULES.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    level: r.level,
    source: {
      file: REGULATIONS[r.source.doc].file,
      doc: r.source.doc,
      section: r.source.section,
      heading: r.source.heading,
    },
    clause: r.clause,
    ...(r.related
      ? {
          related: r.related.map((x) => ({
            source: {
              file: REGULATIONS[x.source.doc].file,
              doc: x.source.doc,
              section: x.source.section,
              heading: x.source.heading,
            },
            clause: x.clause,
          })),
        }
      : {}),
    settings: r.settings.map((k) => {
      const d = RULE_SETTING_BY_KEY.get(k);
      return {
        key: k,
        label: d?.label,
        unit: d?.unit,
        default: d?.default,
        ...(d?.note ? { note: d.note } : {}),
      };
    }),
    applies: r.applies,
    ...(r.enforcedBy ? { enforcedBy: r.enforcedBy } : {}),
  }));
}

function listText(io: CliIo): void {
  for (const r of RULES) {
    io.out(`${r.id}  ${r.title}  〔${LEVEL_LABELS[r.level]}〕  ${sourceLabel(r.source)}`);
    io.out(`  依据：${sourceLong(r.source)}`);
    io.out(`  原文：“${r.clause}”`);
    for (const x of r.related ?? []) io.out(`  另见：${sourceLabel(x.source)}“${x.clause}”`);
    io.out(`  适用：${r.applies}`);
    if (r.enforcedBy) io.out(`  落实：${r.enforcedBy}`);
    if (r.settings.length > 0)
      io.out(
        `  设置：${r.settings
          .map((k) => {
            const d = RULE_SETTING_BY_KEY.get(k);
            return d
              ? `${d.label} ${d.default}${d.unit === 'monthDay' ? '' : ` ${UNIT_LABELS[d.unit]}`}（${k}）`
              : k;
          })
          .join('；')}`,
      );
  }
}

export async function rulesCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const [sub, ...extra] = flags.positional;
  if (sub === 'list' && extra.length === 0) {
    if (flags.get('json') === 'true') io.out(JSON.stringify(rulesJson(), null, 2));
    else listText(io);
    return 0;
  }
  if (sub !== 'check' || extra.length > 1) {
    if (sub && sub !== 'check' && sub !== 'list') io.err(`未知的子命令：${sub}`);
    for (const line of USAGE) io.err(line);
    return 2;
  }
  // the case file: `--case FILE` or, as most commands take their file, `check FILE`
  const named = flags.get('case');
  if (named !== undefined && extra.length > 0) {
    io.err(`案例文件只能给一个：--case ${named} 与 ${extra[0]}`);
    return 2;
  }
  const file = named ?? extra[0];
  if (!file || file === 'true') {
    io.err('缺少 --case 案例文件（JSON，格式见 docs/rules.md）');
    for (const line of USAGE) io.err(line);
    return 2;
  }
  const raw = await readJsonFile(file, io);
  if (raw === undefined) return 2;
  let local: CalendarOverride[] | undefined;
  const overrides = flags.get('overrides');
  if (overrides !== undefined) {
    const o = overrides === 'true' ? undefined : await readJsonFile(overrides, io);
    const v = validateCalendarOverrides(o, overrides);
    if (!v.ok) {
      io.err(`调整文件有误：${v.problems[0]?.field}：${v.problems[0]?.message}`);
      return 2;
    }
    local = v.value;
  }
  let parsed: ReturnType<typeof parseRuleCase>;
  try {
    parsed = parseRuleCase(raw);
  } catch (error) {
    if (error instanceof CaseError) {
      io.err(`案例文件 ${file} 有误：${error.message}`);
      return 2;
    }
    throw error;
  }
  const result = evaluateCase(parsed, local ? { local } : {});
  io.out(JSON.stringify(checkOutput(result), null, 2));
  for (const w of result.warnings) io.err(`警告：${w}`);
  return 0;
}
