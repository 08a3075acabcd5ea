// The check-in API for the students' phone app (docs/checkin-api.md): its own routes under /api/checkin,
// its own token audience (a student token does nothing else; a sync token does nothing here), its own
// rate limits. Plus the school admin's routes that issue the students' accounts (sync token).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../shared/calendar/china';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { FieldError } from '../../shared/validate/fields';
import { newAppealProblems } from '../../shared/verification/appeal';
import { CHECKIN_REASONS, type CheckinAttempt, judgeCheckin } from '../../shared/verification/checkin';
import { leaveChangeProblems, newLeaveProblems } from '../../shared/verification/leave';
import { termLeaveDays } from '../../shared/verification/roll';
import type { AppealDoc, Fence, LeaveDoc, VerificationTaskDoc } from '../../shared/verification/schemas';
import { termFor } from '../../shared/verification/time';
import { AuthError } from '../auth/accounts';
import { apiError, authOf } from '../request';
import type { Db } from '../store/db';
import { REGISTRY, schemaRefusal } from '../sync/registry';
import { addNotice, writeDoc } from '../sync/store';
import { StudentAccounts } from './accounts';
import { CheckinWriter, type CheckinWriterOptions } from './checkin-writer';
import type { VerificationJobs } from './jobs';
import { overlapRefusal } from './push';
import { applyAppeal, applyLeave, underLock, type Writer, writeEvent } from './service';
import {
  appealsOf,
  docsById,
  leavesOf,
  recordsOfStudents,
  settingsOf,
  studentsById,
  tasksById,
} from './store';

type Options = {
  db: Db;
  channel: string;
  now: () => Date;
  jobs: VerificationJobs;
  /** the sync API's authentication (school admins issue accounts) */
  requireAuth: (request: FastifyRequest) => Promise<void>;
  limiter: (
    name: string,
    max: number,
    key: (request: FastifyRequest) => string,
  ) => (request: FastifyRequest) => Promise<number | null>;
  addressOf: (request: FastifyRequest) => string;
  /** per-minute limits (tests and the bench raise them) */
  limits?: Partial<CheckinLimits>;
  /** how long a check-in trusts its cached copy of a task (default 2 s) */
  taskCacheMs?: number;
  /** how check-ins are written together (tests use batches of one to see each alone) */
  writer?: CheckinWriterOptions;
};

export type CheckinLimits = {
  loginPerMinutePerAddress: number;
  checkinsPerMinutePerStudent: number;
  requestsPerMinutePerStudent: number;
};

export const DEFAULT_CHECKIN_LIMITS: CheckinLimits = {
  // A school's phones may come through one address.
  loginPerMinutePerAddress: 600,
  checkinsPerMinutePerStudent: 20,
  requestsPerMinutePerStudent: 60,
};

type TaskRow = {
  task_id: string;
  school_ids: string[];
  start_at: Date | string;
  end_at: Date | string;
  fences: Record<string, Fence>;
  cancelled: boolean;
};

const NO_TASK = '没有这个核验任务，或你不在本次核验范围内';

/** Tasks change only by cancellation; a check-in reads its task from a cache of a few seconds. */
class TaskCache {
  private readonly cache = new Map<string, { at: number; row: TaskRow | null }>();
  constructor(
    private readonly db: Db,
    private readonly ttlMs = 2000,
  ) {}
  async get(id: string): Promise<TaskRow | null> {
    const hit = this.cache.get(id);
    const t = Date.now();
    if (hit && t - hit.at < this.ttlMs) return hit.row;
    const [row] = await this.db.query<TaskRow>(
      'select task_id, school_ids, start_at, end_at, fences, cancelled from verification_tasks where task_id = $1',
      [id],
    );
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { at: t, row: row ?? null });
    return row ?? null;
  }
}

const iso = (v: Date | string | null | undefined) => (v ? new Date(v).toISOString() : undefined);
const isNum = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const CLIENT_ID = /^[\w.:-]{8,64}$/;

function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new AuthError(400, 'BAD_REQUEST', '请求内容应为 JSON 对象');
  return b as Record<string, unknown>;
}

