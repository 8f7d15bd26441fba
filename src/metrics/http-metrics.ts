import type { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';

/** Request count and latency per route pattern (never per raw URL: ids would explode the label set). */
export function instrumentHttp(fastify: FastifyInstance, metrics: Metrics): void {
  const requests = metrics.counter('telemetry_http_requests_total', 'HTTP requests answered', ['method', 'route', 'status']);
  const latency = metrics.histogram('telemetry_http_request_duration_seconds', 'HTTP request latency', ['method', 'route'], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
