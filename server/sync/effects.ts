// Side effects of accepting a pushed row, in the same database transaction (issue 8 "Side effects in one
// transaction"): an effect may write further rows (other collections, history) and re-scope rows; it runs
// inside the row's savepoint, so if it throws, the row and everything the effects wrote are rolled back
// together and the row is refused — all or nothing. The workflow issue hangs approvals on this (an
// approved request moves the student, closes the step and writes history in one transaction).
import type { RowScope } from '../../shared/authority/relation';
import { canonicalJson } from '../../shared/sync/equal';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { Sql } from '../store/db';
import { DEPENDENT_COLLECTIONS, entityOfCollection, keysOf, ownerPath, type StoredRow } from './scope';

export type EffectContext = {
  tx: Sql;
  collection: string;
  /** the row as it was (null for a new row) and as it is now written */
  before: StoredRow | null;
  after: StoredRow;
  user: SyncUser;
  deviceId: string;
  now: () => Date;
  /** writes another row (with its history and a new sequence number) in this transaction */
  write(collection: string, doc: SyncDoc, scope: RowScope): Promise<number>;
  /** a row of `collection` with this scope changed: its readers get a live notice */
  notify(collection: string, scope: RowScope): void;
  /** the next value of the write sequence (rows an effect changes in bulk get one each) */
  nextSeq(): Promise<number>;
};

export type Effect = {
  /** for logs and errors */
  name: string;
  /** the collections whose accepted rows trigger it ('*': every collection) */
  collections: readonly string[] | '*';
  run(ctx: EffectContext): Promise<void>;
};

export function effectApplies(effect: Effect, collection: string): boolean {
  return effect.collections === '*' || effect.collections.includes(collection);
}

// Compared canonically: a scope read back from jsonb has its keys in jsonb's order.
const sameScope = (a: RowScope | null, b: RowScope | null) => canonicalJson(a) === canonicalJson(b);

/**
 * Events, attachments and conflicts take the scope of the record they belong to. When that record is
 * created or its scope changes (a student's class changes — later only through a workflow), every
 * dependent row of the same school gets the new scope and a new sequence number, so the pulls now
 * entitled to it receive it and the stream tells them.
 */
export const rescopeDependents: Effect = {
  name: 'rescope-dependents',
  collections: '*',
  async run(ctx) {
    if (DEPENDENT_COLLECTIONS.includes(ctx.collection)) return;
    if (ctx.before && sameScope(ctx.before.scope, ctx.after.scope)) return;
    const entity = entityOfCollection(ctx.collection);
    const schoolId = ctx.collection === 'orgs' ? ctx.after.id : ctx.after.schoolId;
    const scope = ctx.after.scope;
    const moved = await ctx.tx.query<{ collection: string; scope: RowScope | null }>(
      `with targets as (
         select collection, id, scope from docs
          where ((collection in ('events', 'attachments') and data->>'entity' = $1 and data->>'entityId' = $2)
              or (collection = 'syncIssues' and data->>'kind' = 'conflict'
                  and data->>'docCollection' = $3 and data->>'docId' = $2))
            and school_id is not distinct from $4
            and (scope is null or scope <> $5::jsonb)
          for update
       )
       update docs d set scope = $5::jsonb, scope_keys = $6::text[], org_path = $7, seq = nextval('doc_seq')
         from targets t where d.collection = t.collection and d.id = t.id
       returning t.collection, t.scope`,
      [
        entity ?? '',
        ctx.after.id,
        ctx.collection,
        schoolId,
        JSON.stringify(scope),
        keysOf(scope),
        ownerPath(scope),
      ],
    );
    // Leaves, appeals and verification records of a student follow the student (scope.ts).
    const followers =
      ctx.collection === 'students'
        ? await ctx.tx.query<{ collection: string; scope: RowScope | null }>(
            `with targets as (
               select collection, id, scope from docs
                where collection in ('verifications', 'leaves', 'appeals') and data->>'studentId' = $1
                  and school_id is not distinct from $2 and (scope is null or scope <> $3::jsonb)
                for update
             )
             update docs d set scope = $3::jsonb, scope_keys = $4::text[], org_path = $5, seq = nextval('doc_seq')
               from targets t where d.collection = t.collection and d.id = t.id
             returning t.collection, t.scope`,
            [ctx.after.id, schoolId, JSON.stringify(scope), keysOf(scope), ownerPath(scope)],
          )
        : [];
    for (const m of [...moved, ...followers]) {
      if (m.scope) ctx.notify(m.collection, m.scope);
      ctx.notify(m.collection, scope);
    }
  },
};

export const DEFAULT_EFFECTS: readonly Effect[] = [rescopeDependents];
