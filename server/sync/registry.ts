// The collections the server replicates: every spec in shared/domain/schemas.ts COLLECTIONS, each with
// how its rows are scoped (org path from the row's school, never from the client) and its JSON schema.
import { Ajv, type ValidateFunction } from 'ajv';
import { COLLECTIONS } from '../../shared/domain/schemas';
import { fieldLabel } from '../../shared/domain/student';
import type { SyncDoc } from '../../shared/sync/protocol';
import type { RuleRefusal } from '../../shared/sync/rules';

export type OrgRef = { id: string; path: string; name: string; kind: string };

export type CollectionEntry = {
  name: string;
  validate: ValidateFunction;
  /** the org whose subtree holds this row (its school; for orgs, the parent) */
  ownerOrgId(doc: SyncDoc): string | null;
  /** the row's org path, given the owner org as stored on the server */
  orgPathOf(doc: SyncDoc, owner: OrgRef | null): string | null;
  classIdOf(doc: SyncDoc): string | null;
  /** also deliver rows on the path above the user (orgs: a school sees its county, city and province) */
  pullAncestors: boolean;
  /** server-written only (the client never pushes it) */
  readOnly: boolean;
};

const ajv = new Ajv({ strict: false, allErrors: false });

function entry(name: string, schema: object): CollectionEntry {
  const base = {
    name,
    validate: ajv.compile(schema),
    classIdOf: (doc: SyncDoc) =>
      name === 'students' && typeof doc.classId === 'string' ? doc.classId : null,
    pullAncestors: false,
    readOnly: false,
  };
  if (name === 'orgs') {
    return {
      ...base,
      pullAncestors: true,
      ownerOrgId: (doc) => (typeof doc.parentId === 'string' ? doc.parentId : null),
      // An org's path is its parent's path plus its id; the root is "/<id>/".
      orgPathOf: (doc, parent) => (parent ? `${parent.path}${String(doc.id)}/` : `/${String(doc.id)}/`),
    };
  }
  return {
    ...base,
    ownerOrgId: (doc) => (typeof doc.schoolId === 'string' ? doc.schoolId : null),
    orgPathOf: (_doc, owner) => owner?.path ?? null,
  };
}

export const REGISTRY: ReadonlyMap<string, CollectionEntry> = new Map(
  Object.entries(COLLECTIONS).map(([name, spec]) => [name, entry(name, spec.schema)]),
);

/** JSON-schema check of a pushed row, with a Chinese message naming the field. */
export function schemaRefusal(c: CollectionEntry, doc: SyncDoc, title: string): RuleRefusal | null {
  const { _deleted, ...state } = doc;
  if (c.validate(state)) return null;
  const err = c.validate.errors?.[0];
  const path = (err?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = err?.keyword === 'required' ? String(err.params.missingProperty) : '';
  const field = missing || path.split('.')[0] || '';
  const what =
    err?.keyword === 'required'
      ? '不能为空'
      : err?.keyword === 'maxLength'
        ? `最多 ${String(err.params.limit)} 个字符`
        : err?.keyword === 'enum'
          ? '不是允许的取值'
          : err?.keyword === 'type'
            ? `类型不对（应为 ${String(err.params.type)}）`
            : '格式不对';
  return {
    code: 'INVALID',
    reason: `${title || '记录'}的“${fieldLabel(field)}”${what}`,
    field,
  };
}
