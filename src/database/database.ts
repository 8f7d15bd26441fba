import { MikroORM } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';

/** Anything that runs SQL with `$n` parameters: the pool itself or one transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

type KnexPoolClient = {
  acquireConnection(): Promise<ClientBase>;
  releaseConnection(connection: ClientBase): Promise<void>;
};

/**
 * Raw SQL over MikroORM's own connection pool. We use `$n` parameters on the pg client directly
 * (knex expands array bindings and treats `?` as a placeholder, which breaks `unnest($1::text[])` and
 * jsonb `?` operators). Sharing MikroORM's pool matters in embedded mode, where the pool has exactly one
 * connection: every caller goes through it, and a transaction holds it until COMMIT, so code inside
 * `transaction()` must only use the `tx` it is given.
 */
export class Database implements Queryable {
  /** Statements sent so far (BEGIN/COMMIT included): /metrics `db_statements_total`, idle tests and benches. */
  statementsIssued = 0;

  constructor(readonly orm: MikroORM) {}

  private get pool(): KnexPoolClient {
    return this.orm.em.getConnection().getKnex().client as unknown as KnexPoolClient;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.withConnection(async (c) => (await this.send(c, sql, params)).rows as T[]);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.withConnection(async (c) => {
      await this.send(c, 'BEGIN');
      try {
        const result = await work({ query: async (sql, params = []) => (await this.send(c, sql, params)).rows });
        await this.send(c, 'COMMIT');
        return result;
      } catch (err) {
        await this.send(c, 'ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  private send(c: ClientBase, sql: string, params: readonly unknown[] = []) {
    this.statementsIssued += 1;
    return c.query(sql, params as unknown[]);
  }

  private async withConnection<T>(work: (c: ClientBase) => Promise<T>): Promise<T> {
    const pool = this.pool;
    const connection = await pool.acquireConnection();
    try {
      return await work(connection);
    } finally {
      await pool.releaseConnection(connection);
    }
  }

  async close(): Promise<void> {
    await this.orm.close(true);
  }
}
