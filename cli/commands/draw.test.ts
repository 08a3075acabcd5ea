import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../io';
import { main } from '../main';

const root = resolve(import.meta.dirname, '../..');
const examples = join(root, 'docs/inspections/examples');
const OBJECTS = join(examples, 'objects.json');
const INSPECTORS = join(examples, 'inspectors.json');
const dir = mkdtempSync(join(tmpdir(), 'xueji-draw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) };
  const code = await main(['draw', ...args], io);
  return { code, out, err };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const drawArgs = (seed: string, extra: string[] = []) => [
  '--objects',
  OBJECTS,
  '--inspectors',
  INSPECTORS,
  '--ratio',
  '0.3',
  '--per-object',
  '2',
  '--seed',
  seed,
  ...extra,
];

type Printed = {
  seed: string | number;
  inputsHash: string;
  draws: { object: string; inspectors: string[] }[];
};

describe('xueji draw', () => {
  it('prints {"seed", "inputsHash", "draws"}; the same files and seed print the same bytes', async () => {
    const a = await run(drawArgs('20261009'));
    const b = await run(drawArgs('20261009'));
    expect(a.code).toBe(0);
    expect(a.err).toBe('');
    expect(a.out).toBe(b.out);
    const json = JSON.parse(a.out) as Printed;
    expect(Object.keys(json)).toEqual(['seed', 'inputsHash', 'draws']);
    expect(json.seed).toBe(20261009);
    expect(json.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.draws).toHaveLength(4); // ⌈0.3 × 12⌉
    for (const d of json.draws) {
      expect(Object.keys(d)).toEqual(['object', 'inspectors']);
      expect(d.inspectors).toHaveLength(2);
      expect(d.inspectors).not.toContain('T07'); // no enforcement ID
    }
    // the example result in docs/ is this very output
    expect(a.out).toBe(readFileSync(join(examples, 'result.json'), 'utf8'));
  });

  it('a text seed is printed as a text; another seed gives another draw; file order does not matter', async () => {
    const a = await run(drawArgs('2026年第二批'));
    expect(JSON.parse(a.out).seed).toBe('2026年第二批');
    const b = await run(drawArgs('2026年第三批'));
    expect(JSON.parse(b.out).draws).not.toEqual(JSON.parse(a.out).draws);
    const reversed = file(
      'reversed.json',
      (JSON.parse(readFileSync(OBJECTS, 'utf8')) as unknown[]).reverse(),
    );
    const c = await run(['--objects', reversed, ...drawArgs('2026年第二批').slice(2)]);
    expect(c.out).toBe(a.out);
  });

  it('R-INSP-RECUSE: never pairs 王建国 (T01) with 盂县职业技术学校 across 1,000 seeds', async () => {
    for (let s = 0; s < 1000; s++) {
      const r = await run(drawArgs(String(s)));
      expect(r.code).toBe(0);
      for (const d of (JSON.parse(r.out) as Printed).draws) {
        if (d.object === '140322-ZZ01') expect(d.inspectors).not.toContain('T01');
        if (d.object === '140302-ZZ01' || d.object === '140302-ZZ02')
          expect(d.inspectors).not.toContain('T03');
        if (d.object === '140300-ZZ03') expect(d.inspectors).not.toContain('T06');
        expect(d.inspectors.length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('--count N draws N objects', async () => {
    const r = await run([...drawArgs('7').slice(0, 4), '--count', '9', '--per-object', '3', '--seed', '7']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Printed;
    expect(json.draws).toHaveLength(9);
    for (const d of json.draws) expect(d.inspectors).toHaveLength(3);
  });

  it('an impossible draw exits 1 with a Chinese message naming the object', async () => {
    const r = await run([...drawArgs('1').slice(0, 6), '--per-object', '6', '--seed', '1']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    // 6 inspectors hold an enforcement ID; 张志强 (T03) declared conflicts with the two 城区 schools,
    // 王建国 (T01) with 盂县职业技术学校, 赵晓东 (T06) with 阳泉市艺术职业学校
    expect(r.err).toContain(
      '检查对象“阳泉市城区第一职业中学”（140302-ZZ01）只有 5 名持执法证且无利害关系的检查人员，少于每个对象所需的 6 名',
    );
    expect(r.err).toContain('检查对象“盂县职业技术学校”（140322-ZZ01）只有 5 名');
    expect(r.err).not.toContain('平定县职业中学');
    expect(r.err).toContain('R-INSP-2');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), /^无法读取检查对象文件 .*nope\.json：文件不存在/],
    [
      'a file that is not JSON',
      () => file('bad.json', '[{"id": "A",'),
      /^检查对象文件 .*bad\.json 不是有效的 JSON/,
    ],
    [
      'an object without id',
      () => file('noid.json', [{ id: 'A', name: '甲' }, { name: '乙' }]),
      /^文件 .*noid\.json 有误：\n {2}字段 \[1\]\.id：第 2 个检查对象的“id”（对象编号）缺失/,
    ],
    [
      'a bad weight',
      () => file('weight.json', [{ id: 'A', name: '甲', weight: '高' }]),
      /字段 \[0\]\.weight：第 1 个检查对象的“weight”（风险权重）应为 1 到 1000 的整数，现为 "高"/,
    ],
    ['a directory', () => dir, /^无法读取检查对象文件 .*：这是一个文件夹/],
  ])('exits 2 naming the file and field for %s (objects)', async (_name, make, message) => {
    const r = await run(['--objects', make(), ...drawArgs('1').slice(2)]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming the field for a bad inspectors file', async () => {
    const path = file('people.json', [{ id: 'T1', name: '甲', enforcementId: 'E1', conflicts: 'S1' }]);
    const r = await run([...drawArgs('1').slice(0, 2), '--inspectors', path, ...drawArgs('1').slice(4)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`文件 ${path} 有误：`);
    expect(r.err).toContain(
      '字段 [0].conflicts：第 1 个检查人员的“conflicts”（有利害关系的对象编号）应为列表',
    );
  });

  it.each([
    [
      ['--objects', OBJECTS, '--inspectors', INSPECTORS, '--ratio', '0.3', '--per-object', '2'],
      '缺少参数：--seed',
    ],
    [drawArgs('1', ['--count', '3']), '--ratio 和 --count 只能给一个'],
    [
      [...drawArgs('1').slice(0, 4), '--ratio', '30%', '--per-object', '2', '--seed', '1'],
      '参数 --ratio 应为 0 到 1 之间的小数',
    ],
    [
      [...drawArgs('1').slice(0, 6), '--per-object', '1', '--seed', '1'],
      'R-INSP-2：实地核查人员不得少于两人',
    ],
    [
      [...drawArgs('1').slice(0, 4), '--count', '13', '--per-object', '2', '--seed', '1'],
      '抽取数量 13 超过检查对象总数 12',
    ],
    [drawArgs('1', ['--colour', 'red']), '未知参数：--colour'],
    [[...drawArgs('1'), '--per-object', '3'], '参数 --per-object 重复'],
    [[...drawArgs('1').slice(0, 8), '--seed'], '参数 --seed 缺少值'],
  ])('exits 2 with a Chinese message for bad arguments (%#)', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe('xueji draw --verify', () => {
  const verifyArgs = (path: string) => ['--verify', path, '--objects', OBJECTS, '--inspectors', INSPECTORS];

  it('exits 0 for the published example and for every fresh draw', async () => {
    const r = await run(verifyArgs(join(examples, 'result.json')));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^核验通过：/);
    for (const seed of ['a', 'b', '123']) {
      const path = file(`r-${seed}.json`, (await run(drawArgs(seed))).out);
      expect((await run(verifyArgs(path))).code).toBe(0);
      expect((await run([...verifyArgs(path), '--ratio', '0.3', '--per-object', '2'])).code).toBe(0);
    }
  });

  const published = () => JSON.parse(readFileSync(join(examples, 'result.json'), 'utf8')) as Printed;
  it.each([
    [
      'a swapped inspector',
      (r: Printed) => {
        const d = r.draws[0] as Printed['draws'][0];
        d.inspectors[0] = ['T01', 'T02', 'T03', 'T04', 'T05', 'T06'].find(
          (p) => !d.inspectors.includes(p),
        ) as string;
      },
      '的检查人员应为',
    ],
    ['a dropped object', (r: Printed) => void r.draws.pop(), '输入与抽取时不同'],
    [
      'a changed seed',
      (r: Printed) => {
        r.seed = 20261010;
      },
      '第 1 个抽中的对象应为',
    ],
    ['swapped objects', (r: Printed) => void r.draws.reverse(), '第 1 个抽中的对象应为'],
    [
      'a changed hash',
      (r: Printed) => {
        r.inputsHash = '0'.repeat(64);
      },
      '输入与抽取时不同',
    ],
  ])('exits 1 for %s', async (_name, change, reason) => {
    const r = published();
    change(r);
    const path = file('tampered.json', r);
    const v = await run(verifyArgs(path));
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^核验不通过：/);
    expect(v.out).toContain(reason);
  });

  it('exits 1 when an input file changed after the draw, and when the told size disagrees', async () => {
    const objects = JSON.parse(readFileSync(OBJECTS, 'utf8')) as {
      id: string;
      name: string;
      weight?: number;
    }[];
    (objects[1] as { weight?: number }).weight = 1;
    const changed = file('changed-objects.json', objects);
    const path = join(examples, 'result.json');
    const v = await run(['--verify', path, '--objects', changed, '--inspectors', INSPECTORS]);
    expect(v.code).toBe(1);
    expect(v.out).toContain('输入与抽取时不同');
    const w = await run([...verifyArgs(path), '--count', '5']);
    expect(w.code).toBe(1);
    expect(w.out).toContain('按给定的抽取数量应抽中 5 个对象，结果中有 4 个');
  });

  it('exits 2 naming the field for a result file that is not a draw result', async () => {
    const path = file('not-result.json', { seed: 1, inputsHash: 'abc', draws: [] });
    const v = await run(verifyArgs(path));
    expect(v.code).toBe(2);
    expect(v.err).toContain('字段 inputsHash：“inputsHash”（输入哈希）应为 64 位小写十六进制的 SHA-256');
  });
});

// Each start of the binary compiles the CLI with tsx: seconds on an idle machine, tens of seconds on a
// busy CI machine, so this block has its own timeout, and only the first call goes through npx.
describe('the real `npx xueji` binary', { timeout: 300_000 }, () => {
  const exec = promisify(execFile);
  const xueji = (args: string[]) =>
    exec(process.execPath, [join(root, 'bin/xueji.mjs'), ...args], { cwd: root });

  it('prints the same draw as main() and verifies it, with exit codes 0 / 1 / 2', async () => {
    const out = await exec('npx', ['xueji', 'draw', ...drawArgs('20261009')], { cwd: root });
    expect(out.stdout).toBe(readFileSync(join(examples, 'result.json'), 'utf8'));
    const ok = await xueji([
      'draw',
      '--verify',
      join(examples, 'result.json'),
      '--objects',
      OBJECTS,
      '--inspectors',
      INSPECTORS,
    ]);
    expect(ok.stdout).toMatch(/^核验通过：/);
    const impossible = await xueji([
      'draw',
      ...drawArgs('1').slice(0, 6),
      '--per-object',
      '6',
      '--seed',
      '1',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((impossible as { code: number }).code).toBe(1);
    expect((impossible as { stderr: string }).stderr).toContain('“阳泉市城区第一职业中学”');
    const unreadable = await xueji([
      'draw',
      '--objects',
      join(dir, 'none.json'),
      ...drawArgs('1').slice(2),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((unreadable as { code: number }).code).toBe(2);
    expect((unreadable as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });

  it('`| head` ends quietly: no EPIPE stack trace from a long draw', async () => {
    const objects = Array.from({ length: 3000 }, (_, i) => ({ id: `S${i}`, name: `学校${i}` }));
    const people = Array.from({ length: 60 }, (_, i) => ({
      id: `P${i}`,
      name: `人${i}`,
      enforcementId: `E${i}`,
    }));
    const o = file('big-objects.json', objects);
    const p = file('big-people.json', people);
    const child = spawn(
      'sh',
      [
        '-c',
        `"${process.execPath}" bin/xueji.mjs draw --objects ${o} --inspectors ${p} --ratio 1 --per-object 2 --seed 5 | head -3`,
      ],
      { cwd: root },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      '{',
      '  "seed": 5,',
      expect.stringMatching(/^ {2}"inputsHash": /),
    ]);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
