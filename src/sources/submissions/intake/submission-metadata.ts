import type { GeoFields } from './geoip';
import { parseUserAgent } from './user-agent';
import { SubmitUri } from './submit-uri';

/** Request headers copied into metadata (gcp edge default list, spec submissions-and-nodes.md §A.3); name lower-cased, `-` → `_`. */
export const KEPT_HEADERS = [
  'content-length',
  'date',
  'dnt',
  'user-agent',
  'x-forwarded-for',
  'x-pingsender-version',
  'x-pipeline-proxy',
  'x-debug-id',
  'x-foxsec-ip-reputation',
  'x-lb-tags',
  'x-source-tags',
  'x-telemetry-agent',
] as const;

/** Pub/Sub's 1024-byte attribute cap, kept by the gcp edge as a 431 (spec submissions-and-nodes.md §A.3). */
export const MAX_ATTRIBUTE_BYTES = 1024;

export type Metadata = Readonly<Record<string, string>>;
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The first kept header (or the query string) over 1024 bytes, if any. */
export function oversizeAttribute(headers: Headers, args: string): string | undefined {
  if (Buffer.byteLength(args, 'utf8') > MAX_ATTRIBUTE_BYTES) return 'query string';
  return KEPT_HEADERS.find((name) => Buffer.byteLength(headerValue(headers, name) ?? '', 'latin1') > MAX_ATTRIBUTE_BYTES);
}

/**
 * submissions-and-nodes.md §A.7 metadata: URI attributes, user-agent fields (the raw string is dropped), geo (looked up by the
 * caller from the client IP; absent fields and country "??" when unknown), copied headers. The client IP
 * (X-Forwarded-For / socket address) is consumed by the geo step and never returned.
 */
export function buildMetadata(input: {
  receivedAt: string;
  headers: Headers;
  args: string;
  uri?: Partial<SubmitUri>;
  documentVersion?: string;
  gzip?: boolean;
  geo?: GeoFields;
}): Metadata {
  const { headers, uri } = input;
  const out: Record<string, string> = { submission_timestamp: microsecondTimestamp(input.receivedAt) };
  if (uri?.namespace) out.document_namespace = uri.namespace;
  if (uri?.doctype) out.document_type = uri.doctype;
  const version = input.documentVersion ?? (uri && 'version' in uri ? uri.version : undefined);
  if (version) out.document_version = version;
  if (uri?.docid) out.document_id = uri.docid;
  if (uri && uri.form === 'telemetry') {
    Object.assign(out, { app_name: uri.appName, app_version: uri.appVersion, app_update_channel: uri.appUpdateChannel, app_build_id: uri.appBuildId });
  }
  const geo = input.geo ?? {};
  if (geo.country) out.geo_country = geo.country;
  if (geo.subdivision1) out.geo_subdivision1 = geo.subdivision1;
  if (geo.subdivision2) out.geo_subdivision2 = geo.subdivision2;
  if (geo.city) out.geo_city = geo.city;
  out.normalized_country_code = geo.country ?? '??';
  Object.assign(out, parseUserAgent(headerValue(headers, 'user-agent')));
  if (input.gzip) out.client_compression = 'gzip';
  for (const name of KEPT_HEADERS) {
    if (name === 'user-agent' || name === 'x-forwarded-for' || name === 'x-pipeline-proxy') continue;
    const value = headerValue(headers, name);
    if (value !== undefined && Buffer.byteLength(value, 'latin1') <= MAX_ATTRIBUTE_BYTES) out[name.replaceAll('-', '_')] = value;
  }
  if (input.args && Buffer.byteLength(input.args, 'utf8') <= MAX_ATTRIBUTE_BYTES) out.args = input.args;
  const host = headerValue(headers, 'host');
  if (host !== undefined) out.host = host;
  return out;
}

/** `2018-03-12T21:02:18.123456Z` (spec submissions-and-nodes.md §A.7; the clock has millisecond resolution, so the last 3 digits are 0). */
export function microsecondTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Node hands header values over as ISO-8859-1 strings; re-read them as UTF-8 when they are valid UTF-8,
 * else keep the ISO-8859-1 reading (the gcp edge does this so every value re-encodes safely).
 */
export function headerValue(headers: Headers, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  if (value === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}
