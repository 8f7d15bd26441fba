import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyInstance } from 'fastify';

/**
 * Request bodies are read (and buffered) before any guard runs, so the limit is what an unauthenticated
 * client can make the server hold per request. Every route gets 1 MiB (a console form, an admin JSON body);
 * only ingest routes whose protocol needs more opt in with @BodyLimit. A declared Content-Length over the
 * limit is answered 413 at once, without reading the body; a chunked body is cut at the limit.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * Fuel installation structures and action-log batches (≤ 32 MiB decompressed, fuelstats.md §3.1), the
 * generic /submit route (SUBMIT_MAX_BODY_BYTES may be raised to 32 MiB; its own hook enforces the setting)
 * and the Clear Linux collector (CLR_MAX_PAYLOAD_BYTES is checked on the decoded payload): 32 MiB + slack.
 */
export const INGEST_BODY_LIMIT_BYTES = 34 * 1024 * 1024;

/**
 * This route accepts bodies up to `bytes` (fastify's route `bodyLimit`). Merges into the route's fastify
 * config, so it must sit above a `@RouteConfig` on the same method (decorators apply bottom-up).
 */
export function BodyLimit(bytes: number): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, bodyLimit: bytes }, handler);
    return descriptor;
  };
}

/** Turns each route's @BodyLimit into its fastify `bodyLimit`; every other route keeps the server's 1 MiB. */
export function applyRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    // Nest passes a route's config to fastify for single methods only; an @All route is registered bare,
    // with the decorated handler itself (its metadata copied onto it), so the limit is read from there too.
    const config = (route.config ?? Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, route.handler)) as { bodyLimit?: unknown } | undefined;
    if (typeof config?.bodyLimit === 'number') route.bodyLimit = config.bodyLimit;
  });
}
