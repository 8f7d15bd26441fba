import { MicroBatcher } from '../../../src/event-log/micro-batcher';

describe('MicroBatcher', () => {
  it('groups concurrent submissions and returns each submitter its own result', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      calls.push(items);
      await new Promise((r) => setTimeout(r, 5));
      return items.map((i) => i * 10);
    }, 4, 5);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => batcher.submit(i)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(calls).toEqual([[1, 2, 3, 4], [5, 6]]);
  });

  it('runs one flush at a time and batches what arrived meanwhile', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 10));
      inFlight -= 1;
      return items;
    }, 100, 0);
    const first = batcher.submit(0);
    await new Promise((r) => setTimeout(r, 3)); // the first flush is now in flight
    const rest = Array.from({ length: 20 }, (_, i) => batcher.submit(i + 1));
    await Promise.all([first, ...rest]);
    expect(maxInFlight).toBe(1);
    expect(sizes).toEqual([1, 20]);
  });

  it('rejects every submitter of a failed batch', async () => {
    const batcher = new MicroBatcher<number, number>(async () => {
      throw new Error('disk on fire');
    }, 10, 1);
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('disk on fire');
  });

  it('drain() writes a batch still waiting for company at once and resolves after the running flush', async () => {
    const written: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      await new Promise((r) => setTimeout(r, 20));
      written.push(items);
      return items;
    }, 100, 60_000);
    const first = batcher.submit(1);
    const startedAt = Date.now();
    await batcher.drain();
    expect(written).toEqual([[1]]);
    expect(Date.now() - startedAt).toBeLessThan(10_000); // not after maxWaitMs (a minute)
    await expect(first).resolves.toBe(1);

    // one submitted while a flush is running: drain waits for that flush and then the next one
    const second = batcher.submit(2);
    const draining = batcher.drain(); // [2] is being written from here on
    const third = batcher.submit(3);
    await batcher.drain();
    expect(written).toEqual([[1], [2], [3]]);
    await expect(Promise.all([second, third, draining])).resolves.toEqual([2, 3, undefined]);
    await batcher.drain(); // nothing pending: resolves at once
  });
});
