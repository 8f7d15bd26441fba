import { gunzipSync } from 'node:zlib';
import { InvalidInput, PayloadTooLarge } from '../../../common/errors';
import { findUnstorable } from '../../../common/storable-json';

/** fuelstats.md §2.1: bodies up to 32 MiB decompressed (a 9.x structure with hardware `meta` is several MB). */
export const FUEL_MAX_BODY_BYTES = 32 * 1024 * 1024;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Decodes a collector POST body (fuelstats.md §2.1): `application/json` (parameters allowed) only, optional gzip,
 * size limit after decompression, strict UTF-8, JSON whose top level is an object. Pure.
 */
export function decodeJsonBody(headers: Headers, body: Buffer | undefined, limit = FUEL_MAX_BODY_BYTES): Record<string, unknown> {
  const contentType = (header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new InvalidInput(`Content-Type must be application/json, got "${contentType || '(none)'}"`, 'content_type');
  }
  let bytes = body ?? Buffer.alloc(0);
  const encoding = (header(headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limit + 1 });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLarge(`body larger than ${limit} bytes`, 'too_large');
      throw new InvalidInput('body is not valid gzip', 'encoding');
    }
  } else if (encoding !== 'identity' && encoding !== '') {
    throw new InvalidInput(`unsupported Content-Encoding "${encoding}"`, 'encoding');
  }
  if (bytes.length > limit) throw new PayloadTooLarge(`body larger than ${limit} bytes`, 'too_large');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InvalidInput('body is not valid UTF-8', 'utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidInput(`body is not valid JSON: ${(err as Error).message}`, 'json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidInput('body must be a JSON object', 'json');
  }
  // Acknowledged, such a body would fail its projector on every retry (jsonb refuses NUL and lone surrogates).
  const unstorable = findUnstorable(parsed);
  if (unstorable) throw new InvalidInput(`body ${unstorable.path} ${unstorable.problem}`, 'json');
  return parsed as Record<string, unknown>;
}
