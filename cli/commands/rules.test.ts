// `xueji rules list` and `xueji rules check` through the CLI's main (as `npx xueji` runs it): every example
// of docs/rules/examples gives its documented result, the list names every DOMAIN.md rule with clauses
// found verbatim in the files they cite, and bad case files exit 2 with a Chinese message naming the field.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../shared/rules/registry';
import { RULE_SETTING_DEFS } from '../../shared/rules/settings';
import { main } from '../main';

const root = resolve(import.meta.dirname, '../..');
const examples = join(root, 'docs/rules/examples');
const expectedDir = join(root, 'docs/rules/expected');
const regulations = join(root, '../shared/regulations');
const work = mkdtempSync(join(tmpdir(), 'xueji-rules-'));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const exampleFiles = readdirSync(examples)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('xueji rules check on docs/rules/examples', () => {
  it.each(exampleFiles)('%s gives its documented result', async (file) => {
    const r = await cli('rules', 'check', '--case', join(examples, file));
    expect(r.code).toBe(0);
    const expected = JSON.parse(readFileSync(join(expectedDir, file), 'utf8'));
    expect(JSON.parse(r.out)).toEqual(expected);
    // exactly the documented shape
    for (const f of expected.findings)
      expect(Object.keys(f).every((k) => ['rule', 'level', 'message', 'due'].includes(k))).toBe(true);
  });

  it('takes the case file as `check FILE` too, and refuses two files', async () => {
    const file = join(examples, 'R-TX-4NO.json');
    const r = await cli('rules', 'check', file);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(join(expectedDir, 'R-TX-4NO.json'), 'utf8')));
    const two = await cli('rules', 'check', '--case', file, join(examples, 'R-1WEEK.json'));
    expect(two.code).toBe(2);
    expect(two.err).toContain('案例文件只能给一个');
  });

  it('has an example for every rule that is checked on data', () => {
    const covered = new Set(
      exampleFiles.flatMap((f) =>
        (JSON.parse(readFileSync(join(expectedDir, f), 'utf8')).findings as { rule: string }[]).map(
          (x) => x.rule,
        ),
      ),
    );
    for (const r of RULES.filter((x) => x.kind === 'check')) {
      expect(covered.has(r.id), r.id).toBe(true);
      expect(
        exampleFiles.some((f) => f.startsWith(`${r.id}.`) || f.startsWith(`${r.id}-`)),
        `${r.id} example file`,
      ).toBe(true);
    }
  });

  it('docs/rules.md documents every rule, every setting and every example', () => {
    const doc = readFileSync(join(root, 'docs/rules.md'), 'utf8');
    for (const r of RULES) expect(doc, r.id).toContain(r.id);
    for (const d of RULE_SETTING_DEFS) expect(doc, d.key).toContain(`\`${d.key}\``);
    for (const f of exampleFiles) expect(doc, f).toContain(`\`${f}\``);
  });

  it('refuses a transfer from a 民办 to a 公办 普通高中 with R-TX-4NO', async () => {
    const r = await cli('rules', 'check', '--case', join(examples, 'R-TX-4NO.json'));
    const out = JSON.parse(r.out);
    expect(out.allowed).toBe(false);
    expect(out.findings.map((f: { rule: string; level: string }) => [f.rule, f.level])).toEqual([
      ['R-TX-4NO', 'refuse'],
    ]);
  });

  it('prints calendar warnings on stderr, naming the unknown year', async () => {
    const r = await cli('rules', 'check', '--case', join(examples, 'unknown-year.json'));
    expect(r.err).toBe('警告：2027 年放假安排尚未载入，按周末计算，请以正式通知为准');
  });

  it('a local override file loads a year', async () => {
    const file = join(work, 'overrides.json');
    writeFileSync(file, JSON.stringify([{ date: '2027-03-05', kind: 'holiday', note: '测试' }]));
    const r = await cli('rules', 'check', '--case', join(examples, 'unknown-year.json'), '--overrides', file);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).findings[0].due).toBe('2027-03-16');
  });
});

describe('xueji rules check with a bad case file exits 2', () => {
  const write = (name: string, text: string) => {
    const f = join(work, name);
    writeFileSync(f, text);
    return f;
  };
  it.each([
    ['missing.json', null, '无法读取数据文件'],
    ['broken.json', '{"date": ', '不是有效的 JSON'],
    [
      'bad-date.json',
      JSON.stringify({ date: '2026-13-01', schools: {} }),
      '字段 date：评估日期应为日期 YYYY-MM-DD',
    ],
    [
      'bad-level.json',
      JSON.stringify({ date: '2026-09-01', schools: { A: { level: '大学' } }, student: { schoolId: 'A' } }),
      '字段 schools.A.level：学段只能是 小学、初中、普通高中、中职 之一',
    ],
    [
      'typo.json',
      JSON.stringify({
        date: '2026-09-01',
        schools: { A: { level: '中职' } },
        student: { schoolId: 'A', studyFrom: '全日制' },
      }),
      '字段 student.studyFrom：不认识的字段“studyFrom”',
    ],
    ['array.json', '[]', '字段 （根）：应为对象'],
  ])('%s', async (name, text, message) => {
    const file = text === null ? join(work, name) : write(name, text);
    const r = await cli('rules', 'check', '--case', file);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
  });

  it('without --case: usage, exit 2', async () => {
    const r = await cli('rules', 'check');
    expect(r.code).toBe(2);
    expect(r.err).toContain('缺少 --case');
  });
});

describe('xueji rules list', () => {
  it('--json names every rule with its clause found verbatim in the file it cites', async () => {
    const r = await cli('rules', 'list', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as {
      id: string;
      clause: string;
      source: { file: string };
      level: string;
      title: string;
      settings: unknown[];
    }[];
    const domain = [
      ...readFileSync(join(root, '../shared/DOMAIN.md'), 'utf8').matchAll(/^\| (R-[A-Z0-9-]+) \|/gm),
    ].map((m) => m[1]);
    expect(list.map((x) => x.id).sort()).toEqual([...domain].sort());
    for (const x of list) {
      expect(readFileSync(join(regulations, x.source.file), 'utf8'), x.id).toContain(x.clause);
      expect(x.title).toMatch(/[\u4e00-\u9fff]/);
      expect(Array.isArray(x.settings)).toBe(true);
    }
    expect(list.find((x) => x.id === 'R-MISS-2-4')?.settings).toEqual([
      { key: 'missConsecutive', label: '连续未核验次数', unit: 'times', default: 2 },
      { key: 'missTotal', label: '累计未核验次数', unit: 'times', default: 4 },
      { key: 'missActionWorkdays', label: '未核验的处理期限', unit: 'workdays', default: 5 },
    ]);
  });

  it('prints every rule for people, in Chinese', async () => {
    const r = await cli('rules', 'list');
    expect(r.code).toBe(0);
    for (const rule of RULES) expect(r.out).toContain(`${rule.id}  ${rule.title}`);
    expect(r.out).toContain('原文：“实地核查人员不得少于两人，并应当出示执法证件”');
  });
});
