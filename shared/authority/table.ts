// The authority table (DESIGN.md "Authority: who sees and does what"; issue 8): for every collection,
// operation and relation of the user to the record, which roles may do it. It is the whole policy: the
// server enforces it on every path a record takes to a client (pull, push answers, the live stream,
// attachments, sync issues, device lists), the app reads it to hide what a user cannot do, and the
// authorisation-matrix test is generated from it. Default deny: a collection, operation, role or
// relation the table does not name is refused.
import type { Role } from '../sync/protocol';

export const OPERATIONS = ['read', 'create', 'update', 'updateKey', 'updateWorkflow', 'delete'] as const;
/**
 * - `update`: ordinary fields; `updateKey`: key fields (★ for students, the content identity of an
 *   attachment, the content of a sync issue); `updateWorkflow`: the fields only an approved request may
 *   change (a student's status, school, class and grade; an org's place in the tree and its settings).
 */
export type Operation = (typeof OPERATIONS)[number];

export const RELATIONS = [
  'self',
  'ownClass',
  'otherClass',
  'ownOrg',
  'subtree',
  'party',
  'ancestor',
  'sibling',
  'outside',
] as const;
/**
 * How a user stands to a record (shared/authority/relation.ts computes it from the record's scope):
 * - `self`: made for this user (their own refusals, their own devices);
 * - `ownClass` / `otherClass`: a class-bound user (counselor) and a class-scoped record of their school;
 * - `ownOrg`: the record belongs to the user's own org (the school for school users);
 * - `subtree`: to an org below the user's (a school in a bureau's area);
 * - `party`: the user's org (or class, or area) is one of the other parties of a multi-party record;
 * - `ancestor`: to an org above the user's (the county above a school);
 * - `sibling`: to an org under the same parent, or below it (another school of the county);
 * - `outside`: anywhere else (another county, another city).
 */
export type Relation = (typeof RELATIONS)[number];

export const ROLES: readonly Role[] = ['province', 'bureau', 'schoolAdmin', 'counselor', 'inspector'];

/** Roles whose scope inside their school is their classes (HN 三.2: a counselor's own classes only). */
export const CLASS_BOUND_ROLES: ReadonlySet<Role> = new Set<Role>(['counselor']);

export type Grant = Partial<Record<Role, readonly Relation[]>>;

export type CollectionAuthority = {
  /** what the user sees the records called, e.g. 学生学籍记录 */
  label: string;
  ops: Partial<Record<Operation, Grant>>;
  /** why an operation is refused where the user may read the record (Chinese; the reason shown) */
  why?: Partial<Record<Operation, string>>;
  /** the refusal code of an operation refused where the user may read the record */
  codes?: Partial<Record<Operation, string>>;
};

// Inspectors read no students, student history or scans, and none of a school's leaves, appeals,
// verification records or change requests (issue 14: the minimum of minors' data): what an inspection
// needs travels in its visit pack (docs/inspections.md "Before the visit"), for its inspectors only.
const STUDENT_READ: Grant = {
  province: ['subtree'],
  bureau: ['subtree'],
  schoolAdmin: ['ownOrg'],
  counselor: ['ownClass'],
};

/**
 * An inspection (YQ 总述 二, 三; issue 14) is seen by its bureau, its drawn inspectors and the inspected
 * school, and by no one else — not the bureaus above, not the bureau's other inspectors (they are of the
 * same org, hence `self` only), not the school's counselors. A school's own self-check is its `ownOrg`; a
 * record whose parent is not on the server yet is its creator's (`self`) until the parent arrives.
 */
