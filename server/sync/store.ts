// Pull and push of replicated documents (RxDB's protocol, docs/sync-api.md). Every accepted write gets
// the next value of doc_seq under one advisory lock, so sequence order is commit order and a pull
// from checkpoint n can never miss a row that commits later with a smaller number.
import { canonicalJson, docEqual, stableHash, syncState } from '../../shared/sync/equal';
import {
  type PullResponse,
  type PushRow,
  REFUSAL_FIELD,
  type Refusal,
  type SyncCheckpoint,
  type SyncDoc,
  type SyncUser,
} from '../../shared/sync/protocol';
import {
  ACTIVE_STATUSES,
  checkWrite,
  docTitle,
  inScope,
  type RuleRefusal,
  rOneRefusal,
} from '../../shared/sync/rules';
import { escapeLike } from '../auth/accounts';
import type { Db, Sql } from '../store/db';
import { type CollectionEntry, type OrgRef, REGISTRY, schemaRefusal } from './registry';

export const WRITE_LOCK = 727202;
export const MAX_PULL_LIMIT = 2000;

export type ChangeNotice = { collection: string; seq: number; paths: string[] | null };

/** Where NOTIFY payloads go; one channel per database schema so test schemas stay apart. */
export function changeChannel(schema?: string): string {
  return schema ? `xueji_docs_${schema}` : 'xueji_docs';
}

function scopeSql(c: CollectionEntry, user: SyncUser, params: unknown[]): string {
  params.push(`${escapeLike(user.orgPath)}%`);
  let where = `(org_path like $${params.length}`;
  if (c.pullAncestors) {
    params.push(user.orgPath);
    where += ` or $${params.length} like org_path || '%'`;
  }
  where += ')';
  if (user.role === 'counselor' && c.name === 'students') {
    params.push(user.classIds);
    where += ` and class_id = any($${params.length}::text[])`;
  }
  return where;
}

/** Documents after the checkpoint inside the user's scope, in sequence order. JSON is passed through. */
export async function pullRaw(
  db: Db,
  c: CollectionEntry,
  user: SyncUser,
  checkpoint: SyncCheckpoint | null,
  limit: number,
): Promise<string> {
  const params: unknown[] = [c.name, checkpoint?.seq ?? 0];
  const scope = scopeSql(c, user, params);
  params.push(limit);
  // Order by the bigint column itself: a bare `order by seq` would bind to a text alias and sort
  // '10' < '9' (DESIGN.md pitfall; it happened here first and the tests count every row since).
  const rows = await db.query<{ seq_text: string; json: string }>(
    `select docs.seq::text as seq_text, data::text as json from docs
      where collection = $1 and seq > $2 and ${scope}
      order by docs.seq limit $${params.length}`,
    params,
  );
  const last = rows[rows.length - 1];
  // No rows: the client keeps its checkpoint (RxDB treats null as "unchanged").
  const next = last ? { seq: Number(last.seq_text) } : checkpoint;
  return `{"documents":[${rows.map((r) => r.json).join(',')}],"checkpoint":${JSON.stringify(next)}}`;
}

export async function pull(
  db: Db,
  c: CollectionEntry,
  user: SyncUser,
  checkpoint: SyncCheckpoint | null,
  limit: number,
): Promise<PullResponse> {
  return JSON.parse(await pullRaw(db, c, user, checkpoint, limit)) as PullResponse;
}

async function loadOrgs(sql: Sql, ids: string[]): Promise<Map<string, OrgRef>> {
  const unique = [...new Set(ids)];
  const map = new Map<string, OrgRef>();
  if (unique.length === 0) return map;
  const rows = await sql.query<{ id: string; org_path: string; name: string; kind: string }>(
    `select id, org_path, data->>'name' as name, data->>'kind' as kind from docs
      where collection = 'orgs' and not deleted and id = any($1::text[])`,
    [unique],
  );
  for (const r of rows) map.set(r.id, { id: r.id, path: r.org_path, name: r.name, kind: r.kind });
  return map;
}

export type PushContext = { user: SyncUser; deviceId: string; now: () => Date; channel: string };

export type PushOutcome = { conflicts: SyncDoc[]; written: number; refused: number };

async function nextSeq(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ seq: string }>(`select nextval('doc_seq')::text as seq`);
  return Number(row?.seq);
}

