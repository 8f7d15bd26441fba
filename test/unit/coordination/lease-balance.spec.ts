import { LeaseView, planLeases } from '../../../src/coordination/lease-balance';

const names = Array.from({ length: 15 }, (_, i) => `projector:p${String(i).padStart(2, '0')}`);
const view = (over: Partial<LeaseView>): LeaseView => ({ wanted: names, holders: new Map(), instances: [1], me: 1, freeBefore: new Set(), ...over });
const heldBy = (pid: number, list: readonly string[]) => list.map((n) => [n, pid] as const);

describe('planLeases', () => {
  it('takes every lease when it is the only instance', () => {
    expect(planLeases(view({})).acquire).toHaveLength(15);
  });

  it('takes only its fair share when another instance is alive', () => {
    expect(planLeases(view({ instances: [1, 2] })).acquire).toHaveLength(8);
  });

  it('takes nothing when a newcomer finds everything held, and the holder gives up the surplus', () => {
    const holders = new Map(heldBy(1, names));
    expect(planLeases(view({ holders, instances: [1, 2], me: 2 }))).toEqual({ acquire: [], release: [] });
    expect(planLeases(view({ holders, instances: [1, 2], me: 1 })).release).toHaveLength(7);
  });

  it('is stable once balanced', () => {
    const holders = new Map([...heldBy(1, names.slice(0, 8)), ...heldBy(2, names.slice(8))]);
    expect(planLeases(view({ holders, instances: [1, 2], me: 1 }))).toEqual({ acquire: [], release: [] });
    expect(planLeases(view({ holders, instances: [1, 2], me: 2 }))).toEqual({ acquire: [], release: [] });
  });

  it('takes over a dead instance’s leases (their locks vanished with its session)', () => {
    const holders = new Map(heldBy(2, names.slice(8)));
    expect(planLeases(view({ holders, instances: [2], me: 2 })).acquire).toEqual(names.slice(0, 8));
  });

  it('takes leases nobody took since the previous look even beyond its share', () => {
    const holders = new Map(heldBy(1, names.slice(0, 8)));
    const free = names.slice(8);
    expect(planLeases(view({ holders, instances: [1, 2], me: 1 })).acquire).toEqual([]);
    expect(planLeases(view({ holders, instances: [1, 2], me: 1, freeBefore: new Set(free) })).acquire).toEqual(free);
  });

  it('does not give up leases when no other instance has room', () => {
    const holders = new Map([...heldBy(1, names.slice(0, 8)), ...heldBy(2, names.slice(8))]);
    expect(planLeases(view({ holders, instances: [1, 2, 3], me: 1 })).release).toHaveLength(3);
    expect(planLeases(view({ holders, instances: [1, 2], me: 1 })).release).toHaveLength(0);
  });
});
