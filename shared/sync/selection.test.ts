// The held schools of a city or the province and the pull plan over them (issue 11): a school joins
// without the others being downloaded again, a dropped school is no longer asked for, the cache is bounded.
import { describe, expect, it } from 'vitest';
import {
  type AreaCheckpoint,
  cacheSchool,
  choosesSchools,
  dropSchool,
  EMPTY_SELECTION,
  heldSchools,
  keepSchool,
  planPull,
} from './selection';

/**
 * Runs plans against a fake server cursor (rows are (seq, school); pages of `batch`) as the engine and RxDB
 * do: one pull round goes on from a finished fill to the main cursor; RxDB merges the round's checkpoint
 * into the stored one (stackCheckpoints: Object.assign) and stores nothing after a round without documents.
 */
function run(rows: { seq: number; school: string }[], held: string[], cp?: AreaCheckpoint, batch = 2) {
  const seen: number[] = [];
  let stored = cp;
  for (let i = 0; i < 50; i++) {
    let checkpoint = stored;
    let count = 0;
    let last = 0;
    for (;;) {
      const plan = planPull(checkpoint, held);
      const page = rows
        .filter((r) => r.seq > plan.from && (plan.schools === null || plan.schools.includes(r.school)))
        .slice(0, batch);
      seen.push(...page.map((r) => r.seq));
      count += page.length;
      last = page.length;
      checkpoint = plan.next(page.at(-1)?.seq ?? null, page.length, batch);
      if (!plan.filled(page.length, batch)) break;
    }
    if (count > 0) stored = { ...stored, ...checkpoint };
    if (last < batch) return { seen, checkpoint: stored };
  }
  throw new Error('the plan did not settle');
}

describe('the schools an area desk holds', () => {
  it('county desks hold their whole area; cities and the province choose', () => {
    expect(choosesSchools({ role: 'bureau', orgPath: '/41/4101/410105/' })).toBe(false);
    expect(choosesSchools({ role: 'bureau', orgPath: '/41/4101/' })).toBe(true);
    expect(choosesSchools({ role: 'inspector', orgPath: '/41/4101/' })).toBe(true);
    expect(choosesSchools({ role: 'inspector', orgPath: '/41/4101/410105/' })).toBe(false);
    expect(choosesSchools({ role: 'province', orgPath: '/41/' })).toBe(true);
    expect(choosesSchools({ role: 'schoolAdmin', orgPath: '/41/4101/410105/S1/' })).toBe(false);
  });

  it('keeps, caches (bounded, newest first) and drops', () => {
    let s = keepSchool(EMPTY_SELECTION, 'S2').selection;
    s = cacheSchool(s, 'S5', 't1', 2).selection;
    s = cacheSchool(s, 'S6', 't2', 2).selection;
    const third = cacheSchool(s, 'S7', 't3', 2);
    expect(third.dropped).toEqual(['S5']);
    expect(third.selection.cached.map((c) => c.id)).toEqual(['S7', 'S6']);
    expect(heldSchools(third.selection)).toEqual(['S2', 'S6', 'S7']);
    // a cached school kept for good leaves the cache; a kept school is not cached again
    const kept = keepSchool(third.selection, 'S6').selection;
    expect(kept).toEqual({ kept: ['S2', 'S6'], cached: [{ id: 'S7', at: 't3' }] });
    expect(cacheSchool(kept, 'S2', 't4').selection).toBe(kept);
    expect(dropSchool(kept, 'S2')).toEqual({
      selection: { kept: ['S6'], cached: kept.cached },
      dropped: ['S2'],
    });
    expect(dropSchool(kept, 'S9').dropped).toEqual([]);
  });
});

