// 双随机、一公开 (DOMAIN.md "Inspections" step 1; YQ 总述 二): the objects and, for each, the inspectors are
// drawn at random from the registers, reproducibly from a published seed. A pure function of the inputs
// and the seed; docs/inspections.md states the method precisely enough to re-implement it.
//
// 1. Objects: successive sampling proportional to weight without replacement (差异化抽查: an object of
//    weight 3 is drawn like three tickets of weight 1, until it is drawn). Each of the m picks takes
//    r = below(total weight left) from the "objects" stream and picks the first object not yet drawn, in
//    id order, at which the running sum of weights exceeds r. This is the same distribution as
//    Efraimidis–Spirakis keys u^(1/w), done in integers so that every machine computes the same draw
//    (floating-point pow/log may differ in the last bit between engines).
// 2. Inspectors: for each drawn object in draw order, every free inspector (enforcement ID, no declared
//    conflict with it), in id order, takes a key from the "assign" stream; the object gets the K with the
//    lowest (current load, key, id). Fresh keys per object make the pairs random, not a fixed rota.
// 3. Balance: while an inspector u can hand one object to a chain of others ending at an inspector v
//    with load(v) ≤ load(u) − 2 (each link: an object of x that y is free for and not yet on), the chain
//    is applied. At the end no such chain exists, which makes the loads "decreasingly minimal" (Frank &
//    Murota): the highest load is the lowest any assignment respecting recusals can have, and the lowest
//    load the highest. Without recusals every load is ⌊K·m/P⌋ or ⌈K·m/P⌉.
import {
  byCodeUnits,
  type CanonicalDrawInputs,
  canonicalDrawInputs,
  type DrawInputs,
  type DrawSeed,
  drawInputsHash,
  type InputProblem,
  type Parsed,
  parseSeed,
  seedText,
} from './draw-input';
import { type DrawStream, drawStream } from './draw-random';

export type DrawAssignment = { object: string; inspectors: string[] };

/** What is published: the seed, the hash of the inputs and the draws (objects in draw order). */
export type DrawResult = { seed: DrawSeed; inputsHash: string; draws: DrawAssignment[] };

/** An object of the register with fewer free inspectors than K: the draw is refused. */
export type ImpossibleObject = { id: string; name: string; free: number };

export type DrawOutcome =
  | { ok: true; result: DrawResult }
  | { ok: false; kind: 'invalid'; problems: InputProblem[] }
  | { ok: false; kind: 'impossible'; objects: ImpossibleObject[]; message: string };

export const INSP_2_TEXT = 'R-INSP-2：实地核查人员不得少于两人，并应当出示执法证件（YQ 总述 二）';
export const INSP_RECUSE_TEXT = 'R-INSP-RECUSE：实地核查人员与检查对象有利害关系的，应依法回避（YQ 总述 二）';

/** The even-spread bound: with no recusal in the way, no inspector gets more than ⌈K·m/P⌉ objects. */
export function evenSpreadBound(perObject: number, drawCount: number, pool: number): number {
  return Math.ceil((perObject * drawCount) / pool);
}

/** Objects each eligible inspector is drawn for, by inspector id (0 for an eligible one drawn for none). */
export function inspectorLoads(result: DrawResult, inputs: DrawInputs): Map<string, number> {
  const loads = new Map<string, number>();
  for (const p of inputs.inspectors) if (p.enforcementId?.trim()) loads.set(p.id.trim(), 0);
  for (const d of result.draws) for (const p of d.inspectors) loads.set(p, (loads.get(p) ?? 0) + 1);
  return loads;
}

type Pool = {
  /** eligible inspectors (with an enforcement ID), in id order */
  ids: string[];
  /** per object id: indices into ids of the inspectors free for it, ascending */
  free: Map<string, number[]>;
};

function poolOf(c: CanonicalDrawInputs): Pool {
  const eligible = c.inspectors.filter((p) => p.enforcementId !== null);
  const ids = eligible.map((p) => p.id);
  const free = new Map<string, number[]>();
  for (const o of c.objects) free.set(o.id, []);
  eligible.forEach((p, i) => {
    const conflicted = new Set(p.conflicts);
    for (const o of c.objects) if (!conflicted.has(o.id)) free.get(o.id)?.push(i);
  });
  return { ids, free };
}

// R-INSP-2, R-INSP-RECUSE (YQ 总述 二): every object of the register needs K inspectors who hold an
// enforcement ID and declared no conflict with it. All objects are checked, not only the drawn ones, so
// whether a draw is possible never depends on the seed (a bureau cannot re-seed until a school drops out).
export function impossibleObjects(c: CanonicalDrawInputs, pool: Pool = poolOf(c)): ImpossibleObject[] {
  return c.objects
    .map((o) => ({ id: o.id, name: o.name, free: pool.free.get(o.id)?.length ?? 0 }))
    .filter((o) => o.free < c.perObject);
}