const problemReply = (reply: FastifyReply, p: FieldError) =>
  reply.code(p.code === 'ROLE' ? 403 : 400).send({ error: p.code, message: p.message, field: p.field });

const requestDocId = (prefix: string, studentId: string, requestId: string) =>
  `${prefix}-${createHash('sha256').update(`${studentId}|${requestId}`).digest('hex').slice(0, 40)}`;

export function registerVerificationRoutes(app: FastifyInstance, o: Options): StudentAccounts {
  const accounts = new StudentAccounts(o.db, o.now);
  const tasks = new TaskCache(o.db, o.taskCacheMs ?? 2000);
  const writer = new CheckinWriter(o.db, o.writer);
  const limits = { ...DEFAULT_CHECKIN_LIMITS, ...o.limits };
  const bearer = (request: FastifyRequest) => {
    const h = request.headers.authorization;
    return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
  };
  const loginLimit = o.limiter('checkin-login', limits.loginPerMinutePerAddress, o.addressOf);
  const checkinLimit = o.limiter(
    'checkin',
    limits.checkinsPerMinutePerStudent,
    (r) => studentOf(r).studentId,
  );
  const requestLimit = o.limiter(
    'checkin-req',
    limits.requestsPerMinutePerStudent,
    (r) => studentOf(r).studentId,
  );
  const sessions = new WeakMap<FastifyRequest, Awaited<ReturnType<StudentAccounts['authenticate']>>>();
  const studentOf = (r: FastifyRequest) => {
    const s = sessions.get(r);
    if (!s) throw new AuthError(401, 'UNAUTHORIZED', '未登录');
    return s;
  };
  const tooMany = (wait: number | null) => {
    if (wait !== null) throw new AuthError(429, 'RATE_LIMITED', `请求过于频繁，请 ${wait} 秒后再试`, wait);
  };
  const requireStudent =
    (limit: (r: FastifyRequest) => Promise<number | null>, check: 'account' | 'token' = 'account') =>
    async (request: FastifyRequest) => {
      const token = bearer(request);
      sessions.set(
        request,
        await (check === 'token' ? accounts.verify(token) : accounts.authenticate(token)),
      );
      tooMany(await limit(request));
    };
  /** The student as a writer of records (R-WHO: "学生本人（手机）"). */
  const writerOf = (studentId: string, name: string): Writer => ({
    user: {
      id: `student:${studentId}`,
      username: `student:${studentId}`,
      displayName: `${name}（学生本人，手机）`.slice(0, 50),
      role: 'counselor',
      orgId: '',
      orgName: '',
      orgPath: '/',
      classIds: [],
    } satisfies SyncUser,
    deviceId: 'phone',
  });
  const enrolled = async (session: { studentId: string; schoolId: string }) => {
    const [s] = await studentsById(o.db, [session.studentId]);
    if (!s || s.schoolId !== session.schoolId || s.status !== 'enrolled')
      throw new AuthError(403, 'NOT_ENROLLED', '你的学籍不在本校在校生名单中，请联系学校');
    return s;
  };

  // ---- phone: sign in ------------------------------------------------------------------------------
  app.post('/api/checkin/login', async (request, reply) => {
    tooMany(await loginLimit(request));
    const { login, code } = body(request);
    if (typeof login !== 'string' || typeof code !== 'string' || !login.trim() || !code.trim())
      return apiError(reply, 400, 'BAD_REQUEST', '请输入账号（学籍号）和激活码');
    if (login.length > 40 || code.length > 40)
      return apiError(reply, 401, 'BAD_CREDENTIALS', '账号或激活码错误');
    const r = await accounts.login(login.trim(), code, o.addressOf(request));
    const [s] = await studentsById(o.db, [r.studentId]);
    return {
      token: r.token,
      expiresIn: r.expiresIn,
      student: { id: r.studentId, name: s?.name, classId: s?.classId },
    };
  });

  // ---- phone: my tasks -----------------------------------------------------------------------------
  app.get('/api/checkin/tasks', { preHandler: requireStudent(requestLimit) }, async (request) => {
    const session = studentOf(request);
    const since = new Date(o.now().getTime() - 30 * 86_400_000).toISOString();
    const rows = await o.db.query<
      TaskRow & { state: string; attempts: number; passed_at: Date | string | null; last_code: string | null }
    >(
      `select t.task_id, t.school_ids, t.start_at, t.end_at, t.fences, t.cancelled, r.state, r.attempts, r.passed_at, r.last_code
         from verification_roll r join verification_tasks t on t.task_id = r.task_id
        where r.student_id = $1 and t.end_at >= $2 order by t.start_at`,
      [session.studentId, since],
    );
    const docs = await tasksById(
      o.db,
      rows.map((r) => r.task_id),
    );
    return {
      tasks: rows.map((r) => {
        const d = docs.get(r.task_id);
        return {
          id: r.task_id,
          name: d?.name,
          issuerName: d?.issuerName,
          reason: d?.reason,
          start: iso(r.start_at),
          end: iso(r.end_at),
          cancelled: r.cancelled,
          fence: r.fences[session.schoolId],
          result: {
            state: r.state,
            attempts: r.attempts,
            ...(r.passed_at ? { passedAt: iso(r.passed_at) } : {}),
            ...(r.last_code
              ? { lastReason: CHECKIN_REASONS[r.last_code as keyof typeof CHECKIN_REASONS] }
              : {}),
          },
        };
      }),
    };
  });

  // ---- phone: check in -----------------------------------------------------------------------------
  app.post(
    '/api/checkin/tasks/:taskId/checkins',
    // The token here; that its account still holds, in the check-in's own statement (checkin-writer.ts).
    { preHandler: requireStudent(checkinLimit, 'token') },
    async (request, reply) => {
      const session = studentOf(request);
      const { taskId } = request.params as { taskId: string };
      const b = body(request);
      if (typeof b.checkinId !== 'string' || !CLIENT_ID.test(b.checkinId))
        return apiError(
          reply,
          400,
          'BAD_REQUEST',
          'checkinId 应为 8–64 位字母、数字或 -_.:（同一次核验重发时不变）',
        );
      if (!isNum(b.lat, -90, 90) || !isNum(b.lng, -180, 180))
        return apiError(reply, 400, 'BAD_REQUEST', '缺少定位：lat（纬度）、lng（经度）应为数字');
      if (b.accuracy !== undefined && !isNum(b.accuracy, 0, 100_000))
        return apiError(reply, 400, 'BAD_REQUEST', 'accuracy（定位精度，米）应为 0 到 100000 之间的数字');
      if (
        b.at !== undefined &&
        (typeof b.at !== 'string' || b.at.length > 40 || !Number.isFinite(Date.parse(b.at)))
      )
        return apiError(reply, 400, 'BAD_REQUEST', 'at（手机时间）应为 ISO 8601 时间');
      const task = taskId.length > 120 ? null : await tasks.get(taskId);
      const fence = task?.school_ids.includes(session.schoolId) ? task.fences[session.schoolId] : undefined;
      if (!task || !fence) {
        // as every route: a token whose account no longer holds is refused first (401), then the 404
        await accounts.authenticate(bearer(request));
        return apiError(reply, 404, 'NOT_FOUND', NO_TASK);
      }
      const now = o.now();
      const attempt: CheckinAttempt = {
        lat: b.lat,
        lng: b.lng,
        ...(b.accuracy !== undefined ? { accuracyM: b.accuracy as number } : {}),
        ...(typeof b.at === 'string' ? { at: b.at } : {}),
      };
      const j = judgeCheckin(
        {
          start: iso(task.start_at) ?? '',
          end: iso(task.end_at) ?? '',
          status: task.cancelled ? 'cancelled' : 'published',
        },
        fence,
        attempt,
        now.getTime(),
      );
      const w = await writer.write({
        taskId,
        studentId: session.studentId,
        schoolId: session.schoolId,
        epoch: session.epoch,
        clientId: b.checkinId,
        receivedAt: now.toISOString(),
        deviceAt: typeof b.at === 'string' ? new Date(b.at).toISOString() : null,
        lat: b.lat,
        lng: b.lng,
        accuracy: typeof b.accuracy === 'number' ? b.accuracy : null,
        outcome: j.outcome,
        code: j.outcome === 'fail' ? j.code : null,
        distance: j.distanceM ?? null,
      });
      if (w.kind === 'unauthorized')
        throw new AuthError(401, 'UNAUTHORIZED', '未登录或登录已过期，请用账号和激活码重新登录');
      if (w.kind === 'notCalled') return apiError(reply, 404, 'NOT_FOUND', NO_TASK);
      if (w.kind === 'replay') {
        // A replay of an attempt already recorded: the same answer, nothing new recorded.
        if (w.taskId !== taskId)
          return apiError(
            reply,
            409,
            'CHECKIN_ID_USED',
            '该 checkinId 已用于另一次核验，请为每次核验生成新的编号',
          );
        return {
          replay: true,
          attempt: {
            outcome: w.outcome,
            ...(w.code
              ? { code: w.code, reason: CHECKIN_REASONS[w.code as keyof typeof CHECKIN_REASONS] }
              : {}),
            ...(w.distance !== null ? { distanceM: w.distance } : {}),
          },
          result: { state: w.state, attempts: w.attempts },
        };
      }
      o.jobs.poke();
      return reply.code(201).send({
        replay: false,
        attempt: j.outcome === 'pass' ? { outcome: 'pass', distanceM: j.distanceM } : j,
        result: { state: w.state, attempts: w.attempts },
      });
    },
  );

  // ---- phone: my term ------------------------------------------------------------------------------
  app.get('/api/checkin/me', { preHandler: requireStudent(requestLimit) }, async (request) => {
    const session = studentOf(request);
    const s = await enrolled(session);
    const settings = (await settingsOf(o.db, [s.schoolId])).get(s.schoolId);
    const term = termFor(chinaDate(o.now().getTime()), settings?.term ?? null);
    const records = await recordsOfStudents(o.db, [s.id]);
    const record = records.find((r) => r.termKey === term.key);
    const leaves = await leavesOf(o.db, [s.id]);
    return {
      student: { id: s.id, name: s.name, classId: s.classId, school: settings?.org.name },
      term: { start: term.start, end: term.end, name: term.name },
      leaveDays: termLeaveDays(leaves, term),
      results: record?.results ?? {},
      leaves: leaves.map(({ id, kind, from, to, status, returnedOn, reason }) => ({
        id,
        kind,
        from,
        to,
        status,
        returnedOn,
        reason,
      })),
    };
  });

  // ---- phone: leave --------------------------------------------------------------------------------
  app.post('/api/checkin/leaves', { preHandler: requireStudent(requestLimit) }, async (request, reply) => {
    const session = studentOf(request);
    const b = body(request);
    if (typeof b.requestId !== 'string' || !CLIENT_ID.test(b.requestId))
      return apiError(reply, 400, 'BAD_REQUEST', 'requestId 应为 8–64 位字母、数字或 -_.:（重发时不变）');
    const s = await enrolled(session);
    const now = o.now();
    const w = writerOf(s.id, s.name);
    const leave: LeaveDoc = {
      id: requestDocId('lv', s.id, b.requestId),
      kind: 'leave',
      schoolId: s.schoolId,
      orgPath: s.orgPath,
      classId: s.classId,
      studentId: s.id,
      studentName: s.name,
      from: String(b.from ?? ''),
      to: String(b.to ?? ''),
      reason: typeof b.reason === 'string' ? b.reason.trim().slice(0, 200) : '',
      status: 'pending',
      via: 'phone',
      requestedAt: now.toISOString(),
      requestedBy: w.user.id,
      requestedByName: s.name,
      updatedAt: now.toISOString(),
      updatedBy: w.user.id,
    };
    const result = await underLock(o.db, o.channel, async (tx, notices) => {
      const [existing] = await docsById<LeaveDoc>(tx, 'leaves', [leave.id]);
      if (existing) return { replay: true as const, leave: existing };
      const p = newLeaveProblems(leave, { id: w.user.id, via: 'phone', today: chinaDate(now.getTime()) })[0];
      if (p) return { problem: p };
      const overlap = overlapRefusal(leave, await leavesOf(tx, [s.id]), leave as unknown as SyncDoc);
      if (overlap) return { problem: { field: 'from', code: 'INVALID', message: overlap.reason } };
      const c = REGISTRY.get('leaves');
      const bad = c ? schemaRefusal(c, leave as unknown as SyncDoc, '请假') : null;
      if (!c || bad)
        return { problem: { field: bad?.field ?? 'id', code: 'INVALID', message: bad?.reason ?? '' } };
      await writeDoc(tx, c, leave as unknown as SyncDoc, s.scope, w, false);
      addNotice(notices, 'leaves', s.scope);
      await writeEvent(
        tx,
        w,
        {
          schoolId: s.schoolId,
          entity: 'leave',
          entityId: leave.id,
          action: 'leave-request',
          at: now.toISOString(),
          reason: leave.reason,
          before: {},
          after: { status: 'pending', from: leave.from, to: leave.to ?? null },
        },
        s.scope,
        notices,
      );
      await applyLeave(tx, leave, now, notices, w);
      return { replay: false as const, leave };
    });
    if ('problem' in result && result.problem) return problemReply(reply, result.problem);
    return reply.code('replay' in result && result.replay ? 200 : 201).send(result);
  });

  app.post(
    '/api/checkin/leaves/:id/return',
    { preHandler: requireStudent(requestLimit) },
    async (request, reply) => {
      const session = studentOf(request);
      const { id } = request.params as { id: string };
      const b = body(request);
      const s = await enrolled(session);
      const now = o.now();
      const today = chinaDate(now.getTime());
      const w = writerOf(s.id, s.name);
      const result = await underLock(o.db, o.channel, async (tx, notices) => {
        const [before] = await docsById<LeaveDoc>(tx, 'leaves', [id.slice(0, 80)]);
        if (!before || before.studentId !== s.id) return { missing: true as const };
        const after: LeaveDoc = {
          ...before,
          returnedOn: typeof b.on === 'string' ? b.on : today,
          returnedAt: now.toISOString(),
          returnedBy: w.user.id,
          updatedAt: now.toISOString(),
          updatedBy: w.user.id,
        };
        const p = leaveChangeProblems(before, after, { id: w.user.id, via: 'phone', today })[0];
        if (p) return { problem: p };
        const c = REGISTRY.get('leaves');
        if (!c) throw new Error('no leaves collection');
        await writeDoc(tx, c, after as unknown as SyncDoc, s.scope, w, true);
        addNotice(notices, 'leaves', s.scope);
        await writeEvent(
          tx,
          w,
          {
            schoolId: s.schoolId,
            entity: 'leave',
            entityId: after.id,
            action: 'leave-return',
            at: now.toISOString(),
            before: { returnedOn: null },
            after: { returnedOn: after.returnedOn ?? null },
          },
          s.scope,
          notices,
        );
        await applyLeave(tx, after, now, notices, w);
        return { leave: after };
      });
      if ('missing' in result) return apiError(reply, 404, 'NOT_FOUND', '没有这条请假记录');
      if ('problem' in result && result.problem) return problemReply(reply, result.problem);
      return result;
    },
  );

  // ---- phone: appeal -------------------------------------------------------------------------------
  app.post('/api/checkin/appeals', { preHandler: requireStudent(requestLimit) }, async (request, reply) => {
    const session = studentOf(request);
    const b = body(request);
    if (typeof b.requestId !== 'string' || !CLIENT_ID.test(b.requestId))
      return apiError(reply, 400, 'BAD_REQUEST', 'requestId 应为 8–64 位字母、数字或 -_.:（重发时不变）');
    const taskIds = Array.isArray(b.taskIds)
      ? b.taskIds.filter((t): t is string => typeof t === 'string')
      : [];
    if (taskIds.length === 0 || taskIds.length > 20 || taskIds.some((t) => t.length > 120))
      return apiError(reply, 400, 'BAD_REQUEST', 'taskIds 应为 1 到 20 个核验任务编号');
    const s = await enrolled(session);
    const now = o.now();
    const w = writerOf(s.id, s.name);
    const appeal: AppealDoc = {
      id: requestDocId('ap', s.id, b.requestId),
      schoolId: s.schoolId,
      orgPath: s.orgPath,
      classId: s.classId,
      studentId: s.id,
      studentName: s.name,
      taskIds,
      reason: typeof b.reason === 'string' ? b.reason.trim().slice(0, 500) : '',
      via: 'phone',
      status: 'submitted',
      submittedAt: now.toISOString(),
      submittedBy: w.user.id,
      submittedByName: s.name,
      updatedAt: now.toISOString(),
      updatedBy: w.user.id,
    };
    const result = await underLock(o.db, o.channel, async (tx, notices) => {
      const [existing] = await docsById<AppealDoc>(tx, 'appeals', [appeal.id]);
      if (existing) return { replay: true as const, appeal: existing };
      const records = await recordsOfStudents(tx, [s.id]);
      const known = await tasksById(tx, taskIds);
      const others = await appealsOf(tx, [s.id]);
      const p = newAppealProblems(
        appeal,
        { id: w.user.id, via: 'phone' },
        {
          records,
          task: (id) => known.get(id) as VerificationTaskDoc | undefined,
          others,
          now: now.getTime(),
        },
      )[0];
      if (p) return { problem: p };
      const c = REGISTRY.get('appeals');
      if (!c) throw new Error('no appeals collection');
      await writeDoc(tx, c, appeal as unknown as SyncDoc, s.scope, w, false);
      addNotice(notices, 'appeals', s.scope);
      await writeEvent(
        tx,
        w,
        {
          schoolId: s.schoolId,
          entity: 'appeal',
          entityId: appeal.id,
          action: 'appeal-submit',
          at: now.toISOString(),
          reason: appeal.reason,
          before: {},
          after: { status: 'submitted', taskIds },
        },
        s.scope,
        notices,
      );
      await applyAppeal(tx, appeal, now, notices, w);
      return { replay: false as const, appeal };
    });
    if ('problem' in result && result.problem) return problemReply(reply, result.problem);
    return reply.code('replay' in result && result.replay ? 200 : 201).send(result);
  });

  // ---- school admin: the students' accounts (sync token) ------------------------------------------
  app.post('/api/verification/student-accounts', { preHandler: o.requireAuth }, async (request, reply) => {
    const b = (request.body ?? {}) as Record<string, unknown>;
    const ids = b.studentIds;
    if (
      ids !== undefined &&
      (!Array.isArray(ids) || ids.length > 50_000 || ids.some((x) => typeof x !== 'string'))
    )
      return apiError(reply, 400, 'BAD_REQUEST', 'studentIds 应为学生编号列表；不给出则为本校全部在校生');
    const issued = await accounts.issue(authOf(request).user, (ids as string[] | undefined) ?? 'all');
    request.log.info({ user: authOf(request).user.id, accounts: issued.length }, 'student accounts issued');
    return { accounts: issued };
  });
  app.get('/api/verification/student-accounts', { preHandler: o.requireAuth }, async (request) => ({
    accounts: await accounts.list(authOf(request).user),
  }));
  app.post(
    '/api/verification/student-accounts/disable',
    { preHandler: o.requireAuth },
    async (request, reply) => {
      const ids = ((request.body ?? {}) as Record<string, unknown>).studentIds;
      if (
        !Array.isArray(ids) ||
        ids.length === 0 ||
        ids.length > 50_000 ||
        ids.some((x) => typeof x !== 'string')
      )
        return apiError(reply, 400, 'BAD_REQUEST', 'studentIds 应为学生编号列表');
      return { disabled: await accounts.disable(authOf(request).user, ids as string[]) };
    },
  );
  return accounts;
}
