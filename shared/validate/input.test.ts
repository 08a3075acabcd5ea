import { describe, expect, it } from 'vitest';
import { fieldLabel } from '../domain/student';
import { checkInput, utf8Length } from './input';

const check = (doc: unknown) => checkInput(doc, fieldLabel);

describe('checkInput: hostile input refused with the field named (issue 8 finding 6)', () => {
  it('NUL and other control characters, a lone surrogate, bidi overrides', () => {
    expect(check({ address: 'a\u0000b' })).toMatchObject({ field: 'address', code: 'CONTROL_CHAR' });
    expect(check({ address: 'a\u0000b' })?.message).toBe(
      '“现住址”含有不可见的控制字符（U+0000），请删除后重新保存',
    );
    expect(check({ address: '住址😀'.slice(0, 3) })).toMatchObject({
      field: 'address',
      code: 'LONE_SURROGATE',
    });
    expect(check({ name: '\u202Eabc' })?.code).toBe('CONTROL_CHAR');
    expect(check({ guardians: [{ name: 'x\u0007' }] })).toMatchObject({ field: 'guardians.0.name' });
    expect(check({ note: '第一行\n第二行\t制表' })).toBeNull();
    expect(check({ name: '王😀' })).toBeNull();
  });
  it('keys: too long or with control characters', () => {
    expect(check({ archive: { ['k'.repeat(101)]: {} } })?.code).toBe('BAD_KEY');
    expect(check({ 'a\u0000': 1 })?.code).toBe('BAD_KEY');
  });
  it('nesting beyond the limit, iteratively (no stack overflow at 100,000 levels)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(check({ before: deep })?.code).toBe('TOO_DEEP');
    expect(check({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } })).toBeNull();
  });
  it('size: a document over 64 KB names its biggest field; numbers must be finite', () => {
    expect(check({ id: 'x', address: '字'.repeat(30_000) })).toMatchObject({
      code: 'TOO_BIG',
      field: 'address',
    });
    expect(check({ n: Number.NaN })?.code).toBe('BAD_VALUE');
    expect(utf8Length('a字😀')).toBe(1 + 3 + 4);
  });
});
