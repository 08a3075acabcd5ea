// Conflict handling (DESIGN.md "Sync", STYLE rule 4: no last-writer-wins). When a push meets a
// master state other than the one the device assumed, the client merges three ways with the assumed
// state as the base: disjoint field edits merge; the same field edited on both sides, and any edit of a
// status/workflow or key field, keep the server's value in the record and go to the conflict inbox
// (`syncIssues`, kind "conflict") with both values, who and when. Nothing is ordered by device clocks.
import type { SyncIssueDoc } from '../domain/schemas';
import { DEFAULT_KEY_FIELDS, fieldLabel } from '../domain/student';
import { canonicalJson, docEqual, stableHash, syncState, valueEqual } from './equal';
import { REFUSAL_FIELD, type SyncDoc } from './protocol';
import { docTitle, workflowFieldsOf } from './rules';

export type ConflictInput<T extends SyncDoc = SyncDoc> = {
  assumedMasterState?: T;
  realMasterState: T;
  newDocumentState: T;
};

export type ConflictContext = {
  collection: string;
  /** the signed-in user's id (who detected the conflict) */
  by: string;
  /** ISO time of detection; informational only, never used for ordering */
  now: string;
  keyFields?: readonly string[];
  /** the detecting device's id: its value is `mine` (SyncIssueDoc.mineDevice) */
  device?: string;
};

export type MergeResult<T extends SyncDoc = SyncDoc> = { document: T; issues: SyncIssueDoc[] };

/** Fields that merge one level deeper (map-like objects edited part by part). */
const NESTED_MERGE: Record<string, readonly string[]> = { students: ['archive', 'aid'] };
/** Bookkeeping fields: they describe an edit, they are not the edit. */
const STAMP_FIELDS = new Set(['id', '_deleted', 'updatedAt', 'updatedBy']);

function guardedFields(ctx: ConflictContext): Set<string> {
  const fields = new Set(workflowFieldsOf(ctx.collection));
  if (ctx.collection === 'students') for (const f of ctx.keyFields ?? DEFAULT_KEY_FIELDS) fields.add(f);
  return fields;
}

