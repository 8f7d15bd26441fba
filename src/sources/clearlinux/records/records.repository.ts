import { Injectable } from '@nestjs/common';
import { InvalidInput } from '../../../common/errors';
import { Database, Queryable } from '../../../database/database';
import { type Statement, Where } from '../../../database/where';
import { LIKE_ESCAPE } from '../record/classification';
import type { RecordAcceptedData } from '../record/record.events';
import { type RecordRow, type RecordView, viewFromEvent, viewFromRow } from '../record/record-view';

/** Columns of a RecordRow (timestamps as whole Unix seconds, formatted in JS for every year). */
const ROW_COLUMNS = `id, machine_id, machine_type, arch, build, kernel_version,
  floor(extract(epoch FROM ts_capture))::float8 AS ts_capture_s,
  floor(extract(epoch FROM ts_reception))::float8 AS ts_reception_s,
  severity, classification, record_format_version, payload, board_name, bios_version, cpu_model,
  event_id, external, os_name, payload_format_version`;

/** The temporary table of purged record keys (see `deleteWhere`). */
export const PURGED_RECORDS = 'clr_purged';

export const RecordsSql = {
  /** Block allocation: one round trip hands out `n` ids (gaps after a restart are harmless). */
  allocateIds: `SELECT nextval('clr_record_id_seq')::text AS id FROM generate_series(1, $1::int)`,
  /** Newest copy: the same event id is stored twice only if it was re-accepted after the dedupe window. */
  byLogEventId: `SELECT ${ROW_COLUMNS} FROM records WHERE log_event_id = $1::uuid ORDER BY ts_reception DESC LIMIT 1`,
  /** The event itself: in Postgres mode visible as soon as the first copy's append committed. */
  eventById: `SELECT payload::text AS payload FROM event_log WHERE id = $1::uuid`,
  byId: `SELECT ${ROW_COLUMNS} FROM records WHERE id = $1::bigint LIMIT 1`,
  /** Checks a POSIX regex the way the filters will use it, so a bad one is a 400, not a 500. */
  checkRegex: `SELECT '' ~ $1 AS ok`,
  classifications: `SELECT DISTINCT classification FROM records ORDER BY classification`,
  osNames: `SELECT DISTINCT os_name FROM records ORDER BY os_name`,
  /** Keys of the records a purge removed, for the derived tables (dropped at the end of the transaction). */
  purgedTable: `CREATE TEMP TABLE IF NOT EXISTS ${PURGED_RECORDS} (log_event_id uuid NOT NULL, ts_capture timestamptz NOT NULL, ts_reception timestamptz NOT NULL)
                ON COMMIT DROP`,
  /** Builds per OS; numeric builds first by value descending, then the others by text (clearlinux.md §8.1). */
  buildsPerOs: `
    SELECT os_name, build FROM (SELECT DISTINCT os_name, build FROM records) b
    ORDER BY (build ~ '^[0-9]{1,18}$') DESC,
             CASE WHEN build ~ '^[0-9]{1,18}$' THEN build::bigint END DESC NULLS LAST,
             build DESC`,
} as const;

const MAX_BIGINT = 9223372036854775807n;

/** GET /api/records filter (spec clearlinux.md §9), already validated. */
export type ApiRecordsFilter = Readonly<{
  severity?: number;
  classification?: string;
  build?: string;
  machineId?: string;
  /** ts_reception > now − windowSeconds (capped at 30 days). */
  windowSeconds: number;
  fromId?: string;
  tsCaptureAfter?: number;
  limit: number;
}>;

/** Console records filter (spec clearlinux.md §8.1), already validated. */
export type ConsoleRecordsFilter = Readonly<{
  classificationLike?: string;
  osName?: string;
  build?: string;
  severity?: number;
  machineId?: string;
  payload?: string;
  notPayload?: string;
  fromDate?: string;
  toDate?: string;
  external?: boolean;
}>;

@Injectable()
export class RecordsRepository {
  constructor(private readonly db: Database) {}

