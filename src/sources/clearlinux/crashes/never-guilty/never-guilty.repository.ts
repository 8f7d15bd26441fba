import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '../../../../database/database';
import { type FramePair, neverGuiltyPredicate, pairKey } from '../backtrace';
import type { NeverGuiltyView } from '../crashes.projection';
import { NEVER_GUILTY_TABLE } from './never-guilty.projection';

export const NeverGuiltySql = {
  list: `SELECT function, module, to_char(marked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"') AS marked_at
         FROM ${NEVER_GUILTY_TABLE} ORDER BY module, function`,
  /** A crash whose guilty was chosen with another list than `$1` (start-up only: it may scan the table). */
  groupedWithOther: `SELECT grouped_with FROM crashes WHERE grouped_with <> $1 LIMIT 1`,
} as const;

/** Pure: identity of a never-guilty list, independent of order and duplicates. */
export function neverGuiltyHash(pairs: readonly FramePair[]): string {
  const keys = [...new Set(pairs.map((p) => pairKey(p.function, p.module)))].sort();
  return createHash('sha256').update(JSON.stringify(keys)).digest('hex').slice(0, 16);
}

export type NeverGuiltyRow = FramePair & Readonly<{ marked_at: string }>;

@Injectable()
export class NeverGuiltyRepository {
  constructor(private readonly db: Database) {}

  list(): Promise<NeverGuiltyRow[]> {
    return this.db.query<NeverGuiltyRow>(NeverGuiltySql.list);
  }

  /** The hash of an older list some crashes were grouped with, or null when all match `hash`. */
  async staleGrouping(hash: string): Promise<string | null> {
    const [row] = await this.db.query<{ grouped_with: string }>(NeverGuiltySql.groupedWithOther, [hash]);
    return row?.grouped_with ?? null;
  }
}

/**
 * The never-guilty list the crashes projector uses, held in memory because projections are
 * synchronous. Loaded at start-up and reloaded by each regroup (after the list's projector caught up
 * with the edit), so it is the list "as of now" — see `crashesProjector`.
 */
@Injectable()
export class NeverGuiltyList {
  private view: NeverGuiltyView = { isNeverGuilty: () => false, hash: neverGuiltyHash([]) };
  private size = 0;

  constructor(private readonly repository: NeverGuiltyRepository) {}

  readonly current = (): NeverGuiltyView => this.view;

  get count(): number {
    return this.size;
  }

  async reload(): Promise<void> {
    const rows = await this.repository.list();
    this.view = { isNeverGuilty: neverGuiltyPredicate(rows), hash: neverGuiltyHash(rows) };
    this.size = rows.length;
  }
}
