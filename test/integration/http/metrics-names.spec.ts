import { startTestApp, TestApp } from '../../support/app';

/** The substrate node-telemetry names (submissions-and-nodes.md §B.9): dashboards built on the old service read them as they are. */
const UPSTREAM = [
  'substrate_message_count', 'nodes_connected_count', 'nodes_dropped_count', 'current_substrate_connections', 'substrate_bytes_received',
  'bytes_received', 'bytes_sent', 'requests', 'current_feed_connections', 'feeds_connected', 'feeds_disconnected',
  'load_avg_one', 'load_avg_five', 'load_avg_fifteen', 'total_mem', 'used_mem', 'total_swap', 'used_swap',
];
/** prom-client's default process and runtime metrics keep their standard names. */
const STANDARD = /^(process|nodejs)_/;

describe('/metrics names', () => {
  let t: TestApp;
  let types: Map<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const body = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth })).body;
    types = new Map([...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  });
  afterAll(async () => t?.close());

  const own = () => [...types].filter(([name]) => !UPSTREAM.includes(name) && !STANDARD.test(name));

  it('keeps every upstream node-telemetry name exactly', () => {
    for (const name of UPSTREAM) expect({ name, type: types.get(name) }).toEqual({ name, type: expect.any(String) });
  });

  it("gives every metric of the platform's own the one telemetry_ prefix", () => {
    expect(own().length).toBeGreaterThan(20);
    expect(own().filter(([name]) => !/^telemetry_[a-z0-9_]+$/.test(name))).toEqual([]);
  });

  it('follows the Prometheus conventions: counters end in _total, histograms in a base unit, gauges never in _total', () => {
    const wrong = own().filter(([name, type]) => {
      if (type === 'counter') return !name.endsWith('_total');
      if (type === 'histogram') return !/_(seconds|bytes|events)$/.test(name);
      return name.endsWith('_total') || /_(ms|milliseconds|kib|kb|mb)$/.test(name);
    });
    expect(wrong).toEqual([]);
  });

  it('exposes the HTTP, event log and projector series under their new names', () => {
    expect(types.get('telemetry_http_requests_total')).toBe('counter');
    expect(types.get('telemetry_http_request_duration_seconds')).toBe('histogram');
    expect(types.get('telemetry_event_log_append_duration_seconds')).toBe('histogram');
    expect(types.get('telemetry_projector_lag_events')).toBe('gauge');
    expect(types.get('telemetry_db_statements_total')).toBe('counter');
  });
});
