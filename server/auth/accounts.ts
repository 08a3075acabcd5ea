// Accounts, devices and tokens (DESIGN.md "Server": argon2 hashes, short-lived access tokens, rotated
// refresh tokens, device registration and revocation, lockout, password rotation; R-SECURE).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT } from 'jose';
import type { Role, SyncUser } from '../../shared/sync/protocol';
import { PASSWORD_MAX_AGE_DAYS, passwordDue, passwordProblem } from '../../shared/validate/password';
import type { Db, Sql } from '../store/db';
import { Hs256Verifier, TokenRefused } from './hs256';
import { accountName, type Counter, counterKey, LoginThrottle } from './throttle';

export type AuthSettings = {
  accessTokenSeconds: number;
  refreshTokenDays: number;
  /** R-SECURE: passwords changed when due */
  passwordMaxAgeDays: number;
  /** failed attempts of one address on one account name (or of one registered device) before a lock */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** failed attempts of one address on any accounts (password spraying) */
  addressThreshold: number;
  addressLockMinutes: number;
  /** failed attempts on one account name from everywhere: much higher and shorter (not a weapon) */
  accountThreshold: number;
  accountLockMinutes: number;
  /** the window the counters above count in */
  throttleWindowMinutes: number;
  /** @fastify/rate-limit, per server instance: login requests per address and per account name */
  loginPerMinutePerAddress: number;
  loginPerMinutePerAccount: number;
  refreshPerMinutePerAddress: number;
  streamTicketSeconds: number;
};

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  accessTokenSeconds: 15 * 60,
  refreshTokenDays: 30,
  passwordMaxAgeDays: PASSWORD_MAX_AGE_DAYS,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  addressThreshold: 30,
  addressLockMinutes: 15,
  accountThreshold: 25,
  accountLockMinutes: 5,
  throttleWindowMinutes: 15,
  loginPerMinutePerAddress: 30,
  loginPerMinutePerAccount: 20,
  refreshPerMinutePerAddress: 120,
  streamTicketSeconds: 60,
};

/** Claims every access token carries and every check requires (finding 9: a token without exp passed). */
export const TOKEN_ISSUER = 'xueji';
export const TOKEN_AUDIENCE = 'xueji-sync';
export const TOKEN_TYPE = 'at+jwt';

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 423 | 400 | 429,
    readonly code: string,
    message: string,
    /** seconds, for 429: sent as Retry-After */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export type AuthContext = {
  user: SyncUser;
  deviceRowId: string;
  deviceId: string;
  mustChangePassword: boolean;
  /** the session epoch the credential was issued under (equal to the user's current one) */
  sessionEpoch: number;
};

export type LoginResult = {
  token: string;
  refreshToken: string;
  expiresIn: number;
  user: SyncUser & {
    mustChangePassword: boolean;
    passwordChangedAt: string;
    /** the password policy's maximum age on this server (R-SECURE): the app counts the days left */
    passwordMaxAgeDays: number;
  };
  deviceId: string;
};

/** What a stream notice channel carries besides change notices: streams to close (hub.ts). */
export type SessionControl =
  | { control: 'end-sessions'; userId: string; epoch: number; exceptDeviceRowId?: string }
  | { control: 'revoke-device'; deviceRowId: string };

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  org_id: string;
  class_ids: string[];
  enforcement_id: string | null;
  password_changed_at: Date | string;
  must_change_password: boolean;
  disabled: boolean;
  session_epoch: number;
  org_path: string | null;
  org_name: string | null;
};

const USER_SELECT = `select u.*, o.org_path, o.data->>'name' as org_name
  from users u left join docs o on o.collection = 'orgs' and o.id = u.org_id`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const toDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

export const UNAUTHORIZED_MESSAGE = '未登录或登录已过期，请重新登录';
export const BAD_CREDENTIALS_MESSAGE = '用户名或密码错误';

