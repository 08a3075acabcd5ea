import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_CHARS,
  creditCodeCheckChar,
  creditCodeKind,
  creditCodeProblem,
  normalizeCreditCode,
} from './credit-code';

// Codes published by their holders (invoice headers of universities, the sample of GB 32100's own
// documentation, company codes used in hutool's tests). Each is checked by the GB 32100 algorithm.
const PUBLISHED = [
  ['12100000400000624D', '清华大学（事业单位）'],
  ['12440300455752807L', '清华大学深圳国际研究生院'],
  ['1210000042500615X0', '复旦大学'],
  ['51610700305332460K', '社会团体'],
  ['91350100M000100Y43', '福建试点企业（标准的示例代码）'],
  ['91310115591693856A', '上海企业'],
  ['91440300708461136T', '深圳企业'],
  ['112302070019030687', '机关'],
  ['91341000MA2N0ABGXX', '安徽企业（校验码为 X）'],
] as const;

describe('统一社会信用代码 (GB 32100)', () => {
  it.each(PUBLISHED)('accepts the published code %s (%s)', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
  });

  it('computes the check character by ISO 7064 MOD 31-3 (weights 3^(i-1) mod 31)', () => {
    // 31 − (Σ mod 31), and 31 is written 0: 复旦大学's code ends in 0.
    expect(creditCodeCheckChar('1210000042500615X')).toBe('0');
    expect(CREDIT_CODE_CHARS).toHaveLength(31);
    expect(CREDIT_CODE_CHARS).not.toMatch(/[IOSVZ]/);
  });

  it('refuses a code with one character changed, naming the expected check character', () => {
    const p = creditCodeProblem('12100000400000625D');
    expect(p?.code).toBe('CREDIT_CHECK');
    expect(p?.message).toContain('第 18 位');
  });

  it('refuses every single-character change of a published code (the check detects them)', () => {
    const code = '12440300455752807L';
    for (let i = 0; i < 18; i++)
      for (const ch of CREDIT_CODE_CHARS) {
        if (ch === code[i]) continue;
        const changed = `${code.slice(0, i)}${ch}${code.slice(i + 1)}`;
        expect(creditCodeProblem(changed), changed).not.toBeNull();
      }
  });

  it('refuses the pilot code whose check character does not follow the standard (hutool notes it)', () => {
    expect(creditCodeProblem('91350211M00013FA1N')?.code).toBe('CREDIT_CHECK');
  });

  it('names the letters the code never uses (I, O, S, V, Z) and wrong lengths', () => {
    expect(creditCodeProblem('12100000400000O24D')?.message).toContain('不使用字母 I、O、S、V、Z');
    expect(creditCodeProblem('1210000040000062')?.message).toContain('18 位（现为 16 位）');
    expect(creditCodeProblem('12100000400000624d')?.code).toBe('CREDIT_CHAR');
  });

  it('checks the registering department and category (positions 1 and 2) and the region (3–8)', () => {
    expect(creditCodeProblem('B2100000400000624D')?.code).toBe('CREDIT_DEPARTMENT');
    expect(creditCodeProblem('14100000400000624D')?.code).toBe('CREDIT_CATEGORY');
    expect(creditCodeProblem('1210A000400000624D')?.code).toBe('CREDIT_REGION');
  });

  it('normalises what people type and says what kind of body a code is', () => {
    expect(normalizeCreditCode(' 1210 0000 4000 0062 4d ')).toBe('12100000400000624D');
    expect(creditCodeKind('12100000400000624D')).toBe('事业单位（机构编制部门登记）');
    expect(creditCodeKind('52410100MJ0000000X')).toBe('民办非企业单位（民政部门登记）');
  });
});
