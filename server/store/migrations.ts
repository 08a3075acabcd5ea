// Versioned SQL migrations, applied in order at start and recorded in schema_migrations. A migration
// is never edited once released: add a new one (STYLE rule 5). The same SQL runs on PGlite and PostgreSQL.
import type { Db } from './db';

export type MigrationStep = { version: number; name: string; sql: string };

export const MIGRATIONS: readonly MigrationStep[] = [
  {
    version: 1,
    name: 'documents, sequence and history',
    sql: `
      -- Every write gets the next value of one sequence: the pull checkpoint (compared as a number).
      create sequence doc_seq as bigint;
      create table docs (
        collection text not null,
        id text not null,
        seq bigint not null,
        school_id text,
        -- "C" collation: org-path prefixes compare byte-wise, so LIKE 'prefix%' is exact and indexable
        org_path text collate "C" not null,
        class_id text,
        deleted boolean not null default false,
        data jsonb not null,
        written_by text not null,
        written_at timestamptz not null default now(),
        primary key (collection, id)
      );
      create unique index docs_seq on docs (seq);
      create index docs_pull on docs (collection, seq);
      create index docs_scope on docs (collection, org_path, seq);
      create index docs_student_idno on docs ((data->>'idNo')) where collection = 'students';
      -- Every accepted write, as written: the server's own record of who changed what (R-WHO).
      create table doc_history (
        seq bigint primary key,
        collection text not null,
        id text not null,
        data jsonb not null,
        written_by text not null,
        device_id text,
        written_at timestamptz not null default now()
      );
      create index doc_history_doc on doc_history (collection, id, seq);
    `,
  },
  {
    version: 2,
    name: 'accounts, devices, refresh tokens, settings',
    sql: `
      create table users (
        id text primary key,
        username text not null unique,
        display_name text not null,
        password_hash text not null,
        role text not null check (role in ('province', 'bureau', 'schoolAdmin', 'counselor', 'inspector')),
        org_id text not null,
        class_ids jsonb not null default '[]',
        enforcement_id text,
        password_changed_at timestamptz not null,
        must_change_password boolean not null default false,
        failed_logins integer not null default 0,
        locked_until timestamptz,
        disabled boolean not null default false,
        created_at timestamptz not null default now()
      );
      create table devices (
        id text primary key,
        user_id text not null references users(id),
        device_id text not null,
        user_agent text,
        ip text,
        first_seen_at timestamptz not null,
        last_seen_at timestamptz not null,
        revoked_at timestamptz,
        revoked_by text,
        unique (user_id, device_id)
      );
      create table refresh_tokens (
        token_hash text primary key,
        user_id text not null references users(id),
        device_row_id text not null references devices(id),
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null
      );
      create index refresh_tokens_device on refresh_tokens (device_row_id);
      create table server_settings (key text primary key, value text not null);
    `,
  },
  {
    version: 3,
    name: 'attachments: resumable uploads and content-addressed blobs',
    sql: `
      create table blobs (
        sha256 text primary key,
        size bigint not null,
        mime text not null,
        data bytea not null,
        created_at timestamptz not null default now()
      );
      -- Which schools may read a blob (content-addressed: one blob, several owners).
      create table blob_owners (
        sha256 text not null,
        school_id text not null,
        org_path text collate "C" not null,
        created_by text not null,
        primary key (sha256, school_id)
      );
      create table uploads (
        sha256 text primary key,
        total bigint not null,
        mime text not null,
        school_id text not null,
        org_path text collate "C" not null,
        created_by text not null,
        created_at timestamptz not null default now()
      );
      create table upload_chunks (
        sha256 text not null,
        start_at bigint not null,
        data bytea not null,
        primary key (sha256, start_at)
      );
    `,
  },
  {
    version: 4,
    name: 'authority: row scopes, registry checks, per-uploader attachment uploads',
    sql: `
      -- The scope the server computed for each row (shared/authority: owner org and class, other parties,
      -- users) and the keys derived from it; pulls filter with scope_keys && the user's read keys.
      -- Existing rows are backfilled at start (server/sync/backfill.ts) while scope is null.
      alter table docs add column scope jsonb;
      alter table docs add column scope_keys text[] not null default '{}';
      create index docs_scope_keys on docs using gin (scope_keys);
      -- Dependents of a record (its events, attachments and conflicts) are re-scoped with it.
      create index docs_entity on docs (collection, (data->>'entityId')) where collection in ('events', 'attachments');
      create index docs_issue_doc on docs ((data->>'docId')) where collection = 'syncIssues';
      create index docs_attachment_sha on docs ((data->>'sha256')) where collection = 'attachments';
      -- R-ONE checks (who, when, which number as a keyed hash, the result; R-WHO) and their rate limit.
      create table registry_checks (
        id bigserial primary key,
        at timestamptz not null,
        user_id text not null,
        id_hash text not null,
        via text not null,
        result text not null,
        counted boolean not null,
        school_id text
      );
      create index registry_checks_user on registry_checks (user_id, at);
      -- Partial uploads belong to their uploader: one school's chunk never touches another's upload.
      create table attachment_uploads (
        sha256 text not null,
        uploader text not null,
        total bigint not null,
        mime text not null,
        school_id text not null,
        created_at timestamptz not null default now(),
        primary key (sha256, uploader)
      );
      create table attachment_upload_chunks (
        sha256 text not null,
        uploader text not null,
        start_at bigint not null,
        data bytea not null,
        primary key (sha256, uploader, start_at)
      );
      -- Who uploaded all bytes of a blob (hash checked): the only way to own content.
      create table blob_uploaders (
        sha256 text not null,
        user_id text not null,
        at timestamptz not null default now(),
        primary key (sha256, user_id)
      );
      insert into blob_uploaders (sha256, user_id) select sha256, created_by from blob_owners on conflict do nothing;
      insert into attachment_uploads (sha256, uploader, total, mime, school_id, created_at)
        select sha256, created_by, total, mime, school_id, created_at from uploads on conflict do nothing;
      insert into attachment_upload_chunks (sha256, uploader, start_at, data)
        select c.sha256, u.created_by, c.start_at, c.data from upload_chunks c join uploads u on u.sha256 = c.sha256
        on conflict do nothing
    `,
  },
  {
    version: 5,
    name: 'sessions: epoch per user, login throttle counters, one-use stream tickets',
    sql: `
      -- A password change, reset or disable bumps the epoch: every access token, refresh token and stream
      -- ticket carries the epoch it was issued under and dies when it no longer matches. Existing rows
      -- start at 0 on both sides, so sessions issued before this migration stay valid until they rotate.
      alter table users add column session_epoch integer not null default 0;
      alter table refresh_tokens add column session_epoch integer not null default 0;
      -- Failed-login counters (docs/sync-api.md "Lockout policy"), keyed by a hash of what they count:
      -- the (address, account) pair, a registered device, an address, an account name (existing or not).
      create table login_throttle (
        key text primary key,
        failures integer not null,
        window_start timestamptz not null,
        locked_until timestamptz
      );
      create index login_throttle_window on login_throttle (window_start);
      -- EventSource cannot send a header: the stream takes a ticket that is stored hashed, lives a minute
      -- and is deleted when used, so nothing in a URL (or a log of it) can open a stream again.
      create table stream_tickets (
        ticket_hash text primary key,
        user_id text not null references users(id),
        device_row_id text not null references devices(id),
        session_epoch integer not null,
        expires_at timestamptz not null
      );
      create index stream_tickets_expiry on stream_tickets (expires_at);
      create index refresh_tokens_user on refresh_tokens (user_id) where used_at is null;
    `,
  },
  {
    version: 7,
    name: 'sync activity per device (when each school last synced)',
    sql: `
      -- When each device last pulled and pushed (written at most once a minute per device): the area
      -- screens' "last sync" of a school is the latest of its users' devices (GET /api/orgs/stats).
      create table sync_activity (
        device_row_id text primary key references devices(id),
        user_id text not null references users(id),
        org_id text not null,
        last_pull_at timestamptz,
        last_push_at timestamptz
      );
      create index sync_activity_org on sync_activity (org_id);
      -- Devices registered before: their last login or token refresh is the last contact known.
      insert into sync_activity (device_row_id, user_id, org_id, last_pull_at)
        select d.id, d.user_id, u.org_id, d.last_seen_at from devices d join users u on u.id = d.user_id
      `,
  },
  {
    version: 11,
    name: 'routine verification: student accounts, check-ins, the roll of each task',
    sql: `
      -- The students' phone accounts (docs/checkin-api.md): one per student, issued by the school. The code is
      -- a random secret of 80 bits shown once; only its SHA-256 is kept (a password hash is for guessable
      -- secrets). A reissued code or a disabled account ends the student's sessions (epoch).
      create table student_accounts (
        student_id text primary key,
        login text not null unique,
        school_id text not null,
        code_hash text not null,
        session_epoch integer not null default 0,
        disabled boolean not null default false,
        issued_at timestamptz not null,
        issued_by text not null,
        last_login_at timestamptz
      );
      create index student_accounts_school on student_accounts (school_id);
      -- The server's copy of each published task, read by every check-in (the document is in docs).
      create table verification_tasks (
        task_id text primary key,
        issuer_org text not null,
        school_ids text[] not null,
        start_at timestamptz not null,
        end_at timestamptz not null,
        fences jsonb not null,
        cancelled boolean not null default false,
        rolled_at timestamptz,
        finalized_at timestamptz
      );
      create index verification_tasks_open on verification_tasks (end_at) where finalized_at is null;
      -- Who a task calls and where each stands (HN 三.4): one row per task and student, written at publish
      -- (pending or exempt) and by every check-in. "changed" marks rows whose state the synced records
      -- (docs, kind record) do not show yet; the results writer clears it.
      create table verification_roll (
        task_id text not null,
        student_id text not null,
        school_id text not null,
        term_key text not null,
        state text not null,
        attempts integer not null default 0,
        passed_at timestamptz,
        last_at timestamptz,
        last_code text,
        last_distance integer,
        -- bumped by every change: the results writer clears "changed" only for the version it wrote
        version integer not null default 0,
        changed boolean not null default true,
        primary key (task_id, student_id)
      );
      create index verification_roll_changed on verification_roll (task_id) where changed;
      create index verification_roll_student on verification_roll (student_id);
      -- Every attempt as it arrived (who, when by the server and by the phone, where, what was decided);
      -- the phone's own id of an attempt makes a replay harmless.
      create table checkins (
        student_id text not null,
        client_id text not null,
        task_id text not null,
        school_id text not null,
        received_at timestamptz not null,
        device_at timestamptz,
        lat double precision not null,
        lng double precision not null,
        accuracy double precision,
        outcome text not null,
        code text,
        distance integer,
        primary key (student_id, client_id)
      );
      create index checkins_task on checkins (task_id, received_at)
    `,
  },
  {
    version: 12,
    name: 'routine verification: records that hang off a student, the server timer',
    sql: `
      -- Leaves, appeals and verification records take the scope of their student and follow it when the
      -- student moves class (sync/effects.ts rescopeDependents).
      create index docs_student_ref on docs (collection, (data->>'studentId'))
        where collection in ('verifications', 'leaves', 'appeals');
      create index docs_verification_kind on docs (collection, (data->>'kind'), (data->>'termKey'))
        where collection = 'verifications';
      -- The last run of each periodic job (the daily evaluation), so a restart does not repeat it at once.
      create table server_jobs (name text primary key, last_run_at timestamptz not null)
    `,
  },
  {
    version: 8,
    name: 'administration: account details and the record of administrative writes',
    sql: `
      -- An inspector's declared conflicts of interest (school ids, R-INSP-RECUSE: the draw reads them), and who
      -- opened and last changed each account. Existing accounts: no conflicts, opened by the seed.
      alter table users add column conflict_school_ids jsonb not null default '[]';
      alter table users add column created_by text;
      alter table users add column updated_at timestamptz;
      alter table users add column updated_by text;
      update users set updated_at = created_at where updated_at is null;
      create index users_org on users (org_id);
      -- Every administrative write (R-WHO): organisations, accounts, password resets, disabling, device
      -- revocations, settings — with who, when, what, before and after (never a secret). Scoped like a synced
      -- row (shared/admin/audit.ts auditScope): the list filters with scope_keys && the reader's keys.
      create table admin_audit (
        id bigserial primary key,
        at timestamptz not null,
        action text not null,
        actor_id text not null,
        actor_name text not null,
        actor_role text not null,
        actor_org_id text not null,
        target_kind text not null,
        target_id text not null,
        target_label text not null,
        target_org_id text not null,
        before jsonb,
        after jsonb,
        via text,
        scope jsonb not null,
        scope_keys text[] not null
      );
      create index admin_audit_keys on admin_audit using gin (scope_keys);
      create index admin_audit_target on admin_audit (target_kind, target_id, id)
    `,
  },
  {
    version: 10,
    name: 'workflows: change requests by student, rows leaving a reader’s scope',
    sql: `
      -- The requests of a student (one open request per student and type, R-ESCALATE, restores): the
      -- ids the request carries, found with jsonb's ?| under a GIN index.
      create index docs_change_students on docs using gin ((data->'studentIds')) where collection = 'changeRequests';
      -- A row whose scope changes (a transferred student, a student moved to another class) leaves the
      -- readers of its old scope: each such write is recorded with the keys the row had and its previous
      -- state (what those readers already hold), and a pull of a reader of those keys who cannot read the
      -- row any more returns that state as a tombstone, so the copy removes it (minors' data does not stay
      -- behind on the sending school's machines, and nothing of the new state reaches them). The sequence
      -- is the write's own (doc_seq), so checkpoints order exits with every other change.
      create table doc_exits (
        seq bigint not null,
        collection text not null,
        id text not null,
        scope_keys text[] not null,
        data jsonb not null,
        primary key (collection, seq, id)
      );
      create index doc_exits_keys on doc_exits using gin (scope_keys);
      -- Rows written before this version whose scope later changes are recorded from then on; no backfill is
      -- needed (no row could change scope before: status, school and class were refused to every push).
      create index docs_change_from on docs ((data->>'fromSchoolId')) where collection = 'changeRequests'
    `,
  },
  {
    version: 13,
    name: 'inspections: the visit packs built for each inspection',
    sql: `
      -- Every visit pack the server built (issue 14 "Before the visit"): who, when, and the roster ids and
      -- the paper-archive states the school claimed, as the pack held them. An inspection's sample is
      -- checked against the roster of the pack it was drawn from, and its archive comparison against these
      -- claims (shared/inspections/workflow.ts); nothing else of the pack is kept here.
      create table inspection_packs (
        inspection_id text not null,
        roster_hash text not null,
        built_at timestamptz not null,
        built_by text not null,
        roster jsonb not null,
        claims jsonb not null,
        primary key (inspection_id, roster_hash)
      );
      -- An inspector's declared conflicts of interest (school ids, R-INSP-RECUSE), which the draw reads.
      -- The same column as the administration's accounts migration; "if not exists" keeps either order.
      alter table users add column if not exists conflict_school_ids jsonb not null default '[]'
    `,
  },
];

/** Applies the migrations not yet recorded, each in its own transaction. Returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  await db.query(`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    // One migrator at a time when several instances start together.
    await tx.query('select pg_advisory_xact_lock(727201)');
    const done = new Set(
      (await tx.query<{ version: number }>('select version from schema_migrations')).map((r) =>
        Number(r.version),
      ),
    );
    // By version: branches developed side by side added theirs in file order, not version order.
    for (const step of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(step.version)) continue;
      for (const statement of splitStatements(step.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        step.version,
        step.name,
      ]);
      applied.push(step.version);
    }
  });
  // Fresh planner statistics at every start (PGlite has no autovacuum daemon).
  await db.query('analyze');
  return applied;
}

/** Splits a migration into statements (the extended protocol takes one statement per query). */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
