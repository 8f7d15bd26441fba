/** What a message tells about its node (spec submissions-and-nodes.md §B.4). Pure. */
export type PeerIdentity = Readonly<{
  peerId: string;
  name?: string | null;
  chain?: string | null;
  version?: string | null;
  authority?: boolean | null;
  startupTime?: number | null;
  implementation?: string | null;
}>;

/**
 * First hit wins, in spec order: `system.connected.network_id` (with node details), then
 * `state.peerId` (older system.network_state), then `network_state.peerId` (older system.interval).
 * `logs` is the normalised message (envelope already unwrapped).
 */
export function identifyPeer(logs: Readonly<Record<string, unknown>>): PeerIdentity | null {
  if (logs.msg === 'system.connected' && nonEmptyString(logs.network_id)) {
    return {
      peerId: logs.network_id,
      name: str(logs.name),
      chain: str(logs.chain),
      version: str(logs.version),
      authority: typeof logs.authority === 'boolean' ? logs.authority : null,
      startupTime: startupTime(logs.startup_time),
      implementation: str(logs.implementation),
    };
  }
  const fromState = nested(logs.state, 'peerId');
  if (fromState) return { peerId: fromState };
  const fromNetworkState = nested(logs.network_state, 'peerId');
  if (fromNetworkState) return { peerId: fromNetworkState };
  return null;
}

/** Sent as a string of milliseconds; unparseable → null. */
export function startupTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,18}$/.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

function nested(container: unknown, key: string): string | null {
  if (typeof container !== 'object' || container === null || Array.isArray(container)) return null;
  const v = (container as Record<string, unknown>)[key];
  return nonEmptyString(v) ? v : null;
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
