// Pull and push of replicated documents (RxDB's protocol, docs/sync-api.md). Every accepted write gets
// the next value of doc_seq under one advisory lock, so sequence order is commit order and a pull
// from checkpoint n can never miss a row that commits later with a smaller number.
//
// Authority (shared/authority): every row carries the scope the server computed for it (scope.ts) and
// the scope keys derived from it; a pull returns the rows whose keys meet the user's read keys; a push is
// decided row by row — each in its own savepoint, so a bad row (or an unexpected database error) refuses
// that row only — and its answer carries a master state only when the user may read it.
import { canRead, type RowScope, readKeys } from '../../shared/authority/relation';
import { clipJson } from '../../shared/domain/schemas';
import { canonicalJson, docEqual, stableHash, syncState } from '../../shared/sync/equal';
import {
  DEFAULT_REGISTRY_LIMITS,
  DEFAULT_SYNC_LIMITS,
  type RegistryLimits,
  type SyncLimits,
} from '../../shared/sync/limits';
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
  outOfScopeRefusal,
  type RuleRefusal,
  recordFieldLabel,
  rOneRefusal,
} from '../../shared/sync/rules';
import { checkInput, stringProblem } from '../../shared/validate/input';
import { escapeLike } from '../auth/accounts';
import { registryCheck } from '../registry/registry';
import type { Db, Sql } from '../store/db';
import { changeRequestGate } from '../workflows/gate';
import { DEFAULT_EFFECTS, type Effect, effectApplies } from './effects';
import { type CollectionEntry, REGISTRY, schemaRefusal } from './registry';
import { ROW_CHECKS } from './row-checks';
import { keysOf, ownerPath, refusalScope, ScopeResolver, type StoredRow } from './scope';

export const WRITE_LOCK = 727202;
export const MAX_PULL_LIMIT = 2000;

/** A live notice: which collection changed, and the scopes of the rows that changed (readers only). */
export type ChangeNotice = { collection: string; seq: number; scopes: RowScope[] };

/** Where NOTIFY payloads go; one channel per database schema so test schemas stay apart. */
export function changeChannel(schema?: string): string {
  return schema ? `xueji_docs_${schema}` : 'xueji_docs';
}

/**
 * A city's or the province's choice of schools to hold (issue 11, "what each copy keeps offline"): the
 * pull then returns, of the rows below the user's org, only those of the chosen schools and those of the
 * bureaus in between (their settings' history); rows of the user's own org and above come as always.
 * Made of scope keys: `outside` is the key every row below the user's org carries, `keys` those of the
 * chosen schools (as owner or as another party) and of every org below that is not a school.
 */
export type PullSelection = { below: string[]; keys: string[] };

/** Documents after the checkpoint inside the user's scope, in sequence order. JSON is passed through. */
export async function pullRaw(
  db: Db,
  c: CollectionEntry,
  user: SyncUser,
  checkpoint: SyncCheckpoint | null,
  limit: number,
  selection: PullSelection | null = null,
): Promise<string> {
  const keys = readKeys(user, c.name);
  // The org tree is never narrowed: an area desk lists all of its schools, held or not; nor are the change
  // requests: a bureau decides the requests of every school below it, held on its machine or not.
  const narrowed = selection !== null && c.name !== 'orgs' && c.name !== 'changeRequests';
  // Order by the bigint column itself: a bare `order by seq` would bind to a text alias and sort
  // '10' < '9' (DESIGN.md pitfall; it happened here first and the tests count every row since).
  // Rows in scope, and tombstones of rows that left the user's scope (doc_exits): the user's previous view
  // of the row marked deleted, so their copy drops it. Each branch is limited on its own index order.
  const rows =
    keys.length === 0
      ? []
      : await db.query<{ seq_text: string; json: string }>(
          `select x.seq::text as seq_text, x.json from (
             (select docs.seq, data::text as json from docs
               where collection = $1 and seq > $2 and scope_keys && $3::text[]
               ${narrowed ? 'and (not (scope_keys && $5::text[]) or scope_keys && $6::text[])' : ''}
               order by docs.seq limit $4)
             union all
             (select e.seq, e.data::text as json from doc_exits e
               where e.collection = $1 and e.seq > $2 and e.scope_keys && $3::text[]
                 ${narrowed ? 'and (not (e.scope_keys && $5::text[]) or e.scope_keys && $6::text[])' : ''}
                 and not exists (select 1 from docs d
                                  where d.collection = e.collection and d.id = e.id and d.scope_keys && $3::text[])
               order by e.seq limit $4)
           ) x order by x.seq limit $4`,
          narrowed
            ? [c.name, checkpoint?.seq ?? 0, keys, limit, selection.below, selection.keys]
            : [c.name, checkpoint?.seq ?? 0, keys, limit],
        );
  const last = rows[rows.length - 1];
  // No rows: the client keeps its checkpoint (RxDB treats null as "unchanged").
  const next = last ? { seq: Number(last.seq_text) } : checkpoint;
  return `{"documents":[${rows.map((r) => r.json).join(',')}],"checkpoint":${JSON.stringify(next)}}`;
}