export function impossibleMessage(objects: readonly ImpossibleObject[], perObject: number): string {
  return [
    '无法抽取：',
    ...objects.map(
      (o) =>
        `  检查对象“${o.name}”（${o.id}）只有 ${o.free} 名持执法证且无利害关系的检查人员，少于每个对象所需的 ${perObject} 名`,
    ),
    `依据 ${INSP_2_TEXT}；${INSP_RECUSE_TEXT}。请补充执法检查人员或减少每个对象的人数。`,
  ].join('\n');
}

/** Fenwick tree over the weights: the pick of step 1 in O(log n). */
function weightedOrder(weights: readonly number[], count: number, stream: DrawStream): number[] {
  const n = weights.length;
  const tree = new Array<number>(n + 1).fill(0);
  const add = (i: number, delta: number) => {
    for (let j = i + 1; j <= n; j += j & -j) tree[j] = (tree[j] ?? 0) + delta;
  };
  weights.forEach((w, i) => {
    add(i, w);
  });
  let total = weights.reduce((a, b) => a + b, 0);
  let top = 1;
  while (top * 2 <= n) top *= 2;
  const order: number[] = [];
  for (let k = 0; k < count; k++) {
    let r = stream.below(total);
    // the first index whose running sum exceeds r
    let pos = 0;
    for (let step = top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= n && (tree[next] ?? 0) <= r) {
        pos = next;
        r -= tree[next] ?? 0;
      }
    }
    order.push(pos);
    const w = weights[pos] ?? 0;
    add(pos, -w);
    total -= w;
  }
  return order;
}

function assign(drawn: readonly string[], pool: Pool, k: number, stream: DrawStream): Set<number>[] {
  const load = new Array<number>(pool.ids.length).fill(0);
  return drawn.map((objectId) => {
    const free = pool.free.get(objectId) ?? [];
    const keyed = free.map((i) => ({ i, key: stream.uint32() }));
    keyed.sort((a, b) => (load[a.i] ?? 0) - (load[b.i] ?? 0) || a.key - b.key || a.i - b.i);
    const chosen = new Set(keyed.slice(0, k).map((x) => x.i));
    for (const i of chosen) load[i] = (load[i] ?? 0) + 1;
    return chosen;
  });
}

/** Step 3: applies improving chains until none is left (each lowers the sum of squared loads by ≥ 2). */
function balance(drawn: readonly string[], pool: Pool, teams: Set<number>[]): void {
  const p = pool.ids.length;
  const load = new Array<number>(p).fill(0);
  const objectsOf: number[][] = Array.from({ length: p }, () => []);
  teams.forEach((team, o) => {
    for (const i of team) {
      load[i] = (load[i] ?? 0) + 1;
      objectsOf[i]?.push(o);
    }
  });
  const rebuild = () => {
    for (const list of objectsOf) list.length = 0;
    teams.forEach((team, o) => {
      for (const i of team) objectsOf[i]?.push(o);
    });
    for (const list of objectsOf) list.sort((a, b) => a - b);
  };
  for (;;) {
    const minLoad = Math.min(...load);
    const order = [...load.keys()].sort((a, b) => (load[b] ?? 0) - (load[a] ?? 0) || a - b);
    let moved = false;
    for (const u of order) {
      if ((load[u] ?? 0) - minLoad < 2) break;
      const parent = new Map<number, { from: number; object: number }>();
      const queue = [u];
      const seen = new Set([u]);
      let best = -1;
      for (let q = 0; q < queue.length; q++) {
        const x = queue[q] as number;
        for (const o of objectsOf[x] ?? []) {
          const team = teams[o] as Set<number>;
          for (const y of pool.free.get(drawn[o] as string) ?? []) {
            if (seen.has(y) || team.has(y)) continue;
            seen.add(y);
            parent.set(y, { from: x, object: o });
            queue.push(y);
            if (best < 0 || (load[y] ?? 0) < (load[best] ?? 0)) best = y;
          }
        }
      }
      if (best < 0 || (load[best] ?? 0) > (load[u] ?? 0) - 2) continue;
      for (let y = best; y !== u; ) {
        const step = parent.get(y) as { from: number; object: number };
        const team = teams[step.object] as Set<number>;
        team.delete(step.from);
        team.add(y);
        y = step.from;
      }
      load[u] = (load[u] ?? 0) - 1;
      load[best] = (load[best] ?? 0) + 1;
      rebuild();
      moved = true;
      break;
    }
    if (!moved) return;
  }
}

