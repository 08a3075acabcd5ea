// Who may write what through sync. The server runs these checks on every pushed row (DESIGN.md
// "Sync": nothing a client sends is trusted); the app can run the same checks before queueing an
// edit. Pure: the server computes the scopes of the row before and after (from its own tables, never
// from the client) and looks up the master state, then asks here. The authority decision itself is the
// table in shared/authority; this file turns it into a refusal the person can read, and adds the
// content rules of each collection.
import { decideWrite, workflowFieldsOf } from '../authority/fields';
import { type RowScope, relationOf } from '../authority/relation';
import type { Relation } from '../authority/table';
import { ATTACHMENT_MAX_BYTES, attachmentProblem, expectedAttachmentId } from '../domain/attachment-types';
import { STUDENT_STATUSES } from '../domain/codes';
import { DEFAULT_KEY_FIELDS, fieldLabel, type Student } from '../domain/student';
import { validateStudent } from '../validate/student';
import { CHANGE_TYPES } from '../workflows/types';
import { valueEqual } from './equal';
import { ROLE_LABELS, type SyncDoc, type SyncUser } from './protocol';

export { workflowFieldsOf };

export type RuleRefusal = { code: string; reason: string; field?: string };

export type WriteCheck = {
  collection: string;
  user: SyncUser;
  /** current master state on the server, null for a new row */
  before: SyncDoc | null;
  after: SyncDoc;
  /** the scope the server holds for `before`, and the one it computed for `after` (null: unknown org) */
  scopeBefore: RowScope | null;
  scopeAfter: RowScope | null;
  /** the effective key-field set (shared/domain/key-fields.ts); DEFAULT_KEY_FIELDS when absent */
  keyFields?: readonly string[];
  /** the attachment size limit the server runs with */
  attachmentMaxBytes?: number;
};

const FIELD_LABELS: Record<string, Record<string, string>> = {
  events: {
    entity: '所属对象类型',
    entityId: '所属对象',
    action: '操作',
    at: '时间',
    by: '操作人',
    byName: '操作人姓名',
    reason: '原因',
    before: '修改前',
    after: '修改后',
  },
  attachments: {
    sha256: '文件内容标识',
    name: '文件名',
    mime: '文件类型',
    size: '文件大小',
    entity: '所属对象类型',
    entityId: '所属对象',
    kind: '附件类别',
  },
  syncIssues: {
    kind: '类别',
    docCollection: '记录类型',
    docId: '记录',
    docTitle: '记录名称',
    field: '字段',
    fieldLabel: '字段名称',
    base: '原值',
    mine: '本机的值',
    theirs: '服务器的值',
    attempted: '被拒绝的内容',
    code: '原因代码',
    reason: '原因',
    resolution: '处理结果',
    resolvedValue: '采用的值',
  },
  orgs: {
    kind: '单位类别',
    name: '单位名称',
    parentId: '上级单位',
    path: '单位路径',
    settings: '设置',
    creditCode: '统一社会信用代码',
    address: '地址',
    head: '负责人',
    campus: '校区位置',
    term: '学期',
  },
  verifications: {
    kind: '类别',
    termKey: '学期',
    issuer: '发起单位类别',
    issuerName: '发起单位',
    name: '任务名称',
    reason: '核验事由',
    start: '开始时间',
    end: '截止时间',
    scope: '核验范围',
    fences: '校区范围',
    test: '联调测试',
    cancelReason: '撤销原因',
    cancelledAt: '撤销时间',
    classId: '班级',
    grade: '年级',
    studentId: '学生',
    studentName: '学生姓名',
    term: '学期',
    results: '核验结果',
    actions: '处理事项',
    escalated: '逐级报批标记',
    aidWithdrawal: '资助撤回',
  },
  leaves: {
    kind: '类别',
    classId: '班级',
    studentId: '学生',
    studentName: '学生姓名',
    from: '开始日期',
    to: '结束日期',
    reason: '事由',
    returnedOn: '销假日期',
    via: '来源',
    requestedAt: '申请时间',
    requestedBy: '申请人',
    decidedAt: '审批时间',
    decidedBy: '审批人',
    opinion: '审批意见',
    returnedBy: '销假人',
  },
  appeals: {
    classId: '班级',
    studentId: '学生',
    studentName: '学生姓名',
    taskIds: '申诉的核验任务',
    rule: '申诉的处理事项',
    reason: '申诉理由',
    via: '来源',
    submittedAt: '提交时间',
    submittedBy: '提交人',
    decidedAt: '决定时间',
    decidedBy: '决定人',
    decidedOrgId: '决定单位',
    opinion: '决定意见',
  },
};

