// The write of check-ins (docs/checkin-api.md): every check-in is judged in the request (window, geofence,
// accuracy, clock: shared/verification/checkin.ts), then written together with the check-ins that arrive
// meanwhile in ONE statement — the account still holds (not disabled, code not reissued, same school), the
// task calls the student, the attempt is new (a replay returns the first answer), the roll row moves as
// nextResult says (a pass is never overridden). One round trip and one commit for a batch instead of two
// round trips and a commit per check-in: this is what lets a province's burst through (issue 13's bench).
//
// Batches form by themselves: while one is being written, the next collects; a lone check-in goes at once.
// A student is in at most one batch in flight (a resend while the first attempt is still being written
// waits for it), so batches never wait for each other's rows; a deadlock with another writer of the roll
// (the results writer, a closing window) rolls the batch back whole and it is written again.
import type { Db } from '../store/db';

export type CheckinInput = {
  taskId: string;
  studentId: string;
  schoolId: string;
  /** the session epoch of the phone's token: a reissued code or a disabled account refuses it */
  epoch: number;
  clientId: string;
  receivedAt: string;
  deviceAt: string | null;
  lat: number;
  lng: number;
  accuracy: number | null;
  outcome: 'pass' | 'fail';
  code: string | null;
  distance: number | null;
};

export type CheckinWritten =
  /** the token's account no longer holds */
  | { kind: 'unauthorized' }
  /** the task does not call this student */
  | { kind: 'notCalled' }
  | { kind: 'recorded'; state: string; attempts: number }
  /** the attempt was recorded before: its first answer (prev* of the attempt stored under this id) */
  | {
      kind: 'replay';
      taskId: string;
      outcome: string;
      code: string | null;
      distance: number | null;
      state: string;
      attempts: number;
    };

type Row = {
  n: number;
  account_ok: boolean;
  before_state: string | null;
  before_attempts: number | null;
  state: string | null;
  attempts: number | null;
  prev_task: string | null;
  prev_outcome: string | null;
  prev_code: string | null;
  prev_distance: number | null;
};

const FINAL = `case when r.state in ('passed', 'exempt', 'appealUpheld') then`;

/** One statement for a batch; the roll update is nextResult (shared/verification/checkin.ts) in SQL. */
const WRITE_SQL = `
with input as (
  select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[],
                       $8::timestamptz[], $9::float8[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::int[])
    as u(n, task_id, student_id, client_id, school_id, epoch, received_at, device_at, lat, lng, accuracy, outcome, code, distance)
),
ok as (
  select i.*, r.state as before_state, r.attempts as before_attempts
    from input i
    join student_accounts a on a.student_id = i.student_id and a.school_id = i.school_id
                           and a.session_epoch = i.epoch and not a.disabled
    left join verification_roll r on r.task_id = i.task_id and r.student_id = i.student_id
),
ins as (
  insert into checkins (student_id, client_id, task_id, school_id, received_at, device_at, lat, lng, accuracy, outcome, code, distance)
  select student_id, client_id, task_id, school_id, received_at, device_at, lat, lng, accuracy, outcome, code, distance
    from ok where before_state is not null
  on conflict (student_id, client_id) do nothing
  returning student_id, client_id
),
upd as (
  update verification_roll r set
    attempts = r.attempts + 1, version = r.version + 1, changed = true,
    state = ${FINAL} r.state
                 when i.outcome = 'pass' then 'passed' when r.state = 'missed' then 'missed' else 'failed' end,
    passed_at = case when r.state not in ('passed', 'exempt', 'appealUpheld') and i.outcome = 'pass'
                     then i.received_at else r.passed_at end,
    last_at = ${FINAL} r.last_at else i.received_at end,
    last_code = ${FINAL} r.last_code when i.outcome = 'pass' then null else i.code end,
    last_distance = ${FINAL} r.last_distance else i.distance end
    from ok i join ins on ins.student_id = i.student_id and ins.client_id = i.client_id
   where r.task_id = i.task_id and r.student_id = i.student_id
  returning i.n, r.state, r.attempts
)
select i.n, ok.n is not null as account_ok, ok.before_state, ok.before_attempts, upd.state, upd.attempts,
       c.task_id as prev_task, c.outcome as prev_outcome, c.code as prev_code, c.distance as prev_distance
  from input i
  left join ok on ok.n = i.n
  left join upd on upd.n = i.n
  left join checkins c on upd.n is null and ok.before_state is not null
                      and c.student_id = i.student_id and c.client_id = i.client_id`;