describe('planPull', () => {
  const rows = [
    { seq: 1, school: 'A' },
    { seq: 2, school: 'B' },
    { seq: 3, school: 'A' },
    { seq: 4, school: 'C' },
    { seq: 5, school: 'B' },
    { seq: 6, school: 'A' },
  ];

  it('pulls the whole scope from the checkpoint when the desk does not choose', () => {
    expect(run(rows, null as unknown as string[]).seen).toEqual([1, 2, 3, 4, 5, 6]);
    const p = planPull({ seq: 4 }, null);
    expect(p.schools).toBeNull();
    expect(p.from).toBe(4);
  });

  it('a first sync pulls the held schools from the beginning', () => {
    const r = run(rows, ['A']);
    expect(r.seen).toEqual([1, 3, 6]);
    expect(r.checkpoint).toEqual({ seq: 6, have: ['A'], fill: null });
  });

  it('a school joining is filled on its own; the held ones are not downloaded again', () => {
    const first = run(rows, ['A']);
    const joined = run(rows, ['A', 'B'], first.checkpoint);
    // B from the beginning, then the main cursor (nothing new after 6). B's fill ended on a full page and
    // then an empty one, after which RxDB stores no checkpoint: the next round asks B's fill once more
    // (empty) on its way to the main cursor, until a document arrives.
    expect(joined.seen).toEqual([2, 5]);
    expect(joined.checkpoint).toEqual({ seq: 6, have: ['A'], fill: { schools: ['B'], seq: 5 } });
    expect(run(rows, ['A', 'B'], joined.checkpoint).seen).toEqual([]);
    // later rows of every held school arrive on the main cursor
    const more = [...rows, { seq: 7, school: 'B' }, { seq: 8, school: 'C' }, { seq: 9, school: 'A' }];
    // (B's row 7 also comes by the fill left over, once: the writes are idempotent)
    const after = run(more, ['A', 'B'], joined.checkpoint);
    expect(new Set(after.seen)).toEqual(new Set([7, 9]));
    expect(after.checkpoint).toEqual({ seq: 9, have: ['A', 'B'], fill: null });
  });

  it('a finished fill is not started again, though RxDB merges the new checkpoint into the stored one', () => {
    const first = run(rows, ['A']);
    // B's fill takes pages (a fill stored in between) and ends on a short page
    const more = [...rows, { seq: 7, school: 'B' }, { seq: 8, school: 'C' }, { seq: 9, school: 'B' }];
    const joined = run(more, ['A', 'B'], first.checkpoint);
    // B's rows from the beginning; those past the main cursor (6) come once more on it, A's never again
    expect(new Set(joined.seen)).toEqual(new Set([2, 5, 7, 9]));
    expect(joined.checkpoint).toEqual({ seq: 9, have: ['A', 'B'], fill: null });
    // the next round asks the main cursor only, and there is nothing new
    expect(planPull(joined.checkpoint, ['A', 'B']).schools).toEqual(['A', 'B']);
    expect(run(more, ['A', 'B'], joined.checkpoint).seen).toEqual([]);
  });

  it('a school without records joins in the same round, and the main cursor goes on for the others', () => {
    const first = run(rows, ['A']);
    const later = [...rows, { seq: 9, school: 'A' }];
    const joined = run(later, ['A', 'D'], first.checkpoint);
    // D has nothing: the round goes on to the main cursor and brings A's new row
    expect(joined.seen).toEqual([9]);
    expect(joined.checkpoint).toEqual({ seq: 9, have: ['A', 'D'], fill: null });
  });

  it('a fill interrupted halfway goes on from where it was', () => {
    const first = run(rows, ['A']);
    const plan = planPull(first.checkpoint, ['A', 'B', 'C']);
    expect(plan.schools).toEqual(['B', 'C']);
    const half = plan.next(4, 2, 2);
    expect(half).toEqual({ seq: 6, have: ['A'], fill: { schools: ['B', 'C'], seq: 4 } });
    expect(run(rows, ['A', 'B', 'C'], half).seen).toEqual([5]);
  });

  it('a dropped school is no longer asked for, also in the middle of its fill', () => {
    expect(planPull({ seq: 6, have: ['A', 'B'] }, ['A']).schools).toEqual(['A']);
    const p = planPull({ seq: 6, have: ['A'], fill: { schools: ['B', 'C'], seq: 4 } }, ['A', 'C']);
    expect(p.schools).toEqual(['C']);
    expect(p.from).toBe(4);
    expect(planPull({ seq: 6, have: ['A'], fill: { schools: ['B'], seq: 4 } }, ['A']).schools).toEqual(['A']);
  });
});
