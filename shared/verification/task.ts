// Publishing a verification task (HN 三.3, 三.4): who may publish what, for which schools, with which
// window and geofence. The app checks a task with these functions before it is queued; the server checks
// every pushed task with the same ones against its own org table.

import { chinaDate, chinaTime } from '../calendar/china';
import type { OrgDoc } from '../domain/schemas';
import type { SyncUser } from '../sync/protocol';
import type { FieldError } from '../validate/fields';
import type { Fence, TaskIssuer, VerificationTaskDoc } from './schemas';
import { isIsoInstant, termFor } from './time';

/** The shortest and the longest window a task may have. */
export const MIN_WINDOW_MS = 10 * 60_000;
export const MAX_WINDOW_MS = 31 * 86_400_000;

export const ISSUER_LABELS: Record<TaskIssuer, string> = {
  province: '省教育厅',
  bureau: '教育局',
  school: '学校（联调测试）',
};

/** The issuer a user publishes as: an upper level, or a school admin's own test roll call (HN 三.3). */
export function issuerOf(user: Pick<SyncUser, 'role'>): TaskIssuer | null {
  if (user.role === 'province') return 'province';
  if (user.role === 'bureau') return 'bureau';
  if (user.role === 'schoolAdmin') return 'school';
  return null;
}

/** A school whose students take routine verification (HN 一: 中等职业学校). */
export function isVocational(o: Pick<OrgDoc, 'kind' | 'schoolType' | 'level'>): boolean {
  return o.kind === 'school' && (o.schoolType === 'vocational' || o.level === 'vocational');
}

/** The fence of a school: its registered campus, as the task stores it. */
export function fenceOf(o: Pick<OrgDoc, 'campus'>): Fence | null {
  const c = o.campus;
  return c ? { lat: c.lat, lng: c.lng, radiusM: c.radiusM } : null;
}

export type TaskContext = {
  user: SyncUser;
  /** the org documents the decision needs (the issuer and the schools in scope), paths as the server has them */
  org: (id: string) => OrgDoc | undefined;
  now: number;
};

const sameFence = (a: Fence | undefined, b: Fence | null) =>
  !!a && !!b && a.lat === b.lat && a.lng === b.lng && a.radiusM === b.radiusM;

/** Every problem of a task about to be published (empty: it may be). */
export function taskProblems(t: VerificationTaskDoc, ctx: TaskContext): FieldError[] {
  const out: FieldError[] = [];
  const add = (field: string, code: string, message: string) => out.push({ field, code, message });
  const issuer = issuerOf(ctx.user);
  if (!issuer) {
    add('issuer', 'ROLE', '只有省教育厅、教育局或学校学籍管理员（联调测试）可以发布核验任务');
    return out;
  }
  if (t.issuer !== issuer) add('issuer', 'INVALID', `发起单位类别应为“${ISSUER_LABELS[issuer]}”`);
  if (t.schoolId !== ctx.user.orgId) add('schoolId', 'INVALID', '核验任务只能以本单位的名义发布');
  const own = ctx.org(ctx.user.orgId);
  if (!own) add('schoolId', 'UNKNOWN_ORG', '发布单位在服务器上不存在');
  if (t.status !== 'published') add('status', 'INVALID', '新发布的任务状态应为“已发布”');
  if (t.createdBy !== ctx.user.id) add('createdBy', 'INVALID', '发布人应为当前登录的账号');
  if (issuer === 'school' && t.test !== true)
    add('test', 'INVALID', '学校发布的点名核验只能是联调测试（HN 三.3），不计入上级核验次数');
  if (issuer !== 'school' && t.test === true) add('test', 'INVALID', '只有学校发布的点名核验是联调测试');
  const name = typeof t.name === 'string' ? t.name.trim() : '';
  if (!name) add('name', 'REQUIRED', '请填写任务名称');
  if (!isIsoInstant(t.start)) add('start', 'INVALID', '开始时间格式不对');
  if (!isIsoInstant(t.end)) add('end', 'INVALID', '截止时间格式不对');
  if (isIsoInstant(t.start) && isIsoInstant(t.end)) {
    const span = Date.parse(t.end) - Date.parse(t.start);
    if (span < MIN_WINDOW_MS) add('end', 'INVALID', '截止时间应比开始时间至少晚 10 分钟');
    else if (span > MAX_WINDOW_MS) add('end', 'INVALID', '核验时间窗口不能超过 31 天');
    if (Date.parse(t.end) <= ctx.now)
      add('end', 'INVALID', `截止时间（${chinaTime(t.end)}）已过，不能发布已结束的任务`);
    if (t.termKey !== termFor(chinaDate(t.end), null).key) add('termKey', 'INVALID', '任务所属学期不对');
  }
  const ids = t.scope?.schoolIds ?? [];
  if (ids.length === 0) add('scope.schoolIds', 'REQUIRED', '请选择参加核验的学校');
  if (new Set(ids).size !== ids.length) add('scope.schoolIds', 'INVALID', '参加核验的学校有重复');
  const path = own?.path ?? '\u0000';
  for (const id of ids) {
    const s = ctx.org(id);
    // The same words whether the school exists elsewhere or not at all: nothing is revealed.
    if (!s?.path.startsWith(path) || s.kind !== 'school') {
      add('scope.schoolIds', 'OUT_OF_SCOPE', `学校“${id.slice(0, 40)}”不在本单位管辖范围内`);
      continue;
    }
    if (issuer === 'school' && s.id !== ctx.user.orgId)
      add('scope.schoolIds', 'OUT_OF_SCOPE', '学校只能对本校学生发布联调测试');
    if (!isVocational(s))
      add('scope.schoolIds', 'INVALID', `“${s.name}”不是中等职业学校，不参加常态化核验（HN 一、二）`);
    const f = fenceOf(s);
    if (!f)
      add(
        `fences.${id}`,
        'NO_CAMPUS',
        `“${s.name}”尚未登记办学地址的位置和范围，请先由教育局在单位信息中登记校区位置`,
      );
    else if (!sameFence(t.fences?.[id], f))
      add(
        `fences.${id}`,
        'STALE_CAMPUS',
        `“${s.name}”的校区位置与省级平台登记的不一致（可能刚更新），请同步后重新发布`,
      );
  }
  for (const id of Object.keys(t.fences ?? {}))
    if (!ids.includes(id)) add(`fences.${id}`, 'INVALID', '校区范围只能给参加核验的学校');
  for (const g of t.scope?.grades ?? [])
    if (typeof g !== 'string' || !g.trim()) add('scope.grades', 'INVALID', '年级不能为空');
  for (const c of t.scope?.classIds ?? [])
    if (typeof c !== 'string' || !c.trim()) add('scope.classIds', 'INVALID', '班级不能为空');
  return out;
}