const INSPECTION_PARTIES: Grant = {
  bureau: ['ownOrg'],
  inspector: ['self'],
  schoolAdmin: ['ownOrg', 'party'],
};
const INSPECTION_DEPENDENTS: Grant = {
  bureau: ['self', 'ownOrg'],
  inspector: ['self'],
  schoolAdmin: ['self', 'ownOrg', 'party'],
};
const INSPECTION_WHY = {
  updateKey: '检查记录的内容标识不可更改',
  updateWorkflow: '检查的类别、所属计划、检查对象、检查单位和检查人员由抽取结果确定，不能修改',
  delete: '检查记录不能删除（R-INSP-TRACE：核查痕迹须留存，确保责任可追溯）',
};
const INSPECTION_CODES = {
  create: 'ROLE',
  update: 'ROLE',
  updateKey: 'IMMUTABLE',
  updateWorkflow: 'WORKFLOW_FIELD',
  delete: 'DELETE',
};
const SCHOOL_WRITE: Grant = { schoolAdmin: ['ownOrg'], counselor: ['ownClass'] };
/**
 * History and attachments are read where their record is, and by the other parties of a multi-party
 * record: the proofs of a transfer by both schools and both bureaus, and after a transfer the student's
 * history up to it by the sending school (server/workflows re-scopes it with that school as a party).
 * Inspectors read none of it (like STUDENT_READ): an inspection's own history and evidence are theirs
 * through the '…@inspections' entries.
 */
const DEPENDENT_READ: Grant = {
  province: ['subtree'],
  bureau: ['subtree', 'party'],
  schoolAdmin: ['ownOrg', 'party'],
  counselor: ['ownClass'],
};

/**
 * The table. Records that hang off another record (events, attachments, conflicts) take that record's
 * scope, so "ownClass" of a history event means: an event of a student of the counselor's class.
 * Future collections (changeRequests, leaves, verifications, appeals) add a row each; a multi-party
 * record grants `party` where its other parties may act. An entry named `<collection>@<via>` decides the
 * rows of `collection` that depend on a record of `via` (RowScope.via).
 */