/**
 * The selection of a pull's `schools=` list, intersected with the user's area: ids that are not schools
 * below the user's org are ignored (a list tells nothing about schools elsewhere).
 */
export async function pullSelection(
  db: Db,
  user: SyncUser,
  schoolIds: readonly string[],
): Promise<PullSelection> {
  const wanted = new Set(schoolIds);
  const orgs = await db.query<{ id: string; org_path: string; kind: string }>(
    `select id, org_path, data->>'kind' as kind from docs
      where collection = 'orgs' and not deleted and org_path like $1 and org_path <> $2`,
    [`${escapeLike(user.orgPath)}%`, user.orgPath],
  );
  const keys: string[] = [];
  for (const o of orgs) {
    if (o.kind !== 'school') keys.push(`@${o.org_path}`);
    else if (wanted.has(o.id)) keys.push(`@${o.org_path}`, `+@${o.org_path}`);
  }
  return { below: [`*${user.orgPath}`], keys };
}

export async function pull(
  db: Db,
  c: CollectionEntry,
  user: SyncUser,
  checkpoint: SyncCheckpoint | null,
  limit: number,
  selection: PullSelection | null = null,
): Promise<PullResponse> {
  return JSON.parse(await pullRaw(db, c, user, checkpoint, limit, selection)) as PullResponse;
}

export type PushContext = {
  user: SyncUser;
  deviceId: string;
  now: () => Date;
  channel: string;
  effects?: readonly Effect[];
  limits?: SyncLimits;
  registry?: RegistryLimits;
  attachmentMaxBytes?: number;
  /** logs an unexpected failure of one row (never with the row's contents) */
  log?: (details: object, message: string) => void;
  /** content checks that need the server's data, after the authority decision allowed the row */
  checks?: readonly RowCheck[];
};

/** What a content check of one pushed row sees (in the row's savepoint). */
export type RowCheckContext = {
  tx: Sql;
  collection: string;
  before: StoredRow | null;
  after: SyncDoc;
  scope: RowScope;
  user: SyncUser;
  now: () => Date;
};

/** A content check that needs the server's own data (the rules of a collection beyond shared/sync/rules). */
export type RowCheck = {
  name: string;
  collections: readonly string[];
  check(ctx: RowCheckContext): Promise<RuleRefusal | null>;
};

export type PushOutcome = { conflicts: SyncDoc[]; written: number; refused: number };

export async function nextSeq(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ seq: string }>(`select nextval('doc_seq')::text as seq`);
  return Number(row?.seq);
}

/** Writes one document state with its scope (and its history row) under a new sequence number. */
export async function writeDoc(
  sql: Sql,
  c: CollectionEntry,
  doc: SyncDoc,
  scope: RowScope,
  ctx: Pick<PushContext, 'user' | 'deviceId'>,
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
    ownerPath(scope),
    c.classIdOf(state),
    state._deleted === true,
    json,
    ctx.user.id,
    JSON.stringify(scope),
    keysOf(scope),
  ];
  if (exists) {
    // The previous keys and state come back from the same statement: a row that leaves some readers'
    // scope is recorded for them (doc_exits, migration 10).
    const [prev] = await sql.query<{ keys: string[]; data: SyncDoc }>(
      `with prior as (select scope_keys, data from docs where collection = $1 and id = $2 for update)
       update docs set seq = $3, school_id = $4, org_path = $5, class_id = $6, deleted = $7, data = $8::jsonb,
         written_by = $9, written_at = now(), scope = $10::jsonb, scope_keys = $11::text[]
        from prior where docs.collection = $1 and docs.id = $2
       returning prior.scope_keys as keys, prior.data as data`,
      params,
    );
    const now = new Set(keysOf(scope));
    if (prev?.keys.some((k) => !now.has(k)))
      await sql.query(
        `insert into doc_exits (seq, collection, id, scope_keys, data) values ($1, $2, $3, $4::text[], $5::jsonb)`,
        [seq, c.name, String(state.id), prev.keys, JSON.stringify({ ...prev.data, _deleted: true })],
      );
  } else {
    await sql.query(
      `insert into docs (collection, id, seq, school_id, org_path, class_id, deleted, data, written_by, scope, scope_keys)
       values ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10::jsonb,$11::text[])`,
      params,
    );
  }
  await sql.query(
    `insert into doc_history (seq, collection, id, data, written_by, device_id) values ($1,$2,$3,$4::jsonb,$5,$6)`,
    [seq, c.name, String(state.id), json, ctx.user.id, ctx.deviceId],
  );
  return seq;
}

