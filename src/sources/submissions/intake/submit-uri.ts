/**
 * Pure parsing of `/submit/...` paths (spec submissions-and-nodes.md §A.2). Upstream edge never parses the URI; here it is
 * validated at receive time so the client gets a 4xx, and the rejection is still recorded (submissions-and-nodes.md §A.8).
 */
export const SUBMIT_PREFIX = '/submit/';
export const MAX_PATH_BYTES = 10_240; // 2013 server's max_path_length

export type GenericUri = Readonly<{
  form: 'generic';
  namespace: string;
  doctype: string;
  version: string;
  docid: string;
}>;

export type TelemetryUri = Readonly<{
  form: 'telemetry';
  namespace: 'telemetry';
  doctype: string;
  docid: string;
  appName: string;
  appVersion: string;
  appUpdateChannel: string;
  appBuildId: string;
}>;

export type SubmitUri = GenericUri | TelemetryUri;

export type UriOutcome =
  | Readonly<{ ok: true; uri: SubmitUri }>
  | Readonly<{ ok: false; status: 400 | 404 | 414; message: string; partial: Partial<Record<'namespace' | 'doctype' | 'version' | 'docid', string>> }>;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const VERSION = /^[0-9]{1,9}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const APP_ELEMENT = /^[\x20-\x2e\x30-\x7e]{1,100}$/; // printable ASCII without '/'

/** `path` is the request path without the query string, exactly as received (no percent-decoding). */
export function parseSubmitUri(path: string): UriOutcome {
  if (!path.startsWith(SUBMIT_PREFIX)) return fail(404, 'unknown URI prefix');
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) return fail(414, `URI longer than ${MAX_PATH_BYTES} bytes`);
  const elements = path.slice(SUBMIT_PREFIX.length).split('/');
  if (elements[0].toLowerCase() === 'telemetry') return parseTelemetry(elements.slice(1));
  return parseGeneric(elements);
}

function parseGeneric(elements: string[]): UriOutcome {
  const [namespace, doctype, version, docid] = elements;
  const partial = { namespace: namespace?.toLowerCase(), doctype: doctype?.toLowerCase(), version, docid: docid?.toLowerCase() };
  if (elements.length !== 4) return fail(400, countMessage(elements.length, 4), partial);
  if (!NAME.test(namespace)) return fail(400, 'namespace must be 1-64 characters of [A-Za-z0-9._-]', partial);
  if (!NAME.test(doctype)) return fail(400, 'doctype must be 1-64 characters of [A-Za-z0-9._-]', partial);
  if (!VERSION.test(version)) return fail(400, 'version must be 1-9 digits', partial);
  if (!UUID.test(docid)) return fail(400, 'Entry in document_id place is not a valid UUID', partial);
  return {
    ok: true,
    uri: { form: 'generic', namespace: namespace.toLowerCase(), doctype: doctype.toLowerCase(), version, docid: docid.toLowerCase() },
  };
}

function parseTelemetry(elements: string[]): UriOutcome {
  const [docid, doctype, appName, appVersion, appUpdateChannel, appBuildId] = elements;
  const partial = { namespace: 'telemetry', doctype: doctype?.toLowerCase(), docid: docid?.toLowerCase() };
  if (elements.length !== 6) return fail(400, countMessage(elements.length, 6), partial);
  if (!UUID.test(docid)) return fail(400, 'Entry in document_id place is not a valid UUID', partial);
  if (!NAME.test(doctype)) return fail(400, 'doctype must be 1-64 characters of [A-Za-z0-9._-]', partial);
  for (const [name, value] of Object.entries({ appName, appVersion, appUpdateChannel, appBuildId })) {
    if (!APP_ELEMENT.test(value)) return fail(400, `${name} must be 1-100 printable ASCII characters`, partial);
  }
  return {
    ok: true,
    uri: { form: 'telemetry', namespace: 'telemetry', doctype: doctype.toLowerCase(), docid: docid.toLowerCase(), appName, appVersion, appUpdateChannel, appBuildId },
  };
}

function countMessage(found: number, expected: number): string {
  return `Found ${found - expected} more path elements in the URI than expected for this endpoint`;
}

function fail(status: 400 | 404 | 414, message: string, partial: Record<string, string | undefined> = {}): UriOutcome {
  const kept = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
  return { ok: false, status, message, partial: kept };
}
