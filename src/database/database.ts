import { Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { DatabaseUnavailable } from '../common/errors';

/** Anything that runs SQL with `$n` parameters: the pool itself or one transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

type KnexPoolClient = {
  acquireConnection(): Promise<ClientBase>;
  releaseConnection(connection: ClientBase): Promise<void>;
};

export type DatabaseOptions = Readonly<{
  /**
   * A statement with no answer after this long is logged, its caller gets DatabaseUnavailable (503) and the
   * connection is dropped, so the pool opens a fresh one and the instance recovers by itself. Set for the
   * embedded database, which has no server-side statement_timeout and only one connection to lose.
   */
  statementWatchdogMs?: number;
}>;

/**
 * Raw SQL over MikroORM's own connection pool. We use `$n` parameters on the pg client directly
 * (knex expands array bindings and treats `?` as a placeholder, which breaks `unnest($1::text[])` and
 * jsonb `?` operators). Sharing MikroORM's pool matters in embedded mode, where the pool has exactly one
 * connection: every caller goes through it, and a transaction holds it until COMMIT, so code inside
 * `transaction()` must only use the `tx` it is given.
 *
 * Losing the database (no connection within the pool's timeout, a connection that breaks or stops
 * answering) surfaces as DatabaseUnavailable, which every route answers with 503 + Retry-After; SQL
 * errors pass through unchanged.
 */
export class Database implements Queryable {
  private readonly logger = new Logger('database');
  /** Statements sent so far (BEGIN/COMMIT included): /metrics `telemetry_db_statements_total`, idle tests and benches. */
  statementsIssued = 0;

  constructor(
    readonly orm: MikroORM,
    private readonly options: DatabaseOptions = {},
  ) {}

  private get pool(): KnexPoolClient {
    return this.orm.em.getConnection().getKnex().client as unknown as KnexPoolClient;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.withConnection((c) => this.run<T>(c, sql, params));
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.withConnection(async (c) => {
      await this.run(c, 'BEGIN');
      try {
        const result = await work({ query: (sql, params = []) => this.run(c, sql, params) });
        await this.run(c, 'COMMIT');
        return result;
      } catch (err) {
        await this.run(c, 'ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  private async run<T>(connection: ClientBase, sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.statementsIssued += 1;
    const answer = connection.query(sql, params as unknown[]);
    const bound = this.options.statementWatchdogMs;
    if (!bound) return (await answer).rows as T[];
    const timer = setTimeout(() => {
      this.logger.error(`no answer within ${bound} ms to: ${sql.replace(/\s+/g, ' ').slice(0, 300)}; dropping the connection`);
      // pg fails the waiting query with this error and marks the connection dead; the pool replaces it
      (connection as unknown as { connection: { stream: { destroy(err: Error): void } } }).connection.stream.destroy(new DatabaseUnavailable(new Error(`no answer within ${bound} ms`)));
    }, bound);
    try {
      return (await answer).rows as T[];
    } finally {
      clearTimeout(timer);
    }
  }

  private async withConnection<T>(work: (c: ClientBase) => Promise<T>): Promise<T> {
    const pool = this.pool;
    let connection: ClientBase;
    try {
      connection = await pool.acquireConnection();
    } catch (err) {
      throw this.unavailable(err);
    }
    try {
      return await work(connection);
    } catch (err) {
      throw isConnectionFailure(err) ? this.unavailable(err) : err;
    } finally {
      await pool.releaseConnection(connection);
    }
  }

  private unavailable(cause: unknown): DatabaseUnavailable {
    return cause instanceof DatabaseUnavailable ? cause : new DatabaseUnavailable(cause);
  }

  async close(): Promise<void> {
    await this.orm.close(true);
  }
}

/** SQLSTATE classes/codes that mean "the server or the connection", not "this statement". */
const CONNECTION_SQLSTATES = /^(08...|57P0[123]|53300)$/;
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** True for errors of the connection itself (pg reports those as plain Errors without a SQLSTATE). */
export function isConnectionFailure(err: unknown): boolean {
  if (err instanceof DatabaseUnavailable) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_SQLSTATES.test(code) || CONNECTION_ERRNOS.has(code))) return true;
  return /Connection terminated|not queryable|Client was closed|embedded database lost an answer|Timeout acquiring a connection/.test(err.message);
}
