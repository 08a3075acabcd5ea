import { describe, expect, it } from 'vitest';
import { mixedPinyinKeys, pinyinKeys } from '../domain/names';
import { createRandom } from '../seed/random';
import { generateStudents } from '../seed/roster';
import { normaliseQuery, RosterIndex, type SearchableStudent } from './roster-index';

/** The matching rule, as a plain scan: a query is a substring of a text key or, with a digit, of a number. */
const pinyinOf = new Map<string, string[]>();
function scan(students: Iterable<SearchableStudent>, raw: string): string[] {
  const q = normaliseQuery(raw);
  const out: string[] = [];
  for (const s of students) {
    let py = pinyinOf.get(s.name);
    if (!py) {
      const k = pinyinKeys(s.name);
      py = [k.full, k.initials, ...mixedPinyinKeys(s.name)];
      pinyinOf.set(s.name, py);
    }
    const keys = /\d/.test(q)
      ? [s.idNo.toLowerCase(), (s.statusNo ?? '').slice(1).toLowerCase(), s.schoolNo ?? '']
      : [s.name, s.formerName ?? '', ...py].map((x) => x.toLowerCase());
    if (keys.some((key) => key.includes(q))) out.push(s.id);
  }
  return out;
}

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

  it('pages the hits: a count, the ids of a window, the id at a position', () => {
    const students = generateStudents({ count: 2000, seed: 12 });
    const idx = new RosterIndex();
    idx.reset(students);
    const all = idx.search('4') ?? [];
    const hits = idx.query('4');
    expect(hits?.count).toBe(all.length);
    expect(hits?.ids(0, 50)).toEqual(all.slice(0, 50));
    expect(hits?.ids(333, 397)).toEqual(all.slice(333, 397));
    expect(hits?.ids(all.length - 3)).toEqual(all.slice(-3));
    expect(hits?.ids(all.length, all.length + 10)).toEqual([]);
    expect(hits?.idAt(1234)).toBe(all[1234]);
    expect(hits?.idAt(all.length)).toBeUndefined();
    expect(all.every((id) => hits?.has(id))).toBe(true);
    expect(students.filter((s) => hits?.has(s.id)).length).toBe(all.length);
    expect(hits?.has('no-such-student')).toBe(false);
    expect(idx.query('   ')).toBeNull();
  });

  it('agrees with a plain scan through renames, new numbers, removals, additions and compactions', () => {
    const rnd = createRandom(21);
    const pool = generateStudents({ count: 6000, seed: 13 });
    const current = new Map<string, SearchableStudent>();
    const idx = new RosterIndex();
    const start = pool.slice(0, 2500);
    for (const s of start) current.set(s.id, s);
    idx.reset(start);
    let next = 2500;
    const queries = () => {
      const s = rnd.pick([...current.values()]);
      const k = pinyinKeys(s.name);
      return [
        s.name.slice(1),
        k.initials.slice(0, 2),
        k.full.slice(1, 5),
        s.idNo.slice(6, 10),
        `G${s.idNo.slice(0, 8)}`,
        s.schoolNo ?? '1',
        rnd.pick(['w', 'z', '0', '5', '20', 'x', 'zhang']),
      ];
    };
    // 1,500 changes: past the delta's limit (1,024) once, so a query in between compacts
    for (let round = 0; round < 6; round++) {
      for (let k = 0; k < 250; k++) {
        const ids = [...current.keys()];
        const op = rnd.int(0, 3);
        if (op === 0 && next < pool.length) {
          const s = pool[next++] as SearchableStudent;
          current.set(s.id, s);
          idx.upsert(s);
        } else if (op === 1) {
          const id = rnd.pick(ids);
          current.delete(id);
          idx.remove(id);
        } else {
          const s = current.get(rnd.pick(ids)) as SearchableStudent;
          const other = rnd.pick(pool);
          const changed =
            op === 2 ? { ...s, name: other.name } : { ...s, idNo: other.idNo, statusNo: undefined };
          current.set(s.id, changed);
          idx.upsert(changed);
        }
      }
      for (const q of queries()) {
        const ordered = idx.search(q) ?? [];
        expect([...ordered].sort(), `round ${round}: ${q}`).toEqual(scan(current.values(), q).sort());
      }
    }
    expect(idx.size).toBe(current.size);
    idx.compact();
    for (const q of queries())
      expect([...(idx.search(q) ?? [])].sort()).toEqual(scan(current.values(), q).sort());
  });

  it('keeps the order students were added in, across a compaction', () => {
    const idx = new RosterIndex();
    idx.reset([person('a', '张伟', '410105200803150011'), person('b', '张丽', '410105200803150022')]);
    idx.upsert(person('c', '张强', '410105200803150033'));
    expect(idx.search('张')).toEqual(['a', 'b', 'c']);
    idx.remove('a');
    idx.compact();
    idx.upsert(person('a', '张伟', '410105200803150011'));
    expect(idx.search('zh')).toEqual(['b', 'c', 'a']);
  });
});
