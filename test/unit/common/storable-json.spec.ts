import { findUnstorable, storableJsonText, storableText, unstorableText } from '../../../src/common/storable-json';

describe('findUnstorable', () => {
  const nested = (depth: number): unknown => {
    let v: unknown = 'leaf';
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  it('accepts ordinary JSON, paired surrogates (emoji) and empty containers', () => {
    expect(findUnstorable({ a: [1, 'x', null, true, { b: '😀 ok' }], c: {}, d: [] })).toBeNull();
    expect(findUnstorable(nested(64))).toBeNull();
  });

  it('names the path of a NUL or a lone surrogate, in values and in keys', () => {
    expect(findUnstorable(JSON.parse('{"a":{"b":["ok","x\\u0000y"]}}'))).toEqual({ path: '/a/b/1', problem: 'contains U+0000 (NUL)' });
    expect(findUnstorable(JSON.parse('{"cluster":{"name":"\\ud800"}}'))).toEqual({ path: '/cluster/name', problem: 'contains an unpaired UTF-16 surrogate' });
    expect(findUnstorable(JSON.parse('{"x":"\\udc00 trailing low"}'))?.path).toBe('/x');
    expect(findUnstorable(JSON.parse('{"bad\\ud83d key":1}'))).toEqual({ path: '/bad\ud83d key', problem: 'key contains an unpaired UTF-16 surrogate' });
    expect(findUnstorable('top\u0000')).toEqual({ path: '/', problem: 'contains U+0000 (NUL)' });
  });

  it('refuses depth beyond the limit without overflowing the stack, even at 20,000 levels', () => {
    expect(findUnstorable(nested(65))?.problem).toBe('nests deeper than 64 levels');
    const deep = JSON.parse('['.repeat(20_000) + ']'.repeat(20_000));
    expect(findUnstorable(deep)?.problem).toBe('nests deeper than 64 levels');
  });

  it('refuses more keys than the limit', () => {
    expect(findUnstorable({ a: [1, 2, 3], b: 4 }, { maxDepth: 64, maxKeys: 4 })?.problem).toBe('holds more than 4 keys and items');
    expect(findUnstorable({ a: [1, 2], b: 4 }, { maxDepth: 64, maxKeys: 4 })).toBeNull();
  });

  it('unstorableText: only NUL and unpaired surrogates', () => {
    expect(unstorableText('plain \u00e9 \ud83d\ude00')).toBeNull();
    expect(unstorableText('\ud83d')).toMatch(/surrogate/);
  });
});

describe('storableText / storableJsonText', () => {
  it('turn NUL and unpaired surrogates into U+FFFD and leave the rest, emoji included', () => {
    expect(storableText('/submit/\u0000/x\ud800/😀')).toBe('/submit/\uFFFD/x\uFFFD/😀');
    expect(JSON.parse(storableJsonText({ ua: 'a\u0000b', list: ['\udc00'] }))).toEqual({ ua: 'a\uFFFDb', list: ['\uFFFD'] });
  });
});
