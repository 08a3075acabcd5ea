import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../seed/random';
import {
  checkDrawRules,
  checkInspectorCount,
  checkRecusal,
  type DrawResult,
  drawInspection,
  evenSpreadBound,
  impliedSize,
  inspectorLoads,
  parseDrawResult,
  verifyDraw,
} from './draw';
import {
  canonicalDrawInputs,
  type DrawInputs,
  type DrawInspector,
  type DrawObject,
  drawInputsHash,
  parseDrawInspectors,
  parseDrawObjects,
  resolveDrawCount,
  seedFromArgument,
} from './draw-input';
import { publishDraw } from './draw-publication';
import { drawStream } from './draw-random';

const SEEDS = 1000;

function shuffled<T>(items: readonly T[], rnd: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

type Instance = { inputs: DrawInputs; seed: string | number; ratio?: { p: number; q: number } };

/** A random register, pool, size and K: some inspectors without enforcement IDs, conflicts of any density. */
function randomInstance(s: number): Instance {
  const rnd = createRandom(s);
  const n = rnd.int(1, 30);
  const objects: DrawObject[] = Array.from({ length: n }, (_, i) => {
    const o: DrawObject = {
      id: `S${String(rnd.int(0, 9999)).padStart(4, '0')}-${i}`,
      name: `第${i + 1}学校`,
    };
    if (rnd.chance(0.4)) o.weight = rnd.int(1, 6);
    return o;
  });
  const p = rnd.int(2, 14);
  const density = rnd.pick([0, 0, 0.05, 0.15, 0.3, 0.5]);
  const inspectors: DrawInspector[] = Array.from({ length: p }, (_, i) => ({
    id: `P${rnd.int(0, 99)}-${i}`,
    name: `检查员${i + 1}`,
    enforcementId: rnd.chance(0.1) ? rnd.pick([null, '', '  ']) : `晋教执${10000 + i}`,
    conflicts: objects.filter(() => rnd.chance(density)).map((o) => o.id),
  }));
  const perObject = rnd.int(2, 4);
  const seed = rnd.chance(0.5) ? rnd.int(0, 2 ** 31) : `第${s}批-${rnd.int(0, 99)}`;
  if (rnd.chance(0.5)) {
    const q = rnd.pick([10, 100, 1000]);
    const pp = rnd.int(1, q);
    return { inputs: { objects, inspectors, size: { ratio: pp / q }, perObject }, seed, ratio: { p: pp, q } };
  }
  return { inputs: { objects, inspectors, size: { count: rnd.int(1, n) }, perObject }, seed };
}

/** A feasible register: 12 schools (two with a higher risk weight), 7 inspectors, one without an ID. */
const FIXED: DrawInputs = {
  objects: Array.from({ length: 12 }, (_, i) => ({
    id: `S${String(i + 1).padStart(2, '0')}`,
    name: `学校${i + 1}`,
    ...(i % 5 === 0 ? { weight: 3 } : {}),
  })),
  inspectors: Array.from({ length: 7 }, (_, i) => ({
    id: `I${i + 1}`,
    name: `检查员${i + 1}`,
    enforcementId: i === 6 ? null : `晋教执${1000 + i}`,
    conflicts: i < 3 ? ['S01', 'S02'] : [],
  })),
  size: { ratio: 0.5 },
  perObject: 2,
};

const eligible = (inputs: DrawInputs) => inputs.inspectors.filter((p) => p.enforcementId?.trim());

function freeFor(inputs: DrawInputs, objectId: string): string[] {
  return eligible(inputs)
    .filter((p) => !p.conflicts?.includes(objectId))
    .map((p) => p.id);
}

/** Independent oracle: the smallest cap L such that every drawn object gets K free inspectors (max flow). */
function minimalMaxLoad(inputs: DrawInputs, drawn: readonly string[]): number {
  const pool = eligible(inputs).map((p) => p.id);
  const k = inputs.perObject;
  const m = drawn.length;
  const size = m + pool.length + 2;
  const sink = size - 1;
  const feasible = (cap: number) => {
    // Edmonds–Karp on source → objects (K) → free inspectors (1) → sink (cap)
    const c = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    drawn.forEach((o, i) => {
      (c[0] as number[])[1 + i] = k;
      for (const p of freeFor(inputs, o)) (c[1 + i] as number[])[1 + m + pool.indexOf(p)] = 1;
    });
    pool.forEach((_, j) => {
      (c[1 + m + j] as number[])[sink] = cap;
    });
    let flow = 0;
    for (;;) {
      const prev = new Array<number>(size).fill(-1);
      prev[0] = 0;
      const queue = [0];
      for (let q = 0; q < queue.length && prev[sink] === -1; q++) {
        const u = queue[q] as number;
        for (let v = 0; v < size; v++)
          if (prev[v] === -1 && ((c[u] as number[])[v] ?? 0) > 0) {
            prev[v] = u;
            queue.push(v);
          }
      }
      if (prev[sink] === -1) return flow === k * m;
      for (let v = sink; v !== 0; v = prev[v] as number) {
        const u = prev[v] as number;
        (c[u] as number[])[v] = ((c[u] as number[])[v] ?? 0) - 1;
        (c[v] as number[])[u] = ((c[v] as number[])[u] ?? 0) + 1;
      }
      flow++;
    }
  };
  for (let cap = Math.ceil((k * m) / pool.length); cap <= m; cap++) if (feasible(cap)) return cap;
  return Number.POSITIVE_INFINITY; // no assignment respects the recusals
}

function tamperings(
  result: DrawResult,
  inputs: DrawInputs,
  rnd: Random,
): { name: string; result: DrawResult }[] {
  const out: { name: string; result: DrawResult }[] = [];
  const clone = (): DrawResult => JSON.parse(JSON.stringify(result)) as DrawResult;
  const d = rnd.int(0, result.draws.length - 1);
  const draw = result.draws[d];
  const outsider = eligible(inputs).find((p) => !draw?.inspectors.includes(p.id));
  if (draw && outsider) {
    const t = clone();
    const slot = rnd.int(0, draw.inspectors.length - 1);
    (t.draws[d] as { inspectors: string[] }).inspectors[slot] = outsider.id;
    out.push({ name: 'swapped inspector', result: t });
  }
  const dropped = clone();
  dropped.draws.splice(d, 1);
  out.push({ name: 'dropped object', result: dropped });
  const short = clone();
  short.draws[d]?.inspectors.pop();
  out.push({ name: 'dropped inspector', result: short });
  const reordered = clone();
  if (reordered.draws.length > 1) {
    reordered.draws.reverse();
    out.push({ name: 'reordered draws', result: reordered });
  }
  const notDrawn = inputs.objects.find((o) => !result.draws.some((x) => x.object === o.id));
  if (notDrawn) {
    const t = clone();
    (t.draws[d] as { object: string }).object = notDrawn.id;
    out.push({ name: 'replaced object', result: t });
  }
  return out;
}

function changedInputs(
  inputs: DrawInputs,
  result: DrawResult,
  rnd: Random,
): { name: string; inputs: DrawInputs }[] {
  const objects = inputs.objects.map((o) => ({ ...o }));
  const o = rnd.int(0, objects.length - 1);
  const renamed = objects.map((x, i) => (i === o ? { ...x, name: `${x.name}（改）` } : x));
  const reweighted = objects.map((x, i) => (i === o ? { ...x, weight: (x.weight ?? 1) + 1 } : x));
  const drawnObject = result.draws[0]?.object as string;
  const firstInspector = result.draws[0]?.inspectors[0] as string;
  return [
    { name: 'renamed object', inputs: { ...inputs, objects: renamed } },
    { name: 'changed weight', inputs: { ...inputs, objects: reweighted } },
    {
      name: 'added object',
      inputs: { ...inputs, objects: [...objects, { id: 'ZZ-new', name: '新增学校' }], size: inputs.size },
    },
    {
      name: 'declared conflict',
      inputs: {
        ...inputs,
        inspectors: inputs.inspectors.map((p) =>
          p.id === firstInspector ? { ...p, conflicts: [...(p.conflicts ?? []), drawnObject] } : p,
        ),
      },
    },
    {
      name: 'changed enforcement ID',
      inputs: {
        ...inputs,
        inspectors: inputs.inspectors.map((p) =>
          p.id === firstInspector ? { ...p, enforcementId: `${p.enforcementId}9` } : p,
        ),
      },
    },
    {
      name: 'removed inspector',
      inputs: { ...inputs, inspectors: inputs.inspectors.filter((p) => p.id !== firstInspector) },
    },
    { name: 'changed K', inputs: { ...inputs, perObject: inputs.perObject + 1 } },
    { name: 'added matter', inputs: { ...inputs, matter: { id: 'M1', name: '学籍管理' } } },
  ];
}

describe('drawInspection over random inputs (1,000 seeds)', () => {
  const instances = Array.from({ length: SEEDS }, (_, s) => ({ s, ...randomInstance(s + 1) }));
  const outcomes = instances.map((x) => ({ ...x, outcome: drawInspection(x.inputs, x.seed) }));
  const drawnOk = outcomes.filter((x) => x.outcome.ok);

  it('covers both feasible and impossible draws, and draws with and without recusals', () => {
    expect(drawnOk.length).toBeGreaterThan(SEEDS / 3);
    expect(outcomes.filter((x) => !x.outcome.ok).length).toBeGreaterThan(50);
    expect(
      drawnOk.filter((x) => x.inputs.inspectors.some((p) => (p.conflicts?.length ?? 0) > 0)).length,
    ).toBeGreaterThan(200);
  });

  it('is reproducible: the same inputs and seed give byte-identical output', () => {
    for (const x of outcomes)
      expect(JSON.stringify(drawInspection(x.inputs, x.seed))).toBe(JSON.stringify(x.outcome));
  });

  it('does not depend on the order of objects, inspectors, conflicts or keys in the input', () => {
    for (const x of outcomes) {
      const rnd = createRandom(x.s * 7 + 3);
      const inputs: DrawInputs = {
        ...x.inputs,
        // entries shuffled, and each object's keys in reverse order
        objects: shuffled(x.inputs.objects, rnd).map(
          (o) => Object.fromEntries(Object.entries(o).reverse()) as unknown as DrawObject,
        ),
        inspectors: shuffled(x.inputs.inspectors, rnd).map((p) => ({
          ...p,
          conflicts: shuffled([...(p.conflicts ?? []), ...(p.conflicts ?? []).slice(0, 1)], rnd),
        })),
      };
      expect(JSON.stringify(drawInspection(inputs, x.seed))).toBe(JSON.stringify(x.outcome));
    }
  });

  it('R-INSP-2, R-INSP-RECUSE: refuses exactly when an object has fewer than K free inspectors, naming it', () => {
    for (const x of outcomes) {
      const short = x.inputs.objects.filter((o) => freeFor(x.inputs, o.id).length < x.inputs.perObject);
      expect(x.outcome.ok).toBe(short.length === 0);
      if (!x.outcome.ok) {
        expect(x.outcome.kind).toBe('impossible');
        if (x.outcome.kind !== 'impossible') continue;
        expect(x.outcome.objects.map((o) => o.id).sort()).toEqual(short.map((o) => o.id).sort());
        for (const o of short) expect(x.outcome.message).toContain(`“${o.name}”（${o.id}）`);
        expect(x.outcome.message).toContain('R-INSP-2');
      }
    }
  });

  it('R-INSP-RECUSE: a conflicted inspector is never drawn for that object; R-INSP-2: K distinct holders of an enforcement ID each', () => {
    for (const x of drawnOk) {
      if (!x.outcome.ok) continue;
      const r = x.outcome.result;
      expect(checkDrawRules(r, x.inputs)).toEqual([]);
      const holders = new Set(eligible(x.inputs).map((p) => p.id));
      for (const d of r.draws) {
        expect(new Set(d.inspectors).size).toBe(x.inputs.perObject);
        expect(d.inspectors.length).toBe(x.inputs.perObject);
        for (const p of d.inspectors) {
          expect(holders.has(p)).toBe(true);
          const conflicts = x.inputs.inspectors.find((q) => q.id === p)?.conflicts ?? [];
          expect(conflicts).not.toContain(d.object);
        }
      }
    }
  });

  it('draws ⌈R × objects⌉ (at least one) or exactly N distinct objects of the register', () => {
    for (const x of drawnOk) {
      if (!x.outcome.ok) continue;
      const n = x.inputs.objects.length;
      const want = x.ratio
        ? Math.max(1, Math.ceil((x.ratio.p * n) / x.ratio.q))
        : (x.inputs.size as { count: number }).count;
      const ids = x.outcome.result.draws.map((d) => d.object);
      expect(ids.length).toBe(want);
      expect(new Set(ids).size).toBe(want);
      for (const id of ids) expect(x.inputs.objects.some((o) => o.id === id)).toBe(true);
    }
  });

  it('spreads the work evenly: max load is the least any assignment respecting recusals allows (⌈K·m/P⌉ without recusals), loads differ by ≤ 1 without recusals', () => {
    let forced = 0;
    for (const x of drawnOk) {
      if (!x.outcome.ok) continue;
      const r = x.outcome.result;
      const loads = [...inspectorLoads(r, x.inputs).values()];
      const max = Math.max(...loads);
      const bound = evenSpreadBound(x.inputs.perObject, r.draws.length, loads.length);
      const oracle = minimalMaxLoad(
        x.inputs,
        r.draws.map((d) => d.object),
      );
      expect(max).toBe(oracle);
      expect(max).toBeGreaterThanOrEqual(bound);
      if (max > bound) forced++;
      const recusalsMatter = r.draws.some((d) => freeFor(x.inputs, d.object).length < loads.length);
      if (!recusalsMatter) {
        expect(max).toBe(bound);
        expect(max - Math.min(...loads)).toBeLessThanOrEqual(1);
      }
    }
    // the random instances include draws where recusals force a higher load
    expect(forced).toBeGreaterThan(0);
  });

  it('verifyDraw accepts every draw and rejects any changed draw (swapped inspector, dropped object, reordered, replaced)', () => {
    let tried = 0;
    for (const x of drawnOk) {
      if (!x.outcome.ok) continue;
      expect(verifyDraw(x.outcome.result, x.inputs)).toEqual({ ok: true });
      for (const t of tamperings(x.outcome.result, x.inputs, createRandom(x.s))) {
        const v = verifyDraw(t.result, x.inputs);
        expect(v.ok, `${t.name} (seed ${x.s})`).toBe(false);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(drawnOk.length * 3);
  });

  it('verifyDraw rejects a changed seed unless that seed really gives the same draw', () => {
    let rejected = 0;
    for (const x of drawnOk) {
      if (!x.outcome.ok) continue;
      const other = typeof x.seed === 'number' ? x.seed + 1 : `${x.seed}x`;
      const claimed = { ...x.outcome.result, seed: other };
      const truth = drawInspection(x.inputs, other);
      const same = truth.ok && JSON.stringify(truth.result.draws) === JSON.stringify(claimed.draws);
      expect(verifyDraw(claimed, x.inputs).ok).toBe(same);
      if (!same) rejected++;
    }
    expect(rejected).toBeGreaterThan(drawnOk.length * 0.8);
  });

  it('verifyDraw rejects the result against any changed input (name, weight, object, conflict, enforcement ID, pool, K, matter)', () => {
    for (const x of drawnOk) {
      if (!x.outcome.ok) continue;
      for (const c of changedInputs(x.inputs, x.outcome.result, createRandom(x.s + 5))) {
        const v = verifyDraw(x.outcome.result, c.inputs);
        expect(v.ok, `${c.name} (seed ${x.s})`).toBe(false);
      }
    }
  });
});

describe('R-INSP-RECUSE on a fixed register across 1,000 seeds', () => {
  // Ten schools, six inspectors; 高老师 and 李老师 declared conflicts with 一中, so exactly two are free for it.
  const objects = Array.from({ length: 10 }, (_, i) => ({
    id: `S${i}`,
    name: i === 0 ? '一中' : `学校${i}`,
  }));
  const inspectors: DrawInspector[] = [
    { id: 'gao', name: '高老师', enforcementId: 'A1', conflicts: ['S0', 'S3'] },
    { id: 'li', name: '李老师', enforcementId: 'A2', conflicts: ['S0'] },
    { id: 'wang', name: '王老师', enforcementId: 'A3', conflicts: ['S0'] },
    { id: 'zhao', name: '赵老师', enforcementId: 'A4', conflicts: [] },
    { id: 'sun', name: '孙老师', enforcementId: 'A5', conflicts: ['S5'] },
    { id: 'zhou', name: '周老师', enforcementId: null, conflicts: [] },
  ];
  const inputs: DrawInputs = { objects, inspectors, size: { ratio: 0.5 }, perObject: 2 };

  it('never pairs a conflicted inspector with that school, and never draws one without an enforcement ID', () => {
    let drewS0 = 0;
    for (let s = 0; s < SEEDS; s++) {
      const o = drawInspection(inputs, s);
      expect(o.ok).toBe(true);
      if (!o.ok) continue;
      expect(o.result.draws).toHaveLength(5);
      for (const d of o.result.draws) {
        expect(d.inspectors).not.toContain('zhou');
        for (const p of d.inspectors)
          expect(inspectors.find((q) => q.id === p)?.conflicts).not.toContain(d.object);
        if (d.object === 'S0') {
          drewS0++;
          expect(d.inspectors).toEqual(['sun', 'zhao']);
        }
      }
    }
    // ⌈0.5 × 10⌉ = 5 of 10 equally weighted schools: 一中 is drawn about half the time
    expect(drewS0).toBeGreaterThan(400);
    expect(drewS0).toBeLessThan(600);
  });

  it('refuses, naming 一中, when one more inspector declares a conflict with it', () => {
    const more = inspectors.map((p) => (p.id === 'zhao' ? { ...p, conflicts: ['S0'] } : p));
    const o = drawInspection({ ...inputs, inspectors: more }, 1);
    expect(o.ok).toBe(false);
    if (o.ok || o.kind !== 'impossible') return;
    expect(o.objects).toEqual([{ id: 'S0', name: '一中', free: 1 }]);
    expect(o.message).toContain(
      '检查对象“一中”（S0）只有 1 名持执法证且无利害关系的检查人员，少于每个对象所需的 2 名',
    );
  });
});

describe('the draw is random where it should be', () => {
  it('draws an object of weight 5 five times as often as one of weight 1 (差异化抽查)', () => {
    const objects = Array.from({ length: 10 }, (_, i) => ({
      id: `S${i}`,
      name: `学校${i}`,
      weight: i === 3 ? 5 : 1,
    }));
    const inspectors = Array.from({ length: 4 }, (_, i) => ({
      id: `P${i}`,
      name: `人${i}`,
      enforcementId: `E${i}`,
    }));
    const hits = new Map<string, number>();
    const runs = 3000;
    for (let s = 0; s < runs; s++) {
      const o = drawInspection({ objects, inspectors, size: { count: 1 }, perObject: 2 }, `w${s}`);
      if (!o.ok) throw new Error('draw failed');
      const id = o.result.draws[0]?.object as string;
      hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    // expected 5/14 ≈ 1071 for S3 and 1/14 ≈ 214 for each other school
    expect(hits.get('S3')).toBeGreaterThan(950);
    expect(hits.get('S3')).toBeLessThan(1200);
    for (const [id, n] of hits) if (id !== 'S3') expect(n, id).toSatisfy((v: number) => v > 150 && v < 290);
  });

  it('gives every inspector about the same share of every object, and varies the pairs', () => {
    const objects = Array.from({ length: 6 }, (_, i) => ({ id: `S${i}`, name: `学校${i}` }));
    const inspectors = Array.from({ length: 6 }, (_, i) => ({
      id: `P${i}`,
      name: `人${i}`,
      enforcementId: `E${i}`,
    }));
    const share = new Map<string, number>();
    const pairs = new Set<string>();
    const runs = 1200;
    for (let s = 0; s < runs; s++) {
      const o = drawInspection({ objects, inspectors, size: { count: 3 }, perObject: 2 }, s);
      if (!o.ok) throw new Error('draw failed');
      for (const d of o.result.draws) {
        pairs.add(d.inspectors.join('+'));
        for (const p of d.inspectors) share.set(`${d.object}/${p}`, (share.get(`${d.object}/${p}`) ?? 0) + 1);
      }
    }
    expect(pairs.size).toBe(15); // all C(6,2) pairs occur
    // each school is drawn half the time, and then each inspector is on it with probability 1/3: 200 each
    for (const n of share.values()) expect(n).toSatisfy((v: number) => v > 140 && v < 260);
    expect(share.size).toBe(36);
  });
});

describe('balance on tiny registers equals the best of all assignments (brute force)', () => {
  /** every way to give each drawn object K of its free inspectors */
  function allAssignments(free: string[][], k: number): string[][][] {
    const subsets = (items: string[], size: number): string[][] =>
      size === 0
        ? [[]]
        : items.flatMap((x, i) => subsets(items.slice(i + 1), size - 1).map((rest) => [x, ...rest]));
    return free.reduce<string[][][]>(
      (acc, f) => acc.flatMap((partial) => subsets(f, k).map((team) => [...partial, team])),
      [[]],
    );
  }
  const desc = (loads: Iterable<number>) => [...loads].sort((a, b) => b - a);
  /** decreasingly minimal = lexicographically least when sorted from the highest load down */
  const lexLess = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) < (b[i] ?? 0);
    return false;
  };

  it('the load vector is decreasingly minimal: the highest load least, then the next …', () => {
    let checked = 0;
    for (let s = 0; s < 300; s++) {
      const rnd = createRandom(9000 + s);
      const n = rnd.int(2, 4);
      const objects = Array.from({ length: n }, (_, i) => ({ id: `O${i}`, name: `对象${i}` }));
      const pool = rnd.int(3, 6);
      const inspectors = Array.from({ length: pool }, (_, i) => ({
        id: `P${i}`,
        name: `人${i}`,
        enforcementId: `E${i}`,
        conflicts: objects.filter(() => rnd.chance(0.35)).map((o) => o.id),
      }));
      const inputs: DrawInputs = { objects, inspectors, size: { count: n }, perObject: 2 };
      const o = drawInspection(inputs, s);
      if (!o.ok) continue;
      const free = o.result.draws.map((d) => freeFor(inputs, d.object));
      let best: number[] | null = null;
      for (const a of allAssignments(free, 2)) {
        const loads = new Map(inspectors.map((p) => [p.id, 0]));
        for (const team of a) for (const p of team) loads.set(p, (loads.get(p) ?? 0) + 1);
        const v = desc(loads.values());
        if (best === null || lexLess(v, best)) best = v;
      }
      expect(desc(inspectorLoads(o.result, inputs).values())).toEqual(best);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('the documented method (docs/inspections.md) re-implemented with node:crypto', () => {
  const stream = (label: string, hash: string, seed: string) => {
    let counter = 0;
    let buf = Buffer.alloc(0);
    const uint32 = () => {
      if (buf.length < 4) {
        buf = createHash('sha256')
          .update(JSON.stringify(['xueji-draw/1', label, hash, seed, counter++]), 'utf8')
          .digest();
      }
      const v = buf.readUInt32BE(0);
      buf = buf.subarray(4);
      return v;
    };
    const below = (n: number) => {
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const x = uint32();
        if (x < limit) return x % n;
      }
    };
    return { uint32, below };
  };

  it('the random stream is SHA-256 in counter mode over the JSON array', () => {
    const a = drawStream('objects', 'ab'.repeat(32), '2026年第1批');
    const b = stream('objects', 'ab'.repeat(32), '2026年第1批');
    for (let i = 0; i < 100; i++) expect(a.uint32()).toBe(b.uint32());
    for (let i = 0; i < 100; i++) expect(a.below(7 + i)).toBe(b.below(7 + i));
  });

  it('steps 1–3 as written give the same draw as the implementation', () => {
    for (let s = 0; s < 200; s++) {
      const x = randomInstance(50_000 + s);
      const o = drawInspection(x.inputs, x.seed);
      if (!o.ok) continue;
      const c = canonicalDrawInputs(x.inputs);
      if (!c.ok) throw new Error('invalid');
      const hash = drawInputsHash(c.value);
      expect(o.result.inputsHash).toBe(hash);
      const seed = String(x.seed);
      // step 1: the first object not yet drawn, in id order, at which the running sum of weights exceeds r
      const left = c.value.objects.map((ob) => ({ ...ob }));
      const s1 = stream('objects', hash, seed);
      const drawn: string[] = [];
      for (let k = 0; k < c.value.drawCount; k++) {
        let r = s1.below(left.reduce((a, ob) => a + ob.weight, 0));
        const i = left.findIndex((ob) => {
          if (r < ob.weight) return true;
          r -= ob.weight;
          return false;
        });
        drawn.push((left[i] as { id: string }).id);
        left.splice(i, 1);
      }
      expect(o.result.draws.map((d) => d.object)).toEqual(drawn);
      // step 2: lowest (load, key, id) among the free inspectors, keys drawn in id order per object
      const pool = c.value.inspectors.filter((p) => p.enforcementId !== null);
      const s2 = stream('assign', hash, seed);
      const load = new Map(pool.map((p) => [p.id, 0]));
      const teams = drawn.map((ob) => {
        const keyed = pool
          .filter((p) => !p.conflicts.includes(ob))
          .map((p) => ({ id: p.id, key: s2.uint32() }));
        keyed.sort(
          (a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.key - b.key || (a.id < b.id ? -1 : 1),
        );
        const team = keyed.slice(0, c.value.perObject).map((k) => k.id);
        for (const p of team) load.set(p, (load.get(p) ?? 0) + 1);
        return team;
      });
      // step 3 only moves work when the greedy loads are not yet decreasingly minimal; when they are, the
      // teams are the greedy ones
      const greedyLoads = [...load.values()].sort((a, b) => b - a).join(',');
      const finalLoads = [...inspectorLoads(o.result, x.inputs).values()].sort((a, b) => b - a).join(',');
      if (greedyLoads === finalLoads)
        expect(o.result.draws.map((d) => d.inspectors)).toEqual(teams.map((t) => [...t].sort()));
    }
  });
});

describe('inputs', () => {
  it('resolves ⌈R × n⌉ in exact decimals (0.3 × 10 is 3, not 4) and at least one', () => {
    expect(resolveDrawCount({ ratio: 0.3 }, 10)).toEqual({ ok: true, value: 3 });
    expect(resolveDrawCount({ ratio: 0.1 }, 30)).toEqual({ ok: true, value: 3 });
    expect(resolveDrawCount({ ratio: 0.15 }, 7)).toEqual({ ok: true, value: 2 });
    expect(resolveDrawCount({ ratio: 0.000001 }, 3)).toEqual({ ok: true, value: 1 });
    expect(resolveDrawCount({ ratio: 1 }, 9)).toEqual({ ok: true, value: 9 });
    expect(resolveDrawCount({ ratio: 0 }, 9).ok).toBe(false);
    expect(resolveDrawCount({ ratio: 1.5 }, 9).ok).toBe(false);
    expect(resolveDrawCount({ ratio: 0.1234567 }, 9).ok).toBe(false);
    expect(resolveDrawCount({ count: 10 }, 9)).toEqual({
      ok: false,
      problems: [{ field: 'count', message: '抽取数量 10 超过检查对象总数 9' }],
    });
  });

  it('a ratio and the count it gives are the same draw (the hash covers the resolved count)', () => {
    const x = { inputs: FIXED };
    const n = x.inputs.objects.length;
    const a = drawInspection({ ...x.inputs, size: { ratio: 0.5 } }, 1);
    const b = drawInspection({ ...x.inputs, size: { count: Math.ceil(n / 2) } }, 1);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('R-INSP-2: refuses fewer than two inspectors per object', () => {
    const o = drawInspection({ ...FIXED, perObject: 1 }, 1);
    expect(o.ok).toBe(false);
    if (o.ok || o.kind !== 'invalid') return;
    expect(o.problems[0]?.message).toMatch(/R-INSP-2：实地核查人员不得少于两人/);
  });

  it('names the entry and field of bad objects and inspectors', () => {
    const bad = parseDrawObjects([
      { id: 'A', name: '甲' },
      { id: 'A', name: '乙' },
      { name: '丙', weight: 0.5 },
      3,
    ]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      { field: '[2].id', message: '第 3 个检查对象的“id”（对象编号）缺失' },
      {
        field: '[2].weight',
        message: '第 3 个检查对象的“weight”（风险权重）应为 1 到 1000 的整数，现为 0.5',
      },
      { field: '[3]', message: '第 4 个检查对象应为对象 {...}，现为 3' },
      { field: '[1].id', message: '第 2 个检查对象的编号“A”与第 1 个重复' },
    ]);
    const people = parseDrawInspectors([
      { id: 'p1', name: '张', enforcementId: 'E1', conflicts: 'S1' },
      { id: 'p2', name: '李', enforcementId: 'E1' },
      { id: 'p3', name: '', enforcementId: 7 },
    ]);
    expect(people.ok).toBe(false);
    if (people.ok) return;
    expect(people.problems.map((p) => p.field)).toEqual([
      '[0].conflicts',
      '[2].name',
      '[2].enforcementId',
      '[1].enforcementId',
    ]);
    expect(people.problems[3]?.message).toBe(
      '第 2 个检查人员的执法证号“E1”与第 1 个相同，一个执法证只属于一个人',
    );
    expect(parseDrawObjects({ id: 1 })).toEqual({
      ok: false,
      problems: [{ field: '（根）', message: '应为检查对象的列表（JSON 数组 [...]）' }],
    });
  });

  it('seeds: digits are an integer, anything else a text; 42 and "42" draw the same', () => {
    expect(seedFromArgument('42')).toBe(42);
    expect(seedFromArgument('042')).toBe('042');
    expect(seedFromArgument('2026-10-08')).toBe('2026-10-08');
    expect(seedFromArgument('99999999999999999999')).toBe('99999999999999999999');
    const x = { inputs: FIXED };
    const a = drawInspection(x.inputs, 42);
    const b = drawInspection(x.inputs, '42');
    expect(a.ok && b.ok && JSON.stringify(a.result.draws) === JSON.stringify(b.result.draws)).toBe(true);
    const bad = drawInspection(x.inputs, 'a\u0000b');
    expect(bad.ok).toBe(false);
    expect(drawInspection(x.inputs, -1).ok).toBe(false);
  });

  it('parses a result file and reports the bad field', () => {
    expect(parseDrawResult({ seed: 1, inputsHash: 'x', draws: [{ object: 'A', inspectors: [1] }] })).toEqual({
      ok: false,
      problems: [
        { field: 'inputsHash', message: '“inputsHash”（输入哈希）应为 64 位小写十六进制的 SHA-256' },
        {
          field: 'draws[0].inspectors',
          message: '“draws”第 1 项的“inspectors”（检查人员编号）应为文字的列表',
        },
      ],
    });
    expect(
      impliedSize({ seed: 1, inputsHash: '', draws: [{ object: 'a', inspectors: ['x', 'y'] }] }),
    ).toEqual({
      count: 1,
      perObject: 2,
    });
    expect(
      impliedSize({
        seed: 1,
        inputsHash: '',
        draws: [
          { object: 'a', inspectors: ['x', 'y'] },
          { object: 'b', inspectors: ['x'] },
        ],
      }),
    ).toBeNull();
  });
});

describe('rule checks the registry can call', () => {
  it('R-INSP-2: two holders of an enforcement ID pass; one, or one without an ID, fails with the rule text', () => {
    expect(
      checkInspectorCount('一中', [
        { name: '甲', enforcementId: 'E1' },
        { name: '乙', enforcementId: 'E2' },
      ]),
    ).toBeNull();
    expect(
      checkInspectorCount('一中', [
        { name: '甲', enforcementId: 'E1' },
        { name: '乙', enforcementId: ' ' },
      ]),
    ).toBe(
      '检查对象“一中”的检查人员中持执法证的只有 1 名（“乙”没有执法证号）；R-INSP-2：实地核查人员不得少于两人，并应当出示执法证件（YQ 总述 二）',
    );
  });

  it('R-INSP-RECUSE: names the conflicted inspector and the object', () => {
    expect(checkRecusal({ id: 'S1', name: '一中' }, [{ name: '甲', conflicts: ['S2'] }])).toBeNull();
    expect(checkRecusal({ id: 'S1', name: '一中' }, [{ name: '甲', conflicts: ['S1'] }])).toMatch(
      /^检查人员“甲”与检查对象“一中”有利害关系，却被分派去检查；R-INSP-RECUSE：/,
    );
  });
});

describe('publication (一公开)', () => {
  const withMatter: DrawInputs = { ...FIXED, matter: { id: 'YQ-XJ-01', name: '中等职业学校学籍管理' } };
  const o = drawInspection(withMatter, 'pub');

  it('lists objects and inspectors’ names, never enforcement IDs or conflicts', () => {
    if (!o.ok) throw new Error('draw failed');
    const p = publishDraw(o.result, withMatter, { date: '2026-10-09' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.publication.title).toBe('中等职业学校学籍管理随机抽查名单');
    expect(p.publication.rows).toHaveLength(o.result.draws.length);
    const text = JSON.stringify(p.publication);
    for (const q of withMatter.inspectors)
      if (q.enforcementId?.trim()) expect(text).not.toContain(q.enforcementId);
    expect(text).not.toContain('conflicts');
    const first = o.result.draws[0];
    expect(p.publication.rows[0]?.inspectors).toEqual(
      first?.inspectors.map((id) => withMatter.inspectors.find((q) => q.id === id)?.name),
    );
    const hidden = publishDraw(o.result, withMatter, { date: '2026-10-09', inspectorNames: 'withheld' });
    expect(hidden.ok && hidden.publication.rows.every((r) => r.inspectors === null)).toBe(true);
  });

  it('refuses to publish a result that does not verify', () => {
    if (!o.ok) throw new Error('draw failed');
    const forged = { ...o.result, draws: o.result.draws.slice(1) };
    const p = publishDraw(forged, withMatter, { date: '2026-10-09' });
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reasons[0]).toBe('抽取结果未通过核验，不能公示');
  });
});
