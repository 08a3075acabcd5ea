import { describe, expect, it } from 'vitest';
import { generateStudents } from '../seed/roster';
import { normaliseQuery, RosterIndex } from './roster-index';

const person = (id: string, name: string, idNo: string, extra: Record<string, string> = {}) => ({
  id,
  name,
  idNo,
  statusNo: `G${idNo}`,
  ...extra,
});

describe('roster search index', () => {
  const index = new RosterIndex();
  index.reset([
    person('a', '欧阳晓明', '41010520090912345X', { schoolNo: '20240301' }),
    person('b', '张伟', '410105200803150011', { schoolNo: '20240302' }),
    person('c', '王芳', '410102200901020022', { formerName: '王小芳', schoolNo: '20250101' }),
  ]);

  it('finds by name, full pinyin, pinyin initials (compound surnames), former name', () => {
    expect(index.search('晓明')).toEqual(['a']);
    expect(index.search('ouyang')).toEqual(['a']);
    expect(index.search('oyxm')).toEqual(['a']);
    expect(index.search('zw')).toEqual(['b']);
    expect(index.search('ZhangWei')).toEqual(['b']);
    expect(index.search('小芳')).toEqual(['c']);
  });

  it('finds by mixed full pinyin and initials, with or without spaces ("wang yy")', () => {
    const idx = new RosterIndex();
    idx.reset([person('w', '王颖瑶', '410105200905120024'), person('z', '王奕扬', '410105200905120040')]);
    expect(idx.search('wang yy')).toEqual(['w', 'z']);
    expect(idx.search('wangyy')).toEqual(['w', 'z']);
    expect(idx.search('wang ying y')).toEqual(['w']);
    expect(idx.search('w yingyao')).toEqual(['w']);
    expect(idx.search('wyyao')).toEqual(['w']);
    expect(idx.search('wang yi yang')).toEqual(['z']);
    expect(idx.search('wang yx')).toEqual([]);
    expect(index.search('ouyang xm')).toEqual(['a']);
    expect(index.search('oy xiaoming')).toEqual(['a']);
  });

  it('finds by ID number digits (lower-case x too), 学籍号 with its letter, 校内学号', () => {
    expect(index.search('345x')).toEqual(['a']);
    expect(index.search('G4101052008')).toEqual(['b']);
    expect(index.search('2025')).toEqual(['c']);
    expect(index.search('20240')).toEqual(['a', 'b']);
  });

  it('letters never match digits of ID numbers or the G of 学籍号', () => {
    const idx = new RosterIndex();
    idx.reset([person('n', '李娜', '41010520090912345X'), person('m', '徐明', '410105200803150011')]);
    expect(idx.search('g')).toEqual(['m']); // ming, not the G of G4101…
    expect(idx.search('x')).toEqual(['m']); // xu, not the X check digit
  });

  it('narrows as the user types and widens again on backspace', () => {
    expect(index.search('w')).toEqual(['b', 'c']);
    expect(index.search('wa')).toEqual(['c']);
    expect(index.search('w')).toEqual(['b', 'c']);
    expect(index.search('')).toBeNull();
    expect(normaliseQuery(' J 123 ')).toBe('123');
  });

  it('follows upserts and removals', () => {
    const idx = new RosterIndex();
    idx.reset([person('a', '张伟', '410105200803150011'), person('b', '李娜', '410105200803150022')]);
    expect(idx.search('ln')).toEqual(['b']);
    idx.upsert(person('b', '刘娜', '410105200803150022'));
    expect(idx.search('ln')).toEqual(['b']);
    expect(idx.search('李')).toEqual([]);
    idx.remove('a');
    idx.upsert(person('c', '张伟', '410105200803150033'));
    expect(idx.search('zw')).toEqual(['c']);
    expect(idx.size).toBe(2);
  });

  it('agrees with a plain scan on a seeded roster of 3,000', () => {
    const students = generateStudents({ count: 3000, seed: 11 });
    const idx = new RosterIndex();
    idx.reset(students);
    for (const q of ['王', '李娜', '0101', '2025', students[42]?.idNo.slice(-6) ?? '']) {
      const expected = students
        .filter((s) => s.name.includes(q) || s.idNo.includes(q) || (s.schoolNo ?? '').includes(q))
        .map((s) => s.id);
      expect(idx.search(q)?.sort()).toEqual(expected.sort());
    }
  });
});