/** Removes what no stored text may hold (a refusal quotes the user's attempt). */
function safeText(s: string): string {
  let out = '';
  for (const ch of s) if (!stringProblem(ch, '', '')) out += ch;
  return out;
}

/**
 * What a refusal keeps of the refused state (`attempted`, so the user's values survive): every top-level
 * field that is itself sound, bounded like any stored value (a refusal never stores what was refused
 * for being too big or malformed).
 */
export function attemptedOf(collection: string, doc: SyncDoc, limits: SyncLimits): Record<string, unknown> {
  const { _deleted, ...state } = syncState(doc);
  const out: Record<string, unknown> = {};
  let bytes = 0;
  for (const [k, v] of Object.entries(state).slice(0, 200)) {
    if (checkInput({ [k]: v }, (f) => recordFieldLabel(collection, f), limits)) continue;
    const clipped = clipJson(v);
    const size = JSON.stringify(clipped).length + k.length;
    if (bytes + size > limits.maxDocBytes / 2) continue;
    bytes += size;
    out[k] = clipped;
  }
  return out;
}

/** Live notices collected in a transaction: collection → distinct scopes of the rows that changed. */
export type Notices = Map<string, Map<string, RowScope>>;

export function addNotice(notices: Notices, collection: string, scope: RowScope | null): void {
  if (!scope) return;
  const m = notices.get(collection) ?? new Map<string, RowScope>();
  notices.set(collection, m);
  m.set(JSON.stringify(scope), scope);
}

/** NOTIFY payloads stay under PostgreSQL's 8000-byte limit: many scopes go out in several notices. */
export async function sendNotices(sql: Sql, channel: string, notices: Notices, seq: number): Promise<void> {
  for (const [collection, scopes] of notices) {
    let batch: RowScope[] = [];
    let size = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const payload: ChangeNotice = { collection, seq, scopes: batch };
      await sql.query('select pg_notify($1, $2)', [channel, JSON.stringify(payload)]);
      batch = [];
      size = 0;
    };
    for (const [json, scope] of scopes) {
      if (size + json.length > 6000) await flush();
      batch.push(scope);
      size += json.length + 1;
    }
    await flush();
  }
}

/**
 * Records a refusal as a syncIssues document readable by the pushing user (and their org), once: the
 * id derives from the refusal and the (bounded) refused state, so a retried batch adds nothing.
 */
async function recordRefusal(
  sql: Sql,
  c: CollectionEntry,
  row: SyncDoc,
  refusal: RuleRefusal,
  ctx: PushContext,
  limits: SyncLimits,
  notices: Notices,
): Promise<Refusal> {
  const attempted = attemptedOf(c.name, row, limits);
  const docId = typeof row.id === 'string' ? safeText(row.id).slice(0, 80) : '';
  const issueId = `refusal-${stableHash(`${c.name}|${docId}|${ctx.user.id}|${refusal.code}|${refusal.field ?? ''}|${canonicalJson(attempted)}`)}`;
  const reason = safeText(refusal.reason).slice(0, 500);
  const issues = REGISTRY.get('syncIssues');
  const [existing] = await sql.query<{ id: string }>(
    `select id from docs where collection = 'syncIssues' and id = $1`,
    [issueId],
  );
  if (!existing && issues) {
    const at = ctx.now().toISOString();
    const issue: SyncDoc = {
      id: issueId,
      kind: 'refusal',
      docCollection: c.name,
      docId,
      schoolId: ctx.user.orgId,
      orgPath: ctx.user.orgPath,
      docTitle: safeText(docTitle(c.name, row)).slice(0, 100),
      ...(refusal.field ? { field: safeText(refusal.field).slice(0, 80) } : {}),
      code: refusal.code,
      reason,
      attempted,
      status: 'open',
      createdAt: at,
      createdBy: ctx.user.id,
      updatedAt: at,
      updatedBy: 'server',
      _deleted: false,
    };
    const scope = refusalScope(ctx.user);
    await writeDoc(sql, issues, issue, scope, ctx, false);
    addNotice(notices, 'syncIssues', scope);
  }
  return { code: refusal.code, reason, ...(refusal.field ? { field: refusal.field } : {}), issueId };
}

