import { DEFAULT_PAGING, isoTimeOfDay, pagedJson, pagingParams } from '../../../../src/sources/fuel/exports/json-exports';

describe('pagingParams (fuelstats.md §5.6)', () => {
  it.each([
    [undefined, DEFAULT_PAGING],
    ['', DEFAULT_PAGING],
    ['{"limit": 5, "offset": 10}', { limit: 5, offset: 10 }],
    ['{"limit": 5}', { limit: 5, offset: 0 }],
    ['{"offset": "7"}', { limit: 1000, offset: 7 }],
    ['{"limit": 0}', { limit: 0, offset: 0 }],
    ['{"limit": -1, "offset": 2.5}', DEFAULT_PAGING],
    ['{"limit": "ten"}', DEFAULT_PAGING],
    ['not json', DEFAULT_PAGING],
    ['[1, 2]', DEFAULT_PAGING],
    ['null', DEFAULT_PAGING],
    ['5', DEFAULT_PAGING],
    [['{"limit": 5}', '{"limit": 6}'], DEFAULT_PAGING], // the parameter given twice
  ])('%p → %p', (text, expected) => expect(pagingParams(text)).toEqual(expected));
});

describe('pagedJson', () => {
  async function* rows(...r: unknown[]) {
    yield* r;
  }
  const text = async (chunks: AsyncIterable<string>) => {
    let out = '';
    for await (const c of chunks) out += c;
    return JSON.parse(out);
  };
  it('echoes the paging with the total and lists the rows', async () => {
    expect(await text(pagedJson({ limit: 2, offset: 1 }, 5, rows({ id: 2 }, { id: 3 })))).toEqual({ paging_params: { limit: 2, offset: 1, total: 5 }, objs: [{ id: 2 }, { id: 3 }] });
    expect(await text(pagedJson(DEFAULT_PAGING, 0, rows()))).toEqual({ paging_params: { limit: 1000, offset: 0, total: 0 }, objs: [] });
  });
});

describe('isoTimeOfDay: stored updated_time as Python time.isoformat()', () => {
  it.each([
    ['15:51:11.690102', '15:51:11.690102'],
    ['15:51:11', '15:51:11'],
    ['15:51', '15:51:00'],
    ['15:51:11.5', '15:51:11.500000'],
    ['15:51:11.000000', '15:51:11'],
    ['2016-06-01 15:51:11.690102', '15:51:11.690102'],
    ['2016-06-01T15:51:11+02:00', '15:51:11'],
  ])('%s → %s', (stored, iso) => expect(isoTimeOfDay(stored)).toBe(iso));
});