/** The draw from canonical inputs (the hash is recomputed here, never taken from a caller). */
export function drawCanonical(c: CanonicalDrawInputs, seed: DrawSeed): DrawOutcome {
  const pool = poolOf(c);
  const impossible = impossibleObjects(c, pool);
  if (impossible.length > 0)
    return {
      ok: false,
      kind: 'impossible',
      objects: impossible,
      message: impossibleMessage(impossible, c.perObject),
    };
  const inputsHash = drawInputsHash(c);
  const text = seedText(seed);
  const order = weightedOrder(
    c.objects.map((o) => o.weight),
    c.drawCount,
    drawStream('objects', inputsHash, text),
  );
  const drawn = order.map((i) => (c.objects[i] as { id: string }).id);
  const teams = assign(drawn, pool, c.perObject, drawStream('assign', inputsHash, text));
  balance(drawn, pool, teams);
  return {
    ok: true,
    result: {
      seed,
      inputsHash,
      draws: drawn.map((object, o) => ({
        object,
        inspectors: [...(teams[o] as Set<number>)].map((i) => pool.ids[i] as string).sort(byCodeUnits),
      })),
    },
  };
}

/** The 双随机 draw: checks the inputs and the seed, then draws (see the method at the top of this file). */
export function drawInspection(inputs: DrawInputs, seed: DrawSeed): DrawOutcome {
  const s = parseSeed(seed);
  const c = canonicalDrawInputs(inputs);
  const problems = [...(s.ok ? [] : s.problems), ...(c.ok ? [] : c.problems)];
  if (!s.ok || !c.ok) return { ok: false, kind: 'invalid', problems };
  return drawCanonical(c.value, s.value);
}

export type RuleViolation = { rule: 'R-INSP-2' | 'R-INSP-RECUSE'; object: string; message: string };

// R-INSP-2 (YQ 总述 二): at least two distinct inspectors, each with an enforcement ID, per object.
export function checkInspectorCount(
  objectName: string,
  inspectors: readonly { name: string; enforcementId?: string | null }[],
): string | null {
  const holders = inspectors.filter((p) => p.enforcementId?.trim());
  if (holders.length >= 2 && holders.length === inspectors.length) return null;
  const without = inspectors.filter((p) => !p.enforcementId?.trim()).map((p) => `“${p.name}”`);
  return `检查对象“${objectName}”的检查人员中持执法证的只有 ${holders.length} 名${
    without.length > 0 ? `（${without.join('、')}没有执法证号）` : ''
  }；${INSP_2_TEXT}`;
}

// R-INSP-RECUSE (YQ 总述 二): no inspector is assigned to an object they declared a conflict with.
export function checkRecusal(
  object: { id: string; name: string },
  inspectors: readonly { name: string; conflicts?: readonly string[] }[],
): string | null {
  const conflicted = inspectors.filter((p) => p.conflicts?.includes(object.id)).map((p) => `“${p.name}”`);
  if (conflicted.length === 0) return null;
  return `检查人员${conflicted.join('、')}与检查对象“${object.name}”有利害关系，却被分派去检查；${INSP_RECUSE_TEXT}`;
}

/**
 * Both rules over a whole result, independent of how it was drawn (the server can run it on a pushed plan,
 * the tests use it as the oracle). Also reports inspectors or objects the registers do not have.
 */
export function checkDrawRules(result: DrawResult, inputs: DrawInputs): RuleViolation[] {
  const objects = new Map(inputs.objects.map((o) => [o.id.trim(), o]));
  const inspectors = new Map(inputs.inspectors.map((p) => [p.id.trim(), p]));
  return result.draws.flatMap((d): RuleViolation[] => {
    const object = objects.get(d.object) ?? { id: d.object, name: d.object };
    const team = [...new Set(d.inspectors)].map(
      (id) => inspectors.get(id) ?? { id, name: id, enforcementId: null, conflicts: [] },
    );
    const out: RuleViolation[] = [];
    const count = checkInspectorCount(object.name, team);
    if (count) out.push({ rule: 'R-INSP-2', object: d.object, message: count });
    const recusal = checkRecusal(object, team);
    if (recusal) out.push({ rule: 'R-INSP-RECUSE', object: d.object, message: recusal });
    return out;
  });
}

const HASH_RE = /^[0-9a-f]{64}$/;

