import { findGuiltyFrame, FramePair, pairKey } from '../sources/clearlinux/crashes/backtrace';
import { isBacktraceClassification } from '../sources/clearlinux/record/classification';
import type { RecordAccepted } from '../sources/clearlinux/record/record.events';

export type CrashGroup = Readonly<{ key: string; guilty: FramePair; classification: string; build: string }>;

/**
 * The crash group of an accepted record (pure): its guilty (function, module) pair, per the spec's guilty
 * selection. Computed without a never-guilty list — alerting must not wait for, or depend on, the crash
 * projection's editable list; a later never-guilty edit therefore does not re-alert old groups.
 */
export function crashGroupOf(event: RecordAccepted): CrashGroup | null {
  const d = event.data;
  if (!isBacktraceClassification(d.classification)) return null;
  const guilty = findGuiltyFrame(d.payload, new Set<string>());
  if (!guilty) return null;
  return { key: pairKey(guilty.function, guilty.module), guilty, classification: d.classification, build: d.build };
}