/** An id the store can hold: a string of 1–200 characters without control characters. */
function isSoundId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 200 && stringProblem(v, '', '') === null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

type RowOutcome =
  | { kind: 'skip' }
  | { kind: 'answer'; doc: SyncDoc; refused: boolean }
  | { kind: 'written'; row: StoredRow; seq: number; answer?: SyncDoc };

/**
 * The answer for a refused row: the master only if the user may read it, else their own attempt as a
 * tombstone — bounded like a refusal's copy (a hostile row is never echoed in full: 100,000 levels of
 * nesting would not even serialise).
 */
function refusedAnswer(
  c: CollectionEntry,
  user: SyncUser,
  before: StoredRow | null,
  next: SyncDoc,
  limits: SyncLimits,
): SyncDoc {
  if (before && canRead(user, c.name, before.scope)) return before.data;
  return {
    ...attemptedOf(c.name, next, limits),
    ...(typeof next.id === 'string' ? { id: next.id } : {}),
    _deleted: true,
  };
}

/** The state of a stored row as a client sees it. */
function masterOf(data: SyncDoc): SyncDoc {
  return { ...data, _deleted: data._deleted === true };
}

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
  const limits = ctx.limits ?? DEFAULT_SYNC_LIMITS;
  const effects = ctx.effects ?? DEFAULT_EFFECTS;
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    // Only sound ids reach the database (a NUL in one id must not fail the batch's shared queries).
    const ids = [...new Set(rows.map((r) => r.newDocumentState.id).filter(isSoundId))];
    const stored = await tx.query<{ id: string; data: SyncDoc; scope: RowScope; school_id: string | null }>(
      'select id, data, scope, school_id from docs where collection = $1 and id = any($2::text[])',
      [c.name, ids],
    );
    const current = new Map<string, StoredRow>(
      stored.map((r) => [r.id, { id: r.id, data: masterOf(r.data), scope: r.scope, schoolId: r.school_id }]),
    );
    const resolver = new ScopeResolver(tx);
    await resolver.preload(
      c.name,
      rows.map((r) => r.newDocumentState).filter((d) => checkInput(d, String, limits) === null),
    );
    const conflicts: SyncDoc[] = [];
    const notices: Notices = new Map();
    let written = 0;
    let refused = 0;
    let lastSeq = 0;

    const refuse = async (next: SyncDoc, before: StoredRow | null, r: RuleRefusal, rowNotices: Notices) => {
      const refusal = await recordRefusal(tx, c, next, r, ctx, limits, rowNotices);
      return { ...refusedAnswer(c, ctx.user, before, next, limits), [REFUSAL_FIELD]: refusal };
    };

    const decideRow = async (row: PushRow, rowNotices: Notices): Promise<RowOutcome> => {
      const next = row.newDocumentState;
      const id = typeof next.id === 'string' ? next.id : '';
      const before = current.get(id) ?? null;
      const title = docTitle(c.name, next);
      const answer = async (r: RuleRefusal): Promise<RowOutcome> => ({
        kind: 'answer',
        doc: await refuse(next, before, r, rowNotices),
        refused: true,
      });
      if (!isSoundId(next.id))
        return answer({ code: 'INVALID', reason: `${title || '记录'}缺少有效的 id`, field: 'id' });
      const bad = checkInput(next, (f) => recordFieldLabel(c.name, f), limits);
      if (bad)
        return answer({ code: 'INVALID', reason: `${title || '记录'}的${bad.message}`, field: bad.field });
      const assumed = row.assumedMasterState;
      if (assumed !== undefined && assumed !== null && !isObject(assumed))
        return answer({
          code: 'INVALID',
          reason: '推送内容中的 assumedMasterState 应为对象或 null',
          field: 'id',
        });
      // Never reveal a row outside the user's read scope — not in a conflict, not in a refusal.
      if (before && !canRead(ctx.user, c.name, before.scope))
        return answer(outOfScopeRefusal(c.name, next, ctx.user, before.scope));
      // Idempotent: the state is already the master (a retried batch) → nothing to write.
      if (before && docEqual(before.data, next)) return { kind: 'skip' };
      if (!before && next._deleted === true && !assumed) return { kind: 'skip' };
      // Conflict: the device assumed another master state. RxDB's conflict handler merges on the client.
      if (before && (!assumed || !docEqual(before.data, assumed)))
        return { kind: 'answer', doc: before.data, refused: false };
      if (next._deleted !== true) {
        const invalid = schemaRefusal(c, next, title);
        if (invalid) return answer(invalid);
      }
      const { scope: scopeAfter, problem } = resolver.scopeOf(c.name, next, ctx.user, before);
      const refusal =
        checkWrite({
          collection: c.name,
          user: ctx.user,
          before: before?.data ?? null,
          after: next,
          scopeBefore: before?.scope ?? null,
          scopeAfter,
          keyFields: resolver.keyFieldsFor(ownerPath(scopeAfter ?? before?.scope ?? null)),
          attachmentMaxBytes: ctx.attachmentMaxBytes,
        }) ?? problem;
      if (refusal || !scopeAfter) return answer(refusal ?? { code: 'UNKNOWN_ORG', reason: '所属单位不存在' });
      const rowCheck = next._deleted === true ? undefined : ROW_CHECKS[c.name];
      const checked = rowCheck ? await rowCheck(tx, { user: ctx.user, before, after: next }) : null;
      if (checked) return answer(checked);
      // A change request: the workflow definition decides whether this person may take this step now, and
      // the server completes what it stores (route, findings, what approval does) — server/workflows.
      if (c.name === 'changeRequests' && next._deleted !== true) {
        const g = await changeRequestGate(
          { tx, user: ctx.user, now: ctx.now(), registry: ctx.registry ?? DEFAULT_REGISTRY_LIMITS },
          before?.data ?? null,
          next,
        );
        if (!g.ok && !g.draft) return answer(g.refusal);
        const doc = g.ok ? g.doc : (g.draft as SyncDoc);
        const { scope } = resolver.scopeOf(c.name, doc, ctx.user, before);
        if (!scope) return answer({ code: 'UNKNOWN_ORG', reason: '所属单位不存在' });
        if (g.ok) return store(doc, scope);
        // A refused submission keeps the school's work as its draft, answered with the refusal.
        const kept = before && docEqual(before.data, doc) ? null : await store(doc, scope);
        const refusal = await recordRefusal(tx, c, next, g.refusal, ctx, limits, rowNotices);
        const master = { ...masterOf(syncState(doc)), [REFUSAL_FIELD]: refusal };
        return kept?.kind === 'written'
          ? { ...kept, answer: master }
          : { kind: 'answer', doc: master, refused: true };
      }
      if (c.name === 'students' && next._deleted !== true && needsROne(before?.data ?? null, next)) {
        const found = await registryCheck(tx, {
          user: ctx.user,
          idNo: String(next.idNo),
          name: typeof next.name === 'string' ? next.name : '',
          excludeId: id,
          via: 'push',
          now: ctx.now(),
          limits: ctx.registry ?? DEFAULT_REGISTRY_LIMITS,
        });
        if (found.kind !== 'none') return answer(rOneRefusal(found));
      }
      for (const check of ctx.checks ?? []) {
        if (!check.collections.includes(c.name)) continue;
        const r = await check.check({
          tx,
          collection: c.name,
          before,
          after: next,
          scope: scopeAfter,
          user: ctx.user,
          now: ctx.now,
        });
        if (r) return answer(r);
      }
      return store(next, scopeAfter);

      async function store(doc: SyncDoc, scope: RowScope): Promise<RowOutcome> {
        const seq = await writeDoc(tx, c, doc, scope, ctx, before !== null);
        const after: StoredRow = {
          id,
          data: masterOf(syncState(doc)),
          scope,
          schoolId: typeof doc.schoolId === 'string' ? doc.schoolId : null,
        };
        addNotice(rowNotices, c.name, before?.scope ?? null);
        addNotice(rowNotices, c.name, scope);
        await runEffects(tx, effects, {
          collection: c.name,
          before,
          after,
          user: ctx.user,
          deviceId: ctx.deviceId,
          now: ctx.now,
          notices: rowNotices,
        });
        return { kind: 'written', row: after, seq };
      }
    };

    for (const [index, row] of rows.entries()) {
      const rowNotices: Notices = new Map();
      await tx.query('savepoint push_row');
      let outcome: RowOutcome;
      try {
        outcome = await decideRow(row, rowNotices);
        await tx.query('release savepoint push_row');
      } catch (error) {
        // An unexpected failure (a database error, a failing effect) refuses this row only: everything it
        // and its effects wrote is rolled back; the other rows of the batch go on.
        await tx.query('rollback to savepoint push_row');
        rowNotices.clear();
        const e = error as { code?: unknown; message?: unknown };
        ctx.log?.(
          { collection: c.name, row: index, code: e.code, error: String(e.message ?? e) },
          'push row failed',
        );
        const next = row.newDocumentState;
        const before = current.get(String(next.id)) ?? null;
        const r: RuleRefusal = {
          code: 'SERVER_ROW',
          reason: `服务器未能保存${docTitle(c.name, next) || '此记录'}，未作任何修改（该记录的其他内容和本批的其他记录不受影响）；请稍后重试，仍不成功请联系管理员`,
        };
        let doc: SyncDoc;
        await tx.query('savepoint push_row');
        try {
          doc = await refuse(next, before, r, rowNotices);
          await tx.query('release savepoint push_row');
        } catch {
          await tx.query('rollback to savepoint push_row');
          rowNotices.clear();
          doc = {
            ...refusedAnswer(c, ctx.user, before, next, limits),
            [REFUSAL_FIELD]: { ...r, issueId: '' },
          };
        }
        outcome = { kind: 'answer', doc, refused: true };
      }
      for (const [collection, scopes] of rowNotices)
        for (const scope of scopes.values()) addNotice(notices, collection, scope);
      if (outcome.kind === 'answer') {
        conflicts.push(outcome.doc);
        if (outcome.refused) refused++;
      } else if (outcome.kind === 'written') {
        current.set(outcome.row.id, outcome.row);
        resolver.remember(c.name, outcome.row, outcome.row.id);
        lastSeq = outcome.seq;
        written++;
        // written, but not as pushed (a refused submission kept as a draft): the refusal is the answer
        if (outcome.answer) {
          conflicts.push(outcome.answer);
          refused++;
        }
      }
    }
    await sendNotices(tx, ctx.channel, notices, lastSeq);
    return { conflicts, written, refused };
  });
}

