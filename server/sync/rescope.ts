// Re-scoping the dependents of a record (its history events, attachments and conflicts; a student's
// leaves, appeals and verification records too) when the
// record's scope changes, with exits recorded for the readers who lose them (server/sync/effects.ts,
// server/workflows/effect.ts).
import type { RowScope, ScopeParty } from '../../shared/authority/relation';
import { canonicalJson } from '../../shared/sync/equal';
import type { SyncDoc } from '../../shared/sync/protocol';
import type { EffectContext } from './effects';
import { dependentScope, entityOfCollection, keysOf, ownerPath, VIA_COLLECTIONS } from './scope';

// Compared canonically: a scope read back from jsonb has its keys in jsonb's order.
export const sameScope = (a: RowScope | null, b: RowScope | null) => canonicalJson(a) === canonicalJson(b);

/**
 * Gives the dependents of a record (its events, attachments, conflicts) the record's scope: every row of
 * the record's own school, and rows of other schools that are parties of it already (a transferred
 * student's history up to the transfer, which the sending school keeps reading). `party` adds a party to
 * the rows of one school (the sending school, at a transfer). Each changed row gets a new sequence number;
 * a row that leaves some readers' scope is recorded for them (doc_exits), so their copies drop it.
 * The dependents of a record with its own audience (an inspection, VIA_COLLECTIONS) take exactly that
 * audience, marked with `via` (dependentScope): its history and evidence reach the inspection's parties
 * only, never everyone who reads that school's history or attachments; only its own school's rows move.
 */
export async function rescope(
  ctx: Pick<EffectContext, 'tx' | 'notify' | 'nextSeq'>,
  target: { collection: string; id: string; schoolId: string | null; scope: RowScope },
  party?: { schoolId: string; party: ScopeParty },
): Promise<number> {
  const entity = entityOfCollection(target.collection);
  const rows = await ctx.tx.query<{
    collection: string;
    id: string;
    school_id: string | null;
    scope: RowScope | null;
    scope_keys: string[];
    data: SyncDoc;
  }>(
    `select collection, id, school_id, scope, scope_keys, data from docs
      where ((collection in ('events', 'attachments') and data->>'entity' = $1 and data->>'entityId' = $2)
          or (collection = 'syncIssues' and data->>'kind' = 'conflict'
              and data->>'docCollection' = $3 and data->>'docId' = $2)
          -- leaves, appeals and verification records of a student follow the student (scope.ts)
          or ($3 = 'students' and collection in ('verifications', 'leaves', 'appeals')
              and data->>'studentId' = $2))
        and (school_id is not distinct from $4 or (scope ? 'parties') or school_id is not distinct from $5)
      for update`,
    [entity ?? '', target.id, target.collection, target.schoolId, party?.schoolId ?? null],
  );
  const via = VIA_COLLECTIONS.includes(target.collection);
  let changed = 0;
  for (const row of rows) {
    const own = row.school_id === target.schoolId;
    const joins = party !== undefined && row.school_id === party.schoolId;
    // A row of another school that is not a party of the record stays where it is (an event pushed
    // for an id of another school before that record existed must never be moved into its scope).
    if (via ? !own : !own && !joins && !(row.scope?.parties?.length ?? 0)) continue;
    const parties = [...(row.scope?.parties ?? []), ...(joins && party ? [party.party] : [])].filter(
      (p, i, all) => all.findIndex((q) => q.path === p.path && q.classId === p.classId) === i,
    );
    const next: RowScope = via
      ? dependentScope(target.collection, target.scope)
      : parties.length > 0
        ? { ...target.scope, parties }
        : target.scope;
    if (row.scope && sameScope(row.scope, next)) continue;
    const keys = keysOf(next);
    const seq = await ctx.nextSeq();
    await ctx.tx.query(
      `update docs set scope = $3::jsonb, scope_keys = $4::text[], org_path = $5, seq = $6
        where collection = $1 and id = $2`,
      [row.collection, row.id, JSON.stringify(next), keys, ownerPath(next), seq],
    );
    const now = new Set(keys);
    if (row.scope_keys.some((k) => !now.has(k)))
      await ctx.tx.query(
        `insert into doc_exits (seq, collection, id, scope_keys, data) values ($1, $2, $3, $4::text[], $5::jsonb)`,
        [seq, row.collection, row.id, row.scope_keys, JSON.stringify({ ...row.data, _deleted: true })],
      );
    if (row.scope) ctx.notify(row.collection, row.scope);
    ctx.notify(row.collection, next);
    changed++;
  }
  return changed;
}
