// The students' phone accounts (HN 三.1 "激活帐号"; docs/checkin-api.md): the school issues one per enrolled
// student in bulk — a login (the 学籍号, else a generated one) and an 80-bit random code shown once and
// kept only as SHA-256 (a random secret of that size needs no slow hash; argon2 would make issuing 20,000
// accounts take a quarter of an hour). The student signs in with login and code and gets a token whose
// audience is the check-in API only: the sync API refuses it, and sync tokens are refused here.
import { createHash, randomBytes, randomInt, randomUUID, webcrypto } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SyncUser } from '../../shared/sync/protocol';
import { AuthError } from '../auth/accounts';
import { Hs256Verifier, TokenRefused } from '../auth/hs256';
import { type Counter, counterKey, LoginThrottle } from '../auth/throttle';
import type { Db, Sql } from '../store/db';

export const CHECKIN_AUDIENCE = 'xueji-checkin';
export const CHECKIN_ISSUER = 'xueji';
export const CHECKIN_TOKEN_TYPE = 'at+jwt';
/** A phone stays signed in for a day; then it signs in again with its code. */
export const CHECKIN_TOKEN_SECONDS = 24 * 3600;

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A code of 16 characters from 32 (80 bits), grouped in fours for reading out: "K7QM-…". */
export function newCode(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.match(/.{4}/g)?.join('-') ?? s;
}

const normalCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
const hashCode = (code: string) => createHash('sha256').update(normalCode(code)).digest('hex');

export type IssuedAccount = { studentId: string; name: string; classId: string; login: string; code: string };

export type StudentSession = { studentId: string; schoolId: string; epoch: number };

const BAD = '账号或激活码错误';
/** Made when refused only (an Error's stack costs more than the check it reports). */
const denied = () => new AuthError(401, 'UNAUTHORIZED', '未登录或登录已过期，请用账号和激活码重新登录');

export class StudentAccounts {
  /** imported once: jose imports a raw secret again on every sign and verify */
  private secret: webcrypto.CryptoKey | undefined;
  private raw: Buffer | undefined;
  /** the phone token's checks, synchronous on node:crypto (hs256.ts) */
  private readonly verifier: Hs256Verifier;
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {
    this.throttle = new LoginThrottle(db, now);
    this.verifier = new Hs256Verifier(
      async () => {
        await this.key();
        return this.raw ?? new Uint8Array();
      },
      () => ({
        issuer: CHECKIN_ISSUER,
        audience: CHECKIN_AUDIENCE,
        typ: CHECKIN_TOKEN_TYPE,
        maxAgeSeconds: CHECKIN_TOKEN_SECONDS,
      }),
      now,
    );
  }