/** Writes one document state (and its history row) with a new sequence number. */
async function writeDoc(
  sql: Sql,
  c: CollectionEntry,
  doc: SyncDoc,
  orgPath: string,
  ctx: PushContext,
  exists: boolean,
): Promise<number> {
  const seq = await nextSeq(sql);
  const state = syncState(doc);
  const json = JSON.stringify(state);
  const schoolId = typeof state.schoolId === 'string' ? state.schoolId : null;
  const params = [
    c.name,
    String(state.id),
    seq,
    schoolId,
    orgPath,
    c.classIdOf(state),
    state._deleted === true,
    json,
    ctx.user.id,
  ];
  if (exists) {
    await sql.query(
      `update docs set seq = $3, school_id = $4, org_path = $5, class_id = $6, deleted = $7, data = $8::jsonb,
         written_by = $9, written_at = now() where collection = $1 and id = $2`,
      params,
    );
  } else {
    await sql.query(
      `insert into docs (collection, id, seq, school_id, org_path, class_id, deleted, data, written_by)
       values ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9)`,
      params,
    );
  }
  await sql.query(
    `insert into doc_history (seq, collection, id, data, written_by, device_id) values ($1,$2,$3,$4::jsonb,$5,$6)`,
    [seq, c.name, String(state.id), json, ctx.user.id, ctx.deviceId],
  );
  return seq;
}

/**
 * Records a refusal as a syncIssues document under the pushing user's org (so they pull it), once:
 * the id derives from the refused state, so a retried batch adds nothing.
 */
async function recordRefusal(
  sql: Sql,
  c: CollectionEntry,
  row: SyncDoc,
  refusal: RuleRefusal,
  ctx: PushContext,
): Promise<Refusal> {
  const issueId = `refusal-${stableHash(`${c.name}|${String(row.id)}|${ctx.user.id}|${refusal.code}|${canonicalJson(syncState(row))}`)}`;
  const issues = REGISTRY.get('syncIssues');
  const [existing] = await sql.query<{ id: string }>(
    `select id from docs where collection = 'syncIssues' and id = $1`,
    [issueId],
  );
  if (!existing && issues) {
    const at = ctx.now().toISOString();
    const { _deleted, ...attempted } = syncState(row);
    const issue: SyncDoc = {
      id: issueId,
      kind: 'refusal',
      docCollection: c.name,
      docId: String(row.id ?? ''),
      schoolId: ctx.user.orgId,
      orgPath: ctx.user.orgPath,
      docTitle: docTitle(c.name, row).slice(0, 100),
      ...(refusal.field ? { field: refusal.field } : {}),
      code: refusal.code,
      reason: refusal.reason.slice(0, 500),
      attempted,
      status: 'open',
      createdAt: at,
      createdBy: ctx.user.id,
      updatedAt: at,
      updatedBy: 'server',
      _deleted: false,
    };
    await writeDoc(sql, issues, issue, ctx.user.orgPath, ctx, false);
  }
  return { ...refusal, issueId };
}

type Current = { json: SyncDoc; orgPath: string };

/**
 * Applies a push batch. Returns the master states of the rows not applied: conflicts (the client
 * assumed another master) as they are, refusals with `_refusal`. Rows equal to the master change nothing.
 */
export async function push(
  db: Db,
  c: CollectionEntry,
  rows: PushRow[],
  ctx: PushContext,
): Promise<PushOutcome> {
  if (c.readOnly) throw new Error('read-only collection');
  const outcome = await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const ids = rows.map((r) => String(r.newDocumentState.id ?? ''));
    const currentRows = await tx.query<{ id: string; data: SyncDoc; org_path: string }>(
      'select id, data, org_path from docs where collection = $1 and id = any($2::text[])',
      [c.name, ids],
    );
    const current = new Map<string, Current>(
      currentRows.map((r) => [r.id, { json: r.data, orgPath: r.org_path }]),
    );
    const owners = await loadOrgs(
      tx,
      rows.map((r) => c.ownerOrgId(r.newDocumentState)).filter((x): x is string => x !== null),
    );
    const conflicts: SyncDoc[] = [];
    const paths = new Set<string>();
    let written = 0;
    let refused = 0;
    let lastSeq = 0;

    for (const row of rows) {
      const next = row.newDocumentState;
      const id = typeof next.id === 'string' ? next.id : '';
      const before = current.get(id) ?? null;
      const refuse = async (r: RuleRefusal) => {
        refused++;
        const refusal = await recordRefusal(tx, c, next, r, ctx);
        // Never reveal a row outside the user's scope: answer with their own state as a tombstone.
        const master =
          before && inScope(ctx.user, before.orgPath) ? before.json : { ...syncState(next), _deleted: true };
        conflicts.push({ ...master, [REFUSAL_FIELD]: refusal });
      };
      if (!id) {
        await refuse({ code: 'INVALID', reason: '记录缺少 id', field: 'id' });
        continue;
      }
      if (before && !inScope(ctx.user, before.orgPath)) {
        await refuse({
          code: 'OUT_OF_SCOPE',
          reason: `${docTitle(c.name, next)}不属于您（${ctx.user.orgName}）的管辖范围，服务器未接受此修改`,
          field: 'schoolId',
        });
        continue;
      }
      // Idempotent: the state is already the master (a retried batch) → nothing to write.
      if (before && docEqual(before.json, next)) continue;
      if (!before && next._deleted === true && !row.assumedMasterState) continue;
      // Conflict: the device assumed another master state. RxDB's conflict handler merges on the client.
      if (before && (!row.assumedMasterState || !docEqual(before.json, row.assumedMasterState))) {
        conflicts.push(before.json);
        continue;
      }
      const ownerId = c.ownerOrgId(next);
      const owner = ownerId ? (owners.get(ownerId) ?? null) : null;
      const orgPathAfter = ownerId === null && c.name !== 'orgs' ? null : c.orgPathOf(next, owner);
      const title = docTitle(c.name, next);
      const refusal =
        (!next._deleted ? schemaRefusal(c, next, title) : null) ??
        checkWrite(checkArgs(c, ctx, before, next, orgPathAfter)) ??
        (await serverRules(tx, c, next, orgPathAfter, title));
      if (refusal) {
        await refuse(refusal);
        continue;
      }
      lastSeq = await writeDoc(tx, c, next, orgPathAfter ?? '/', ctx, before !== null);
      current.set(id, { json: syncState(next), orgPath: orgPathAfter ?? '/' });
      if (orgPathAfter) paths.add(orgPathAfter);
      if (before) paths.add(before.orgPath);
      written++;
    }
    if (written > 0 || refused > 0) {
      const list = [...paths, ctx.user.orgPath];
      const payload: ChangeNotice = {
        collection: c.name,
        seq: lastSeq,
        paths: list.length > 40 ? null : list,
      };
      await tx.query('select pg_notify($1, $2)', [ctx.channel, JSON.stringify(payload)]);
      if (refused > 0 && c.name !== 'syncIssues')
        await tx.query('select pg_notify($1, $2)', [
          ctx.channel,
          JSON.stringify({ collection: 'syncIssues', seq: 0, paths: [ctx.user.orgPath] }),
        ]);
    }
    return { conflicts, written, refused };
  });
  return outcome;
}