FIELD_LABELS.changeRequests = {
  type: '异动类型',
  studentIds: '学生',
  students: '学生信息',
  fromSchoolId: '转出学校',
  fromSchoolName: '转出学校',
  details: '异动信息',
  items: '变更项目',
  reason: '原因',
  applicant: '申请人',
  appliedOn: '申请日期',
  proofs: '证明材料',
  warnReasons: '书面说明理由',
  basis: '申请依据',
  escalated: '报省级审批',
  route: '审批流程',
  decisions: '审批记录',
  withdrawn: '撤回',
  status: '申请状态',
  step: '审批步骤',
  findings: '规则检查',
  applied: '办理结果',
  filed: '纸质件归档',
  createdByName: '填写人',
};

const COMMON_LABELS: Record<string, string> = {
  id: '记录编号',
  schoolId: '所属学校',
  orgPath: '所属单位路径',
  status: '状态',
  createdAt: '创建时间',
  createdBy: '创建人',
  updatedAt: '修改时间',
  updatedBy: '修改人',
  _deleted: '删除标记',
};

/** The Chinese label of a field of any replicated collection (for refusal messages). */
export function recordFieldLabel(collection: string, field: string): string {
  if (collection === 'students' && field !== 'schoolId' && field !== 'orgPath') {
    const label = fieldLabel(field);
    if (label !== field) return label;
  }
  return FIELD_LABELS[collection]?.[field] ?? COMMON_LABELS[field] ?? fieldLabel(field);
}

/** A short title of a record for messages ("学生 张三"). */
export function docTitle(collection: string, doc: SyncDoc | null | undefined): string {
  if (!doc) return '';
  if (collection === 'students' && typeof doc.name === 'string') return `学生“${doc.name}”`;
  if (collection === 'orgs' && typeof doc.name === 'string') return `单位“${doc.name}”`;
  if (collection === 'attachments' && typeof doc.name === 'string') return `附件“${doc.name}”`;
  if (collection === 'verifications') {
    if (doc.kind === 'task' && typeof doc.name === 'string') return `核验任务“${doc.name}”`;
    if (typeof doc.studentName === 'string') return `学生“${doc.studentName}”的核验记录`;
    return '核验记录';
  }
  if (collection === 'leaves')
    return `${typeof doc.studentName === 'string' ? `学生“${doc.studentName}”的` : ''}${doc.kind === 'absence' ? '缺勤登记' : '请假'}`;
  if (collection === 'appeals')
    return `${typeof doc.studentName === 'string' ? `学生“${doc.studentName}”的` : ''}核验申诉`;
  if (collection === 'events') return '修改记录';
  if (collection === 'syncIssues') return '冲突与拒绝记录';
  if (collection === 'changeRequests') {
    const type = CHANGE_TYPES[doc.type as keyof typeof CHANGE_TYPES] ?? '学籍异动';
    const first = Array.isArray(doc.students)
      ? (doc.students[0] as { name?: unknown } | undefined)
      : undefined;
    return `${type}申请${typeof first?.name === 'string' ? `“${first.name}”` : ''}`;
  }
  return '记录';
}

function labels(collection: string, fields: readonly string[]): string {
  return fields.map((f) => `“${recordFieldLabel(collection, f)}”`).join('、');
}