export const AUTHORITY: Readonly<Record<string, CollectionAuthority>> = {
  students: {
    label: '学生学籍记录',
    ops: {
      read: STUDENT_READ,
      create: { schoolAdmin: ['ownOrg'] },
      update: SCHOOL_WRITE,
    },
    why: {
      create: '新生由本校学籍管理员登记或导入',
      update: '学生信息由学校维护；教育局通过审批办理变更，不直接修改学校的学籍记录',
      updateKey: '关键字段（★）须提交“基本信息变更”申请，经教育局审批后更改，任何角色都不能直接修改',
      updateWorkflow:
        '学籍状态、所属学校、班级和年级只能由审批通过的学籍异动申请改变，任何角色（包括省教育厅）都不能直接修改',
      delete: '学籍记录不能删除：请通过退学、注销等学籍异动办理，一人一籍的历史须保留',
    },
    codes: {
      create: 'ROLE',
      update: 'ROLE',
      updateKey: 'KEY_FIELD',
      updateWorkflow: 'STATUS_FIELD',
      delete: 'DELETE',
    },
  },
  events: {
    label: '修改记录',
    // The history of a record is read where the record is: a student's by its class counselor, school and
    // area; an org's own (settings, term dates) by that org and those above it, never by those below.
    ops: {
      read: {
        province: ['ownOrg', 'subtree'],
        bureau: ['ownOrg', 'subtree', 'party'],
        schoolAdmin: ['ownOrg', 'party'],
        counselor: ['ownClass'],
      },
      create: SCHOOL_WRITE,
    },
    why: {
      create: '修改记录随本人有权进行的修改一同产生',
      update: '修改记录（历史）不可修改（R-WHO）',
      updateKey: '修改记录（历史）不可修改（R-WHO）',
      updateWorkflow: '修改记录（历史）不可修改（R-WHO）',
      delete: '修改记录（历史）不可删除（R-WHO）',
    },
    codes: {
      create: 'ROLE',
      update: 'IMMUTABLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'IMMUTABLE',
      delete: 'IMMUTABLE',
    },
  },
  attachments: {
    label: '附件',
    ops: { read: DEPENDENT_READ, create: SCHOOL_WRITE, update: SCHOOL_WRITE },
    why: {
      create: '扫描件由学校登记',
      update: '附件信息由学校维护',
      updateKey: '附件的内容（SHA-256、大小、类型）不可替换，请上传新附件',
      updateWorkflow: '附件不能改挂到其他学校或记录上',
      delete: '附件是档案的凭证，不能删除',
    },
    codes: {
      create: 'ROLE',
      update: 'ROLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'IMMUTABLE',
      delete: 'IMMUTABLE',
    },
  },
  syncIssues: {
    label: '冲突与拒绝记录',
    ops: {
      read: {
        province: ['self', 'ownOrg', 'subtree'],
        bureau: ['self', 'ownOrg', 'subtree'],
        inspector: ['self'],
        schoolAdmin: ['self', 'ownOrg'],
        counselor: ['self', 'ownClass'],
      },
      create: SCHOOL_WRITE,
      update: {
        province: ['self', 'ownOrg'],
        bureau: ['self', 'ownOrg'],
        inspector: ['self'],
        schoolAdmin: ['self', 'ownOrg'],
        counselor: ['self', 'ownClass'],
      },
    },
    why: {
      create: '冲突记录由有权修改该记录的人产生',
      update: '只能处理本人、本单位或本人所带班级的冲突与拒绝记录',
      updateKey: '冲突记录的内容不可修改，只能处理（选择保留哪一方）',
      updateWorkflow: '冲突记录的内容不可修改，只能处理（选择保留哪一方）',
      delete: '冲突与拒绝记录不可删除，请标记为已处理',
    },
    codes: {
      create: 'ROLE',
      update: 'ROLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'IMMUTABLE',
      delete: 'IMMUTABLE',
    },
  },
  orgs: {
    label: '单位信息',
    ops: {
      read: {
        province: ['ownOrg', 'subtree'],
        bureau: ['ownOrg', 'subtree', 'ancestor'],
        inspector: ['ownOrg', 'subtree', 'ancestor'],
        schoolAdmin: ['ownOrg', 'ancestor'],
        counselor: ['ownOrg', 'ancestor'],
      },
      create: { province: ['subtree'], bureau: ['subtree'] },
      update: { province: ['subtree'], bureau: ['subtree'] },
    },
    why: {
      create: '下级单位由其上级教育局登记',
      update: '单位信息由其上级教育局维护，本单位不能修改自身信息',
      updateWorkflow: '单位的隶属关系、学期日期和规则设置不能通过同步修改（由省级平台的设置功能发布）',
      delete: '单位不能删除，停办的单位标记为停用',
    },
    codes: { create: 'ROLE', update: 'ROLE', updateWorkflow: 'WORKFLOW_FIELD', delete: 'DELETE' },
  },
  /**
   * Plans (抽查计划), bureau templates, inspections, reports, follow-ups and school self-checks, by `kind`
   * (shared/inspections/records.ts). The table admits the parties; which party may write which kind, field
   * and step is the workflow of shared/inspections/workflow.ts, which the server runs on every pushed row.
   */
  inspections: {
    label: '检查记录',
    ops: { read: INSPECTION_PARTIES, create: INSPECTION_PARTIES, update: INSPECTION_PARTIES },
    why: {
      create: '检查记录由检查单位、检查人员和被检查学校按各自的环节填写',
      update: '检查记录只能由检查单位、本次检查的检查人员和被检查学校按各自的环节修改',
      ...INSPECTION_WHY,
    },
    codes: INSPECTION_CODES,
  },
  // The dependents of an inspection record (RowScope.via = 'inspections'): its history, its evidence
  // (photos, audio, signatures, a school's answers) and its conflicts reach exactly the inspection's parties.
  'events@inspections': {
    label: '检查记录的修改记录',
    ops: { read: INSPECTION_DEPENDENTS, create: INSPECTION_DEPENDENTS },
    why: {
      create: '修改记录随本人有权进行的修改一同产生',
      update: '修改记录（历史）不可修改（R-WHO）',
      updateKey: '修改记录（历史）不可修改（R-WHO）',
      updateWorkflow: '修改记录（历史）不可修改（R-WHO）',
      delete: '修改记录（历史）不可删除（R-WHO）',
    },
    codes: {
      create: 'ROLE',
      update: 'IMMUTABLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'IMMUTABLE',
      delete: 'IMMUTABLE',
    },
  },
  'attachments@inspections': {
    label: '检查证据',
    ops: { read: INSPECTION_DEPENDENTS, create: INSPECTION_DEPENDENTS },
    why: {
      create: '检查证据由本次检查的各方留存',
      update: '检查证据（照片、录音、签名）留存后不可修改（R-INSP-TRACE）',
      updateKey: '检查证据的内容不可替换，请另行留存',
      updateWorkflow: '检查证据不能改挂到其他检查上',
      delete: '检查证据不能删除（R-INSP-TRACE：核查痕迹须留存）',
    },
    codes: {
      create: 'ROLE',
      update: 'IMMUTABLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'IMMUTABLE',
      delete: 'IMMUTABLE',
    },
  },
  'syncIssues@inspections': {
    label: '检查记录的冲突记录',
    // A conflict is only ever about a record on the server: never pending, so no `self` beyond the inspectors.
    ops: { read: INSPECTION_PARTIES, create: INSPECTION_PARTIES, update: INSPECTION_PARTIES },
    why: {
      create: '冲突记录由有权修改该记录的人产生',
      update: '只能处理本人参与的检查的冲突记录',
      updateKey: '冲突记录的内容不可修改，只能处理（选择保留哪一方）',
      updateWorkflow: '冲突记录的内容不可修改，只能处理（选择保留哪一方）',
      delete: '冲突与拒绝记录不可删除，请标记为已处理',
    },
    codes: {
      create: 'ROLE',
      update: 'ROLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'IMMUTABLE',
      delete: 'IMMUTABLE',
    },
  },
  /**
   * Routine verification (HN 三.4, 四): a task belongs to its issuer and has the schools it calls as
   * parties; a student's term record (results, consequences) belongs to the student's school and class.
   * Records are written by the server only (results from check-ins, consequences from the rules); the
   * school may record its aid office's withdrawal on a record, an issuer may cancel its task.
   */
  verifications: {
    label: '核验任务与核验结果',
    ops: {
      read: {
        // the province's subtree holds every task and record (a party grant would never be the one used)
        province: ['ownOrg', 'subtree'],
        bureau: ['ownOrg', 'subtree', 'party'],
        schoolAdmin: ['ownOrg', 'party'],
        counselor: ['ownClass', 'ownOrg', 'party'],
      },
      create: { province: ['ownOrg'], bureau: ['ownOrg'], schoolAdmin: ['ownOrg'] },
      update: { province: ['ownOrg'], bureau: ['ownOrg'], schoolAdmin: ['ownOrg'] },
    },
    why: {
      create: '核验任务由省教育厅、教育局发布，学校只能发布本校的联调测试（HN 三.3、三.4）',
      update: '核验任务只能由发布单位在截止前撤销；核验结果由服务器根据学生的核验记录写入',
      updateKey: '已发布的核验任务的时间、范围和校区位置不能修改，请撤销后重新发布',
      updateWorkflow: '核验结果和处理意见由服务器根据核验记录和规则写入，任何角色都不能直接修改',
      delete: '核验任务和核验结果不能删除，任务可以在截止前撤销',
    },
    codes: {
      create: 'ROLE',
      update: 'ROLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'WORKFLOW_FIELD',
      delete: 'DELETE',
    },
  },
  /** 请假/销假 and absences (HN 三.5): the counselor of the class or the school admin. */
  leaves: {
    label: '请假与缺勤记录',
    ops: {
      read: {
        province: ['subtree'],
        bureau: ['subtree'],
        schoolAdmin: ['ownOrg'],
        counselor: ['ownClass'],
      },
      create: SCHOOL_WRITE,
      update: SCHOOL_WRITE,
    },
    why: {
      create: '请假由学生在手机上申请，或由辅导员、学校学籍管理员代为登记（HN 三.5）',
      update: '请假由学生的辅导员（班主任）或学校学籍管理员审批和销假（HN 三.5）',
      updateKey: '请假的学生、类别和开始日期不能修改，请撤销后重新提交',
      delete: '请假记录不能删除，请撤销',
    },
    codes: { create: 'ROLE', update: 'ROLE', updateKey: 'IMMUTABLE', delete: 'DELETE' },
  },
  /** 申诉 (HN 四.2): raised by the school (or the student on the phone), decided by the upper level. */
  appeals: {
    label: '核验申诉',
    ops: {
      read: {
        province: ['subtree'],
        bureau: ['subtree'],
        schoolAdmin: ['ownOrg'],
        counselor: ['ownClass'],
      },
      create: { schoolAdmin: ['ownOrg'] },
      update: { schoolAdmin: ['ownOrg'], province: ['subtree'], bureau: ['subtree'] },
      updateWorkflow: { schoolAdmin: ['ownOrg'], province: ['subtree'], bureau: ['subtree'] },
    },
    why: {
      create: '申诉由学校学籍管理员（或学生在手机上）提出（HN 四.2）',
      update: '申诉由发起核验的上级教育行政部门决定，学校可以撤回本校的申诉',
      updateKey: '申诉提交后，其学生、核验任务和理由不能修改',
      updateWorkflow: '申诉由发起核验的上级教育行政部门决定（HN 四.2）',
      delete: '申诉记录不能删除，可以撤回',
    },
    codes: {
      create: 'ROLE',
      update: 'ROLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'ROLE',
      delete: 'DELETE',
    },
  },
  /**
   * Status and info changes (shared/workflows). The table says who may touch a request at all — its
   * school, the other school and the bureaus of a transfer (party), the bureaus and the province above;
   * the workflow definition then decides whether this person may take this step now (server/workflows).
   */
  changeRequests: {
    label: '学籍异动申请',
    ops: {
      read: {
        province: ['subtree'],
        bureau: ['subtree', 'party'],
        schoolAdmin: ['ownOrg', 'party'],
      },
      create: { schoolAdmin: ['ownOrg'] },
      update: { schoolAdmin: ['ownOrg'] },
      updateWorkflow: {
        province: ['subtree'],
        bureau: ['subtree', 'party'],
        schoolAdmin: ['ownOrg', 'party'],
      },
    },
    why: {
      read: '学籍异动申请只对办理该申请的学校、教育局和省教育厅可见',
      create: '学籍异动申请由学校的学籍管理员发起（转学由转入学校发起）',
      update: '申请内容由发起学校填写，审核单位只能签署审批意见',
      updateKey: '申请的类型、所属学校和编号不能修改',
      updateWorkflow: '只有审批流程中的学校、教育局和省教育厅可以办理申请',
      delete: '学籍异动申请不能删除，请撤回（R-WHO：申请和审批记录须保留）',
    },
    codes: {
      create: 'ROLE',
      update: 'ROLE',
      updateKey: 'IMMUTABLE',
      updateWorkflow: 'ROLE',
      delete: 'DELETE',
    },
  },
  /** registered devices (R-SECURE): `update` is revocation. Not replicated: GET /api/devices. */
  devices: {
    label: '登录设备',
    ops: {
      read: {
        province: ['self', 'ownOrg', 'subtree'],
        bureau: ['self', 'ownOrg', 'subtree'],
        inspector: ['self'],
        schoolAdmin: ['self', 'ownOrg'],
        counselor: ['self'],
      },
      update: {
        province: ['self', 'ownOrg', 'subtree'],
        bureau: ['self', 'ownOrg', 'subtree'],
        schoolAdmin: ['self', 'ownOrg'],
      },
    },
    why: { update: '只有学籍管理员或教育局可以停用设备' },
    codes: { update: 'ROLE' },
  },
  /**
   * User accounts (issue 11; HN 三.2: 学校学籍管理员…增设若干学生辅导员（班主任）帐户). Not replicated: the REST
   * API of server/admin. The record's scope is the account's org (and the account itself, `self`). `update`
   * covers edits, disabling, enabling and password resets; on top of the relation, shared/admin/accounts.ts
   * requires that nobody acts on an account at or above their own level (at their own org only on roles
   * below their own), so no one grants a role above their own or outside their area.
   */
  users: {
    label: '用户账号',
    ops: {
      read: {
        province: ['self', 'ownOrg', 'subtree'],
        bureau: ['self', 'ownOrg', 'subtree'],
        inspector: ['self'],
        schoolAdmin: ['self', 'ownOrg'],
        counselor: ['self'],
      },
      create: { province: ['ownOrg', 'subtree'], bureau: ['ownOrg', 'subtree'], schoolAdmin: ['ownOrg'] },
      update: { province: ['ownOrg', 'subtree'], bureau: ['ownOrg', 'subtree'], schoolAdmin: ['ownOrg'] },
    },
    why: {
      create: '账号由上级单位，或本单位更高一级的管理员开设（学校学籍管理员开设本校的辅导员/班主任账号）',
      update: '账号由开设它的上级单位或本单位更高一级的管理员维护',
      updateWorkflow: '账号的角色和所属单位不能修改：请停用该账号，另开新账号',
      delete: '账号不能删除：不再使用的账号请停用（其操作记录须保留，R-WHO）',
    },
    codes: { create: 'ROLE', update: 'ROLE', updateWorkflow: 'IMMUTABLE', delete: 'DELETE' },
  },
  /**
   * The record of administrative writes (R-WHO): organisations, accounts, password resets, disabling,
   * device revocations, settings. Written by the server only. An entry belongs to the org of whoever acted
   * and, as another party, to the org acted on: a county reads its own and its schools' entries and what
   * the city or province did to it; the province reads all.
   */
  adminAudit: {
    label: '管理操作记录',
    ops: {
      read: {
        province: ['ownOrg', 'subtree', 'party'],
        bureau: ['ownOrg', 'subtree', 'party'],
        schoolAdmin: ['ownOrg', 'party'],
      },
    },
    why: {
      create: '管理操作记录由服务器随每次管理操作写入',
      update: '管理操作记录不可修改（R-WHO）',
      delete: '管理操作记录不可删除（R-WHO）',
    },
    codes: { create: 'IMMUTABLE', update: 'IMMUTABLE', delete: 'IMMUTABLE' },
  },
};

