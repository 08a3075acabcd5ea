// The command line as a shell user meets it: output piped into `head`, failures outside a command's own
// error handling. No command prints a stack trace (issue 9).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { installProcessGuards } from './main';

const dir = mkdtempSync(join(tmpdir(), 'xueji-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = join(import.meta.dirname, '../bin/xueji.mjs');

/** Runs `xueji args | head -1`: reads the first line, then closes the pipe as head does. */
function firstLineThenClose(args: string[]): Promise<{ first: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let first = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl >= 0 && !first) {
        first = out.slice(0, nl);
        child.stdout.destroy();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ first, stderr, code }));
  });
}

describe('xueji on a closed pipe and on unexpected failures', () => {
  it('`xueji validate … | head` ends without an EPIPE stack trace and keeps its exit code', async () => {
    const lines = ['姓名,身份证件号', ...Array.from({ length: 20_000 }, () => '张三,123')];
    const file = join(dir, 'many-errors.csv');
    writeFileSync(file, lines.join('\n'));
    const r = await firstLineThenClose(['validate', file]);
    expect(r.first).toContain('many-errors.csv');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  it('a failure outside the command becomes one Chinese line and exit 2 (process stand-in, not a mock of our code)', () => {
    const listeners = new Map<string, (e: unknown) => void>();
    const exits: number[] = [];
    const fakeProcess = {
      on: (event: string, fn: (e: unknown) => void) => listeners.set(event, fn),
      exit: (code: number) => {
        exits.push(code);
        return undefined as never;
      },
    };
    const err: string[] = [];
    const io: CliIo = { out: () => {}, err: (l) => err.push(l) };
    installProcessGuards(fakeProcess, io);
    const boom = new Error('磁盘已满');
    listeners.get('unhandledRejection')?.(boom);
    expect(err).toEqual(['出错：磁盘已满']);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
    expect(exits).toEqual([2]);
    listeners.get('uncaughtException')?.(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toEqual([2, 0]);
  });
});
