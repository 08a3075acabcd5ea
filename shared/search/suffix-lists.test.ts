import { describe, expect, it } from 'vitest';
import { createRandom } from '../seed/random';
import { FIELD_SEP, SuffixLists } from './suffix-lists';

/** The documents holding q in one field, by the suffix lists' ranges. */
function owners(lists: SuffixLists, q: string): number[] {
  const ranges = lists.ranges(q);
  const out = new Set<number>();
  for (let r = 0; r < ranges.length; r += 2)
    for (let i = ranges[r] as number; i < (ranges[r + 1] as number); i++)
      out.add(lists.owner[lists.order[i] as number] as number);
  return [...out].sort((a, b) => a - b);
}

describe('suffix lists', () => {
  it('find the documents whose fields contain a query, never across two fields', () => {
    const lists = new SuffixLists([
      ['wangfang', 'wf'].join(FIELD_SEP),
      ['fangwang', '', 'zz'].join(FIELD_SEP),
      '王芳',
    ]);
    expect(owners(lists, 'wang')).toEqual([0, 1]);
    expect(owners(lists, 'fang')).toEqual([0, 1]);
    expect(owners(lists, 'gw')).toEqual([1]);
    expect(owners(lists, 'gwf')).toEqual([]); // "wangfang" + "wf" joined would hold it
    expect(owners(lists, '芳')).toEqual([2]);
    expect(owners(lists, 'q')).toEqual([]);
    expect(owners(lists, 'fangwangx')).toEqual([]);
    expect(lists.totalLength).toBe(8 + 2 + 8 + 2 + 2);
  });

  it('agree with String#includes on 2,000 random documents over a small alphabet', () => {
    const rnd = createRandom(3);
    const alphabet = ['a', 'b', 'c', '1', '2', '张', '\u{20000}'];
    const word = (n: number) => Array.from({ length: n }, () => rnd.pick(alphabet)).join('');
    const docs = Array.from({ length: 2000 }, () =>
      Array.from({ length: rnd.int(0, 4) }, () => word(rnd.int(0, 12))).join(FIELD_SEP),
    );
    const lists = new SuffixLists(docs);
    for (let k = 0; k < 300; k++) {
      const doc = rnd.pick(docs);
      const q =
        k % 3 === 0 ? word(rnd.int(1, 4)) : doc.slice(rnd.int(0, doc.length), rnd.int(0, doc.length + 1));
      if (q === '' || q.includes(FIELD_SEP)) continue;
      const expected = docs.flatMap((d, i) => (d.split(FIELD_SEP).some((f) => f.includes(q)) ? [i] : []));
      expect(owners(lists, q), q).toEqual(expected);
    }
  });

  it('hold nothing for no documents or empty fields only', () => {
    expect(owners(new SuffixLists([]), 'a')).toEqual([]);
    expect(owners(new SuffixLists(['', FIELD_SEP]), 'a')).toEqual([]);
    expect(new SuffixLists(['abc']).characters()).toEqual([
      { char: 'a', occurrences: 1 },
      { char: 'b', occurrences: 1 },
      { char: 'c', occurrences: 1 },
    ]);
  });
});
