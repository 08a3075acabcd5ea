// What an area desk keeps offline (issue 11): a county bureau (and an inspector of a county) keeps its
// whole county; a city bureau, the province (and an inspector of a city) choose the schools they keep
// and fetch others on demand into a small cache. The pull then names the held schools (`schools=`,
// intersected with the user's scope on the server), and a composite checkpoint lets a school join the
// selection without downloading the others again: the newcomers are filled from the beginning on their
// own, then join the main cursor. Pure: the sync engine stores the selection and runs the plan.
import type { Role, SyncCheckpoint } from './protocol';

/** The schools an area desk holds: kept offline by choice, and cached after being opened on demand. */
export type SchoolSelection = {
  kept: string[];
  /** most recent first */
  cached: { id: string; at: string }[];
};

export const EMPTY_SELECTION: SchoolSelection = { kept: [], cached: [] };

/** How many schools opened on demand stay cached (the oldest is dropped for a new one). */
export const MAX_CACHED_SCHOOLS = 5;

/**
 * Whether a user's copy holds a chosen part of its area (city, province) rather than all of it (county,
 * school). The org tree is province → city → county → school, so a city's path has two segments.
 */
export function choosesSchools(user: { role: Role; orgPath: string }): boolean {
  if (user.role === 'province') return true;
  if (user.role !== 'bureau' && user.role !== 'inspector') return false;
  return user.orgPath.split('/').filter(Boolean).length <= 2;
}

/** Every school held (kept or cached), sorted. */
export function heldSchools(sel: SchoolSelection): string[] {
  return [...new Set([...sel.kept, ...sel.cached.map((c) => c.id)])].sort();
}

export type SelectionChange = { selection: SchoolSelection; dropped: string[] };

const without = (sel: SchoolSelection, id: string): SchoolSelection => ({
  kept: sel.kept.filter((k) => k !== id),
  cached: sel.cached.filter((c) => c.id !== id),
});

/** Keeps a school offline (from the cache, or new). */
export function keepSchool(sel: SchoolSelection, id: string): SelectionChange {
  const rest = without(sel, id);
  return { selection: { kept: [...rest.kept, id].sort(), cached: rest.cached }, dropped: [] };
}

/** Opens a school on demand: it joins the cache; the oldest cached school beyond the limit is dropped. */
export function cacheSchool(
  sel: SchoolSelection,
  id: string,
  at: string,
  max: number = MAX_CACHED_SCHOOLS,
): SelectionChange {
  if (sel.kept.includes(id)) return { selection: sel, dropped: [] };
  const cached = [{ id, at }, ...sel.cached.filter((c) => c.id !== id)];
  const dropped = cached.slice(max).map((c) => c.id);
  return { selection: { kept: sel.kept, cached: cached.slice(0, max) }, dropped };
}

/** Stops holding a school on this machine (its records are removed from the local copy). */
export function dropSchool(sel: SchoolSelection, id: string): SelectionChange {
  const held = heldSchools(sel).includes(id);
  return { selection: without(sel, id), dropped: held ? [id] : [] };
}

/**
 * The checkpoint an area desk's replication keeps: the server's cursor for the schools it `have`s, and
 * while schools are joining, their own `fill` cursor from the beginning.
 */
export type AreaCheckpoint = SyncCheckpoint & {
  have?: string[];
  /**
   * null once the fill is over: RxDB merges a new checkpoint into the stored one (stackCheckpoints is an
   * Object.assign), so a key left out would keep the finished fill and start it again.
   */
  fill?: { schools: string[]; seq: number } | null;
};

/** One pull to make: which schools (null = the whole scope), from which sequence, and how to go on. */
export type PullPlan = {
  schools: string[] | null;
  from: number;
  /** the checkpoint after a page whose last sequence is `last` (null: empty page), of `count` documents */
  next(last: number | null, count: number, batchSize: number): AreaCheckpoint;
  /**
   * A fill finished with this page: more may be waiting on the main cursor — pull it in the same round
   * (RxDB stores no checkpoint after an empty page, so a school without records would otherwise be
   * filled again on every pull, and the main cursor never reached).
   */
  filled(count: number, batchSize: number): boolean;
};

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));
const both = (a: readonly string[], b: readonly string[]) => a.filter((x) => b.includes(x));

/** The next pull of a replication, given its checkpoint and the schools held now (null: whole scope). */
export function planPull(cp: AreaCheckpoint | undefined, held: readonly string[] | null): PullPlan {
  if (held === null) {
    const from = cp?.seq ?? 0;
    return {
      schools: null,
      from,
      next: (last) => ({ seq: last ?? from }),
      filled: () => false,
    };
  }
  const selected = [...held].sort();
  if (!cp)
    return {
      schools: selected,
      from: 0,
      next: (last) => ({ seq: last ?? 0, have: selected, fill: null }),
      filled: () => false,
    };
  const have = both(cp.have ?? [], selected);
  const filling = cp.fill ? both(cp.fill.schools, selected) : [];
  const fill =
    filling.length > 0 && cp.fill
      ? { schools: filling, seq: cp.fill.seq }
      : minus(selected, have).length > 0
        ? { schools: minus(selected, have), seq: 0 }
        : null;
  if (fill)
    return {
      schools: fill.schools,
      from: fill.seq,
      next: (last, count, batchSize) =>
        count < batchSize
          ? { seq: cp.seq, have: [...have, ...fill.schools].sort(), fill: null }
          : { seq: cp.seq, have, fill: { schools: fill.schools, seq: last ?? fill.seq } },
      filled: (count, batchSize) => count < batchSize,
    };
  return {
    schools: have,
    from: cp.seq,
    next: (last) => ({ seq: last ?? cp.seq, have, fill: null }),
    filled: () => false,
  };
}