/** Runs the effects of one accepted row in its transaction; what they write is noticed like the row. */
async function runEffects(
  tx: Sql,
  effects: readonly Effect[],
  o: {
    collection: string;
    before: StoredRow | null;
    after: StoredRow;
    user: SyncUser;
    deviceId: string;
    now: () => Date;
    notices: Notices;
  },
): Promise<void> {
  for (const effect of effects) {
    if (!effectApplies(effect, o.collection)) continue;
    await effect.run({
      tx,
      collection: o.collection,
      before: o.before,
      after: o.after,
      user: o.user,
      deviceId: o.deviceId,
      now: o.now,
      nextSeq: () => nextSeq(tx),
      notify: (collection, scope) => addNotice(o.notices, collection, scope),
      async write(collection, doc, scope) {
        const target = REGISTRY.get(collection);
        if (!target) throw new Error(`effect ${effect.name}: unknown collection ${collection}`);
        const [exists] = await tx.query('select 1 from docs where collection = $1 and id = $2', [
          collection,
          String(doc.id),
        ]);
        addNotice(o.notices, collection, scope);
        return writeDoc(tx, target, doc, scope, o, exists !== undefined);
      },
    });
  }
}

/** R-ONE is checked when a row would (again) hold an active record of an ID number. */
function needsROne(before: SyncDoc | null, next: SyncDoc): boolean {
  if (!ACTIVE_STATUSES.includes(String(next.status)) || typeof next.idNo !== 'string') return false;
  if (!before) return true;
  return before.idNo !== next.idNo || !ACTIVE_STATUSES.includes(String(before.status));
}