/** The one answer of a throttled login, the same whether the account exists or not. */
export function lockedError(until: Date, now: Date): AuthError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new AuthError(429, 'LOCKED', `登录失败次数过多，请 ${minutes} 分钟后再试`, seconds);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export type NewUser = {
  id?: string;
  username: string;
  displayName: string;
  password: string;
  role: Role;
  orgId: string;
  classIds?: string[];
  enforcementId?: string;
  mustChangePassword?: boolean;
  /** inspector: the school ids of declared conflicts of interest (R-INSP-RECUSE) */
  conflicts?: string[];
  /** who opened the account (a user id, 'seed' or 'cli') */
  createdBy?: string;
  /** an argon2 hash made beforehand (a batch hashes outside its transaction); else `password` is hashed */
  passwordHash?: string;
};

export async function createUser(sql: Sql, u: NewUser, now: Date): Promise<string> {
  const problem = passwordProblem(u.password, { username: u.username });
  if (problem) throw new Error(problem);
  if (u.role === 'inspector' && !u.enforcementId) throw new Error('督查人员须有执法证号（R-INSP-2）');
  const id = u.id ?? randomUUID();
  await sql.query(
    `insert into users (id, username, display_name, password_hash, role, org_id, class_ids, enforcement_id,
       password_changed_at, must_change_password, conflict_school_ids, created_at, created_by, updated_at, updated_by)
     values ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$9,$10,$11::jsonb,$9,$12,$9,$12)`,
    [
      id,
      u.username,
      u.displayName,
      u.passwordHash ?? (await hashPassword(u.password)),
      u.role,
      u.orgId,
      JSON.stringify(u.classIds ?? []),
      u.enforcementId ?? null,
      now.toISOString(),
      u.mustChangePassword ?? false,
      JSON.stringify(u.conflicts ?? []),
      u.createdBy ?? 'seed',
    ],
  );
  return id;
}

function toUser(r: UserRow): SyncUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    orgId: r.org_id,
    orgName: r.org_name ?? r.org_id,
    orgPath: r.org_path ?? `/${r.org_id}/`,
    classIds: Array.isArray(r.class_ids) ? r.class_ids : [],
    ...(r.enforcement_id ? { enforcementId: r.enforcement_id } : {}),
  };
}

export type LoginMeta = {
  /** the client's address as the device list shows it */
  ip?: string;
  /** the address as the lockout counts it (an IPv6 /64 is one address); defaults to ip */
  address?: string;
  userAgent?: string;
  /**
   * The per-account request limit (@fastify/rate-limit, app.ts): asked only for attempts that do not
   * come from a device registered to the account, so nobody can use it to keep the owner out.
   * Resolves to the seconds to wait when the limit is exceeded, or null.
   */
  limitAccount?: () => Promise<number | null>;
};

