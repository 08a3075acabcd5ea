// Substring search over many short strings (names, pinyin keys, ID numbers): for every offset p, the
// strings longer than p sorted by their suffix from p. The strings containing q are then, for each p,
// one contiguous range of list p (the suffixes that start with q), found by two binary searches — so a
// query costs O(longest string × log n) plus one step per occurrence, whatever the number of strings,
// and never looks at a string that does not contain it.
//
// The lists are built in time linear in the total length by one least-significant-digit radix sort
// over the offsets from the longest string's end to 0 (a stable counting sort by the character at p of
// list p+1, the strings ending at p put first since a shorter suffix sorts before its extensions): each
// list is a by-product of the next. Characters are UTF-16 code units, as String#includes compares them.

/** Separates the fields of one document: a query never spans two fields. */
export const FIELD_SEP = '\u0001';
const SEP_CODE = FIELD_SEP.charCodeAt(0);

export class SuffixLists {
  /** dense code of every UTF-16 unit occurring (0: none; codes start at 1, 0 is "past the end") */
  private readonly codeOf = new Uint16Array(65536);
  /** the fields' characters as dense codes, one field after the other */
  private readonly chars: Uint16Array;
  private readonly start: Int32Array;
  private readonly length: Int32Array;
  /** the document each field belongs to */
  readonly owner: Int32Array;
  /** list p (entries longer than p, sorted by their suffix from p) is order[listStart[p] … listStart[p + 1]) */
  readonly order: Int32Array;
  private readonly listStart: Int32Array;
  /** the longest field's length: the number of lists */
  private readonly lists: number;

  /** Indexes the documents (fields separated by FIELD_SEP); an empty field is left out. */
  constructor(docs: readonly string[]) {
    let alphabet = 0;
    let entries = 0;
    let total = 0;
    for (const doc of docs) {
      let fieldLength = 0;
      for (let i = 0; i <= doc.length; i++) {
        const c = i < doc.length ? doc.charCodeAt(i) : SEP_CODE;
        if (c === SEP_CODE) {
          if (fieldLength > 0) entries++;
          fieldLength = 0;
          continue;
        }
        fieldLength++;
        total++;
        if (this.codeOf[c] === 0) this.codeOf[c] = ++alphabet;
      }
    }
    this.chars = new Uint16Array(total);
    this.start = new Int32Array(entries);
    this.length = new Int32Array(entries);
    this.owner = new Int32Array(entries);
    let e = 0;
    let at = 0;
    let longest = 0;
    docs.forEach((doc, d) => {
      let fieldStart = at;
      for (let i = 0; i <= doc.length; i++) {
        const c = i < doc.length ? doc.charCodeAt(i) : SEP_CODE;
        if (c !== SEP_CODE) {
          this.chars[at++] = this.codeOf[c] as number;
          continue;
        }
        const n = at - fieldStart;
        if (n > 0) {
          this.start[e] = fieldStart;
          this.length[e] = n;
          this.owner[e] = d;
          e++;
          if (n > longest) longest = n;
        }
        fieldStart = at;
      }
    });

    // Entries by length, so those ending at each offset join the sort there.
    const byLengthStart = new Int32Array(longest + 2);
    for (let i = 0; i < entries; i++) (byLengthStart[(this.length[i] as number) + 1] as number)++;
    for (let n = 1; n <= longest + 1; n++)
      byLengthStart[n] = (byLengthStart[n] as number) + (byLengthStart[n - 1] as number);
    const byLength = new Int32Array(entries);
    const fill = byLengthStart.slice();
    for (let i = 0; i < entries; i++) {
      const n = this.length[i] as number;
      byLength[(fill[n] as number)++] = i;
    }

    // List p holds the entries longer than p: its size is the number of entries of length > p.
    this.listStart = new Int32Array(longest + 1);
    for (let p = 1; p <= longest; p++)
      this.listStart[p] = (this.listStart[p - 1] as number) + (entries - (byLengthStart[p] as number));
    this.order = new Int32Array(total);
    const order = this.order;
    const chars = this.chars;
    const start = this.start;
    const counts = new Int32Array(alphabet + 2);
    // the character at p of each entry longer than p: gathered in entry order (a sequential read of the
    // characters), so the sort's two passes read a small array instead of jumping through all of them
    const key = new Uint16Array(entries);
    for (let p = longest - 1; p >= 0; p--) {
      const newFrom = byLengthStart[p + 1] as number;
      for (let i = newFrom; i < entries; i++) {
        const x = byLength[i] as number;
        key[x] = chars[(start[x] as number) + p] as number;
      }
      // input: the entries of length p + 1 (their suffix from p is one character), then list p + 1
      const newTo = byLengthStart[p + 2] as number;
      const prevFrom = p + 1 < longest ? (this.listStart[p + 1] as number) : 0;
      const prevTo = p + 1 < longest ? prevFrom + (entries - newTo) : 0;
      counts.fill(0);
      for (let i = newFrom; i < newTo; i++) (counts[(key[byLength[i] as number] as number) + 1] as number)++;
      for (let i = prevFrom; i < prevTo; i++) (counts[(key[order[i] as number] as number) + 1] as number)++;
      counts[0] = this.listStart[p] as number;
      for (let c = 1; c < counts.length; c++) counts[c] = (counts[c] as number) + (counts[c - 1] as number);
      for (let i = newFrom; i < newTo; i++) {
        const x = byLength[i] as number;
        order[(counts[key[x] as number] as number)++] = x;
      }
      for (let i = prevFrom; i < prevTo; i++) {
        const x = order[i] as number;
        order[(counts[key[x] as number] as number)++] = x;
      }
    }
    this.lists = longest;
  }

