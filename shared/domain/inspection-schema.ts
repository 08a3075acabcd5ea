// The RxDB schema of the `inspections` collection (shared/inspections/records.ts: plans, templates,
// inspections, reports, follow-ups and self-checks by `kind`). Every string, list and map is bounded: the
// server checks pushed rows against this schema made strict (server/sync/registry.ts). Union types are
// written as `anyOf` of one branch per type (RxDB validates with ajv in strict mode).
import type { JsonSchema } from './json-schema';

const str = (maxLength: number) => ({ type: 'string', maxLength });
const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const list = (maxItems: number, items: unknown) => ({ type: 'array', maxItems, items });
const map = (maxProperties: number, value: unknown) => ({
  type: 'object',
  maxProperties,
  additionalProperties: value,
});
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
});
const ISO = str(32);
const YMD = str(10);
const ID = str(64);
const nullable = (s: unknown) => ({ anyOf: [s, { type: 'null' }] });

/** Bounds the app's screens and the server share (the schema's lists). */
export const INSPECTION_BOUNDS = {
  objects: 300,
  inspectors: 200,
  conflicts: 300,
  sample: 200,
  answers: 30,
  reviews: 30,
  lookups: 200,
  packs: 50,
} as const;

const quote = obj({ source: str(200), quote: str(2000) }, ['source', 'quote']);
const templateRef = obj({ id: ID, version: int(1, 100000), hash: str(64) }, ['id', 'version', 'hash']);
const templateItem = obj(
  {
    id: ID,
    no: str(20),
    group: str(60),
    title: str(200),
    basis: list(10, quote),
    method: str(60),
    lookAt: list(20, str(200)),
    rules: list(20, str(40)),
    assists: list(4, str(20)),
  },
  ['id', 'no', 'title', 'basis', 'method', 'lookAt', 'rules', 'assists'],
);
const template = obj(
  {
    id: ID,
    version: int(1, 100000),
    title: str(100),
    schoolType: { type: 'string', enum: ['vocational', 'k12'] },
    source: obj({ document: str(200), file: str(100) }, ['document', 'file']),
    basis: list(10, quote),
    owner: nullable(str(40)),
    derivedFrom: list(20, templateRef),
    note: str(500),
    items: list(40, templateItem),
  },
  ['id', 'version', 'title', 'schoolType', 'source', 'basis', 'owner', 'derivedFrom', 'items'],
);
const evidence = obj(
  {
    kind: { type: 'string', enum: ['photo', 'audio', 'video', 'scan', 'text'] },
    sha256: str(64),
    name: str(200),
    mime: str(100),
    size: int(0, 1073741824),
    text: str(2000),
    capturedAt: ISO,
    capturedBy: str(64),
  },
  ['kind', 'capturedAt', 'capturedBy'],
);
const filledCheck = obj(
  {
    finding: nullable({ type: 'string', enum: ['conforming', 'nonConforming', 'notApplicable'] }),
    notes: str(500),
    evidence: list(50, evidence),
  },
  ['finding', 'notes', 'evidence'],
);
const seed = { anyOf: [str(128), { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }] };
const archiveStates = map(20, { type: 'string', enum: ['present', 'missing', 'notDue'] });
const matter = obj({ id: ID, name: str(200) }, ['id', 'name']);