function checkArgs(
  c: CollectionEntry,
  ctx: PushContext,
  before: Current | null,
  next: SyncDoc,
  orgPathAfter: string | null,
) {
  return {
    collection: c.name,
    user: ctx.user,
    before: before?.json ?? null,
    after: next,
    orgPathBefore: before?.orgPath ?? null,
    orgPathAfter,
  };
}

/** Checks that need the database: R-ONE, and that a student's orgPath is its school's. */
async function serverRules(
  sql: Sql,
  c: CollectionEntry,
  next: SyncDoc,
  orgPath: string | null,
  title: string,
): Promise<RuleRefusal | null> {
  if (c.name !== 'students' || next._deleted) return null;
  if (orgPath !== null && next.orgPath !== orgPath)
    return {
      code: 'INVALID',
      reason: `${title}的单位路径与所属学校不一致（应为 ${orgPath}）`,
      field: 'orgPath',
    };
  // R-ONE (YQ 四(一)): the same ID number never has two active records, across schools.
  if (ACTIVE_STATUSES.includes(String(next.status)) && typeof next.idNo === 'string') {
    const [other] = await sql.query<{ name: string; school: string | null }>(
      `select s.data->>'name' as name, o.data->>'name' as school from docs s
         left join docs o on o.collection = 'orgs' and o.id = s.school_id
        where s.collection = 'students' and s.data->>'idNo' = $1 and s.id <> $2 and not s.deleted
          and s.data->>'status' = any($3::text[]) limit 1`,
      [next.idNo, String(next.id), ACTIVE_STATUSES],
    );
    if (other) return rOneRefusal(next.idNo, other.school ?? '其他学校', other.name);
  }
  return null;
}

