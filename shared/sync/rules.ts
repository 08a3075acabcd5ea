// Who may write what through sync. The server runs these checks on every pushed row (DESIGN.md
// "Sync": nothing a client sends is trusted); the app can run the same checks before queueing an
// edit. Pure: the server resolves org paths and looks up the current master state, then asks here.
import { STUDENT_STATUSES } from '../domain/codes';
import { DEFAULT_KEY_FIELDS, fieldLabel, type Student } from '../domain/student';
import { validateStudent } from '../validate/student';
import { valueEqual } from './equal';
import { ROLE_LABELS, type SyncDoc, type SyncUser } from './protocol';

export type RuleRefusal = { code: string; reason: string; field?: string };

export type WriteCheck = {
  collection: string;
  user: SyncUser;
  /** current master state on the server, null for a new row */
  before: SyncDoc | null;
  after: SyncDoc;
  /** org path the server resolved for `before` / `after` (from the orgs table, never from the client) */
  orgPathBefore: string | null;
  orgPathAfter: string | null;
  /** the key-field set (a setting; DEFAULT_KEY_FIELDS unless overridden) */
  keyFields?: readonly string[];
};

/** Roles that approve workflows (bureau approval applies key-field and status changes, DOMAIN.md). */
const APPROVER_ROLES = new Set(['province', 'bureau']);

/** Fields that only a workflow decision may change, per collection. Future collections add theirs. */
export const WORKFLOW_FIELDS: Record<string, readonly string[]> = {
  students: ['status'],
  changeRequests: ['status', 'steps', 'decision', 'approvedBy', 'approvedAt'],
  leaves: ['status', 'approvedBy', 'approvedAt'],
  appeals: ['status', 'decision', 'decidedBy', 'decidedAt'],
  inspections: ['status', 'result'],
};
const DEFAULT_WORKFLOW_FIELDS = ['status', 'steps', 'decision', 'approvedBy', 'approvedAt'];

export function workflowFieldsOf(collection: string): readonly string[] {
  return WORKFLOW_FIELDS[collection] ?? DEFAULT_WORKFLOW_FIELDS;
}

/** A short title of a record for messages ("学生 张三"). */
export function docTitle(collection: string, doc: SyncDoc | null | undefined): string {
  if (!doc) return '';
  if (collection === 'students' && typeof doc.name === 'string') return `学生“${doc.name}”`;
  if (collection === 'orgs' && typeof doc.name === 'string') return `单位“${doc.name}”`;
  if (collection === 'attachments' && typeof doc.name === 'string') return `附件“${doc.name}”`;
  return `记录 ${String(doc.id ?? '')}`;
}

export function inScope(user: Pick<SyncUser, 'orgPath'>, orgPath: string | null): boolean {
  return orgPath?.startsWith(user.orgPath) === true;
}

function changedFields(before: SyncDoc, after: SyncDoc, fields: readonly string[]): string[] {
  return fields.filter((f) => !valueEqual(before[f], after[f]));
}

/** Checks one pushed row; returns why it is refused, or null when the user may write it. */
export function checkWrite(c: WriteCheck): RuleRefusal | null {
  const { user, before, after, collection } = c;
  const title = docTitle(collection, after) || docTitle(collection, before);
  const role = ROLE_LABELS[user.role];

  if (c.orgPathAfter === null) {
    const schoolId = String(after.schoolId ?? after.parentId ?? '');
    return {
      code: 'UNKNOWN_ORG',
      reason: `${title}所属学校/单位“${schoolId}”在服务器上不存在`,
      field: 'schoolId',
    };
  }
  if (!inScope(user, c.orgPathAfter) || (before && !inScope(user, c.orgPathBefore))) {
    return {
      code: 'OUT_OF_SCOPE',
      reason: `${title}不属于您（${user.orgName}）的管辖范围，服务器未接受此修改`,
      field: 'schoolId',
    };
  }
  // Inspectors read records and keep on-site traces (R-INSP-TRACE) but change nothing else.
  if (user.role === 'inspector' && collection !== 'attachments' && collection !== 'inspections') {
    return { code: 'ROLE', reason: `${role}只能查看${title}，不能修改` };
  }
  switch (collection) {
    case 'students':
      return checkStudentWrite(c, title, role);
    case 'events':
      if (before) return { code: 'IMMUTABLE', reason: `历史记录不可修改（${title}）` };
      if (after._deleted) return { code: 'IMMUTABLE', reason: '历史记录不可删除' };
      return null;
    case 'orgs':
      if (!APPROVER_ROLES.has(user.role))
        return { code: 'ROLE', reason: `${role}不能修改单位信息（${title}）` };
      if (after.id === user.orgId) return { code: 'ROLE', reason: '不能修改本单位自身的上级关系和信息' };
      // Settings and term dates change only through the settings endpoints, which validate and record them
      // (server/settings/routes.ts): a pushed org document may not carry a change of either.
      for (const f of ['settings', 'term'] as const)
        if (!valueEqual(before?.[f], after[f]))
          return {
            code: 'SETTINGS',
            reason: `${title}的${f === 'term' ? '学期日期须由教育局' : '规则设置须由省教育厅'}通过设置功能修改，不能随单位信息一起同步`,
            field: f,
          };
      return null;
    case 'syncIssues':
      return checkIssueWrite(c);
    case 'attachments':
      if (before && !valueEqual(before.sha256, after.sha256))
        return { code: 'IMMUTABLE', reason: `${title}的内容不可替换，请上传新附件`, field: 'sha256' };
      return null;
    default: {
      if (user.role === 'counselor') {
        const changed = changedFields(before ?? {}, after, workflowFieldsOf(collection));
        if (changed.length > 0)
          return {
            code: 'WORKFLOW_FIELD',
            reason: `${role}不能做审批决定（${fieldLabel(changed[0] ?? '')}），请由学籍管理员或教育局处理`,
            field: changed[0],
          };
      }
      return null;
    }
  }
}