/** The server acting on its own (seeding, settings): no scope or role checks apply to it. */
function serverUser(by: string): SyncUser {
  return {
    id: by,
    username: by,
    displayName: by,
    role: 'province',
    orgId: '',
    orgName: '',
    orgPath: '/',
    classIds: [],
  };
}

/** Server-side writes (demo seeding, org setup): no scope or role checks; one sequence per row. */
export async function writeAsServer(
  db: Db,
  collection: string,
  docs: SyncDoc[],
  channel: string,
  by = 'server',
  effects: readonly Effect[] = DEFAULT_EFFECTS,
): Promise<void> {
  const c = REGISTRY.get(collection);
  if (!c) throw new Error(`未知的数据集合：${collection}`);
  const user = serverUser(by);
  const ctx = { user, deviceId: 'server' };
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const resolver = new ScopeResolver(tx);
    await resolver.preload(collection, docs);
    const existing = new Map(
      (
        await tx.query<{ id: string; data: SyncDoc; scope: RowScope; school_id: string | null }>(
          'select id, data, scope, school_id from docs where collection = $1 and id = any($2::text[])',
          [collection, docs.map((d) => String(d.id))],
        )
      ).map((r) => [r.id, { id: r.id, data: r.data, scope: r.scope, schoolId: r.school_id } as StoredRow]),
    );
    const notices: Notices = new Map();
    const fresh: { d: SyncDoc; p: string; k: string | null; s: string; keys: string[] }[] = [];
    for (const doc of docs) {
      const state = syncState({ ...doc, _deleted: doc._deleted === true });
      const before = existing.get(String(doc.id)) ?? null;
      const { scope } = resolver.scopeOf(collection, state, user, before, true);
      if (!scope) throw new Error(`${docTitle(collection, doc)}的所属单位不存在`);
      addNotice(notices, collection, scope);
      if (before) addNotice(notices, collection, before.scope);
      const row: StoredRow = {
        id: String(doc.id),
        data: state,
        scope,
        schoolId: typeof doc.schoolId === 'string' ? doc.schoolId : null,
      };
      if (collection === 'orgs' || before) {
        await writeDoc(tx, c, state, scope, ctx, before !== null);
        existing.set(row.id, row);
        resolver.remember(collection, row, row.id);
        // The server's own changes of existing rows have the same effects as accepted pushes (a student
        // moved to another class re-scopes its history); new rows in bulk (seeding) have no dependents.
        await runEffects(tx, effects, {
          collection,
          before,
          after: row,
          user,
          deviceId: 'server',
          now: () => new Date(),
          notices,
        });
      } else {
        fresh.push({
          d: state,
          p: ownerPath(scope),
          k: c.classIdOf(state),
          s: JSON.stringify(scope),
          keys: keysOf(scope),
        });
      }
    }
    // New rows in bulk (demo and bench seeding): one statement per chunk, sequence in input order.
    for (let i = 0; i < fresh.length; i += 2000) {
      await tx.query(
        `with input as (
           select x.value as v, x.ordinality as n from jsonb_array_elements($2::jsonb) with ordinality as x
         ), ins as (
           insert into docs (collection, id, seq, school_id, org_path, class_id, deleted, data, written_by, scope, scope_keys)
           select $1, v->'d'->>'id', nextval('doc_seq'), v->'d'->>'schoolId', v->>'p', v->>'k',
                  (v->'d'->>'_deleted')::boolean, v->'d', $3, (v->>'s')::jsonb,
                  array(select jsonb_array_elements_text(v->'keys'))
             from (select * from input order by n) ordered
           returning seq, id, data
         )
         insert into doc_history (seq, collection, id, data, written_by, device_id)
         select seq, $1, id, data, $3, 'server' from ins`,
        [collection, JSON.stringify(fresh.slice(i, i + 2000)), by],
      );
    }
    const [top] = await tx.query<{ seq: string }>(`select last_value::text as seq from doc_seq`);
    await sendNotices(tx, channel, notices, Number(top?.seq ?? 0));
  });
  // PGlite runs no autovacuum: without fresh statistics the planner sorts every remaining row for each
  // pull page instead of walking the (collection, seq) index.
  if (docs.length >= 100) await db.query('analyze docs');
}