  /** Its own signing key: a leak of the sync key does not mint phone tokens, nor the other way round. */
  private async key(): Promise<webcrypto.CryptoKey> {
    if (this.secret) return this.secret;
    await this.db.query(
      `insert into server_settings (key, value) values ('checkin_jwt_secret', $1) on conflict (key) do nothing`,
      [randomBytes(32).toString('base64')],
    );
    const [row] = await this.db.query<{ value: string }>(
      `select value from server_settings where key = 'checkin_jwt_secret'`,
    );
    this.raw = Buffer.from(row?.value ?? '', 'base64');
    this.secret = await webcrypto.subtle.importKey(
      'raw',
      this.raw,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    return this.secret;
  }

  /**
   * Issues (or reissues: the old code and the sessions made with it end) the accounts of enrolled students
   * of the admin's school. Returns the codes — the only time they exist in clear.
   */
  async issue(admin: SyncUser, studentIds: readonly string[] | 'all'): Promise<IssuedAccount[]> {
    if (admin.role !== 'schoolAdmin') throw new AuthError(403, 'ROLE', '学生核验账号由本校学籍管理员生成');
    const now = this.now().toISOString();
    return this.db.transaction(async (tx) => {
      const students = await tx.query<{
        id: string;
        name: string;
        class_id: string;
        status_no: string | null;
      }>(
        `select id, data->>'name' as name, data->>'classId' as class_id, data->>'statusNo' as status_no
           from docs where collection = 'students' and not deleted and school_id = $1
            and data->>'status' = 'enrolled' ${studentIds === 'all' ? '' : 'and id = any($2::text[])'}
          order by data->>'classId', data->>'schoolNo', id`,
        studentIds === 'all' ? [admin.orgId] : [admin.orgId, studentIds],
      );
      if (studentIds !== 'all' && students.length !== new Set(studentIds).size)
        throw new AuthError(400, 'NOT_FOUND', '有学生不在本校在校生名单中，未生成任何账号');
      const out: IssuedAccount[] = [];
      for (let i = 0; i < students.length; i += 2000) {
        const part = students.slice(i, i + 2000).map((s) => ({ ...s, code: newCode() }));
        const logins = await loginsFor(tx, part);
        await tx.query(
          `insert into student_accounts (student_id, login, school_id, code_hash, issued_at, issued_by)
           select s, l, $1, h, $2, $3 from unnest($4::text[], $5::text[], $6::text[]) as u(s, l, h)
           on conflict (student_id) do update set code_hash = excluded.code_hash, issued_at = excluded.issued_at,
             issued_by = excluded.issued_by, disabled = false, school_id = excluded.school_id,
             session_epoch = student_accounts.session_epoch + 1`,
          [
            admin.orgId,
            now,
            admin.id,
            part.map((s) => s.id),
            part.map((s) => logins.get(s.id) ?? s.id),
            part.map((s) => hashCode(s.code)),
          ],
        );
        for (const s of part)
          out.push({
            studentId: s.id,
            name: s.name,
            classId: s.class_id,
            login: logins.get(s.id) ?? s.id,
            code: s.code,
          });
      }
      return out;
    });
  }

  /** The accounts of the admin's school, without codes (which the server does not have). */
  async list(admin: SyncUser) {
    if (admin.role !== 'schoolAdmin') throw new AuthError(403, 'ROLE', '学生核验账号由本校学籍管理员管理');
    const rows = await this.db.query<{
      student_id: string;
      login: string;
      disabled: boolean;
      issued_at: Date | string;
      last_login_at: Date | string | null;
    }>(
      `select student_id, login, disabled, issued_at, last_login_at from student_accounts where school_id = $1`,
      [admin.orgId],
    );
    const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);
    return rows.map((r) => ({
      studentId: r.student_id,
      login: r.login,
      disabled: r.disabled,
      issuedAt: iso(r.issued_at),
      lastLoginAt: iso(r.last_login_at),
    }));
  }

