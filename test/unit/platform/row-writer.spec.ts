import type { ConflictRule, RowWrite } from '../../../src/event-log/projector';
import { applyWrites, insertSql } from '../../../src/event-log/row-writer';
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
    expect(insertSql('t', ['id', 'at'], 1, { target: ['id'], action: 'greatest', column: 'at' })).toBe(
      'INSERT INTO t (id, at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at WHERE t.at < EXCLUDED.at',
    );
  });
});

describe('applyWrites', () => {
  /** Records the statements instead of running them. */
  const run = async (writes: RowWrite[]) => {
    const sent: { sql: string; params: readonly unknown[] }[] = [];
    await applyWrites({ query: async (sql, params = []) => (sent.push({ sql, params }), []) }, writes);
    return sent;
  };
  const insert = (table: string, id: number, conflict?: ConflictRule): RowWrite => ({ kind: 'insert', table, rows: [{ id, at: id }], conflict });

  it('batches events that each write two tables into one statement per table', async () => {
    const sent = await run([insert('a', 1), insert('b', 1), insert('a', 2), insert('b', 2)]);
    expect(sent).toEqual([
      { sql: 'INSERT INTO a (id, at) VALUES ($1, $2), ($3, $4)', params: [1, 1, 2, 2] },
      { sql: 'INSERT INTO b (id, at) VALUES ($1, $2), ($3, $4)', params: [1, 1, 2, 2] },
    ]);
  });

  it('keeps order around SQL touching the table or not saying which tables it touches', async () => {
    const sql = (tables?: string[]): RowWrite => ({ kind: 'sql', sql: 'X', params: [], tables });
    expect((await run([insert('a', 1), sql(['b']), insert('a', 2)])).map((s) => s.sql)).toEqual(['INSERT INTO a (id, at) VALUES ($1, $2), ($3, $4)', 'X']);
    expect((await run([insert('a', 1), sql(['a']), insert('a', 2)])).map((s) => s.params)).toEqual([[1, 1], [], [2, 2]]);
    expect((await run([insert('a', 1), sql(), insert('a', 2)])).map((s) => s.params)).toEqual([[1, 1], [], [2, 2]]);
  });

  it('sends a repeated key of a greatest-wins upsert in a later statement (one row may not be updated twice)', async () => {
    const greatest: ConflictRule = { target: ['id'], action: 'greatest', column: 'at' };
    const w = (id: number, at: number): RowWrite => ({ kind: 'insert', table: 't', rows: [{ id, at }], conflict: greatest });
    expect((await run([w(1, 5), w(2, 1), w(1, 7), w(1, 6)])).map((s) => s.params)).toEqual([[1, 5, 2, 1], [1, 7], [1, 6]]);
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
