import { Injectable } from '@nestjs/common';
import { Database } from '../../../../database/database';
import { GUILTY_NOTES_TABLE } from './guilty.projection';

export const GuiltiesSql = {
  /**
   * One guilty by id: its notes if it has any, else (visible, no comment) from any crash that names it.
   * A hidden guilty stays reachable here even when no crash in a window does.
   */
  find: `
    SELECT guilty_id AS id, function, module, hidden, comment FROM ${GUILTY_NOTES_TABLE} WHERE guilty_id = $1
    UNION ALL
    SELECT * FROM (
      SELECT guilty_id AS id, guilty_function AS function, guilty_module AS module, false AS hidden, NULL::text AS comment
      FROM crashes WHERE guilty_id = $1 LIMIT 1) c
    LIMIT 1`,
  /** Guilties that admins hid or commented (hidden first), for the hidden list and the API. */
  annotated: `
    SELECT guilty_id AS id, function, module, hidden, comment,
           to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"') AS updated_at
    FROM ${GUILTY_NOTES_TABLE} WHERE hidden OR comment IS NOT NULL
    ORDER BY hidden DESC, function, module`,
} as const;

export type Guilty = Readonly<{ id: string; function: string; module: string; hidden: boolean; comment: string | null }>;
export type AnnotatedGuilty = Guilty & Readonly<{ updated_at: string }>;

/** Guilties (spec clearlinux.md §7.5) with their hidden flag and comment. */
@Injectable()
export class GuiltiesRepository {
  constructor(private readonly db: Database) {}

  async find(id: string): Promise<Guilty | undefined> {
    const [row] = await this.db.query<Guilty>(GuiltiesSql.find, [id]);
    return row;
  }

  annotated(): Promise<AnnotatedGuilty[]> {
    return this.db.query<AnnotatedGuilty>(GuiltiesSql.annotated);
  }
}
