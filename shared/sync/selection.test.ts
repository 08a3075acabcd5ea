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

/** Runs plans against a fake server cursor: rows are (seq, school); pages of `batch`. */
function run(rows: { seq: number; school: string }[], held: string[], cp?: AreaCheckpoint, batch = 2) {
  const seen: number[] = [];
  let checkpoint = cp;
  for (let i = 0; i < 50; i++) {
    const plan = planPull(checkpoint, held);
    const page = rows
      .filter((r) => r.seq > plan.from && (plan.schools === null || plan.schools.includes(r.school)))
      .slice(0, batch);
    seen.push(...page.map((r) => r.seq));
    checkpoint = plan.next(page.at(-1)?.seq ?? null, page.length, batch);
    if (page.length < batch && !plan.filled(page.length, batch)) return { seen, checkpoint };
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
    expect(r.checkpoint).toEqual({ seq: 6, have: ['A'] });
  });

  it('a school joining is filled on its own; the held ones are not downloaded again', () => {
    const first = run(rows, ['A']);
    const joined = run(rows, ['A', 'B'], first.checkpoint);
    // B from the beginning, then the main cursor (nothing new after 6)
    expect(joined.seen).toEqual([2, 5]);
    expect(joined.checkpoint).toEqual({ seq: 6, have: ['A', 'B'] });
    // later rows of every held school arrive on the main cursor
    const more = [...rows, { seq: 7, school: 'B' }, { seq: 8, school: 'C' }, { seq: 9, school: 'A' }];
    expect(run(more, ['A', 'B'], joined.checkpoint).seen).toEqual([7, 9]);
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