export const inspectionSchema: JsonSchema = {
  title: 'inspections',
  description: 'Inspection plans, templates, on-site records, reports, follow-ups and self-checks (issue 14)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: str(40),
    kind: {
      type: 'string',
      maxLength: 20,
      enum: ['plan', 'template', 'inspection', 'report', 'followUp', 'selfCheck'],
    },
    schoolId: str(40),
    bureauId: str(40),
    orgPath: str(200),
    title: str(200),
    status: str(20),
    // plan
    matter,
    inputs: obj(
      {
        objects: list(INSPECTION_BOUNDS.objects, obj({ id: ID, name: str(100), weight: int(1, 1000) })),
        inspectors: list(
          INSPECTION_BOUNDS.inspectors,
          obj({
            id: ID,
            name: str(100),
            enforcementId: nullable(str(40)),
            conflicts: list(INSPECTION_BOUNDS.conflicts, ID),
          }),
        ),
        size: obj({ ratio: { type: 'number', minimum: 0, maximum: 1 }, count: int(0, 100000) }),
        perObject: int(0, 100),
      },
      ['objects', 'inspectors', 'size', 'perObject'],
    ),
    seed: str(128),
    draw: obj(
      {
        seed,
        inputsHash: str(64),
        draws: list(
          INSPECTION_BOUNDS.objects,
          obj({ object: ID, inspectors: list(20, ID) }, ['object', 'inspectors']),
        ),
      },
      ['seed', 'inputsHash', 'draws'],
    ),
    drawDate: YMD,
    drawnAt: ISO,
    drawnBy: str(64),
    templates: obj({ vocational: templateRef, k12: templateRef }, ['vocational', 'k12']),
    publishedAt: ISO,
    publishedBy: str(64),
    visitFrom: YMD,
    visitTo: YMD,
    // template, inspection, self-check
    template,
    // inspection
    planId: str(40),
    schoolName: str(100),
    bureauName: str(100),
    inspectors: list(
      20,
      obj({ userId: ID, name: str(100), enforcementId: str(40) }, ['userId', 'name', 'enforcementId']),
    ),
    packs: list(
      INSPECTION_BOUNDS.packs,
      obj({ builtAt: ISO, builtBy: ID, rosterHash: str(64), rosterSize: int(0, 1000000) }, [
        'builtAt',
        'builtBy',
        'rosterHash',
        'rosterSize',
      ]),
    ),
    startedAt: ISO,
    endedAt: ISO,
    present: map(
      20,
      obj({ name: str(100), enforcementId: str(40), noConflict: { type: 'boolean' }, confirmedAt: ISO }, [
        'name',
        'enforcementId',
        'noConflict',
        'confirmedAt',
      ]),
    ),
    checks: map(40, filledCheck),
    sample: obj(
      {
        seed,
        rosterHash: str(64),
        rosterSize: int(0, 1000000),
        students: list(INSPECTION_BOUNDS.sample, ID),
        drawnAt: ISO,
        drawnBy: str(64),
      },
      ['seed', 'rosterHash', 'rosterSize', 'students', 'drawnAt', 'drawnBy'],
    ),
    sampleChecks: map(
      INSPECTION_BOUNDS.sample,
      obj(
        {
          name: str(50),
          grade: str(20),
          classId: str(40),
          schoolNo: str(30),
          claimed: archiveStates,
          found: archiveStates,
          note: str(500),
          checkedAt: ISO,
        },
        ['name', 'grade', 'classId', 'claimed', 'found'],
      ),
    ),
    duplicates: obj(
      {
        checkedAt: ISO,
        packBuiltAt: ISO,
        students: int(0, 1000000),
        within: int(0, 1000000),
        elsewhere: int(0, 1000000),
        invalid: int(0, 1000000),
        lookups: list(INSPECTION_BOUNDS.lookups, obj({ at: ISO, result: str(200) }, ['at', 'result'])),
        note: str(500),
      },
      ['checkedAt', 'packBuiltAt', 'students', 'within', 'elsewhere', 'invalid', 'lookups'],
    ),
    problems: str(3000),
    handling: str(3000),
    schoolHead: str(50),
    signatures: map(
      21,
      obj(
        {
          role: { type: 'string', enum: ['inspector', 'schoolHead'] },
          name: str(100),
          userId: ID,
          sha256: str(64),
          signedAt: ISO,
        },
        ['role', 'name', 'sha256', 'signedAt'],
      ),
    ),
    recordedAt: ISO,
    recordedBy: str(64),
    publication: obj({ on: YMD, where: str(200), by: str(64), at: ISO }, ['on', 'where', 'by', 'at']),
    // report
    inspectionId: str(40),
    docNo: str(40),
    issuer: str(60),
    inspectionDate: YMD,
    inspectionEndDate: YMD,
    reportDate: YMD,
    inspectorNames: list(10, str(50)),
    content: str(4000),
    situation: str(8000),
    evaluation: str(4000),
    suggestions: str(4000),
    issuedAt: ISO,
    issuedBy: str(64),
    receivedAt: ISO,
    receivedBy: str(64),
    receivedByName: str(100),
    // follow-up
    itemId: ID,
    itemNo: str(20),
    itemTitle: str(200),
    problem: str(1000),
    requirement: str(1000),
    dueDate: YMD,
    answers: list(
      INSPECTION_BOUNDS.answers,
      obj({ text: str(2000), evidence: list(20, evidence), at: ISO, by: str(64), byName: str(100) }, [
        'text',
        'evidence',
        'at',
        'by',
        'byName',
      ]),
    ),
    reviews: list(
      INSPECTION_BOUNDS.reviews,
      obj(
        {
          decision: { type: 'string', enum: ['close', 'reopen'] },
          note: str(1000),
          at: ISO,
          by: str(64),
          byName: str(100),
        },
        ['decision', 'note', 'at', 'by', 'byName'],
      ),
    ),
    // self-check
    findings: obj(
      {
        computedAt: ISO,
        students: int(0, 1000000),
        archiveGaps: int(0, 100000000),
        incompleteFolders: int(0, 1000000),
        lateChanges: int(0, 1000000),
        duplicates: int(0, 1000000),
        invalidIds: int(0, 1000000),
      },
      [
        'computedAt',
        'students',
        'archiveGaps',
        'incompleteFolders',
        'lateChanges',
        'duplicates',
        'invalidIds',
      ],
    ),
    doneAt: ISO,
    createdAt: ISO,
    createdBy: str(64),
    updatedAt: ISO,
    updatedBy: str(64),
  },
  required: [
    'id',
    'kind',
    'schoolId',
    'bureauId',
    'orgPath',
    'title',
    'status',
    'createdAt',
    'createdBy',
    'updatedAt',
    'updatedBy',
  ],
  indexes: ['kind'],
};
