// `xueji draw --objects O.json --inspectors I.json (--ratio R | --count N) --per-object K --seed S` prints
// the 双随机 draw as JSON {"seed", "inputsHash", "draws"}; the same files and seed print the same bytes.
// `xueji draw --verify RESULT.json --objects O.json --inspectors I.json` re-runs a published draw.
// Exit 0: drawn / verified; 1: the draw is impossible (an object named) or the result does not verify;
// 2: a file cannot be read or is invalid (file and field named), or the arguments are wrong.
// The method and the file formats: docs/inspections.md.
import { readFile } from 'node:fs/promises';
import {
  type DrawResult,
  drawInspection,
  impliedSize,
  parseDrawResult,
  verifyDraw,
} from '../../shared/inspections/draw';
import {
  type DrawInputs,
  type DrawSize,
  type InputProblem,
  type Parsed,
  parseDrawInspectors,
  parseDrawObjects,
  resolveDrawCount,
  seedFromArgument,
} from '../../shared/inspections/draw-input';
import type { CliIo } from '../io';

const USAGE = [
  '用法：xueji draw --objects 检查对象.json --inspectors 检查人员.json (--ratio 比例 | --count 数量) --per-object 每个对象人数 --seed 随机种子',
  '      xueji draw --verify 抽取结果.json --objects 检查对象.json --inspectors 检查人员.json',
  '文件格式和抽取方法见 docs/inspections.md',
];

const FLAGS = new Set(['objects', 'inspectors', 'ratio', 'count', 'per-object', 'seed', 'verify']);

class UsageError extends Error {}

/** `--name value` or `--name=value`; a flag without its value, a repeated or an unknown flag is an error. */
function readFlags(args: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (!a.startsWith('--')) throw new UsageError(`多余的参数：${a}`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!FLAGS.has(name)) throw new UsageError(`未知参数：--${name}`);
    if (flags.has(name)) throw new UsageError(`参数 --${name} 重复`);
    let value: string | undefined;
    if (eq > 0) value = a.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`参数 --${name} 缺少值`);
      i++;
    }
    flags.set(name, value);
  }
  return flags;
}

function positiveInteger(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`参数 --${flag} 应为正整数，现为“${text}”`);
  return Number(text);
}

function sizeFrom(flags: Map<string, string>): DrawSize | undefined {
  const ratio = flags.get('ratio');
  const count = flags.get('count');
  if (ratio !== undefined && count !== undefined) throw new UsageError('--ratio 和 --count 只能给一个');
  if (ratio !== undefined) {
    if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(ratio))
      throw new UsageError(`参数 --ratio 应为 0 到 1 之间的小数（例如 0.2 表示 20%），现为“${ratio}”`);
    return { ratio: Number(ratio) };
  }
  if (count !== undefined) return { count: positiveInteger('count', count) };
  return undefined;
}

function reportProblems(io: CliIo, path: string, problems: readonly InputProblem[]): void {
  io.err(`文件 ${path} 有误：`);
  for (const p of problems.slice(0, 20)) io.err(`  字段 ${p.field}：${p.message}`);
  if (problems.length > 20) io.err(`  ……另有 ${problems.length - 20} 处`);
}

/** Reads and checks a JSON file; on failure prints the Chinese reason (file and field) and returns undefined. */
async function readChecked<T>(
  path: string,
  what: string,
  parse: (raw: unknown) => Parsed<T>,
  io: CliIo,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个文件夹' : (code ?? String(error));
    io.err(`无法读取${what}文件 ${path}：${why}`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    io.err(`${what}文件 ${path} 不是有效的 JSON：${(error as Error).message}`);
    return undefined;
  }
  const parsed = parse(raw);
  if (!parsed.ok) {
    reportProblems(io, path, parsed.problems);
    return undefined;
  }
  return parsed.value;
}

