import { newEventId, TelemetryEvent } from '../../../event-log/event';
import type { FramePair } from './backtrace';

export const CRASH_REPROCESS_REQUESTED = 'clearlinux.crash.reprocess-requested';

export type CrashReprocessRequested = TelemetryEvent<
  typeof CRASH_REPROCESS_REQUESTED,
  Readonly<{
    recordId: string;
    /** The crash's crashing-thread frames, so the projection re-chooses the guilty without the payload. */
    frames: readonly FramePair[];
  }>,
  1
>;

/**
 * Pure: spec clearlinux.md §7.5 "apply" — an admin asked to re-process just this crash record with the never-guilty
 * list as it is now. A fact in the log rather than a direct UPDATE, so the crashes projector owns every
 * write to `crashes`; replayed later it is harmless (the replay already chose with the list of then).
 */
export function crashReprocessRequested(
  crash: Readonly<{ record_id: string; frames: readonly FramePair[] }>,
  at: string,
): CrashReprocessRequested {
  return {
    id: newEventId(Date.parse(at)),
    type: CRASH_REPROCESS_REQUESTED,
    version: 1,
    stream: 'platform.admin',
    source: 'clearlinux',
    key: `crash:${crash.record_id}`,
    receivedAt: at,
    data: {
      recordId: crash.record_id,
      frames: crash.frames.map((f) => ({ function: f.function, module: f.module })),
    },
  };
}
