import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  decodePayload,
  decodeText,
  replaceNul,
} from '../../../../src/sources/clearlinux/ingest/payload-decoding';
import { rejection } from '../helpers';

const bytes = (...b: number[]) => Buffer.from(b);

describe('decodeText (spec 3.4)', () => {
  it.each([
    ['ASCII', Buffer.from('hello\n'), 'hello\n'],
    ['UTF-8 two-byte', bytes(0x63, 0xc3, 0xa9), 'cé'],
    ['UTF-8 four-byte', Buffer.from('🚀 日本語', 'utf8'), '🚀 日本語'],
    ['invalid UTF-8 falls back to latin-1', bytes(0x63, 0xe9), 'cé'],
    ['latin-1 maps every byte', bytes(0x80, 0xff, 0x41), '\u0080\u00ffA'],
    ['overlong encoding is not UTF-8', bytes(0xc0, 0xaf), '\u00c0\u00af'],
    ['encoded surrogate is not UTF-8', bytes(0xed, 0xa0, 0x80), '\u00ed\u00a0\u0080'],
    ['truncated sequence is not UTF-8', bytes(0x41, 0xe2, 0x82), 'A\u00e2\u0082'],
    ['leading BOM is kept', bytes(0xef, 0xbb, 0xbf, 0x61), '\uFEFFa'],
    ['empty', bytes(), ''],
  ])('%s', (_name, input, expected) => {
    expect(decodeText(input)).toBe(expected);
  });

  it('decodes a Uint8Array view at an offset', () => {
    const backing = new Uint8Array([0xff, 0x68, 0x69, 0xff]);
    expect(decodeText(backing.subarray(1, 3))).toBe('hi');
  });
});

describe('replaceNul', () => {
  it('replaces every U+0000 with U+FFFD', () => {
    expect(replaceNul('a\u0000b\u0000')).toBe('a\uFFFDb\uFFFD');
    expect(replaceNul('plain')).toBe('plain');
  });
});

describe('decodePayload', () => {
  it('replaces NUL in UTF-8 and in latin-1 bodies', () => {
    expect(decodePayload(bytes(0x61, 0x00, 0x62))).toBe('a\uFFFDb');
    expect(decodePayload(bytes(0xe9, 0x00))).toBe('é\uFFFD');
  });

  it('keeps the payload verbatim otherwise (trailing newlines included)', () => {
    expect(decodePayload(Buffer.from('hello\n\n'))).toBe('hello\n\n');
  });

  it('accepts an empty body', () => {
    expect(decodePayload(bytes())).toBe('');
    expect(decodePayload(bytes(), { contentEncoding: 'gzip' })).toBe('');
  });

  it.each([
    ['gzip', (b: Buffer) => gzipSync(b)],
    ['x-gzip', (b: Buffer) => gzipSync(b)],
    ['GZIP', (b: Buffer) => gzipSync(b)],
    ['deflate', (b: Buffer) => deflateSync(b)],
    ['deflate', (b: Buffer) => deflateRawSync(b)],
    ['identity', (b: Buffer) => b],
    ['gzip, identity', (b: Buffer) => gzipSync(b)],
    ['deflate, gzip', (b: Buffer) => gzipSync(deflateSync(b))],
  ])('undoes Content-Encoding %s', (contentEncoding, encode) => {
    expect(decodePayload(encode(Buffer.from('crash ✓\n')), { contentEncoding })).toBe('crash ✓\n');
  });

  it('decodes latin-1 after decompression', () => {
    expect(decodePayload(gzipSync(bytes(0x63, 0xe9)), { contentEncoding: 'gzip' })).toBe('cé');
  });

  it.each([
    ['gzip', Buffer.from('definitely not gzip')],
    ['gzip', gzipSync(Buffer.from('hello world')).subarray(0, 12)],
    ['deflate', Buffer.from('definitely not deflate')],
    ['br', Buffer.from('hello')],
  ])('answers 400 for an undecodable %s body', (contentEncoding, body) => {
    expect(rejection(() => decodePayload(body, { contentEncoding }))).toEqual({
      status: 400,
      message: 'payload could not be decoded',
      reason: 'content_encoding',
    });
  });

  it('defaults the limit to 300 KiB', () => {
    expect(DEFAULT_MAX_PAYLOAD_BYTES).toBe(307200);
    expect(decodePayload(Buffer.alloc(307200, 0x61))).toHaveLength(307200);
    expect(rejection(() => decodePayload(Buffer.alloc(307201, 0x61)))).toEqual({
      status: 413,
      message: 'payload too large',
      reason: 'payload_too_large',
    });
  });

  it('applies a configured limit', () => {
    expect(decodePayload(Buffer.from('12345'), { maxBytes: 5 })).toBe('12345');
    expect(rejection(() => decodePayload(Buffer.from('123456'), { maxBytes: 5 })).status).toBe(413);
  });

  it('measures the limit after decompression', () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x61));
    expect(bomb.length).toBeLessThan(DEFAULT_MAX_PAYLOAD_BYTES);
    expect(rejection(() => decodePayload(bomb, { contentEncoding: 'gzip' })).status).toBe(413);
    expect(rejection(() => decodePayload(deflateSync(Buffer.alloc(100, 0x61)), { contentEncoding: 'deflate', maxBytes: 99 })).status).toBe(413);
    expect(decodePayload(gzipSync(Buffer.alloc(100, 0x61)), { contentEncoding: 'gzip', maxBytes: 100 })).toHaveLength(100);
  });
});