/** The only change of a published task: its issuer cancels it before the window ends. */
export function taskUpdateProblems(
  before: VerificationTaskDoc,
  after: VerificationTaskDoc,
  ctx: Pick<TaskContext, 'user' | 'now'>,
): FieldError[] {
  const out: FieldError[] = [];
  const changed = new Set(
    [...Object.keys(before), ...Object.keys(after)].filter(
      (k) =>
        !k.startsWith('_') &&
        JSON.stringify((before as Record<string, unknown>)[k]) !==
          JSON.stringify((after as Record<string, unknown>)[k]),
    ),
  );
  for (const k of ['status', 'cancelReason', 'cancelledAt', 'updatedAt', 'updatedBy']) changed.delete(k);
  const first = [...changed][0];
  if (first)
    out.push({ field: first, code: 'IMMUTABLE', message: '已发布的核验任务不能修改，只能在截止前撤销' });
  if (before.status === 'cancelled' && after.status !== 'cancelled')
    out.push({ field: 'status', code: 'IMMUTABLE', message: '已撤销的任务不能恢复' });
  if (before.status === 'published' && after.status === 'cancelled') {
    if (Date.parse(before.end) <= ctx.now)
      out.push({
        field: 'status',
        code: 'CLOSED',
        message: '任务已截止，不能撤销；对结果有异议的请提出申诉（HN 四.2）',
      });
    if (!after.cancelReason?.trim())
      out.push({ field: 'cancelReason', code: 'REQUIRED', message: '请填写撤销原因' });
  }
  if (after.updatedBy !== ctx.user.id)
    out.push({ field: 'updatedBy', code: 'INVALID', message: '修改人应为当前登录的账号' });
  return out;
}

/** A new task as the publish form builds it (the app fills in the fences from its org documents). */
export function newTask(input: {
  id: string;
  user: SyncUser;
  issuerName: string;
  name: string;
  reason?: string;
  start: string;
  end: string;
  scope: VerificationTaskDoc['scope'];
  org: (id: string) => OrgDoc | undefined;
  orgPath: string;
  now: string;
}): VerificationTaskDoc {
  const issuer = issuerOf(input.user) ?? 'bureau';
  const fences: Record<string, Fence> = {};
  for (const id of input.scope.schoolIds) {
    const s = input.org(id);
    const f = s ? fenceOf(s) : null;
    if (f) fences[id] = f;
  }
  const scope: VerificationTaskDoc['scope'] = { schoolIds: input.scope.schoolIds };
  if (input.scope.grades?.length) scope.grades = input.scope.grades;
  if (input.scope.classIds?.length) scope.classIds = input.scope.classIds;
  return {
    id: input.id,
    kind: 'task',
    schoolId: input.user.orgId,
    orgPath: input.orgPath,
    termKey: isIsoInstant(input.end) ? termFor(chinaDate(input.end), null).key : '',
    issuer,
    issuerName: input.issuerName,
    name: input.name.trim(),
    ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}),
    start: input.start,
    end: input.end,
    scope,
    fences,
    ...(issuer === 'school' ? { test: true } : {}),
    status: 'published',
    createdAt: input.now,
    createdBy: input.user.id,
    createdByName: input.user.displayName.slice(0, 50),
    updatedAt: input.now,
    updatedBy: input.user.id,
  };
}
