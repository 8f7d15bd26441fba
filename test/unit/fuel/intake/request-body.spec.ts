import { gzipSync } from 'node:zlib';
import { InvalidInput, PayloadTooLarge } from '../../../../src/common/errors';
import { decodeJsonBody } from '../../../../src/sources/fuel/intake/request-body';

const ct = { 'content-type': 'application/json' };

describe('decodeJsonBody (spec fuelstats.md §2.1)', () => {
  it('parses a JSON object, with content-type parameters and gzip', () => {
    expect(decodeJsonBody(ct, Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeJsonBody({ 'content-type': 'application/json; charset=utf-8' }, Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeJsonBody({ ...ct, 'content-encoding': 'gzip' }, gzipSync('{"a":2}'))).toEqual({ a: 2 });
  });

  it.each([
    ['wrong content type', { 'content-type': 'text/json' }, Buffer.from('{}')],
    ['no content type', {}, Buffer.from('{}')],
    ['empty body', ct, undefined],
    ['invalid JSON', ct, Buffer.from('{')],
    ['null', ct, Buffer.from('null')],
    ['array', ct, Buffer.from('[{}]')],
    ['invalid UTF-8', ct, Buffer.from([0x22, 0xc3, 0x28, 0x22])],
    ['unknown encoding', { ...ct, 'content-encoding': 'br' }, Buffer.from('{}')],
  ])('%s → InvalidInput', (_n, headers, body) => {
    expect(() => decodeJsonBody(headers, body)).toThrow(InvalidInput);
  });

  it('enforces the limit after decompression', () => {
    const body = Buffer.from(`{"a":"${'x'.repeat(100)}"}`);
    expect(() => decodeJsonBody(ct, body, 50)).toThrow(PayloadTooLarge);
    expect(() => decodeJsonBody({ ...ct, 'content-encoding': 'gzip' }, gzipSync(body), 50)).toThrow(PayloadTooLarge);
    expect(decodeJsonBody(ct, body, 200)).toEqual({ a: 'x'.repeat(100) });
  });
});
