import { InvalidInput } from '../../../../common/errors';
import { type FramePair, offeredFrames, pairKey } from '../backtrace';

/** Generous: frame lines are payload text (≤ 300 KiB), but a pair longer than this is no frame. */
export const MAX_PAIR_TEXT = 4096;

export type EditPlan = Readonly<{
  mark: FramePair[];
  unmark: FramePair[];
  /** clearlinux.md §7.5 "adding an existing pair is a no-op with a warning" (and removing an absent one likewise). */
  warnings: string[];
}>;

/** Pure: request value → frame pairs, or a 400 naming the field. */
export function parseFramePairs(value: unknown, field: string): FramePair[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidInput(`${field} must be an array of {function, module}`, 'never_guilty');
  return value.map((item, i) => parseFramePair(item, `${field}[${i}]`));
}

export function parseFramePair(item: unknown, field: string): FramePair {
  const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const fn = o.function;
  const module = o.module;
  if (typeof fn !== 'string' || fn.length === 0 || fn.length > MAX_PAIR_TEXT) {
    throw new InvalidInput(`${field}.function must be a non-empty string of at most ${MAX_PAIR_TEXT} characters`, 'never_guilty');
  }
  if (typeof module !== 'string' || module.length > MAX_PAIR_TEXT) {
    throw new InvalidInput(`${field}.module must be a string of at most ${MAX_PAIR_TEXT} characters`, 'never_guilty');
  }
  return { function: fn, module };
}

/** Pure: which requested changes actually change the list (duplicates collapsed, order kept). */
export function planEdit(current: readonly FramePair[], mark: readonly FramePair[], unmark: readonly FramePair[]): EditPlan {
  const listed = new Set(current.map((p) => pairKey(p.function, p.module)));
  const warnings: string[] = [];
  const seen = new Set<string>();
  const keep = (pairs: readonly FramePair[], wanted: boolean, warning: string) =>
    pairs.filter((p) => {
      const key = pairKey(p.function, p.module);
      if (seen.has(key)) return false;
      seen.add(key);
      if (listed.has(key) === wanted) return true;
      warnings.push(`${p.function} - [${p.module}] ${warning}`);
      return false;
    });
  const unmarkPlan = keep(unmark, true, 'is not never-guilty');
  const markPlan = keep(mark, false, 'is already never-guilty');
  return { mark: markPlan, unmark: unmarkPlan, warnings };
}

/**
 * Pure, clearlinux.md §7.5 "edit from one crash": of the crash's offered frames (never `_start()` or libc's
 * `__libc_start_main()`), exactly the checked ones become never-guilty and the unchecked ones stop
 * being. A checked pair that is not one of the offered frames is refused.
 */
export function planFromCrash(frames: readonly FramePair[], checked: readonly FramePair[], current: readonly FramePair[]): EditPlan {
  const offered = offeredFrames(frames);
  const offeredKeys = new Set(offered.map((f) => pairKey(f.function, f.module)));
  const checkedKeys = new Set(checked.map((f) => pairKey(f.function, f.module)));
  for (const c of checked) {
    if (!offeredKeys.has(pairKey(c.function, c.module))) {
      throw new InvalidInput(`never_guilty: ${c.function} - [${c.module}] is not an offered frame of this crash`, 'never_guilty');
    }
  }
  const mark = offered.filter((f) => checkedKeys.has(pairKey(f.function, f.module)));
  const unmark = offered.filter((f) => !checkedKeys.has(pairKey(f.function, f.module)));
  const plan = planEdit(current, mark.map(pair), unmark.map(pair));
  // Leaving an unchecked frame unlisted, or a checked one listed, is what was asked: no warning.
  return { ...plan, warnings: [] };
}

function pair(f: FramePair): FramePair {
  return { function: f.function, module: f.module };
}
