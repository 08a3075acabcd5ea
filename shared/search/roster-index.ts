// Search-as-you-type over the roster (DESIGN.md "Search"): name, former name, full pinyin, pinyin
// initials and their mixes ("wang yy"), ID number, 学籍号 and 校内学号. A 20,000-document regex query takes
// ~24 ms, more than a frame, and a county desk searches 200,000 students, so the app keeps this in-memory
// index, fed from the collection's change stream.
//
// A student matches when a query is a substring of one of its text keys (names and pinyin) or, for a
// query with a digit, of one of its number keys. Both are held as suffix lists (suffix-lists.ts): a query
// costs a few hundred comparisons plus one step per occurrence, never a scan of the roster. The text keys
// are indexed once per distinct name (a county of 200,000 has ~120,000) with the students of each name.
//
// The lists are built for the rows present at the last compaction (the base); a row changed, added or
// removed since is marked stale in the base and, if still present, searched by a plain scan of the
// changed rows (the delta). When the delta grows past a sixteenth of the roster the next query compacts:
// the lists are built anew (pinyin is kept per name, so that costs a radix sort, not a pinyin pass).
import { mixedPinyinKeys, pinyinKeys } from '../domain/names';
import type { Student } from '../domain/student';
import { FIELD_SEP, SuffixLists } from './suffix-lists';

export type SearchableStudent = Pick<Student, 'id' | 'name' | 'idNo'> &
  Partial<Pick<Student, 'formerName' | 'statusNo' | 'schoolNo'>>;

/** Lower-cased query without spaces; a 学籍号 typed with its G/L/J letter is searched by its digits. */
export function normaliseQuery(raw: string): string {
  const q = raw.replace(/\s+/g, '').toLowerCase();
  return /^[glj]\d/.test(q) ? q.slice(1) : q;
}

const isNumberQuery = (q: string) => /\d/.test(q);

/** The number keys of a student: ID number, 学籍号 without its letter (when not the ID number), 学号. */
function numberKeys(s: SearchableStudent): string {
  const idNo = s.idNo.toLowerCase();
  const statusTail = (s.statusNo ?? '').slice(1).toLowerCase();
  return [idNo, statusTail === idNo ? '' : statusTail, s.schoolNo ?? ''].join(FIELD_SEP);
}

const popcount = (x: number) => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/**
 * The students matching one query, in index order (the order they were added in), as a bit per slot:
 * the screen reads the count and the ids of the rows it shows, never a list of every hit. Valid until
 * the index next changes.
 */
export class SearchHits {
  /** hits before word w: rank[w] (built on the first positional read) */
  private rank: Int32Array | null = null;

  constructor(
    private readonly bits: Uint32Array,
    readonly count: number,
    private readonly idOfSlot: readonly (string | undefined)[],
    private readonly slotOf: ReadonlyMap<string, number>,
  ) {}

  /** Whether the student is a hit (a filter over the roster's sorted rows asks this per row). */
  has(id: string): boolean {
    const slot = this.slotOf.get(id);
    return slot !== undefined && ((this.bits[slot >>> 5] as number) & (1 << (slot & 31))) !== 0;
  }

