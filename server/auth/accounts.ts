// Accounts, devices and tokens (DESIGN.md "Server": argon2 hashes, short-lived access tokens, rotated
// refresh tokens, device registration and revocation, lockout, password rotation; R-SECURE).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import type { Role, SyncUser } from '../../shared/sync/protocol';
import type { Db, Sql } from '../store/db';

export type AuthSettings = {
  accessTokenSeconds: number;
  refreshTokenDays: number;
  /** R-SECURE: passwords changed when due */
  passwordMaxAgeDays: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
};

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  accessTokenSeconds: 15 * 60,
  refreshTokenDays: 30,
  passwordMaxAgeDays: 90,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
};

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 423 | 400,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type AuthContext = {
  user: SyncUser;
  deviceRowId: string;
  deviceId: string;
  mustChangePassword: boolean;
};

export type LoginResult = {
  token: string;
  refreshToken: string;
  expiresIn: number;
  user: SyncUser & { mustChangePassword: boolean; passwordChangedAt: string };
  deviceId: string;
};

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
  failed_logins: number;
  locked_until: Date | string | null;
  disabled: boolean;
  org_path: string | null;
  org_name: string | null;
};

const USER_SELECT = `select u.*, o.org_path, o.data->>'name' as org_name
  from users u left join docs o on o.collection = 'orgs' and o.id = u.org_id`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const toDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

export function passwordProblem(password: string): string | null {
  if (password.length < 8) return '新密码至少 8 位';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '新密码须同时包含字母和数字';
  return null;
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
};

