import { gzipSync } from 'node:zlib';
import { decodePayload } from '../../../src/sources/submissions/intake/payload-decoding';

describe('decodePayload', () => {
  it('decodes the fixture gzip of {} by magic bytes', () => {
    expect(decodePayload(Buffer.from('H4sIAKnBGlwAA6uuBQBDv6ajAgAAAA==', 'base64'), 1000)).toEqual({ ok: true, document: {}, gzip: true });
  });
  it('plain JSON', () => expect(decodePayload(Buffer.from('{"a":1}'), 1000)).toEqual({ ok: true, document: { a: 1 }, gzip: false }));
  it('empty body is a json error', () => expect(decodePayload(Buffer.alloc(0), 1000)).toMatchObject({ ok: false, errorType: 'json' }));
  it('non-UTF-8 is a json error', () => expect(decodePayload(Buffer.from([0x7b, 0xff, 0x7d]), 1000)).toMatchObject({ ok: false, errorType: 'json' }));
  it('broken gzip is a decompress error', () => {
    expect(decodePayload(Buffer.from([0x1f, 0x8b, 0x00, 0x01]), 1000)).toMatchObject({ ok: false, errorType: 'decompress', gzip: true });
  });
  it('decompressed size over the cap is too_large', () => {
    expect(decodePayload(gzipSync(Buffer.from(JSON.stringify({ a: 'x'.repeat(200) }))), 100)).toMatchObject({ ok: false, errorType: 'too_large' });
  });
});
