import { LocalLeases } from '../../../src/coordination/leases';

describe('LocalLeases', () => {
  it('starts work at start, and work registered later at once; stop runs every stop', async () => {
    const leases = new LocalLeases();
    const log: string[] = [];
    leases.runWhileHeld('job:a', () => (log.push('start a'), () => void log.push('stop a')));
    expect(log).toEqual([]);
    await leases.start();
    leases.runWhileHeld('job:b', async () => (log.push('start b'), async () => void log.push('stop b')));
    await new Promise((r) => setImmediate(r));
    expect(leases.heldLeases()).toEqual(['job:a', 'job:b']);
    await leases.stop();
    expect(log).toEqual(['start a', 'start b', 'stop a', 'stop b']);
    expect(leases.heldLeases()).toEqual([]);
  });

  it('withdraw stops only the named work', async () => {
    const leases = new LocalLeases();
    const stopped: string[] = [];
    for (const n of ['x', 'y']) leases.runWhileHeld(n, () => () => void stopped.push(n));
    await leases.start();
    await leases.withdraw(['x']);
    expect(stopped).toEqual(['x']);
    expect(leases.holds('y')).toBe(true);
  });
});
