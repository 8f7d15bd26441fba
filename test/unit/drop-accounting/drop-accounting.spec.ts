import { dropAccounting } from '../../../src/drop-accounting/drop-accounting';

describe('dropAccounting', () => {
  const submissions = { accepted: 5, rows: [{ category: 'rejected', reason: 'uri', n: 2 }, { category: 'errored', reason: 'json', n: 1 }] };
  const nodes = { stored: 7, serverTimestamp: 1, rows: [{ reason: 'invalid_json', n: 3 }] };

  it('sums drops by source and category', () => {
    const d = dropAccounting(submissions, nodes);
    expect(d.submissions).toMatchObject({ received: 8, accepted: 5, dropped: 3, byCategory: { rejected: 2, deduplicated: 0, errored: 1 } });
    expect(d.nodes).toMatchObject({ stored: 7, dropped: 3 });
    expect(d.totalDropped).toBe(6);
    expect(d.notProjected).toEqual({ total: 0, byProjector: {} });
  });

  it('counts events set aside by projectors as stored, not projected (not as dropped)', () => {
    const d = dropAccounting(submissions, nodes, new Map([['fuel-action-logs', 2], ['clearlinux-crashes', 1]]));
    expect(d.notProjected).toEqual({ total: 3, byProjector: { 'clearlinux-crashes': 1, 'fuel-action-logs': 2 } });
    expect(d.totalDropped).toBe(6);
  });
});
