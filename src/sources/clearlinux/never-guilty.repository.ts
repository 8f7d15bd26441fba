import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { type FramePair, neverGuiltyPredicate } from './backtrace';
import { NEVER_GUILTY_TABLE } from './never-guilty.projection';

export const NeverGuiltySql = {
  list: `SELECT function, module, to_char(marked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"') AS marked_at
         FROM ${NEVER_GUILTY_TABLE} ORDER BY module, function`,
} as const;

export type NeverGuiltyRow = FramePair & Readonly<{ marked_at: string }>;

@Injectable()
export class NeverGuiltyRepository {
  constructor(private readonly db: Database) {}

  list(): Promise<NeverGuiltyRow[]> {
    return this.db.query<NeverGuiltyRow>(NeverGuiltySql.list);
  }
}

/**
 * The never-guilty list the crashes projector uses, held in memory because projections are
 * synchronous. Loaded at start-up and reloaded by each regroup (after the list's projector caught up
 * with the edit), so it is the list "as of now" — see `crashesProjector`.
 */
@Injectable()
export class NeverGuiltyList {
  private predicate: (frame: FramePair) => boolean = () => false;
  private size = 0;

  constructor(private readonly repository: NeverGuiltyRepository) {}

  readonly current = (): ((frame: FramePair) => boolean) => this.predicate;

  get count(): number {
    return this.size;
  }

  async reload(): Promise<void> {
    const rows = await this.repository.list();
    this.predicate = neverGuiltyPredicate(rows);
    this.size = rows.length;
  }
}
