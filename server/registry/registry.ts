// R-ONE (YQ 四(一), 中职(四)) without an oracle (issue 8 finding 2). Whether an ID number has an active
// record in another school is a fact about a child: a caller learns it at most DEFAULT_REGISTRY_LIMITS
// times per window (duplicates found on push and explicit transfer-in lookups together), never with the
// other child's name, and the other school only when they also gave the matching name. Every such check
// is recorded (who, when, which number — as a keyed hash —, the result; R-WHO) in registry_checks.
import { createHmac, randomBytes } from 'node:crypto';
import { canRead, type RowScope } from '../../shared/authority/relation';
import type { RegistryLimits } from '../../shared/sync/limits';
import type { SyncUser } from '../../shared/sync/protocol';
import { ACTIVE_STATUSES, type ROneFinding } from '../../shared/sync/rules';
import type { Sql } from '../store/db';

export type RegistryResult =
  | { kind: 'none' }
  | (ROneFinding & { schoolId?: string; schoolName?: string; retryAfterSeconds?: number });

export type RegistryQuery = {
  user: SyncUser;
  idNo: string;
  /** the name the caller gave with the number (the school is named only when it matches) */
  name: string;
  /** the caller's own record (a push of an existing student) */
  excludeId?: string;
  via: 'push' | 'lookup';
  now: Date;
  limits: RegistryLimits;
};

/** Names compare without spaces and case (“王 颖瑶” = “王颖瑶”). */
export function sameName(a: string, b: string): boolean {
  const n = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  return n(a) !== '' && n(a) === n(b);
}

/** The HMAC key of the recorded numbers lives in the database, like the token key (every instance). */
async function hashKey(sql: Sql): Promise<Buffer> {
  await sql.query(
    `insert into server_settings (key, value) values ('registry_key', $1) on conflict (key) do nothing`,
    [randomBytes(32).toString('base64')],
  );
  const [row] = await sql.query<{ value: string }>(
    `select value from server_settings where key = 'registry_key'`,
  );
  return Buffer.from(row?.value ?? '', 'base64');
}

export async function idNoHash(sql: Sql, idNo: string): Promise<string> {
  return createHmac('sha256', await hashKey(sql))
    .update(idNo.trim().toUpperCase())
    .digest('hex');
}

async function record(
  sql: Sql,
  q: RegistryQuery,
  result: string,
  counted: boolean,
  schoolId: string | null,
): Promise<void> {
  await sql.query(
    `insert into registry_checks (at, user_id, id_hash, via, result, counted, school_id)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [q.now.toISOString(), q.user.id, await idNoHash(sql, q.idNo), q.via, result, counted, schoolId],
  );
}

/**
 * One R-ONE check, inside the caller's transaction. Over the limit it answers `limited` without looking,
 * so a refusal never depends on whether the number is registered.
 */
export async function registryCheck(sql: Sql, q: RegistryQuery): Promise<RegistryResult> {
  // One user's checks are counted one at a time (parallel lookups cannot overtake the limit).
  await sql.query('select pg_advisory_xact_lock(hashtext($1))', [`registry:${q.user.id}`]);
  const since = new Date(q.now.getTime() - q.limits.windowMinutes * 60_000);
  const [count] = await sql.query<{ n: string; first: Date | string | null }>(
    `select count(*)::text as n, min(at) as first from registry_checks
      where user_id = $1 and counted and at > $2`,
    [q.user.id, since.toISOString()],
  );
  if (Number(count?.n ?? 0) >= q.limits.checks) {
    await record(sql, q, 'limited', false, null);
    const first = count?.first ? new Date(count.first) : q.now;
    const until = first.getTime() + q.limits.windowMinutes * 60_000;
    const retryAfterSeconds = Math.max(1, Math.ceil((until - q.now.getTime()) / 1000));
    return { kind: 'limited', minutes: Math.ceil(retryAfterSeconds / 60), retryAfterSeconds };
  }
  const idNo = q.idNo.trim().toUpperCase();
  const [other] = await sql.query<{
    school_id: string | null;
    name: string;
    scope: RowScope;
    school: string | null;
  }>(
    `select s.school_id, s.data->>'name' as name, s.scope, o.data->>'name' as school from docs s
       left join docs o on o.collection = 'orgs' and o.id = s.school_id
      where s.collection = 'students' and s.data->>'idNo' = $1 and s.id <> $2 and not s.deleted
        and s.data->>'status' = any($3::text[]) limit 1`,
    [idNo, q.excludeId ?? '', ACTIVE_STATUSES],
  );
  if (!other) {
    // A miss on push is an ordinary new record; an explicit lookup is recorded and counted either way.
    if (q.via === 'lookup') await record(sql, q, 'notRegistered', true, null);
    return { kind: 'none' };
  }
  if (other.scope && canRead(q.user, 'students', other.scope)) {
    await record(sql, q, 'visible', false, other.school_id);
    return {
      kind: 'visible',
      otherTitle: `${other.school ?? '本校'}，学生“${other.name}”`,
      ...(other.school_id ? { schoolId: other.school_id, schoolName: other.school ?? other.school_id } : {}),
    };
  }
  const named = sameName(q.name, other.name);
  await record(sql, q, named ? 'registeredNamed' : 'registered', true, named ? other.school_id : null);
  return named && other.school
    ? { kind: 'elsewhere', school: other.school, schoolName: other.school, schoolId: other.school_id ?? '' }
    : { kind: 'elsewhere' };
}
