// The server's own work for routine verification: the results writer (the roll of check-ins into the
// synced records, shortly after check-ins arrive), and a timer that closes ended windows and once a day
// evaluates the consequences again (R-ABSENT-3M grows with time; settings may have changed). Every step
// is idempotent, so several server instances may run it (a closed task is closed once, row-locked).

import { chinaDate } from '../../shared/calendar/china';
import { termFor } from '../../shared/verification/time';
import type { Db } from '../store/db';
import { evaluateStudents, finalizeTasks, flushResults, SERVER_WRITER, underLock } from './service';
import { settingsOf } from './store';

export type VerificationJobOptions = {
  db: Db;
  channel: string;
  now: () => Date;
  /** the delay between a check-in and the write of the results it changed (ms) */
  flushDelayMs?: number;
  /** the timer's period (ms); 0 = no timer (tests call tick()) */
  tickMs?: number;
  log?: (details: object, message: string) => void;
};

export class VerificationJobs {
  private flushTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly o: VerificationJobOptions) {}

  start(): void {
    const ms = this.o.tickMs ?? 60_000;
    if (ms > 0) {
      this.tickTimer = setInterval(() => void this.tick().catch((e) => this.fail(e, 'tick')), ms);
      this.tickTimer.unref();
    }
  }

  private fail(error: unknown, what: string): void {
    const e = error as { code?: unknown; message?: unknown };
    this.o.log?.({ job: what, code: e.code, error: String(e.message ?? e) }, 'verification job failed');
  }

  /** A check-in changed the roll: the results follow within the delay (many check-ins, one write). */
  poke(): void {
    if (this.stopped) return;
    if (this.flushing) {
      this.again = true;
      return;
    }
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush().catch((e) => this.fail(e, 'flush'));
    }, this.o.flushDelayMs ?? 250);
    this.flushTimer.unref();
  }

  /** Writes every pending result now (tests and the timer call it). */
  async flush(): Promise<number> {
    if (this.flushing) {
      this.again = true;
      await this.flushing;
    }
    this.flushing = flushResults(this.o.db, this.o.channel, this.o.now);
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.poke();
      }
    }
  }

  /** Closes ended windows, writes results, and runs the daily evaluation once per Beijing day. */
  async tick(): Promise<{ finalized: string[]; daily: number | null }> {
    const finalized = await finalizeTasks(this.o.db, this.o.channel, this.o.now());
    await this.flush();
    const daily = await this.daily();
    return { finalized, daily };
  }

  /** Once per Beijing day (claimed atomically: one instance runs it): evaluate the current terms again. */
  async daily(force = false): Promise<number | null> {
    const now = this.o.now();
    const today = chinaDate(now.getTime());
    const dayStart = new Date(Date.parse(`${today}T00:00:00.000Z`) - 8 * 3_600_000).toISOString();
    if (!force) {
      await this.o.db.query(
        `insert into server_jobs (name, last_run_at) values ('verification-daily', '1970-01-01') on conflict do nothing`,
      );
      const claimed = await this.o.db.query(
        `update server_jobs set last_run_at = $1 where name = 'verification-daily' and last_run_at < $2 returning 1`,
        [now.toISOString(), dayStart],
      );
      if (claimed.length === 0) return null;
    }
    return evaluateAll(this.o.db, this.o.channel, now);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    await this.flushing?.catch(() => {});
  }
}

/** Every student with a record of the current term or a leave or absence, school by school, in chunks. */
export async function evaluateAll(db: Db, channel: string, now: Date): Promise<number> {
  const schools = await db.query<{ school_id: string }>(
    `select distinct school_id from docs where collection in ('verifications', 'leaves') and school_id is not null`,
  );
  let total = 0;
  const today = chinaDate(now.getTime());
  for (const { school_id } of schools) {
    const settings = (await settingsOf(db, [school_id])).get(school_id);
    if (settings?.org.kind !== 'school') continue;
    const term = termFor(today, settings.term);
    const ids = (
      await db.query<{ student_id: string }>(
        `select distinct data->>'studentId' as student_id from docs
          where school_id = $1 and not deleted and data->>'studentId' is not null
            and ((collection = 'verifications' and data->>'kind' = 'record' and data->>'termKey' = $2)
              or collection = 'leaves')`,
        [school_id, term.key],
      )
    ).map((r) => r.student_id);
    for (let i = 0; i < ids.length; i += 1000) {
      const part = ids.slice(i, i + 1000);
      await underLock(db, channel, (tx, notices) => evaluateStudents(tx, part, now, notices, SERVER_WRITER));
      total += part.length;
    }
  }
  return total;
}
