import { floorGroups, loadAnalyticsFloor, smallGroups } from '../../../src/common/k-anonymity';

describe('k-anonymity floor', () => {
  type Row = { key: string; day?: string; records: number };
  const merge = (label: string, m: Row[]): Row => ({ key: label, records: m.reduce((a, r) => a + r.records, 0) });
  const machines = new Map([
    ['a', 7],
    ['b', 4],
    ['c', 1],
    ['d', 5],
  ]);

  it('merges every row of a group under k into one "other (n groups)" row at the end, nothing dropped', () => {
    const rows: Row[] = [
      { key: 'a', records: 70 },
      { key: 'b', day: '1', records: 5 },
      { key: 'b', day: '2', records: 6 },
      { key: 'c', records: 1 },
      { key: 'd', records: 9 },
    ];
    const out = floorGroups(rows, { key: (r) => r.key, isEmpty: (r) => r.records === 0, machines, k: 5, merge });
    expect(out).toEqual([{ key: 'a', records: 70 }, { key: 'd', records: 9 }, { key: 'other (2 groups)', records: 12 }]);
    expect(out.reduce((a, r) => a + r.records, 0)).toBe(rows.reduce((a, r) => a + r.records, 0));
  });

  it('keeps empty rows, treats an unknown group as backed by no machine, and is off at k = 1', () => {
    const rows: Row[] = [{ key: 'zero', records: 0 }, { key: 'unknown', records: 3 }];
    expect(floorGroups(rows, { key: (r) => r.key, isEmpty: (r) => r.records === 0, machines, k: 5, merge })).toEqual([{ key: 'zero', records: 0 }, { key: 'other (1 group)', records: 3 }]);
    expect(floorGroups(rows, { key: (r) => r.key, isEmpty: () => false, machines, k: 1, merge })).toEqual(rows);
    expect([...smallGroups(['a', 'b', 'c', 'x'], machines, 5)]).toEqual(['b', 'c', 'x']);
    expect(smallGroups(['a', 'b'], machines, 1).size).toBe(0);
  });

  it('defaults to 5 machines (ANALYTICS_MIN_MACHINES)', () => {
    expect(loadAnalyticsFloor({})).toBe(5);
    expect(loadAnalyticsFloor({ ANALYTICS_MIN_MACHINES: '1' })).toBe(1);
    expect(() => loadAnalyticsFloor({ ANALYTICS_MIN_MACHINES: '0' })).toThrow('ANALYTICS_MIN_MACHINES must be between 1');
  });
});
