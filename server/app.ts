// The provincial server (fastify 5): auth, replication of every registered collection, the live stream
// and attachments. Request handling is stateless: every request re-reads user and device from the
// database, and live notices travel through PostgreSQL NOTIFY, so several instances can share one DB.
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { mayAct } from '../shared/authority/table';
import { ATTACHMENT_MAX_BYTES } from '../shared/domain/attachment-types';
import {
  DEFAULT_REGISTRY_LIMITS,
  DEFAULT_SYNC_LIMITS,
  type RegistryLimits,
  type SyncLimits,
} from '../shared/sync/limits';
import {
  MAX_PULL_SCHOOLS,
  type PushRow,
  parseCheckpoint,
  parseLimit,
  parseSchools,
} from '../shared/sync/protocol';
import { actorOf, recordAudit } from './admin/audit';
import { registerAdminRoutes } from './admin/routes';
import { registerAttachmentRoutes } from './attachments/routes';
import { Accounts, AuthError, type AuthSettings, DEFAULT_AUTH_SETTINGS } from './auth/accounts';
import { loggerOptions } from './auth/redact';
import { accountName } from './auth/throttle';
import { listDevices } from './devices/list';
import { areaStats, SyncActivity } from './orgs/stats';
import { registerRegistryRoutes } from './registry/routes';
import { apiError, authOf } from './request';
import { registerSettingsRoutes } from './settings/routes';
import type { Db } from './store/db';
import { migrate } from './store/migrations';
import { backfillScopes } from './sync/backfill';
import { DEFAULT_EFFECTS, type Effect } from './sync/effects';
import { openEventStream } from './sync/event-stream';
import { ChangeHub } from './sync/hub';
import { REGISTRY } from './sync/registry';
import { changeChannel, MAX_PULL_LIMIT, pullRaw, pullSelection, push, type RowCheck } from './sync/store';
import type { StudentAccounts } from './verification/accounts';
import { VerificationJobs } from './verification/jobs';
import { verificationChecks, verificationEffect } from './verification/push';
import { type CheckinLimits, registerVerificationRoutes } from './verification/routes';

export { apiError, authOf };

export type AppOptions = {
  db: Db;
  /** PostgreSQL schema the db works in (tests); names the NOTIFY channel */
  schema?: string;
  /** the clock (tests own time, STYLE rule 9) */
  now?: () => Date;
  logger?: boolean | object;
  auth?: Partial<AuthSettings>;
  /** attachment size limit in bytes (default ATTACHMENT_MAX_BYTES, 20 MB) */
  attachmentLimit?: number;
  /** bounds of pushed input (shared/sync/limits.ts) */
  limits?: Partial<SyncLimits>;
  /** R-ONE check limits (shared/sync/limits.ts) */
  registry?: Partial<RegistryLimits>;
  /** side effects of accepted rows, in the row's transaction (default: re-scoping dependents) */
  effects?: readonly Effect[];
  /** routine verification: the timer, the results writer's delay, the check-in API's limits */
  verification?: {
    tickMs?: number;
    flushDelayMs?: number;
    /** how long a check-in trusts its cached copy of a task (a cancellation takes this long to apply) */
    taskCacheMs?: number;
    limits?: Partial<CheckinLimits>;
  };
  /**
   * Behind a reverse proxy: the proxy addresses whose X-Forwarded-For is believed (fastify's trustProxy),
   * so that rate limits and lockouts count the client's address, not the proxy's. Off by default.
   */
  trustProxy?: boolean | string;
};

export type XuejiServer = FastifyInstance & {
  accounts: Accounts;
  hub: ChangeHub;
  channel: string;
  db: Db;
  /** routine verification's jobs (results writer, window closing, daily evaluation) */
  verification: VerificationJobs;
  studentAccounts: StudentAccounts;
};

/** The effects of accepted rows: re-scoping dependents, then verification (which reads their results). */
export const SERVER_EFFECTS: readonly Effect[] = [...DEFAULT_EFFECTS, verificationEffect];
/** Content checks of pushed rows that need the server's data. */
export const SERVER_CHECKS: readonly RowCheck[] = [verificationChecks];

