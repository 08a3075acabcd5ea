// Migration 4's backfill (issue 8: "Backfill scope_keys for existing rows"): every row written before the
// server computed scopes gets its scope at start, idempotently (only rows whose scope is null), in the
// order the scopes depend on each other: orgs, then the records others hang off, then their dependents.
import { COLLECTIONS } from '../../shared/domain/schemas';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { Db } from '../store/db';
import { DEPENDENT_COLLECTIONS, keysOf, ownerPath, ScopeResolver } from './scope';
import { WRITE_LOCK } from './store';

const SERVER: SyncUser = {
  id: 'server',
  username: 'server',
  displayName: 'server',
  role: 'province',
  orgId: '',
  orgName: '',
  orgPath: '/',
  classIds: [],
};

/** Fills in missing scopes; returns how many rows it scoped. */
export async function backfillScopes(db: Db, chunk = 2000): Promise<number> {
  const names = Object.keys(COLLECTIONS);
  const order = [
    'orgs',
    ...names.filter((n) => n !== 'orgs' && !DEPENDENT_COLLECTIONS.includes(n)),
    ...DEPENDENT_COLLECTIONS,
  ];
  let total = 0;
  for (const collection of order) {
    for (;;) {
      const n = await db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
        const rows = await tx.query<{ id: string; data: SyncDoc; org_path: string }>(
          `select id, data, org_path from docs where collection = $1 and scope is null order by seq limit $2`,
          [collection, chunk],
        );
        if (rows.length === 0) return 0;
        const resolver = new ScopeResolver(tx);
        await resolver.preload(
          collection,
          rows.map((r) => r.data),
        );
        const scoped = rows.map((r) => {
          const d = r.data;
          const scope = resolver.scopeOf(collection, d, SERVER, null, true).scope ?? {
            owner: { path: r.org_path },
          };
          return { id: r.id, scope, keys: keysOf(scope), path: ownerPath(scope) };
        });
        await tx.query(
          `update docs d set scope = v.value->'scope', org_path = v.value->>'path',
             scope_keys = array(select jsonb_array_elements_text(v.value->'keys'))
             from jsonb_array_elements($2::jsonb) v
            where d.collection = $1 and d.id = v.value->>'id' and d.scope is null`,
          [collection, JSON.stringify(scoped)],
        );
        return rows.length;
      });
      total += n;
      if (n === 0) break;
    }
  }
  return total;
}
