// How a record's history reads (R-WHO): every event's action in words, each changed field by its label,
// values as the screens show them (code names, 年月, 学制, archive states). The student page, the archive
// screen and the conflict inbox all describe events with these, so no internal name (an action id such
// as "student-update" or "conflict.resolve", a field name) reaches a person.
import { AUDIT_ACTIONS } from '../admin/audit';
import { ARCHIVE_STATE_LABELS } from '../archive/checklist';
import { K12_ARCHIVE_PARTS, VOCATIONAL_ARCHIVE_PARTS } from './archive';
import { GUARDIAN_RELATIONS, nameOf, STUDENT_STATUSES } from './codes';
import { divisionLabel } from './divisions';
import type { EventDoc } from './schemas';
import {
  type ArchiveItem,
  FIELD_META,
  fieldLabel,
  type Guardian,
  type StudentAid,
  type StudentField,
} from './student';

/** Every action a history event is recorded under, in words. */
export const EVENT_ACTION_LABELS: Readonly<Record<string, string>> = {
  // An org's history holds its administration (新设单位, 修改单位信息, 停用单位 …) in the audit's words.
  ...AUDIT_ACTIONS,
  'student-update': '修改信息',
  'student-create': '新增学生',
  'import-create': '由花名册导入创建',
  'import-update': '花名册导入更新',
  'archive-mark': '档案核对',
  'archive-attach': '上传档案扫描件',
  'conflict.resolve': '处理同步冲突',
  'conflict-resolve': '处理同步冲突',
  'form-print': '打印表单',
  'school-setup': '建立学校档案',
  'demo-load': '载入演示学校',
  'sync-adopt-school': '从省级平台下载本校数据',
  'sync-adopt-area': '从省级平台下载辖区数据',
  'desk-keep-school': '设为本机离线保存的学校',
  'desk-cache-school': '下载学校数据到本机查看',
  'desk-drop-school': '从本机移除学校数据',
  'lock-settings': '修改本机锁定设置',
  'local-password-set': '设置本机密码',
  'calendar-local': '修改本机工作日更正',
  'settings-rules': '修改政策规则设置',
  'settings-key-fields': '修改关键字段设置',
  'settings-calendar': '发布工作日更正',
  'settings-term': '设置学期日期',
  // routine verification (shared/verification; written by the server with the accepted row)
  'task-publish': '发布核验任务',
  'task-cancel': '撤销核验任务',
  'aid-withdrawal': '登记资助撤回',
  'leave-request': '提交请假申请',
  'leave-approve': '批准请假',
  'leave-reject': '不批准请假',
  'leave-cancel': '撤销请假',
  'leave-return': '销假',
  'absence-record': '登记缺勤',
  'absence-end': '登记缺勤结束',
  'absence-cancel': '撤销缺勤登记',
  'appeal-submit': '提出核验申诉',
  'appeal-uphold': '申诉通过',
  'appeal-reject': '申诉未通过',
  'appeal-withdraw': '撤回申诉',
  'verification-restore': '申诉通过，恢复原学籍状态',
  'change-apply': '学籍异动生效',
  'change-create': '新建学籍异动申请',
  'change-edit': '修改学籍异动申请',
  'change-submit': '提交学籍异动申请',
  'change-approve': '审批同意',
  'change-reject': '审批退回',
  'change-late': '审批意见（晚于他人到达，未计入）',
  'change-withdraw': '撤回学籍异动申请',
  'change-file': '纸质审批表归档',
  // inspections (shared/inspections; the app's commands and the server's workflow effects)
  'plan-create': '新建抽查计划',
  'plan-change': '修改抽查计划',
  'plan-draw': '随机抽取检查对象和检查人员',
  'plan-publish': '公开抽查结果',
  'inspection-assign': '分派检查任务',
  'inspection-pack': '下载检查资料',
  'inspection-start': '开始实地检查',
  'inspection-presence': '检查人员出示执法证并确认无利害关系',
  'inspection-finding': '记录检查结果',
  'inspection-text': '记录文字证据',
  'inspection-sample': '随机抽取核查学生',
  'inspection-samplePart': '核对学生纸质档案',
  'inspection-sampleNote': '记录档案差异',
  'inspection-duplicates': '重复注册核查',
  'inspection-lookup': '重复注册查询',
  'inspection-recordText': '填写检查情况记录',
  'inspection-complete': '完成实地检查',
  'inspection-evidence': '留存检查证据',
  'inspection-sign': '现场签字',
  'report-draft': '起草检查报告',
  'report-save': '保存检查报告',
  'report-issue': '送达检查报告',
  'report-receive': '学校签收检查报告',
  'followup-answer': '学校答复整改',
  'followup-review': '检查人员审核整改',
  'selfcheck-start': '开始学校自查',
  'selfcheck-step': '记录自查结果',
  'info-confirm-file': '信息确认表签字归档',
};

