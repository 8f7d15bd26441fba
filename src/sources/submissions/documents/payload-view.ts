import { gunzipSync } from 'node:zlib';

export type PayloadView = Readonly<{
  bytes: number;
  gzip: boolean;
  /** Decoded text (after gunzip when gzip), invalid UTF-8 replaced; cut at `maxText` characters. */
  text: string | null;
  /** Pretty-printed when the text is JSON. */
  json: string | null;
  /** Hex dump of the first `maxHex` original bytes, 16 per line with offsets. */
  hex: string;
  truncated: boolean;
  note: string | null;
}>;

/** What the raw-payload viewer shows for an error record's original bytes. Pure. */
export function payloadView(payloadBase64: string, maxText = 64 * 1024, maxHex = 4096): PayloadView {
  const raw = Buffer.from(payloadBase64, 'base64');
  const gzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  let decoded: Buffer = raw;
  let note: string | null = null;
  if (gzip) {
    try {
      decoded = gunzipSync(raw, { maxOutputLength: maxText * 4 });
    } catch (err) {
      decoded = Buffer.alloc(0);
      note = `gzip decompression failed: ${(err as Error).message}`;
    }
  }
  const fullText = decoded.length > 0 || !note ? decoded.toString('utf8') : null;
  let json: string | null = null;
  if (fullText !== null) {
    try {
      json = JSON.stringify(JSON.parse(fullText), null, 2);
    } catch {
      json = null;
    }
  }
  const text = fullText === null ? null : fullText.slice(0, maxText);
  return {
    bytes: raw.length,
    gzip,
    text,
    json: json === null ? null : json.slice(0, maxText),
    hex: hexDump(raw.subarray(0, maxHex)),
    truncated: raw.length > maxHex || (fullText?.length ?? 0) > maxText,
    note,
  };
}

function hexDump(bytes: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
