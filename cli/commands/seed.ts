// `xueji seed --students N --seed S --out FILE.xlsx [--type vocational|k12]`
import { generateStudents } from '../../shared/seed/roster';
import { type CliIo, parseFlags } from '../io';
import { writeRosterXlsx } from '../xlsx';

export async function seedCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const count = Number(flags.get('students') ?? '200');
  const seed = Number(flags.get('seed') ?? '1');
  const out = flags.get('out');
  const type = flags.get('type') ?? 'vocational';
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
    io.err('--students 应为 1 到 1000000 之间的整数');
    return 2;
  }
  if (!Number.isInteger(seed)) {
    io.err('--seed 应为整数');
    return 2;
  }
  if (!out) {
    io.err('请用 --out 指定输出文件，例如 --out 花名册.xlsx');
    return 2;
  }
  if (type !== 'vocational' && type !== 'k12') {
    io.err('--type 只能是 vocational（中职）或 k12（中小学）');
    return 2;
  }
  const students = generateStudents({ count, seed, schoolType: type });
  await writeRosterXlsx(out, students);
  io.out(`已生成 ${count} 名学生（种子 ${seed}）：${out}`);
  return 0;
}
