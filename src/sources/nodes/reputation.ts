/** Pure shaping of `/reputation` answers (spec submissions-and-nodes.md §B.8) from `logs.state.peerset.nodes`. */
export type PeersetNodes = Record<string, { reputation?: unknown; connected?: unknown }>;

export type ReputationReport = Readonly<{ reporting_peer: string; remote_peer: string[]; reputation: number[]; connected: boolean[]; ts: string }>;

export function reputationReport(reportingPeer: string, ts: string, nodes: unknown, only?: ReadonlySet<string>): ReputationReport {
  const remote: string[] = [];
  const reputation: number[] = [];
  const connected: boolean[] = [];
  if (nodes && typeof nodes === 'object' && !Array.isArray(nodes)) {
    // sorted by peer id: jsonb does not keep the node's key order
    for (const [peer, info] of Object.entries(nodes as PeersetNodes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (only && !only.has(peer)) continue;
      remote.push(peer);
      reputation.push(Number(info?.reputation ?? 0));
      connected.push(info?.connected === true);
    }
  }
  return { reporting_peer: reportingPeer, remote_peer: remote, reputation, connected, ts };
}

const MOCK_PEERS = [
  'QmPeerMock1111111111111111111111111111111111111',
  'QmPeerMock2222222222222222222222222222222222222',
  'QmPeerMock3333333333333333333333333333333333333',
  'QmPeerMock4444444444444444444444444444444444444',
  'QmPeerMock5555555555555555555555555555555555555',
  'QmPeerMock6666666666666666666666666666666666666',
  'QmPeerMock7777777777777777777777777777777777777',
  'QmPeerMock8888888888888888888888888888888888888',
];

/** Synthetic data for front-end tests: up to 8 fixed peers, each reporting on the others. */
export function mockReputation(qty: number | undefined, ts: string): ReputationReport[] {
  const peers = MOCK_PEERS.slice(0, qty === undefined ? MOCK_PEERS.length : Math.max(0, Math.min(qty, MOCK_PEERS.length)));
  return peers.map((reporter, i) => {
    const others = peers.filter((p) => p !== reporter);
    return {
      reporting_peer: reporter,
      remote_peer: others,
      reputation: others.map((_, j) => ((i + 1) * 100 - j * 37) % 500),
      connected: others.map((_, j) => (i + j) % 2 === 0),
      ts,
    };
  });
}