/** Fields a history entry does not list: where the record is kept (a transfer names the schools instead). */
const UNLISTED = new Set(['orgPath', 'schoolId', 'updatedAt', 'updatedBy']);

/** The action of an event in words; an action this version does not know reads as 其他操作, never its id. */
export function eventActionLabel(action: string): string {
  return EVENT_ACTION_LABELS[action] ?? '其他操作';
}

const ARCHIVE_PART_TITLES = new Map(
  [...VOCATIONAL_ARCHIVE_PARTS, ...K12_ARCHIVE_PARTS].map((p) => [p.id, p.title]),
);

/** A history field's label: student fields by their label, paper-archive parts ("archive.<id>") by title. */
export function historyFieldLabel(field: string): string {
  if (field.startsWith('archive.')) {
    const id = field.slice('archive.'.length);
    return `纸质档案·${ARCHIVE_PART_TITLES.get(id) ?? id}`;
  }
  if (field.startsWith('aid.')) return `资助信息·${displayAidPart(field.slice('aid.'.length))}`;
  if (field === 'schoolName') return '所在学校';
  return fieldLabel(field);
}

function displayAidPart(part: string): string {
  return part === 'grant'
    ? '国家助学金'
    : part === 'feeWaiver'
      ? '免学费'
      : part === 'lowIncome'
        ? '低保'
        : part;
}

/** A stored value as the screens show it: code names, 年月, 学制 in years, archive states. */
export function displayValue(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (field.startsWith('archive.')) {
    const item = value as ArchiveItem;
    return item.state ? ARCHIVE_STATE_LABELS[item.state] : '';
  }
  if (field.startsWith('aid.')) return value === true ? '是' : '否';
  if (field === 'status') return STUDENT_STATUSES[value as keyof typeof STUDENT_STATUSES] ?? String(value);
  if (field === 'guardians')
    return (value as Guardian[])
      .map((g) => `${g.name}（${nameOf(GUARDIAN_RELATIONS, g.relation)}，${g.phone}）`)
      .join('；');
  if (field === 'aid') {
    const aid = value as StudentAid;
    const parts = [aid.grant && '国家助学金', aid.feeWaiver && '免学费', aid.lowIncome && '低保'].filter(
      Boolean,
    );
    return parts.length ? parts.join('、') : '无';
  }
  if (field === '_deleted') return value === true ? '已删除' : '保留';
  const meta = FIELD_META.get(field as StudentField);
  if (meta?.kind === 'code' && meta.codes) return nameOf(meta.codes, String(value));
  if (meta?.kind === 'yearMonth') return `${String(value).slice(0, 4)}年${String(value).slice(4)}月`;
  if (meta?.kind === 'number' && field === 'schoolingYears') return `${value} 年`;
  if (meta?.kind === 'decimal' && field === 'commuteKm') return `${value} 公里`;
  if (meta?.kind === 'division') return divisionLabel(String(value));
  if (typeof value === 'object') return '（已更改）';
  return String(value);
}

export type HistoryChange = { field: string; label: string; before: string; after: string };

export type HistoryEntry = {
  action: string;
  /** the changed fields, before → after (empty for events that change no field, e.g. a print) */
  changes: HistoryChange[];
  /** what the event did besides changing fields, e.g. what was printed */
  note?: string;
  /** why, as recorded (原因) */
  reason?: string;
};

/** The printed-form stamp a `form-print` event records (the QR code's record ID and content hash). */
export type FormPrintRecord = {
  formId: string;
  formTitle: string;
  recordId: string;
  hash: string;
  printedAt: string;
  /** how the PDF left the app: printed, saved or opened in a window */
  via: 'print' | 'save' | 'open';
};

const VIA: Record<FormPrintRecord['via'], string> = {
  print: '打印',
  save: '保存为 PDF',
  open: '在新窗口中打开',
};

/** One event as the history shows it. */
export function describeEvent(e: Pick<EventDoc, 'action' | 'before' | 'after' | 'reason'>): HistoryEntry {
  const action = eventActionLabel(e.action);
  if (e.action === 'form-print') {
    const p = e.after as Partial<FormPrintRecord>;
    return {
      action,
      changes: [],
      note: `《${p.formTitle ?? '表单'}》（${p.via ? VIA[p.via] : '打印'}，打印日期 ${p.printedAt ?? '—'}，内容校验码 ${(p.hash ?? '').slice(0, 16)}）`,
    };
  }
  const changes = Object.keys(e.after)
    .filter((field) => !UNLISTED.has(field))
    .map((field) => ({
      field,
      label: historyFieldLabel(field),
      before: displayValue(field, e.before[field]) || '（空）',
      after: displayValue(field, e.after[field]) || '（空）',
    }));
  return e.reason ? { action, changes, reason: e.reason } : { action, changes };
}
