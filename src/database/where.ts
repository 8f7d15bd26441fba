/**
 * A WHERE clause under construction: each condition receives a `p(value)` that binds the value and returns
 * its `$n` placeholder, so values never enter the SQL text. Column names and operators are the caller's
 * literals. Repositories return the finished `{ sql, params }` from pure functions, which the SQL snapshots
 * in src/queries/ render for review.
 */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: (p: (value: unknown) => string) => string): this {
    this.clauses.push(clause((value) => this.bind(value)));
    return this;
  }

  /** `column = $n` when `value` is given; nothing when it is undefined. */
  equals(column: string, value: unknown): this {
    return value === undefined ? this : this.add((p) => `${column} = ${p(value)}`);
  }

  /** Binds a value outside the WHERE clause (a LIMIT), numbered after the conditions. */
  bind(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** One statement with its parameters, as a repository would send it. */
export type Statement = Readonly<{ sql: string; params: readonly unknown[] }>;
