import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { pyDatetime } from './csv-exports.repository';
import { Paging, isoTimeOfDay } from './json-exports';

const INSTALLATION = `i.id::float8 AS id, i.master_node_uid, i.structure,
  ${pyDatetime('i.creation_date', 'T')} AS creation_date, ${pyDatetime('i.modification_date', 'T')} AS modification_date,
  i.is_filtered, i.release`;
const OSWL = `o.id::float8 AS id, o.master_node_uid, o.external_id::float8 AS external_id, o.cluster_id::float8 AS cluster_id,
  to_char(o.created_date, 'YYYY-MM-DD') AS created_date, o.updated_time, o.resource_type, o.resource_data, o.resource_checksum, o.version_info`;
const ACTION_LOG = `a.id::float8 AS id, a.master_node_uid, a.external_id::float8 AS external_id, a.body, a.action_type, a.action_name`;
const OSWL_OF = `o.master_node_uid = $1 AND ($2::text IS NULL OR o.resource_type = $2)`;

/** A paged listing: its count, and one page of rows after id `$n`, skipping `$n+1`, at most `$n+2`, by id. */
type PagedSql = Readonly<{ count: string; page: string }>;

/**
 * SQL of the JSON exports (spec fuelstats.md §5.6). Rows are ordered by row id; pages after the first continue from the
 * last id (keyset), so a large `offset`/`limit` costs one skip, not one per chunk.
 */
export const JsonExportsSql = {
  installationInfo: `SELECT ${INSTALLATION} FROM fuel_installations i WHERE i.master_node_uid = $1`,
  filteredInstallations: {
    count: `SELECT count(*)::float8 AS n FROM fuel_installations i WHERE i.is_filtered`,
    page: `SELECT ${INSTALLATION} FROM fuel_installations i WHERE i.is_filtered AND i.id > $1 ORDER BY i.id OFFSET $2 LIMIT $3`,
  },
  oswls: {
    count: `SELECT count(*)::float8 AS n FROM fuel_oswl o WHERE ${OSWL_OF}`,
    page: `SELECT ${OSWL} FROM fuel_oswl o WHERE ${OSWL_OF} AND o.id > $3 ORDER BY o.id OFFSET $4 LIMIT $5`,
  },
  actionLogs: {
    count: `SELECT count(*)::float8 AS n FROM fuel_action_logs a WHERE a.master_node_uid = $1`,
    page: `SELECT ${ACTION_LOG} FROM fuel_action_logs a WHERE a.master_node_uid = $1 AND a.id > $2 ORDER BY a.id OFFSET $3 LIMIT $4`,
  },
  /** A NULL flag counts as not filtered (upstream counted it as filtered). */
  summary: `
    SELECT count(*)::float8 AS total,
           count(*) FILTER (WHERE i.is_filtered IS NOT TRUE)::float8 AS not_filtered,
           count(*) FILTER (WHERE i.is_filtered)::float8 AS filtered,
           (SELECT count(*) FROM fuel_action_logs)::float8 AS action_logs,
           (SELECT count(*) FROM fuel_oswl)::float8 AS oswl_stats
      FROM fuel_installations i`,
} as const;

/** Rows per query: installation rows carry whole structures (MBs each), the others are small. */
const INSTALLATION_CHUNK = 20;
const ROW_CHUNK = 500;

export type Row = Record<string, unknown> & { id: number };
export type Page = Readonly<{ total: number; rows: AsyncIterable<Row> }>;
export type Summary = Readonly<{
  installation_structures: { total: number; not_filtered: number; filtered: number };
  action_logs: { total: number };
  oswl_stats: { total: number };
}>;

@Injectable()
export class JsonExportsRepository {
  constructor(private readonly db: Database) {}

  async installationInfo(uid: string): Promise<Row | undefined> {
    return (await this.db.query<Row>(JsonExportsSql.installationInfo, [uid]))[0];
  }

  filteredInstallations(paging: Paging): Promise<Page> {
    return this.paged(JsonExportsSql.filteredInstallations, [], paging, INSTALLATION_CHUNK);
  }

  /** `updated_time` as a time of day (the stored text may carry a date and zone, fuelstats.md §3.4). */
  oswls(uid: string, resourceType: string | null, paging: Paging): Promise<Page> {
    return this.paged(JsonExportsSql.oswls, [uid, resourceType], paging, ROW_CHUNK, (r) => ({ ...r, updated_time: isoTimeOfDay(String(r.updated_time)) }));
  }

  actionLogs(uid: string, paging: Paging): Promise<Page> {
    return this.paged(JsonExportsSql.actionLogs, [uid], paging, ROW_CHUNK);
  }

  async summary(): Promise<Summary> {
    const [s] = await this.db.query<Record<'total' | 'not_filtered' | 'filtered' | 'action_logs' | 'oswl_stats', number>>(JsonExportsSql.summary);
    return {
      installation_structures: { total: s.total, not_filtered: s.not_filtered, filtered: s.filtered },
      action_logs: { total: s.action_logs },
      oswl_stats: { total: s.oswl_stats },
    };
  }

  private async paged(sql: PagedSql, params: readonly unknown[], paging: Paging, chunk: number, map: (r: Row) => Row = (r) => r): Promise<Page> {
    const [{ n }] = await this.db.query<{ n: number }>(sql.count, params);
    return { total: n, rows: this.chunks(sql.page, params, paging, chunk, map) };
  }

  /** One query per chunk, so no connection is held while the answer is written (embedded mode has one). */
  private async *chunks(sql: string, params: readonly unknown[], paging: Paging, chunk: number, map: (r: Row) => Row): AsyncGenerator<Row> {
    let after = 0;
    let skip = paging.offset;
    for (let remaining = paging.limit; remaining > 0; ) {
      const size = Math.min(chunk, remaining);
      const rows = await this.db.query<Row>(sql, [...params, after, skip, size]);
      for (const r of rows) yield map(r);
      if (rows.length < size) return;
      remaining -= rows.length;
      skip = 0;
      after = rows[rows.length - 1].id;
    }
  }
}