export async function drawCommand(args: string[], io: CliIo): Promise<number> {
  let flags: Map<string, string>;
  let size: DrawSize | undefined;
  let perObject: number | undefined;
  try {
    flags = readFlags(args);
    size = sizeFrom(flags);
    const k = flags.get('per-object');
    perObject = k === undefined ? undefined : positiveInteger('per-object', k);
    const missing = ['objects', 'inspectors'].filter((f) => !flags.has(f));
    if (!flags.has('verify')) {
      if (!flags.has('seed')) missing.push('seed');
      if (!flags.has('per-object')) missing.push('per-object');
      if (!size) missing.push('ratio 或 --count');
    } else if (flags.has('seed')) throw new UsageError('核验时随机种子取自抽取结果文件，不要再给 --seed');
    if (missing.length > 0) throw new UsageError(`缺少参数：${missing.map((m) => `--${m}`).join('、')}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(error.message);
    for (const line of USAGE) io.err(line);
    return 2;
  }
  const objectsPath = flags.get('objects') as string;
  const inspectorsPath = flags.get('inspectors') as string;
  const objects = await readChecked(objectsPath, '检查对象', parseDrawObjects, io);
  if (!objects) return 2;
  const inspectors = await readChecked(inspectorsPath, '检查人员', parseDrawInspectors, io);
  if (!inspectors) return 2;

  const verifyPath = flags.get('verify');
  if (verifyPath === undefined) {
    const inputs: DrawInputs = {
      objects,
      inspectors,
      size: size as DrawSize,
      perObject: perObject as number,
    };
    const outcome = drawInspection(inputs, seedFromArgument(flags.get('seed') as string));
    if (outcome.ok) {
      for (const line of JSON.stringify(outcome.result, null, 2).split('\n')) io.out(line);
      return 0;
    }
    if (outcome.kind === 'impossible') {
      for (const line of outcome.message.split('\n')) io.err(line);
      return 1;
    }
    io.err('参数有误：');
    for (const p of outcome.problems) io.err(`  ${p.message}`);
    return 2;
  }

  const result = await readChecked(verifyPath, '抽取结果', parseDrawResult, io);
  if (!result) return 2;
  return verifyResult(result, { objects, inspectors }, size, perObject, verifyPath, io);
}

function verifyResult(
  result: DrawResult,
  registers: Pick<DrawInputs, 'objects' | 'inspectors'>,
  size: DrawSize | undefined,
  perObject: number | undefined,
  path: string,
  io: CliIo,
): number {
  const fail = (reasons: readonly string[]) => {
    io.out(`核验不通过：${path} 不是这些输入和种子 ${JSON.stringify(result.seed)} 抽出的结果`);
    for (const r of reasons) io.out(`  ${r}`);
    return 1;
  };
  const implied = impliedSize(result);
  if (!implied)
    return fail([
      result.draws.length === 0 ? '结果中没有抽中的对象' : '各对象的检查人员人数不一致，不是一次抽取的结果',
    ]);
  // Told sizes must agree with what the result shows; untold ones are taken from it (the hash covers both).
  if (size) {
    const want = resolveDrawCount(size, registers.objects.length);
    if (!want.ok) return fail(want.problems.map((p) => p.message));
    if (want.value !== implied.count)
      return fail([`按给定的抽取数量应抽中 ${want.value} 个对象，结果中有 ${implied.count} 个`]);
  }
  if (perObject !== undefined && perObject !== implied.perObject)
    return fail([`按给定的人数每个对象应有 ${perObject} 名检查人员，结果中为 ${implied.perObject} 名`]);
  const v = verifyDraw(result, {
    ...registers,
    size: { count: implied.count },
    perObject: implied.perObject,
  });
  if (!v.ok) return fail(v.reasons);
  io.out(
    `核验通过：${path} 正是随机种子 ${JSON.stringify(result.seed)} 从这些检查对象和检查人员抽出的结果（${implied.count} 个对象，每个 ${implied.perObject} 名检查人员，输入哈希 ${result.inputsHash.slice(0, 16)}…）`,
  );
  return 0;
}