/** Checks one pushed row; returns why it is refused, or null when the user may write it. */
export function checkWrite(c: WriteCheck): RuleRefusal | null {
  const { user, before, after, collection } = c;
  const title = docTitle(collection, after) || docTitle(collection, before) || '记录';
  const role = ROLE_LABELS[user.role];
  if (c.scopeAfter === null) {
    const schoolId = String(after.schoolId ?? after.parentId ?? '');
    return {
      code: 'UNKNOWN_ORG',
      reason: `${title}所属学校/单位“${schoolId}”在服务器上不存在`,
      field: collection === 'orgs' ? 'parentId' : 'schoolId',
    };
  }
  const d = decideWrite({
    user,
    collection,
    before,
    after,
    scopeBefore: c.scopeBefore,
    scopeAfter: c.scopeAfter,
    keyFields: c.keyFields ?? DEFAULT_KEY_FIELDS,
  });
  if (!d.allow) {
    if (d.code === 'OUT_OF_SCOPE') return outOfScope(collection, title, user, d.relation);
    const field = d.fields[0];
    if (collection === 'students' && d.op === 'updateWorkflow' && field === 'status' && before) {
      const from = STUDENT_STATUSES[before.status as keyof typeof STUDENT_STATUSES] ?? String(before.status);
      const to = STUDENT_STATUSES[after.status as keyof typeof STUDENT_STATUSES] ?? String(after.status);
      return {
        code: d.code,
        reason: `${role}不能直接把${title}的学籍状态由“${from}”改为“${to}”：学籍异动须经审批，任何角色都不能直接修改`,
        field,
      };
    }
    if (d.op === 'updateWorkflow' && collection === 'orgs') {
      const f = settingsField(before, after);
      if (f) return settingsRefusal(title, f);
    }
    if (d.op === 'updateWorkflow' && collection === 'students')
      return {
        code: d.code,
        reason: `${title}的${labels(collection, d.fields)}只能由审批通过的学籍异动申请（转学、转专业、留级等）改变，不能直接修改`,
        field,
      };
    if (d.op === 'updateKey' && collection === 'students')
      return {
        code: d.code,
        reason: `${title}的${labels(collection, d.fields)}是关键字段，须提交信息变更申请，经教育局审批后更改`,
        field,
      };
    const what = d.fields.length > 0 ? `（${labels(collection, d.fields)}）` : '';
    return { code: d.code, reason: `${d.reason}${what}（${title}）`, field };
  }
  if (after._deleted === true) return null;
  return contentRefusal(c, title);
}

/**
 * The refusal of a row the user may not read. The same words whether the row exists or would be new,
 * and whichever school holds it: a refusal reveals nothing of other schools or classes.
 */
function outOfScope(collection: string, title: string, user: SyncUser, relation: Relation): RuleRefusal {
  if (relation === 'otherClass')
    return {
      code: 'OUT_OF_SCOPE',
      reason: `${title}不在您所带的班级中，服务器未接受此修改`,
      field: 'classId',
    };
  return {
    code: 'OUT_OF_SCOPE',
    reason: `${title}不属于您（${user.orgName}）的管辖范围，服务器未接受此修改`,
    field: collection === 'orgs' ? 'parentId' : 'schoolId',
  };
}

/** The refusal of a pushed row whose stored master the user may not read (titled by their attempt). */
export function outOfScopeRefusal(
  collection: string,
  attempt: SyncDoc,
  user: SyncUser,
  scope: RowScope,
): RuleRefusal {
  return outOfScope(collection, docTitle(collection, attempt) || '记录', user, relationOf(user, scope));
}

/** The first of an org's settings and term dates that a pushed document changes. */
function settingsField(before: SyncDoc | null, after: SyncDoc): 'settings' | 'term' | null {
  for (const f of ['settings', 'term'] as const) if (!valueEqual(before?.[f], after[f])) return f;
  return null;
}

function settingsRefusal(title: string, f: 'settings' | 'term'): RuleRefusal {
  return {
    code: 'SETTINGS',
    reason: `${title}的${f === 'term' ? '学期日期须由教育局' : '规则设置须由省教育厅'}通过设置功能修改，不能随单位信息一起同步`,
    field: f,
  };
}

