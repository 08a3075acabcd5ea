// One SQL layer over PostgreSQL: embedded PGlite (a data folder, no database server) or a real
// PostgreSQL through pg. Both speak the same SQL and run the same migrations (store/migrations.ts).
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Sql = {
  /**
   * `name` makes it a prepared statement on PostgreSQL: parsed and planned once per connection, not on every
   * call (for a hot statement of fixed text, such as the check-in batch). PGlite has one connection and
   * ignores it.
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
};

export type Db = Sql & {
  kind: 'pglite' | 'pg';
  /** runs `fn` in one transaction; rolls back when it throws */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; NOTIFY payloads of any server instance arrive here */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export type OpenDbOptions = {
  /** postgres://… ; when absent, PGlite in `dataDir` (or in memory when dataDir is absent too) */
  databaseUrl?: string;
  dataDir?: string;
  /** PostgreSQL schema to work in (tests use a fresh schema per file); created when missing */
  schema?: string;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema))
    throw new Error(`数据库 schema 名称无效：${options.schema}`);
  return options.databaseUrl ? openPg(options.databaseUrl, options.schema) : openPglite(options);
}

async function openPglite(options: OpenDbOptions): Promise<Db> {
  const lite = new PGlite(options.dataDir);
  await lite.waitReady;
  if (options.schema) {
    await lite.exec(`create schema if not exists ${options.schema}; set search_path to ${options.schema}`);
  }
  const asSql = (q: { query: PGlite['query'] }): Sql => ({
    async query<T>(text: string, params?: unknown[]) {
      const result = await q.query<T>(text, params as unknown[]);
      return result.rows;
    },
  });
  return {
    kind: 'pglite',
    ...asSql(lite),
    transaction: (fn) => lite.transaction((tx) => fn(asSql(tx))),
    async listen(channel, onPayload) {
      const unlisten = await lite.listen(channel, onPayload);
      return async () => {
        if (!lite.closed) await unlisten();
      };
    },
    async close() {
      if (!lite.closed) await lite.close();
    },
  };
}

async function openPg(url: string, schema?: string): Promise<Db> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's network error must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const listeners: pg.Client[] = [];
  const sql: Sql = {
    async query<T>(text: string, params?: unknown[], name?: string) {
      const result = await pool.query(
        name ? { name, text, values: params as unknown[] } : { text, values: params as unknown[] },
      );
      return result.rows as T[];
    },
  };
  return {
    kind: 'pg',
    ...sql,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          async query<T>(text: string, params?: unknown[]) {
            return (await client.query(text, params as unknown[])).rows as T[];
          },
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
      });
      await client.query(`listen ${channel}`);
      listeners.push(client);
      return async () => {
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}
