/** Drop accounting across the generic submission and node telemetry paths. Pure shaping. */
export type DropLine = Readonly<{ source: 'submissions' | 'nodes'; category: string; reason: string; count: number }>;
export type DropAccounting = Readonly<{
  submissions: Readonly<{ received: number; accepted: number; dropped: number; byCategory: Record<string, number>; lines: DropLine[] }>;
  nodes: Readonly<{ stored: number; storedWithServerTimestamp: number; dropped: number; lines: DropLine[] }>;
  totalDropped: number;
  /** Acknowledged and in the event log, but set aside by a projector (projector_quarantine): stored, not projected. */
  notProjected: Readonly<{ total: number; byProjector: Record<string, number> }>;
}>;

export function dropAccounting(
  submissions: { accepted: number; rows: readonly { category: string; reason: string; n: number }[] },
  nodes: { stored: number; serverTimestamp: number; rows: readonly { reason: string; n: number }[] },
  quarantined: ReadonlyMap<string, number> = new Map(),
): DropAccounting {
  const subLines = submissions.rows.map((r) => ({ source: 'submissions' as const, category: r.category, reason: r.reason, count: r.n }));
  const byCategory: Record<string, number> = { rejected: 0, deduplicated: 0, errored: 0 };
  for (const l of subLines) byCategory[l.category] = (byCategory[l.category] ?? 0) + l.count;
  const subDropped = subLines.reduce((a, l) => a + l.count, 0);
  const nodeLines = nodes.rows.map((r) => ({ source: 'nodes' as const, category: 'dropped', reason: r.reason, count: r.n }));
  const nodeDropped = nodeLines.reduce((a, l) => a + l.count, 0);
  return {
    submissions: { received: submissions.accepted + subDropped, accepted: submissions.accepted, dropped: subDropped, byCategory, lines: subLines },
    nodes: { stored: nodes.stored, storedWithServerTimestamp: nodes.serverTimestamp, dropped: nodeDropped, lines: nodeLines },
    totalDropped: subDropped + nodeDropped,
    notProjected: { total: [...quarantined.values()].reduce((a, n) => a + n, 0), byProjector: Object.fromEntries([...quarantined].sort()) },
  };
}
