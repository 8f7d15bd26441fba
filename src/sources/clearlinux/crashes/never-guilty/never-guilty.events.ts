import { adminEvent, TelemetryEvent } from '../../../../event-log/event';
import type { FramePair } from '../backtrace';

export const NEVER_GUILTY_MARKED = 'clearlinux.never-guilty.marked';
export const NEVER_GUILTY_UNMARKED = 'clearlinux.never-guilty.unmarked';

export type NeverGuiltyEditData = Readonly<{ frames: readonly FramePair[] }>;
export type NeverGuiltyMarked = TelemetryEvent<typeof NEVER_GUILTY_MARKED, NeverGuiltyEditData, 1>;
export type NeverGuiltyUnmarked = TelemetryEvent<typeof NEVER_GUILTY_UNMARKED, NeverGuiltyEditData, 1>;
export type NeverGuiltyEvent = NeverGuiltyMarked | NeverGuiltyUnmarked;

/**
 * Pure: one admin edit of the never-guilty list (spec clearlinux.md §7.5) as an event. Edits are facts on the
 * `platform.admin` stream; the current list is a projection of them (`clr_never_guilty`).
 */
export function neverGuiltyEdited<T extends NeverGuiltyEvent['type']>(
  type: T,
  frames: readonly FramePair[],
  at: string,
): Extract<NeverGuiltyEvent, { type: T }> {
  const data = { frames: frames.map((f) => ({ function: f.function, module: f.module })) };
  return adminEvent<NeverGuiltyEvent>(type, 'clearlinux', 'never-guilty', data, at) as Extract<NeverGuiltyEvent, { type: T }>;
}
