import { gunzipSync } from 'node:zlib';
import { findUnstorable } from '../../../common/storable-json';

export type DecodeErrorType = 'decompress' | 'json' | 'too_large';
export type Decoded =
  | Readonly<{ ok: true; document: unknown; gzip: boolean }>
  | Readonly<{ ok: false; errorType: DecodeErrorType; message: string; gzip: boolean }>;

/**
 * Body → JSON (spec submissions-and-nodes.md §A.5): gzip detected by the magic bytes 1f 8b whatever Content-Encoding says;
 * decompressed size capped; bytes must be valid UTF-8 and one JSON value.
 */
export function decodePayload(body: Buffer, maxDecompressedBytes: number): Decoded {
  const gzip = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  let bytes = body;
  if (gzip) {
    try {
      bytes = gunzipSync(body, { maxOutputLength: maxDecompressedBytes });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/i.test((err as Error).message)) {
        return { ok: false, errorType: 'too_large', message: `decompressed payload larger than ${maxDecompressedBytes} bytes`, gzip };
      }
      return { ok: false, errorType: 'decompress', message: `gzip decompression failed: ${(err as Error).message}`, gzip };
    }
  } else if (body.length > maxDecompressedBytes) {
    return { ok: false, errorType: 'too_large', message: `payload larger than ${maxDecompressedBytes} bytes`, gzip };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, errorType: 'json', message: 'payload is not valid UTF-8', gzip };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    return { ok: false, errorType: 'json', message: `invalid JSON: ${(err as Error).message}`, gzip };
  }
  // Kept as an error with its payload (base64, so it round-trips) rather than as a document no projection could store.
  const unstorable = findUnstorable(document);
  if (unstorable) return { ok: false, errorType: 'json', message: `unstorable JSON: ${unstorable.path} ${unstorable.problem}`, gzip };
  return { ok: true, document, gzip };
}
