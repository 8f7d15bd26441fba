import { insertSql } from '../../../src/event-log/row-writer';
import { eventIdFromKey, newEventId } from '../../../src/event-log/event';

describe('insertSql', () => {
  it('builds a multi-row insert with numbered parameters', () => {
    expect(insertSql('t', ['a', 'b'], 2)).toBe('INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)');
  });
  it('adds the conflict rule', () => {
    expect(insertSql('t', ['id', 'n'], 1, { target: ['id'], action: 'nothing' })).toBe('INSERT INTO t (id, n) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING');
    expect(insertSql('t', ['id', 'n'], 1, { target: ['id'], action: 'update', set: ['n'] })).toBe(
      'INSERT INTO t (id, n) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n',
    );
  });
});

describe('event ids', () => {
  it('are time-ordered UUID v7s', () => {
    const a = newEventId(1_700_000_000_000);
    const b = newEventId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });
  it('derive the same UUID from the same natural key, a different one otherwise', () => {
    expect(eventIdFromKey('ns', 'k1')).toBe(eventIdFromKey('ns', 'k1'));
    expect(eventIdFromKey('ns', 'k1')).not.toBe(eventIdFromKey('ns', 'k2'));
    expect(eventIdFromKey('ns', 'k1')).not.toBe(eventIdFromKey('other', 'k1'));
    expect(eventIdFromKey('ns', 'k1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
