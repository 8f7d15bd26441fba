import { InvalidInput } from './errors';
import { findUnstorable } from './storable-json';

/**
 * Reading what a request carries, one way everywhere. Bodies arrive as raw bytes (create-app.ts registers
 * a buffer parser for every content type), so each route decides how to decode its own.
 */

/** The raw query string of a request URL, repeated keys preserved (so `get` returns the first, as the specs want). */
export function queryOf(url: string): URLSearchParams {
  const i = url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : url.slice(i + 1));
}

/** An `application/x-www-form-urlencoded` body (console forms); anything that is not bytes reads as empty. */
export function formBody(request: Readonly<{ body?: unknown }>): URLSearchParams {
  return new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
}

export type QueryValues = Readonly<Record<string, string | number | null | undefined>>;

/**
 * `?a=1&b=2` for links that keep a filter: the values of every part in order, a later part overriding an
 * earlier key, empty ones (`''`, null, undefined) left out; `''` when nothing is left.
 */
export function queryString(...parts: readonly QueryValues[]): string {
  const q = new URLSearchParams();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (value === '' || value === null || value === undefined) q.delete(key);
      else q.set(key, String(value));
    }
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * A JSON object body of an API call (admin and console APIs; the collectors decode their own wire formats):
 * strict UTF-8, a JSON object, nothing storage could not hold. An empty body is `{}` when `allowEmpty`.
 */
export function jsonObjectBody(request: Readonly<{ body?: unknown }>, options: Readonly<{ allowEmpty?: boolean }> = {}): Record<string, unknown> {
  const bytes = Buffer.isBuffer(request.body) ? request.body : typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.alloc(0);
  if (bytes.length === 0 && options.allowEmpty) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidInput('body must be a JSON object', 'body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInput('body must be a JSON object', 'body');
  const unstorable = findUnstorable(value);
  if (unstorable) throw new InvalidInput(`body ${unstorable.path} ${unstorable.problem}`, 'body');
  return value as Record<string, unknown>;
}