export class Accounts {
  private secret: Uint8Array | undefined;
  private readonly dummy: Promise<string>;
  readonly throttle: LoginThrottle;
  /** the access token's checks, synchronous on node:crypto (hs256.ts) */
  private readonly verifier: Hs256Verifier;
  private attempts = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    readonly settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
    /** the NOTIFY channel of the stream hubs: ended sessions close their streams on every instance */
    private readonly channel: string | null = null,
  ) {
    this.throttle = new LoginThrottle(db, now);
    // An access token never lives longer than the setting, whatever its exp says.
    this.verifier = new Hs256Verifier(
      () => this.key(),
      () => ({
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        typ: TOKEN_TYPE,
        maxAgeSeconds: this.settings.accessTokenSeconds,
      }),
      now,
    );
    // Made at start, so the first unknown username is not slower than the ones after it.
    this.dummy = hashPassword(randomBytes(16).toString('base64'));
    this.dummy.catch(() => {});
  }

  /** The signing key lives in the database so every instance and every restart share it. */
  private async key(): Promise<Uint8Array> {
    if (this.secret) return this.secret;
    const fromEnv = process.env.XUEJI_JWT_SECRET;
    if (fromEnv) {
      this.secret = new TextEncoder().encode(fromEnv);
      return this.secret;
    }
    await this.db.query(
      `insert into server_settings (key, value) values ('jwt_secret', $1) on conflict (key) do nothing`,
      [randomBytes(32).toString('base64')],
    );
    const [row] = await this.db.query<{ value: string }>(
      `select value from server_settings where key = 'jwt_secret'`,
    );
    this.secret = Buffer.from(row?.value ?? '', 'base64');
    return this.secret;
  }

  /**
   * A real argon2 hash of a random password, made with the same parameters as every stored hash: an
   * unknown username costs the same verification as a wrong password (finding 9: timing class).
   */
  dummyHash(): Promise<string> {
    return this.dummy;
  }

  /** R-SECURE: the one rule of shared/validate/password.ts (the app shows the same due date). */
  private passwordDue(r: UserRow): boolean {
    const changed = toDate(r.password_changed_at) ?? new Date(0);
    return passwordDue(
      changed.toISOString(),
      this.now(),
      this.settings.passwordMaxAgeDays,
      Boolean(r.must_change_password),
    );
  }

  private async issue(
    sql: Sql,
    r: UserRow,
    deviceRowId: string,
    deviceId: string,
  ): Promise<Omit<LoginResult, 'user'>> {
    const now = this.now();
    const iat = Math.floor(now.getTime() / 1000);
    const epoch = Number(r.session_epoch);
    const token = await new SignJWT({
      dev: deviceRowId,
      sep: epoch,
      role: r.role,
      pwd: this.passwordDue(r) ? 'due' : 'ok',
    })
      .setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE })
      .setSubject(r.id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.settings.accessTokenSeconds)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setJti(randomUUID())
      .sign(await this.key());
    const refreshToken = randomBytes(32).toString('base64url');
    await sql.query(
      `insert into refresh_tokens (token_hash, user_id, device_row_id, expires_at, created_at, session_epoch)
       values ($1,$2,$3,$4,$5,$6)`,
      [
        sha256(refreshToken),
        r.id,
        deviceRowId,
        new Date(now.getTime() + this.settings.refreshTokenDays * 86_400_000).toISOString(),
        now.toISOString(),
        epoch,
      ],
    );
    return { token, refreshToken, expiresIn: this.settings.accessTokenSeconds, deviceId };
  }

  private loginResult(r: UserRow, tokens: Omit<LoginResult, 'user'>): LoginResult {
    return {
      ...tokens,
      user: {
        ...toUser(r),
        mustChangePassword: this.passwordDue(r),
        passwordChangedAt: (toDate(r.password_changed_at) ?? new Date(0)).toISOString(),
        passwordMaxAgeDays: this.settings.passwordMaxAgeDays,
      },
    };
  }

  /** Every 100th login or ticket drops spent counters and tickets (bounded tables, no timer). */
  private async pruneNowAndThen(): Promise<void> {
    this.attempts++;
    if (this.attempts % 100 === 0) await this.throttle.prune(this.settings.throttleWindowMinutes * 2);
  }

  private rule(kind: 'pair' | 'address' | 'account') {
    const s = this.settings;
    const windowMinutes = s.throttleWindowMinutes;
    if (kind === 'pair')
      return { threshold: s.lockoutThreshold, windowMinutes, lockMinutes: s.lockoutMinutes };
    if (kind === 'address')
      return { threshold: s.addressThreshold, windowMinutes, lockMinutes: s.addressLockMinutes };
    return { threshold: s.accountThreshold, windowMinutes, lockMinutes: s.accountLockMinutes };
  }

  /**
   * Login (docs/sync-api.md "Lockout policy"). An unknown or disabled account and a wrong password get
   * the same answer, the same argon2 work and the same counters. A device already registered to the
   * account is counted on its own (the address's and the account's counters do not apply to it), so an
   * attacker who fails on purpose cannot keep the owner's devices out.
   */
  async login(
    username: string,
    password: string,
    deviceId: string,
    meta: LoginMeta = {},
  ): Promise<LoginResult> {
    const now = this.now();
    // Load the signing key outside the transaction (PGlite has one connection: no nested queries).
    await this.key();
    const name = accountName(username);
    const ip = meta.address ?? meta.ip ?? 'unknown';
    await this.pruneNowAndThen();
    const [found] = await this.db.query<UserRow & { known_device: string | null }>(
      `select u.*, o.org_path, o.data->>'name' as org_name, d.id as known_device
         from users u left join docs o on o.collection = 'orgs' and o.id = u.org_id
         left join devices d on d.user_id = u.id and d.device_id = $2 and d.revoked_at is null
        where u.username = $1`,
      [username, deviceId],
    );
    const r = found && !found.disabled ? found : undefined;
    const known = r?.known_device ?? null;
    if (!known && meta.limitAccount) {
      const wait = await meta.limitAccount();
      if (wait !== null) throw new AuthError(429, 'RATE_LIMITED', `请求过于频繁，请 ${wait} 秒后再试`, wait);
    }
    const counters: Counter[] = known
      ? [{ key: counterKey.device(known), rule: this.rule('pair'), clearOnSuccess: true }]
      : [
          { key: counterKey.pair(ip, name), rule: this.rule('pair'), clearOnSuccess: true },
          { key: counterKey.address(ip), rule: this.rule('address'), clearOnSuccess: false },
          { key: counterKey.account(name), rule: this.rule('account'), clearOnSuccess: false },
        ];
    const hashToCheck = r?.password_hash ?? (await this.dummyHash());
    const outcome = await this.throttle.guard(
      counters,
      async () => (await verify(hashToCheck, password)) && r !== undefined,
    );
    if (outcome.kind === 'locked') throw lockedError(outcome.until, now);
    if (outcome.kind === 'failed' || !r) throw new AuthError(401, 'BAD_CREDENTIALS', BAD_CREDENTIALS_MESSAGE);
    return this.db.transaction(async (tx) => {
      // R-SECURE: the device is registered at its first login; a revoked device stays revoked.
      const [existing] = await tx.query<{ id: string; revoked_at: unknown }>(
        'select id, revoked_at from devices where user_id = $1 and device_id = $2',
        [r.id, deviceId],
      );
      if (existing?.revoked_at)
        throw new AuthError(403, 'DEVICE_REVOKED', '此设备已被管理员停用，不能登录。请联系学籍管理员');
      const deviceRowId = existing?.id ?? randomUUID();
      if (existing) {
        await tx.query('update devices set last_seen_at = $2, ip = $3, user_agent = $4 where id = $1', [
          deviceRowId,
          now.toISOString(),
          meta.ip ?? null,
          meta.userAgent ?? null,
        ]);
      } else {
        await tx.query(
          `insert into devices (id, user_id, device_id, user_agent, ip, first_seen_at, last_seen_at)
           values ($1,$2,$3,$4,$5,$6,$6)`,
          [deviceRowId, r.id, deviceId, meta.userAgent ?? null, meta.ip ?? null, now.toISOString()],
        );
      }
      return this.loginResult(r, await this.issue(tx, r, deviceRowId, deviceId));
    });
  }

  /** Rotates a refresh token: the old one is spent; a spent one presented again revokes the device's tokens. */
  async refresh(refreshToken: string): Promise<LoginResult> {
    const now = this.now();
    const expired = new AuthError(401, 'REFRESH_INVALID', '登录已过期，请重新登录');
    await this.key();
    const result = await this.db.transaction(async (tx): Promise<LoginResult | 'reused'> => {
      const [t] = await tx.query<{
        user_id: string;
        device_row_id: string;
        expires_at: Date | string;
        used_at: unknown;
        session_epoch: number;
      }>('select * from refresh_tokens where token_hash = $1 for update', [sha256(refreshToken)]);
      if (!t) throw expired;
      const [r] = await tx.query<UserRow>(`${USER_SELECT} where u.id = $1`, [t.user_id]);
      // A token of an ended session (password changed, reset, account disabled) is dead, even if a
      // rotation raced with the change and left it unspent; and being spent by that end is no sign of
      // theft, so it does not end the device's new session either.
      if (!r || r.disabled || Number(r.session_epoch) !== Number(t.session_epoch)) throw expired;
      if (t.used_at) {
        // Reuse of a rotated token means it leaked: end every session of that device.
        await tx.query(
          'update refresh_tokens set used_at = $2 where device_row_id = $1 and used_at is null',
          [t.device_row_id, now.toISOString()],
        );
        // Committed, then refused: throwing here would roll the revocation back.
        return 'reused';
      }
      if ((toDate(t.expires_at) ?? now) <= now) throw expired;
      const [d] = await tx.query<{ revoked_at: unknown; device_id: string }>(
        'select revoked_at, device_id from devices where id = $1',
        [t.device_row_id],
      );
      if (!d || d.revoked_at)
        throw new AuthError(401, 'DEVICE_REVOKED', '此设备已被管理员停用，请联系学籍管理员');
      await tx.query('update refresh_tokens set used_at = $2 where token_hash = $1', [
        sha256(refreshToken),
        now.toISOString(),
      ]);
      await tx.query('update devices set last_seen_at = $2 where id = $1', [
        t.device_row_id,
        now.toISOString(),
      ]);
      return this.loginResult(r, await this.issue(tx, r, t.device_row_id, d.device_id));
    });
    if (result === 'reused') throw expired;
    return result;
  }

  /** Verifies an access token and reloads user and device, so revocations apply at once. */
  async authenticate(token: string | undefined): Promise<AuthContext> {
    const denied = new AuthError(401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    if (!token) throw denied;
    let payload: { sub?: unknown; dev?: unknown; sep?: unknown };
    try {
      payload = await this.verifier.verify(token);
    } catch (e) {
      throw e instanceof TokenRefused ? denied : e;
    }
    if (typeof payload.sub !== 'string' || typeof payload.dev !== 'string' || typeof payload.sep !== 'number')
      throw denied;
    return this.context(payload.sub, payload.dev, payload.sep);
  }

  /** The request context of a user on a device, if the session (epoch) is still the user's current one. */
  private async context(userId: string, deviceRowId: string, epoch: number): Promise<AuthContext> {
    const denied = new AuthError(401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    const [r] = await this.db.query<UserRow & { revoked_at: unknown; device_id: string }>(
      `select u.*, o.org_path, o.data->>'name' as org_name, d.revoked_at, d.device_id
         from users u join devices d on d.user_id = u.id and d.id = $2
         left join docs o on o.collection = 'orgs' and o.id = u.org_id
        where u.id = $1`,
      [userId, deviceRowId],
    );
    if (!r || r.disabled || Number(r.session_epoch) !== epoch) throw denied;
    if (r.revoked_at) throw new AuthError(401, 'DEVICE_REVOKED', '此设备已被管理员停用，请联系学籍管理员');
    return {
      user: toUser(r),
      deviceRowId,
      deviceId: r.device_id,
      mustChangePassword: this.passwordDue(r),
      sessionEpoch: epoch,
    };
  }

  /**
   * A one-use ticket for the live stream (EventSource cannot send a header, and a token in a URL ends
   * up in logs: finding 9). Stored hashed; it dies when used, after a minute, or with the session.
   */
  async streamTicket(auth: AuthContext): Promise<{ ticket: string; expiresIn: number }> {
    await this.pruneNowAndThen();
    const ticket = randomBytes(32).toString('base64url');
    const expires = new Date(this.now().getTime() + this.settings.streamTicketSeconds * 1000);
    await this.db.query(
      `insert into stream_tickets (ticket_hash, user_id, device_row_id, session_epoch, expires_at)
       values ($1, $2, $3, $4, $5)`,
      [sha256(ticket), auth.user.id, auth.deviceRowId, auth.sessionEpoch, expires.toISOString()],
    );
    return { ticket, expiresIn: this.settings.streamTicketSeconds };
  }

  /** Spends a stream ticket (atomically: of two requests with one ticket, one gets it). */
  async redeemStreamTicket(ticket: string): Promise<AuthContext> {
    const denied = new AuthError(401, 'UNAUTHORIZED', '实时通道凭证无效或已过期，请重新连接');
    if (!/^[\w-]{20,100}$/.test(ticket)) throw denied;
    const [t] = await this.db.query<{
      user_id: string;
      device_row_id: string;
      session_epoch: number;
      expires_at: Date | string;
    }>('delete from stream_tickets where ticket_hash = $1 returning *', [sha256(ticket)]);
    if (!t || (toDate(t.expires_at) ?? new Date(0)) <= this.now()) throw denied;
    return this.context(t.user_id, t.device_row_id, Number(t.session_epoch));
  }

  /**
   * Ends every session of a user at once (finding 5): the epoch moves on, so every access token and
   * ticket issued before is refused; refresh tokens are spent; open streams close on every instance.
   * The caller's own device keeps its stream when it is the one that changed the password.
   */
  private async endSessions(tx: Sql, userId: string, exceptDeviceRowId?: string): Promise<number> {
    const [row] = await tx.query<{ session_epoch: number }>(
      'update users set session_epoch = session_epoch + 1 where id = $1 returning session_epoch',
      [userId],
    );
    await tx.query('update refresh_tokens set used_at = $2 where user_id = $1 and used_at is null', [
      userId,
      this.now().toISOString(),
    ]);
    await tx.query('delete from stream_tickets where user_id = $1', [userId]);
    const epoch = Number(row?.session_epoch ?? 0);
    await this.control(tx, {
      control: 'end-sessions',
      userId,
      epoch,
      ...(exceptDeviceRowId ? { exceptDeviceRowId } : {}),
    });
    return epoch;
  }

  /** A control notice for the stream hubs of every instance (delivered when the transaction commits). */
  private async control(tx: Sql, notice: SessionControl): Promise<void> {
    if (this.channel) await tx.query('select pg_notify($1, $2)', [this.channel, JSON.stringify(notice)]);
  }

  /**
   * R-SECURE: the signed-in user changes their password. Every other session ends at once (finding 5);
   * the caller's device gets a fresh pair of tokens in the answer. Wrong old passwords are counted
   * like failed logins (a stolen access token must not become a password oracle).
   */
  async changePassword(auth: AuthContext, oldPassword: string, newPassword: string): Promise<LoginResult> {
    const now = this.now();
    await this.key();
    const [r] = await this.db.query<UserRow>(`${USER_SELECT} where u.id = $1`, [auth.user.id]);
    if (!r) throw new AuthError(401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    const problem = passwordProblem(newPassword, { username: r.username, oldPassword });
    if (problem) throw new AuthError(400, 'WEAK_PASSWORD', problem);
    const outcome = await this.throttle.guard(
      [{ key: counterKey.passwordChange(r.id), rule: this.rule('pair'), clearOnSuccess: true }],
      () => verify(r.password_hash, oldPassword),
    );
    if (outcome.kind === 'locked') throw lockedError(outcome.until, now);
    if (outcome.kind === 'failed') throw new AuthError(400, 'BAD_PASSWORD', '原密码不正确');
    const passwordHash = await hashPassword(newPassword);
    return this.db.transaction(async (tx) => {
      await tx.query(
        'update users set password_hash = $2, password_changed_at = $3, must_change_password = false where id = $1',
        [r.id, passwordHash, now.toISOString()],
      );
      await this.endSessions(tx, r.id, auth.deviceRowId);
      const [fresh] = await tx.query<UserRow>(`${USER_SELECT} where u.id = $1`, [r.id]);
      if (!fresh) throw new AuthError(401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
      return this.loginResult(fresh, await this.issue(tx, fresh, auth.deviceRowId, auth.deviceId));
    });
  }

  /**
   * An administrator sets a new password (account administration, issue 11): every session of the user
   * ends, and by default the user must change it at the next login.
   */
  async resetPassword(
    userId: string,
    newPassword: string,
    o: { mustChange?: boolean; by?: string; inTx?: (tx: Sql) => Promise<void> } = {},
  ): Promise<void> {
    const [r] = await this.db.query<UserRow>(`${USER_SELECT} where u.id = $1`, [userId]);
    if (!r) throw new AuthError(400, 'NO_USER', '找不到该账号');
    const problem = passwordProblem(newPassword, { username: r.username });
    if (problem) throw new AuthError(400, 'WEAK_PASSWORD', problem);
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `update users set password_hash = $2, password_changed_at = $3, must_change_password = $4,
           updated_at = $3, updated_by = coalesce($5, updated_by) where id = $1`,
        [userId, passwordHash, this.now().toISOString(), o.mustChange ?? true, o.by ?? null],
      );
      await this.endSessions(tx, userId);
      await o.inTx?.(tx);
    });
  }

  /** Disables (or re-enables) an account; disabling ends every session and stream at once. */
  async setDisabled(
    userId: string,
    disabled: boolean,
    o: { by?: string; inTx?: (tx: Sql) => Promise<void>; tx?: Sql } = {},
  ): Promise<void> {
    const run = async (tx: Sql) => {
      await tx.query(
        'update users set disabled = $2, updated_at = $3, updated_by = coalesce($4, updated_by) where id = $1',
        [userId, disabled, this.now().toISOString(), o.by ?? null],
      );
      if (disabled) await this.endSessions(tx, userId);
      await o.inTx?.(tx);
    };
    // Inside a caller's transaction (disabling an org disables its accounts with it) or in one of its own.
    if (o.tx) await run(o.tx);
    else await this.db.transaction(run);
  }

  /** Devices an admin may see: those of users whose org lies in the admin's subtree (R-SECURE). */
  async listDevices(admin: SyncUser) {
    const rows = await this.db.query<Record<string, unknown>>(
      `select d.id, d.device_id, d.user_agent, d.ip, d.first_seen_at, d.last_seen_at, d.revoked_at, d.revoked_by,
              u.id as user_id, u.username, u.display_name, u.role, u.org_id, o.data->>'name' as org_name
         from devices d join users u on u.id = d.user_id
         left join docs o on o.collection = 'orgs' and o.id = u.org_id
        where (o.org_path like $1 or u.id = $2)
        order by d.last_seen_at desc`,
      [`${escapeLike(admin.orgPath)}%`, admin.id],
    );
    const iso = (v: unknown) => (v ? (toDate(v as string) ?? new Date(0)).toISOString() : null);
    return rows.map((d) => ({
      id: d.id,
      deviceId: d.device_id,
      userId: d.user_id,
      username: d.username,
      displayName: d.display_name,
      role: d.role,
      orgId: d.org_id,
      orgName: d.org_name,
      userAgent: d.user_agent,
      ip: d.ip,
      firstSeenAt: iso(d.first_seen_at),
      lastSeenAt: iso(d.last_seen_at),
      revokedAt: iso(d.revoked_at),
      revokedBy: d.revoked_by,
    }));
  }

  async revokeDevice(
    admin: SyncUser,
    deviceRowId: string,
    inTx?: (tx: Sql, device: { userId: string; username: string; orgId: string }) => Promise<void>,
  ): Promise<boolean> {
    if (admin.role === 'counselor' || admin.role === 'inspector')
      throw new AuthError(403, 'ROLE', '只有学籍管理员或教育局可以停用设备');
    const visible = (await this.listDevices(admin)).find((d) => d.id === deviceRowId);
    if (!visible) return false;
    await this.db.transaction(async (tx) => {
      await tx.query(
        'update devices set revoked_at = $2, revoked_by = $3 where id = $1 and revoked_at is null',
        [deviceRowId, this.now().toISOString(), admin.id],
      );
      await tx.query('update refresh_tokens set used_at = $2 where device_row_id = $1 and used_at is null', [
        deviceRowId,
        this.now().toISOString(),
      ]);
      await tx.query('delete from stream_tickets where device_row_id = $1', [deviceRowId]);
      // finding 9: the revoked device's open stream closes now, on whichever instance holds it.
      await this.control(tx, { control: 'revoke-device', deviceRowId });
      await inTx?.(tx, {
        userId: String(visible.userId),
        username: String(visible.username),
        orgId: String(visible.orgId),
      });
    });
    return true;
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