/** What a server-side update writes: the document's next state, and further documents in the same transaction. */
export type ServerUpdate = {
  doc: SyncDoc;
  also?: { collection: string; doc: SyncDoc }[];
  /** runs in the same transaction after the writes (e.g. the audit entry) */
  after?: (tx: Sql, written: SyncDoc) => Promise<void>;
};

/** What a server-side transaction gives its body: the SQL of the transaction, and reads and writes of documents. */
export type ServerWriter = {
  tx: Sql;
  /** the stored document (with its server path), or null */
  read(collection: string, id: string): Promise<{ data: SyncDoc; orgPath: string } | null>;
  /** writes a document with the scope the server computes for it, its history row and its effects */
  write(collection: string, doc: SyncDoc): Promise<SyncDoc>;
};

/**
 * Runs `body` in one transaction under the write lock, as the server (no scope or role checks: the caller
 * decided), and sends the live notices of everything it wrote once it returns. What `body` writes — documents
 * through `write`, other tables through `tx` — commits together or not at all.
 */
export async function serverTransaction<T>(
  db: Db,
  channel: string,
  by: string,
  body: (w: ServerWriter) => Promise<T>,
  effects: readonly Effect[] = DEFAULT_EFFECTS,
): Promise<T> {
  const user = serverUser(by);
  const ctx = { user, deviceId: 'server' };
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const notices: Notices = new Map();
    let lastSeq = 0;
    // Each document gets the scope the server computes for it (scope.ts), like every other write.
    const write = async (name: string, doc: SyncDoc): Promise<SyncDoc> => {
      const c = REGISTRY.get(name);
      if (!c) throw new Error(`未知的数据集合：${name}`);
      const [row] = await tx.query<{ id: string; data: SyncDoc; scope: RowScope; school_id: string | null }>(
        'select id, data, scope, school_id from docs where collection = $1 and id = $2',
        [name, String(doc.id)],
      );
      const before: StoredRow | null = row
        ? { id: row.id, data: row.data, scope: row.scope, schoolId: row.school_id }
        : null;
      const state: SyncDoc = syncState({ ...doc, _deleted: doc._deleted === true });
      const resolver = new ScopeResolver(tx);
      await resolver.preload(name, [state]);
      const { scope } = resolver.scopeOf(name, state, user, before, true);
      if (!scope) throw new Error(`${docTitle(name, doc)}的所属单位不存在`);
      lastSeq = await writeDoc(tx, c, state, scope, ctx, before !== null);
      addNotice(notices, name, before?.scope ?? null);
      addNotice(notices, name, scope);
      const after: StoredRow = {
        id: String(state.id),
        data: state,
        scope,
        schoolId: typeof state.schoolId === 'string' ? state.schoolId : null,
      };
      await runEffects(tx, effects, {
        collection: name,
        before,
        after,
        user,
        deviceId: 'server',
        now: () => new Date(),
        notices,
      });
      return state;
    };
    const read = async (collection: string, id: string) => {
      const [current] = await tx.query<{ data: SyncDoc; org_path: string }>(
        'select data, org_path from docs where collection = $1 and id = $2',
        [collection, id],
      );
      return current ? { data: current.data, orgPath: current.org_path } : null;
    };
    const result = await body({ tx, read, write });
    await sendNotices(tx, channel, notices, lastSeq);
    return result;
  });
}

/**
 * Reads one document under the write lock, lets `change` compute its next state from the current one, and
 * writes it (and `also`, e.g. the event that records the change) in the same transaction, so two
 * concurrent updates of one document never lose each other's change. `change` may throw to write nothing,
 * or return null to leave the document as it is; `after` runs in the transaction once everything is
 * written (the audit entry of an administrative write). Returns the written state.
 */
export async function updateAsServer(
  db: Db,
  collection: string,
  id: string,
  change: (current: SyncDoc | null, orgPath: string | null) => ServerUpdate | null,
  channel: string,
  by: string,
  effects: readonly Effect[] = DEFAULT_EFFECTS,
): Promise<SyncDoc | null> {
  return serverTransaction(
    db,
    channel,
    by,
    async ({ tx, read, write }) => {
      const current = await read(collection, id);
      const next = change(current ? current.data : null, current ? current.orgPath : null);
      if (!next) return null;
      const written = await write(collection, next.doc);
      for (const extra of next.also ?? []) await write(extra.collection, extra.doc);
      await next.after?.(tx, written);
      return written;
    },
    effects,
  );
}
