// `xueji workdays` through the CLI's main: the acceptance dates across the 2026 National Day
// holidays, a weekends-only answer with a warning on stderr for 2027, --json details, exit 2 for bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('xueji workdays', () => {
  it('the installed command (bin/xueji.mjs) prints the bare due date and the warning on stderr', () => {
    const bin = resolve(import.meta.dirname, '../../bin/xueji.mjs');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'workdays', ...args], { encoding: 'utf8' });
    expect(run('add', '2026-09-28', '10')).toMatchObject({ status: 0, stdout: '2026-10-16\n', stderr: '' });
    expect(run('add', '2026-09-24', '10')).toMatchObject({ status: 0, stdout: '2026-10-15\n', stderr: '' });
    expect(run('add', '2027-01-04', '5')).toMatchObject({
      status: 0,
      stdout: '2027-01-11\n',
      stderr: '警告：2027 年放假安排尚未载入，按周末计算，请以正式通知为准\n',
    });
  });

  it.each([
    ['2026-09-28', '10', '2026-10-16'],
    ['2026-09-24', '10', '2026-10-15'],
    ['2026-09-24', '20', '2026-10-29'],
    ['2026-10-15', '-10', '2026-09-24'],
    ['2026-10-01', '0', '2026-10-01'],
  ])('add %s %s prints %s', async (date, n, due) => {
    expect(await cli('workdays', 'add', date, n)).toEqual({ code: 0, out: due, err: '' });
  });

  it('a 2027 date: the weekends-only answer, the warning on stderr naming the year', async () => {
    const r = await cli('workdays', 'add', '2027-01-04', '5');
    expect(r).toEqual({
      code: 0,
      out: '2027-01-11',
      err: '警告：2027 年放假安排尚未载入，按周末计算，请以正式通知为准',
    });
    const j = await cli('workdays', 'add', '2026-12-28', '10', '--json');
    expect(JSON.parse(j.out)).toEqual({
      date: '2026-12-28',
      workdays: 10,
      due: '2027-01-11',
      uncertain: true,
      unknownYears: [2027],
      warnings: ['2027 年放假安排尚未载入，按周末计算，请以正式通知为准'],
    });
    expect(j.err).toContain('2027 年');
  });

  it('between counts after <from> up to and including <to>', async () => {
    expect((await cli('workdays', 'between', '2026-09-24', '2026-10-15')).out).toBe('10');
    expect((await cli('workdays', 'between', '2026-10-01', '2026-10-07')).out).toBe('0');
    expect((await cli('workdays', 'between', '2026-10-15', '2026-09-24')).out).toBe('-10');
  });

  it('is: 是 / 否, with the reason in --json', async () => {
    expect((await cli('workdays', 'is', '2026-10-10')).out).toBe('是');
    expect((await cli('workdays', 'is', '2026-10-01')).out).toBe('否');
    expect(JSON.parse((await cli('workdays', 'is', '2026-10-01', '--json')).out)).toMatchObject({
      workday: false,
      kind: 'holiday',
      note: '国庆节',
      source: '国务院放假安排',
      uncertain: false,
    });
  });

  it('a local override file decides a date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xueji-wd-'));
    const file = join(dir, 'o.json');
    writeFileSync(file, JSON.stringify([{ date: '2026-10-12', kind: 'holiday', note: '临时放假' }]));
    expect((await cli('workdays', 'add', '2026-09-24', '10', '--overrides', file)).out).toBe('2026-10-16');
    writeFileSync(file, JSON.stringify([{ date: '2026-10-32', kind: 'holiday' }]));
    const bad = await cli('workdays', 'is', '2026-10-12', '--overrides', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('[0].date');
  });

  it.each([
    [['workdays'], '用法'],
    [['workdays', 'add', '2026-02-30', '3'], '起始日期“2026-02-30”不是有效日期'],
    [['workdays', 'add', '2026-09-24', 'ten'], '工作日数应为'],
    [['workdays', 'between', '2026-09-24'], '缺少止日'],
    [['workdays', 'is', '2026/10/01'], '不是有效日期'],
    [['workdays', 'when', '2026-10-01'], '未知的子命令：when'],
  ])('%j exits 2: %s', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
  });
});