/** Checks a result read from a file: `{ "seed", "inputsHash", "draws": [{ "object", "inspectors" }] }`. */
export function parseDrawResult(raw: unknown): Parsed<DrawResult> {
  const problems: InputProblem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      ok: false,
      problems: [{ field: '（根）', message: '应为抽取结果对象 {"seed", "inputsHash", "draws"}' }],
    };
  const r = raw as Record<string, unknown>;
  const seed = parseSeed(r.seed);
  if (!seed.ok) problems.push(...seed.problems);
  if (typeof r.inputsHash !== 'string' || !HASH_RE.test(r.inputsHash))
    problems.push({
      field: 'inputsHash',
      message: '“inputsHash”（输入哈希）应为 64 位小写十六进制的 SHA-256',
    });
  const draws: DrawAssignment[] = [];
  if (!Array.isArray(r.draws))
    problems.push({ field: 'draws', message: '“draws”（抽取结果）应为列表 [...]' });
  else
    r.draws.forEach((d, i) => {
      const at = `“draws”第 ${i + 1} 项`;
      const x =
        typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as Record<string, unknown>) : null;
      if (!x) {
        problems.push({ field: `draws[${i}]`, message: `${at}应为对象 {"object", "inspectors"}` });
        return;
      }
      const okObject = typeof x.object === 'string' && x.object !== '';
      if (!okObject)
        problems.push({ field: `draws[${i}].object`, message: `${at}的“object”（对象编号）应为文字` });
      const okInspectors =
        Array.isArray(x.inspectors) && x.inspectors.every((p) => typeof p === 'string' && p !== '');
      if (!okInspectors)
        problems.push({
          field: `draws[${i}].inspectors`,
          message: `${at}的“inspectors”（检查人员编号）应为文字的列表`,
        });
      if (okObject && okInspectors)
        draws.push({ object: x.object as string, inspectors: [...(x.inspectors as string[])] });
    });
  if (problems.length > 0 || !seed.ok) return { ok: false, problems };
  return { ok: true, value: { seed: seed.value, inputsHash: r.inputsHash as string, draws } };
}

/**
 * The size a result implies when a verifier is not told it: m = the number of draws, K = the inspectors
 * per draw (the same for every draw). Both are covered by the inputs hash, so a wrong m or K fails anyway.
 */
export function impliedSize(result: DrawResult): { count: number; perObject: number } | null {
  const k = result.draws[0]?.inspectors.length;
  if (k === undefined || result.draws.some((d) => d.inspectors.length !== k)) return null;
  return { count: result.draws.length, perObject: k };
}

export type DrawVerification = { ok: true } | { ok: false; reasons: string[] };

const MAX_REASONS = 10;

/** 一公开: re-runs the draw from the inputs and the result's seed; ok when it gives exactly this result. */
export function verifyDraw(result: DrawResult, inputs: DrawInputs): DrawVerification {
  const c = canonicalDrawInputs(inputs);
  if (!c.ok) return { ok: false, reasons: c.problems.map((p) => `输入有误：${p.message}`) };
  const s = parseSeed(result.seed);
  if (!s.ok) return { ok: false, reasons: s.problems.map((p) => p.message) };
  const hash = drawInputsHash(c.value);
  if (hash !== result.inputsHash)
    return {
      ok: false,
      reasons: [
        `输入与抽取时不同：按这些输入算出的输入哈希是 ${hash}，结果中记的是 ${result.inputsHash}（检查对象、检查人员、利害关系、抽取数量、每个对象的人数或抽查事项与抽取时不同，或结果中的对象个数、人数被改动）`,
      ],
    };
  const outcome = drawCanonical(c.value, s.value);
  if (!outcome.ok)
    return { ok: false, reasons: [outcome.kind === 'impossible' ? outcome.message : '输入有误'] };
  const want = outcome.result.draws;
  const got = result.draws;
  const reasons: string[] = [];
  if (got.length !== want.length)
    reasons.push(
      `抽中对象的个数不对：种子 ${JSON.stringify(result.seed)} 抽出 ${want.length} 个，结果中有 ${got.length} 个`,
    );
  for (let i = 0; i < Math.max(got.length, want.length) && reasons.length < MAX_REASONS; i++) {
    const w = want[i];
    const g = got[i];
    if (!w || !g) continue;
    if (w.object !== g.object) {
      reasons.push(`第 ${i + 1} 个抽中的对象应为 ${w.object}，结果中为 ${g.object}`);
      continue;
    }
    if (w.inspectors.join('\u0000') !== g.inspectors.join('\u0000'))
      reasons.push(
        `对象 ${w.object} 的检查人员应为 ${w.inspectors.join('、')}，结果中为 ${g.inspectors.join('、') || '（无）'}`,
      );
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