/** The content rules of each collection, after the authority decision allowed the write. */
function contentRefusal(c: WriteCheck, title: string): RuleRefusal | null {
  const { before, after, collection } = c;
  switch (collection) {
    case 'students': {
      const first = validateStudent(after as unknown as Student, {
        previous: before as unknown as Student | null,
      })[0];
      return first ? { code: 'INVALID', reason: `${title}：${first.message}`, field: first.field } : null;
    }
    case 'orgs': {
      // Settings and term dates change only through the settings endpoints, which validate and record them
      // (server/settings/routes.ts): a new org document may not carry them either.
      if (!before) {
        const f = settingsField(null, after);
        if (f) return settingsRefusal(title, f);
      }
      // Orgs are administered through the server's administration API (server/admin), which validates them
      // with shared/admin/orgs.ts (the credit code's check digit, the attributes the rules read) and records
      // every change: a pushed org document, even from a bureau allowed to edit it, is never written.
      return {
        code: 'ADMIN_API',
        reason: `${title}须在“单位管理”中登记和修改（由省级平台校验并记录），不能通过同步写入`,
        field: 'id',
      };
    }
    case 'syncIssues':
      if (!before && after.kind !== 'conflict')
        return { code: 'ROLE', reason: '拒绝记录只能由服务器写入', field: 'kind' };
      return null;
    case 'attachments': {
      const sha = String(after.sha256 ?? '');
      if (!/^[0-9a-f]{64}$/.test(sha))
        return { code: 'INVALID', reason: `${title}的文件内容标识应为 64 位小写 SHA-256`, field: 'sha256' };
      const expected = expectedAttachmentId({
        schoolId: String(after.schoolId),
        entity: String(after.entity ?? ''),
        entityId: String(after.entityId ?? ''),
        sha256: sha,
      });
      if (!before && after.id !== expected)
        return {
          code: 'INVALID',
          reason: `${title}的记录编号应为“${after.entity === 'inspection' ? '检查记录标识' : '学校标识'}:SHA-256”（${expected.slice(0, 60)}…）`,
          field: 'id',
        };
      const p = attachmentProblem(
        {
          name: String(after.name ?? ''),
          mime: String(after.mime ?? ''),
          size: Number(after.size),
          kind: String(after.kind ?? ''),
        },
        c.attachmentMaxBytes ?? ATTACHMENT_MAX_BYTES,
      );
      return p ? { code: 'INVALID', reason: p.message, field: p.field } : null;
    }
    default:
      return null;
  }
}

// R-ONE (YQ 四(一), 中职(四)): one person, one record across schools. The server finds the other
// active record; this builds the message. It never names the other person, and names the other school
// only to a caller who also gave the matching name (what a receiving school needs for a transfer-in).
export const ACTIVE_STATUSES: readonly string[] = ['enrolled', 'suspended'];

export type ROneFinding =
  /** the other record is one the caller may read anyway (their own school) */
  | { kind: 'visible'; otherTitle: string }
  /** registered elsewhere; the school when the caller gave the matching name */
  | { kind: 'elsewhere'; school?: string }
  /** too many such checks: refused without looking (R-ONE without an oracle) */
  | { kind: 'limited'; minutes: number };

export function rOneRefusal(f: ROneFinding): RuleRefusal {
  switch (f.kind) {
    case 'visible':
      return {
        code: 'R-ONE',
        reason: `R-ONE 一人一籍（YQ 四(一)）：该身份证件号已有在籍记录（${f.otherTitle}），不能重复建籍`,
        field: 'idNo',
      };
    case 'elsewhere':
      return {
        code: 'R-ONE',
        reason: f.school
          ? `R-ONE 一人一籍（YQ 四(一)）：该身份证件号已在“${f.school}”注册学籍，不能重复建籍；如为转入，请发起转学申请`
          : 'R-ONE 一人一籍（YQ 四(一)）：该身份证件号已在其他学校注册学籍，不能重复建籍',
        field: 'idNo',
      };
    case 'limited':
      return {
        code: 'R-ONE-LIMIT',
        reason: `R-ONE 一人一籍查重次数过多：为保护学生信息，${f.minutes} 分钟内暂停查重，涉及身份证件号的新增和修改请稍后再同步`,
        field: 'idNo',
      };
  }
}