/** Collections of the table that are not replicated (their own REST APIs decide with the same table). */
export const NOT_REPLICATED: ReadonlySet<string> = new Set(['devices', 'users', 'adminAudit']);

/** Actions that concern no single record, by role (default deny). */
export const ACTIONS = {
  /** R-ONE: is an ID number registered, and where (when the name matches) — for a transfer-in */
  registryLookup: ['schoolAdmin', 'bureau', 'province'],
  /** the province's rule settings, key-field set and calendar overrides (server/settings) */
  settingsRules: ['province'],
  /** term dates of a bureau's own org or of a school below it (server/settings) */
  settingsTerm: ['bureau'],
  /** the figures of the schools below one's org: students, archive, last sync (GET /api/orgs/stats) */
  areaStats: ['province', 'bureau', 'inspector'],
  /** 双随机: the register of a bureau's schools and inspectors, and drawing inspections from it (issue 14) */
  inspectionDraw: ['bureau'],
  /** 学校自查: a school runs an inspection template on its own data (shared/inspections/selfcheck.ts) */
  selfCheck: ['schoolAdmin'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof ACTIONS;

export const OPERATION_LABELS: Record<Operation, string> = {
  read: '查看',
  create: '新增',
  update: '修改',
  updateKey: '修改关键字段',
  updateWorkflow: '修改状态类字段',
  delete: '删除',
};

export const RELATION_LABELS: Record<Relation, string> = {
  self: '本人的',
  ownClass: '本人所带班级的',
  otherClass: '本校其他班级的',
  ownOrg: '本单位的',
  subtree: '辖区内的',
  party: '本单位参与的',
  ancestor: '上级单位的',
  sibling: '同级其他单位的',
  outside: '管辖范围以外的',
};

export type AuthorityTable = Readonly<Record<string, CollectionAuthority>>;

/** The relations a role is granted for an operation on a collection (empty: refused everywhere). */
export function grantedRelations(
  role: Role,
  collection: string,
  op: Operation,
  table: AuthorityTable = AUTHORITY,
): readonly Relation[] {
  return table[collection]?.ops[op]?.[role] ?? [];
}

export function mayAct(role: Role, action: Action): boolean {
  return (ACTIONS[action] as readonly Role[]).includes(role);
}
