import { NodeLogBuffer } from '../../../src/sources/nodes/node-log.buffer';
import { LogRow } from '../../../src/sources/nodes/nodes.repository';

const row = (n: number, bad = false): LogRow => ({
  peerConnectionId: 1,
  createdAt: '2020-01-01T00:00:00Z',
  receivedAt: '2020-01-01T00:00:00Z',
  tsSource: 'node',
  telemetryId: null,
  logs: JSON.stringify({ n, bad }),
});

function sink(failWhen: (rows: readonly LogRow[]) => boolean = () => false) {
  const batches: number[][] = [];
  const rejected: number[] = [];
  return {
    batches,
    rejected,
    insert: async (rows: readonly LogRow[]) => {
      if (failWhen(rows)) throw new Error('bad row');
      batches.push(rows.map((r) => JSON.parse(r.logs).n));
    },
    reject: async (r: LogRow) => void rejected.push(JSON.parse(r.logs).n),
    stored: () => undefined,
    size: () => undefined,
  };
}

describe('NodeLogBuffer (spec submissions-and-nodes.md §B.6)', () => {
  it('flushes as soon as DB_BATCH_SIZE rows wait', async () => {
    const s = sink();
    const buffer = new NodeLogBuffer(s, { batchSize: 3, latencyMs: 60_000, maxRows: 100 });
    for (let i = 1; i <= 3; i++) buffer.push(row(i));
    await buffer.flush();
    expect(s.batches).toEqual([[1, 2, 3]]);
  });

  it('flushes after DB_SAVE_LATENCY_MS when fewer rows wait', async () => {
    const s = sink();
    const buffer = new NodeLogBuffer(s, { batchSize: 100, latencyMs: 20, maxRows: 1000 });
    buffer.push(row(1));
    buffer.push(row(2));
    expect(s.batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
    expect(s.batches).toEqual([[1, 2]]);
  });

  it('splits a failing batch to isolate the bad row; the others are stored', async () => {
    const s = sink((rows) => rows.some((r) => JSON.parse(r.logs).bad));
    const buffer = new NodeLogBuffer(s, { batchSize: 4, latencyMs: 60_000, maxRows: 100, retryDelayMs: 1 });
    [row(1), row(2), row(3, true), row(4)].forEach((r) => buffer.push(r));
    await buffer.flush();
    expect(s.batches.flat().sort()).toEqual([1, 2, 4]);
    expect(s.rejected).toEqual([3]);
  });

  it('reports full at maxRows and wakes waiters once drained', async () => {
    const s = sink();
    const buffer = new NodeLogBuffer(s, { batchSize: 100, latencyMs: 60_000, maxRows: 2 });
    buffer.push(row(1));
    buffer.push(row(2));
    expect(buffer.full).toBe(true);
    const drained = buffer.onDrain();
    await buffer.flush();
    await drained;
    expect(buffer.full).toBe(false);
    expect(s.batches).toEqual([[1, 2]]);
  });
});
