import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';
import { type Statement, Where } from '../../../database/where';
import { InvalidInput } from '../../../common/errors';

export type DocumentFilter = Readonly<{ namespace?: string; doctype?: string; version?: string; documentId?: string; limit: number }>;
export type ErrorFilter = DocumentFilter & Readonly<{ errorType?: string }>;

export const ERROR_TYPES = ['uri', 'too_large', 'decompress', 'json', 'schema', 'schema_missing', 'duplicate'] as const;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const VERSION = /^[0-9]{1,9}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Query parameters of submissions-and-nodes.md §A.9; an invalid value is a 400, never silently ignored. */
export function parseFilter(query: Readonly<Record<string, unknown>>, withErrorType: boolean): ErrorFilter {
  const known = new Set(['namespace', 'doctype', 'version', 'document_id', 'limit', ...(withErrorType ? ['error_type'] : [])]);
  for (const key of Object.keys(query)) if (!known.has(key)) throw new InvalidInput(`${key} is not a known parameter`);
  const one = (key: string, rule: (v: string) => boolean): string | undefined => {
    const value = query[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !rule(value)) throw new InvalidInput(`${key} is invalid`);
    return value;
  };
  const limit = one('limit', (v) => /^[0-9]{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 1000);
  return {
    namespace: one('namespace', (v) => NAME.test(v))?.toLowerCase(),
    doctype: one('doctype', (v) => NAME.test(v))?.toLowerCase(),
    version: one('version', (v) => VERSION.test(v)),
    documentId: one('document_id', (v) => UUID.test(v))?.toLowerCase(),
    errorType: withErrorType ? one('error_type', (v) => (ERROR_TYPES as readonly string[]).includes(v)) : undefined,
    limit: limit === undefined ? 100 : Number(limit),
  };
}

/** The filtered reads, as pure functions of the filter (rendered for review in src/queries/submissions.repository.sql). */
export const SubmissionsQueries = {
  documents: (filter: DocumentFilter) => page('submission_documents', 'document_id, namespace, doctype, version, metadata, payload::text AS payload', filter),
  errors: (filter: ErrorFilter) =>
    page('submission_errors', 'event_id, received_at, uri, document_id, error_type, error_message, payload_base64, metadata', filter, filter.errorType),
} as const;

/** The count of all matches and one page of them, newest first; column names are literals, values bound. */
function page(table: string, columns: string, filter: DocumentFilter, errorType?: string): { count: Statement; page: Statement } {
  const w = new Where()
    .equals('namespace', filter.namespace)
    .equals('doctype', filter.doctype)
    .equals('version', filter.version)
    .equals('document_id', filter.documentId)
    .equals('error_type', errorType);
  const count = { sql: `SELECT count(*)::int AS n FROM ${table} ${w.sql()}`, params: [...w.params] };
  return { count, page: { sql: `SELECT ${columns} FROM ${table} ${w.sql()} ORDER BY received_at DESC, event_id LIMIT ${w.bind(filter.limit)}`, params: w.params } };
}

const STATS_SQL = `
  SELECT 'accepted' AS kind, count(*)::int AS n FROM submission_documents WHERE ($1::text IS NULL OR namespace = $1)
  UNION ALL
  SELECT error_type AS kind, count(*)::int AS n FROM submission_errors WHERE ($1::text IS NULL OR namespace = $1) GROUP BY error_type`;

/** Accepted documents per namespace per time bucket (console chart, `/api/submissions/counts`). */
const COUNTS_SQL = `
  SELECT namespace, date_trunc($1, received_at) AS bucket, count(*)::int AS n
  FROM submission_documents
  WHERE received_at >= now() - make_interval(hours => $2)
  GROUP BY namespace, bucket
  ORDER BY bucket, namespace`;

const ERROR_BY_ID_SQL = `
  SELECT event_id, received_at, uri, namespace, doctype, version, document_id, error_type, error_message, payload_base64, metadata
  FROM submission_errors WHERE event_id = $1 LIMIT 1`;

/**
 * Drop accounting: every submission that did not become a document, by reason. `rejected` = answered
 * 4xx/202 at receive time (no payload kept), `deduplicated` = a later copy of a known URI, `errored` =
 * acknowledged but failed decoding or validation (payload kept for replay).
 */
const DROPS_SQL = `
  SELECT CASE WHEN error_type = 'duplicate' THEN 'deduplicated'
              WHEN payload_base64 IS NULL THEN 'rejected'
              ELSE 'errored' END AS category,
         error_type AS reason, count(*)::int AS n
  FROM submission_errors
  GROUP BY 1, 2 ORDER BY 1, 2`;
const ACCEPTED_SQL = `SELECT count(*)::int AS n FROM submission_documents`;

export const COUNT_BUCKETS = ['minute', 'hour', 'day'] as const;
export type CountBucket = (typeof COUNT_BUCKETS)[number];
export type DropRow = Readonly<{ category: 'rejected' | 'deduplicated' | 'errored'; reason: string; n: number }>;

export type Page<T> = Readonly<{ count: number; items: T[] }>;

@Injectable()
export class SubmissionsRepository {
  constructor(private readonly db: Database) {}

  async documents(filter: DocumentFilter): Promise<Page<Record<string, unknown>>> {
    const q = SubmissionsQueries.documents(filter);
    const [{ n }] = await this.db.query<{ n: number }>(q.count.sql, q.count.params);
    const rows = await this.db.query<Record<string, unknown>>(q.page.sql, q.page.params);
    return {
      count: n,
      items: rows.map((r) => ({
        document_id: r.document_id,
        namespace: r.namespace,
        doctype: r.doctype,
        version: r.version,
        submission_timestamp: (r.metadata as Record<string, string>).submission_timestamp,
        metadata: r.metadata,
        payload: JSON.parse(r.payload as string),
      })),
    };
  }

  async errors(filter: ErrorFilter): Promise<Page<Record<string, unknown>>> {
    const q = SubmissionsQueries.errors(filter);
    const [{ n }] = await this.db.query<{ n: number }>(q.count.sql, q.count.params);
    const rows = await this.db.query<Record<string, unknown>>(q.page.sql, q.page.params);
    return {
      count: n,
      items: rows.map((r) => ({
        event_id: r.event_id,
        received_at: new Date(r.received_at as string).toISOString(),
        uri: r.uri,
        document_id: r.document_id,
        error_type: r.error_type,
        error_message: r.error_message,
        payload_base64: r.payload_base64,
        metadata: r.metadata,
      })),
    };
  }

  async counts(bucket: CountBucket, hours: number): Promise<{ namespace: string; bucket: string; n: number }[]> {
    const rows = await this.db.query<{ namespace: string; bucket: string | Date; n: number }>(COUNTS_SQL, [bucket, hours]);
    return rows.map((r) => ({ namespace: r.namespace, bucket: new Date(r.bucket).toISOString(), n: r.n }));
  }

  async errorById(eventId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>(ERROR_BY_ID_SQL, [eventId]);
    return row && { ...row, received_at: new Date(row.received_at as string).toISOString() };
  }

  async drops(): Promise<{ accepted: number; rows: DropRow[] }> {
    const [{ n }] = await this.db.query<{ n: number }>(ACCEPTED_SQL);
    return { accepted: n, rows: await this.db.query<DropRow>(DROPS_SQL) };
  }

  /** `errors` excludes duplicates, which are reported on their own (spec submissions-and-nodes.md §A.9). */
  async stats(namespace?: string): Promise<{ accepted: number; duplicates: number; errors: Record<string, number> }> {
    const rows = await this.db.query<{ kind: string; n: number }>(STATS_SQL, [namespace ?? null]);
    const out = { accepted: 0, duplicates: 0, errors: {} as Record<string, number> };
    for (const { kind, n } of rows) {
      if (kind === 'accepted') out.accepted = n;
      else if (kind === 'duplicate') out.duplicates = n;
      else out.errors[kind] = n;
    }
    return out;
  }
}