  /** The word holding hit i and the hits before it. */
  private locate(i: number): number {
    if (!this.rank) {
      this.rank = new Int32Array(this.bits.length + 1);
      for (let w = 0; w < this.bits.length; w++)
        this.rank[w + 1] = (this.rank[w] as number) + popcount(this.bits[w] as number);
    }
    let lo = 0;
    let hi = this.bits.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.rank[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  idAt(i: number): string | undefined {
    return this.ids(i, i + 1)[0];
  }

  /** Ids of hits [from, to) (all of them by default). */
  ids(from = 0, to = this.count): string[] {
    const n = Math.min(to, this.count) - from;
    if (n <= 0) return [];
    const out: string[] = new Array(n);
    let w = from === 0 ? 0 : this.locate(from);
    let skip = from === 0 ? 0 : from - (this.rank?.[w] as number);
    let k = 0;
    for (; k < n; w++) {
      let word = this.bits[w] as number;
      while (word !== 0 && k < n) {
        const low = word & -word;
        word ^= low;
        if (skip > 0) skip--;
        else out[k++] = this.idOfSlot[w * 32 + 31 - Math.clz32(low)] as string;
      }
    }
    return out;
  }
}

/** The lists built at the last compaction, over slots [0, slots) and units [0, units). */
type Base = {
  slots: number;
  /** a bit per slot whose row changed or left since (its entries in the lists are out of date) */
  stale: Uint32Array;
  text: SuffixLists;
  /** slots of unit u: unitRows[unitRowStart[u] … unitRowStart[u + 1]) */
  unitRowStart: Int32Array;
  unitRows: Int32Array;
  numbers: SuffixLists;
  /** the hits of the one- and two-character queries that occur most, taken at compaction */
  frequent: { text: Map<string, Uint32Array>; numbers: Map<string, Uint32Array> };
};

const words = (slots: number) => (slots + 31) >>> 5;

export class RosterIndex {
  /** per slot: the student's id (undefined: removed), its text unit and its number keys */
  private ids: (string | undefined)[] = [];
  private slotUnit: number[] = [];
  private slotNumbers: string[] = [];
  private slotOf = new Map<string, number>();
  /** per distinct (name, former name): its text keys, lower-case, fields separated by FIELD_SEP */
  private unitText: string[] = [];
  private unitKey: string[] = [];
  private unitOf = new Map<string, number>();
  private live = 0;
  private base: Base | null = null;
  /** slots changed or added since the base was built, still present */
  private delta = new Set<number>();

  get size(): number {
    return this.live;
  }

  private unitFor(s: SearchableStudent): number {
    const key = s.formerName ? `${s.name}${FIELD_SEP}${s.formerName}` : s.name;
    let u = this.unitOf.get(key);
    if (u === undefined) {
      const k = pinyinKeys(s.name);
      const text = [s.name, s.formerName ?? '', k.full, k.initials, ...mixedPinyinKeys(s.name)]
        .join(FIELD_SEP)
        .toLowerCase();
      u = this.unitText.length;
      this.unitText.push(text);
      this.unitKey.push(key);
      this.unitOf.set(key, u);
    }
    return u;
  }

  private outdated(slot: number): void {
    if (this.base && slot < this.base.slots)
      this.base.stale[slot >>> 5] = (this.base.stale[slot >>> 5] as number) | (1 << (slot & 31));
  }

  /**
   * Works out the text keys (pinyin) of these students' names ahead of time, without indexing them: an
   * area desk does it in slices after loading, so that building the index later costs only the lists.
   */
  prepare(students: Iterable<SearchableStudent>): void {
    for (const s of students) this.unitFor(s);
  }

  /** Replaces the whole content (initial load) and builds the lists. */
  reset(students: Iterable<SearchableStudent>): void {
    this.ids = [];
    this.slotUnit = [];
    this.slotNumbers = [];
    this.slotOf.clear();
    this.live = 0;
    this.base = null;
    this.delta.clear();
    for (const s of students) {
      if (this.slotOf.has(s.id)) this.upsert(s);
      else {
        // a new row needs no delta entry: the lists built next hold it
        this.slotOf.set(s.id, this.ids.length);
        this.ids.push(s.id);
        this.slotUnit.push(this.unitFor(s));
        this.slotNumbers.push(numberKeys(s));
        this.live++;
      }
    }
    this.compact();
  }

  /** Adds a student or brings it up to date (a student whose keys did not change costs a look-up). */
  upsert(s: SearchableStudent): void {
    const unit = this.unitFor(s);
    const numbers = numberKeys(s);
    const slot = this.slotOf.get(s.id);
    if (slot === undefined) {
      const at = this.ids.length;
      this.ids.push(s.id);
      this.slotUnit.push(unit);
      this.slotNumbers.push(numbers);
      this.slotOf.set(s.id, at);
      this.live++;
      this.delta.add(at);
      return;
    }
    if (this.slotUnit[slot] === unit && this.slotNumbers[slot] === numbers) return;
    this.slotUnit[slot] = unit;
    this.slotNumbers[slot] = numbers;
    this.outdated(slot);
    this.delta.add(slot);
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.ids[slot] = undefined;
    this.slotOf.delete(id);
    this.outdated(slot);
    this.delta.delete(slot);
    this.live--;
  }

  /** Changes since the base beyond which the next query builds the lists anew. */
  private get compactAt(): number {
    return Math.max(1024, this.live >> 4);
  }

  /**
   * Builds the lists over every row present (removed rows leave, the order is kept) and forgets names
   * no row has any more.
   */
  compact(): void {
    if (this.live !== this.ids.length) this.dropRemoved();
    let unitCount = this.unitUse();
    if (unitCount.includes(0)) {
      this.dropUnusedUnits(unitCount);
      unitCount = this.unitUse();
    }
    const ids = this.ids;
    const unitText = this.unitText;
    const slotNumbers = this.slotNumbers;
    const unitRowStart = new Int32Array(unitText.length + 1);
    for (let u = 0; u < unitText.length; u++)
      unitRowStart[u + 1] = (unitRowStart[u] as number) + (unitCount[u] as number);
    const fill = unitRowStart.slice(0, unitText.length);
    const unitRows = new Int32Array(ids.length);
    for (let slot = 0; slot < ids.length; slot++) {
      const u = this.slotUnit[slot] as number;
      unitRows[(fill[u] as number)++] = slot;
    }
    this.delta.clear();
    const base: Base = {
      slots: ids.length,
      stale: new Uint32Array(words(ids.length)),
      text: new SuffixLists(unitText),
      unitRowStart,
      unitRows,
      numbers: new SuffixLists(slotNumbers),
      frequent: { text: new Map(), numbers: new Map() },
    };
    this.base = base;
    // A one- or two-character query can occur a million times in a county (every ID number holds "0");
    // those answers are kept ready. A frequent pair is made of two frequent characters.
    const many = Math.max(256, ids.length >> 4);
    for (const key of ['text', 'numbers'] as const) {
      const lists = base[key];
      const chars = lists.characters().filter((c) => c.occurrences >= many);
      const queries = [
        ...chars.map((c) => c.char),
        ...chars.flatMap((a) => chars.map((b) => a.char + b.char)),
      ];
      for (const q of queries) {
        const ranges = lists.ranges(q);
        let occurrences = 0;
        for (let r = 0; r < ranges.length; r += 2)
          occurrences += (ranges[r + 1] as number) - (ranges[r] as number);
        if (occurrences >= many)
          base.frequent[key].set(q, this.mark(base, key, ranges, new Uint32Array(words(ids.length))));
      }
    }
  }

  /** Sets the bits of the base's rows holding the occurrences in `ranges` (stale rows included). */
  private mark(base: Base, key: 'text' | 'numbers', ranges: number[], bits: Uint32Array): Uint32Array {
    const { order, owner } = base[key];
    if (key === 'numbers') {
      for (let r = 0; r < ranges.length; r += 2) {
        const to = ranges[r + 1] as number;
        for (let i = ranges[r] as number; i < to; i++) {
          const slot = owner[order[i] as number] as number;
          bits[slot >>> 5] = (bits[slot >>> 5] as number) | (1 << (slot & 31));
        }
      }
      return bits;
    }
    // a name's students once per query, however many of its keys hold the query
    const seen = new Uint32Array(words(base.unitRowStart.length - 1));
    for (let r = 0; r < ranges.length; r += 2) {
      const to = ranges[r + 1] as number;
      for (let i = ranges[r] as number; i < to; i++) {
        const u = owner[order[i] as number] as number;
        const bit = 1 << (u & 31);
        if (((seen[u >>> 5] as number) & bit) !== 0) continue;
        seen[u >>> 5] = (seen[u >>> 5] as number) | bit;
        const end = base.unitRowStart[u + 1] as number;
        for (let j = base.unitRowStart[u] as number; j < end; j++) {
          const slot = base.unitRows[j] as number;
          bits[slot >>> 5] = (bits[slot >>> 5] as number) | (1 << (slot & 31));
        }
      }
    }
    return bits;
  }

  /** Closes the gaps removed rows left (the order of the others is kept). */
  private dropRemoved(): void {
    const ids: string[] = [];
    const slotUnit: number[] = [];
    const slotNumbers: string[] = [];
    const slotOf = new Map<string, number>();
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      slotOf.set(id, ids.length);
      ids.push(id);
      slotUnit.push(this.slotUnit[slot] as number);
      slotNumbers.push(this.slotNumbers[slot] as string);
    }
    this.ids = ids;
    this.slotUnit = slotUnit;
    this.slotNumbers = slotNumbers;
    this.slotOf = slotOf;
  }

  /** The number of rows of each name. */
  private unitUse(): Int32Array {
    const count = new Int32Array(this.unitText.length);
    for (const u of this.slotUnit) (count[u] as number)++;
    return count;
  }

  /** Forgets the names no row has any more. */
  private dropUnusedUnits(count: Int32Array): void {
    const unitMap = new Int32Array(count.length).fill(-1);
    const unitText: string[] = [];
    const unitKey: string[] = [];
    const unitOf = new Map<string, number>();
    for (let u = 0; u < count.length; u++) {
      if (count[u] === 0) continue;
      unitMap[u] = unitText.length;
      unitOf.set(this.unitKey[u] as string, unitText.length);
      unitText.push(this.unitText[u] as string);
      unitKey.push(this.unitKey[u] as string);
    }
    for (let slot = 0; slot < this.slotUnit.length; slot++)
      this.slotUnit[slot] = unitMap[this.slotUnit[slot] as number] as number;
    this.unitText = unitText;
    this.unitKey = unitKey;
    this.unitOf = unitOf;
  }

  /** The students matching the query; null for an empty query (= everyone). */
  query(raw: string): SearchHits | null {
    const q = normaliseQuery(raw);
    if (q === '') return null;
    if (this.delta.size > this.compactAt) this.compact();
    const numeric = isNumberQuery(q);
    const key = numeric ? 'numbers' : 'text';
    const bits = new Uint32Array(words(this.ids.length));
    const base = this.base;
    if (base) {
      const ready = base.frequent[key].get(q);
      if (ready) bits.set(ready);
      else this.mark(base, key, base[key].ranges(q), bits);
      for (let w = 0; w < base.stale.length; w++) bits[w] = (bits[w] as number) & ~(base.stale[w] as number);
    }
    for (const slot of this.delta) {
      const keys = numeric
        ? (this.slotNumbers[slot] as string)
        : (this.unitText[this.slotUnit[slot] as number] as string);
      if (keys.includes(q)) bits[slot >>> 5] = (bits[slot >>> 5] as number) | (1 << (slot & 31));
    }
    let count = 0;
    for (let w = 0; w < bits.length; w++) count += popcount(bits[w] as number);
    return new SearchHits(bits, count, this.ids, this.slotOf);
  }

  /** Ids of the students matching the query, in index order; null for an empty query (= everyone). */
  search(raw: string): string[] | null {
    return this.query(raw)?.ids() ?? null;
  }
}