  /** Characters held (the index's size). */
  get totalLength(): number {
    return this.chars.length;
  }

  /** The distinct characters occurring, most frequent first, each with its number of occurrences. */
  characters(): { char: string; occurrences: number }[] {
    const counts = new Int32Array(65536);
    for (let i = 0; i < this.chars.length; i++) (counts[this.chars[i] as number] as number)++;
    const out: { char: string; occurrences: number }[] = [];
    for (let c = 0; c < 65536; c++) {
      const code = this.codeOf[c] as number;
      if (code > 0) out.push({ char: String.fromCharCode(c), occurrences: counts[code] as number });
    }
    return out.sort((a, b) => b.occurrences - a.occurrences);
  }

  /** The query in dense codes, or null when a character of it occurs nowhere (nothing can match). */
  private encode(q: string): Uint16Array | null {
    const out = new Uint16Array(q.length);
    for (let i = 0; i < q.length; i++) {
      const c = this.codeOf[q.charCodeAt(i)] as number;
      if (c === 0) return null;
      out[i] = c;
    }
    return out;
  }

  /** Compares the first q.length characters of entry x's suffix from p with q (past the end is 0). */
  private compare(x: number, p: number, q: Uint16Array): number {
    const from = (this.start[x] as number) + p;
    const left = (this.length[x] as number) - p;
    for (let k = 0; k < q.length; k++) {
      const c = k < left ? (this.chars[from + k] as number) : 0;
      const d = c - (q[k] as number);
      if (d !== 0) return d;
    }
    return 0;
  }

  /**
   * The positions in `order` of the fields containing q, as [from, to) pairs: one pair per offset at
   * which q occurs in some field. A field holding q twice appears in two ranges.
   */
  ranges(q: string): number[] {
    const out: number[] = [];
    if (q.length === 0) return out;
    const code = this.encode(q);
    if (!code) return out;
    for (let p = 0; p + q.length <= this.lists; p++) {
      const from = this.listStart[p] as number;
      const to = p + 1 < this.lists ? (this.listStart[p + 1] as number) : this.order.length;
      let lo = from;
      let hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compare(this.order[mid] as number, p, code) < 0) lo = mid + 1;
        else hi = mid;
      }
      const first = lo;
      hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compare(this.order[mid] as number, p, code) <= 0) lo = mid + 1;
        else hi = mid;
      }
      if (lo > first) out.push(first, lo);
    }
    return out;
  }
}
