// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

/**
 * Runs autocannon in its own process so the load generator's CPU is not charged to (or stolen from the
 * event loop of) the platform under test. Started by `generateLoad`; the request factory is named by
 * module path + export because functions cannot cross the process boundary.
 */
export type LoadSpec = Readonly<{
  url: string;
  connections: number;
  durationS: number;
  /** Optional cap on requests (autocannon `amount`). */
  amount?: number;
  factory: Readonly<{ module: string; name: string }>;
}>;

export type LoadResult = Readonly<{ ok2xx: number; non2xx: number; errors: number; timeouts: number; p50Ms: number; p99Ms: number; statusCodes: Record<string, number> }>;

export type RequestFactory = () => Readonly<{ method: string; path: string; headers: Record<string, string>; body?: string | Buffer }>;

function run(spec: LoadSpec): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const make = require(spec.factory.module)[spec.factory.name] as RequestFactory;
  autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.durationS,
      amount: spec.amount,
      timeout: 30,
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...make() }) }],
    },
    (err: Error | null, res: { '2xx': number; non2xx: number; errors: number; timeouts: number; latency: { p50: number; p99: number }; statusCodeStats: Record<string, { count: number }> }) => {
      if (err) {
        process.send!({ error: err.message }, undefined, {}, () => process.exit(1));
        return;
      }
      const statusCodes = Object.fromEntries(Object.entries(res.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
      const result: LoadResult = { ok2xx: res['2xx'], non2xx: res.non2xx, errors: res.errors, timeouts: res.timeouts, p50Ms: res.latency.p50, p99Ms: res.latency.p99, statusCodes };
      process.send!({ result }, undefined, {}, () => process.exit(0));
    },
  );
}

if (require.main === module) process.once('message', (spec: LoadSpec) => run(spec));
