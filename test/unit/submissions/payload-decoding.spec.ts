import { gzipSync } from 'node:zlib';
import { decodePayload } from '../../../src/sources/submissions/intake/payload-decoding';

describe('decodePayload', () => {
  it('decodes the fixture gzip of {} by magic bytes', () => {
    expect(decodePayload(Buffer.from('H4sIAKnBGlwAA6uuBQBDv6ajAgAAAA==', 'base64'), 1000)).toEqual({ ok: true, document: {}, gzip: true });
  });
  it('plain JSON', () => expect(decodePayload(Buffer.from('{"a":1}'), 1000)).toEqual({ ok: true, document: { a: 1 }, gzip: false }));
  it('a lone surrogate, a NUL or 20,000 levels of nesting is a json error naming where', () => {
    expect(decodePayload(Buffer.from('{"a":{"b":"\\ud800"}}'), 1000)).toEqual({ ok: false, errorType: 'json', message: 'unstorable JSON: /a/b contains an unpaired UTF-16 surrogate', gzip: false });
    expect(decodePayload(Buffer.from('["x\\u0000"]'), 1000)).toMatchObject({ ok: false, errorType: 'json', message: 'unstorable JSON: /0 contains U+0000 (NUL)' });
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    expect(decodePayload(Buffer.from(deep), 100_000)).toMatchObject({ ok: false, errorType: 'json', message: expect.stringContaining('nests deeper than 64 levels') });
  });
  it('empty body is a json error', () => expect(decodePayload(Buffer.alloc(0), 1000)).toMatchObject({ ok: false, errorType: 'json' }));
  it('non-UTF-8 is a json error', () => expect(decodePayload(Buffer.from([0x7b, 0xff, 0x7d]), 1000)).toMatchObject({ ok: false, errorType: 'json' }));
  it('broken gzip is a decompress error', () => {
    expect(decodePayload(Buffer.from([0x1f, 0x8b, 0x00, 0x01]), 1000)).toMatchObject({ ok: false, errorType: 'decompress', gzip: true });
  });
  it('decompressed size over the cap is too_large', () => {
    expect(decodePayload(gzipSync(Buffer.from(JSON.stringify({ a: 'x'.repeat(200) }))), 100)).toMatchObject({ ok: false, errorType: 'too_large' });
  });
});