function checkStudentWrite(c: WriteCheck, title: string, role: string): RuleRefusal | null {
  const { user, before, after } = c;
  const approver = APPROVER_ROLES.has(user.role);
  if (after._deleted) {
    if (user.role !== 'province')
      return {
        code: 'DELETE',
        reason: `学籍记录不能删除（${title}）：请通过退学、注销等异动办理，一人一籍的历史须保留`,
      };
    return null;
  }
  if (user.role === 'counselor') {
    const classes = new Set(user.classIds);
    if (!before) return { code: 'ROLE', reason: `${role}不能新增学生（${title}），请由学籍管理员导入` };
    if (!classes.has(String(before.classId)) || !classes.has(String(after.classId)))
      return {
        code: 'OUT_OF_SCOPE',
        reason: `${title}不在您所带的班级中，服务器未接受此修改`,
        field: 'classId',
      };
  }
  if (before) {
    if (!valueEqual(before.schoolId, after.schoolId) && !approver)
      return { code: 'TRANSFER', reason: `${title}变更学校须通过转学审批`, field: 'schoolId' };
    // Status and key fields change only through their workflows (DOMAIN.md: status changes, info change).
    for (const f of workflowFieldsOf('students')) {
      if (!valueEqual(before[f], after[f]) && !approver) {
        const from = STUDENT_STATUSES[before[f] as keyof typeof STUDENT_STATUSES] ?? String(before[f]);
        const to = STUDENT_STATUSES[after[f] as keyof typeof STUDENT_STATUSES] ?? String(after[f]);
        return {
          code: 'STATUS_FIELD',
          reason: `${role}不能直接把${title}的学籍状态由“${from}”改为“${to}”：学籍异动须经审批`,
          field: f,
        };
      }
    }
    const key = changedFields(before, after, c.keyFields ?? DEFAULT_KEY_FIELDS);
    if (key.length > 0 && !approver) {
      const labels = key.map((f) => `“${fieldLabel(f)}”`).join('、');
      return {
        code: 'KEY_FIELD',
        reason: `${title}的${labels}是关键字段，须提交信息变更申请，经教育局审批后更改`,
        field: key[0],
      };
    }
  }
  const errors = validateStudent(after as unknown as Student, {
    previous: before as unknown as Student | null,
  });
  const first = errors[0];
  if (first) return { code: 'INVALID', reason: `${title}：${first.message}`, field: first.field };
  return null;
}

const ISSUE_RESOLUTION_FIELDS = new Set([
  'status',
  'resolution',
  'resolvedValue',
  'resolvedBy',
  'resolvedAt',
  'updatedAt',
  'updatedBy',
]);

function checkIssueWrite(c: WriteCheck): RuleRefusal | null {
  const { before, after } = c;
  if (after._deleted) return { code: 'IMMUTABLE', reason: '冲突与拒绝记录不可删除，请标记为已处理' };
  if (!before) {
    if (after.kind === 'refusal') return { code: 'ROLE', reason: '拒绝记录只能由服务器写入' };
    return null;
  }
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (k.startsWith('_') || ISSUE_RESOLUTION_FIELDS.has(k)) continue;
    if (!valueEqual(before[k], after[k]))
      return { code: 'IMMUTABLE', reason: '冲突记录的内容不可修改，只能处理（选择保留哪一方）', field: k };
  }
  return null;
}

// R-ONE (YQ 四(一), 中职(四)): one person, one record across schools. The server finds the other
// active record; this builds the message.
export const ACTIVE_STATUSES: readonly string[] = ['enrolled', 'suspended'];

export function rOneRefusal(idNo: string, otherSchoolName: string, otherName: string): RuleRefusal {
  return {
    code: 'R-ONE',
    reason: `R-ONE 一人一籍：身份证件号 ${idNo} 已有在籍记录（${otherSchoolName}，${otherName}），不能重复建籍`,
    field: 'idNo',
  };
}