type Pending = { c: CheckinInput; resolve: (w: CheckinWritten) => void; reject: (e: unknown) => void };

export type CheckinWriterOptions = {
  /** check-ins per statement (default 250) */
  maxBatch?: number;
  /** batches written at the same time (default 3; the pool has 10 connections) */
  concurrency?: number;
  /**
   * A batch beside one in flight waits until this many check-ins are queued (default 32): every statement
   * costs a round trip, a socket write and a commit, and 2,194 statements of 9 check-ins each took the
   * burst's 20,000 where fewer, fuller ones do (issue 13's profile). A lone check-in still goes at once.
   */
  minBatch?: number;
};

const DEADLOCK = '40P01';

export class CheckinWriter {
  private queue: Pending[] = [];
  private readonly inFlight = new Set<string>();
  private running = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly minBatch: number;

  constructor(
    private readonly db: Db,
    o: CheckinWriterOptions = {},
  ) {
    this.maxBatch = o.maxBatch ?? 250;
    this.concurrency = o.concurrency ?? 3;
    this.minBatch = Math.max(1, o.minBatch ?? 32);
  }

  write(c: CheckinInput): Promise<CheckinWritten> {
    return new Promise((resolve, reject) => {
      this.queue.push({ c, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (
      this.running < this.concurrency &&
      this.queue.length > 0 &&
      (this.running === 0 || this.queue.length >= this.minBatch)
    ) {
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      let i = 0;
      for (; i < this.queue.length && batch.length < this.maxBatch; i++) {
        const p = this.queue[i] as Pending;
        if (this.inFlight.has(p.c.studentId)) rest.push(p);
        else {
          this.inFlight.add(p.c.studentId);
          batch.push(p);
        }
      }
      this.queue = i < this.queue.length ? [...rest, ...this.queue.slice(i)] : rest;
      if (batch.length === 0) return;
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        for (const p of batch) this.inFlight.delete(p.c.studentId);
        this.pump();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      const rows = await this.statement(batch.map((p) => p.c));
      const byN = new Map(rows.map((r) => [Number(r.n), r]));
      for (let n = 0; n < batch.length; n++) {
        const p = batch[n] as Pending;
        const r = byN.get(n);
        p.resolve(r ? await this.answer(p.c, r) : { kind: 'unauthorized' });
      }
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  private async statement(cs: readonly CheckinInput[], tries = 3): Promise<Row[]> {
    const col = <K extends keyof CheckinInput>(k: K) => cs.map((c) => c[k]);
    try {
      return await this.db.query<Row>(
        WRITE_SQL,
        [
          cs.map((_, n) => n),
          col('taskId'),
          col('studentId'),
          col('clientId'),
          col('schoolId'),
          col('epoch'),
          col('receivedAt'),
          col('deviceAt'),
          col('lat'),
          col('lng'),
          col('accuracy'),
          col('outcome'),
          col('code'),
          col('distance'),
        ],
        'checkin-write-batch',
      );
    } catch (error) {
      // The statement is atomic: after a deadlock nothing of the batch was written.
      if ((error as { code?: unknown }).code === DEADLOCK && tries > 1) return this.statement(cs, tries - 1);
      throw error;
    }
  }

  private async answer(c: CheckinInput, r: Row): Promise<CheckinWritten> {
    if (!r.account_ok) return { kind: 'unauthorized' };
    if (r.before_state === null) return { kind: 'notCalled' };
    if (r.state !== null) return { kind: 'recorded', state: r.state, attempts: Number(r.attempts) };
    let prev = r.prev_task === null ? undefined : r;
    if (!prev) {
      // The same attempt committed by another server instance after this statement's snapshot was taken.
      const [later] = await this.db.query<Row>(
        `select task_id as prev_task, outcome as prev_outcome, code as prev_code, distance as prev_distance
           from checkins where student_id = $1 and client_id = $2`,
        [c.studentId, c.clientId],
      );
      prev = later ? { ...r, ...later } : undefined;
    }
    return {
      kind: 'replay',
      taskId: prev?.prev_task ?? '',
      outcome: prev?.prev_outcome ?? '',
      code: prev?.prev_code ?? null,
      distance: prev?.prev_distance ?? null,
      state: r.before_state,
      attempts: Number(r.before_attempts),
    };
  }
}
