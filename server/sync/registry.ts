// The collections the server replicates: every spec in shared/domain/schemas.ts COLLECTIONS, each with
// its JSON schema made strict for input (no properties outside the schema, at any depth) and how its
// rows name their class. Scopes are computed in scope.ts (from the server's tables, never the client).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { COLLECTIONS } from '../../shared/domain/schemas';
import type { SyncDoc } from '../../shared/sync/protocol';
import { type RuleRefusal, recordFieldLabel } from '../../shared/sync/rules';

export type CollectionEntry = {
  name: string;
  validate: ValidateFunction;
  classIdOf(doc: SyncDoc): string | null;
  /** server-written only (the client never pushes it) */
  readOnly: boolean;
};

const ajv = new Ajv({ strict: false, allErrors: false });

/**
 * The shared schema as the server checks input: every object that lists its properties admits no
 * others (RxDB's own schemas stay as they are; the app never writes extra fields, a hostile client may).
 */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'properties' && typeof v === 'object' && v !== null)
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strictSchema(s)]));
    else if (k === 'items' || k === 'additionalProperties' || k === 'anyOf') out[k] = strictSchema(v);
    else out[k] = v;
  }
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  // RxDB's bookkeeping of a schema, not a JSON-schema keyword for input.
  delete out.indexes;
  delete out.primaryKey;
  delete out.version;
  return out;
}

function entry(name: string, schema: object): CollectionEntry {
  return {
    name,
    validate: ajv.compile(strictSchema(schema) as object),
    classIdOf: (doc: SyncDoc) =>
      name === 'students' && typeof doc.classId === 'string' ? doc.classId : null,
    readOnly: false,
  };
}

export const REGISTRY: ReadonlyMap<string, CollectionEntry> = new Map(
  Object.entries(COLLECTIONS).map(([name, spec]) => [name, entry(name, spec.schema)]),
);

function describe(err: ErrorObject | undefined): string {
  switch (err?.keyword) {
    case 'required':
      return '不能为空';
    case 'maxLength':
      return `最多 ${String(err.params.limit)} 个字符`;
    case 'maxItems':
      return `最多 ${String(err.params.limit)} 项`;
    case 'maxProperties':
      return `最多 ${String(err.params.limit)} 项`;
    case 'minimum':
    case 'maximum':
      return '超出允许的范围';
    case 'enum':
      return '不是允许的取值';
    case 'type':
      return `类型不对（应为${TYPE_NAMES[String(err.params.type)] ?? '其他类型'}）`;
    default:
      return '格式不对';
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  integer: '整数',
  boolean: '是/否',
  array: '列表',
  object: '对象',
  null: '空值',
};

/** JSON-schema check of a pushed row, with a Chinese message naming the field. */
export function schemaRefusal(c: CollectionEntry, doc: SyncDoc, title: string): RuleRefusal | null {
  const { _deleted, _meta, _rev, _attachments, _refusal, ...state } = doc;
  if (c.validate(state)) return null;
  const err = c.validate.errors?.[0];
  const path = (err?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const what = title || '记录';
  if (err?.keyword === 'additionalProperties') {
    const extra = String(err.params.additionalProperty).slice(0, 40);
    const where = path ? `“${recordFieldLabel(c.name, path.split('.')[0] ?? '')}”中` : '';
    return {
      code: 'INVALID',
      reason: `${what}${where}含有不属于该记录的字段“${extra}”，服务器未接受`,
      field: path ? `${path}.${extra}` : extra,
    };
  }
  const missing = err?.keyword === 'required' ? String(err.params.missingProperty) : '';
  const field = missing || path.split('.')[0] || '';
  return { code: 'INVALID', reason: `${what}的“${recordFieldLabel(c.name, field)}”${describe(err)}`, field };
}