export async function createUser(sql: Sql, u: NewUser, now: Date): Promise<string> {
  const problem = passwordProblem(u.password);
  if (problem) throw new Error(problem);
  if (u.role === 'inspector' && !u.enforcementId) throw new Error('督查人员须有执法证号（R-INSP-2）');
  const id = u.id ?? randomUUID();
  await sql.query(
    `insert into users (id, username, display_name, password_hash, role, org_id, class_ids, enforcement_id,
       password_changed_at, must_change_password) values ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$9,$10)`,
    [
      id,
      u.username,
      u.displayName,
      await hashPassword(u.password),
      u.role,
      u.orgId,
      JSON.stringify(u.classIds ?? []),
      u.enforcementId ?? null,
      now.toISOString(),
      u.mustChangePassword ?? false,
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

export class Accounts {
  private secret: Uint8Array | undefined;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    readonly settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
  ) {}

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

  private passwordDue(r: UserRow): boolean {
    if (r.must_change_password) return true;
    const changed = toDate(r.password_changed_at) ?? new Date(0);
    return this.now().getTime() - changed.getTime() > this.settings.passwordMaxAgeDays * 86_400_000;
  }

  private async issue(
    sql: Sql,
    r: UserRow,
    deviceRowId: string,
    deviceId: string,
  ): Promise<Omit<LoginResult, 'user'>> {
    const now = this.now();
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({
      dev: deviceRowId,
      role: r.role,
      pwd: this.passwordDue(r) ? 'due' : 'ok',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(r.id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.settings.accessTokenSeconds)
      .setIssuer('xueji')
      .setJti(randomUUID())
      .sign(await this.key());
    const refreshToken = randomBytes(32).toString('base64url');
    await sql.query(
      `insert into refresh_tokens (token_hash, user_id, device_row_id, expires_at, created_at) values ($1,$2,$3,$4,$5)`,
      [
        sha256(refreshToken),
        r.id,
        deviceRowId,
        new Date(now.getTime() + this.settings.refreshTokenDays * 86_400_000).toISOString(),
        now.toISOString(),
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
      },
    };
  }

  async login(
    username: string,
    password: string,
    deviceId: string,
    meta: { ip?: string; userAgent?: string } = {},
  ): Promise<LoginResult> {
    const now = this.now();
    // Load the signing key outside the transaction (PGlite has one connection: no nested queries).
    await this.key();
    const [r] = await this.db.query<UserRow>(`${USER_SELECT} where u.username = $1`, [username]);
    const generic = new AuthError(401, 'BAD_CREDENTIALS', '用户名或密码错误');
    if (!r || r.disabled) {
      // Same work as a real check, so the response time does not reveal which usernames exist.
      await verify(
        '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0cYw1kC+3o7sVvQ0Hk8J5m4sQ1S4d2Q0Q8s8g9a7V1A',
        password,
      ).catch(() => false);
      throw generic;
    }
    const locked = toDate(r.locked_until);
    if (locked && locked > now) {
      const minutes = Math.max(1, Math.ceil((locked.getTime() - now.getTime()) / 60_000));
      throw new AuthError(423, 'LOCKED', `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`);
    }
    if (!(await verify(r.password_hash, password))) {
      const failures = (locked ? 0 : r.failed_logins) + 1;
      if (failures >= this.settings.lockoutThreshold) {
        const until = new Date(now.getTime() + this.settings.lockoutMinutes * 60_000);
        await this.db.query('update users set failed_logins = 0, locked_until = $2 where id = $1', [
          r.id,
          until.toISOString(),
        ]);
        throw new AuthError(
          423,
          'LOCKED',
          `连续 ${this.settings.lockoutThreshold} 次密码错误，账号已锁定 ${this.settings.lockoutMinutes} 分钟`,
        );
      }
      await this.db.query('update users set failed_logins = $2, locked_until = null where id = $1', [
        r.id,
        failures,
      ]);
      throw new AuthError(
        401,
        'BAD_CREDENTIALS',
        `用户名或密码错误（再错 ${this.settings.lockoutThreshold - failures} 次将锁定账号）`,
      );
    }
    return this.db.transaction(async (tx) => {
      await tx.query('update users set failed_logins = 0, locked_until = null where id = $1', [r.id]);
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
      }>('select * from refresh_tokens where token_hash = $1 for update', [sha256(refreshToken)]);
      if (!t) throw expired;
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
      const [r] = await tx.query<UserRow>(`${USER_SELECT} where u.id = $1`, [t.user_id]);
      if (!r || r.disabled) throw expired;
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
    const denied = new AuthError(401, 'UNAUTHORIZED', '未登录或登录已过期，请重新登录');
    if (!token) throw denied;
    let payload: { sub?: string; dev?: unknown };
    try {
      ({ payload } = await jwtVerify(token, await this.key(), {
        issuer: 'xueji',
        algorithms: ['HS256'],
        currentDate: this.now(),
      }));
    } catch {
      throw denied;
    }
    if (typeof payload.sub !== 'string' || typeof payload.dev !== 'string') throw denied;
    const [r] = await this.db.query<UserRow & { revoked_at: unknown; device_id: string }>(
      `select u.*, o.org_path, o.data->>'name' as org_name, d.revoked_at, d.device_id
         from users u join devices d on d.user_id = u.id and d.id = $2
         left join docs o on o.collection = 'orgs' and o.id = u.org_id
        where u.id = $1`,
      [payload.sub, payload.dev],
    );
    if (!r || r.disabled) throw denied;
    if (r.revoked_at) throw new AuthError(401, 'DEVICE_REVOKED', '此设备已被管理员停用，请联系学籍管理员');
    return {
      user: toUser(r),
      deviceRowId: payload.dev,
      deviceId: r.device_id,
      mustChangePassword: this.passwordDue(r),
    };
  }

  async changePassword(userId: string, oldPassword: string, newPassword: string): Promise<void> {
    const [r] = await this.db.query<UserRow>(`${USER_SELECT} where u.id = $1`, [userId]);
    if (!r) throw new AuthError(401, 'UNAUTHORIZED', '未登录或登录已过期，请重新登录');
    if (!(await verify(r.password_hash, oldPassword)))
      throw new AuthError(400, 'BAD_PASSWORD', '原密码不正确');
    const problem = passwordProblem(newPassword);
    if (problem) throw new AuthError(400, 'WEAK_PASSWORD', problem);
    if (newPassword === oldPassword) throw new AuthError(400, 'WEAK_PASSWORD', '新密码不能与原密码相同');
    await this.db.query(
      'update users set password_hash = $2, password_changed_at = $3, must_change_password = false where id = $1',
      [userId, await hashPassword(newPassword), this.now().toISOString()],
    );
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

  async revokeDevice(admin: SyncUser, deviceRowId: string): Promise<boolean> {
    if (admin.role === 'counselor' || admin.role === 'inspector')
      throw new AuthError(403, 'ROLE', '只有学籍管理员或教育局可以停用设备');
    const visible = (await this.listDevices(admin)).some((d) => d.id === deviceRowId);
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
    });
    return true;
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