  async allocateIds(n: number): Promise<number[]> {
    const rows = await this.db.query<{ id: string }>(RecordsSql.allocateIds, [n]);
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /** The stored record of a logged event: the projected row, else the event in the log, else undefined. */
  async storedRecord(logEventId: string): Promise<RecordView | undefined> {
    const [row] = await this.db.query<RecordRow>(RecordsSql.byLogEventId, [logEventId]);
    if (row) return viewFromRow(row);
    const [logged] = await this.db.query<{ payload: string }>(RecordsSql.eventById, [logEventId]);
    if (logged) return viewFromEvent((JSON.parse(logged.payload) as { data: RecordAcceptedData }).data);
    return undefined;
  }

  async byId(id: string): Promise<RecordView | undefined> {
    const [row] = await this.db.query<RecordRow>(RecordsSql.byId, [id]);
    return row ? viewFromRow(row) : undefined;
  }

  async apiRecords(f: ApiRecordsFilter): Promise<RecordView[]> {
    // Any digits are a valid from_id; past the bigint range nothing can match.
    if (f.fromId !== undefined && BigInt(f.fromId) > MAX_BIGINT) return [];
    const q = RecordsQueries.api(f);
    return (await this.db.query<RecordRow>(q.sql, q.params)).map(viewFromRow);
  }

  /** One console page (id descending); `beforeId` continues a CSV export. */
  async consoleRecords(f: ConsoleRecordsFilter, limit: number, offset: number, beforeId?: number): Promise<RecordView[]> {
    await this.checkRegexes(f);
    const q = RecordsQueries.console(f, limit, offset, beforeId);
    return (await this.db.query<RecordRow>(q.sql, q.params)).map(viewFromRow);
  }

  /** clearlinux.md §8.1: an invalid regex is the caller's mistake (upstream answered 500). */
  async checkRegexes(f: ConsoleRecordsFilter): Promise<void> {
    for (const [name, pattern] of [['payload', f.payload], ['not_payload', f.notPayload]] as const) {
      if (pattern === undefined) continue;
      try {
        await this.db.query(RecordsSql.checkRegex, [pattern]);
      } catch (err) {
        throw new InvalidInput(`${name} is not a valid regular expression: ${(err as Error).message}`, 'regex');
      }
    }
  }

  async filterChoices(): Promise<{ classifications: string[]; osNames: string[]; buildsPerOs: { os_name: string; build: string }[] }> {
    const classifications = (await this.db.query<{ classification: string }>(RecordsSql.classifications)).map((r) => r.classification);
    const osNames = (await this.db.query<{ os_name: string }>(RecordsSql.osNames)).map((r) => r.os_name);
    const buildsPerOs = await this.db.query<{ os_name: string; build: string }>(RecordsSql.buildsPerOs);
    return { classifications, osNames, buildsPerOs };
  }

  /**
   * Runs retention deletes (one statement each) in `tx` and returns how many rows each removed. The keys
   * of the removed records are kept in `clr_purged` until the transaction ends, so the derived tables can
   * drop exactly those records' rows.
   */
  async deleteWhere(tx: Queryable, statements: readonly { sql: string; params: readonly unknown[] }[]): Promise<number[]> {
    await tx.query(RecordsSql.purgedTable);
    const counts: number[] = [];
    for (const s of statements) {
      const rows = await tx.query<{ n: number }>(
        `WITH d AS (${s.sql} RETURNING log_event_id, ts_capture, ts_reception),
              kept AS (INSERT INTO ${PURGED_RECORDS} SELECT * FROM d RETURNING 1)
         SELECT count(*)::int AS n FROM kept`,
        s.params,
      );
      counts.push(rows[0]?.n ?? 0);
    }
    return counts;
  }
}

/** The filtered reads, as pure functions of the filter (rendered for review in src/queries/records.repository.sql). */
export const RecordsQueries = {
  /**
   * GET /api/records. Comparing from_id as bigint (not numeric) keeps the id index usable: measured 4 s →
   * milliseconds over 1M rows.
   */
  api(f: ApiRecordsFilter): Statement {
    const w = new Where();
    w.add((p) => `ts_reception > now() - make_interval(secs => ${p(f.windowSeconds)}::float8)`);
    w.equals('severity', f.severity).equals('classification', f.classification).equals('build', f.build).equals('machine_id', f.machineId);
    if (f.fromId !== undefined) w.add((p) => `id >= ${p(f.fromId)}::bigint`);
    if (f.tsCaptureAfter !== undefined) w.add((p) => `ts_capture > to_timestamp(${p(f.tsCaptureAfter)}::float8)`);
    return { sql: `SELECT ${ROW_COLUMNS} FROM records ${w.sql()} ORDER BY id DESC LIMIT ${w.bind(f.limit)}`, params: w.params };
  },

  console(f: ConsoleRecordsFilter, limit: number, offset: number, beforeId?: number): Statement {
    const w = new Where();
    if (f.classificationLike !== undefined) w.add((p) => `classification LIKE ${p(f.classificationLike)} ESCAPE '${LIKE_ESCAPE}'`);
    w.equals('os_name', f.osName).equals('build', f.build).equals('severity', f.severity).equals('machine_id', f.machineId);
    if (f.payload !== undefined) w.add((p) => `payload ~ ${p(f.payload)}`);
    if (f.notPayload !== undefined) w.add((p) => `payload !~ ${p(f.notPayload)}`);
    if (f.fromDate !== undefined) w.add((p) => `ts_reception >= (${p(f.fromDate)}::date::timestamp AT TIME ZONE 'UTC')`);
    if (f.toDate !== undefined) w.add((p) => `ts_reception < (${p(f.toDate)}::date::timestamp AT TIME ZONE 'UTC')`);
    w.equals('external', f.external);
    if (beforeId !== undefined) w.add((p) => `id < ${p(beforeId)}`);
    const page = `LIMIT ${w.bind(Math.floor(limit))} OFFSET ${w.bind(Math.floor(offset))}`;
    return { sql: `SELECT ${ROW_COLUMNS} FROM records ${w.sql()} ORDER BY id DESC ${page}`, params: w.params };
  },
} as const;