/** Server-side writes (demo seeding, org setup): no scope or role checks; one sequence per row. */
export async function writeAsServer(
  db: Db,
  collection: string,
  docs: SyncDoc[],
  channel: string,
  by = 'server',
): Promise<void> {
  const c = REGISTRY.get(collection);
  if (!c) throw new Error(`未知的数据集合：${collection}`);
  const ctx: PushContext = {
    user: {
      id: by,
      username: by,
      displayName: by,
      role: 'province',
      orgId: '',
      orgName: '',
      orgPath: '/',
      classIds: [],
    },
    deviceId: 'server',
    now: () => new Date(),
    channel,
  };
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const owners = await loadOrgs(
      tx,
      docs.map((d) => c.ownerOrgId(d)).filter((x): x is string => x !== null),
    );
    const known = new Map(owners);
    const existing = new Set(
      (
        await tx.query<{ id: string }>('select id from docs where collection = $1 and id = any($2::text[])', [
          collection,
          docs.map((d) => String(d.id)),
        ])
      ).map((r) => r.id),
    );
    const fresh: { d: SyncDoc; p: string; k: string | null }[] = [];
    for (const doc of docs) {
      const ownerId = c.ownerOrgId(doc);
      const owner = ownerId ? (known.get(ownerId) ?? null) : null;
      const orgPath = c.orgPathOf(doc, owner);
      if (orgPath === null) throw new Error(`${docTitle(collection, doc)}的所属单位不存在`);
      const state = syncState({ ...doc, _deleted: doc._deleted === true });
      if (collection === 'orgs' || existing.has(String(doc.id))) {
        await writeDoc(tx, c, state, orgPath, ctx, existing.has(String(doc.id)));
        known.set(String(doc.id), {
          id: String(doc.id),
          path: orgPath,
          name: String(doc.name),
          kind: String(doc.kind),
        });
        existing.add(String(doc.id));
      } else fresh.push({ d: state, p: orgPath, k: c.classIdOf(state) });
    }
    // New rows in bulk (demo and bench seeding): one statement per chunk, sequence in input order.
    for (let i = 0; i < fresh.length; i += 2000) {
      await tx.query(
        `with input as (
           select x.value as v, x.ordinality as n from jsonb_array_elements($2::jsonb) with ordinality as x
         ), ins as (
           insert into docs (collection, id, seq, school_id, org_path, class_id, deleted, data, written_by)
           select $1, v->'d'->>'id', nextval('doc_seq'), v->'d'->>'schoolId', v->>'p', v->>'k',
                  (v->'d'->>'_deleted')::boolean, v->'d', $3
             from (select * from input order by n) ordered
           returning seq, id, data
         )
         insert into doc_history (seq, collection, id, data, written_by, device_id)
         select seq, $1, id, data, $3, 'server' from ins`,
        [collection, JSON.stringify(fresh.slice(i, i + 2000)), by],
      );
    }
    await tx.query('select pg_notify($1, $2)', [
      channel,
      JSON.stringify({ collection, seq: 0, paths: null }),
    ]);
  });
  // PGlite runs no autovacuum: without fresh statistics the planner sorts every remaining row for each
  // pull page instead of walking the (collection, seq) index.
  if (docs.length >= 100) await db.query('analyze docs');
}

/** What a server-side update writes: the document's next state, and further documents in the same transaction. */
export type ServerUpdate = { doc: SyncDoc; also?: { collection: string; doc: SyncDoc }[] };

/**
 * Reads one document under the write lock, lets `change` compute its next state from the current one, and
 * writes it (and `also`, e.g. the event that records the change) in the same transaction, so two
 * concurrent updates of one document never lose each other's change. `change` may throw to write nothing,
 * or return null to leave the document as it is. Returns the written state.
 */
export async function updateAsServer(
  db: Db,
  collection: string,
  id: string,
  change: (current: SyncDoc | null, orgPath: string | null) => ServerUpdate | null,
  channel: string,
  by: string,
): Promise<SyncDoc | null> {
  const ctx: PushContext = {
    user: {
      id: by,
      username: by,
      displayName: by,
      role: 'province',
      orgId: '',
      orgName: '',
      orgPath: '/',
      classIds: [],
    },
    deviceId: 'server',
    now: () => new Date(),
    channel,
  };
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const paths: string[] = [];
    const write = async (name: string, doc: SyncDoc): Promise<SyncDoc> => {
      const c = REGISTRY.get(name);
      if (!c) throw new Error(`未知的数据集合：${name}`);
      const [row] = await tx.query<{ id: string }>('select id from docs where collection = $1 and id = $2', [
        name,
        String(doc.id),
      ]);
      const ownerId = c.ownerOrgId(doc);
      const owner = ownerId ? ((await loadOrgs(tx, [ownerId])).get(ownerId) ?? null) : null;
      const orgPath = c.orgPathOf(doc, owner);
      if (orgPath === null) throw new Error(`${docTitle(name, doc)}的所属单位不存在`);
      const state = syncState({ ...doc, _deleted: doc._deleted === true });
      await writeDoc(tx, c, state, orgPath, ctx, row !== undefined);
      paths.push(orgPath);
      return state;
    };
    const [current] = await tx.query<{ data: SyncDoc; org_path: string }>(
      'select data, org_path from docs where collection = $1 and id = $2',
      [collection, id],
    );
    const next = change(current ? current.data : null, current ? current.org_path : null);
    if (!next) return null;
    const written = await write(collection, next.doc);
    for (const extra of next.also ?? []) await write(extra.collection, extra.doc);
    for (const name of new Set([collection, ...(next.also ?? []).map((a) => a.collection)]))
      await tx.query('select pg_notify($1, $2)', [
        channel,
        JSON.stringify({ collection: name, seq: 0, paths: paths.length > 40 ? null : paths }),
      ]);
    return written;
  });
}
