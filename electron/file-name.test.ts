import { describe, expect, it } from 'vitest';
import { numberedName, sanitiseFileName, sanitiseSegment, sanitiseSubPath } from './file-name';

const name = (r: ReturnType<typeof sanitiseSegment>) => (r.ok ? r.name : `ERR:${r.message}`);

describe('sanitiseSegment (archive folder and file names)', () => {
  it('keeps ordinary Chinese names as they are', () => {
    expect(name(sanitiseSegment('河南省郑州市第一职业中等专业学校'))).toBe(
      '河南省郑州市第一职业中等专业学校',
    );
    expect(name(sanitiseSegment('学籍档案目录 欧阳䶮 2025级1班'))).toBe('学籍档案目录 欧阳䶮 2025级1班');
  });

  it.each([
    ['../../etc', '_.._etc'],
    ['..\\..\\Windows', '_.._Windows'],
    ['a/b', 'a_b'],
    ['a\\b', 'a_b'],
    ['C:\\Windows', 'C__Windows'],
    ['名册:2025', '名册_2025'],
    ['a*b?c"d<e>f|g', 'a_b_c_d_e_f_g'],
    ['tab\there', 'tab_here'],
    ['nul\u0000byte', 'nul_byte'],
  ])('replaces path separators and forbidden characters: %s', (raw, expected) => {
    expect(name(sanitiseSegment(raw))).toBe(expected);
  });

  it.each([
    ['CON', '_CON'],
    ['con', '_con'],
    ['NUL', '_NUL'],
    ['nul.pdf', '_nul.pdf'],
    ['PRN.txt', '_PRN.txt'],
    ['AUX', '_AUX'],
    ['COM1', '_COM1'],
    ['LPT9.pdf', '_LPT9.pdf'],
    ['COM¹', '_COM¹'],
  ])('prefixes Windows device names: %s', (raw, expected) => {
    expect(name(sanitiseSegment(raw))).toBe(expected);
  });

  it('does not touch names that only start like a device name', () => {
    expect(name(sanitiseSegment('CONSOLE'))).toBe('CONSOLE');
    expect(name(sanitiseSegment('COM10'))).toBe('COM10');
    expect(name(sanitiseSegment('nullable'))).toBe('nullable');
  });

  it('drops trailing dots and spaces (Windows strips them and then opens another file)', () => {
    expect(name(sanitiseSegment('名册...'))).toBe('名册');
    expect(name(sanitiseSegment('名册 . . '))).toBe('名册');
    expect(name(sanitiseSegment('  .hidden'))).toBe('hidden');
  });

  it('removes invisible and direction-override characters (fdp.exe spoofing)', () => {
    expect(name(sanitiseSegment('报告\u202Efdp.exe'))).toBe('报告fdp.exe');
    expect(name(sanitiseSegment('名\u200B册'))).toBe('名册');
  });

  it.each(['', '   ', '.', '..', '...', '///', '\\\\', '\u0000', '\u202e'])(
    'refuses a name that is empty once cleaned: %j',
    (raw) => {
      const r = sanitiseSegment(raw, '学校名称');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain('学校名称');
    },
  );

  it('refuses non-strings', () => {
    expect(sanitiseSegment(undefined).ok).toBe(false);
    expect(sanitiseSegment(['a']).ok).toBe(false);
  });

  it('caps length by code points without splitting a surrogate pair', () => {
    const long = '𠮷'.repeat(150);
    const r = sanitiseSegment(long);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Array.from(r.name)).toHaveLength(100);
      expect(r.name).toBe('𠮷'.repeat(100));
    }
  });
});

describe('sanitiseFileName', () => {
  it('adds the extension when missing and keeps it when present', () => {
    expect(name(sanitiseFileName('学生基本信息变更申请表-张三', 'pdf'))).toBe(
      '学生基本信息变更申请表-张三.pdf',
    );
    expect(name(sanitiseFileName('a.PDF', 'pdf'))).toBe('a.PDF');
    expect(name(sanitiseFileName('evil.pdf.exe', 'pdf'))).toBe('evil.pdf.exe.pdf');
    expect(name(sanitiseFileName('花名册', '.xlsx'))).toBe('花名册.xlsx');
  });

  it('guards reserved names with the extension added', () => {
    expect(name(sanitiseFileName('CON', 'pdf'))).toBe('_CON.pdf');
    expect(name(sanitiseFileName('../../../etc/passwd', 'pdf'))).toBe('_.._.._etc_passwd.pdf');
  });

  it('keeps room for the extension when the name is long', () => {
    const r = sanitiseFileName('名'.repeat(200), 'pdf');
    expect(r.ok && Array.from(r.name).length).toBe(100);
    expect(r.ok && r.name.endsWith('.pdf')).toBe(true);
  });
});

describe('sanitiseSubPath', () => {
  it('splits on both slashes and cleans each level', () => {
    expect(sanitiseSubPath('学籍异动/2025')).toEqual({ ok: true, segments: ['学籍异动', '2025'] });
    expect(sanitiseSubPath('a\\b')).toEqual({ ok: true, segments: ['a', 'b'] });
    expect(sanitiseSubPath(undefined)).toEqual({ ok: true, segments: [] });
  });

  it('refuses dot segments instead of climbing out', () => {
    expect(sanitiseSubPath('../..').ok).toBe(false);
    expect(sanitiseSubPath('a/../../b').ok).toBe(false);
  });

  it('refuses too deep a path', () => {
    const r = sanitiseSubPath('a/b/c/d');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('最多 3 级');
  });
});

describe('numberedName', () => {
  it('numbers before the extension', () => {
    expect(numberedName('名册.pdf', 1)).toBe('名册.pdf');
    expect(numberedName('名册.pdf', 2)).toBe('名册 (2).pdf');
    expect(numberedName('名册', 3)).toBe('名册 (3)');
  });
});
