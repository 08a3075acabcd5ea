// Failed-login counters in the database (docs/sync-api.md "Lockout policy"). Every attempt is counted
// BEFORE its password is verified, by one atomic upsert per counter, so parallel attempts cannot
// overtake the limit (finding 4: 64 parallel wrong passwords all got 401, then the right one logged in).
// A success gives its reservation back; a failure keeps it. Counters are keyed by hashes of what they
// count, so the table holds no addresses or usernames, and an unknown account is counted exactly like
// a real one (finding 9: the lockout must not tell which usernames exist).
import { createHash } from 'node:crypto';
import type { Db } from '../store/db';

export type ThrottleRule = {
  /** attempts allowed in one window; the next one is refused and locks the counter */
  threshold: number;
  windowMinutes: number;
  lockMinutes: number;
};

export type Counter = {
  key: string;
  rule: ThrottleRule;
  /** a success clears the counter (the pair or device proved the password) instead of giving one back */
  clearOnSuccess: boolean;
};

/** The outcome of one guarded attempt: ok, failed (the counts stand), or refused until a time. */
export type Guarded = { kind: 'ok' } | { kind: 'failed' } | { kind: 'locked'; until: Date };

const hashKey = (kind: string, ...parts: string[]) =>
  `${kind}:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;

export const counterKey = {
  /** an address trying one account name */
  pair: (ip: string, account: string) => hashKey('pair', ip, account),
  /** a device already registered to the account (only its holder knows its id) */
  device: (deviceRowId: string) => hashKey('dev', deviceRowId),
  address: (ip: string) => hashKey('addr', ip),
  /** an account name as typed (trimmed, lower case), whether or not such an account exists */
  account: (account: string) => hashKey('acct', account),
  /** wrong old passwords on the password change of a signed-in user (a stolen access token) */
  passwordChange: (userId: string) => hashKey('pwd', userId),
};

export const accountName = (username: string) => username.trim().toLowerCase();

type Row = { failures: number; locked_until: Date | string | null };
const toDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /**
   * Counts one attempt, atomically: a fresh or expired counter starts at 1, a live one adds 1, and the
   * attempt past the threshold locks it. While locked nothing is counted. Returns the count this attempt
   * got and the lock, if any.
   */
  async reserve(key: string, rule: ThrottleRule): Promise<{ count: number; lockedUntil: Date | null }> {
    const now = this.now();
    const [row] = await this.db.query<Row>(
      `insert into login_throttle as t (key, failures, window_start, locked_until)
       values ($1, 1, $2::timestamptz, case when 1 > $4::int then $5::timestamptz else null end)
       on conflict (key) do update set
         failures = case when t.locked_until > $2::timestamptz then t.failures
                         when t.locked_until is not null or t.window_start <= $3::timestamptz then 1
                         else t.failures + 1 end,
         window_start = case when t.locked_until > $2::timestamptz then t.window_start
                             when t.locked_until is not null or t.window_start <= $3::timestamptz then $2::timestamptz
                             else t.window_start end,
         locked_until = case when t.locked_until > $2::timestamptz then t.locked_until
                             when t.locked_until is not null or t.window_start <= $3::timestamptz then
                               case when 1 > $4::int then $5::timestamptz else null end
                             when t.failures + 1 > $4::int then $5::timestamptz
                             else null end
       returning failures, locked_until`,
      [
        key,
        now.toISOString(),
        plus(now, -rule.windowMinutes).toISOString(),
        rule.threshold,
        plus(now, rule.lockMinutes).toISOString(),
      ],
    );
    const lockedUntil = toDate(row?.locked_until ?? null);
    return {
      count: Number(row?.failures ?? 0),
      lockedUntil: lockedUntil && lockedUntil > now ? lockedUntil : null,
    };
  }

  /** Gives one reserved attempt back (it succeeded, or a later counter refused it). */
  private async release(key: string): Promise<void> {
    await this.db.query('update login_throttle set failures = greatest(failures - 1, 0) where key = $1', [
      key,
    ]);
  }

  private async clear(key: string): Promise<void> {
    await this.db.query('update login_throttle set failures = 0, locked_until = null where key = $1', [key]);
  }

  /** Locks a counter that reached its threshold with this failure (a lock already running stays). */
  private async lock(key: string, rule: ThrottleRule): Promise<Date> {
    const now = this.now();
    const [row] = await this.db.query<Row>(
      `update login_throttle set locked_until =
         case when locked_until > $2::timestamptz then locked_until else $3::timestamptz end
       where key = $1 returning failures, locked_until`,
      [key, now.toISOString(), plus(now, rule.lockMinutes).toISOString()],
    );
    return toDate(row?.locked_until ?? null) ?? plus(now, rule.lockMinutes);
  }

  /**
   * Runs `verify` under the counters, in order: a locked counter refuses the attempt without verifying
   * (and without counting it on the counters after it, so one throttled address cannot lock the
   * account). A failure that reaches a counter's threshold locks it at once.
   */
  async guard(counters: Counter[], verify: () => Promise<boolean>): Promise<Guarded> {
    const reserved: { counter: Counter; count: number }[] = [];
    for (const counter of counters) {
      const r = await this.reserve(counter.key, counter.rule);
      if (r.lockedUntil) {
        for (const x of reserved) await this.release(x.counter.key);
        return { kind: 'locked', until: r.lockedUntil };
      }
      reserved.push({ counter, count: r.count });
    }
    const ok = await verify().catch(() => false);
    if (ok) {
      for (const { counter } of reserved)
        await (counter.clearOnSuccess ? this.clear(counter.key) : this.release(counter.key));
      return { kind: 'ok' };
    }
    let until: Date | null = null;
    for (const { counter, count } of reserved) {
      if (count < counter.rule.threshold) continue;
      const u = await this.lock(counter.key, counter.rule);
      if (!until || u > until) until = u;
    }
    return until ? { kind: 'locked', until } : { kind: 'failed' };
  }

  /** Drops counters whose window and lock are over, and stream tickets past their life. */
  async prune(maxWindowMinutes: number): Promise<void> {
    const now = this.now();
    await this.db.query(
      'delete from login_throttle where window_start < $1 and (locked_until is null or locked_until < $2)',
      [plus(now, -maxWindowMinutes).toISOString(), now.toISOString()],
    );
    await this.db.query('delete from stream_tickets where expires_at < $1', [now.toISOString()]);
  }
}