/** Chinese messages of fastify's own 4xx errors (its English text never reaches a person). */
const REQUEST_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '请求的内容类型不受支持（应为 application/json）',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求内容为空，应为 JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求的内容长度与实际不符',
  FST_ERR_CTP_EMPTY_TYPE: '缺少请求的内容类型',
  FST_ERR_CTP_INVALID_TYPE: '请求的内容类型不对',
};

export async function buildApp(options: AppOptions): Promise<XuejiServer> {
  const now = options.now ?? (() => new Date());
  const limits: SyncLimits = { ...DEFAULT_SYNC_LIMITS, ...options.limits };
  const registryLimits: RegistryLimits = { ...DEFAULT_REGISTRY_LIMITS, ...options.registry };
  const attachmentLimit = options.attachmentLimit ?? ATTACHMENT_MAX_BYTES;
  await migrate(options.db);
  // Migration 4: rows stored before the server computed scopes get theirs (idempotent).
  await backfillScopes(options.db);
  const app = Fastify({
    // Secrets never reach the log: query values and headers that carry them are redacted (finding 9).
    logger: loggerOptions(options.logger ?? false),
    // JSON bodies are small; a push has its own limit and attachment chunks their own parser.
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // A refused or failed request must not keep a closing server waiting on keep-alive sockets.
    forceCloseConnections: 'idle',
    // Bounds how long an idle keep-alive socket can hold a stopping server open.
    keepAliveTimeout: 10_000,
  }) as unknown as XuejiServer;
  let closing = false;
  // Requests still in flight when shutdown starts finish normally, and their sockets close after the
  // response: otherwise a client's keep-alive socket keeps a stopping server open.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  const channel = changeChannel(options.schema);
  const accounts = new Accounts(options.db, now, { ...DEFAULT_AUTH_SETTINGS, ...options.auth }, channel);
  const hub = new ChangeHub();
  await hub.start(options.db, channel);
  app.decorate('accounts', accounts);
  app.decorate('hub', hub);
  app.decorate('channel', channel);
  app.decorate('db', options.db);

  // The web app may be served from another origin (vite dev server, file:// in Electron).
  // PUT carries attachment chunks; a browser reads the resume headers of HEAD only when they are exposed.
  await app.register(fastifyCors, {
    origin: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
    exposedHeaders: ['Upload-Offset', 'Upload-Length', 'X-Complete'],
  });
  // Answers are compressed as the client accepts (brotli, gzip): a student is ≈ 1.7 KB of JSON and
  // ≈ 130 bytes compressed, and school offices sit on thin lines (issue 11). The live stream compresses
  // itself (sync/event-stream.ts); attachment bytes are left as they are (images and PDFs are compressed).
  await app.register(fastifyCompress, {
    global: true,
    encodings: ['br', 'gzip'],
    customTypes: /^(application\/json|text\/)/,
  });
  const activity = new SyncActivity(options.db);
  // A failure to note the activity must never fail the pull or push it belongs to.
  const noteActivity = (request: FastifyRequest, kind: 'pull' | 'push') =>
    activity
      .record(authOf(request), kind, now())
      .catch((e: Error) => request.log.warn({ err: { type: e.name, message: e.message } }, 'sync activity'));

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof AuthError) {
      if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
      return apiError(reply, error.status, error.code, error.message);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return apiError(
        reply,
        413,
        'TOO_LARGE',
        request.url.includes('/push')
          ? `一次推送的内容过大（上限 ${Math.round(limits.maxPushBytes / 1024 / 1024)} MB），请分批推送`
          : '请求内容过大，超过服务器上限',
      );
    if (error.statusCode && error.statusCode < 500)
      return apiError(
        reply,
        error.statusCode,
        'BAD_REQUEST',
        REQUEST_ERRORS[error.code ?? ''] ??
          '请求格式不对：内容不是有效的 JSON，或含有不允许的字段（如 __proto__）',
      );
    // The error's name, code and message only: a database error also carries the query's parameters
    // (names, ID numbers), which never go to the log.
    request.log.error(
      { err: { type: error.name, code: error.code, message: error.message } },
      'request failed',
    );
    return apiError(reply, 500, 'SERVER_ERROR', '服务器内部错误，请稍后重试');
  });
  app.setNotFoundHandler((request, reply) =>
    apiError(reply, 404, 'NOT_FOUND', `没有这个接口：${request.method} ${request.url.split('?')[0]}`),
  );

  // Tokens travel only in the Authorization header; a URL (which proxies and logs keep) never carries one.
  const bearer = (request: FastifyRequest): string | undefined => {
    const h = request.headers.authorization;
    return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
  };
  const requireAuth = async (request: FastifyRequest) => {
    request.auth = await accounts.authenticate(bearer(request));
  };
  const syncAllowed = (request: FastifyRequest) => {
    if (request.auth?.mustChangePassword)
      throw new AuthError(403, 'PASSWORD_CHANGE_REQUIRED', '密码已到期，请先修改密码再同步（R-SECURE）');
  };
  const requireSync = async (request: FastifyRequest) => {
    await requireAuth(request);
    syncAllowed(request);
  };
  // The live stream: a one-use ticket (browser EventSource cannot send a header) or the header.
  const requireStream = async (request: FastifyRequest) => {
    const { ticket } = (request.query ?? {}) as Record<string, unknown>;
    if (typeof ticket === 'string') request.auth = await accounts.redeemStreamTicket(ticket);
    else await requireAuth(request);
    syncAllowed(request);
  };

  // Rate limits per server instance (@fastify/rate-limit), in front of the lockout counted in the
  // database (auth/throttle.ts): login and refresh per address, login per account name.
  await app.register(fastifyRateLimit, { global: false });
  const settings = accounts.settings;
  const limiter = (name: string, max: number, key: (request: FastifyRequest) => string) => {
    const check = app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: (r) => `${name}:${key(r)}` });
    return async (request: FastifyRequest): Promise<number | null> => {
      const r = await check(request);
      return r.isAllowed || !r.isExceeded ? null : Math.max(1, r.ttlInSeconds);
    };
  };
  // An IPv6 client holds a whole /64: it counts as one address.
  const addressOf = (r: FastifyRequest) => normalizeIP(r.ip);
  const loginPerAddress = limiter('login-addr', settings.loginPerMinutePerAddress, addressOf);
  const loginPerAccount = limiter('login-acct', settings.loginPerMinutePerAccount, (r) =>
    accountName(String((r.body as { username?: unknown } | undefined)?.username ?? '')),
  );
  const refreshPerAddress = limiter('refresh-addr', settings.refreshPerMinutePerAddress, addressOf);
  // A signed-in device needs a ticket per stream connection, not thousands a minute (each is a row).
  const ticketsPerDevice = limiter('ticket-dev', 30, (r) => r.auth?.deviceRowId ?? addressOf(r));
  const tooMany = (wait: number | null) => {
    if (wait !== null) throw new AuthError(429, 'RATE_LIMITED', `请求过于频繁，请 ${wait} 秒后再试`, wait);
  };

  app.get('/api/health', async () => {
    await options.db.query('select 1');
    return { ok: true, db: options.db.kind, time: now().toISOString(), streams: hub.size };
  });

  // ---- auth -------------------------------------------------------------------------------------
  app.post('/api/auth/login', async (request, reply) => {
    tooMany(await loginPerAddress(request));
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { username, password, deviceId } = body;
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password)
      return apiError(reply, 400, 'BAD_REQUEST', '请输入用户名和密码');
    if (username.length > 100 || password.length > 1024)
      return apiError(reply, 400, 'BAD_REQUEST', '用户名或密码过长');
    if (typeof deviceId !== 'string' || !/^[\w.:-]{8,100}$/.test(deviceId))
      return apiError(reply, 400, 'BAD_REQUEST', '缺少设备标识 deviceId（8–100 位字母、数字或 -_.:）');
    const result = await accounts.login(username, password, deviceId, {
      ip: request.ip,
      address: addressOf(request),
      userAgent: request.headers['user-agent'],
      limitAccount: () => loginPerAccount(request),
    });
    request.log.info({ user: result.user.id, device: deviceId }, 'login');
    return result;
  });
  app.post('/api/auth/refresh', async (request, reply) => {
    tooMany(await refreshPerAddress(request));
    const { refreshToken } = (request.body ?? {}) as Record<string, unknown>;
    if (typeof refreshToken !== 'string' || refreshToken.length > 200)
      return apiError(reply, 400, 'BAD_REQUEST', '缺少 refreshToken');
    return accounts.refresh(refreshToken);
  });
  app.get('/api/auth/me', { preHandler: requireAuth }, async (request) => ({
    user: request.auth?.user,
    mustChangePassword: request.auth?.mustChangePassword,
    deviceId: request.auth?.deviceId,
  }));
  app.post('/api/auth/password', { preHandler: requireAuth }, async (request, reply) => {
    const { oldPassword, newPassword } = (request.body ?? {}) as Record<string, unknown>;
    if (typeof oldPassword !== 'string' || typeof newPassword !== 'string')
      return apiError(reply, 400, 'BAD_REQUEST', '请填写原密码和新密码');
    if (oldPassword.length > 1024) return apiError(reply, 400, 'BAD_PASSWORD', '原密码不正确');
    // Every other session ends (finding 5); this device continues with the fresh tokens of the answer.
    const result = await accounts.changePassword(authOf(request), oldPassword, newPassword);
    request.log.info({ user: result.user.id }, 'password changed, other sessions ended');
    return { ok: true, ...result };
  });
  app.get('/api/devices', { preHandler: requireAuth }, async (request) => ({
    devices: await listDevices(options.db, authOf(request).user),
  }));
  app.post('/api/devices/:id/revoke', { preHandler: requireAuth }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const user = authOf(request).user;
    const revoked = await accounts.revokeDevice(user, id, async (tx, device) => {
      const [org] = await tx.query<{ org_path: string }>(
        `select org_path from docs where collection = 'orgs' and id = $1`,
        [device.orgId],
      );
      await recordAudit(tx, {
        action: 'device-revoke',
        actor: actorOf(user),
        target: {
          kind: 'device',
          id,
          label: `${device.username} 的登录设备`,
          orgId: device.orgId,
          orgPath: org?.org_path ?? `/${device.orgId}/`,
        },
        after: { revoked: true, userId: device.userId },
        at: now(),
      });
    });
    if (!revoked) return apiError(reply, 404, 'NOT_FOUND', '找不到该设备，或它不在您的管辖范围内');
    return { ok: true };
  });

  // ---- replication ------------------------------------------------------------------------------
  const collectionOf = (request: FastifyRequest, reply: FastifyReply) => {
    const { collection } = request.params as { collection: string };
    const c = REGISTRY.get(collection);
    if (!c) apiError(reply, 404, 'UNKNOWN_COLLECTION', `未知的数据集合：${collection}`);
    return c;
  };

  app.get('/api/sync/:collection/pull', { preHandler: requireSync }, async (request, reply) => {
    const c = collectionOf(request, reply);
    if (!c) return reply;
    const q = request.query as Record<string, string | undefined>;
    const checkpoint = parseCheckpoint(typeof q.checkpoint === 'string' ? q.checkpoint : undefined);
    if (checkpoint === 'invalid')
      return apiError(reply, 400, 'BAD_CHECKPOINT', 'checkpoint 应为上次响应中的 {"seq":数字}');
    const limit = parseLimit(typeof q.limit === 'string' ? q.limit : undefined, 500, MAX_PULL_LIMIT);
    if (limit === 'invalid')
      return apiError(reply, 400, 'BAD_LIMIT', `limit 应为 1 到 ${MAX_PULL_LIMIT} 之间的整数`);
    const schools = parseSchools(typeof q.schools === 'string' ? q.schools : undefined);
    if (schools === 'invalid')
      return apiError(
        reply,
        400,
        'BAD_SCHOOLS',
        `schools 应为以逗号分隔的学校代码（最多 ${MAX_PULL_SCHOOLS} 所），如 S41010501,S41010502`,
      );
    const user = authOf(request).user;
    const selection = schools === null ? null : await pullSelection(options.db, user, schools);
    const body = await pullRaw(options.db, c, user, checkpoint, limit, selection);
    await noteActivity(request, 'pull');
    return reply.type('application/json; charset=utf-8').send(body);
  });

  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  app.post(
    '/api/sync/:collection/push',
    { preHandler: requireSync, bodyLimit: limits.maxPushBytes },
    async (request, reply) => {
      const c = collectionOf(request, reply);
      if (!c) return reply;
      const rows = request.body as PushRow[];
      if (!Array.isArray(rows))
        return apiError(
          reply,
          400,
          'BAD_PUSH',
          '推送内容应为 [{"assumedMasterState", "newDocumentState"}] 数组',
        );
      // A row that is not even a document cannot be answered on its own: the batch is refused, nothing applied.
      const broken = rows.findIndex((r) => !isObject(r) || !isObject((r as PushRow).newDocumentState));
      if (broken >= 0)
        return apiError(
          reply,
          400,
          'BAD_PUSH',
          `推送内容的第 ${broken + 1} 条不是 {"assumedMasterState", "newDocumentState"} 对象，本批未作任何修改`,
        );
      if (rows.length > limits.maxPushRows)
        return apiError(reply, 400, 'BAD_PUSH', `一次最多推送 ${limits.maxPushRows} 条`);
      const ctx = {
        user: authOf(request).user,
        deviceId: authOf(request).deviceId,
        now,
        channel,
        limits,
        registry: registryLimits,
        attachmentMaxBytes: attachmentLimit,
        effects: options.effects ?? SERVER_EFFECTS,
        checks: SERVER_CHECKS,
        log: (details: object, message: string) => request.log.error(details, message),
      };
      const outcome = await push(options.db, c, rows, ctx);
      await noteActivity(request, 'push');
      request.log.info(
        {
          collection: c.name,
          rows: rows.length,
          written: outcome.written,
          refused: outcome.refused,
          user: ctx.user.id,
        },
        'push',
      );
      return outcome.conflicts;
    },
  );

  app.post('/api/sync/stream-ticket', { preHandler: requireSync }, async (request) => {
    tooMany(await ticketsPerDevice(request));
    return accounts.streamTicket(authOf(request));
  });

  app.get('/api/sync/stream', { preHandler: requireStream }, async (request, reply) => {
    reply.hijack();
    const sink = openEventStream(request.raw, reply.raw, {
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'access-control-allow-origin': String(request.headers.origin ?? '*'),
    });
    const auth = authOf(request);
    hub.add(auth.user, sink, { deviceRowId: auth.deviceRowId, sessionEpoch: auth.sessionEpoch });
  });

  // The figures of the schools below the user's org (area desks): students, archive, size, last sync.
  app.get('/api/orgs/stats', { preHandler: requireSync }, async (request, reply) => {
    const user = authOf(request).user;
    if (!mayAct(user.role, 'areaStats'))
      return apiError(reply, 403, 'ROLE', '只有教育局、省教育厅和督查人员可以查看辖区学校的统计');
    return areaStats(options.db, user, now());
  });

  registerAttachmentRoutes(app, { db: options.db, requireAuth: requireSync, limit: attachmentLimit });
  registerRegistryRoutes(app, { db: options.db, requireAuth: requireSync, now, limits: registryLimits });

  registerSettingsRoutes(app, { db: options.db, channel, requireAuth: requireSync, now });
  registerAdminRoutes(app, { db: options.db, channel, accounts, requireAuth: requireSync, now });

  const jobs = new VerificationJobs({
    db: options.db,
    channel,
    now,
    tickMs: options.verification?.tickMs,
    flushDelayMs: options.verification?.flushDelayMs,
    log: (details, message) => app.log.error(details, message),
  });
  const studentAccounts = registerVerificationRoutes(app, {
    db: options.db,
    channel,
    now,
    jobs,
    requireAuth: requireSync,
    limiter,
    addressOf,
    limits: options.verification?.limits,
    taskCacheMs: options.verification?.taskCacheMs,
  });
  app.decorate('verification', jobs);
  app.decorate('studentAccounts', studentAccounts);
  app.addHook('onReady', async () => jobs.start());

  // Graceful shutdown: open streams end first, in-flight requests finish, then the database closes.
  app.addHook('preClose', async () => {
    closing = true;
    await jobs.stop();
    await hub.stop();
  });
  app.addHook('onClose', async () => {
    await options.db.close();
  });
  return app;
}
