import { adminEvent, TelemetryEvent } from '../../../../event-log/event';
import type { FramePair } from '../backtrace';
import { guiltyId } from '../guilty';

export const GUILTY_HIDDEN = 'clearlinux.guilty.hidden';
export const GUILTY_UNHIDDEN = 'clearlinux.guilty.unhidden';
export const GUILTY_COMMENTED = 'clearlinux.guilty.commented';

type GuiltyRef = Readonly<{ guiltyId: string; function: string; module: string }>;
export type GuiltyHidden = TelemetryEvent<typeof GUILTY_HIDDEN, GuiltyRef, 1>;
export type GuiltyUnhidden = TelemetryEvent<typeof GUILTY_UNHIDDEN, GuiltyRef, 1>;
/** `comment: null` clears it. */
export type GuiltyCommented = TelemetryEvent<typeof GUILTY_COMMENTED, GuiltyRef & Readonly<{ comment: string | null }>, 1>;
export type GuiltyEvent = GuiltyHidden | GuiltyUnhidden | GuiltyCommented;

/**
 * Pure: an admin's hide / unhide / comment of a guilty (spec clearlinux.md §7.5) as events on the `platform.admin`
 * stream, keyed by the guilty so one guilty's edits keep their order in Kafka.
 */
export function guiltyVisibilitySet(pair: FramePair, hidden: boolean, at: string): GuiltyHidden | GuiltyUnhidden {
  return guiltyEvent(hidden ? GUILTY_HIDDEN : GUILTY_UNHIDDEN, ref(pair), at);
}

export function guiltyCommented(pair: FramePair, comment: string | null, at: string): GuiltyCommented {
  return guiltyEvent(GUILTY_COMMENTED, { ...ref(pair), comment }, at);
}

function ref(pair: FramePair): GuiltyRef {
  return { guiltyId: guiltyId(pair), function: pair.function, module: pair.module };
}

function guiltyEvent<E extends GuiltyEvent>(type: E['type'], data: E['data'], at: string): E {
  return adminEvent<E>(type, 'clearlinux', `guilty:${data.guiltyId}`, data, at);
}
