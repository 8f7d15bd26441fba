import { pairKey } from './backtrace';

/** Crash count of one guilty group; `function`/`module` null = crashes without a guilty frame. */
export type GroupCount = Readonly<{ function: string | null; module: string | null; crashes: number }>;

export type GroupChange = Readonly<{
  function: string | null;
  module: string | null;
  before: number;
  after: number;
  /** `new`: did not exist before; `gone`: no crash left; `grew` / `shrank`: count changed. */
  change: 'new' | 'gone' | 'grew' | 'shrank';
}>;

export type GroupDiff = Readonly<{
  totalBefore: number;
  totalAfter: number;
  /** Groups whose count changed, biggest absolute change first. */
  changes: readonly GroupChange[];
  /** Groups that gained crashes (crashes merged into them, or a group split off as new). */
  gained: number;
  /** Groups that lost crashes (split up, or merged away entirely). */
  lost: number;
}>;

/**
 * Pure: what an edit of the never-guilty list did to the guilty groups. Re-processing must conserve
 * counts (clearlinux.md §7.5), so `totalBefore === totalAfter` unless crashes arrived meanwhile.
 */
export function diffGroups(before: readonly GroupCount[], after: readonly GroupCount[]): GroupDiff {
  const key = (g: GroupCount) => (g.function === null ? 'null' : pairKey(g.function, g.module ?? ''));
  const all = new Map<string, { function: string | null; module: string | null; before: number; after: number }>();
  for (const g of before) all.set(key(g), { function: g.function, module: g.module, before: g.crashes, after: 0 });
  for (const g of after) {
    const entry = all.get(key(g)) ?? { function: g.function, module: g.module, before: 0, after: 0 };
    entry.after += g.crashes;
    all.set(key(g), entry);
  }
  const changes: GroupChange[] = [...all.values()]
    .filter((g) => g.before !== g.after)
    .map((g): GroupChange => ({
      ...g,
      change: g.before === 0 ? 'new' : g.after === 0 ? 'gone' : g.after > g.before ? 'grew' : 'shrank',
    }))
    .sort(
      (a, b) =>
        Math.abs(b.after - b.before) - Math.abs(a.after - a.before) ||
        String(a.function).localeCompare(String(b.function)) ||
        String(a.module).localeCompare(String(b.module)),
    );
  const sum = (gs: readonly GroupCount[]) => gs.reduce((n, g) => n + g.crashes, 0);
  return {
    totalBefore: sum(before),
    totalAfter: sum(after),
    changes,
    gained: changes.filter((c) => c.after > c.before).length,
    lost: changes.filter((c) => c.after < c.before).length,
  };
}
