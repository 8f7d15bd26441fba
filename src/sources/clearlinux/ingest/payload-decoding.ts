import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { InvalidInput, PayloadTooLarge } from '../../../common/errors';

/** Spec clearlinux.md §3.6: 300 KiB of decoded payload; the real client never sends more than 8 KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 300 * 1024;

export type DecodeOptions = Readonly<{
  /** Raw `Content-Encoding` header value, if any. */
  contentEncoding?: string;
  /** Limit on the body bytes after decompression (clearlinux.md §3.6). */
  maxBytes?: number;
}>;

/**
 * Body bytes → stored payload text (spec clearlinux.md §3.4): decompress if asked, enforce the size limit,
 * decode UTF-8 with latin-1 fallback, replace NUL. The body is never form-parsed.
 */
export function decodePayload(body: Uint8Array, options: DecodeOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const bytes = decompressBody(body, options.contentEncoding, maxBytes);
  if (bytes.length > maxBytes) throw new PayloadTooLarge('payload too large', 'payload_too_large');
  return replaceNul(decodeText(bytes));
}

/**
 * Valid UTF-8 → UTF-8 (a leading BOM is kept as U+FEFF, clearlinux.md §3.4), anything else → ISO-8859-1,
 * which maps every byte to U+0000–U+00FF and so never fails.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}

/** PostgreSQL text cannot hold U+0000 (upstream answered 500); U+FFFD keeps the position visible. */
export function replaceNul(text: string): string {
  return text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text;
}

/**
 * Undo `Content-Encoding` (gzip / deflate; not used by the real client, accepted for other
 * senders, clearlinux.md §3.4). Codings are listed in the order applied, so they are undone right to left.
 * Output is capped at maxBytes + 1 so a small compressed body cannot expand without bound.
 */
export function decompressBody(body: Uint8Array, contentEncoding: string | undefined, maxBytes: number): Buffer {
  let bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // An empty body is an empty payload (clearlinux.md §3.4) whatever the header claims.
  if (bytes.length === 0) return bytes;
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  for (const coding of codings.reverse()) bytes = undoCoding(bytes, coding, maxBytes);
  return bytes;
}

function undoCoding(bytes: Buffer, coding: string, maxBytes: number): Buffer {
  const limit = { maxOutputLength: maxBytes + 1 };
  try {
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(bytes, limit);
    if (coding === 'deflate') return inflateDeflate(bytes, limit);
  } catch (err) {
    if (isOutputTooLarge(err)) throw new PayloadTooLarge('payload too large', 'payload_too_large');
    throw new InvalidInput('payload could not be decoded', 'content_encoding');
  }
  // Storing still-encoded bytes as text would be silent corruption.
  throw new InvalidInput('payload could not be decoded', 'content_encoding');
}

/** HTTP `deflate` means zlib-wrapped, but some senders use raw deflate; accept both. */
function inflateDeflate(bytes: Buffer, limit: { maxOutputLength: number }): Buffer {
  try {
    return inflateSync(bytes, limit);
  } catch (err) {
    if (isOutputTooLarge(err)) throw err;
    return inflateRawSync(bytes, limit);
  }
}

function isOutputTooLarge(err: unknown): boolean {
  return err instanceof RangeError || (err as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}
