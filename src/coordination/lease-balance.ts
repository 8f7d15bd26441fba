/** One look at the shared database: who holds which lease, and which instances are alive. */
export type LeaseView = Readonly<{
  /** Leases this instance asks for (the same set on every instance of one version). */
  wanted: readonly string[];
  /** Holder (instance id) of every lease held by anyone. */
  holders: ReadonlyMap<string, number>;
  /** Every live instance, this one included. */
  instances: readonly number[];
  me: number;
  /** Leases that were free at the previous look: nobody took them, so they are not anybody's fair share. */
  freeBefore: ReadonlySet<string>;
}>;

export type LeasePlan = Readonly<{ acquire: string[]; release: string[] }>;

/**
 * Simple balancing: every instance aims at ceil(leases / instances). Below that it takes free leases;
 * above it, while some other instance is below, it gives up the surplus, which that one takes at its next
 * look. Leases still free from the previous look are taken regardless (nobody else wants them: an
 * instance that does not run that job, or one that died). Two instances racing for one free lease is
 * settled by the lock itself; the loser simply has one fewer until its next look.
 */
export function planLeases(view: LeaseView, shuffle: <T>(items: T[]) => T[] = (items) => items): LeasePlan {
  const total = view.wanted.length;
  const instances = new Set([...view.instances, view.me]);
  const fair = Math.ceil(total / instances.size);
  const load = new Map([...instances].map((i) => [i, 0]));
  for (const name of view.wanted) {
    const holder = view.holders.get(name);
    if (holder !== undefined && load.has(holder)) load.set(holder, load.get(holder)! + 1);
  }
  const mine = view.wanted.filter((n) => view.holders.get(n) === view.me).sort();
  const free = shuffle(view.wanted.filter((n) => !view.holders.has(n)));

  const acquire: string[] = [];
  let count = mine.length;
  for (const name of free) {
    if (count < fair || view.freeBefore.has(name)) {
      acquire.push(name);
      count += 1;
    }
  }
  const release: string[] = [];
  const othersBelow = [...load].some(([i, n]) => i !== view.me && n < fair);
  if (acquire.length === 0 && othersBelow && mine.length > fair) release.push(...mine.slice(fair));
  return { acquire, release };
}