function label(path: string): string {
  const [top, sub] = path.split('.');
  if (top === 'archive' && sub) return `纸质档案·${sub}`;
  if (top === 'aid' && sub) return `资助·${sub}`;
  if (top === '_deleted') return '删除';
  return fieldLabel(top ?? path);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function conflictIssueId(
  collection: string,
  docId: string,
  field: string,
  mine: unknown,
  theirs: unknown,
) {
  return `conflict-${stableHash(`${collection}|${docId}|${field}|${canonicalJson(mine)}|${canonicalJson(theirs)}`)}`;
}

/**
 * Three-way merge of one conflicting document. Returns the document to keep locally (and push again
 * if it differs from the master) and the inbox issues for fields a person must decide.
 */
export function mergeConflict<T extends SyncDoc>(
  input: ConflictInput<T>,
  ctx: ConflictContext,
): MergeResult<T> {
  const real = syncState(input.realMasterState as Record<string, unknown>) as T;
  const mine = syncState(input.newDocumentState as Record<string, unknown>) as T;
  // A refused row: the server's state stands; the refusal record carries the reason and the attempt.
  if (input.realMasterState[REFUSAL_FIELD] !== undefined || docEqual(real, mine)) {
    return { document: real, issues: [] };
  }
  const base = input.assumedMasterState
    ? (syncState(input.assumedMasterState as Record<string, unknown>) as T)
    : undefined;
  const guarded = guardedFields(ctx);
  const nested = new Set(NESTED_MERGE[ctx.collection] ?? []);
  const merged: Record<string, unknown> = { ...real };
  const conflicts: { field: string; base: unknown; mine: unknown; theirs: unknown }[] = [];

  const mergeLeaf = (
    path: string,
    m: unknown,
    t: unknown,
    b: unknown,
    hasBase: boolean,
    isGuarded: boolean,
  ) => {
    if (valueEqual(m, t)) return { value: t };
    if (hasBase && valueEqual(m, b)) return { value: t };
    if (hasBase && valueEqual(t, b) && !isGuarded) return { value: m };
    conflicts.push({ field: path, base: b, mine: m, theirs: t });
    return { value: t };
  };

  if (real._deleted !== mine._deleted) {
    // One side deleted, the other kept or edited the record: a person decides; the server's state stays.
    conflicts.push({
      field: '_deleted',
      base: base?._deleted ?? false,
      mine: mine._deleted,
      theirs: real._deleted,
    });
  } else {
    const keys = new Set([...Object.keys(real), ...Object.keys(mine)]);
    for (const key of keys) {
      if (STAMP_FIELDS.has(key)) continue;
      const m = mine[key];
      const t = real[key];
      const b = base?.[key];
      if (
        nested.has(key) &&
        isPlainObject(m) &&
        isPlainObject(t) &&
        (b === undefined || isPlainObject(b)) &&
        !valueEqual(m, t)
      ) {
        const out: Record<string, unknown> = { ...t };
        for (const sub of new Set([...Object.keys(m), ...Object.keys(t)])) {
          const bo = b as Record<string, unknown> | undefined;
          const r = mergeLeaf(
            `${key}.${sub}`,
            m[sub],
            t[sub],
            bo?.[sub],
            base !== undefined,
            guarded.has(key),
          );
          if (r.value === undefined) delete out[sub];
          else out[sub] = r.value;
        }
        merged[key] = out;
      } else {
        const r = mergeLeaf(key, m, t, b, base !== undefined, guarded.has(key));
        if (r.value === undefined) delete merged[key];
        else merged[key] = r.value;
      }
    }
  }

  const sameAsReal = [...new Set([...Object.keys(merged), ...Object.keys(real)])].every(
    (k) => STAMP_FIELDS.has(k) || valueEqual(merged[k], real[k]),
  );
  const document = (
    sameAsReal
      ? real
      : { ...merged, updatedAt: mine.updatedAt, updatedBy: mine.updatedBy, _deleted: real._deleted }
  ) as T;

  const docId = String(real.id ?? mine.id);
  const issues: SyncIssueDoc[] = conflicts.map((c) => ({
    id: conflictIssueId(ctx.collection, docId, c.field, c.mine, c.theirs),
    kind: 'conflict',
    docCollection: ctx.collection,
    docId,
    schoolId: String(real.schoolId ?? mine.schoolId ?? ''),
    orgPath: String(real.orgPath ?? mine.orgPath ?? real.path ?? ''),
    docTitle: docTitle(ctx.collection, real).slice(0, 100),
    field: c.field,
    fieldLabel: label(c.field).slice(0, 50),
    base: c.base ?? null,
    mine: c.mine ?? null,
    theirs: c.theirs ?? null,
    mineBy: str(mine.updatedBy),
    mineAt: str(mine.updatedAt),
    ...(ctx.device ? { mineDevice: ctx.device.slice(0, 80) } : {}),
    theirsBy: str(real.updatedBy),
    theirsAt: str(real.updatedAt),
    status: 'open',
    createdAt: ctx.now,
    createdBy: ctx.by,
    updatedAt: ctx.now,
    updatedBy: ctx.by,
  }));
  return { document, issues };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a dotted path ("archive.basicInfo") of a document. */
export function getPath(doc: Record<string, unknown>, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Returns a copy of `doc` with a dotted path set (undefined removes the key). */
export function setPath<T extends Record<string, unknown>>(doc: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const out: Record<string, unknown> = { ...doc };
  if (!head) return doc;
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
  } else {
    const child = isPlainObject(out[head]) ? (out[head] as Record<string, unknown>) : {};
    out[head] = setPath(child, rest.join('.'), value);
  }
  return out as T;
}

export type ResolutionChoice = { keep: 'mine' } | { keep: 'theirs' } | { keep: 'other'; value: unknown };

export type Resolution<T extends SyncDoc> = {
  /** the issue, now resolved */
  issue: SyncIssueDoc;
  /** the record with the chosen value applied, or null when the record already holds it */
  document: T | null;
  /** the history event of the resolution (R-WHO): the resolution is itself a recorded edit */
  event: {
    id: string;
    schoolId: string;
    entity: string;
    entityId: string;
    action: string;
    at: string;
    by: string;
    reason: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  };
};

/**
 * A person resolves a conflict: the chosen value is written to the current record as a new edit,
 * the issue is closed with who, when and what, and a history event records it.
 */
export function resolveConflictIssue<T extends SyncDoc>(
  issue: SyncIssueDoc,
  current: T,
  choice: ResolutionChoice,
  by: string,
  at: string,
): Resolution<T> {
  if (issue.kind !== 'conflict' || !issue.field) throw new Error('只能处理冲突记录');
  if (issue.status !== 'open') throw new Error('该冲突已处理');
  const value = choice.keep === 'mine' ? issue.mine : choice.keep === 'theirs' ? issue.theirs : choice.value;
  const field = issue.field;
  const before = field === '_deleted' ? current._deleted === true : getPath(current, field);
  const changes = !valueEqual(before ?? null, value ?? null);
  let document: T | null = null;
  if (changes) {
    const next =
      field === '_deleted'
        ? ({ ...current, _deleted: value === true } as T)
        : setPath(current, field, value === null ? undefined : value);
    document = { ...next, updatedAt: at, updatedBy: by };
  }
  const resolved: SyncIssueDoc = {
    ...issue,
    status: 'resolved',
    resolution: choice.keep,
    resolvedValue: value ?? null,
    resolvedBy: by,
    resolvedAt: at,
    updatedAt: at,
    updatedBy: by,
  };
  const entity = issue.docCollection === 'students' ? 'student' : issue.docCollection;
  return {
    issue: resolved,
    document,
    event: {
      id: `evt-${issue.id}`,
      schoolId: issue.schoolId,
      entity,
      entityId: issue.docId,
      action: 'conflict.resolve',
      at,
      by,
      // The event replicates to every device: it names the value kept, not "this device's" value.
      reason: `处理同步冲突：${issue.fieldLabel ?? field}${choice.keep === 'other' ? '改为新填写的值' : `采用${choice.keep === 'theirs' ? '先到服务器' : '后上传'}一方的值`}`,
      before: { [field]: before ?? null },
      after: { [field]: value ?? null },
    },
  };
}

/** RxDB's conflict-handler shape (structural, so shared/ needs no RxDB import). */
export type ConflictHandler<T extends SyncDoc> = {
  isEqual(a: T, b: T, context: string): boolean;
  resolve(input: ConflictInput<T>, context: string): Promise<T>;
};

export type ConflictHandlerOptions = {
  collection: string;
  /** called with the inbox issues of each resolved conflict; the app inserts them into syncIssues */
  onIssues(issues: SyncIssueDoc[]): void | Promise<void>;
  currentUser(): string;
  /** this device's id, recorded on the issues it finds */
  currentDevice?(): string | undefined;
  now(): string;
  keyFields?: readonly string[];
  /** the collection's own merge (change requests: shared/workflows/merge.ts); default mergeConflict */
  merge?: (input: ConflictInput, ctx: ConflictContext) => MergeResult;
};

/** The per-collection conflict handler an RxDB collection is created with. */
export function createConflictHandler<T extends SyncDoc>(
  options: ConflictHandlerOptions,
): ConflictHandler<T> {
  return {
    isEqual: (a, b) => docEqual(a, b),
    async resolve(input) {
      const result = (options.merge ?? mergeConflict)(input as ConflictInput, {
        collection: options.collection,
        by: options.currentUser(),
        now: options.now(),
        keyFields: options.keyFields,
        device: options.currentDevice?.(),
      });
      if (result.issues.length > 0) await options.onIssues(result.issues);
      return result.document as T;
    },
  };
}

export type ConflictSide = {
  /** which value of the issue this side is */
  keep: 'mine' | 'theirs';
  /** the column heading */
  label: string;
  /** the button that keeps it */
  action: string;
};

/**
 * The two sides of a conflict as the device reading the inbox sees them. An issue replicates to every
 * device of the school: `mine` is the value of the device that found the conflict (it pushed second),
 * `theirs` the one the server already had. On the finding device, 本机的值 is `mine`; on any other device
 * the record already holds the server's value, so 本机的值 is `theirs` and `mine` came from another
 * device. An issue that does not name its device (version 1) names the values by where they are.
 * The first side is always the value this device holds (or the server's, when that is unknown).
 */
export function conflictSides(
  issue: Pick<SyncIssueDoc, 'mineDevice'>,
  thisDevice: string,
): [here: ConflictSide, other: ConflictSide] {
  if (issue.mineDevice === thisDevice)
    return [
      { keep: 'mine', label: '本机的值', action: '保留本机的值' },
      { keep: 'theirs', label: '服务器的值（另一设备先上传）', action: '保留服务器的值' },
    ];
  if (issue.mineDevice)
    return [
      { keep: 'theirs', label: '本机的值（已在服务器）', action: '保留本机的值' },
      { keep: 'mine', label: '另一台设备的值（后上传）', action: '改用另一台设备的值' },
    ];
  return [
    { keep: 'theirs', label: '服务器的值（先上传）', action: '保留服务器的值' },
    { keep: 'mine', label: '发现冲突的设备上的值', action: '改用发现冲突的设备上的值' },
  ];
}