  /** Signs a student in. The same answer for an unknown login and a wrong code (nothing is revealed). */
  async login(
    login: string,
    code: string,
    address: string,
  ): Promise<{ token: string; expiresIn: number; studentId: string }> {
    const key = await this.key();
    const [row] = await this.db.query<{
      student_id: string;
      school_id: string;
      code_hash: string;
      disabled: boolean;
      session_epoch: number;
    }>(
      'select student_id, school_id, code_hash, disabled, session_epoch from student_accounts where login = $1',
      [login],
    );
    const counters: Counter[] = [
      {
        key: counterKey.pair(`checkin:${address}`, login.toLowerCase()),
        rule: { threshold: 10, windowMinutes: 15, lockMinutes: 15 },
        clearOnSuccess: true,
      },
      {
        // A school's phones may share one address: high enough for their typos, far too low to guess 80 bits.
        key: counterKey.address(`checkin:${address}`),
        rule: { threshold: 500, windowMinutes: 15, lockMinutes: 15 },
        clearOnSuccess: false,
      },
    ];
    const outcome = await this.throttle.guard(
      counters,
      async () => row !== undefined && !row.disabled && row.code_hash === hashCode(code),
    );
    if (outcome.kind === 'locked') {
      const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - this.now().getTime()) / 60_000));
      throw new AuthError(429, 'LOCKED', `登录失败次数过多，请 ${minutes} 分钟后再试`, minutes * 60);
    }
    if (outcome.kind === 'failed' || !row) throw new AuthError(401, 'BAD_CREDENTIALS', BAD);
    const now = this.now();
    const iat = Math.floor(now.getTime() / 1000);
    await this.db.query('update student_accounts set last_login_at = $2 where student_id = $1', [
      row.student_id,
      now.toISOString(),
    ]);
    const token = await new SignJWT({ sch: row.school_id, sep: Number(row.session_epoch) })
      .setProtectedHeader({ alg: 'HS256', typ: CHECKIN_TOKEN_TYPE })
      .setSubject(row.student_id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + CHECKIN_TOKEN_SECONDS)
      .setIssuer(CHECKIN_ISSUER)
      .setAudience(CHECKIN_AUDIENCE)
      .setJti(randomUUID())
      .sign(key);
    return { token, expiresIn: CHECKIN_TOKEN_SECONDS, studentId: row.student_id };
  }

  /**
   * Verifies a phone token's signature, audience and age — not yet that its account still holds (the
   * check-in statement checks that in its own round trip: checkin-writer.ts; the other routes call
   * authenticate).
   */
  async verify(token: string | undefined): Promise<StudentSession> {
    if (!token) throw denied();
    let payload: { sub?: unknown; sch?: unknown; sep?: unknown };
    try {
      payload = await this.verifier.verify(token);
    } catch (e) {
      throw e instanceof TokenRefused ? denied() : e;
    }
    if (typeof payload.sub !== 'string' || typeof payload.sch !== 'string' || typeof payload.sep !== 'number')
      throw denied();
    return { studentId: payload.sub, schoolId: payload.sch, epoch: payload.sep };
  }

  /** Verifies a phone token and that its account still holds (not disabled, code not reissued). */
  async authenticate(token: string | undefined): Promise<StudentSession> {
    const session = await this.verify(token);
    const [row] = await this.db.query<{ session_epoch: number; disabled: boolean; school_id: string }>(
      'select session_epoch, disabled, school_id from student_accounts where student_id = $1',
      [session.studentId],
    );
    if (
      !row ||
      row.disabled ||
      Number(row.session_epoch) !== session.epoch ||
      row.school_id !== session.schoolId
    )
      throw denied();
    return session;
  }

  /** Disables accounts of the admin's school (a student who left): their sessions end at once. */
  async disable(admin: SyncUser, studentIds: readonly string[]): Promise<number> {
    if (admin.role !== 'schoolAdmin') throw new AuthError(403, 'ROLE', '学生核验账号由本校学籍管理员管理');
    const rows = await this.db.query(
      `update student_accounts set disabled = true, session_epoch = session_epoch + 1
        where school_id = $1 and student_id = any($2::text[]) returning 1`,
      [admin.orgId, studentIds],
    );
    return rows.length;
  }
}

/** Logins: the 学籍号 where it is free, otherwise "x" + 12 random digits. */
async function loginsFor(
  tx: Sql,
  students: { id: string; status_no: string | null }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = students.filter((s) => s.status_no).map((s) => String(s.status_no));
  const taken = new Map(
    (
      await tx.query<{ login: string; student_id: string }>(
        'select login, student_id from student_accounts where login = any($1::text[])',
        [wanted],
      )
    ).map((r) => [r.login, r.student_id]),
  );
  const existing = new Map(
    (
      await tx.query<{ login: string; student_id: string }>(
        'select login, student_id from student_accounts where student_id = any($1::text[])',
        [students.map((s) => s.id)],
      )
    ).map((r) => [r.student_id, r.login]),
  );
  const used = new Set<string>();
  for (const s of students) {
    const keep = existing.get(s.id);
    if (keep) {
      out.set(s.id, keep);
      continue;
    }
    const no = s.status_no;
    if (no && (!taken.has(no) || taken.get(no) === s.id) && !used.has(no)) {
      out.set(s.id, no);
      used.add(no);
      continue;
    }
    out.set(s.id, `x${String(randomInt(1e6)).padStart(6, '0')}${String(randomInt(1e6)).padStart(6, '0')}`);
  }
  return out;
}
